/* test_rowsrc.c — paging a register by position: keyset moves from the
 * nearest known row, filtered and sorted views, positions of rows. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/db.h"
#include "core/db_write.h"   /* a test of the db layer fills its tables directly */
#include "tap.h"
#include "testdb.h"

/* rowsrc_count and rowsrc_pos_of as one value, for is_int: -2 an error */
static int64_t count_of(rowsrc *r)
{
    int64_t n;
    return rowsrc_count(r, &n, NULL) == 0 ? n : -2;
}

static int64_t pos_of(rowsrc *r, int64_t rowid)
{
    int64_t pos;
    int got = rowsrc_pos_of(r, rowid, &pos, NULL);
    return got == DB_FOUND ? pos : got == DB_NOT_FOUND ? -1 : -2;
}

#define N 20000

/* ids of the rows at [pos, pos+n) as "a,b,c" */
static char *page_ids(rowsrc *r, int64_t pos, int n, const table *t)
{
    buf b = BUF_INIT;
    cursor *c = rowsrc_page(r, pos, n, NULL);
    while (c && cursor_next(c) == 1)
        buf_printf(&b, "%s%s", b.len ? "," : "", cursor_val(c, t->key_ci));
    cursor_free(c);
    return buf_steal(&b);
}

static char *ids_range(int64_t from, int n, int step)
{
    buf b = BUF_INIT;
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)(from + (int64_t)i * step));
    return buf_steal(&b);
}

static void page_is(rowsrc *r, const table *t, int64_t pos, int n, int64_t first, int step,
                    const char *desc)
{
    char *got = page_ids(r, pos, n, t), *want = ids_range(first, n, step);
    is_str(got, want, "%s", desc);
    free(got);
    free(want);
}

static int cancel_now(void *arg)
{
    (void)arg;
    return 1;
}

