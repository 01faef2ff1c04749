/* table.c — a register's rows: frozen key column, horizontal scroll, sort.
 *
 * Rows come from a rowsrc one screen at a time; the screen never holds more
 * than the rows it shows, so a million-row register opens as fast as a
 * ten-row one.  Positions (row i/N) are tracked arithmetically as the cursor
 * moves; nothing here counts rows or uses OFFSET.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/tui.h"

#define WIDTH_MAX 30
#define WIDTH_FIT_ROWS 200

typedef struct tview {
    const table *t;
    db_filter *f;
    int nf;
    rowsrc *src;
    int sort_ci, desc;
    int64_t top, cur;      /* positions of the first shown and the selected row */
    int cur_col;           /* selected column (index into t->cols) */
    int left;              /* first scrolling column shown (index into order) */
    int *order;            /* scrolling columns: every column but the key */
    int norder;
    int *width;
    /* the rows on screen */
    int64_t cache_pos;
    int cache_n;
    char **cache;          /* cache_n * ncols formatted cells */
    int64_t *cache_rowid;
} tview;

static int ncols(const tview *tv) { return tv->t->ncols; }
static int data_rows(void) { return screen_rows() > 1 ? screen_rows() - 1 : 1; }

static void cache_clear(tview *tv)
{
    for (int i = 0; i < tv->cache_n * ncols(tv); i++)
        free(tv->cache[i]);
    free(tv->cache);
    free(tv->cache_rowid);
    tv->cache = NULL;
    tv->cache_rowid = NULL;
    tv->cache_n = 0;
    tv->cache_pos = -1;
}

/* Read rows [pos, pos+n) into the cache (formatted for display). */
static void cache_load(tview *tv, int64_t pos, int n)
{
    if (tv->cache_pos == pos && tv->cache_n == n)
        return;
    cache_clear(tv);
    mr_err e = {0};
    cursor *c = rowsrc_page(tv->src, pos, n, &e);
    if (!c) {
        tui_error(&e);
        return;
    }
    tv->cache = xcalloc((size_t)n * (size_t)ncols(tv), sizeof(char *));
    tv->cache_rowid = xcalloc((size_t)n, sizeof(int64_t));
    buf b = BUF_INIT;
    int k = 0;
    while (k < n && cursor_next(c) == 1) {
        tv->cache_rowid[k] = cursor_rowid(c);
        for (int i = 0; i < ncols(tv); i++) {
            buf_reset(&b);
            col_format(&tv->t->cols[i], cursor_val(c, i), &b);
            tv->cache[k * ncols(tv) + i] = buf_steal(&b);
        }
        k++;
    }
    cursor_free(c);
    buf_free(&b);
    tv->cache_n = k;
    tv->cache_pos = pos;
}

static void header_text(const tview *tv, int ci, buf *out)
{
    col_header(&tv->t->cols[ci], out);
    if (ci == tv->sort_ci)
        buf_puts(out, glyph_sort(tv->desc));
}

/* Widths fitted to the header and the first rows of the view. */
static void fit_widths(tview *tv)
{
    int n = ncols(tv);
    int *dw = xcalloc((size_t)n, sizeof(int));
    cache_load(tv, 0, WIDTH_FIT_ROWS);
    for (int r = 0; r < tv->cache_n; r++)
        for (int i = 0; i < n; i++) {
            int w = text_width(tv->cache[r * n + i]);
            if (w > dw[i])
                dw[i] = w;
        }
    cache_clear(tv);
    buf h = BUF_INIT;
    for (int i = 0; i < n; i++) {
        buf_reset(&h);
        header_text(tv, i, &h);
        int hw = text_width(buf_str(&h)) + 1;   /* room for a sort marker */
        int w = dw[i] > (hw < 14 ? hw : 14) ? dw[i] : (hw < 14 ? hw : 14);
        if (w > WIDTH_MAX)
            w = WIDTH_MAX;
        tv->width[i] = w < 2 ? 2 : w;
    }
    buf_free(&h);
    free(dw);
}

