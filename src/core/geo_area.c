/* geo_area.c — the official area of a boundary.
 *
 * The ministry's unified method for mineral-right areas (DOMAIN.md,
 * Coordinates) is not the plane shoelace area: each point is taken back
 * from the Gauss–Krüger plane to geodetic coordinates on CGCS2000's
 * ellipsoid (GRS80), and the area is summed from ellipsoidal trapezoids by
 * the formula of TD/T 1055-2019's appendix (the second national land
 * survey's):
 *
 *   S = 2b²ΔL [ A sin(½ΔB) cos Bm − B sin(3/2 ΔB) cos 3Bm + C sin(5/2 ΔB) cos 5Bm
 *              − D sin(7/2 ΔB) cos 7Bm + E sin(9/2 ΔB) cos 9Bm ]
 *
 * for the trapezoid between two meridians ΔL apart and the parallels B1, B2
 * (ΔB = B2 − B1, Bm their mean), with A…E series in e².  Each edge of a ring
 * spans the trapezoid from the equator (B1 = 0) up to the edge's mean
 * latitude, between its two meridians; the signed sum over the ring's edges
 * is the ring's area.
 *
 * The inverse projection is PROJ's transverse Mercator (its exact
 * algorithm), zone n's central meridian 3n°E, false easting 500 km, scale 1
 * — EPSG:4513–4533 without the zone prefix, which the reader has taken off.
 * The cross-check is PROJ's geodesic polygon area (Karney), an independent
 * method: for km-sized shapes the two agree far below 10⁻⁴ km².
 */
#include "core/geo.h"

#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <stdlib.h>
#include <string.h>

#define GRS80_A 6378137.0
#define GRS80_F (1 / 298.257222101)

static PJ_CONTEXT *ctx;
static PJ *zones[121];

static void geo_proj_cleanup(void)
{
    for (int i = 0; i < 121; i++)
        if (zones[i])
            proj_destroy(zones[i]);
    if (ctx)
        proj_context_destroy(ctx);
    ctx = NULL;
    memset(zones, 0, sizeof zones);
}

static void geo_proj_quiet(void *arg, int level, const char *msg)
{
    (void)arg, (void)level, (void)msg;
}

/* The zones' operations, made when first needed.  They are given in full
 * (a PROJ string on GRS80, no grid), so proj.db is never needed: the
 * context's only search path is one where no file can be (/dev/null is no
 * directory), and proj_create, which opens proj.db for any operation when
 * it can find one (to write the operation back as text; ~21 million
 * instructions, and ~4 more to close it), goes without it.  The operation
 * is the same, so is every coordinate (bit for bit). */
static PJ *zone_pj(int zone)
{
    if (zone < 1 || zone > 120)
        return NULL;
    if (!ctx) {
        static const char *const nowhere[] = {"/dev/null"};
        ctx = proj_context_create();
        proj_context_set_search_paths(ctx, 1, nowhere);
        /* no network (PROJ 7 on; it is for grids, which these do not use);
         * and "Cannot find proj.db", which PROJ logs even at PJ_LOG_NONE,
         * is said to no one */
#if PROJ_VERSION_MAJOR >= 7
        proj_context_set_enable_network(ctx, 0);
#endif
        proj_log_level(ctx, PJ_LOG_NONE);
        proj_log_func(ctx, NULL, geo_proj_quiet);
        atexit(geo_proj_cleanup);
    }
    if (!zones[zone]) {
        char def[160];
        snprintf(def, sizeof def,
                 "+proj=tmerc +lat_0=0 +lon_0=%d +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m",
                 3 * zone);
        zones[zone] = proj_create(ctx, def);
    }
    return zones[zone];
}

int geo_inverse(int zone, double x, double easting, double *lat, double *lon)
{
    PJ *pj = zone_pj(zone);
    if (!pj)
        return -1;
    PJ_COORD c = proj_trans(pj, PJ_INV, proj_coord(easting, x, 0, 0));
    if (c.lp.lam == HUGE_VAL || !isfinite(c.lp.lam) || !isfinite(c.lp.phi))
        return -1;
    *lat = proj_todeg(c.lp.phi);
    *lon = proj_todeg(c.lp.lam);
    return 0;
}

int geo_forward(int zone, double lat, double lon, double *x, double *easting)
{
    PJ *pj = zone_pj(zone);
    if (!pj)
        return -1;
    PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(proj_torad(lon), proj_torad(lat), 0, 0));
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
        return -1;
    *easting = c.xy.x;
    *x = c.xy.y;
    return 0;
}