int main(void)
{
    testdb td;
    db *d = testdb_open(&td, "rowsrc", 1, "create an empty register");
    mr_err e = {0};
    if (!d)
        return tap_done();
    const table *t = schema_table(db_schema(d), "mining_permits");
    int cis[5] = {table_col(t, "id"), table_col(t, "mine_name"), table_col(t, "area_km2"),
                  table_col(t, "district"), table_col(t, "minerals")};
    inserter *ins = db_inserter_new(d, t, cis, 5, &e);
    db_begin(d, &e);
    static const char *const dist[] = {"元宝区", "振兴区", "振安区"};
    int bad = 0;
    for (int i = 1; i <= N; i++) {
        char id[16], name[32], area[32];
        snprintf(id, sizeof id, "%d", i);
        snprintf(name, sizeof name, "矿山%05d", i);
        /* distinct areas in a scrambled order: (i * 7919) mod N */
        snprintf(area, sizeof area, "%d.5", (i * 7919) % N);
        const char *v[5] = {id, name, area, dist[i % 3], "金矿"};
        if (db_insert(ins, v, &e) < 0)
            bad++;
    }
    db_inserter_free(ins);
    ok(db_commit(d, &e) == 0 && bad == 0, "20000 rows inserted (%d failed: %s)", bad, e.msg);

    /* counted only when needed: the first screen needs only its rows */
    rowsrc *r = db_rowsrc_new(d, t, NULL, 0, -1, 0, NULL, NULL, &e);
    is_int(rowsrc_count_upto(r, 0), -1, "a new view is not counted");
    page_is(r, t, 0, 100, 1, 1, "its first 100 rows");
    is_int(rowsrc_count_upto(r, 100), -1, "... 100 rows read: no count needed for 100");
    page_is(r, t, 80, 30, 81, 1, "... a page reaching past them");
    is_int(rowsrc_count_upto(r, 110), -1, "... rows known as far as the pages read");
    char *far = page_ids(r, N + 5, 10, t);
    is_str(far, "", "... past the end, not counted: no rows");
    free(far);
    is_int(rowsrc_count_upto(r, 0), -1, "... and still not counted");
    page_is(r, t, N - 10, 10, N - 9, 1, "... last page, found from the start");
    is_int(rowsrc_count_upto(r, 0), -1, "... a full last page does not tell the end");
    char *endp = page_ids(r, N - 4, 10, t);
    is_str(endp, "19997,19998,19999,20000", "... a page that ends early");
    free(endp);
    is_int(rowsrc_count_upto(r, 0), N, "... gives the count without counting");
    db_rowsrc_free(r);
    r = db_rowsrc_new(d, t, NULL, 0, -1, 0, NULL, NULL, &e);
    page_is(r, t, 0, 10, 1, 1, "a new view: 10 rows read");
    is_int(rowsrc_count_upto(r, 11), N, "... needing 11 rows counts them");
    db_rowsrc_free(r);
    r = db_rowsrc_new(d, t, NULL, 0, -1, 0, NULL, NULL, &e);
    is_int(rowsrc_count_upto(r, 0), N, "a whole register counted before is known at once");
    db_rowsrc_free(r);

    /* From the end before the count (G): -1 is the last row.  A filtered
     * view, as a whole register's count is known by now (above). */
    db_filter fe = {.ci = table_col(t, "district"), .value = "振安区", .op = DBF_EQ};   /* i % 3 == 2: 2, 5, .. 20000 */
    const int64_t fn = N / 3 + 1;
    r = db_rowsrc_new(d, t, &fe, 1, -1, 0, NULL, NULL, &e);
    page_is(r, t, -5, 5, N - 12, 3, "from the end: the last page, not counted");
    is_int(rowsrc_count_upto(r, 0), -1, "... and still not counted");
    page_is(r, t, -10, 5, N - 27, 3, "... a page up (from the window)");
    page_is(r, t, -9, 5, N - 24, 3, "... a row down (inside it)");
    char *tail = page_ids(r, -3, 10, t);
    is_str(tail, "19994,19997,20000", "... a page from the end stops at the last row");
    free(tail);
    page_is(r, t, 0, 3, 2, 3, "... the first page (from the start, not the window)");
    page_is(r, t, -4, 2, N - 9, 3, "... and back near the end");
    is_int(rowsrc_count_upto(r, 0), -1, "... none of it counted the view");
    page_is(r, t, -20, 5, N - 57, 3, "... rows 20 to 16 from the end");
    is_int(count_of(r), fn, "... counted now");
    page_is(r, t, fn - 15, 5, N - 42, 3, "... the window read from the end, now from the start");
    page_is(r, t, -2, 2, N - 3, 3, "... a counted view still reads a negative position from the end");
    db_rowsrc_free(r);
    r = db_rowsrc_new(d, t, &fe, 1, -1, 0, NULL, NULL, &e);
    page_is(r, t, -3, 3, N - 6, 3, "a new view from the end");
    page_is(r, t, -fn - 50, 3, 2, 3, "... reading up past its first row gives the first rows");
    is_int(rowsrc_count_upto(r, 0), fn, "... and counts it");
    db_rowsrc_free(r);
    r = db_rowsrc_new(d, t, &fe, 1, -1, 1, NULL, NULL, &e);
    page_is(r, t, -2, 2, 5, -3, "reversed: the last page from the end is the first rows");
    db_rowsrc_free(r);

    r = db_rowsrc_new(d, t, NULL, 0, -1, 0, NULL, NULL, &e);
    is_int(count_of(r), N, "count");
    page_is(r, t, 0, 10, 1, 1, "first page");
    page_is(r, t, 10, 10, 11, 1, "next page (keyset from the last row shown)");
    page_is(r, t, 15, 10, 16, 1, "half a page down (inside the window)");
    page_is(r, t, 14, 10, 15, 1, "one row up (just before the window)");
    page_is(r, t, N - 10, 10, N - 9, 1, "last page (from the end)");
    page_is(r, t, N - 11, 10, N - 10, 1, "one row up from the last page");
    page_is(r, t, 5000, 10, 5001, 1, "a far jump (from the nearer end)");
    page_is(r, t, 4990, 10, 4991, 1, "a page up after it");
    char *shortp = page_ids(r, N - 3, 10, t);
    is_str(shortp, "19998,19999,20000", "a short last page");
    free(shortp);
    char *none = page_ids(r, N, 10, t);
    is_str(none, "", "past the end: no rows");
    free(none);
    is_int(pos_of(r, 12345), 12344, "position of a row");
    db_rowsrc_free(r);

    r = db_rowsrc_new(d, t, NULL, 0, -1, 1, NULL, NULL, &e);
    page_is(r, t, 0, 5, N, -1, "plan order reversed: first page");
    page_is(r, t, 5, 5, N - 5, -1, "... next page");
    page_is(r, t, N - 5, 5, 5, -1, "... last page");
    is_int(pos_of(r, N), 0, "... position of the last row is 0");
    char *past = page_ids(r, N + 5, 10, t);
    is_str(past, "", "... past the end: no rows (not the row of rowid 1)");
    free(past);
    past = page_ids(r, N, 1, t);
    is_str(past, "", "... just past the end: none either");
    free(past);
    db_rowsrc_free(r);

    db_filter f = {.ci = table_col(t, "district"), .value = "振安区", .op = DBF_EQ};   /* i % 3 == 2 */
    r = db_rowsrc_new(d, t, &f, 1, -1, 0, NULL, NULL, &e);
    is_int(count_of(r), N / 3 + 1, "filtered count (i mod 3 == 2 for i <= 20000)");
    page_is(r, t, 0, 5, 2, 3, "filtered first page");
    page_is(r, t, 5, 5, 17, 3, "filtered next page");
    page_is(r, t, N / 3 + 1 - 5, 5, N - 12, 3, "filtered last page");
    is_int(pos_of(r, 17), 5, "position within the filter");
    is_int(pos_of(r, 3), -1, "a row outside the filter has no position");
    db_rowsrc_free(r);

    int area = table_col(t, "area_km2");
    r = db_rowsrc_new(d, t, NULL, 0, area, 1, NULL, NULL, &e);
    is_int(count_of(r), N, "sorted view counts every row");
    cursor *c = rowsrc_page(r, 0, 3, NULL);
    buf b = BUF_INIT;
    while (c && cursor_next(c) == 1)
        buf_printf(&b, "%s ", cursor_val(c, area));
    cursor_free(c);
    is_str(buf_str(&b), "19999.5 19998.5 19997.5 ", "sorted by area, descending");
    buf_reset(&b);
    c = rowsrc_page(r, N - 2, 5, NULL);
    while (c && cursor_next(c) == 1)
        buf_printf(&b, "%s ", cursor_val(c, area));
    cursor_free(c);
    is_str(buf_str(&b), "1.5 0.5 ", "... last page");
    /* row with area 0.5: i*7919 % N == 0 -> i == N */
    is_int(pos_of(r, N), N - 1, "... position of a row in the sorted view");
    buf_free(&b);
    db_rowsrc_free(r);

    /* a sort can be cancelled from its progress callback */
    r = db_rowsrc_new(d, t, NULL, 0, area, 0, cancel_now, NULL, &e);
    ok(r == NULL && strcmp(e.msg, "cancelled") == 0, "a sort cancelled by its progress callback");
    db_rowsrc_free(r);

    /* a whole register's count is kept, and is counted again as soon as
     * the file changes: by this connection or by another clerk's */
    is_int(testdb_count(d, t, NULL, 0), N, "count: %d rows", N);
    is_int(testdb_count(d, t, NULL, 0), N, "... asked again (kept)");
    sqlite3 *other;
    ok(sqlite3_open(td.path, &other) == SQLITE_OK, "another connection");
    sqlite3_exec(other, "INSERT INTO mining_permits (id, mine_name, area_km2, minerals) "
                        "VALUES (999999, '他人之矿', 1, '金矿')", NULL, NULL, NULL);
    is_int(testdb_count(d, t, NULL, 0), N + 1, "... a row added by another connection is counted");
    db_begin(d, &e);
    ins = db_inserter_new(d, t, cis, 5, &e);
    const char *v2[5] = {"1000000", "本人之矿", "2", "元宝区", "金矿"};
    db_insert(ins, v2, &e);
    db_inserter_free(ins);
    is_int(testdb_count(d, t, NULL, 0), N + 2, "... and one added by this connection");
    db_rollback(d);
    is_int(testdb_count(d, t, NULL, 0), N + 1, "... and one rolled back is gone again");
    sqlite3_close(other);

    testdb_close(&td);
    return tap_done();
}
