/* geo_export.c — records with their boundaries as GeoJSON, GeoPackage or a
 * shapefile (geo_export.h says what each file holds and why).
 *
 * One pass over the register's rows (the export's cursor, its filters and
 * order), each row's boundary decoded from its canonical text and made into
 * a MultiPolygon in the file's coordinates (gx below): plane points of the
 * file's zone are taken as they are (easting with the zone prefix), others
 * go through geodetic coordinates with PROJ (geo_point_latlon,
 * geo_forward).  GeoJSON streams; the GeoPackage is made in a scratch
 * SQLite file (db_gpkg.c) and copied into the output; the shapefile's .shp
 * and .shx get their headers written last (their lengths and box are known
 * only then) and its .dbf is sized by a first pass over the rows.
 */
#include "config.h"

#include "core/geo_export.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
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

typedef struct gring {
    double *xy;        /* x (easting or longitude), y; the first point repeated at the end */
    int n;             /* points, the repeat included */
    int owner;         /* a hole: its polygon; an exterior: -1 */
} gring;

typedef struct gx {
    gring *r;          /* each polygon's exterior, then the holes */
    int n, cap;
    int npoly;         /* exteriors: r[0..npoly-1] */
    double box[4];     /* minx, maxx, miny, maxy */
    int reprojected;
} gx;

static void gx_free(gx *g)
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

typedef struct rows {
    db *d;
    const table *t;
    cursor *c;
    int zone;          /* the file's (0: longitude, latitude) */
    int ccw;
    const geo_export_opts *o;
    geo_export_stats *st;
    gx g;              /* the current row's, when has */
    int has;
} rows;

static int rows_open(rows *w, db *d, const table *t, const geo_export_opts *o, mr_err *e)
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
static int rows_next(rows *w, mr_err *e)
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
        char *text = db_shape_text(w->d, w->t->id, cursor_rowid(w->c));
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

static void rows_close(rows *w)
{
    gx_free(&w->g);
    cursor_free(w->c);
    w->c = NULL;
}

/* ---- output helpers ---------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n, const char *name, mr_err *e)
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

static int pwrite_all(int fd, const void *p, size_t n, off_t at, const char *name, mr_err *e)
{
    if (pwrite(fd, p, n, at) != (ssize_t)n) {
        err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
        return -1;
    }
    return 0;
}

static void le32(buf *b, uint32_t v)
{
    char c[4] = {(char)(v & 0xff), (char)(v >> 8 & 0xff), (char)(v >> 16 & 0xff), (char)(v >> 24)};
    buf_add(b, c, 4);
}

static void be32(buf *b, uint32_t v)
{
    char c[4] = {(char)(v >> 24), (char)(v >> 16 & 0xff), (char)(v >> 8 & 0xff), (char)(v & 0xff)};
    buf_add(b, c, 4);
}

static void led(buf *b, double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    le32(b, (uint32_t)(u & 0xffffffffu));
    le32(b, (uint32_t)(u >> 32));
}

/* The CRS's WKT from PROJ's database: ESRI's dialect (.prj) or OGC WKT 1
 * (GeoPackage).  NULL with e when PROJ does not know it. */
static char *crs_wkt(int epsg, int esri, mr_err *e)
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

static int numeric(col_type t) { return t == COL_INT || t == COL_DEC || t == COL_YEAR; }

/* ---- GeoJSON ------------------------------------------------------------------ */

static int put_geojson(rows *w, outfile *out, mr_err *e)
{
    const table *t = w->t;
    buf b = BUF_INIT, h = BUF_INIT;
    buf_puts(&b, "{\"type\": \"FeatureCollection\", \"name\": ");
    json_str(&b, t->id);
    buf_puts(&b, ",\n\"features\": [\n");
    int rc, first = 1;
    while ((rc = rows_next(w, e)) == 1) {
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
            else if (numeric(t->cols[ci].type) && json_number(v))
                buf_puts(&b, v);
            else if (numeric(t->cols[ci].type) && isfinite(strtod(v, &end)) && end != v && !*end)
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
            if (write_all(outfile_fd(out), b.s, b.len, outfile_name(out), e) < 0) {
                rc = -1;
                break;
            }
            buf_reset(&b);
        }
    }
    if (rc == 0) {
        buf_puts(&b, "\n]}\n");
        rc = write_all(outfile_fd(out), b.s, b.len, outfile_name(out), e);
    }
    buf_free(&b);
    buf_free(&h);
    return rc;
}

