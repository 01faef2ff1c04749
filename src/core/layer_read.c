/* layer_read.c — reading restriction layers (layer.h): the systems, the
 * rings, WKB, GeoJSON coordinates, and which reader a file takes.  The GeoPackage
 * and GeoJSON documents themselves are read by the db module
 * (db_layerfile.c: SQLite opens one and parses the other).
 *
 * The ESRI shapefile is read in layer_shp.c.
 */
#include "config.h"

#include "core/layer.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <proj.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/text.h"

/* ---- systems ------------------------------------------------------------------- */

int layer_crs_from_epsg(int code, layer_crs *c)
{
    memset(c, 0, sizeof *c);
    c->epsg = code;
    if (code == 4490 || code == 4326) {
        c->geodetic = 1;
        return 0;
    }
    if (code >= 4513 && code <= 4533) {   /* CGCS2000 / 3-degree GK zone 25..45 */
        c->zone = 25 + (code - 4513);
        c->prefixed = 1;
        return 0;
    }
    if (code >= 4534 && code <= 4554) {   /* CGCS2000 / 3-degree GK CM 75E..135E */
        c->zone = 25 + (code - 4534);
        return 0;
    }
    return -1;
}

void layer_crs_name(const layer_crs *c, char out[24])
{
    snprintf(out, 24, "EPSG:%d", c->epsg);
}

int layer_crs_parse(const char *s, layer_crs *c)
{
    if (!s)
        return -1;
    if (!strcmp(s, "urn:ogc:def:crs:OGC:1.3:CRS84") || !strcasecmp(s, "CRS84") ||
        !strcmp(s, "urn:ogc:def:crs:OGC::CRS84"))
        return layer_crs_from_epsg(4326, c);
    const char *p = NULL;
    if (!strncasecmp(s, "EPSG:", 5))
        p = s + 5;
    else if (!strncmp(s, "urn:ogc:def:crs:EPSG:", 21)) {
        p = s + 21;
        while (*p && *p != ':')   /* a version, usually empty */
            p++;
        if (*p == ':')
            p++;
    } else if (isdigit((unsigned char)*s))
        p = s;
    if (!p || !isdigit((unsigned char)*p))
        return -1;
    char *end;
    long code = strtol(p, &end, 10);
    if (*end || code <= 0 || code > 999999)
        return -1;
    return layer_crs_from_epsg((int)code, c);
}

/* The WKT's own code: the last AUTHORITY["EPSG","N"] or ID["EPSG",N] of
 * the outermost object is its final one in WKT1, its first in WKT2 — so
 * take the one that closes at the outer level: the last at depth 1. */
static int wkt_own_code(const char *w)
{
    int depth = 0, code = 0;
    for (const char *p = w; *p; p++) {
        if (*p == '[' || *p == '(')
            depth++;
        else if (*p == ']' || *p == ')')
            depth--;
        else if (depth == 1 && (!strncmp(p, "AUTHORITY[", 10) || !strncmp(p, "ID[", 3))) {
            const char *q = strchr(p, '[') + 1;
            while (*q == ' ' || *q == '"')
                q++;
            if (strncasecmp(q, "EPSG", 4) == 0) {
                q += 4;
                while (*q == '"' || *q == ',' || *q == ' ')
                    q++;
                code = atoi(q);
            }
        }
    }
    return code;
}

int layer_crs_from_wkt(const char *wkt, layer_crs *c)
{
    int code = wkt_own_code(wkt);
    if (code && layer_crs_from_epsg(code, c) == 0)
        return 0;
    /* ESRI's .prj carries no code: PROJ (its proj.db) identifies it */
    PJ_CONTEXT *ctx = proj_context_create();
    if (!ctx)
        return -1;
    proj_log_level(ctx, PJ_LOG_NONE);
    int rc = -1;
    PJ *obj = proj_create(ctx, wkt);
    if (obj) {
        int *conf = NULL;
        PJ_OBJ_LIST *l = proj_identify(ctx, obj, "EPSG", NULL, &conf);
        int n = l ? proj_list_get_count(l) : 0;
        for (int i = 0; i < n && rc < 0; i++) {
            if (conf[i] < 70)
                continue;
            PJ *cand = proj_list_get(ctx, l, i);
            const char *id = cand ? proj_get_id_code(cand, 0) : NULL;
            if (id && layer_crs_from_epsg(atoi(id), c) == 0)
                rc = 0;
            proj_destroy(cand);
        }
        proj_int_list_destroy(conf);
        proj_list_destroy(l);
        proj_destroy(obj);
    }
    proj_context_destroy(ctx);
    return rc;
}

