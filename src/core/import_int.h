/* import_int.h — shared by the import's files only (import.c, import_row.c,
 * import_hdr.c, import_wb.c). */
#ifndef MINREG_IMPORT_INT_H
#define MINREG_IMPORT_INT_H

#include "site.h"
#include "buf.h"
#include "change.h"
#include "import.h"
#include "rejects.h"
#include "validate.h"

/* A row whose link to another row of this register was checked after the
 * whole file was in (the row it names may come later in the file). */
typedef struct selflink {
    long line;
    int64_t rowid;
    int ci;
    char *value;
    int dead;            /* the row was rejected since */
} selflink;

typedef struct importer {
    site_rule site;         /* this register's site: a county imports only its own rows */
    db *d;
    const table *t;
    const import_opts *o;
    import_result *r;
    mr_err *e;
    const char *path;    /* as messages name it */
    csv_reader *rd;
    int nh;              /* header fields */
    int *map;            /* per header field: the column it fills, or -1 */
    char **hdr;          /* header fields as written (for the rejects file) */
    int reason_field;    /* a rejects file's reason field, or -1 */
    int *colpos;         /* per column: its header field, or -1 */
    int self_links;      /* the register has columns linking to itself */
    validator *v;
    validator *va;       /* the read-ahead thread's (see ahead_check), or NULL */
    const char **va_vals;   /* its row being checked */
    int64_t va_version;  /* db_data_version when va read the link targets */
    int va_stale;        /* another clerk wrote since: its marks are not used */
    const char **vals;   /* the row being checked, per column */
    char (*num)[NUM_MAX];    /* per column: a number's canonical text (value_normal) */
    char *numeric;       /* per column: an int or dec column */
    buf *norm;           /* per column: the value with its Excel habits undone */
    char **cur;          /* --upsert: the stored row it replaces */
    rejw *rej;           /* the rejects file (rejects.h), or NULL */
    buf reason;
    selflink *sl;
    int nsl, capsl;
    int cancelled;       /* the progress callback asked to stop */
    text_enc better;     /* the file is better read again in this encoding (textin.h) */
    chg *w;              /* the change the rows are written in (change.h) */
    int events;          /* the events register: each row applied to its permit (life.h) */
} importer;

int import_map_header(importer *im, char **f, int nf, long line);
/* The column a header cell names (an id or label, with or without the
 * unit), or -1. */
int import_header_col(const table *t, const char *cell);
/* A workbook's sheet as a reader (import_wb.c): the title rows skipped,
 * the header found by its labels and given as the first record, 合计 rows
 * left out (counted in im->r).  NULL with im->e. */
csv_reader *import_wb_open(importer *im, const char *path);
/* After a replace or upsert: every link into this register must still
 * resolve.  The number of problems recorded into *problems: 0, or -1 with
 * im->e filled (a lookup failed). */
int import_check_links_in(importer *im, int64_t *problems);
/* Record a problem (the first IMPORT_MAX_ISSUES are kept). */
void import_problem(importer *im, long line, int ci, const char *value, const char *msg);

/* ---- between import.c and import_row.c ---- */
#define ROW_ISSUES 16    /* a row's problems reported at the most */
/* A bad row: its problems recorded (and given as the rejects reason).  A
 * problem of the row as a whole (row_msg) is at field msg_field, or -1. */
void import_bad_row(importer *im, char **f, int nf, long line, vissue *iss, int n,
                    const char *row_msg, int msg_field);
/* Is every field of the line empty? */
int import_all_empty(char **f, int nf);
/* On the read-ahead thread: does a new row pass every check that needs no
 * database (1; else 0)? */
int import_ahead_check(void *arg, char **f, int nf);
/* One record: checked, written or refused (0); -1: the import stops (e). */
int import_do_row(importer *im, char **f, int nf, long line, int clean);
/* Links to rows of the same register, once every row is in: 0, or -1. */
int import_check_self_links(importer *im);

#endif
