/* wbin_int.h — shared by wb.c, xlsxin.c and xlsin.c only. */
#ifndef MINREG_WBIN_INT_H
#define MINREG_WBIN_INT_H

#include "buf.h"
#include "wbin.h"

struct wb_ops {
    int (*sheet_open)(wb *w, int i, mr_err *e);
    int (*row)(wb *w, mr_err *e);    /* the next row's cells by wb_cell; 1, 0 at the end, -1 */
    long long (*offset)(const wb *w);
    void (*close)(wb *w);
};

typedef struct wb_merge {
    long r0, r1;
    int c0, c1;
    char *val;           /* the top-left cell's, once read */
} wb_merge;

struct wb {
    char *path;
    const char *kind;
    const struct wb_ops *ops;
    void *impl;
    char **names;        /* the sheets, in the workbook's order */
    int nsheets;
    int sheet;           /* the one open, or -1 */
    long long size;      /* the file's bytes */
    /* the row being read: its cells as (column, offset into arena) */
    long row;
    int *ccol;
    size_t *coff;
    int nc, capc;
    buf arena;
    long long cells;     /* of the sheet so far */
    long long max_cells; /* wb_max_cells(), read once at open */
    char **out;          /* handed out: dense from column A */
    int outcap;
    /* merged ranges of the sheet, sorted by first row; the active ones */
    wb_merge *mg;
    int nmg, capmg, mg_next;
    int *act;
    int nact;
    long across_to;     /* merges fill across in rows up to this one */
};

/* A cell of the row being read (s[0..len), not NUL-terminated); a second
 * value for the same column replaces nothing (the first stays). */
void wb_cell(wb *w, int col, const char *s, size_t len);
/* Start a new row (its number from 1). */
void wb_row_start(wb *w, long row);
/* Add a merged range (rows and columns from 0 and 1 as in the file: rows
 * from 1, columns from 0). */
void wb_merge_add(wb *w, long r0, int c0, long r1, int c1);
/* The serial date d (days) of the 1900 (or 1904) system as text. */
void wb_date_text(double d, int d1904, char out[32]);
/* A number as Excel shows it at 15 significant digits, no exponent. */
void wb_num_text(double v, char out[64]);

/* WB_MAX_STRINGS and WB_MAX_CELLS, or lower: MINREG_WB_MAX_STRINGS and
 * MINREG_WB_MAX_CELLS (for the tests of the bounds only; never raised). */
long long wb_max_strings(void);
long long wb_max_cells(void);

wb *wb_open_xlsx(const char *path, mr_err *e);
wb *wb_open_xls(const char *path, mr_err *e);

#endif
