/* test_dberr.c — a lookup that fails says so: db_sum, db_exists_other,
 * db_col_values and the validator on a register whose pages are damaged
 * return their error (DB_ERROR / -1, the error record saying the file is
 * damaged), never a value that looks like an answer (a sum of 0, "not
 * used", "no values", "not in districts"). */
#include "config.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
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

    ok(testdb_close(&td) == 0, "remove the register");
    return tap_done();
}
