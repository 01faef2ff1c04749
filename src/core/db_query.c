/* db_query.c — reading: counts (with the whole-register count cache), selects,
 * cursors, lookups by key or column, aggregates and pick-list searches.
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

/* SELECT count(*) (ci < 0) or total(col) FROM t WHERE filters, stepped to
 * its one row: the statement to read (then sqlite3_reset), or NULL. */
static sqlite3_stmt *aggregate(db *d, const table *t, int ci, const db_filter *f, int nf, mr_err *e)
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
    if (!st) {
        db_error(d, e, t->id);
        return NULL;
    }
    bind_filters(st, f, nf);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_error(d, e, t->id);   /* before the reset, which keeps the code but not always the text */
        sqlite3_reset(st);
        return NULL;
    }
    return st;
}

int db_data_version(db *d, int64_t *v, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "PRAGMA data_version");
    *v = -1;
    if (!st)
        return db_error(d, e, NULL);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : db_error(d, e, NULL);
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
    int64_t dv, tc = sqlite3_total_changes64(d->h);
    if (db_data_version(d, &dv, NULL) != 0)
        return NULL;   /* the count itself will meet the error and say it */
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
    buf_printf(q, " AND rowid BETWEEN ?%d AND ?%d ORDER BY rowid%s", FILTER_PARAMS(nf) + 1,
               FILTER_PARAMS(nf) + 2,
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
cursor *rx_rowids(db *d, const table *t, const db_filter *f, int nf, int desc, mr_err *e)
{
    if (!scan_splits(f, nf, -1, -1))
        return NULL;
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT rowid FROM ");
    put_ident(&q, t->id);
    put_where(&q, t, f, nf);
    return split_cursor(d, t, &q, f, nf, desc, e);
}

int db_count(db *d, const table *t, const db_filter *f, int nf, int64_t *n, mr_err *e)
{
    *n = 0;
    cursor *c = rx_rowids(d, t, f, nf, 0, e);
    if (c) {
        /* every row matched against a pattern: over the processors */
        int64_t k = 0;
        int rc;
        while ((rc = cursor_next(c)) == 1)
            k++;
        if (rc < 0)
            cursor_fail(c, EXIT_NOTFOUND, e);
        cursor_free(c);
        if (rc < 0)
            return -1;
        *n = k;
        return 0;
    }

    /* A whole register's count is asked for by the registers screen and
     * again by the table it opens (row i/N): at a million rows each count
     * reads every page of an index, so it is kept until the file changes. */
    int64_t *slot = nf == 0 ? count_slot(d, t) : NULL;
    if (slot && *slot >= 0) {
        *n = *slot;
        return 0;
    }
    sqlite3_stmt *st = aggregate(d, t, -1, f, nf, e);
    if (!st)
        return -1;
    *n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (slot)
        *slot = *n;
    return 0;
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
    c->path = d->path;
    if (sqlite3_prepare_v2(d->h, sql, -1, &c->st, NULL) != SQLITE_OK) {
        db_error(d, e, NULL);
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
    put_order(&q, t, sort_ci, desc);
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
    c->code = rc;
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

int cursor_fail(const cursor *c, int code, mr_err *e)
{
    if (db_code_damaged(c->code))
        db_err_damaged(c->path, e);
    else
        err_set(e, code, "%s", c->err);
    return e ? e->code : code;
}

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
    db_filter f = {.ci = ci, .value = NULL, .op = DBF_EQ};
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

int db_find_by(db *d, const table *t, int ci, const char *value, int64_t *rowid, mr_err *e)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_FIND_BY, t, ci, build_find_by);
    if (!st)
        return db_error(d, e, t->id);
    int found = 0, rc;
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *rowid = sqlite3_column_int64(st, 0);
        found++;
    }
    if (rc != SQLITE_DONE) {
        db_error(d, e, t->id);   /* before the reset, which keeps the code but not always the text */
        sqlite3_reset(st);
        return DB_ERROR;
    }
    sqlite3_reset(st);
    return found == 1 ? DB_FOUND : DB_NOT_FOUND;
}

int db_col_values(db *d, const table *t, int ci, int64_t max, void (*fn)(void *arg, const char *v),
                  void *arg, int64_t *n, mr_err *e)
{
    *n = 0;
    if (t->cols[ci].multi)
        return DB_NOT_FOUND;
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
        return db_error(d, e, t->id);
    sqlite3_bind_int64(st, 1, max + 1);
    int64_t k = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && ++k <= max)
        fn(arg, (const char *)sqlite3_column_text(st, 0));
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(d, e, t->id);
        sqlite3_finalize(st);
        return DB_ERROR;
    }
    sqlite3_finalize(st);
    if (k > max)
        return DB_NOT_FOUND;
    *n = k;
    return DB_FOUND;
}

int db_exists_other(db *d, const table *t, int ci, const char *value, int64_t self_rowid, mr_err *e)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_EXISTS_OTHER, t, ci, build_exists_other);
    if (!st)
        return db_error(d, e, t->id);
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, self_rowid);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(d, e, t->id);
        sqlite3_reset(st);
        return DB_ERROR;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? DB_FOUND : DB_NOT_FOUND;
}

