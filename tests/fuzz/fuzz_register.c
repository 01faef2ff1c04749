/* fuzz_register.c — registers changed by someone else.
 *
 * The input is SQL, run (with the schema writable, as a hand with the
 * sqlite3 shell could) on a copy of a valid register: new triggers, views,
 * indexes, tables, changed DDL, changed or out-of-range metadata, rewritten
 * sqlite_master rows.  minreg then opens the copy.  It must refuse it with a
 * message, or open it read-only and refuse a write, or open it for writing
 * with nothing but its own SQL running: one audited change of one field of
 * one row, every other table exactly as it was.  Never a crash, a hang, or
 * a write that changes more.
 *
 * The mutations cannot reach outside the copy: ATTACH (and so VACUUM INTO)
 * is refused, extensions are off, and a statement that runs too long is
 * stopped. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/db.h"
#include "core/edit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/minreg-fuzz-reg-XXXXXX";
static char tmpl[128], reg[128];

static void unlink_reg(const char *p)
{
    char q[160];
    const char *sfx[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(q, sizeof q, "%s%s", p, sfx[i]);
        unlink(q);
    }
}

static void cleanup(void)
{
    unlink_reg(tmpl);
    unlink_reg(reg);
    rmdir(dir);
}

static int setup(void)
{
    const char *dd = getenv("MINREG_DATA_DIR");
    static char data[4096];
    if (!dd || !*dd) {
        const char *s = getenv("srcdir");
        snprintf(data, sizeof data, "%s/data", s && *s ? s : ".");
        dd = data;
        setenv("MINREG_DATA_DIR", dd, 1);   /* the schema the open compares with */
    }
    if (!mkdtemp(dir))
        return -1;
    snprintf(tmpl, sizeof tmpl, "%s/t.db", dir);
    snprintf(reg, sizeof reg, "%s/r.db", dir);
    mr_err e = {0};
    if (db_create(tmpl, dd, 0, &e) < 0) {
        fprintf(stderr, "fuzz_register: %s\n", e.msg);
        return -1;
    }
    atexit(cleanup);
    return 0;
}

