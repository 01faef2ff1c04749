/* layer_read.c — reading restriction layers (layer.h): the systems, the
 * rings, WKB, GeoJSON coordinates and the ESRI shapefile.  The GeoPackage
 * and GeoJSON documents themselves are read by the db module
 * (db_layerfile.c: SQLite opens one and parses the other).
 *
 * The shapefile is read as the ESRI Shapefile Technical Description (July
 * 1998) lays it out: a 100-byte header (file code 9994 and length big-
 * endian, version 1000 and shape type little-endian), then records, each
 * a big-endian number and length (in 16-bit words) and a little-endian
 * content: type 5 (Polygon), 15 (PolygonZ) or 25 (PolygonM) with box,
 * parts, points; 0 a null shape.  Rings whose points run clockwise are
 * outer rings, counter-clockwise ones holes.  The .dbf (dBASE III) gives a
 * feature's name from a NAME/名称/MC field, in the .cpg's encoding (UTF-8
 * or GBK; GBK when the bytes are not UTF-8 and no .cpg says).
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

/* ---- the shapefile ------------------------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *n, mr_err *e, int must)
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

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static double le64f(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | p[i];
    double v;
    memcpy(&v, &u, 8);
    return v;
}

/* The sibling file of a .shp with extension ext (either case), or NULL. */
static char *sibling(const char *shp, const char *ext)
{
    size_t n = strlen(shp);
    char *p = xmalloc(n + 1);
    memcpy(p, shp, n + 1);
    for (int up = 0; up < 2; up++) {
        for (int i = 0; i < 3; i++)
            p[n - 3 + i] = up ? (char)toupper((unsigned char)ext[i]) : ext[i];
        FILE *f = fopen(p, "rb");
        if (f) {
            fclose(f);
            return p;
        }
    }
    free(p);
    return NULL;
}

/* The .dbf's name field of each record (NULL: none), in UTF-8. */
static char **dbf_labels(const char *shp, int *nrec)
{
    *nrec = 0;
    char *path = sibling(shp, "dbf");
    if (!path)
        return NULL;
    size_t n = 0;
    mr_err e = {0};
    unsigned char *d = slurp(path, &n, &e, 0);
    free(path);
    if (!d || n < 32) {
        free(d);
        return NULL;
    }
    uint32_t nr = le32(d + 4);
    unsigned hsize = d[8] | d[9] << 8, rsize = d[10] | d[11] << 8;
    int off = 1, name_off = -1, name_len = 0;
    for (size_t at = 32; at + 32 <= hsize && at < n && d[at] != 0x0d; at += 32) {
        char fname[12];
        memcpy(fname, d + at, 11);
        fname[11] = 0;
        int len = d[at + 16];
        if (name_off < 0 && (!strcasecmp(fname, "NAME") || !strcmp(fname, "名称") ||
                             !strcasecmp(fname, "MC") || !strcasecmp(fname, "ZONE_NAME")))
            name_off = off, name_len = len;
        off += len;
    }
    if (name_off < 0 || (uint64_t)hsize + (uint64_t)nr * rsize > n) {
        free(d);
        return NULL;
    }
    /* the encoding: the .cpg's, else UTF-8 when the bytes are, else GBK */
    char *cpgp = sibling(shp, "cpg");
    char enc[32] = "";
    if (cpgp) {
        FILE *f = fopen(cpgp, "rb");
        if (f) {
            if (fgets(enc, sizeof enc, f))
                enc[strcspn(enc, "\r\n ")] = 0;
            fclose(f);
        }
        free(cpgp);
    }
    char **out = xcalloc(nr ? nr : 1, sizeof *out);
    for (uint32_t i = 0; i < nr; i++) {
        const unsigned char *r = d + hsize + (size_t)i * rsize + name_off;
        int len = name_len;
        while (len > 0 && (r[len - 1] == ' ' || r[len - 1] == 0))
            len--;
        const unsigned char *s = r;
        while (len > 0 && *s == ' ')
            s++, len--;
        if (!len)
            continue;
        int gbk = enc[0] ? (!strcasecmp(enc, "GBK") || !strcasecmp(enc, "CP936") ||
                            !strcmp(enc, "936") || !strcasecmp(enc, "GB2312") || !strcasecmp(enc, "GB18030"))
                         : !utf8_valid((const char *)s, (size_t)len, NULL);
        if (!gbk) {
            out[i] = xstrndup((const char *)s, (size_t)len);
            continue;
        }
        iconv_t cd = iconv_open("UTF-8", "GB18030");
        if (cd == (iconv_t)-1)
            continue;
        char *in = (char *)s, *o = xmalloc((size_t)len * 2 + 1), *op = o;
        size_t il = (size_t)len, ol = (size_t)len * 2;
        if (iconv(cd, &in, &il, &op, &ol) == (size_t)-1) {
            free(o);
        } else {
            *op = 0;
            out[i] = o;
        }
        iconv_close(cd);
    }
    *nrec = (int)nr;
    free(d);
    return out;
}

