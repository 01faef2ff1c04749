/* change.c — the one change object (see change.h): every register row and
 * audit row minreg writes is written here, inside one transaction that is
 * one entry of the history. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "buf.h"
#include "change.h"
#include "db_write.h"
#include "edit.h"
#include "i18n.h"
#include "rowsum.h"
#include "site.h"

struct chg {
    db *d;
    int64_t id;            /* the history entry (0: not recorded yet) */
    /* bulk adds: runs of row ids in the order added, audited at commit
     * sorted and merged; their sums made by a worker thread */
    const table *bulk;     /* the register they were added to */
    struct run { int64_t first, last; } *runs;
    size_t nruns, capruns;
    int runs_sorted;       /* each run starts after the one before */
    rowsums *sums;
    /* this register's site (site.h): a county writes only its own rows */
    site_rule site;
    int site_state;        /* 0: not read yet, 1: read, 2: not held (an exchange applied) */
};

chg *chg_begin(db *d, mr_err *e)
{
    if (db_begin(d, e) < 0)
        return NULL;
    chg *c = xcalloc(1, sizeof *c);
    c->d = d;
    c->runs_sorted = 1;
    return c;
}

static void chg_free(chg *c)
{
    if (!c)
        return;
    free(c->runs);
    rowsums_free(c->sums);
    free(c);
}

void chg_abort(chg *c)
{
    if (!c)
        return;
    db_rollback(c->d);
    chg_free(c);
}

int64_t chg_id(const chg *c) { return c->id; }

void chg_any_site(chg *c) { c->site_state = 2; }

/* May this site write the row of t with values v (NULL: row rid as it is
 * stored)?  1, or 0 with e saying why not. */
static int site_may(chg *c, const table *t, const char *const *v, int64_t rid, mr_err *e)
{
    if (c->site_state == 0) {
        site_rule_self(c->d, &c->site);
        c->site_state = 1;
    }
    if (c->site_state != 1 || !c->site.county)
        return 1;
    if (v ? site_owns(c->d, &c->site, t, v) : site_owns_rid(c->d, &c->site, t, rid))
        return 1;
    char why[1024];
    site_why(c->d, &c->site, t, why, sizeof why);
    err_set(e, EXIT_NOTFOUND, "%s", why);
    return 0;
}

/* A row written before the history entry it belongs to would be a write
 * the history cannot name: refused (a programming error, said plainly). */
static int recorded(chg *c, mr_err *e)
{
    if (c->id > 0)
        return 1;
    err_set(e, EXIT_DB, "%s", _("internal error: a row written outside a recorded change"));
    return 0;
}

int64_t chg_record(chg *c, const char *kind, const char *tbl, const char *summary,
                   const char *comment, int64_t reverts, mr_err *e)
{
    if (c->id > 0) {
        err_set(e, EXIT_DB, "%s", _("internal error: a change recorded twice"));
        return -1;
    }
    c->id = db_change_add(c->d, edit_now(), edit_who(), kind, tbl, summary, comment, reverts, e);
    return c->id > 0 ? c->id : -1;
}

int chg_insert(chg *c, const table *t, const char *const *vals, int64_t rid, int64_t *out,
               mr_err *e)
{
    int64_t got;
    if (!recorded(c, e) || !site_may(c, t, vals, 0, e) || db_row_insert(c->d, t, vals, rid, &got, e) < 0 ||
        db_audit_rows(c->d, c->id, t, 0, got, "insert", e) < 0)
        return -1;
    if (out)
        *out = got;
    return 0;
}

/* ---- bulk adds ------------------------------------------------------------- */

static void run_note(chg *c, int64_t rid)
{
    if (c->nruns && c->runs[c->nruns - 1].last + 1 == rid) {
        c->runs[c->nruns - 1].last = rid;
        return;
    }
    if (c->nruns == c->capruns) {
        c->capruns = c->capruns ? c->capruns * 2 : 16;
        c->runs = xrealloc(c->runs, sizeof *c->runs * c->capruns);
    }
    if (c->nruns && rid < c->runs[c->nruns - 1].first)
        c->runs_sorted = 0;
    c->runs[c->nruns++] = (struct run){rid, rid};
}

int chg_bulk_table(const chg *c, const table *t) { return !c->bulk || c->bulk == t; }

int chg_insert_bulk(chg *c, const table *t, const char *const *vals, int64_t *out, mr_err *e)
{
    return chg_insert_bulk_at(c, t, vals, 0, out, e);
}

int chg_insert_bulk_at(chg *c, const table *t, const char *const *vals, int64_t at, int64_t *out,
                       mr_err *e)
{
    if (!recorded(c, e) || !site_may(c, t, vals, 0, e))
        return -1;
    if (c->bulk && c->bulk != t) {
        err_set(e, EXIT_DB, "%s", _("internal error: bulk rows of two registers in one change"));
        return -1;
    }
    int64_t rid;
    if (db_row_insert(c->d, t, vals, at, &rid, e) < 0)
        return -1;
    c->bulk = t;
    run_note(c, rid);   /* audited at commit, as runs */
    const char *k = vals[t->key_ci];
    if (t->cols[t->key_ci].type != COL_INT || (k && *k)) {
        /* summed as bound; a 序号 the register gave: from the stored row */
        if (!c->sums)
            c->sums = rowsums_new(t);
        rowsums_add(c->sums, rid, vals);
    }
    if (out)
        *out = rid;
    return 0;
}

