/* exchange.c — the :exchange screen: this register's exchange site, its
 * partners (last file sent and applied, changes waiting to be sent, open
 * conflicts) and the open conflicts, one a line (core/xchg.h).  Enter on a
 * conflict opens it (xconflict.c: base / theirs / mine, and t, m, e to
 * resolve it). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/xchg.h"
#include "tui/list.h"

enum { L_HEAD, L_TEXT, L_PARTNER, L_CONFLICT };

typedef struct xline {
    int kind;
    char *text;
    const table *t;     /* a conflict's register and row */
    int64_t rowid;
    int64_t id;         /* the conflict's */
} xline;

typedef struct xview {
    list l;
    xline *lines;
    int n, cap, npartners, nconflicts;
    int site;           /* 1: the register is a site */
    int64_t version, last;   /* the data version and newest change the lines were read at */
} xview;

static void add(xview *x, int kind, buf *text, const table *t, int64_t rowid)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        x->lines = xrealloc(x->lines, sizeof *x->lines * (size_t)x->cap);
    }
    x->lines[x->n++] = (xline){.kind = kind, .text = buf_steal(text), .t = t, .rowid = rowid};
}

/* s padded with spaces to w display columns, and a space */
static void col(buf *b, const char *s, int w)
{
    buf_puts(b, s);
    int k = text_width(s);
    buf_pad(b, (k < w ? w - k : 0) + 2);
}

static void on_partner(void *arg, const xchg_site *p)
{
    xview *x = arg;
    buf b = BUF_INIT;
    char code[16];
    snprintf(code, sizeof code, "%d", p->code);
    col(&b, p->name, 14);
    col(&b, code, 6);
    col(&b, strcmp(p->role, "city") == 0 ? _("city") : _("county"), 6);
    buf_printf(&b, _("sent %s, %lld waiting; applied %s (their change %lld); %lld conflicts"),
               *p->sent_at ? p->sent_at : "-", (long long)p->waiting,
               *p->applied_at ? p->applied_at : "-", (long long)p->applied, (long long)p->conflicts);
    add(x, L_PARTNER, &b, NULL, -1);
    x->npartners++;
}

static void on_conflict(void *arg, const xchg_conflict *c)
{
    xview *x = arg;
    const table *t = schema_table(db_schema(tui_db()), c->tbl);
    buf b = BUF_INIT;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    col(&b, id, 4);
    col(&b, !t ? c->tbl : i18n_is_zh() || !*t->title_en ? t->title : t->title_en, 12);
    col(&b, c->row_key ? c->row_key : "", 6);
    const char *label = c->field ? c->field : _("(row)");
    if (t && c->field) {
        int ci = table_col(t, c->field);
        if (ci >= 0)
            label = t->cols[ci].label;
    }
    col(&b, label, 8);
    buf_printf(&b, "%s · %s: %s · %s: %s · %s", xchg_what_text(c->what), _("Mine"),
               c->mine ? c->mine : _("(none)"), _("Theirs"), c->theirs ? c->theirs : _("(none)"),
               c->site);
    add(x, L_CONFLICT, &b, t, c->row_id);
    x->lines[x->n - 1].id = c->id;
    x->nconflicts++;
}

static int x_line(list *l, int64_t i, int y, int room, int sel)
{
    xview *x = l->data;
    const xline *ln = &x->lines[i];
    int cols = screen_cols();
    (void)room;
    int attr = ln->kind == L_HEAD ? ATTR_GROUP : sel ? ATTR_SELECTED : ATTR_NORMAL;
    draw_fill(y, 0, cols, attr);
    draw_text(y, ln->kind == L_HEAD ? 0 : 2, cols - (ln->kind == L_HEAD ? 0 : 2), ln->text, attr, 0);
    return 1;
}

static int x_selectable(list *l, int64_t i)
{
    const xline *ln = &((xview *)l->data)->lines[i];
    return ln->kind == L_PARTNER || ln->kind == L_CONFLICT;
}

static int x_heading(list *l, int64_t i) { return ((xview *)l->data)->lines[i].kind == L_HEAD; }

