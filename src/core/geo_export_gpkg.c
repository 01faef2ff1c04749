/* geo_export_gpkg.c — records with their boundaries as a GeoPackage (see
 * geo_export.h): made in a scratch SQLite file (db_gpkg.c: its tables,
 * gpkg_contents, the CRS's WKT from PROJ) and copied into the output. */
#include "config.h"

#include "core/geo_export_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/db_gpkg.h"
#include "core/edit.h"
#include "core/export.h"
#include "core/i18n.h"
#include "core/outfile.h"

/* The GeoPackage geometry: 'GP', version 0, flags (little-endian, an xy
 * envelope), the srs id, the envelope, then WKB MultiPolygon. */
static void gp_blob(const gx *g, int srs, buf *b)
{
    buf_reset(b);
    buf_add(b, "GP\0\x03", 4);   /* flags 0b00000011: envelope [minx,maxx,miny,maxy], LE */
    gx_le32(b, (uint32_t)srs);
    for (int i = 0; i < 4; i++)
        gx_led(b, g->box[i]);
    buf_putc(b, 1);
    gx_le32(b, 6);                  /* wkbMultiPolygon */
    gx_le32(b, (uint32_t)g->npoly);
    for (int p = 0; p < g->npoly; p++) {
        int nr = 1;
        for (int ri = g->npoly; ri < g->n; ri++)
            nr += g->r[ri].owner == p;
        buf_putc(b, 1);
        gx_le32(b, 3);              /* wkbPolygon */
        gx_le32(b, (uint32_t)nr);
        for (int ri = 0; ri < g->n; ri++) {
            const gring *r = &g->r[ri];
            if (ri != p && r->owner != p)
                continue;
            gx_le32(b, (uint32_t)r->n);
            for (int i = 0; i < 2 * r->n; i++)
                gx_led(b, r->xy[i]);
        }
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

int gx_put_gpkg(rows *w, int epsg, outfile *out, mr_err *e)
{
    const table *t = w->t;
    char *wkt = gx_crs_wkt(epsg, 0, e), *wgs = wkt ? gx_crs_wkt(4326, 0, e) : NULL;
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
    while (rc == 0 && (rc = gxr_next(w, e)) == 1) {
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
        rc = outfile_copy_in(out, sfd, e);
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