/* The run holding rid, or NULL. */
static struct run *run_find(chg *c, int64_t rid)
{
    if (c->runs_sorted) {
        size_t lo = 0, hi = c->nruns;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (c->runs[mid].last < rid)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < c->nruns && c->runs[lo].first <= rid ? &c->runs[lo] : NULL;
    }
    for (size_t i = 0; i < c->nruns; i++)
        if (c->runs[i].first <= rid && rid <= c->runs[i].last)
            return &c->runs[i];
    return NULL;
}

int chg_added(chg *c, int64_t rid) { return run_find(c, rid) != NULL; }

int chg_unadd(chg *c, const table *t, int64_t rid, mr_err *e)
{
    struct run *r = run_find(c, rid);
    if (t != c->bulk || !r) {
        err_set(e, EXIT_DB, "%s", _("internal error: taking out a row this change did not add"));
        return -1;
    }
    if (db_row_delete(c->d, t, rid, e) < 0)
        return -1;
    if (r->first == r->last) {   /* an empty run: first > last, skipped when audited */
        r->first = rid + 1;
        r->last = rid;
    } else if (rid == r->first) {
        r->first++;
    } else if (rid == r->last) {
        r->last--;
    } else {   /* split in two */
        struct run tail = {rid + 1, r->last};
        size_t at = (size_t)(r - c->runs) + 1;
        r->last = rid - 1;
        if (c->nruns == c->capruns) {
            c->capruns *= 2;
            c->runs = xrealloc(c->runs, sizeof *c->runs * c->capruns);
        }
        memmove(&c->runs[at + 1], &c->runs[at], sizeof *c->runs * (c->nruns - at));
        c->runs[at] = tail;
        c->nruns++;
    }
    return 0;
}

