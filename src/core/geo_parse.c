/* geo_parse.c — read the coordinate files clerks receive.
 *
 * Every format is comma-separated text, so every file is read by the one
 * CSV reader (csvio.h: any encoding, each record with its line), and then
 * taken apart by format (DOMAIN.md, Coordinates):
 *
 *   point list   `拐点,X(起标高),Y(止标高)` header, point lines
 *                `1,4507088.2206,41473349.922,,,`, each ring closed by
 *                `*,top,bottom,name,flag` (flag 1 included, -1 excluded).
 *                A ring with no `*` line after it is not closed.
 *   exchange     `[属性描述]` with key=value lines (带号=41 …), `[地块坐标]`
 *                with a header line per parcel ending in `@` (point count,
 *                area in km², parcel no., name, 面, …) and `点号,圈号,X,Y`
 *                lines.  A ring is closed by repeating its first point; a
 *                ring inside another ring of its parcel is a hole.
 *   J table      J1…Jn with X and Y (and perhaps 圈号) columns, a header row
 *                or none; the last point joins the first.
 *   X,Y strings  `X1,Y1;X2,Y2;…`, a parcel a line; the last joins the first.
 *
 * Numbers are kept as the text they were written in (for the precision
 * check); what they mean — plane or geodetic, which degree notation, which
 * zone, X and Y in the right order or not — is decided once all are read.
 * A line that is not what its format allows stops the read with the line
 * and the reason: nothing half-read is returned.
 */
#include "config.h"

#include "core/geo.h"
#include "geo_parse_int.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvio.h"
#include "core/i18n.h"


int gp_fail(rd *r, int line, const char *fmt, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    err_set(r->e, EXIT_DATA, "%s:%d: %s", r->path, line, buf_str(&b));
    buf_free(&b);
    return -1;
}

const char *gp_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

/* A plain decimal number (what a coordinate or an elevation is). */
int gp_is_number(const char *s, double *v)
{
    char *end;
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    double d = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || !isfinite(d))
        return 0;
    if (v)
        *v = d;
    return 1;
}

/* ---- building the shape ---- */

geo_parcel *gp_new_parcel(geo_shape *s, int line)
{
    if (s->nparcels == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->parcels = xrealloc(s->parcels, sizeof *s->parcels * (size_t)s->cap);
    }
    geo_parcel *p = &s->parcels[s->nparcels++];
    memset(p, 0, sizeof *p);
    p->line = line;
    p->declared_points = -1;
    return p;
}

geo_ring *gp_new_ring(geo_parcel *p, int line)
{
    if (p->nrings == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        p->rings = xrealloc(p->rings, sizeof *p->rings * (size_t)p->cap);
    }
    geo_ring *r = &p->rings[p->nrings++];
    memset(r, 0, sizeof *r);
    r->line = line;
    r->no = p->nrings;
    return r;
}


int gp_add_point(build *b, rd *r, geo_ring *g, const char *id, const char *xt, const char *yt,
                 int line)
{
    if (!gp_is_number(xt, NULL) && !strstr(xt, "°") && !strstr(xt, "度"))
        return gp_fail(r, line, _("X '%s' is not a number"), xt);
    if (!gp_is_number(yt, NULL) && !strstr(yt, "°") && !strstr(yt, "度"))
        return gp_fail(r, line, _("Y '%s' is not a number"), yt);
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8;
        g->pts = xrealloc(g->pts, sizeof *g->pts * (size_t)g->cap);
    }
    geo_point *p = &g->pts[g->n++];
    memset(p, 0, sizeof *p);
    p->id = id && *id ? xstrdup(id) : NULL;
    p->line = line;
    if (b->np == b->capp) {
        b->capp = b->capp ? b->capp * 2 : 64;
        b->pv = xrealloc(b->pv, sizeof *b->pv * (size_t)b->capp);
    }
    b->pv[b->np].xt = xstrdup(xt);
    b->pv[b->np].yt = xstrdup(yt);
    b->np++;
    return 0;
}

