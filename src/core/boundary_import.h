/* boundary_import.h — many records' boundaries from one coordinate file, as
 * one audited change: the ministry's exchange file holds a parcel per
 * record, each named by its 地块编号, which is the record's key (or 序号,
 * whatever `minreg boundary TABLE KEY` takes).  Every parcel must find its
 * record, once, before anything is written; then each boundary goes in
 * through the change object (chg_set_boundary), as `boundary TABLE KEY
 * FILE` would set it, and the change is undone as one. */
#ifndef MINREG_BOUNDARY_IMPORT_H
#define MINREG_BOUNDARY_IMPORT_H

#include <stdint.h>

#include "db.h"
#include "err.h"
#include "geo.h"

typedef struct boundary_import_result {
    int64_t change;      /* the change recorded, 0: none */
    int64_t set;         /* boundaries written */
} boundary_import_result;

/* s's parcels onto t's records (path names the file in messages).  0, or
 * -1 with e ("FILE:LINE: why"; nothing written). */
int boundary_import(db *d, const table *t, const geo_shape *s, const char *path, const char *comment,
                    boundary_import_result *r, mr_err *e);

#endif
