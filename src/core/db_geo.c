/* db_geo.c — the SQL of the spatial rules and the layers (db_geo.h). */
#include "config.h"

#include "db_int.h"
#include "db_geo.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return xstrdup(t ? (const char *)t : "");
}

int db_geo_roles(db *d, int kinds, db_geo_role **out, int *n, mr_err *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_cached(
        d, kinds ? "SELECT tbl, kind, '', '' FROM minreg_boundary_tables ORDER BY tbl"
                 : "SELECT tbl, role, col, pattern FROM minreg_geo_roles ORDER BY tbl, role");
    if (!st)
        return db_error(d, e, _("cannot read the spatial roles"));
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, sizeof **out * (size_t)cap);
        }
        db_geo_role *r = &(*out)[(*n)++];
        r->tbl = col_dup(st, 0);
        r->role = col_dup(st, 1);
        r->col = col_dup(st, 2);
        r->pattern = col_dup(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_geo_roles_free(*out, *n);
        *out = NULL;
        *n = 0;
        return db_error(d, e, _("cannot read the spatial roles"));
    }
    return 0;
}

void db_geo_roles_free(db_geo_role *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].tbl);
        free(v[i].role);
        free(v[i].col);
        free(v[i].pattern);
    }
    free(v);
}

int db_meta_get(db *d, const char *key, char **out, mr_err *e)
{
    *out = NULL;
    sqlite3_stmt *st = stmt_cached(d, "SELECT value FROM minreg_meta WHERE key = ?1");
    if (!st) {
        db_error(d, e, _("cannot read the register's settings"));
        return DB_ERROR;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = col_dup(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(d, e, _("cannot read the register's settings"));
        return DB_ERROR;
    }
    return rc == SQLITE_ROW ? DB_FOUND : DB_NOT_FOUND;
}

int db_meta_set(db *d, const char *key, const char *value, mr_err *e)
{
    if (db_begin(d, e) < 0)
        return -1;
    sqlite3_stmt *st = stmt_cached(d, "INSERT OR REPLACE INTO minreg_meta (key, value) VALUES (?1, ?2)");
    int rc = st ? (sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT),
                   sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT), sqlite3_step(st))
                : SQLITE_ERROR;
    if (st)
        sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_error(d, e, _("cannot write the register's settings"));
        db_rollback(d);
        return -1;
    }
    return db_commit(d, e);
}

/* ---- layers ---- */

int db_layer_exists(db *d, const char *name, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT 1 FROM minreg_layers WHERE name = ?1");
    if (!st) {
        db_error(d, e, _("cannot read the layers"));
        return DB_ERROR;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(d, e, _("cannot read the layers"));
        return DB_ERROR;
    }
    return rc == SQLITE_ROW ? DB_FOUND : DB_NOT_FOUND;
}

int db_layer_put(db *d, const db_layer *l, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "INSERT INTO minreg_layers (name, format, crs, source, sha256,"
                                      " features, imported_at, imported_by)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return db_error(d, e, _("cannot write the layer"));
    const char *v[] = {l->name, l->format, l->crs, l->source, l->sha256};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, l->features);
    sqlite3_bind_text(st, 7, l->at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, l->by, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(d, e, _("cannot write the layer"));
}

int db_layer_feature_put(db *d, const char *layer, int fid, const char *label, double km2,
                         const char *text, int has_box, const double box[4], mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "INSERT INTO minreg_layer_features (layer, fid, label, area_km2, text)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return db_error(d, e, _("cannot write the layer"));
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, fid);
    sqlite3_bind_text(st, 3, label ? label : "", -1, SQLITE_TRANSIENT);
    if (km2 >= 0)
        sqlite3_bind_double(st, 4, km2);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_text(st, 5, text, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(d, e, _("cannot write the layer"));
    if (!has_box)
        return 0;
    int64_t id = sqlite3_last_insert_rowid(d->h);
    st = stmt_cached(d, "INSERT INTO minreg_layer_box (id, min_lon, max_lon, min_lat, max_lat)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return db_error(d, e, _("cannot write the layer"));
    sqlite3_bind_int64(st, 1, id);
    for (int i = 0; i < 4; i++)
        sqlite3_bind_double(st, i + 2, box[i]);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(d, e, _("cannot write the layer"));
}

int db_layer_delete(db *d, const char *name, mr_err *e)
{
    static const char *const q[] = {
        "DELETE FROM minreg_layer_box WHERE id IN (SELECT id FROM minreg_layer_features WHERE layer = ?1)",
        "DELETE FROM minreg_layer_features WHERE layer = ?1",
        "DELETE FROM minreg_layers WHERE name = ?1"};
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st = stmt_cached(d, q[i]);
        if (!st)
            return db_error(d, e, _("cannot remove the layer"));
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return db_error(d, e, _("cannot remove the layer"));
    }
    return 0;
}

int db_layer_list(db *d, db_layer **out, int *n, mr_err *e)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_cached(d, "SELECT name, format, crs, source, sha256, features, imported_at,"
                                      " imported_by FROM minreg_layers ORDER BY name");
    if (!st)
        return db_error(d, e, _("cannot read the layers"));
    int cap = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, sizeof **out * (size_t)cap);
        }
        db_layer *l = &(*out)[(*n)++];
        l->name = col_dup(st, 0);
        l->format = col_dup(st, 1);
        l->crs = col_dup(st, 2);
        l->source = col_dup(st, 3);
        l->sha256 = col_dup(st, 4);
        l->features = sqlite3_column_int64(st, 5);
        l->at = col_dup(st, 6);
        l->by = col_dup(st, 7);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        db_layer_list_free(*out, *n);
        *out = NULL;
        *n = 0;
        return db_error(d, e, _("cannot read the layers"));
    }
    return 0;
}

void db_layer_list_free(db_layer *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].format);
        free(v[i].crs);
        free(v[i].source);
        free(v[i].sha256);
        free(v[i].at);
        free(v[i].by);
    }
    free(v);
}

int64_t db_layer_nfeatures(db *d, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT count(*) FROM minreg_layer_features");
    if (!st)
        return db_error(d, e, _("cannot read the layers"));
    int rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n < 0 ? db_error(d, e, _("cannot read the layers")) : n;
}

int db_layer_candidates(db *d, double min_lon, double max_lon, double min_lat, double max_lat,
                        db_layer_fn fn, void *arg, mr_err *e)
{
    /* not cached: fn may itself read the register */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h,
                           "SELECT f.id, f.layer, f.fid, f.label, f.text FROM minreg_layer_box b"
                           " JOIN minreg_layer_features f ON f.id = b.id"
                           " WHERE b.min_lon <= ?2 AND b.max_lon >= ?1 AND b.min_lat <= ?4"
                           " AND b.max_lat >= ?3 ORDER BY f.layer, f.fid",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(d, e, _("cannot read the layers"));
    sqlite3_bind_double(st, 1, min_lon);
    sqlite3_bind_double(st, 2, max_lon);
    sqlite3_bind_double(st, 3, min_lat);
    sqlite3_bind_double(st, 4, max_lat);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(arg, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
               sqlite3_column_int(st, 2), (const char *)sqlite3_column_text(st, 3),
               (const char *)sqlite3_column_text(st, 4))) {
            rc = SQLITE_DONE;
            break;
        }
    if (rc != SQLITE_DONE) {
        db_error(d, e, _("cannot read the layers"));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}
