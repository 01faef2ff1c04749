/* db_audit.c — the write path's SQL: row writes and the audit trail.
 * Part of the db module (the only code that speaks SQL); edit.c decides
 * what to write, this file only knows how. */
#include "db_int.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(db *d, mr_err *e) { return db_error(d, e, NULL); }

static void build_insert(buf *q, const table *t, int ci, int kind)
{
    (void)ci, (void)kind;
    buf_puts(q, "INSERT INTO ");
    put_ident(q, t->id);
    buf_puts(q, " (rowid");
    for (int i = 0; i < t->ncols; i++) {
        buf_puts(q, ", ");
        put_ident(q, t->cols[i].id);
    }
    buf_puts(q, ") VALUES (?1");
    for (int i = 0; i < t->ncols; i++) {
        /* a row number that is the key, left empty: the highest plus one */
        if (i == t->key_ci && t->cols[i].type == COL_INT) {
            buf_printf(q, ", coalesce(?%d, (SELECT coalesce(max(", i + 2);
            put_ident(q, t->cols[i].id);
            buf_puts(q, "), 0) + 1 FROM ");
            put_ident(q, t->id);
            buf_puts(q, "))");
        } else {
            buf_printf(q, ", ?%d", i + 2);
        }
    }
    buf_puts(q, ")");
}

/* A new row's identity is never one given before: the next after the
 * register's mark in minreg_seq or its highest rid, whichever is higher,
 * read once per write transaction and counted here; db_commit raises the
 * mark.  Outside a transaction (a single statement) the mark is written at
 * once. */
/* The register's next rid into d->next_rid, once per transaction (before a
 * delete too: the mark written at commit then covers the rows deleted, so a
 * register emptied, as --replace does, does not start again at 1). */
static int rid_load(db *d, const table *t, int ti, int force)
{
    if (!d->next_rid)
        d->next_rid = xcalloc((size_t)d->s.ntables, sizeof *d->next_rid);
    if (d->next_rid[ti] && !force)
        return 0;
    buf q = BUF_INIT;
    /* a register that is an exchange site (minreg_site) gives rids in its
     * own range, its admin code * 10^9 + n, so that rows made at two sites
     * never collide; the rows that arrived from others are above or below */
    buf_puts(&q, "WITH s(lo, hi) AS (SELECT coalesce((SELECT code * 1000000000 FROM minreg_site), 0),"
                 " coalesce((SELECT code * 1000000000 + 999999999 FROM minreg_site),"
                 " 9223372036854775807))"
                 " SELECT max(coalesce((SELECT seq FROM minreg_seq, s WHERE tbl = ?1"
                 " AND seq BETWEEN lo AND hi), 0), coalesce((SELECT max(rid) FROM s, ");
    put_ident(&q, t->id);
    buf_puts(&q, " WHERE rid BETWEEN lo AND hi), 0), (SELECT lo FROM s)) + 1");
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, t->id, -1, SQLITE_TRANSIENT);
    d->next_rid[ti] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return d->next_rid[ti] ? 0 : -1;
}

int64_t db_next_rid(db *d, const table *t)
{
    int ti = schema_table_index(&d->s, t);
    int autocommit = sqlite3_get_autocommit(d->h);
    if (ti < 0 || rid_load(d, t, ti, autocommit) < 0)
        return 0;
    int64_t rid = d->next_rid[ti]++;
    if (autocommit && db_seq_save(d) < 0)
        return 0;
    return rid;
}

int db_seq_save(db *d)
{
    if (!d->next_rid)
        return 0;
    sqlite3_stmt *st = stmt_cached(d, "INSERT INTO minreg_seq (tbl, seq) VALUES (?1, ?2)"
                                      " ON CONFLICT (tbl) DO UPDATE SET seq = max(seq, excluded.seq)");
    if (!st)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < d->s.ntables; i++) {
        if (!d->next_rid[i])
            continue;
        sqlite3_bind_text(st, 1, d->s.tables[i].id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, d->next_rid[i] - 1);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
        d->next_rid[i] = 0;
    }
    return rc;
}

