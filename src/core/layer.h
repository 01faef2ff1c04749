/* layer.h — restriction layers (生态保护红线, 永久基本农田, 城镇开发边界,
 * other no-go zones) a bureau imports, for check's R-GEO-LAYER.
 *
 * Read from GeoJSON (RFC 7946; a "crs" member naming an EPSG code is
 * honoured), GeoPackage (an SQLite file: gpkg_geometry_columns, the GP
 * blob header and its WKB) or an ESRI shapefile (.shp, .dbf for a name,
 * .prj for the system, .cpg for the .dbf's encoding).  Polygons and
 * multipolygons only.  Accepted systems (PROJ identifies a .prj's or a
 * GeoPackage's WKT when it carries no EPSG code): EPSG:4490 (CGCS2000
 * degrees), EPSG:4513–4533 (CGCS2000 3-degree Gauss–Krüger zones 25–45, the
 * zone in front of the easting; Dandong's 41 and 42 are 4529 and 4530),
 * EPSG:4534–4554 (the same zones by central meridian, 75°E–135°E, no
 * prefix: 123°E is 4550, 126°E 4551), and WGS 84 degrees (EPSG:4326 or
 * CRS84, what GeoJSON means without a "crs"), taken as CGCS2000: the two
 * differ by centimetres.  Each feature is kept as a boundary's canonical
 * text (boundary.h) in its own system; check compares in one plane.
 */
#ifndef MINREG_LAYER_H
#define MINREG_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "err.h"
#include "geo.h"

typedef struct layer_crs {
    int epsg;            /* 0: not known */
    int geodetic;        /* degrees (lon, lat in the file) */
    int zone;            /* the 3-degree zone of a plane system */
    int prefixed;        /* the file's eastings carry the zone in front */
} layer_crs;

typedef struct layer_feat {
    int fid;             /* from 1, in file order */
    char *label;         /* a name attribute, or NULL */
    geo_shape s;         /* one parcel */
} layer_feat;

typedef struct layer_data {
    const char *format;  /* "geojson", "gpkg", "shp" */
    layer_crs crs;
    layer_feat *v;
    int n, cap;
} layer_data;

/* Read path; crs (e.g. "EPSG:4529", NULL: from the file) overrides what
 * the file says.  0, or -1 with e "FILE: feature N: reason" (EXIT_DATA;
 * EXIT_IO when it cannot be opened). */
int layer_read(const char *path, const char *crs, layer_data *out, mr_err *e);
void layer_data_free(layer_data *L);

/* Import path as layer name in one transaction (replace: an existing layer
 * of that name is replaced, else refused).  *n gets the feature count.
 * 0, or -1 with e; nothing is written on failure. */
int layer_import(db *d, const char *name, const char *path, const char *crs, int replace,
                 int64_t *n, mr_err *e);
/* Remove a layer: DB_FOUND (removed), DB_NOT_FOUND, DB_ERROR. */
int layer_remove(db *d, const char *name, mr_err *e);

/* ---- shared by the readers (layer_read.c, layer_shp.c, db_layerfile.c) ---- */
/* An ESRI shapefile (with its .dbf, .prj and .cpg beside it) into L, in
 * force's system when given, else its .prj's.  0, or -1 with e. */
int layer_read_shp(const char *path, const layer_crs *force, layer_data *L, mr_err *e);
/* A whole file, NUL-terminated, its bytes in *n; NULL when it cannot be
 * read (with e when must, else quietly: an optional .prj or .cpg). */
unsigned char *layer_slurp(const char *path, size_t *n, mr_err *e, int must);
/* "EPSG:N", "urn:ogc:def:crs:EPSG::N", "CRS84"… into c; 0, or -1. */
int layer_crs_parse(const char *s, layer_crs *c);
/* A WKT (a .prj, gpkg_spatial_ref_sys.definition): its EPSG code by the
 * WKT's own ID, else PROJ's identification; 0, or -1. */
int layer_crs_from_wkt(const char *wkt, layer_crs *c);
/* The code's system: 0 when it is one of those accepted, else -1. */
int layer_crs_from_epsg(int code, layer_crs *c);
/* "EPSG:4529" */
void layer_crs_name(const layer_crs *c, char out[24]);
/* A new feature (its shape empty, one parcel). */
layer_feat *layer_feat_new(layer_data *L, const char *label);
/* Add a ring of n (x, y) pairs as the file gives them (x east or lon) to
 * f; the last pair repeating the first is dropped.  hole: an excluded
 * ring.  0, or -1 with why (fewer than 3 points, a point outside the
 * system's range). */
int layer_ring_add(layer_data *L, layer_feat *f, const double *xy, int n, int hole, char *why,
                   size_t whylen);
/* A WKB Polygon or MultiPolygon (either byte order; Z and M dropped) into
 * f.  0, or -1 with why. */
int layer_wkb_add(layer_data *L, layer_feat *f, const unsigned char *p, size_t n, char *why,
                  size_t whylen);
/* GeoJSON coordinates (the array's text) of a Polygon or MultiPolygon. */
int layer_json_add(layer_data *L, layer_feat *f, const char *type, const char *coords, char *why,
                   size_t whylen);

/* ---- the db module's readers (db_layerfile.c): SQLite files and JSON ---- */
int db_layer_read_gpkg(const char *path, const layer_crs *force, layer_data *out, mr_err *e);
int db_layer_read_geojson(const char *path, const char *text, const layer_crs *force,
                          layer_data *out, mr_err *e);

#endif
