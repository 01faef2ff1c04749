/* summary.c — the Summary screen: `minreg report summary` as linked tables.
 *
 * The cells come from core/summary_table.c, as for the CLI report.  Each
 * row knows what it is about, so Enter opens it: a register, a register
 * filtered to a district or a mineral (with lists matched item by item), or
 * an indicator's record. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/summary.h"
#include "core/text.h"
#include "tui/list.h"

enum { SL_TITLE = -1, SL_BLANK = -2, SL_NOTE = -3 };

typedef struct sline {
    int sec;
    int line;          /* index into the section's lines (0: its header), or SL_* */
} sline;

typedef struct sview {
    summary sm;
    sum_section sec[SUM_SECTIONS];
    int *w[SUM_SECTIONS];   /* column widths per section */
    sline *lines;
    int n;
    list l;                 /* the cursor is always on a row with cells beyond a header */
} sview;

static void add(sview *sv, int sec, int line)
{
    sv->lines = xrealloc(sv->lines, sizeof *sv->lines * (size_t)(sv->n + 1));
    sv->lines[sv->n++] = (sline){sec, line};
}

static int is_row(const sview *sv, int i) { return i >= 0 && i < sv->n && sv->lines[i].line > 0; }

/* Widths for this screen: the natural ones, with the rightmost text column
 * cut (down to 8) until the line fits, then the one before it, so numbers
 * stay in view and a title (left) is cut last, after the register's id,
 * clause or basis (right). */
static void fit(const sum_section *s, const int *natural, int cols, int *w)
{
    int sum = -2;
    for (int c = 0; c < s->ncols; c++) {
        w[c] = natural[c];
        sum += w[c] + 2;
    }
    int dropped = 0;
    while (sum > cols) {
        int widest = -1, first = -1;
        for (int c = 0; c < s->ncols; c++)
            if (!s->right[c] && w[c] > 8) {
                widest = c;
                if (first < 0)
                    first = c;
            }
        /* before the title itself is cut, the register's id (the last
         * column, beside its appendix and title) goes whole: a title cut
         * to a few characters is worse than no id */
        int last = s->ncols - 1;
        if (!dropped && widest >= 0 && widest == first && last > widest && !s->right[last] && w[last] &&
            s->n && strcmp(s->lines[0].cells[last], _("Register")) == 0) {
            sum -= w[last] + 2;
            w[last] = 0;
            dropped = 1;
            continue;
        }
        if (widest < 0)
            break;
        int cut = sum - cols < w[widest] - 8 ? sum - cols : w[widest] - 8;
        w[widest] -= cut;
        sum -= cut;
    }
}

static void draw_cells(const sum_section *s, const sum_line *l, const int *natural, int y, int cols,
                       int attr)
{
    int *w = xcalloc((size_t)s->ncols, sizeof *w), x = 0;
    fit(s, natural, cols, w);
    for (int c = 0; c < s->ncols && x < cols; c++) {
        if (!w[c])
            continue;   /* left out on a narrow screen (fit) */
        /* headers are left-aligned, like the CLI's tables */
        draw_text(y, x, x + w[c] > cols ? cols - x : w[c], l->cells[c], attr,
                  s->right[c] && l != &s->lines[0]);
        x += w[c] + 2;
    }
    free(w);
}

static int summary_line(list *ls, int64_t i, int y, int room, int sel)
{
    sview *sv = ls->data;
    const sline *l = &sv->lines[i];
    int cols = screen_cols();
    (void)room;
    if (l->line == SL_TITLE)
        draw_text(y, 0, cols, sv->sec[l->sec].title, ATTR_GROUP, 0);
    else if (l->line == SL_NOTE)
        draw_text(y, 0, cols, summary_note(), ATTR_DIM, 0);
    else if (l->line >= 0) {
        const sum_section *s = &sv->sec[l->sec];
        int attr = l->line == 0 ? ATTR_HEADER : sel ? ATTR_SELECTED : ATTR_NORMAL;
        if (attr != ATTR_NORMAL)
            draw_fill(y, 0, cols, attr);
        draw_cells(s, &s->lines[l->line], sv->w[l->sec], y, cols, attr);
    }
    return 1;
}

static int summary_selectable(list *l, int64_t i) { return is_row(l->data, (int)i); }

