/* db.c — SQLite access for minreg (see db.h). */
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

/* A reset statement for sql, prepared on first use.  NULL on error. */
sqlite3_stmt *stmt_cached(db *d, const char *sql)
{
    for (int i = 0; i < d->ncache; i++)
        if (strcmp(d->cache[i].sql, sql) == 0) {
            sqlite3_reset(d->cache[i].st);
            sqlite3_clear_bindings(d->cache[i].st);
            return d->cache[i].st;
        }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    if (d->ncache == STMT_CACHE) {   /* full: drop the oldest */
        sqlite3_finalize(d->cache[0].st);
        free(d->cache[0].sql);
        memmove(&d->cache[0], &d->cache[1], sizeof d->cache[0] * (STMT_CACHE - 1));
        d->ncache--;
    }
    d->cache[d->ncache].sql = xstrdup(sql);
    d->cache[d->ncache].st = st;
    d->ncache++;
    return st;
}

sqlite3_stmt *stmt_keyed(db *d, int kind, const table *t, int ci, sql_build_fn build)
{
    for (int i = 0; i < d->nkeyed; i++)
        if (d->keyed[i].kind == kind && d->keyed[i].t == t && d->keyed[i].ci == ci) {
            sqlite3_reset(d->keyed[i].st);
            sqlite3_clear_bindings(d->keyed[i].st);
            return d->keyed[i].st;
        }
    buf q = BUF_INIT;
    build(&q, t, ci, kind);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(d->h, buf_str(&q), -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    buf_free(&q);
    if (rc != SQLITE_OK)
        return NULL;
    if (d->nkeyed == KEYED_CACHE) {   /* full: drop the oldest */
        sqlite3_finalize(d->keyed[0].st);
        memmove(&d->keyed[0], &d->keyed[1], sizeof d->keyed[0] * (KEYED_CACHE - 1));
        d->nkeyed--;
    }
    d->keyed[d->nkeyed].kind = kind;
    d->keyed[d->nkeyed].t = t;
    d->keyed[d->nkeyed].ci = ci;
    d->keyed[d->nkeyed].st = st;
    d->nkeyed++;
    return st;
}

struct inserter {
    db *d;
    sqlite3_stmt *st;
    const table *t;
    int *cis;
    int n;
};

const schema *db_schema(const db *d) { return &d->s; }
const char *db_path(const db *d) { return d->path; }
int db_readonly(const db *d) { return d->readonly; }
int db_readonly_why(const db *d) { return d->ro_why; }
const char *db_readonly_reason(const db *d)
{
    return d->ro_why == DB_RO_UNTRUSTED || d->ro_why == DB_RO_FULL ? d->ro_reason : NULL;
}
int db_readonly_exit(const db *d) { return d->ro_why == DB_RO_FULL ? EXIT_IO : EXIT_DB; }

/* Quote an identifier taken from the schema. */
void put_ident(buf *b, const char *id)
{
    buf_putc(b, '"');
    for (; *id; id++) {
        if (*id == '"')
            buf_putc(b, '"');
        buf_putc(b, *id);
    }
    buf_putc(b, '"');
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return xstrdup(v ? (const char *)v : "");
}

/* ---- schema loading --------------------------------------------------- */

/* ---- bounds on the register description ------------------------------
 * The minreg_* tables are data in a file that may come from anyone: every
 * value that sizes something (a number's decimals, a text's length, a list
 * of allowed values, a pattern) is bounded where it is read, and a register
 * whose description goes past a bound is refused with the bound named, so
 * that `scale = 2147483647` cannot make a 2 GB number nor an enum of a
 * million values a pick list nobody can use. */
#define META_MAX_TABLES 200
#define META_MAX_COLS 200
#define META_MAX_TOTALS 2000
#define META_MAX_ID 63        /* db_change.tbl holds 63 bytes */
#define META_MAX_TEXT 512     /* labels, titles, units, sources */
#define META_MAX_ENUM 4096    /* bytes of an enum list */
#define META_MAX_ENUM_N 256   /* values in it */
#define META_MAX_PATTERN 1024
#define META_MAX_RANGE 64
#define META_MAX_SCALE 15     /* decimals: a double has 15 to 17 */

/* Fill e: "PATH: the register description is out of bounds: WHERE has N
 * WHAT (at most MAX)".  Returns -1. */
static int meta_refuse(db *d, mr_err *e, const char *tbl, const char *col, const char *what,
                       long long n, long long max)
{
    buf where = BUF_INIT;
    if (*col)
        buf_printf(&where, _("column %s.%s"), tbl, col);
    else if (*tbl)
        buf_printf(&where, _("register %s"), tbl);
    else
        buf_puts(&where, _("the register"));
    err_set(e, EXIT_DB,
            _("%s: the register description is out of bounds: %s has %lld %s (at most %lld); "
              "it was not made by minreg"),
            d->path, buf_str(&where), n, what, max);
    buf_free(&where);
    return -1;
}

static int len_ok(db *d, mr_err *e, const char *tbl, const char *col, const char *what,
                  const char *v, size_t max)
{
    size_t n = strlen(v);
    return n <= max ? 0 : meta_refuse(d, e, tbl, col, what, (long long)n, (long long)max);
}

static int table_bounds(db *d, const table *t, mr_err *e)
{
    const char *id = t->id, *bytes = _("bytes in its id");
    if (len_ok(d, e, id, "", bytes, t->id, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its key column's id"), t->key_col, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its label column's id"), t->label_col, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its alias"), t->alias, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its appendix"), t->appendix, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its group"), t->grp, META_MAX_TEXT) < 0 ||
        len_ok(d, e, id, "", _("bytes in its title"), t->title, META_MAX_TEXT) < 0 ||
        len_ok(d, e, id, "", _("bytes in its English title"), t->title_en, META_MAX_TEXT) < 0 ||
        len_ok(d, e, id, "", _("bytes in its source"), t->source, META_MAX_TEXT) < 0)
        return -1;
    return 0;
}

static int col_bounds(db *d, const table *t, const column *c, long long scale, mr_err *e)
{
    const char *ti = t->id, *ci = c->id;
    if (len_ok(d, e, ti, "", _("bytes in a column's id"), c->id, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its label"), c->label, META_MAX_TEXT) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its English label"), c->label_en, META_MAX_TEXT) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its unit"), c->unit, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes of allowed values"), c->enum_s, META_MAX_ENUM) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its pattern"), c->pattern, META_MAX_PATTERN) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its range"), c->range, META_MAX_RANGE) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its link"), c->link_tbl, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its link"), c->link_col, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its not-before column"), c->not_before, META_MAX_ID) < 0)
        return -1;
    long long nenum = *c->enum_s ? 1 : 0;
    for (const char *p = c->enum_s; *p; p++)
        nenum += *p == '|';
    if (nenum > META_MAX_ENUM_N)
        return meta_refuse(d, e, ti, ci, _("allowed values"), nenum, META_MAX_ENUM_N);
    if (scale < -1 || scale > META_MAX_SCALE)
        return meta_refuse(d, e, ti, ci, _("decimals (scale; -1: as stored)"), scale, META_MAX_SCALE);
    return 0;
}

