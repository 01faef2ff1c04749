/* db_audit.c — the write path's SQL: row writes and the audit trail.
 * Part of the db module (the only code that speaks SQL); edit.c decides
 * what to write, this file only knows how. */
#include "db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(db *d, mr_err *e) { return db_error(d, e, NULL); }

int db_row_insert(db *d, const table *t, const char *const *vals, int64_t rowid, int64_t *out,
                  mr_err *e)
{
    buf q = BUF_INIT;
    buf_puts(&q, "INSERT INTO ");
    put_ident(&q, t->id);
    buf_puts(&q, " (rowid");
    for (int i = 0; i < t->ncols; i++) {
        buf_puts(&q, ", ");
        put_ident(&q, t->cols[i].id);
    }
    buf_puts(&q, ") VALUES (?1");
    for (int i = 0; i < t->ncols; i++)
        buf_printf(&q, ", ?%d", i + 2);
    buf_puts(&q, ")");
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
    if (!st)
        return fail(d, e);
    if (rowid > 0)
        sqlite3_bind_int64(st, 1, rowid);
    for (int i = 0; i < t->ncols; i++)
        if (vals[i] && *vals[i])
            sqlite3_bind_text(st, i + 2, vals[i], -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(d, e);
    if (out)
        *out = sqlite3_last_insert_rowid(d->h);
    return 0;
}

int db_row_update(db *d, const table *t, int64_t rowid, int ci, const char *val, mr_err *e)
{
    buf q = BUF_INIT;
    buf_puts(&q, "UPDATE ");
    put_ident(&q, t->id);
    buf_puts(&q, " SET ");
    put_ident(&q, t->cols[ci].id);
    buf_puts(&q, " = ?1 WHERE rowid = ?2");
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
    if (!st)
        return fail(d, e);
    if (val && *val)
        sqlite3_bind_text(st, 1, val, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, rowid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

int db_row_delete(db *d, const table *t, int64_t rowid, mr_err *e)
{
    buf q = BUF_INIT;
    buf_puts(&q, "DELETE FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, " WHERE rowid = ?1");
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, rowid);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(d, e);
}

int db_row_json(db *d, const table *t, int64_t rowid, buf *out)
{
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT json_object(");
    for (int i = 0; i < t->ncols; i++) {
        buf_printf(&q, "%s'%s', ", i ? ", " : "", t->cols[i].id);
        put_ident(&q, t->cols[i].id);
    }
    buf_puts(&q, ") FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, " WHERE rowid = ?1");
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
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

char **db_json_values(db *d, const table *t, const char *json)
{
    char **vals = xcalloc((size_t)t->ncols, sizeof(char *));
    sqlite3_stmt *st = stmt_cached(d, "SELECT json_extract(?1, ?2)");
    if (!st)
        return vals;
    buf path = BUF_INIT;
    for (int i = 0; i < t->ncols; i++) {
        buf_reset(&path);
        buf_printf(&path, "$.%s", t->cols[i].id);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, json, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, buf_str(&path), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            char num[32];
            if (sqlite3_column_type(st, 0) == SQLITE_FLOAT) {
                snprintf(num, sizeof num, "%.15g", sqlite3_column_double(st, 0));
                vals[i] = xstrdup(num);
            } else {
                vals[i] = xstrdup((const char *)sqlite3_column_text(st, 0));
            }
        }
    }
    sqlite3_reset(st);
    buf_free(&path);
    return vals;
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

int db_change_get(db *d, int64_t id, db_change *c)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT id, kind, tbl, ifnull(undoes, 0), ifnull(undone_by, 0) FROM minreg_changes WHERE id = ?1");
    int found = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            c->id = sqlite3_column_int64(st, 0);
            snprintf(c->kind, sizeof c->kind, "%s", (const char *)sqlite3_column_text(st, 1));
            snprintf(c->tbl, sizeof c->tbl, "%s", (const char *)sqlite3_column_text(st, 2));
            c->undoes = sqlite3_column_int64(st, 3);
            c->undone_by = sqlite3_column_int64(st, 4);
            found = 1;
        }
        sqlite3_reset(st);
    }
    return found;
}

int64_t db_change_last(db *d, int undos)
{
    sqlite3_stmt *st = stmt_cached(d, undos
        ? "SELECT max(id) FROM minreg_changes WHERE kind = 'undo' AND undone_by IS NULL"
          " AND id > ifnull((SELECT max(id) FROM minreg_changes WHERE kind NOT IN ('undo','redo')), 0)"
        : "SELECT max(id) FROM minreg_changes WHERE kind NOT IN ('undo','redo') AND undone_by IS NULL");
    int64_t id = 0;
    if (st) {
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return id;
}

int db_audit_of(db *d, int64_t change, audit_row **out)
{
    sqlite3_stmt *st = NULL;
    int n = 0;
    audit_row *rows = NULL;
    if (sqlite3_prepare_v2(d->h,
            "SELECT id, tbl, row_id, row_key, op, field, old, new FROM minreg_audit"
            " WHERE change_id = ?1 ORDER BY id", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, change);
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows = xrealloc(rows, sizeof *rows * (size_t)(n + 1));
            audit_row *r = &rows[n++];
            memset(r, 0, sizeof *r);
            r->id = sqlite3_column_int64(st, 0);
            r->tbl = xstrdup((const char *)sqlite3_column_text(st, 1));
            r->row_id = sqlite3_column_int64(st, 2);
            const unsigned char *v;
            if ((v = sqlite3_column_text(st, 3)))
                r->row_key = xstrdup((const char *)v);
            r->op = xstrdup((const char *)sqlite3_column_text(st, 4));
            if ((v = sqlite3_column_text(st, 5)))
                r->field = xstrdup((const char *)v);
            if ((v = sqlite3_column_text(st, 6)))
                r->old = xstrdup((const char *)v);
            if ((v = sqlite3_column_text(st, 7)))
                r->new_ = xstrdup((const char *)v);
        }
    }
    sqlite3_finalize(st);
    *out = rows;
    return n;
}

void audit_rows_free(audit_row *r, int n)
{
    for (int i = 0; i < n; i++) {
        free(r[i].tbl); free(r[i].row_key); free(r[i].op);
        free(r[i].field); free(r[i].old); free(r[i].new_);
    }
    free(r);
}

int64_t db_audit_later(db *d, int64_t change, const char *tbl, int64_t row_id, const char *field)
{
    /* a later change, still in effect, that touched the same row: the whole
     * row (insert/delete) or, for a field change, the same field */
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT min(a.change_id) FROM minreg_audit a JOIN minreg_changes c ON c.id = a.change_id"
        " WHERE a.change_id > ?1 AND c.undone_by IS NULL AND c.kind NOT IN ('undo','redo')"
        " AND a.tbl = ?2 AND a.row_id = ?3"
        " AND (?4 IS NULL OR a.op <> 'update' OR a.field = ?4)");
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

int db_log(db *d, const char *tbl, int64_t row_id, const char *since, db_log_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    const char *q =
        "SELECT c.id, c.at, c.who, c.kind, c.tbl, c.summary, c.comment, ifnull(c.undoes, 0),"
        " ifnull(c.undone_by, 0), a.tbl, a.row_id, a.row_key, a.op, a.field, a.old, a.new"
        " FROM minreg_changes c LEFT JOIN minreg_audit a ON a.change_id = c.id"
        " WHERE (?1 IS NULL OR a.tbl = ?1) AND (?2 < 0 OR a.row_id = ?2)"
        " AND (?3 IS NULL OR c.at >= ?3)"
        " ORDER BY c.id, a.id";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (tbl)
        sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, row_id);
    if (since)
        sqlite3_bind_text(st, 3, since, -1, SQLITE_TRANSIENT);
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
        fn(arg, &le);
    }
    sqlite3_finalize(st);
    return 0;
}
