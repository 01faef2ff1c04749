/* xlsxout_int.h — shared by xlsxout.c (the registers and findings as
 * sheets, the workbook) and xlsxout_sheet.c (cells, formats, sheets) only. */
#ifndef MINREG_XLSXOUT_INT_H
#define MINREG_XLSXOUT_INT_H

#include <xlsxwriter.h>

#include "export.h"

#define MAX_SCALE 15
#define MAX_WIDTH 60

typedef struct xw {
    lxw_workbook *wb;
    lxw_format *title, *head, *text, *whole, *date, *dec[MAX_SCALE + 1], *general, *total,
        *total_dec[MAX_SCALE + 1], *total_general;
    int64_t sheet_rows;          /* rows a sheet holds (title and header included) */
    const export_opts *o;
    buf cell;                    /* a value made safe for XML */
    int nsheets;
    char err[512];               /* the first error, if any */
    int err_code;
} xw;


typedef struct sheet {
    lxw_worksheet *ws;
    lxw_row_t row;      /* next row to write */
    int filtered;
} sheet;

/* A libxlsxwriter call's result: 0, or -1 with the first error kept in x. */
int xo_failed(xw *x, lxw_error rc, const char *where);
/* s made safe for a cell's XML (in x's buffer until the next call). */
const char *xo_clean(xw *x, const char *s);
int xo_number_parse(const char *s, double *v);
/* The format of column c's cells (bold: a 合计 row's). */
lxw_format *xo_col_fmt(xw *x, const column *c, int bold);
/* Cell (r, ci) of column c with value v, as its type wants; *w grows to
 * the value's width. */
void xo_put(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t ci, const column *c, const char *v,
            int *w);
/* A new sheet with the title row and the header; widths grow to the
 * headers'.  0, or -1 with the error in x. */
int xo_sheet_start(xw *x, sheet *sh, const char *base, int part, const char *title,
                   const char *const *heads, int nc, int *widths);
void xo_sheet_filter(sheet *sh, int nc, lxw_row_t last_data);
void xo_sheet_finish(sheet *sh, int nc, lxw_row_t last_data, const int *widths);
void xo_note_continued(xw *x, const char *id, long long row, const char *where);
void xo_formats(xw *x);

#endif
