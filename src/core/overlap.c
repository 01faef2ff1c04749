/* overlap.c — overlapping pairs and near shapes (overlap.h).  No SQL: the
 * shapes and the R*Tree's candidates come from db_shape.c. */
#include "config.h"

#include "core/overlap.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/boundary.h"
#include "core/geo.h"
#include "core/geo_geos.h"
#include "core/i18n.h"

typedef struct ent {
    int64_t id;
    int zone;
    GEOSGeometry *g;           /* NULL: cannot be made (a point PROJ refused) */
    const GEOSPreparedGeometry *pg;
    char *tbl;
    int64_t rid;
    int home;                  /* the shape's own zone */
    struct ent *next;
} ent;

typedef struct ctx {
    db *d;
    GEOSContextHandle_t h;
    ent **tab;
    size_t mask;
    size_t n;
    ov_hits *out;
    double within;             /* near: metres; overlaps: < 0 */
    mr_err *e;
    int failed;
    int evict;                 /* all pairs: shapes below the current a go */
    int64_t last_a;
    size_t made;               /* shapes made since the last eviction */
} ctx;

static void geos_quiet(const char *fmt, ...) { (void)fmt; }

/* The zone whose plane a shape is compared in: its own, or for degrees the
 * 3-degree zone of its first point. */
static int home_zone(const geo_shape *s)
{
    int z = boundary_zone(s);
    if (z)
        return z;
    for (int ri = 0; s->nparcels && ri < s->parcels[0].nrings; ri++)
        if (s->parcels[0].rings[ri].n)
            return (int)floor(s->parcels[0].rings[ri].pts[0].y / 3.0 + 0.5);
    return 41;
}

static GEOSGeometry *ring_in(GEOSContextHandle_t h, const geo_shape *s, const geo_ring *r, int zone)
{
    if (r->n < 3)
        return NULL;
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)r->n + 1, 2);
    for (int i = 0; i <= r->n; i++) {
        double lat, lon, x, east;
        const geo_point *q = &r->pts[i % r->n];
        if (!s->geodetic && q->zone == zone) {   /* already in that plane */
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, q->y, q->x);
            continue;
        }
        if (geo_point_latlon(s, q, &lat, &lon) < 0 || geo_forward(zone, lat, lon, &x, &east) < 0) {
            GEOSCoordSeq_destroy_r(h, cs);
            return NULL;
        }
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, east, x);
    }
    GEOSGeometry *lr = GEOSGeom_createLinearRing_r(h, cs);
    if (!lr)
        return NULL;
    GEOSGeometry *p = GEOSGeom_createPolygon_r(h, lr, NULL, 0);
    if (!p)
        return NULL;
    if (!GEOSisValid_r(h, p)) {   /* a bow-tie: its valid parts */
        GEOSGeometry *v = GEOSMakeValid_r(h, p);
        GEOSGeom_destroy_r(h, p);
        p = v;
    }
    return p;
}

/* The shape as one geometry in zone's plane: its included rings joined,
 * less its excluded ones. */
static GEOSGeometry *shape_in(GEOSContextHandle_t h, const geo_shape *s, int zone)
{
    const geo_parcel *p = &s->parcels[0];
    GEOSGeometry *in = NULL, *out = NULL;
    for (int ri = 0; ri < p->nrings; ri++) {
        GEOSGeometry *g = ring_in(h, s, &p->rings[ri], zone);
        if (!g)
            continue;
        GEOSGeometry **acc = p->rings[ri].hole ? &out : &in;
        if (!*acc) {
            *acc = g;
        } else {
            GEOSGeometry *u = GEOSUnion_r(h, *acc, g);
            GEOSGeom_destroy_r(h, *acc);
            GEOSGeom_destroy_r(h, g);
            *acc = u;
        }
    }
    if (in && out) {
        GEOSGeometry *dgeom = GEOSDifference_r(h, in, out);
        GEOSGeom_destroy_r(h, in);
        in = dgeom;
    }
    if (out)
        GEOSGeom_destroy_r(h, out);
    return in;
}

