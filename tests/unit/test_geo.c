/* test_geo.c — boundaries: reading the formats, the official area against
 * independent methods, the checks, writing and reading back.
 *
 * The fixtures (tests/fixtures/geo) are hand-made: 1 km squares (area 1 km²
 * in the plane) about 32 km and 118 km from zone 41's central meridian, a
 * bow-tie, an unclosed ring, a wrong zone prefix, X and Y swapped, a mine
 * of two 采区 and a pillar left out, and one in each format.  The official
 * area (TD/T 1055 trapezoids) is checked against PROJ's geodesic polygon
 * area, against the closed-form area of a latitude–longitude rectangle on
 * GRS80, and against the Gauss–Krüger area scale 1 + y²/(MN).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/geo.h"
#include "tap.h"

static char path_buf[1024];

static const char *fx(const char *name)
{
    const char *src = getenv("srcdir");
    snprintf(path_buf, sizeof path_buf, "%s/tests/fixtures/geo/%s", src ? src : ".", name);
    return path_buf;
}

static int read_fx(const char *name, const geo_read_opts *o, geo_shape *s)
{
    mr_err e = {0};
    int rc = geo_read(fx(name), o, s, &e);
    if (rc < 0)
        printf("# %s: %s\n", name, e.msg);
    return rc;
}

/* How many problems of rule id the shape has. */
static int count_rule(const geo_shape *s, const char *id)
{
    geo_problems ps;
    mr_err e = {0};
    if (geo_check(s, &ps, &e) < 0)
        return -1;
    int n = 0;
    for (int i = 0; i < ps.n; i++) {
        if (strcmp(ps.v[i].rule->id, id) == 0)
            n++;
        printf("#   %d %s %s\n", ps.v[i].line, ps.v[i].rule->id, ps.v[i].msg);
    }
    geo_problems_free(&ps);
    return n;
}

static int nproblems(const geo_shape *s)
{
    geo_problems ps;
    mr_err e = {0};
    if (geo_check(s, &ps, &e) < 0)
        return -1;
    int n = ps.n;
    geo_problems_free(&ps);
    return n;
}

/* Exact area of a latitude–longitude rectangle on GRS80 (closed form of
 * the authalic integral), km². */
static double rect_area(double lat1, double lat2, double dlon)
{
    const double a = 6378137.0, f = 1 / 298.257222101, e2 = 2 * f - f * f, e = sqrt(e2);
    double q[2], lat[2] = {lat1 * M_PI / 180, lat2 * M_PI / 180};
    for (int i = 0; i < 2; i++) {
        double s = sin(lat[i]);
        q[i] = s / (1 - e2 * s * s) + log((1 + e * s) / (1 - e * s)) / (2 * e);
    }
    return a * a * (1 - e2) / 2 * (q[1] - q[0]) * dlon * M_PI / 180 / 1e6;
}

