/* edit.c — validated, audited writes (see edit.h). */
#include "config.h"
#include "edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "links.h"

void edit_result_free(edit_result *r)
{
    for (int i = 0; i < r->ntheirs; i++)
        free(r->theirs[i]);
    free(r->theirs);
    r->theirs = NULL;
    r->ntheirs = 0;
    for (int i = 0; i < r->nconflicts; i++) {
        free(r->conflicts[i].base);
        free(r->conflicts[i].mine);
        free(r->conflicts[i].theirs);
    }
    free(r->conflicts);
    r->conflicts = NULL;
    r->nconflicts = 0;
}

const char *edit_who(void)
{
    static char who[256];
    const char *u = getenv("USER");
    if (!u || !*u)
        u = getenv("LOGNAME");
    if (!u || !*u)
        u = "unknown";
    const char *ssh = getenv("SSH_CLIENT");
    if (ssh && *ssh) {
        int n = (int)strcspn(ssh, " ");
        snprintf(who, sizeof who, "%s@%.*s", u, n, ssh);
    } else {
        snprintf(who, sizeof who, "%s", u);
    }
    return who;
}

const char *edit_now(void)
{
    static char now[32];
    const char *fixed = getenv("MINREG_NOW");
    if (fixed && *fixed)
        return fixed;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return now;
}