void db_seq_forget(db *d)
{
    if (d->next_rid)
        memset(d->next_rid, 0, sizeof *d->next_rid * (size_t)d->s.ntables);
}

int db_row_insert(db *d, const table *t, const char *const *vals, int64_t rowid, int64_t *out,
                  mr_err *e)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_ROW_INSERT, t, -1, build_insert);
    if (!st)
        return fail(d, e);
    if (rowid <= 0 && (rowid = db_next_rid(d, t)) == 0)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, rowid);
    for (int i = 0; i < t->ncols; i++)
        if (vals[i] && *vals[i])
            sqlite3_bind_text(st, i + 2, vals[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(d, e);
    if (out)
        *out = sqlite3_last_insert_rowid(d->h);
    return 0;
}

static void build_update(buf *q, const table *t, int ci, int kind)
{
    (void)kind;
    buf_puts(q, "UPDATE ");
    put_ident(q, t->id);
    buf_puts(q, " SET ");
    put_ident(q, t->cols[ci].id);
    buf_puts(q, " = ?1 WHERE rowid = ?2");
}

int db_row_update(db *d, const table *t, int64_t rowid, int ci, const char *val, mr_err *e)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_ROW_UPDATE, t, ci, build_update);
    if (!st)
        return fail(d, e);
    if (val && *val)
        sqlite3_bind_text(st, 1, val, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rowid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

static void build_delete(buf *q, const table *t, int ci, int kind)
{
    (void)ci, (void)kind;
    buf_puts(q, "DELETE FROM ");
    put_ident(q, t->id);
    buf_puts(q, " WHERE rowid = ?1");
}

int db_row_delete(db *d, const table *t, int64_t rowid, mr_err *e)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_ROW_DELETE, t, -1, build_delete);
    int ti = schema_table_index(&d->s, t);
    if (!st || (ti >= 0 && !sqlite3_get_autocommit(d->h) && rid_load(d, t, ti, 0) < 0))
        return fail(d, e);
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

/* SELECT json_object('col', "col", ...) FROM t WHERE rowid = ?1 */
static void build_row_json(buf *q, const table *t, int ci, int kind)
{
    (void)ci, (void)kind;
    buf_puts(q, "SELECT json_object(");
    for (int i = 0; i < t->ncols; i++) {
        buf_printf(q, "%s'%s', ", i ? ", " : "", t->cols[i].id);
        put_ident(q, t->cols[i].id);
    }
    buf_puts(q, ") FROM ");
    put_ident(q, t->id);
    buf_puts(q, " WHERE rowid = ?1");
}

int db_row_json(db *d, const table *t, int64_t rowid, buf *out)
{
    /* cached by table, not by its SQL text: an exchange file's export
     * reads every row a run added through here */
    sqlite3_stmt *st = stmt_keyed(d, SK_ROW_JSON, t, -1, build_row_json);
    int found = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, rowid);
        if (sqlite3_step(st) == SQLITE_ROW) {
            buf_puts(out, (const char *)sqlite3_column_text(st, 0));
            found = 1;
        }
        sqlite3_reset(st);
    }
    return found;
}

/* SELECT json_extract(?1, '$."col"'), ... for every column: one step per row */
static void build_json_values(buf *q, const table *t, int ci, int kind)
{
    (void)ci, (void)kind;
    buf_puts(q, "SELECT ");
    for (int i = 0; i < t->ncols; i++) {
        buf_printf(q, "%sjson_extract(?1, '$.\"", i ? ", " : "");
        for (const char *p = t->cols[i].id; *p; p++)
            buf_puts(q, *p == '\'' ? "''" : (char[]){*p, 0});
        buf_puts(q, "\"')");
    }
}

char **db_json_values(db *d, const table *t, const char *json)
{
    char **vals = xcalloc((size_t)t->ncols, sizeof(char *));
    sqlite3_stmt *st = stmt_keyed(d, SK_JSON_VALUES, t, -1, build_json_values);
    if (!st)
        return vals;
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < t->ncols; i++) {
            int ty = sqlite3_column_type(st, i);
            char num[NUM_MAX];
            if (ty == SQLITE_FLOAT) {
                num_format(sqlite3_column_double(st, i), num);
                vals[i] = xstrdup(num);
            } else if (ty != SQLITE_NULL) {
                vals[i] = xstrdup((const char *)sqlite3_column_text(st, i));
            }
        }
    sqlite3_reset(st);
    return vals;
}

