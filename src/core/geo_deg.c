/* geo_deg.c — degree notations of geodetic coordinates.
 *
 * Planning databases and spreadsheets write angles three ways besides
 * symbols: decimal degrees (124.504167), D.MMSS — degrees, then two digits
 * of minutes and the seconds after the point (124.3015123 = 124°30′15.123″,
 * the calculator convention) — and DDDMMSS (1243015.123).  The digits are
 * read from the text, never from a double, so 124.3015 is 30′15″ exactly.
 */
#include "core/geo.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Split "DDD.FFFF" (optionally signed) into the integer part and the
 * fraction's digits; 0, or -1 when it is not such a number. */
static int split_num(const char *s, long *ip, char *frac, size_t fcap, int *neg)
{
    while (*s == ' ')
        s++;
    *neg = 0;
    if (*s == '-' || *s == '+')
        *neg = *s++ == '-';
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    *ip = strtol(s, &end, 10);
    size_t n = 0;
    if (*end == '.') {
        for (end++; isdigit((unsigned char)*end); end++)
            if (n + 1 < fcap)
                frac[n++] = *end;
    }
    frac[n] = 0;
    while (*end == ' ')
        end++;
    return *end ? -1 : 0;
}

/* "30", "15123" -> digits as a number with the point after `whole` digits:
 * digits_value("15123", 2) = 15.123 */
static double digits_value(const char *d, size_t whole)
{
    char tmp[64];
    size_t n = strlen(d);
    if (n > sizeof tmp - 3)
        n = sizeof tmp - 3;
    size_t w = n < whole ? n : whole;
    memcpy(tmp, d, w);
    /* fewer digits than whole: 124.3 is 124°30′, so pad with zeros */
    size_t k = w;
    for (; k < whole; k++)
        tmp[k] = '0';
    tmp[k++] = '.';
    memcpy(tmp + k, d + w, n - w);
    tmp[k + n - w] = 0;
    return strtod(tmp, NULL);
}

/* 124°30′15.123″, 124度30分15.123秒, 124°30'15.123": degrees, minutes, seconds */
static int from_symbols(const char *s, double *deg)
{
    double part[3] = {0, 0, 0};
    int k = 0, neg = 0;
    const char *p = s;
    while (*p == ' ')
        p++;
    if (*p == '-')
        neg = 1, p++;
    while (*p && k < 3) {
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            return -1;
        part[k++] = v;
        p = end;
        /* the unit that follows: ° 度 ′ ' 分 ″ " 秒 */
        static const char *const units[] = {"°", "度", "′", "'", "分", "″", "\"", "秒", "''"};
        int matched = 0;
        for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
            size_t l = strlen(units[u]);
            if (strncmp(p, units[u], l) == 0) {
                p += l;
                matched = 1;
                break;
            }
        }
        if (!matched)
            return -1;
        while (*p == ' ')
            p++;
    }
    if (*p || k == 0 || part[1] >= 60 || part[2] >= 60)
        return -1;
    double v = part[0] + part[1] / 60 + part[2] / 3600;
    *deg = neg ? -v : v;
    return 0;
}

static int has_symbols(const char *s)
{
    return strstr(s, "°") || strstr(s, "度") || strstr(s, "′") || strstr(s, "'");
}

int geo_deg_could_be_dmmss(const char *s)
{
    long ip;
    char frac[64];
    int neg;
    if (split_num(s, &ip, frac, sizeof frac, &neg) < 0)
        return 0;
    double mm = digits_value(frac, 2);
    /* minutes are the first two digits, the seconds the rest */
    double minutes = floor(mm);
    double seconds = digits_value(strlen(frac) > 2 ? frac + 2 : "", 2);
    return minutes < 60 && seconds < 60;
}

int geo_deg_from_text(const char *s, geo_degrees d, double *deg)
{
    if (has_symbols(s))
        return from_symbols(s, deg);
    long ip;
    char frac[64];
    int neg;
    if (split_num(s, &ip, frac, sizeof frac, &neg) < 0)
        return -1;
    double v;
    switch (d) {
    case GEO_DEG_DMMSS: {
        if (!geo_deg_could_be_dmmss(s))
            return -1;
        double minutes = floor(digits_value(frac, 2));
        double seconds = digits_value(strlen(frac) > 2 ? frac + 2 : "", 2);
        v = (double)ip + minutes / 60 + seconds / 3600;
        break;
    }
    case GEO_DEG_DDDMMSS: {
        long dd = ip / 10000, mm = ip / 100 % 100;
        double ss = (double)(ip % 100) + (frac[0] ? digits_value(frac, 0) : 0);
        if (mm >= 60 || ss >= 60)
            return -1;
        v = (double)dd + (double)mm / 60 + ss / 3600;
        break;
    }
    case GEO_DEG_DECIMAL:
    case GEO_DEG_AUTO:
    default:
        v = fabs(strtod(s, NULL));   /* the sign is applied below */
        break;
    }
    *deg = neg ? -v : v;
    return 0;
}

void geo_deg_to_dmmss(double deg, buf *b)
{
    int neg = deg < 0;
    double a = fabs(deg);
    /* in thousandths of a second, so rounding carries into minutes and degrees */
    long long ms = llround(a * 3600000.0);
    long long d = ms / 3600000, m = ms / 60000 % 60, s = ms % 60000;
    buf_printf(b, "%s%lld.%02lld%02lld%03lld", neg ? "-" : "", d, m, s / 1000, s % 1000);
}
