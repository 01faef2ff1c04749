/* geo_write.c — a boundary in the formats others read.
 *
 *   point list   for the registration system: one parcel, each ring's points
 *                and its `*,top,bottom,name,flag,` line.
 *   exchange     the ministry's exchange file: [属性描述] (the file's own, or
 *                CGCS2000 3° Gauss–Krüger in its zone), [地块坐标] with each
 *                parcel's header (its official area) and 点号,圈号,X,Y lines,
 *                every ring closed by repeating its first point.
 *   WKT          one MULTIPOLYGON a parcel, easting (with its zone prefix,
 *                as EPSG:4513–4533 have it) before northing — GIS order.
 *   GeoJSON      RFC 7946: longitude, latitude (CGCS2000 ≈ WGS 84 to a few
 *                cm), outer rings counter-clockwise, holes clockwise.
 * Plane coordinates are written to 0.01 m, the precision the standard asks.
 */
#include "config.h"

#include "core/geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

/* The included ring a hole belongs to: the first whose inside holds the
 * hole's first point (even-odd rule), or -1. */
static int hole_owner(const geo_parcel *p, int hi)
{
    const geo_ring *h = &p->rings[hi];
    if (!h->n)
        return -1;
    for (int oi = 0; oi < p->nrings; oi++) {
        const geo_ring *c = &p->rings[oi];
        if (oi == hi || c->hole || c->n < 3)
            continue;
        double px = h->pts[0].x, py = h->pts[0].y;
        int in = 0;
        for (int i = 0, j = c->n - 1; i < c->n; j = i++) {
            const geo_point *a = &c->pts[i], *b = &c->pts[j];
            if ((a->y > py) != (b->y > py) && px < (b->x - a->x) * (py - a->y) / (b->y - a->y) + a->x)
                in = !in;
        }
        if (in)
            return oi;
    }
    return -1;
}

static void plane_xy(const geo_point *p, buf *b, const char *sep)
{
    if (p->zone)
        buf_printf(b, "%.2f%s%d%09.2f", p->x, sep, p->zone, p->y);
    else
        buf_printf(b, "%.2f%s%.2f", p->x, sep, p->y);
}

/* A point's own name can be written as the point list's first cell: not a
 * ring's end ('*'), no separator or quote, nothing a reader trims away. */
static int id_ok(const char *id)
{
    if (!id || !*id || *id == '*' || *id == ' ' || *id == '\t')
        return 0;
    if (strpbrk(id, ",\"\r\n"))
        return 0;
    size_t n = strlen(id);
    return id[n - 1] != ' ' && id[n - 1] != '\t';
}

static int write_pointlist(const geo_shape *s, buf *b, mr_err *e)
{
    if (s->geodetic) {
        err_set(e, EXIT_DATA, _("a point list holds plane coordinates; these are degrees"));
        return -1;
    }
    if (s->nparcels != 1) {
        err_set(e, EXIT_DATA, _("a point list holds one parcel; this boundary has %d"), s->nparcels);
        return -1;
    }
    buf_puts(b, "拐点,X(起标高),Y(止标高)\r\n");
    const geo_parcel *p = &s->parcels[0];
    int k = 1;
    for (int ri = 0; ri < p->nrings; ri++) {
        const geo_ring *r = &p->rings[ri];
        for (int i = 0; i < r->n; i++, k++) {
            if (id_ok(r->pts[i].id))
                buf_puts(b, r->pts[i].id);
            else
                buf_printf(b, "%d", k);
            buf_putc(b, ',');
            plane_xy(&r->pts[i], b, ",");
            buf_puts(b, ",,,\r\n");
        }
        /* a ring whose last point is its first (a duplicate the checks
         * report) gets the first once more, or a reader would take the
         * last for the closing repeat and lose it */
        if (r->n >= 2 && r->pts[0].x == r->pts[r->n - 1].x && r->pts[0].y == r->pts[r->n - 1].y) {
            buf_printf(b, "%d,", k++);
            plane_xy(&r->pts[0], b, ",");
            buf_puts(b, ",,,\r\n");
        }
        buf_putc(b, '*');
        buf_putc(b, ',');
        if (r->has_elev)
            buf_printf(b, "%g,%g", r->top, r->bottom);
        else
            buf_putc(b, ',');
        buf_printf(b, ",%s,%d,\r\n", r->name ? r->name : "", r->hole ? -1 : 1);
    }
    return 0;
}

