/* geo_rules_int.h — shared by geo_rules.c (loading the boundaries; shape,
 * area, overlap and inside rules) and geo_rules_use.c (one holder per
 * block, the sand-and-gravel rules, restriction layers) only. */
#ifndef MINREG_GEO_RULES_INT_H
#define MINREG_GEO_RULES_INT_H

#include "check_rules.h"
#include "check_geo.h"
#include "db_geo.h"
#include "geo.h"
#include "geo_geos.h"
#include "overlap.h"

enum { K_NONE, K_PERMIT, K_BLOCK, K_AREA };

typedef struct gs {
    const table *t;
    int64_t rid;
    int kind;
    geo_shape s;
    int zone;            /* the plane it is compared in */
    GEOSGeometry *g;     /* in that plane; NULL: cannot be made */
    char *key;           /* the record's key as shown */
} gs;

struct geo_state {
    GEOSContextHandle_t h;
    gs *v;
    int n;
    db_geo_role *roles, *kinds;
    int nroles, nkinds;
    ov_hits hits;        /* every overlapping pair of the register's shapes */
    int hits_done;
};

/* A register's kind (K_PERMIT, K_BLOCK, K_AREA; K_NONE: holds no boundaries). */
int gr_kind_of(const struct geo_state *G, const char *tbl);
/* The register's geo role (minreg_geo_roles), or NULL. */
const db_geo_role *gr_role_of(const struct geo_state *G, const char *tbl, const char *role);
/* The loaded shape of a record, or NULL. */
gs *gr_shape_of(struct geo_state *G, const char *tbl, int64_t rid);
/* One row's column values: a cursor on it, or NULL (the run fails). */
cursor *gr_row_of(check_ctx *c, const table *t, int64_t rid);
/* Read every boundary once per run into c->geo.  0, or -1 (c->failed). */
int gr_geo_load(check_ctx *c);
/* The overlapping pairs, found once and shared; NULL on failure. */
const ov_hits *gr_geo_hits(check_ctx *c);
/* The official area (km²) of the part of a outside every one of bs; -1
 * when GEOS cannot say. */
double gr_outside_km2(struct geo_state *G, gs *a, gs *const *bs, int nb);
/* The other record of a finding: its register's title in Chinese, its
 * id in English, and its key. */
void gr_name_of(const gs *x, buf *b);

#endif
