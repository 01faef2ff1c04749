/* table.c — a register's rows: frozen key column, horizontal scroll, sort.
 *
 * Rows come from a rowsrc one screen at a time; the screen never holds more
 * than the rows it shows, so a million-row register opens as fast as a
 * ten-row one.  Positions (row i/N) are tracked arithmetically as the cursor
 * moves; nothing here uses OFFSET.  The view's rows are counted only when
 * the end matters (a move that reaches past the rows read) or, after the
 * screen is shown, as idle work; until then the status says "row 1/…".
 * G before the count jumps to the end without it: positions are then kept
 * from the end (-1: the last row, tv->end) until the count is known, when
 * they become positions from the start again (resolve).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/rx.h"
#include "core/text.h"
#include "tui/list.h"
#include "tui/table_int.h"

#define WIDTH_MAX 30
#define WIDTH_FIT_ROWS 100   /* about five screens: enough to fit, cheap to read */


static int ncols(const tview *tv) { return tv->t->ncols; }

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

static void layout_widths(tview *tv);

/* Read rows [pos, pos+n) into the cache (formatted for display). */
void tv_cache_load(tview *tv, int64_t pos, int n)
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
    int k = 0, grew = 0;
    while (k < n && cursor_next(c) == 1) {
        tv->cache_rowid[k] = cursor_rowid(c);
        for (int i = 0; i < ncols(tv); i++) {
            buf_reset(&b);
            col_format(&tv->t->cols[i], cursor_val(c, i), &b);
            /* a value wider than any seen so far (further down than the
             * rows the widths were fitted to): its column grows, so a
             * number is never shown cut */
            int w = text_width(buf_str(&b));
            if (w > tv->natural[i]) {
                tv->natural[i] = w;
                grew = 1;
            }
            tv->cache[k * ncols(tv) + i] = buf_steal(&b);
        }
        k++;
    }
    cursor_free(c);
    buf_free(&b);
    tv->cache_n = k;
    tv->cache_pos = pos;
    if (grew && tv->fit_cols)
        layout_widths(tv);
}

static void header_text(const tview *tv, int ci, buf *out)
{
    col_header(&tv->t->cols[ci], out);
    if (ci == tv->sort_ci)
        buf_puts(out, glyph_sort(tv->desc));
}

/* Widths for this screen from the natural ones: each column at most
 * WIDTH_MAX or a quarter of a wider screen (a header longer than its values
 * at most 14, or a tenth of the screen), then whatever room the screen has
 * left shared out, a column at a time, to the columns cut below their
 * natural width: at 200 columns a name of 50 and a header of 20 are whole. */
static void layout_widths(tview *tv)
{
    int n = ncols(tv), cols = screen_cols();
    int wmax = cols / 4 > WIDTH_MAX ? cols / 4 : WIDTH_MAX, hmax = cols / 10 > 14 ? cols / 10 : 14;
    buf h = BUF_INIT;
    int used = 0;
    for (int i = 0; i < n; i++) {
        buf_reset(&h);
        header_text(tv, i, &h);
        int hw = text_width(buf_str(&h)) + 1;   /* room for a sort marker */
        int dw = tv->natural[i] > hw ? tv->natural[i] : 0;   /* the values' width, when wider */
        int hcut = hw < hmax ? hw : hmax;
        int w = dw > hcut ? dw : hcut;
        if (w > wmax)
            w = wmax;
        tv->width[i] = w < 2 ? 2 : w;
        used += tv->width[i] + 1;
    }
    buf_free(&h);
    for (int extra = cols - used, grew = 1; extra > 0 && grew;) {
        grew = 0;
        for (int i = 0; i < n && extra > 0; i++)
            if (tv->width[i] < tv->natural[i]) {
                tv->width[i]++;
                extra--;
                grew = 1;
            }
    }
    tv->fit_cols = cols;
}

/* Widths fitted to the header and the first rows of the view: on opening,
 * and again whenever the rows change (an edit, an import, a filter, another
 * clerk's change), so a longer value is not left cut. */
void tv_fit_widths(tview *tv)
{
    int n = ncols(tv);
    buf h = BUF_INIT;
    for (int i = 0; i < n; i++) {
        buf_reset(&h);
        header_text(tv, i, &h);
        tv->natural[i] = text_width(buf_str(&h)) + 1;   /* room for a sort marker */
    }
    buf_free(&h);
    tv->fit_cols = 0;   /* laid out below, once */
    cache_clear(tv);
    tv_cache_load(tv, tv->l.top, WIDTH_FIT_ROWS);   /* from the first row shown: natural grows */
    cache_clear(tv);
    layout_widths(tv);
}

/* Positions from the end become positions from the start once the view's
 * count is known (rows on screen and the row source's window alike). */
