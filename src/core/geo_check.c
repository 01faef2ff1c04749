/* geo_check.c — what is wrong with a boundary, each with its source.
 *
 * One table of rules (id, source, help), as check.c keeps the plan's.  The
 * geometry — a ring crossing itself, a hole outside its ring, two 采区 of
 * one mine overlapping — is GEOS's (its C API, reentrant); the rest reads
 * the numbers: the zone prefix against where the points fall, the
 * precision they were written to, the order of X and Y, the official area
 * against the registered 面积.
 */
#include "config.h"

#include "core/geo.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

#define SRC_NOTICE N_("ministry notice on the unified area method: closed, simple rings")
#define SRC_AREA N_("TD/T 1055-2019 appendix: ellipsoidal area, km² to 4 decimals")
#define SRC_GK N_("CGCS2000 3° Gauss–Krüger: zone number in front of Y")
#define SRC_PREC N_("precision: plane 0.01 m, seconds 0.001″")
#define SRC_XY N_("X northing (7 digits), Y easting with its zone (8 digits)")
#define SRC_EXCH N_("coordinate exchange file: the header's point count")
#define SRC_CITY N_("Dandong: 123°22′–125°41′E")

enum { R_CLOSED, R_POINTS, R_SELFX, R_DUP, R_HOLE, R_OVERLAP, R_NOZONE, R_MIXZONE, R_ZONE,
       R_EXTENT, R_PREC, R_SWAP, R_AREA, R_COUNT, R_N };

static const geo_rule rules[R_N] = {
    [R_CLOSED] = {"G-CLOSED", SRC_NOTICE, N_("a ring is not closed")},
    [R_POINTS] = {"G-POINTS", SRC_NOTICE, N_("a ring has fewer than 3 distinct points")},
    [R_SELFX] = {"G-SELFX", SRC_NOTICE, N_("a ring intersects itself")},
    [R_DUP] = {"G-DUP", SRC_NOTICE, N_("a ring lists the same point twice")},
    [R_HOLE] = {"G-HOLE", SRC_NOTICE, N_("an excluded ring is not inside an included ring")},
    [R_OVERLAP] = {"G-OVERLAP", SRC_NOTICE, N_("two included rings of one parcel overlap (area counted twice)")},
    [R_NOZONE] = {"G-NOZONE", SRC_GK, N_("Y has no zone prefix and the file names no zone (带号)")},
    [R_MIXZONE] = {"G-MIXZONE", SRC_GK, N_("the points of one ring carry different zone prefixes")},
    [R_ZONE] = {"G-ZONE", SRC_GK, N_("the zone prefix does not fit the coordinates")},
    [R_EXTENT] = {"G-EXTENT", SRC_CITY, N_("a ring lies outside Dandong")},
    [R_PREC] = {"G-PREC", SRC_PREC, N_("coordinates written to more than 0.01 m (or 0.001″)")},
    [R_SWAP] = {"G-SWAP", SRC_XY, N_("X and Y are in the wrong order")},
    [R_AREA] = {"G-AREA", SRC_AREA, N_("the official area differs from the registered 面积 in the 4th decimal")},
    [R_COUNT] = {"G-COUNT", SRC_EXCH, N_("a parcel's header gives another point count than its lines")},
};

const geo_rule *geo_rules(int *n)
{
    *n = R_N;
    return rules;
}

static void add(geo_problems *ps, int rule, int parcel, int ring, int line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void add(geo_problems *ps, int rule, int parcel, int ring, int line, const char *fmt, ...)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->v = xrealloc(ps->v, sizeof *ps->v * (size_t)ps->cap);
    }
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ps->v[ps->n++] = (geo_problem){&rules[rule], parcel, ring, line, buf_steal(&b)};
}

void geo_problems_free(geo_problems *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->v[i].msg);
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* A point as the clerk wrote it: X, then Y with its zone prefix. */
static void pt_text(const geo_shape *s, double x, double y, int zone, buf *b)
{
    if (s->geodetic)
        buf_printf(b, "%.7f, %.7f", x, y);
    else if (zone)
        buf_printf(b, "%.2f, %d%09.2f", x, zone, y);
    else
        buf_printf(b, "%.2f, %.2f", x, y);
}

