/* csvcell.c — CSV cells for Excel and WPS (see csvio.h): a value Excel
 * would run as a formula (=, +, -, @, a tab or CR first) is written behind
 * an apostrophe and read back without it; a number stays a number; a cell
 * is quoted only when it must be. */
#include "config.h"
#include "csvio.h"

#include <stdio.h>
#include <string.h>

#define FORMULA_START "=+-@\t\r"

int csv_is_number(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');
    size_t d = strspn(p, "0123456789");
    p += d;
    if (*p == '.') {
        size_t f = strspn(p + 1, "0123456789");
        d += f;
        p += 1 + f;
    }
    if (!d)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        size_t x = strspn(p, "0123456789");
        if (!x)
            return 0;
        p += x;
    }
    return *p == '\0';
}

int csv_cell_guarded(const char *s, int numeric)
{
    if (!s)
        return 0;
    const char *p = s + strspn(s, "'");
    if (!*p || !strchr(FORMULA_START, *p))
        return 0;
    return !(numeric && p == s && csv_is_number(s));
}

size_t csv_cell_unguard(const char *s, size_t len)
{
    if (len < 2 || s[0] != '\'')
        return 0;
    size_t q = 0;
    while (q < len && s[q] == '\'')
        q++;
    return q < len && s[q] && strchr(FORMULA_START, s[q]) ? 1 : 0;
}

void csv_write_field(FILE *f, const char *s, char delim) { csv_write_cell(f, s, delim, 0); }

void csv_write_cell(FILE *f, const char *s, char delim, int guard)
{
    if (!s)
        return;
    if (!strchr(s, '"') && !strchr(s, delim) && !strchr(s, '\n') && !strchr(s, '\r')) {
        if (guard)
            putc('\'', f);
        fputs(s, f);
        return;
    }
    putc('"', f);
    if (guard)
        putc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}