/* Twice the signed area of a ring in (x east, y north): < 0 clockwise. */
static double ring_sign(const double *xy, int n)
{
    double a = 0;
    for (int i = 0; i < n; i++) {
        int k = (i + 1) % n;
        a += xy[2 * i] * xy[2 * k + 1] - xy[2 * k] * xy[2 * i + 1];
    }
    return a;
}

static int shp_fail(mr_err *e, const char *path, int rec, const char *why)
{
    if (rec > 0)
        err_set(e, EXIT_DATA, _("%s: feature %d: %s"), path, rec, why);
    else
        err_set(e, EXIT_DATA, "%s: %s", path, why);
    return -1;
}

static int read_shp(const char *path, const layer_crs *force, layer_data *L, mr_err *e)
{
    L->format = "shp";
    if (force) {
        L->crs = *force;
    } else {
        char *prj = sibling(path, "prj");
        size_t pn = 0;
        unsigned char *w = prj ? slurp(prj, &pn, e, 0) : NULL;
        free(prj);
        int ok = w && layer_crs_from_wkt((const char *)w, &L->crs) == 0;
        free(w);
        if (!ok)
            return shp_fail(e, path, 0,
                            _("its .prj is missing or names a system minreg does not take "
                              "(EPSG:4490, CGCS2000 3-degree zones EPSG:4513–4554); give --crs"));
    }
    size_t n = 0;
    unsigned char *d = slurp(path, &n, e, 1);
    if (!d)
        return -1;
    int rc = -1;
    char why[256];
    int nlab = 0;
    char **labels = NULL;
    if (n < 100 || be32(d) != 9994 || le32(d + 28) != 1000) {
        shp_fail(e, path, 0, _("not an ESRI shapefile (no file code 9994, version 1000)"));
        goto out;
    }
    uint32_t st = le32(d + 32);
    if (st != 5 && st != 15 && st != 25 && st != 0) {
        snprintf(why, sizeof why, _("shape type %u, not polygons (5, 15, 25)"), st);
        shp_fail(e, path, 0, why);
        goto out;
    }
    labels = dbf_labels(path, &nlab);
    size_t at = 100, end = (size_t)be32(d + 24) * 2;
    if (end > n)
        end = n;
    for (int rec = 1; at < end; rec++) {
        if (end - at < 8) {
            shp_fail(e, path, rec, _("the record header is cut short"));
            goto out;
        }
        size_t len = (size_t)be32(d + at + 4) * 2;
        const unsigned char *c = d + at + 8;
        if (len > end - at - 8 || len < 4) {
            shp_fail(e, path, rec, _("the record is cut short"));
            goto out;
        }
        at += 8 + len;
        uint32_t t = le32(c);
        if (t == 0)
            continue;   /* a null shape: no feature */
        if (t != 5 && t != 15 && t != 25) {
            snprintf(why, sizeof why, _("shape type %u, not a polygon"), t);
            shp_fail(e, path, rec, why);
            goto out;
        }
        if (len < 44) {
            shp_fail(e, path, rec, _("the record is cut short"));
            goto out;
        }
        uint32_t np = le32(c + 36), npt = le32(c + 40);
        if ((uint64_t)44 + (uint64_t)np * 4 + (uint64_t)npt * 16 > len || np == 0) {
            shp_fail(e, path, rec, _("its parts and points do not fit the record"));
            goto out;
        }
        layer_feat *f = layer_feat_new(L, rec <= nlab && labels ? labels[rec - 1] : NULL);
        f->fid = rec;
        const unsigned char *pts = c + 44 + (size_t)np * 4;
        for (uint32_t k = 0; k < np; k++) {
            uint32_t a = le32(c + 44 + k * 4), b = k + 1 < np ? le32(c + 44 + (k + 1) * 4) : npt;
            if (a >= b || b > npt) {
                shp_fail(e, path, rec, _("its parts are out of order"));
                goto out;
            }
            int cnt = (int)(b - a);
            double *xy = xcalloc((size_t)cnt * 2, sizeof *xy);
            for (int i = 0; i < cnt; i++) {
                xy[2 * i] = le64f(pts + (size_t)(a + (uint32_t)i) * 16);
                xy[2 * i + 1] = le64f(pts + (size_t)(a + (uint32_t)i) * 16 + 8);
            }
            int hole = ring_sign(xy, cnt) > 0;   /* counter-clockwise: a hole */
            int r2 = layer_ring_add(L, f, xy, cnt, hole, why, sizeof why);
            free(xy);
            if (r2 < 0) {
                shp_fail(e, path, rec, why);
                goto out;
            }
        }
    }
    rc = 0;
out:
    for (int i = 0; i < nlab; i++)
        free(labels[i]);
    free(labels);
    free(d);
    return rc;
}

/* ---- the reader -------------------------------------------------------------------------- */

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
        rc = read_shp(path, fp, out, e);
    } else if (ends_with(path, ".gpkg")) {
        rc = db_layer_read_gpkg(path, fp, out, e);
    } else {
        size_t n = 0;
        unsigned char *d = slurp(path, &n, e, 1);
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