/* ---- features and rings --------------------------------------------------------------- */

layer_feat *layer_feat_new(layer_data *L, const char *label)
{
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 16;
        L->v = xrealloc(L->v, sizeof *L->v * (size_t)L->cap);
    }
    layer_feat *f = &L->v[L->n++];
    memset(f, 0, sizeof *f);
    f->fid = L->n;
    f->label = label && *label ? xstrdup(label) : NULL;
    f->s.fmt = GEO_FMT_POINTLIST;
    f->s.geodetic = L->crs.geodetic ? GEO_DEG_DECIMAL : 0;
    f->s.zone = L->crs.zone;
    f->s.parcels = xcalloc(1, sizeof *f->s.parcels);
    f->s.nparcels = f->s.cap = 1;
    f->s.parcels[0].declared_points = -1;
    return f;
}

int layer_ring_add(layer_data *L, layer_feat *f, const double *xy, int n, int hole, char *why,
                   size_t whylen)
{
    if (n >= 2 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
        n--;
    if (n < 3) {
        snprintf(why, whylen, _("a ring has fewer than 3 points"));
        return -1;
    }
    geo_parcel *p = &f->s.parcels[0];
    if (p->nrings == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        p->rings = xrealloc(p->rings, sizeof *p->rings * (size_t)p->cap);
    }
    geo_ring *r = &p->rings[p->nrings];
    memset(r, 0, sizeof *r);
    r->pts = xcalloc((size_t)n, sizeof *r->pts);
    r->cap = n;
    r->closed = 1;
    r->hole = hole;
    r->flag = hole ? -1 : 1;
    r->no = p->nrings + 1;
    for (int i = 0; i < n; i++) {
        double a = xy[2 * i], b = xy[2 * i + 1];
        geo_point *q = &r->pts[r->n];
        memset(q, 0, sizeof *q);
        if (!isfinite(a) || !isfinite(b)) {
            snprintf(why, whylen, _("point %d is not a number"), i + 1);
            goto bad;
        }
        if (L->crs.geodetic) {
            if (a < -180 || a > 180 || b < -90 || b > 90) {
                snprintf(why, whylen, _("point %d (%.9g, %.9g) is not longitude, latitude in degrees"),
                         i + 1, a, b);
                goto bad;
            }
            q->x = b, q->y = a;
            q->xdec = q->ydec = 9;
        } else {
            double east = L->crs.prefixed ? a - L->crs.zone * 1e6 : a;
            if (east < 0 || east > 1e6 || b < 0 || b > 1e7) {
                snprintf(why, whylen, _("point %d (%.2f, %.2f) is not an easting, northing of EPSG:%d"),
                         i + 1, a, b, L->crs.epsg);
                goto bad;
            }
            q->x = b, q->y = east;
            q->zone = L->crs.zone;
            q->prefixed = 1;
            q->xdec = q->ydec = 2;
        }
        r->n++;
    }
    p->nrings++;
    return 0;
bad:
    free(r->pts);
    return -1;
}

/* ---- WKB ----------------------------------------------------------------------------- */

typedef struct wkb {
    const unsigned char *p, *end;
    int le;
} wkb;

static int wkb_u32(wkb *w, uint32_t *v)
{
    if (w->end - w->p < 4)
        return -1;
    const unsigned char *b = w->p;
    *v = w->le ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
               : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
    w->p += 4;
    return 0;
}

static int wkb_f64(wkb *w, double *v)
{
    if (w->end - w->p < 8)
        return -1;
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = w->le ? w->p[i] : w->p[7 - i];
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | b[i];
    memcpy(v, &u, 8);
    w->p += 8;
    return 0;
}

/* One geometry's header: its byte order, type (1..7) and dimensions. */
static int wkb_head(wkb *w, uint32_t *type, int *dims)
{
    if (w->p >= w->end || (*w->p != 0 && *w->p != 1))
        return -1;
    w->le = *w->p++ == 1;
    uint32_t t;
    if (wkb_u32(w, &t) < 0)
        return -1;
    *dims = 2;
    if (t & 0x80000000u)   /* EWKB Z */
        (*dims)++;
    if (t & 0x40000000u)   /* EWKB M */
        (*dims)++;
    if (t & 0x20000000u) { /* EWKB SRID */
        uint32_t srid;
        if (wkb_u32(w, &srid) < 0)
            return -1;
    }
    t &= 0x0fffffffu;
    if (t >= 3000)
        *dims = 4, t -= 3000;
    else if (t >= 2000 || t >= 1000)
        *dims = 3, t %= 1000;
    *type = t;
    return 0;
}

static int wkb_polygon(layer_data *L, layer_feat *f, wkb *w, int dims, char *why, size_t whylen)
{
    uint32_t nr;
    if (wkb_u32(w, &nr) < 0 || nr > (uint32_t)(w->end - w->p) / 4) {
        snprintf(why, whylen, "%s", _("the WKB is cut short"));
        return -1;
    }
    for (uint32_t ri = 0; ri < nr; ri++) {
        uint32_t np;
        if (wkb_u32(w, &np) < 0 || (uint64_t)np * (uint64_t)dims * 8 > (uint64_t)(w->end - w->p)) {
            snprintf(why, whylen, "%s", _("the WKB is cut short"));
            return -1;
        }
        double *xy = xcalloc((size_t)np * 2 + 2, sizeof *xy);
        for (uint32_t i = 0; i < np; i++) {
            double skip;
            wkb_f64(w, &xy[2 * i]);
            wkb_f64(w, &xy[2 * i + 1]);
            for (int k = 2; k < dims; k++)
                wkb_f64(w, &skip);
        }
        int rc = layer_ring_add(L, f, xy, (int)np, ri > 0, why, whylen);
        free(xy);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int layer_wkb_add(layer_data *L, layer_feat *f, const unsigned char *p, size_t n, char *why,
                  size_t whylen)
{
    wkb w = {p, p + n, 1};
    uint32_t type;
    int dims;
    if (wkb_head(&w, &type, &dims) < 0) {
        snprintf(why, whylen, "%s", _("the geometry is not WKB"));
        return -1;
    }
    if (type == 3)
        return wkb_polygon(L, f, &w, dims, why, whylen);
    if (type != 6) {
        snprintf(why, whylen, _("a geometry of WKB type %u, not a polygon or multipolygon"), type);
        return -1;
    }
    uint32_t np;
    if (wkb_u32(&w, &np) < 0) {
        snprintf(why, whylen, "%s", _("the WKB is cut short"));
        return -1;
    }
    for (uint32_t i = 0; i < np; i++) {
        uint32_t t2;
        int d2;
        if (wkb_head(&w, &t2, &d2) < 0 || t2 != 3) {
            snprintf(why, whylen, "%s", _("a multipolygon's part is not a polygon"));
            return -1;
        }
        if (wkb_polygon(L, f, &w, d2, why, whylen) < 0)
            return -1;
    }
    return 0;
}

/* ---- GeoJSON coordinates: nested arrays of numbers ------------------------------------ */

typedef struct jc {
    const char *p;
    layer_data *L;
    layer_feat *f;
    char *why;
    size_t whylen;
} jc;

static void ws(jc *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
        j->p++;
}

static int expect(jc *j, char ch)
{
    ws(j);
    if (*j->p != ch) {
        snprintf(j->why, j->whylen, _("the coordinates are not arrays of numbers (at '%.10s')"), j->p);
        return -1;
    }
    j->p++;
    return 0;
}

/* [[x,y],…] — one ring */
static int json_ring(jc *j, int hole)
{
    if (expect(j, '[') < 0)
        return -1;
    double *xy = NULL;
    int n = 0, cap = 0;
    ws(j);
    while (*j->p != ']') {
        if (n && expect(j, ',') < 0)
            goto bad;
        if (expect(j, '[') < 0)
            goto bad;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            xy = xrealloc(xy, sizeof *xy * 2 * (size_t)cap);
        }
        for (int k = 0;; k++) {
            ws(j);
            char *end;
            errno = 0;
            double v = strtod(j->p, &end);
            if (end == j->p) {
                snprintf(j->why, j->whylen, _("a position holds something other than a number (at '%.10s')"), j->p);
                goto bad;
            }
            j->p = end;
            if (k < 2)
                xy[2 * n + k] = v;
            ws(j);
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p == ']' && k >= 1) {
                j->p++;
                break;
            }
            snprintf(j->why, j->whylen, "%s", _("a position has fewer than 2 numbers"));
            goto bad;
        }
        n++;
        ws(j);
    }
    j->p++;
    int rc = layer_ring_add(j->L, j->f, xy ? xy : (double[2]){0, 0}, n, hole, j->why, j->whylen);
    free(xy);
    return rc;
bad:
    free(xy);
    return -1;
}

/* [ring, ring…] — one polygon, its first ring the outer one */
static int json_polygon(jc *j)
{
    if (expect(j, '[') < 0)
        return -1;
    ws(j);
    for (int i = 0; *j->p != ']'; i++) {
        if (i && expect(j, ',') < 0)
            return -1;
        if (json_ring(j, i > 0) < 0)
            return -1;
        ws(j);
    }
    j->p++;
    return 0;
}

int layer_json_add(layer_data *L, layer_feat *f, const char *type, const char *coords, char *why,
                   size_t whylen)
{
    jc j = {coords ? coords : "", L, f, why, whylen};
    if (!type || (strcmp(type, "Polygon") && strcmp(type, "MultiPolygon"))) {
        snprintf(why, whylen, _("a geometry of type %s, not a Polygon or MultiPolygon"),
                 type ? type : "(none)");
        return -1;
    }
    if (!strcmp(type, "Polygon")) {
        if (json_polygon(&j) < 0)
            return -1;
    } else {
        if (expect(&j, '[') < 0)
            return -1;
        ws(&j);
        for (int i = 0; *j.p != ']'; i++) {
            if (i && expect(&j, ',') < 0)
                return -1;
            if (json_polygon(&j) < 0)
                return -1;
            ws(&j);
        }
    }
    if (f->s.parcels[0].nrings == 0) {
        snprintf(why, whylen, "%s", _("the geometry has no ring"));
        return -1;
    }
    return 0;
}

/* ---- the reader -------------------------------------------------------------------------- */

unsigned char *layer_slurp(const char *path, size_t *n, mr_err *e, int must)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (must)
            err_set(e, EXIT_IO, _("%s: cannot open: %s"), path, strerror(errno));
        return NULL;
    }
    buf b = BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_add(&b, chunk, k);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        err_set(e, EXIT_IO, _("%s: cannot read: %s"), path, strerror(EIO));
        buf_free(&b);
        return NULL;
    }
    *n = b.len;
    if (!b.s)
        return (unsigned char *)xstrdup("");
    return (unsigned char *)buf_steal(&b);
}