static ent *get(ctx *c, int64_t id, int zone)
{
    size_t k = ((size_t)id * 2654435761u + (size_t)zone) & c->mask;
    for (ent *x = c->tab[k]; x; x = x->next)
        if (x->id == id && (zone == 0 || x->zone == zone))
            return x;
    ent *x = xcalloc(1, sizeof *x);
    x->id = id;
    char *text;
    if (db_shape_text_id(c->d, id, &text, &x->tbl, &x->rid, c->failed ? NULL : c->e) == DB_ERROR)
        c->failed = 1;   /* pair stops the walk; run says the error */
    geo_shape s;
    mr_err e = {0};
    if (text && boundary_decode(text, &s, &e) == 0) {
        x->home = home_zone(&s);
        x->zone = zone ? zone : x->home;
        x->g = shape_in(c->h, &s, x->zone);
        if (x->g)
            x->pg = GEOSPrepare_r(c->h, x->g);
        geo_shape_free(&s);
    } else {
        x->zone = zone;
    }
    free(text);
    k = ((size_t)id * 2654435761u + (size_t)x->zone) & c->mask;
    x->next = c->tab[k];
    c->tab[k] = x;
    c->n++;
    c->made++;
    return x;
}

/* The official area (km²) of geometry g, lying in zone's plane. */
static double official_km2(GEOSContextHandle_t h, const GEOSGeometry *g, int zone)
{
    double sum = 0;
    int ng = GEOSGetNumGeometries_r(h, g);
    for (int gi = 0; gi < ng; gi++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, gi);
        if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON)
            continue;
        int nh = GEOSGetNumInteriorRings_r(h, p);
        geo_parcel par = {.declared_points = -1};
        par.rings = xcalloc((size_t)nh + 1, sizeof *par.rings);
        par.nrings = par.cap = nh + 1;
        for (int ri = 0; ri <= nh; ri++) {
            const GEOSGeometry *lr = ri == 0 ? GEOSGetExteriorRing_r(h, p)
                                             : GEOSGetInteriorRingN_r(h, p, ri - 1);
            const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, lr);
            unsigned n = 0;
            GEOSCoordSeq_getSize_r(h, cs, &n);
            geo_ring *r = &par.rings[ri];
            r->hole = ri > 0;
            r->n = n > 0 ? (int)n - 1 : 0;   /* GEOS repeats the first point */
            r->pts = xcalloc((size_t)(r->n ? r->n : 1), sizeof *r->pts);
            for (int i = 0; i < r->n; i++) {
                double east, x;
                GEOSCoordSeq_getXY_r(h, cs, (unsigned)i, &east, &x);
                r->pts[i] = (geo_point){.x = x, .y = east, .zone = zone, .prefixed = 1};
            }
        }
        geo_shape s = {.fmt = GEO_FMT_POINTLIST, .zone = zone, .parcels = &par, .nparcels = 1, .cap = 1};
        double a = geo_parcel_area(&s, &par);
        if (a > 0)
            sum += a;
        for (int ri = 0; ri <= nh; ri++)
            free(par.rings[ri].pts);
        free(par.rings);
    }
    return sum;
}

static void hit_add(ctx *c, const ent *a, const ent *b, double km2, double m)
{
    ov_hits *o = c->out;
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        o->v = xrealloc(o->v, sizeof *o->v * (size_t)o->cap);
    }
    o->v[o->n++] = (ov_hit){.tbl_a = xstrdup(a->tbl), .rid_a = a->rid, .tbl_b = xstrdup(b->tbl),
                            .rid_b = b->rid, .km2 = km2, .metres = m};
}

static void ent_free(ctx *c, ent *x)
{
    if (x->pg)
        GEOSPreparedGeom_destroy_r(c->h, x->pg);
    if (x->g)
        GEOSGeom_destroy_r(c->h, x->g);
    free(x->tbl);
    free(x);
}

/* Every pair of all the shapes comes with a.id rising and b.id above it:
 * a shape below the current a is never asked for again, and goes (now and
 * then, when enough were made since), so memory holds the shapes still to
 * come rather than all of them. */
static void evict_below(ctx *c, int64_t id)
{
    c->made = 0;
    for (size_t k = 0; k <= c->mask; k++)
        for (ent **px = &c->tab[k]; *px;) {
            ent *x = *px;
            if (x->id < id) {
                *px = x->next;
                ent_free(c, x);
                c->n--;
            } else {
                px = &x->next;
            }
        }
}