int geo_point_latlon(const geo_shape *s, const geo_point *p, double *lat, double *lon)
{
    if (s->geodetic) {
        *lat = p->x;
        *lon = p->y;
        return 0;
    }
    return geo_inverse(p->zone, p->x, p->y, lat, lon);
}

/* TD/T 1055-2019's trapezoid between meridians dl apart and parallels b1, b2
 * (radians), in m². */
static double trapezoid(double dl, double b1, double b2)
{
    static double A, B, C, D, E, b2c;
    if (b2c == 0) {
        double f = GRS80_F, e2 = 2 * f - f * f, e4 = e2 * e2, e6 = e4 * e2, e8 = e6 * e2;
        double b = GRS80_A * (1 - f);
        A = 1 + 3.0 / 6 * e2 + 30.0 / 80 * e4 + 35.0 / 112 * e6 + 630.0 / 2304 * e8;
        B = 1.0 / 6 * e2 + 15.0 / 80 * e4 + 21.0 / 112 * e6 + 420.0 / 2304 * e8;
        C = 3.0 / 80 * e4 + 7.0 / 112 * e6 + 180.0 / 2304 * e8;
        D = 1.0 / 112 * e6 + 45.0 / 2304 * e8;
        E = 5.0 / 2304 * e8;
        b2c = b * b;
    }
    double db = b2 - b1, bm = (b1 + b2) / 2;
    return 2 * b2c * dl *
           (A * sin(db / 2) * cos(bm) - B * sin(3 * db / 2) * cos(3 * bm) +
            C * sin(5 * db / 2) * cos(5 * bm) - D * sin(7 * db / 2) * cos(7 * bm) +
            E * sin(9 * db / 2) * cos(9 * bm));
}

/* The ring's points as latitudes and longitudes (radians when rad); NULL
 * when one cannot be inverse-projected. */
static double *ring_latlon(const geo_shape *s, const geo_ring *r, int rad)
{
    double *v = xmalloc(sizeof *v * 2 * (size_t)(r->n ? r->n : 1));
    for (int i = 0; i < r->n; i++) {
        double lat, lon;
        if (geo_point_latlon(s, &r->pts[i], &lat, &lon) < 0) {
            free(v);
            return NULL;
        }
        v[2 * i] = rad ? proj_torad(lat) : lat;
        v[2 * i + 1] = rad ? proj_torad(lon) : lon;
    }
    return v;
}

double geo_ring_area(const geo_shape *s, const geo_ring *r)
{
    if (r->n < 3)
        return 0;
    double *v = ring_latlon(s, r, 1);
    if (!v)
        return -1;
    double sum = 0;
    for (int i = 0; i < r->n; i++) {
        int j = (i + 1) % r->n;
        double dl = v[2 * j + 1] - v[2 * i + 1];
        double bm = (v[2 * i] + v[2 * j]) / 2;
        sum += trapezoid(dl, 0, bm);
    }
    free(v);
    return fabs(sum) / 1e6;
}

double geo_ring_area_geodesic(const geo_shape *s, const geo_ring *r)
{
    if (r->n < 3)
        return 0;
    double *v = ring_latlon(s, r, 0);
    if (!v)
        return -1;
    double *lats = xmalloc(sizeof *lats * (size_t)r->n), *lons = xmalloc(sizeof *lons * (size_t)r->n);
    for (int i = 0; i < r->n; i++)
        lats[i] = v[2 * i], lons[i] = v[2 * i + 1];
    struct geod_geodesic g;
    geod_init(&g, GRS80_A, GRS80_F);
    double area = 0, perim = 0;
    geod_polygonarea(&g, lats, lons, r->n, &area, &perim);
    free(lats);
    free(lons);
    free(v);
    return fabs(area) / 1e6;
}

double geo_ring_area_plane(const geo_ring *r)
{
    double sum = 0;
    for (int i = 0; i < r->n; i++) {
        int j = (i + 1) % r->n;
        sum += r->pts[i].y * r->pts[j].x - r->pts[j].y * r->pts[i].x;
    }
    return fabs(sum) / 2 / 1e6;
}

double geo_parcel_area(const geo_shape *s, const geo_parcel *p)
{
    double sum = 0;
    for (int i = 0; i < p->nrings; i++) {
        double a = geo_ring_area(s, &p->rings[i]);
        if (a < 0)
            return -1;
        sum += p->rings[i].hole ? -a : a;
    }
    return sum;
}

double geo_round4(double km2)
{
    /* via the decimal text, so 0.12345 (stored a hair below) still rounds up */
    char t[64];
    snprintf(t, sizeof t, "%.10f", km2);
    double v = strtod(t, NULL);
    return (v < 0 ? -1 : 1) * floor(fabs(v) * 1e4 + 0.5) / 1e4;
}
