/* form.c — adding, editing and duplicating a record; delete, undo and redo.
 *
 * A form edits a copy of the row; nothing is written until `w` saves, and
 * then through edit.c in one transaction, validated as the CLI validates.
 * The values the form opened with (base) go along, and edit_set merges
 * field by field: what another clerk changed meanwhile is kept, what this
 * clerk changed is written, and a field both changed is shown with base,
 * mine and theirs for the clerk to choose, one field at a time.  A record
 * deleted meanwhile is said to be so, with an offer to add it anew.
 *
 * Nothing typed is lost: leaving or quitting with changes asks, and when
 * the session ends without the clerk (SIGHUP, SIGTERM) the input is kept
 * as a draft (draft.h), offered the next time the record is opened.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draft.h"
#include "core/edit.h"
#include "core/i18n.h"
#include "core/life.h"
#include "core/text.h"
#include "core/validate.h"
#include "tui/form_int.h"
#include "tui/list.h"

typedef struct fview {
    const table *t;
    int64_t rowid;        /* the row edited, or -1 for a new one */
    int64_t read_at;      /* the newest change when seen was read */
    char **seen;          /* the base: the row as it was read (edit) */
    char **vals;          /* the form's values */
    char **msgs;          /* per field: a problem, or the other versions in a
                             conflict (lines separated by \n) */
    list l;               /* a line a field (and its message) */
    int dirty;
    const char *ask;      /* a question's keys, on the status line while asked */
    char *draft;          /* this form's draft file (NULL: nowhere to keep one) */
    int draft_owned;      /* recovered from it: removed when saved or discarded */
    validator *v;
    char *comment;        /* W: the change's comment, kept for a save asked again */
    int lines, cols;      /* the screen's size when last drawn */
} fview;

static char *dupn(const char *s) { return s ? xstrdup(s) : NULL; }

static void set_str(char **slot, const char *s)
{
    free(*slot);
    *slot = dupn(s);
}

int form_readonly_refused(void)
{
    if (!tui_options()->readonly)
        return 0;
    tui_error_text(tui_readonly_text());
    return 1;
}

/* ---- the form ------------------------------------------------------------------ */

static int label_width(const fview *f)
{
    int w = 6;
    buf h = BUF_INIT;
    for (int i = 0; i < f->t->ncols; i++) {
        buf_reset(&h);
        col_header(&f->t->cols[i], &h);
        int x = text_width(buf_str(&h)) + 3;   /* room for the required mark and a gap */
        if (x > w)
            w = x;
    }
    buf_free(&h);
    return w > screen_cols() / 2 ? screen_cols() / 2 : w;
}

static int msg_lines(const char *m)
{
    int n = m ? 1 : 0;
    for (; m && *m; m++)
        n += *m == '\n';
    return n;
}

static int form_height(list *l, int64_t i)
{
    fview *f = l->data;
    return 1 + msg_lines(f->msgs[i]);
}

/* A field: its label and value, and under it its message or the versions
 * of a conflict. */
static int form_line(list *l, int64_t i, int y, int room, int sel)
{
    fview *f = l->data;
    const column *c = &f->t->cols[i];
    int cols = screen_cols(), lw = label_width(f), y0 = y, end = y + room;
    int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    buf h = BUF_INIT;
    col_header(c, &h);
    if (c->required)
        buf_puts(&h, "*");
    if (sel)
        draw_fill(y, 0, cols, attr);
    draw_text(y, 0, lw, buf_str(&h), sel ? attr : ATTR_HEADER, 0);
    buf_reset(&h);
    buf_puts(&h, f->vals[i] ? f->vals[i] : "");
    if (*c->enum_s || c->link_ti >= 0)
        buf_puts(&h, sel ? "  ▾" : "");
    draw_text(y, lw, cols - lw, buf_str(&h), attr, 0);
    y++;
    if (f->msgs[i] && !strchr(f->msgs[i], '\n') && y < end) {
        buf_reset(&h);
        buf_printf(&h, "  ↳ %s", f->msgs[i]);
        draw_text(y, lw, cols - lw, buf_str(&h), ATTR_MARK, 0);
        y++;
    } else if (f->msgs[i]) {
        /* the versions of a conflict: a line each, the width of the
         * screen, so that they read at 40 columns too */
        const char *p = f->msgs[i];
        for (int k = 0; *p && y < end; k++) {
            size_t n = strcspn(p, "\n");
            buf_reset(&h);
            buf_printf(&h, "%s%.*s", k ? "    " : "  ↳ ", (int)n, p);
            draw_text(y++, 0, cols, buf_str(&h), ATTR_MARK, 0);
            p += n + (p[n] == '\n');
        }
    }
    buf_free(&h);
    return y - y0;
}

