/* import.h — loading a CSV file into a register as one audited change.
 *
 * The header maps columns by id or Chinese label (with or without the unit),
 * in any order; unknown, repeated or missing required columns are refused
 * before any row is read.  Every row goes through validator_row, the same
 * check forms and `minreg add` use, inside one transaction: rows are written
 * as they pass, so a later row of the file is checked against the earlier
 * ones (duplicates, links between rows of the same file).  At the end the
 * transaction is committed only if no row failed — or, with a rejects file,
 * the failed rows are written there instead; a dry run always rolls back.
 * The change is kind 'import', with an audit row per row added, changed or
 * deleted, so `minreg undo` takes the whole import back.
 *
 * A workbook (.xlsx or .xls, known by its first bytes) is read the same way
 * from one of its sheets (import_wb.c).  In every file the Excel habits of
 * normalise.h are undone and counted, or with strict refused.
 */
#ifndef MINREG_IMPORT_H
#define MINREG_IMPORT_H

#include <stdint.h>

#include "buf.h"
#include "csvio.h"
#include "db.h"

typedef enum { IMPORT_APPEND, IMPORT_REPLACE, IMPORT_UPSERT } import_mode;

/* The header of the column a rejects file adds; an import ignores it, so a
 * fixed rejects file can be imported as it is. */
#define IMPORT_REASON_COL "导入问题"
#define IMPORT_MAX_ISSUES 100

typedef struct import_issue {
    long line;
    int ci;              /* the column at fault, -1 for the row as a whole */
    int field;           /* its field in the file (from 0), -1 when none */
    char *value;         /* the value (shortened), NULL when none */
    char *msg;           /* "登记面积(平方公里): must be greater than 0" */
} import_issue;

typedef struct import_progress {
    int64_t rows;        /* data rows read so far */
    long long bytes;     /* of the file */
    long long size;      /* -1 when unknown */
} import_progress;

/* Called every few thousand rows; nonzero cancels the import. */
typedef int (*import_progress_fn)(void *arg, const import_progress *p);

typedef struct import_opts {
    import_mode mode;
    int dry_run;
    const char *rejects;     /* skip bad rows, writing them here; NULL: all or nothing */
    csv_opts csv;
    const char *comment;
    import_progress_fn progress;
    void *progress_arg;
    const char *sheet;       /* a workbook's sheet: its name or number from 1; NULL the first */
    int strict;              /* refuse cells written the Excel way (normalise.h) */
    int max_issues;          /* problems kept in the result; 0: IMPORT_MAX_ISSUES */
} import_opts;

#define IMPORT_TOTAL_ROWS 8

typedef struct import_result {
    int64_t rows;            /* data rows read */
    int64_t added, updated, unchanged, deleted;
    int64_t bad_rows;        /* rows with problems (rejected, with a rejects file) */
    int64_t nproblems;       /* problems in all; the first max_issues are in issues */
    import_issue *issues;
    int nissues;
    int64_t change;          /* the change recorded, 0 if none */
    text_enc enc;            /* what the file turned out to be */
    char delim;
    int written;             /* the register was changed */
    int links_broken;        /* rows elsewhere would link to rows no longer here */
    int64_t key_taken;       /* rows whose key the register already has (append) */
    /* a workbook (.xlsx, .xls): its kind, else NULL; the sheet read, and the
     * column (from 0) its header's first field is in; a line is a row */
    const char *wb_kind;
    char *sheet;
    int col0;
    int64_t totals;          /* 合计/小计/总计 rows left out */
    long total_rows[IMPORT_TOTAL_ROWS];   /* the first of them */
    int ntotal_rows;
    int64_t norm[3];         /* cells written the Excel way and normalised, per kind (normalise.h) */
    /* the events register: rows applied to their permits, and the rules'
     * warnings (a late extension), one a line */
    int64_t events_applied;
    buf warnings;
} import_result;

enum { IMPORT_OK = 0, IMPORT_INVALID = 1, IMPORT_ERROR = -1 };

/* IMPORT_OK: done (or a clean dry run); IMPORT_INVALID: rows failed
 * (r->issues says why) and nothing was written — unless a rejects file took
 * them, when the good rows were (r->written); IMPORT_ERROR: e says why (a
 * bad file, an I/O error, cancelled), and nothing was written. */
int import_csv(db *d, const table *t, const char *path, const import_opts *o, import_result *r,
               mr_err *e);
void import_result_free(import_result *r);
/* Where a problem is, appended to out: a workbook's cell as Excel names it
 * (Sheet1!E5, from the header's first column col0 and the field from 0;
 * field < 0 the row, Sheet1!5:5), a text file's "line 5". */
void import_where(const import_result *r, long line, int field, buf *out);

#endif
