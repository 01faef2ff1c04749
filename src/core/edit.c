/* edit.c — validated, audited writes (see edit.h). */
#include "config.h"
#include "edit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boundary.h"
#include "change.h"
#include "i18n.h"
#include "life.h"
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
    const char *u = edit_user();
    const char *ssh = getenv("SSH_CLIENT");
    if (ssh && *ssh) {
        int n = (int)strcspn(ssh, " ");
        snprintf(who, sizeof who, "%s@%.*s", u, n, ssh);
    } else {
        snprintf(who, sizeof who, "%s", u);
    }
    return who;
}

const char *edit_user(void)
{
    const char *u = getenv("USER");
    if (!u || !*u)
        u = getenv("LOGNAME");
    return u && *u ? u : "unknown";
}

/* "2026-11-30T08:00:00Z" as the clerk's local time, "2026-11-30 16:00" */
const char *edit_local_time(const char *utc)
{
    static char out[32];
    struct tm tm = {0};
    const char *end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!end || *end) {
        snprintf(out, sizeof out, "%s", utc);
        return out;
    }
    time_t t = timegm(&tm);
    struct tm lt;
    localtime_r(&t, &lt);
    strftime(out, sizeof out, "%Y-%m-%d %H:%M", &lt);
    return out;
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

static const char *or_empty(const char *s) { return s ? s : ""; }