static void form_text(list *l, int64_t i, buf *out)
{
    fview *f = l->data;
    col_header(&f->t->cols[i], out);
    buf_printf(out, " %s", f->vals[i] ? f->vals[i] : "");
}

static const list_ops form_list = {
    .draw_line = form_line,
    .height = form_height,
    .text = form_text,
};

static void form_draw(view *v)
{
    fview *f = v->data;
    /* a new size: fitted anew from the first field, as far down as the
     * cursor needs (a form scrolled on a tiny screen shows its first
     * fields again once there is room) */
    if (f->lines != LINES || f->cols != COLS) {
        f->lines = LINES;
        f->cols = COLS;
        f->l.top = 0;
    }
    list_draw(&f->l);
}

static void check_field(fview *f, int ci)
{
    vissue is;
    const char *val = f->vals[ci];
    int bad = 0;
    if ((!val || !*val) && f->t->cols[ci].required)
        set_str(&f->msgs[ci], _("is required"));
    else if ((bad = validator_value(f->v, ci, val, &is)) < 0)   /* a lookup failed: its error, whole */
        set_str(&f->msgs[ci], is.msg);
    else if (bad) {
        /* the message starts with the label; the form shows it beside the field */
        const char *colon = strstr(is.msg, ": ");
        set_str(&f->msgs[ci], colon ? colon + 2 : is.msg);
    } else
        set_str(&f->msgs[ci], NULL);
}

static void edit_field(fview *f)
{
    const column *c = &f->t->cols[f->l.cur];
    buf out = BUF_INIT;
    int got = 2;   /* 2: typed on the prompt (a field without a list, or Tab in one) */
    if (*c->enum_s || c->link_ti >= 0)
        got = form_pick(c, f->vals[f->l.cur], &out);
    if (got == 2) {
        buf_reset(&out);
        buf p = BUF_INIT;
        col_header(c, &p);
        buf_puts(&p, ": ");
        prompt_spec ps = {.kind = PROMPT_VALUE, .t = f->t, .ci = f->l.cur};
        got = tui_prompt_ask(buf_str(&p), f->vals[f->l.cur], &out, &ps);
        buf_free(&p);
    }
    /* the session ended while the clerk typed: what was typed goes into the
     * draft with the rest */
    if (!got && tui_hanging_up() && strcmp(buf_str(&out), f->vals[f->l.cur] ? f->vals[f->l.cur] : ""))
        got = 1;
    if (got) {
        set_str(&f->vals[f->l.cur], out.len ? buf_str(&out) : NULL);
        f->dirty = 1;
        check_field(f, f->l.cur);
    }
    buf_free(&out);
}

static void load_seen(fview *f)
{
    const table *t = f->t;
    cursor *c = db_select_rowid(tui_db(), t, f->rowid, NULL);
    int found = c && cursor_next(c) == 1;
    for (int i = 0; i < t->ncols; i++)
        set_str(&f->seen[i], found ? cursor_val(c, i) : NULL);
    cursor_free(c);
}

