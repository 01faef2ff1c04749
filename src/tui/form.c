/* form.c — adding, editing and duplicating a record; delete, undo and redo.
 *
 * A form edits a copy of the row; nothing is written until `w` saves, and
 * then through edit.c in one transaction, validated as the CLI validates.
 * The values the clerk saw when the form opened go along, so a row another
 * clerk changed meanwhile is never overwritten: the form shows both
 * versions and the clerk chooses.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/edit.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/validate.h"
#include "tui/tui.h"

typedef struct fview {
    const table *t;
    int64_t rowid;        /* the row edited, or -1 for a new one */
    char **seen;          /* the row as it was read (edit) */
    char **vals;          /* the form's values */
    char **msgs;          /* per field: a problem, or "theirs" in a conflict */
    int cur, top;
    int dirty;
    validator *v;
} fview;

static char *dupn(const char *s) { return s ? xstrdup(s) : NULL; }

static void set_str(char **slot, const char *s)
{
    free(*slot);
    *slot = dupn(s);
}

static int readonly_refused(void)
{
    if (!tui_options()->readonly)
        return 0;
    tui_error_text(tui_readonly_text());
    return 1;
}

/* ---- pick lists ------------------------------------------------------------ */

typedef struct pick {
    const char *title;
    const column *c;      /* the field being picked for */
    char **vals, **shown; /* items: the value stored and what is shown */
    int n, cur, top;
    buf filter;
} pick;

static void pick_clear(pick *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->vals[i]);
        free(p->shown[i]);
    }
    free(p->vals);
    free(p->shown);
    p->vals = p->shown = NULL;
    p->n = 0;
}

static void pick_add(pick *p, const char *val, const char *shown)
{
    p->vals = xrealloc(p->vals, sizeof(char *) * (size_t)(p->n + 1));
    p->shown = xrealloc(p->shown, sizeof(char *) * (size_t)(p->n + 1));
    p->vals[p->n] = xstrdup(val);
    p->shown[p->n] = xstrdup(shown);
    p->n++;
}

#define PICK_MAX 200

/* Fill the list: the enumeration, or the linked register's rows that
 * contain the filter text (key or label). */
static void pick_load(pick *p)
{
    pick_clear(p);
    const column *c = p->c;
    const char *f = buf_str(&p->filter);
    if (*c->enum_s) {
        char *copy = xstrdup(c->enum_s), *save = NULL;
        for (char *x = strtok_r(copy, "|", &save); x; x = strtok_r(NULL, "|", &save))
            if (!*f || strstr(x, f))
                pick_add(p, x, x);
        free(copy);
        return;
    }
    db *d = tui_db();
    const table *lt = &db_schema(d)->tables[c->link_ti];
    int cis[3] = {c->link_ci, lt->key_ci, lt->label_ci};
    cursor *cu = db_select_like(d, lt, cis, 3, f, PICK_MAX, NULL);
    buf b = BUF_INIT;
    while (cu && cursor_next(cu) == 1) {
        const char *v = cursor_val(cu, c->link_ci), *k = cursor_val(cu, lt->key_ci),
                   *l = cursor_val(cu, lt->label_ci);
        if (!v)
            continue;
        buf_reset(&b);
        buf_puts(&b, v);
        if (k && strcmp(k, v) != 0)
            buf_printf(&b, "  %s", k);
        if (l && strcmp(l, v) != 0 && (!k || strcmp(l, k) != 0))
            buf_printf(&b, "  %s", l);
        pick_add(p, v, buf_str(&b));
    }
    cursor_free(cu);
    buf_free(&b);
}

