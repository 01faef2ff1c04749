/* boundary.c — the canonical text of a record's boundary (boundary.h). */
#include "config.h"

#include "core/boundary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

static void name_put(buf *b, const char *s)
{
    for (; s && *s; s++)
        buf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* v with two decimals, the same bytes as "%.2f" (width 0) or "%0*.2f"
 * (width w): a coordinate that is whole centimetres, as every stored one
 * is, is written from its integer count of centimetres (printf's exact
 * decimal conversion is a third of a bulk boundary import's time); any
 * other value, a tie that printf rounds by its own rule among them, goes
 * to printf. */
static void put_cm(buf *b, double v, int w)
{
    double c = v * 100.0, r = nearbyint(c);
    if (!(fabs(c - r) < 1e-3) || r < 0 || r >= 1e15 || (r == 0 && signbit(v))) {
        if (w)
            buf_printf(b, "%0*.2f", w, v);
        else
            buf_printf(b, "%.2f", v);
        return;
    }
    long long k = (long long)r;
    char tmp[32];
    int n = 0;
    tmp[n++] = (char)('0' + k % 10), k /= 10;
    tmp[n++] = (char)('0' + k % 10), k /= 10;
    tmp[n++] = '.';
    do
        tmp[n++] = (char)('0' + k % 10), k /= 10;
    while (k);
    while (n < w)
        tmp[n++] = '0';
    while (n)
        buf_putc(b, tmp[--n]);
}

void boundary_put_point(buf *b, const geo_shape *s, const geo_point *q)
{
    if (s->geodetic) {
        buf_printf(b, "%.9f,%.9f", q->x, q->y);
        return;
    }
    put_cm(b, q->x, 0);
    buf_putc(b, ',');
    if (q->zone) {
        buf_printf(b, "%d", q->zone);
        put_cm(b, q->y, 9);
    } else {
        put_cm(b, q->y, 0);
    }
}

int boundary_encode(const geo_shape *s, buf *b, mr_err *e)
{
    if (s->nparcels != 1) {
        err_set(e, EXIT_DATA, _("a record's boundary is one parcel; the file has %d"), s->nparcels);
        return -1;
    }
    const geo_parcel *p = &s->parcels[0];
    buf_puts(b, s->geodetic ? "CGCS2000 geodetic\n" : "CGCS2000 GK3\n");
    for (int ri = 0; ri < p->nrings; ri++) {
        const geo_ring *r = &p->rings[ri];
        buf_puts(b, r->hole ? "excluded\t" : "included\t");
        if (r->has_elev)
            buf_printf(b, "%.15g\t%.15g\t", r->top, r->bottom);
        else
            buf_puts(b, "\t\t");
        name_put(b, r->name);
        buf_putc(b, '\t');
        for (int i = 0; i < r->n; i++) {
            if (i)
                buf_putc(b, ';');
            boundary_put_point(b, s, &r->pts[i]);
        }
        buf_putc(b, '\n');
    }
    return 0;
}

static int bad(mr_err *e, int line, const char *why)
{
    err_set(e, EXIT_DB, _("a stored boundary is damaged (line %d: %s)"), line, why);
    return -1;
}

int boundary_decode(const char *text, geo_shape *s, mr_err *e)
{
    memset(s, 0, sizeof *s);
    const char *nl = strchr(text, '\n');
    if (!nl)
        return bad(e, 1, "no system line");
    if (strncmp(text, "CGCS2000 geodetic\n", 18) == 0)
        s->geodetic = GEO_DEG_DECIMAL;
    else if (strncmp(text, "CGCS2000 GK3\n", 13) != 0)
        return bad(e, 1, "unknown system");
    s->fmt = GEO_FMT_POINTLIST;
    s->parcels = xcalloc(1, sizeof *s->parcels);
    s->nparcels = s->cap = 1;
    geo_parcel *p = &s->parcels[0];
    p->declared_points = -1;
    int line = 1;
    for (const char *at = nl + 1; *at; at = nl + 1) {
        line++;
        nl = strchr(at, '\n');
        if (!nl)
            nl = at + strlen(at);
        char *l = xstrndup(at, (size_t)(nl - at));
        char *f[5];
        int nf = 0;
        for (char *c = l; nf < 5; nf++) {
            f[nf] = c;
            char *t = strchr(c, '\t');
            if (!t) {
                nf++;
                break;
            }
            *t = 0;
            c = t + 1;
        }
        if (nf != 5) {
            free(l);
            geo_shape_free(s);
            return bad(e, line, "not 5 fields");
        }
        if (p->nrings == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 4;
            p->rings = xrealloc(p->rings, sizeof *p->rings * (size_t)p->cap);
        }
        geo_ring *r = &p->rings[p->nrings++];
        memset(r, 0, sizeof *r);
        r->no = p->nrings;
        r->line = line;
        r->closed = 1;
        r->hole = strcmp(f[0], "excluded") == 0;
        r->flag = r->hole ? -1 : 1;
        if (*f[1] || *f[2]) {
            r->has_elev = 1;
            r->top = strtod(f[1], NULL);
            r->bottom = strtod(f[2], NULL);
        }
        r->name = *f[3] ? xstrdup(f[3]) : NULL;
        for (char *c = f[4]; *c;) {
            char *end;
            double x = strtod(c, &end);
            if (end == c || *end != ',') {
                free(l);
                geo_shape_free(s);
                return bad(e, line, "a point is not x,y");
            }
            c = end + 1;
            double y = strtod(c, &end);
            if (end == c) {
                free(l);
                geo_shape_free(s);
                return bad(e, line, "a point is not x,y");
            }
            if (r->n == r->cap) {
                r->cap = r->cap ? r->cap * 2 : 8;
                r->pts = xrealloc(r->pts, sizeof *r->pts * (size_t)r->cap);
            }
            geo_point *q = &r->pts[r->n++];
            memset(q, 0, sizeof *q);
            q->x = x;
            q->line = line;
            q->xdec = q->ydec = s->geodetic ? 9 : 2;
            if (!s->geodetic && y >= 1e7) {
                q->zone = (int)floor(y / 1e6);
                q->y = y - q->zone * 1e6;
                q->prefixed = 1;
            } else {
                q->y = y;
            }
            c = *end == ';' ? end + 1 : end;
            if (*end && *end != ';') {
                free(l);
                geo_shape_free(s);
                return bad(e, line, "points not separated by ';'");
            }
        }
        free(l);
        if (!*nl)
            break;
    }
    return 0;
}

int boundary_zone(const geo_shape *s)
{
    if (s->geodetic)
        return 0;
    for (int pi = 0; pi < s->nparcels; pi++)
        for (int ri = 0; ri < s->parcels[pi].nrings; ri++)
            if (s->parcels[pi].rings[ri].n)
                return s->parcels[pi].rings[ri].pts[0].zone;
    return s->zone;
}

int boundary_box(const geo_shape *s, double *min_lon, double *max_lon, double *min_lat,
                 double *max_lat)
{
    *min_lon = *min_lat = INFINITY;
    *max_lon = *max_lat = -INFINITY;
    for (int pi = 0; pi < s->nparcels; pi++)
        for (int ri = 0; ri < s->parcels[pi].nrings; ri++) {
            const geo_ring *r = &s->parcels[pi].rings[ri];
            for (int i = 0; i < r->n; i++) {
                double lat, lon;
                if (geo_point_latlon(s, &r->pts[i], &lat, &lon) < 0)
                    return -1;
                *min_lon = fmin(*min_lon, lon), *max_lon = fmax(*max_lon, lon);
                *min_lat = fmin(*min_lat, lat), *max_lat = fmax(*max_lat, lat);
            }
        }
    return isfinite(*min_lon) ? 0 : -1;
}
