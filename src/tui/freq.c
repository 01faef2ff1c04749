/* freq.c — the frequency screen (F on a table's column, as VisiData's F):
 * each value of the column over the table's rows as filtered, with its
 * rows, share and area (core/freq.h), the most rows first.  Enter opens the
 * register with the table's filters and one more: this value (a list
 * column: rows listing it; (empty): rows where the column is empty). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/freq.h"
#include "core/i18n.h"
#include "core/text.h"
#include "tui/list.h"

/* Values the screen holds: a key column of a million rows has a million,
 * and a screen keeps its lines; the most frequent are the ones to read
 * (minreg freq prints them all). */
#define FREQ_SCREEN_MAX 10000

typedef struct fview {
    freq fq;
    db_filter *f;   /* the table's filters, owned */
    int nf;
    char **cells;   /* (n + 1) * FREQ_COLS cells as shown; row 0 the header */
    int w[FREQ_COLS];      /* natural widths: headers and cells */
    int wdata[FREQ_COLS];  /* ... the cells only */
    list l;
} fview;

static const char *cell(const fview *fv, int row, int c) { return fv->cells[row * FREQ_COLS + c]; }

/* Widths for this screen: natural ones (headers and cells) while they fit;
 * else the value column cut to 10, then the numbers' headers (the last
 * first) cut to their numbers (never a number cut), then the value column down to 4. */
static void fit(const fview *fv, int cols, int *w)
{
    int nc = freq_ncols(&fv->fq), sum = -2;
    for (int c = 0; c < nc; c++) {
        w[c] = fv->w[c];
        sum += w[c] + 2;
    }
    int over = sum - cols, cut;
    if (over > 0 && w[FREQ_VALUE] > 10) {
        cut = w[FREQ_VALUE] - 10 < over ? w[FREQ_VALUE] - 10 : over;
        w[FREQ_VALUE] -= cut;
        over -= cut;
    }
    for (int c = nc - 1; c >= FREQ_ROWS && over > 0; c--) {   /* the widest header, the area's, first */
        cut = w[c] - fv->wdata[c] < over ? w[c] - fv->wdata[c] : over;
        w[c] -= cut;
        over -= cut;
    }
    if (over > 0 && w[FREQ_VALUE] > 4) {
        cut = w[FREQ_VALUE] - 4 < over ? w[FREQ_VALUE] - 4 : over;
        w[FREQ_VALUE] -= cut;
    }
}

static void draw_row(const fview *fv, int row, int y, int attr)
{
    int cols = screen_cols(), nc = freq_ncols(&fv->fq), w[FREQ_COLS], x = 0;
    fit(fv, cols, w);
    for (int c = 0; c < nc && x < cols; c++) {
        int cw = x + w[c] > cols ? cols - x : w[c];
        draw_text(y, x, cw, cell(fv, row, c), attr, c != FREQ_VALUE && row > 0);
        x += w[c] + 2;
    }
}

static int freq_line(list *l, int64_t i, int y, int room, int sel)
{
    fview *fv = l->data;
    (void)room;
    int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    if (sel)
        draw_fill(y, 0, screen_cols(), attr);
    draw_row(fv, (int)i + 1, y, attr);
    return 1;
}

static void freq_text(list *l, int64_t i, buf *out)
{
    fview *fv = l->data;
    for (int c = 0; c < freq_ncols(&fv->fq); c++)
        buf_printf(out, "%s%s", c ? " " : "", cell(fv, (int)i + 1, c));
}

static const list_ops freq_list = {
    .draw_line = freq_line,
    .text = freq_text,
};

static void freq_draw(view *v)
{
    fview *fv = v->data;
    draw_fill(1, 0, screen_cols(), ATTR_HEADER);
    draw_row(fv, 0, 1, ATTR_HEADER);
    list_draw(&fv->l);
    if (!fv->fq.n)
        draw_text(2, 0, screen_cols(), _("(no rows)"), ATTR_DIM, 0);
}

