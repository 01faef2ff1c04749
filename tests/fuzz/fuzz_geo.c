/* fuzz_geo.c — the coordinate parsers (geo_parse.c, geo_deg.c), the checks,
 * the areas and the writers, end to end.
 *
 * The first byte picks the format and the degree notation asked for and a
 * zone; the rest is the file.  Whatever the bytes, the read must succeed or
 * refuse with a message naming a line; a shape that was read must be
 * checked, measured and written without a crash or a leak, and what the
 * exchange and point-list writers write must read back to the same number
 * of parcels, rings and points.  A violation aborts. */
#include "config.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/minreg-fuzz-geo-XXXXXX";
static int ready;

static void cleanup(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/in.txt", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/back.txt", dir);
    unlink(p);
    rmdir(dir);
}

static void put(const char *path, const void *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (n && fwrite(d, 1, n, f) != n)
        abort();
    fclose(f);
}

static int count_points(const geo_shape *s, int *rings)
{
    int n = 0;
    *rings = 0;
    for (int pi = 0; pi < s->nparcels; pi++)
        for (int ri = 0; ri < s->parcels[pi].nrings; ri++) {
            (*rings)++;
            n += s->parcels[pi].rings[ri].n;
        }
    return n;
}

/* The writers round plane coordinates to 0.01 m (the standard's
 * precision): a shape given finer may lose a point that rounds onto its
 * first, so only shapes given to 0.01 m must come back whole. */
static int centimetres(const geo_shape *s)
{
    for (int pi = 0; pi < s->nparcels; pi++)
        for (int ri = 0; ri < s->parcels[pi].nrings; ri++)
            for (int i = 0; i < s->parcels[pi].rings[ri].n; i++) {
                const geo_point *p = &s->parcels[pi].rings[ri].pts[i];
                if (p->xdec > 2 || p->ydec > 2 || fabs(p->x) >= 1e8)
                    return 0;
            }
    return 1;
}

/* What w wrote of s must read back as s's parcels, rings and points. */
static void round_trip(const geo_shape *s, geo_format w, const char *back)
{
    if (!centimetres(s))
        return;
    buf b = BUF_INIT;
    mr_err e = {0};
    if (geo_write(s, w, &b, &e) == 0) {
        put(back, buf_str(&b), b.len);
        geo_shape t;
        geo_read_opts o = {.fmt = w, .zone = s->zone};
        if (geo_read(back, &o, &t, &e) < 0) {
            fprintf(stderr, "fuzz_geo: %s does not read back: %s\n", geo_format_name(w), e.msg);
            abort();
        }
        int r1, r2;
        int n1 = count_points(s, &r1), n2 = count_points(&t, &r2);
        if (t.nparcels != s->nparcels || r1 != r2 || n1 != n2) {
            fprintf(stderr, "fuzz_geo: %s read back as %d parcels %d rings %d points, not %d %d %d\n",
                    geo_format_name(w), t.nparcels, r2, n2, s->nparcels, r1, n1);
            abort();
        }
        geo_shape_free(&t);
    } else if (!e.msg[0]) {
        abort();   /* refused without saying why */
    }
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        if (!mkdtemp(dir))
            abort();
        atexit(cleanup);
        ready = 1;
    }
    if (size < 1)
        return 0;
    static const geo_format fmts[] = {GEO_FMT_AUTO, GEO_FMT_POINTLIST, GEO_FMT_EXCHANGE,
                                      GEO_FMT_JTABLE, GEO_FMT_XYSTRING, GEO_FMT_AUTO,
                                      GEO_FMT_AUTO, GEO_FMT_AUTO};
    geo_read_opts o = {
        .fmt = fmts[data[0] & 7],
        .deg = (geo_degrees)((data[0] >> 3) & 3),
        .zone = (data[0] & 0x20) ? 41 + ((data[0] >> 6) & 1) : 0,
    };
    char path[128], back[128];
    snprintf(path, sizeof path, "%s/in.txt", dir);
    snprintf(back, sizeof back, "%s/back.txt", dir);
    put(path, data + 1, size - 1);
    geo_shape s;
    mr_err e = {0};
    if (geo_read(path, &o, &s, &e) < 0) {
        if (!e.msg[0])
            abort();   /* refused without saying why */
        return 0;
    }
    geo_problems pr = {0};
    if (geo_check(&s, &pr, &e) < 0 && !e.msg[0])
        abort();
    for (int i = 0; i < pr.n; i++)
        if (!pr.v[i].rule || !pr.v[i].msg)
            abort();
    geo_problems_free(&pr);
    for (int pi = 0; pi < s.nparcels; pi++) {
        double a = geo_parcel_area(&s, &s.parcels[pi]);
        if (isnan(a))
            abort();
        for (int ri = 0; ri < s.parcels[pi].nrings; ri++) {
            geo_ring_area(&s, &s.parcels[pi].rings[ri]);
            geo_ring_area_geodesic(&s, &s.parcels[pi].rings[ri]);
            geo_ring_area_plane(&s.parcels[pi].rings[ri]);
        }
    }
    static const geo_format outs[] = {GEO_FMT_WKT, GEO_FMT_GEOJSON};
    for (size_t i = 0; i < sizeof outs / sizeof *outs; i++) {
        buf b = BUF_INIT;
        if (geo_write(&s, outs[i], &b, &e) < 0 && !e.msg[0])
            abort();
        buf_free(&b);
    }
    round_trip(&s, GEO_FMT_EXCHANGE, back);
    round_trip(&s, GEO_FMT_POINTLIST, back);
    geo_shape_free(&s);
    return 0;
}
