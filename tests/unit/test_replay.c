/* test_replay.c — two clerks, one register, random writes on the same rows;
 * then the audit trail, replayed onto the register as it was, must give
 * exactly the rows there are now (issue 14).
 *
 * Two connections (clerk_a and clerk_b, told apart by $USER) take turns for
 * N rounds of a seeded PRNG: they open rows of mining_permits (a11),
 * mining_areas (a4) and minerals (m) in "forms", save them with the values
 * they saw (often stale: a conflict or a merge), set as the CLI does, add,
 * remove (with and without cascade), undo their own latest change, undo any
 * change N, redo, and import small CSV files (append, --upsert with some
 * columns, --replace).  a11 links to a4 (key_area) and to m (minerals), a4
 * to m, so renames and removals meet links and cascades.
 *
 * Checked as it goes: a refusal leaves the file's content (every register,
 * the three audit tables, minreg_seq and the schema, hashed) as it
 * was; a write records a new change by its clerk; a save writes the fields
 * the clerk changed and keeps the others; undo and redo without a number
 * revert the clerk's own change.  Checked after: no change touched a row
 * other than the one its clerk had open (or, for a cascade, rows linking to
 * it); each undo and redo wrote exactly the inverse of what it reverted;
 * and the trail replayed by plain SQL (insert with rid = row_id, update the
 * field, delete) onto a copy taken before the first write — runs of rows an
 * import added read back through db_audit_each — gives the final registers
 * exactly: every rid, column, value and type.
 *
 * MINREG_REPLAY_SEED sets the seed (printed), MINREG_SOAK_FULL=1 runs 3000
 * rounds instead of 300, MINREG_REPLAY_ROUNDS any number, and
 * MINREG_REPLAY_VERBOSE=1 prints every operation as a TAP comment. */
#include "config.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/db.h"
#include "core/edit.h"
#include "core/import.h"
#include "core/num.h"
#include "core/validate.h"
#include "tap.h"
#include "testdb.h"

/* ---- a seeded PRNG (splitmix64): the same seed, the same rounds --------- */

static uint64_t rng;

static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int pick(int n) { return (int)(rnd() % (uint64_t)n); }
static int chance(int pct) { return pick(100) < pct; }

/* ---- what the clerks write: rows, and values for their fields ----------- */

/* NULL-terminated lists; "" is an empty field. */
typedef struct field {
    const char *col;
    const char *const *good, *const *bad;   /* bad: refused by validation */
} field;

typedef struct reg {
    const char *id;
    const char *const *keys;    /* the rows the clerks work on (key values) */
    const char *const *need;    /* the columns an add or an append fills */
    field fields[8];
} reg;

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
static const char *const NONE[] = {NULL};
static const char *const REMARKS[] = {"甲的备注", "乙的备注", "", "逗号,与\"引号\"", "两\n行", NULL};

static const reg REGS[] = {
    {"mining_permits", L("1", "2", "3", "4", "901", "902"), L("id", "mine_name", "minerals", "area_km2"),
     {{"id", L("1", "2", "901", "902", "903"), L("0")},
      {"mine_name", L("甲矿", "乙矿"), L("")},
      {"minerals", L("金矿", "铜矿", "金矿;测试矿甲", "测试矿甲"), L("无此矿")},
      {"area_km2", L("0.5", "1.25", "3"), L("-1")},
      {"status", L("生产", "停产", ""), L("坏")},
      {"key_area", L("", "CZ21060000001", "CZ21060000002", "CZ21069990001"), L("CZ1")},
      {"remark", REMARKS, NONE},
      {NULL, NULL, NULL}}},
    {"mining_areas", L("CZ21060000001", "CZ21060000002", "CZ21069990001", "CZ21069990002"),
     L("code", "name", "minerals", "area_km2"),
     {{"code", L("CZ21060000001", "CZ21060000002", "CZ21069990001", "CZ21069990002"), L("CZ2106")},
      {"name", L("甲区", "乙区"), L("")},
      {"minerals", L("金矿", "硼矿", "金矿;测试矿甲"), L("无此矿")},
      {"area_km2", L("65.503", "10.5"), L("0")},
      {"permits_planned", L("0", "3", ""), L("-2")},
      {"remark", REMARKS, NONE},
      {NULL, NULL, NULL}}},
    {"minerals", L("金矿", "铜矿", "测试矿甲", "测试矿乙"), L("name", "category"),
     {{"name", L("金矿", "铜矿", "测试矿甲", "测试矿乙"), L("")},
      {"category", L("金属矿产", "非金属矿产"), L("坏类")},
      {"mine_policy", L("重点开采", "限制开采", ""), L("乱")},
      {"remark", REMARKS, NONE},
      {NULL, NULL, NULL}}},
};
#define NREGS 3

static int list_len(const char *const *l)
{
    int n = 0;
    while (l[n])
        n++;
    return n;
}

static const char *pick_of(const char *const *l) { return l[pick(list_len(l))]; }

/* A key no row has had: a new row beside the few the clerks work on. */
static const char *fresh_key(int g)
{
    static char k[32];
    static int n;
    n++;
    if (g == 0)
        snprintf(k, sizeof k, "%d", 5000 + n);
    else if (g == 1)
        snprintf(k, sizeof k, "CZ2106888%04d", n);
    else
        snprintf(k, sizeof k, "新矿%d", n);
    return k;
}

/* A value for field f: one of the bad ones now and then. */
static const char *field_value(const field *f)
{
    if (list_len(f->bad) && chance(8))
        return pick_of(f->bad);
    return pick_of(f->good);
}

static int nfields(const reg *g)
{
    int n = 0;
    while (g->fields[n].col)
        n++;
    return n;
}

static const field *reg_field(const reg *g, const char *col)
{
    for (int i = 0; g->fields[i].col; i++)
        if (strcmp(g->fields[i].col, col) == 0)
            return &g->fields[i];
    return NULL;
}

/* ---- rows as text ------------------------------------------------------- */

