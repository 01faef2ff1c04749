/* geo_export.h — a register's records with their boundaries, as files GIS
 * programs (QGIS, ArcGIS, GDAL) open: GeoJSON, GeoPackage, shapefile.
 *
 * The CLI's `export --format geojson|gpkg|shp` and the browser's `:export
 * FILE.geojson|.gpkg|.shp` come here.  Every record of the register (or of
 * the filtered view) is one feature with the record's values as attributes,
 * typed (an integer column as integers, a decimal one as reals, the rest as
 * text); GeoJSON and GeoPackage name them as the CSV export's header does
 * ("label(unit)"), the shapefile by column id (a .dbf name holds 10 bytes).
 * A record without a boundary is a feature with no geometry (QGIS lists it
 * in the attribute table, so the layer is the whole register), unless
 * skip_empty leaves it out; the counts say which.
 *
 * Coordinates: GeoJSON is RFC 7946, longitude and latitude in degrees
 * (CGCS2000 is WGS 84 to a few centimetres, which the RFC's CRS stands
 * for), every plane point projected back with PROJ.  GeoPackage and the
 * shapefile stay in the plane: CGCS2000 3-degree Gauss–Krüger with the
 * zone prefix on the easting (EPSG:4513–4533; zone 41 is EPSG:4529, 42 is
 * EPSG:4530), one zone a file — the zone most of the shapes are in (41 on a
 * tie), or the one asked for; shapes of the other zone are projected into
 * it through geodetic coordinates (PROJ), as overlaps compares them.
 *
 * Each boundary is a MultiPolygon: one polygon per included ring (a mine's
 * several 采区), each hole in the polygon whose ring holds it.  Exterior
 * rings are counter-clockwise and holes clockwise in GeoJSON (RFC 7946
 * §3.1.6) and GeoPackage (its simple features' convention), clockwise and
 * counter-clockwise in the shapefile (ESRI's technical description).
 * Output files are opened through outfile.c: never the register, written to
 * a temporary and renamed into place.
 */
#ifndef MINREG_GEO_EXPORT_H
#define MINREG_GEO_EXPORT_H

#include <stdint.h>

#include "db.h"
#include "err.h"
#include "export.h"

typedef enum { GEO_EXPORT_NONE, GEO_EXPORT_GEOJSON, GEO_EXPORT_GPKG, GEO_EXPORT_SHP } geo_export_fmt;

typedef struct geo_export_opts {
    const export_opts *rows;   /* filters and order (f, nf, sort_ci, desc); NULL: all */
    int zone;                  /* GeoPackage, shapefile: the plane's zone, 0: the most common */
    int gbk;                   /* shapefile: the .dbf in GBK (its .cpg says so), else UTF-8 */
    int skip_empty;            /* leave out records without a boundary */
} geo_export_opts;

typedef struct geo_export_stats {
    int64_t rows;              /* features written */
    int64_t empty;             /* of them, or left out (skip_empty), without a boundary */
    int64_t reprojected;       /* shapes moved into the file's zone from another */
    int64_t truncated;         /* shapefile: text values cut to the .dbf field's 254 bytes */
    int zone;                  /* the plane's zone (0: GeoJSON) */
    int epsg;                  /* the file's CRS */
} geo_export_stats;

/* "geojson", "gpkg", "shp" (NONE for anything else). */
geo_export_fmt geo_export_parse(const char *s);
/* The format a file name's ending names (.geojson/.json, .gpkg, .shp), or NONE. */
geo_export_fmt geo_export_by_name(const char *path);
/* The EPSG code of CGCS2000 3-degree Gauss–Krüger zone z with the zone
 * prefix (4513 + z - 25), or 0 when there is none. */
int geo_export_epsg(int zone);

/* Write t's records to path (GeoJSON: NULL or "-" is standard output).
 * 0, or -1 with e filled; nothing is left at path on failure. */
int geo_export(db *d, const table *t, const char *path, geo_export_fmt fmt, const geo_export_opts *o,
               geo_export_stats *st, mr_err *e);

#endif