static int same(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

/* The row's current values (ncols strings; NULL for SQL NULL). */
static char **read_row(db *d, const table *t, int64_t rowid)
{
    cursor *c = db_select_rowid(d, t, rowid, NULL);
    if (!c || cursor_next(c) != 1) {
        cursor_free(c);
        return NULL;
    }
    char **v = xcalloc((size_t)t->ncols, sizeof(char *));
    for (int i = 0; i < t->ncols; i++) {
        const char *x = cursor_val(c, i);
        v[i] = x ? xstrdup(x) : NULL;
    }
    cursor_free(c);
    return v;
}

static void free_row(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int writable(db *d, edit_result *r, mr_err *e)
{
    if (!db_readonly(d))
        return 1;
    int why = db_readonly_why(d);
    err_set(e, EXIT_DB, _("%s is open read-only (%s): nothing was changed"), db_path(d),
            why == DB_RO_FOLDER ? _("its folder is not writable, and a write needs to create "
                                    "the -wal and -shm files beside it")
            : why == DB_RO_FILE ? _("the file is not writable")
                                : _("-r"));
    r->code = EDIT_REFUSED;
    return 0;
}

static int validate(db *d, const table *t, const char *const *vals, int64_t self, edit_result *r)
{
    validator *v = validator_new(d, t);
    r->nissues = validator_row(v, vals, self, r->issues, EDIT_MAX_ISSUES);
    validator_free(v);
    if (r->nissues > EDIT_MAX_ISSUES)
        r->nissues = EDIT_MAX_ISSUES;
    return r->nissues == 0;
}

int edit_audit_insert(db *d, int64_t change, const table *t, int64_t rowid, mr_err *e)
{
    return db_audit_rows(d, change, t, rowid, "insert", e);
}

int edit_audit_delete(db *d, int64_t change, const table *t, int64_t rowid, mr_err *e)
{
    return db_audit_rows(d, change, t, rowid, "delete", e);
}

static int finish(db *d, int ok, edit_result *r, mr_err *e)
{
    if (!ok) {
        db_rollback(d);
        if (r->code == EDIT_OK)
            r->code = EDIT_ERROR;
        return r->code;
    }
    if (db_commit(d, e) < 0)
        return r->code = EDIT_ERROR;
    return r->code = EDIT_OK;
}

int edit_add(db *d, const table *t, const char *const *vals, const char *comment,
             edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    if (!writable(d, r, e) || db_begin(d, e) < 0)
        return r->code ? r->code : (r->code = EDIT_ERROR);
    if (!validate(d, t, vals, -1, r)) {
        r->code = EDIT_INVALID;
        return finish(d, 0, r, e);
    }
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %s", t->id, vals[t->key_ci] ? vals[t->key_ci] : "");
    int ok = db_row_insert(d, t, vals, 0, &r->rowid, e) == 0 &&
             (r->change = db_change_add(d, edit_now(), edit_who(), "add", t->id, buf_str(&sum),
                                        comment, 0, e)) > 0 &&
             edit_audit_insert(d, r->change, t, r->rowid, e) == 0;
    buf_free(&sum);
    return finish(d, ok, r, e);
}

void edit_identity_issue(const table *t, vissue *x)
{
    buf h = BUF_INIT;
    col_header(&t->cols[t->rowid_ci], &h);
    x->ci = t->rowid_ci;
    x->kind = VI_TYPE;
    snprintf(x->msg, sizeof x->msg,
             _("%s: is the row's identity in the audit trail and cannot be changed "
               "(add the row under the new number and remove this one)"), buf_str(&h));
    buf_free(&h);
}

static char *dupz(const char *s) { return s && *s ? xstrdup(s) : NULL; }

static void add_conflict(edit_result *r, int ci, const char *base, const char *mine,
                         const char *theirs)
{
    r->conflicts = xrealloc(r->conflicts, sizeof *r->conflicts * (size_t)(r->nconflicts + 1));
    edit_conflict *c = &r->conflicts[r->nconflicts++];
    c->ci = ci;
    c->base = dupz(base);
    c->mine = dupz(mine);
    c->theirs = dupz(theirs);
}

int edit_set(db *d, const table *t, int64_t rowid, const char *const *base,
             const char *const *vals, const char *comment, edit_result *r, mr_err *e)
{
    return edit_set_ex(d, t, rowid, base, vals, NULL, comment, r, e);
}

int edit_set_ex(db *d, const table *t, int64_t rowid, const char *const *base,
                const char *const *vals, const edit_set_opts *o, const char *comment,
                edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    r->rowid = rowid;
    if (!writable(d, r, e) || db_begin(d, e) < 0)
        return r->code ? r->code : (r->code = EDIT_ERROR);
    char **now = read_row(d, t, rowid);
    /* the place may hold another record now: the form's row was deleted and
     * a row put there after the form read it (the audit trail says so) */
    int64_t gone = o && o->read_at >= 0 && now ? db_row_replaced(d, o->read_at, t->id, rowid) : 0;
    if (!now || gone) {
        const char *key = base && base[t->key_ci] ? base[t->key_ci] : "";
        if (gone)
            err_set(e, EXIT_CONFLICT,
                    _("%s %s: the record was deleted by someone else (change %lld); nothing was written"),
                    t->id, key, (long long)gone);
        else
            err_set(e, EXIT_CONFLICT, _("%s %s: the record was deleted by someone else; nothing was written"),
                    t->id, key);
        free_row(now, t->ncols);
        r->code = EDIT_CONFLICT;
        r->deleted = 1;
        return finish(d, 0, r, e);
    }
    /* set --expect: each expected column must hold what the script read */
    int first = -1;
    for (int i = 0; o && o->expect && i < t->ncols; i++)
        if (o->expect[i] && !same(o->expect[i], now[i])) {
            add_conflict(r, i, o->expect[i], vals[i], now[i]);
            if (first < 0)
                first = i;
        }
    if (first >= 0) {
        err_set(e, EXIT_CONFLICT, _("%s: someone else changed this row since you read it (%s: now '%s'); nothing was written"),
                t->id, t->cols[first].label, now[first] ? now[first] : "");
        r->code = EDIT_CONFLICT;
        r->theirs = now;
        r->ntheirs = t->ncols;
        return finish(d, 0, r, e);
    }
    /* the three-way merge: what the clerk changed over what is there now,
     * the rest as it is now */
    const char **merged = xcalloc((size_t)t->ncols, sizeof *merged);
    for (int i = 0; i < t->ncols; i++) {
        int mine = !base || !same(vals[i], base[i]);
        int theirs = base && !same(now[i], base[i]);
        merged[i] = mine ? vals[i] : now[i];
        if (mine && theirs && !same(vals[i], now[i])) {
            add_conflict(r, i, base[i], vals[i], now[i]);
            if (first < 0)
                first = i;
        } else if (theirs && !mine) {
            r->kept++;
        }
    }
    if (first >= 0) {
        err_set(e, EXIT_CONFLICT,
                _("%s %s: %d field(s) changed both by you and by someone else since you read it "
                  "(%s: yours '%s', now '%s'); nothing was written"),
                t->id, now[t->key_ci] ? now[t->key_ci] : "", r->nconflicts, t->cols[first].label,
                vals[first] ? vals[first] : "", now[first] ? now[first] : "");
        free(merged);
        r->kept = 0;
        r->code = EDIT_CONFLICT;
        r->theirs = now;
        r->ntheirs = t->ncols;
        r->read_at = db_change_max(d);   /* in the transaction theirs was read in */
        return finish(d, 0, r, e);
    }
    if (!validate(d, t, (const char *const *)merged, rowid, r)) {
        r->code = EDIT_INVALID;
        free(merged);
        free_row(now, t->ncols);
        return finish(d, 0, r, e);
    }
    /* the row's identity: its history, its undo and the runs of rows
     * imports add are kept by it, so it never changes under them */
    if (t->rowid_ci >= 0 && !same(merged[t->rowid_ci], now[t->rowid_ci])) {
        edit_identity_issue(t, &r->issues[r->nissues++]);
        r->code = EDIT_INVALID;
        free(merged);
        free_row(now, t->ncols);
        return finish(d, 0, r, e);
    }
    /* only the fields written are recorded, in the summary and the audit */
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %s:", t->id, now[t->key_ci] ? now[t->key_ci] : "");
    int changed = 0, ok;
    for (int i = 0; i < t->ncols; i++)
        if (!same(merged[i], now[i]))
            buf_printf(&sum, "%s%s", changed++ ? "," : " ", t->cols[i].id);
    if (!changed) {
        free(merged);
        free_row(now, t->ncols);
        buf_free(&sum);
        db_rollback(d);
        return r->code = EDIT_OK;   /* nothing to record */
    }
    r->change = db_change_add(d, edit_now(), edit_who(), "set", t->id, buf_str(&sum), comment, 0, e);
    ok = r->change > 0;
    const char *key = merged[t->key_ci] ? merged[t->key_ci] : now[t->key_ci];
    for (int i = 0; ok && i < t->ncols; i++)
        if (!same(merged[i], now[i]))
            ok = db_row_update(d, t, rowid, i, merged[i], e) == 0 &&
                 db_audit_add(d, r->change, t->id, rowid, key, "update", t->cols[i].id, now[i],
                              merged[i] && *merged[i] ? merged[i] : NULL, e) == 0;
    free(merged);
    free_row(now, t->ncols);
    buf_free(&sum);
    return finish(d, ok, r, e);
}

int edit_rm(db *d, const table *t, int64_t rowid, const char *comment, edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    r->rowid = rowid;
    if (!writable(d, r, e) || db_begin(d, e) < 0)
        return r->code ? r->code : (r->code = EDIT_ERROR);
    cursor *c = db_select_rowid(d, t, rowid, e);
    if (!c || cursor_next(c) != 1) {
        cursor_free(c);
        err_set(e, EXIT_NOTFOUND, _("%s: no such row"), t->id);
        r->code = EDIT_REFUSED;
        return finish(d, 0, r, e);
    }
    link_in *li;
    int nli = links_in_get(d, t, c, &li);
    if (nli) {
        const schema *s = db_schema(d);
        buf b = BUF_INIT;
        for (int i = 0; i < nli; i++) {
            const table *u = &s->tables[li[i].ti];
            buf_printf(&b, "%s%s.%s (%lld:", i ? "; " : "", u->id, u->cols[li[i].ci].id,
                       (long long)li[i].count);
            db_filter f = {li[i].ci, li[i].value, DBF_EQ};
            cursor *rc = db_select(d, u, &f, 1, -1, 0, 5, NULL);
            while (rc && cursor_next(rc) == 1) {
                const char *k = cursor_val(rc, u->key_ci);
                buf_printf(&b, " %s", k ? k : "?");
            }
            cursor_free(rc);
            buf_puts(&b, li[i].count > 5 ? " …)" : ")");
        }
        err_set(e, EXIT_NOTFOUND, _("%s: cannot delete %s, other rows link to it: %s"), t->id,
                cursor_val(c, t->key_ci) ? cursor_val(c, t->key_ci) : "", buf_str(&b));
        buf_free(&b);
        links_in_free(li, nli);
        cursor_free(c);
        r->code = EDIT_REFUSED;
        return finish(d, 0, r, e);
    }
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %s", t->id, cursor_val(c, t->key_ci) ? cursor_val(c, t->key_ci) : "");
    cursor_free(c);
    r->change = db_change_add(d, edit_now(), edit_who(), "rm", t->id, buf_str(&sum), comment, 0, e);
    int ok = r->change > 0 && edit_audit_delete(d, r->change, t, rowid, e) == 0 &&
             db_row_delete(d, t, rowid, e) == 0;
    buf_free(&sum);
    return finish(d, ok, r, e);
}

/* Reverting a change goes through its audit rows twice, streaming them:
 * first to find a later change that touched the same rows (then nothing is
 * done), then newest first to put each back. */
typedef struct revert_ctx {
    db *d;
    int64_t x;          /* the change reverted */
    int64_t change;     /* the undo or redo recording it */
    int64_t rowid;      /* the last row put back */
    mr_err *e;
} revert_ctx;

static int check_later(void *arg, const audit_row *a)
{
    revert_ctx *c = arg;
    int64_t later = db_audit_later(c->d, c->x, a->tbl, a->row_id,
                                   strcmp(a->op, "update") == 0 ? a->field : NULL);
    if (!later)
        return 0;
    err_set(c->e, EXIT_NOTFOUND,
            _("cannot undo change %lld: change %lld later changed %s %s%s%s; undo that first"),
            (long long)c->x, (long long)later, a->tbl, a->row_key ? a->row_key : "",
            a->field ? " " : "", a->field ? a->field : "");
    return 1;
}

/* Put one audited row back; nonzero on failure (e says why). */
static int put_back(void *arg, const audit_row *a)
{
    revert_ctx *c = arg;
    const table *t = schema_table(db_schema(c->d), a->tbl);
    int ok;
    if (!t) {
        err_set(c->e, EXIT_DB, _("change %lld names an unknown register %s"), (long long)c->x, a->tbl);
        return 1;
    }
    if (strcmp(a->op, "insert") == 0) {
        ok = edit_audit_delete(c->d, c->change, t, a->row_id, c->e) == 0 &&
             db_row_delete(c->d, t, a->row_id, c->e) == 0;
    } else if (strcmp(a->op, "delete") == 0) {
        char **v = db_json_values(c->d, t, a->old);
        ok = db_row_insert(c->d, t, (const char *const *)v, a->row_id, NULL, c->e) == 0 &&
             edit_audit_insert(c->d, c->change, t, a->row_id, c->e) == 0;
        free_row(v, t->ncols);
    } else {
        int ci = table_col(t, a->field);
        ok = ci >= 0 && db_row_update(c->d, t, a->row_id, ci, a->old, c->e) == 0 &&
             db_audit_add(c->d, c->change, t->id, a->row_id, a->row_key, "update", a->field,
                          a->new_, a->old, c->e) == 0;
    }
    c->rowid = a->row_id;
    return !ok;
}

/* Revert the audit rows of change x as change `kind` (undo or redo). */
static int revert(db *d, int64_t x, const char *kind, const char *comment, edit_result *r, mr_err *e)
{
    db_change ch;
    if (!db_change_get(d, x, &ch)) {
        err_set(e, EXIT_NOTFOUND, _("no change %lld"), (long long)x);
        r->code = EDIT_REFUSED;
        return finish(d, 0, r, e);
    }
    if (ch.undone_by) {
        err_set(e, EXIT_NOTFOUND, _("change %lld was already undone by change %lld"), (long long)x,
                (long long)ch.undone_by);
        r->code = EDIT_REFUSED;
        return finish(d, 0, r, e);
    }
    revert_ctx c = {d, x, 0, 0, e};
    int rc = db_audit_each(d, x, 0, check_later, &c);
    if (rc != 0) {
        if (rc < 0)
            err_set(e, EXIT_DB, _("%s: cannot read the audit trail"), db_path(d));
        r->code = rc < 0 ? EDIT_ERROR : EDIT_REFUSED;
        return finish(d, 0, r, e);
    }
    /* an undone import or delete may bring back rows others link to
     * only after it removed rows: check foreign keys at the end */
    db_defer_fks(d);
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %lld", kind, (long long)x);
    r->change = c.change = db_change_add(d, edit_now(), edit_who(), kind, ch.tbl, buf_str(&sum),
                                         comment, x, e);
    int ok = r->change > 0 && (rc = db_audit_each(d, x, 1, put_back, &c)) == 0;
    if (rc < 0)
        err_set(e, EXIT_DB, _("%s: cannot read the audit trail"), db_path(d));
    r->rowid = c.rowid;
    ok = ok && db_change_set_undone(d, x, r->change, e) == 0;
    /* redoing (undoing an undo) puts the original change back in effect */
    if (ok && ch.undoes)
        ok = db_change_set_undone(d, ch.undoes, 0, e) == 0;
    buf_free(&sum);
    return finish(d, ok, r, e);
}

int edit_undo(db *d, int64_t change, const char *comment, edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    if (!writable(d, r, e) || db_begin(d, e) < 0)
        return r->code ? r->code : (r->code = EDIT_ERROR);
    if (!change)
        change = db_change_last(d, 0);
    if (!change) {
        err_set(e, EXIT_NOTFOUND, "%s", _("nothing to undo"));
        r->code = EDIT_REFUSED;
        return finish(d, 0, r, e);
    }
    return revert(d, change, "undo", comment, r, e);
}

int edit_redo(db *d, const char *comment, edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    if (!writable(d, r, e) || db_begin(d, e) < 0)
        return r->code ? r->code : (r->code = EDIT_ERROR);
    int64_t u = db_change_last(d, 1);
    if (!u) {
        err_set(e, EXIT_NOTFOUND, "%s", _("nothing to redo"));
        r->code = EDIT_REFUSED;
        return finish(d, 0, r, e);
    }
    return revert(d, u, "redo", comment, r, e);
}