static void resolve(tview *tv)
{
    int64_t n = tv->end ? rowsrc_count_upto(tv->src, 0) : -1, dv;
    if (n < 0)
        return;
    /* the version not known: read again, as if another clerk wrote */
    if (db_data_version(tui_db(), &dv, NULL) != 0 || dv != tv->end_dv) {
        /* another clerk wrote since: counted from the end, the rows may
         * have moved (a row added puts every one a place further up), so
         * the view is read again, the selected row kept */
        tv_set_sort(tv, tv->sort_ci, tv->desc);
        return;
    }
    tv->end = 0;
    tv->l.top += n;
    tv->l.cur += n;
    if (tv->cache_n)
        tv->cache_pos += n;
}

/* Count now (search, the record screen's "record i/N"). */
static int64_t count_now(tview *tv)
{
    int64_t n;
    mr_err e = {0};
    if (rowsrc_count(tv->src, &n, &e) != 0) {
        tui_error(&e);   /* -1: the count failed, said */
        return -1;
    }
    resolve(tv);   /* may read the view again (another clerk wrote): a new count */
    if (rowsrc_count(tv->src, &n, &e) != 0) {
        tui_error(&e);
        return -1;
    }
    return n;
}

/* Positions from the start, for what runs on them (a search): counts only
 * a view kept from the end; one read from the start stays uncounted. */
static void from_start(tview *tv)
{
    if (tv->end)
        count_now(tv);
}

/* The current row on screen: the window follows it. */
static void follow(tview *tv, int rows)
{
    if (!tv->end && tv->l.cur < 0)
        tv->l.cur = 0;
    if (tv->end && tv->l.cur > -1)
        tv->l.cur = -1;
    if (tv->l.top > tv->l.cur)
        tv->l.top = tv->l.cur;
    if (tv->l.cur >= tv->l.top + rows)
        tv->l.top = tv->l.cur - rows + 1;
}

