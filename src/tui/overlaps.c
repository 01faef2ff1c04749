/* overlaps.c — the :overlaps screen: overlapping boundaries as findings,
 * one pair a line, largest overlap first (overlaps_find, as `minreg
 * overlaps` prints them).  Enter opens the neighbour (the pair's second
 * record), M the first one's map with the neighbour selected; ] and [ on a
 * record opened from here step along the first records.
 *
 *   :overlaps                  every pair
 *   :overlaps TABLE [KEY]      a register's pairs, or one record's
 *
 * On the map screen, :overlaps with no argument lists that record's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/overlap.h"
#include "core/text.h"
#include "tui/list.h"

typedef struct oline {
    char *a, *b;          /* the records as shown, read when first drawn */
} oline;

typedef struct oview {
    ov_hits h;
    oline *ln;
    list l;
    char *scope;          /* what was asked, for the title */
} oview;

static const table *tab(const char *id) { return schema_table(db_schema(tui_db()), id); }

/* "附表11 KEY label" of record rid of tbl. */
static char *record_name(const char *tbl, int64_t rid)
{
    const table *t = tab(tbl);
    buf b = BUF_INIT;
    if (!t) {
        buf_printf(&b, "%s #%lld", tbl, (long long)rid);
        return buf_steal(&b);
    }
    buf_printf(&b, "%s ", *t->appendix ? t->appendix : t->id);
    mr_err e = {0};
    cursor *c = db_select_rowid(tui_db(), t, rid, &e);
    if (c && cursor_next(c) == 1) {
        col_format(&t->cols[t->key_ci], cursor_val(c, t->key_ci), &b);
        if (t->label_ci != t->key_ci && cursor_val(c, t->label_ci))
            buf_printf(&b, " %s", cursor_val(c, t->label_ci));
    } else {
        buf_printf(&b, "#%lld", (long long)rid);
    }
    cursor_free(c);
    return buf_steal(&b);
}

static int ov_line(list *l, int64_t i, int y, int room, int sel)
{
    oview *o = l->data;
    (void)room;
    const ov_hit *h = &o->h.v[i];
    oline *x = &o->ln[i];
    if (!x->a) {
        x->a = record_name(h->tbl_a, h->rid_a);
        x->b = record_name(h->tbl_b, h->rid_b);
    }
    int cols = screen_cols(), attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    char km[32];
    snprintf(km, sizeof km, "%.4f", h->km2);
    int kw = 10, half = (cols - kw - 4) / 2;
    if (half < 4)
        half = 4;
    draw_fill(y, 0, cols, attr);
    draw_text(y, 0, half, x->a, attr, 0);
    draw_text(y, half + 1, 2, tui_options()->ascii || text_ambiguous_wide() ? "<>" : "⇄", sel ? attr : ATTR_DIM,
              0);
    draw_text(y, half + 4, cols - half - 4 - kw - 1, x->b, sel ? attr : ATTR_LINK, 0);
    draw_text(y, cols - kw, kw, km, attr, 1);
    return 1;
}

static void ov_text(list *l, int64_t i, buf *out)
{
    oview *o = l->data;
    const ov_hit *h = &o->h.v[i];
    char *a = record_name(h->tbl_a, h->rid_a), *b = record_name(h->tbl_b, h->rid_b);
    buf_printf(out, "%s %s %.4f", a, b, h->km2);
    free(a);
    free(b);
}

static int ov_record(list *l, int64_t i, const table **t, int64_t *rowid)
{
    const ov_hit *h = &((oview *)l->data)->h.v[i];
    *t = tab(h->tbl_a);
    *rowid = h->rid_a;
    return *t != NULL;
}

static const list_ops ov_list = {
    .draw_line = ov_line,
    .text = ov_text,
    .record = ov_record,
};

