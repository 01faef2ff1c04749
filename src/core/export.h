/* export.h — a register (or a view of it) as a CSV file.
 *
 * The CLI's `export` and the browser's `:export` both come here.  Values
 * leave exactly as stored (REALs as %.15g: 457.2456 stays 457.2456), so
 * export -> import -> export gives the same bytes.
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
} export_opts;

/* Write to path (NULL or "-": standard output).  *rows gets the count. */
int export_csv(db *d, const table *t, const char *path, const export_opts *o, int64_t *rows,
               mr_err *e);

#endif