static int same(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

static char **row_read(db *d, const table *t, int64_t rid)
{
    cursor *c = db_select_rowid(d, t, rid, NULL);
    if (!c || cursor_next(c) != 1) {
        cursor_free(c);
        return NULL;
    }
    char **v = xcalloc((size_t)t->ncols, sizeof *v);
    for (int i = 0; i < t->ncols; i++)
        v[i] = cursor_val(c, i) ? xstrdup(cursor_val(c, i)) : NULL;
    cursor_free(c);
    return v;
}

static char **row_copy(char *const *r, int n)
{
    if (!r)
        return NULL;
    char **v = xcalloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = r[i] ? xstrdup(r[i]) : NULL;
    return v;
}

static void row_free(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void row_set(char **v, int ci, const char *s)
{
    free(v[ci]);
    v[ci] = s ? xstrdup(s) : NULL;
}

/* ---- properties: each is one TAP line at the end, its failures listed --- */

enum {
    P_UNCHANGED, P_NOERROR, P_CHANGE, P_SET, P_ADD, P_RM, P_SCOPE, P_TOUCHED, P_INVERSE,
    P_ROWS, P_OLD, P_RID, P_EQUAL, P_LINKS, P_INEFFECT, P_PARTIAL, P_REVERT, P_INVADD, NPROPS
};
static const char *const PROP_NAMES[NPROPS] = {
    "every refusal left the file's content as it was",
    "no call failed with an error (EDIT_ERROR, IMPORT_ERROR)",
    "every write recorded one new change, of its kind, by its clerk",
    "every save wrote the fields its clerk changed and kept the others; conflicts only on a changed row",
    "every add stored the values given",
    "every removal removed the row",
    "undo and redo without a number reverted the clerk's own change",
    "no change touched a row other than the one its clerk had open (or rows linking to it, cascaded)",
    "every undo and redo wrote exactly the inverse of the change it reverted",
    "replay: every audit row names a row that is there (update, delete) or a free rid (insert), with the whole row",
    "replay: every update's old value and every delete's old row is what the row held",
    "replay: no rid was given to a second row (an undo brings back the same one)",
    "replay: the replayed registers equal the final ones (every rid, column, value, type)",
    "undoes and undone_by agree",
    "no change is marked in effect while an undo of it is in effect",
    "import --upsert with only some columns is accepted (the others keep their values)",
    "undo and redo refuse (exit 6, naming the row) what a UNIQUE or FOREIGN KEY constraint would break, never fail on it",
    "an undo or redo that removes a row removes it as the reverted change added it",
};
/* Known bugs: the property is asserted, and reported as TODO (TAP), so that
 * make check stays green until the core is fixed.  Each says where it is. */
static const char *const TODO[NPROPS] = {
    [P_INEFFECT] = NULL,   /* fixed: revert() marks the change an undo undid again */
};
static long nfail[NPROPS], nchecked[NPROPS];
static int verbose, first_fail_shown;
static long round_no;
static uint64_t seed;

#define RING 24
static char *ring[RING];
static long nring;

static void op_note(const char *s)
{
    free(ring[nring % RING]);
    ring[nring % RING] = xstrdup(s);
    nring++;
    if (verbose)
        printf("# %s\n", s);
}

static void check(int p, int cond, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void check(int p, int cond, const char *fmt, ...)
{
    nchecked[p]++;
    if (cond)
        return;
    if (nfail[p]++ >= 5)
        return;
    if (!first_fail_shown && !verbose && !TODO[p]) {
        /* what led here: the operations before it */
        first_fail_shown = 1;
        printf("# seed %" PRIu64 ": the last operations before the first failure:\n", seed);
        for (long i = nring > RING ? nring - RING : 0; i < nring; i++)
            printf("#   %s\n", ring[i % RING]);
    }
    va_list ap;
    va_start(ap, fmt);
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (round_no)
        printf("# FAIL [%s] round %ld: %s\n", PROP_NAMES[p], round_no, msg);
    else
        printf("# FAIL [%s] after the rounds: %s\n", PROP_NAMES[p], msg);
}

/* ---- the file's content, hashed per table -------------------------------- */

#define MAXSNAP 32
typedef struct snap { uint64_t h[MAXSNAP]; } snap;
static char *snap_sql[MAXSNAP], *snap_name[MAXSNAP];
static int nsnap;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001B3ull;
    return h;
}

static void snap_add(const char *name, const char *sql)
{
    snap_name[nsnap] = xstrdup(name);
    snap_sql[nsnap++] = xstrdup(sql);
}

static void snap_init(const schema *s)
{
    char q[256];
    for (int i = 0; i < s->ntables; i++) {
        snprintf(q, sizeof q, "SELECT * FROM \"%s\" ORDER BY rid", s->tables[i].id);
        snap_add(s->tables[i].id, q);
    }
    snap_add("minreg_changes", "SELECT * FROM minreg_changes ORDER BY id");
    snap_add("minreg_audit", "SELECT * FROM minreg_audit ORDER BY id");
    snap_add("minreg_audit_added", "SELECT rowid, * FROM minreg_audit_added ORDER BY rowid");
    snap_add("minreg_seq", "SELECT * FROM minreg_seq ORDER BY tbl");
    snap_add("sqlite_master", "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name");
}

/* Every value with its type: 1 and 1.0 and '1' hash apart. */
static uint64_t hash_query(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    uint64_t x = 0xCBF29CE484222325ull;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
        printf("# cannot hash (%s): %s\n", sql, sqlite3_errmsg(h));
        return 0;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            unsigned char ty = (unsigned char)sqlite3_column_type(st, i);
            x = fnv(x, &ty, 1);
            if (ty == SQLITE_INTEGER) {
                int64_t v = sqlite3_column_int64(st, i);
                x = fnv(x, &v, sizeof v);
            } else if (ty == SQLITE_FLOAT) {
                double v = sqlite3_column_double(st, i);
                x = fnv(x, &v, sizeof v);
            } else if (ty != SQLITE_NULL) {
                int n = sqlite3_column_bytes(st, i);
                x = fnv(x, &n, sizeof n);
                x = fnv(x, sqlite3_column_blob(st, i), (size_t)n);
            }
        }
        x = fnv(x, "\n", 1);
    }
    sqlite3_finalize(st);
    return x;
}

static void snap_take(sqlite3 *obs, snap *s)
{
    sqlite3_exec(obs, "BEGIN", NULL, NULL, NULL);
    for (int i = 0; i < nsnap; i++)
        s->h[i] = hash_query(obs, snap_sql[i]);
    sqlite3_exec(obs, "COMMIT", NULL, NULL, NULL);
}

/* The tables whose content differs, "" if none. */
static void snap_diff(const snap *a, const snap *b, buf *out)
{
    for (int i = 0; i < nsnap; i++)
        if (a->h[i] != b->h[i])
            buf_printf(out, "%s%s", out->len ? ", " : "", snap_name[i]);
}

/* ---- the clerks ---------------------------------------------------------- */

typedef struct form {
    int64_t rid;     /* 0: none open */
    char **seen;     /* the row as this clerk last read it */
} form;

typedef struct clerk {
    const char *user;
    db *d;
    const table *t[NREGS];   /* this connection's schema */
    form f[NREGS];
} clerk;

enum { K_ADD, K_SET, K_RM, K_IMPORT, K_UNDO, K_REDO };
static const char *const KIND_NAMES[] = {"add", "set", "rm", "import", "undo", "redo"};

/* A change made during the rounds, for the checks after them. */
typedef struct made {
    int64_t change, reverted;
    int kind, reg, cascade;
    int64_t rid;
} made;
static made *mades;
static size_t nmades, capmades;

static void made_add(made m)
{
    if (nmades == capmades) {
        capmades = capmades ? 2 * capmades : 64;
        mades = xrealloc(mades, capmades * sizeof *mades);
    }
    mades[nmades++] = m;
}

/* what happened, counted: printed at the end */
enum { O_OK, O_NOOP, O_MERGED, O_CONFLICT, O_INVALID, O_REFUSED, O_ERROR, NOUT };
static const char *const OUT_NAMES[] = {"ok", "no-op", "merged", "conflict", "invalid", "refused", "error"};
enum { C_FORM, C_CLI, C_ADD, C_RM, C_RMC, C_UNDO0, C_UNDON, C_REDO, C_APPEND, C_UPSERT, C_PARTIAL, C_REPLACE, NCALLS };
static const char *const CALL_NAMES[] = {"form save", "cli set", "add", "rm", "rm --cascade", "undo",
                                         "undo N", "redo", "import", "import --upsert",
                                         "import --upsert (some)", "import --replace"};
static long outcome[NCALLS][NOUT];