static int write_exchange(const geo_shape *s, buf *b, mr_err *e)
{
    if (s->geodetic) {
        err_set(e, EXIT_DATA, _("the exchange file holds plane coordinates; these are degrees"));
        return -1;
    }
    buf_puts(b, "[属性描述]\r\n");
    if (s->nattr) {
        for (int i = 0; i < s->nattr; i++)
            buf_printf(b, "%s=%s\r\n", s->keys[i], s->vals[i]);
    } else {
        int zone = s->zone;
        for (int pi = 0; pi < s->nparcels && !zone; pi++)
            for (int ri = 0; ri < s->parcels[pi].nrings && !zone; ri++)
                if (s->parcels[pi].rings[ri].n)
                    zone = s->parcels[pi].rings[ri].pts[0].zone;
        buf_puts(b, "坐标系=2000国家大地坐标系\r\n几度分带=3\r\n投影类型=高斯克吕格\r\n计量单位=米\r\n");
        if (zone)   /* no zone known: no 带号 (0 is none, and a reader refuses it) */
            buf_printf(b, "带号=%d\r\n", zone);
        buf_puts(b, "精度=0.01\r\n");
    }
    buf_puts(b, "[地块坐标]\r\n");
    for (int pi = 0; pi < s->nparcels; pi++) {
        const geo_parcel *p = &s->parcels[pi];
        int n = 0;
        for (int ri = 0; ri < p->nrings; ri++)
            n += p->rings[ri].n + 1;
        double a = geo_parcel_area(s, p);
        buf_printf(b, "%d,", n);
        if (a >= 0)
            buf_printf(b, "%.4f", geo_round4(a));
        buf_printf(b, ",%s,%s,面,,,@\r\n", p->no ? p->no : "", p->name ? p->name : "");
        int k = 1;
        for (int ri = 0; ri < p->nrings; ri++) {
            const geo_ring *r = &p->rings[ri];
            int first = k;
            for (int i = 0; r->n && i <= r->n; i++) {
                const geo_point *pt = &r->pts[i % r->n];
                buf_printf(b, "J%d,%d,", i < r->n ? k++ : first, ri + 1);
                plane_xy(pt, b, ",");
                buf_puts(b, "\r\n");
            }
        }
    }
    return 0;
}

/* GIS order: easting (with zone) or longitude, then northing or latitude. */
static void gis_xy(const geo_shape *s, const geo_point *p, buf *b)
{
    if (s->geodetic)
        buf_printf(b, "%.8f %.8f", p->y, p->x);
    else if (p->zone)
        buf_printf(b, "%.2f %.2f", p->zone * 1e6 + p->y, p->x);
    else
        buf_printf(b, "%.2f %.2f", p->y, p->x);
}

static void wkt_ring(const geo_shape *s, const geo_ring *r, buf *b)
{
    buf_putc(b, '(');
    for (int i = 0; i <= r->n; i++) {
        if (i)
            buf_puts(b, ", ");
        gis_xy(s, &r->pts[i % r->n], b);
    }
    buf_putc(b, ')');
}

static int write_wkt(const geo_shape *s, buf *b)
{
    for (int pi = 0; pi < s->nparcels; pi++) {
        const geo_parcel *p = &s->parcels[pi];
        buf_puts(b, "MULTIPOLYGON (");
        int np = 0;
        for (int oi = 0; oi < p->nrings; oi++) {
            if (p->rings[oi].hole || !p->rings[oi].n)
                continue;
            buf_puts(b, np++ ? ", (" : "(");
            wkt_ring(s, &p->rings[oi], b);
            for (int hi = 0; hi < p->nrings; hi++)
                if (p->rings[hi].hole && p->rings[hi].n && hole_owner(p, hi) == oi) {
                    buf_puts(b, ", ");
                    wkt_ring(s, &p->rings[hi], b);
                }
            buf_putc(b, ')');
        }
        buf_puts(b, ")\n");
    }
    return 0;
}

