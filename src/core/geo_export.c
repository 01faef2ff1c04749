/* geo_export.c — records with their boundaries as GeoJSON, GeoPackage or a
 * shapefile (geo_export.h says what each file holds and why).
 *
 * One pass over the register's rows (the export's cursor, its filters and
 * order), each row's boundary decoded from its canonical text and made into
 * a MultiPolygon in the file's coordinates (gx below): plane points of the
 * file's zone are taken as they are (easting with the zone prefix), others
 * go through geodetic coordinates with PROJ (geo_point_latlon,
 * geo_forward).  GeoJSON streams; the GeoPackage is geo_export_gpkg.c's
 * and the shapefile geo_export_shp.c's (geo_export_int.h is what they
 * share).
 */
#include "config.h"

#include "core/geo_export.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/boundary.h"
#include "core/db_gpkg.h"
#include "core/edit.h"
#include "core/geo.h"
#include "core/i18n.h"
#include "core/outfile.h"
#include "core/geo_export_int.h"

geo_export_fmt geo_export_parse(const char *s)
{
    if (!s)
        return GEO_EXPORT_NONE;
    if (!strcmp(s, "geojson"))
        return GEO_EXPORT_GEOJSON;
    if (!strcmp(s, "gpkg"))
        return GEO_EXPORT_GPKG;
    if (!strcmp(s, "shp"))
        return GEO_EXPORT_SHP;
    return GEO_EXPORT_NONE;
}

static int ends(const char *p, const char *x)
{
    size_t n = strlen(p), k = strlen(x);
    return n > k && strcasecmp(p + n - k, x) == 0;
}

geo_export_fmt geo_export_by_name(const char *path)
{
    if (!path)
        return GEO_EXPORT_NONE;
    if (ends(path, ".geojson"))
        return GEO_EXPORT_GEOJSON;
    if (ends(path, ".gpkg"))
        return GEO_EXPORT_GPKG;
    if (ends(path, ".shp"))
        return GEO_EXPORT_SHP;
    return GEO_EXPORT_NONE;
}

int geo_export_epsg(int zone) { return zone >= 25 && zone <= 45 ? 4513 + zone - 25 : 0; }

/* ---- geometry --------------------------------------------------------------- */

void gx_free(gx *g)
{
    for (int i = 0; i < g->n; i++)
        free(g->r[i].xy);
    free(g->r);
    memset(g, 0, sizeof *g);
}

/* Point p of s in the file's coordinates: zone 0 longitude/latitude, else
 * that zone's plane with the prefix on the easting. */
static int to_file(const geo_shape *s, const geo_point *p, int zone, double *x, double *y, int *moved)
{
    if (zone && !s->geodetic && p->zone == zone) {
        *x = zone * 1e6 + p->y;
        *y = p->x;
        return 0;
    }
    double lat, lon;
    if (geo_point_latlon(s, p, &lat, &lon) < 0)
        return -1;
    if (!zone) {
        *x = lon, *y = lat;
        return 0;
    }
    double north, east;
    if (geo_forward(zone, lat, lon, &north, &east) < 0)
        return -1;
    *x = zone * 1e6 + east;
    *y = north;
    *moved = 1;
    return 0;
}

static double signed_area(const gring *r)
{
    double a = 0;
    for (int i = 0; i + 1 < r->n; i++)
        a += r->xy[2 * i] * r->xy[2 * i + 3] - r->xy[2 * i + 2] * r->xy[2 * i + 1];
    return a / 2;
}

static void reverse(gring *r)
{
    for (int i = 0, j = r->n - 1; i < j; i++, j--) {
        double x = r->xy[2 * i], y = r->xy[2 * i + 1];
        r->xy[2 * i] = r->xy[2 * j], r->xy[2 * i + 1] = r->xy[2 * j + 1];
        r->xy[2 * j] = x, r->xy[2 * j + 1] = y;
    }
}