static sqlite3 *obs;     /* a third connection: what the file holds */
static snap last;        /* as it was after the last call */
static int64_t first_change;   /* the first change the rounds made */
static char csv_path[128];

static int64_t max_change(void)
{
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(obs, "SELECT ifnull(max(id), 0) FROM minreg_changes", -1, &st, NULL) ==
            SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int edit_outcome(int code)
{
    switch (code) {
    case EDIT_OK: return O_OK;
    case EDIT_INVALID: return O_INVALID;
    case EDIT_CONFLICT: return O_CONFLICT;
    case EDIT_REFUSED: return O_REFUSED;
    default: return O_ERROR;
    }
}

/* After a call: a refusal (or a write of nothing) left the file as it was;
 * a write made one new change of its kind by this clerk.  before: the
 * largest change id before the call. */
static void after_call(clerk *c, int call, int out, int64_t change, int kind, int64_t before,
                       const char *what, const mr_err *e)
{
    snap now;
    snap_take(obs, &now);
    outcome[call][out]++;
    int revert = call == C_UNDO0 || call == C_UNDON || call == C_REDO;
    int constraint = out == O_ERROR && strstr(e->msg, "constraint failed") != NULL;
    if (revert)
        check(P_REVERT, !constraint, "%s", what);
    check(P_NOERROR, out != O_ERROR || (revert && constraint), "%s", what);
    if (out != O_OK && out != O_MERGED) {
        buf d = BUF_INIT;
        snap_diff(&last, &now, &d);
        check(P_UNCHANGED, d.len == 0, "%s was refused (%s), but changed %s", what, OUT_NAMES[out],
              buf_str(&d));
        buf_free(&d);
        check(P_CHANGE, max_change() == before, "%s was refused, but recorded change %" PRId64, what,
              max_change());
    } else if (!change) {
        buf d = BUF_INIT;
        snap_diff(&last, &now, &d);
        check(P_UNCHANGED, d.len == 0, "%s changed nothing, but the file's %s changed", what,
              buf_str(&d));
        buf_free(&d);
    } else {
        db_change ch;
        int got = db_change_get(c->d, change, &ch, NULL) == DB_FOUND;
        check(P_CHANGE, got && change == before + 1 && max_change() == change &&
                            strcmp(ch.kind, KIND_NAMES[kind]) == 0 && strcmp(ch.who, c->user) == 0,
              "%s: change %" PRId64 " (after %" PRId64 ") is %s by %s", what, change, before,
              got ? ch.kind : "missing", got ? ch.who : "-");
        if (!first_change)
            first_change = change;
    }
    last = now;
}

static void describe_vals(buf *b, const table *t, char *const *seen, char *const *vals)
{
    for (int i = 0; i < t->ncols; i++)
        if (!seen || !same(seen[i], vals[i]))
            buf_printf(b, " %s='%s'", t->cols[i].id, vals[i] ? vals[i] : "");
}

/* ---- the operations ------------------------------------------------------ */

/* Open a row of register g in the clerk's form (as a form reads it). */
static void op_open(clerk *c, int g)
{
    const table *t = c->t[g];
    const char *key = pick_of(REGS[g].keys);
    int64_t rid = 0;
    char line[512], newest[128];
    if (chance(35)) {
        /* one of the newest rows: often one an add or an import just made */
        char q[160];
        snprintf(q, sizeof q, "SELECT rid, \"%s\" FROM \"%s\" ORDER BY rid DESC LIMIT 1 OFFSET %d",
                 t->cols[t->key_ci].id, t->id, pick(4));
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(obs, q, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
            sqlite3_column_text(st, 1)) {
            rid = sqlite3_column_int64(st, 0);
            snprintf(newest, sizeof newest, "%s", (const char *)sqlite3_column_text(st, 1));
            key = newest;
        }
        sqlite3_finalize(st);
    }
    if (!rid && db_find_by(c->d, t, t->key_ci, key, &rid, NULL) != DB_FOUND) {
        snprintf(line, sizeof line, "r%ld %s opens %s %s: not there", round_no, c->user, t->id, key);
        op_note(line);
        return;
    }
    form *f = &c->f[g];
    row_free(f->seen, t->ncols);
    f->seen = row_read(c->d, t, rid);
    f->rid = f->seen ? rid : 0;
    snprintf(line, sizeof line, "r%ld %s opens %s %s (rid %" PRId64 ")", round_no, c->user, t->id, key,
             rid);
    op_note(line);
}

/* vals: seen with one or two fields changed (sometimes none). */
static char **mutate(const reg *g, const table *t, char *const *seen)
{
    char **vals = row_copy(seen, t->ncols);
    int n = chance(10) ? 0 : 1 + chance(35);
    for (int k = 0; k < n; k++) {
        const field *f = &g->fields[pick(nfields(g))];
        row_set(vals, table_col(t, f->col), field_value(f));
    }
    return vals;
}

/* Save vals over row rid, which the clerk saw as seen: a form's save
 * (form 1) or the CLI's set (seen read just now). */
static void do_set(clerk *c, int g, int64_t rid, char **seen, char **vals, int flags, int call)
{
    const table *t = c->t[g];
    char **before = row_read(c->d, t, rid);
    int stale = 0;
    for (int i = 0; before && i < t->ncols; i++)
        stale |= !same(seen[i], before[i]);
    buf what = BUF_INIT;
    buf_printf(&what, "r%ld %s %s %s rid %" PRId64 "%s%s%s:", round_no, c->user, CALL_NAMES[call], t->id,
               rid, !before ? " (gone)" : stale ? " (seen stale)" : "",
               flags & EDIT_CASCADE ? " --cascade" : "", "");
    describe_vals(&what, t, seen, vals);
    int64_t before_change = max_change();
    edit_result r;
    mr_err e = {0};
    int code = edit_set(c->d, t, rid, (const char *const *)seen, (const char *const *)vals, NULL,
                        flags, &r, &e);
    int out = edit_outcome(code);
    if (out == O_OK && !r.change)
        out = O_NOOP;
    else if (out == O_OK && stale)
        out = O_MERGED;
    buf_printf(&what, " -> %s%s%s", OUT_NAMES[out], e.msg[0] ? ": " : "", e.msg);
    op_note(buf_str(&what));
    char **now = row_read(c->d, t, rid);
    if (code == EDIT_OK && r.change) {
        /* mine where I changed a field, theirs (as it was) where I did not */
        for (int i = 0; now && before && i < t->ncols; i++) {
            int mine = !same(vals[i], seen[i]), theirs = !same(before[i], seen[i]);
            const char *want = mine ? vals[i] : before[i];
            check(P_SET, !(mine && theirs && !value_same(&t->cols[i], vals[i], before[i])),
                  "%s: both clerks changed %s ('%s' mine, '%s' theirs), yet it saved", buf_str(&what),
                  t->cols[i].id, vals[i] ? vals[i] : "", before[i] ? before[i] : "");
            check(P_SET, value_same(&t->cols[i], now[i], want), "%s: %s is '%s', not '%s'",
                  buf_str(&what), t->cols[i].id, now[i] ? now[i] : "", want ? want : "");
        }
        check(P_SET, now != NULL, "%s: the row is gone after the save", buf_str(&what));
        made_add((made){r.change, 0, K_SET, g, flags & EDIT_CASCADE, rid});
    } else if (code == EDIT_CONFLICT) {
        check(P_SET, !before || stale, "%s: a conflict on a row that had not changed", buf_str(&what));
        int theirs_ok = !r.theirs || (now && r.ntheirs == t->ncols);
        for (int i = 0; theirs_ok && r.theirs && i < t->ncols; i++)
            theirs_ok = same(r.theirs[i], now[i]);
        check(P_SET, theirs_ok, "%s: 'theirs' is not the row as it is", buf_str(&what));
    }
    after_call(c, call, out, code == EDIT_OK ? r.change : 0, K_SET, before_change, buf_str(&what), &e);
    if (call == C_FORM) {
        form *f = &c->f[g];
        if (code == EDIT_OK) {   /* saved: the form shows the row as it is */
            row_free(f->seen, t->ncols);
            f->seen = row_copy(now, t->ncols);
            if (!f->seen)
                f->rid = 0;
        } else if (code == EDIT_CONFLICT && r.theirs) {
            /* as the form does: from now on based on their version */
            row_free(f->seen, t->ncols);
            f->seen = row_copy(r.theirs, t->ncols);
        }
    }
    edit_result_free(&r);
    row_free(now, t->ncols);
    row_free(before, t->ncols);
    buf_free(&what);
}

static void op_form_save(clerk *c, int g)
{
    form *f = &c->f[g];
    if (!f->rid) {
        op_open(c, g);
        return;
    }
    const table *t = c->t[g];
    char **vals = mutate(&REGS[g], t, f->seen);
    char **seen = row_copy(f->seen, t->ncols);
    do_set(c, g, f->rid, seen, vals, chance(30) ? EDIT_CASCADE : 0, C_FORM);
    row_free(seen, t->ncols);
    row_free(vals, t->ncols);
}

static void op_cli_set(clerk *c, int g)
{
    const table *t = c->t[g];
    const char *key = pick_of(REGS[g].keys);
    int64_t rid;
    if (db_find_by(c->d, t, t->key_ci, key, &rid, NULL) != DB_FOUND)
        return;
    char **seen = row_read(c->d, t, rid);
    if (!seen)
        return;
    char **vals = mutate(&REGS[g], t, seen);
    do_set(c, g, rid, seen, vals, chance(50) ? EDIT_CASCADE : 0, C_CLI);
    row_free(seen, t->ncols);
    row_free(vals, t->ncols);
}

static void op_add(clerk *c, int g)
{
    const table *t = c->t[g];
    const reg *rg = &REGS[g];
    char **vals = xcalloc((size_t)t->ncols, sizeof *vals);
    for (int k = 0; rg->need[k]; k++) {
        const field *f = reg_field(rg, rg->need[k]);
        row_set(vals, table_col(t, f->col), field_value(f));
    }
    row_set(vals, t->key_ci, chance(30) ? fresh_key(g) : pick_of(rg->keys));
    if (t->cols[t->key_ci].type == COL_INT && chance(20))
        row_set(vals, t->key_ci, NULL);   /* the next number */
    if (chance(50)) {
        const field *f = &rg->fields[pick(nfields(rg))];
        if (table_col(t, f->col) != t->key_ci)
            row_set(vals, table_col(t, f->col), field_value(f));
    }
    buf what = BUF_INIT;
    buf_printf(&what, "r%ld %s add %s:", round_no, c->user, t->id);
    describe_vals(&what, t, NULL, vals);
    int64_t before = max_change();
    edit_result r;
    mr_err e = {0};
    int code = edit_add(c->d, t, (const char *const *)vals, NULL, &r, &e);
    buf_printf(&what, " -> %s rid %" PRId64 "%s%s", OUT_NAMES[edit_outcome(code)], r.rowid,
               e.msg[0] ? ": " : "", e.msg);
    op_note(buf_str(&what));
    if (code == EDIT_OK) {
        char **now = row_read(c->d, t, r.rowid);
        check(P_ADD, now != NULL, "%s: no row %" PRId64, buf_str(&what), r.rowid);
        for (int i = 0; now && i < t->ncols; i++)
            check(P_ADD, (i == t->key_ci && !vals[i]) ? now[i] != NULL
                                                      : value_same(&t->cols[i], now[i], vals[i]),
                  "%s: %s is '%s'", buf_str(&what), t->cols[i].id, now[i] ? now[i] : "");
        made_add((made){r.change, 0, K_ADD, g, 0, r.rowid});
        if (chance(50)) {   /* the clerk keeps the new row open */
            row_free(c->f[g].seen, t->ncols);
            c->f[g].seen = now;
            c->f[g].rid = now ? r.rowid : 0;
            now = NULL;
        }
        row_free(now, t->ncols);
    }
    after_call(c, C_ADD, edit_outcome(code), code == EDIT_OK ? r.change : 0, K_ADD, before,
               buf_str(&what), &e);
    edit_result_free(&r);
    row_free(vals, t->ncols);
    buf_free(&what);
}

/* Remove the row the clerk has open (it may be gone by now). */
static void op_rm(clerk *c, int g)
{
    form *f = &c->f[g];
    if (!f->rid) {
        op_open(c, g);
        return;
    }
    const table *t = c->t[g];
    int flags = chance(50) ? EDIT_CASCADE : 0, call = flags ? C_RMC : C_RM;
    buf what = BUF_INIT;
    buf_printf(&what, "r%ld %s %s %s rid %" PRId64 " (%s)", round_no, c->user, CALL_NAMES[call], t->id,
               f->rid, f->seen && f->seen[t->key_ci] ? f->seen[t->key_ci] : "");
    int64_t before = max_change();
    edit_result r;
    mr_err e = {0};
    int code = edit_rm(c->d, t, f->rid, NULL, flags, &r, &e);
    buf_printf(&what, " -> %s%s%s", OUT_NAMES[edit_outcome(code)], e.msg[0] ? ": " : "", e.msg);
    op_note(buf_str(&what));
    if (code == EDIT_OK) {
        char **now = row_read(c->d, t, f->rid);
        check(P_RM, now == NULL, "%s: the row is still there", buf_str(&what));
        row_free(now, t->ncols);
        made_add((made){r.change, 0, K_RM, g, flags, f->rid});
    }
    after_call(c, call, edit_outcome(code), code == EDIT_OK ? r.change : 0, K_RM, before,
               buf_str(&what), &e);
    edit_result_free(&r);
    buf_free(&what);
}

/* undo (n 0: the clerk's own latest), or redo (n < 0) */
static void op_revert(clerk *c, int64_t n)
{
    int call = n < 0 ? C_REDO : n ? C_UNDON : C_UNDO0;
    int64_t target = n;
    if (n < 0)
        edit_redo_target(c->d, &target, NULL);
    else if (!n)
        edit_undo_target(c->d, &target, NULL);
    buf what = BUF_INIT;
    buf_printf(&what, "r%ld %s %s %" PRId64, round_no, c->user, n < 0 ? "redo" : "undo", n > 0 ? n : 0);
    int64_t before = max_change();
    edit_result r;
    mr_err e = {0};
    int code = n < 0 ? edit_redo(c->d, NULL, &r, &e) : edit_undo(c->d, n, NULL, &r, &e);
    buf_printf(&what, " (target %" PRId64 ") -> %s%s%s", target, OUT_NAMES[edit_outcome(code)],
               e.msg[0] ? ": " : "", e.msg);
    op_note(buf_str(&what));
    if (code == EDIT_OK) {
        db_change ch;
        int got = db_change_get(c->d, r.reverted, &ch, NULL) == DB_FOUND;
        check(P_SCOPE, r.reverted == target && got && (n > 0 || strcmp(ch.who, c->user) == 0),
              "%s: reverted change %" PRId64 " by %s", buf_str(&what), r.reverted, got ? ch.who : "-");
        made_add((made){r.change, r.reverted, n < 0 ? K_REDO : K_UNDO, -1, 0, 0});
    }
    after_call(c, call, edit_outcome(code), code == EDIT_OK ? r.change : 0, n < 0 ? K_REDO : K_UNDO,
               before, buf_str(&what), &e);
    edit_result_free(&r);
    buf_free(&what);
}

static void csv_put(FILE *f, const char *s, int first)
{
    if (!first)
        fputc(',', f);
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A small file of rows of register g, imported in one of the three modes. */
static void op_import(clerk *c, int g)
{
    const table *t = c->t[g];
    const reg *rg = &REGS[g];
    import_mode mode = (import_mode)pick(3);
    if (g == 2 && mode == IMPORT_REPLACE && chance(70))
        mode = IMPORT_UPSERT;   /* replacing the minerals is refused: now and then */
    const char *cols[16];
    int nc = 0;
    /* --upsert with only some columns: the key and one or two others */
    int partial = mode == IMPORT_UPSERT && chance(50);
    int call = partial ? C_PARTIAL : mode == IMPORT_UPSERT ? C_UPSERT
             : mode == IMPORT_REPLACE ? C_REPLACE : C_APPEND;
    if (partial) {
        cols[nc++] = t->cols[t->key_ci].id;
        for (int k = 0, want = 1 + pick(2); k < want; k++) {
            const field *f = &rg->fields[pick(nfields(rg))];
            int dup = table_col(t, f->col) == t->key_ci;
            for (int j = 0; j < nc; j++)
                dup |= strcmp(cols[j], f->col) == 0;
            if (!dup)
                cols[nc++] = f->col;
        }
    } else {
        for (int k = 0; rg->need[k]; k++)
            cols[nc++] = rg->need[k];
        if (chance(60)) {
            const field *f = &rg->fields[pick(nfields(rg))];
            int dup = 0;
            for (int j = 0; j < nc; j++)
                dup |= strcmp(cols[j], f->col) == 0;
            if (!dup)
                cols[nc++] = f->col;
        }
    }
    FILE *f = fopen(csv_path, "w");
    for (int j = 0; j < nc; j++)
        csv_put(f, cols[j], j == 0);
    fputc('\n', f);
    int nrows = 1 + pick(mode == IMPORT_REPLACE ? 4 : 3);
    buf what = BUF_INIT;
    buf_printf(&what, "r%ld %s %s %s:", round_no, c->user,
               CALL_NAMES[call], t->id);
    for (int i = 0; i < nrows; i++) {
        buf_puts(&what, " [");
        for (int j = 0; j < nc; j++) {
            const field *fd = reg_field(rg, cols[j]);
            const char *v = table_col(t, cols[j]) != t->key_ci ? field_value(fd)
                          : mode == IMPORT_APPEND && chance(50) ? fresh_key(g) : pick_of(rg->keys);
            csv_put(f, v, j == 0);
            buf_printf(&what, "%s%s", j ? "," : "", v);
        }
        buf_puts(&what, "]");
        fputc('\n', f);
    }
    fclose(f);
    import_opts o = {.mode = mode};
    import_result r;
    mr_err e = {0};
    int64_t before = max_change();
    int rc = import_csv(c->d, t, csv_path, &o, &r, &e);
    /* a header refused for the columns it lacks: issue 14, item 8 (P_PARTIAL, below) */
    int lacks = partial && rc == IMPORT_ERROR && strstr(e.msg, "missing required columns");
    int out = lacks ? O_REFUSED : rc == IMPORT_ERROR ? O_ERROR : rc == IMPORT_INVALID ? O_INVALID
            : r.written ? O_OK : O_NOOP;
    if (partial)
        check(P_PARTIAL, !lacks, "%s: refused: %s", buf_str(&what), e.msg);
    buf_printf(&what, " -> %s (+%" PRId64 " ~%" PRId64 " -%" PRId64 ")%s%s", OUT_NAMES[out], r.added,
               r.updated, r.deleted, r.nissues ? ": " : e.msg[0] ? ": " : "",
               r.nissues ? r.issues[0].msg : e.msg);
    op_note(buf_str(&what));
    check(P_CHANGE, (r.written != 0) == (r.change > 0), "%s: written %d, change %" PRId64,
          buf_str(&what), r.written, r.change);
    if (r.written)
        made_add((made){r.change, 0, K_IMPORT, g, 0, 0});
    after_call(c, call, out,
               r.written ? r.change : 0, K_IMPORT, before, buf_str(&what), &e);
    import_result_free(&r);
    buf_free(&what);
}

static void round_run(clerk *cl)
{
    clerk *c = &cl[pick(2)];
    setenv("USER", c->user, 1);
    int g = pick(NREGS), x = pick(100);
    if (x < 14)
        op_open(c, g);
    else if (x < 38)
        op_form_save(c, g);
    else if (x < 48)
        op_cli_set(c, g);
    else if (x < 58)
        op_add(c, g);
    else if (x < 66)
        op_rm(c, g);
    else if (x < 74)
        op_revert(c, 0);
    else if (x < 80) {
        int64_t top = max_change();
        if (first_change && top >= first_change)
            op_revert(c, first_change + (int64_t)pick((int)(top - first_change + 1)));
    } else if (x < 88)
        op_revert(c, -1);
    else
        op_import(c, g);
}

/* ---- after the rounds: what each change touched ---------------------------- */

typedef struct arow {
    int64_t row_id;
    char *tbl, *op, *field, *old, *new_;
} arow;
typedef struct arows { arow *v; size_t n, cap; } arows;

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

static int arows_add(void *arg, const audit_row *a)
{
    arows *l = arg;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (arow){a->row_id, xstrdup(a->tbl), xstrdup(a->op), dup_or_null(a->field),
                          dup_or_null(a->old), dup_or_null(a->new_)};
    return 0;
}

static void arows_free(arows *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].tbl);
        free(l->v[i].op);
        free(l->v[i].field);
        free(l->v[i].old);
        free(l->v[i].new_);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* Does column `field` of register u link to register t? */
static int links_to(const schema *s, const char *u, const char *col, const table *t)
{
    const table *ut = schema_table(s, u);
    int ci = ut && col ? table_col(ut, col) : -1;
    return ci >= 0 && ut->cols[ci].link_ti >= 0 && &s->tables[ut->cols[ci].link_ti] == t;
}

/* The same row values, in two JSON texts (as audit rows hold them)? */
static int json_same(db *d, const table *t, const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    char **x, **y;
    db_json_values(d, t, a, &x, NULL);
    db_json_values(d, t, b, &y, NULL);
    int eq = 1;
    for (int i = 0; eq && i < t->ncols; i++)
        eq = value_same(&t->cols[i], x[i], y[i]);
    row_free(x, t->ncols);
    row_free(y, t->ncols);
    return eq;
}

static void check_touched(db *d)
{
    const schema *s = db_schema(d);
    for (size_t k = 0; k < nmades; k++) {
        const made *m = &mades[k];
        arows l = {0};
        db_audit_each(d, m->change, 0, arows_add, &l, NULL);
        if (m->kind == K_UNDO || m->kind == K_REDO) {
            arows x = {0};
            db_audit_each(d, m->reverted, 0, arows_add, &x, NULL);
            check(P_INVERSE, l.n == x.n, "change %" PRId64 " (%s %" PRId64 ") wrote %zu audit rows, "
                  "change %" PRId64 " had %zu", m->change, KIND_NAMES[m->kind], m->reverted, l.n,
                  m->reverted, x.n);
            for (size_t i = 0; i < l.n && l.n == x.n; i++) {
                const arow *u = &l.v[i], *o = &x.v[x.n - 1 - i];
                const table *t = schema_table(s, u->tbl);
                int inv = t && strcmp(u->tbl, o->tbl) == 0 && u->row_id == o->row_id;
                if (inv && strcmp(o->op, "update") == 0)
                    inv = strcmp(u->op, "update") == 0 && same(u->field, o->field) &&
                          same(u->old, o->new_) && same(u->new_, o->old);
                else if (inv && strcmp(o->op, "insert") == 0) {
                    inv = strcmp(u->op, "delete") == 0;
                    check(P_INVADD, !inv || json_same(d, t, u->old, o->new_),
                          "change %" PRId64 " removes %s rid %" PRId64 " as %s, change %" PRId64
                          " added it as %s", m->change, u->tbl, u->row_id, u->old ? u->old : "-",
                          m->reverted, o->new_ ? o->new_ : "-");
                }
                else if (inv)
                    inv = strcmp(u->op, "insert") == 0 && json_same(d, t, u->new_, o->old);
                check(P_INVERSE, inv, "change %" PRId64 " row %zu: %s %s %" PRId64 " %s does not "
                      "revert change %" PRId64 "'s %s %s %" PRId64 " %s", m->change, i, u->op, u->tbl,
                      u->row_id, u->field ? u->field : "", m->reverted, o->op, o->tbl, o->row_id,
                      o->field ? o->field : "");
            }
            arows_free(&x);
            arows_free(&l);
            continue;
        }
        const table *t = schema_table(s, REGS[m->reg].id);
        int own = 0;
        for (size_t i = 0; i < l.n; i++) {
            const arow *a = &l.v[i];
            int mine = strcmp(a->tbl, t->id) == 0 && (m->kind == K_IMPORT || a->row_id == m->rid);
            int ok;
            own += mine;
            if (m->kind == K_ADD)
                ok = mine && strcmp(a->op, "insert") == 0;
            else if (m->kind == K_IMPORT)
                ok = mine;
            else if (mine)
                ok = strcmp(a->op, m->kind == K_SET ? "update" : "delete") == 0;
            else   /* a row linking to it, changed with it */
                ok = m->cascade && strcmp(a->op, "update") == 0 && links_to(s, a->tbl, a->field, t);
            check(P_TOUCHED, ok, "change %" PRId64 " (%s %s rid %" PRId64 "%s) has %s %s rid %" PRId64
                  " %s", m->change, KIND_NAMES[m->kind], t->id, m->rid, m->cascade ? ", cascade" : "",
                  a->op, a->tbl, a->row_id, a->field ? a->field : "");
        }
        check(P_TOUCHED, m->kind == K_IMPORT ? l.n > 0 : m->kind == K_SET ? own > 0 : own == 1,
              "change %" PRId64 " (%s %s rid %" PRId64 ") has %d audit rows for that row, of %zu",
              m->change, KIND_NAMES[m->kind], t->id, m->rid, own, l.n);
        arows_free(&l);
    }
}

/* ---- the replay ------------------------------------------------------------ */

typedef struct replay {
    sqlite3 *h;        /* the copy of the register as it was */
    db *d;             /* the final register (its schema) */
    int64_t change;
    int builds;        /* the change is an add or an import: new rows only */
    long rows, inserts;
} replay;

static sqlite3_stmt *prep(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        printf("# replay: cannot prepare %s: %s\n", sql, sqlite3_errmsg(h));
    return st;
}

static int rid_there(sqlite3 *h, const table *t, int64_t rid)
{
    char q[256];
    snprintf(q, sizeof q, "SELECT 1 FROM \"%s\" WHERE rid = ?1", t->id);
    sqlite3_stmt *st = prep(h, q);
    sqlite3_bind_int64(st, 1, rid);
    int there = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return there;
}

/* A stored value as the core reads it (cursor_val: numbers by num_format). */
static char *stored_text(sqlite3_stmt *st, int i)
{
    int ty = sqlite3_column_type(st, i);
    if (ty == SQLITE_NULL)
        return NULL;
    if (ty == SQLITE_FLOAT) {
        char num[NUM_MAX];
        num_format(sqlite3_column_double(st, i), num);
        return xstrdup(num);
    }
    return xstrdup((const char *)sqlite3_column_text(st, i));
}

static int replay_row(void *arg, const audit_row *a)
{
    replay *rp = arg;
    const table *t = schema_table(db_schema(rp->d), a->tbl);
    rp->rows++;
    check(P_ROWS, t != NULL, "change %" PRId64 ": unknown register %s", rp->change, a->tbl);
    if (!t)
        return 0;
    buf q = BUF_INIT;
    sqlite3_stmt *st;
    if (strcmp(a->op, "insert") == 0) {
        rp->inserts++;
        check(P_ROWS, !rid_there(rp->h, t, a->row_id), "change %" PRId64 " adds %s rid %" PRId64
              ", which is there", rp->change, t->id, a->row_id);
        /* a new row's rid was never used; a row an undo brings back had it */
        st = prep(rp->h, "SELECT 1 FROM temp.used WHERE tbl = ?1 AND rid = ?2");
        sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, a->row_id);
        int used = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        check(P_RID, used != rp->builds, "change %" PRId64 " adds %s rid %" PRId64 ": %s", rp->change,
              t->id, a->row_id, rp->builds ? "a rid used before" : "a rid that never was");
        buf_printf(&q, "INSERT INTO \"%s\" (rid", t->id);
        for (int i = 0; i < t->ncols; i++)
            buf_printf(&q, ", \"%s\"", t->cols[i].id);
        buf_puts(&q, ") VALUES (?1");
        for (int i = 0; i < t->ncols; i++)
            buf_printf(&q, ", json_extract(?2, '$.\"%s\"')", t->cols[i].id);
        buf_puts(&q, ")");
        st = prep(rp->h, buf_str(&q));
        sqlite3_bind_int64(st, 1, a->row_id);
        sqlite3_bind_text(st, 2, a->new_ ? a->new_ : "", -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        check(P_ROWS, rc == SQLITE_DONE, "change %" PRId64 ": insert %s rid %" PRId64 " %s: %s",
              rp->change, t->id, a->row_id, a->new_ ? a->new_ : "(no new)", sqlite3_errmsg(rp->h));
        /* the whole row: every column in the JSON */
        for (int i = 0; a->new_ && i < t->ncols; i++) {
            st = prep(rp->h, "SELECT json_type(?1, '$.' || json_quote(?2))");
            sqlite3_bind_text(st, 1, a->new_, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, t->cols[i].id, -1, SQLITE_STATIC);
            int has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
            sqlite3_finalize(st);
            check(P_ROWS, has, "change %" PRId64 ": insert %s rid %" PRId64 " lacks %s", rp->change,
                  t->id, a->row_id, t->cols[i].id);
        }
        st = prep(rp->h, "INSERT OR IGNORE INTO temp.used VALUES (?1, ?2)");
        sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, a->row_id);
        sqlite3_step(st);
        sqlite3_finalize(st);
    } else if (strcmp(a->op, "update") == 0) {
        int ci = a->field ? table_col(t, a->field) : -1;
        check(P_ROWS, ci >= 0, "change %" PRId64 ": update of %s rid %" PRId64 " names no column (%s)",
              rp->change, t->id, a->row_id, a->field ? a->field : "null");
        if (ci >= 0) {
            buf_printf(&q, "SELECT \"%s\" FROM \"%s\" WHERE rid = ?1", t->cols[ci].id, t->id);
            st = prep(rp->h, buf_str(&q));
            sqlite3_bind_int64(st, 1, a->row_id);
            int there = sqlite3_step(st) == SQLITE_ROW;
            char *was = there ? stored_text(st, 0) : NULL;
            sqlite3_finalize(st);
            check(P_ROWS, there, "change %" PRId64 ": update of %s rid %" PRId64 ", which is not there",
                  rp->change, t->id, a->row_id);
            check(P_OLD, !there || value_same(&t->cols[ci], was, a->old),
                  "change %" PRId64 ": update of %s rid %" PRId64 " %s from '%s', but it held '%s'",
                  rp->change, t->id, a->row_id, a->field, a->old ? a->old : "", was ? was : "");
            free(was);
            buf_reset(&q);
            buf_printf(&q, "UPDATE \"%s\" SET \"%s\" = ?1 WHERE rid = ?2", t->id, t->cols[ci].id);
            st = prep(rp->h, buf_str(&q));
            if (a->new_ && *a->new_)   /* "" is stored as NULL, as the core does */
                sqlite3_bind_text(st, 1, a->new_, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, a->row_id);
            int rc = sqlite3_step(st);
            sqlite3_finalize(st);
            check(P_ROWS, rc == SQLITE_DONE, "change %" PRId64 ": update %s rid %" PRId64 ": %s",
                  rp->change, t->id, a->row_id, sqlite3_errmsg(rp->h));
        }
    } else {
        check(P_ROWS, strcmp(a->op, "delete") == 0, "change %" PRId64 ": op %s", rp->change, a->op);
        buf_printf(&q, "SELECT count(*) FROM \"%s\" WHERE rid = ?1", t->id);
        for (int i = 0; i < t->ncols; i++)
            buf_printf(&q, " AND \"%s\" IS json_extract(?2, '$.\"%s\"')", t->cols[i].id, t->cols[i].id);
        st = prep(rp->h, buf_str(&q));
        sqlite3_bind_int64(st, 1, a->row_id);
        sqlite3_bind_text(st, 2, a->old ? a->old : "{}", -1, SQLITE_STATIC);
        int held = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
        sqlite3_finalize(st);
        int there = rid_there(rp->h, t, a->row_id);
        check(P_ROWS, there, "change %" PRId64 ": delete of %s rid %" PRId64 ", which is not there",
              rp->change, t->id, a->row_id);
        check(P_OLD, !there || held, "change %" PRId64 ": delete of %s rid %" PRId64 ": the row was "
              "not %s", rp->change, t->id, a->row_id, a->old ? a->old : "(no old)");
        buf_reset(&q);
        buf_printf(&q, "DELETE FROM \"%s\" WHERE rid = ?1", t->id);
        st = prep(rp->h, buf_str(&q));
        sqlite3_bind_int64(st, 1, a->row_id);
        sqlite3_step(st);
        sqlite3_finalize(st);
    }
    buf_free(&q);
    return 0;
}