static void write_tmp(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

int main(void)
{
    geo_shape s;
    geo_read_opts dflt = {0};

    /* ---- degrees ---- */
    double d;
    ok(geo_deg_from_text("124.3015123", GEO_DEG_DMMSS, &d) == 0 &&
           fabs(d - (124 + 30 / 60.0 + 15.123 / 3600)) < 1e-12, "D.MMSS 124.3015123 = 124°30′15.123″");
    ok(geo_deg_from_text("124.3", GEO_DEG_DMMSS, &d) == 0 && fabs(d - 124.5) < 1e-12,
       "D.MMSS 124.3 = 124°30′ (a short fraction is minutes)");
    ok(geo_deg_from_text("1243015.123", GEO_DEG_DDDMMSS, &d) == 0 &&
           fabs(d - (124 + 30 / 60.0 + 15.123 / 3600)) < 1e-12, "DDDMMSS 1243015.123");
    ok(geo_deg_from_text("402530", GEO_DEG_DDDMMSS, &d) == 0 && fabs(d - (40 + 25 / 60.0 + 30 / 3600.0)) < 1e-12,
       "DDMMSS latitude 402530");
    ok(geo_deg_from_text("124°30′15.123″", GEO_DEG_AUTO, &d) == 0 &&
           fabs(d - (124 + 30 / 60.0 + 15.123 / 3600)) < 1e-12, "symbols 124°30′15.123″");
    ok(geo_deg_from_text("40度25分30秒", GEO_DEG_AUTO, &d) == 0 && fabs(d - (40 + 25 / 60.0 + 0.5 / 60)) < 1e-12,
       "40度25分30秒");
    ok(geo_deg_from_text("124.6015", GEO_DEG_DMMSS, &d) < 0, "D.MMSS with 60 minutes is refused");
    ok(geo_deg_from_text("1246015", GEO_DEG_DDDMMSS, &d) < 0, "DDDMMSS with 60 minutes is refused");
    ok(!geo_deg_could_be_dmmss("124.0175") && geo_deg_could_be_dmmss("124.0125"),
       "124.0175 cannot be D.MMSS (75″), 124.0125 can");
    buf b = BUF_INIT;
    geo_deg_to_dmmss(124 + 30 / 60.0 + 59.9996 / 3600, &b);
    is_str(buf_str(&b), "124.3100000", "to D.MMSS: 59.9996″ rounds into the minute");
    buf_free(&b);

    /* ---- reading: the point list ---- */
    ok(read_fx("square_far.txt", &dflt, &s) == 0, "point list read");
    is_int(s.fmt, GEO_FMT_POINTLIST, "told as a point list by its header");
    is_int(s.nparcels, 1, "one parcel");
    is_int(s.parcels[0].nrings, 1, "one ring");
    geo_ring *r = &s.parcels[0].rings[0];
    is_int(r->n, 4, "four points");
    ok(r->closed && r->has_elev && r->top == 120 && r->bottom == -30, "closed by '*,120,-30,…' with elevations");
    is_str(r->name, "东部采区", "the mining area's name");
    ok(r->pts[0].zone == 41 && r->pts[0].prefixed && r->pts[0].y == 617500.0 && r->pts[0].x == 4450000.0,
       "zone prefix taken off Y: zone 41, easting 617500");
    double plane = geo_ring_area_plane(r), off = geo_ring_area(&s, r), gd = geo_ring_area_geodesic(&s, r);
    ok(fabs(plane - 1.0) < 1e-12, "plane area 1 km²");
    printf("# far square: official %.7f geodesic %.7f plane %.7f\n", off, gd, plane);
    ok(fabs(off - gd) < 1e-5, "official area = geodesic polygon area within 10⁻⁵ km²");
    /* Gauss–Krüger area scale at 118 km: 1 + y²/(MN); y is the ring's mean
     * distance from the meridian (117.5–118.5 km) */
    {
        double lat, lon;
        ok(geo_inverse(41, 4450500, 618000, &lat, &lon) == 0 && fabs(lon - 124.39) < 0.01,
           "the square's middle lies at 124.39°E");
        const double a = 6378137.0, f = 1 / 298.257222101, e2 = 2 * f - f * f;
        double sp = sin(lat * M_PI / 180), w = 1 - e2 * sp * sp;
        double M = a * (1 - e2) / pow(w, 1.5), N = a / sqrt(w), y = 118000;
        double want = 1 / (1 + y * y / (M * N) + y * y * y * y / (3 * M * M * N * N));
        printf("# scale prediction %.7f\n", want);
        ok(fabs(off - want) < 2e-6, "official area = plane area / GK area scale (1 + y²/MN) at 118 km");
    }
    ok(geo_round4(off) == 0.9997 && geo_round4(plane) == 1.0, "4th decimal: official 0.9997, plane 1.0000");
    is_int(nproblems(&s), 0, "the far square has no problems");
    geo_shape_free(&s);

    ok(read_fx("square_cm.txt", &dflt, &s) == 0, "near square read");
    r = &s.parcels[0].rings[0];
    off = geo_ring_area(&s, r);
    ok(fabs(off - geo_ring_area_geodesic(&s, r)) < 1e-5 && geo_round4(off) == 1.0,
       "near the meridian: official 1.0000 = geodesic");
    ok(fabs(off - 1) < 5e-5 && fabs(off - 1) > 1e-6, "32 km out the plane area is a hair (2.6·10⁻⁵) too big");
    geo_shape_free(&s);

    /* ---- the checks ---- */
    ok(read_fx("bowtie.txt", &dflt, &s) == 0, "bow-tie read");
    is_int(count_rule(&s, "G-SELFX"), 1, "bow-tie: intersects itself");
    geo_shape_free(&s);
    ok(read_fx("unclosed.txt", &dflt, &s) == 0, "unclosed point list read");
    is_int(count_rule(&s, "G-CLOSED"), 1, "no '*' line: not closed");
    geo_shape_free(&s);
    ok(read_fx("wrong_zone.txt", &dflt, &s) == 0, "wrong zone read");
    is_int(count_rule(&s, "G-ZONE"), 1, "zone 42 on a zone-41 shape: does not fit");
    geo_shape_free(&s);
    ok(read_fx("swapped.csv", &dflt, &s) == 0, "swapped J table read");
    is_int(count_rule(&s, "G-SWAP"), 1, "Y before X: swapped");
    ok(s.parcels[0].rings[0].pts[0].x == 4450000 && s.parcels[0].rings[0].pts[0].zone == 41,
       "and read the right way round");
    geo_shape_free(&s);
    ok(read_fx("precision.txt", &dflt, &s) == 0, "precision fixture read");
    is_int(count_rule(&s, "G-PREC"), 1, "4450000.1234: finer than 0.01 m");
    geo_shape_free(&s);
    ok(read_fx("area_mismatch.txt", &dflt, &s) == 0, "exchange with the plane area registered");
    is_int(count_rule(&s, "G-AREA"), 1, "registered 1.0000 against official 0.9997");
    geo_shape_free(&s);

    ok(read_fx("mine_multi.txt", &dflt, &s) == 0, "multi-ring mine read");
    geo_parcel *p = &s.parcels[0];
    is_int(p->nrings, 3, "three rings");
    ok(!p->rings[0].hole && !p->rings[1].hole && p->rings[2].hole && p->rings[2].flag == -1,
       "the -1 ring is excluded");
    double sum = geo_ring_area(&s, &p->rings[0]) + geo_ring_area(&s, &p->rings[1]) - geo_ring_area(&s, &p->rings[2]);
    ok(fabs(geo_parcel_area(&s, p) - sum) < 1e-12, "parcel = included rings less the excluded one");
    is_int(nproblems(&s), 0, "the mine has no problems");
    geo_shape_free(&s);

    /* ---- the other formats give the same shape ---- */
    ok(read_fx("exchange.txt", &dflt, &s) == 0, "exchange file read");
    ok(s.fmt == GEO_FMT_EXCHANGE && s.zone == 41 && s.nparcels == 2 && s.nattr == 8,
       "exchange: two parcels, 带号 41, eight attributes");
    ok(s.parcels[0].rings[0].closed && s.parcels[0].rings[0].n == 4, "exchange: ring closed by repeating J1");
    is_str(s.parcels[0].no, "C2102002010017", "parcel number");
    is_str(s.vals[7], "0,0,0,0,0,0,0", "a value with commas kept whole");
    ok(geo_round4(geo_parcel_area(&s, &s.parcels[0])) == 0.9997 && s.parcels[0].reg_area == 0.9997,
       "exchange: 0.9997 as registered");
    is_int(nproblems(&s), 0, "exchange file: no problems");
    geo_shape_free(&s);
    const char *same[] = {"jtable.csv", "xy.txt"};
    for (int i = 0; i < 2; i++) {
        ok(read_fx(same[i], &dflt, &s) == 0, "%s read", same[i]);
        ok(geo_round4(geo_parcel_area(&s, &s.parcels[0])) == 0.9997, "%s: the far square's 0.9997", same[i]);
        geo_shape_free(&s);
    }

    /* geodetic: against the closed-form rectangle */
    ok(read_fx("deg_decimal.csv", &dflt, &s) == 0 && s.geodetic == GEO_DEG_DECIMAL,
       "decimal degrees told by 124.0175 (not D.MMSS)");
    double want = rect_area(40.0, 40.009, 0.0175);
    off = geo_parcel_area(&s, &s.parcels[0]);
    printf("# decimal rect: official %.9f exact %.9f geodesic %.9f\n", off, want,
           geo_ring_area_geodesic(&s, &s.parcels[0].rings[0]));
    ok(fabs(off - want) < 1e-7, "decimal rectangle: official = closed form within 10⁻⁷ km²");
    ok(fabs(off - geo_ring_area_geodesic(&s, &s.parcels[0].rings[0])) < 1e-5, "and = geodesic within 10⁻⁵");
    geo_shape_free(&s);
    mr_err e = {0};
    ok(geo_read(fx("deg_dmmss.csv"), &dflt, &s, &e) < 0 && strstr(e.msg, ":2:") && e.code == EXIT_DATA,
       "D.MMSS-looking degrees without --degrees: refused at line 2");
    geo_read_opts dm = {.deg = GEO_DEG_DMMSS};
    ok(read_fx("deg_dmmss.csv", &dm, &s) == 0, "D.MMSS read when told");
    want = rect_area(40.0, 40.0125, 0.0125);   /* 45″ = 0.0125° */
    ok(fabs(geo_parcel_area(&s, &s.parcels[0]) - want) < 1e-7, "D.MMSS rectangle = closed form");
    geo_shape_free(&s);
    ok(read_fx("deg_dddmmss.csv", &dflt, &s) == 0 && s.geodetic == GEO_DEG_DDDMMSS, "DDDMMSS told by its size");
    ok(fabs(geo_parcel_area(&s, &s.parcels[0]) - want) < 1e-7, "DDDMMSS: the same rectangle");
    geo_shape_free(&s);

    /* ---- malformed input: the line and the reason ---- */
    ok(geo_read(fx("bad_number.txt"), &dflt, &s, &e) < 0 && strstr(e.msg, "bad_number.txt:3:") &&
           strstr(e.msg, "4161850O.00"), "a letter O in Y: line 3 and the text");
    char tmp[] = "/tmp/test_geo.XXXXXX";
    int fd = mkstemp(tmp);
    close(fd);
    write_tmp(tmp, "拐点,X,Y\n*,1,2,x,1,\n");
    ok(geo_read(tmp, &dflt, &s, &e) < 0 && strstr(e.msg, ":2:"), "a '*' line with no ring: line 2");
    write_tmp(tmp, "拐点,X,Y\n1,4450000,41617500\n*,1,2,x,7,\n");
    ok(geo_read(tmp, &dflt, &s, &e) < 0 && strstr(e.msg, ":3:") && strstr(e.msg, "'7'"), "ring flag 7: line 3");
    write_tmp(tmp, "J1,1,4450000,41617500\n[地块坐标]\n");
    ok(geo_read(tmp, &dflt, &s, &e) < 0, "exchange text before any section refused");
    write_tmp(tmp, "[地块坐标]\nJ1,1,4450000,41617500\n");
    ok(geo_read(tmp, &dflt, &s, &e) < 0 && strstr(e.msg, ":2:"), "exchange point before any parcel header");
    write_tmp(tmp, "\"unclosed quote,1,2\n");
    ok(geo_read(tmp, &dflt, &s, &e) < 0 && e.code == EXIT_DATA, "a stray quote: refused by the CSV reader");

    /* duplicates, too few points, a hole outside, counts, no zone */
    write_tmp(tmp, "拐点,X,Y\n1,4450000.00,41617500.00\n2,4450000.00,41618500.00\n3,4450000.00,41618500.00\n"
                   "4,4451000.00,41618500.00\n*,,,,1,\n");
    ok(geo_read(tmp, &dflt, &s, &e) == 0, "duplicate point file read");
    is_int(count_rule(&s, "G-DUP"), 1, "point 3 repeats point 2");
    geo_shape_free(&s);
    write_tmp(tmp, "拐点,X,Y\n1,4450000.00,41617500.00\n2,4450000.00,41618500.00\n3,4450000.00,41618500.00\n*,,,,1,\n");
    ok(geo_read(tmp, &dflt, &s, &e) == 0, "two distinct points read");
    is_int(count_rule(&s, "G-POINTS"), 1, "fewer than 3 distinct points");
    geo_shape_free(&s);
    write_tmp(tmp, "拐点,X,Y\n1,4450000.00,41617500.00\n2,4450000.00,41618500.00\n3,4451000.00,41618500.00\n"
                   "4,4451000.00,41617500.00\n*,,,,1,\n5,4460000.00,41617500.00\n6,4460000.00,41617600.00\n"
                   "7,4460100.00,41617600.00\n*,,,,-1,\n");
    ok(geo_read(tmp, &dflt, &s, &e) == 0, "excluded ring elsewhere read");
    is_int(count_rule(&s, "G-HOLE"), 1, "an excluded ring inside no included ring");
    geo_shape_free(&s);
    write_tmp(tmp, "[属性描述]\n带号=41\n[地块坐标]\n9,,1,x,面,@\nJ1,1,4450000.00,617500.00\nJ2,1,4450000.00,618500.00\n"
                   "J3,1,4451000.00,618500.00\nJ1,1,4450000.00,617500.00\n");
    ok(geo_read(tmp, &dflt, &s, &e) == 0, "exchange with Y unprefixed, 带号 41");
    ok(s.parcels[0].rings[0].pts[0].zone == 41 && !s.parcels[0].rings[0].pts[0].prefixed, "zone from 带号");
    is_int(count_rule(&s, "G-COUNT"), 1, "header says 9 points, 4 lines");
    geo_shape_free(&s);
    write_tmp(tmp, "J1,4450000.00,617500.00\nJ2,4450000.00,618500.00\nJ3,4451000.00,618500.00\n");
    ok(geo_read(tmp, &dflt, &s, &e) == 0, "J table with no zone anywhere read");
    is_int(count_rule(&s, "G-NOZONE"), 1, "no zone: said once");
    ok(geo_parcel_area(&s, &s.parcels[0]) < 0, "and no area");
    geo_shape_free(&s);
    geo_read_opts z41 = {.zone = 41};
    ok(geo_read(tmp, &z41, &s, &e) == 0 && geo_parcel_area(&s, &s.parcels[0]) > 0, "--zone 41 gives it one");
    geo_shape_free(&s);

    /* ---- writing, and reading back ---- */
    const geo_format outs[] = {GEO_FMT_POINTLIST, GEO_FMT_EXCHANGE};
    for (int i = 0; i < 2; i++) {
        ok(read_fx("mine_multi.txt", &dflt, &s) == 0, "mine read for writing");
        double a0 = geo_parcel_area(&s, &s.parcels[0]);
        buf w = BUF_INIT;
        ok(geo_write(&s, outs[i], &w, &e) == 0, "written as %s", geo_format_name(outs[i]));
        geo_shape_free(&s);
        write_tmp(tmp, buf_str(&w));
        buf_free(&w);
        ok(geo_read(tmp, &dflt, &s, &e) == 0 && s.fmt == outs[i], "%s read back", geo_format_name(outs[i]));
        ok(s.nparcels == 1 && s.parcels[0].nrings == 3 && s.parcels[0].rings[2].hole,
           "%s: three rings, the pillar still excluded", geo_format_name(outs[i]));
        ok(fabs(geo_parcel_area(&s, &s.parcels[0]) - a0) < 1e-12, "%s: the same area", geo_format_name(outs[i]));
        is_int(nproblems(&s), 0, "%s: no problems", geo_format_name(outs[i]));
        geo_shape_free(&s);
    }
    ok(read_fx("square_far.txt", &dflt, &s) == 0, "square for WKT");
    buf w = BUF_INIT;
    ok(geo_write(&s, GEO_FMT_WKT, &w, &e) == 0, "WKT written");
    is_str(buf_str(&w),
           "MULTIPOLYGON (((41617500.00 4450000.00, 41618500.00 4450000.00, 41618500.00 4451000.00, "
           "41617500.00 4451000.00, 41617500.00 4450000.00)))\n",
           "WKT: easting with zone, northing; closed");
    buf_reset(&w);
    ok(geo_write(&s, GEO_FMT_GEOJSON, &w, &e) == 0, "GeoJSON written");
    ok(strstr(buf_str(&w), "\"MultiPolygon\"") && strstr(buf_str(&w), "[124.3") && strstr(buf_str(&w), "\"area_km2\": 0.9997"),
       "GeoJSON: longitude first, the official area");
    buf_free(&w);
    geo_shape_free(&s);
    unlink(tmp);
    return tap_done();
}
