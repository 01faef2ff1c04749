/* test_dberr.c — a lookup that fails says so: db_sum, db_exists_other,
 * db_col_values and the validator on a register whose pages are damaged
 * return their error (DB_ERROR / -1, the error record saying the file is
 * damaged), never a value that looks like an answer (a sum of 0, "not
 * used", "no values", "not in districts").  Then every other call of the
 * db module's convention, on a connection that may run nothing (an
 * authorizer refuses every statement, as a locked or unreadable file
 * would): each returns its error with e filled, its out-parameter not an
 * answer.  Last, the history and the boundaries damaged: what the undo,
 * history and table screens and the CLI ask is the error, not "nothing
 * to undo", "no history", "no boundary" or a count of 0. */
#include "config.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/db_int.h"
#include "core/edit.h"
#include "core/validate.h"
#include "tap.h"
#include "testdb.h"

/* Overwrite the root pages of every b-tree of tables tbls (a table and its
 * indexes) with 0xff.  0, or -1. */
static int damage(const char *path, const char *const *tbls, int n)
{
    sqlite3 *h;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    sqlite3_stmt *st;
    int pages[32], np = 0, psize = 0;
    if (sqlite3_prepare_v2(h, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        psize = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++) {
        if (sqlite3_prepare_v2(h, "SELECT rootpage FROM sqlite_master WHERE tbl_name = ?1 AND rootpage > 0",
                               -1, &st, NULL) != SQLITE_OK)
            break;
        sqlite3_bind_text(st, 1, tbls[i], -1, SQLITE_STATIC);
        while (np < 32 && sqlite3_step(st) == SQLITE_ROW)
            pages[np++] = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    FILE *f = fopen(path, "r+b");
    if (!f || psize <= 0 || np == 0) {
        if (f)
            fclose(f);
        return -1;
    }
    char *junk = malloc((size_t)psize);
    memset(junk, 0xff, (size_t)psize);
    int rc = 0;
    for (int i = 0; i < np && rc == 0; i++)
        if (fseek(f, (long)(pages[i] - 1) * psize, SEEK_SET) != 0 || fwrite(junk, 1, (size_t)psize, f) != (size_t)psize)
            rc = -1;
    free(junk);
    return fclose(f) == 0 ? rc : -1;
}

static void collect(void *arg, const char *v)
{
    (void)v;
    (*(int *)arg)++;
}

static int refuse(void *arg, int action, const char *a, const char *b, const char *c, const char *d)
{
    (void)arg, (void)action, (void)a, (void)b, (void)c, (void)d;
    return SQLITE_DENY;
}

static void group_fn(void *arg, const char *key, int64_t count, double sum)
{
    (void)key, (void)count, (void)sum;
    (*(int *)arg)++;
}

static int audit_fn(void *arg, const audit_row *r)
{
    (void)r;
    (*(int *)arg)++;
    return 0;
}

static void log_fn(void *arg, const log_entry *le)
{
    (void)le;
    (*(int *)arg)++;
}

static void shape_fn(void *arg, const char *tbl, int64_t rid, int have_shape, int have_audit, int64_t change)
{
    (void)tbl, (void)rid, (void)have_shape, (void)have_audit, (void)change;
    (*(int *)arg)++;
}

static int pair_fn(void *arg, int64_t a, int64_t b)
{
    (void)a, (void)b;
    (*(int *)arg)++;
    return 0;
}

/* e was filled: an error, exit 4 (the refused statement, or the damage) */
static int filled(const mr_err *e)
{
    return e->code == EXIT_DB && e->msg[0];
}

/* Every call still to prove on a connection whose every new statement is
 * refused.  rs: a view made before the refusal (it has to be read). */
static void refused(db *d, rowsrc *rs)
{
    const schema *s = db_schema(d);
    const table *na = schema_table(s, "national_areas"), *mp = schema_table(s, "mining_permits");
    mr_err e = {0};
    int n = 0;
    int64_t v = 7;
#define FAILS(call, want, what) do { err_clear(&e); is_int((call), (want), what); \
        ok(filled(&e), "... e says why: %d %s", e.code, e.msg); } while (0)
    FAILS(db_data_version(d, &v, &e), -1, "db_data_version refused: -1, not a version");
    is_int(v, -1, "... *v is -1");
    FAILS(db_is_unique_col(d, na, table_col(na, "name"), &e), DB_ERROR,
          "db_is_unique_col refused: DB_ERROR, not 'not unique'");
    FAILS(db_group(d, na, table_col(na, "name"), -1, group_fn, &n, &e), -1, "db_group refused: -1");
    is_int(n, 0, "... no group to fn");
    buf j = BUF_INIT;
    FAILS(db_row_json(d, na, 1, &j, &e), DB_ERROR, "db_row_json refused: DB_ERROR, not 'no such row'");
    buf_free(&j);
    char **vals = NULL;
    FAILS(db_json_values(d, na, "{\"code\":\"x\"}", &vals, &e), -1, "db_json_values refused: -1, not a row of nulls");
    for (int i = 0; vals && i < na->ncols; i++)
        free(vals[i]);
    free(vals);
    FAILS(db_added_has(d, 1, &e), DB_ERROR, "db_added_has refused: DB_ERROR, not 'not noted'");
    FAILS(db_change_rows(d, 1, &v, &e), -1, "db_change_rows refused: -1, not 0 rows");
    FAILS(db_change_touched(d, 1, "national_areas", 1, &e), DB_ERROR,
          "db_change_touched refused: DB_ERROR, not 'untouched'");
    db_change ch;
    FAILS(db_change_get(d, 1, &ch, &e), DB_ERROR, "db_change_get refused: DB_ERROR, not 'no change 1'");
    FAILS(db_change_last(d, 0, NULL, &v, &e), DB_ERROR, "db_change_last refused: DB_ERROR, not 'none'");
    FAILS(db_audit_later(d, 0, "national_areas", 1, NULL, &v, &e), DB_ERROR,
          "db_audit_later refused: DB_ERROR, not 'no later change'");
    FAILS(db_change_max(d, &v, &e), -1, "db_change_max refused: -1, not 0");
    FAILS(db_row_replaced(d, 0, "national_areas", 1, &v, &e), DB_ERROR,
          "db_row_replaced refused: DB_ERROR, not 'the same row'");
    n = 0;
    FAILS(db_audit_each(d, 1, 0, audit_fn, &n, &e), -1, "db_audit_each refused: -1, not 'no rows'");
    FAILS(db_audit_each(d, 1, 1, audit_fn, &n, &e), -1, "... newest first too");
    FAILS(db_log(d, NULL, -1, NULL, NULL, log_fn, &n, &e), -1, "db_log refused: -1, not an empty history");
    is_int(n, 0, "... nothing to the callbacks");
    FAILS(rowsrc_count(rs, &v, &e), -1, "rowsrc_count refused: -1, not a count");
    is_int(rowsrc_count_upto(rs, 0), -1, "... rowsrc_count_upto: not counted (-1), not a count of rows seen");
    FAILS(rowsrc_pos_of(rs, 1, &v, &e), DB_ERROR, "rowsrc_pos_of refused: DB_ERROR, not 'not in the view'");
    err_clear(&e);
    ok(rowsrc_page(rs, 0, 10, &e) == NULL && filled(&e), "... and the page the screen reads then says it: %s", e.msg);
    FAILS(db_has_boundary(d, mp->id, &e), DB_ERROR, "db_has_boundary refused: DB_ERROR, not 'no boundary'");
    char *text = (char *)"x";
    FAILS(db_shape_text(d, mp->id, 1, &text, &e), DB_ERROR, "db_shape_text refused: DB_ERROR, not 'none'");
    ok(text == NULL, "... *text NULL");
    int64_t *rids = NULL;
    int nr = 5;
    FAILS(db_shape_rids(d, mp->id, &rids, &nr, &e), -1, "db_shape_rids refused: -1, not 'none'");
    ok(rids == NULL && nr == 0, "... no rids");
    FAILS(db_shape_verify(d, shape_fn, &n, &v, &e), -1, "db_shape_verify refused: -1, not 0 found");
    char *tbl = NULL;
    int64_t rid;
    FAILS(db_shape_text_id(d, 1, &text, &tbl, &rid, &e), DB_ERROR, "db_shape_text_id refused: DB_ERROR");
    FAILS(db_shape_candidates(d, NULL, 0, 0, 0, pair_fn, &n, &e), -1, "db_shape_candidates refused: -1, not 'no pairs'");
    FAILS(edit_undo_target(d, &v, &e), DB_ERROR, "edit_undo_target refused: DB_ERROR, not 'nothing to undo'");
    buf what = BUF_INIT;
    FAILS(edit_describe(d, 1, 10, &what, &e), DB_ERROR, "edit_describe refused: DB_ERROR, not 'no change 1'");
    buf_free(&what);
#undef FAILS
}

static int damaged(const mr_err *e)
{
    return e->code == EXIT_DB && strstr(e->msg, "the register file is damaged") != NULL;
}

int main(void)
{
    testdb td;
    db *d = testdb_open(&td, "dberr", 0, "a register with the plan's rows");
    if (!d)
        return tap_done();
    const schema *s = db_schema(d);
    const table *na = schema_table(s, "national_areas"), *di = schema_table(s, "districts");
    int area = table_col(na, "area_km2"), code = table_col(na, "code"), sn = table_col(di, "short_name");
    mr_err e = {0};

    /* sound: the answers */
    double sum = -1;
    is_int(db_sum(d, na, NULL, 0, area, &sum, &e), 0, "db_sum on a sound register: 0");
    ok(sum > 0, "... the areas' total (%g)", sum);
    is_int(db_exists_other(d, na, code, "no such code", -1, &e), DB_NOT_FOUND,
           "db_exists_other: an unused value is DB_NOT_FOUND");
    int got = 0;
    int64_t n = -1;
    is_int(db_col_values(d, di, sn, 1000, collect, &got, &n, &e), DB_FOUND,
           "db_col_values: DB_FOUND when they fit");
    ok(n > 0 && n == got, "... their number (%lld) in *n, each to fn (%d)", (long long)n, got);
    got = 0;
    is_int(db_col_values(d, di, sn, 1, collect, &got, &n, &e), DB_NOT_FOUND,
           "db_col_values: DB_NOT_FOUND when there are more than max");
    is_int(e.code, 0, "... which is not an error");
    db_close(d);

    /* damaged: the tables' pages (and their indexes') are garbage */
    const char *tbls[] = {"national_areas", "districts"};
    is_int(damage(td.path, tbls, 2), 0, "damage national_areas and districts");
    td.d = NULL;
    ok(db_open(td.path, DB_READONLY, &td.d, &e) == 0, "the damaged register opens: %s", e.msg);
    d = td.d;
    if (!d) {
        testdb_close(&td);
        return tap_done();
    }
    s = db_schema(d);
    na = schema_table(s, "national_areas");
    di = schema_table(s, "districts");

    err_clear(&e);
    sum = 42;
    is_int(db_sum(d, na, NULL, 0, area, &sum, &e), -1, "db_sum on a damaged table: -1, not a total");
    ok(damaged(&e), "... e says the file is damaged, exit 4: %d %s", e.code, e.msg);
    is_int(db_sum(d, na, NULL, 0, area, &sum, NULL), -1, "... also with e NULL");

    err_clear(&e);
    is_int(db_exists_other(d, na, code, "no such code", -1, &e), DB_ERROR,
           "db_exists_other on a damaged index: DB_ERROR, not 'unused'");
    ok(damaged(&e), "... e says the file is damaged: %d %s", e.code, e.msg);

    err_clear(&e);
    got = 0;
    n = 7;
    is_int(db_col_values(d, di, sn, 1000, collect, &got, &n, &e), DB_ERROR,
           "db_col_values on a damaged table: DB_ERROR, not 'no values'");
    ok(damaged(&e), "... e says the file is damaged: %d %s", e.code, e.msg);
    is_int((int)n, 0, "... *n is 0");

    /* the validator: a failed lookup is -1 with the error, not an issue */
    char *vals[16] = {0};
    vals[code] = "GK21069999999";
    vals[table_col(na, "name")] = "某矿区";
    vals[table_col(na, "minerals")] = "金矿";
    vals[area] = "1.5";
    validator *v = validator_new(d, na);
    vissue is[8];
    err_clear(&e);
    is_int(validator_row(v, (const char *const *)vals, 1, is, 8), -1,
           "validator_row: a used-value lookup that failed is -1, not a row that passes (%s)", is[0].msg);
    validator_error(v, &e);
    ok(damaged(&e), "... validator_error says the file is damaged: %s", e.msg);
    validator_free(v);

    vals[table_col(na, "districts")] = "振安区";
    v = validator_new(d, na);
    err_clear(&e);
    is_int(validator_value(v, table_col(na, "districts"), "振安区", is), -1,
           "validator_value: a link lookup that failed is -1, not 'not in districts'");
    validator_error(v, &e);
    ok(damaged(&e), "... validator_error says the file is damaged: %s", e.msg);
    ok(strstr(is[0].msg, "damaged") != NULL, "... and its message is the error's: %s", is[0].msg);
    validator_free(v);

    const table *mp = schema_table(s, "mining_permits");
    v = validator_new_ahead(d, mp);
    err_clear(&e);
    validator_error(v, &e);
    ok(damaged(&e), "validator_new_ahead: the districts it could not read are said: %s", e.msg);
    validator_free(v);

    db_close(d);

    /* a connection that may run nothing: every call says so */
    td.d = NULL;
    err_clear(&e);
    ok(db_open(td.path, DB_READONLY, &td.d, &e) == 0, "open it again: %s", e.msg);
    d = td.d;
    if (d) {
        rowsrc *rs = db_rowsrc_new(d, schema_table(db_schema(d), "mining_permits"), NULL, 0, -1, 0, NULL, NULL, &e);
        ok(rs != NULL, "a view of the permits: %s", e.msg);
        sqlite3_set_authorizer(d->h, refuse, NULL);
        if (rs)
            refused(d, rs);
        sqlite3_set_authorizer(d->h, NULL, NULL);
        db_rowsrc_free(rs);
        db_close(d);
    }

    /* the history and the boundaries damaged */
    const char *hist[] = {"minreg_changes", "minreg_audit", "minreg_audit_added", "minreg_shapes",
                          "minreg_boundary_tables", "mining_permits"};
    is_int(damage(td.path, hist, 6), 0, "damage the history, the boundaries and the permits");
    td.d = NULL;
    err_clear(&e);
    if (db_open(td.path, DB_READONLY, &td.d, &e) != 0) {
        ok(damaged(&e), "the damaged register does not open, and says it is damaged: %s", e.msg);
        testdb_close(&td);
        return tap_done();
    }
    d = td.d;
    mp = schema_table(db_schema(d), "mining_permits");
    int64_t dv = 0;
    err_clear(&e);
    is_int(edit_undo_target(d, &dv, &e), DB_ERROR, "undo's target on a damaged history: DB_ERROR");
    ok(damaged(&e), "... the undo says the file is damaged, not 'nothing of yours to undo': %s", e.msg);
    buf what = BUF_INIT;
    err_clear(&e);
    is_int(edit_describe(d, 1, 10, &what, &e), DB_ERROR, "edit_describe: DB_ERROR");
    ok(damaged(&e), "... not 'no change 1': %s", e.msg);
    buf_free(&what);
    int nl = 0;
    err_clear(&e);
    is_int(db_log(d, NULL, -1, NULL, NULL, log_fn, &nl, &e), -1, "the history screen's db_log: -1");
    ok(damaged(&e), "... said damaged, not an empty history: %s", e.msg);
    err_clear(&e);
    is_int(db_has_boundary(d, mp->id, &e), DB_ERROR, "minreg boundary's db_has_boundary: DB_ERROR");
    ok(damaged(&e), "... not 'its records hold no boundary': %s", e.msg);
    err_clear(&e);
    rowsrc *rs = db_rowsrc_new(d, mp, NULL, 0, -1, 0, NULL, NULL, &e);
    if (rs) {
        err_clear(&e);
        is_int(rowsrc_count(rs, &dv, &e), -1, "the table screen's count of damaged permits: -1");
        ok(damaged(&e), "... said damaged, not 0 rows: %s", e.msg);
        is_int(rowsrc_count_upto(rs, 0), -1, "... rowsrc_count_upto: not counted");
        err_clear(&e);
        cursor *c = rowsrc_page(rs, 0, 10, &e);
        int next = c ? cursor_next(c) : -1;
        if (next < 0 && c)
            cursor_fail(c, EXIT_DB, &e);
        ok(next < 0 && damaged(&e), "... and its page says damaged: %s", e.msg);
        cursor_free(c);
        db_rowsrc_free(rs);
    } else {
        ok(damaged(&e), "the view of the damaged permits says damaged: %s", e.msg);
    }

    ok(testdb_close(&td) == 0, "remove the register");
    return tap_done();
}
