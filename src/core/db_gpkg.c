/* db_gpkg.c — a GeoPackage written through SQLite (db_gpkg.h).
 *
 * What OGC 12-128r15 (GeoPackage 1.2) asks of a file with one feature
 * layer, and what QGIS reads:
 *   - application_id 'GPKG' (0x47504B47) and user_version 10200;
 *   - gpkg_spatial_ref_sys with its three required rows (EPSG:4326,
 *     undefined Cartesian -1, undefined geographic 0) and the layer's CRS;
 *   - gpkg_contents (data_type 'features', the extent) and
 *     gpkg_geometry_columns (MULTIPOLYGON, no z, no m);
 *   - the feature table: fid INTEGER PRIMARY KEY, geom (GeoPackage binary:
 *     the 'GP' header with an envelope, then little-endian WKB), then the
 *     attributes;
 *   - the R*Tree spatial index extension (gpkg_extensions row, the
 *     rtree_<table>_geom virtual table filled with each feature's box, and
 *     the spec's seven triggers that keep it in step with later edits).
 * One transaction; the scratch file is the caller's (geo_export.c copies it
 * into the output).
 */
#include "config.h"

#include "db_gpkg.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "i18n.h"

struct gpkg {
    sqlite3 *h;
    sqlite3_stmt *ins, *box;
    char *name;
    int ncols;
    gpkg_type *types;
    double ext[4];
    int have_ext;
    char *path;
};

static int gfail(gpkg *g, mr_err *e, const char *what)
{
    err_set(e, sqlite3_errcode(g->h) == SQLITE_FULL || (sqlite3_errcode(g->h) & 0xff) == SQLITE_IOERR
                   ? EXIT_IO
                   : EXIT_INTERNAL,
            _("cannot write the GeoPackage (%s): %s"), what, sqlite3_errmsg(g->h));
    return -1;
}

