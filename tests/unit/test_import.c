/* test_import.c — an import whose read-ahead checks were made before another
 * clerk's write: the link targets it read are stale, and every row is
 * checked again under the write lock (import.c, va_stale).
 *
 * Deterministic: another connection holds the write lock with a block
 * deleted but not committed, so the import reads the blocks as they were,
 * then waits for the lock at the start of its write; the busy callback,
 * called while it waits, commits the other connection's delete. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/db.h"
#include "core/import.h"
#include "tap.h"
#include "testdb.h"

typedef struct other {
    sqlite3 *h;
    int waits;      /* times the import waited for the lock */
    int committed;
} other;

static void on_busy(void *arg, int waited_ms)
{
    other *o = arg;
    (void)waited_ms;
    o->waits++;
    if (!o->committed)
        o->committed = sqlite3_exec(o->h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
}

static int64_t count(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

int main(void)
{
    testdb td;
    db *d = testdb_open(&td, "import", 0, "create a register");
    mr_err e = {0};
    if (!d)
        return tap_done();
    const table *t = schema_table(db_schema(d), "mining_permits");
    buf csv = BUF_INIT;
    buf_printf(&csv, "%s/p.csv", td.dir);

    other o = {0};
    ok(sqlite3_open(td.path, &o.h) == SQLITE_OK, "another clerk's connection");
    sqlite3_busy_timeout(o.h, 5000);
    ok(sqlite3_exec(o.h,
                    "INSERT INTO mining_blocks (code, name, minerals, area_km2) VALUES"
                    " ('CK2106000000001', '甲区块', '金矿', 1), ('CK2106000000002', '乙区块', '金矿', 1)",
                    NULL, NULL, NULL) == SQLITE_OK,
       "two mining blocks");

    FILE *f = fopen(buf_str(&csv), "w");
    fputs("id,mine_name,minerals,area_km2,block\n"
          "9001,甲矿,金矿,1.5,CK2106000000001\n"
          "9002,乙矿,金矿,2.5,CK2106000000002\n"
          "9003,丙矿,金矿,3.5,CK2106000000001\n",
          f);
    fclose(f);

    /* the other clerk deletes the second block, and holds the lock */
    ok(sqlite3_exec(o.h, "BEGIN IMMEDIATE; DELETE FROM mining_blocks WHERE code = 'CK2106000000002'",
                    NULL, NULL, NULL) == SQLITE_OK,
       "the other clerk deletes block 2, not committed yet");
    db_on_busy(d, on_busy, NULL, &o);
    import_opts io = {0};
    import_result r = {0};
    int rc = import_csv(d, t, buf_str(&csv), &io, &r, &e);
    ok(o.waits >= 1 && o.committed, "the import waited for the lock, and the delete was committed then");
    is_int(rc, IMPORT_INVALID, "the import is refused, row by row (%s)", e.msg);
    is_int(r.nproblems, 1, "... one problem");
    if (r.nissues > 0) {
        is_int(r.issues[0].line, 3, "... on line 3 (the permit in block 2)");
        ok(r.issues[0].ci == table_col(t, "block") && r.issues[0].value &&
               strcmp(r.issues[0].value, "CK2106000000002") == 0,
           "... in its block column, naming the block: %s", r.issues[0].msg);
    } else {
        ok(0, "... on line 3 (no issue)");
        ok(0, "... in its block column (no issue)");
    }
    ok(!r.written, "... nothing written");
    import_result_free(&r);
    is_int(count(o.h, "SELECT count(*) FROM mining_permits WHERE id > 9000"), 0, "no permit added");

    /* the same file without the stale row, the lock free: imported */
    f = fopen(buf_str(&csv), "w");
    fputs("id,mine_name,minerals,area_km2,block\n"
          "9001,甲矿,金矿,1.5,CK2106000000001\n"
          "9003,丙矿,金矿,3.5,CK2106000000001\n",
          f);
    fclose(f);
    o.waits = 0;
    memset(&r, 0, sizeof r);
    rc = import_csv(d, t, buf_str(&csv), &io, &r, &e);
    is_int(rc, IMPORT_OK, "without it, imported (%s)", e.msg);
    is_int(r.added, 2, "... 2 rows added");
    is_int(o.waits, 0, "... without waiting");
    import_result_free(&r);

    sqlite3_close(o.h);
    buf_free(&csv);
    if (testdb_close(&td) < 0)
        return 1;
    return tap_done();
}
