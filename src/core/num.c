/* num.c — formatting REALs (see num.h).
 *
 * Exports format millions of REALs, and printf's %.15g spends most of its
 * time in multi-precision arithmetic.  The fast path scales the value to a
 * 15-digit integer with one exact power of ten: the product is within 1/16
 * of the exact one, so rounding it gives the same digits as printf unless
 * the fraction is near one half — then, for values outside [1e-4, 1e15),
 * and for values 15 digits do not give back exactly (one division says),
 * we ask printf for 15, 16 or 17 digits.  tests/unit/test_num.c checks the
 * result against printf's shortest round trip.
 */
#include "num.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

/* digits (no sign, no point) with decimal exponent x (the first digit's
 * place: 2 for 457.2456) written out positionally, trailing zeros dropped */
static int positional(char *out, int neg, const char *digits, int nd, int x)
{
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    char *o = out;
    if (neg)
        *o++ = '-';
    if (x < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = -1; i > x; i--)
            *o++ = '0';
        memcpy(o, digits, (size_t)nd);
        o += nd;
    } else {
        for (int i = 0; i <= x || i < nd; i++) {
            if (i == x + 1)
                *o++ = '.';
            *o++ = i < nd ? digits[i] : '0';
        }
    }
    *o = '\0';
    return (int)(o - out);
}

/* The fewest digits, 15 to 17, that read back as x, written out without an
 * exponent where printf's %g would use one in [1e-10, 1e21). */
static int slow(double x, char *out)
{
    if (!isfinite(x))
        return snprintf(out, NUM_MAX, "%.15g", x);
    char e[NUM_MAX], digits[18];
    int p = 15;
    for (; p < 17; p++) {   /* "%.*e" gives the same p rounded digits as "%.*g" */
        snprintf(e, sizeof e, "%.*e", p - 1, x);
        if (strtod(e, NULL) == x)
            break;
    }
    int n = snprintf(out, NUM_MAX, "%.*g", p, x);
    if (!strchr(out, 'e'))
        return n;
    snprintf(e, sizeof e, "%.*e", p - 1, fabs(x));
    int ex = atoi(strchr(e, 'e') + 1);
    if (ex < -10 || ex >= 21)
        return n;   /* beyond any plan's figures: keep the exponent */
    digits[0] = e[0];
    memcpy(digits + 1, e + 2, (size_t)(p - 1));
    return positional(out, x < 0, digits, p, ex);
}

int num_format(double x, char *out)
{
    double a = fabs(x);
    if (!(a >= 1e-4 && a < 1e15))
        return slow(x, out);
    int ex = 0;   /* 10^ex <= a, by comparison with exact powers */
    if (a >= 1) {
        while (ex < 14 && a >= p10[ex + 1])
            ex++;
    } else {
        ex = -1;
        while (ex > -4 && a * p10[-ex] < 1)
            ex--;
    }
    double y = a * p10[14 - ex];
    double fl = floor(y), f = y - fl;
    if (f > 0.4 && f < 0.6)
        return slow(x, out);
    uint64_t n = (uint64_t)fl + (f >= 0.5);
    if (n < 100000000000000ULL || n >= 1000000000000000ULL)
        return slow(x, out);   /* a power of ten nearby: let printf decide */
    /* do 15 digits read back as x?  n and 10^(14-ex) are exact doubles and
     * the division is correctly rounded, so this is the nearest double to
     * the decimal n * 10^(ex-14), as strtod would read it: when it is not
     * x, x needs 16 or 17 digits (typed with more than 15) */
    if ((double)n / p10[14 - ex] != a)
        return slow(x, out);
    char digits[16];
    for (int i = 14; i >= 0; i--) {
        digits[i] = (char)('0' + n % 10);
        n /= 10;
    }
    return positional(out, x < 0, digits, 15, ex);
}
