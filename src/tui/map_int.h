/* map_int.h — shared by map.c (layout, drawing, keys) and map_shapes.c
 * (shapes into the map's plane, the neighbours, the raster) only. */
#ifndef MINREG_MAP_INT_H
#define MINREG_MAP_INT_H

#include "core/boundary.h"
#include "core/geo.h"
#include "core/maprast.h"
#include "core/overlap.h"
#include "tui/list.h"

enum { MAP_MAX = 300 };   /* neighbours read and drawn for one view, at most */

typedef struct mring {
    double *en;           /* easting, northing pairs in the map's plane */
    int n;
} mring;

typedef struct mshape {
    int64_t id, rid;
    char tbl[64];
    mring *r;
    int nr;
    double box[4];        /* min e, max e, min n, max n */
    double km2;           /* its overlap with the record, -1: none */
    char *label;          /* key and label, read when first selected */
} mshape;

typedef struct mview {
    const table *t;
    int64_t rowid, sid;
    int zone;             /* the plane everything is drawn in */
    mshape own;
    char *name;
    mshape *nb;           /* every neighbour read so far */
    int nnb, capnb;
    int *vis;             /* those in the view, in Tab order */
    int nvis, more;
    int64_t sel_id;       /* the selected neighbour's shape, 0: none */
    ov_hits ov;
    double cx, cy, mpc;   /* the view: centre and metres per cell across */
    int fitted, dirty;
    map_grid g;
    int have_grid;
    char **pl;            /* the point list's lines */
    int npl;
    list l;
    unsigned version;
    char err[1024];       /* why the neighbours could not be read, or "" */
    char gone[1024];      /* why the record's map cannot be drawn now, or "" */
} mview;

/* ASCII cells where minreg's other marks are ASCII too (--ascii, or
 * ambiguous-width glyphs two columns wide); braille is never ambiguous,
 * but the scale bar's rule is. */
int map_ascii(void);
/* Free the record's shape, the neighbours read, the point list, the name
 * and the overlaps (before a reload, or when the screen closes). */
void map_clear(mview *m);
/* The record's shape, its name and point list and its overlaps; 0, or -1
 * with e (no boundary, unreadable). */
int map_load(mview *m, mr_err *e);
/* The view moved: its neighbours read, everything drawn into the grid. */
void map_rasterise(mview *m);

#endif