int edit_same(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

/* The row's current values (ncols strings; NULL for SQL NULL). */
char **edit_read_row(db *d, const table *t, int64_t rowid)
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

void edit_free_row(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int edit_writable(db *d, edit_result *r, mr_err *e)
{
    if (!db_readonly(d))
        return 1;
    int why = db_readonly_why(d);
    err_set(e, db_readonly_exit(d), _("%s is open read-only (%s): nothing was changed"), db_path(d),
            db_readonly_reason(d) ? db_readonly_reason(d)
            : why == DB_RO_FOLDER ? _("its folder is not writable, and a write needs to create "
                                    "the -wal and -shm files beside it")
            : why == DB_RO_FILE ? _("the file is not writable")
                                : _("-r"));
    r->code = EDIT_REFUSED;
    return 0;
}

/* 1: the row is good; 0: it is not (r->issues say why); -1: a lookup
 * failed (e says why: a damaged file as such), with r->code EDIT_ERROR. */
static int validate(db *d, const table *t, const char *const *vals, int64_t self, edit_result *r,
                    mr_err *e)
{
    validator *v = validator_new(d, t);
    int n = validator_row(v, vals, self, r->issues, EDIT_MAX_ISSUES);
    if (n < 0)
        validator_error(v, e);
    validator_free(v);
    if (n < 0) {
        r->nissues = 0;
        r->code = EDIT_ERROR;
        return -1;
    }
    r->nissues = n > EDIT_MAX_ISSUES ? EDIT_MAX_ISSUES : n;
    if (n)
        r->code = EDIT_INVALID;
    return n == 0;
}

/* The end of every write: the change committed (ok) or rolled back. */
int edit_finish(chg *w, int ok, edit_result *r, mr_err *e)
{
    if (!ok) {
        chg_abort(w);
        if (r->code == EDIT_OK)
            r->code = EDIT_ERROR;
        return r->code;
    }
    if (chg_commit(w, e) < 0)
        return r->code = EDIT_ERROR;
    return r->code = EDIT_OK;
}

/* ---- links: a value other rows name is not renamed or removed under them.
 * One rule for every writer (set, rm, undo, redo; import --upsert refuses a
 * rename itself): the rows of other registers whose link column names the
 * value are listed and the write refused, unless the clerk asked to
 * cascade, which writes the new value (or, for a removal, nothing) into
 * those rows in the same audited change. */
typedef struct linkfix {
    db *d;
    const char *old, *new_;   /* new_ NULL: the row is removed */
    int cascade;
    chg *w;                   /* cascade: the change recording the updates */
    int64_t own;              /* rows this change touched do not count (undo) */
    int n;                    /* rows found */
    buf list;                 /* the first of them, named */
    mr_err *e;
} linkfix;

/* item old of a ';'-list replaced by new_ (NULL: dropped) */
static char *list_replace(const char *list, const char *old, const char *new_)
{
    buf b = BUF_INIT;
    const char *p = list;
    int first = 1;
    while (*p) {
        size_t n = strcspn(p, ";");
        int same = strlen(old) == n && strncmp(p, old, n) == 0;
        if (!same || new_) {
            buf_puts(&b, first ? "" : ";");
            if (same)
                buf_puts(&b, new_);
            else
                buf_add(&b, p, n);
            first = 0;
        }
        p += n;
        if (*p == ';')
            p++;
    }
    return buf_steal(&b);
}

static int link_row(void *arg, const table *u, int uci, int64_t rowid)
{
    linkfix *l = arg;
    int own = l->own ? db_change_touched(l->d, l->own, u->id, rowid, l->e) : DB_NOT_FOUND;
    if (own == DB_ERROR)
        return -1;
    if (own == DB_FOUND)
        return 0;
    cursor *c = db_select_rowid(l->d, u, rowid, l->e);
    if (!c || cursor_next(c) != 1) {
        cursor_free(c);
        return -1;
    }
    const char *key = cursor_val(c, u->key_ci), *v = cursor_val(c, uci);
    char *keep_key = xstrdup(key ? key : "");
    char *nv = !v ? NULL : u->cols[uci].multi ? list_replace(v, l->old, l->new_)
                         : l->new_ ? xstrdup(l->new_) : NULL;
    char *ov = v ? xstrdup(v) : NULL;
    cursor_free(c);
    int rc = 0;
    if (!l->cascade) {
        if (l->n < 5)
            buf_printf(&l->list, "%s%s %s", l->n ? ", " : "", u->id, keep_key);
        l->n++;
    } else if ((!nv || !*nv) && u->cols[uci].required) {
        buf h = BUF_INIT;
        col_header(&u->cols[uci], &h);
        err_set(l->e, EXIT_NOTFOUND,
                _("%s %s: %s is required, so the link to '%s' cannot be cleared; change that row first"),
                u->id, keep_key, buf_str(&h), l->old);
        buf_free(&h);
        rc = 1;
    } else {
        const char *w = nv && *nv ? nv : NULL;
        rc = chg_update(l->w, u, rowid, keep_key, uci, ov, w, l->e) < 0 ? -1 : 0;
        l->n++;
    }
    free(keep_key);
    free(nv);
    free(ov);
    return rc;
}

/* Rows linking to value old of column ci of t: counted and named in l
 * (cascade 0), or changed to new_ (cascade 1).  Returns 0, 1 when refused
 * (e says why), -1 on error. */
static int links_fix(linkfix *l, const table *t, int ci)
{
    return links_rows_each(l->d, t, ci, l->old, link_row, l);
}

/* Refuse a rename or removal of row `key` of t whose linked columns change
 * from now[] to vals[] (vals NULL: removal) when rows link to them, or,
 * with cascade, carry the change into those rows (w must be set).
 * own: rows that change touched are not counted.  reverting: the undo or
 * redo asking ("undo 5"; NULL for set and rm).  0: go on; else refused (e
 * set). */
int edit_links_guard(db *d, const table *t, const char *const *now, const char *const *vals,
                     int cascade, chg *w, int64_t own, const char *reverting, int *linked,
                     mr_err *e)
{
    for (int ci = 0; ci < t->ncols; ci++) {
        const char *o = now[ci], *nv = vals ? vals[ci] : NULL;
        if (!o || !*o || (vals && nv && strcmp(o, nv) == 0) || !links_is_target(d, t, ci))
            continue;
        linkfix l = {d, o, nv && *nv ? nv : NULL, cascade, w, own, 0, BUF_INIT, e};
        int rc = links_fix(&l, t, ci);
        if (rc == 0 && !cascade && l.n) {
            if (linked)
                *linked = l.n;
            buf h = BUF_INIT;
            col_header(&t->cols[ci], &h);
            const char *k = now[t->key_ci] ? now[t->key_ci] : "";
            const char *more = l.n > 5 ? " …" : "";
            if (reverting)   /* later changes made those links: they go first */
                err_set(e, EXIT_CONFLICT,
                        _("cannot %s: it would %s %s %s, and %d other rows link to it now: %s%s"),
                        reverting, vals ? _("change back") : _("remove"), t->id, k, l.n,
                        buf_str(&l.list), more);
            else if (vals)
                err_set(e, EXIT_NOTFOUND, _("%s %s: cannot change %s from '%s', %d other rows link "
                                            "to it: %s%s (--cascade changes them too)"),
                        t->id, k, buf_str(&h), o, l.n, buf_str(&l.list), more);
            else
                err_set(e, EXIT_NOTFOUND, _("%s: cannot delete %s, %d other rows link to it: %s%s "
                                            "(--cascade clears their links)"),
                        t->id, k, l.n, buf_str(&l.list), more);
            buf_free(&h);
            rc = 1;
        } else if (rc < 0 && !e->code) {
            db_error(d, e, NULL);
        }
        buf_free(&l.list);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_normal(db *d, const table *t, const char *const *vals, const char *comment,
                      edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    chg *w;
    if (!edit_writable(d, r, e) || !(w = chg_begin(d, e)))
        return r->code ? r->code : (r->code = EDIT_ERROR);
    if (validate(d, t, vals, -1, r, e) <= 0)
        return edit_finish(w, 0, r, e);
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %s", t->id, vals[t->key_ci] ? vals[t->key_ci] : "");
    int ok = (r->change = chg_record(w, "add", t->id, buf_str(&sum), comment, 0, e)) > 0 &&
             chg_insert(w, t, vals, 0, &r->rowid, e) == 0;
    buf_free(&sum);
    return edit_finish(w, ok, r, e);
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
             const char *const *vals, const char *comment, int flags, edit_result *r, mr_err *e)
{
    edit_set_opts o = {.read_at = -1, .flags = flags};
    return edit_set_ex(d, t, rowid, base, vals, &o, comment, r, e);
}

static int set_ex_normal(db *d, const table *t, int64_t rowid, const char *const *base,
                         const char *const *vals, const edit_set_opts *o, const char *comment,
                         edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    r->rowid = rowid;
    chg *w;
    if (!edit_writable(d, r, e) || !(w = chg_begin(d, e)))
        return r->code ? r->code : (r->code = EDIT_ERROR);
    char **now = edit_read_row(d, t, rowid);
    /* the place may hold another record now: the form's row was deleted and
     * a row put there after the form read it (the audit trail says so) */
    int64_t gone = 0;
    if (o && o->read_at >= 0 && now && db_row_replaced(d, o->read_at, t->id, rowid, &gone, e) == DB_ERROR) {
        edit_free_row(now, t->ncols);
        r->code = EDIT_ERROR;
        return edit_finish(w, 0, r, e);
    }
    if (!now || gone) {
        const char *key = base && base[t->key_ci] ? base[t->key_ci] : "";
        if (gone)
            err_set(e, EXIT_CONFLICT,
                    _("%s %s: the record was deleted by someone else (change %lld); nothing was written"),
                    t->id, key, (long long)gone);
        else
            err_set(e, EXIT_CONFLICT, _("%s %s: the record was deleted by someone else; nothing was written"),
                    t->id, key);
        edit_free_row(now, t->ncols);
        r->code = EDIT_CONFLICT;
        r->deleted = 1;
        return edit_finish(w, 0, r, e);
    }
    /* set --expect: each expected column must hold what the script read */
    int first = -1;
    for (int i = 0; o && o->expect && i < t->ncols; i++)
        if (o->expect[i] && !edit_same(o->expect[i], now[i])) {
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
        return edit_finish(w, 0, r, e);
    }
    /* the three-way merge: what the clerk changed over what is there now,
     * the rest as it is now */
    const char **merged = xcalloc((size_t)t->ncols, sizeof *merged);
    for (int i = 0; i < t->ncols; i++) {
        int mine = !base || !edit_same(vals[i], base[i]);
        int theirs = base && !edit_same(now[i], base[i]);
        merged[i] = mine ? vals[i] : now[i];
        if (mine && theirs && !edit_same(vals[i], now[i])) {
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
        /* in the transaction theirs was read in; not known: -1 (the
         * next save is then checked field by field only) */
        if (db_change_max(d, &r->read_at, NULL) != 0)
            r->read_at = -1;
        return edit_finish(w, 0, r, e);
    }
    if ((t == life_events(db_schema(d)) &&
         life_event_set_check(t, (const char *const *)now, merged, r, e) < 0) ||
        validate(d, t, (const char *const *)merged, rowid, r, e) <= 0) {
        free(merged);
        edit_free_row(now, t->ncols);
        return edit_finish(w, 0, r, e);
    }
    int cascade = o && (o->flags & EDIT_CASCADE);
    if (edit_links_guard(d, t, (const char *const *)now, (const char *const *)merged, 0, NULL, 0, NULL,
                    &r->linked, e) != 0 &&
        (!cascade || e->code != EXIT_NOTFOUND || (err_clear(e), r->linked = 0, 0))) {
        r->code = EDIT_REFUSED;
        free(merged);
        edit_free_row(now, t->ncols);
        return edit_finish(w, 0, r, e);
    }
    /* only the fields written are recorded, in the summary and the audit */
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %s:", t->id, now[t->key_ci] ? now[t->key_ci] : "");
    int changed = 0, ok;
    for (int i = 0; i < t->ncols; i++)
        if (!edit_same(merged[i], now[i]))
            buf_printf(&sum, "%s%s", changed++ ? "," : " ", t->cols[i].id);
    if (!changed) {
        free(merged);
        edit_free_row(now, t->ncols);
        buf_free(&sum);
        chg_abort(w);
        return r->code = EDIT_OK;   /* nothing to record */
    }
    if (cascade)
        db_defer_fks(d);   /* the linking rows follow the row they name, below */
    r->change = chg_record(w, "set", t->id, buf_str(&sum), comment, 0, e);
    ok = r->change > 0;
    const char *key = merged[t->key_ci] ? merged[t->key_ci] : now[t->key_ci];
    for (int i = 0; ok && i < t->ncols; i++)
        if (!edit_same(merged[i], now[i]))
            ok = chg_update(w, t, rowid, key, i, now[i], merged[i], e) == 0;
    if (ok && cascade) {
        int rc = edit_links_guard(d, t, (const char *const *)now, (const char *const *)merged, 1, w,
                             0, NULL, NULL, e);
        if (rc > 0)
            r->code = EDIT_REFUSED;
        ok = rc == 0;
    }
    free(merged);
    edit_free_row(now, t->ncols);
    buf_free(&sum);
    return edit_finish(w, ok, r, e);
}

/* Numbers as the register keeps them (validate.h): "+1" or "1." typed
 * over 1 is no change, and the audit says what is stored. */
int edit_add(db *d, const table *t, const char *const *vals, const char *comment,
             edit_result *r, mr_err *e)
{
    /* a registration event is applied to its permit, as `minreg event` does */
    if (t == life_events(db_schema(d)))
        return life_event_row(d, NULL, vals, comment, r, NULL, e);
    char **v = values_normal(t, vals);
    int rc = add_normal(d, t, (const char *const *)v, comment, r, e);
    values_free(t, v);
    return rc;
}

int edit_set_ex(db *d, const table *t, int64_t rowid, const char *const *base,
                const char *const *vals, const edit_set_opts *o, const char *comment,
                edit_result *r, mr_err *e)
{
    char **v = values_normal(t, vals);
    int rc = set_ex_normal(d, t, rowid, base, (const char *const *)v, o, comment, r, e);
    values_free(t, v);
    return rc;
}

int edit_rm(db *d, const table *t, int64_t rowid, const char *comment, int flags, edit_result *r,
            mr_err *e)
{
    memset(r, 0, sizeof *r);
    r->rowid = rowid;
    chg *w;
    if (!edit_writable(d, r, e) || !(w = chg_begin(d, e)))
        return r->code ? r->code : (r->code = EDIT_ERROR);
    char **now = edit_read_row(d, t, rowid);
    if (!now) {
        err_set(e, EXIT_NOTFOUND, _("%s: no such row"), t->id);
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    /* an event is what was done to its permit, which it changed in the
     * same change: removing the row alone would leave the permit changed
     * by an event no longer there */
    if (t == life_events(db_schema(d))) {
        err_set(e, EXIT_NOTFOUND,
                _("%s %s: an event is part of its permit's history and changed the permit when it "
                  "was recorded; it is not removed alone (undo the change that recorded it, which "
                  "takes the permit back too: `minreg log %s %s` names it); nothing was written"),
                t->id, or_empty(now[t->key_ci]), t->id, or_empty(now[t->key_ci]));
        edit_free_row(now, t->ncols);
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    int cascade = flags & EDIT_CASCADE;
    if (edit_links_guard(d, t, (const char *const *)now, NULL, 0, NULL, 0, NULL, &r->linked, e) != 0 &&
        (!cascade || e->code != EXIT_NOTFOUND || (err_clear(e), r->linked = 0, 0))) {
        edit_free_row(now, t->ncols);
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    buf sum = BUF_INIT;
    buf_printf(&sum, "%s %s", t->id, now[t->key_ci] ? now[t->key_ci] : "");
    r->change = chg_record(w, "rm", t->id, buf_str(&sum), comment, 0, e);
    int ok = r->change > 0;
    if (ok && cascade) {
        db_defer_fks(d);   /* SQL's own foreign keys are checked at commit */
        int rc = edit_links_guard(d, t, (const char *const *)now, NULL, 1, w, 0, NULL, NULL, e);
        if (rc > 0)
            r->code = EDIT_REFUSED;
        ok = rc == 0;
    }
    ok = ok && chg_delete(w, t, rowid, e) == 0;
    edit_free_row(now, t->ncols);
    buf_free(&sum);
    return edit_finish(w, ok, r, e);
}

int edit_set_boundary(db *d, const table *t, int64_t rowid, const char *text, const char *comment,
                      edit_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    r->rowid = rowid;
    chg *w;
    if (!edit_writable(d, r, e) || !(w = chg_begin(d, e)))
        return r->code ? r->code : (r->code = EDIT_ERROR);
    char **now = edit_read_row(d, t, rowid);
    if (!now) {
        err_set(e, EXIT_NOTFOUND, _("%s: no such row"), t->id);
        r->code = EDIT_REFUSED;
        return edit_finish(w, 0, r, e);
    }
    char *old;
    if (db_shape_text(d, t->id, rowid, &old, e) == DB_ERROR) {
        edit_free_row(now, t->ncols);
        r->code = EDIT_ERROR;
        return edit_finish(w, 0, r, e);
    }
    int ok = 1;
    if (!edit_same(old, text)) {
        buf sum = BUF_INIT;
        buf_printf(&sum, "%s %s %s", t->id, or_empty(now[t->key_ci]), text && *text ? _("boundary") : _("boundary removed"));
        ok = (r->change = chg_record(w, "set", t->id, buf_str(&sum), comment, 0, e)) > 0 &&
             chg_set_boundary(w, t, rowid, now[t->key_ci], text, e) == 0;
        buf_free(&sum);
    }
    free(old);
    edit_free_row(now, t->ncols);
    return edit_finish(w, ok, r, e);
}
