/* imports.c — the problems of `:import FILE`, every one a line (row,
 * column, value, reason), the selected one in full below; then the clerk
 * chooses: write all (only when no row has problems left), write the good
 * rows with the bad ones and their reasons in a rejects file, or cancel.
 * The same import as `minreg import` (--skip-bad --rejects FILE). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/import.h"
#include "core/text.h"
#include "tui/list.h"

enum { IM_LINE, IM_COL, IM_VALUE, IM_REASON, IM_NCOLS };
enum { IM_DETAIL = 3 };   /* the selected problem in full */

typedef struct iview {
    const table *t;
    view *tv;               /* the table screen under this one */
    char *path;
    import_result r;
    char **cells;           /* (nissues + 1) * IM_NCOLS, row 0 the header; escaped when drawn */
    int w[IM_NCOLS];        /* natural widths */
    list l;
} iview;

static const char *cell(const iview *iv, int64_t row, int c) { return iv->cells[row * IM_NCOLS + c]; }
static int detail_rows(void) { return screen_rows() >= 8 ? IM_DETAIL : 0; }
static int im_rows(list *l)
{
    (void)l;
    int n = screen_rows() - 1 - detail_rows();
    return n > 0 ? n : 1;
}

/* Widths at cols: the row number whole; the column and the value each at
 * most a quarter; the reason the rest, at least a third (the value goes
 * first, then the column: the detail below shows both). */
static void fit(const iview *iv, int cols, int *w)
{
    memcpy(w, iv->w, sizeof iv->w);
    if (w[IM_COL] > cols / 4)
        w[IM_COL] = cols / 4;
    if (w[IM_VALUE] > cols / 4)
        w[IM_VALUE] = cols / 4;
    int used = w[IM_LINE] + 2 + w[IM_COL] + 2 + w[IM_VALUE] + 2;
    if (cols - used < cols / 3) {
        used -= w[IM_VALUE] + 2;
        w[IM_VALUE] = 0;
    }
    if (cols - used < cols / 3) {
        used -= w[IM_COL] + 2;
        w[IM_COL] = 0;
    }
    w[IM_REASON] = cols - used > 0 ? cols - used : 0;
}

static void draw_row(const iview *iv, int64_t row, int y, int attr)
{
    int cols = screen_cols(), w[IM_NCOLS], x = 0;
    fit(iv, cols, w);
    for (int c = 0; c < IM_NCOLS && x < cols; c++) {
        if (!w[c])
            continue;
        int cw = x + w[c] > cols ? cols - x : w[c];
        draw_text(y, x, cw, cell(iv, row, c), attr, c == IM_LINE && row > 0 && !iv->r.sheet);
        x += w[c] + 2;
    }
}

static int im_line(list *l, int64_t i, int y, int room, int sel)
{
    iview *iv = l->data;
    (void)room;
    int attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    if (sel)
        draw_fill(y, 0, screen_cols(), attr);
    draw_row(iv, i + 1, y, attr);
    return 1;
}

static void im_text(list *l, int64_t i, buf *out)
{
    iview *iv = l->data;
    for (int c = 0; c < IM_NCOLS; c++)
        buf_printf(out, "%s%s", c ? " " : "", cell(iv, i + 1, c));
}

static const list_ops im_list = {
    .draw_line = im_line,
    .text = im_text,
    .rows = im_rows,
};

static void im_draw(view *v)
{
    iview *iv = v->data;
    int cols = screen_cols();
    draw_fill(1, 0, cols, ATTR_HEADER);
    draw_row(iv, 0, 1, ATTR_HEADER);
    list_draw(&iv->l);
    if (!detail_rows() || !iv->r.nissues)
        return;
    const import_issue *x = &iv->r.issues[iv->l.cur];
    buf h = BUF_INIT;
    import_where(&iv->r, x->line, x->field, &h);   /* Sheet1!E5, or line 5 */
    if (x->ci >= 0)
        buf_printf(&h, " · %s", iv->t->cols[x->ci].label);
    if (x->value)
        buf_printf(&h, " · %s", x->value);
    buf_printf(&h, " — %s", x->msg);
    int y = 2 + im_rows(&iv->l);
    draw_fill(y, 0, cols, ATTR_NORMAL);
    draw_wrapped(y, IM_DETAIL, cols, buf_str(&h), ATTR_DIM);
    buf_free(&h);
}

/* FILE.csv -> FILE-rejects.csv, beside it; a workbook's FILE-rejects.xlsx */
static char *rejects_name(const char *path, int wb)
{
    buf b = BUF_INIT;
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        buf_add(&b, path, (size_t)(dot - path));
    else
        buf_puts(&b, path);
    buf_puts(&b, wb ? "-rejects.xlsx" : "-rejects.csv");
    return buf_steal(&b);
}

