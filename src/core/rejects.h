/* rejects.h — the rejects file of an import (--skip-bad --rejects FILE, the
 * browser's "write the good rows").
 *
 * The rows an import could not take, each with its fields as read under
 * the file's own header and the reason under the header IMPORT_REASON_COL,
 * written in the form the clerk sent them in: CSV for Excel (UTF-8 with a
 * BOM, CRLF) for a text file, a workbook (.xlsx: the input's sheet name,
 * the header bold and frozen, text cells as text, the numbers of number
 * columns as numbers) for a workbook or a rejects name ending in .xlsx.
 * Either can be fixed and imported as it is: the reason column is ignored.
 * The output goes through outfile.h (never the register; a temporary
 * renamed into place at rejw_close).
 */
#ifndef MINREG_REJECTS_H
#define MINREG_REJECTS_H

#include "csvio.h"

typedef struct rejw rejw;

/* Does a rejects file at path come out as a workbook?  in_wb: the input
 * is one. */
int rejw_is_xlsx(const char *path, int in_wb);

/* xlsx: a workbook (its one sheet named sheet, or "导入问题" when NULL),
 * else CSV with wo's options.  NULL with e. */
rejw *rejw_open(const char *path, int xlsx, const char *sheet, const csvw_opts *wo, mr_err *e);
/* Field i (from 0) of every record is in a number column. */
void rejw_numeric(rejw *w, int i, int numeric);
void rejw_field(rejw *w, const char *s);   /* NULL: empty */
void rejw_end(rejw *w);                    /* end of a record (the first is the header) */
/* 0, or -1 with e (nothing is left at path); w is freed either way. */
int rejw_close(rejw *w, mr_err *e);
/* Give up: nothing is left at path (NULL: nothing to do). */
void rejw_abort(rejw *w);

#endif
