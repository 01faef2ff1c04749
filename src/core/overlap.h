/* overlap.h — boundaries against each other: overlapping pairs with their
 * overlap area, and the shapes near one.  Candidates come from the R*Tree
 * (db_shape_candidates); GEOS decides and measures.  Shapes of zones 41 and
 * 42 are compared in one system: both brought, through geodetic
 * coordinates, into the plane of the first one's zone; the overlap's area
 * is then the official one (geo_parcel_area of the overlap in that zone). */
#ifndef MINREG_OVERLAP_H
#define MINREG_OVERLAP_H

#include <stdint.h>

#include "db.h"
#include "err.h"
#include "geo.h"

typedef struct ov_hit {
    char *tbl_a, *tbl_b;
    int64_t rid_a, rid_b;
    double km2;          /* overlaps: the overlap's official area */
    double metres;       /* near: the distance between the two (0: they touch or overlap) */
} ov_hit;

typedef struct ov_hits {
    ov_hit *v;
    int n, cap;
} ov_hits;

/* Overlapping pairs (interiors meet), largest overlap first.  tbl NULL:
 * every pair; rid > 0: that record's.  0, or -1 with e. */
int overlaps_find(db *d, const char *tbl, int64_t rid, ov_hits *out, mr_err *e);
/* Shapes within metres of record rid of tbl, nearest first. */
int near_find(db *d, const char *tbl, int64_t rid, double metres, ov_hits *out, mr_err *e);
void ov_hits_free(ov_hits *h);
/* The zone whose plane s is compared in: its own, or for degrees the
 * 3-degree zone of its first point. */
int ov_home_zone(const geo_shape *s);

#endif
