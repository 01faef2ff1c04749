/* value.c — the forms of a value (see validate.h): whole and decimal
 * numbers, dates, the unified social credit code's check character
 * (GB 32100-2015), the canonical text a value is stored as, and whether two
 * values of a column are the same. */
#include "config.h"
#include "validate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

int value_is_int(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int value_is_dec(const char *s)
{
    /* plain decimal notation: digits, one point, optional sign (no 1e5, inf, hex) */
    int digits = 0, point = 0;
    if (*s == '-' || *s == '+')
        s++;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s == '.' && !point)
            point = 1;
        else
            return 0;
    }
    return digits > 0;
}

/* Is s a whole number within SQLite's INTEGER (64 bits)?  A longer one
 * would be stored as a REAL, rounded. */
int value_int_fits(const char *s)
{
    if (strlen(s + (*s == '-' || *s == '+')) <= 18)
        return 1;
    errno = 0;
    char *end;
    (void)strtoll(s, &end, 10);
    return errno != ERANGE && !*end;
}

/* Already canonical: what the register would give back?  A cheap look
 * (an import makes it for every number of a million rows), so few values
 * are converted: an optional '-', digits without a leading zero, and for a
 * decimal a fraction without trailing zeros, 15 significant digits at most. */
static int canonical(col_type type, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (*p == '-')
        p++;
    if (*p == '0' && p[1] != '.')
        return !p[1] && p == (const unsigned char *)s;   /* "0", not "-0" or "01" */
    const unsigned char *d = p;
    while ((unsigned)(*p - '0') < 10)
        p++;
    size_t ilen = (size_t)(p - d);
    if (!*p)
        return ilen && ilen <= (type == COL_INT ? 18 : 15);
    if (type == COL_INT || *p != '.' || !ilen || ilen > 15)
        return 0;                      /* +1, .5, or not a number */
    const unsigned char *f = ++p;
    while ((unsigned)(*p - '0') < 10)
        p++;
    if (*p || p == f || p[-1] == '0')
        return 0;                      /* 1. or 1.50 */
    size_t sig = ilen + (size_t)(p - f);
    if (*d == '0') {                   /* 0.000…: below 1e-10 num_format writes an exponent */
        const unsigned char *q = f;
        while (*q == '0')
            q++;
        if (q - f >= 9)
            return 0;
        sig = (size_t)(p - q);
    }
    return sig <= 15;
}

const char *value_normal(const column *c, const char *s, char *out)
{
    if (!s || !*s || (c->type != COL_INT && c->type != COL_DEC) || canonical(c->type, s))
        return s;
    if (c->type == COL_INT) {
        if (!value_is_int(s) || !value_int_fits(s))
            return s;                  /* refused by the validator as it is */
        snprintf(out, NUM_MAX, "%lld", strtoll(s, NULL, 10));
        return out;
    }
    if (!value_is_dec(s))
        return s;
    double x = strtod(s, NULL);
    if (!isfinite(x))
        return s;
    num_format(x == 0 ? 0.0 : x, out);   /* -0 is 0 */
    return strchr(out, 'e') ? s : out;   /* beyond 1e21 or below 1e-10: as typed */
}

char **values_normal(const table *t, const char *const *vals)
{
    char **v = xcalloc((size_t)t->ncols, sizeof(char *));
    char num[NUM_MAX];
    for (int i = 0; i < t->ncols; i++)
        if (vals[i])
            v[i] = xstrdup(value_normal(&t->cols[i], vals[i], num));
    return v;
}

void values_free(const table *t, char **v)
{
    for (int i = 0; v && i < t->ncols; i++)
        free(v[i]);
    free(v);
}

/* n ASCII digits at s, their value in *v */
static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* GB 32100-2015: 18 characters from the 31 below; the 18th is the check
 * character, 31 - (sum of value x weight over the first 17) mod 31. */
static const char credit_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

char credit_code_check(const char *s)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (!s || strlen(s) != 18)
        return 0;
    int sum = 0;
    for (int i = 0; i < 18; i++) {
        const char *p = s[i] ? strchr(credit_chars, s[i]) : NULL;
        if (!p)
            return 0;
        if (i < 17)
            sum += (int)(p - credit_chars) * w[i];
    }
    int c = 31 - sum % 31;
    return credit_chars[c == 31 ? 0 : c];
}

int credit_code_ok(const char *s)
{
    char c = credit_code_check(s);
    return c && s[17] == c;
}

int value_is_date(const char *s)
{
    int y, m, d;   /* YYYY-MM-DD, digits only: no signs or blanks inside */
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

int value_same(const column *c, const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    if (!b || !*b)
        return 0;
    if ((c->type == COL_DEC || c->type == COL_INT) && value_is_dec(a) && value_is_dec(b))
        return strtod(a, NULL) == strtod(b, NULL);
    return strcmp(a, b) == 0;
}
