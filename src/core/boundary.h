/* boundary.h — a record's boundary as the register keeps it.
 *
 * The canonical text is what minreg_shapes.text holds and what the audit
 * trail records (field '@boundary' of the record): one line naming the
 * system, then a line per ring,
 *
 *   CGCS2000 GK3                          (or: CGCS2000 geodetic)
 *   included<TAB>229.5<TAB>70<TAB>金藏采区<TAB>4507088.22,41473349.92;…
 *
 * role, top and bottom elevation (empty when none), the mining area's name
 * and the points: plane x (northing) and y (easting with its zone prefix)
 * to 0.01 m, or latitude and longitude to 9 decimals.  A record's boundary
 * is one parcel.  No SQL here (db_shape.c stores it). */
#ifndef MINREG_BOUNDARY_H
#define MINREG_BOUNDARY_H

#include "buf.h"
#include "err.h"
#include "geo.h"

/* The field name the audit trail records a boundary under: no column's id
 * can begin with '@'. */
#define BOUNDARY_FIELD "@boundary"

/* s (one parcel) as canonical text into b; 0, or -1 with e. */
int boundary_encode(const geo_shape *s, buf *b, mr_err *e);
/* One point as the canonical text writes it ("4507088.22,41473349.92"). */
void boundary_put_point(buf *b, const geo_shape *s, const geo_point *q);
/* Canonical text back into a shape (one parcel); 0, or -1 with e. */
int boundary_decode(const char *text, geo_shape *s, mr_err *e);
/* The zone of s's plane points (the first one's), 0 when geodetic. */
int boundary_zone(const geo_shape *s);
/* Bounding box in geodetic degrees; 0, or -1 when a point cannot be
 * inverse-projected. */
int boundary_box(const geo_shape *s, double *min_lon, double *max_lon, double *min_lat,
                 double *max_lat);

#endif