static const char *pt_name(const geo_point *p, int i, char *tmp, size_t n)
{
    if (p->id)
        return p->id;
    snprintf(tmp, n, "#%d", i + 1);
    return tmp;
}

/* ---- GEOS ---- */

static void geos_quiet(const char *fmt, ...) { (void)fmt; }

static GEOSGeometry *ring_poly(GEOSContextHandle_t h, const geo_ring *r)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)r->n + 1, 2);
    if (!cs)
        return NULL;
    for (int i = 0; i <= r->n; i++) {
        const geo_point *p = &r->pts[i % r->n];
        /* GIS order: easting (or longitude) first */
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, p->y, p->x);
    }
    GEOSGeometry *lr = GEOSGeom_createLinearRing_r(h, cs);
    if (!lr)
        return NULL;
    return GEOSGeom_createPolygon_r(h, lr, NULL, 0);
}

static int distinct_points(const geo_ring *r)
{
    int n = 0;
    for (int i = 0; i < r->n; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = r->pts[j].x == r->pts[i].x && r->pts[j].y == r->pts[i].y;
        n += !seen;
    }
    return n;
}

/* ---- the zone ---- */

/* Where ring r falls: the westmost and eastmost longitude, its zone; 0, or
 * -1 when a point cannot be inverse-projected. */
static int ring_lons(const geo_ring *r, int zone, double *west, double *east)
{
    *west = 1e9, *east = -1e9;
    for (int i = 0; i < r->n; i++) {
        double lat, lon;
        if (geo_inverse(zone, r->pts[i].x, r->pts[i].y, &lat, &lon) < 0)
            return -1;
        *west = fmin(*west, lon);
        *east = fmax(*east, lon);
    }
    return 0;
}

static int in_city(double west, double east)
{
    const double margin = 0.05;   /* about 4 km */
    return west >= GEO_EXTENT_WEST - margin && east <= GEO_EXTENT_EAST + margin;
}

static void check_zone(const geo_shape *s, const geo_ring *r, int pi, int ri, geo_problems *ps,
                       int *nozone_said)
{
    if (s->geodetic) {
        double west = 1e9, east = -1e9;
        for (int i = 0; i < r->n; i++)
            west = fmin(west, r->pts[i].y), east = fmax(east, r->pts[i].y);
        if (r->n && !in_city(west, east))
            add(ps, R_EXTENT, pi, ri, r->line, _("ring %d lies at %.4f–%.4f°E, outside Dandong"),
                r->no, west, east);
        return;
    }
    int zone = r->n ? r->pts[0].zone : 0;
    for (int i = 1; i < r->n; i++)
        if (r->pts[i].zone != zone) {
            add(ps, R_MIXZONE, pi, ri, r->pts[i].line,
                _("ring %d: point %d carries zone %d, its first point zone %d"), r->no, i + 1,
                r->pts[i].zone, zone);
            return;
        }
    if (!zone) {
        if (!(*nozone_said)++)
            add(ps, R_NOZONE, pi, ri, r->line,
                _("Y has no zone prefix and the file names no 带号: the area cannot be computed "
                  "(give --zone 41 or 42)"));
        return;
    }
    if (s->zone && r->pts[0].prefixed && zone != s->zone) {
        add(ps, R_ZONE, pi, ri, r->line, _("ring %d: Y carries zone %d, the file's 带号 is %d"),
            r->no, zone, s->zone);
    }
    for (int i = 0; i < r->n; i++)
        if (r->pts[i].y <= 0 || r->pts[i].y >= 1e6) {
            add(ps, R_ZONE, pi, ri, r->pts[i].line,
                _("ring %d: the easting %.2f (without the zone %d) is outside any zone"), r->no,
                r->pts[i].y, zone);
            return;
        }
    double west, east, cm = 3.0 * zone;
    if (ring_lons(r, zone, &west, &east) < 0) {
        add(ps, R_ZONE, pi, ri, r->line, _("ring %d: zone %d: the points cannot be projected back"),
            r->no, zone);
        return;
    }
    int band_ok = west >= cm - 1.5 - GEO_BAND_SLACK && east <= cm + 1.5 + GEO_BAND_SLACK;
    if (in_city(west, east) && band_ok)
        return;
    /* would another zone put the ring in the city? */
    for (int z = zone - 2; z <= zone + 2; z++) {
        double w2, e2;
        if (z == zone || ring_lons(r, z, &w2, &e2) < 0 || !in_city(w2, e2))
            continue;
        add(ps, R_ZONE, pi, ri, r->line,
            _("ring %d: zone prefix %d does not fit: the points fall at %.2f°E, outside Dandong; "
              "read in zone %d they fall at %.2f°E"),
            r->no, zone, (west + east) / 2, z, (w2 + e2) / 2);
        return;
    }
    if (!band_ok)
        add(ps, R_ZONE, pi, ri, r->line,
            _("ring %d: zone prefix %d does not fit: the points fall at %.2f°E, beyond zone %d's "
              "band %.1f–%.1f°E"),
            r->no, zone, (west + east) / 2, zone, cm - 1.5, cm + 1.5);
    else
        add(ps, R_EXTENT, pi, ri, r->line, _("ring %d lies at %.2f°E, outside Dandong"), r->no,
            (west + east) / 2);
}