/* ---- GeoPackage ---------------------------------------------------------------- */

/* The GeoPackage geometry: 'GP', version 0, flags (little-endian, an xy
 * envelope), the srs id, the envelope, then WKB MultiPolygon. */
static void gp_blob(const gx *g, int srs, buf *b)
{
    buf_reset(b);
    buf_add(b, "GP\0\x03", 4);   /* flags 0b00000011: envelope [minx,maxx,miny,maxy], LE */
    le32(b, (uint32_t)srs);
    for (int i = 0; i < 4; i++)
        led(b, g->box[i]);
    buf_putc(b, 1);
    le32(b, 6);                  /* wkbMultiPolygon */
    le32(b, (uint32_t)g->npoly);
    for (int p = 0; p < g->npoly; p++) {
        int nr = 1;
        for (int ri = g->npoly; ri < g->n; ri++)
            nr += g->r[ri].owner == p;
        buf_putc(b, 1);
        le32(b, 3);              /* wkbPolygon */
        le32(b, (uint32_t)nr);
        for (int ri = 0; ri < g->n; ri++) {
            const gring *r = &g->r[ri];
            if (ri != p && r->owner != p)
                continue;
            le32(b, (uint32_t)r->n);
            for (int i = 0; i < 2 * r->n; i++)
                led(b, r->xy[i]);
        }
    }
}

static int copy_out(int from, int to, const char *name, mr_err *e)
{
    char b[65536];
    if (lseek(from, 0, SEEK_SET) < 0) {
        err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
        return -1;
    }
    for (;;) {
        ssize_t n = read(from, b, sizeof b);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err_set(e, EXIT_IO, "%s: %s", name, strerror(errno));
            return -1;
        }
        if (n == 0)
            return 0;
        if (write_all(to, b, (size_t)n, name, e) < 0)
            return -1;
    }
}

/* Attribute names: the CSV header's, each once, none "fid" or "geom". */
static char **gpkg_names(const table *t)
{
    char **v = xcalloc((size_t)t->ncols + 1, sizeof *v);
    buf h = BUF_INIT;
    for (int ci = 0; ci < t->ncols; ci++) {
        buf_reset(&h);
        col_header(&t->cols[ci], &h);
        for (int k = 2;; k++) {
            int clash = !strcasecmp(buf_str(&h), "fid") || !strcasecmp(buf_str(&h), "geom");
            for (int j = 0; j < ci && !clash; j++)
                clash = !strcasecmp(v[j], buf_str(&h));
            if (!clash)
                break;
            buf_reset(&h);
            col_header(&t->cols[ci], &h);
            buf_printf(&h, "_%d", k);
        }
        v[ci] = xstrdup(buf_str(&h));
    }
    buf_free(&h);
    return v;
}

