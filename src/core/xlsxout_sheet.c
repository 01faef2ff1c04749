/* xlsxout_sheet.c — the cells, formats and sheets of an exported workbook
 * (see xlsxout.c): text cells that stay text, numbers with the schema's
 * decimals, Excel dates, sheet names Excel accepts, the title and header
 * rows frozen and repeated on every printed page. */
#include "config.h"
#include "xlsxout_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "text.h"

/* ---- sheet and cell helpers ------------------------------------------------- */

int xo_failed(xw *x, lxw_error rc, const char *where)
{
    if (rc == LXW_NO_ERROR || x->err_code)
        return rc != LXW_NO_ERROR;
    snprintf(x->err, sizeof x->err, "%s: %s", where, lxw_strerror(rc));
    x->err_code = EXIT_IO;
    return 1;
}

/* Text as XML can carry it: invalid UTF-8 becomes U+FFFD; libxlsxwriter
 * escapes the control characters itself (_x001B_). */
const char *xlsx_cell_text(buf *cell, const char *s)
{
    size_t n = strlen(s), i = 0;
    buf_reset(cell);
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k <= 0 || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            buf_puts(cell, "\xEF\xBF\xBD");
            i += k > 0 ? (size_t)k : 1;
            continue;
        }
        buf_add(cell, s + i, (size_t)k);
        i += (size_t)k;
    }
    /* Excel's limit for a cell: cut at a character boundary */
    if (cell->len > 32767) {
        size_t cut = 32767;
        while (cut && ((unsigned char)cell->s[cut] & 0xC0) == 0x80)
            cut--;
        cell->len = cut;
        cell->s[cut] = '\0';
    }
    return buf_str(cell);
}

const char *xo_clean(xw *x, const char *s) { return xlsx_cell_text(&x->cell, s); }

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\ */
void xlsx_sheet_name(buf *out, const char *base, int part)
{
    buf_reset(out);
    char suffix[24] = "";
    if (part > 1)
        snprintf(suffix, sizeof suffix, " (%d)", part);
    int room = 31 - (int)strlen(suffix), chars = 0;
    for (const char *p = base; *p && chars < room;) {
        int k = 1;
        while ((((unsigned char)p[k]) & 0xC0) == 0x80)
            k++;
        if (strchr("[]:*?/\\'", *p))
            buf_putc(out, '_');
        else
            buf_add(out, p, (size_t)k);
        p += k;
        chars++;
    }
    buf_puts(out, suffix);
}

/* The title as the plan prints it: 附表N 辽宁省丹东市…表, else 专栏X TITLE. */
void export_print_title(const table *t, buf *out)
{
    if (strncmp(t->appendix, "附表", strlen("附表")) == 0)
        buf_printf(out, "%s 辽宁省丹东市%s", t->appendix, t->title);
    else if (*t->appendix)
        buf_printf(out, "%s %s", t->appendix, t->title);
    else
        buf_puts(out, t->title);
}

static int date_parse(const char *s, lxw_datetime *d)
{
    int y, m, dd;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || s[4] != '-' ||
        s[7] != '-' || y < 1900 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > 31)
        return 0;
    *d = (lxw_datetime){.year = y, .month = m, .day = dd};
    return 1;
}

int xo_number_parse(const char *s, double *v)
{
    if (!*s || strpbrk(s, "xXpPnN"))   /* no hex (0x10), inf or nan: text, as stored */
        return 0;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end == '\0' && isfinite(*v) && !(s[0] == ' ' || s[0] == '\t');
}

static lxw_format *dec_format(xw *x, int scale, int bold)
{
    if (scale < 0 || scale > MAX_SCALE)
        return bold ? x->total_general : x->general;
    lxw_format **slot = bold ? &x->total_dec[scale] : &x->dec[scale];
    if (!*slot) {
        char fmt[24] = "0";
        if (scale) {
            fmt[1] = '.';
            memset(fmt + 2, '0', (size_t)scale);
            fmt[2 + scale] = '\0';
        }
        *slot = workbook_add_format(x->wb);
        format_set_num_format(*slot, fmt);
        if (bold)
            format_set_bold(*slot);
    }
    return *slot;
}

lxw_format *xo_col_fmt(xw *x, const column *c, int bold)
{
    switch (c->type) {
    case COL_INT:
    case COL_YEAR: return bold ? dec_format(x, 0, 1) : x->whole;
    case COL_DEC: return dec_format(x, c->scale, bold);
    case COL_DATE: return x->date;
    default: return x->text;
    }
}