static void x_text(list *l, int64_t i, buf *out) { buf_puts(out, ((xview *)l->data)->lines[i].text); }

static int x_record(list *l, int64_t i, const table **t, int64_t *rowid)
{
    const xline *ln = &((xview *)l->data)->lines[i];
    if (ln->kind != L_CONFLICT || !ln->t)
        return 0;
    *t = ln->t;
    *rowid = ln->rowid;
    return 1;
}

static const list_ops x_list = {
    .draw_line = x_line,
    .selectable = x_selectable,
    .heading = x_heading,
    .text = x_text,
    .record = x_record,
};

static void build(xview *x);

static void x_draw(view *v)
{
    xview *x = v->data;
    /* a conflict resolved on its screen (or by another clerk): read again */
    int64_t ver = 0, last = 0;
    if (db_data_version(tui_db(), &ver, NULL) != 0 || db_change_max(tui_db(), &last, NULL) != 0 ||
        ver != x->version || last != x->last) {
        build(x);
        list_reset(&x->l, x->n);
    }
    list_draw(&x->l);
}

static void x_request(view *v, request req)
{
    xview *x = v->data;
    if (req == REQ_ENTER) {
        if (x->n && x->lines[x->l.cur].kind == L_CONFLICT)
            view_push(xconflict_new(x->lines[x->l.cur].id));
        else
            tui_message("%s", _("Enter opens a conflict"));
        return;
    }
    list_request(&x->l, req);
}

static void x_title(view *v, buf *out)
{
    (void)v;
    xchg_site me;
    if (xchg_self(tui_db(), &me) == 0)
        buf_printf(out, _("exchange: site %s (%d, %s)"), me.name, me.code,
                   strcmp(me.role, "city") == 0 ? _("city") : _("county"));
    else
        buf_puts(out, _("exchange: not a site"));
}

static void x_status(view *v, buf *out)
{
    xview *x = v->data;
    buf_printf(out, _("%d partners, %d open conflicts  Enter: the conflict (t theirs, m mine, e edit)  q: back"),
               x->npartners, x->nconflicts);
}

static void x_free(view *v)
{
    xview *x = v->data;
    for (int i = 0; i < x->n; i++)
        free(x->lines[i].text);
    free(x->lines);
    list_free(&x->l);
    free(x);
    free(v);
}

static const view_ops x_ops = {
    .name = "exchange",
    .draw = x_draw,
    .request = x_request,
    .status = x_status,
    .title = x_title,
    .free = x_free,
};

/* The lines, read again. */
static void build(xview *x)
{
    for (int i = 0; i < x->n; i++)
        free(x->lines[i].text);
    x->n = x->npartners = x->nconflicts = 0;
    db *d = tui_db();
    xchg_site me;
    buf b = BUF_INIT;
    /* unread (-1): read again at the next draw */
    if (db_data_version(d, &x->version, NULL) != 0)
        x->version = -1;
    if (db_change_max(d, &x->last, NULL) != 0)
        x->last = -1;
    x->site = xchg_self(d, &me) == 0;
    buf_puts(&b, _("Partners"));
    add(x, L_HEAD, &b, NULL, -1);
    if (!x->site) {
        buf_puts(&b, _("This register is not an exchange site: minreg exchange init SITE makes it one."));
        add(x, L_TEXT, &b, NULL, -1);
    } else {
        xchg_partners(d, on_partner, x);
        if (!x->npartners) {
            buf_puts(&b, _("No partners yet: minreg exchange partner SITE KEY adds one."));
            add(x, L_TEXT, &b, NULL, -1);
        }
    }
    buf_puts(&b, _("Open conflicts"));
    add(x, L_HEAD, &b, NULL, -1);
    xchg_conflicts(d, 0, on_conflict, x);
    if (!x->nconflicts) {
        buf_puts(&b, _("No open exchange conflicts."));
        add(x, L_TEXT, &b, NULL, -1);
    }
    buf_free(&b);
}

view *exchange_new(mr_err *e)
{
    (void)e;
    xview *x = xcalloc(1, sizeof *x);
    build(x);
    list_init(&x->l, &x_list, x, x->n);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &x_ops;
    v->data = x;
    return v;
}
