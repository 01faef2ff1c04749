/* eventform.c — a permit's registration event, in a form.
 *
 * Opened from a permit's record screen (E, or :event [TYPE]).  The event's
 * type comes first, from a pick list of minreg_event_types; the form then
 * has the fields that type needs: the date and the document (文号) always,
 * the permit's new number, validity, area and holder (every field of the
 * permit for a type that may change any of them, 'any' in its sets: 变更;
 * none for a 注销), and a note.  The permit's fields
 * open with the values the permit holds, and what the clerk changes is
 * what the event gives the permit.  Each field is checked as it is typed,
 * by the validator the CLI uses; `w` records the event through
 * life_event(), the function behind `minreg event`: the event row and the
 * permit's update in one audited change, by the same rules, so undo takes
 * both back.  What the rules refuse is said on the message line and
 * nothing is written; their warnings (a late extension, an area not cut)
 * are said after the save.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/edit.h"
#include "core/i18n.h"
#include "core/life.h"
#include "core/text.h"
#include "core/validate.h"
#include "tui/list.h"

enum { EF_TYPE, EF_DATE, EF_DOC, EF_COL, EF_NOTE };

typedef struct efield {
    int kind;
    int ci;              /* EF_COL: the permit's column */
    int required;
    char *label;
    char *val, *msg;
} efield;

typedef struct eview {
    const table *t;      /* the permit register */
    int64_t rowid;
    char *key;           /* the permit's key, for the title */
    char **now;          /* the permit as it was read */
    const event_type *x; /* the type chosen */
    efield *f;
    int nf;
    list l;
    validator *vp, *ve;  /* the permit's and the events register's */
    int dirty;
    char *comment;
} eview;

static void set_str(char **slot, const char *s)
{
    free(*slot);
    *slot = s ? xstrdup(s) : NULL;
}