/* Significant decimals of a number's text (trailing zeros do not count). */
static int decimals(const char *t)
{
    const char *dot = strchr(t, '.');
    if (!dot)
        return 0;
    int n = 0, last = 0;
    for (const char *p = dot + 1; isdigit((unsigned char)*p); p++) {
        n++;
        if (*p != '0')
            last = n;
    }
    return last;
}

/* Y-like (an easting: with a zone prefix ≥ 10^7, without one < 10^6) and
 * X-like (a northing, 10^6 ≤ X < 10^7) values. */
static int y_like(double v) { return v >= 1e7 || (v >= 0 && v < 1e6); }
static int x_like(double v) { return v >= 1e6 && v < 1e7; }

/* Decide what the numbers mean and fill every point. */
static int finish(build *b, rd *r, const geo_read_opts *o)
{
    geo_shape *s = b->s;
    if (o->zone)
        s->zone = o->zone;
    /* which kind of number: all below 360 → degrees; all below 1.8·10^6
     * (DDDMMSS longitude 1243015, latitude 402530) → DDDMMSS; else plane */
    double vmax = 0;
    int k = 0, first_line = 0;
    for (int pi = 0; pi < s->nparcels; pi++)
        for (int ri = 0; ri < s->parcels[pi].nrings; ri++)
            for (int i = 0; i < s->parcels[pi].rings[ri].n; i++, k++) {
                double a = 0, c = 0;
                int sym = strstr(b->pv[k].xt, "°") || strstr(b->pv[k].xt, "度");
                if (!sym) {
                    gp_is_number(b->pv[k].xt, &a);
                    gp_is_number(b->pv[k].yt, &c);
                } else
                    a = c = 1;   /* 124°30′: degrees */
                vmax = fmax(vmax, fmax(fabs(a), fabs(c)));
                if (!first_line)
                    first_line = s->parcels[pi].rings[ri].pts[i].line;
            }
    if (k == 0)
        return gp_fail(r, r->n ? r->v[r->n - 1].line : 1, _("no coordinates in the file"));
    geo_degrees deg = o->deg;
    if (vmax < 360) {
        if (deg == GEO_DEG_AUTO) {
            deg = GEO_DEG_DMMSS;
            for (int i = 0; i < k && deg == GEO_DEG_DMMSS; i++)
                if (!geo_deg_could_be_dmmss(b->pv[i].xt) || !geo_deg_could_be_dmmss(b->pv[i].yt))
                    deg = GEO_DEG_DECIMAL;
            int symbols_only = 1;
            for (int i = 0; i < k; i++)
                if (!strstr(b->pv[i].xt, "°") && !strstr(b->pv[i].xt, "度"))
                    symbols_only = 0;
            if (deg == GEO_DEG_DMMSS && !symbols_only)
                return gp_fail(r, first_line,
                            _("the degrees could be decimal or D.MMSS: say which with --degrees "
                              "decimal or --degrees dmmss"));
        }
        if (deg == GEO_DEG_DDDMMSS)
            return gp_fail(r, first_line, _("values below 360 cannot be DDDMMSS"));
    } else if (vmax < 1.8e6) {
        if (deg != GEO_DEG_AUTO && deg != GEO_DEG_DDDMMSS)
            return gp_fail(r, first_line, _("values this large can only be DDDMMSS degrees"));
        deg = GEO_DEG_DDDMMSS;
    } else {
        deg = GEO_DEG_AUTO;   /* plane coordinates */
    }
    s->geodetic = (int)deg;
    k = 0;
    for (int pi = 0; pi < s->nparcels; pi++)
        for (int ri = 0; ri < s->parcels[pi].nrings; ri++) {
            geo_ring *g = &s->parcels[pi].rings[ri];
            int swaps = 0;
            for (int i = 0; i < g->n; i++, k++) {
                geo_point *p = &g->pts[i];
                const char *xt = b->pv[k].xt, *yt = b->pv[k].yt;
                p->xdec = decimals(xt);
                p->ydec = decimals(yt);
                if (s->geodetic) {
                    double lat, lon;
                    if (geo_deg_from_text(xt, deg, &lat) < 0)
                        return gp_fail(r, p->line, _("'%s' is not an angle in the notation the file uses"), xt);
                    if (geo_deg_from_text(yt, deg, &lon) < 0)
                        return gp_fail(r, p->line, _("'%s' is not an angle in the notation the file uses"), yt);
                    if (lat > lon) {   /* in China longitude > latitude: given as Y, X */
                        double t = lat;
                        lat = lon, lon = t;
                        swaps++;
                    }
                    if (lat < -90 || lat > 90 || lon < -180 || lon > 360)
                        return gp_fail(r, p->line, _("'%s' is outside the range of an angle"), xt);
                    p->x = lat, p->y = lon;
                    continue;
                }
                double a, c;
                gp_is_number(xt, &a);
                gp_is_number(yt, &c);
                if (!x_like(a) && x_like(c) && y_like(a)) {
                    double t = a;
                    a = c, c = t;
                    int d = p->xdec;
                    p->xdec = p->ydec, p->ydec = d;
                    swaps++;
                }
                p->x = a;
                /* an easting is below 10^6 m; with its zone prefix (1–120, at
                 * most 2 digits in Dandong's part of the world) 10^7–10^8 */
                if (c >= 1e8 || c < 0 || (c >= 1e6 && c < 1e7))
                    return gp_fail(r, p->line, _("Y '%s' is no easting: an easting is below 1000000 m, "
                                              "with its zone prefix 2 digits more"), yt);
                if (c >= 1e7) {
                    p->zone = (int)floor(c / 1e6);
                    p->y = c - p->zone * 1e6;
                    p->prefixed = 1;
                } else {
                    p->zone = s->zone;
                    p->y = c;
                }
            }
            g->swapped = swaps > 0;
            if (g->n >= 2 && g->pts[0].x == g->pts[g->n - 1].x && g->pts[0].y == g->pts[g->n - 1].y) {
                free(g->pts[g->n - 1].id);
                g->n--;
                g->repeated_first = 1;
            }
        }
    return 0;
}