static int inside(const gring *r, double px, double py)
{
    int in = 0;
    for (int i = 0, j = r->n - 2; i < r->n - 1; j = i++) {
        double xi = r->xy[2 * i], yi = r->xy[2 * i + 1], xj = r->xy[2 * j], yj = r->xy[2 * j + 1];
        if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

/* s's parcel as polygons in the file's coordinates; exteriors turned
 * counter-clockwise (ccw) or clockwise, holes the other way.  A ring of
 * fewer than 3 points is no polygon and is left out, and so is a hole no
 * included ring holds.  0, or -1 when a point cannot be projected. */
static int gx_make(const geo_shape *s, int zone, int ccw, gx *g)
{
    memset(g, 0, sizeof *g);
    g->box[0] = g->box[2] = INFINITY;
    g->box[1] = g->box[3] = -INFINITY;
    if (!s->nparcels)
        return 0;
    const geo_parcel *p = &s->parcels[0];
    for (int pass = 0; pass < 2; pass++)   /* the exteriors, then the holes */
        for (int ri = 0; ri < p->nrings; ri++) {
            const geo_ring *r = &p->rings[ri];
            if ((r->hole != 0) != pass || r->n < 3)
                continue;
            gring q = {.xy = xmalloc(sizeof(double) * 2 * (size_t)(r->n + 1)), .n = r->n + 1, .owner = -1};
            for (int i = 0; i < r->n; i++)
                if (to_file(s, &r->pts[i], zone, &q.xy[2 * i], &q.xy[2 * i + 1], &g->reprojected) < 0) {
                    free(q.xy);
                    gx_free(g);
                    return -1;
                }
            q.xy[2 * r->n] = q.xy[0];
            q.xy[2 * r->n + 1] = q.xy[1];
            if (pass) {
                for (int k = 0; k < g->npoly && q.owner < 0; k++)
                    if (inside(&g->r[k], q.xy[0], q.xy[1]))
                        q.owner = k;
                if (q.owner < 0) {
                    free(q.xy);
                    continue;
                }
            }
            double a = signed_area(&q);
            if ((a > 0) != (pass ? !ccw : ccw))
                reverse(&q);
            if (g->n == g->cap) {
                g->cap = g->cap ? g->cap * 2 : 4;
                g->r = xrealloc(g->r, sizeof *g->r * (size_t)g->cap);
            }
            g->r[g->n++] = q;
            if (!pass)
                g->npoly++;
            for (int i = 0; i < q.n; i++) {
                g->box[0] = fmin(g->box[0], q.xy[2 * i]), g->box[1] = fmax(g->box[1], q.xy[2 * i]);
                g->box[2] = fmin(g->box[2], q.xy[2 * i + 1]), g->box[3] = fmax(g->box[3], q.xy[2 * i + 1]);
            }
        }
    return 0;
}

/* ---- the rows --------------------------------------------------------------- */

int gxr_open(rows *w, db *d, const table *t, const geo_export_opts *o, mr_err *e)
{
    const export_opts *x = o->rows;
    w->d = d;
    w->t = t;
    w->o = o;
    w->c = db_select(d, t, x ? x->f : NULL, x ? x->nf : 0, x ? x->sort_ci : -1, x ? x->desc : 0, -1, e);
    return w->c ? 0 : -1;
}

/* The next row to write: 1 (its geometry in w->g when w->has), 0 done, -1
 * error (e). */
int gxr_next(rows *w, mr_err *e)
{
    for (;;) {
        gx_free(&w->g);
        w->has = 0;
        int got = cursor_next(w->c);
        if (got < 0) {
            cursor_fail(w->c, 0, e);
            return -1;
        }
        if (got == 0)
            return 0;
        char *text = NULL;
        if (db_shape_text(w->d, w->t->id, cursor_rowid(w->c), &text, e) == DB_ERROR)
            return -1;
        if (text) {
            geo_shape s;
            int rc = boundary_decode(text, &s, e);
            free(text);
            if (rc < 0)
                return -1;
            rc = gx_make(&s, w->zone, w->ccw, &w->g);
            geo_shape_free(&s);
            if (rc < 0) {
                err_set(e, EXIT_DATA, _("%s %s: a point of its boundary cannot be projected"), w->t->id,
                        cursor_val(w->c, w->t->key_ci) ? cursor_val(w->c, w->t->key_ci) : "?");
                return -1;
            }
            w->has = w->g.npoly > 0;
            if (w->g.reprojected)
                w->st->reprojected++;
        }
        if (!w->has) {
            w->st->empty++;
            if (w->o->skip_empty)
                continue;
        }
        w->st->rows++;
        return 1;
    }
}

void gxr_close(rows *w)
{
    gx_free(&w->g);
    cursor_free(w->c);
    w->c = NULL;
}

/* ---- output helpers ---------------------------------------------------------- */

int gx_write_all(int fd, const void *p, size_t n, const char *name, mr_err *e)
{
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
            return -1;
        }
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

int gx_pwrite_all(int fd, const void *p, size_t n, off_t at, const char *name, mr_err *e)
{
    if (pwrite(fd, p, n, at) != (ssize_t)n) {
        err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
        return -1;
    }
    return 0;
}

void gx_le32(buf *b, uint32_t v)
{
    char c[4] = {(char)(v & 0xff), (char)(v >> 8 & 0xff), (char)(v >> 16 & 0xff), (char)(v >> 24)};
    buf_add(b, c, 4);
}

void gx_be32(buf *b, uint32_t v)
{
    char c[4] = {(char)(v >> 24), (char)(v >> 16 & 0xff), (char)(v >> 8 & 0xff), (char)(v & 0xff)};
    buf_add(b, c, 4);
}

void gx_led(buf *b, double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    gx_le32(b, (uint32_t)(u & 0xffffffffu));
    gx_le32(b, (uint32_t)(u >> 32));
}

/* The CRS's WKT from PROJ's database: ESRI's dialect (.prj) or OGC WKT 1
 * (GeoPackage).  NULL with e when PROJ does not know it. */
char *gx_crs_wkt(int epsg, int esri, mr_err *e)
{
    PJ_CONTEXT *ctx = proj_context_create();
    proj_log_level(ctx, PJ_LOG_NONE);
    char code[16];
    snprintf(code, sizeof code, "%d", epsg);
    PJ *pj = proj_create_from_database(ctx, "EPSG", code, PJ_CATEGORY_CRS, 0, NULL);
    const char *opts[] = {"MULTILINE=NO", NULL};
    const char *w = pj ? proj_as_wkt(ctx, pj, esri ? PJ_WKT1_ESRI : PJ_WKT1_GDAL, opts) : NULL;
    char *out = w ? xstrdup(w) : NULL;
    if (!out)
        err_set(e, EXIT_INTERNAL, _("PROJ does not know EPSG:%d (is its proj.db installed? Debian: proj-data)"),
                epsg);
    proj_destroy(pj);
    proj_context_destroy(ctx);
    return out;
}

static int choose_zone(db *d, const table *t, const geo_export_opts *o, mr_err *e)
{
    if (o->zone)
        return o->zone;
    int64_t n[121];
    if (db_shape_zones(d, t->id, n, e) < 0)
        return -1;
    int best = 41;
    for (int z = 1; z <= 120; z++)
        if (n[z] > n[best] && geo_export_epsg(z))
            best = z;
    return best;
}

/* Is v a number as JSON writes one? */
static int json_number(const char *v)
{
    const char *c = v + (*v == '-');
    if (*c == '0')
        c++;
    else if (*c >= '1' && *c <= '9')
        c += strspn(c, "0123456789");
    else
        return 0;
    if (*c == '.') {
        size_t k = strspn(c + 1, "0123456789");
        if (!k)
            return 0;
        c += 1 + k;
    }
    if (*c == 'e' || *c == 'E') {
        c++;
        c += *c == '+' || *c == '-';
        size_t k = strspn(c, "0123456789");
        if (!k)
            return 0;
        c += k;
    }
    return !*c;
}

static void json_str(buf *b, const char *t)
{
    buf_putc(b, '"');
    for (const unsigned char *c = (const unsigned char *)t; *c; c++) {
        if (*c == '"' || *c == '\\')
            buf_printf(b, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            buf_printf(b, "\\u%04x", *c);
        else
            buf_putc(b, (char)*c);
    }
    buf_putc(b, '"');
}

int gx_numeric(col_type t) { return t == COL_INT || t == COL_DEC || t == COL_YEAR; }

/* ---- GeoJSON ------------------------------------------------------------------ */

static int put_geojson(rows *w, outfile *out, mr_err *e)
{
    const table *t = w->t;
    buf b = BUF_INIT, h = BUF_INIT;
    buf_puts(&b, "{\"type\": \"FeatureCollection\", \"name\": ");
    json_str(&b, t->id);
    buf_puts(&b, ",\n\"features\": [\n");
    int rc, first = 1;
    while ((rc = gxr_next(w, e)) == 1) {
        buf_puts(&b, first ? "" : ",\n");
        first = 0;
        buf_printf(&b, "{\"type\": \"Feature\", \"id\": %lld, \"properties\": {", (long long)cursor_rowid(w->c));
        for (int ci = 0; ci < t->ncols; ci++) {
            buf_reset(&h);
            col_header(&t->cols[ci], &h);
            buf_puts(&b, ci ? ", " : "");
            json_str(&b, buf_str(&h));
            buf_puts(&b, ": ");
            const char *v = cursor_val(w->c, ci);
            char *end;
            if (!v || !*v)
                buf_puts(&b, "null");
            else if (gx_numeric(t->cols[ci].type) && json_number(v))
                buf_puts(&b, v);
            else if (gx_numeric(t->cols[ci].type) && isfinite(strtod(v, &end)) && end != v && !*end)
                buf_printf(&b, "%.15g", strtod(v, NULL));
            else
                json_str(&b, v);
        }
        buf_puts(&b, "},\n \"geometry\": ");
        if (!w->has) {
            buf_puts(&b, "null}");
        } else {
            buf_puts(&b, "{\"type\": \"MultiPolygon\", \"coordinates\": [");
            for (int p = 0; p < w->g.npoly; p++) {
                buf_puts(&b, p ? ", [" : "[");
                for (int ri = 0; ri < w->g.n; ri++) {
                    const gring *r = &w->g.r[ri];
                    if (ri != p && r->owner != p)
                        continue;
                    buf_puts(&b, ri == p ? "[" : ", [");
                    for (int i = 0; i < r->n; i++)
                        buf_printf(&b, "%s[%.9f, %.9f]", i ? ", " : "", r->xy[2 * i], r->xy[2 * i + 1]);
                    buf_putc(&b, ']');
                }
                buf_putc(&b, ']');
            }
            buf_puts(&b, "]}}");
        }
        if (b.len > 1 << 16) {
            if (gx_write_all(outfile_fd(out), b.s, b.len, outfile_name(out), e) < 0) {
                rc = -1;
                break;
            }
            buf_reset(&b);
        }
    }
    if (rc == 0) {
        buf_puts(&b, "\n]}\n");
        rc = gx_write_all(outfile_fd(out), b.s, b.len, outfile_name(out), e);
    }
    buf_free(&b);
    buf_free(&h);
    return rc;
}

/* ---- the entry --------------------------------------------------------------- */

int geo_export(db *d, const table *t, const char *path, geo_export_fmt fmt, const geo_export_opts *o,
               geo_export_stats *st, mr_err *e)
{
    memset(st, 0, sizeof *st);
    int has = db_has_boundary(d, t->id, e);
    if (has == DB_ERROR)
        return -1;
    if (has == DB_NOT_FOUND) {
        err_set(e, EXIT_USAGE, _("%s: its records hold no boundary (GIS files are for registers that do)"), t->id);
        return -1;
    }
    int to_stdout = !path || !strcmp(path, "-");
    if (fmt != GEO_EXPORT_GEOJSON && to_stdout) {
        err_set(e, EXIT_USAGE, "%s", _("a GeoPackage or shapefile is not for standard output: give -o FILE"));
        return -1;
    }
    if (fmt == GEO_EXPORT_SHP && !ends(path, ".shp")) {
        err_set(e, EXIT_USAGE, _("%s: a shapefile's name ends in .shp"), path);
        return -1;
    }
    rows w = {.ccw = fmt != GEO_EXPORT_SHP, .st = st};
    if (fmt != GEO_EXPORT_GEOJSON) {
        w.zone = choose_zone(d, t, o, e);
        if (w.zone < 0)
            return -1;
        if (!geo_export_epsg(w.zone)) {
            err_set(e, EXIT_USAGE, _("zone %d has no CGCS2000 Gauss-Kruger CRS with the zone prefix (25-45)"),
                    w.zone);
            return -1;
        }
        st->zone = w.zone;
        st->epsg = geo_export_epsg(w.zone);
    } else {
        st->epsg = 4326;   /* RFC 7946's CRS84; CGCS2000 agrees with it to a few cm */
    }
    int rc;
    if (fmt == GEO_EXPORT_SHP) {
        if (gxr_open(&w, d, t, o, e) < 0)
            return -1;
        rc = gx_put_shp(&w, st->epsg, path, db_path(d), o->gbk, e);
        gxr_close(&w);
        return rc;
    }
    /* the query first: a bad one leaves no empty file behind */
    if (gxr_open(&w, d, t, o, e) < 0)
        return -1;
    outfile *out = outfile_open(path, db_path(d), e);
    if (!out) {
        gxr_close(&w);
        return -1;
    }
    rc = fmt == GEO_EXPORT_GEOJSON ? put_geojson(&w, out, e) : gx_put_gpkg(&w, st->epsg, out, e);
    gxr_close(&w);
    if (rc < 0) {
        outfile_abort(out);
        return -1;
    }
    return outfile_commit(out, e);
}