static void names_free(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int put_gpkg(rows *w, int epsg, outfile *out, mr_err *e)
{
    const table *t = w->t;
    char *wkt = crs_wkt(epsg, 0, e), *wgs = wkt ? crs_wkt(4326, 0, e) : NULL;
    if (!wgs) {
        free(wkt);
        return -1;
    }
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    buf scratch = BUF_INIT;
    buf_printf(&scratch, "%s/minreg-gpkg-XXXXXX", tmpdir);
    int sfd = mkostemp(scratch.s, O_CLOEXEC);
    if (sfd < 0) {
        err_set(e, EXIT_IO, "%s: %s", buf_str(&scratch), strerror(errno));
        buf_free(&scratch);
        free(wkt);
        free(wgs);
        return -1;
    }
    char **names = gpkg_names(t);
    gpkg_type *types = xmalloc(sizeof *types * (size_t)(t->ncols ? t->ncols : 1));
    for (int ci = 0; ci < t->ncols; ci++)
        types[ci] = t->cols[ci].type == COL_DEC ? GPKG_REAL
                    : t->cols[ci].type == COL_INT || t->cols[ci].type == COL_YEAR ? GPKG_INTEGER
                                                                                 : GPKG_TEXT;
    buf title = BUF_INIT, srs = BUF_INIT, blob = BUF_INIT;
    export_print_title(t, &title);
    buf_printf(&srs, "CGCS2000 / 3-degree Gauss-Kruger zone %d", w->zone);
    gpkg_layer l = {.name = t->id, .identifier = buf_str(&title), .description = t->source,
                    .srs_id = epsg, .srs_name = buf_str(&srs), .srs_wkt = wkt, .wgs84_wkt = wgs,
                    .cols = (const char *const *)names, .types = types, .ncols = t->ncols,
                    .now = edit_now()};
    gpkg *g = gpkg_create(buf_str(&scratch), &l, e);
    int rc = g ? 0 : -1;
    const char **vals = xmalloc(sizeof *vals * (size_t)(t->ncols ? t->ncols : 1));
    while (rc == 0 && (rc = rows_next(w, e)) == 1) {
        for (int ci = 0; ci < t->ncols; ci++)
            vals[ci] = cursor_val(w->c, ci);
        if (w->has)
            gp_blob(&w->g, epsg, &blob);
        rc = gpkg_add(g, vals, w->has ? (const unsigned char *)blob.s : NULL, blob.len, w->g.box, e) < 0 ? -1 : 0;
    }
    if (rc == 0) {
        rc = gpkg_finish(g, e);
        g = NULL;
    }
    gpkg_abort(g);
    if (rc == 0)
        rc = copy_out(sfd, outfile_fd(out), outfile_name(out), e);
    unlink(buf_str(&scratch));
    close(sfd);
    free(vals);
    buf_free(&scratch);
    buf_free(&title);
    buf_free(&srs);
    buf_free(&blob);
    names_free(names, t->ncols);
    free(types);
    free(wkt);
    free(wgs);
    return rc;
}

/* ---- shapefile ------------------------------------------------------------------- */

typedef struct dbf_field {
    char name[11];
    char type;          /* 'C' or 'N' */
    int len, dec;
    int intlen;         /* N of a decimal column: the widest whole part */
} dbf_field;

typedef struct shp {
    outfile *f[5];      /* .shp .shx .dbf .prj .cpg */
    buf b[3];           /* pending bytes of .shp .shx .dbf */
    off_t at[3];        /* bytes written of each */
    double box[4];
    int any;
    iconv_t cd;         /* UTF-8 to GBK, or (iconv_t)-1 */
    dbf_field *fl;
    buf tx;             /* a value in the .dbf's encoding */
} shp;

static const char *const shp_ext[5] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};

/* v in the .dbf's encoding into s->tx (a character GBK lacks: '?'). */
static const char *dbf_text(shp *s, const char *v, int64_t *replaced)
{
    buf_reset(&s->tx);
    if (s->cd == (iconv_t)-1) {
        buf_puts(&s->tx, v);
        return buf_str(&s->tx);
    }
    iconv(s->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)v, out[256];
    size_t inl = strlen(v);
    while (inl) {
        char *o = out;
        size_t ol = sizeof out;
        size_t r = iconv(s->cd, &in, &inl, &o, &ol);
        buf_add(&s->tx, out, (size_t)(o - out));
        if (r == (size_t)-1 && errno == EILSEQ) {
            buf_putc(&s->tx, '?');
            (*replaced)++;
            in++, inl--;
            while (inl && ((unsigned char)*in & 0xC0) == 0x80)
                in++, inl--;
        } else if (r == (size_t)-1 && errno == EINVAL) {
            break;
        }
    }
    return buf_str(&s->tx);
}

/* How many bytes of t (in the .dbf's encoding) fit in n without cutting a
 * character. */
static size_t fit_bytes(const char *t, size_t len, size_t n, int gbk)
{
    if (len <= n)
        return len;
    size_t k = 0;
    while (k < n) {
        unsigned char c = (unsigned char)t[k];
        size_t w = gbk ? (c >= 0x81 ? 2 : 1) : c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (k + w > n)
            break;
        k += w;
    }
    return k;
}

/* The fields: each column's id cut to 10 bytes (each once), its type and
 * size from a first pass over the rows. */
