/* db_func.c — the SQL functions minreg adds to every connection: regexp and
 * mr_rowmatch, PCRE2 patterns compiled once per statement.
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "db_int.h"
#include "i18n.h"
#include "load.h"
#include "rx.h"

static void rx_destroy(void *p) { rx_free(p); }

/* The compiled pattern of argument 0, kept with the statement. */
static rx *aux_rx(sqlite3_context *ctx, const char *pat, int flags)
{
    rx *r = sqlite3_get_auxdata(ctx, 0);
    if (r)
        return r;
    mr_err e = {0};
    r = rx_compile(pat, flags, &e);
    if (!r) {
        sqlite3_result_error(ctx, e.msg, -1);
        return NULL;
    }
    sqlite3_set_auxdata(ctx, 0, r, rx_destroy);
    r = sqlite3_get_auxdata(ctx, 0);
    if (!r)
        sqlite3_result_error_nomem(ctx);
    return r;
}

/* Append SQLite's text of an integer, or of a whole REAL below 10^15 (as
 * "%lld.0", as SQLite writes it: 101.0), without going through SQLite's
 * printf, which takes a tenth of a row search.  0 for other values. */
static int number_text(buf *out, sqlite3_value *v)
{
    int ty = sqlite3_value_type(v);
    int64_t n;
    if (ty == SQLITE_INTEGER) {
        n = sqlite3_value_int64(v);
    } else if (ty == SQLITE_FLOAT) {
        double x = sqlite3_value_double(v);
        if (!(x != 0 && x > -1e15 && x < 1e15 && x == (double)(int64_t)x))
            return 0;   /* fractions, 0 and -0, large values: SQLite's own */
        n = (int64_t)x;
    } else {
        return 0;
    }
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = n < 0 ? -(uint64_t)n : (uint64_t)n;
    if (ty == SQLITE_FLOAT) {
        *--p = '0';
        *--p = '.';
    }
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (n < 0)
        *--p = '-';
    buf_add(out, p, (size_t)(tmp + sizeof tmp - p));
    return 1;
}

/* mr_rowmatch(pattern, c1, c2, ...): does the pattern match the row, its
 * columns joined by newlines?  ^ and $ match at every column's start and
 * end (a code: ^KZ\d+), and . crosses columns, so a fragment of a name and
 * one of a mineral in the same row both count (硼矿.*宽甸), as grep over a
 * CSV line would. */
static void sql_rowmatch(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *pat = (const char *)sqlite3_value_text(argv[0]);
    rx *r = pat ? aux_rx(ctx, pat, RX_SMARTCASE | RX_ROW) : NULL;
    if (!r)
        return;
    /* Most rows do not match: when the pattern has literals every match
     * contains, a row whose text values do not hold them all is passed
     * over before its numbers are formatted and its columns joined (each
     * literal has a character no number has, and no newline, so it can
     * only lie within one text value). */
    if (rx_has_literal(r)) {
        const char *v[64];
        size_t n[64];
        int k = 0;
        for (int i = 1; i < argc && k < 64; i++) {
            int ty = sqlite3_value_type(argv[i]);
            if (ty != SQLITE_TEXT && ty != SQLITE_BLOB)
                continue;
            v[k] = ty == SQLITE_TEXT ? (const char *)sqlite3_value_text(argv[i])
                                     : (const char *)sqlite3_value_blob(argv[i]);
            n[k++] = (size_t)sqlite3_value_bytes(argv[i]);
        }
        if (argc - 1 <= 64 && !rx_may_match_parts(r, v, n, k)) {
            sqlite3_result_int(ctx, 0);
            return;
        }
    }
    buf row = BUF_INIT;
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            buf_putc(&row, '\n');
        if (number_text(&row, argv[i]))
            continue;
        const unsigned char *v = sqlite3_value_text(argv[i]);
        if (v)
            buf_add(&row, (const char *)v, (size_t)sqlite3_value_bytes(argv[i]));
    }
    mr_err e = {0};
    int m = rx_search(r, buf_str(&row), row.len, NULL, NULL, &e);
    buf_free(&row);
    if (m < 0)
        sqlite3_result_error(ctx, e.msg, -1);
    else
        sqlite3_result_int(ctx, m);
}

/* X REGEXP Y calls regexp(Y, X).  The compiled pattern is kept as auxiliary
 * data of the statement, so each pattern is compiled (and JIT-compiled)
 * once per query, not once per row. */
static void sql_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *pat = (const char *)sqlite3_value_text(argv[0]);
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || !pat) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    rx *r = aux_rx(ctx, pat, RX_SMARTCASE);
    if (!r)
        return;
    const char *s = (const char *)sqlite3_value_text(argv[1]);
    mr_err e = {0};
    int m = rx_search(r, s, (size_t)sqlite3_value_bytes(argv[1]), NULL, NULL, &e);
    if (m < 0)
        sqlite3_result_error(ctx, e.msg, -1);
    else
        sqlite3_result_int(ctx, m);
}

/* REGEXP runs PCRE2 inside queries: filters and searches stay in SQL, so
 * they page and cancel like any other query. */
void db_add_functions(sqlite3 *h)
{
    /* SQLITE_DIRECTONLY: callable from minreg's own statements only, never
     * from a trigger, view, default or CHECK a register file holds */
    sqlite3_create_function(h, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                            NULL, sql_regexp, NULL, NULL);
    sqlite3_create_function(h, "mr_rowmatch", -1,
                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                            sql_rowmatch, NULL, NULL);
}