static void pick_draw(void *arg)
{
    pick *p = arg;
    int w = COLS - 4 < 64 ? COLS - 4 : 64, h = LINES - 4 < 16 ? LINES - 4 : 16;
    if (w < 10 || h < 4)
        return;
    int x = (COLS - w) / 2, y = (LINES - h) / 2;
    int rows = h - 3;
    for (int i = 0; i < h && x > 0 && x + w < COLS; i++) {   /* a frame, so it reads as a box */
        draw_text(y + i, x - 1, 1, glyph_vline(), ATTR_STATUS, 0);
        draw_text(y + i, x + w, 1, glyph_vline(), ATTR_STATUS, 0);
    }
    if (p->cur < p->top)
        p->top = p->cur;
    if (p->cur >= p->top + rows)
        p->top = p->cur - rows + 1;
    draw_text(y, x, w, p->title, ATTR_TITLE, 0);
    buf f = BUF_INIT;
    buf_printf(&f, "%s %s", _("find:"), buf_str(&p->filter));
    draw_text(y + 1, x, w, buf_str(&f), ATTR_STATUS, 0);
    buf_free(&f);
    for (int i = 0; i < rows; i++) {
        int k = p->top + i;
        draw_text(y + 2 + i, x, w, k < p->n ? p->shown[k] : (k == 0 ? _("(nothing matches)") : ""),
                  k == p->cur && k < p->n ? ATTR_SELECTED : ATTR_STATUS, 0);
    }
    char n[64];
    snprintf(n, sizeof n, _("%d shown  Enter: choose  Esc: cancel"), p->n);
    draw_text(y + h - 1, x, w, n, ATTR_STATUS, 0);
}