void db_cache_kb(db *d, int kb)
{
    char q[64];
    snprintf(q, sizeof q, "PRAGMA cache_size = -%d", kb ? kb : 2000);
    sqlite3_exec(d->h, q, NULL, NULL, NULL);
}

void db_ticks(db *d, db_progress_fn fn, void *arg)
{
    db_tick_set(d, fn, arg, 1000000);
}

void db_defer_fks(db *d)
{
    sqlite3_exec(d->h, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
}

static void build_audit(buf *q, const table *t, int ci, int kind)
{
    int del = kind == SK_AUDIT_DELETE || kind == SK_AUDIT_DELETE_ALL;
    int all = kind == SK_AUDIT_INSERT_ALL || kind == SK_AUDIT_DELETE_ALL;
    (void)ci;
    buf_printf(q, "INSERT INTO minreg_audit (change_id, tbl, row_id, row_key, op, %s)"
                  " SELECT ?1, ?2, m.rowid, m.", del ? "old" : "new");
    put_ident(q, t->cols[t->key_ci].id);
    buf_puts(q, ", ?3, json_object(");
    for (int i = 0; i < t->ncols; i++) {
        buf_printf(q, "%s'%s', m.", i ? ", " : "", t->cols[i].id);
        put_ident(q, t->cols[i].id);
    }
    buf_puts(q, ") FROM ");
    put_ident(q, t->id);
    buf_puts(q, all ? " AS m ORDER BY m.rowid" : " AS m WHERE m.rowid = ?4");
}

int db_added_begin(db *d, mr_err *e)
{
    /* temp: it lives and dies with this connection and its transaction */
    if (sqlite3_exec(d->h, "CREATE TEMP TABLE IF NOT EXISTS minreg_added"
                           " (seq INTEGER PRIMARY KEY, rid INTEGER NOT NULL UNIQUE, added INTEGER);"
                           " DELETE FROM temp.minreg_added", NULL, NULL, NULL) != SQLITE_OK)
        return fail(d, e);
    return 0;
}

static void build_note(buf *q, const table *t, int ci, int kind)
{
    (void)t, (void)ci, (void)kind;
    buf_puts(q, "INSERT INTO temp.minreg_added (rid, added) VALUES (?1, ?2)");
}

int db_added_note(db *d, int64_t rowid, int added, mr_err *e)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_ADDED_NOTE, NULL, -1, build_note);
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, rowid);
    sqlite3_bind_int(st, 2, added);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

int db_added_has(db *d, int64_t rowid)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT 1 FROM temp.minreg_added WHERE rid = ?1");
    int found = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, rowid);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
    }
    return found;
}

int db_audit_added(db *d, int64_t change, const char *tbl, int64_t first, int64_t last, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d,
        "INSERT INTO minreg_audit_added (change_id, tbl, first_row, last_row) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, first);
    sqlite3_bind_int64(st, 4, last);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

/* ---- rows recorded as runs: their values as added ------------------------- */

/* What an audit row's old value (text) was as the column stores it, as
 * SQLite's column affinity made it: 1 an integer, 2 a real, 0 text. */
int db_as_stored(col_type type, const char *v) { return db_as_stored_num(type, v, NULL); }

int db_as_stored_num(col_type type, const char *v, double *x)
{
    if (type != COL_INT && type != COL_YEAR && type != COL_DEC)
        return 0;
    if (value_is_int(v)) {
        if (x)
            *x = type == COL_DEC ? strtod(v, NULL) : 0;
        return type == COL_DEC ? 2 : 1;
    }
    /* a decimal, or one num_format wrote with an exponent (1e-11) */
    const char *p = v;
    int digits = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr("+-.eE", *p))
            return 0;
    }
    char *end;
    double r = strtod(v, &end);
    if (digits && !*end) {
        if (x)
            *x = r;
        return 2;
    }
    return 0;
}

