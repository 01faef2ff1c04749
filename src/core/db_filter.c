/* db_filter.c — filters: the one filter syntax of --where and the browser's
 * & (db_filter_parse, typed by the schema: numbers as numbers, dates as
 * dates), the pattern-only form of --grep (db_filter_parse_rx), and a filter
 * list written as a WHERE clause with its values bound, two parameters a
 * filter (FILTER_PARAMS), and the ORDER BY that puts empty cells last.
 * Part of the db module (db_int.h).
 */
#include "config.h"
#include "db.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "db_int.h"
#include "i18n.h"
#include "load.h"
#include "normalise.h"
#include "rx.h"
#include "validate.h"

int db_filter_parse_rx(const table *t, const char *arg, db_filter *f, mr_err *e)
{
    memset(f, 0, sizeof *f);
    f->op = DBF_RX;
    f->ci = -1;
    f->value = arg;
    const char *colon = strchr(arg, ':');
    if (colon && colon > arg) {
        char *col = xstrndup(arg, (size_t)(colon - arg));
        int ci = table_col_any(t, col);
        free(col);
        if (ci >= 0) {
            f->ci = ci;
            f->value = colon + 1;
        }
    }
    rx *r = rx_compile(f->value, RX_SMARTCASE, e);
    if (!r)
        return -1;
    rx_free(r);
    return 0;
}

/* ---- the filter syntax (db.h): one parser for --where and & ------------- */

static int col_numeric(const column *c)
{
    return c->type == COL_INT || c->type == COL_DEC || c->type == COL_YEAR;
}

/* A column by id, Chinese label, "label(unit)" or English label. */
static int filter_col(const table *t, const char *name)
{
    int ci = table_col_any(t, name);
    if (ci >= 0)
        return ci;
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].label_en && *t->cols[i].label_en && strcasecmp(t->cols[i].label_en, name) == 0)
            return i;
    return -1;
}

/* Could name be meant as a column (no pattern characters in it)?  Then an
 * unknown one is an error, not a pattern that silently matches nothing. */
static int plain_word(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (strchr("^$.*+?[]{}|\\ \t", *s))
            return 0;
    return 1;
}

static char *trimmed(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return xstrndup(s, n);
}

static int parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    if (!*s)
        return 0;
    *v = strtod(s, &end);
    return *end == '\0' && errno != ERANGE && *v == *v && *v - *v == 0;
}

static int ndigits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* A date as a filter takes it: YYYY, YYYY-MM (one or two digits) or a
 * whole date; its first and last day into lo and hi (YYYY-MM-DD). */
static int parse_date(const char *s, char lo[32], char hi[32])
{
    int y, m = 0;
    size_t n = strlen(s);
    if (n < 4 || !ndigits(s, 4, &y))
        return 0;
    if (n == 4) {
        snprintf(lo, 32, "%04d-01-01", y);
        snprintf(hi, 32, "%04d-12-31", y);
        return 1;
    }
    if (s[4] != '-')
        return 0;
    if (n == 6 || n == 7) {
        if (!ndigits(s + 5, (int)n - 5, &m) || m < 1 || m > 12)
            return 0;
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        snprintf(lo, 32, "%04d-%02d-01", y, m);
        snprintf(hi, 32, "%04d-%02d-%02d", y, m, last);
        return 1;
    }
    if (!value_is_date(s))
        return 0;
    memcpy(lo, s, 11);
    memcpy(hi, s, 11);
    return 1;
}

/* The typed value of a bound, normalised as an import would (full-width
 * digits, 2019/5/1); NULL with e filled when it is not one. */
