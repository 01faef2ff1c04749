/* geo_export_shp.c — the shapefile of geo_export.h: .shp and .shx
 * (ESRI Shapefile Technical Description, 1998: polygons, exterior rings
 * clockwise), .dbf (dBase III, sized by a first pass over the rows), .prj
 * (the zone's ESRI WKT from PROJ) and .cpg (the .dbf's encoding).  The .shp
 * and .shx headers hold the files' lengths and box, known only at the end:
 * they are written last, over the placeholders, which is why a shapefile is
 * never written in place (a device, a FIFO). */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/edit.h"
#include "core/geo_export_int.h"
#include "core/i18n.h"
#include "core/outfile.h"

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
        f->type = gx_numeric(ty) ? 'N' : 'C';
        f->dec = ty == COL_DEC && t->cols[ci].scale > 0 ? t->cols[ci].scale : 0;
        f->len = 1;
    }
    int64_t dummy = 0;
    int rc;
    geo_export_stats keep = *st;
    while ((rc = gxr_next(w, e)) == 1) {
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
    if (gx_write_all(outfile_fd(s->f[i]), s->b[i].s, s->b[i].len, outfile_name(s->f[i]), e) < 0)
        return -1;
    s->at[i] += (off_t)s->b[i].len;
    buf_reset(&s->b[i]);
    return 0;
}

/* The 100-byte header of the .shp and the .shx (bytes: the file's length). */
static void shp_header(const shp *s, off_t bytes, buf *b)
{
    buf_reset(b);
    gx_be32(b, 9994);
    for (int i = 0; i < 5; i++)
        gx_be32(b, 0);
    gx_be32(b, (uint32_t)(bytes / 2));
    gx_le32(b, 1000);
    gx_le32(b, 5);   /* polygons */
    for (int i = 0; i < 4; i++)   /* xmin ymin xmax ymax */
        gx_led(b, s->any ? s->box[i == 0 ? 0 : i == 1 ? 2 : i == 2 ? 1 : 3] : 0);
    for (int i = 0; i < 4; i++)
        gx_led(b, 0);
}

int gx_put_shp(rows *w, int epsg, const char *path, const char *reg, int gbk, mr_err *e)
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
    char *prj = rc == 0 ? gx_crs_wkt(epsg, 1, e) : NULL;
    if (rc == 0 && !prj)
        rc = -1;
    int64_t nrec = 0;
    if (rc == 0)
        rc = dbf_plan(&s, w, w->st, &nrec, e);
    if (rc == 0) {   /* the second pass writes */
        gxr_close(w);
        rc = gxr_open(w, w->d, t, w->o, e);
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
    while (rc == 0 && (rc = gxr_next(w, e)) == 1) {
        rc = 0;
        off_t off = s.at[0] + (off_t)s.b[0].len;
        buf *b = &s.b[0];
        gx_be32(b, (uint32_t)++recno);
        if (!w->has) {
            gx_be32(b, 2);
            gx_le32(b, 0);   /* a null shape */
        } else {
            const gx *g = &w->g;
            int npts = 0;
            for (int ri = 0; ri < g->n; ri++)
                npts += g->r[ri].n;
            uint32_t words = (uint32_t)(4 + 32 + 4 + 4 + 4 * g->n + 16 * npts) / 2;
            gx_be32(b, words);
            gx_le32(b, 5);
            gx_led(b, g->box[0]), gx_led(b, g->box[2]), gx_led(b, g->box[1]), gx_led(b, g->box[3]);
            gx_le32(b, (uint32_t)g->n);
            gx_le32(b, (uint32_t)npts);
            /* the parts in polygon order: each exterior, then its holes */
            int *order = xmalloc(sizeof *order * (size_t)g->n), k = 0;
            for (int p = 0; p < g->npoly; p++)
                for (int ri = 0; ri < g->n; ri++)
                    if (ri == p || g->r[ri].owner == p)
                        order[k++] = ri;
            for (int i = 0, first = 0; i < k; first += g->r[order[i]].n, i++)
                gx_le32(b, (uint32_t)first);
            for (int i = 0; i < k; i++)
                for (int j = 0; j < 2 * g->r[order[i]].n; j++)
                    gx_led(b, g->r[order[i]].xy[j]);
            free(order);
            s.box[0] = fmin(s.box[0], g->box[0]), s.box[1] = fmax(s.box[1], g->box[1]);
            s.box[2] = fmin(s.box[2], g->box[2]), s.box[3] = fmax(s.box[3], g->box[3]);
            s.any = 1;
        }
        gx_be32(&s.b[1], (uint32_t)(off / 2));
        gx_be32(&s.b[1], (uint32_t)((s.at[0] + (off_t)s.b[0].len - off) / 2 - 4));
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
        rc = gx_pwrite_all(outfile_fd(s.f[i]), hb.s, hb.len, 0, outfile_name(s.f[i]), e);
    }
    if (rc == 0)
        rc = gx_write_all(outfile_fd(s.f[3]), prj, strlen(prj), outfile_name(s.f[3]), e);
    if (rc == 0) {
        const char *cpg = gbk ? "GBK" : "UTF-8";
        rc = gx_write_all(outfile_fd(s.f[4]), cpg, strlen(cpg), outfile_name(s.f[4]), e);
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