static geo_format detect(const rd *r)
{
    for (int i = 0; i < r->n; i++) {
        const char *f0 = r->v[i].f[0];
        if (strstr(f0, "[属性描述]") || strstr(f0, "[地块坐标]"))
            return GEO_FMT_EXCHANGE;
    }
    for (int i = 0; i < r->n; i++) {
        const char *f0 = r->v[i].f[0];
        while (*f0 == ' ')
            f0++;
        if (f0[0] == '*' || (i == 0 && strstr(f0, "拐点")))
            return GEO_FMT_POINTLIST;
    }
    for (int i = 0; i < r->n && i < 3; i++)
        for (int k = 0; k < r->v[i].n; k++)
            if (strchr(r->v[i].f[k], ';'))
                return GEO_FMT_XYSTRING;
    return GEO_FMT_JTABLE;
}

int geo_read(const char *path, const geo_read_opts *o, geo_shape *out, mr_err *e)
{
    static const geo_read_opts none = {0};
    if (!o)
        o = &none;
    memset(out, 0, sizeof *out);
    csv_opts co = {.enc = ENC_AUTO, .delim = ',', .raw_cells = 1};
    csv_reader *cr = csvr_open(path, &co, e);
    if (!cr)
        return -1;
    rd r = {.path = path, .e = e};
    char **f;
    int nf, rc;
    long line;
    while ((rc = csvr_next(cr, &f, &nf, &line, e)) == 1) {
        rec c = {.n = nf, .line = (int)line};
        /* a line of nothing but commas is blank */
        int blank = 1;
        for (int i = 0; i < nf && blank; i++)
            for (const char *p = f[i]; *p && blank; p++)
                if (*p != ' ' && *p != '\t' && *p != '\r')
                    blank = 0;
        if (blank)
            continue;
        c.f = xmalloc(sizeof *c.f * (size_t)nf);
        for (int i = 0; i < nf; i++)
            c.f[i] = xstrdup(f[i]);
        if (r.n == r.cap) {
            r.cap = r.cap ? r.cap * 2 : 64;
            r.v = xrealloc(r.v, sizeof *r.v * (size_t)r.cap);
        }
        r.v[r.n++] = c;
    }
    csvr_close(cr);
    build b = {.s = out};
    if (rc == 0) {
        if (r.n == 0) {
            err_set(e, EXIT_DATA, _("%s: the file holds no coordinates"), path);
            rc = -1;
        } else {
            out->fmt = o->fmt != GEO_FMT_AUTO ? o->fmt : detect(&r);
            if (o->zone)
                out->zone = o->zone;
            switch (out->fmt) {
            case GEO_FMT_POINTLIST: rc = gp_read_pointlist(&r, &b); break;
            case GEO_FMT_EXCHANGE: rc = gp_read_exchange(&r, &b); break;
            case GEO_FMT_XYSTRING: rc = gp_read_xystring(&r, &b); break;
            case GEO_FMT_JTABLE: rc = gp_read_jtable(&r, &b); break;
            default:
                err_set(e, EXIT_USAGE, _("%s cannot be read, only written"), geo_format_name(out->fmt));
                rc = -1;
            }
            if (rc == 0)
                rc = finish(&b, &r, o);
        }
    }
    for (int i = 0; i < r.n; i++) {
        for (int k = 0; k < r.v[i].n; k++)
            free(r.v[i].f[k]);
        free(r.v[i].f);
    }
    free(r.v);
    for (int i = 0; i < b.np; i++) {
        free(b.pv[i].xt);
        free(b.pv[i].yt);
    }
    free(b.pv);
    if (rc < 0) {
        geo_shape_free(out);
        return -1;
    }
    /* an exchange file's holes: rings inside another ring of the parcel */
    if (out->fmt == GEO_FMT_EXCHANGE)
        for (int pi = 0; pi < out->nparcels; pi++) {
            geo_parcel *p = &out->parcels[pi];
            for (int ri = 0; ri < p->nrings; ri++)
                p->rings[ri].closed = p->rings[ri].repeated_first;
            for (int ri = 0; ri < p->nrings; ri++)
                for (int oi = 0; oi < p->nrings; oi++) {
                    const geo_ring *a = &p->rings[ri], *c = &p->rings[oi];
                    if (oi == ri || c->n < 3 || a->n < 1)
                        continue;
                    /* the first point of a inside c (even-odd rule) */
                    double px = a->pts[0].x, py = a->pts[0].y;
                    int in = 0;
                    for (int i = 0, j = c->n - 1; i < c->n; j = i++) {
                        const geo_point *pi_ = &c->pts[i], *pj = &c->pts[j];
                        if ((pi_->y > py) != (pj->y > py) &&
                            px < (pj->x - pi_->x) * (py - pi_->y) / (pj->y - pi_->y) + pi_->x)
                            in = !in;
                    }
                    if (in)
                        p->rings[ri].hole = 1;
                }
        }
    return 0;
}