static int same_val(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Wait for one key of a question (a resize redraws); 0 for anything but a
 * character, and when the program is ending. */
static uint32_t ask_key(fview *f, const char *keys)
{
    uint32_t ch = 0;
    int r;
    f->ask = keys;
    tui_redraw();
    while ((r = tui_key(&ch)) == TK_KEY && ch == KEY_RESIZE)
        tui_redraw();
    f->ask = NULL;
    return r == TK_CHAR ? ch : 0;
}

static void show_versions(fview *f, const edit_conflict *c, int full)
{
    buf m = BUF_INIT;
    const char *empty = _("(empty)");
    if (full) {
        buf_printf(&m, _("base: %s"), c->base ? c->base : empty);
        buf_puts(&m, "\n");
        buf_printf(&m, _("mine: %s"), c->mine ? c->mine : empty);
        buf_puts(&m, "\n");
    }
    buf_printf(&m, _("theirs: %s"), c->theirs ? c->theirs : empty);
    set_str(&f->msgs[c->ci], buf_str(&m));
    buf_free(&m);
}

/* Both clerks changed some fields: for each, the form goes to it and shows
 * base, mine and theirs; the clerk keeps mine or takes theirs.  All chosen:
 * the form is based on the row as it is now (what only the other clerk
 * changed comes in), returns 1, and the save is tried again, checked
 * again.  Stopped: 0, the form stays as it was based, so the next save
 * asks again. */
static int resolve(fview *f, const edit_result *r)
{
    for (int k = 0; k < r->nconflicts; k++) {
        const edit_conflict *c = &r->conflicts[k];
        show_versions(f, c, 1);
        f->l.cur = c->ci;
        tui_message(_("Field %d of %d changed by both"), k + 1, r->nconflicts);
        uint32_t ch = ask_key(f, _("m: keep mine  t: take theirs  Esc: edit"));
        if (ch == 'm' || ch == 't') {
            if (ch == 't')
                set_str(&f->vals[c->ci], c->theirs);
            set_str(&f->msgs[c->ci], NULL);
            continue;
        }
        for (int j = k; j < r->nconflicts; j++)
            show_versions(f, &r->conflicts[j], 0);
        tui_message("%s", _("not saved: w saves, and asks again for each field changed by both"));
        return 0;
    }
    for (int i = 0; i < f->t->ncols; i++) {
        if (same_val(f->vals[i], f->seen[i]))
            set_str(&f->vals[i], r->theirs[i]);
        set_str(&f->seen[i], r->theirs[i]);
    }
    f->read_at = r->read_at;
    return 1;
}

/* The record was deleted since the form opened: never written into another
 * row; the clerk may add it anew (1: the form is now a new record's). */
static int offer_add(fview *f)
{
    tui_error_text(_("Deleted meanwhile by someone else."));
    uint32_t ch = ask_key(f, _("a: add as a new record  other: edit"));
    if (ch != 'a') {
        tui_message("%s", _("not saved: the record is gone; w offers again to add it as new"));
        return 0;
    }
    if (f->draft_owned)
        draft_remove(f->draft);
    free(f->draft);
    f->rowid = -1;
    f->draft = draft_path(db_path(tui_db()), f->t, -1);
    f->draft_owned = 0;
    return 1;
}

/* The refusal's text for a clerk in the browser: without the CLI's hint
 * "(--cascade …)", which the question after it replaces. */
void form_without_cli_hint(const char *msg, buf *out)
{
    const char *hint = strstr(msg, "--cascade");
    size_t n = strlen(msg);
    for (size_t i = 0; hint && msg + i < hint; i++)   /* the last "(" or "（" before it */
        if (msg[i] == '(' || strncmp(msg + i, "（", strlen("（")) == 0)
            n = i;
    while (n && msg[n - 1] == ' ')
        n--;
    buf_add(out, msg, n);
}

/* Rows link to the value the save renames: with the clerk's yes they are
 * changed too, in the same audited change (the CLI's --cascade). */
static int ask_cascade(const mr_err *e, int linked)
{
    buf b = BUF_INIT;
    form_without_cli_hint(e->msg, &b);
    char q[256];
    snprintf(q, sizeof q, _("Change those %d rows too, in the same change?"), linked);
    int yes = tui_confirm_text(buf_str(&b), q);
    buf_free(&b);
    return yes;
}

static void save_with(view *v, int flags);
static void save(view *v) { save_with(v, 0); }

static void save_with(view *v, int flags)
{
    fview *f = v->data;
    mr_err e = {0};
    edit_result r;
    buf warn = BUF_INIT;   /* an event's rules may warn (a late extension) */
    if (f->rowid < 0 && f->t == life_events(db_schema(tui_db()))) {
        life_event_row(tui_db(), NULL, (const char *const *)f->vals, f->comment, &r, &warn, &e);
    } else if (f->rowid < 0) {
        edit_add(tui_db(), f->t, (const char *const *)f->vals, f->comment, &r, &e);
    } else {
        edit_set_opts so = {.read_at = f->read_at, .flags = flags};
        edit_set_ex(tui_db(), f->t, f->rowid, (const char *const *)f->seen,
                    (const char *const *)f->vals, &so, f->comment, &r, &e);
    }
    for (int i = 0; i < f->t->ncols; i++)
        set_str(&f->msgs[i], NULL);
    if (r.code != EDIT_OK)
        buf_free(&warn);
    switch (r.code) {
    case EDIT_OK: {
        int64_t change = r.change;
        int kept = r.kept;
        edit_result_free(&r);
        tui_data_changed();
        if (f->draft_owned)
            draft_remove(f->draft);
        f->dirty = 0;   /* saved: leaving asks nothing */
        view_pop();
        if (change && warn.len) {
            while (warn.len && warn.s[warn.len - 1] == '\n')
                warn.s[--warn.len] = 0;
            buf m = BUF_INIT;
            buf_printf(&m, _("saved: change %lld recorded; warning: %s"), (long long)change,
                       buf_str(&warn));
            tui_error_text(buf_str(&m));
            buf_free(&m);
        } else if (change && kept)
            tui_message(_("saved: change %lld recorded; %d field(s) someone else changed meanwhile kept"),
                        (long long)change, kept);
        else if (change)
            tui_message(_("saved: change %lld recorded"), (long long)change);
        else
            tui_message("%s", _("nothing changed"));
        buf_free(&warn);
        return;
    }
    case EDIT_INVALID: {
        int first = -1;
        for (int i = 0; i < r.nissues; i++) {
            const char *colon = strstr(r.issues[i].msg, ": ");
            set_str(&f->msgs[r.issues[i].ci], colon ? colon + 2 : r.issues[i].msg);
            if (first < 0 || r.issues[i].ci < first)
                first = r.issues[i].ci;
        }
        if (first >= 0)
            f->l.cur = first;
        tui_message(_("%d problem(s): nothing was written"), r.nissues);
        break;
    }
    case EDIT_CONFLICT:
        if (r.deleted ? offer_add(f) : resolve(f, &r)) {
            edit_result_free(&r);
            save_with(v, flags);
            return;
        }
        break;
    case EDIT_REFUSED:
        if (r.linked && !(flags & EDIT_CASCADE)) {
            if (ask_cascade(&e, r.linked)) {
                edit_result_free(&r);
                save_with(v, flags | EDIT_CASCADE);
                return;
            }
            tui_message("%s", _("not saved: rows link to the old value; w asks again"));
            break;
        }
        tui_error(&e);
        break;
    default:
        tui_error(&e);
    }
    edit_result_free(&r);
}

/* W: the comment first, on the prompt (the last one offered again), then
 * the save; Esc saves nothing. */
static void save_comment(view *v)
{
    fview *f = v->data;
    buf c = BUF_INIT;
    if (!tui_prompt(_("comment on the change: "), f->comment, &c)) {
        buf_free(&c);
        tui_message("%s", _("not saved"));
        return;
    }
    free(f->comment);
    f->comment = c.len ? buf_steal(&c) : NULL;
    buf_free(&c);
    save(v);
}

static void form_request(view *v, request req)
{
    fview *f = v->data;
    switch (req) {
    case REQ_ENTER: case REQ_EDIT: edit_field(f); break;
    case REQ_SAVE: save(v); break;
    case REQ_SAVE_COMMENT: save_comment(v); break;
    default: list_request(&f->l, req);
    }
}

/* Back from a form with unsaved changes asks first. */
static int form_leave(view *v)
{
    fview *f = v->data;
    if (f->dirty && !tui_confirm(_("Discard the changes in this form?")))
        return 0;
    if (f->draft_owned)
        draft_remove(f->draft);   /* discarded, by the clerk's word */
    return 1;
}

static int form_unsaved(view *v) { return ((fview *)v->data)->dirty; }

/* The program ends: on a hangup the input is kept as a draft; when the
 * clerk quit, discarding it, a draft it came from goes too. */
static void form_ending(view *v, int how)
{
    fview *f = v->data;
    if (how == VIEW_END_QUIT) {
        if (f->draft_owned)
            draft_remove(f->draft);
        return;
    }
    if (!f->dirty || !f->draft)
        return;
    draft d = {.rowid = f->rowid, .read_at = f->read_at, .ncols = f->t->ncols,
               .base = f->rowid >= 0 ? f->seen : NULL, .mine = f->vals};
    snprintf(d.at, sizeof d.at, "%s", edit_now());
    mr_err e = {0};
    if (draft_save(f->draft, db_path(tui_db()), f->t, &d, &e) < 0)
        fprintf(stderr, "minreg: %s\n", e.msg);   /* after the screen is gone */
}

static void form_title(view *v, buf *out)
{
    fview *f = v->data;
    buf_printf(out, "%s %s", f->rowid < 0 ? _("new record in") : _("editing"),
               i18n_is_zh() ? f->t->title : f->t->title_en);
    if (f->rowid >= 0 && f->seen[f->t->key_ci])
        buf_printf(out, " · %s", f->seen[f->t->key_ci]);
}

static void form_status(view *v, buf *out)
{
    fview *f = v->data;
    if (f->ask) {
        buf_puts(out, f->ask);
        return;
    }
    buf_puts(out, _("Enter: change field  w: save  q: cancel  * required"));
}

static void form_free(view *v)
{
    fview *f = v->data;
    for (int i = 0; i < f->t->ncols; i++) {
        free(f->seen[i]);
        free(f->vals[i]);
        free(f->msgs[i]);
    }
    free(f->seen);
    free(f->vals);
    free(f->msgs);
    free(f->draft);
    free(f->comment);
    validator_free(f->v);
    list_free(&f->l);
    free(f);
    free(v);
}

static const view_ops form_ops = {
    .name = "form",
    .draw = form_draw,
    .request = form_request,
    .status = form_status,
    .title = form_title,
    .leave = form_leave,
    .unsaved = form_unsaved,
    .ending = form_ending,
    .free = form_free,
};

view *form_new(const table *t, int64_t rowid, int duplicate)
{
    fview *f = xcalloc(1, sizeof *f);
    f->t = t;
    f->rowid = rowid;
    f->read_at = -1;
    f->seen = xcalloc((size_t)t->ncols, sizeof(char *));
    f->vals = xcalloc((size_t)t->ncols, sizeof(char *));
    f->msgs = xcalloc((size_t)t->ncols, sizeof(char *));
    list_init(&f->l, &form_list, f, t->ncols);
    f->v = validator_new(tui_db(), t);
    if (rowid >= 0) {
        /* the newest change first, then the row: a row deleted and put
         * back in between is seen as replaced, never merged into */
        mr_err e = {0};
        if (db_change_max(tui_db(), &f->read_at, &e) != 0) {
            f->read_at = -1;   /* not known: a save checks field by field only */
            tui_error(&e);
        }
        load_seen(f);
        for (int i = 0; i < t->ncols; i++)
            set_str(&f->vals[i], f->seen[i]);
    }
    if (duplicate) {
        /* a copy is a new record: the key and unique fields must be new */
        f->rowid = -1;
        mr_err e = {0};
        for (int i = 0; i < t->ncols; i++)
            /* not known (the error is said): cleared as if unique */
            if (db_is_unique_col(tui_db(), t, i, e.code ? NULL : &e) != DB_NOT_FOUND) {
                set_str(&f->vals[i], NULL);
                f->dirty = 1;
            }
        if (e.code)
            tui_error(&e);
    }
    f->draft = draft_path(db_path(tui_db()), t, f->rowid);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &form_ops;
    v->data = f;
    return v;
}

/* A draft kept when a session ended: shown under the fields it changes,
 * and the clerk chooses, as vim offers its swap file: recover it, discard
 * it, or open the form without it (it stays for next time). */
void form_offer_draft(view *v)
{
    fview *f = v->data;
    draft d;
    int got = f->draft ? draft_load(f->draft, db_path(tui_db()), f->t, &d) : 0;
    if (got < 0) {
        tui_error_text(_("a draft for this record cannot be read; it was left as it is"));
        return;
    }
    if (!got)
        return;
    const table *t = f->t;
    int first = -1;
    buf m = BUF_INIT;
    for (int i = 0; i < t->ncols; i++) {
        /* what the clerk typed: mine where it differs from the draft's base */
        int typed = f->rowid < 0 ? !same_val(d.mine[i], NULL) : !same_val(d.mine[i], d.base[i]);
        if (!typed || same_val(d.mine[i], f->vals[i]))
            continue;
        buf_reset(&m);
        buf_printf(&m, _("draft: %s"), d.mine[i] ? d.mine[i] : _("(empty)"));
        set_str(&f->msgs[i], buf_str(&m));
        if (first < 0)
            first = i;
    }
    buf_free(&m);
    if (first >= 0)
        f->l.cur = first;
    tui_message(f->rowid < 0 ? _("Draft of a new record kept %s") : _("Draft of this record kept %s"), d.at);
    uint32_t ch = ask_key(f, _("r: recover  d: discard  o: without it"));
    for (int i = 0; i < t->ncols; i++)
        set_str(&f->msgs[i], NULL);
    if (ch == 'r') {
        for (int i = 0; i < t->ncols; i++) {
            if (f->rowid < 0) {
                set_str(&f->vals[i], d.mine[i]);
                continue;
            }
            /* the base is the draft's: the save merges from there; a field
             * the clerk left shows as it is now */
            if (!same_val(d.mine[i], d.base[i]))
                set_str(&f->vals[i], d.mine[i]);
            set_str(&f->seen[i], d.base[i]);
        }
        if (f->rowid >= 0)
            f->read_at = d.read_at;
        f->dirty = 1;
        f->draft_owned = 1;
        f->l.cur = first >= 0 ? first : f->l.cur;
        tui_message("%s", _("draft recovered: w saves it, q discards it"));
    } else if (ch == 'd') {
        draft_remove(f->draft);
        tui_message("%s", _("draft discarded"));
    } else {
        tui_message("%s", _("opened without the draft; it is kept for next time"));
    }
    draft_free(&d);
}

