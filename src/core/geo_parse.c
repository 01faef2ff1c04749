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

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvio.h"
#include "core/i18n.h"

typedef struct rec {
    char **f;
    int n;
    int line;
} rec;

typedef struct rd {
    const char *path;
    rec *v;
    int n, cap;
    mr_err *e;
} rd;

static int fail(rd *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(rd *r, int line, const char *fmt, ...)
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

static const char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

/* A plain decimal number (what a coordinate or an elevation is). */
static int is_number(const char *s, double *v)
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

static geo_parcel *new_parcel(geo_shape *s, int line)
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

static geo_ring *new_ring(geo_parcel *p, int line)
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

/* The coordinate texts wait in id/x/y until finish() decides what they mean:
 * xt and yt are stashed in a side array parallel to the points. */
typedef struct pending {
    char *xt, *yt;
} pending;

typedef struct build {
    geo_shape *s;
    pending *pv;      /* one per point, in the order added */
    int np, capp;
} build;

static int add_point(build *b, rd *r, geo_ring *g, const char *id, const char *xt, const char *yt,
                     int line)
{
    if (!is_number(xt, NULL) && !strstr(xt, "°") && !strstr(xt, "度"))
        return fail(r, line, _("X '%s' is not a number"), xt);
    if (!is_number(yt, NULL) && !strstr(yt, "°") && !strstr(yt, "度"))
        return fail(r, line, _("Y '%s' is not a number"), yt);
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
                    is_number(b->pv[k].xt, &a);
                    is_number(b->pv[k].yt, &c);
                } else
                    a = c = 1;   /* 124°30′: degrees */
                vmax = fmax(vmax, fmax(fabs(a), fabs(c)));
                if (!first_line)
                    first_line = s->parcels[pi].rings[ri].pts[i].line;
            }
    if (k == 0)
        return fail(r, r->n ? r->v[r->n - 1].line : 1, _("no coordinates in the file"));
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
                return fail(r, first_line,
                            _("the degrees could be decimal or D.MMSS: say which with --degrees "
                              "decimal or --degrees dmmss"));
        }
        if (deg == GEO_DEG_DDDMMSS)
            return fail(r, first_line, _("values below 360 cannot be DDDMMSS"));
    } else if (vmax < 1.8e6) {
        if (deg != GEO_DEG_AUTO && deg != GEO_DEG_DDDMMSS)
            return fail(r, first_line, _("values this large can only be DDDMMSS degrees"));
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
                        return fail(r, p->line, _("'%s' is not an angle in the notation the file uses"), xt);
                    if (geo_deg_from_text(yt, deg, &lon) < 0)
                        return fail(r, p->line, _("'%s' is not an angle in the notation the file uses"), yt);
                    if (lat > lon) {   /* in China longitude > latitude: given as Y, X */
                        double t = lat;
                        lat = lon, lon = t;
                        swaps++;
                    }
                    if (lat < -90 || lat > 90 || lon < -180 || lon > 360)
                        return fail(r, p->line, _("'%s' is outside the range of an angle"), xt);
                    p->x = lat, p->y = lon;
                    continue;
                }
                double a, c;
                is_number(xt, &a);
                is_number(yt, &c);
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
                    return fail(r, p->line, _("Y '%s' is no easting: an easting is below 1000000 m, "
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

/* ---- the formats ---- */

static int read_pointlist(rd *r, build *b)
{
    geo_parcel *p = new_parcel(b->s, r->n ? r->v[0].line : 1);
    geo_ring *g = NULL;
    int seen_point = 0;
    for (int i = 0; i < r->n; i++) {
        rec *c = &r->v[i];
        const char *f0 = trim(c->f[0]);
        if (f0[0] == '*') {
            if (!g || g->n == 0)
                return fail(r, c->line, _("a '*' line closes no ring: no points before it"));
            g->closed = 1;
            double v;
            if (c->n > 1 && *trim(c->f[1])) {
                if (!is_number(c->f[1], &v))
                    return fail(r, c->line, _("top elevation '%s' is not a number"), c->f[1]);
                g->top = v, g->has_elev = 1;
            }
            if (c->n > 2 && *trim(c->f[2])) {
                if (!is_number(c->f[2], &v))
                    return fail(r, c->line, _("bottom elevation '%s' is not a number"), c->f[2]);
                g->bottom = v, g->has_elev = 1;
            }
            if (c->n > 3 && *trim(c->f[3]))
                g->name = xstrdup(trim(c->f[3]));
            g->flag = 1;
            if (c->n > 4 && *trim(c->f[4])) {
                const char *fl = trim(c->f[4]);
                if (strcmp(fl, "1") == 0)
                    g->flag = 1;
                else if (strcmp(fl, "-1") == 0)
                    g->flag = -1;
                else
                    return fail(r, c->line, _("ring flag '%s' is neither 1 (included) nor -1 (excluded)"), fl);
            }
            g->hole = g->flag == -1;
            g = NULL;
            continue;
        }
        /* a header: 拐点,X(起标高),Y(止标高) — told by its X and Y, not by
         * its first cell: a point may be named J1 */
        if (!seen_point && !is_number(f0, NULL) &&
            !(c->n >= 3 && is_number(c->f[1], NULL) && is_number(c->f[2], NULL)))
            continue;
        if (c->n < 3)
            return fail(r, c->line, _("not a point line (点号,X,Y) nor a ring's end (*,top,bottom,name,flag)"));
        if (!g)
            g = new_ring(p, c->line);
        if (add_point(b, r, g, f0, trim(c->f[1]), trim(c->f[2]), c->line) < 0)
            return -1;
        seen_point = 1;
    }
    if (!seen_point)
        return fail(r, r->n ? r->v[r->n - 1].line : 1, _("no point lines in the point list"));
    return 0;
}

static int read_exchange(rd *r, build *b)
{
    enum { NONE, ATTR, COORDS } sec = NONE;
    geo_shape *s = b->s;
    geo_parcel *p = NULL;
    geo_ring *g = NULL;
    for (int i = 0; i < r->n; i++) {
        rec *c = &r->v[i];
        const char *f0 = trim(c->f[0]);
        if (strncmp(f0, "[属性描述]", strlen("[属性描述]")) == 0) {
            sec = ATTR;
            continue;
        }
        if (strncmp(f0, "[地块坐标]", strlen("[地块坐标]")) == 0) {
            sec = COORDS;
            continue;
        }
        if (sec == NONE)
            return fail(r, c->line, _("text before the first section ([属性描述] or [地块坐标])"));
        if (sec == ATTR) {
            const char *eq = strchr(f0, '=');
            if (!eq)
                return fail(r, c->line, _("not a key=value line in [属性描述]: '%s'"), f0);
            /* a value may hold commas (转换参数=0,0,0,0,0,0,0): join it again */
            buf v = BUF_INIT;
            buf_puts(&v, eq + 1);
            for (int k = 1; k < c->n; k++) {
                buf_putc(&v, ',');
                buf_puts(&v, c->f[k]);
            }
            s->keys = xrealloc(s->keys, sizeof *s->keys * (size_t)(s->nattr + 1));
            s->vals = xrealloc(s->vals, sizeof *s->vals * (size_t)(s->nattr + 1));
            s->keys[s->nattr] = xstrndup(f0, (size_t)(eq - f0));
            s->vals[s->nattr] = xstrdup(trim(v.s ? v.s : (char[]){0}));
            buf_free(&v);
            s->nattr++;   /* counted at once: geo_shape_free frees it on a failure below */
            if (strcmp(s->keys[s->nattr - 1], "带号") == 0 && !s->zone) {
                double z;
                if (!is_number(s->vals[s->nattr - 1], &z) || z < 10 || z > 99 || z != floor(z))   /* 2 digits, as on Y */
                    return fail(r, c->line, _("带号 '%s' is not a zone number"), s->vals[s->nattr - 1]);
                s->zone = (int)z;
            }
            continue;
        }
        /* [地块坐标]: a parcel's header line ends in @ */
        int last = c->n - 1;
        while (last > 0 && !*trim(c->f[last]))
            last--;
        if (strcmp(trim(c->f[last]), "@") == 0) {
            p = new_parcel(s, c->line);
            g = NULL;
            double v;
            if (!is_number(f0, &v) || v < 0 || v > 1e9 || v != floor(v))
                return fail(r, c->line, _("a parcel's header begins with its point count, not '%s'"), f0);
            p->declared_points = (int)v;
            p->declared_line = c->line;
            if (c->n > 1 && *trim(c->f[1])) {
                if (!is_number(c->f[1], &v))
                    return fail(r, c->line, _("the parcel's area '%s' is not a number"), c->f[1]);
                p->has_reg_area = 1, p->reg_area = v;
            }
            if (c->n > 2 && *trim(c->f[2]) && last > 2)
                p->no = xstrdup(trim(c->f[2]));
            if (c->n > 3 && *trim(c->f[3]) && last > 3)
                p->name = xstrdup(trim(c->f[3]));
            continue;
        }
        if (!p)
            return fail(r, c->line, _("a point before the first parcel's header line (…,@)"));
        if (c->n < 4)
            return fail(r, c->line, _("not a point line 点号,圈号,X,Y"));
        double ring;
        if (!is_number(c->f[1], &ring) || ring < 1 || ring > 1e9 || ring != floor(ring))
            return fail(r, c->line, _("圈号 '%s' is not a ring number"), c->f[1]);
        if (!g || g->no != (int)ring) {
            g = new_ring(p, c->line);
            g->no = (int)ring;
        }
        if (add_point(b, r, g, f0, trim(c->f[2]), trim(c->f[3]), c->line) < 0)
            return -1;
    }
    if (!s->nparcels)
        return fail(r, r->n ? r->v[r->n - 1].line : 1, _("no parcel in [地块坐标]"));
    return 0;
}

/* Which column of a J table's header holds what. */
static int header_col(const char *h, int *id, int *ring, int *x, int *y, int i)
{
    static const char *const ids[] = {"点号", "拐点", "点名", "序号", "界址点号", "ID", "id", "J"};
    static const char *const rings[] = {"圈号", "环号", "圈"};
    static const char *const xs[] = {"X", "x", "纵坐标", "北坐标", "纬度", "N", "B"};
    static const char *const ys[] = {"Y", "y", "横坐标", "东坐标", "经度", "E", "L"};
    for (size_t k = 0; k < sizeof rings / sizeof *rings; k++)
        if (strstr(h, rings[k]) == h)
            return *ring = i, 1;
    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
        if (strstr(h, ids[k]) == h)
            return *id = i, 1;
    for (size_t k = 0; k < sizeof xs / sizeof *xs; k++)
        if (strstr(h, xs[k]) == h)
            return *x = i, 1;
    for (size_t k = 0; k < sizeof ys / sizeof *ys; k++)
        if (strstr(h, ys[k]) == h)
            return *y = i, 1;
    return 0;
}

static int read_jtable(rd *r, build *b)
{
    int id = 0, ring = -1, x = 1, y = 2, start = 0;
    if (r->n && !is_number(r->v[0].f[r->v[0].n > 1 ? 1 : 0], NULL) &&
        !strstr(r->v[0].f[r->v[0].n > 1 ? 1 : 0], "°")) {
        rec *h = &r->v[0];
        id = ring = x = y = -1;
        for (int i = 0; i < h->n; i++)
            header_col(trim(h->f[i]), &id, &ring, &x, &y, i);
        if (x < 0 || y < 0)
            return fail(r, h->line, _("the J table's header names no X and Y columns: '%s'"), h->f[0]);
        start = 1;
    } else if (r->n && r->v[0].n >= 4) {
        ring = 1, x = 2, y = 3;   /* 点号,圈号,X,Y as in the exchange file */
    }
    geo_parcel *p = new_parcel(b->s, r->n ? r->v[0].line : 1);
    geo_ring *g = NULL;
    for (int i = start; i < r->n; i++) {
        rec *c = &r->v[i];
        int need = x > y ? x : y;
        if (c->n <= need)
            return fail(r, c->line, _("a J table row needs X and Y: '%s'"), c->f[0]);
        int no = 1;
        if (ring >= 0 && ring < c->n) {
            double v;
            if (!is_number(c->f[ring], &v) || v < 1 || v > 1e9 || v != floor(v))
                return fail(r, c->line, _("圈号 '%s' is not a ring number"), c->f[ring]);
            no = (int)v;
        }
        if (!g || g->no != no) {
            g = new_ring(p, c->line);
            g->no = no;
            g->closed = 1;   /* a table's last point joins its first */
        }
        if (add_point(b, r, g, id >= 0 && id < c->n ? trim(c->f[id]) : NULL, trim(c->f[x]),
                      trim(c->f[y]), c->line) < 0)
            return -1;
    }
    if (!p->nrings)
        return fail(r, r->n ? r->v[r->n - 1].line : 1, _("no points in the J table"));
    return 0;
}

static int read_xystring(rd *r, build *b)
{
    for (int i = 0; i < r->n; i++) {
        rec *c = &r->v[i];
        buf line = BUF_INIT;
        for (int k = 0; k < c->n; k++) {
            if (k)
                buf_putc(&line, ',');
            buf_puts(&line, c->f[k]);
        }
        char *text = buf_steal(&line);
        geo_parcel *p = new_parcel(b->s, c->line);
        geo_ring *g = new_ring(p, c->line);
        g->closed = 1;
        int rc = 0, np = 1;
        for (char *piece = text; piece && rc == 0; np++) {
            char *semi = strchr(piece, ';');
            if (semi)
                *semi = 0;
            const char *pc = trim(piece);
            if (*pc) {
                const char *comma = strchr(pc, ',');
                if (!comma || strchr(comma + 1, ',')) {
                    rc = fail(r, c->line, _("'%s' is not a point X,Y"), pc);
                    break;
                }
                char *xt = xstrndup(pc, (size_t)(comma - pc));
                char *idt = NULL;
                buf idb = BUF_INIT;
                buf_printf(&idb, "%d", np);
                idt = buf_steal(&idb);
                rc = add_point(b, r, g, idt, trim(xt), trim((char *)comma + 1), c->line);
                free(xt);
                free(idt);
            }
            piece = semi ? semi + 1 : NULL;
        }
        free(text);
        if (rc < 0)
            return -1;
        if (g->n == 0)
            return fail(r, c->line, _("no points on the line"));
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
            case GEO_FMT_POINTLIST: rc = read_pointlist(&r, &b); break;
            case GEO_FMT_EXCHANGE: rc = read_exchange(&r, &b); break;
            case GEO_FMT_XYSTRING: rc = read_xystring(&r, &b); break;
            case GEO_FMT_JTABLE: rc = read_jtable(&r, &b); break;
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