static int dbf_plan(shp *s, rows *w, geo_export_stats *st, int64_t *nrec, mr_err *e)
{
    const table *t = w->t;
    s->fl = xcalloc((size_t)(t->ncols ? t->ncols : 1), sizeof *s->fl);
    for (int ci = 0; ci < t->ncols; ci++) {
        dbf_field *f = &s->fl[ci];
        snprintf(f->name, sizeof f->name, "%.10s", t->cols[ci].id);
        for (int k = 1;; k++) {
            int clash = 0;
            for (int j = 0; j < ci && !clash; j++)
                clash = !strcasecmp(s->fl[j].name, f->name);
            if (!clash)
                break;
            snprintf(f->name, sizeof f->name, "%.7s_%u", t->cols[ci].id, (unsigned)k % 100u);
        }
        col_type ty = t->cols[ci].type;
        f->type = numeric(ty) ? 'N' : 'C';
        f->dec = ty == COL_DEC && t->cols[ci].scale > 0 ? t->cols[ci].scale : 0;
        f->len = 1;
    }
    int64_t dummy = 0;
    int rc;
    geo_export_stats keep = *st;
    while ((rc = rows_next(w, e)) == 1) {
        for (int ci = 0; ci < t->ncols; ci++) {
            dbf_field *f = &s->fl[ci];
            const char *v = cursor_val(w->c, ci);
            if (!v || !*v)
                continue;
            if (f->type == 'C') {
                size_t n = strlen(dbf_text(s, v, &dummy));
                f->len = n > 254 ? 254 : n > (size_t)f->len ? (int)n : f->len;
                continue;
            }
            char *end;
            double x = strtod(v, &end);
            if (end == v || *end || !isfinite(x))
                continue;
            if (t->cols[ci].type == COL_DEC) {
                const char *dot = strchr(v, '.');
                size_t d = dot ? strspn(dot + 1, "0123456789") : 0;
                if (!t->cols[ci].scale && (int)d > f->dec)
                    f->dec = d > 15 ? 15 : (int)d;
                char tmp[64];
                int n = snprintf(tmp, sizeof tmp, "%.0f", trunc(x));
                if (x < 0 && trunc(x) == 0)
                    n++;   /* "-0" */
                if (n + 1 > f->intlen)
                    f->intlen = n + 1;   /* room for a carry of the rounding */
            } else if ((int)strlen(v) > f->len) {
                f->len = (int)strlen(v);
            }
        }
        (*nrec)++;
    }
    *st = keep;   /* the second pass counts */
    for (int ci = 0; ci < t->ncols; ci++) {
        dbf_field *f = &s->fl[ci];
        if (t->cols[ci].type == COL_DEC)
            f->len = (f->intlen ? f->intlen : 1) + (f->dec ? f->dec + 1 : 0);
        if (f->type == 'N' && f->len > 20)   /* wider than a .dbf number holds: text */
            f->type = 'C', f->dec = 0;
    }
    return rc < 0 ? -1 : 0;
}

static void dbf_header(shp *s, const table *t, int64_t nrec, int gbk, buf *b)
{
    const char *now = edit_now();
    int y = atoi(now), m = atoi(now + 5), d = atoi(now + 8);
    int reclen = 1;
    for (int ci = 0; ci < t->ncols; ci++)
        reclen += s->fl[ci].len;
    int hlen = 32 + 32 * t->ncols + 1;
    char h[32] = {0};
    h[0] = 0x03;
    h[1] = (char)(y - 1900), h[2] = (char)m, h[3] = (char)d;
    h[4] = (char)(nrec & 0xff), h[5] = (char)(nrec >> 8 & 0xff), h[6] = (char)(nrec >> 16 & 0xff),
    h[7] = (char)(nrec >> 24 & 0xff);
    h[8] = (char)(hlen & 0xff), h[9] = (char)(hlen >> 8);
    h[10] = (char)(reclen & 0xff), h[11] = (char)(reclen >> 8);
    h[29] = gbk ? 0x4D : 0;   /* language driver: 0x4D Chinese GBK (936); UTF-8 has none (the .cpg says) */
    buf_add(b, h, 32);
    for (int ci = 0; ci < t->ncols; ci++) {
        char f[32] = {0};
        memcpy(f, s->fl[ci].name, strlen(s->fl[ci].name));
        f[11] = s->fl[ci].type;
        f[16] = (char)s->fl[ci].len;
        f[17] = (char)s->fl[ci].dec;
        buf_add(b, f, 32);
    }
    buf_putc(b, 0x0D);
}