static int run_cmp(const void *a, const void *b)
{
    const struct run *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The sums of rows first..last into the history: those the worker made,
 * or (a row it was not given) from the stored rows. */
static int sums_record(chg *c, int64_t first, int64_t last, mr_err *e)
{
    int given = c->sums != NULL;
    for (int64_t r = first; given && r <= last; r++)
        given = rowsums_get(c->sums, r) != NULL;
    if (!given)
        return db_sums_rows(c->d, c->id, c->bulk, first, last, e);
    size_t n = (size_t)(last - first + 1), nc = (size_t)c->bulk->ncols;
    unsigned char *run = xmalloc(n * DB_SUM), *frun = xmalloc(n * nc);
    for (int64_t r = first; r <= last; r++) {
        memcpy(run + (size_t)(r - first) * DB_SUM, rowsums_get(c->sums, r), DB_SUM);
        memcpy(frun + (size_t)(r - first) * nc, rowsums_fget(c->sums, r), nc);
    }
    int rc = db_sums_add(c->d, c->id, c->bulk->id, first, run, frun, nc, n, e);
    free(run);
    free(frun);
    return rc;
}

/* The runs into the audit: sorted and merged (every row of a merged run was
 * added by this change, so the record is exact), a few rows for any file;
 * each run with its rows' sums, as written, so that the chained history
 * tells later whether a row was changed outside minreg. */
static int runs_record(chg *c, mr_err *e)
{
    if (!c->nruns)
        return 0;
    if (c->sums)
        rowsums_finish(c->sums);
    if (!c->runs_sorted)
        qsort(c->runs, c->nruns, sizeof *c->runs, run_cmp);
    size_t n = 0;
    for (size_t i = 0; i < c->nruns; i++) {
        if (c->runs[i].first > c->runs[i].last)
            continue;
        if (n && c->runs[n - 1].last + 1 == c->runs[i].first)
            c->runs[n - 1].last = c->runs[i].last;
        else
            c->runs[n++] = c->runs[i];
    }
    for (size_t i = 0; i < n; i++)
        if (db_audit_added(c->d, c->id, c->bulk->id, c->runs[i].first, c->runs[i].last, e) < 0 ||
            sums_record(c, c->runs[i].first, c->runs[i].last, e) < 0)
            return -1;
    c->nruns = 0;
    return 0;
}

/* ---- updates and deletes --------------------------------------------------- */

int chg_update(chg *c, const table *t, int64_t rid, const char *key, int ci, const char *old,
               const char *val, mr_err *e)
{
    const char *nv = val && *val ? val : NULL;
    /* the row the site's before, and after (a county moving a permit
     * out of its district writes what is no longer its own) */
    return !recorded(c, e) || !site_may(c, t, NULL, rid, e) ||
                   db_row_update(c->d, t, rid, ci, nv, e) < 0 || !site_may(c, t, NULL, rid, e) ||
                   db_audit_add(c->d, c->id, t->id, rid, key, "update", t->cols[ci].id, old, nv,
                                e) < 0
               ? -1
               : 0;
}

/* ---- boundaries ----------------------------------------------------------- */

int chg_set_boundary(chg *c, const table *t, int64_t rid, const char *key, const char *text,
                     mr_err *e)
{
    if (!recorded(c, e) || !site_may(c, t, NULL, rid, e))
        return -1;
    int has = db_has_boundary(c->d, t->id, e);
    if (has != DB_FOUND) {
        if (has == DB_NOT_FOUND)
            err_set(e, EXIT_USAGE, _("%s: its records hold no boundary"), t->id);
        return -1;
    }
    if (text && !*text)
        text = NULL;
    char *old;
    if (db_shape_text(c->d, t->id, rid, &old, e) == DB_ERROR)
        return -1;
    if ((!old && !text) || (old && text && strcmp(old, text) == 0)) {
        free(old);
        return 0;   /* the same: nothing to write */
    }
    geo_shape s;
    int rc = text ? boundary_decode(text, &s, e) : 0;
    if (rc == 0) {
        rc = db_shape_put(c->d, t->id, rid, text ? &s : NULL, text, e) < 0 ||
                     db_audit_add(c->d, c->id, t->id, rid, key, "update", BOUNDARY_FIELD, old, text, e) < 0
                 ? -1
                 : 0;
        if (text)
            geo_shape_free(&s);
    }
    free(old);
    return rc;
}

/* A row's boundary goes with it, audited before the row (an undo, newest
 * first, brings the row back, then its boundary). */
static int boundary_goes(chg *c, const table *t, int64_t rid, mr_err *e)
{
    int has = db_has_boundary(c->d, t->id, e);
    if (has != DB_FOUND)
        return has == DB_ERROR ? -1 : 0;
    char *old;
    int rc = db_shape_text(c->d, t->id, rid, &old, e) == DB_ERROR ? -1 : 0;
    if (old) {
        cursor *cu = db_select_rowid(c->d, t, rid, NULL);
        const char *key = cu && cursor_next(cu) == 1 ? cursor_val(cu, t->key_ci) : NULL;
        char *k = key ? xstrdup(key) : NULL;
        cursor_free(cu);
        rc = chg_set_boundary(c, t, rid, k, NULL, e);
        free(k);
    }
    free(old);
    return rc;
}

int chg_delete(chg *c, const table *t, int64_t rid, mr_err *e)
{
    return !recorded(c, e) || !site_may(c, t, NULL, rid, e) || boundary_goes(c, t, rid, e) < 0 ||
                   db_audit_rows(c->d, c->id, t, 0, rid, "delete", e) < 0 ||
                   db_row_delete(c->d, t, rid, e) < 0
               ? -1
               : 0;
}

static int boundaries_go(chg *c, const table *t, mr_err *e)
{
    int has = db_has_boundary(c->d, t->id, e);
    if (has != DB_FOUND)
        return has == DB_ERROR ? -1 : 0;
    int64_t *rids;
    int n, rc = db_shape_rids(c->d, t->id, &rids, &n, e);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = chg_set_boundary(c, t, rids[i], NULL, NULL, e);
    free(rids);
    return rc;
}

/* A county may not empty a register: rows of the city and the other
 * counties would go with its own. */
static int all_may(chg *c, const table *t, mr_err *e)
{
    if (!site_may(c, t, NULL, 0, e))   /* reads the site (no row 0: allowed) */
        return 0;
    if (c->site_state != 1 || !c->site.county)
        return 1;
    char why[1024];
    site_why(c->d, &c->site, t, why, sizeof why);
    err_set(e, EXIT_NOTFOUND, _("%s; a whole register is replaced at the city only (here: import "
                                "without --replace, or with --upsert)"),
            why);
    return 0;
}

int chg_delete_all(chg *c, const table *t, int64_t *deleted, mr_err *e)
{
    return !recorded(c, e) || !all_may(c, t, e) || boundaries_go(c, t, e) < 0 ||
                   db_audit_rows(c->d, c->id, t, 1, 0, "delete", e) < 0 ||
                   db_delete_all(c->d, t, deleted, e) < 0
               ? -1
               : 0;
}

int chg_set_undone(chg *c, int64_t x, int64_t by, mr_err *e)
{
    return !recorded(c, e) || db_change_set_undone(c->d, x, by, e) < 0 ? -1 : 0;
}

/* ---- the end --------------------------------------------------------------- */

int chg_commit(chg *c, mr_err *e)
{
    int rc = runs_record(c, e) < 0 ? -1 : db_commit(c->d, e);
    if (rc < 0)
        db_rollback(c->d);   /* a failed COMMIT may leave the transaction open */
    chg_free(c);
    return rc;
}

const char *chg_kind_text(const char *kind)
{
    static const struct {
        const char *kind, *text;
    } kinds[] = {
        {"add", N_("add")},       {"set", N_("set")},   {"rm", N_("rm")},
        {"import", N_("import")}, {"undo", N_("undo")}, {"redo", N_("redo")},
        {"seal", N_("seal")},
    };
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kind, kinds[i].kind) == 0)
            return _(kinds[i].text);
    return kind ? kind : "";
}
