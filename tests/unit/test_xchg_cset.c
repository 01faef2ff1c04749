/* test_xchg_cset.c — the exchange's changesets: what db_xchg_cset.c writes
 * is, byte for byte, what SQLite's session extension records for the same
 * change on a table of the same shape, and reads back through
 * sqlite3changeset_start; damaged changesets are refused. */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/db_xchg_int.h"
#include "tap.h"

/* The session's changeset of the SQL `change` run on a table shaped as
 * db_xchg_int.h says (`before` run first, unrecorded). */
static int session_of(const table *t, const char *before, const char *change, buf *out)
{
    sqlite3 *h;
    sqlite3_session *s = NULL;
    buf q = BUF_INIT;
    buf_printf(&q, "CREATE TABLE \"%s\" (rid INTEGER PRIMARY KEY", t->id);
    for (int i = 0; i <= t->ncols; i++)
        buf_printf(&q, ", c%d", i);
    buf_puts(&q, ")");
    int ok = sqlite3_open(":memory:", &h) == SQLITE_OK &&
             sqlite3_exec(h, buf_str(&q), NULL, NULL, NULL) == SQLITE_OK &&
             (!before || sqlite3_exec(h, before, NULL, NULL, NULL) == SQLITE_OK) &&
             sqlite3session_create(h, "main", &s) == SQLITE_OK &&
             sqlite3session_attach(s, t->id) == SQLITE_OK &&
             sqlite3_exec(h, change, NULL, NULL, NULL) == SQLITE_OK;
    void *blob = NULL;
    int n = 0;
    if (ok && sqlite3session_changeset(s, &n, &blob) == SQLITE_OK)
        buf_add(out, blob, (size_t)n);
    else
        ok = 0;
    sqlite3_free(blob);
    if (s)
        sqlite3session_delete(s);
    sqlite3_close(h);
    buf_free(&q);
    return ok;
}

typedef struct {
    buf log;
} seen;

static int on_change(void *arg, const cset_change *c, mr_err *e)
{
    seen *x = arg;
    (void)e;
    if (c->op == CSET_UPDATE)
        buf_printf(&x->log, "U %s %lld %d %s>%s;", c->t->id, (long long)c->rid, c->ci,
                   c->old ? c->old : "NULL", c->new_ ? c->new_ : "NULL");
    else {
        buf_printf(&x->log, "%c %s %lld", c->op == CSET_INSERT ? 'I' : 'D', c->t->id, (long long)c->rid);
        for (int i = 0; i < 3; i++)
            buf_printf(&x->log, " %s", c->vals[i] ? c->vals[i] : "NULL");
        buf_putc(&x->log, ';');
    }
    return 0;
}