/* Row `rowid` of t as change `change` added it, into json (the form
 * json_object gives an audit row's new): the row as it is now, unwound
 * through every later change to it, newest first: an update puts the old
 * value back, a delete the old row, an add means it was not there before.
 * Its key into key.  0 if there is no such row (not one of the change's). */
static int row_as_added(db *d, const table *t, int64_t change, int64_t rowid, buf *json, buf *key)
{
    buf_reset(json);
    buf_reset(key);
    int have = db_row_json(d, t, rowid, json);
    sqlite3_stmt *later = stmt_cached(d,
        "SELECT change_id, 1, first_row, 'insert', NULL, NULL FROM minreg_audit_added"
        " WHERE tbl = ?1 AND first_row <= ?2 AND last_row >= ?2 AND change_id > ?3"
        " UNION ALL SELECT change_id, 0, id, op, field, old FROM minreg_audit"
        " WHERE tbl = ?1 AND row_id = ?2 AND change_id > ?3"
        " ORDER BY 1 DESC, 2 DESC, 3 DESC");
    sqlite3_stmt *set = stmt_cached(d,
        "SELECT json_set(?1, '$.' || json_quote(?2),"
        " CASE ?4 WHEN 1 THEN CAST(?3 AS INTEGER) WHEN 2 THEN CAST(?3 AS REAL) ELSE ?3 END)");
    if (!later || !set)
        return 0;
    /* later and set are cached: copy what is kept out of them before reuse */
    sqlite3_bind_text(later, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(later, 2, rowid);
    sqlite3_bind_int64(later, 3, change);
    while (sqlite3_step(later) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(later, 3);
        const char *field = (const char *)sqlite3_column_text(later, 4);
        const char *old = (const char *)sqlite3_column_text(later, 5);
        if (strcmp(op, "insert") == 0) {
            have = 0;
        } else if (strcmp(op, "delete") == 0) {
            buf_reset(json);
            buf_puts(json, old ? old : "{}");
            have = 1;
        } else if (have && field) {
            int ci = table_col(t, field);
            int ty = ci < 0 || !old ? 0 : db_as_stored(t->cols[ci].type, old);
            sqlite3_bind_text(set, 1, buf_str(json), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(set, 2, field, -1, SQLITE_TRANSIENT);
            if (old)
                sqlite3_bind_text(set, 3, old, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(set, 4, ty);
            if (sqlite3_step(set) == SQLITE_ROW && sqlite3_column_text(set, 0)) {
                char *j = xstrdup((const char *)sqlite3_column_text(set, 0));
                buf_reset(json);
                buf_puts(json, j);
                free(j);
            }
            sqlite3_reset(set);
            sqlite3_clear_bindings(set);
        }
    }
    sqlite3_reset(later);
    if (!have)
        return 0;
    sqlite3_stmt *k = stmt_cached(d, "SELECT json_extract(?1, '$.' || json_quote(?2))");
    if (k) {
        sqlite3_bind_text(k, 1, buf_str(json), -1, SQLITE_STATIC);
        sqlite3_bind_text(k, 2, t->cols[t->key_ci].id, -1, SQLITE_STATIC);
        if (sqlite3_step(k) == SQLITE_ROW && sqlite3_column_text(k, 0))
            buf_puts(key, (const char *)sqlite3_column_text(k, 0));
        sqlite3_reset(k);
    }
    return 1;
}

/* Rows a..b of t, added by change, as "insert" audit rows to fn (b down to
 * a when desc); what fn returned to stop, or 0. */
static int expand_run(db *d, const table *t, int64_t change, int64_t a, int64_t b, int desc,
                      int (*fn)(void *arg, const audit_row *r), void *arg)
{
    buf json = BUF_INIT, key = BUF_INIT;
    int stop = 0;
    for (int64_t i = 0; !stop && i <= b - a; i++) {
        int64_t rowid = desc ? b - i : a + i;
        if (!row_as_added(d, t, change, rowid, &json, &key))
            continue;
        audit_row r = {0, rowid, (char *)t->id, key.len ? (char *)buf_str(&key) : NULL,
                       (char *)"insert", NULL, NULL, (char *)buf_str(&json)};
        stop = fn(arg, &r);
    }
    buf_free(&json);
    buf_free(&key);
    return stop;
}

/* The runs of rows change `change` added, each row as an "insert" audit
 * row, in row order (reversed when desc), to fn.  Prepared here, not
 * cached: fn may run anything.  Returns what fn returned to stop, or -1. */
static int each_added(db *d, int64_t change, int desc, int (*fn)(void *arg, const audit_row *r),
                      void *arg)
{
    sqlite3_stmt *st = NULL;
    const char *q = desc
        ? "SELECT tbl, first_row, last_row FROM minreg_audit_added WHERE change_id = ?1"
          " ORDER BY rowid DESC"
        : "SELECT tbl, first_row, last_row FROM minreg_audit_added WHERE change_id = ?1"
          " ORDER BY rowid";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    int stop = 0;
    while (!stop && sqlite3_step(st) == SQLITE_ROW) {
        const table *t = schema_table(&d->s, (const char *)sqlite3_column_text(st, 0));
        if (t)
            stop = expand_run(d, t, change, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                              desc, fn, arg);
    }
    sqlite3_finalize(st);
    return stop;
}

int db_audit_rows(db *d, int64_t change, const table *t, int all, int64_t rowid, const char *op,
                  mr_err *e)
{
    int del = strcmp(op, "delete") == 0;
    int kind = !all ? (del ? SK_AUDIT_DELETE : SK_AUDIT_INSERT)
                    : (del ? SK_AUDIT_DELETE_ALL : SK_AUDIT_INSERT_ALL);
    sqlite3_stmt *st = stmt_keyed(d, kind, t, -1, build_audit);
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_text(st, 2, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, op, -1, SQLITE_STATIC);
    if (!all)
        sqlite3_bind_int64(st, 4, rowid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

int db_delete_all(db *d, const table *t, int64_t *deleted, mr_err *e)
{
    int ti = schema_table_index(&d->s, t);
    if (ti >= 0 && !sqlite3_get_autocommit(d->h) && rid_load(d, t, ti, 0) < 0)
        return fail(d, e);
    buf q = BUF_INIT;
    buf_puts(&q, "DELETE FROM ");
    put_ident(&q, t->id);
    int rc = sqlite3_exec(d->h, buf_str(&q), NULL, NULL, NULL);
    buf_free(&q);
    if (rc != SQLITE_OK)
        return fail(d, e);
    if (deleted)
        *deleted = sqlite3_changes(d->h);
    return 0;
}

int db_commit_was_constraint(const db *d) { return d->commit_constraint; }

int db_last_was_constraint(db *d)
{
    return (sqlite3_extended_errcode(d->h) & 0xff) == SQLITE_CONSTRAINT;
}

int64_t db_change_add(db *d, const char *at, const char *who, const char *kind, const char *tbl,
                      const char *summary, const char *comment, int64_t undoes, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d,
        "INSERT INTO minreg_changes (at, who, kind, tbl, summary, comment, undoes)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return fail(d, e);
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, tbl ? tbl : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, summary ? summary : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, comment ? comment : "", -1, SQLITE_TRANSIENT);
    if (undoes > 0)
        sqlite3_bind_int64(st, 7, undoes);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(d, e);
    return sqlite3_last_insert_rowid(d->h);
}

int db_audit_add(db *d, int64_t change, const char *tbl, int64_t row_id, const char *row_key,
                 const char *op, const char *field, const char *old, const char *new_, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d,
        "INSERT INTO minreg_audit (change_id, tbl, row_id, row_key, op, field, old, new)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, row_id);
    if (row_key)
        sqlite3_bind_text(st, 4, row_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, op, -1, SQLITE_TRANSIENT);
    if (field)
        sqlite3_bind_text(st, 6, field, -1, SQLITE_TRANSIENT);
    if (old)
        sqlite3_bind_text(st, 7, old, -1, SQLITE_TRANSIENT);
    if (new_)
        sqlite3_bind_text(st, 8, new_, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

int db_change_set_undone(db *d, int64_t change, int64_t by, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "UPDATE minreg_changes SET undone_by = ?2 WHERE id = ?1");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    if (by > 0)
        sqlite3_bind_int64(st, 2, by);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

int64_t db_change_rows(db *d, int64_t change)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT (SELECT count(*) FROM minreg_audit WHERE change_id = ?1)"
        " + (SELECT coalesce(sum(last_row - first_row + 1), 0) FROM minreg_audit_added"
        " WHERE change_id = ?1)");
    int64_t n = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, change);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return n;
}

int db_change_touched(db *d, int64_t change, const char *tbl, int64_t row_id)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT EXISTS (SELECT 1 FROM minreg_audit WHERE change_id = ?1 AND tbl = ?2"
        " AND row_id = ?3)"
        " OR EXISTS (SELECT 1 FROM minreg_audit_added WHERE change_id = ?1 AND tbl = ?2"
        " AND first_row <= ?3 AND last_row >= ?3)");
    int yes = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, change);
        sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, row_id);
        yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
        sqlite3_reset(st);
    }
    return yes;
}

