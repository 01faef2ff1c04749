/* edit_undo.c — undo and redo (see edit.h): a change's audit rows checked
 * against the register as it is now, then put back as a change of their
 * own; and what a change did, in words, for the clerk about to undo it. */
#include "config.h"
#include "edit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "change.h"
#include "i18n.h"
#include "links.h"

static const char *or_empty(const char *s) { return s ? s : ""; }

/* Reverting a change goes through its audit rows twice, streaming them:
 * first to find a later change that touched the same rows (then nothing is
 * done), then newest first to put each back. */
typedef struct revert_ctx {
    db *d;
    int64_t x;          /* the change reverted */
    chg *w;             /* the undo or redo recording it */
    int64_t rowid;      /* the last row put back */
    const char *kind;   /* "undo" or "redo", for messages */
    mr_err *e;
    unsigned rows;      /* audit rows gone through: asked to stop every 64 */
    int constraint;     /* a row put back broke a UNIQUE or other constraint */
    int failed;         /* a lookup failed (e says why): an error, not a refusal */
} revert_ctx;

/* An undo of a large import is many short statements, each too short for
 * the progress handler: between them, ask whether to stop. */
static int revert_stop(revert_ctx *c)
{
    /* a statement the progress handler stopped may have been one whose
     * failure reads as "nothing found" (a later change, a link): the stop
     * holds for the whole revert */
    if (db_interrupted(c->d)) {
        err_set(c->e, EXIT_CANCELLED, _("%s: cancelled; nothing was written"), db_path(c->d));
        return 1;
    }
    return (++c->rows & 63) == 0 && db_cancel_asked(c->d, c->e);
}

/* Before anything is written: each row the change touched must still be as
 * the change left it.  A later change still in effect that touched the row
 * (or the field) is named; a row gone, renamed, holding another value (an
 * edit made outside minreg), a removed row's key taken by another row, or
 * rows that link to what the revert would rename or remove, are refused
 * alike (exit 6), with nothing written. */