int main(void)
{
    const char *bd = getenv("builddir");
    buf path = BUF_INIT;
    buf_printf(&path, "%s/data/register.db", bd ? bd : ".");
    db *d = NULL;
    mr_err e = {0};
    ok(db_open(buf_str(&path), DB_READONLY, &d, &e) == 0, "open the bundled register: %s", e.msg);
    if (!d)
        return tap_done();
    const schema *s = db_schema(d);
    const table *t = schema_table(s, "mining_permits");
    ok(t && t->ncols >= 3, "mining_permits");
    if (!t)
        return tap_done();

    /* the values: every column NULL but the first three */
    char **v = calloc((size_t)t->ncols, sizeof *v);
    v[0] = "4";
    v[1] = "金矿;银矿";
    v[2] = "";
    buf sql = BUF_INIT;
    buf_printf(&sql, "INSERT INTO \"%s\" (rid, c0, c1, c2) VALUES (210624000000007, '4', '金矿;银矿', '')",
               t->id);

    cset_w w = CSET_W_INIT;
    buf want = BUF_INIT;
    cset_insert(&w, t, 210624000000007, v);
    ok(session_of(t, NULL, buf_str(&sql), &want), "the session records an insert");
    ok(want.len == w.b.len && memcmp(want.s, w.b.s, want.len) == 0,
       "an insert: the same bytes as the session's (%zu, %zu)", w.b.len, want.len);

    cset_reset(&w);
    buf_reset(&want);
    buf upd = BUF_INIT;
    buf_printf(&upd, "UPDATE \"%s\" SET c1 = '铜矿' WHERE rid = 210624000000007", t->id);
    cset_update(&w, t, 210624000000007, 1, "金矿;银矿", "铜矿");
    ok(session_of(t, buf_str(&sql), buf_str(&upd), &want), "the session records an update");
    ok(want.len == w.b.len && memcmp(want.s, w.b.s, want.len) == 0,
       "an update of one field: the same bytes (%zu, %zu)", w.b.len, want.len);

    cset_reset(&w);
    buf_reset(&want);
    buf del = BUF_INIT;
    buf_printf(&del, "DELETE FROM \"%s\" WHERE rid = 210624000000007", t->id);
    cset_delete(&w, t, 210624000000007, v);
    ok(session_of(t, buf_str(&sql), buf_str(&del), &want), "the session records a delete");
    ok(want.len == w.b.len && memcmp(want.s, w.b.s, want.len) == 0,
       "a delete: the same bytes (%zu, %zu)", w.b.len, want.len);

    /* read back, in order, several tables and changes in one changeset */
    const table *q = schema_table(s, "quotas");
    size_t ends[5];   /* where each change ends: a whole changeset before */
    cset_reset(&w);
    cset_insert(&w, t, 7, v);
    ends[0] = w.b.len;
    cset_update(&w, t, 7, 0, "4", NULL);
    ends[1] = w.b.len;
    cset_update(&w, t, 7, t->ncols, NULL, "boundary text");
    ends[2] = w.b.len;
    if (q)
        cset_update(&w, q, 3, 2, "0.009", "0.01");
    ends[3] = w.b.len;
    cset_delete(&w, t, 7, v);
    ends[4] = w.b.len;
    seen x = {BUF_INIT};
    ok(cset_each(s, w.b.s, (int)w.b.len, on_change, &x, &e) == 0, "read back: %s", e.msg);
    buf exp = BUF_INIT;
    buf_printf(&exp, "I mining_permits 7 4 金矿;银矿 ;U mining_permits 7 0 4>NULL;U mining_permits 7 %d "
                     "NULL>boundary text;U quotas 3 2 0.009>0.01;D mining_permits 7 4 金矿;银矿 ;",
               t->ncols);
    is_str(buf_str(&x.log), buf_str(&exp), "every change, in order, field by field");

    /* damaged: cut short, a byte changed in the header, another shape */
    int refused = 0, cuts = 0;
    for (size_t cut = 1; cut < w.b.len; cut++) {
        /* whole: after a change, or after a table's header (no change of
         * it yet): a changeset the extension reads as it is */
        size_t ht = 2 + (size_t)t->ncols + 2 + strlen(t->id) + 1;
        size_t hq = q ? 2 + (size_t)q->ncols + 2 + strlen(q->id) + 1 : 0;
        int whole = cut == ht || (q && cut == ends[2] + hq) || cut == ends[3] + ht;
        for (int k = 0; k < 5; k++)
            whole |= cut == ends[k];
        if (whole)
            continue;
        mr_err e2 = {0};
        buf_reset(&x.log);
        cuts++;
        int r_ = cset_each(s, w.b.s, (int)cut, on_change, &x, &e2) < 0 && e2.code == 3;
        if (!r_)
            printf("# accepted cut %zu of %zu (%s)\n", cut, w.b.len, e2.msg);
        refused += r_;
    }
    is_int(refused, cuts, "a changeset cut short at any byte inside a change is refused (exit 3)");
    {
        cset_w w2 = CSET_W_INIT;
        table t2 = *t;
        t2.ncols = t->ncols - 1;
        cset_insert(&w2, &t2, 1, v);
        mr_err e2 = {0};
        ok(cset_each(s, w2.b.s, (int)w2.b.len, on_change, &x, &e2) < 0 && strstr(e2.msg, "schemas differ"),
           "a register of another shape is refused: %s", e2.msg);
        cset_free(&w2);
        table t3 = *t;
        t3.id = "no_such_register";
        cset_insert(&w2, &t3, 1, v);
        ok(cset_each(s, w2.b.s, (int)w2.b.len, on_change, &x, &e2) < 0 && strstr(e2.msg, "no_such_register"),
           "a register this one does not have is refused: %s", e2.msg);
        cset_free(&w2);
    }
    {
        buf j = BUF_INIT;
        char *jv[3] = {"a\"b", NULL, "\n"};
        table t4 = *t;
        t4.ncols = 3;
        cset_json(&t4, jv, &j);
        buf want_j = BUF_INIT;
        buf_printf(&want_j, "{\"%s\":\"a\\\"b\",\"%s\":null,\"%s\":\"\\u000a\"}", t->cols[0].id,
                   t->cols[1].id, t->cols[2].id);
        is_str(buf_str(&j), buf_str(&want_j), "a row as JSON");
        buf_free(&j);
        buf_free(&want_j);
    }

    /* the exporter's JSON reader against db_json_values, on every row of
     * every register of the bundled register, and on odd text */
    int rows = 0, same = 0;
    for (int ti = 0; ti < s->ntables; ti++) {
        const table *tt = &s->tables[ti];
        for (int64_t rid = 1; rid <= 40; rid++) {
            buf j = BUF_INIT;
            mr_err je = {0};
            if (db_row_json(d, tt, rid, &j, &je) != DB_FOUND) {
                buf_free(&j);
                continue;
            }
            char **a = NULL, **b = cset_json_values(tt, buf_str(&j));
            if (db_json_values(d, tt, buf_str(&j), &a, &je) != 0)
                printf("# db_json_values: %s\n", je.msg);
            int eq = b != NULL;
            for (int i = 0; eq && i < tt->ncols; i++)
                eq = (!a[i] && !b[i]) || (a[i] && b[i] && strcmp(a[i], b[i]) == 0);
            if (!eq)
                printf("# differs: %s %lld: %s\n", tt->id, (long long)rid, buf_str(&j));
            rows++;
            same += eq;
            for (int i = 0; i < tt->ncols; i++) {
                free(a[i]);
                if (b)
                    free(b[i]);
            }
            free(a);
            free(b);
            buf_free(&j);
        }
    }
    ok(rows > 100 && same == rows, "the JSON reader gives db_json_values' values: %d of %d rows", same, rows);
    {
        table t5 = *t;
        t5.ncols = 3;
        buf j = BUF_INIT;
        buf_printf(&j, "{\"%s\":\"a\\\"\\u00e9\\ud83d\\ude00\\n\",\"%s\":2.50,\"%s\":null}", t->cols[0].id,
                   t->cols[1].id, t->cols[2].id);
        char **b = cset_json_values(&t5, buf_str(&j));
        ok(b && !strcmp(b[0], "a\"é😀\n") && !strcmp(b[1], "2.5") && !b[2], "escapes, a number, null");
        if (b) {
            for (int i = 0; i < 3; i++)
                free(b[i]);
            free(b);
        }
        buf_reset(&j);
        buf_printf(&j, "{\"other\":1}");
        ok(!cset_json_values(&t5, buf_str(&j)), "another shape: NULL (db_json_values reads it)");
        buf_free(&j);
    }

    cset_free(&w);
    buf_free(&want);
    buf_free(&sql);
    buf_free(&upd);
    buf_free(&del);
    buf_free(&x.log);
    buf_free(&exp);
    buf_free(&path);
    free(v);
    db_close(d);
    return tap_done();
}
