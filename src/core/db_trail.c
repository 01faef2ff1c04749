/* db_trail.c — reading the audit trail: a change and its rows (the rows
 * an import added as runs given back one "insert" each, as added), the
 * history log, and the questions undo, redo and a form's save ask of it.
 * Part of the db module; db_audit.c writes what this file reads. */
#include "db_int.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(db *d, mr_err *e) { return db_error(d, e, NULL); }

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
 * Its key into key.  DB_FOUND; DB_NOT_FOUND if there is no such row (not
 * one of the change's); DB_ERROR with e filled. */
static int row_as_added(db *d, const table *t, int64_t change, int64_t rowid, buf *json, buf *key, mr_err *e)
{
    buf_reset(json);
    buf_reset(key);
    int have = db_row_json(d, t, rowid, json, e);
    if (have == DB_ERROR)
        return DB_ERROR;
    sqlite3_stmt *later = stmt_cached(d,
        "SELECT change_id, 1, first_row, 'insert', NULL, NULL FROM minreg_audit_added"
        " WHERE tbl = ?1 AND first_row <= ?2 AND last_row >= ?2 AND change_id > ?3"
        " UNION ALL SELECT change_id, 0, id, op, field, old FROM minreg_audit"
        " WHERE tbl = ?1 AND row_id = ?2 AND change_id > ?3"
        " ORDER BY 1 DESC, 2 DESC, 3 DESC");
    if (!later)
        return fail(d, e);
    sqlite3_stmt *set = stmt_cached(d,
        "SELECT json_set(?1, '$.' || json_quote(?2),"
        " CASE ?4 WHEN 1 THEN CAST(?3 AS INTEGER) WHEN 2 THEN CAST(?3 AS REAL) ELSE ?3 END)");
    if (!set)
        return fail(d, e);
    /* later and set are cached: copy what is kept out of them before reuse */
    sqlite3_bind_text(later, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(later, 2, rowid);
    sqlite3_bind_int64(later, 3, change);
    int rc;
    while ((rc = sqlite3_step(later)) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(later, 3);
        const char *field = (const char *)sqlite3_column_text(later, 4);
        const char *old = (const char *)sqlite3_column_text(later, 5);
        if (strcmp(op, "insert") == 0) {
            have = DB_NOT_FOUND;
        } else if (strcmp(op, "delete") == 0) {
            buf_reset(json);
            buf_puts(json, old ? old : "{}");
            have = DB_FOUND;
        } else if (have == DB_FOUND && field) {
            int ci = table_col(t, field);
            int ty = ci < 0 || !old ? 0 : db_as_stored(t->cols[ci].type, old);
            sqlite3_bind_text(set, 1, buf_str(json), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(set, 2, field, -1, SQLITE_TRANSIENT);
            if (old)
                sqlite3_bind_text(set, 3, old, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(set, 4, ty);
            int src = sqlite3_step(set);
            if (src == SQLITE_ROW && sqlite3_column_text(set, 0)) {
                char *j = xstrdup((const char *)sqlite3_column_text(set, 0));
                buf_reset(json);
                buf_puts(json, j);
                free(j);
            }
            sqlite3_reset(set);
            sqlite3_clear_bindings(set);
            if (src != SQLITE_ROW) {
                sqlite3_reset(later);
                return fail(d, e);
            }
        }
    }
    sqlite3_reset(later);
    if (rc != SQLITE_DONE)
        return fail(d, e);
    if (have != DB_FOUND)
        return DB_NOT_FOUND;
    sqlite3_stmt *k = stmt_cached(d, "SELECT json_extract(?1, '$.' || json_quote(?2))");
    if (!k)
        return fail(d, e);
    sqlite3_bind_text(k, 1, buf_str(json), -1, SQLITE_STATIC);
    sqlite3_bind_text(k, 2, t->cols[t->key_ci].id, -1, SQLITE_STATIC);
    rc = sqlite3_step(k);
    if (rc == SQLITE_ROW && sqlite3_column_text(k, 0))
        buf_puts(key, (const char *)sqlite3_column_text(k, 0));
    sqlite3_reset(k);
    return rc == SQLITE_ROW ? DB_FOUND : fail(d, e);
}

/* Rows a..b of t, added by change, as "insert" audit rows to fn (b down to
 * a when desc); what fn returned to stop, 0, or -1 with e filled. */
static int expand_run(db *d, const table *t, int64_t change, int64_t a, int64_t b, int desc,
                      int (*fn)(void *arg, const audit_row *r), void *arg, mr_err *e)
{
    buf json = BUF_INIT, key = BUF_INIT;
    int stop = 0;
    for (int64_t i = 0; !stop && i <= b - a; i++) {
        int64_t rowid = desc ? b - i : a + i;
        int have = row_as_added(d, t, change, rowid, &json, &key, e);
        if (have == DB_ERROR) {
            stop = -1;
            break;
        }
        if (have != DB_FOUND)
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
 * cached: fn may run anything.  Returns what fn returned to stop, 0, or
 * -1 with e filled. */
static int each_added(db *d, int64_t change, int desc, int (*fn)(void *arg, const audit_row *r),
                      void *arg, mr_err *e)
{
    sqlite3_stmt *st = NULL;
    const char *q = desc
        ? "SELECT tbl, first_row, last_row FROM minreg_audit_added WHERE change_id = ?1"
          " ORDER BY rowid DESC"
        : "SELECT tbl, first_row, last_row FROM minreg_audit_added WHERE change_id = ?1"
          " ORDER BY rowid";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    int stop = 0, rc = SQLITE_DONE;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const table *t = schema_table(&d->s, (const char *)sqlite3_column_text(st, 0));
        if (t)
            stop = expand_run(d, t, change, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                              desc, fn, arg, e);
    }
    if (!stop && rc != SQLITE_DONE)
        stop = fail(d, e);
    sqlite3_finalize(st);
    return stop;
}

int db_change_rows(db *d, int64_t change, int64_t *n, mr_err *e)
{
    *n = 0;
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT (SELECT count(*) FROM minreg_audit WHERE change_id = ?1)"
        " + (SELECT coalesce(sum(last_row - first_row + 1), 0) FROM minreg_audit_added"
        " WHERE change_id = ?1)");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : fail(d, e);
}

int db_change_touched(db *d, int64_t change, const char *tbl, int64_t row_id, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT EXISTS (SELECT 1 FROM minreg_audit WHERE change_id = ?1 AND tbl = ?2"
        " AND row_id = ?3)"
        " OR EXISTS (SELECT 1 FROM minreg_audit_added WHERE change_id = ?1 AND tbl = ?2"
        " AND first_row <= ?3 AND last_row >= ?3)");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, row_id);
    int rc = sqlite3_step(st);
    int yes = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return rc != SQLITE_ROW ? fail(d, e) : yes ? DB_FOUND : DB_NOT_FOUND;
}

int db_change_get(db *d, int64_t id, db_change *c, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT id, kind, tbl, ifnull(undoes, 0), ifnull(undone_by, 0), at, who, summary, comment"
        " FROM minreg_changes WHERE id = ?1");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        c->id = sqlite3_column_int64(st, 0);
        snprintf(c->kind, sizeof c->kind, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(c->tbl, sizeof c->tbl, "%s", (const char *)sqlite3_column_text(st, 2));
        c->undoes = sqlite3_column_int64(st, 3);
        c->undone_by = sqlite3_column_int64(st, 4);
        snprintf(c->at, sizeof c->at, "%s", (const char *)sqlite3_column_text(st, 5));
        snprintf(c->who, sizeof c->who, "%s", (const char *)sqlite3_column_text(st, 6));
        snprintf(c->summary, sizeof c->summary, "%s", (const char *)sqlite3_column_text(st, 7));
        snprintf(c->comment, sizeof c->comment, "%s", (const char *)sqlite3_column_text(st, 8));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? DB_FOUND : rc == SQLITE_DONE ? DB_NOT_FOUND : fail(d, e);
}

int db_change_last(db *d, int undos, const char *user, int64_t *id, mr_err *e)
{
    /* who is "user" or "user@address": the user's own, from any address */
#define MINE " AND (?1 IS NULL OR who = ?1 OR substr(who, 1, length(?1) + 1) = ?1 || '@')"
    sqlite3_stmt *st = stmt_cached(d, undos
        ? "SELECT ifnull(max(id), 0) FROM minreg_changes WHERE kind = 'undo' AND undone_by IS NULL" MINE
          " AND id > ifnull((SELECT max(id) FROM minreg_changes WHERE kind NOT IN ('undo','redo','seal')"
          MINE "), 0)"
        : "SELECT ifnull(max(id), 0) FROM minreg_changes WHERE kind NOT IN ('undo','redo','seal')"
          " AND undone_by IS NULL" MINE);
#undef MINE
    *id = 0;
    if (!st)
        return fail(d, e);
    if (user)
        sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc != SQLITE_ROW ? fail(d, e) : *id > 0 ? DB_FOUND : DB_NOT_FOUND;
}

int db_audit_each(db *d, int64_t change, int desc, db_audit_fn fn, void *arg, mr_err *e)
{
    /* the rows added as runs were written last: newest first, they come first */
    int stop = desc ? each_added(d, change, 1, fn, arg, e) : 0;
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
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    int rc = SQLITE_DONE;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
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
    if (!stop && rc != SQLITE_DONE)
        stop = fail(d, e);
    sqlite3_finalize(st);
    return stop || desc ? stop : each_added(d, change, 0, fn, arg, e);
}

int db_audit_later(db *d, int64_t change, const char *tbl, int64_t row_id, const char *field,
                   int64_t *later, mr_err *e)
{
    /* a later change, still in effect, that touched the same row: the whole
     * row (insert/delete) or, for a field change, the same field */
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT ifnull(min(x), 0) FROM ("
        " SELECT min(a.change_id) AS x FROM minreg_audit a JOIN minreg_changes c ON c.id = a.change_id"
        " WHERE a.change_id > ?1 AND c.undone_by IS NULL AND c.kind NOT IN ('undo','redo')"
        " AND a.tbl = ?2 AND a.row_id = ?3"
        " AND (?4 IS NULL OR a.op <> 'update' OR a.field = ?4)"
        /* a later import that added a row there (the row had gone) */
        " UNION ALL SELECT min(r.change_id) FROM minreg_audit_added r"
        " JOIN minreg_changes c ON c.id = r.change_id"
        " WHERE r.change_id > ?1 AND c.undone_by IS NULL AND c.kind NOT IN ('undo','redo')"
        " AND r.tbl = ?2 AND r.first_row <= ?3 AND r.last_row >= ?3)");
    *later = 0;
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, row_id);
    if (field)
        sqlite3_bind_text(st, 4, field, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *later = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc != SQLITE_ROW ? fail(d, e) : *later > 0 ? DB_FOUND : DB_NOT_FOUND;
}

int db_audit_again(db *d, int64_t change, int64_t audit_id, const char *tbl, int64_t row_id,
                   const char *field, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT 1 FROM minreg_audit WHERE change_id = ?1 AND id > ?2 AND tbl = ?3 AND row_id = ?4"
        " AND op = 'update' AND field = ?5 LIMIT 1");
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_int64(st, 2, audit_id);
    sqlite3_bind_text(st, 3, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, row_id);
    sqlite3_bind_text(st, 5, field, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? DB_FOUND : rc == SQLITE_DONE ? DB_NOT_FOUND : fail(d, e);
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
           db_log_fn fn, void *arg, mr_err *e)
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
        return fail(d, e);
    if (tbl)
        sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, row_id);
    if (since)
        sqlite3_bind_text(st, 3, since, -1, SQLITE_TRANSIENT);
    if (row_key)
        sqlite3_bind_text(st, 4, row_key, -1, SQLITE_TRANSIENT);
    int rc = SQLITE_DONE, bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
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
            bad = expand_run(d, t, le.change_id, row_id, row_id, 0, log_run_row, &lr, e) != 0;
        } else if (row_key) {
            /* a row that is gone, by the key it had: the rows of the run
             * that key was ever recorded for, as added with that key */
            sqlite3_stmt *k = NULL;
            /* (recorded under it, or renamed from it: an update of the
             * key column records the new key) */
            if (sqlite3_prepare_v2(d->h,
                    "SELECT DISTINCT row_id FROM minreg_audit WHERE tbl = ?1"
                    " AND (row_key = ?2 OR (op = 'update' AND field = ?5 AND old = ?2))"
                    " AND row_id BETWEEN ?3 AND ?4 ORDER BY row_id", -1, &k, NULL) != SQLITE_OK) {
                bad = fail(d, e) != 0;
                break;
            }
            sqlite3_bind_text(k, 1, t->id, -1, SQLITE_STATIC);
            sqlite3_bind_text(k, 2, row_key, -1, SQLITE_STATIC);
            sqlite3_bind_int64(k, 3, a);
            sqlite3_bind_int64(k, 4, b);
            sqlite3_bind_text(k, 5, t->cols[t->key_ci].id, -1, SQLITE_STATIC);
            int krc = SQLITE_DONE;
            while (!bad && (krc = sqlite3_step(k)) == SQLITE_ROW) {
                int64_t r = sqlite3_column_int64(k, 0);
                bad = expand_run(d, t, le.change_id, r, r, 0, log_run_row, &lr, e) != 0;
            }
            if (!bad && krc != SQLITE_DONE)
                bad = fail(d, e) != 0;
            sqlite3_finalize(k);
        } else {
            bad = expand_run(d, t, le.change_id, a, b, 0, log_run_row, &lr, e) != 0;
        }
    }
    if (!bad && rc != SQLITE_DONE)
        bad = fail(d, e) != 0;
    sqlite3_finalize(st);
    return bad ? -1 : 0;
}

int db_change_max(db *d, int64_t *max, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT ifnull(max(id), 0) FROM minreg_changes");
    *max = 0;
    if (!st)
        return fail(d, e);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *max = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : fail(d, e);
}

int db_row_replaced(db *d, int64_t after, const char *tbl, int64_t row_id, int64_t *by, mr_err *e)
{
    /* any change after `after` (undo and redo too) that deleted the row or
     * put a row there: the row read then is not the row there now */
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT ifnull(min(x), 0) FROM ("
        " SELECT min(change_id) AS x FROM minreg_audit"
        " WHERE change_id > ?1 AND tbl = ?2 AND row_id = ?3 AND op IN ('insert','delete')"
        " UNION ALL SELECT min(change_id) FROM minreg_audit_added"
        " WHERE change_id > ?1 AND tbl = ?2 AND first_row <= ?3 AND last_row >= ?3)");
    *by = 0;
    if (!st)
        return fail(d, e);
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, row_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *by = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc != SQLITE_ROW ? fail(d, e) : *by > 0 ? DB_FOUND : DB_NOT_FOUND;
}