static int load_schema(db *d, mr_err *e)
{
    sqlite3_stmt *st = NULL;
    schema *s = &d->s;
    const char *q =
        "SELECT id, grp, appendix, alias, title, title_en, source, key_col, label_col, ord"
        " FROM minreg_tables ORDER BY ord";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s->tables = xrealloc(s->tables, sizeof(table) * (size_t)(s->ntables + 1));
        table *t = &s->tables[s->ntables++];
        memset(t, 0, sizeof *t);
        t->id = col_dup(st, 0); t->grp = col_dup(st, 1); t->appendix = col_dup(st, 2);
        t->alias = col_dup(st, 3); t->title = col_dup(st, 4); t->title_en = col_dup(st, 5);
        t->source = col_dup(st, 6); t->key_col = col_dup(st, 7); t->label_col = col_dup(st, 8);
        t->ord = sqlite3_column_int(st, 9);
        if (table_bounds(d, t, e) < 0 ||
            (s->ntables > META_MAX_TABLES &&
             meta_refuse(d, e, "", "", _("registers"), s->ntables, META_MAX_TABLES) < 0)) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);

    q = "SELECT id, label, label_en, type, unit, required, enum, pattern, link_tbl,"
        " link_col, multi, scale, range, not_before FROM minreg_columns WHERE tbl = ?1 ORDER BY ord";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    for (int i = 0; i < s->ntables; i++) {
        table *t = &s->tables[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            t->cols = xrealloc(t->cols, sizeof(column) * (size_t)(t->ncols + 1));
            column *c = &t->cols[t->ncols++];
            memset(c, 0, sizeof *c);
            c->id = col_dup(st, 0); c->label = col_dup(st, 1); c->label_en = col_dup(st, 2);
            const char *ty = (const char *)sqlite3_column_text(st, 3);
            if (!ty || !col_type_parse(ty, &c->type)) {
                err_set(e, EXIT_DB, "%s: column %s.%s has unknown type '%s'", d->path,
                        t->id, c->id, ty ? ty : "");
                sqlite3_finalize(st);
                return -1;
            }
            c->unit = col_dup(st, 4); c->required = sqlite3_column_int(st, 5);
            c->enum_s = col_dup(st, 6); c->pattern = col_dup(st, 7);
            c->link_tbl = col_dup(st, 8); c->link_col = col_dup(st, 9);
            c->multi = sqlite3_column_int(st, 10); c->scale = sqlite3_column_int(st, 11);
            c->range = col_dup(st, 12); c->not_before = col_dup(st, 13);
            if (col_bounds(d, t, c, sqlite3_column_int64(st, 11), e) < 0 ||
                (t->ncols > META_MAX_COLS &&
                 meta_refuse(d, e, t->id, "", _("columns"), t->ncols, META_MAX_COLS) < 0)) {
                sqlite3_finalize(st);
                return -1;
            }
        }
    }
    sqlite3_finalize(st);

    q = "SELECT tbl, measure, col, where_col, where_val, value, unit, source, note"
        " FROM minreg_totals ORDER BY rowid";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s->totals = xrealloc(s->totals, sizeof(total) * (size_t)(s->ntotals + 1));
        total *x = &s->totals[s->ntotals++];
        x->tbl = col_dup(st, 0); x->measure = col_dup(st, 1); x->col = col_dup(st, 2);
        x->where_col = col_dup(st, 3); x->where_val = col_dup(st, 4);
        x->value = sqlite3_column_double(st, 5);
        x->unit = col_dup(st, 6); x->source = col_dup(st, 7); x->note = col_dup(st, 8);
        if (s->ntotals > META_MAX_TOTALS) {
            meta_refuse(d, e, "", "", _("stated totals"), s->ntotals, META_MAX_TOTALS);
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    schema_resolve(s);
    for (int i = 0; i < s->ntables; i++)
        if (s->tables[i].key_ci < 0 || s->tables[i].label_ci < 0) {
            err_set(e, EXIT_DB, "%s: register %s names a key or label column it does not have",
                    d->path, s->tables[i].id);
            return -1;
        }
    return 0;
sqlerr:
    err_set(e, EXIT_DB, "%s: cannot read the register description: %s", d->path,
            sqlite3_errmsg(d->h));
    sqlite3_finalize(st);
    return -1;
}

/* ---- open / create ----------------------------------------------------- */

static int check_version(db *d, mr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, "SELECT value FROM minreg_meta WHERE key = 'schema_version'",
                                -1, &st, NULL);
    if (rc == SQLITE_NOTADB) {
        err_set(e, EXIT_DB, "%s: not an SQLite database (is it a register file?)", d->path);
        return -1;
    }
    if (rc != SQLITE_OK) {
        if (sqlite3_errcode(d->h) == SQLITE_BUSY)
            err_set(e, EXIT_DB, "%s: locked by another process", d->path);
        else if (strstr(sqlite3_errmsg(d->h), "no such table"))
            err_set(e, EXIT_DB, "%s: an SQLite file, but not a minreg register (no minreg_meta table)",
                    d->path);
        else
            err_set(e, EXIT_DB, "%s: %s", d->path, sqlite3_errmsg(d->h));
        sqlite3_finalize(st);
        return -1;
    }
    int version = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = atoi((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (version <= 0) {
        err_set(e, EXIT_DB, "%s: register has no schema version", d->path);
        return -1;
    }
    if (version > MINREG_SCHEMA_VERSION) {
        err_set(e, EXIT_DB,
                "%s: made by a newer minreg (schema version %d; this minreg knows up to %d); "
                "upgrade minreg to open it",
                d->path, version, MINREG_SCHEMA_VERSION);
        return -1;
    }
    if (db_migrate(d, version, e) < 0)
        return -1;
    version = MINREG_SCHEMA_VERSION;
    d->s.version = version;
    return 0;
}

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
static void add_functions(sqlite3 *h)
{
    /* SQLITE_DIRECTONLY: callable from minreg's own statements only, never
     * from a trigger, view, default or CHECK a register file holds */
    sqlite3_create_function(h, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                            NULL, sql_regexp, NULL, NULL);
    sqlite3_create_function(h, "mr_rowmatch", -1,
                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
                            sql_rowmatch, NULL, NULL);
}

/* Settings every connection to a register gets before it reads anything:
 * the schema is not trusted (a function with side effects cannot be called
 * from it: trusted_schema off), nothing may corrupt the file through SQL
 * (defensive: no writable_schema, no journal_mode=OFF), and a view in the
 * file is never run (minreg makes none). */
static void harden(sqlite3 *h)
{
    sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
}

/* The one progress handler of a connection: every PROGRESS_OPS steps of
 * any statement, the scoped tick function (every tick_every calls) and
 * the front end's cancel hook.  Nonzero interrupts the statement. */
#define PROGRESS_OPS 4096

static int progress(void *arg)
{
    db *d = arg;
    if (d->tick_fn && ++d->tick_count >= d->tick_every) {
        d->tick_count = 0;
        if (d->tick_fn(d->tick_arg)) {
            d->interrupted = 1;
            return 1;
        }
    }
    if (d->cancel_fn && d->cancel_fn(d->cancel_arg)) {
        d->interrupted = 1;
        return 1;
    }
    return 0;
}

void db_tick_set(db *d, db_progress_fn fn, void *arg, int ops)
{
    /* a tick finer than PROGRESS_OPS (a view's filter, where one row's
     * regular expression can take milliseconds) runs the handler that
     * often while it is set */
    int every = fn && ops > 0 && ops < PROGRESS_OPS ? ops : PROGRESS_OPS;
    d->tick_fn = fn;
    d->tick_arg = arg;
    d->tick_every = ops / every > 1 ? ops / every : 1;
    d->tick_count = 0;
    d->interrupted = 0;
    sqlite3_progress_handler(d->h, every, progress, d);
}

void db_on_cancel(db *d, int (*fn)(void *arg), void *arg)
{
    d->cancel_fn = fn;
    d->cancel_arg = arg;
}

int db_interrupted(const db *d) { return d->interrupted; }

int db_cancel_asked(db *d, mr_err *e)
{
    if (!d->cancel_fn || !d->cancel_fn(d->cancel_arg))
        return 0;
    d->interrupted = 1;
    err_set(e, EXIT_CANCELLED, _("%s: cancelled; nothing was written"), d->path);
    return 1;
}

int db_filter_parse_rx(const table *t, const char *arg, db_filter *f, mr_err *e)
{
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

/* ---- errors ------------------------------------------------------------- */

/* The folder holding path. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* SQLite reports damage it meets (a malformed page, a truncated file) to the
 * error log, whichever query met it: remember it so main can say the file is
 * damaged instead of what the failed lookup looked like ("no row"). */
static atomic_int corruption_seen;   /* a worker thread's query may report it */

static void sqlite_log(void *arg, int code, const char *msg)
{
    (void)arg;
    (void)msg;
    if ((code & 0xff) == SQLITE_CORRUPT)
        corruption_seen = 1;
}

int db_damage_seen(void) { return corruption_seen; }

int db_integrity(db *d, int full, void (*fn)(void *arg, const char *msg), void *arg, mr_err *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(d, e, full ? "integrity_check" : "quick_check");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (!m || strcmp(m, "ok") == 0)
            continue;
        /* a row may hold several problems, a line each, under a heading
         * naming the database ("*** in database main ***"): one each */
        char *copy = xstrdup(m), *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            if (strncmp(line, "*** in database ", 16) != 0)
                fn(arg, line);
        free(copy);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(d, e, full ? "integrity_check" : "quick_check");
    return 0;
}

/* Why a write to the file at path failed, as far as we can tell: SQLite
 * does not always keep the system's errno (a write past RLIMIT_FSIZE comes
 * back as a bare "disk I/O error"). */
static void io_reason(sqlite3 *h, const char *path, char *out, size_t n)
{
    int sys = sqlite3_system_errno(h);
    struct rlimit rl;
    struct statvfs vfs;
    char *dir = dir_of(path);
    out[0] = '\0';
    if (sys)
        snprintf(out, n, " (%s)", strerror(sys));
    else if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        snprintf(out, n, " (a file size limit of %llu bytes is set: ulimit -f)",
                 (unsigned long long)rl.rlim_cur);
    else if (statvfs(dir, &vfs) == 0 && (unsigned long long)vfs.f_bavail * vfs.f_frsize < 65536)
        snprintf(out, n, " (%s)", strerror(ENOSPC));
    free(dir);
}

int db_error(db *d, mr_err *e, const char *what)
{
    int code = sqlite3_errcode(d->h) & 0xff;
    const char *sep = what ? ": " : "";
    what = what ? what : "";
    if (code == SQLITE_INTERRUPT) {
        err_set(e, EXIT_CANCELLED, _("%s: cancelled; nothing was written"), d->path);
        return -1;
    }
    if (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) {
        /* disk full, a file size limit, an I/O error: say the system's reason */
        char why[128];
        io_reason(d->h, d->path, why, sizeof why);
        err_set(e, EXIT_IO, "%s: %s%s%s%s", d->path, what, sep, sqlite3_errmsg(d->h), why);
    } else {
        err_set(e, EXIT_DB, "%s: %s%s%s", d->path, what, sep, sqlite3_errmsg(d->h));
    }
    return -1;
}

#define BUSY_STEP_MS 50

/* SQLite calls this while the file is locked by another connection. */
static int busy_wait(void *arg, int count)
{
    db *d = arg;
    int waited = count * BUSY_STEP_MS;
    if (waited >= DB_BUSY_TIMEOUT_MS)
        return 0;   /* give up: the caller reports the lock */
    if (d->busy)
        d->busy(d->busy_arg, waited);
    sqlite3_sleep(BUSY_STEP_MS);
    /* asked after the pause, which a signal cuts short: a hangup during
     * the wait gives up before the next try could take the lock */
    if (d->busy_cancel && d->busy_cancel(d->busy_arg)) {
        d->busy_cancelled = 1;
        return 0;
    }
    return 1;
}

void db_on_busy(db *d, db_busy_fn fn, int (*cancel)(void *arg), void *arg)
{
    d->busy = fn;
    d->busy_cancel = cancel;
    d->busy_arg = arg;
}

/* minreg is one thread: SQLite need not lock its allocator, page cache or
 * connections, nor count memory (together a few percent of a bulk import).
 * Must run before SQLite initialises, so before the first open. */
static void lib_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    /* connections are each used by one thread at a time (SQLITE_OPEN_NOMUTEX),
     * but a split scan (db_scan.c) has several on the same file in threads:
     * SQLite's own shared state keeps its locks */
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL);
}