int db_change_get(db *d, int64_t id, db_change *c)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT id, kind, tbl, ifnull(undoes, 0), ifnull(undone_by, 0), at, who, summary, comment"
        " FROM minreg_changes WHERE id = ?1");
    int found = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            c->id = sqlite3_column_int64(st, 0);
            snprintf(c->kind, sizeof c->kind, "%s", (const char *)sqlite3_column_text(st, 1));
            snprintf(c->tbl, sizeof c->tbl, "%s", (const char *)sqlite3_column_text(st, 2));
            c->undoes = sqlite3_column_int64(st, 3);
            c->undone_by = sqlite3_column_int64(st, 4);
            snprintf(c->at, sizeof c->at, "%s", (const char *)sqlite3_column_text(st, 5));
            snprintf(c->who, sizeof c->who, "%s", (const char *)sqlite3_column_text(st, 6));
            snprintf(c->summary, sizeof c->summary, "%s", (const char *)sqlite3_column_text(st, 7));
            snprintf(c->comment, sizeof c->comment, "%s", (const char *)sqlite3_column_text(st, 8));
            found = 1;
        }
        sqlite3_reset(st);
    }
    return found;
}

int64_t db_change_last(db *d, int undos, const char *user)
{
    /* who is "user" or "user@address": the user's own, from any address */
#define MINE " AND (?1 IS NULL OR who = ?1 OR substr(who, 1, length(?1) + 1) = ?1 || '@')"
    sqlite3_stmt *st = stmt_cached(d, undos
        ? "SELECT max(id) FROM minreg_changes WHERE kind = 'undo' AND undone_by IS NULL" MINE
          " AND id > ifnull((SELECT max(id) FROM minreg_changes WHERE kind NOT IN ('undo','redo','seal')"
          MINE "), 0)"
        : "SELECT max(id) FROM minreg_changes WHERE kind NOT IN ('undo','redo','seal') AND undone_by IS NULL"
          MINE);
#undef MINE
    int64_t id = 0;
    if (st) {
        if (user)
            sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return id;
}

int db_audit_each(db *d, int64_t change, int desc, db_audit_fn fn, void *arg)
{
    /* the rows added as runs were written last: newest first, they come first */
    int stop = desc ? each_added(d, change, 1, fn, arg) : 0;
    if (stop)
        return stop;
    /* prepared here, not cached: fn runs other statements, some of them
     * writing to minreg_audit (rows of another change, which this one
     * never matches) */
    sqlite3_stmt *st = NULL;
    const char *q = desc
        ? "SELECT id, tbl, row_id, row_key, op, field, old, new FROM minreg_audit"
          " WHERE change_id = ?1 ORDER BY id DESC"
        : "SELECT id, tbl, row_id, row_key, op, field, old, new FROM minreg_audit"
          " WHERE change_id = ?1 ORDER BY id";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, change);
    while (!stop && sqlite3_step(st) == SQLITE_ROW) {
        audit_row r;
        r.id = sqlite3_column_int64(st, 0);
        r.tbl = (char *)sqlite3_column_text(st, 1);
        r.row_id = sqlite3_column_int64(st, 2);
        r.row_key = (char *)sqlite3_column_text(st, 3);
        r.op = (char *)sqlite3_column_text(st, 4);
        r.field = (char *)sqlite3_column_text(st, 5);
        r.old = (char *)sqlite3_column_text(st, 6);
        r.new_ = (char *)sqlite3_column_text(st, 7);
        stop = fn(arg, &r);
    }
    sqlite3_finalize(st);
    return stop || desc ? stop : each_added(d, change, 0, fn, arg);
}

