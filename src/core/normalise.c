/* normalise.c — Excel habits undone (see normalise.h). */
#include "config.h"
#include "normalise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

const char *norm_kind_name(int kind)
{
    switch (kind) {
    case NORM_SPACE: return _("with spaces around them trimmed");
    case NORM_WIDTH: return _("with full-width digits or signs made plain");
    default: return _("with dates written the Excel way made YYYY-MM-DD");
    }
}

/* Bytes of a blank at s (space, U+3000, U+00A0), or 0.  Not a TAB or
 * CR: a cell may begin with one on purpose (csvio.h: Excel safety), and
 * export -> import gives it back. */
static size_t blank_at(const unsigned char *s)
{
    if (*s == ' ')
        return 1;
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    if (s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    return 0;
}

/* A blank ends at s+n (n bytes before it)?  Its length, or 0. */
static size_t blank_before(const unsigned char *s, size_t n)
{
    if (n >= 1 && s[n - 1] == ' ')
        return 1;
    if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x80)
        return 3;
    if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0)
        return 2;
    return 0;
}

/* Full-width forms U+FF01..U+FF5E are EF BC 81..EF BD 9E. */
static int fullwidth_ascii(const unsigned char *s, int letters)
{
    if (s[0] != 0xEF || (s[1] != 0xBC && s[1] != 0xBD) || s[2] < 0x80 || s[2] > 0xBF)
        return 0;
    int cp = 0xFF00 + ((s[1] - 0xBC) << 6) + (s[2] - 0x80);
    int a = cp - 0xFEE0;
    if ((a >= '0' && a <= '9') || a == '+' || a == '-' || a == '.')
        return a;
    if (letters && ((a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z')))
        return a;
    return 0;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

/* y m d from "2019/5/1", "2019.5.1", "2019-5-1", "2019年5月1日",
 * "20190501", or a serial number; with a midnight time allowed after. */
/* A month or a day at p: one or two digits; *end after them. */
static int month_or_day(const char *p, int *v, char **end)
{
    if (*p < '0' || *p > '9')
        return 0;
    *v = (int)strtol(p, end, 10);
    return *end - p <= 2;
}

static int excel_date(const char *s, int *y, int *m, int *d)
{
    char tmp[64];
    size_t n = strlen(s);
    if (n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n + 1);
    /* a midnight time: " 0:00", " 00:00:00", " 0:00:00" */
    char *sp = strchr(tmp, ' ');
    if (sp) {
        const char *t = sp + 1;
        if (strcmp(t, "0:00") && strcmp(t, "00:00") && strcmp(t, "0:00:00") && strcmp(t, "00:00:00"))
            return 0;
        *sp = '\0';
        n = strlen(tmp);
    }
    if (n == 8 && all_digits(tmp, 8)) {
        *y = atoi((char[]){tmp[0], tmp[1], tmp[2], tmp[3], 0});
        *m = atoi((char[]){tmp[4], tmp[5], 0});
        *d = atoi(tmp + 6);
        return 1;
    }
    if (n >= 1 && n <= 5 && all_digits(tmp, n)) {   /* a serial number, 1900 system */
        long v = atol(tmp);
        if (v < 1 || v > 2958465 || v == 60)
            return 0;
        long z = (v < 60 ? v - 25568 : v - 25569) + 719468;   /* days since 0000-03-01 */
        long era = z / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        *d = (int)(doy - (153 * mp + 2) / 5 + 1);
        *m = (int)(mp < 10 ? mp + 3 : mp - 9);
        *y = (int)(yoe + era * 400 + (*m <= 2));
        return 1;
    }
    /* Y sep M sep D, or Y年M月D日 */
    const char *p = tmp;
    char *end;
    if (!all_digits(p, 4))
        return 0;
    *y = (int)strtol(p, &end, 10);
    if (end - p != 4)
        return 0;
    int cjk = strncmp(end, "年", 3) == 0;
    char sep = *end;
    if (!cjk && sep != '/' && sep != '.' && sep != '-')
        return 0;
    if (!month_or_day(end + (cjk ? 3 : 1), m, &end) ||
        (cjk ? strncmp(end, "月", 3) != 0 : *end != sep) ||
        !month_or_day(end + (cjk ? 3 : 1), d, &end))
        return 0;
    if (cjk && strncmp(end, "日", 3) == 0)
        end += 3;
    return *end == '\0';
}

/* YYYY-MM-DD's shape (digits and two hyphens): nothing to normalise
 * (excel_date would give the same text back, or refuse it). */
static int iso_shape(const char *s, size_t n)
{
    return n == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
           all_digits(s + 8, 2);
}

int norm_cell(const table *t, int ci, const char *s, buf *out, unsigned *kinds)
{
    const column *c = &t->cols[ci];
    unsigned k = 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), a = 0, b;
    while ((b = blank_at(u + a)) != 0)
        a += b;
    while (n > a && (b = blank_before(u, n)) != 0)
        n -= b;
    if (a || u[n])
        k |= 1u << NORM_SPACE;
    int wide = c->type != COL_TEXT || *c->pattern || ci == t->key_ci;
    /* the common cell, written the register's way, costs a scan and no
     * copy (a million-row import passes here twenty million times) */
    if (!k && (!wide || !memchr(s, 0xEF, n)) && (c->type != COL_DATE || iso_shape(s, n)))
        return 0;
    buf_reset(out);
    size_t run = a;   /* bytes from run to i are copied as they are */
    for (size_t i = a; i < n; i++) {
        int ch;
        if (wide && u[i] == 0xEF && i + 2 < n && (ch = fullwidth_ascii(u + i, c->type == COL_TEXT))) {
            buf_add(out, s + run, i - run);
            buf_putc(out, (char)ch);
            k |= 1u << NORM_WIDTH;
            i += 2;
            run = i + 1;
        }
    }
    buf_add(out, s + run, n - run);
    int y, m, d;
    if (c->type == COL_DATE && out->len && excel_date(buf_str(out), &y, &m, &d) &&
        y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
        if (strcmp(iso, buf_str(out)) != 0) {
            buf_reset(out);
            buf_puts(out, iso);
            k |= 1u << NORM_DATE;
        }
    }
    if (!k)
        return 0;
    if (!out->s)
        buf_puts(out, "");
    *kinds = k;
    return 1;
}