/* Write the good rows, the bad ones to a rejects file the clerk names. */
static void write_good(iview *iv)
{
    char *def = rejects_name(iv->path, iv->r.wb_kind != NULL);
    buf name = BUF_INIT;
    int ok = tui_prompt(_("rejects file: "), def, &name) && name.len;
    free(def);
    if (!ok) {
        buf_free(&name);
        tui_message("%s", _("nothing written"));
        return;
    }
    import_opts o = {.mode = IMPORT_APPEND, .rejects = buf_str(&name)};
    import_result r;
    mr_err e = {0};
    int rc = import_csv(tui_db(), iv->t, iv->path, &o, &r, &e);
    if (rc == IMPORT_ERROR) {
        tui_error(&e);
        buf_free(&name);
        return;
    }
    buf m = BUF_INIT;
    if (r.written)
        buf_printf(&m, _n("change %lld recorded: %lld row added from %s", "change %lld recorded: %lld rows added from %s",
                          r.added),
                   (long long)r.change, (long long)r.added, iv->path);
    else
        buf_puts(&m, _("no row written"));
    if (r.bad_rows) {
        buf_puts(&m, "; ");
        buf_printf(&m, _n("%lld row rejected, written with its reasons to %s",
                          "%lld rows rejected, written with their reasons to %s", r.bad_rows),
                   (long long)r.bad_rows, buf_str(&name));
    }
    int written = r.written;
    import_result_free(&r);
    buf_free(&name);
    view *tv = iv->tv;
    view_pop();   /* frees iv */
    if (written) {
        tui_data_changed();
        if (view_top() == tv)
            table_reload(tv);
    }
    tui_message("%s", buf_str(&m));
    buf_free(&m);
}

static void im_write(iview *iv)
{
    if (tui_options()->readonly) {
        tui_error_text(tui_readonly_text());
        return;
    }
    buf q = BUF_INIT;
    buf_printf(&q, "%s  ", _("write:"));
    if (!iv->r.bad_rows)
        buf_printf(&q, "%s  ", _("a: all rows"));
    buf_printf(&q, "%s  %s", _("g: the good rows, the others to a rejects file"), _("Esc: cancel"));
    int k = tui_choose(buf_str(&q), iv->r.bad_rows ? "g" : "ag");
    buf_free(&q);
    if (k == 'g' || k == 'a')
        write_good(iv);   /* no bad row: the rejects file stays empty but for its header */
    else
        tui_message("%s", _("nothing written"));
}

static void im_request(view *v, request req)
{
    iview *iv = v->data;
    if (req == REQ_SAVE || req == REQ_ENTER)
        im_write(iv);
    else
        list_request(&iv->l, req);
}

static void im_title(view *v, buf *out)
{
    iview *iv = v->data;
    buf_printf(out, _("Import into %s: %s"), i18n_is_zh() ? iv->t->title : iv->t->title_en, iv->path);
}

static void im_status(view *v, buf *out)
{
    iview *iv = v->data;
    buf_printf(out, _n("%lld of %lld row has problems", "%lld of %lld rows have problems", iv->r.rows),
               (long long)iv->r.bad_rows, (long long)iv->r.rows);
    if (iv->r.nproblems > iv->r.nissues)
        buf_printf(out, _(" (the first %d of %lld problems)"), iv->r.nissues, (long long)iv->r.nproblems);
    buf_printf(out, "  %s", _("nothing written yet  w: write…  q: cancel"));
}

static void im_free(view *v)
{
    iview *iv = v->data;
    for (int i = 0; i < (iv->r.nissues + 1) * IM_NCOLS; i++)
        free(iv->cells[i]);
    free(iv->cells);
    import_result_free(&iv->r);
    free(iv->path);
    list_free(&iv->l);
    free(iv);
    free(v);
}

static const table *im_table(view *v) { return ((iview *)v->data)->t; }

static const view_ops im_ops = {
    .name = "import",
    .draw = im_draw,
    .request = im_request,
    .status = im_status,
    .title = im_title,
    .table = im_table,
    .free = im_free,
};

view *imports_new(view *tv, const table *t, const char *path, import_result *r)
{
    iview *iv = xcalloc(1, sizeof *iv);
    iv->t = t;
    iv->tv = tv;
    iv->path = xstrdup(path);
    iv->r = *r;   /* taken */
    memset(r, 0, sizeof *r);
    int n = iv->r.nissues;
    iv->cells = xcalloc((size_t)(n + 1) * IM_NCOLS, sizeof *iv->cells);
    iv->cells[IM_LINE] = xstrdup(iv->r.sheet ? _("Cell") : _("Line"));
    iv->cells[IM_COL] = xstrdup(_("Column"));
    iv->cells[IM_VALUE] = xstrdup(_("Value"));
    iv->cells[IM_REASON] = xstrdup(_("Reason"));
    buf b = BUF_INIT;
    for (int i = 0; i < n; i++) {
        const import_issue *x = &iv->r.issues[i];
        char **row = &iv->cells[(i + 1) * IM_NCOLS];
        buf_reset(&b);
        if (iv->r.sheet)
            import_where(&iv->r, x->line, x->field, &b);
        else
            buf_printf(&b, "%ld", x->line);
        row[IM_LINE] = xstrdup(buf_str(&b));
        row[IM_COL] = xstrdup(x->ci >= 0 ? t->cols[x->ci].label : "");
        row[IM_VALUE] = xstrdup(x->value ? x->value : "");
        row[IM_REASON] = xstrdup(x->msg);
    }
    buf_free(&b);
    for (int r0 = 0; r0 <= n; r0++)
        for (int c = 0; c < IM_NCOLS; c++) {
            buf e = BUF_INIT;
            text_escape(&e, iv->cells[r0 * IM_NCOLS + c], strlen(iv->cells[r0 * IM_NCOLS + c]));
            int w = text_width(buf_str(&e));
            buf_free(&e);
            if (w > iv->w[c])
                iv->w[c] = w;
        }
    list_init(&iv->l, &im_list, iv, n);
    iv->l.y0 = 2;   /* under the header */
    view *v = xcalloc(1, sizeof *v);
    v->ops = &im_ops;
    v->data = iv;
    return v;
}