static void open_value(fview *fv)
{
    if (!fv->fq.n)
        return;
    db_filter *f = xcalloc((size_t)fv->nf + 1, sizeof *f);
    memcpy(f, fv->f, sizeof *f * (size_t)fv->nf);
    freq_filter(&fv->fq, (int)fv->l.cur, &f[fv->nf]);
    mr_err e = {0};
    view *t = table_new(fv->fq.t, f, fv->nf + 1, &e);
    free(f);
    if (t)
        view_push(t);
    else
        tui_error(&e);
}

static void freq_request(view *v, request req)
{
    fview *fv = v->data;
    if (req == REQ_ENTER)
        open_value(fv);
    else
        list_request(&fv->l, req);
}

static void freq_title(view *v, buf *out)
{
    fview *fv = v->data;
    const table *t = fv->fq.t;
    buf_printf(out, _("Frequency: %s — %s"), i18n_is_zh() ? t->title : t->title_en, t->cols[fv->fq.ci].label);
}

static void freq_status(view *v, buf *out)
{
    fview *fv = v->data;
    if (fv->fq.more)
        buf_printf(out, _("the %d values with the most rows (minreg freq prints all)"), fv->fq.n);
    else
        buf_printf(out, _n("%d value", "%d values", fv->fq.n), fv->fq.n);
    buf_puts(out, ", ");
    buf_printf(out, _n("%lld row", "%lld rows", fv->fq.total), (long long)fv->fq.total);
    for (int i = 0; i < fv->nf; i++) {
        buf_printf(out, "  %s ", i ? "&" : _("filter:"));
        db_filter_show(fv->fq.t, &fv->f[i], out);
    }
    buf_printf(out, "  %s", _("Enter: the rows with this value  q: back"));
}

static void freq_free_view(view *v)
{
    fview *fv = v->data;
    for (int i = 0; i < (fv->fq.n + 1) * FREQ_COLS; i++)
        free(fv->cells[i]);
    free(fv->cells);
    for (int i = 0; i < fv->nf; i++)
        db_filter_clear(&fv->f[i]);
    free(fv->f);
    freq_free(&fv->fq);
    list_free(&fv->l);
    free(fv);
    free(v);
}

static const table *freq_table(view *v) { return ((fview *)v->data)->fq.t; }

static const view_ops freq_ops = {
    .name = "freq",
    .draw = freq_draw,
    .request = freq_request,
    .status = freq_status,
    .title = freq_title,
    .table = freq_table,
    .free = freq_free_view,
};

view *freq_new(const table *t, int ci, const db_filter *f, int nf, mr_err *e)
{
    fview *fv = xcalloc(1, sizeof *fv);
    if (freq_build(tui_db(), t, ci, f, nf, FREQ_SCREEN_MAX, &fv->fq, e) < 0) {
        free(fv);
        return NULL;
    }
    fv->nf = nf;
    fv->f = xcalloc((size_t)(nf ? nf : 1), sizeof *fv->f);
    for (int i = 0; i < nf; i++)
        db_filter_dup(&fv->f[i], &f[i]);
    int nc = freq_ncols(&fv->fq);
    fv->cells = xcalloc((size_t)(fv->fq.n + 1) * FREQ_COLS, sizeof *fv->cells);
    buf b = BUF_INIT;
    for (int r = 0; r <= fv->fq.n; r++)
        for (int c = 0; c < nc; c++) {
            buf_reset(&b);
            freq_cell(&fv->fq, r - 1, c, 0, &b);
            /* shown escaped, as every cell is (draw_text) */
            fv->cells[r * FREQ_COLS + c] = xstrdup(buf_str(&b));
            int cw = text_width(buf_str(&b));
            if (cw > fv->w[c])
                fv->w[c] = cw;
            if (r > 0 && cw > fv->wdata[c])
                fv->wdata[c] = cw;
        }
    buf_free(&b);
    list_init(&fv->l, &freq_list, fv, fv->fq.n);
    fv->l.y0 = 2;   /* under the header */
    view *v = xcalloc(1, sizeof *v);
    v->ops = &freq_ops;
    v->data = fv;
    return v;
}