int64_t db_audit_later(db *d, int64_t change, const char *tbl, int64_t row_id, const char *field)
{
    /* a later change, still in effect, that touched the same row: the whole
     * row (insert/delete) or, for a field change, the same field */
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT min(x) FROM ("
        " SELECT min(a.change_id) AS x FROM minreg_audit a JOIN minreg_changes c ON c.id = a.change_id"
        " WHERE a.change_id > ?1 AND c.undone_by IS NULL AND c.kind NOT IN ('undo','redo')"
        " AND a.tbl = ?2 AND a.row_id = ?3"
        " AND (?4 IS NULL OR a.op <> 'update' OR a.field = ?4)"
        /* a later import that added a row there (the row had gone) */
        " UNION ALL SELECT min(r.change_id) FROM minreg_audit_added r"
        " JOIN minreg_changes c ON c.id = r.change_id"
        " WHERE r.change_id > ?1 AND c.undone_by IS NULL AND c.kind NOT IN ('undo','redo')"
        " AND r.tbl = ?2 AND r.first_row <= ?3 AND r.last_row >= ?3)");
    int64_t id = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, change);
        sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, row_id);
        if (field)
            sqlite3_bind_text(st, 4, field, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return id;
}

/* db_log's rows of a run, made log entries (the change's part is set). */
typedef struct log_run {
    log_entry le;
    const char *key;      /* only the row that had this key */
    db_log_fn fn;
    void *arg;
} log_run;