static void clamp(tview *tv)
{
    int64_t n = rowsrc_count(tv->src);
    int rows = data_rows();
    if (tv->cur >= n)
        tv->cur = n - 1;
    if (tv->cur < 0)
        tv->cur = 0;
    if (tv->top > tv->cur)
        tv->top = tv->cur;
    if (tv->cur >= tv->top + rows)
        tv->top = tv->cur - rows + 1;
    if (tv->top > n - rows)
        tv->top = n - rows;
    if (tv->top < 0)
        tv->top = 0;
}

/* Columns that fit from tv->left; make sure the current one is among them. */
static void scroll_columns(tview *tv)
{
    int key = tv->t->key_ci;
    if (tv->cur_col == key)
        return;
    int idx = 0;
    for (int i = 0; i < tv->norder; i++)
        if (tv->order[i] == tv->cur_col)
            idx = i;
    if (idx < tv->left)
        tv->left = idx;
    for (;;) {
        int x = tv->width[key] + 1;
        int last = tv->left;
        for (int i = tv->left; i < tv->norder && x + tv->width[tv->order[i]] <= screen_cols(); i++) {
            x += tv->width[tv->order[i]] + 1;
            last = i;
        }
        if (idx <= last || tv->left >= idx)
            break;
        tv->left++;
    }
}

static void table_draw(view *v)
{
    tview *tv = v->data;
    const table *t = tv->t;
    int key = t->key_ci, cols = screen_cols(), rows = data_rows();
    clamp(tv);
    scroll_columns(tv);
    int64_t n = rowsrc_count(tv->src);
    int shown = (int)(n - tv->top < rows ? n - tv->top : rows);
    if (shown > 0)
        cache_load(tv, tv->top, shown);
    buf h = BUF_INIT;

    /* header */
    int kw = tv->width[key] < cols ? tv->width[key] : cols;
    header_text(tv, key, &h);
    draw_text(1, 0, kw, buf_str(&h), key == tv->cur_col ? ATTR_SELECTED : ATTR_HEADER, 0);
    draw_text(1, kw, 1, glyph_vline(), ATTR_DIM, 0);
    int x = kw + 1;
    for (int i = tv->left; i < tv->norder && x < cols; i++) {
        int ci = tv->order[i], w = tv->width[ci];
        buf_reset(&h);
        header_text(tv, ci, &h);
        draw_text(1, x, w, buf_str(&h), ci == tv->cur_col ? ATTR_SELECTED : ATTR_HEADER, 0);
        x += w + 1;
    }

    /* rows */
    for (int r = 0; r < tv->cache_n && r < rows; r++) {
        int y = 2 + r;
        int sel = tv->top + r == tv->cur;
        int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
        if (sel)
            draw_fill(y, 0, cols, attr);
        char **row = tv->cache + r * ncols(tv);
        int num = t->cols[key].type == COL_INT || t->cols[key].type == COL_DEC;
        draw_text(y, 0, kw, row[key], attr, num);
        draw_text(y, kw, 1, glyph_vline(), sel ? attr : ATTR_DIM, 0);
        x = kw + 1;
        for (int i = tv->left; i < tv->norder && x < cols; i++) {
            int ci = tv->order[i], w = tv->width[ci];
            const column *c = &t->cols[ci];
            int a = sel && ci == tv->cur_col ? ATTR_MARK : attr;
            draw_text(y, x, w, row[ci], a, c->type == COL_INT || c->type == COL_DEC);
            x += w + 1;
        }
    }
    if (n == 0)
        draw_text(2, 0, cols, _("(no rows)"), ATTR_DIM, 0);
    buf_free(&h);
}

static void move_cur(tview *tv, int64_t delta)
{
    tv->cur += delta;
    clamp(tv);
}

static void move_page(tview *tv, int64_t delta)
{
    int64_t n = rowsrc_count(tv->src);
    tv->top += delta;
    if (tv->top > n - data_rows())
        tv->top = n - data_rows();
    if (tv->top < 0)
        tv->top = 0;
    tv->cur += delta;
    clamp(tv);
}

static int sort_progress(void *arg)
{
    (void)arg;
    tui_progress(_("sorting…"), 0, 0);
    return tui_cancel_requested();
}