static int pair(void *arg, int64_t ia, int64_t ib)
{
    ctx *c = arg;
    if (c->evict && ia != c->last_a && c->made > 8192)
        evict_below(c, ia);
    c->last_a = ia;
    ent *a = get(c, ia, 0);
    if (c->failed)
        return 1;
    if (!a->g)
        return 0;
    ent *b = get(c, ib, a->zone);   /* b in a's plane */
    if (c->failed)
        return 1;
    if (!b->g)
        return 0;
    if (c->within < 0) {
        /* interiors meet: more than a shared edge, whose intersection (a
         * line or a point) has no area and is dropped below */
        if (GEOSPreparedIntersects_r(c->h, a->pg, b->g) != 1)
            return 0;
        GEOSGeometry *i = GEOSIntersection_r(c->h, a->g, b->g);
        if (!i)
            return 0;
        double km2 = official_km2(c->h, i, a->zone);
        GEOSGeom_destroy_r(c->h, i);
        if (km2 > 0)
            hit_add(c, a, b, km2, 0);
        return 0;
    }
    double m;
    if (GEOSDistance_r(c->h, a->g, b->g, &m) == 1 && m <= c->within)
        hit_add(c, a, b, 0, m);
    return 0;
}

static int run(db *d, const char *tbl, int64_t rid, double within, ov_hits *out, mr_err *e)
{
    memset(out, 0, sizeof *out);
    ctx c = {.d = d, .out = out, .within = within, .e = e, .mask = 65535, .evict = !tbl && rid <= 0};
    c.h = GEOS_init_r();
    if (!c.h) {
        err_set(e, EXIT_INTERNAL, _("GEOS could not be started"));
        return -1;
    }
    GEOSContext_setNoticeHandler_r(c.h, geos_quiet);
    GEOSContext_setErrorHandler_r(c.h, geos_quiet);
    c.tab = xcalloc(c.mask + 1, sizeof *c.tab);
    /* a metre is 1/111 km of latitude; of longitude at Dandong's 41°N at
     * most 1/(111·cos 42°) km: the pads keep every candidate */
    double plat = within > 0 ? within / 111000.0 * 1.01 : 0;
    double plon = within > 0 ? within / (111000.0 * cos(42.0 * M_PI / 180)) * 1.01 : 0;
    int rc = db_shape_candidates(d, tbl, rid, plon, plat, pair, &c, e);
    for (size_t k = 0; k <= c.mask; k++)
        for (ent *x = c.tab[k], *nx; x; x = nx) {
            nx = x->next;
            ent_free(&c, x);
        }
    free(c.tab);
    GEOS_finish_r(c.h);
    return rc != 0 ? -1 : 0;   /* e says why (a shape unread, or the walk) */
}

static int by_area(const void *x, const void *y)
{
    const ov_hit *a = x, *b = y;
    if (a->km2 != b->km2)
        return a->km2 < b->km2 ? 1 : -1;
    int t = strcmp(a->tbl_a, b->tbl_a);
    return t ? t : a->rid_a != b->rid_a ? (a->rid_a < b->rid_a ? -1 : 1) : (a->rid_b < b->rid_b ? -1 : a->rid_b > b->rid_b);
}

static int by_distance(const void *x, const void *y)
{
    const ov_hit *a = x, *b = y;
    if (a->metres != b->metres)
        return a->metres < b->metres ? -1 : 1;
    int t = strcmp(a->tbl_b, b->tbl_b);
    return t ? t : (a->rid_b < b->rid_b ? -1 : a->rid_b > b->rid_b);
}

int overlaps_find(db *d, const char *tbl, int64_t rid, ov_hits *out, mr_err *e)
{
    if (run(d, tbl, rid, -1, out, e) < 0)
        return -1;
    if (out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof *out->v, by_area);
    return 0;
}

int near_find(db *d, const char *tbl, int64_t rid, double metres, ov_hits *out, mr_err *e)
{
    if (run(d, tbl, rid, metres, out, e) < 0)
        return -1;
    if (out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof *out->v, by_distance);
    return 0;
}

void ov_hits_free(ov_hits *h)
{
    for (int i = 0; i < h->n; i++) {
        free(h->v[i].tbl_a);
        free(h->v[i].tbl_b);
    }
    free(h->v);
    memset(h, 0, sizeof *h);
}

/* ---- for the spatial rules (geo_geos.h) ---- */

int ov_home_zone(const geo_shape *s) { return home_zone(s); }

GEOSGeometry *ov_shape_geom(GEOSContextHandle_t h, const geo_shape *s, int zone)
{
    return s->nparcels ? shape_in(h, s, zone) : NULL;
}

double ov_geom_km2(GEOSContextHandle_t h, const GEOSGeometry *g, int zone)
{
    return official_km2(h, g, zone);
}
