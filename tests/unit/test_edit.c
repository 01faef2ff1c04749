/* test_edit.c — edit_set's three-way merge (edit.c): base, mine and the
 * row as it is now, field by field; conflicts listed with all three; a
 * record deleted, or replaced in its place, is never written into; set
 * --expect stays strict; the audit records only the fields written. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/edit.h"
#include "tap.h"
#include "testdb.h"

static db *D;
static const table *T;
static int AREA, REMARK, HOLDER;

/* The row of permit `id` as it is now (free with free_row). */
static char **row(int64_t id)
{
    cursor *c = db_select_rowid(D, T, id, NULL);
    if (!c || cursor_next(c) != 1) {
        cursor_free(c);
        return NULL;
    }
    char **v = calloc((size_t)T->ncols, sizeof *v);
    for (int i = 0; i < T->ncols; i++)
        v[i] = cursor_val(c, i) ? strdup(cursor_val(c, i)) : NULL;
    cursor_free(c);
    return v;
}

static void free_row(char **v)
{
    for (int i = 0; v && i < T->ncols; i++)
        free(v[i]);
    free(v);
}

static void put(char **v, int ci, const char *s)
{
    free(v[ci]);
    v[ci] = s ? strdup(s) : NULL;
}

static const char *now_val(int64_t id, int ci)
{
    static char out[256];
    char **v = row(id);
    snprintf(out, sizeof out, "%s", v && v[ci] ? v[ci] : "");
    free_row(v);
    return out;
}

/* Another clerk: a plain set with no base. */
static void other_set(int64_t id, int ci, const char *val)
{
    char **v = row(id);
    put(v, ci, val);
    edit_result r;
    mr_err e = {0};
    edit_set(D, T, id, NULL, (const char *const *)v, "other", 0, &r, &e);
    edit_result_free(&r);
    free_row(v);
}

static int audit_count(void *arg, const audit_row *a)
{
    (void)a;
    ++*(int *)arg;
    return 0;
}

static int audited(int64_t change)
{
    int n = 0;
    if (db_audit_each(D, change, 0, audit_count, &n, NULL) != 0)
        return -1;
    return n;
}