void tv_clamp(tview *tv)
{
    int rows = tv_data_rows();
    resolve(tv);
    follow(tv, rows);
    if (tv->end) {
        /* the last screen ends at the last row; how far up the rows go is
         * found by reading them (a page past the first row counts them) */
        if (tv->l.top > -rows)
            tv->l.top = -rows;
        return;
    }
    if (tv->l.top < 0)
        tv->l.top = 0;
    /* the end matters only if the rows shown might reach it: not counted,
     * the rows the screen shows are read (a page that ends early gives the
     * count; a full one, that the end is further on) */
    if (rowsrc_count_upto(tv->src, 0) < 0)
        tv_cache_load(tv, tv->l.top, rows);
    int64_t n = rowsrc_count_upto(tv->src, tv->l.top + rows);
    if (n < 0)
        return;
    if (tv->l.cur >= n)
        tv->l.cur = n - 1;
    follow(tv, rows);
    if (tv->l.top > n - rows)
        tv->l.top = n - rows;
    if (tv->l.top < 0)
        tv->l.top = 0;
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


/* Draw a cell; the first match of the search in it is highlighted. */
static void draw_cell(tview *tv, int y, int x, int w, const char *text, int attr, int right)
{
    draw_text(y, x, w, text, attr, right);
    size_t so, eo;
    if (!tv->l.search_rx || !text || !*text ||
        rx_search(tv->l.search_rx, text, strlen(text), &so, &eo, NULL) != 1 || eo == so)
        return;
    int tw = text_width(text);
    char *p = xstrndup(text, so);
    int off = text_width(p);
    free(p);
    p = xstrndup(text + so, eo - so);
    int mw = text_width(p);
    if (right && tw < w)
        off += w - tw;
    if (off < w) {
        if (off + mw > w)
            mw = w - off;
        draw_text(y, x + off, mw, p, ATTR_MARK, 0);
    }
    free(p);
}

/* Row i of the view, from the rows read for the screen; 0 past them. */
static int table_line(list *l, int64_t i, int y, int room, int sel)
{
    tview *tv = l->data;
    const table *t = tv->t;
    int r = (int)(i - tv->cache_pos), key = t->key_ci, cols = screen_cols();
    int kw = tv->width[key] < cols ? tv->width[key] : cols;
    (void)room;
    if (r < 0 || r >= tv->cache_n)
        return 0;
    int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    if (sel)
        draw_fill(y, 0, cols, attr);
    char **row = tv->cache + r * ncols(tv);
    int num = t->cols[key].type == COL_INT || t->cols[key].type == COL_DEC;
    draw_cell(tv, y, 0, kw, row[key], attr, num);
    draw_text(y, kw, 1, glyph_vline(), sel ? attr : ATTR_DIM, 0);
    int x = kw + 1;
    for (int k = tv->left; k < tv->norder && x < cols; k++) {
        int ci = tv->order[k], w = tv->width[ci];
        const column *c = &t->cols[ci];
        int a = sel && ci == tv->cur_col ? ATTR_MARK : attr;
        draw_cell(tv, y, x, w, row[ci], a, c->type == COL_INT || c->type == COL_DEC);
        x += w + 1;
    }
    return 1;
}

static void table_draw(view *v)
{
    tview *tv = v->data;
    const table *t = tv->t;
    if (tv->version != tui_data_version()) {
        /* re-read: rows were added, changed or deleted */
        if (tv_set_sort(tv, tv->sort_ci, tv->desc) == 0)
            tv_fit_widths(tv);
        tv->version = tui_data_version();
    } else if (tv->fit_cols != screen_cols()) {
        layout_widths(tv);   /* a resize: the room shared out again */
    }
    int key = t->key_ci, cols = screen_cols(), rows = tv_data_rows();
    tv_clamp(tv);
    scroll_columns(tv);
    int64_t n;
    for (int pass = 0; pass < 2; pass++) {
        n = tv->end ? -1 : rowsrc_count_upto(tv->src, tv->l.top + rows);   /* -1: rows enough */
        int shown = (int)(n >= 0 && n - tv->l.top < rows ? n - tv->l.top : rows);
        if (shown > 0)
            tv_cache_load(tv, tv->l.top, shown);
        if (!tv->end || rowsrc_count_upto(tv->src, 0) < 0)
            break;
        tv_clamp(tv);   /* reading up from the end reached the first row: counted */
    }
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

    list_draw(&tv->l);
    if (n == 0)
        draw_text(2, 0, cols, _("(no rows)"), ATTR_DIM, 0);
    buf_free(&h);
}

static void move_cur(tview *tv, int64_t delta)
{
    tv->l.cur += delta;
    tv_clamp(tv);
}

static void move_page(tview *tv, int64_t delta)
{
    if (tv->end) {
        tv->l.top += delta;
        tv->l.cur += delta;
        tv_clamp(tv);
        return;
    }
    int64_t n = rowsrc_count_upto(tv->src, 0);   /* not counted: clamp finds the end */
    tv->l.top += delta;
    if (n >= 0 && tv->l.top > n - tv_data_rows())
        tv->l.top = n - tv_data_rows();
    if (tv->l.top < 0)
        tv->l.top = 0;
    tv->l.cur += delta;
    tv_clamp(tv);
}

static int sort_progress(void *arg)
{
    (void)arg;
    tui_progress(_("sorting…"), 0, 0);
    return tui_cancel_requested();
}

/* Re-read the view in a new order (and tv->f), keeping the selected row
 * selected.  On failure or a cancel (e says), the view is left as it was
 * and -1 returned: what the screen shows is still the old row source. */
int tv_set_sort_e(tview *tv, int ci, int desc, mr_err *e)
{
    int64_t rowid = -1;
    if (tv->cache_n && tv->l.cur >= tv->cache_pos && tv->l.cur < tv->cache_pos + tv->cache_n)
        rowid = tv->cache_rowid[tv->l.cur - tv->cache_pos];
    rowsrc *src = db_rowsrc_new(tui_db(), tv->t, tv->f, tv->nf, ci, desc, sort_progress, NULL, e);
    if (!src)
        return -1;
    int64_t pos = 0, off = tv->l.cur - tv->l.top;
    int got = rowid >= 0 ? rowsrc_pos_of(src, rowid, &pos, e) : DB_FOUND;
    int64_t n = 0;
    if (got == DB_ERROR || (got == DB_NOT_FOUND && tv->end && rowsrc_count(src, &n, e) != 0)) {
        db_rowsrc_free(src);
        return -1;
    }
    if (got == DB_NOT_FOUND)   /* the row is gone (deleted): the cursor stays where it was */
        pos = tv->end ? n + tv->l.cur : tv->l.cur;
    db_rowsrc_free(tv->src);
    tv->src = src;
    tv->sort_ci = ci;
    tv->desc = desc;
    tv->end = 0;
    cache_clear(tv);
    tv->l.cur = pos < 0 ? 0 : pos;
    tv->l.top = tv->l.cur - off;
    tv_clamp(tv);
    return 0;
}

int tv_set_sort(tview *tv, int ci, int desc)
{
    mr_err e = {0};
    if (tv_set_sort_e(tv, ci, desc, &e) == 0)
        return 0;
    tui_error(&e);
    return -1;
}

/* ---- the view as the list layer's virtual line source ---- */

static void table_seek(list *l, int how, int64_t delta)
{
    tview *tv = l->data;
    switch (how) {
    case LIST_LINE: move_cur(tv, delta); break;
    case LIST_PAGE: move_page(tv, delta); break;
    case LIST_FIRST: tv->end = 0; tv->l.cur = tv->l.top = 0; tv_clamp(tv); break;
    case LIST_LAST:
        /* not counted yet: the last page is read from the end, no count */
        tv->end = rowsrc_count_upto(tv->src, 0) < 0;
        if (db_data_version(tui_db(), &tv->end_dv, NULL) != 0)
            tv->end_dv = -1;   /* not known: resolve reads the view again */
        tv->l.cur = tv->end ? -1 : rowsrc_count_upto(tv->src, 0) - 1;
        tv->l.top = tv->l.cur;
        tv_clamp(tv);
        break;
    }
}

static void table_clamp(list *l) { tv_clamp(l->data); }
static void table_absolute(list *l) { from_start(l->data); }
static int64_t table_count(list *l) { return count_now(l->data); }
static int table_rows(list *l) { (void)l; return tv_data_rows(); }

static int search_progress(void *arg)
{
    (void)arg;
    tui_progress(_("searching…"), 0, 0);
    return tui_cancel_requested();
}

static int64_t table_find(list *l, int64_t from, int dir, const char *pat, mr_err *e)
{
    tview *tv = l->data;
    return rowsrc_find(tv->src, from, dir, pat, search_progress, NULL, e);
}

/* ] and [ on a record opened from here: the next or previous row's. */
static int table_step(list *l, int delta, const table **t, int64_t *rowid)
{
    tview *tv = l->data;
    int64_t want = tv->l.cur + delta, n = tv->end || want < 0 ? 0 : rowsrc_count_upto(tv->src, want + 1);
    if (tv->end ? want > -1 : want < 0 || (n >= 0 && want >= n))
        return 0;
    move_cur(tv, delta);
    *t = tv->t;
    *rowid = tv_cur_rowid(tv);
    return *rowid >= 0;
}

static const list_ops table_list = {
    .draw_line = table_line,
    .rows = table_rows,
    .seek = table_seek,
    .clamp = table_clamp,
    .absolute = table_absolute,
    .count = table_count,
    .find = table_find,
    .step = table_step,
};

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
    int64_t n = rowsrc_count_upto(tv->src, 0);   /* never counts: -1 until counted */
    char all[32], at[32];
    if (n >= 0)
        snprintf(all, sizeof all, "%lld", (long long)n);
    else
        snprintf(all, sizeof all, "%s", glyph_pending());
    if (tv->end)   /* from the end: the row's number waits for the count */
        snprintf(at, sizeof at, "%s", glyph_pending());
    else
        snprintf(at, sizeof at, "%lld", (long long)(n ? tv->l.cur + 1 : 0));
    buf_printf(out, "%s %s/%s", _("row"), at, all);   /* the title bar names the register */
    if (tv->sort_ci >= 0)
        buf_printf(out, "  %s %s%s", _("sort:"), tv->t->cols[tv->sort_ci].label, glyph_sort(tv->desc));
    for (int i = 0; i < tv->nf; i++) {
        buf_printf(out, "  %s ", i ? "&" : _("filter:"));
        db_filter_show(tv->t, &tv->f[i], out);
    }
    buf_printf(out, "  %s %s", _("column:"), tv->t->cols[tv->cur_col].label);
}

