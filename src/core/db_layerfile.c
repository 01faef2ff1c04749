/* db_layerfile.c — the layer files SQLite reads (layer.h): a GeoPackage is
 * an SQLite database (OGC 12-128r18), and a GeoJSON document is parsed by
 * SQLite's JSON functions in a private in-memory database, so no second
 * JSON parser is carried.  Part of the db module: the only SQL outside the
 * register.
 *
 * GeoPackage: the feature table of gpkg_geometry_columns (the first, by
 * name, when there are several — named in the message), its system from
 * gpkg_spatial_ref_sys (an EPSG organization code, else its WKT
 * identified), each row's geometry a GP blob: 'G','P', version, flags
 * (bit 0 byte order, bits 1–3 the envelope's kind: 0 none, 1 32 bytes,
 * 2–3 48, 4 64; bit 4 empty), srs_id, the envelope, then WKB.
 */
#include "config.h"

#include "db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "layer.h"

static int fail(mr_err *e, const char *path, int fid, const char *why)
{
    if (fid > 0)
        err_set(e, EXIT_DATA, _("%s: feature %d: %s"), path, fid, why);
    else
        err_set(e, EXIT_DATA, "%s: %s", path, why);
    return -1;
}

static const char *const label_names[] = {"name", "NAME", "Name", "名称", "MC", "mc", "zone_name"};

/* ---- GeoJSON ------------------------------------------------------------------------ */