/* a section's title and header stay in view with its first rows */
static int summary_heading(list *l, int64_t i)
{
    int k = ((sview *)l->data)->lines[i].line;
    return k == SL_TITLE || k == 0;
}

static void summary_text(list *ls, int64_t i, buf *out)
{
    sview *sv = ls->data;
    const sline *l = &sv->lines[i];
    const sum_section *s = &sv->sec[l->sec];
    for (int c = 0; c < s->ncols; c++)
        buf_printf(out, "%s%s", c ? " " : "", s->lines[l->line].cells[c]);
}

static int summary_record(list *ls, int64_t i, const table **t, int64_t *rowid)
{
    sview *sv = ls->data;
    const sline *l = &sv->lines[i];
    if (!is_row(sv, (int)i))
        return 0;
    const sum_line *r = &sv->sec[l->sec].lines[l->line];
    *t = r->t;
    *rowid = r->rowid;
    return r->t && r->rowid >= 0;
}

static const list_ops summary_list = {
    .draw_line = summary_line,
    .selectable = summary_selectable,
    .heading = summary_heading,
    .text = summary_text,
    .record = summary_record,
};

static void summary_draw(view *v)
{
    sview *sv = v->data;
    list_draw(&sv->l);
}

static void open_row(sview *sv)
{
    const sline *l = &sv->lines[sv->l.cur];
    const sum_line *r = &sv->sec[l->sec].lines[l->line];
    if (!r->t) {
        tui_message("%s", _("there is nothing to open for this row"));
        return;
    }
    if (r->rowid >= 0) {
        view_push(record_new(r->t, r->rowid, &sv->l));
        return;
    }
    db_filter f = {.ci = r->fci, .value = r->fval, .op = DBF_EQ};
    mr_err e = {0};
    view *t = table_new(r->t, &f, r->fci >= 0, &e);
    if (t)
        view_push(t);
    else
        tui_error(&e);
}

static void summary_request(view *v, request req)
{
    sview *sv = v->data;
    if (req == REQ_ENTER)
        open_row(sv);
    else
        list_request(&sv->l, req);
}

static void summary_title(view *v, buf *out)
{
    (void)v;
    buf_puts(out, _("summary"));
}

static void summary_status(view *v, buf *out)
{
    sview *sv = v->data;
    const sline *l = &sv->lines[sv->l.cur];
    buf_printf(out, "%s  %s", sv->sec[l->sec].title, _("Enter: open what the row is about  q: back"));
}

static void summary_free_view(view *v)
{
    sview *sv = v->data;
    summary_sections_free(sv->sec);
    summary_free(&sv->sm);
    for (int i = 0; i < SUM_SECTIONS; i++)
        free(sv->w[i]);
    free(sv->lines);
    list_free(&sv->l);
    free(sv);
    free(v);
}

static const view_ops summary_ops = {
    .name = "summary",
    .draw = summary_draw,
    .request = summary_request,
    .status = summary_status,
    .title = summary_title,
    .free = summary_free_view,
};

view *summary_new(mr_err *e)
{
    sview *sv = xcalloc(1, sizeof *sv);
    if (summary_build(tui_db(), &sv->sm, e) < 0) {
        summary_free(&sv->sm);
        free(sv);
        return NULL;
    }
    summary_sections(&sv->sm, 0, sv->sec);
    for (int s = 0; s < SUM_SECTIONS; s++) {
        const sum_section *sec = &sv->sec[s];
        sv->w[s] = xcalloc((size_t)sec->ncols, sizeof(int));
        for (int k = 0; k < sec->n; k++)
            for (int c = 0; c < sec->ncols; c++) {
                int cw = text_width(sec->lines[k].cells[c]);
                if (cw > sv->w[s][c])
                    sv->w[s][c] = cw;
            }
        if (s)
            add(sv, s, SL_BLANK);
        add(sv, s, SL_TITLE);
        for (int k = 0; k < sec->n; k++)
            add(sv, s, k);
    }
    add(sv, SUM_SECTIONS - 1, SL_BLANK);
    add(sv, SUM_SECTIONS - 1, SL_NOTE);
    list_init(&sv->l, &summary_list, sv, sv->n);   /* the first register, under the title and the header */
    view *v = xcalloc(1, sizeof *v);
    v->ops = &summary_ops;
    v->data = sv;
    return v;
}