/* Idle work: count the view's rows, so the status can say row i/N. */
static int table_idle(view *v)
{
    tview *tv = v->data;
    if (rowsrc_count_upto(tv->src, 0) >= 0)
        return 0;
    return count_now(tv) >= 0;   /* failed (said): no more idle counting */
}

static void table_free(view *v)
{
    tview *tv = v->data;
    cache_clear(tv);
    db_rowsrc_free(tv->src);
    for (int i = 0; i < tv->nf; i++)
        db_filter_clear(&tv->f[i]);
    free(tv->f);
    free(tv->order);
    free(tv->width);
    free(tv->natural);
    list_free(&tv->l);
    free(tv);
    free(v);
}

static const table *table_of(view *v) { return ((tview *)v->data)->t; }

static const view_ops table_ops = {
    .name = "table",
    .draw = table_draw,
    .request = table_request,
    .status = table_status,
    .title = table_title,
    .idle = table_idle,
    .table = table_of,
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
    for (int i = 0; i < nf; i++)
        db_filter_dup(&tv->f[i], &f[i]);
    tv->order = xcalloc((size_t)t->ncols, sizeof(int));
    for (int i = 0; i < t->ncols; i++)
        if (i != t->key_ci)
            tv->order[tv->norder++] = i;
    tv->cur_col = tv->norder ? tv->order[0] : t->key_ci;
    tv->width = xcalloc((size_t)t->ncols, sizeof(int));
    tv->natural = xcalloc((size_t)t->ncols, sizeof(int));
    list_init(&tv->l, &table_list, tv, 0);
    tv->l.y0 = 2;   /* under the column headers */
    tv->version = tui_data_version();
    tv_fit_widths(tv);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &table_ops;
    v->data = tv;
    return v;
}