void geo_shape_free(geo_shape *s)
{
    for (int pi = 0; pi < s->nparcels; pi++) {
        geo_parcel *p = &s->parcels[pi];
        for (int ri = 0; ri < p->nrings; ri++) {
            for (int i = 0; i < p->rings[ri].n; i++)
                free(p->rings[ri].pts[i].id);
            free(p->rings[ri].pts);
            free(p->rings[ri].name);
        }
        free(p->rings);
        free(p->no);
        free(p->name);
    }
    free(s->parcels);
    for (int i = 0; i < s->nattr; i++) {
        free(s->keys[i]);
        free(s->vals[i]);
    }
    free(s->keys);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

static const char *const fmt_names[] = {"auto", "pointlist", "exchange", "jtable", "xy", "wkt", "geojson"};

const char *geo_format_name(geo_format f)
{
    return (unsigned)f < sizeof fmt_names / sizeof *fmt_names ? fmt_names[f] : "?";
}

int geo_format_parse(const char *s, geo_format *f)
{
    for (size_t i = 0; i < sizeof fmt_names / sizeof *fmt_names; i++)
        if (strcmp(s, fmt_names[i]) == 0) {
            *f = (geo_format)i;
            return 1;
        }
    return 0;
}

int geo_degrees_parse(const char *s, geo_degrees *d)
{
    static const char *const names[] = {"auto", "decimal", "dmmss", "dddmmss"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *d = (geo_degrees)i;
            return 1;
        }
    return 0;
}