static void value_show(buf *b, sqlite3_stmt *st, int i)
{
    static const char *const ty[] = {"", "integer", "real", "text", "blob", "null"};
    int t = sqlite3_column_type(st, i);
    buf_printf(b, "%s '%s'", ty[t], t == SQLITE_NULL ? "" : (const char *)sqlite3_column_text(st, i));
}

/* Register t in the replay (h) and in the final file (obs), row by row. */
static void compare_table(sqlite3 *h, const table *t)
{
    char q[256];
    snprintf(q, sizeof q, "SELECT * FROM \"%s\" ORDER BY rid", t->id);
    sqlite3_stmt *a = prep(h, q), *b = prep(obs, q);
    for (;;) {
        int ra = sqlite3_step(a) == SQLITE_ROW, rb = sqlite3_step(b) == SQLITE_ROW;
        if (!ra && !rb)
            break;
        int64_t ia = ra ? sqlite3_column_int64(a, 0) : INT64_MAX, ib = rb ? sqlite3_column_int64(b, 0)
                                                                          : INT64_MAX;
        check(P_EQUAL, ia == ib, "%s: rid %" PRId64 " is only in the %s", t->id, ia < ib ? ia : ib,
              ia < ib ? "replay" : "final register");
        if (ia != ib)
            break;   /* the rest is out of step */
        int n = sqlite3_column_count(a), eq = n == sqlite3_column_count(b);
        for (int i = 1; eq && i < n; i++) {
            int ty = sqlite3_column_type(a, i);
            eq = ty == sqlite3_column_type(b, i);
            if (eq && ty == SQLITE_INTEGER)
                eq = sqlite3_column_int64(a, i) == sqlite3_column_int64(b, i);
            else if (eq && ty == SQLITE_FLOAT)
                eq = sqlite3_column_double(a, i) == sqlite3_column_double(b, i);
            else if (eq && ty != SQLITE_NULL)
                eq = sqlite3_column_bytes(a, i) == sqlite3_column_bytes(b, i) &&
                     memcmp(sqlite3_column_blob(a, i), sqlite3_column_blob(b, i),
                            (size_t)sqlite3_column_bytes(a, i)) == 0;
            if (!eq) {
                buf m = BUF_INIT;
                buf_printf(&m, "%s rid %" PRId64 " %s: replayed ", t->id, ia, sqlite3_column_name(a, i));
                value_show(&m, a, i);
                buf_puts(&m, ", final ");
                value_show(&m, b, i);
                check(P_EQUAL, 0, "%s", buf_str(&m));
                buf_free(&m);
            }
        }
        if (eq)
            check(P_EQUAL, 1, "%s", t->id);
    }
    sqlite3_finalize(a);
    sqlite3_finalize(b);
}

