/* test_validate.c — every validation rule, broken and kept, through the one
 * validation path (validator_row / validator_value) on the bundled register. */
#include "config.h"
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/validate.h"
#include "tap.h"

static db *d;

/* The row of t whose key is key, as strings (ncols). */
static char **row_of(const table *t, const char *key)
{
    int64_t rowid;
    char **v = calloc((size_t)t->ncols, sizeof(char *));
    if (db_find(d, t, key, &rowid, NULL) != DB_FOUND)
        return v;
    cursor *c = db_select_rowid(d, t, rowid, NULL);
    if (c && cursor_next(c) == 1)
        for (int i = 0; i < t->ncols; i++)
            v[i] = cursor_val(c, i) ? strdup(cursor_val(c, i)) : NULL;
    cursor_free(c);
    return v;
}

static void set(const table *t, char **v, const char *col, const char *val)
{
    int ci = table_col(t, col);
    free(v[ci]);
    v[ci] = val ? strdup(val) : NULL;
}

static void free_row(const table *t, char **v)
{
    for (int i = 0; i < t->ncols; i++)
        free(v[i]);
    free(v);
}

/* Validate row key of t with col set to val (self: the row itself, so its
 * own key is not a duplicate).  Returns the kind of the first issue, 0 if none. */
static int check(const char *tname, const char *key, const char *col, const char *val, char *msg)
{
    const table *t = schema_table(db_schema(d), tname);
    char **v = row_of(t, key);
    int64_t self = -1;
    db_find(d, t, key, &self, NULL);
    if (col)
        set(t, v, col, val);
    validator *vd = validator_new(d, t);
    vissue is[8];
    int n = validator_row(vd, (const char *const *)v, self, is, 8);
    validator_free(vd);
    free_row(t, v);
    if (msg)
        strcpy(msg, n ? is[0].msg : "");
    return n ? (int)is[0].kind : 0;
}

/* The read-ahead validator (an import's second thread): on every row of
 * every bundled register, as it is and with each value in turn spoiled,
 * "clean" must mean the full validator finds nothing for a new row. */
static void ahead(void)
{
    const schema *s = db_schema(d);
    int rows = 0, clean = 0, wrong = 0, spoiled_clean = 0;
    static const char *const bad[] = {"@@", "", "-1", "99999999999999999999", "KZ2106", "2021-13-01"};
    for (int ti = 0; ti < s->ntables; ti++) {
        const table *t = &s->tables[ti];
        validator *va = validator_new_ahead(d, t), *full = validator_new(d, t);
        validator_defer_unique(full, 1);
        cursor *c = db_select(d, t, NULL, 0, -1, 0, -1, NULL);
        char **v = calloc((size_t)t->ncols, sizeof(char *));
        vissue is[16];
        while (c && cursor_next(c) == 1) {
            for (int i = 0; i < t->ncols; i++)
                v[i] = cursor_val(c, i) ? strdup(cursor_val(c, i)) : NULL;
            for (int k = -1; k < t->ncols * 6; k++) {
                char *keep = NULL;
                if (k >= 0) {   /* column k / 6 spoiled with bad[k % 6] */
                    keep = v[k / 6];
                    v[k / 6] = strdup(bad[k % 6]);
                }
                int cl = validator_clean(va, (const char *const *)v);
                int n = validator_row(full, (const char *const *)v, -1, is, 16);
                rows += k < 0;
                clean += k < 0 && cl;
                spoiled_clean += k >= 0 && cl;
                if (cl && n) {
                    wrong++;
                    printf("#   %s: clean ahead, but: %s\n", t->id, is[0].msg);
                }
                if (k >= 0) {
                    free(v[k / 6]);
                    v[k / 6] = keep;
                }
            }
            for (int i = 0; i < t->ncols; i++)
                free(v[i]);
        }
        free(v);
        cursor_free(c);
        validator_free(va);
        validator_free(full);
    }
    ok(rows > 100 && clean > rows / 2, "read-ahead check: most bundled rows are clean (%d of %d)", clean,
       rows);
    ok(wrong == 0 && spoiled_clean > 0,
       "... and never where the full check finds a problem (%d spoiled rows still clean)", spoiled_clean);

    const table *t = schema_table(s, "mining_permits");
    validator *va = validator_new_ahead(d, t);
    char **v = row_of(t, "4");
    is_int(validator_clean(va, (const char *const *)v), 1, "read-ahead: a valid row is clean");
    set(t, v, "district", "火星区");
    is_int(validator_clean(va, (const char *const *)v), 0, "... a link to nothing is left to the full check");
    set(t, v, "district", NULL);
    set(t, v, "area_km2", "-3");
    is_int(validator_clean(va, (const char *const *)v), 0, "... and so is a value out of range");
    free_row(t, v);
    validator_free(va);
}