int main(void)
{
    testdb td;
    D = testdb_open(&td, "edit", 0, "a register with the plan's rows");
    if (!D)
        return tap_done();
    T = schema_table(db_schema(D), "mining_permits");
    AREA = table_col(T, "area_km2");
    REMARK = table_col(T, "remark");
    HOLDER = table_col(T, "holder");
    edit_result r;
    mr_err e = {0};

    /* only mine changed area; only theirs changed remark: both kept */
    char **base = row(4), **mine = row(4);
    put(mine, AREA, "0.5");
    other_set(4, REMARK, "复核");
    edit_set(D, T, 4, (const char *const *)base, (const char *const *)mine, NULL, 0, &r, &e);
    is_int(r.code, EDIT_OK, "fields changed by one clerk each: merged, saved");
    is_int(r.kept, 1, "... one field the other clerk changed was kept");
    is_str(now_val(4, AREA), "0.5", "... mine written");
    is_str(now_val(4, REMARK), "复核", "... theirs kept, not reverted");
    is_int(audited(r.change), 1, "... the audit records the one field written");
    edit_result_free(&r);
    free_row(base);
    free_row(mine);

    /* both changed area to different values; theirs also changed holder */
    base = row(5), mine = row(5);
    put(mine, AREA, "2");
    put(mine, REMARK, "我的");
    other_set(5, AREA, "3");
    other_set(5, REMARK, "他的");
    other_set(5, HOLDER, "某公司");
    const char *area5 = "3";
    edit_set(D, T, 5, (const char *const *)base, (const char *const *)mine, NULL, 0, &r, &e);
    is_int(r.code, EDIT_CONFLICT, "both changed the same fields: a conflict");
    is_int(r.nconflicts, 2, "... two fields listed (not the holder only they changed)");
    ok(r.nconflicts == 2 && r.conflicts[0].ci == AREA && r.conflicts[1].ci == REMARK,
       "... area and remark, in column order");
    if (r.nconflicts == 2) {
        is_str(r.conflicts[0].base, base[AREA], "... base");
        is_str(r.conflicts[0].mine, "2", "... mine");
        is_str(r.conflicts[0].theirs, "3", "... theirs");
    }
    ok(r.theirs && r.ntheirs == T->ncols, "... the row as it is now comes back");
    is_str(now_val(5, AREA), area5, "... nothing was written");
    ok(!r.deleted, "... not reported deleted");
    edit_result_free(&r);

    /* both changed to the same value: nothing to do */
    put(mine, AREA, "3");
    put(mine, REMARK, "他的");
    edit_set(D, T, 5, (const char *const *)base, (const char *const *)mine, NULL, 0, &r, &e);
    is_int(r.code, EDIT_OK, "both changed to the same values: no conflict");
    is_int(r.change, 0, "... and nothing recorded");
    is_str(now_val(5, HOLDER), "某公司", "... their holder kept");
    edit_result_free(&r);
    free_row(base);
    free_row(mine);

    /* deleted since read */
    base = row(8), mine = row(8);
    put(mine, AREA, "9");
    edit_rm(D, T, 8, NULL, 0, &r, &e);
    edit_result_free(&r);
    edit_set(D, T, 8, (const char *const *)base, (const char *const *)mine, NULL, 0, &r, &e);
    ok(r.code == EDIT_CONFLICT && r.deleted, "a deleted record: a conflict, reported deleted");
    is_int(e.code, EXIT_CONFLICT, "... exit status 6");
    edit_result_free(&r);
    free_row(base);
    free_row(mine);

    /* deleted and another row put in its place after the form read it */
    int64_t read_at;
    db_change_max(D, &read_at, NULL);
    base = row(10), mine = row(10);
    put(mine, AREA, "7");
    edit_rm(D, T, 10, NULL, 0, &r, &e);
    edit_result_free(&r);
    char **other = calloc((size_t)T->ncols, sizeof *other);
    put(other, table_col(T, "id"), "10");
    put(other, table_col(T, "mine_name"), "其他矿");
    put(other, table_col(T, "minerals"), "金矿");
    put(other, AREA, "1");
    edit_add(D, T, (const char *const *)other, NULL, &r, &e);
    int64_t newid = r.rowid;   /* rowid 10 again where rowids are reused, another with rid */
    is_int(r.code, EDIT_OK, "another record added under 序号 10");
    edit_result_free(&r);
    free_row(other);
    edit_set_opts so = {.read_at = read_at};
    edit_set_ex(D, T, 10, (const char *const *)base, (const char *const *)mine, &so, NULL, &r, &e);
    ok(r.code == EDIT_CONFLICT && r.deleted, "... a save of the old record: reported deleted");
    is_str(now_val(newid, AREA), "1", "... nothing written into the other record");
    edit_result_free(&r);
    free_row(base);
    free_row(mine);
    db_change_max(D, &so.read_at, NULL);
    base = row(newid), mine = row(newid);
    put(mine, AREA, "7");
    edit_set_ex(D, T, newid, (const char *const *)base, (const char *const *)mine, &so, NULL, &r, &e);
    is_int(r.code, EDIT_OK, "... the new record, read after it was added: saved");
    edit_result_free(&r);
    free_row(base);
    free_row(mine);

    /* set --expect: strict on the expected column, whatever the merge says */
    base = row(6), mine = row(6);
    char **expect = calloc((size_t)T->ncols, sizeof *expect);
    put(expect, AREA, base[AREA]);
    put(mine, REMARK, "脚本");
    other_set(6, AREA, "4.5");
    so = (edit_set_opts){.expect = (const char *const *)expect, .read_at = -1};
    edit_set_ex(D, T, 6, (const char *const *)base, (const char *const *)mine, &so, NULL, &r, &e);
    is_int(r.code, EDIT_CONFLICT, "--expect: the column changed meanwhile is a conflict");
    ok(r.nconflicts == 1 && r.conflicts[0].ci == AREA, "... on that column");
    ok(strcmp(now_val(6, REMARK), "脚本") != 0, "... nothing written");
    edit_result_free(&r);
    put(expect, AREA, "4.5");
    edit_set_ex(D, T, 6, (const char *const *)base, (const char *const *)mine, &so, NULL, &r, &e);
    is_int(r.code, EDIT_OK, "--expect holding: written");
    is_str(now_val(6, AREA), "4.5", "... the other clerk's area kept");
    edit_result_free(&r);
    free_row(expect);
    free_row(base);
    free_row(mine);

    ok(testdb_close(&td) == 0, "removed the test register");
    return tap_done();
}
