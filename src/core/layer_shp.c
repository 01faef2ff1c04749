/* layer_shp.c — a restriction layer from an ESRI shapefile (see layer.h).
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/text.h"

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
    unsigned char *d = layer_slurp(path, &n, &e, 0);
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

int layer_read_shp(const char *path, const layer_crs *force, layer_data *L, mr_err *e)
{
    L->format = "shp";
    if (force) {
        L->crs = *force;
    } else {
        char *prj = sibling(path, "prj");
        size_t pn = 0;
        unsigned char *w = prj ? layer_slurp(prj, &pn, e, 0) : NULL;
        free(prj);
        int ok = w && layer_crs_from_wkt((const char *)w, &L->crs) == 0;
        free(w);
        if (!ok)
            return shp_fail(e, path, 0,
                            _("its .prj is missing or names a system minreg does not take "
                              "(EPSG:4490, CGCS2000 3-degree zones EPSG:4513–4554); give --crs"));
    }
    size_t n = 0;
    unsigned char *d = layer_slurp(path, &n, e, 1);
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