/* Does path-SUFFIX exist (mode F_OK) or is it writable (W_OK)? */
static int beside(const char *path, const char *suffix, int mode)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s%s", path, suffix);
    int ok = access(buf_str(&b), mode) == 0;
    buf_free(&b);
    return ok;
}

/* Is the file in WAL mode?  (Header bytes 18 and 19 are 2.) */
static int wal_mode_file(const char *path)
{
    unsigned char h[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    return n == (ssize_t)sizeof h && h[18] == 2 && h[19] == 2;
}

/* "file:" URI for path with immutable=1: %, ? and # escaped. */
static char *immutable_uri(const char *path)
{
    buf b = BUF_INIT;
    buf_puts(&b, "file:");
    for (const char *p = path; *p; p++)
        if (*p == '%' || *p == '?' || *p == '#')
            buf_printf(&b, "%%%02X", (unsigned char)*p);
        else
            buf_putc(&b, *p);
    buf_puts(&b, "?immutable=1");
    return buf_steal(&b);
}

/* Is path a file a register can be?  Refuses what is not a regular file (a
 * device such as /dev/zero reads as an endless empty database, a FIFO
 * would block the open) and a file without SQLite's header, before SQLite
 * sees it. */
static int plain_sqlite_file(const char *path, mr_err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        err_set(e, EXIT_DB, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        err_set(e, EXIT_DB, _("%s: not a register file (%s)"), path,
                S_ISDIR(sb.st_mode)    ? _("a folder")
                : S_ISCHR(sb.st_mode)  ? _("a character device")
                : S_ISBLK(sb.st_mode)  ? _("a block device")
                : S_ISFIFO(sb.st_mode) ? _("a FIFO")
                : S_ISSOCK(sb.st_mode) ? _("a socket")
                                       : _("not a regular file"));
        return -1;
    }
    char h[16];
    ssize_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) {
        n = read(fd, h, sizeof h);
        close(fd);
    }
    if (fd >= 0 && (n != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)) {
        if (n == 0)
            err_set(e, EXIT_DB, _("%s: an empty file, not a register"), path);
        else
            err_set(e, EXIT_DB, "%s: not an SQLite database (is it a register file?)", path);
        return -1;
    }
    return 0;   /* unreadable: SQLite's open says why */
}

/* Open d->open_name with d->open_flags, hardened, triggers off until the
 * schema is known to be minreg's. */