static int check_current(void *arg, const audit_row *a)
{
    revert_ctx *c = arg;
    if (revert_stop(c))
        return 1;
    const char *what = strcmp(c->kind, "undo") == 0 ? _("undo") : _("redo");
    int upd = strcmp(a->op, "update") == 0;
    int64_t later;
    int got = db_audit_later(c->d, c->x, a->tbl, a->row_id, upd ? a->field : NULL, &later, c->e);
    if (got == DB_ERROR)
        return c->failed = 1;
    if (got == DB_FOUND) {
        err_set(c->e, EXIT_CONFLICT,
                _("cannot %s change %lld: change %lld later changed %s %s%s%s; undo that first"),
                what, (long long)c->x, (long long)later, a->tbl, or_empty(a->row_key),
                a->field ? " " : "", or_empty(a->field));
        return 1;
    }
    const table *t = schema_table(db_schema(c->d), a->tbl);
    if (!t)
        return 0;   /* put_back names it */
    if (upd && a->field && strcmp(a->field, BOUNDARY_FIELD) == 0) {
        /* a boundary: it must be as the change left it (its row may
         * come back only later in the same revert) */
        char *cur;
        if (db_shape_text(c->d, t->id, a->row_id, &cur, c->e) == DB_ERROR)
            return c->failed = 1;
        int differs = !edit_same(cur, a->new_);
        if (differs)
            err_set(c->e, EXIT_CONFLICT,
                    _("cannot %s change %lld: the boundary of %s %s is not as the change left it "
                      "(changed outside minreg?)"), what, (long long)c->x, a->tbl, or_empty(a->row_key));
        free(cur);
        return differs;
    }
    char **now = edit_read_row(c->d, t, a->row_id);
    int bad = 0;
    if (strcmp(a->op, "delete") == 0) {
        /* the row comes back: its identity and its key must be free */
        char **v;
        int64_t other = 0;
        int found = DB_NOT_FOUND, touched = DB_NOT_FOUND;
        if (db_json_values(c->d, t, a->old, &v, c->e) != 0) {
            bad = c->failed = 1;
        } else if (now) {
            err_set(c->e, EXIT_CONFLICT, _("cannot %s change %lld: %s %s is there already"), what,
                    (long long)c->x, a->tbl, or_empty(a->row_key));
            bad = 1;
        } else if (v[t->key_ci] &&
                   ((found = db_find_by(c->d, t, t->key_ci, v[t->key_ci], &other, c->e)) == DB_ERROR ||
                    (found == DB_FOUND &&
                     (touched = db_change_touched(c->d, c->x, t->id, other, c->e)) == DB_ERROR))) {
            bad = c->failed = 1;
        } else if (found == DB_FOUND && touched == DB_NOT_FOUND) {
            err_set(c->e, EXIT_CONFLICT,
                    _("cannot %s change %lld: another row of %s now has the key %s; rename or "
                      "remove it first"), what, (long long)c->x, a->tbl, v[t->key_ci]);
            bad = 1;
        }
        edit_free_row(v, t->ncols);
        return bad;
    }
    if (!now) {
        err_set(c->e, EXIT_CONFLICT,
                _("cannot %s change %lld: %s %s is gone (removed outside minreg?)"), what,
                (long long)c->x, a->tbl, or_empty(a->row_key));
        return 1;
    }
    int ci = upd ? table_col(t, a->field) : -1, again = DB_NOT_FOUND;
    buf who = BUF_INIT;
    buf_printf(&who, "%s %lld", what, (long long)c->x);
    if (a->row_key && !value_same(&t->cols[t->key_ci], now[t->key_ci], a->row_key) &&
        !(upd && ci == t->key_ci)) {
        err_set(c->e, EXIT_CONFLICT,
                _("cannot %s change %lld: the row it changed in %s is now %s, not %s (changed "
                  "outside minreg?)"), what, (long long)c->x, a->tbl, or_empty(now[t->key_ci]),
                a->row_key);
        bad = 1;
    } else if (upd && ci >= 0 &&
               (again = db_audit_again(c->d, c->x, a->id, a->tbl, a->row_id, a->field, c->e)) !=
                   DB_NOT_FOUND) {
        /* changed again later in the same change: that later one is checked */
        if (again == DB_ERROR)
            bad = c->failed = 1;
    } else if (upd && ci >= 0 && !value_same(&t->cols[ci], now[ci], a->new_)) {
        err_set(c->e, EXIT_CONFLICT,
                _("cannot %s change %lld: %s %s %s holds '%s', not '%s' as the change left it "
                  "(changed outside minreg?)"), what, (long long)c->x, a->tbl,
                or_empty(a->row_key), a->field, or_empty(now[ci]), or_empty(a->new_));
        bad = 1;
    } else if (upd && ci >= 0) {
        /* a value others link to, changed back: they would dangle */
        char **back = xcalloc((size_t)t->ncols, sizeof *back);
        for (int i = 0; i < t->ncols; i++)
            back[i] = now[i];
        back[ci] = a->old;
        bad = edit_links_guard(c->d, t, (const char *const *)now, (const char *const *)back, 0, NULL, c->x,
                          buf_str(&who), NULL, c->e) != 0;
        free(back);
    } else if (!upd) {
        /* an added row is removed: it must be as it was added (a later undo
         * or redo may have changed it), and rows linking to it must go
         * with it */
        char **added = NULL;
        if (a->new_ && db_json_values(c->d, t, a->new_, &added, c->e) != 0)
            bad = c->failed = 1;
        for (int i = 0; added && i < t->ncols && !bad; i++)
            if (!value_same(&t->cols[i], now[i], added[i])) {
                err_set(c->e, EXIT_CONFLICT,
                        _("cannot %s change %lld: %s %s %s holds '%s', not '%s' as the change left it "
                          "(changed outside minreg?)"), what, (long long)c->x, a->tbl,
                        or_empty(a->row_key), t->cols[i].id, or_empty(now[i]), or_empty(added[i]));
                bad = 1;
            }
        edit_free_row(added, t->ncols);
        if (!bad)
            bad = edit_links_guard(c->d, t, (const char *const *)now, NULL, 0, NULL, c->x, buf_str(&who),
                              NULL, c->e) != 0;
    }
    buf_free(&who);
    edit_free_row(now, t->ncols);
    return bad;
}

/* Put one audited row back; nonzero on failure (e says why). */
static int put_back(void *arg, const audit_row *a)
{
    revert_ctx *c = arg;
    if (revert_stop(c))
        return 1;
    const table *t = schema_table(db_schema(c->d), a->tbl);
    int ok;
    if (!t) {
        err_set(c->e, EXIT_DB, _("change %lld names an unknown register %s"), (long long)c->x, a->tbl);
        return 1;
    }
    if (strcmp(a->op, "insert") == 0) {
        ok = chg_delete(c->w, t, a->row_id, c->e) == 0;
    } else if (strcmp(a->op, "delete") == 0) {
        char **v;
        ok = db_json_values(c->d, t, a->old, &v, c->e) == 0 &&
             chg_insert(c->w, t, (const char *const *)v, a->row_id, NULL, c->e) == 0;
        edit_free_row(v, t->ncols);
    } else if (a->field && strcmp(a->field, BOUNDARY_FIELD) == 0) {
        ok = chg_set_boundary(c->w, t, a->row_id, a->row_key, a->old, c->e) == 0;
    } else {
        int ci = table_col(t, a->field);
        ok = ci >= 0 && chg_update(c->w, t, a->row_id, a->row_key, ci, a->new_, a->old, c->e) == 0;
    }
    c->rowid = a->row_id;
    if (!ok && db_last_was_constraint(c->d))
        c->constraint = 1;
    return !ok;
}