/* GB 32100-2015: the check character, codes that pass and codes that do
 * not, and the rule through the validator of a permit register. */
static void credit(void)
{
    /* published codes: the check character as issued */
    is_int(credit_code_check("91350100M000100Y43"), '3', "credit code: the check character of 91350100M000100Y4_ is 3");
    ok(credit_code_ok("91350100M000100Y43"), "credit code: 91350100M000100Y43 passes");
    ok(credit_code_ok("91110000600007336U"), "credit code: 91110000600007336U passes");
    ok(credit_code_ok("91210600123456789E"), "credit code: 91210600123456789E passes");
    ok(!credit_code_ok("91350100M000100Y44"), "credit code: a wrong check character fails");
    ok(!credit_code_ok("91350100M000100Y4"), "credit code: 17 characters fail");
    ok(!credit_code_ok("91350100M000100Y433"), "credit code: 19 characters fail");
    ok(!credit_code_ok("91350100I000100Y43"), "credit code: I is not in its alphabet");
    ok(!credit_code_ok("91350100m000100Y43"), "credit code: lower case is not");
    ok(!credit_code_ok(""), "credit code: empty is not one");
    is_int(credit_code_check("9135010OM00100Y43"), 0, "credit code: O gives no check character");
    /* a check value of 0 (31 - 0 -> '0'): the first 17 summing to a multiple of 31 */
    ok(credit_code_ok("000000000000000000"), "credit code: all zeros checks to 0");
    /* through the schema: the role 'credit' of mining_permits.credit_code */
    const table *t = schema_table(db_schema(d), "mining_permits");
    validator *vd = validator_new(d, t);
    vissue is;
    int ci = table_col(t, "credit_code");
    ok(ci >= 0 && t->cols[ci].roles && list_has(t->cols[ci].roles, "credit"), "credit code: the column has the role");
    is_int(validator_value(vd, ci, "91350100M000100Y43", &is), 0, "credit code: the validator takes a good one");
    is_int(validator_value(vd, ci, "91350100M000100Y45", &is), 1, "credit code: and refuses a typo");
    ok(strstr(is.msg, "should be 3, not 5") != NULL, "... naming the check character it should be: %s", is.msg);
    validator_free(vd);
}