static int log_run_row(void *arg, const audit_row *r)
{
    log_run *lr = arg;
    if (lr->key && (!r->row_key || strcmp(lr->key, r->row_key) != 0))
        return 0;
    lr->le.tbl = r->tbl;
    lr->le.row_id = r->row_id;
    lr->le.row_key = r->row_key;
    lr->le.op = r->op;
    lr->le.field = NULL;
    lr->le.old = NULL;
    lr->le.new_ = r->new_;
    lr->fn(lr->arg, &lr->le);
    return 0;
}

int db_log(db *d, const char *tbl, int64_t row_id, const char *row_key, const char *since,
           db_log_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    /* the audit rows, then the runs of rows added (written last), of each
     * change; a change without either still shows (part 0, no audit row) */
    const char *q =
        "SELECT c.id, c.at, c.who, c.kind, c.tbl, c.summary, c.comment, ifnull(c.undoes, 0),"
        " ifnull(c.undone_by, 0), a.tbl, a.row_id, a.row_key, a.op, a.field, a.old, a.new,"
        " 0, a.id, 0"
        " FROM minreg_changes c LEFT JOIN minreg_audit a ON a.change_id = c.id"
        " WHERE (?1 IS NULL OR a.tbl = ?1) AND (?2 < 0 OR a.row_id = ?2)"
        " AND (?3 IS NULL OR c.at >= ?3) AND (?4 IS NULL OR a.row_key = ?4)"
        " AND (a.id IS NOT NULL OR NOT EXISTS"
        "  (SELECT 1 FROM minreg_audit_added r WHERE r.change_id = c.id))"
        " UNION ALL"
        " SELECT c.id, c.at, c.who, c.kind, c.tbl, c.summary, c.comment, ifnull(c.undoes, 0),"
        " ifnull(c.undone_by, 0), r.tbl, r.first_row, NULL, 'insert', NULL, NULL, NULL,"
        " 1, r.rowid, r.last_row"
        " FROM minreg_changes c JOIN minreg_audit_added r ON r.change_id = c.id"
        " WHERE (?1 IS NULL OR r.tbl = ?1) AND (?2 < 0 OR ?2 BETWEEN r.first_row AND r.last_row)"
        " AND (?3 IS NULL OR c.at >= ?3)"
        " ORDER BY 1, 17, 18";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (tbl)
        sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, row_id);
    if (since)
        sqlite3_bind_text(st, 3, since, -1, SQLITE_TRANSIENT);
    if (row_key)
        sqlite3_bind_text(st, 4, row_key, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
        log_entry le;
        const char *col[16];
        for (int i = 0; i < 16; i++)
            col[i] = (const char *)sqlite3_column_text(st, i);
        le.change_id = sqlite3_column_int64(st, 0);
        le.at = col[1]; le.who = col[2]; le.kind = col[3]; le.change_tbl = col[4];
        le.summary = col[5]; le.comment = col[6];
        le.undoes = sqlite3_column_int64(st, 7);
        le.undone_by = sqlite3_column_int64(st, 8);
        le.tbl = col[9];
        le.row_id = sqlite3_column_int64(st, 10);
        le.row_key = col[11]; le.op = col[12]; le.field = col[13];
        le.old = col[14]; le.new_ = col[15];
        if (sqlite3_column_int(st, 16) == 0) {
            fn(arg, &le);
            continue;
        }
        const table *t = schema_table(&d->s, le.tbl);
        int64_t a = le.row_id, b = sqlite3_column_int64(st, 18);
        log_run lr = {le, row_key, fn, arg};
        if (!t)
            continue;
        if (row_id >= 0) {
            expand_run(d, t, le.change_id, row_id, row_id, 0, log_run_row, &lr);
        } else if (row_key) {
            /* a row that is gone, by the key it had: the rows of the run
             * that key was ever recorded for, as added with that key */
            sqlite3_stmt *k = NULL;
            /* (recorded under it, or renamed from it: an update of the
             * key column records the new key) */
            if (sqlite3_prepare_v2(d->h,
                    "SELECT DISTINCT row_id FROM minreg_audit WHERE tbl = ?1"
                    " AND (row_key = ?2 OR (op = 'update' AND field = ?5 AND old = ?2))"
                    " AND row_id BETWEEN ?3 AND ?4 ORDER BY row_id", -1, &k, NULL) != SQLITE_OK)
                continue;
            sqlite3_bind_text(k, 1, t->id, -1, SQLITE_STATIC);
            sqlite3_bind_text(k, 2, row_key, -1, SQLITE_STATIC);
            sqlite3_bind_int64(k, 3, a);
            sqlite3_bind_int64(k, 4, b);
            sqlite3_bind_text(k, 5, t->cols[t->key_ci].id, -1, SQLITE_STATIC);
            while (sqlite3_step(k) == SQLITE_ROW) {
                int64_t r = sqlite3_column_int64(k, 0);
                expand_run(d, t, le.change_id, r, r, 0, log_run_row, &lr);
            }
            sqlite3_finalize(k);
        } else {
            expand_run(d, t, le.change_id, a, b, 0, log_run_row, &lr);
        }
    }
    sqlite3_finalize(st);
    return 0;
}

int64_t db_change_max(db *d)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT ifnull(max(id), 0) FROM minreg_changes");
    int64_t id = 0;
    if (st) {
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return id;
}

int64_t db_row_replaced(db *d, int64_t after, const char *tbl, int64_t row_id)
{
    /* any change after `after` (undo and redo too) that deleted the row or
     * put a row there: the row read then is not the row there now */
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT min(x) FROM ("
        " SELECT min(change_id) AS x FROM minreg_audit"
        " WHERE change_id > ?1 AND tbl = ?2 AND row_id = ?3 AND op IN ('insert','delete')"
        " UNION ALL SELECT min(change_id) FROM minreg_audit_added"
        " WHERE change_id > ?1 AND tbl = ?2 AND first_row <= ?3 AND last_row >= ?3)");
    int64_t id = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, after);
        sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, row_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return id;
}