static void json_str(buf *b, const char *t)
{
    buf_putc(b, '"');
    for (const unsigned char *c = (const unsigned char *)(t ? t : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            buf_printf(b, "\\%c", *c);
        else if (*c < 0x20)
            buf_printf(b, "\\u%04x", *c);
        else
            buf_putc(b, (char)*c);
    }
    buf_putc(b, '"');
}

/* A ring as [lon, lat] pairs, turned counter-clockwise (ccw) or clockwise. */
static int json_ring(const geo_shape *s, const geo_ring *r, int ccw, buf *b)
{
    double *lat = xmalloc(sizeof *lat * (size_t)r->n), *lon = xmalloc(sizeof *lon * (size_t)r->n);
    int rc = 0;
    for (int i = 0; i < r->n && rc == 0; i++)
        rc = geo_point_latlon(s, &r->pts[i], &lat[i], &lon[i]);
    if (rc == 0) {
        double area2 = 0;
        for (int i = 0; i < r->n; i++) {
            int j = (i + 1) % r->n;
            area2 += lon[i] * lat[j] - lon[j] * lat[i];
        }
        int rev = (area2 > 0) != ccw;
        buf_putc(b, '[');
        for (int i = 0; i <= r->n; i++) {
            int k = rev ? (r->n - i % r->n) % r->n : i % r->n;
            buf_printf(b, "%s[%.8f, %.8f]", i ? ", " : "", lon[k], lat[k]);
        }
        buf_putc(b, ']');
    }
    free(lat);
    free(lon);
    return rc;
}

static int write_geojson(const geo_shape *s, buf *b, mr_err *e)
{
    buf_puts(b, "{\"type\": \"FeatureCollection\", \"features\": [\n");
    for (int pi = 0; pi < s->nparcels; pi++) {
        const geo_parcel *p = &s->parcels[pi];
        double a = geo_parcel_area(s, p);
        buf_puts(b, pi ? ",\n" : "");
        buf_puts(b, " {\"type\": \"Feature\", \"properties\": {\"no\": ");
        json_str(b, p->no);
        buf_puts(b, ", \"name\": ");
        json_str(b, p->name);
        if (a >= 0)
            buf_printf(b, ", \"area_km2\": %.4f", geo_round4(a));
        buf_puts(b, "},\n  \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": [");
        int np = 0;
        for (int oi = 0; oi < p->nrings; oi++) {
            if (p->rings[oi].hole || !p->rings[oi].n)
                continue;
            buf_puts(b, np++ ? ", [" : "[");
            if (json_ring(s, &p->rings[oi], 1, b) < 0)
                goto noproj;
            for (int hi = 0; hi < p->nrings; hi++)
                if (p->rings[hi].hole && p->rings[hi].n && hole_owner(p, hi) == oi) {
                    buf_puts(b, ", ");
                    if (json_ring(s, &p->rings[hi], 0, b) < 0)
                        goto noproj;
                }
            buf_putc(b, ']');
        }
        buf_puts(b, "]}}");
    }
    buf_puts(b, "\n]}\n");
    return 0;
noproj:
    err_set(e, EXIT_DATA, _("GeoJSON needs longitudes and latitudes: a point has no zone or cannot be "
                            "projected back"));
    return -1;
}

int geo_write(const geo_shape *s, geo_format f, buf *b, mr_err *e)
{
    switch (f) {
    case GEO_FMT_POINTLIST: return write_pointlist(s, b, e);
    case GEO_FMT_EXCHANGE: return write_exchange(s, b, e);
    case GEO_FMT_WKT: return write_wkt(s, b);
    case GEO_FMT_GEOJSON: return write_geojson(s, b, e);
    default:
        err_set(e, EXIT_USAGE, _("boundaries are written as pointlist, exchange, wkt or geojson, not %s"),
                geo_format_name(f));
        return -1;
    }
}