static int open_handle(db *d, mr_err *e)
{
    if (d->h) {
        sqlite3_close(d->h);
        d->h = NULL;
    }
    int orc = sqlite3_open_v2(d->open_name, &d->h, d->open_flags, NULL);
    if (orc != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s: %s", d->path, sqlite3_errmsg(d->h));
        return -1;
    }
    sqlite3_extended_result_codes(d->h, 1);
    harden(d->h);
    sqlite3_db_config(d->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_busy_handler(d->h, busy_wait, d);
    sqlite3_progress_handler(d->h, PROGRESS_OPS, progress, d);
    return 0;
}

/* A read failed with an I/O error: is it the file system being full, so
 * that SQLite cannot make the -shm file a WAL-mode register needs even to
 * be read?  Then, if no -wal holds changes not yet in the file, the file
 * alone is the register: reopen it read-only as immutable (DB_RO_FULL).
 * Returns 1 reopened, 0 not that case, -1 that case but it cannot be read
 * (e says why). */
static int reopen_full(db *d, mr_err *e)
{
    int code = sqlite3_extended_errcode(d->h);
    if ((code & 0xff) != SQLITE_IOERR && (code & 0xff) != SQLITE_FULL &&
        (code & 0xff) != SQLITE_CANTOPEN)
        return 0;
    struct statvfs vfs;
    char *dir = dir_of(d->path);
    int full = statvfs(dir, &vfs) == 0 && (unsigned long long)vfs.f_bavail * vfs.f_frsize < 65536;
    free(dir);
    if (!full || !wal_mode_file(d->path))
        return 0;
    if (beside(d->path, "-wal", F_OK)) {
        buf w = BUF_INIT;
        buf_printf(&w, "%s-wal", d->path);
        struct stat sb;
        int empty = stat(buf_str(&w), &sb) == 0 && sb.st_size == 0;
        buf_free(&w);
        if (!empty) {
            err_set(e, EXIT_IO,
                    _("%s: cannot be read: the file system is full, and SQLite needs to make the "
                      "-shm file beside the register to read the changes in its -wal file; free "
                      "some space and try again"),
                    d->path);
            return -1;
        }
    }
    free(d->open_name);
    d->open_name = immutable_uri(d->path);
    d->open_flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    d->readonly = 1;
    d->ro_why = DB_RO_FULL;
    free(d->ro_reason);
    d->ro_reason = xstrdup(_("the file system is full: no room for the -wal and -shm files a "
                             "write needs"));
    return open_handle(d, e) < 0 ? -1 : 1;
}

int db_open(const char *path, int flags, db **out, mr_err *e)
{
    lib_init();
    *out = NULL;
    if (access(path, F_OK) != 0) {
        err_set(e, EXIT_DB, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (plain_sqlite_file(path, e) < 0)
        return -1;
    db *d = xcalloc(1, sizeof *d);
    d->path = xstrdup(path);
    char *dir = dir_of(path), *uri = NULL;
    /* A write needs the -wal and -shm files beside the register (or a
     * rollback journal): in a folder we cannot write, SQLite would fail
     * half-way with "attempt to write a readonly database".  Open such a
     * register read-only and say why when a write is asked for. */
    if (flags & DB_READONLY)
        d->ro_why = DB_RO_ASKED;
    else if (access(path, W_OK) != 0)
        d->ro_why = DB_RO_FILE;
    else if (access(dir, W_OK) != 0 &&
             !(beside(path, "-wal", W_OK) && beside(path, "-shm", W_OK)))
        d->ro_why = DB_RO_FOLDER;
    d->readonly = d->ro_why != 0;
    /* one thread uses a connection: no per-call mutex (it costs 10% of an export) */
    int oflags = (d->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    /* Reading a WAL-mode register needs its -shm file; where that cannot
     * be created (a read-only folder or file system) and is not there, no
     * one can be writing it either: read it as immutable. */
    if (d->readonly && access(dir, W_OK) != 0 && !beside(path, "-shm", F_OK) &&
        !beside(path, "-wal", F_OK) && wal_mode_file(path)) {
        uri = immutable_uri(path);
        oflags |= SQLITE_OPEN_URI;
    }
    free(dir);
    d->open_name = uri ? uri : xstrdup(path);
    d->open_flags = oflags;
    if (open_handle(d, e) < 0) {
        db_close(d);
        return -1;
    }
    mr_err ve = {0};
    int vrc = check_version(d, &ve);
    if (vrc < 0) {
        /* a full file system: read the file alone, or say why not */
        int rrc = reopen_full(d, e);
        if (rrc == 1)
            vrc = check_version(d, &ve);
        if (rrc < 0) {
            db_close(d);
            return -1;
        }
    }
    if (vrc < 0) {
        *e = ve;
        db_close(d);
        return -1;
    }
    /* Only a schema minreg made may run in this process: otherwise the
     * register is read-only, with triggers and views off (db_trust.c).
     * An older version opened read-only was not migrated, and so is not
     * compared (there is no -r open of one yet: check_version refuses). */
    if (d->s.version != MINREG_SCHEMA_VERSION)
        d->trust_note = xstrdup(_("an older schema version opened read-only is not migrated, so "
                                  "its schema was not compared with minreg's"));
    if (d->s.version != MINREG_SCHEMA_VERSION || trust_compare(d) != 0) {
        if (d->ntrust_items == 0 && d->trust_note && !d->readonly) {
            /* cannot tell: safer read-only */
            d->ro_reason = xstrdup(d->trust_note);
            d->ro_why = DB_RO_UNTRUSTED;
        } else if (d->ntrust_items > 0 && !d->readonly) {
            buf b = BUF_INIT;
            buf_printf(&b, _("it holds SQL minreg did not make: %s"), d->trust_items[0]);
            if (d->ntrust_items > 1)
                buf_printf(&b, _(" and %d more (minreg check lists them)"), d->ntrust_items - 1);
            d->ro_reason = buf_steal(&b);
            d->ro_why = DB_RO_UNTRUSTED;
        }
        d->readonly = d->ro_why != 0;
        sqlite3_exec(d->h, "PRAGMA query_only = 1", NULL, NULL, NULL);
    } else {
        sqlite3_db_config(d->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
    }
    if (load_schema(d, e) < 0) {
        db_close(d);
        return -1;
    }
    add_functions(d->h);
    if (!d->readonly)
        sqlite3_exec(d->h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    sqlite3_exec(d->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    /* a history without its chain gets one on the first write-open */
    if (!d->readonly && !(flags & DB_NOSEAL) && db_chain_start(d, e) < 0) {
        db_close(d);
        return -1;
    }
    *out = d;
    return 0;
}

int db_open_same(db *d, sqlite3 **out)
{
    if (sqlite3_open_v2(d->open_name, out, d->open_flags, NULL) != SQLITE_OK) {
        sqlite3_close(*out);
        *out = NULL;
        return -1;
    }
    sqlite3_extended_result_codes(*out, 1);
    harden(*out);
    if (d->readonly) {   /* a worker only reads; an untrusted file's triggers stay off */
        sqlite3_db_config(*out, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
        sqlite3_exec(*out, "PRAGMA query_only = 1", NULL, NULL, NULL);
    }
    add_functions(*out);
    return 0;
}

void db_close(db *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->ncache; i++) {
        sqlite3_finalize(d->cache[i].st);
        free(d->cache[i].sql);
    }
    for (int i = 0; i < d->nkeyed; i++)
        sqlite3_finalize(d->keyed[i].st);
    sqlite3_close(d->h);
    trust_free(d);
    free(d->counts);
    free(d->next_rid);
    schema_free(&d->s);
    free(d->path);
    free(d->open_name);
    free(d);
}

static char *slurp(const char *path, mr_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    return buf_steal(&b);
}

int db_create(const char *path, const char *datadir, int empty, mr_err *e)
{
    lib_init();
    if (access(path, F_OK) == 0) {
        err_set(e, EXIT_IO, "%s: already exists; minreg init will not overwrite a register", path);
        return -1;
    }
    buf tmp = BUF_INIT, p = BUF_INIT;
    buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid());
    unlink(buf_str(&tmp));
    buf_printf(&p, "%s/schema.sql", datadir);
    char *sql = slurp(buf_str(&p), e);
    int rc = -1;
    db *d = NULL;
    sqlite3 *h = NULL;
    if (!sql)
        goto out;
    /* Create the file ourselves: 0660 less the umask, so a register is never
     * readable or writable by everyone (SQLite would use 0644).  Its journal
     * and WAL files take the same mode. */
    int fd = open(buf_str(&tmp), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0660);
    if (fd < 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        goto out;
    }
    close(fd);
    if (sqlite3_open_v2(buf_str(&tmp), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        err_set(e, EXIT_IO, "%s: %s", path, sqlite3_errmsg(h));
        sqlite3_close(h);
        goto out;
    }
    char *msg = NULL;
    if (sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int code = sqlite3_errcode(h) & 0xff;
        char why[128];
        io_reason(h, path, why, sizeof why);
        if (code == SQLITE_IOERR || code == SQLITE_FULL)   /* the new file, not schema.sql */
            err_set(e, EXIT_IO, "%s: cannot write: %s%s", path, sqlite3_errmsg(h), why);
        else
            err_set(e, EXIT_DATA, "%s: %s", buf_str(&p), msg ? msg : sqlite3_errmsg(h));
        sqlite3_free(msg);
        sqlite3_close(h);
        goto out;
    }
    sqlite3_close(h);
    if (db_open(buf_str(&tmp), DB_NOSEAL, &d, e) < 0)
        goto out;
    free(d->path);   /* messages name the register being made, not its temporary file */
    d->path = xstrdup(path);
    if (!empty) {
        if (db_begin(d, e) < 0)
            goto out;
        sqlite3_exec(d->h, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
        for (int i = 0; i < d->s.ntables; i++) {
            buf_reset(&p);
            buf_printf(&p, "%s/seed/%s.csv", datadir, d->s.tables[i].id);
            if (access(buf_str(&p), F_OK) != 0)
                continue;
            if (load_csv(d, &d->s.tables[i], buf_str(&p), 1, e) < 0) {
                int code = sqlite3_errcode(d->h) & 0xff;
                if (code == SQLITE_IOERR || code == SQLITE_FULL)
                    db_error(d, e, "cannot write");   /* the new file, not the seed */
                db_rollback(d);
                goto out;
            }
        }
        if (db_commit(d, e) < 0)
            goto out;
    }
    /* the chain starts with the plan's rows as loaded */
    if (db_chain_start(d, e) < 0)
        goto out;
    /* Leave a single self-contained file: no WAL beside it. */
    sqlite3_exec(d->h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    db_close(d);
    d = NULL;
    if (rename(buf_str(&tmp), path) != 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    db_close(d);
    if (rc < 0) {
        unlink(buf_str(&tmp));
        buf_puts(&tmp, "-wal");
        unlink(buf_str(&tmp));
        tmp.len -= 4;
        buf_puts(&tmp, "-shm");
        unlink(buf_str(&tmp));
    }
    free(sql);
    buf_free(&tmp);
    buf_free(&p);
    return rc;
}

static int unique_cols(db *d, const table *t, int *out, int max);

/* ---- transactions -------------------------------------------------------- */

int db_begin(db *d, mr_err *e)
{
    d->busy_cancelled = 0;
    db_seq_forget(d);
    d->interrupted = 0;
    if (sqlite3_exec(d->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        if ((sqlite3_errcode(d->h) & 0xff) == SQLITE_BUSY && d->busy_cancelled)
            err_set(e, EXIT_DB, "%s: stopped waiting for another clerk's write; nothing was written",
                    d->path);
        else if ((sqlite3_errcode(d->h) & 0xff) == SQLITE_BUSY)
            err_set(e, EXIT_DB, "%s: another clerk's write held the register for over %d s; nothing was written, try again",
                    d->path, DB_BUSY_TIMEOUT_MS / 1000);
        else
            db_error(d, e, "cannot start a write");
        return -1;
    }
    return 0;
}

int db_commit(db *d, mr_err *e)
{
    d->commit_constraint = 0;
    if (db_chain_pending(d) < 0 || db_seq_save(d) < 0 ||
        sqlite3_exec(d->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        d->commit_constraint = db_last_was_constraint(d);   /* deferred foreign keys */
        db_error(d, e, "could not write the change, nothing was written");
        db_rollback(d);
        return -1;
    }
    return 0;
}

void db_rollback(db *d)
{
    db_seq_forget(d);
    if (!sqlite3_get_autocommit(d->h))
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- queries -------------------------------------------------------------- */

/* "mr_rowmatch(?n, c1, c2, ...)": a pattern over the whole row (see
 * sql_rowmatch). */
static void put_any_rx(buf *q, const table *t, const char *alias, int param)
{
    buf_printf(q, "mr_rowmatch(?%d", param);
    for (int j = 0; j < t->ncols; j++) {
        buf_printf(q, ", %s%s", alias ? alias : "", alias ? "." : "");
        put_ident(q, t->cols[j].id);
    }
    buf_puts(q, ")");
}

void put_where(buf *q, const table *t, const db_filter *f, int nf)
{
    for (int i = 0; i < nf; i++) {
        buf_puts(q, i ? " AND " : " WHERE ");
        if (f[i].op == DBF_RX) {
            if (f[i].ci < 0) {
                put_any_rx(q, t, NULL, i + 1);
            } else {
                put_ident(q, t->cols[f[i].ci].id);
                buf_printf(q, " REGEXP ?%d", i + 1);
            }
            continue;
        }
        const column *c = &t->cols[f[i].ci];
        if (c->multi) {
            buf_puts(q, "instr(';' || ");
            put_ident(q, c->id);
            buf_printf(q, " || ';', ';' || ?%d || ';') > 0", i + 1);
        } else {
            put_ident(q, c->id);
            buf_printf(q, " = ?%d", i + 1);
        }
    }
}

void bind_filters(sqlite3_stmt *st, const db_filter *f, int nf)
{
    for (int i = 0; i < nf; i++)
        sqlite3_bind_text(st, i + 1, f[i].value, -1, SQLITE_TRANSIENT);
}

/* SELECT count(*) (ci < 0) or total(col) FROM t WHERE filters, stepped to
 * its one row: the statement to read (then sqlite3_reset), or NULL. */
static sqlite3_stmt *aggregate(db *d, const table *t, int ci, const db_filter *f, int nf)
{
    buf q = BUF_INIT;
    if (ci < 0) {
        buf_puts(&q, "SELECT count(*)");
    } else {
        buf_puts(&q, "SELECT total(");
        put_ident(&q, t->cols[ci].id);
        buf_puts(&q, ")");
    }
    buf_puts(&q, " FROM ");
    put_ident(&q, t->id);
    put_where(&q, t, f, nf);
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
    if (!st)
        return NULL;
    bind_filters(st, f, nf);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    return st;
}

int64_t db_data_version(db *d)
{
    sqlite3_stmt *st = stmt_cached(d, "PRAGMA data_version");
    int64_t v = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return v;
}

/* The slot of t's count in d->counts, or NULL when the cache cannot be used:
 * a table outside the schema, or no way to tell whether the file changed. */
static int64_t *count_slot(db *d, const table *t)
{
    if (t < d->s.tables || t >= d->s.tables + d->s.ntables)
        return NULL;
    /* inside a transaction a count may yet be rolled back, which neither
     * stamp would show: count afresh until it ends */
    if (!sqlite3_get_autocommit(d->h))
        return NULL;
    int64_t dv = db_data_version(d), tc = sqlite3_total_changes64(d->h);
    if (dv < 0)
        return NULL;
    if (!d->counts || dv != d->count_dv || tc != d->count_tc) {
        if (!d->counts)
            d->counts = xcalloc((size_t)d->s.ntables, sizeof(int64_t));
        for (int i = 0; i < d->s.ntables; i++)
            d->counts[i] = -1;
        d->count_dv = dv;
        d->count_tc = tc;
    }
    return &d->counts[t - d->s.tables];
}

/* A whole-table scan that only regular expressions filter: every row is
 * read and matched, which db_scan.c can split over threads. */
static int scan_splits(const db_filter *f, int nf, int sort_ci, long limit)
{
    if (sort_ci >= 0 || limit >= 0 || nf == 0)
        return 0;
    for (int i = 0; i < nf; i++)
        if (f[i].op != DBF_RX)
            return 0;   /* an equality may use an index: not a scan */
    return 1;
}

/* q (a SELECT from t WHERE the filters f) read in rowid order (desc:
 * reversed) split over threads: the chunk bounds and the order appended,
 * prepared, the filters bound, the scan started (db_scan.c).  Frees q. */
static cursor *split_cursor(db *d, const table *t, buf *q, const db_filter *f, int nf, int desc,
                            mr_err *e)
{
    buf_printf(q, " AND rowid BETWEEN ?%d AND ?%d ORDER BY rowid%s", nf + 1, nf + 2,
               desc ? " DESC" : "");
    cursor *c = cursor_prepare(d, t, buf_str(q), e);
    if (c) {
        bind_filters(c->st, f, nf);
        scan_start(d, c, buf_str(q), f, nf, desc);
    }
    buf_free(q);
    return c;
}

/* The rowids a whole-table scan that only regular expressions filter
 * keeps, in rowid order (desc: reversed), split over threads;
 * NULL when the filters are not only regular expressions. */
static cursor *rx_rowids(db *d, const table *t, const db_filter *f, int nf, int desc, mr_err *e)
{
    if (!scan_splits(f, nf, -1, -1))
        return NULL;
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT rowid FROM ");
    put_ident(&q, t->id);
    put_where(&q, t, f, nf);
    return split_cursor(d, t, &q, f, nf, desc, e);
}

int64_t db_count(db *d, const table *t, const db_filter *f, int nf)
{
    cursor *c = rx_rowids(d, t, f, nf, 0, NULL);
    if (c) {
        /* every row matched against a pattern: over the processors */
        int64_t n = 0;
        int rc;
        while ((rc = cursor_next(c)) == 1)
            n++;
        cursor_free(c);
        return rc < 0 ? -1 : n;
    }

    /* A whole register's count is asked for by the registers screen and
     * again by the table it opens (row i/N): at a million rows each count
     * reads every page of an index, so it is kept until the file changes. */
    int64_t *slot = nf == 0 ? count_slot(d, t) : NULL;
    if (slot && *slot >= 0)
        return *slot;
    sqlite3_stmt *st = aggregate(d, t, -1, f, nf);
    if (!st)
        return -1;
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (slot)
        *slot = n;
    return n;
}

int64_t db_count_cached(db *d, const table *t)
{
    int64_t *slot = count_slot(d, t);
    return slot ? *slot : -1;
}

/* SELECT rowid, every column FROM t [AS alias]. */
void put_select_as(buf *q, const table *t, const char *alias)
{
    const char *dot = alias ? "." : "";
    alias = alias ? alias : "";
    buf_printf(q, "SELECT %s%srowid", alias, dot);
    for (int i = 0; i < t->ncols; i++) {
        buf_printf(q, ", %s%s", alias, dot);
        put_ident(q, t->cols[i].id);
    }
    buf_puts(q, " FROM ");
    put_ident(q, t->id);
    if (*alias)
        buf_printf(q, " AS %s", alias);
}

static void put_select(buf *q, const table *t) { put_select_as(q, t, NULL); }

cursor *cursor_prepare(db *d, const table *t, const char *sql, mr_err *e)
{
    cursor *c = xcalloc(1, sizeof *c);
    c->t = t;
    if (sqlite3_prepare_v2(d->h, sql, -1, &c->st, NULL) != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s: %s", d->path, sqlite3_errmsg(d->h));
        sqlite3_finalize(c->st);
        free(c);
        return NULL;
    }
    return c;
}

cursor *db_select(db *d, const table *t, const db_filter *f, int nf, int sort_ci, int desc,
                  long limit, mr_err *e)
{
    buf q = BUF_INIT;
    put_select(&q, t);
    put_where(&q, t, f, nf);
    if (scan_splits(f, nf, sort_ci, limit))
        return split_cursor(d, t, &q, f, nf, desc, e);
    buf_puts(&q, " ORDER BY ");
    if (sort_ci >= 0) {
        put_ident(&q, t->cols[sort_ci].id);
        buf_puts(&q, desc ? " DESC, rowid DESC" : ", rowid");
    } else {
        buf_puts(&q, desc ? "rowid DESC" : "rowid");
    }
    if (limit >= 0)
        buf_printf(&q, " LIMIT %ld", limit);
    cursor *c = cursor_prepare(d, t, buf_str(&q), e);
    buf_free(&q);
    if (c)
        bind_filters(c->st, f, nf);
    return c;
}

cursor *db_select_rowid(db *d, const table *t, int64_t rowid, mr_err *e)
{
    buf q = BUF_INIT;
    put_select(&q, t);
    buf_puts(&q, " WHERE rowid = ?1");
    cursor *c = cursor_prepare(d, t, buf_str(&q), e);
    buf_free(&q);
    if (c)
        sqlite3_bind_int64(c->st, 1, rowid);
    return c;
}

int cursor_next(cursor *c)
{
    if (c->scan)
        return scan_next(c);
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    snprintf(c->err, sizeof c->err, "%s", sqlite3_errmsg(sqlite3_db_handle(c->st)));
    return -1;
}

/* REAL values leave as typed: 100 not 100.0, 457.2456 not 457.24560000000002
 * (15 significant digits, which decimal text always round-trips through),
 * and without exponents, so what leaves can come back in (num.h). */
const char *cursor_val(cursor *c, int ci)
{
    if (c->scan && !scan_own(c)) {
        int is_num;
        double v;
        const char *s = scan_val(c, ci, &is_num, &v);
        if (!is_num)
            return s;
        if (!c->num)
            c->num = xcalloc((size_t)sqlite3_column_count(c->st), sizeof *c->num);
        num_format(v, c->num[ci]);
        return c->num[ci];
    }
    if (sqlite3_column_type(c->st, ci + 1) == SQLITE_FLOAT) {
        if (!c->num)
            c->num = xcalloc((size_t)sqlite3_column_count(c->st), sizeof *c->num);
        num_format(sqlite3_column_double(c->st, ci + 1), c->num[ci]);
        return c->num[ci];
    }
    return (const char *)sqlite3_column_text(c->st, ci + 1);
}

int64_t cursor_rowid(cursor *c)
{
    return c->scan && !scan_own(c) ? scan_rowid(c) : sqlite3_column_int64(c->st, 0);
}

const char *cursor_error(cursor *c) { return c->err; }

void cursor_free(cursor *c)
{
    if (!c)
        return;
    if (c->scan || c->pin)
        scan_end(c);
    sqlite3_finalize(c->st);
    free(c->num);
    free(c);
}

static void build_find_by(buf *q, const table *t, int ci, int kind)
{
    db_filter f = {ci, NULL, DBF_EQ};
    (void)kind;
    buf_puts(q, "SELECT rowid FROM ");
    put_ident(q, t->id);
    put_where(q, t, &f, 1);   /* a multi-valued column: rows listing the value */
    buf_puts(q, " LIMIT 2");
}

static void build_exists_other(buf *q, const table *t, int ci, int kind)
{
    (void)kind;
    buf_puts(q, "SELECT 1 FROM ");
    put_ident(q, t->id);
    buf_puts(q, " WHERE ");
    put_ident(q, t->cols[ci].id);
    buf_puts(q, " = ?1 AND rowid <> ?2 LIMIT 1");
}

int db_find_by(db *d, const table *t, int ci, const char *value, int64_t *rowid)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_FIND_BY, t, ci, build_find_by);
    int found = 0;
    if (st) {
        sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            *rowid = sqlite3_column_int64(st, 0);
            found++;
        }
        sqlite3_reset(st);
    }
    return found == 1;
}

int64_t db_col_values(db *d, const table *t, int ci, int64_t max, void (*fn)(void *arg, const char *v),
                      void *arg)
{
    if (t->cols[ci].multi)
        return -1;
    /* the values db_find_by finds: in exactly one row */
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT ");
    put_ident(&q, t->cols[ci].id);
    buf_puts(&q, " FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, " WHERE ");
    put_ident(&q, t->cols[ci].id);
    buf_puts(&q, " IS NOT NULL GROUP BY 1 HAVING count(*) = 1 LIMIT ?1");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    if (rc != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, max + 1);
    int64_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && ++n <= max)
        fn(arg, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return n <= max ? n : -1;
}

int db_exists_other(db *d, const table *t, int ci, const char *value, int64_t self_rowid)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_EXISTS_OTHER, t, ci, build_exists_other);
    int found = 0;
    if (st) {
        sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, self_rowid);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
    }
    return found;
}

int db_is_unique_col(db *d, const table *t, int ci)
{
    if (ci == t->key_ci)
        return 1;
    int cis[16];
    int n = unique_cols(d, t, cis, 16);
    for (int i = 0; i < n; i++)
        if (cis[i] == ci)
            return 1;
    return 0;
}

int db_sum(db *d, const table *t, const db_filter *f, int nf, int ci, double *sum)
{
    sqlite3_stmt *st = aggregate(d, t, ci, f, nf);
    if (!st)
        return -1;
    *sum = sqlite3_column_double(st, 0);
    sqlite3_reset(st);
    return 0;
}

int db_group(db *d, const table *t, int gci, int sci, db_group_fn fn, void *arg)
{
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT ");
    put_ident(&q, t->cols[gci].id);
    buf_puts(&q, ", count(*), ");
    if (sci >= 0) {
        buf_puts(&q, "total(");
        put_ident(&q, t->cols[sci].id);
        buf_puts(&q, ")");
    } else {
        buf_puts(&q, "0");
    }
    buf_puts(&q, " FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, " GROUP BY 1 ORDER BY 1");
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW)
            fn(arg, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
               sqlite3_column_double(st, 2));
        rc = 0;
    }
    sqlite3_finalize(st);
    buf_free(&q);
    return rc;
}

/* Columns of t with a single-column UNIQUE index (besides the key). */
static int unique_cols(db *d, const table *t, int *out, int max)
{
    int n = 0;
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT ii.name FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii"
                 " WHERE il.\"unique\" = 1 AND (SELECT count(*) FROM pragma_index_info(il.name)) = 1");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
        while (n < max && sqlite3_step(st) == SQLITE_ROW) {
            int ci = table_col(t, (const char *)sqlite3_column_text(st, 0));
            if (ci >= 0 && ci != t->key_ci)
                out[n++] = ci;
        }
    }
    sqlite3_finalize(st);
    buf_free(&q);
    return n;
}

int db_find(db *d, const table *t, const char *key, int64_t *rowid)
{
    if (db_find_by(d, t, t->key_ci, key, rowid))
        return 1;
    int cis[16];
    int n = unique_cols(d, t, cis, 16);
    for (int i = 0; i < n; i++)
        if (db_find_by(d, t, cis[i], key, rowid))
            return 1;
    char *end;
    long long r = strtoll(key, &end, 10);
    if (*key && *end == '\0' && r > 0) {
        cursor *c = db_select_rowid(d, t, r, NULL);
        int ok = c && cursor_next(c) == 1;
        cursor_free(c);
        if (ok) {
            *rowid = r;
            return 1;
        }
    }
    return 0;
}

/* ---- inserts ---------------------------------------------------------------- */

inserter *db_inserter_new(db *d, const table *t, const int *cis, int n, mr_err *e)
{
    buf q = BUF_INIT;
    buf_puts(&q, "INSERT INTO ");
    put_ident(&q, t->id);
    buf_puts(&q, " (");
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(&q, ", ");
        put_ident(&q, t->cols[cis[i]].id);
    }
    buf_puts(&q, ") VALUES (");
    for (int i = 0; i < n; i++)
        buf_printf(&q, "%s?%d", i ? ", " : "", i + 1);
    buf_puts(&q, ")");
    inserter *ins = xcalloc(1, sizeof *ins);
    ins->d = d;
    ins->t = t;
    ins->n = n;
    ins->cis = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
    memcpy(ins->cis, cis, sizeof(int) * (size_t)n);
    if (sqlite3_prepare_v2(d->h, buf_str(&q), -1, &ins->st, NULL) != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s: %s", d->path, sqlite3_errmsg(d->h));
        buf_free(&q);
        db_inserter_free(ins);
        return NULL;
    }
    buf_free(&q);
    return ins;
}

int db_insert(inserter *ins, const char *const *values, mr_err *e)
{
    sqlite3_reset(ins->st);
    for (int i = 0; i < ins->n; i++) {
        const char *v = values[i];
        if (!v || !*v)
            sqlite3_bind_null(ins->st, i + 1);
        else
            sqlite3_bind_text(ins->st, i + 1, v, -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(ins->st);
    sqlite3_reset(ins->st);
    if (rc != SQLITE_DONE) {
        err_set(e, EXIT_DATA, "%s", sqlite3_errmsg(ins->d->h));
        return -1;
    }
    return 0;
}

void db_inserter_free(inserter *ins)
{
    if (!ins)
        return;
    sqlite3_finalize(ins->st);
    free(ins->cis);
    free(ins);
}

/* ---- row sources: a view of a register read a page at a time ---------------
 *
 * In the register's own order (by rowid) pages are read by keyset from the
 * nearest row whose rowid we know: the last page shown, the start or the end,
 * so moving about costs a page, not the distance travelled.  Sorting by a
 * column materialises the order once into a temporary table of rowids keyed
 * by position; after that every page, from anywhere, is a primary-key range.
 */
struct rowsrc {
    db *d;
    const table *t;
    db_filter *f;
    int nf;
    int desc;
    int sorted;          /* order materialised in temp.<vname> */
    char vname[32];
    int64_t count;       /* -1: not counted yet (see rowsrc_count_upto) */
    int64_t seen;        /* rows known to exist: the end of the furthest page read */
    int64_t win_pos;     /* rowids of the last page: positions win_pos.. */
    int64_t *win_ids;
    int win_n, win_cap;
    int f_rx;            /* a regex filter: the view is materialised */
};

static int view_seq;

/* The progress handlers of views and searches run every TICK_OPS steps of
 * SQLite's machine: a pattern that backtracks can take milliseconds a row,
 * and 20000 steps were seconds of it before Esc was looked at.  That often,
 * the callback (which draws and reads the keyboard) is asked at most every
 * TICK_MS, and at the first tick after tick_start.  Main thread only. */
#define TICK_OPS 100
#define TICK_MS 20

static double tick_last = -1;

static void tick_start(void) { tick_last = -1; }

static int tick_due(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
    if (tick_last >= 0 && ms - tick_last < TICK_MS)
        return 0;
    tick_last = ms;
    return 1;
}

static int progress_trampoline(void *arg)
{
    if (!tick_due())
        return 0;
    void **pa = arg;
    db_progress_fn fn = (db_progress_fn)(uintptr_t)pa[0];
    return fn(pa[1]);
}

#define FILL_BATCH 4096   /* rowids per insert into a view's table */

typedef struct fill_progress {
    db_progress_fn fn;
    void *arg;
    int stopped;   /* fn asked to stop: the statement it interrupted failed */
} fill_progress;

/* Also what the scan asks while it waits for a worker's chunk (and once
 * stopped, stays stopped: the Esc was read). */
static int fill_tick(void *arg)
{
    fill_progress *fp = arg;
    if (fp->stopped)
        return 1;
    if (!tick_due())
        return 0;
    return fp->stopped = fp->fn(fp->arg) != 0;
}

/* Fill the view's table from a scan split over threads (rx_rowids), a
 * batch of rowids per insert.  0: the filters cannot split (nothing done);
 * -1: failed or cancelled (e says); else 1, r->count set. */
static int fill_split(rowsrc *r, db_progress_fn fn, void *arg, mr_err *e)
{
    cursor *c = rx_rowids(r->d, r->t, r->f, r->nf, r->desc, NULL);
    if (!c)
        return 0;
    char q[128];
    snprintf(q, sizeof q, "INSERT INTO temp.%s (rid) SELECT value FROM json_each(?1) ORDER BY key",
             r->vname);
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(r->d->h, q, -1, &ins, NULL) != SQLITE_OK) {
        sqlite3_finalize(ins);
        cursor_free(c);
        return 0;
    }
    fill_progress fp = {fn, arg, 0};
    if (fn) {
        tick_start();
        db_tick_set(r->d, fill_tick, &fp, TICK_OPS);
        scan_on_wait(c, fill_tick, &fp);
    }
    buf ids = BUF_INIT;
    int64_t n = 0;
    int rc, k = 0, failed = 0;
    do {
        rc = cursor_next(c);
        if (rc == 1) {
            buf_printf(&ids, "%c%lld", k ? ',' : '[', (long long)cursor_rowid(c));
            k++;
            n++;
        }
        if (k && (rc != 1 || k == FILL_BATCH)) {
            buf_putc(&ids, ']');
            sqlite3_bind_text(ins, 1, ids.s, (int)ids.len, SQLITE_STATIC);
            failed = sqlite3_step(ins) != SQLITE_DONE;
            sqlite3_reset(ins);
            buf_reset(&ids);
            k = 0;
        }
    } while (rc == 1 && !failed);
    db_tick_set(r->d, NULL, NULL, 0);
    if (rc < 0 || failed)
        err_set(e, EXIT_DB, "%s", fp.stopped ? "cancelled" : rc < 0 ? cursor_error(c) : sqlite3_errmsg(r->d->h));
    buf_free(&ids);
    sqlite3_finalize(ins);
    cursor_free(c);
    r->count = n;
    return rc < 0 || failed ? -1 : 1;
}

rowsrc *db_rowsrc_new(db *d, const table *t, const db_filter *f, int nf, int sort_ci, int desc,
                      db_progress_fn fn, void *arg, mr_err *e)
{
    rowsrc *r = xcalloc(1, sizeof *r);
    r->d = d;
    r->t = t;
    r->desc = desc;
    r->nf = nf;
    r->f = xmalloc(sizeof(db_filter) * (size_t)(nf ? nf : 1));
    for (int i = 0; i < nf; i++) {
        r->f[i].ci = f[i].ci;
        r->f[i].op = f[i].op;
        r->f[i].value = xstrdup(f[i].value);
    }
    int has_rx = 0;
    for (int i = 0; i < nf; i++)
        has_rx |= f[i].op == DBF_RX;
    r->f_rx = has_rx;
    if (sort_ci < 0 && !has_rx) {
        /* counted when first needed: a million rows take a pass over an
         * index, and the first screen needs only its own rows */
        r->count = -1;
        return r;
    }
    r->sorted = 1;
    snprintf(r->vname, sizeof r->vname, "mr_view_%d", ++view_seq);
    buf q = BUF_INIT;
    buf_printf(&q, "CREATE TEMP TABLE %s (pos INTEGER PRIMARY KEY, rid INTEGER NOT NULL)", r->vname);
    char *msg = NULL;
    if (sqlite3_exec(d->h, buf_str(&q), NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s: %s", d->path, msg ? msg : "?");
        sqlite3_free(msg);
        buf_free(&q);
        r->sorted = 0;
        db_rowsrc_free(r);
        return NULL;
    }
    buf_free(&q);
    if (sort_ci < 0) {
        /* rows in the register's order that only patterns filter: the
         * scan is split over the processors */
        int split = fill_split(r, fn, arg, e);
        if (split < 0) {
            db_rowsrc_free(r);
            return NULL;
        }
        if (split > 0)
            return r;
    }
    buf_printf(&q, "INSERT INTO temp.%s (rid) SELECT rowid FROM ", r->vname);
    put_ident(&q, t->id);
    put_where(&q, t, r->f, nf);
    buf_puts(&q, " ORDER BY ");
    if (sort_ci >= 0) {
        put_ident(&q, t->cols[sort_ci].id);
        buf_puts(&q, desc ? " DESC, rowid DESC" : ", rowid");
    } else {
        buf_puts(&q, desc ? "rowid DESC" : "rowid");
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    void *pa[2] = {(void *)(uintptr_t)fn, arg};
    if (rc == SQLITE_OK) {
        bind_filters(st, r->f, nf);
        if (fn) {
            tick_start();
            db_tick_set(d, progress_trampoline, pa, TICK_OPS);
        }
        rc = sqlite3_step(st);
        db_tick_set(d, NULL, NULL, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_INTERRUPT)
            err_set(e, EXIT_DB, "cancelled");
        else
            err_set(e, EXIT_DB, "%s", sqlite3_errmsg(d->h));
        db_rowsrc_free(r);
        return NULL;
    }
    r->count = sqlite3_changes(d->h);
    return r;
}

void db_rowsrc_free(rowsrc *r)
{
    if (!r)
        return;
    if (r->sorted) {
        char q[96];
        snprintf(q, sizeof q, "DROP TABLE IF EXISTS temp.%s", r->vname);
        sqlite3_exec(r->d->h, q, NULL, NULL, NULL);
    }
    for (int i = 0; i < r->nf; i++)
        free((char *)r->f[i].value);
    free(r->f);
    free(r->win_ids);
    free(r);
}

/* The view's count is known: a window read from the end (negative
 * positions) gets its absolute positions. */
static void counted(rowsrc *r, int64_t n)
{
    r->count = n;
    if (r->win_pos < 0)
        r->win_pos += n;
}

int64_t rowsrc_count(rowsrc *r)
{
    if (r->count < 0) {
        /* a whole register's count may be cached (the registers screen) */
        int64_t n = db_count(r->d, r->t, r->f, r->nf);
        counted(r, n < 0 ? r->seen : n);   /* the count failed: what is known to be there */
    }
    return r->count;
}

int64_t rowsrc_count_upto(rowsrc *r, int64_t need)
{
    if (r->count < 0 && r->nf == 0) {
        int64_t n = db_count_cached(r->d, r->t);
        if (n >= 0)
            counted(r, n);
    }
    if (r->count >= 0 || r->seen >= need)
        return r->count;
    return rowsrc_count(r);
}

/* Rowid of the row `skip` rows past the bound (exclusive) in direction fwd
 * (1: the view's order, 0: against it); bound NULL = from that end. */
static int anchor_at(rowsrc *r, const int64_t *bound, int fwd, int64_t skip, int64_t *out)
{
    int asc = fwd != r->desc;
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT rowid FROM ");
    put_ident(&q, r->t->id);
    put_where(&q, r->t, r->f, r->nf);
    if (bound)
        buf_printf(&q, "%s rowid %s ?%d", r->nf ? " AND" : " WHERE", asc ? ">" : "<", r->nf + 1);
    buf_printf(&q, " ORDER BY rowid %s LIMIT 1 OFFSET %lld", asc ? "ASC" : "DESC", (long long)skip);
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
        bind_filters(st, r->f, r->nf);
        if (bound)
            sqlite3_bind_int64(st, r->nf + 1, *bound);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            found = 1;
        }
    }
    sqlite3_finalize(st);
    buf_free(&q);
    return found;
}

cursor *rowsrc_page(rowsrc *r, int64_t pos, int n, mr_err *e)
{
    buf q = BUF_INIT;
    cursor *c;
    if (pos < 0 && r->count >= 0) {
        pos += r->count;   /* from the end of a counted view */
        if (pos < 0)
            pos = 0;
    } else if (pos < 0 && pos + n > 0) {
        n = (int)-pos;     /* from the end: the page stops at the last row */
    }
    if (r->sorted) {
        put_select_as(&q, r->t, "m");
        buf_printf(&q, " JOIN temp.%s AS v ON m.rowid = v.rid WHERE v.pos > ?1 AND v.pos <= ?2"
                       " ORDER BY v.pos", r->vname);
        c = cursor_prepare(r->d, r->t, buf_str(&q), e);
        if (c) {
            sqlite3_bind_int64(c->st, 1, pos);
            sqlite3_bind_int64(c->st, 2, pos + n);
        }
        buf_free(&q);
        return c;
    }
    /* Find the rowid at pos from the cheapest known place.  Not counted yet,
     * a negative pos counts from the end (-1: the last row) and the start
     * is not a known place to start from, nor the end for a positive pos;
     * a window read in the other reckoning cannot be used either. */
    int from_end = pos < 0;
    int64_t anchor = 0, last = r->win_n ? r->win_ids[r->win_n - 1] : 0;
    int64_t first = r->win_n ? r->win_ids[0] : 0, wend = r->win_pos + r->win_n;
    int64_t cost_start = from_end ? INT64_MAX : pos;
    int64_t cost_end = from_end ? -pos - 1 : r->count < 0 ? INT64_MAX : r->count - 1 - pos;
    int64_t cost_win = !r->win_n || from_end != (r->win_pos < 0) ? INT64_MAX
                       : pos >= wend ? pos - wend : pos < r->win_pos ? r->win_pos - pos - 1 : 0;
    int have = 0;
    if (r->count >= 0 && pos >= r->count) {
        have = 0;
    } else if (cost_win <= cost_start && cost_win <= cost_end) {
        if (pos >= r->win_pos && pos < wend) {
            anchor = r->win_ids[pos - r->win_pos];
            have = 1;
        } else if (pos >= wend) {
            have = anchor_at(r, &last, 1, pos - wend, &anchor);
        } else {
            have = anchor_at(r, &first, 0, r->win_pos - pos - 1, &anchor);
        }
    } else if (cost_start <= cost_end) {
        have = anchor_at(r, NULL, 1, pos, &anchor);
    } else {
        have = anchor_at(r, NULL, 0, cost_end, &anchor);
    }
    /* Remember the page's rowids for the next move. */
    r->win_n = 0;
    r->win_pos = pos;
    int asc = !r->desc;
    if (have) {
        buf_puts(&q, "SELECT rowid FROM ");
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);
        buf_printf(&q, "%s rowid %s ?%d ORDER BY rowid %s LIMIT %d", r->nf ? " AND" : " WHERE",
                   asc ? ">=" : "<=", r->nf + 1, asc ? "ASC" : "DESC", n);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
            bind_filters(st, r->f, r->nf);
            sqlite3_bind_int64(st, r->nf + 1, anchor);
            while (sqlite3_step(st) == SQLITE_ROW) {
                if (r->win_n == r->win_cap) {
                    r->win_cap = r->win_cap ? r->win_cap * 2 : 64;
                    r->win_ids = xrealloc(r->win_ids, sizeof(int64_t) * (size_t)r->win_cap);
                }
                r->win_ids[r->win_n++] = sqlite3_column_int64(st, 0);
            }
        }
        sqlite3_finalize(st);
    }
    /* A page that ends early ends the view: its count, for free. */
    if (!from_end && r->win_n && pos + r->win_n > r->seen)
        r->seen = pos + r->win_n;
    if (!from_end && r->count < 0 && have && r->win_n > 0 && r->win_n < n)
        counted(r, pos + r->win_n);
    /* Reading up from the end past the first row: the view is shorter than
     * -pos, so count it (the caller sees the count and moves to the start). */
    if (from_end && !have && r->count < 0) {
        buf_free(&q);
        rowsrc_count(r);
        return rowsrc_page(r, 0, n, e);
    }
    buf_reset(&q);
    put_select(&q, r->t);
    put_where(&q, r->t, r->f, r->nf);
    buf_printf(&q, "%s rowid BETWEEN ?%d AND ?%d ORDER BY rowid %s", r->nf ? " AND" : " WHERE",
               r->nf + 1, r->nf + 2, asc ? "ASC" : "DESC");
    c = cursor_prepare(r->d, r->t, buf_str(&q), e);
    buf_free(&q);
    if (c) {
        bind_filters(c->st, r->f, r->nf);
        /* no rows: an empty range (1 to 0), in either order */
        int64_t lo = r->win_n ? r->win_ids[0] : 1, hi = r->win_n ? r->win_ids[r->win_n - 1] : 0;
        if (!asc && r->win_n) {
            int64_t tmp = lo;
            lo = hi;
            hi = tmp;
        }
        sqlite3_bind_int64(c->st, r->nf + 1, lo);
        sqlite3_bind_int64(c->st, r->nf + 2, hi);
    }
    return c;
}

int64_t rowsrc_pos_of(rowsrc *r, int64_t rowid)
{
    buf q = BUF_INIT;
    sqlite3_stmt *st = NULL;
    int64_t pos = -1;
    if (r->sorted) {
        buf_printf(&q, "SELECT pos - 1 FROM temp.%s WHERE rid = ?1", r->vname);
    } else {
        /* the row must be in the view, then count the rows before it */
        buf_puts(&q, "SELECT CASE WHEN EXISTS (SELECT 1 FROM ");
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);
        buf_printf(&q, "%s rowid = ?%d) THEN (SELECT count(*) FROM ", r->nf ? " AND" : " WHERE", r->nf + 1);
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);   /* same ?1..?nf as above */
        buf_printf(&q, "%s rowid %s ?%d) ELSE -1 END", r->nf ? " AND" : " WHERE",
                   r->desc ? ">" : "<", r->nf + 1);
    }
    if (sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
        if (!r->sorted)
            bind_filters(st, r->f, r->nf);
        sqlite3_bind_int64(st, r->sorted ? 1 : r->nf + 1, rowid);
        if (sqlite3_step(st) == SQLITE_ROW)
            pos = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    buf_free(&q);
    return pos;
}

cursor *db_select_like(db *d, const table *t, const int *cis, int n, const char *text, long limit,
                       mr_err *e)
{
    buf q = BUF_INIT, pat = BUF_INIT;
    put_select(&q, t);
    if (text && *text) {
        for (int i = 0; i < n; i++) {
            buf_puts(&q, i ? " OR " : " WHERE ");
            put_ident(&q, t->cols[cis[i]].id);
            buf_puts(&q, " LIKE ?1 ESCAPE '\\'");
        }
        buf_putc(&pat, '%');
        for (const char *p = text; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                buf_putc(&pat, '\\');
            buf_putc(&pat, *p);
        }
        buf_putc(&pat, '%');
    }
    buf_printf(&q, " ORDER BY rowid LIMIT %ld", limit);
    cursor *c = cursor_prepare(d, t, buf_str(&q), e);
    if (c && text && *text)
        sqlite3_bind_text(c->st, 1, buf_str(&pat), -1, SQLITE_TRANSIENT);
    buf_free(&q);
    buf_free(&pat);
    return c;
}

int64_t rowsrc_find(rowsrc *r, int64_t from, int dir, const char *pattern,
                    db_progress_fn fn, void *arg, mr_err *e)
{
    buf q = BUF_INIT;
    int np = r->nf + 1;   /* the pattern's parameter number */
    int fwd = dir > 0;
    if (r->sorted) {
        buf_printf(&q, "SELECT v.pos - 1 FROM temp.%s AS v JOIN ", r->vname);
        put_ident(&q, r->t->id);
        buf_printf(&q, " AS m ON m.rowid = v.rid WHERE v.pos %s ?%d AND ", fwd ? ">" : "<", np + 1);
        put_any_rx(&q, r->t, "m", np);
        buf_printf(&q, " ORDER BY v.pos %s LIMIT 1", fwd ? "ASC" : "DESC");
    } else {
        /* rowid order: find the rowid, then its position */
        int asc = fwd != r->desc;
        buf_puts(&q, "SELECT rowid FROM ");
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);
        buf_printf(&q, "%s rowid %s ?%d AND ", r->nf ? " AND" : " WHERE", asc ? ">" : "<", np + 1);
        put_any_rx(&q, r->t, NULL, np);
        buf_printf(&q, " ORDER BY rowid %s LIMIT 1", asc ? "ASC" : "DESC");
    }
    sqlite3_stmt *st = NULL;
    int64_t found = -1;
    if (sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL) != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s", sqlite3_errmsg(r->d->h));
        buf_free(&q);
        return -2;
    }
    buf_free(&q);
    if (!r->sorted)
        bind_filters(st, r->f, r->nf);
    sqlite3_bind_text(st, np, pattern, -1, SQLITE_TRANSIENT);
    if (r->sorted) {
        sqlite3_bind_int64(st, np + 1, from + 1);   /* positions are 1-based in the table */
    } else {
        /* the rowid at position `from` bounds the search (none: from an end) */
        int64_t bound = 0;
        cursor *c = from >= 0 && (r->count < 0 || from < r->count) ? rowsrc_page(r, from, 1, NULL) : NULL;
        if (c && cursor_next(c) == 1)
            bound = cursor_rowid(c);
        else
            bound = (fwd != r->desc) ? INT64_MIN : INT64_MAX;
        cursor_free(c);
        sqlite3_bind_int64(st, np + 1, bound);
    }
    void *pa[2] = {(void *)(uintptr_t)fn, arg};
    if (fn) {
        tick_start();
        db_tick_set(r->d, progress_trampoline, pa, TICK_OPS);
    }
    int rc = sqlite3_step(st);
    db_tick_set(r->d, NULL, NULL, 0);
    if (rc == SQLITE_ROW)
        found = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) {
        err_set(e, EXIT_DB, "%s", rc == SQLITE_INTERRUPT ? "cancelled" : sqlite3_errmsg(r->d->h));
        found = -2;
    }
    sqlite3_finalize(st);
    if (found >= 0 && !r->sorted)
        found = rowsrc_pos_of(r, found);
    return found;
}