static int ends_with(const char *s, const char *ext)
{
    size_t n = strlen(s), k = strlen(ext);
    return n > k && strcasecmp(s + n - k, ext) == 0;
}

int layer_read(const char *path, const char *crs, layer_data *out, mr_err *e)
{
    memset(out, 0, sizeof *out);
    layer_crs force;
    if (crs && layer_crs_parse(crs, &force) < 0) {
        err_set(e, EXIT_USAGE,
                _("--crs %s: not a system minreg takes (EPSG:4490, 4326, 4513–4554)"), crs);
        return -1;
    }
    const layer_crs *fp = crs ? &force : NULL;
    int rc;
    if (ends_with(path, ".shp")) {
        rc = layer_read_shp(path, fp, out, e);
    } else if (ends_with(path, ".gpkg")) {
        rc = db_layer_read_gpkg(path, fp, out, e);
    } else {
        size_t n = 0;
        unsigned char *d = layer_slurp(path, &n, e, 1);
        if (!d)
            return -1;
        if (n >= 16 && memcmp(d, "SQLite format 3", 16) == 0) {
            free(d);
            rc = db_layer_read_gpkg(path, fp, out, e);
        } else if (strlen((const char *)d) != n) {
            free(d);
            err_set(e, EXIT_DATA, _("%s: not GeoJSON, a GeoPackage (.gpkg) or a shapefile (.shp)"), path);
            rc = -1;
        } else {
            rc = db_layer_read_geojson(path, (const char *)d, fp, out, e);
            free(d);
        }
    }
    if (rc == 0 && out->n == 0) {
        err_set(e, EXIT_DATA, _("%s: no polygon features"), path);
        rc = -1;
    }
    if (rc < 0)
        layer_data_free(out);
    return rc;
}

void layer_data_free(layer_data *L)
{
    for (int i = 0; i < L->n; i++) {
        free(L->v[i].label);
        geo_shape_free(&L->v[i].s);
    }
    free(L->v);
    memset(L, 0, sizeof *L);
}