static efield *add_field(eview *ev, int kind, int ci, const char *label, const char *val)
{
    ev->f = xrealloc(ev->f, sizeof *ev->f * (size_t)(ev->nf + 1));
    efield *f = &ev->f[ev->nf++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->ci = ci;
    f->label = xstrdup(label);
    f->val = val && *val ? xstrdup(val) : NULL;
    return f;
}

static void free_fields(eview *ev)
{
    for (int i = 0; i < ev->nf; i++) {
        free(ev->f[i].label);
        free(ev->f[i].val);
        free(ev->f[i].msg);
    }
    free(ev->f);
    ev->f = NULL;
    ev->nf = 0;
}

static const char *field_of(const eview *ev, int kind)
{
    for (int i = 0; i < ev->nf; i++)
        if (ev->f[i].kind == kind)
            return ev->f[i].val;
    return NULL;
}

/* The label of the permit's column ci in the event: the events register's
 * now:ROLE column's (新证号, 新有效期止 ...), else the column's own. */
static void col_label(const eview *ev, int ci, buf *out)
{
    const table *evt = life_events(db_schema(tui_db()));
    const char *ro = ev->t->cols[ci].roles;
    for (const char *p = ro; p && *p && evt;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        buf r = BUF_INIT;
        buf_puts(&r, "now:");
        buf_add(&r, p, n);
        int eci = table_role(evt, buf_str(&r));
        buf_free(&r);
        if (eci >= 0) {
            col_header(&evt->cols[eci], out);
            return;
        }
        p = end ? end + 1 : NULL;
    }
    col_header(&ev->t->cols[ci], out);
}

static int needs(const event_type *x, const column *c)
{
    for (const char *p = x->needs; p && *p;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *role = xstrndup(p, n);
        int has = c->roles && list_has(c->roles, role);
        free(role);
        if (has)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static const list_ops ef_list;

/* The fields type x has, the date, document and note kept from before. */
static void build(eview *ev, const event_type *x)
{
    char *date = NULL, *doc = NULL, *note = NULL;
    set_str(&date, field_of(ev, EF_DATE));
    set_str(&doc, field_of(ev, EF_DOC));
    set_str(&note, field_of(ev, EF_NOTE));
    free_fields(ev);
    ev->x = x;
    const table *evt = life_events(db_schema(tui_db()));
    buf h = BUF_INIT;
    int tci = table_role(evt, "event_type"), dci = table_role(evt, "event_date"),
        nci = table_role(evt, "event_doc"), oci = table_role(evt, "event_note");
    col_header(&evt->cols[tci], &h);
    add_field(ev, EF_TYPE, -1, buf_str(&h), x->type)->required = 1;
    buf_reset(&h);
    col_header(&evt->cols[dci], &h);
    add_field(ev, EF_DATE, dci, buf_str(&h), date)->required = 1;
    if (nci >= 0) {
        buf_reset(&h);
        col_header(&evt->cols[nci], &h);
        add_field(ev, EF_DOC, nci, buf_str(&h), doc);
    }
    /* the permit's fields: all of them for a type that may change any
     * ('any' in its sets, minreg_event_types: 变更), none for one that only
     * sets what it sets (注销, 年报), else the ones an event names (number,
     * validity, area, holder, credit code) */
    static const char *const roles[] = {"number", "start", "expiry", "area", "holder", "credit"};
    const table *t = ev->t;
    int all = list_has(x->sets, "any"), none = !all && *x->sets && !*x->needs && !x->first;
    int rci = table_role(t, "regtype");
    for (int ci = 0; !none && ci < t->ncols; ci++) {
        const column *c = &t->cols[ci];
        int shown = all && ci != t->key_ci && ci != rci;
        for (size_t k = 0; !shown && k < sizeof roles / sizeof *roles; k++)
            shown = c->roles && list_has(c->roles, roles[k]);
        shown = shown || needs(x, c);
        if (!shown)
            continue;
        buf_reset(&h);
        col_label(ev, ci, &h);
        add_field(ev, EF_COL, ci, buf_str(&h), ev->now[ci])->required = needs(x, c);
    }
    if (oci >= 0) {
        buf_reset(&h);
        col_header(&evt->cols[oci], &h);
        add_field(ev, EF_NOTE, oci, buf_str(&h), note);
    }
    buf_free(&h);
    free(date);
    free(doc);
    free(note);
    if (ev->l.ops)
        list_reset(&ev->l, ev->nf);
    else
        list_init(&ev->l, &ef_list, ev, ev->nf);
}

/* The type pick list: minreg_event_types, in their order. */
static const event_type *pick_type(const char *now)
{
    const schema *s = db_schema(tui_db());
    const table *evt = life_events(s);
    column c = evt->cols[table_role(evt, "event_type")];
    buf en = BUF_INIT, out = BUF_INIT;
    for (int i = 0; i < s->nevtypes; i++)
        buf_printf(&en, "%s%s", i ? "|" : "", s->evtypes[i].type);
    c.enum_s = (char *)buf_str(&en);
    c.link_ti = -1;
    c.multi = 0;
    const event_type *x = NULL;
    if (form_pick(&c, now, &out) == 1)
        x = schema_event_type(s, buf_str(&out));
    buf_free(&en);
    buf_free(&out);
    return x;
}

/* ---- drawing -------------------------------------------------------------------- */

static int label_width(const eview *ev)
{
    int w = 6;
    for (int i = 0; i < ev->nf; i++) {
        int x = text_width(ev->f[i].label) + 3;
        if (x > w)
            w = x;
    }
    return w > screen_cols() / 2 ? screen_cols() / 2 : w;
}

static int ef_height(list *l, int64_t i)
{
    eview *ev = l->data;
    const efield *f = &ev->f[i];
    int changed = f->kind == EF_COL && !edit_same(f->val, ev->now[f->ci]);
    return 1 + (f->msg != NULL || changed);
}

static int ef_line(list *l, int64_t i, int y, int room, int sel)
{
    eview *ev = l->data;
    const efield *f = &ev->f[i];
    int cols = screen_cols(), lw = label_width(ev), y0 = y;
    int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    buf h = BUF_INIT;
    buf_printf(&h, "%s%s", f->label, f->required ? "*" : "");
    if (sel)
        draw_fill(y, 0, cols, attr);
    draw_text(y, 0, lw, buf_str(&h), sel ? attr : ATTR_HEADER, 0);
    buf_reset(&h);
    buf_puts(&h, f->val ? f->val : "");
    if (sel && (f->kind == EF_TYPE ||
                (f->kind == EF_COL && (*ev->t->cols[f->ci].enum_s || ev->t->cols[f->ci].link_ti >= 0))))
        buf_puts(&h, "  ▾");
    draw_text(y++, lw, cols - lw, buf_str(&h), attr, 0);
    if (y < y0 + room && f->msg) {
        buf_reset(&h);
        buf_printf(&h, "  ↳ %s", f->msg);
        draw_text(y++, lw, cols - lw, buf_str(&h), ATTR_MARK, 0);
    } else if (y < y0 + room && f->kind == EF_COL && !edit_same(f->val, ev->now[f->ci])) {
        buf_reset(&h);
        buf_printf(&h, _("  was %s"), ev->now[f->ci] && *ev->now[f->ci] ? ev->now[f->ci] : "—");
        draw_text(y++, lw, cols - lw, buf_str(&h), ATTR_DIM, 0);
    }
    buf_free(&h);
    return y - y0;
}

static void ef_text(list *l, int64_t i, buf *out)
{
    eview *ev = l->data;
    buf_printf(out, "%s %s", ev->f[i].label, ev->f[i].val ? ev->f[i].val : "");
}

static const list_ops ef_list = {.draw_line = ef_line, .height = ef_height, .text = ef_text};

static void ef_draw(view *v) { list_draw(&((eview *)v->data)->l); }

/* ---- editing ----------------------------------------------------------------------- */

/* A field checked as the CLI checks it: the events register's date and
 * document by its validator, the permit's fields by the permit's. */
static void check(eview *ev, efield *f)
{
    set_str(&f->msg, NULL);
    if (f->kind == EF_TYPE)
        return;
    if (f->required && (!f->val || !*f->val)) {
        set_str(&f->msg, _("is required"));
        return;
    }
    if (f->kind == EF_COL && f->required && edit_same(f->val, ev->now[f->ci])) {
        set_str(&f->msg, _("a new value is needed: this is what the permit holds"));
        return;
    }
    vissue is;
    int bad = f->kind == EF_COL ? validator_value(ev->vp, f->ci, f->val, &is)
                                : validator_value(ev->ve, f->ci, f->val, &is);
    if (bad) {
        const char *colon = bad > 0 ? strstr(is.msg, ": ") : NULL;
        set_str(&f->msg, colon ? colon + 2 : is.msg);
    }
}

static void edit_field(eview *ev)
{
    efield *f = &ev->f[ev->l.cur];
    if (f->kind == EF_TYPE) {
        const event_type *x = pick_type(f->val);
        if (x && x != ev->x) {
            build(ev, x);
            ev->dirty = 1;
        }
        return;
    }
    const table *evt = life_events(db_schema(tui_db()));
    const table *t = f->kind == EF_COL ? ev->t : evt;
    const column *c = &t->cols[f->ci];
    buf out = BUF_INIT;
    int got = 2;
    if (*c->enum_s || c->link_ti >= 0)
        got = form_pick(c, f->val, &out);
    if (got == 2) {
        buf p = BUF_INIT;
        buf_reset(&out);
        buf_printf(&p, "%s: ", f->label);
        prompt_spec ps = {.kind = PROMPT_VALUE, .t = t, .ci = f->ci};
        got = tui_prompt_ask(buf_str(&p), f->val, &out, &ps);
        buf_free(&p);
    }
    if (got) {
        set_str(&f->val, out.len ? buf_str(&out) : NULL);
        ev->dirty = 1;
        check(ev, f);
    }
    buf_free(&out);
}

static void save(view *v)
{
    eview *ev = v->data;
    const table *t = ev->t;
    int bad = -1;
    for (int i = 0; i < ev->nf; i++) {
        check(ev, &ev->f[i]);
        if (ev->f[i].msg && bad < 0)
            bad = i;
    }
    if (bad >= 0) {
        list_go(&ev->l, bad);
        tui_message("%s", _("a field has a problem: nothing was written"));
        return;
    }
    char **sets = xcalloc((size_t)t->ncols, sizeof *sets);
    for (int i = 0; i < ev->nf; i++)
        if (ev->f[i].kind == EF_COL && !edit_same(ev->f[i].val, ev->now[ev->f[i].ci]))
            sets[ev->f[i].ci] = ev->f[i].val ? ev->f[i].val : "";
    life_event_in in = {.permit = t, .rowid = ev->rowid, .type = ev->x->type,
                        .date = field_of(ev, EF_DATE), .doc = field_of(ev, EF_DOC),
                        .note = field_of(ev, EF_NOTE), .sets = (const char *const *)sets,
                        .comment = ev->comment};
    edit_result r;
    buf warn = BUF_INIT;
    mr_err e = {0};
    life_event(tui_db(), &in, &r, &warn, &e);
    free(sets);
    if (r.code == EDIT_OK) {
        int64_t change = r.change;
        tui_data_changed();
        ev->dirty = 0;
        view_pop();
        if (warn.len) {
            while (warn.len && warn.s[warn.len - 1] == '\n')
                warn.s[--warn.len] = 0;
            buf m = BUF_INIT;
            buf_printf(&m, _("saved: change %lld recorded; warning: %s"), (long long)change, buf_str(&warn));
            tui_error_text(buf_str(&m));
            buf_free(&m);
        } else {
            tui_message(_("saved: change %lld recorded"), (long long)change);
        }
    } else if (r.code == EDIT_INVALID) {
        /* the issues, on the field they are about where the form has it */
        for (int k = 0; k < r.nissues; k++)
            for (int i = 0; i < ev->nf; i++) {
                const efield *f = &ev->f[i];
                buf h = BUF_INIT;
                if (f->kind == EF_COL)
                    col_header(&t->cols[f->ci], &h);
                int here = f->kind == EF_COL && r.issues[k].ci == f->ci &&
                           strncmp(r.issues[k].msg, buf_str(&h), h.len) == 0;
                buf_free(&h);
                if (here) {
                    const char *colon = strstr(r.issues[k].msg, ": ");
                    set_str(&ev->f[i].msg, colon ? colon + 2 : r.issues[k].msg);
                }
            }
        tui_error_text(r.nissues ? r.issues[0].msg : _("nothing was written"));
    } else {
        tui_error(&e);
    }
    buf_free(&warn);
    edit_result_free(&r);
}

static void save_comment(view *v)
{
    eview *ev = v->data;
    buf c = BUF_INIT;
    if (!tui_prompt(_("comment on the change: "), ev->comment, &c)) {
        buf_free(&c);
        tui_message("%s", _("not saved"));
        return;
    }
    free(ev->comment);
    ev->comment = c.len ? buf_steal(&c) : NULL;
    buf_free(&c);
    save(v);
}

static void ef_request(view *v, request req)
{
    eview *ev = v->data;
    switch (req) {
    case REQ_ENTER: case REQ_EDIT: edit_field(ev); break;
    case REQ_SAVE: save(v); break;
    case REQ_SAVE_COMMENT: save_comment(v); break;
    default: list_request(&ev->l, req);
    }
}

static int ef_leave(view *v)
{
    eview *ev = v->data;
    return !ev->dirty || tui_confirm(_("Discard this event?"));
}

static int ef_unsaved(view *v) { return ((eview *)v->data)->dirty; }

static void ef_title(view *v, buf *out)
{
    eview *ev = v->data;
    buf_printf(out, _("new event of %s · %s"), i18n_is_zh() ? ev->t->title : ev->t->title_en,
               ev->key ? ev->key : "");
    if (ev->x)
        buf_printf(out, " · %s", ev->x->type);
}

static void ef_status(view *v, buf *out)
{
    (void)v;
    buf_puts(out, _("Enter: change field  w: record the event  q: cancel  * required"));
}

static const table *ef_table(view *v) { return ((eview *)v->data)->t; }

static void ef_free(view *v)
{
    eview *ev = v->data;
    free_fields(ev);
    edit_free_row(ev->now, ev->t->ncols);
    free(ev->key);
    free(ev->comment);
    validator_free(ev->vp);
    validator_free(ev->ve);
    list_free(&ev->l);
    free(ev);
    free(v);
}

static const view_ops eventform_ops = {
    .name = "eventform",
    .draw = ef_draw,
    .request = ef_request,
    .status = ef_status,
    .title = ef_title,
    .leave = ef_leave,
    .unsaved = ef_unsaved,
    .table = ef_table,
    .free = ef_free,
};

view *eventform_new(const table *t, int64_t rowid, const char *type)
{
    db *d = tui_db();
    const schema *s = db_schema(d);
    if (life_event_col(s, t) < 0) {
        buf m = BUF_INIT;
        buf_printf(&m, _("%s has no registration events (it is not a permit register)"), t->id);
        tui_error_text(buf_str(&m));
        buf_free(&m);
        return NULL;
    }
    const event_type *x = type && *type ? schema_event_type(s, type) : pick_type(NULL);
    if (!x) {
        if (type && *type) {
            buf m = BUF_INIT;
            for (int i = 0; i < s->nevtypes; i++)
                buf_printf(&m, "%s%s", i ? ", " : "", s->evtypes[i].type);
            buf q = BUF_INIT;
            buf_printf(&q, _("'%s' is not an event type: %s"), type, buf_str(&m));
            tui_error_text(buf_str(&q));
            buf_free(&q);
            buf_free(&m);
        } else {
            tui_message("%s", _("no event recorded"));
        }
        return NULL;
    }
    char **now = edit_read_row(d, t, rowid);
    if (!now) {
        tui_error_text(_("(this record no longer exists)"));
        return NULL;
    }
    eview *ev = xcalloc(1, sizeof *ev);
    ev->t = t;
    ev->rowid = rowid;
    ev->now = now;
    ev->key = now[t->key_ci] ? xstrdup(now[t->key_ci]) : NULL;
    ev->vp = validator_new(d, t);
    ev->ve = validator_new(d, life_events(s));
    build(ev, x);
    list_go(&ev->l, 1);   /* the date: the first thing to type */
    view *v = xcalloc(1, sizeof *v);
    v->ops = &eventform_ops;
    v->data = ev;
    return v;
}