int db_layer_read_geojson(const char *path, const char *text, const layer_crs *force,
                          layer_data *out, mr_err *e)
{
    out->format = "geojson";
    sqlite3 *m = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    char why[256];
    if (sqlite3_open_v2(":memory:", &m, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
        err_set(e, EXIT_INTERNAL, "%s", _("cannot open an in-memory database"));
        goto out;
    }
    if (sqlite3_prepare_v2(m, "SELECT json_valid(?1), json_extract(?1, '$.type'),"
                              " json_extract(?1, '$.crs.properties.name')", -1, &st, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW || !sqlite3_column_int(st, 0)) {
        fail(e, path, 0, _("not valid JSON"));
        goto out;
    }
    const char *type = (const char *)sqlite3_column_text(st, 1);
    int collection = type && !strcmp(type, "FeatureCollection");
    if (!collection && !(type && !strcmp(type, "Feature"))) {
        snprintf(why, sizeof why, _("a GeoJSON %s, not a FeatureCollection or Feature"),
                 type ? type : _("document without a type"));
        fail(e, path, 0, why);
        goto out;
    }
    if (force) {
        out->crs = *force;
    } else if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
        const char *crs = (const char *)sqlite3_column_text(st, 2);
        if (layer_crs_parse(crs, &out->crs) < 0) {
            snprintf(why, sizeof why,
                     _("its crs %s is not one minreg takes (EPSG:4490, 4326, 4513–4554)"), crs);
            fail(e, path, 0, why);
            goto out;
        }
    } else {
        layer_crs_from_epsg(4326, &out->crs);   /* RFC 7946: WGS 84 degrees */
    }
    sqlite3_finalize(st);
    st = NULL;
    buf q = BUF_INIT;
    buf_puts(&q, collection ? "SELECT json_extract(value, '$.type'), json_extract(value, '$.geometry.type'),"
                              " json_extract(value, '$.geometry.coordinates')"
                            : "SELECT json_extract(?1, '$.type'), json_extract(?1, '$.geometry.type'),"
                              " json_extract(?1, '$.geometry.coordinates')");
    for (size_t i = 0; i < sizeof label_names / sizeof *label_names; i++)
        buf_printf(&q, ", json_extract(%s, '$.properties.\"%s\"')", collection ? "value" : "?1",
                   label_names[i]);
    buf_puts(&q, collection ? " FROM json_each(?1, '$.features') ORDER BY key" : "");
    int prc = sqlite3_prepare_v2(m, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    if (prc != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    int fid = 0, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        fid++;
        const char *ft = (const char *)sqlite3_column_text(st, 0);
        if (!ft || strcmp(ft, "Feature")) {
            fail(e, path, fid, _("not a Feature"));
            goto out;
        }
        const char *label = NULL;
        for (int k = 3; k < sqlite3_column_count(st) && !label; k++)
            if (sqlite3_column_type(st, k) == SQLITE_TEXT)
                label = (const char *)sqlite3_column_text(st, k);
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            fail(e, path, fid, _("no geometry"));
            goto out;
        }
        layer_feat *f = layer_feat_new(out, label);
        f->fid = fid;
        if (layer_json_add(out, f, (const char *)sqlite3_column_text(st, 1),
                           (const char *)sqlite3_column_text(st, 2), why, sizeof why) < 0) {
            fail(e, path, fid, why);
            goto out;
        }
    }
    if (src != SQLITE_DONE)
        goto sqlfail;
    rc = 0;
    goto out;
sqlfail:
    fail(e, path, 0, sqlite3_errmsg(m));
out:
    sqlite3_finalize(st);
    sqlite3_close(m);
    return rc;
}

/* ---- GeoPackage ------------------------------------------------------------------------ */

int db_layer_read_gpkg(const char *path, const layer_crs *force, layer_data *out, mr_err *e)
{
    out->format = "gpkg";
    sqlite3 *g = NULL;
    sqlite3_stmt *st = NULL;
    char *tname = NULL, *gcol = NULL, *lcol = NULL;
    int rc = -1;
    char why[300];
    buf uri = BUF_INIT;
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        err_set(e, EXIT_IO, _("%s: cannot open"), path);
        return -1;
    }
    fclose(probe);
    if (sqlite3_open_v2(path, &g, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fail(e, path, 0, _("cannot be opened as a GeoPackage"));
        goto out;
    }
    if (sqlite3_prepare_v2(g, "SELECT c.table_name, c.column_name, c.srs_id, s.organization,"
                              " s.organization_coordsys_id, s.definition"
                              " FROM gpkg_geometry_columns c"
                              " LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = c.srs_id"
                              " ORDER BY c.table_name",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        fail(e, path, 0, _("not a GeoPackage with a feature table (no gpkg_geometry_columns row)"));
        goto out;
    }
    tname = xstrdup((const char *)sqlite3_column_text(st, 0));
    gcol = xstrdup((const char *)sqlite3_column_text(st, 1));
    if (force) {
        out->crs = *force;
    } else {
        const char *org = (const char *)sqlite3_column_text(st, 3);
        int code = sqlite3_column_int(st, 4);
        const char *def = (const char *)sqlite3_column_text(st, 5);
        int ok = org && !strcasecmp(org, "EPSG") && layer_crs_from_epsg(code, &out->crs) == 0;
        if (!ok && def && layer_crs_from_wkt(def, &out->crs) == 0)
            ok = 1;
        if (!ok) {
            snprintf(why, sizeof why,
                     _("table %s: its coordinate system, srs_id %d, is not one minreg takes (EPSG:4490, 4513–4554)"),
                     tname, sqlite3_column_int(st, 2));
            fail(e, path, 0, why);
            goto out;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    /* a name column, if the table has one */
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT name FROM pragma_table_info(?1)");
    if (sqlite3_prepare_v2(g, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, tname, -1, SQLITE_STATIC);
        while (!lcol && sqlite3_step(st) == SQLITE_ROW)
            for (size_t i = 0; i < sizeof label_names / sizeof *label_names; i++)
                if (!strcmp((const char *)sqlite3_column_text(st, 0), label_names[i]))
                    lcol = xstrdup(label_names[i]);
    }
    sqlite3_finalize(st);
    st = NULL;
    buf_reset(&q);
    buf_puts(&q, "SELECT ");
    put_ident(&q, gcol);
    buf_puts(&q, ", ");
    if (lcol)
        put_ident(&q, lcol);
    else
        buf_puts(&q, "NULL");
    buf_puts(&q, " FROM ");
    put_ident(&q, tname);
    buf_puts(&q, " ORDER BY rowid");
    int prc = sqlite3_prepare_v2(g, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    if (prc != SQLITE_OK) {
        fail(e, path, 0, sqlite3_errmsg(g));
        goto out;
    }
    int fid = 0, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        fid++;
        const unsigned char *b = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (!b) {
            continue;   /* a row without a geometry: no feature */
        }
        if (n < 8 || b[0] != 'G' || b[1] != 'P') {
            fail(e, path, fid, _("its geometry is not a GeoPackage blob (no 'GP')"));
            goto out;
        }
        int flags = b[3], env = (flags >> 1) & 7;
        size_t envlen = env == 0 ? 0 : env == 1 ? 32 : env <= 3 ? 48 : env == 4 ? 64 : (size_t)-1;
        if (envlen == (size_t)-1 || 8 + envlen > n) {
            fail(e, path, fid, _("its GeoPackage blob header is damaged"));
            goto out;
        }
        if (flags & 0x10)
            continue;   /* an empty geometry */
        const char *label = sqlite3_column_type(st, 1) == SQLITE_TEXT ? (const char *)sqlite3_column_text(st, 1) : NULL;
        layer_feat *f = layer_feat_new(out, label);
        f->fid = fid;
        if (layer_wkb_add(out, f, b + 8 + envlen, n - 8 - envlen, why, sizeof why) < 0) {
            fail(e, path, fid, why);
            goto out;
        }
    }
    if (src != SQLITE_DONE) {
        fail(e, path, 0, sqlite3_errmsg(g));
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    sqlite3_close(g);
    free(tname);
    free(gcol);
    free(lcol);
    buf_free(&uri);
    return rc;
}
