/* test_scan.c — a regex scan split over threads (db_scan.c) gives exactly
 * the rows, order, values and errors of the scan on one connection, and
 * falls back to one connection where another could not see the same rows. */
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


#define N 3000

/* Every row of the selection as text, "rowid|v|v|...\n" (NULL as \N), then
 * how it ended; *threads gets how many threads read it. */
static char *rows(db *d, const table *t, const char *pattern, int desc, int *threads)
{
    db_filter f;
    mr_err e = {0};
    if (db_filter_parse_rx(t, pattern, &f, &e) < 0)
        return strdup(e.msg);
    cursor *c = db_select(d, t, &f, 1, -1, desc, -1, &e);
    if (!c)
        return strdup(e.msg);
    *threads = cursor_threads(c);
    buf b = BUF_INIT;
    int rc;
    while ((rc = cursor_next(c)) == 1) {
        buf_printf(&b, "%lld", (long long)cursor_rowid(c));
        for (int i = 0; i < t->ncols; i++) {
            const char *v = cursor_val(c, i);
            buf_printf(&b, "|%s", v ? v : "\\N");
        }
        buf_putc(&b, '\n');
    }
    buf_printf(&b, "end %d %s\n", rc, rc < 0 ? cursor_error(c) : "");
    cursor_free(c);
    return buf_steal(&b);
}

/* The rows with threads and chunk size set, against one thread. */
static void same(db *d, const table *t, const char *pattern, int desc, const char *threads,
                 const char *chunk, int want_threads, const char *what)
{
    int n1 = 0, n2 = 0;
    setenv("MINREG_THREADS", "1", 1);
    char *one = rows(d, t, pattern, desc, &n1);
    setenv("MINREG_THREADS", threads, 1);
    setenv("MINREG_SCAN_CHUNK", chunk, 1);
    char *split = rows(d, t, pattern, desc, &n2);
    unsetenv("MINREG_SCAN_CHUNK");
    is_int(n1, 1, "%s: one thread when told", what);
    is_int(n2, want_threads, "%s: %d threads", what, want_threads);
    is_str(split, one, "%s: the same rows, order and values (%zu bytes)", what, strlen(one));
    free(one);
    free(split);
}

/* A view (the & filter) as text: its count, then every row's id in order. */
static char *view(db *d, const table *t, const char *pattern, int desc, int64_t *count)
{
    db_filter f;
    mr_err e = {0};
    if (db_filter_parse_rx(t, pattern, &f, &e) < 0)
        return strdup(e.msg);
    *count = testdb_count(d, t, &f, 1);
    rowsrc *r = db_rowsrc_new(d, t, &f, 1, -1, desc, NULL, NULL, &e);
    if (!r)
        return strdup(e.msg);
    buf b = BUF_INIT;
    int64_t n = count_of(r);
    buf_printf(&b, "%lld:", (long long)n);
    for (int64_t pos = 0; pos < n; pos += 100) {
        cursor *c = rowsrc_page(r, pos, 100, NULL);
        while (c && cursor_next(c) == 1)
            buf_printf(&b, " %lld", (long long)cursor_rowid(c));
        cursor_free(c);
    }
    db_rowsrc_free(r);
    return buf_steal(&b);
}

/* A filtered view and a count with threads and chunks set, against one thread. */
static void views_same(db *d, const table *t, const char *pattern, int desc, const char *threads,
                       const char *chunk, const char *what)
{
    int64_t n1 = -2, n2 = -2;
    setenv("MINREG_THREADS", "1", 1);
    char *one = view(d, t, pattern, desc, &n1);
    setenv("MINREG_THREADS", threads, 1);
    setenv("MINREG_SCAN_CHUNK", chunk, 1);
    char *split = view(d, t, pattern, desc, &n2);
    unsetenv("MINREG_SCAN_CHUNK");
    ok(n1 > 0 && n2 == n1, "%s: the count (%lld) split as on one thread (%lld)", what, (long long)n2,
       (long long)n1);
    is_str(split, one, "%s: the view's rows in the same order (%zu bytes)", what, strlen(one));
    free(one);
    free(split);
}

static int cancel_now(void *arg)
{
    (void)arg;
    return 1;
}