/* Re-read the view in a new order, keeping the selected row selected. */
static void set_sort(tview *tv, int ci, int desc)
{
    int64_t rowid = -1;
    if (tv->cache_n && tv->cur >= tv->cache_pos && tv->cur < tv->cache_pos + tv->cache_n)
        rowid = tv->cache_rowid[tv->cur - tv->cache_pos];
    mr_err e = {0};
    rowsrc *src = db_rowsrc_new(tui_db(), tv->t, tv->f, tv->nf, ci, desc, sort_progress, NULL, &e);
    if (!src) {
        tui_error(&e);
        return;
    }
    db_rowsrc_free(tv->src);
    tv->src = src;
    tv->sort_ci = ci;
    tv->desc = desc;
    cache_clear(tv);
    int64_t pos = rowid >= 0 ? rowsrc_pos_of(src, rowid) : 0;
    int64_t off = tv->cur - tv->top;
    tv->cur = pos < 0 ? 0 : pos;
    tv->top = tv->cur - off;
    clamp(tv);
}

static int64_t cur_rowid(tview *tv)
{
    clamp(tv);
    cache_load(tv, tv->top, data_rows());
    if (tv->cur >= tv->cache_pos && tv->cur < tv->cache_pos + tv->cache_n)
        return tv->cache_rowid[tv->cur - tv->cache_pos];
    return -1;
}

static void step_col(tview *tv, int delta)
{
    /* visual order: the key first, then the scrolling columns */
    int idx = -1;
    for (int i = 0; i < tv->norder; i++)
        if (tv->order[i] == tv->cur_col)
            idx = i;
    idx += delta;
    if (idx < -1)
        idx = -1;
    if (idx >= tv->norder)
        idx = tv->norder - 1;
    tv->cur_col = idx < 0 ? tv->t->key_ci : tv->order[idx];
    if (idx < 0)
        tv->left = 0;
}

static void table_request(view *v, request req)
{
    tview *tv = v->data;
    int rows = data_rows();
    switch (req) {
    case REQ_UP: move_cur(tv, -1); break;
    case REQ_DOWN: move_cur(tv, 1); break;
    case REQ_PAGE_UP: move_page(tv, -rows); break;
    case REQ_PAGE_DOWN: move_page(tv, rows); break;
    case REQ_HALF_UP: move_page(tv, -(rows / 2 ? rows / 2 : 1)); break;
    case REQ_HALF_DOWN: move_page(tv, rows / 2 ? rows / 2 : 1); break;
    case REQ_FIRST: tv->cur = tv->top = 0; clamp(tv); break;
    case REQ_LAST: tv->cur = rowsrc_count(tv->src) - 1; clamp(tv); break;
    case REQ_LEFT: step_col(tv, -1); break;
    case REQ_RIGHT: step_col(tv, 1); break;
    case REQ_LINE_START: step_col(tv, -tv->norder - 1); break;
    case REQ_LINE_END: step_col(tv, tv->norder); break;
    case REQ_WIDER:
        if (tv->width[tv->cur_col] < screen_cols() - 2)
            tv->width[tv->cur_col] += 2;
        break;
    case REQ_NARROWER:
        if (tv->width[tv->cur_col] > 3)
            tv->width[tv->cur_col] -= 2;
        break;
    case REQ_SORT_ASC:
    case REQ_SORT_DESC: {
        int desc = req == REQ_SORT_DESC;
        if (tv->sort_ci == tv->cur_col && req == REQ_SORT_ASC)
            desc = !tv->desc;   /* s again on the sorted column flips it */
        set_sort(tv, tv->cur_col, desc);
        break;
    }
    case REQ_ENTER: {
        int64_t rowid = cur_rowid(tv);
        if (rowid >= 0)
            view_push(record_new(tv->t, rowid, v));
        break;
    }
    case REQ_NEXT_RECORD:
    case REQ_PREV_RECORD:
        tui_message(_("open a record first (Enter)"));
        break;
    default:
        break;
    }
}

int table_step_record(view *list, int delta, int64_t *rowid)
{
    tview *tv = list->data;
    int64_t want = tv->cur + delta;
    if (want < 0 || want >= rowsrc_count(tv->src))
        return 0;
    move_cur(tv, delta);
    *rowid = cur_rowid(tv);
    return *rowid >= 0;
}