/* SQLite's refusal in e restated as a conflict of reverting x: a value put
 * back that another row holds (at_commit 0), or a row brought back whose
 * link target is gone (at_commit 1, a deferred foreign key). */
static int as_conflict(mr_err *e, int at_commit, const char *kind, int64_t x)
{
    char why[sizeof e->msg];
    const char *verb = strcmp(kind, "undo") == 0 ? _("undo") : _("redo");
    snprintf(why, sizeof why, "%s", e->msg);
    if (at_commit)
        err_set(e, EXIT_CONFLICT, _("cannot %s change %lld: a row it brings back links to a row "
                                    "that is gone (%s); nothing was written"), verb, (long long)x, why);
    else
        err_set(e, EXIT_CONFLICT, _("cannot %s change %lld: what it puts back breaks a rule of the "
                                    "register now (%s); nothing was written"), verb, (long long)x, why);
    return EDIT_CONFLICT;
}

/* Revert the audit rows of change x as change `kind` (undo or redo). */
static int revert(db *d, chg *w, int64_t x, const char *kind, const char *comment, edit_result *r, mr_err *e)
{
    db_change ch;
    int got = db_change_get(d, x, &ch, e);
    if (got != DB_FOUND) {
        if (got == DB_NOT_FOUND)
            err_set(e, EXIT_NOTFOUND, _("no change %lld"), (long long)x);
        r->code = got == DB_NOT_FOUND ? EDIT_REFUSED : EDIT_ERROR;
        return edit_finish(w, 0, r, e);
    }
    if (strcmp(ch.kind, "seal") == 0) {
        err_set(e, EXIT_NOTFOUND, _("change %lld only starts the chained history; it changed no "
                                    "row, so there is nothing to %s"), (long long)x,
                strcmp(kind, "undo") == 0 ? _("undo") : _("redo"));
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    if (ch.undone_by) {
        err_set(e, EXIT_NOTFOUND, _("change %lld was already undone by change %lld"), (long long)x,
                (long long)ch.undone_by);
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    revert_ctx c = {d, x, w, 0, kind, e, 0, 0, 0};
    int rc = db_audit_each(d, x, 0, check_current, &c, e);
    if (rc != 0) {
        if (rc < 0 && db_interrupted(d))
            err_set(e, EXIT_CANCELLED, _("%s: cancelled; nothing was written"), db_path(d));
        r->code = rc < 0 || c.failed ? EDIT_ERROR : EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    /* an undone import or delete may bring back rows others link to
     * only after it removed rows: check foreign keys at the end */
    db_defer_fks(d);
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %lld", kind, (long long)x);
    r->change = chg_record(w, kind, ch.tbl, buf_str(&sum), comment, x, e);
    int ok = r->change > 0 && (rc = db_audit_each(d, x, 1, put_back, &c, e)) == 0;
    r->rowid = c.rowid;
    r->reverted = x;
    if (ok && db_interrupted(d)) {   /* a stop a statement's failure hid */
        err_set(e, EXIT_CANCELLED, _("%s: cancelled; nothing was written"), db_path(d));
        ok = 0;
    }
    ok = ok && chg_set_undone(w, x, r->change, e) == 0;
    /* redoing (undoing an undo) puts the original change back in effect */
    if (ok && ch.undoes) {
        /* the undo or redo x reverted is in effect again, and so is what
         * that one did: the change it had reverted is undone by it again */
        db_change u;
        int had = DB_NOT_FOUND;
        ok = chg_set_undone(w, ch.undoes, 0, e) == 0 &&
             (had = db_change_get(d, ch.undoes, &u, e)) != DB_ERROR &&
             (had == DB_NOT_FOUND || !u.undoes || chg_set_undone(w, u.undoes, u.id, e) == 0);
        if (had == DB_ERROR)
            r->code = EDIT_ERROR;
    }
    buf_free(&sum);
    if (!ok) {
        /* a value put back that another row now holds, or a row brought
         * back whose link target is gone: SQLite refused it; say so as a
         * conflict, as the checks above do */
        if (r->code == EDIT_OK && c.constraint)
            r->code = as_conflict(e, 0, kind, x);
        return edit_finish(w, 0, r, e);
    }
    if (chg_commit(w, e) < 0)
        return r->code = !db_commit_was_constraint(d)
                             ? EDIT_ERROR
                             : as_conflict(e, 1, kind, x);
    return r->code = EDIT_OK;
}

int edit_undo_target(db *d, int64_t *id, mr_err *e) { return db_change_last(d, 0, edit_user(), id, e); }
int edit_redo_target(db *d, int64_t *id, mr_err *e) { return db_change_last(d, 1, edit_user(), id, e); }

int edit_undo(db *d, int64_t change, const char *comment, edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    chg *w;
    if (!edit_writable(d, r, e) || !(w = chg_begin(d, e)))
        return r->code ? r->code : (r->code = EDIT_ERROR);
    if (!change && edit_undo_target(d, &change, e) == DB_ERROR) {
        r->code = EDIT_ERROR;
        return edit_finish(w, 0, r, e);
    }
    if (!change) {
        err_set(e, EXIT_NOTFOUND, _("nothing of yours (%s) to undo; undo N undoes change N, "
                                    "whoever made it"), edit_user());
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    return revert(d, w, change, "undo", comment, r, e);
}

int edit_redo(db *d, const char *comment, edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    chg *w;
    if (!edit_writable(d, r, e) || !(w = chg_begin(d, e)))
        return r->code ? r->code : (r->code = EDIT_ERROR);
    int64_t u;
    int got = edit_redo_target(d, &u, e);
    if (got == DB_ERROR) {
        r->code = EDIT_ERROR;
        return edit_finish(w, 0, r, e);
    }
    if (got == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("nothing of yours (%s) to redo"), edit_user());
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    return revert(d, w, u, "redo", comment, r, e);
}

/* ---- what a change did, for the clerk who is about to undo it ---------- */

typedef struct describe_ctx {
    db *d;
    buf *out;
    int lines, max;
} describe_ctx;

static int describe_row(void *arg, const audit_row *a)
{
    describe_ctx *c = arg;
    if (c->lines >= c->max)
        return 1;   /* the rest are counted, not read */
    c->lines++;
    const table *t = schema_table(db_schema(c->d), a->tbl);
    const char *tname = t ? t->title : a->tbl;
    if (strcmp(a->op, "update") == 0) {
        int ci = t ? table_col(t, a->field) : -1;
        buf_printf(c->out, _("  %s %s, %s: '%s' → '%s'\n"), tname, or_empty(a->row_key),
                   ci >= 0 ? t->cols[ci].label : a->field, or_empty(a->old), or_empty(a->new_));
    } else {
        buf_printf(c->out, strcmp(a->op, "insert") == 0 ? _("  %s %s: row added\n")
                                                         : _("  %s %s: row removed\n"),
                   tname, or_empty(a->row_key));
    }
    return 0;
}

/* A change's summary as a person reads it: the register by its title, the
 * fields by their labels ("mining_permits 4: area_km2,remark" reads
 * "规划基期采矿权现状表 4: 登记面积,备注"); a summary of another shape, or
 * naming what the schema no longer has, as it was recorded. */
static void summary_readable(db *d, const db_change *ch, buf *out)
{
    const table *t = *ch->tbl ? schema_table(db_schema(d), ch->tbl) : NULL;
    size_t n = strlen(ch->tbl);
    const char *s = ch->summary;
    if (!t || strncmp(s, ch->tbl, n) != 0 || s[n] != ' ') {
        buf_puts(out, s);
        return;
    }
    buf_puts(out, t->title);
    s += n;
    const char *colon = strstr(s, ": ");
    if (!colon) {
        buf_puts(out, s);
        return;
    }
    buf_add(out, s, (size_t)(colon - s) + 2);
    buf f = BUF_INIT;
    int all = 1;
    for (const char *p = colon + 2; *p;) {
        size_t k = strcspn(p, ",");
        char id[128];
        snprintf(id, sizeof id, "%.*s", (int)(k < sizeof id ? k : sizeof id - 1), p);
        int ci = table_col(t, id);
        if (ci < 0) {
            all = 0;
            break;
        }
        buf_printf(&f, "%s%s", f.len ? "," : "", t->cols[ci].label);
        p += k + (p[k] == ',');
    }
    buf_puts(out, all ? buf_str(&f) : colon + 2);
    buf_free(&f);
}

int edit_describe(db *d, int64_t change, int max, buf *out, mr_err *e)
{
    db_change ch;
    int got = db_change_get(d, change, &ch, e);
    if (got != DB_FOUND)
        return got;
    buf sum = BUF_INIT;
    summary_readable(d, &ch, &sum);
    buf_printf(out, _("change %lld by %s at %s: %s%s%s\n"), (long long)ch.id, ch.who,
               edit_local_time(ch.at), buf_str(&sum), *ch.comment ? " — " : "", ch.comment);
    buf_free(&sum);
    describe_ctx c = {d, out, 0, max};
    int rc = db_audit_each(d, change, 0, describe_row, &c, e);
    int64_t n = 0;
    if (rc > 0 && db_change_rows(d, change, &n, e) != 0)
        rc = -1;
    if (rc < 0)
        return DB_ERROR;
    if (rc > 0)
        buf_printf(out, _("  … and %lld more\n"), (long long)(n - c.lines));
    return DB_FOUND;
}