static void dbf_record(shp *s, rows *w, geo_export_stats *st, buf *b)
{
    const table *t = w->t;
    buf_putc(b, ' ');
    for (int ci = 0; ci < t->ncols; ci++) {
        const dbf_field *f = &s->fl[ci];
        const char *v = cursor_val(w->c, ci);
        if (!v)
            v = "";
        if (f->type == 'C') {
            const char *x = dbf_text(s, v, &st->truncated);
            size_t n = strlen(x), k = fit_bytes(x, n, (size_t)f->len, s->cd != (iconv_t)-1);
            if (k < n)
                st->truncated++;
            buf_add(b, x, k);
            buf_pad(b, f->len - (int)k);
            continue;
        }
        char tmp[64];
        char *end;
        double x = *v ? strtod(v, &end) : 0;
        int n = 0;
        if (*v && end != v && !*end && isfinite(x)) {
            if (t->cols[ci].type == COL_DEC)
                n = snprintf(tmp, sizeof tmp, "%.*f", f->dec, x);
            else
                n = snprintf(tmp, sizeof tmp, "%s", v);
        }
        if (n > f->len)
            n = 0;   /* cannot happen: the first pass sized it */
        buf_pad(b, f->len - n);
        buf_add(b, tmp, (size_t)n);
    }
}

static int shp_flush(shp *s, int i, mr_err *e)
{
    if (write_all(outfile_fd(s->f[i]), s->b[i].s, s->b[i].len, outfile_name(s->f[i]), e) < 0)
        return -1;
    s->at[i] += (off_t)s->b[i].len;
    buf_reset(&s->b[i]);
    return 0;
}

/* The 100-byte header of the .shp and the .shx (bytes: the file's length). */
static void shp_header(const shp *s, off_t bytes, buf *b)
{
    buf_reset(b);
    be32(b, 9994);
    for (int i = 0; i < 5; i++)
        be32(b, 0);
    be32(b, (uint32_t)(bytes / 2));
    le32(b, 1000);
    le32(b, 5);   /* polygons */
    for (int i = 0; i < 4; i++)   /* xmin ymin xmax ymax */
        led(b, s->any ? s->box[i == 0 ? 0 : i == 1 ? 2 : i == 2 ? 1 : 3] : 0);
    for (int i = 0; i < 4; i++)
        led(b, 0);
}

