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

int db_row_json(db *d, const table *t, int64_t rowid, buf *out, mr_err *e)
{
    /* cached by table, not by its SQL text: an exchange file's export
     * reads every row a run added through here */
    sqlite3_stmt *st = stmt_keyed(d, SK_ROW_JSON, t, -1, build_row_json);
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        buf_puts(out, (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? DB_FOUND : rc == SQLITE_DONE ? DB_NOT_FOUND : fail(d, e);
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

int db_json_values(db *d, const table *t, const char *json, char ***out, mr_err *e)
{
    char **vals = xcalloc((size_t)t->ncols, sizeof(char *));
    *out = vals;
    sqlite3_stmt *st = stmt_keyed(d, SK_JSON_VALUES, t, -1, build_json_values);
    if (!st)
        return fail(d, e);
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
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
    return rc == SQLITE_ROW ? 0 : fail(d, e);
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

int db_added_has(db *d, int64_t rowid, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT 1 FROM temp.minreg_added WHERE rid = ?1");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? DB_FOUND : rc == SQLITE_DONE ? DB_NOT_FOUND : fail(d, e);
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

