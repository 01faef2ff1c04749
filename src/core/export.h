/* export.h — a register (or a view of it) as a CSV file or a workbook.
 *
 * The CLI's `export` and the browser's `:export` both come here.  Values
 * leave as stored (REALs as %.15g: 457.2456 stays 457.2456), except that a
 * decimal column with a scale in the schema is written with that many
 * decimals when no digit is lost (199.879 leaves as 199.8790, as the plan
 * prints it), so export -> import -> export gives the same bytes.
 */
#ifndef MINREG_EXPORT_H
#define MINREG_EXPORT_H

#include <stdint.h>

#include "csvio.h"
#include "db.h"

typedef struct export_opts {
    const db_filter *f;      /* rows: all filters must match */
    int nf;
    int sort_ci, desc;       /* sort_ci -1: the register's own order */
    const int *cis;          /* columns, in order; NULL: all */
    int nc;
    int header_ids;          /* header by column id instead of "label(unit)" */
    csvw_opts w;
    /* what the user should know while it is written (a register continued
     * on a next sheet), or NULL */
    void (*note)(void *arg, const char *msg);
    void *note_arg;
} export_opts;

/* Write to path (NULL or "-": standard output).  *rows gets the count. */
int export_csv(db *d, const table *t, const char *path, const export_opts *o, int64_t *rows,
               mr_err *e);

/* The same as an .xlsx workbook (xlsxout.c), in the plan's printed layout:
 * title, header with units, text codes as text, numbers with the schema's
 * decimals, dates as dates, a 合计 row where the plan states a total; t
 * NULL: every register, one sheet each in the plan's order, and a sheet of
 * check's findings.  Constant memory; a register longer than a sheet goes
 * on on a next one (o->note says so). */
int export_xlsx(db *d, const table *t, const char *path, const export_opts *o, int64_t *rows,
                mr_err *e);
/* A value as a workbook cell takes it (into cell; returned): invalid
 * UTF-8 and the code points XML cannot hold as U+FFFD, cut at Excel's
 * 32,767 characters on a character boundary. */
const char *xlsx_cell_text(buf *cell, const char *s);
/* A sheet name Excel accepts (into out, replaced): base cut to 31
 * characters with " (part)" when part > 1, each of []:*?/\' as _. */
void xlsx_sheet_name(buf *out, const char *base, int part);
/* Does the name end in .xlsx? */
int export_is_xlsx(const char *path);
/* A register's title as the plan prints it: "附表2 辽宁省丹东市矿产资源重点勘查区表". */
void export_print_title(const table *t, buf *out);

#endif
