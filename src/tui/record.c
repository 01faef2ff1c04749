/* record.c — one record: every field with label and unit, its links out and
 * the registers that link to it.  Enter follows the link under the cursor;
 * ] and [ move along the list the record was opened from. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/life.h"
#include "core/links.h"
#include "core/text.h"
#include "tui/list.h"

enum { L_FIELD, L_HEAD, L_OUT, L_IN, L_BLANK };

typedef struct rline {
    int kind;
    char *label, *value;
    int ti;              /* L_OUT: target register; L_IN: linking register */
    int64_t rowid;       /* L_OUT: target row (-1 when missing) */
    int ci;              /* L_IN: the linking column */
    char *fval;          /* L_IN: the value the linking rows hold */
} rline;

typedef struct rview {
    const table *t;
    int64_t rowid;
    list *parent;        /* the list it was opened from, or NULL */
    rline *lines;
    int n;
    list l;
    char *name;          /* key and label, for the title */
    unsigned version;
} rview;

static const char *ttitle(const table *t) { return i18n_is_zh() ? t->title : t->title_en; }

static void add(rview *rv, int kind, const char *label, const char *value)
{
    rv->lines = xrealloc(rv->lines, sizeof(rline) * (size_t)(rv->n + 1));
    rline *l = &rv->lines[rv->n++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->label = xstrdup(label ? label : "");
    l->value = xstrdup(value ? value : "");
    l->rowid = -1;
}

static void clear_lines(rview *rv)
{
    for (int i = 0; i < rv->n; i++) {
        free(rv->lines[i].label);
        free(rv->lines[i].value);
        free(rv->lines[i].fval);
    }
    free(rv->lines);
    rv->lines = NULL;
    rv->n = 0;
    free(rv->name);
    rv->name = NULL;
}

struct tl_ctx {
    rview *rv;
    int n;   /* events added */
};

static void timeline_line(void *arg, const table *ev, int64_t rid, const char *const *vals)
{
    struct tl_ctx *x = arg;
    if (!x->n) {
        add(x->rv, L_BLANK, "", "");
        add(x->rv, L_HEAD, _("Timeline:"), "");
    }
    int dci = table_role(ev, "event_date"), tci = table_role(ev, "event_type"),
        nci = table_role(ev, "event_doc");
    buf l = BUF_INIT, v = BUF_INIT;
    buf_printf(&l, "%s %s", dci >= 0 && vals[dci] ? vals[dci] : "", tci >= 0 && vals[tci] ? vals[tci] : "");
    if (nci >= 0 && vals[nci] && *vals[nci])
        buf_printf(&v, "%s  ", vals[nci]);
    life_event_summary(ev, vals, &v);
    add(x->rv, L_OUT, buf_str(&l), buf_str(&v));
    rline *r = &x->rv->lines[x->rv->n - 1];
    r->ci = -1;
    r->ti = schema_table_index(db_schema(tui_db()), ev);
    r->rowid = rid;
    x->n++;
    buf_free(&l);
    buf_free(&v);
}

/* A mining area (采区) of the permit's boundary, with its elevations. */
static void area_line(void *arg, const life_area *a)
{
    struct tl_ctx *x = arg;
    if (!x->n++) {
        add(x->rv, L_BLANK, "", "");
        add(x->rv, L_HEAD, _("Mining areas (采区), from the boundary:"), "");
    }
    buf l = BUF_INIT, v = BUF_INIT;
    buf_printf(&l, "%d %s", a->ring, a->name ? a->name : "");
    if (a->has_elev)
        buf_printf(&v, _("%.2f to %.2f m"), a->top, a->bottom);
    if (a->hole)
        buf_printf(&v, "%s%s", v.len ? "  " : "", _("excluded"));
    add(x->rv, L_FIELD, buf_str(&l), buf_str(&v));
    x->rv->lines[x->rv->n - 1].ci = -1;
    buf_free(&l);
    buf_free(&v);
}

static void load(rview *rv)
{
    db *d = tui_db();
    const schema *s = db_schema(d);
    const table *t = rv->t;
    clear_lines(rv);
    mr_err e = {0};
    cursor *c = db_select_rowid(d, t, rv->rowid, &e);
    int got = c ? cursor_next(c) : -1;
    if (got != 1) {
        if (c && got < 0)
            cursor_fail(c, EXIT_DB, &e);   /* the file, not a deleted record */
        cursor_free(c);
        add(rv, L_HEAD, got == 0 ? _("(this record no longer exists)") : e.msg, "");
        rv->name = xstrdup("");
        return;
    }
    buf b = BUF_INIT, v = BUF_INIT;
    col_format(&t->cols[t->key_ci], cursor_val(c, t->key_ci), &b);
    if (t->label_ci != t->key_ci && cursor_val(c, t->label_ci))
        buf_printf(&b, " %s", cursor_val(c, t->label_ci));
    rv->name = buf_steal(&b);
    for (int i = 0; i < t->ncols; i++) {
        buf_reset(&b);
        col_header(&t->cols[i], &b);
        buf_reset(&v);
        col_format(&t->cols[i], cursor_val(c, i), &v);
        add(rv, L_FIELD, buf_str(&b), buf_str(&v));
        rv->lines[rv->n - 1].ci = i;
    }

    link_out *lo;
    int nlo = links_out_get(d, t, c, &lo);
    if (nlo) {
        add(rv, L_BLANK, "", "");
        add(rv, L_HEAD, _("Links out:"), "");
    }
    for (int i = 0; i < nlo; i++) {
        const table *lt = &s->tables[lo[i].ti];
        buf_reset(&b);
        if (lo[i].ext)
            buf_printf(&b, "  ↳ %s", ttitle(lt));
        else
            buf_printf(&b, "%s → %s", t->cols[lo[i].ci].label, ttitle(lt));
        buf_reset(&v);
        buf_puts(&v, lo[i].value);
        if (!lo[i].found)
            buf_printf(&v, "  (%s)", _("missing"));
        else if (!lo[i].ext && strcmp(lo[i].key, lo[i].value) != 0)
            buf_printf(&v, " = %s", lo[i].key);
        if (lo[i].found && !lo[i].ext && lt->label_ci != lt->key_ci &&
            strcmp(lo[i].label, lo[i].value) != 0)
            buf_printf(&v, " %s", lo[i].label);
        add(rv, L_OUT, buf_str(&b), buf_str(&v));
        rv->lines[rv->n - 1].ci = lo[i].ext ? -1 : lo[i].ci;
        rv->lines[rv->n - 1].ti = lo[i].ti;
        rv->lines[rv->n - 1].rowid = lo[i].found ? lo[i].rowid : -1;
    }
    links_out_free(lo, nlo);

    link_in *li;
    int nli = links_in_get(d, t, c, &li, &e);
    add(rv, L_BLANK, "", "");
    add(rv, L_HEAD, _("Referenced by:"), nli > 0 ? "" : nli < 0 ? e.msg : _("(nothing links here)"));
    for (int i = 0; i < nli; i++) {
        const table *u = &s->tables[li[i].ti];
        buf_reset(&b);
        buf_printf(&b, "%s · %s", ttitle(u), u->cols[li[i].ci].label);
        buf_reset(&v);
        buf_printf(&v, "%lld", (long long)li[i].count);
        add(rv, L_IN, buf_str(&b), buf_str(&v));
        rv->lines[rv->n - 1].ti = li[i].ti;
        rv->lines[rv->n - 1].ci = li[i].ci;
        rv->lines[rv->n - 1].fval = xstrdup(li[i].value);
    }
    links_in_free(li, nli);
    /* last, where the row comes from: the clause, the transcription's notes
     * about it and what the plan states about it */
    char *src[80];
    int si = table_col(t, "seq");
    int nsrc = schema_row_sources(s, t, cursor_val(c, t->key_ci), si >= 0 ? cursor_val(c, si) : NULL,
                                  src, 80);
    add(rv, L_BLANK, "", "");
    add(rv, L_HEAD, _("Source:"), "");
    for (int i = 0; i < nsrc; i++) {
        buf_reset(&b);
        buf_printf(&b, "  %s", src[i]);
        add(rv, L_HEAD, buf_str(&b), "");
        free(src[i]);
    }
    cursor_free(c);
    /* a mine's 采区 with their elevations, then the permit's life: its
     * events, oldest first; Enter opens one */
    struct tl_ctx ar = {.rv = rv};
    life_areas(d, t, rv->rowid, area_line, &ar, &e);
    struct tl_ctx x = {.rv = rv};
    life_timeline(d, t, rv->rowid, timeline_line, &x, &e);
    buf_free(&b);
    buf_free(&v);
}

static int label_width(const rview *rv)
{
    int w = 8;
    for (int i = 0; i < rv->n; i++)
        if (rv->lines[i].kind == L_FIELD || rv->lines[i].kind == L_OUT || rv->lines[i].kind == L_IN) {
            int lw = text_width(rv->lines[i].label);
            if (lw > w)
                w = lw;
        }
    int cap = screen_cols() / 2;
    return w > cap ? cap : w;
}

/* Display rows a line takes at the current width (long values wrap). */
static int line_height(const rview *rv, int i, int lw)
{
    const rline *l = &rv->lines[i];
    if (l->kind != L_FIELD)
        return 1;
    int vw = screen_cols() - lw - 2;
    if (vw < 1)
        return 1;
    buf e = BUF_INIT;
    text_escape(&e, l->value, strlen(l->value));
    int h = 0;
    const char *p = buf_str(&e);
    do {
        int used;
        size_t k = text_fit(p, vw, &used);
        if (k == 0 && *p)
            k = 1;
        p += k;
        h++;
    } while (*p);
    buf_free(&e);
    return h;
}

static int record_height(list *l, int64_t i)
{
    rview *rv = l->data;
    return line_height(rv, (int)i, label_width(rv));
}

static int record_line(list *ls, int64_t i, int y, int room, int sel)
{
    rview *rv = ls->data;
    const rline *l = &rv->lines[i];
    int cols = screen_cols(), lw = label_width(rv), vw = cols - lw - 2, y0 = y;
    int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    switch (l->kind) {
    case L_BLANK:
        if (sel)
            draw_fill(y, 0, cols, attr);
        return 1;
    case L_HEAD:
        draw_text(y, 0, cols, l->label, sel ? attr : ATTR_GROUP, 0);
        if (*l->value)
            draw_text(y, text_width(l->label) + 1, cols - text_width(l->label) - 1, l->value,
                      sel ? attr : ATTR_DIM, 0);
        return 1;
    case L_FIELD: {
        buf e = BUF_INIT;
        text_escape(&e, l->value, strlen(l->value));
        const char *p = buf_str(&e);
        int first = 1;
        do {
            int used;
            size_t k = vw > 0 ? text_fit(p, vw, &used) : strlen(p);
            if (k == 0 && *p)
                k = 1;
            if (sel)
                draw_fill(y, 0, cols, attr);
            draw_text(y, 0, lw, first ? l->label : "", sel ? attr : ATTR_HEADER, 0);
            char *chunk = xstrndup(p, k);
            /* already escaped: draw as is (escaping is idempotent for safe text) */
            draw_text(y, lw + 2, vw, chunk, attr, 0);
            free(chunk);
            p += k;
            first = 0;
            y++;
        } while (*p && y < y0 + room);
        buf_free(&e);
        return y - y0;
    }
    default:
        if (sel)
            draw_fill(y, 0, cols, attr);
        draw_text(y, 0, lw, l->label, sel ? attr : ATTR_LINK, 0);
        draw_text(y, lw + 2, vw, l->value, sel ? attr :
                  (l->kind == L_OUT && l->rowid < 0) ? ATTR_MARK : ATTR_NORMAL, l->kind == L_IN);
        return 1;
    }
}

static void record_text(list *ls, int64_t i, buf *out)
{
    const rline *l = &((rview *)ls->data)->lines[i];
    buf_printf(out, "%s %s", l->label, l->value);
}

static const list_ops record_list = {
    .draw_line = record_line,
    .height = record_height,
    .text = record_text,
};

static void record_draw(view *v)
{
    rview *rv = v->data;
    if (rv->version != tui_data_version()) {
        load(rv);
        rv->version = tui_data_version();
        list_reset(&rv->l, rv->n);
    }
    list_draw(&rv->l);
}

static void follow(view *v)
{
    rview *rv = v->data;
    const rline *l = &rv->lines[rv->l.cur];
    const schema *s = db_schema(tui_db());
    if (l->kind == L_FIELD && l->ci >= 0 && rv->t->cols[l->ci].link_ti >= 0) {
        /* Enter on a link field: its first link (the only one unless multi-valued) */
        for (int i = 0; i < rv->n; i++)
            if (rv->lines[i].kind == L_OUT && rv->lines[i].ci == l->ci) {
                if (rv->t->cols[l->ci].multi && strchr(l->value, ';')) {
                    list_go(&rv->l, i);   /* several: let the clerk pick one */
                    tui_message(_("several links: choose one and press Enter"));
                    return;
                }
                l = &rv->lines[i];
                break;
            }
    }
    if (l->kind == L_OUT) {
        if (l->rowid < 0) {
            tui_message(_("the linked row does not exist"));
            return;
        }
        view_push(record_new(&s->tables[l->ti], l->rowid, NULL));
    } else if (l->kind == L_IN) {
        db_filter f = {.ci = l->ci, .value = l->fval, .op = DBF_EQ};
        mr_err e = {0};
        view *t = table_new(&s->tables[l->ti], &f, 1, &e);
        if (t)
            view_push(t);
        else
            tui_error(&e);
    } else {
        tui_message(_("move to a link (→) or a register under “Referenced by” and press Enter"));
    }
}

void record_cmd_event(view *v, const char *arg)
{
    rview *rv = v->data;
    if (tui_options()->readonly) {
        tui_error_text(tui_readonly_text());
        return;
    }
    view *f = eventform_new(rv->t, rv->rowid, arg);
    if (f)
        view_push(f);
}

static void record_request(view *v, request req)
{
    rview *rv = v->data;
    switch (req) {
    case REQ_ENTER: follow(v); break;
    case REQ_ADD:
    case REQ_EDIT:
    case REQ_DUPLICATE:
    case REQ_DELETE:
    case REQ_HISTORY:
        edit_action(req, rv->t, rv->rowid);
        break;
    case REQ_EVENT:
        record_cmd_event(v, "");
        break;
    case REQ_MAP: {
        mr_err e = {0};
        view *m = map_new(rv->t, rv->rowid, NULL, 0, &e);
        if (m)
            view_push(m);
        else
            tui_error(&e);
        break;
    }
    case REQ_NEXT_RECORD:
    case REQ_PREV_RECORD: {
        const table *t;
        int64_t rowid;
        if (!rv->parent) {
            tui_message(_("this record was not opened from a list"));
            break;
        }
        if (!list_step_record(rv->parent, req == REQ_NEXT_RECORD ? 1 : -1, &t, &rowid)) {
            tui_message(req == REQ_NEXT_RECORD ? _("this is the last record") : _("this is the first record"));
            break;
        }
        rv->t = t;
        rv->rowid = rowid;
        load(rv);
        list_reset(&rv->l, rv->n);
        break;
    }
    default:
        list_request(&rv->l, req);
    }
}

static void record_title(view *v, buf *out)
{
    rview *rv = v->data;
    if (*rv->t->appendix)
        buf_printf(out, "%s ", rv->t->appendix);
    buf_printf(out, "%s · %s", ttitle(rv->t), rv->name);
}

static void record_status(view *v, buf *out)
{
    rview *rv = v->data;
    buf_puts(out, _("record"));   /* the title bar names the register */
    int64_t i, n;
    if (rv->parent && list_position(rv->parent, &i, &n))
        buf_printf(out, " %lld/%lld", (long long)i + 1, (long long)n);
    buf_printf(out, "  %s", _("Enter: follow link  [ ]: previous/next  q: back"));
}

static void record_free(view *v)
{
    rview *rv = v->data;
    clear_lines(rv);
    list_free(&rv->l);
    free(rv);
    free(v);
}

static const view_ops record_ops = {
    .name = "record",
    .draw = record_draw,
    .request = record_request,
    .status = record_status,
    .title = record_title,
    .free = record_free,
};

view *record_new(const table *t, int64_t rowid, list *parent)
{
    rview *rv = xcalloc(1, sizeof *rv);
    rv->t = t;
    rv->rowid = rowid;
    rv->parent = parent;
    rv->version = tui_data_version();
    load(rv);
    list_init(&rv->l, &record_list, rv, rv->n);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &record_ops;
    v->data = rv;
    return v;
}