/* Write one value of column c.  *w gets its display width. */
void xo_put(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t ci, const column *c, const char *v,
                int *w)
{
    *w = 0;
    if (!v || !*v)
        return;
    double num;
    lxw_datetime dt;
    lxw_error rc;
    if ((c->type == COL_INT || c->type == COL_DEC || c->type == COL_YEAR) && xo_number_parse(v, &num)) {
        rc = worksheet_write_number(ws, r, ci, num, xo_col_fmt(x, c, 0));
        if (c->type == COL_DEC && c->scale >= 0) {
            buf b = BUF_INIT;
            col_format(c, v, &b);
            *w = (int)b.len;
            buf_free(&b);
        } else {
            *w = (int)strlen(v);
        }
    } else if (c->type == COL_DATE && date_parse(v, &dt)) {
        rc = worksheet_write_datetime(ws, r, ci, &dt, x->date);
        *w = 10;
    } else {
        /* text, or what a number or date column holds that is not one:
         * always a text cell, never a formula */
        const char *s = xo_clean(x, v);
        rc = worksheet_write_string(ws, r, ci, s, x->text);
        *w = text_width(s);
    }
    xo_failed(x, rc, "write");
}

/* ---- one register ----------------------------------------------------------- */


int xo_sheet_start(xw *x, sheet *sh, const char *base, int part, const char *title,
                       const char *const *heads, int nc, int *widths)
{
    buf name = BUF_INIT;
    xlsx_sheet_name(&name, base, part);
    sh->ws = workbook_add_worksheet(x->wb, buf_str(&name));
    buf_free(&name);
    if (!sh->ws) {
        snprintf(x->err, sizeof x->err, "%s", _("cannot add a sheet to the workbook"));
        x->err_code = EXIT_INTERNAL;
        return -1;
    }
    x->nsheets++;
    worksheet_set_landscape(sh->ws);
    worksheet_set_paper(sh->ws, 9);             /* A4 */
    worksheet_fit_to_pages(sh->ws, 1, 0);       /* one page wide, as many long */
    worksheet_repeat_rows(sh->ws, 0, 1);        /* the title and header on every page */
    worksheet_freeze_panes(sh->ws, 2, 0);
    worksheet_write_string(sh->ws, 0, 0, xo_clean(x, title), x->title);
    for (int i = 0; i < nc; i++) {
        const char *h = xo_clean(x, heads[i]);
        worksheet_write_string(sh->ws, 1, (lxw_col_t)i, h, x->head);
        int w = text_width(h);
        if (w > widths[i])
            widths[i] = w;
    }
    sh->row = 2;
    sh->filtered = 0;
    return 0;
}

/* The autofilter over the header and the rows: called while the last data
 * row is still the current one (constant-memory mode refuses a range that
 * ends above it), so before a 合计 row. */
void xo_sheet_filter(sheet *sh, int nc, lxw_row_t last_data)
{
    if (nc > 0 && !sh->filtered)
        worksheet_autofilter(sh->ws, 1, 0, last_data >= 2 ? last_data : 1, (lxw_col_t)(nc - 1));
    sh->filtered = 1;
}

void xo_sheet_finish(sheet *sh, int nc, lxw_row_t last_data, const int *widths)
{
    xo_sheet_filter(sh, nc, last_data);
    for (int i = 0; i < nc; i++) {
        int w = widths[i] + 2;
        if (w > MAX_WIDTH)
            w = MAX_WIDTH;
        if (w < 6)
            w = 6;
        worksheet_set_column(sh->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL);
    }
}

/* "a register continued on a next sheet" */
void xo_note_continued(xw *x, const char *id, long long row, const char *where)
{
    if (!x->o->note)
        return;
    buf m = BUF_INIT;
    buf_printf(&m, _("%s: more rows than a sheet holds; row %lld on is on sheet '%s'"), id, row, where);
    x->o->note(x->o->note_arg, buf_str(&m));
    buf_free(&m);
}

/* Does the plan state a total of column ci over all of t's rows? */
/* The workbook's formats: title, header, text, whole numbers, dates, totals. */
void xo_formats(xw *x)
{
    x->title = workbook_add_format(x->wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    x->head = workbook_add_format(x->wb);
    format_set_bold(x->head);
    format_set_border(x->head, LXW_BORDER_THIN);
    format_set_align(x->head, LXW_ALIGN_CENTER);
    format_set_bg_color(x->head, 0xDDEBF7);
    x->text = workbook_add_format(x->wb);
    format_set_num_format(x->text, "@");
    x->whole = workbook_add_format(x->wb);
    format_set_num_format(x->whole, "0");
    x->date = workbook_add_format(x->wb);
    format_set_num_format(x->date, "yyyy-mm-dd");
    x->general = workbook_add_format(x->wb);
    x->total = workbook_add_format(x->wb);
    format_set_bold(x->total);
    x->total_general = workbook_add_format(x->wb);
    format_set_bold(x->total_general);
}

