/* xconflict.c — one exchange conflict, opened from :exchange: each field
 * in question as base / theirs / mine, and the keys that settle it: t takes
 * theirs, m keeps mine, e edits the value (a field's conflict), each through
 * xchg_resolve, the same audited change `minreg exchange resolve` makes and
 * the next file carries.  Enter opens the record. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/xchg.h"
#include "tui/list.h"

enum { C_HEAD, C_TEXT, C_FIELD, C_VALUE };

typedef struct cline {
    int kind;
    char *text;
} cline;

typedef struct cview {
    list l;
    cline *lines;
    int n, cap;
    int64_t id;
    int found, resolved, whole_row;
    char *field;        /* the conflict's field (NULL: the row) */
    char *theirs;       /* its value there, for e to start from */
    const table *t;
    int64_t rowid;
} cview;

static void add(cview *x, int kind, buf *text)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        x->lines = xrealloc(x->lines, sizeof *x->lines * (size_t)x->cap);
    }
    x->lines[x->n++] = (cline){.kind = kind, .text = buf_steal(text)};
}

static void clear(cview *x)
{
    for (int i = 0; i < x->n; i++)
        free(x->lines[i].text);
    x->n = 0;
    free(x->field);
    free(x->theirs);
    x->field = x->theirs = NULL;
}

/* One side's line: its name padded to 8 columns, then the value as it is
 * (escaped when drawn), "(none)" for no value, "(deleted)" for no row. */
static void side(cview *x, const char *name, const char *v, int norow)
{
    buf b = BUF_INIT;
    buf_puts(&b, name);
    int w = text_width(name);
    buf_pad(&b, (w < 8 ? 8 - w : 0) + 1);
    buf_puts(&b, norow ? _("(deleted)") : v ? v : _("(none)"));
    add(x, C_VALUE, &b);
}