/* ---- precision ---- */

static int too_precise(const geo_shape *s, int dec)
{
    switch (s->geodetic) {
    case GEO_DEG_DMMSS: return dec > 7;   /* 2 of minutes, 2 of seconds, 3 after */
    case GEO_DEG_DDDMMSS: return dec > 3;
    case GEO_DEG_DECIMAL: return dec > 7; /* 10⁻⁷° ≈ 1 cm */
    default: return dec > 2;
    }
}

int geo_check(const geo_shape *s, geo_problems *out, mr_err *e)
{
    memset(out, 0, sizeof *out);
    GEOSContextHandle_t h = GEOS_init_r();
    if (!h) {
        err_set(e, EXIT_INTERNAL, _("GEOS could not be started"));
        return -1;
    }
    GEOSContext_setNoticeHandler_r(h, geos_quiet);
    GEOSContext_setErrorHandler_r(h, geos_quiet);
    int nozone_said = 0;
    char tmp[32], tmp2[32];
    for (int pi = 0; pi < s->nparcels; pi++) {
        const geo_parcel *p = &s->parcels[pi];
        GEOSGeometry **polys = xcalloc((size_t)(p->nrings ? p->nrings : 1), sizeof *polys);
        int given = 0, repeats = 0;
        for (int ri = 0; ri < p->nrings; ri++) {
            const geo_ring *r = &p->rings[ri];
            given += r->n;
            repeats += r->repeated_first;
            if (!r->closed) {
                if (s->fmt == GEO_FMT_POINTLIST)
                    add(out, R_CLOSED, pi, ri, r->line,
                        _("ring %d (from line %d) is not closed: no '*,top,bottom,name,flag' line "
                          "ends it"), r->no, r->line);
                else
                    add(out, R_CLOSED, pi, ri, r->line,
                        _("ring %d (from line %d) is not closed: its last point does not repeat its "
                          "first"), r->no, r->line);
            }
            if (r->swapped)
                add(out, R_SWAP, pi, ri, r->line,
                    _("ring %d: X and Y are in the wrong order (Y came first); read the other way round"),
                    r->no);
            /* consecutive and far-apart repeats (the closing repeat is not one) */
            for (int i = 0; i < r->n; i++)
                for (int j = i + 1; j < r->n; j++)
                    if (r->pts[i].x == r->pts[j].x && r->pts[i].y == r->pts[j].y) {
                        buf t = BUF_INIT;
                        pt_text(s, r->pts[i].x, r->pts[i].y, r->pts[i].zone, &t);
                        add(out, R_DUP, pi, ri, r->pts[j].line,
                            _("ring %d: point %s (line %d) repeats point %s (line %d): %s"), r->no,
                            pt_name(&r->pts[j], j, tmp, sizeof tmp), r->pts[j].line,
                            pt_name(&r->pts[i], i, tmp2, sizeof tmp2), r->pts[i].line, buf_str(&t));
                        buf_free(&t);
                        break;
                    }
            int nd = distinct_points(r);
            if (nd < 3)
                add(out, R_POINTS, pi, ri, r->line, _("ring %d has %d distinct points; a ring needs 3"),
                    r->no, nd);
            else {
                polys[ri] = ring_poly(h, r);
                char *reason = NULL;
                GEOSGeometry *loc = NULL;
                if (polys[ri] && GEOSisValidDetail_r(h, polys[ri], 0, &reason, &loc) == 0) {
                    double lx = 0, ly = 0;
                    if (loc) {
                        GEOSGeomGetX_r(h, loc, &lx);
                        GEOSGeomGetY_r(h, loc, &ly);
                    }
                    buf t = BUF_INIT;
                    pt_text(s, ly, lx, r->pts[0].zone, &t);
                    add(out, R_SELFX, pi, ri, r->line, _("ring %d intersects itself at %s (%s)"), r->no,
                        buf_str(&t), reason ? reason : "");
                    buf_free(&t);
                    GEOSGeom_destroy_r(h, polys[ri]);
                    polys[ri] = NULL;
                }
                if (reason)
                    GEOSFree_r(h, reason);
                if (loc)
                    GEOSGeom_destroy_r(h, loc);
            }
            check_zone(s, r, pi, ri, out, &nozone_said);
            int np = 0, first = 0;
            for (int i = 0; i < r->n; i++)
                if (too_precise(s, r->pts[i].xdec) || too_precise(s, r->pts[i].ydec))
                    if (!np++)
                        first = i;
            if (np)
                add(out, R_PREC, pi, ri, r->pts[first].line,
                    s->geodetic ? _("ring %d: %d of %d points are written finer than 0.001″ (first: "
                                    "point %s)")
                                : _("ring %d: %d of %d points are written finer than 0.01 m (first: "
                                    "point %s)"),
                    r->no, np, r->n, pt_name(&r->pts[first], first, tmp, sizeof tmp));
        }
        /* holes inside an included ring; included rings apart */
        for (int ri = 0; ri < p->nrings; ri++) {
            if (!polys[ri])
                continue;
            if (p->rings[ri].hole) {
                int inside = 0;
                for (int oi = 0; oi < p->nrings && !inside; oi++)
                    if (oi != ri && polys[oi] && !p->rings[oi].hole)
                        inside = GEOSWithin_r(h, polys[ri], polys[oi]) == 1;
                if (!inside)
                    add(out, R_HOLE, pi, ri, p->rings[ri].line,
                        _("ring %d is excluded (a hole) but lies inside no included ring"),
                        p->rings[ri].no);
                continue;
            }
            for (int oi = ri + 1; oi < p->nrings; oi++)
                if (polys[oi] && !p->rings[oi].hole &&
                    GEOSRelatePattern_r(h, polys[ri], polys[oi], "T********") == 1)
                    add(out, R_OVERLAP, pi, ri, p->rings[oi].line,
                        _("rings %d and %d overlap: their common part is counted twice"),
                        p->rings[ri].no, p->rings[oi].no);
        }
        for (int ri = 0; ri < p->nrings; ri++)
            if (polys[ri])
                GEOSGeom_destroy_r(h, polys[ri]);
        free(polys);
        if (p->declared_points >= 0 && p->declared_points != given &&
            p->declared_points != given + repeats)
            add(out, R_COUNT, pi, -1, p->declared_line,
                _("parcel %d's header gives %d points, its lines %d"), pi + 1, p->declared_points,
                given + repeats);
        if (p->has_reg_area) {
            double a = geo_parcel_area(s, p);
            if (a >= 0 && geo_round4(a) != geo_round4(p->reg_area))
                add(out, R_AREA, pi, -1, p->line,
                    _("parcel %d: the official area is %.4f km², the registered 面积 %.4f km²"),
                    pi + 1, geo_round4(a), geo_round4(p->reg_area));
        }
    }
    GEOS_finish_r(h);
    /* in file order */
    for (int i = 1; i < out->n; i++)
        for (int j = i; j > 0 && out->v[j - 1].line > out->v[j].line; j--) {
            geo_problem t = out->v[j];
            out->v[j] = out->v[j - 1];
            out->v[j - 1] = t;
        }
    return 0;
}
