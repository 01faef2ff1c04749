/* geo_gen.c — SYNTHETIC boundaries, for the benchmarks and the tests: an
 * exchange file (DOMAIN.md, Coordinates) of N parcels in Dandong's two
 * Gauss–Krüger zones.  Not anyone's real coordinates (the plan prints none):
 * deterministic from its own random generator, no clock, so every run and
 * every machine gets the same bytes.
 *
 *   geo_gen [-k PREFIX] [-s SEED] [-z SCALE] N > boundaries.txt
 *
 * -k: 地块编号 PREFIX followed by i - 1 in 7 digits (CK2106 names the blocks
 * tests/bench/gen.c makes: CK21060000000…), else i (a permit's 序号);
 * -s: another deterministic sequence; -z: every size times SCALE (the
 * benchmark's 100,000 permits at 0.1, so that Dandong's 16,000 km² are not
 * covered seven times over).
 *
 * Parcels, by their number i (from 1):
 *   - rotated rectangles 0.2–2 km a side, most in zone 41 (easting 532–627 km
 *     at northing 4.40–4.57 Mm, 123°22′–124°30′E), one in four in zone 42
 *     (easting 375–470 km, 124°30′–125°41′E);
 *   - every 20th straddles 124°30′E, the zones' edge, kept in zone 41;
 *   - every 10th is a mine of two 采区 (two rings), every 15th has a hole;
 *   - every 7th overlaps the parcel before it (a copy of its first ring
 *     shifted by a third; one ring, whatever its number);
 *   - every 50th is invalid: a bow-tie (its last two corners exchanged).
 * Each parcel's header carries its number and SYN-i as its name; the area
 * is left empty (minreg computes it).  The file spans both zones, so its
 * [属性描述] names no 带号: every Y carries its own zone prefix.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x4445414E44304E47ULL;

static uint32_t rnd(void)   /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (uint32_t)((state * 0x2545F4914F6CDD1DULL) >> 32);
}

static double uni(double lo, double hi) { return lo + (hi - lo) * (rnd() / 4294967296.0); }

typedef struct { double x, y; } pt;

/* A rectangle w × h metres about (cx, cy), turned by a. */
static void rect(double cx, double cy, double w, double h, double a, pt out[4])
{
    static const double sx[4] = {-1, 1, 1, -1}, sy[4] = {-1, -1, 1, 1};
    for (int i = 0; i < 4; i++) {
        double dx = sx[i] * w / 2, dy = sy[i] * h / 2;
        out[i].x = cx + dx * cos(a) - dy * sin(a);
        out[i].y = cy + dx * sin(a) + dy * cos(a);
    }
}

static void ring(int no, int zone, const pt *p, int n, int *k)
{
    int first = *k;
    for (int i = 0; i <= n; i++) {
        /* coordinates to 0.01 m, as the standard asks */
        printf("J%d,%d,%.2f,%d%09.2f\r\n", i < n ? (*k)++ : first, no, round(p[i % n].x * 100) / 100,
               zone, round(p[i % n].y * 100) / 100);
    }
}

int main(int argc, char **argv)
{
    const char *prefix = NULL;
    double z = 1;
    while (argc > 3 && argv[1][0] == '-') {
        if (!strcmp(argv[1], "-k"))
            prefix = argv[2];
        else if (!strcmp(argv[1], "-s"))
            state ^= (uint64_t)strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ULL;
        else if (!strcmp(argv[1], "-z"))
            z = atof(argv[2]);
        else
            break;
        argc -= 2;
        argv += 2;
    }
    if (argc != 2 || atol(argv[1]) < 1 || !(z > 0)) {
        fputs("usage: geo_gen [-k PREFIX] [-s SEED] [-z SCALE] N > file.txt\n", stderr);
        return 2;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    long n = atol(argv[1]);
    printf("[属性描述]\r\n坐标系=2000国家大地坐标系\r\n几度分带=3\r\n投影类型=高斯克吕格\r\n"
           "计量单位=米\r\n精度=0.01\r\n[地块坐标]\r\n");
    pt prev[4] = {{0, 0}};
    int prev_zone = 41;
    for (long i = 1; i <= n; i++) {
        int zone = rnd() % 4 == 0 ? 42 : 41;
        double cx = uni(4400000, 4570000);
        double cy = zone == 41 ? uni(532000, 627000) : uni(375000, 470000);
        if (i % 20 == 0)
            zone = 41, cy = uni(626000, 630000);   /* across 124°30′E */
        double w = uni(200, 2000) * z, h = uni(200, 2000) * z, a = uni(0, 1.5707963267948966);
        pt r1[4], r2[4], hole[4];
        rect(cx, cy, w, h, a, r1);
        int copied = i % 7 == 0 && i > 1;
        if (copied) {   /* overlap the one before (a copy: one ring, its own size) */
            zone = prev_zone;
            for (int k = 0; k < 4; k++) {
                r1[k].x = prev[k].x + (prev[2].x - prev[0].x) / 3;
                r1[k].y = prev[k].y + (prev[2].y - prev[0].y) / 3;
            }
        }
        /* the other rings about where the first one is */
        cx = (r1[0].x + r1[2].x) / 2, cy = (r1[0].y + r1[2].y) / 2;
        for (int j = 0; j < 4; j++)
            prev[j] = r1[j];   /* what the next may overlap: before any bow-tie */
        prev_zone = zone;
        if (i % 50 == 0) {   /* a bow-tie */
            pt t = r1[2];
            r1[2] = r1[3], r1[3] = t;
        }
        int two = i % 10 == 0 && !copied, holed = i % 15 == 0 && i % 50 != 0 && !copied;
        if (two)   /* clear of the first: its half-extent is at most (w + h) / 2 */
            rect(cx + w + h + 500 * z, cy, w / 2, h / 2, a, r2);
        if (holed)
            rect(cx, cy, w / 4, h / 4, a, hole);
        int npts = 5 + (two ? 5 : 0) + (holed ? 5 : 0);
        if (prefix)
            printf("%d,,%s%07ld,SYN-%ld,面,,,@\r\n", npts, prefix, i - 1, i);
        else
            printf("%d,,%ld,SYN-%ld,面,,,@\r\n", npts, i, i);
        int k = 1;
        ring(1, zone, r1, 4, &k);
        if (two)
            ring(2, zone, r2, 4, &k);
        if (holed)
            ring(two ? 3 : 2, zone, hole, 4, &k);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