static void ov_draw(view *v)
{
    oview *o = v->data;
    if (!o->h.n) {
        draw_text(2, 2, screen_cols() - 2, _("No overlapping boundaries."), ATTR_NORMAL, 0);
        return;
    }
    list_draw(&o->l);
}

static void ov_request(view *v, request req)
{
    oview *o = v->data;
    if ((req == REQ_ENTER || req == REQ_MAP) && !o->h.n) {
        tui_message("%s", _("no overlaps: nothing to open"));
        return;
    }
    const ov_hit *h = o->h.n ? &o->h.v[o->l.cur] : NULL;
    switch (req) {
    case REQ_ENTER: {
        const table *t = tab(h->tbl_b);
        if (t)
            view_push(record_new(t, h->rid_b, NULL));
        break;
    }
    case REQ_MAP: {
        const table *t = tab(h->tbl_a);
        mr_err e = {0};
        view *m = t ? map_new(t, h->rid_a, h->tbl_b, h->rid_b, &e) : NULL;
        if (m)
            view_push(m);
        else if (t)
            tui_error(&e);
        break;
    }
    default: list_request(&o->l, req);
    }
}

static void ov_title(view *v, buf *out)
{
    oview *o = v->data;
    buf_printf(out, "%s", _("overlapping boundaries"));
    if (*o->scope)
        buf_printf(out, " · %s", o->scope);
}

static void ov_status(view *v, buf *out)
{
    oview *o = v->data;
    buf_printf(out, _("%d/%d  km² of overlap  Enter: open the neighbour  M: the map  q: back"),
               o->h.n ? (int)o->l.cur + 1 : 0, o->h.n);
}

static void ov_free(view *v)
{
    oview *o = v->data;
    for (int i = 0; i < o->h.n; i++) {
        free(o->ln[i].a);
        free(o->ln[i].b);
    }
    free(o->ln);
    ov_hits_free(&o->h);
    list_free(&o->l);
    free(o->scope);
    free(o);
    free(v);
}

static const view_ops ov_ops = {
    .name = "overlaps",
    .draw = ov_draw,
    .request = ov_request,
    .status = ov_status,
    .title = ov_title,
    .free = ov_free,
};

view *overlaps_new(const table *t, int64_t rowid, mr_err *e)
{
    oview *o = xcalloc(1, sizeof *o);
    if (overlaps_find(tui_db(), t ? t->id : NULL, t ? rowid : 0, &o->h, e) < 0) {
        ov_hits_free(&o->h);
        free(o);
        return NULL;
    }
    o->scope = t && rowid > 0 ? record_name(t->id, rowid) : xstrdup(t ? t->id : "");
    o->ln = xcalloc((size_t)(o->h.n ? o->h.n : 1), sizeof *o->ln);
    list_init(&o->l, &ov_list, o, o->h.n);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &ov_ops;
    v->data = o;
    return v;
}

void overlaps_cmd(const char *arg)
{
    const table *t = NULL;
    int64_t rowid = 0;
    mr_err e = {0};
    char *a = xstrdup(arg), *sp = strchr(a, ' ');
    if (sp)
        *sp++ = 0;
    if (*a) {
        t = tab(a);
        if (!t) {
            buf m = BUF_INIT;
            buf_printf(&m, _("unknown register: %s"), a);
            tui_error_text(buf_str(&m));
            buf_free(&m);
            free(a);
            return;
        }
        if (sp && *sp) {
            int r = db_find(tui_db(), t, sp, &rowid, &e);
            if (r != DB_FOUND) {
                if (r == DB_NOT_FOUND)
                    err_set(&e, EXIT_NOTFOUND, _("%s: no row '%s'"), t->id, sp);
                tui_error(&e);
                free(a);
                return;
            }
        }
    } else if (!map_record(view_top(), &t, &rowid)) {
        t = NULL;
    }
    free(a);
    view *v = overlaps_new(t, rowid, &e);
    if (v)
        view_push(v);
    else
        tui_error(&e);
}