static int exec(gpkg *g, const char *sql, mr_err *e)
{
    if (sqlite3_exec(g->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return gfail(g, e, "schema");
    return 0;
}

int db_shape_zones(db *d, const char *tbl, int64_t counts[121], mr_err *e)
{
    memset(counts, 0, sizeof(int64_t) * 121);
    sqlite3_stmt *st = stmt_cached(d, "SELECT zone, count(*) FROM minreg_shapes WHERE tbl = ?1 GROUP BY zone");
    if (!st)
        return db_error(d, e, tbl);
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int z = sqlite3_column_int(st, 0);
        if (z >= 0 && z <= 120)
            counts[z] += sqlite3_column_int64(st, 1);
    }
    if (rc != SQLITE_DONE) {
        db_error(d, e, tbl);
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

static void srs_row(gpkg *g, const char *name, int id, const char *org, int code, const char *def,
                    const char *desc, mr_err *e, int *rc)
{
    if (*rc)
        return;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(g->h,
                           "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization,"
                           " organization_coordsys_id, definition, description) VALUES (?1,?2,?3,?4,?5,?6)",
                           -1, &st, NULL) != SQLITE_OK) {
        *rc = gfail(g, e, "gpkg_spatial_ref_sys");
        return;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, id);
    sqlite3_bind_text(st, 3, org, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, code);
    sqlite3_bind_text(st, 5, def, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, desc, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        *rc = gfail(g, e, "gpkg_spatial_ref_sys");
    sqlite3_finalize(st);
}

gpkg *gpkg_create(const char *path, const gpkg_layer *l, mr_err *e)
{
    gpkg *g = xcalloc(1, sizeof *g);
    g->name = xstrdup(l->name);
    g->path = xstrdup(path);
    g->ncols = l->ncols;
    g->types = xmalloc(sizeof *g->types * (size_t)(l->ncols ? l->ncols : 1));
    memcpy(g->types, l->types, sizeof *g->types * (size_t)l->ncols);
    if (sqlite3_open_v2(path, &g->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        err_set(e, EXIT_IO, _("cannot write the GeoPackage %s: %s"), path,
                g->h ? sqlite3_errmsg(g->h) : "out of memory");
        gpkg_abort(g);
        return NULL;
    }
    /* a scratch file: no journal to keep, nothing to sync before the copy */
    int rc = exec(g, "PRAGMA application_id = 1196444487; PRAGMA user_version = 10200;"
                     " PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;"
                     "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER"
                     " PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,"
                     " definition TEXT NOT NULL, description TEXT);"
                     "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT"
                     " NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME"
                     " NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE,"
                     " max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY"
                     " (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));"
                     "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT"
                     " NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,"
                     " m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),"
                     " CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY"
                     " (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY"
                     " (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));"
                     "CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT"
                     " NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE"
                     " (table_name, column_name, extension_name));",
                  e);
    srs_row(g, "WGS 84 geodetic", 4326, "EPSG", 4326, l->wgs84_wkt,
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid", e, &rc);
    srs_row(g, "Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system", e, &rc);
    srs_row(g, "Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system", e, &rc);
    srs_row(g, l->srs_name, l->srs_id, "EPSG", l->srs_id, l->srs_wkt,
            "CGCS2000, 3-degree Gauss-Kruger, zone number in front of the easting", e, &rc);
    buf q = BUF_INIT;
    if (rc == 0) {
        buf_puts(&q, "CREATE TABLE ");
        put_ident(&q, l->name);
        buf_puts(&q, " (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON");
        for (int i = 0; i < l->ncols; i++) {
            buf_puts(&q, ", ");
            put_ident(&q, l->cols[i]);
            buf_puts(&q, l->types[i] == GPKG_INTEGER ? " INTEGER" : l->types[i] == GPKG_REAL ? " REAL" : " TEXT");
        }
        buf_puts(&q, ")");
        rc = exec(g, buf_str(&q), e);
    }
    sqlite3_stmt *st = NULL;
    if (rc == 0 && sqlite3_prepare_v2(g->h,
                                      "INSERT INTO gpkg_contents (table_name, data_type, identifier,"
                                      " description, last_change, srs_id) VALUES (?1, 'features', ?2, ?3, ?4, ?5)",
                                      -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, l->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, l->identifier, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, l->description ? l->description : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, l->now, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, l->srs_id);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = gfail(g, e, "gpkg_contents");
    } else if (rc == 0) {
        rc = gfail(g, e, "gpkg_contents");
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == 0 && sqlite3_prepare_v2(g->h,
                                      "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'MULTIPOLYGON', ?2, 0, 0)",
                                      -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, l->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, l->srs_id);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = gfail(g, e, "gpkg_geometry_columns");
    } else if (rc == 0) {
        rc = gfail(g, e, "gpkg_geometry_columns");
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == 0 && sqlite3_prepare_v2(g->h,
                                      "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index',"
                                      " 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                                      -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, l->name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = gfail(g, e, "gpkg_extensions");
    } else if (rc == 0) {
        rc = gfail(g, e, "gpkg_extensions");
    }
    sqlite3_finalize(st);
    if (rc == 0) {
        buf_reset(&q);
        buf_printf(&q, "CREATE VIRTUAL TABLE \"rtree_%s_geom\" USING rtree(id, minx, maxx, miny, maxy)", l->name);
        rc = exec(g, buf_str(&q), e);
    }
    if (rc == 0) {
        buf_reset(&q);
        buf_puts(&q, "INSERT INTO ");
        put_ident(&q, l->name);
        buf_puts(&q, " (geom");
        for (int i = 0; i < l->ncols; i++) {
            buf_puts(&q, ", ");
            put_ident(&q, l->cols[i]);
        }
        buf_puts(&q, ") VALUES (?1");
        for (int i = 0; i < l->ncols; i++)
            buf_printf(&q, ", ?%d", i + 2);
        buf_puts(&q, ")");
        if (sqlite3_prepare_v2(g->h, buf_str(&q), -1, &g->ins, NULL) != SQLITE_OK)
            rc = gfail(g, e, "insert");
    }
    if (rc == 0) {
        buf_reset(&q);
        buf_printf(&q, "INSERT INTO \"rtree_%s_geom\" VALUES (?1, ?2, ?3, ?4, ?5)", l->name);
        if (sqlite3_prepare_v2(g->h, buf_str(&q), -1, &g->box, NULL) != SQLITE_OK)
            rc = gfail(g, e, "rtree");
    }
    buf_free(&q);
    if (rc) {
        gpkg_abort(g);
        return NULL;
    }
    return g;
}

int gpkg_add(gpkg *g, const char *const *vals, const unsigned char *blob, size_t n, const double box[4],
             mr_err *e)
{
    sqlite3_stmt *st = g->ins;
    if (blob)
        sqlite3_bind_blob(st, 1, blob, (int)n, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 1);
    for (int i = 0; i < g->ncols; i++) {
        const char *v = vals[i];
        if (!v || !*v) {
            sqlite3_bind_null(st, i + 2);
            continue;
        }
        char *end;
        if (g->types[i] == GPKG_INTEGER) {
            long long x = strtoll(v, &end, 10);
            if (end != v && !*end) {
                sqlite3_bind_int64(st, i + 2, x);
                continue;
            }
        } else if (g->types[i] == GPKG_REAL) {
            double x = strtod(v, &end);
            if (end != v && !*end) {
                sqlite3_bind_double(st, i + 2, x);
                continue;
            }
        }
        sqlite3_bind_text(st, i + 2, v, -1, SQLITE_STATIC);   /* not a number after all: as it is */
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return gfail(g, e, "insert");
    if (!blob)
        return 0;
    sqlite3_bind_int64(g->box, 1, sqlite3_last_insert_rowid(g->h));
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(g->box, i + 2, box[i]);
    rc = sqlite3_step(g->box);
    sqlite3_reset(g->box);
    if (rc != SQLITE_DONE)
        return gfail(g, e, "rtree");
    if (!g->have_ext) {
        memcpy(g->ext, box, sizeof g->ext);
        g->have_ext = 1;
    } else {
        g->ext[0] = box[0] < g->ext[0] ? box[0] : g->ext[0];
        g->ext[1] = box[1] > g->ext[1] ? box[1] : g->ext[1];
        g->ext[2] = box[2] < g->ext[2] ? box[2] : g->ext[2];
        g->ext[3] = box[3] > g->ext[3] ? box[3] : g->ext[3];
    }
    return 0;
}

/* The R*Tree extension's triggers (GeoPackage 1.2, F.3), t the table. */
static void triggers(buf *q, const char *t)
{
    static const char *const tpl[] = {
        "CREATE TRIGGER \"rtree_@_geom_insert\" AFTER INSERT ON \"@\" WHEN (new.geom NOT NULL AND NOT"
        " ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO \"rtree_@_geom\" VALUES (NEW.fid,"
        " ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;",
        "CREATE TRIGGER \"rtree_@_geom_update1\" AFTER UPDATE OF geom ON \"@\" WHEN OLD.fid = NEW.fid"
        " AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO"
        " \"rtree_@_geom\" VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom),"
        " ST_MaxY(NEW.geom)); END;",
        "CREATE TRIGGER \"rtree_@_geom_update2\" AFTER UPDATE OF geom ON \"@\" WHEN OLD.fid = NEW.fid"
        " AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \"rtree_@_geom\" WHERE id ="
        " OLD.fid; END;",
        "CREATE TRIGGER \"rtree_@_geom_update3\" AFTER UPDATE ON \"@\" WHEN OLD.fid != NEW.fid AND"
        " (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \"rtree_@_geom\" WHERE id ="
        " OLD.fid; INSERT OR REPLACE INTO \"rtree_@_geom\" VALUES (NEW.fid, ST_MinX(NEW.geom),"
        " ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;",
        "CREATE TRIGGER \"rtree_@_geom_update4\" AFTER UPDATE ON \"@\" WHEN OLD.fid != NEW.fid AND"
        " (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \"rtree_@_geom\" WHERE id IN"
        " (OLD.fid, NEW.fid); END;",
        "CREATE TRIGGER \"rtree_@_geom_delete\" AFTER DELETE ON \"@\" WHEN old.geom NOT NULL BEGIN"
        " DELETE FROM \"rtree_@_geom\" WHERE id = OLD.fid; END;",
    };
    for (size_t i = 0; i < sizeof tpl / sizeof *tpl; i++)
        for (const char *c = tpl[i]; *c; c++)
            if (*c == '@')
                buf_puts(q, t);
            else
                buf_putc(q, *c);
}

int gpkg_finish(gpkg *g, mr_err *e)
{
    int rc = 0;
    if (g->have_ext) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(g->h,
                               "UPDATE gpkg_contents SET min_x = ?1, max_x = ?2, min_y = ?3, max_y = ?4"
                               " WHERE table_name = ?5",
                               -1, &st, NULL) != SQLITE_OK)
            rc = gfail(g, e, "gpkg_contents");
        else {
            for (int i = 0; i < 4; i++)
                sqlite3_bind_double(st, i + 1, g->ext[i]);
            sqlite3_bind_text(st, 5, g->name, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = gfail(g, e, "gpkg_contents");
        }
        sqlite3_finalize(st);
    }
    /* the triggers last: they call ST_* functions a GIS program provides,
     * which this connection has not */
    buf q = BUF_INIT;
    triggers(&q, g->name);
    if (rc == 0)
        rc = exec(g, buf_str(&q), e);
    buf_free(&q);
    if (rc == 0)
        rc = exec(g, "COMMIT", e);
    if (rc == 0) {
        sqlite3_finalize(g->ins);
        sqlite3_finalize(g->box);
        g->ins = g->box = NULL;
        if (sqlite3_close(g->h) != SQLITE_OK)
            rc = gfail(g, e, "close");
        else
            g->h = NULL;
    }
    gpkg_abort(g);
    return rc;
}

void gpkg_abort(gpkg *g)
{
    if (!g)
        return;
    sqlite3_finalize(g->ins);
    sqlite3_finalize(g->box);
    if (g->h)
        sqlite3_close(g->h);
    free(g->name);
    free(g->path);
    free(g->types);
    free(g);
}