static int put_shp(rows *w, int epsg, const char *path, const char *reg, int gbk, mr_err *e)
{
    shp s = {.cd = (iconv_t)-1};
    memset(s.b, 0, sizeof s.b);
    const table *t = w->t;
    size_t stem = strlen(path) - 4;
    int rc = 0;
    if (gbk && (s.cd = iconv_open("GBK", "UTF-8")) == (iconv_t)-1) {
        err_set(e, EXIT_INTERNAL, "%s", _("this system's iconv has no GBK"));
        return -1;
    }
    for (int i = 0; i < 5 && rc == 0; i++) {
        buf name = BUF_INIT;
        buf_add(&name, path, stem);
        buf_puts(&name, i == 0 ? path + stem : shp_ext[i]);
        s.f[i] = outfile_open(buf_str(&name), reg, e);
        if (!s.f[i])
            rc = -1;
        else if (outfile_in_place(s.f[i])) {
            err_set(e, EXIT_USAGE, _("%s: a shapefile is several files beside each other: give -o NAME.shp"),
                    buf_str(&name));
            rc = -1;
        }
        buf_free(&name);
    }
    char *prj = rc == 0 ? crs_wkt(epsg, 1, e) : NULL;
    if (rc == 0 && !prj)
        rc = -1;
    int64_t nrec = 0;
    if (rc == 0)
        rc = dbf_plan(&s, w, w->st, &nrec, e);
    if (rc == 0) {   /* the second pass writes */
        rows_close(w);
        rc = rows_open(w, w->d, t, w->o, e);
    }
    buf hb = BUF_INIT;
    if (rc == 0) {
        shp_header(&s, 0, &s.b[0]);   /* placeholders, written again at the end */
        shp_header(&s, 0, &s.b[1]);
        dbf_header(&s, t, nrec, gbk, &s.b[2]);
    }
    s.box[0] = s.box[2] = INFINITY;
    s.box[1] = s.box[3] = -INFINITY;
    int recno = 0;
    while (rc == 0 && (rc = rows_next(w, e)) == 1) {
        rc = 0;
        off_t off = s.at[0] + (off_t)s.b[0].len;
        buf *b = &s.b[0];
        be32(b, (uint32_t)++recno);
        if (!w->has) {
            be32(b, 2);
            le32(b, 0);   /* a null shape */
        } else {
            const gx *g = &w->g;
            int npts = 0;
            for (int ri = 0; ri < g->n; ri++)
                npts += g->r[ri].n;
            uint32_t words = (uint32_t)(4 + 32 + 4 + 4 + 4 * g->n + 16 * npts) / 2;
            be32(b, words);
            le32(b, 5);
            led(b, g->box[0]), led(b, g->box[2]), led(b, g->box[1]), led(b, g->box[3]);
            le32(b, (uint32_t)g->n);
            le32(b, (uint32_t)npts);
            /* the parts in polygon order: each exterior, then its holes */
            int *order = xmalloc(sizeof *order * (size_t)g->n), k = 0;
            for (int p = 0; p < g->npoly; p++)
                for (int ri = 0; ri < g->n; ri++)
                    if (ri == p || g->r[ri].owner == p)
                        order[k++] = ri;
            for (int i = 0, first = 0; i < k; first += g->r[order[i]].n, i++)
                le32(b, (uint32_t)first);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < 2 * g->r[order[i]].n; j++)
                    led(b, g->r[order[i]].xy[j]);
            free(order);
            s.box[0] = fmin(s.box[0], g->box[0]), s.box[1] = fmax(s.box[1], g->box[1]);
            s.box[2] = fmin(s.box[2], g->box[2]), s.box[3] = fmax(s.box[3], g->box[3]);
            s.any = 1;
        }
        be32(&s.b[1], (uint32_t)(off / 2));
        be32(&s.b[1], (uint32_t)((s.at[0] + (off_t)s.b[0].len - off) / 2 - 4));
        dbf_record(&s, w, w->st, &s.b[2]);
        for (int i = 0; i < 3 && rc == 0; i++)
            if (s.b[i].len > 1 << 16)
                rc = shp_flush(&s, i, e);
    }
    if (rc == 0)
        buf_putc(&s.b[2], 0x1A);
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = shp_flush(&s, i, e);
    for (int i = 0; i < 2 && rc == 0; i++) {
        shp_header(&s, s.at[i], &hb);
        rc = pwrite_all(outfile_fd(s.f[i]), hb.s, hb.len, 0, outfile_name(s.f[i]), e);
    }
    if (rc == 0)
        rc = write_all(outfile_fd(s.f[3]), prj, strlen(prj), outfile_name(s.f[3]), e);
    if (rc == 0) {
        const char *cpg = gbk ? "GBK" : "UTF-8";
        rc = write_all(outfile_fd(s.f[4]), cpg, strlen(cpg), outfile_name(s.f[4]), e);
    }
    for (int i = 0; i < 5; i++) {
        if (rc == 0 && s.f[i])
            rc = outfile_commit(s.f[i], e);
        else
            outfile_abort(s.f[i]);
    }
    for (int i = 0; i < 3; i++)
        buf_free(&s.b[i]);
    buf_free(&hb);
    buf_free(&s.tx);
    free(s.fl);
    free(prj);
    if (s.cd != (iconv_t)-1)
        iconv_close(s.cd);
    return rc;
}

/* ---- the entry --------------------------------------------------------------- */

int geo_export(db *d, const table *t, const char *path, geo_export_fmt fmt, const geo_export_opts *o,
               geo_export_stats *st, mr_err *e)
{
    memset(st, 0, sizeof *st);
    if (!db_has_boundary(d, t->id)) {
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
        if (rows_open(&w, d, t, o, e) < 0)
            return -1;
        rc = put_shp(&w, st->epsg, path, db_path(d), o->gbk, e);
        rows_close(&w);
        return rc;
    }
    /* the query first: a bad one leaves no empty file behind */
    if (rows_open(&w, d, t, o, e) < 0)
        return -1;
    outfile *out = outfile_open(path, db_path(d), e);
    if (!out) {
        rows_close(&w);
        return -1;
    }
    rc = fmt == GEO_EXPORT_GEOJSON ? put_geojson(&w, out, e) : put_gpkg(&w, st->epsg, out, e);
    rows_close(&w);
    if (rc < 0) {
        outfile_abort(out);
        return -1;
    }
    return outfile_commit(out, e);
}