int main(void)
{
    testdb td;
    db *d = testdb_open(&td, "scan", 1, "create an empty register");
    mr_err e = {0};
    if (!d)
        return tap_done();
    const table *t = schema_table(db_schema(d), "mining_permits");
    int cis[7] = {table_col(t, "id"), table_col(t, "mine_name"), table_col(t, "area_km2"),
                  table_col(t, "district"), table_col(t, "minerals"), table_col(t, "remark"),
                  table_col(t, "scale")};
    inserter *ins = db_inserter_new(d, t, cis, 7, &e);
    db_begin(d, &e);
    static const char *const dist[] = {"元宝区", "振兴区", "振安区"};
    int bad = 0;
    for (int i = 1; i <= N; i++) {
        char id[16], name[32], area[32], remark[64], scale[32] = "";
        snprintf(id, sizeof id, "%d", i);
        snprintf(name, sizeof name, "矿山%05d", i);
        snprintf(area, sizeof area, "%d.25", i);
        if (i % 7)   /* else NULL */
            snprintf(scale, sizeof scale, "%d", i * 3);
        snprintf(remark, sizeof remark, i % 5 ? "见整合方案第%d条" : "", i % 30);
        const char *v[7] = {id, name, area, dist[i % 3], "金矿", remark, scale};
        if (db_insert(ins, v, &e) < 0)
            bad++;
    }
    db_inserter_free(ins);
    ok(db_commit(d, &e) == 0 && bad == 0, "%d rows inserted (%d failed: %s)", N, bad, e.msg);
    /* gaps in the rowids: chunks with few rows or none */
    sqlite3 *h = NULL;
    sqlite3_open(td.path, &h);
    sqlite3_exec(h, "DELETE FROM mining_permits WHERE id % 11 = 0 OR id BETWEEN 1000 AND 1400",
                 NULL, NULL, NULL);
    sqlite3_close(h);

    const char *pat = "整合方案.{0,12}第1\\d条";
    same(d, t, pat, 0, "2", "7", 2, "2 threads, chunks of 7");
    same(d, t, pat, 0, "4", "1", 4, "4 threads, chunks of 1");
    same(d, t, pat, 1, "2", "7", 2, "descending");
    same(d, t, pat, 1, "3", "50", 3, "descending, 3 threads");
    same(d, t, "矿山", 0, "2", "3", 2, "every row (the buffers fill)");
    same(d, t, "\\.25\\n", 0, "2", "5", 2, "REAL values as text, then the next column");
    same(d, t, "district:振安", 0, "2", "5", 2, "a one-column pattern");
    same(d, t, "钼矿山", 0, "2", "5", 2, "no row");
    same(d, t, pat, 0, "2", "100000", 1, "a table smaller than two chunks: one thread");
    views_same(d, t, pat, 0, "2", "7", "a filtered view");
    views_same(d, t, pat, 1, "3", "5", "... reversed");
    views_same(d, t, "矿山", 0, "2", "3", "... of every row (batches of 4096 ids)");
    views_same(d, t, "district:振安", 1, "4", "1", "... by one column");
    {
        db_filter fc = {.ci = -1, .value = "矿山", .op = DBF_RX};
        setenv("MINREG_THREADS", "2", 1);
        setenv("MINREG_SCAN_CHUNK", "3", 1);
        rowsrc *rc = db_rowsrc_new(d, t, &fc, 1, -1, 0, cancel_now, NULL, &e);
        ok(!rc && strcmp(e.msg, "cancelled") == 0, "... cancelled by its progress callback (%s)", e.msg);
        db_rowsrc_free(rc);
        unsetenv("MINREG_SCAN_CHUNK");
    }

    /* an error (runaway backtracking) in the middle: the same rows before
     * it, then the same error */
    sqlite3_open(td.path, &h);
    sqlite3_exec(h, "UPDATE mining_permits SET remark = 'aaaa' WHERE id % 97 = 1;"
                    "UPDATE mining_permits SET remark = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab'"
                    " WHERE id = 2001", NULL, NULL, NULL);
    sqlite3_close(h);
    same(d, t, "remark:^(a|a?)+$", 0, "2", "3", 2, "a pattern failing at row 2001");
    int n = 0;
    setenv("MINREG_THREADS", "2", 1);
    setenv("MINREG_SCAN_CHUNK", "3", 1);
    char *got = rows(d, t, "remark:^(a|a?)+$", 0, &n);
    ok(strstr(got, "end -1 ") && strstr(got, "backtracking"), "... which ends the rows with the error");
    free(got);

    /* inside a transaction the main connection sees its own change, which no
     * other connection can: one thread */
    db_begin(d, &e);
    db_row_update(d, t, 2, table_col(t, "remark"), "整合方案第15条", &e);
    got = rows(d, t, pat, 0, &n);
    is_int(n, 1, "in a transaction: one thread");
    ok(strncmp(got, "2|", 2) == 0, "... seeing the change not yet committed");
    free(got);
    db_rollback(d);

    /* another statement open: its read may be older than the newest */
    db_filter all = {.ci = -1, .value = ".", .op = DBF_RX};
    setenv("MINREG_THREADS", "1", 1);
    cursor *open = db_select(d, t, &all, 1, -1, 0, -1, &e);
    ok(open && cursor_next(open) == 1, "a statement left open");
    setenv("MINREG_THREADS", "2", 1);
    free(rows(d, t, pat, 0, &n));
    is_int(n, 1, "... a scan beside it: one thread");
    cursor_free(open);

    /* freed early: the workers stop (no hang; ASan and TSan runs check the rest) */
    db_filter f = {.ci = -1, .value = "矿山", .op = DBF_RX};
    cursor *c = db_select(d, t, &f, 1, -1, 0, -1, &e);
    is_int(cursor_threads(c), 2, "a split scan");
    ok(cursor_next(c) == 1 && cursor_next(c) == 1, "... two rows read");
    cursor_free(c);
    ok(1, "... and freed before the end");
    unsetenv("MINREG_SCAN_CHUNK");
    unsetenv("MINREG_THREADS");

    if (testdb_close(&td) < 0)
        return 1;
    return tap_done();
}
