/* db_geo.h — the SQL of the spatial rules and the restriction layers
 * (db_geo.c): the roles minreg_geo_roles gives registers, the kinds of
 * minreg_boundary_tables, the register's settings in minreg_meta, and the
 * layers (minreg_layers, minreg_layer_features, the R*Tree
 * minreg_layer_box).  Part of the db module; geo_rules.c and layer.c are
 * its only callers. */
#ifndef MINREG_DB_GEO_H
#define MINREG_DB_GEO_H

#include <stdint.h>

#include "db.h"
#include "err.h"

/* A row of minreg_geo_roles, or of minreg_boundary_tables (role = the kind:
 * "permit", "block", "area"; col and pattern ""). */
typedef struct db_geo_role {
    char *tbl, *role, *col, *pattern;
} db_geo_role;

/* Every boundary register with its kind (kinds = 1), or every row of
 * minreg_geo_roles (kinds = 0).  0, or -1 with e. */
int db_geo_roles(db *d, int kinds, db_geo_role **out, int *n, mr_err *e);
void db_geo_roles_free(db_geo_role *v, int n);

/* minreg_meta's value of key: DB_FOUND (*out malloc'd), DB_NOT_FOUND or
 * DB_ERROR with e. */
int db_meta_get(db *d, const char *key, char **out, mr_err *e);
/* Set it, in its own transaction; 0, or -1 with e. */
int db_meta_set(db *d, const char *key, const char *value, mr_err *e);

/* ---- layers ---- */
typedef struct db_layer {
    char *name, *format, *crs, *source, *sha256, *at, *by;
    int64_t features;
} db_layer;

/* Is there a layer named name?  DB_FOUND, DB_NOT_FOUND or DB_ERROR. */
int db_layer_exists(db *d, const char *name, mr_err *e);
/* Inside the caller's transaction (db_begin): the layer's row, then each
 * feature with its official area (< 0: none) and bounding box (degrees;
 * has_box 0: none).  0, or -1 with e. */
int db_layer_put(db *d, const db_layer *l, mr_err *e);
int db_layer_feature_put(db *d, const char *layer, int fid, const char *label, double km2,
                         const char *text, int has_box, const double box[4], mr_err *e);
/* Remove a layer and its features (inside the caller's transaction). */
int db_layer_delete(db *d, const char *name, mr_err *e);
/* Every layer, by name; 0, or -1 with e. */
int db_layer_list(db *d, db_layer **out, int *n, mr_err *e);
void db_layer_list_free(db_layer *v, int n);
/* How many features all layers hold (0 when none); -1 with e. */
int64_t db_layer_nfeatures(db *d, mr_err *e);
/* The layer features whose box meets [min_lon, max_lon] × [min_lat,
 * max_lat]: fn gets each one's id, layer, fid, label and text (valid during
 * the call); nonzero from fn stops.  0, or -1 with e. */
typedef int (*db_layer_fn)(void *arg, int64_t id, const char *layer, int fid, const char *label,
                           const char *text);
int db_layer_candidates(db *d, double min_lon, double max_lon, double min_lat, double max_lat,
                        db_layer_fn fn, void *arg, mr_err *e);

#endif