static void replay_run(const char *copy, db *d, int64_t from)
{
    replay rp = {NULL, d, 0, 0, 0, 0};
    if (sqlite3_open(copy, &rp.h) != SQLITE_OK) {
        check(P_EQUAL, 0, "cannot open the copy %s", copy);
        return;
    }
    const schema *s = db_schema(d);
    sqlite3_exec(rp.h, "PRAGMA foreign_keys = OFF; BEGIN;"
                       " CREATE TEMP TABLE used (tbl TEXT, rid INTEGER, PRIMARY KEY (tbl, rid))",
                 NULL, NULL, NULL);
    for (int i = 0; i < s->ntables; i++) {
        char q[256];
        snprintf(q, sizeof q, "INSERT INTO temp.used SELECT '%s', rid FROM \"%s\"", s->tables[i].id,
                 s->tables[i].id);
        sqlite3_exec(rp.h, q, NULL, NULL, NULL);
    }
    sqlite3_stmt *ch = prep(obs, "SELECT id, kind FROM minreg_changes WHERE id >= ?1 ORDER BY id");
    sqlite3_bind_int64(ch, 1, from);
    long nch = 0;
    while (sqlite3_step(ch) == SQLITE_ROW) {
        rp.change = sqlite3_column_int64(ch, 0);
        const char *kind = (const char *)sqlite3_column_text(ch, 1);
        rp.builds = strcmp(kind, "add") == 0 || strcmp(kind, "import") == 0;
        nch++;
        check(P_ROWS, db_audit_each(d, rp.change, 0, replay_row, &rp, NULL) == 0,
              "change %" PRId64 ": cannot read its audit rows", rp.change);
    }
    sqlite3_finalize(ch);
    sqlite3_exec(rp.h, "COMMIT", NULL, NULL, NULL);
    printf("# replayed %ld changes, %ld audit rows (%ld inserts)\n", nch, rp.rows, rp.inserts);
    sqlite3_exec(obs, "BEGIN", NULL, NULL, NULL);
    for (int i = 0; i < s->ntables; i++)
        compare_table(rp.h, &s->tables[i]);
    sqlite3_exec(obs, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(rp.h);
}

/* Changes the query names break property p; each change counts as checked. */
static void check_changes(int p, const char *sql, const char *what)
{
    sqlite3_stmt *st = prep(obs, sql);
    while (sqlite3_step(st) == SQLITE_ROW)
        check(p, 0, "change %lld (%s, undoes %lld, undone by %lld): %s",
              (long long)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
              (long long)sqlite3_column_int64(st, 2), (long long)sqlite3_column_int64(st, 3), what);
    sqlite3_finalize(st);
    nchecked[p] += max_change();
}

static void check_undo_links(void)
{
#define CH "SELECT c.id, c.kind, ifnull(c.undoes, 0), ifnull(c.undone_by, 0) FROM minreg_changes c WHERE "
    check_changes(P_LINKS, CH "(c.kind IN ('undo','redo')) <> (c.undoes IS NOT NULL)"
                  " OR (c.undone_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM minreg_changes u"
                  " WHERE u.id = c.undone_by AND u.undoes = c.id))",
                  "undone_by names no change that undoes it, or kind and undoes disagree");
    check_changes(P_INEFFECT, CH "c.undone_by IS NULL AND EXISTS (SELECT 1 FROM minreg_changes u"
                  " WHERE u.undoes = c.id AND u.undone_by IS NULL)",
                  "marked in effect, but an undo of it is in effect");
#undef CH
}

int main(void)
{
    const char *s = getenv("MINREG_REPLAY_SEED"), *n = getenv("MINREG_REPLAY_ROUNDS");
    const char *full = getenv("MINREG_SOAK_FULL");
    seed = s && *s ? strtoull(s, NULL, 10) : 14;
    long rounds = n && *n ? atol(n) : full && strcmp(full, "1") == 0 ? 3000 : 300;
    verbose = getenv("MINREG_REPLAY_VERBOSE") != NULL;
    rng = seed;
    setenv("MINREG_NOW", "2026-12-02T12:00:00Z", 1);
    unsetenv("SSH_CLIENT");
    printf("# seed %" PRIu64 ", %ld rounds (MINREG_REPLAY_SEED, MINREG_SOAK_FULL=1 for 3000)\n", seed,
           rounds);

    testdb td;
    clerk cl[2] = {{.user = "clerk_a"}, {.user = "clerk_b"}};
    cl[0].d = testdb_open(&td, "replay", 0, "create a register");
    if (!cl[0].d)
        return tap_done();
    char copy[128];
    snprintf(copy, sizeof copy, "%s/initial.db", td.dir);
    snprintf(csv_path, sizeof csv_path, "%s/rows.csv", td.dir);
    ok(sqlite3_open(td.path, &obs) == SQLITE_OK, "a third connection, to look at the file");
    char q[256];
    snprintf(q, sizeof q, "VACUUM INTO '%s'", copy);
    ok(sqlite3_exec(obs, q, NULL, NULL, NULL) == SQLITE_OK, "a copy of the register before any write");
    mr_err e = {0};
    ok(db_open(td.path, 0, &cl[1].d, &e) == 0, "the second clerk opens it: %s", e.msg);
    if (!cl[1].d)
        return tap_done();
    for (int c = 0; c < 2; c++)
        for (int g = 0; g < NREGS; g++)
            cl[c].t[g] = schema_table(db_schema(cl[c].d), REGS[g].id);
    snap_init(db_schema(cl[0].d));
    snap_take(obs, &last);
    int64_t from = max_change() + 1;

    for (round_no = 1; round_no <= rounds; round_no++)
        round_run(cl);
    round_no = 0;

    for (int c = 0; c < 2; c++)
        for (int g = 0; g < NREGS; g++)
            row_free(cl[c].f[g].seen, cl[c].t[g]->ncols);
    printf("# outcomes:\n");
    for (int k = 0; k < NCALLS; k++) {
        buf b = BUF_INIT;
        for (int o = 0; o < NOUT; o++)
            if (outcome[k][o])
                buf_printf(&b, " %s %ld", OUT_NAMES[o], outcome[k][o]);
        printf("#   %-17s%s\n", CALL_NAMES[k], buf_str(&b));
        buf_free(&b);
    }
    check_touched(cl[0].d);
    check_undo_links();
    replay_run(copy, cl[0].d, from);

    for (int p = 0; p < NPROPS; p++) {
        if (TODO[p]) {   /* a known bug: not counted as a failure (TAP TODO) */
            tap_n++;
            printf("%sok %d - %s (%ld checked, %ld failed) # TODO %s\n", nfail[p] ? "not " : "",
                   tap_n, PROP_NAMES[p], nchecked[p], nfail[p], TODO[p]);
            continue;
        }
        ok(nfail[p] == 0 && nchecked[p] > 0, "%s (%ld checked, %ld failed)", PROP_NAMES[p], nchecked[p],
           nfail[p]);
    }
    /* the rounds reached every path: not a test that passes by doing nothing */
    if (rounds >= 300) {
        long done[NCALLS];
        for (int k = 0; k < NCALLS; k++)
            done[k] = outcome[k][O_OK] + outcome[k][O_MERGED];
        int reached = done[C_FORM] && done[C_CLI] && done[C_ADD] && done[C_RM] + done[C_RMC] &&
                      done[C_UNDO0] && done[C_UNDON] && done[C_REDO] &&
                      done[C_APPEND] + done[C_UPSERT] + done[C_PARTIAL] + done[C_REPLACE] &&
                      outcome[C_FORM][O_CONFLICT] + outcome[C_FORM][O_MERGED] &&
                      outcome[C_RMC][O_OK] + outcome[C_RMC][O_REFUSED];
        ok(reached, "the rounds saved, added, removed, undid, redid and imported, and met conflicts");
    }

    db_close(cl[1].d);
    sqlite3_close(obs);
    for (int i = 0; i < nsnap; i++) {
        free(snap_sql[i]);
        free(snap_name[i]);
    }
    for (int i = 0; i < RING; i++)
        free(ring[i]);
    free(mades);
    if (getenv("MINREG_REPLAY_KEEP")) {   /* to look into a failure: the register stays */
        printf("# kept %s\n", td.path);
        db_close(cl[0].d);
    } else if (testdb_close(&td) < 0) {
        return 1;
    }
    return tap_done();
}
