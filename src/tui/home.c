/* home.c — the home screen: the registers grouped as in the plan.
 *
 * The rows of each register are counted after the screen is shown, while
 * no key is waiting (view.c's idle work): a register of a million rows
 * takes a pass over an index, and the clerk should not wait on it to see
 * the list or to open one.  A count not made yet shows as "…". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/list.h"

typedef struct item {
    const table *t;       /* NULL for a group heading */
    const char *group;
    int64_t rows;         /* COUNT_PENDING until counted, COUNT_FAILED */
} item;

enum { COUNT_PENDING = -1, COUNT_FAILED = -2 };

typedef struct home {
    item *items;
    int n;
    list l;               /* the cursor is never on a heading */
    unsigned version;     /* counts read at this data version */
    int64_t xat, xver;    /* expiring counted at this newest change and data version */
    int xcount;           /* permits :expiring lists (within 90 days), -1 unknown */
} home;

static const char *group_name(const char *grp)
{
    /* the groups as the schema names them, shown in the interface language */
    if (strcmp(grp, "规划附表") == 0)
        return _("Plan appendix tables (附表)");
    if (strcmp(grp, "正文专栏") == 0)
        return _("Tables in the plan's text (专栏)");
    if (strcmp(grp, "字典") == 0)
        return _("Dictionaries");
    if (strcmp(grp, "登记") == 0)
        return _("Registration (登记)");
    return grp;
}

static int home_line(list *l, int64_t i, int y, int room, int sel)
{
    home *h = l->data;
    const item *it = &h->items[i];
    int cols = screen_cols();
    (void)room;
    if (!it->t) {
        draw_text(y, 0, cols, group_name(it->group), ATTR_GROUP, 0);
        return 1;
    }
    int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    char n[32];
    if (it->rows >= 0)
        snprintf(n, sizeof n, "%lld", (long long)it->rows);
    else
        snprintf(n, sizeof n, "%s", it->rows == COUNT_PENDING ? glyph_pending() : "?");
    /* appendix 7 | title | id | rows 8; the id is dropped when narrow */
    int wid = cols >= 70 ? 20 : 0, wn = 9, wa = 8;
    int wt = cols - 2 - wa - wid - wn;
    if (wt < 4) {
        wa = 0;
        wt = cols - 2 - wn;
    }
    draw_fill(y, 0, cols, attr);
    draw_text(y, 2, wa, it->t->appendix, attr, 0);
    draw_text(y, 2 + wa, wt - 1, i18n_is_zh() ? it->t->title : it->t->title_en, attr, 0);
    draw_text(y, 2 + wa + wt, wid, it->t->id, attr == ATTR_NORMAL ? ATTR_DIM : attr, 0);
    draw_text(y, 2 + wa + wt + wid, wn, n, attr, 1);
    return 1;
}

static int home_selectable(list *l, int64_t i) { return ((home *)l->data)->items[i].t != NULL; }
static int home_heading(list *l, int64_t i) { return !home_selectable(l, i); }

/* A register is found by its appendix, title (both languages) and id. */
static void home_text(list *l, int64_t i, buf *out)
{
    const table *t = ((home *)l->data)->items[i].t;
    buf_printf(out, "%s %s %s %s", t->appendix, t->title, t->title_en, t->id);
}

static const list_ops home_list = {
    .draw_line = home_line,
    .selectable = home_selectable,
    .heading = home_heading,
    .text = home_text,
};

static void home_draw(view *v)
{
    home *h = v->data;
    if (h->version != tui_data_version()) {
        for (int i = 0; i < h->n; i++)
            if (h->items[i].t)
                h->items[i].rows = COUNT_PENDING;   /* counted again when idle */
        h->version = tui_data_version();
    }
    list_draw(&h->l);
}

/* Count one register not counted yet: those on screen first, top down. */
static int home_idle(view *v)
{
    home *h = v->data;
    int pick = -1;
    for (int i = 0; i < h->n && pick < 0; i++) {
        int j = (int)((h->l.top + i) % h->n);   /* from the first line shown, wrapping */
        if (h->items[j].t && h->items[j].rows == COUNT_PENDING)
            pick = j;
    }
    if (pick < 0)
        return 0;
    int64_t n;
    mr_err e = {0};
    if (db_count(tui_db(), h->items[pick].t, NULL, 0, &n, &e) < 0) {
        h->items[pick].rows = COUNT_FAILED;
        tui_error_text(e.msg);   /* why the row shows no count */
    } else {
        h->items[pick].rows = n;
    }
    return 1;
}

static void home_request(view *v, request req)
{
    home *h = v->data;
    switch (req) {
    case REQ_HISTORY:
        view_push(history_new(NULL, -1));
        break;
    case REQ_ADD:
    case REQ_EDIT:
    case REQ_DUPLICATE:
    case REQ_DELETE:
        tui_message("%s", _("open a register first (Enter)"));
        break;
    case REQ_ENTER: {
        mr_err e = {0};
        view *t = table_new(h->items[h->l.cur].t, NULL, 0, &e);
        if (t)
            view_push(t);
        else
            tui_error(&e);
        break;
    }
    default:
        list_request(&h->l, req);
    }
}

static void home_title(view *v, buf *out)
{
    (void)v;
    buf_puts(out, _("registers"));
}

static void home_status(view *v, buf *out)
{
    home *h = v->data;
    int k = 0, n = 0;
    for (int i = 0; i < h->n; i++)
        if (h->items[i].t) {
            n++;
            if (i <= h->l.cur)
                k++;
        }
    /* the permits to act on, counted again when the register has changed */
    db *d = tui_db();
    int64_t at, ver;
    /* not known: counted again each time (the count meets the error) */
    int known = db_change_max(d, &at, NULL) == 0 && db_data_version(d, &ver, NULL) == 0;
    if (h->xcount < 0 || !known || at != h->xat || ver != h->xver) {
        mr_err e = {0};
        h->xcount = expiring_count(&e);
        h->xat = at;
        h->xver = ver;
    }
    if (h->xcount > 0)
        buf_printf(out, _("%d expiring (:expiring)  "), h->xcount);
    buf_printf(out, _("%d/%d registers  Enter: open  ?: help  Q: quit"), k, n);
}

static void home_free(view *v)
{
    home *h = v->data;
    free(h->items);
    list_free(&h->l);
    free(h);
    free(v);
}

static const view_ops home_ops = {
    .name = "home",
    .draw = home_draw,
    .request = home_request,
    .status = home_status,
    .title = home_title,
    .idle = home_idle,
    .free = home_free,
};

view *home_new(void)
{
    const schema *s = db_schema(tui_db());
    home *h = xcalloc(1, sizeof *h);
    h->xcount = -1;
    h->items = xcalloc((size_t)s->ntables * 2, sizeof(item));
    const char *grp = NULL;
    for (int i = 0; i < s->ntables; i++) {
        const table *t = &s->tables[i];
        if (!grp || strcmp(grp, t->grp) != 0) {
            grp = t->grp;
            h->items[h->n++].group = grp;
        }
        h->items[h->n].t = t;
        h->items[h->n].rows = COUNT_PENDING;
        h->n++;
    }
    list_init(&h->l, &home_list, h, h->n);   /* the first register, under its group */
    view *v = xcalloc(1, sizeof *v);
    v->ops = &home_ops;
    v->data = h;
    return v;
}