static char *bound_value(const table *t, int ci, const char *arg, const char *v, int upper, mr_err *e)
{
    const column *c = &t->cols[ci];
    buf nb = BUF_INIT;
    unsigned kinds = 0;
    char lo[32], hi[32];
    /* a year is a date here, not one of Excel's serial numbers */
    if (!(c->type == COL_DATE && parse_date(v, lo, hi)) && norm_cell(t, ci, v, &nb, &kinds))
        v = buf_str(&nb);
    char *out = NULL;
    if (col_numeric(c)) {
        double x;
        if (parse_number(v, &x))
            out = xstrdup(v);
        else
            err_set(e, EXIT_USAGE, _("filter '%s': %s: '%s' is not a number"), arg, c->label, v);
    } else if (c->type == COL_DATE) {
        if (parse_date(v, lo, hi))
            out = xstrdup(upper ? hi : lo);
        else
            err_set(e, EXIT_USAGE, _("filter '%s': %s: '%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
                    arg, c->label, v);
    } else {
        out = xstrdup(v);
    }
    buf_free(&nb);
    return out;
}

static int filter_rx(db_filter *f, int ci, const char *pat, const char *arg, mr_err *e)
{
    mr_err re = {0};
    rx *r = rx_compile(pat, RX_SMARTCASE, &re);
    if (!r) {
        err_set(e, EXIT_USAGE, _("filter '%s': %s"), arg, re.msg);
        return -1;
    }
    rx_free(r);
    f->op = DBF_RX;
    f->ci = ci;
    f->value = xstrdup(pat);
    return 0;
}

int db_filter_parse(const table *t, const char *arg, db_filter *f, mr_err *e)
{
    memset(f, 0, sizeof *f);
    f->ci = -1;
    char *whole = trimmed(arg, strlen(arg));
    const char *p = whole;
    int rc = -1;
    char *col = NULL, *val = NULL;
    if (*p == '!') {
        f->neg = 1;
        p++;
        while (*p == ' ')
            p++;
    }
    if (!*p) {
        err_set(e, EXIT_USAGE, _("filter '%s': nothing to filter by"), whole);
        goto done;
    }
    size_t k = strcspn(p, "=<>!:");
    col = trimmed(p, k);
    int ci = p[k] && *col ? filter_col(t, col) : -1;
    if (ci < 0) {
        if (p[k] && p[k] != ':' && plain_word(col)) {
            buf names = BUF_INIT;
            for (int i = 0; i < t->ncols; i++)
                buf_printf(&names, "%s%s", i ? ", " : "", t->cols[i].label);
            err_set(e, EXIT_USAGE, _("filter '%s': %s has no column '%s' (columns: %s)"), whole, t->id, col,
                    buf_str(&names));
            buf_free(&names);
            goto done;
        }
        rc = filter_rx(f, -1, p, whole, e);   /* a pattern over every column */
        goto done;
    }
    const column *c = &t->cols[ci];
    const char *op = p + k, *rest;
    f->ci = ci;
    if (*op == ':') {
        rc = filter_rx(f, ci, op + 1, whole, e);
        goto done;
    }
    if (op[0] == '!' && op[1] == '=') {
        f->neg = !f->neg;
        f->op = DBF_EQ;
        rest = op + 2;
    } else if (op[0] == '!') {
        err_set(e, EXIT_USAGE, _("filter '%s': '!' after a column wants '=' (COL!=VALUE), or goes in front (!COL=VALUE)"),
                whole);
        goto done;
    } else if (op[0] == '<' || op[0] == '>') {
        int eq = op[1] == '=';
        f->op = op[0] == '<' ? (eq ? DBF_LE : DBF_LT) : (eq ? DBF_GE : DBF_GT);
        rest = op + 1 + eq;
    } else {
        f->op = DBF_EQ;
        rest = op + 1;
    }
    val = trimmed(rest, strlen(rest));
    if (f->op == DBF_EQ && !*val) {
        f->op = DBF_EMPTY;
        rc = 0;
        goto done;
    }
    if (!*val) {
        err_set(e, EXIT_USAGE, _("filter '%s': '%.*s' wants a value after it"), whole, (int)(rest - op), op);
        goto done;
    }
    const char *dots = strstr(val, "..");
    int typed = col_numeric(c) || c->type == COL_DATE;
    if (f->op == DBF_EQ && typed && dots) {
        char *a = trimmed(val, (size_t)(dots - val)), *b = trimmed(dots + 2, strlen(dots + 2));
        if (!*a || !*b) {
            err_set(e, EXIT_USAGE, _("filter '%s': a range wants FROM..TO (both ends), not '%s'"), whole, val);
        } else if ((f->value = bound_value(t, ci, whole, a, 0, e)) &&
                   (f->value2 = bound_value(t, ci, whole, b, 1, e))) {
            f->op = DBF_RANGE;
            double x, y;
            int bad = col_numeric(c) ? parse_number(f->value, &x) && parse_number(f->value2, &y) && x > y
                                     : strcmp(f->value, f->value2) > 0;
            if (bad)
                err_set(e, EXIT_USAGE, _("filter '%s': the range %s..%s is empty: its start is after its end"),
                        whole, a, b);
            else
                rc = 0;
        }
        free(a);
        free(b);
        goto done;
    }
    if (c->type == COL_DATE) {
        /* a year or a month stands for its days: = is a range, and each
         * comparison takes the end that keeps its meaning */
        if (!(f->value = bound_value(t, ci, whole, val, f->op == DBF_LE || f->op == DBF_GT, e)))
            goto done;
        if (f->op == DBF_EQ) {
            f->value2 = bound_value(t, ci, whole, val, 1, e);
            if (strcmp(f->value, f->value2) != 0) {
                f->op = DBF_RANGE;
            } else {
                free((char *)f->value2);
                f->value2 = NULL;
            }
        }
        rc = 0;
        goto done;
    }
    if (col_numeric(c) && !c->multi) {
        if ((f->value = bound_value(t, ci, whole, val, 0, e)))
            rc = 0;
        goto done;
    }
    f->value = xstrdup(val);
    rc = 0;
done:
    if (rc == 0)
        f->text = xstrdup(whole);
    else
        db_filter_clear(f);
    free(col);
    free(val);
    free(whole);
    return rc;
}

void db_filter_dup(db_filter *dst, const db_filter *src)
{
    *dst = *src;
    dst->value = src->value ? xstrdup(src->value) : NULL;
    dst->value2 = src->value2 ? xstrdup(src->value2) : NULL;
    dst->text = src->text ? xstrdup(src->text) : NULL;
}

void db_filter_clear(db_filter *f)
{
    free((char *)f->value);
    free((char *)f->value2);
    free((char *)f->text);
    f->value = f->value2 = f->text = NULL;
}

void db_filter_show(const table *t, const db_filter *f, buf *out)
{
    if (f->text) {
        buf_puts(out, f->text);
        return;
    }
    const char *label = f->ci >= 0 ? t->cols[f->ci].label : "";
    int ne = f->neg && (f->op == DBF_EQ || f->op == DBF_EMPTY);
    if (f->neg && !ne)
        buf_putc(out, '!');
    buf_puts(out, label);
    static const char *const ops[] = {[DBF_EQ] = "=", [DBF_RX] = ":", [DBF_LT] = "<", [DBF_LE] = "<=",
                                      [DBF_GT] = ">", [DBF_GE] = ">=", [DBF_RANGE] = "=", [DBF_EMPTY] = "="};
    if (ne)
        buf_putc(out, '!');
    if (f->op != DBF_RX || f->ci >= 0)
        buf_puts(out, ops[f->op]);
    if (f->value && f->op != DBF_EMPTY)
        buf_puts(out, f->value);
    if (f->op == DBF_RANGE && f->value2)
        buf_printf(out, "..%s", f->value2);
}

/* ---- queries -------------------------------------------------------------- */

/* "mr_rowmatch(?n, c1, c2, ...)": a pattern over the whole row (see
 * sql_rowmatch). */
void put_any_rx(buf *q, const table *t, const char *alias, int param)
{
    buf_printf(q, "mr_rowmatch(?%d", param);
    for (int j = 0; j < t->ncols; j++) {
        buf_printf(q, ", %s%s", alias ? alias : "", alias ? "." : "");
        put_ident(q, t->cols[j].id);
    }
    buf_puts(q, ")");
}

/* One filter's condition, its values at ?a and ?a+1 (FILTER_PARAMS). */
static void put_cond(buf *q, const table *t, const db_filter *f, int a)
{
    if (f->op == DBF_RX) {
        if (f->ci < 0) {
            put_any_rx(q, t, NULL, a);
        } else {
            put_ident(q, t->cols[f->ci].id);
            buf_printf(q, " REGEXP ?%d", a);
        }
        return;
    }
    const column *c = &t->cols[f->ci];
    static const char *const cmp[] = {[DBF_LT] = "<", [DBF_LE] = "<=", [DBF_GT] = ">", [DBF_GE] = ">="};
    buf_putc(q, '(');
    switch (f->op) {
    case DBF_EMPTY:
        put_ident(q, c->id);
        buf_puts(q, " IS NULL OR ");
        put_ident(q, c->id);
        buf_puts(q, " = ''");
        break;
    case DBF_EQ:
        if (c->multi) {
            buf_puts(q, "instr(';' || ");
            put_ident(q, c->id);
            buf_printf(q, " || ';', ';' || ?%d || ';') > 0", a);
        } else {
            put_ident(q, c->id);
            buf_printf(q, " = ?%d", a);
        }
        break;
    default:
        put_ident(q, c->id);
        if (f->op == DBF_RANGE)
            buf_printf(q, " BETWEEN ?%d AND ?%d", a, a + 1);
        else
            buf_printf(q, " %s ?%d", cmp[f->op], a);
        /* an empty cell is neither before nor after anything; a number
         * column's stray text is no number */
        buf_puts(q, " AND ");
        if (col_numeric(c)) {
            buf_puts(q, "typeof(");
            put_ident(q, c->id);
            buf_puts(q, ") IN ('integer', 'real')");
        } else {
            put_ident(q, c->id);
            buf_puts(q, " <> ''");
        }
        break;
    }
    buf_putc(q, ')');
}

void put_where(buf *q, const table *t, const db_filter *f, int nf)
{
    for (int i = 0; i < nf; i++) {
        buf_puts(q, i ? " AND " : " WHERE ");
        /* negated: every row the filter leaves out, an empty cell too
         * (whose comparison is NULL) */
        if (f[i].neg)
            buf_puts(q, "NOT coalesce(");
        put_cond(q, t, &f[i], 2 * i + 1);
        if (f[i].neg)
            buf_puts(q, ", 0)");
    }
}

/* ORDER BY the column, empty cells last whichever way, then rowid. */
void put_order(buf *q, const table *t, int sort_ci, int desc)
{
    buf_puts(q, " ORDER BY ");
    if (sort_ci >= 0) {
        buf_putc(q, '(');
        put_ident(q, t->cols[sort_ci].id);
        buf_puts(q, " IS NULL OR ");
        put_ident(q, t->cols[sort_ci].id);
        buf_puts(q, " = ''), ");
        put_ident(q, t->cols[sort_ci].id);
        buf_puts(q, desc ? " DESC, rowid DESC" : ", rowid");
    } else {
        buf_puts(q, desc ? "rowid DESC" : "rowid");
    }
}

/* As text: against a number column's numeric affinity a bound text that
 * looks like a number compares as one (SQLite's comparison affinity). */
void bind_filters(sqlite3_stmt *st, const db_filter *f, int nf)
{
    for (int i = 0; i < nf; i++) {
        const char *v[2] = {f[i].value, f[i].value2};
        for (int k = 0; k < 2; k++)
            if (v[k])
                sqlite3_bind_text(st, 2 * i + 1 + k, v[k], -1, SQLITE_TRANSIENT);
    }
}