static int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    char chunk[65536];
    size_t n;
    int ok = a && b;
    while (ok && (n = fread(chunk, 1, sizeof chunk, a)) > 0)
        ok = fwrite(chunk, 1, n, b) == n;
    if (a)
        fclose(a);
    if (b && fclose(b) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int deny_attach(void *arg, int op, const char *a, const char *b, const char *c, const char *d)
{
    (void)arg, (void)a, (void)b, (void)c, (void)d;
    return op == SQLITE_ATTACH || op == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

static int budget(void *arg)
{
    return ++*(int *)arg > 2000;   /* about 2 million steps */
}

/* Open the copy with SQLite alone, bounded. */
static sqlite3 *raw_open(int *ticks)
{
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(reg, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_limit(h, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_set_authorizer(h, deny_attach, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    *ticks = 0;
    sqlite3_progress_handler(h, 1000, budget, ticks);
    return h;
}

/* A hash of every row of every table but those named (NULL-terminated),
 * and of table `part` without its row `skip`; 0 when unreadable. */
static uint64_t digest(const char *part, int64_t skip, const char *const *except)
{
    int ticks;
    sqlite3 *h = raw_open(&ticks);
    if (!h)
        return 0;
    sqlite3_progress_handler(h, 0, NULL, NULL);
    uint64_t x = 1469598103934665603ULL;
    sqlite3_stmt *tabs = NULL;
    sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                       &tabs, NULL);
    while (tabs && sqlite3_step(tabs) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tabs, 0);
        int skipit = 0;
        for (int i = 0; except[i]; i++)
            skipit |= strcmp(name, except[i]) == 0;
        if (skipit)
            continue;
        char *q = sqlite3_mprintf("SELECT rowid, * FROM \"%w\" ORDER BY rowid", name);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(h, q, -1, &st, NULL) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                if (part && strcmp(name, part) == 0 && sqlite3_column_int64(st, 0) == skip)
                    continue;
                for (int i = 0; i < sqlite3_column_count(st); i++) {
                    const unsigned char *v = sqlite3_column_text(st, i);
                    int n = sqlite3_column_bytes(st, i);
                    for (int k = 0; v && k < n; k++)
                        x = (x ^ v[k]) * 1099511628211ULL;
                    x = (x ^ 0xff) * 1099511628211ULL;
                }
            }
        }
        sqlite3_finalize(st);
        sqlite3_free(q);
    }
    sqlite3_finalize(tabs);
    sqlite3_close(h);
    return x;
}

static int64_t changes(void)
{
    int ticks;
    sqlite3 *h = raw_open(&ticks);
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (h && sqlite3_prepare_v2(h, "SELECT count(*) FROM minreg_changes", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (setup() < 0)
            abort();
        ready = 1;
    }
    unlink_reg(reg);
    if (copy_file(tmpl, reg) < 0)
        abort();
    char *sql = malloc(size + 1);
    memcpy(sql, data, size);
    sql[size] = '\0';
    int ticks;
    sqlite3 *h = raw_open(&ticks);
    if (!h)
        abort();
    sqlite3_db_config(h, SQLITE_DBCONFIG_WRITABLE_SCHEMA, 1, NULL);
    sqlite3_exec(h, sql, NULL, NULL, NULL);   /* what does not apply is skipped */
    sqlite3_close(h);
    free(sql);

    db *d = NULL;
    mr_err e = {0};
    if (db_open(reg, 0, &d, &e) < 0) {
        if (!e.msg[0])
            abort();   /* refused without saying why */
        return 0;
    }
    const table *t = schema_table(db_schema(d), "mining_permits");
    int ci = t ? table_col(t, "remark") : -1;
    cursor *c = ci >= 0 ? db_select(d, t, NULL, 0, -1, 0, 1, &e) : NULL;
    if (!c || cursor_next(c) != 1) {
        cursor_free(c);
        db_close(d);
        return 0;   /* not a register minreg can edit the way this target does */
    }
    int64_t rowid = cursor_rowid(c);
    int ncols = t->ncols;
    char tid[64];
    snprintf(tid, sizeof tid, "%s", t->id);
    char **seen = calloc((size_t)t->ncols, sizeof *seen), **vals = calloc((size_t)t->ncols, sizeof *vals);
    for (int i = 0; i < t->ncols; i++) {
        const char *v = cursor_val(c, i);
        seen[i] = v ? strdup(v) : NULL;
        vals[i] = v ? strdup(v) : NULL;
    }
    cursor_free(c);
    free(vals[ci]);
    vals[ci] = strdup(seen[ci] && strcmp(seen[ci], "fuzz") == 0 ? "fuzz2" : "fuzz");
    const char *const except[] = {"minreg_changes", "minreg_audit", "minreg_chain", NULL};
    uint64_t before = digest(tid, rowid, except);
    int64_t nbefore = changes();
    int ro = db_readonly(d);
    edit_result r;
    memset(&r, 0, sizeof r);
    int rc = edit_set(d, t, rowid, (const char *const *)seen, (const char *const *)vals, NULL, 0, &r, &e);
    edit_result_free(&r);
    db_close(d);
    for (int i = 0; i < ncols; i++) {
        free(seen[i]);
        free(vals[i]);
    }
    free(seen);
    free(vals);
    if (ro && rc == EDIT_OK)
        abort();   /* a read-only register took a write */
    int64_t nafter = changes();
    if (rc == EDIT_OK && nafter != nbefore + 1)
        abort();   /* a write recorded more, or fewer, changes than one */
    if (rc != EDIT_OK && nafter != nbefore)
        abort();   /* a refused or failed write left a change behind */
    if (digest(tid, rowid, except) != before)
        abort();   /* the write changed something else: foreign SQL ran */
    return 0;
}
