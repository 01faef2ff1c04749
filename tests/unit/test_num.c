/* test_num.c — REALs formatted as printf's shortest round trip (15 to 17
 * digits) would, without exponents, fast; and read back exactly. */
#include "config.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "tap.h"

static uint64_t st = 88172645463325252ULL;
static uint64_t rnd(void)
{
    st ^= st << 13;
    st ^= st >> 7;
    st ^= st << 17;
    return st;
}

/* Does num_format agree with printf's fewest digits (15 to 17) that read
 * back as x, wherever printf writes no exponent; and does what it writes
 * read back as x?  Returns 1 if compared (a disagreement counted in *bad,
 * the first printed). */
static long agree(double x, long *bad)
{
    char a[NUM_MAX], b[64];
    for (int p = 15; p <= 17; p++) {
        snprintf(b, sizeof b, "%.*g", p, x);
        if (strtod(b, NULL) == x)
            break;
    }
    num_format(x, a);
    if (strtod(a, NULL) != x && (*bad)++ == 0)
        printf("# %.17g: got %s, which reads back as %.17g\n", x, a, strtod(a, NULL));
    if (strchr(b, 'e'))
        return 1;
    if (strcmp(a, b) != 0 && (*bad)++ == 0)
        printf("# %.17g: got %s, printf says %s\n", x, a, b);
    return 1;
}

static void fmt_is(double x, const char *want)
{
    char got[NUM_MAX];
    num_format(x, got);
    is_str(got, want, "%.17g -> %s", x, want);
}

int main(void)
{
    long bad = 0, n = 0;
    /* decimals as clerks type them: up to 12 integer digits, 0..8 decimals */
    for (int i = 0; i < 1000000; i++) {
        char s[64];
        int ip = (int)(rnd() % 13), dp = (int)(rnd() % 9);
        int k = snprintf(s, sizeof s, "%s%llu", rnd() % 4 ? "" : "-",
                         (unsigned long long)(rnd() % (uint64_t)pow(10, ip)));
        if (dp) {
            s[k++] = '.';
            for (int j = 0; j < dp; j++)
                s[k++] = (char)('0' + rnd() % 10);
            s[k] = '\0';
        }
        n += agree(strtod(s, NULL), &bad);
    }
    is_int(bad, 0, "typed decimals: num_format agrees with printf's shortest round trip on %ld values", n);
    /* arbitrary doubles in the fast path's range */
    bad = n = 0;
    for (int i = 0; i < 1000000; i++) {
        double x = ldexp((double)(rnd() >> 11), -(int)(rnd() % 100));
        n += agree(x, &bad);
    }
    is_int(bad, 0, "random doubles: agreement on %ld values", n);
    /* next to powers of ten and to rounding halves */
    bad = n = 0;
    for (int e = -6; e <= 16; e++)
        for (int u = -40; u <= 40; u++) {
            double p = pow(10, e), x = p;
            for (int j = 0; j < abs(u); j++)
                x = nextafter(x, u < 0 ? 0 : INFINITY);
            n += agree(x, &bad);
            n += agree(p * (1 + 5e-15) + u * 1e-3 * p * 1e-14, &bad);
            n += agree(0.123456789012345 * p + u * p * 1e-16, &bad);
        }
    is_int(bad, 0, "next to powers of ten and halves: agreement on %ld values", n);

    fmt_is(457.2456, "457.2456");
    fmt_is(100.0, "100");
    fmt_is(0.1 + 0.2, "0.30000000000000004");   /* what is stored (issue 15.8) */
    fmt_is(3.1415926535897932, "3.141592653589793");
    fmt_is(12345678901234567.0, "12345678901234568");
    fmt_is(0.12345678901234567, "0.12345678901234566");
    fmt_is(1234567.891234567891, "1234567.8912345679");
    fmt_is(-3.5, "-3.5");
    fmt_is(0.009, "0.009");
    fmt_is(1e-5, "0.00001");
    fmt_is(-5e-5, "-0.00005");
    fmt_is(1.23456789012345678e-7, "0.00000012345678901234568");
    fmt_is(1e15, "1000000000000000");
    fmt_is(1.5e20, "150000000000000000000");
    fmt_is(123456789012345678.0, "123456789012345680");
    fmt_is(1e-11, "1e-11");
    fmt_is(2e21, "2e+21");
    fmt_is(0.0, "0");
    return tap_done();
}