int main(void)
{
    const char *bd = getenv("builddir");
    buf path = BUF_INIT;
    buf_printf(&path, "%s/data/register.db", bd ? bd : ".");
    mr_err e = {0};
    ok(db_open(buf_str(&path), DB_READONLY, &d, &e) == 0, "open the bundled register %s", e.msg);
    if (!d)
        return tap_done();
    char msg[600];
    const char *P = "mining_permits", *A = "exploration_areas";

    is_int(check(P, "4", NULL, NULL, msg), 0, "a bundled row is valid as it is");
    is_int(check(A, "KZ21060000009", NULL, NULL, msg), 0, "a multi-valued mineral list is valid");

    is_int(check(P, "4", "mine_name", "", msg), VI_REQUIRED, "required: empty is refused");
    is_str(msg, "矿山名称: is required", "... named by its label");
    is_int(check(P, "4", "mine_name", "某矿", NULL), 0, "required: a value passes");

    is_int(check(P, "4", "area_km2", "abc", msg), VI_TYPE, "decimal: letters are refused");
    is_int(check(P, "4", "area_km2", "1e3", NULL), VI_TYPE, "decimal: exponents are refused");
    is_int(check(P, "4", "area_km2", "0.31", NULL), 0, "decimal: 0.31 passes");
    is_int(check(A, "KZ21060000001", "permits_existing", "1.5", NULL), VI_TYPE, "integer: 1.5 is refused");
    is_int(check(A, "KZ21060000001", "permits_existing", "12", NULL), 0, "integer: 12 passes");
    is_int(check(P, "4", "valid_from", "2021-02-30", NULL), VI_TYPE, "date: 2021-02-30 is refused");
    is_int(check(P, "4", "valid_from", "2024-02-29", NULL), 0, "date: a leap day passes");
    is_int(check(P, "4", "valid_from", "2023-02-29", NULL), VI_TYPE, "date: 29 February of 2023 is refused");
    is_int(check(P, "4", "valid_from", "+021-02-01", NULL), VI_TYPE, "date: a sign is refused");
    is_int(check(P, "4", "valid_from", "2021-2-011", NULL), VI_TYPE, "date: digits out of place are refused");
    is_int(check(P, "4", "valid_from", "2021- 2-01", NULL), VI_TYPE, "date: a blank inside is refused");
    is_int(check(P, "4", "valid_from", "2021-12-31", NULL), 0, "date: 2021-12-31 passes");

    is_int(check(P, "4", "area_km2", "0", msg), VI_RANGE, "range: an area of 0 is refused");
    is_str(msg, "登记面积(平方公里): must be greater than 0", "... with the rule in the message");
    is_int(check(P, "4", "area_km2", "0.0001", NULL), 0, "range: 0.0001 passes");
    is_int(check(A, "KZ21060000001", "permits_planned", "-1", NULL), VI_RANGE, "range: a negative count is refused");

    is_int(check(P, "4", "method", "空中开采", msg), VI_ENUM, "enumeration: an unknown method is refused");
    is_int(check(P, "4", "method", "露天开采", NULL), 0, "enumeration: 露天开采 passes");

    is_int(check(P, "4", "permit_no", "C123", NULL), VI_PATTERN, "pattern: a short permit number is refused");
    is_int(check(P, "4", "permit_no", "C2106002021017110012345", NULL), 0, "pattern: a 23-character number passes");
    is_int(check("exploration_permits", "1", "permit_no", "T44120090302026433", NULL), 0,
           "pattern: the old 18-character exploration permit passes");
    is_int(check("exploration_permits", "1", "permit_no", "T44620090302026433", NULL), VI_PATTERN,
           "pattern: a grant method outside 1-5 is refused");
    is_int(check(A, "KZ21060000001", "code", "KZ2106000001", NULL), VI_PATTERN, "pattern: a code one digit short");

    is_int(check(P, "4", "minerals", "金子", NULL), VI_LINK, "link: an unknown mineral is refused");
    is_int(check(P, "4", "minerals", "金矿;锡矿", NULL), VI_LINK, "link: each item of a list is checked");
    is_int(check(P, "4", "minerals", "金矿;银矿", NULL), 0, "link: a list of known minerals passes");
    is_int(check(P, "4", "district", "火星区", NULL), VI_LINK, "link: an unknown district is refused");
    is_int(check(P, "4", "district", "宽甸县", NULL), 0, "link: a district by its short name passes");

    is_int(check(A, "KZ21060000001", "code", "KZ21060000002", msg), VI_UNIQUE, "uniqueness: another row's code");
    is_int(check(A, "KZ21060000001", "code", "KZ21060000099", NULL), 0, "uniqueness: a new code passes");

    /* ordering needs both dates: set one, then the other */
    const table *t = schema_table(db_schema(d), P);
    char **v = row_of(t, "4");
    set(t, v, "valid_from", "2021-01-01");
    set(t, v, "valid_to", "2020-12-31");
    validator *vd = validator_new(d, t);
    vissue is[4];
    int n = validator_row(vd, (const char *const *)v, 4, is, 4);
    is_int(n ? (int)is[0].kind : 0, VI_ORDER, "ordering: valid_to before valid_from is refused");
    set(t, v, "valid_to", "2026-01-01");
    is_int(validator_row(vd, (const char *const *)v, 4, is, 4), 0, "ordering: valid_to after valid_from passes");
    validator_free(vd);
    free_row(t, v);

    ahead();
    credit();

    db_close(d);
    buf_free(&path);
    return tap_done();
}
