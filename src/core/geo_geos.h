/* geo_geos.h — a boundary as a GEOS geometry, for the code that needs more
 * than overlap.h's pairs (geo_rules.c: containment, layers).  The same
 * functions overlap.c compares with, so 41 and 42 are brought into one
 * plane the same way everywhere. */
#ifndef MINREG_GEO_GEOS_H
#define MINREG_GEO_GEOS_H

#include <geos_c.h>

#include "geo.h"

/* s's first parcel in zone's plane (x = easting without prefix, y =
 * northing): its included rings joined, less its excluded ones; a ring that
 * crosses itself by its valid parts.  NULL when it cannot be made. */
GEOSGeometry *ov_shape_geom(GEOSContextHandle_t h, const geo_shape *s, int zone);
/* The official (ellipsoidal) area in km² of g, lying in zone's plane. */
double ov_geom_km2(GEOSContextHandle_t h, const GEOSGeometry *g, int zone);

#endif