int table_position(view *list, int64_t *i, int64_t *n)
{
    tview *tv = list->data;
    *i = tv->cur;
    *n = rowsrc_count(tv->src);
    return *n > 0;
}

static int table_command(view *v, const char *cmd, const char *arg)
{
    tview *tv = v->data;
    if (strcmp(cmd, "export") == 0) {
        tui_export_view(tv->t, tv->f, tv->nf, tv->sort_ci, tv->desc, arg);
        return 1;
    }
    if (strcmp(cmd, "import") == 0) {
        if (tui_import_file(tv->t, arg))
            set_sort(tv, tv->sort_ci, tv->desc);   /* read the rows again */
        return 1;
    }
    if (strcmp(cmd, "sort") != 0)
        return 0;
    if (!*arg || strcmp(arg, "none") == 0) {
        set_sort(tv, -1, 0);
        return 1;
    }
    char col[128];
    int desc = 0;
    snprintf(col, sizeof col, "%s", arg);
    char *sp = strchr(col, ' ');
    if (sp) {
        *sp = '\0';
        desc = strcmp(sp + 1, "desc") == 0;
    }
    int ci = table_col_any(tv->t, col);
    if (ci < 0) {
        tui_message(_("%s has no column '%s'"), tv->t->id, col);
        return 1;
    }
    tv->cur_col = ci;
    set_sort(tv, ci, desc);
    return 1;
}

static void table_title(view *v, buf *out)
{
    tview *tv = v->data;
    if (*tv->t->appendix)
        buf_printf(out, "%s ", tv->t->appendix);
    buf_puts(out, i18n_is_zh() ? tv->t->title : tv->t->title_en);
}

static void table_status(view *v, buf *out)
{
    tview *tv = v->data;
    int64_t n = rowsrc_count(tv->src);
    buf_printf(out, "%s  %s %lld/%lld", tv->t->id, _("row"), (long long)(n ? tv->cur + 1 : 0),
               (long long)n);
    if (tv->sort_ci >= 0)
        buf_printf(out, "  %s %s%s", _("sort:"), tv->t->cols[tv->sort_ci].label, glyph_sort(tv->desc));
    for (int i = 0; i < tv->nf; i++)
        buf_printf(out, "  %s %s=%s", i ? "&" : _("filter:"), tv->t->cols[tv->f[i].ci].label,
                   tv->f[i].value);
    buf_printf(out, "  %s %s", _("column:"), tv->t->cols[tv->cur_col].label);
}

static void table_free(view *v)
{
    tview *tv = v->data;
    cache_clear(tv);
    db_rowsrc_free(tv->src);
    for (int i = 0; i < tv->nf; i++)
        free((char *)tv->f[i].value);
    free(tv->f);
    free(tv->order);
    free(tv->width);
    free(tv);
    free(v);
}

static const view_ops table_ops = {
    .name = "table",
    .draw = table_draw,
    .request = table_request,
    .status = table_status,
    .title = table_title,
    .command = table_command,
    .free = table_free,
};

view *table_new(const table *t, const db_filter *f, int nf, mr_err *e)
{
    rowsrc *src = db_rowsrc_new(tui_db(), t, f, nf, -1, 0, NULL, NULL, e);
    if (!src)
        return NULL;
    tview *tv = xcalloc(1, sizeof *tv);
    tv->t = t;
    tv->src = src;
    tv->sort_ci = -1;
    tv->cache_pos = -1;
    tv->nf = nf;
    tv->f = xcalloc((size_t)(nf ? nf : 1), sizeof(db_filter));
    for (int i = 0; i < nf; i++) {
        tv->f[i].ci = f[i].ci;
        tv->f[i].value = xstrdup(f[i].value);
    }
    tv->order = xcalloc((size_t)t->ncols, sizeof(int));
    for (int i = 0; i < t->ncols; i++)
        if (i != t->key_ci)
            tv->order[tv->norder++] = i;
    tv->cur_col = tv->norder ? tv->order[0] : t->key_ci;
    tv->width = xcalloc((size_t)t->ncols, sizeof(int));
    fit_widths(tv);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &table_ops;
    v->data = tv;
    return v;
}