int db_is_unique_col(db *d, const table *t, int ci, mr_err *e)
{
    if (ci == t->key_ci)
        return DB_FOUND;
    int cis[16], n;
    if (db_unique_cols(d, t, cis, 16, &n, e) != 0)
        return DB_ERROR;
    for (int i = 0; i < n; i++)
        if (cis[i] == ci)
            return DB_FOUND;
    return DB_NOT_FOUND;
}

int db_sum(db *d, const table *t, const db_filter *f, int nf, int ci, double *sum, mr_err *e)
{
    *sum = 0;
    sqlite3_stmt *st = aggregate(d, t, ci, f, nf, e);
    if (!st)
        return -1;
    *sum = sqlite3_column_double(st, 0);
    sqlite3_reset(st);
    return 0;
}

int db_group(db *d, const table *t, int gci, int sci, db_group_fn fn, void *arg, mr_err *e)
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
    int rc = sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    if (rc != SQLITE_OK)
        return db_error(d, e, NULL);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(arg, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
           sqlite3_column_double(st, 2));
    int bad = rc != SQLITE_DONE ? db_error(d, e, NULL) : 0;
    sqlite3_finalize(st);
    return bad;
}

/* Columns of t with a single-column UNIQUE index (besides the key). */
int db_unique_cols(db *d, const table *t, int *out, int max, int *n, mr_err *e)
{
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, "SELECT ii.name FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii"
                           " WHERE il.\"unique\" = 1 AND (SELECT count(*) FROM pragma_index_info(il.name)) = 1",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(d, e, NULL);
    sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int ci = table_col(t, (const char *)sqlite3_column_text(st, 0));
        if (ci >= 0 && ci != t->key_ci)
            out[(*n)++] = ci;
    }
    int bad = rc != SQLITE_ROW && rc != SQLITE_DONE ? db_error(d, e, NULL) : 0;
    sqlite3_finalize(st);
    return bad;
}

int db_find(db *d, const table *t, const char *key, int64_t *rowid, mr_err *e)
{
    int rc = db_find_by(d, t, t->key_ci, key, rowid, e);
    if (rc != DB_NOT_FOUND)
        return rc;
    int cis[16], n;
    if (db_unique_cols(d, t, cis, 16, &n, e) != 0)
        return DB_ERROR;
    for (int i = 0; i < n; i++)
        if ((rc = db_find_by(d, t, cis[i], key, rowid, e)) != DB_NOT_FOUND)
            return rc;
    char *end;
    long long r = strtoll(key, &end, 10);
    if (*key && *end == '\0' && r > 0) {
        cursor *c = db_select_rowid(d, t, r, e);
        if (!c)
            return DB_ERROR;
        int got = cursor_next(c);
        if (got < 0)
            cursor_fail(c, EXIT_DB, e);
        cursor_free(c);
        if (got < 0)
            return DB_ERROR;
        if (got == 1) {
            *rowid = r;
            return DB_FOUND;
        }
    }
    return DB_NOT_FOUND;
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

int db_freq(db *d, const table *t, int ci, int sci, const db_filter *f, int nf, int64_t limit,
            db_group_fn fn, void *arg, mr_err *e)
{
    const column *c = &t->cols[ci];
    buf q = BUF_INIT, a = BUF_INIT;
    if (sci >= 0)
        put_ident(&a, t->cols[sci].id);
    else
        buf_puts(&a, "0");
    if (c->multi) {
        /* each item of the ';'-list its own value; a row listing one twice
         * counts once; an empty cell is the value "" */
        buf_puts(&q, "WITH RECURSIVE s(rid, w, item, rest, a) AS (SELECT rowid, coalesce(");
        put_ident(&q, c->id);
        buf_puts(&q, ", ''), NULL, coalesce(");
        put_ident(&q, c->id);
        buf_printf(&q, ", '') || ';', %s FROM ", buf_str(&a));
        put_ident(&q, t->id);
        put_where(&q, t, f, nf);
        buf_puts(&q, " UNION ALL SELECT rid, w, trim(substr(rest, 1, instr(rest, ';') - 1)),"
                     " substr(rest, instr(rest, ';') + 1), a FROM s WHERE rest <> '')"
                     " SELECT item, count(*), total(a) FROM (SELECT DISTINCT rid, item, a FROM s"
                     " WHERE item IS NOT NULL AND (item <> '' OR w = '')) GROUP BY 1 ORDER BY 2 DESC, 1");
        if (limit >= 0)
            buf_printf(&q, " LIMIT %lld", (long long)limit);
    } else {
        buf_puts(&q, "SELECT coalesce(");
        put_ident(&q, c->id);
        buf_printf(&q, ", ''), count(*), total(%s) FROM ", buf_str(&a));
        put_ident(&q, t->id);
        put_where(&q, t, f, nf);
        buf_puts(&q, " GROUP BY 1 ORDER BY 2 DESC, 1");
        if (limit >= 0)
            buf_printf(&q, " LIMIT %lld", (long long)limit);
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    buf_free(&a);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return db_error(d, e, t->id);
    }
    bind_filters(st, f, nf);
    char num[NUM_MAX];
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (sqlite3_column_type(st, 0) == SQLITE_FLOAT) {
            num_format(sqlite3_column_double(st, 0), num);   /* as cursor_val gives it */
            v = num;
        }
        fn(arg, v ? v : "", sqlite3_column_int64(st, 1), sqlite3_column_double(st, 2));
    }
    if (rc != SQLITE_DONE) {
        db_error(d, e, t->id);
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}
