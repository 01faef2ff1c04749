/* geo_export_int.h — shared by geo_export.c (the rows, the geometry,
 * GeoJSON), geo_export_gpkg.c (the GeoPackage) and geo_export_shp.c (the
 * shapefile) only. */
#ifndef MINREG_GEO_EXPORT_INT_H
#define MINREG_GEO_EXPORT_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/geo_export.h"
#include "core/outfile.h"

typedef struct gring {
    double *xy;        /* x (easting or longitude), y; the first point repeated at the end */
    int n;             /* points, the repeat included */
    int owner;         /* a hole: its polygon; an exterior: -1 */
} gring;

typedef struct gx {
    gring *r;          /* each polygon's exterior, then the holes */
    int n, cap;
    int npoly;         /* exteriors: r[0..npoly-1] */
    double box[4];     /* minx, maxx, miny, maxy */
    int reprojected;
} gx;

typedef struct rows {
    db *d;
    const table *t;
    cursor *c;
    int zone;          /* the file's (0: longitude, latitude) */
    int ccw;
    const geo_export_opts *o;
    geo_export_stats *st;
    gx g;              /* the current row's, when has */
    int has;
} rows;

void gx_free(gx *g);
/* The rows to write, as o asks (its filters and order); 0, or -1 with e. */
int gxr_open(rows *w, db *d, const table *t, const geo_export_opts *o, mr_err *e);
/* The next row: 1 (its geometry in w->g when w->has), 0 done, -1 error. */
int gxr_next(rows *w, mr_err *e);
void gxr_close(rows *w);
int gx_write_all(int fd, const void *p, size_t n, const char *name, mr_err *e);
int gx_pwrite_all(int fd, const void *p, size_t n, off_t at, const char *name, mr_err *e);
void gx_le32(buf *b, uint32_t v);
void gx_be32(buf *b, uint32_t v);
void gx_led(buf *b, double x);
/* The CRS's WKT from PROJ's database: ESRI's (.prj) or OGC WKT 1. */
char *gx_crs_wkt(int epsg, int esri, mr_err *e);
int gx_numeric(col_type t);
/* The GeoPackage (geo_export_gpkg.c), written into out. */
int gx_put_gpkg(rows *w, int epsg, outfile *out, mr_err *e);
/* The shapefile's five files (geo_export_shp.c). */
int gx_put_shp(rows *w, int epsg, const char *path, const char *reg, int gbk, mr_err *e);

#endif