/* Let the clerk choose a value for c.  Returns 1 with the value in out. */
static int pick_value(const column *c, buf *out)
{
    pick p = {0};
    p.c = c;
    buf t = BUF_INIT;
    col_header(c, &t);
    p.title = buf_str(&t);
    pick_load(&p);
    tui_set_overlay(pick_draw, &p);
    int chosen = 0;
    for (;;) {
        tui_redraw();
        uint32_t ch;
        int r = tui_key(&ch);
        if (r == TK_EOF || r == TK_SIGNAL)
            break;
        int back = (r == TK_KEY && ch == KEY_BACKSPACE) || (r == TK_CHAR && (ch == 127 || ch == 8));
        if (back || (r == TK_CHAR && ch >= 0x20)) {
            /* typing narrows the list; Backspace widens it again */
            if (back && !p.filter.len)
                continue;
            if (back)
                utf8_chop(&p.filter);
            else
                utf8_append(&p.filter, ch);
            p.cur = p.top = 0;
            pick_load(&p);
            continue;
        }
        if (r == TK_KEY) {
            if (ch == KEY_UP && p.cur > 0)
                p.cur--;
            else if (ch == KEY_DOWN && p.cur < p.n - 1)
                p.cur++;
            else if (ch == KEY_PPAGE)
                p.cur = p.cur > 10 ? p.cur - 10 : 0;
            else if (ch == KEY_NPAGE)
                p.cur = p.cur + 10 < p.n ? p.cur + 10 : (p.n ? p.n - 1 : 0);
            continue;
        }
        if (ch == 27)
            break;
        if (ch == '\r' || ch == '\n') {
            if (p.n) {
                buf_reset(out);
                buf_puts(out, p.vals[p.cur]);
                chosen = 1;
            }
            break;
        }
    }
    tui_set_overlay(NULL, NULL);
    pick_clear(&p);
    buf_free(&p.filter);
    buf_free(&t);
    return chosen;
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

static void form_draw(view *v)
{
    fview *f = v->data;
    const table *t = f->t;
    int rows = screen_rows(), cols = screen_cols(), lw = label_width(f);
    /* each field takes one line, plus one for its message */
    if (f->cur < f->top)
        f->top = f->cur;
    for (;;) {
        int h = 0;
        for (int i = f->top; i <= f->cur; i++)
            h += 1 + (f->msgs[i] != NULL);
        if (h <= rows || f->top == f->cur)
            break;
        f->top++;
    }
    buf h = BUF_INIT;
    int y = 1;
    for (int i = f->top; i < t->ncols && y <= rows; i++) {
        const column *c = &t->cols[i];
        int sel = i == f->cur, attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
        buf_reset(&h);
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
        if (f->msgs[i] && y <= rows) {
            buf_reset(&h);
            buf_printf(&h, "  ↳ %s", f->msgs[i]);
            draw_text(y, lw, cols - lw, buf_str(&h), ATTR_MARK, 0);
            y++;
        }
    }
    buf_free(&h);
}

static void check_field(fview *f, int ci)
{
    vissue is;
    const char *val = f->vals[ci];
    if ((!val || !*val) && f->t->cols[ci].required)
        set_str(&f->msgs[ci], _("is required"));
    else if (validator_value(f->v, ci, val, &is)) {
        /* the message starts with the label; the form shows it beside the field */
        const char *colon = strstr(is.msg, ": ");
        set_str(&f->msgs[ci], colon ? colon + 2 : is.msg);
    } else
        set_str(&f->msgs[ci], NULL);
}

static void edit_field(fview *f)
{
    const column *c = &f->t->cols[f->cur];
    buf out = BUF_INIT;
    int got;
    if (*c->enum_s || (c->link_ti >= 0 && !c->multi)) {
        got = pick_value(c, &out);
    } else {
        buf p = BUF_INIT;
        col_header(c, &p);
        buf_puts(&p, ": ");
        got = tui_prompt(buf_str(&p), f->vals[f->cur], &out);
        buf_free(&p);
    }
    if (got) {
        set_str(&f->vals[f->cur], out.len ? buf_str(&out) : NULL);
        f->dirty = 1;
        check_field(f, f->cur);
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

/* Another clerk changed the row: show theirs under each field that differs. */
static void show_conflict(fview *f, char **theirs)
{
    for (int i = 0; i < f->t->ncols; i++) {
        const char *a = f->seen[i] ? f->seen[i] : "", *b = theirs[i] ? theirs[i] : "";
        if (strcmp(a, b) != 0) {
            buf m = BUF_INIT;
            buf_printf(&m, _("theirs: %s"), *b ? b : _("(empty)"));
            set_str(&f->msgs[i], buf_str(&m));
            buf_free(&m);
        }
    }
}

static void save(view *v)
{
    fview *f = v->data;
    mr_err e = {0};
    edit_result r;
    if (f->rowid < 0)
        edit_add(tui_db(), f->t, (const char *const *)f->vals, NULL, &r, &e);
    else
        edit_set(tui_db(), f->t, f->rowid, (const char *const *)f->seen,
                 (const char *const *)f->vals, NULL, 0, &r, &e);
    for (int i = 0; i < f->t->ncols; i++)
        set_str(&f->msgs[i], NULL);
    switch (r.code) {
    case EDIT_OK: {
        int64_t change = r.change;
        edit_result_free(&r);
        tui_data_changed();
        f->dirty = 0;   /* saved: leaving asks nothing */
        view_pop();
        if (change)
            tui_message(_("saved: change %lld recorded"), (long long)change);
        else
            tui_message("%s", _("nothing changed"));
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
            f->cur = first;
        tui_message(_("%d problem(s): nothing was written"), r.nissues);
        break;
    }
    case EDIT_CONFLICT: {
        if (!r.theirs) {   /* deleted meanwhile */
            tui_error(&e);
            break;
        }
        show_conflict(f, r.theirs);
        tui_redraw();
        buf q = BUF_INIT;
        int r2 = 0;
        uint32_t ch = 0;
        buf_printf(&q, "%s", _("Changed meanwhile by someone else. m: save mine  t: take theirs  "
                               "other: edit"));
        tui_error_text(buf_str(&q));
        tui_redraw();
        buf_free(&q);
        while ((r2 = tui_key(&ch)) == TK_KEY && ch == KEY_RESIZE)
            tui_redraw();
        if (r2 == TK_CHAR && ch == 't') {
            for (int i = 0; i < f->t->ncols; i++) {
                set_str(&f->vals[i], r.theirs[i]);
                set_str(&f->seen[i], r.theirs[i]);
                set_str(&f->msgs[i], NULL);
            }
            f->dirty = 0;
            tui_message("%s", _("took their version"));
        } else {
            /* from now on the form is based on their version */
            for (int i = 0; i < f->t->ncols; i++)
                set_str(&f->seen[i], r.theirs[i]);
            if (r2 == TK_CHAR && ch == 'm') {
                edit_result_free(&r);
                save(v);
                return;
            }
            tui_message("%s", _("their version is shown under the fields; w saves yours over it"));
        }
        break;
    }
    default:
        tui_error(&e);
    }
    edit_result_free(&r);
}

static void form_request(view *v, request req)
{
    fview *f = v->data;
    int n = f->t->ncols;
    switch (req) {
    case REQ_UP: f->cur--; break;
    case REQ_DOWN: f->cur++; break;
    case REQ_PAGE_UP: case REQ_HALF_UP: f->cur -= screen_rows() / 2; break;
    case REQ_PAGE_DOWN: case REQ_HALF_DOWN: f->cur += screen_rows() / 2; break;
    case REQ_FIRST: f->cur = 0; break;
    case REQ_LAST: f->cur = n - 1; break;
    case REQ_ENTER: case REQ_EDIT: edit_field(f); break;
    case REQ_SAVE: save(v); return;
    default: break;
    }
    if (f->cur < 0)
        f->cur = 0;
    if (f->cur >= n)
        f->cur = n - 1;
}

/* Back from a form with unsaved changes asks first. */
static int form_leave(view *v)
{
    fview *f = v->data;
    return !f->dirty || tui_confirm(_("Discard the changes in this form?"));
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
    buf_printf(out, "%s  %s", f->t->id, _("Enter: change field  w: save  q: cancel  * required"));
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
    validator_free(f->v);
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
    .free = form_free,
};

view *form_new(const table *t, int64_t rowid, int duplicate)
{
    fview *f = xcalloc(1, sizeof *f);
    f->t = t;
    f->rowid = rowid;
    f->seen = xcalloc((size_t)t->ncols, sizeof(char *));
    f->vals = xcalloc((size_t)t->ncols, sizeof(char *));
    f->msgs = xcalloc((size_t)t->ncols, sizeof(char *));
    f->v = validator_new(tui_db(), t);
    if (rowid >= 0) {
        load_seen(f);
        for (int i = 0; i < t->ncols; i++)
            set_str(&f->vals[i], f->seen[i]);
    }
    if (duplicate) {
        /* a copy is a new record: the key and unique fields must be new */
        f->rowid = -1;
        for (int i = 0; i < t->ncols; i++)
            if (db_is_unique_col(tui_db(), t, i)) {
                set_str(&f->vals[i], NULL);
                f->dirty = 1;
            }
    }
    view *v = xcalloc(1, sizeof *v);
    v->ops = &form_ops;
    v->data = f;
    return v;
}

/* ---- actions on a record from the table and record screens ------------------------ */

void edit_action(request req, const table *t, int64_t rowid)
{
    if (req == REQ_HISTORY) {
        view_push(history_new(t, rowid));
        return;
    }
    if (readonly_refused())
        return;
    if (req == REQ_ADD) {
        view_push(form_new(t, -1, 0));
        return;
    }
    if (rowid < 0) {
        tui_message("%s", _("no record here"));
        return;
    }
    if (req == REQ_EDIT || req == REQ_DUPLICATE) {
        view_push(form_new(t, rowid, req == REQ_DUPLICATE));
        return;
    }
    if (req == REQ_DELETE) {
        cursor *c = db_select_rowid(tui_db(), t, rowid, NULL);
        buf q = BUF_INIT;
        if (c && cursor_next(c) == 1)
            buf_printf(&q, _("Delete %s %s?"), t->id, cursor_val(c, t->key_ci) ? cursor_val(c, t->key_ci) : "");
        cursor_free(c);
        int yes = tui_confirm(buf_str(&q));
        buf_free(&q);
        if (!yes)
            return;
        mr_err e = {0};
        edit_result r;
        if (edit_rm(tui_db(), t, rowid, NULL, 0, &r, &e) == EDIT_OK) {
            tui_data_changed();
            tui_message(_("deleted: change %lld recorded (u undoes it)"), (long long)r.change);
        } else {
            tui_error(&e);
        }
        edit_result_free(&r);
    }
}
