/* wbin.h — reading the cells of a spreadsheet workbook, row by row.
 *
 * .xlsx (xlsxin.c: libzip and expat, streamed: one row in memory at a
 * time, the shared strings table bounded) and .xls (xlsin.c: FreeXL).  A
 * row comes as its cells' values as text, dense from column A:
 *   - strings (shared, inline, rich text without its phonetic runs) as
 *     they are;
 *   - numbers as Excel shows them at 15 significant digits ("1.5",
 *     "199.879", "1234567890123"), never in exponent form;
 *   - a number with a date format as YYYY-MM-DD (with " HH:MM:SS" when it
 *     has a time), in the workbook's 1900 or 1904 date system;
 *   - booleans as TRUE or FALSE;
 *   - a formula as its cached value.  A formula without one, or an error
 *     value (#N/A, #VALUE!), stops the read naming the sheet and cell.
 * Merged cells: the value of a merge's top-left cell is given to every
 * cell of the merge in the rows up to wb_fill_across_to's (the title and
 * header rows), and below them down the merge's first column only.
 *
 * Bad input is refused with the file (and sheet!cell where there is one),
 * EXIT_DATA: not a zip, a corrupt or truncated zip, an encrypted workbook,
 * parts bigger than WB_MAX_PART or far bigger than they are compressed (a
 * zip bomb), more than WB_MAX_CELLS cells, XML with a DOCTYPE (no entity,
 * internal or external, is ever expanded or fetched).
 */
#ifndef MINREG_WBIN_H
#define MINREG_WBIN_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define WB_MAX_PART (1024LL * 1024 * 1024)        /* uncompressed bytes of one part */
#define WB_MAX_RATIO 200                          /* uncompressed : compressed, above 16 MiB */
#define WB_MAX_CELLS 50000000LL                   /* cells of a sheet */
#define WB_MAX_STRINGS (64LL * 1024 * 1024)       /* bytes of the shared strings table */
#define WB_MAX_COLS 16384                         /* Excel's column limit */

typedef struct wb wb;

/* Is path a workbook by its first bytes (a zip or an OLE2 file)?  1, 0, or
 * 0 for a file that cannot be read (csvr_open then says why). */
int wb_sniff(const char *path);

wb *wb_open(const char *path, mr_err *e);
const char *wb_kind(const wb *w);              /* "xlsx" or "xls" */
int wb_nsheets(const wb *w);
const char *wb_sheet_name(const wb *w, int i);
/* sel: a sheet's name, or its number from 1; NULL: the first.  The index,
 * or -1 with e (naming the sheets there are). */
int wb_sheet_find(const wb *w, const char *sel, mr_err *e);
int wb_sheet_open(wb *w, int i, mr_err *e);
/* The next row with any cell: 1 and cells[0..n) (owned by the reader,
 * valid until the next call; "" for an empty cell), *row its number from 1;
 * 0 at the end of the sheet; -1 with e. */
int wb_row(wb *w, char ***cells, int *n, long *row, mr_err *e);
/* Merges fill across in rows up to last_row (all rows until called). */
void wb_fill_across_to(wb *w, long last_row);
long long wb_offset(const wb *w);              /* progress: bytes of the sheet read */
long long wb_size(const wb *w);                /* and in all, -1 when unknown */
void wb_close(wb *w);

/* "A", "Z", "AA" for column 0, 25, 26 */
void wb_col_name(int col, char out[4]);
/* "Sheet1!C7" (of the sheet open) into out */
void wb_where(const wb *w, long row, int col, char *out, size_t n);
/* A cell as Excel names it, appended to out: Sheet1!C7, 'My sheet'!C7
 * (quoted when the name needs it), and col < 0 the whole row, Sheet1!7:7. */
void wb_cell_ref(const char *sheet, long row, int col, buf *out);

#endif