static int differ(const char *a, const char *b)
{
    return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

static void field_lines(cview *x, const char *label, const char *base, const char *theirs,
                        const char *mine, int no_theirs, int no_mine)
{
    buf b = BUF_INIT;
    buf_puts(&b, label);
    add(x, C_FIELD, &b);
    side(x, _("Base"), base, 0);
    side(x, _("Theirs"), theirs, no_theirs);
    side(x, _("Mine"), mine, no_mine);
}

static const char *label_of(const table *t, const char *field)
{
    int ci = t ? table_col(t, field) : -1;
    return ci >= 0 ? t->cols[ci].label : field;
}

/* A side's row (JSON) as values; NULL for none, or when it cannot be read
 * (the reason added as a line). */
static char **side_vals(cview *x, db *d, const table *t, const char *json)
{
    if (!json)
        return NULL;
    char **v = NULL;
    mr_err e = {0};
    if (db_json_values(d, t, json, &v, &e) == 0)
        return v;
    for (int ci = 0; v && ci < t->ncols; ci++)
        free(v[ci]);
    free(v);
    buf b = BUF_INIT;
    buf_puts(&b, e.msg);
    add(x, C_TEXT, &b);
    return NULL;
}

static void on_conflict(void *arg, const xchg_conflict *c)
{
    cview *x = arg;
    if (c->id != x->id)
        return;
    db *d = tui_db();
    const table *t = schema_table(db_schema(d), c->tbl);
    buf b = BUF_INIT;
    x->found = 1;
    x->t = t;
    x->rowid = c->row_id;
    x->resolved = c->resolved != NULL;
    x->whole_row = c->field == NULL;
    x->field = c->field ? xstrdup(c->field) : NULL;
    x->theirs = c->theirs ? xstrdup(c->theirs) : NULL;
    buf_printf(&b, _("Conflict %lld: %s"), (long long)c->id, xchg_what_text(c->what));
    add(x, C_HEAD, &b);
    buf_printf(&b, "%s %s · %s %s (%s %lld) · %s", t ? (i18n_is_zh() || !*t->title_en ? t->title : t->title_en) : c->tbl,
               c->row_key ? c->row_key : "", _("from"), c->site, _("their change"), (long long)c->their_id,
               c->made_at ? c->made_at : "");
    add(x, C_TEXT, &b);
    if (c->resolved) {
        buf_printf(&b, _("Resolved: %s"), c->resolved);
        add(x, C_TEXT, &b);
    }
    if (c->field) {
        field_lines(x, label_of(t, c->field), c->base, c->theirs, c->mine, 0, 0);
    } else if (t) {
        /* a whole row on each side (JSON, or none): the fields that differ */
        char **bv = side_vals(x, d, t, c->base);
        char **tv = side_vals(x, d, t, c->theirs);
        char **mv = side_vals(x, d, t, c->mine);
        int shown = 0;
        if (!tv || !mv) {
            buf_puts(&b, !tv && !mv ? _("The row is deleted on both sides.")
                         : !tv      ? _("Theirs: the row is deleted there.")
                                    : _("Mine: the row is deleted here."));
            add(x, C_TEXT, &b);
        }
        for (int ci = 0; ci < t->ncols; ci++) {
            const char *bb = bv ? bv[ci] : NULL, *tt = tv ? tv[ci] : NULL, *mm = mv ? mv[ci] : NULL;
            /* the fields in question: where the sides that have the row
             * differ from each other or from the base */
            int dif = (tv && mv && differ(tt, mm)) || (bv && tv && differ(bb, tt)) ||
                    (bv && mv && differ(bb, mm));
            if (!dif && (bv || !tv || !mv))
                continue;
            field_lines(x, t->cols[ci].label, bb, tt, mm, !tv, !mv);
            shown++;
        }
        if (!shown) {
            buf_puts(&b, _("No field differs from the row as it was."));
            add(x, C_TEXT, &b);
        }
        for (int ci = 0; ci < t->ncols; ci++) {
            if (bv)
                free(bv[ci]);
            if (tv)
                free(tv[ci]);
            if (mv)
                free(mv[ci]);
        }
        free(bv);
        free(tv);
        free(mv);
    }
    buf_free(&b);
}

static void load(cview *x)
{
    clear(x);
    x->found = 0;
    xchg_conflicts(tui_db(), 1, on_conflict, x);
    if (!x->found) {
        buf b = BUF_INIT;
        buf_printf(&b, _("no exchange conflict %lld"), (long long)x->id);
        add(x, C_TEXT, &b);
    }
    list_reset(&x->l, x->n);
}

static int c_line(list *l, int64_t i, int y, int room, int sel)
{
    cview *x = l->data;
    const cline *ln = &x->lines[i];
    int cols = screen_cols();
    (void)room;
    int attr = ln->kind == C_HEAD || ln->kind == C_FIELD ? ATTR_GROUP : sel ? ATTR_SELECTED : ATTR_NORMAL;
    int ind = ln->kind == C_VALUE ? 4 : ln->kind == C_HEAD ? 0 : 2;
    draw_fill(y, 0, cols, attr);
    draw_text(y, ind, cols - ind, ln->text, attr, 0);
    return 1;
}

static int c_selectable(list *l, int64_t i)
{
    int k = ((cview *)l->data)->lines[i].kind;
    return k == C_VALUE || k == C_TEXT;
}

static int c_heading(list *l, int64_t i)
{
    int k = ((cview *)l->data)->lines[i].kind;
    return k == C_HEAD || k == C_FIELD;
}

static void c_text(list *l, int64_t i, buf *out) { buf_puts(out, ((cview *)l->data)->lines[i].text); }

static const list_ops c_list = {
    .draw_line = c_line,
    .selectable = c_selectable,
    .heading = c_heading,
    .text = c_text,
};

static void c_draw(view *v)
{
    cview *x = v->data;
    list_draw(&x->l);
}

static void settle(cview *x, const char *how, const char *value)
{
    mr_err e = {0};
    if (tui_options()->readonly) {
        tui_error_text(tui_readonly_text());
        return;
    }
    if (xchg_resolve(tui_db(), x->id, how, value, "", &e) < 0) {
        tui_error(&e);
        return;
    }
    load(x);
    tui_message(_("conflict %lld resolved: %s"), (long long)x->id, how ? how : value);
}

static void c_request(view *v, request req)
{
    cview *x = v->data;
    if (req == REQ_THEIRS || req == REQ_MINE || req == REQ_EDIT) {
        if (!x->found || x->resolved) {
            tui_message("%s", _("this conflict is resolved already"));
            return;
        }
        if (req != REQ_EDIT) {
            settle(x, req == REQ_THEIRS ? "theirs" : "mine", NULL);
            return;
        }
        if (x->whole_row) {
            tui_message("%s", _("a whole row's conflict: t takes theirs, m keeps mine"));
            return;
        }
        buf val = BUF_INIT;
        buf pre = BUF_INIT;
        buf_printf(&pre, "%s: ", label_of(x->t, x->field));
        if (tui_prompt(buf_str(&pre), x->theirs ? x->theirs : "", &val))
            settle(x, NULL, buf_str(&val));
        buf_free(&val);
        buf_free(&pre);
        return;
    }
    if (req == REQ_ENTER) {
        cursor *c = x->t ? db_select_rowid(tui_db(), x->t, x->rowid, NULL) : NULL;
        int there = c && cursor_next(c) == 1;
        cursor_free(c);
        if (there)
            view_push(record_new(x->t, x->rowid, NULL));
        else
            tui_message("%s", _("that row is not in this register (deleted here)"));
        return;
    }
    list_request(&x->l, req);
}

static void c_title(view *v, buf *out)
{
    cview *x = v->data;
    buf_printf(out, _("exchange conflict %lld"), (long long)x->id);
}

static void c_status(view *v, buf *out)
{
    cview *x = v->data;
    if (x->resolved)
        buf_puts(out, _("resolved  Enter: the record  q: back"));
    else
        buf_puts(out, x->whole_row ? _("t: take theirs  m: keep mine  Enter: the record  q: back")
                                   : _("t: take theirs  m: keep mine  e: edit  Enter: the record  q: back"));
}

static void c_free(view *v)
{
    cview *x = v->data;
    clear(x);
    free(x->lines);
    list_free(&x->l);
    free(x);
    free(v);
}

static const view_ops c_ops = {
    .name = "exchange-conflict",
    .draw = c_draw,
    .request = c_request,
    .status = c_status,
    .title = c_title,
    .free = c_free,
};

view *xconflict_new(int64_t id)
{
    cview *x = xcalloc(1, sizeof *x);
    x->id = id;
    list_init(&x->l, &c_list, x, 0);
    load(x);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &c_ops;
    v->data = x;
    return v;
}
