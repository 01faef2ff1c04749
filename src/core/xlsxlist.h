/* xlsxlist.h — a workbook of plain lists: each sheet a title row, a
 * header row and rows of cells, for the lists the CLI prints (expiring,
 * report yearly) when asked for --format xlsx.  Numbers are number cells,
 * dates date cells, the rest text cells (a 证号 or a code stays text);
 * the header is frozen and filtered, as the register exports are
 * (xlsxout.c). */
#ifndef MINREG_XLSXLIST_H
#define MINREG_XLSXLIST_H

#include "err.h"

enum { XL_TEXT, XL_NUM, XL_DATE };

typedef struct xl_sheet {
    const char *name;            /* the sheet's name (at most 31 characters) */
    const char *title;           /* its first row */
    int ncols;
    const char *const *head;     /* ncols */
    const unsigned char *kind;   /* ncols: XL_TEXT, XL_NUM, XL_DATE */
    int nrows;
    const char *const *cells;    /* nrows * ncols; NULL: empty */
} xl_sheet;

/* Write the sheets to path (NULL or "-": standard output) through
 * outfile.h, reg the open register (never written over).  0, or -1 with e
 * filled and nothing left at path. */
int xlsx_lists(const char *path, const char *reg, const xl_sheet *sh, int n, mr_err *e);

#endif
