/* db_gpkg.h — the SQL side of the GeoPackage export (geo_export.h) and the
 * shape counts it needs.  Part of the db module (the only one that speaks
 * SQL): a GeoPackage is an SQLite file, written here through SQLite itself,
 * no new dependency.  geo_export.c makes the geometry blobs. */
#ifndef MINREG_DB_GPKG_H
#define MINREG_DB_GPKG_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "err.h"

/* How many of tbl's shapes are in each zone (counts[0..120]; 0: geodetic).
 * 0, or -1 with e. */
int db_shape_zones(db *d, const char *tbl, int64_t counts[121], mr_err *e);

/* Record rid's key (its key column's value) into *key (malloc'd):
 * DB_FOUND, DB_NOT_FOUND (no such row, or an empty key), or DB_ERROR
 * with e (db_shape.c). */
int db_row_key(db *d, const table *t, int64_t rid, char **key, mr_err *e);

typedef struct gpkg gpkg;
typedef enum { GPKG_TEXT, GPKG_INTEGER, GPKG_REAL } gpkg_type;

typedef struct gpkg_layer {
    const char *name;          /* the feature table (ASCII: the register's id) */
    const char *identifier;    /* gpkg_contents.identifier: the layer's name in QGIS */
    const char *description;
    int srs_id;                /* the EPSG code of the plane */
    const char *srs_name;      /* "CGCS2000 / 3-degree Gauss-Kruger zone 41" */
    const char *srs_wkt;       /* its OGC WKT (WKT 1, as GeoPackage 1.2 asks) */
    const char *wgs84_wkt;     /* EPSG:4326's, the row every GeoPackage has */
    const char *const *cols;   /* attribute column names */
    const gpkg_type *types;
    int ncols;
    const char *now;           /* gpkg_contents.last_change, ISO 8601 UTC */
} gpkg_layer;

/* A new GeoPackage at path (a scratch file the caller made and removes):
 * the spec's tables, the layer's feature table and its R*Tree.  NULL with e. */
gpkg *gpkg_create(const char *path, const gpkg_layer *l, mr_err *e);
/* A feature: vals[ncols] (NULL: null), blob the GeoPackage geometry (NULL:
 * none) with its box (minx, maxx, miny, maxy).  0, or -1 with e. */
int gpkg_add(gpkg *g, const char *const *vals, const unsigned char *blob, size_t n, const double box[4],
             mr_err *e);
/* The layer's extent into gpkg_contents, the R*Tree's triggers, COMMIT and
 * close.  0, or -1 with e; g is freed either way. */
int gpkg_finish(gpkg *g, mr_err *e);
/* Close without finishing (the caller removes the file). */
void gpkg_abort(gpkg *g);

#endif
