/* life_areas.c — a permit's mining areas (采区): the rings of its
 * boundary (minreg_shapes, boundary.h) with their names and their top and
 * bottom elevations (起标高, 止标高), which a mine with several 采区 holds
 * per ring, for get and the record screen (life.h).
 */
#include "config.h"

#include "life.h"

#include <stdlib.h>

#include "boundary.h"
#include "geo.h"

int life_areas(db *d, const table *t, int64_t rowid, life_area_fn fn, void *arg, mr_err *e)
{
    char *text = NULL;
    int got = db_shape_text(d, t->id, rowid, &text, e);
    if (got != DB_FOUND)
        return got == DB_ERROR ? -1 : 0;
    geo_shape s = {0};
    int n = 0, with = 0;
    if (boundary_decode(text, &s, e) < 0) {
        free(text);
        geo_shape_free(&s);
        return -1;
    }
    for (int p = 0; p < s.nparcels; p++)
        for (int r = 0; r < s.parcels[p].nrings; r++) {
            const geo_ring *g = &s.parcels[p].rings[r];
            with += g->has_elev || (g->name && *g->name);
        }
    /* a boundary without elevations or names has no 采区 to show */
    for (int p = 0; with && p < s.nparcels; p++)
        for (int r = 0; r < s.parcels[p].nrings; r++) {
            const geo_ring *g = &s.parcels[p].rings[r];
            life_area a = {.ring = g->no ? g->no : r + 1, .hole = g->hole, .name = g->name,
                           .has_elev = g->has_elev, .top = g->top, .bottom = g->bottom,
                           .npts = g->n};
            if (fn)
                fn(arg, &a);
            n++;
        }
    free(text);
    geo_shape_free(&s);
    return n;
}
