/* db.h — the only module that speaks SQL.
 *
 * Every value goes through bound parameters; identifiers in generated SQL
 * come only from the schema (and are quoted).  Cursors step through results
 * so callers never hold more rows than they show.
 */
#ifndef MINREG_DB_H
#define MINREG_DB_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "schema.h"

#define MINREG_SCHEMA_VERSION 7

/* Results.  A lookup says found, not found or failed, never with one value
 * for two of them:
 *   DB_FOUND (1) / DB_NOT_FOUND (0) / DB_ERROR (-1, with the error record
 *   mr_err filled: message and exit code), as db_find_by does.
 * Other calls return 0 on success and -1 with e filled (db_open, db_begin,
 * db_commit, db_integrity ...), or a pointer, NULL with e filled (db_select,
 * cursors).  Callers compare with the names (== DB_FOUND), never test the
 * value for truth: DB_ERROR is nonzero.  Values come back through
 * out-parameters, never in the return value beside an error.  A walk
 * (db_audit_each, db_shape_candidates) returns 0 when it went through,
 * what the callback returned (> 0) to stop, or -1 with e filled.  A
 * damaged file (a malformed page, a truncated file) is always said as
 * such, whichever query met it (db_error, cursor_fail): never as "no row"
 * or a bad pattern.  e may be NULL where a caller only needs to know. */
enum { DB_ERROR = -1, DB_NOT_FOUND = 0, DB_FOUND = 1 };

typedef struct db db;
typedef struct cursor cursor;
typedef struct inserter inserter;

enum { DB_READONLY = 1, DB_NOSEAL = 2 };   /* NOSEAL: do not start the chain (init) */

/* Filters.  DBF_EQ and DBF_RX are what minreg's own code makes (a link's
 * value, a district); the others come from db_filter_parse, the one syntax
 * of --where and the browser's & (see man/minreg.1, FILTERS):
 *   [!]COL=VALUE  COL!=VALUE  COL<V  COL<=V  COL>V  COL>=V  COL=A..B
 *   COL=  (empty)  COL!=  (not empty)  [!]COL:REGEX  [!]REGEX (any column)
 * Numbers (int, dec, year columns) compare as numbers, dates as dates (a
 * year or a month stands for its days); a multi-valued column's = matches
 * a row listing the value.  neg keeps exactly the rows the filter without
 * it does not. */
enum { DBF_EQ = 0, DBF_RX = 1, DBF_LT, DBF_LE, DBF_GT, DBF_GE, DBF_RANGE, DBF_EMPTY };

typedef struct db_filter {
    int ci;              /* column index in the table; -1 with DBF_RX: any column */
    const char *value;   /* DBF_EQ: equals it (multi columns: lists it); DBF_RX: a PCRE2 pattern;
                            DBF_LT..DBF_GE: the bound; DBF_RANGE: the lower bound */
    int op;              /* DBF_* */
    const char *value2;  /* DBF_RANGE: the upper bound (inclusive); else NULL */
    int neg;             /* negated: the rows the filter without it leaves out */
    const char *text;    /* as typed (the status line shows it), or NULL */
} db_filter;

/* Parse a filter argument: "REGEX" (any column) or "COL:REGEX" where COL is
 * a column id or label.  The pattern is compiled to check it: a bad one
 * fills e with PCRE2's message and offset.  f->value points into arg. */
int db_filter_parse_rx(const table *t, const char *arg, db_filter *f, mr_err *e);
/* Parse any filter (the syntax above) into f, which then owns its strings
 * (db_filter_clear frees them).  A bad one: -1, and e (EXIT_USAGE) names
 * the filter, the part at fault and why. */
int db_filter_parse(const table *t, const char *arg, db_filter *f, mr_err *e);
/* dst: a copy of src owning its strings. */
void db_filter_dup(db_filter *dst, const db_filter *src);
void db_filter_clear(db_filter *f);
/* The filter as one would type it: its text as typed, else written from
 * its parts with the column's label ("开采矿种=金矿", "!采矿许可证号="). */
void db_filter_show(const table *t, const db_filter *f, buf *out);

/* Open an existing register.  Refuses files that are not SQLite, not minreg
 * registers, or from a newer schema version; migrates older ones. */
int db_open(const char *path, int flags, db **out, mr_err *e);
void db_close(db *d);
const schema *db_schema(const db *d);
const char *db_path(const db *d);
int db_readonly(const db *d);   /* opened read-only (asked, or the file is not writable) */
/* Why: -r was given, the file is not writable, or its folder is not (a write
 * needs to create the -wal and -shm files beside the register). */
enum { DB_RO_ASKED = 1, DB_RO_FILE, DB_RO_FOLDER, DB_RO_UNTRUSTED, DB_RO_FULL };
int db_readonly_why(const db *d);
/* For DB_RO_UNTRUSTED and DB_RO_FULL, the reason in words for a refused
 * write ("it holds SQL minreg did not make: trigger \"x\" on t"); NULL for
 * the others, whose callers word them.  db_readonly_exit: the exit code a
 * refused write takes (5 when the file system is full, else 4). */
const char *db_readonly_reason(const db *d);
int db_readonly_exit(const db *d);

/* The register's schema (sqlite_master) is compared on open with the one
 * data/schema.sql makes (db_trust.c): a trigger, view, index or table that
 * differs, is missing, or was not made by minreg opens it read-only
 * (DB_RO_UNTRUSTED), with triggers and views disabled.  The objects at
 * fault, one phrase each ("trigger \"x\" on mining_permits: not made by
 * minreg"), for `check`: their number, *items set (owned by d). */
int db_schema_problems(const db *d, const char *const **items);
/* A note when the comparison could not be made (an older schema version
 * opened read-only is not migrated, so not compared), else NULL. */
const char *db_schema_note(const db *d);

/* While a statement runs, fn (set by the front end) is asked every few
 * thousand steps whether to stop: nonzero interrupts the statement, which
 * fails with SQLITE_INTERRUPT; db_error then reports "cancelled" with
 * EXIT_CANCELLED, and the caller rolls its transaction back.  NULL: never. */
void db_on_cancel(db *d, int (*fn)(void *arg), void *arg);
/* Was the last statement stopped by that hook (or a db_ticks function)? */
int db_interrupted(const db *d);
/* For work made of many short statements (an undo of a large import),
 * asked between them: has the front end's hook asked to stop?  Then e says
 * "cancelled" (EXIT_CANCELLED) and the caller rolls back. */
int db_cancel_asked(db *d, mr_err *e);

/* Fill e from the last SQLite error on d: "PATH: WHAT: message", with the
 * system's reason and exit 5 for a file system error (disk full, file size
 * limit, I/O error), exit 4 otherwise.  Returns -1. */
int db_error(db *d, mr_err *e, const char *what);
/* PRAGMA quick_check (full: integrity_check): each problem it finds to fn,
 * none when the file is sound.  0, or -1 with e filled when it could not
 * run. */
int db_integrity(db *d, int full, void (*fn)(void *arg, const char *msg), void *arg, mr_err *e);

/* While another clerk's write holds the lock, minreg waits up to
 * DB_BUSY_TIMEOUT_MS, calling fn (if set) with the milliseconds waited so
 * far, so a screen can say why it is waiting, and after each pause asking
 * cancel (if set) whether to give up: a dropped link (SIGHUP) must not
 * leave a save to go through later, unseen. */
#define DB_BUSY_TIMEOUT_MS 5000
typedef void (*db_busy_fn)(void *arg, int waited_ms);
void db_on_busy(db *d, db_busy_fn fn, int (*cancel)(void *arg), void *arg);

/* Create a new register at path (which must not exist) from
 * datadir/schema.sql and, unless empty, datadir/seed/<table>.csv.  Built in a
 * temporary file and renamed into place: a failure leaves nothing behind. */
int db_create(const char *path, const char *datadir, int empty, mr_err *e);

int db_begin(db *d, mr_err *e);
int db_commit(db *d, mr_err *e);
void db_rollback(db *d);

/* The rows of t matching all filters into *n: 0, or -1 with e filled
 * (db_error; e may be NULL). */
int db_count(db *d, const table *t, const db_filter *f, int nf, int64_t *n, mr_err *e);
/* t's whole count if db_count has it from before and the file has not
 * changed since, else -1: never counts. */
int64_t db_count_cached(db *d, const table *t);

/* Rows of t matching all filters, ordered by column sort_ci (-1: by rowid),
 * at most limit rows (limit < 0: all). */
cursor *db_select(db *d, const table *t, const db_filter *f, int nf,
                  int sort_ci, int desc, long limit, mr_err *e);
cursor *db_select_rowid(db *d, const table *t, int64_t rowid, mr_err *e);
int cursor_next(cursor *c);                 /* 1 row, 0 done, -1 error */
const char *cursor_val(cursor *c, int ci);  /* NULL for SQL NULL */
int64_t cursor_rowid(cursor *c);
const char *cursor_error(cursor *c);
/* Fill e from c's failure: the damaged-file message with EXIT_DB when the
 * file is damaged, else cursor_error's text with code.  Returns e's code. */
int cursor_fail(const cursor *c, int code, mr_err *e);
void cursor_free(cursor *c);
/* Threads reading c's rows: more than 1 when a scan that only regular
 * expressions filter, of a large table in rowid order, is split over the
 * processors (db_scan.c; MINREG_THREADS sets how many).  The rows are the
 * same either way. */
int cursor_threads(const cursor *c);

/* Find the row named by key: the key column, any other unique column, or
 * the rowid.  DB_FOUND with *rowid set, DB_NOT_FOUND, or DB_ERROR with e
 * filled (e may be NULL). */
int db_find(db *d, const table *t, const char *key, int64_t *rowid, mr_err *e);

/* Rows where any of the columns cis contains text (for pick lists). */
cursor *db_select_like(db *d, const table *t, const int *cis, int n, const char *text, long limit,
                       mr_err *e);

/* Find the row of t whose column ci equals value (a link target): DB_FOUND
 * with *rowid set when exactly one row holds it, DB_NOT_FOUND when none or
 * several do, DB_ERROR with e filled (db_error) when the lookup failed. */
int db_find_by(db *d, const table *t, int ci, const char *value, int64_t *rowid, mr_err *e);
/* Changes whenever another connection has committed a change to the file
 * (PRAGMA data_version), into *v: 0, or -1 with e filled (*v = -1). */
int db_data_version(db *d, int64_t *v, mr_err *e);
/* Every value db_find_by would find in column ci (those in exactly one
 * row), to fn: DB_FOUND with their number in *n; DB_NOT_FOUND when there
 * are more than max (fn was given the first max: the caller drops them) or
 * the column is multi-valued; DB_ERROR with e filled (e may be NULL). */
int db_col_values(db *d, const table *t, int ci, int64_t max, void (*fn)(void *arg, const char *v),
                  void *arg, int64_t *n, mr_err *e);

/* Does another row than self_rowid hold value in column ci?  DB_FOUND,
 * DB_NOT_FOUND, or DB_ERROR with e filled (e may be NULL). */
int db_exists_other(db *d, const table *t, int ci, const char *value, int64_t self_rowid, mr_err *e);
/* Is column ci the key or a single-column UNIQUE column?  DB_FOUND,
 * DB_NOT_FOUND, or DB_ERROR with e filled. */
int db_is_unique_col(db *d, const table *t, int ci, mr_err *e);

/* Aggregates for checks and reports.  db_sum: total of column ci over the
 * rows matching the filters into *sum: 0, or -1 with e filled (e may be
 * NULL).  db_group: per distinct value of column gci, the row count and
 * the total of column sci (sci < 0: 0), in value order; 0, or -1 with e. */
int db_sum(db *d, const table *t, const db_filter *f, int nf, int ci, double *sum, mr_err *e);
typedef void (*db_group_fn)(void *arg, const char *key, int64_t count, double sum);
int db_group(db *d, const table *t, int gci, int sci, db_group_fn fn, void *arg, mr_err *e);
/* The frequency of column ci's values over the rows matching the filters
 * (the F screen, `minreg freq`): per value — per item of a multi-valued
 * column, "" for an empty cell — the rows holding it and the total of
 * column sci over them (sci < 0: 0), the most rows first, then by value;
 * at most limit values.  0, or -1 with e filled. */
int db_freq(db *d, const table *t, int ci, int sci, const db_filter *f, int nf, int64_t limit,
            db_group_fn fn, void *arg, mr_err *e);   /* limit < 0: every value */


/* The writes of rows and of the audit trail are in db_write.h: change.c is
 * their only user. */
/* Row rowid of t as a JSON object, appended to out: DB_FOUND, DB_NOT_FOUND
 * (no such row), or DB_ERROR with e filled. */
int db_row_json(db *d, const table *t, int64_t rowid, buf *out, mr_err *e);
/* The values of a row's JSON object into *vals (t->ncols strings, NULL =
 * null; always allocated: edit_free_row it): 0, or -1 with e filled. */
int db_json_values(db *d, const table *t, const char *json, char ***vals, mr_err *e);

/* Bulk writes (import, undo): foreign keys are checked at COMMIT, so a row
 * may arrive before the row it links to, and replaced rows may be deleted
 * before their successors arrive. */
void db_defer_fks(db *d);
/* Page cache for bulk work, in KiB (0: SQLite's default again). */
void db_cache_kb(db *d, int kb);

/* Rows an upsert writes, noted so that a second line with the same key is
 * seen as a repeat: db_added_begin, then db_added_note for each row written
 * (added = 1 when added); a temporary table, gone with the connection. */
int db_added_begin(db *d, mr_err *e);
int db_added_note(db *d, int64_t rowid, int added, mr_err *e);
int db_added_has(db *d, int64_t rowid, mr_err *e);   /* was it noted?  DB_FOUND / DB_NOT_FOUND / DB_ERROR */
/* ---- the chained history (db_chain.c, db_verify.c) ----
 * A row sum: 8 bytes of BLAKE2b over a row's values as written (vals as
 * db_row_insert takes them, in column order), and a byte for each field
 * that says which of them a changed row differs in.  Safe on any thread. */
#define DB_SUM 8
typedef struct { buf enc, v; } db_sum_scratch;   /* reused between rows; buf_free both */
void db_row_sum(const table *t, const char *const *vals, db_sum_scratch *w,
                unsigned char out[DB_SUM], unsigned char *fout);   /* fout: t->ncols bytes, or NULL */
/* On a write-open: a register whose history has no chain yet gets one, as
 * a 'seal' change holding every row's sum (one transaction). */
int db_chain_start(db *d, mr_err *e);
/* What verify found: about register tbl's row key and field (each NULL
 * when about the history, or the whole row), and the change concerned. */
typedef struct {
    const char *tbl, *key, *field;
    int64_t change;
    const char *msg;
} db_finding;
typedef int (*db_finding_fn)(void *arg, const db_finding *f);   /* nonzero: stop */
typedef struct {
    char head[65];           /* the head digest, recomputed (hex; "" when none) */
    int64_t head_change;     /* the change it is the digest of */
    int head_found;          /* --head given: found at change head_at */
    int64_t head_at;
    int64_t changes, rows, findings;
} db_verify_result;
/* Recompute the chain, check undone_by and every register row against it;
 * each finding to fn.  head (hex, or NULL): a head recorded earlier that
 * the history must still hold.  0, or -1 with e filled. */
int db_verify(db *d, const char *head, db_finding_fn fn, void *arg, db_verify_result *r, mr_err *e);
/* Is s a well-formed head digest?  0 if so. */
int db_digest_parse(const char *s);

/* Did the last failed write break a constraint (UNIQUE, NOT NULL ...) rather
 * than fail for another reason?  Then it is the row's fault, not the disk's. */
int db_last_was_constraint(db *d);
/* Did the last db_commit fail on a constraint (a deferred foreign key)? */
int db_commit_was_constraint(const db *d);


/* How many audit rows change has, each row a run added counted, into *n:
 * 0, or -1 with e. */
int db_change_rows(db *d, int64_t change, int64_t *n, mr_err *e);
/* Did change touch row row_id of tbl (any audit row of it, or a run)?
 * DB_FOUND / DB_NOT_FOUND / DB_ERROR. */
int db_change_touched(db *d, int64_t change, const char *tbl, int64_t row_id, mr_err *e);

typedef struct db_change {
    int64_t id, undoes, undone_by;
    char kind[16], tbl[64], at[32], who[256], summary[512], comment[512];   /* cut to fit */
} db_change;
/* Change id into *c: DB_FOUND / DB_NOT_FOUND / DB_ERROR. */
int db_change_get(db *d, int64_t id, db_change *c, mr_err *e);
/* The last change still in effect (undos = 0), or the last undo that can be
 * redone (undos = 1): an undo with nothing newer done since.  user (NULL:
 * anyone's): only the changes that user made, from any address.  Its id in
 * *id: DB_FOUND, DB_NOT_FOUND (none, *id = 0), DB_ERROR. */
int db_change_last(db *d, int undos, const char *user, int64_t *id, mr_err *e);

typedef struct audit_row {
    int64_t id, row_id;
    char *tbl, *row_key, *op, *field, *old, *new_;
} audit_row;
/* The audit rows of a change, one at a time, oldest first (newest first
 * when desc), without holding them all: an import has a million.  Rows
 * the change added as runs come as one "insert" each, last (first when
 * desc).  The row is valid during the call only; fn returns 0 to go on,
 * > 0 to stop (returned).  0 when every row went to fn; -1 with e filled
 * when reading them failed. */
typedef int (*db_audit_fn)(void *arg, const audit_row *r);
int db_audit_each(db *d, int64_t change, int desc, db_audit_fn fn, void *arg, mr_err *e);
/* The first change after `change`, still in effect, that touched the same
 * row (the same field, when field is given), into *later: DB_FOUND,
 * DB_NOT_FOUND (none, *later = 0), DB_ERROR. */
int db_audit_later(db *d, int64_t change, const char *tbl, int64_t row_id, const char *field,
                   int64_t *later, mr_err *e);
/* Does change `change` update field of row row_id of tbl again after its
 * audit row audit_id (an import whose events change one permit twice)?
 * DB_FOUND, DB_NOT_FOUND, DB_ERROR. */
int db_audit_again(db *d, int64_t change, int64_t audit_id, const char *tbl, int64_t row_id,
                   const char *field, mr_err *e);
/* The newest change recorded into *max (0: none): a form notes it when it
 * reads a row.  0, or -1 with e. */
int db_change_max(db *d, int64_t *max, mr_err *e);
/* The first change after `after` (undo and redo included) that deleted row
 * row_id of tbl or put a row at that place, into *by: DB_FOUND,
 * DB_NOT_FOUND (*by = 0), DB_ERROR.  A form read the row after change
 * `after`: then the row there now is another record. */
int db_row_replaced(db *d, int64_t after, const char *tbl, int64_t row_id, int64_t *by, mr_err *e);

typedef struct log_entry {
    int64_t change_id, undoes, undone_by, row_id;
    const char *at, *who, *kind, *change_tbl, *summary, *comment;
    const char *tbl, *row_key, *op, *field, *old, *new_;   /* NULL for a change with no rows */
} log_entry;
typedef void (*db_log_fn)(void *arg, const log_entry *le);
/* Changes with their audit rows, oldest first; tbl NULL / row_id < 0 /
 * row_key NULL / since NULL: no restriction.  row_key finds a row that is
 * gone (deleted, or renamed) by the key it had.  The rows an import added
 * come after the change's other audit rows, one "insert" each, in row
 * order, with the row as added (see db_audit_added).  0, or -1 with e. */
int db_log(db *d, const char *tbl, int64_t row_id, const char *row_key, const char *since,
           db_log_fn fn, void *arg, mr_err *e);

/* A view of a register — filters and an order — read a page at a time by
 * position.  Memory does not grow with the register: at most one page of
 * rowids is kept.  progress (may be NULL) is called during a sort; returning
 * nonzero cancels it (e then says "cancelled"). */
typedef struct rowsrc rowsrc;
typedef int (*db_progress_fn)(void *arg);
/* Call fn now and then while any statement runs (NULL: stop); nonzero from
 * it interrupts the statement, which then fails. */
void db_ticks(db *d, db_progress_fn fn, void *arg);
rowsrc *db_rowsrc_new(db *d, const table *t, const db_filter *f, int nf, int sort_ci, int desc,
                      db_progress_fn progress, void *arg, mr_err *e);
/* The view's rows are counted when first needed, not when it is made:
 * rowsrc_count counts now if not yet known, into *n: 0, or -1 with e (the
 * view stays not counted).  rowsrc_count_upto counts only when it must:
 * it returns -1 (not counted) while at least `need` rows are known to be
 * there — the pages read so far reach that far — or when the count failed
 * (the page read next meets the error and says it).  A page that ends
 * early, or a whole register counted before, gives the count free. */
int rowsrc_count(rowsrc *r, int64_t *n, mr_err *e);
int64_t rowsrc_count_upto(rowsrc *r, int64_t need);
/* Rows pos .. pos+n-1.  A negative pos counts from the end (-1: the last
 * row; the page stops there): before the view is counted, that is how the
 * last page costs no count.  Reading up from the end past the first row
 * counts the view and returns its first rows.  A caller keeping positions
 * from the end turns them into pos + count once rowsrc_count_upto(r, 0)
 * says the count is known. */
cursor *rowsrc_page(rowsrc *r, int64_t pos, int n, mr_err *e);
/* Row rowid's position in the view into *pos: DB_FOUND, DB_NOT_FOUND (not
 * in the view, *pos = -1), DB_ERROR with e. */
int rowsrc_pos_of(rowsrc *r, int64_t rowid, int64_t *pos, mr_err *e);
/* The next row matching pattern (any column) after position from (dir > 0)
 * or before it (dir < 0), in the view's order.  Returns its position, -1 if
 * none, -2 when cancelled or the pattern failed (e says why). */
int64_t rowsrc_find(rowsrc *r, int64_t from, int dir, const char *pattern,
                    db_progress_fn progress, void *arg, mr_err *e);
void db_rowsrc_free(rowsrc *r);

/* ---- boundaries (db_shape.c; boundary.h) ---- */
/* Can t's records hold a boundary (minreg_boundary_tables)?  DB_FOUND,
 * DB_NOT_FOUND, or DB_ERROR with e. */
int db_has_boundary(db *d, const char *tbl, mr_err *e);
/* Record rid's boundary as canonical text (malloc'd) into *text: DB_FOUND,
 * DB_NOT_FOUND (none, *text NULL), DB_ERROR with e. */
int db_shape_text(db *d, const char *tbl, int64_t rid, char **text, mr_err *e);
/* The records of tbl that have a boundary, by rid; 0, or -1 with e. */
int db_shape_rids(db *d, const char *tbl, int64_t **out, int *n, mr_err *e);
/* verify: each record whose shape and last audited boundary differ
 * (have_shape / have_audit say which of the two exists; change: the last
 * audited change, 0 none), their number in *found.  0, or -1 with e. */
typedef void (*db_shape_fn)(void *arg, const char *tbl, int64_t rid, int have_shape, int have_audit,
                            int64_t change);
int db_shape_verify(db *d, db_shape_fn fn, void *arg, int64_t *found, mr_err *e);
/* Shape id's text (malloc'd) into *text and its record (tbl malloc'd):
 * DB_FOUND, DB_NOT_FOUND, DB_ERROR with e. */
int db_shape_text_id(db *d, int64_t id, char **text, char **tbl, int64_t *rid, mr_err *e);
/* Pairs of shapes whose bounding boxes (grown by the pads, degrees) meet,
 * found by the R*Tree: with rid > 0 record rid of tbl against every other
 * shape; with tbl, its shapes against every other (each pair once); else
 * every pair once.  fn returns 0 to go on, > 0 to stop (returned); 0
 * when every pair went to fn, -1 with e when reading them failed. */
typedef int (*db_pair_fn)(void *arg, int64_t a, int64_t b);
int db_shape_candidates(db *d, const char *tbl, int64_t rid, double pad_lon, double pad_lat,
                        db_pair_fn fn, void *arg, mr_err *e);
/* The shapes (id, register, record) whose bounding boxes meet the box
 * (geodetic degrees), at most max of them, skip_id excepted: the map's
 * neighbours, from the R*Tree (db_map.c).  The number found (*more set
 * when there were more than max), or -1 with e. */
typedef struct db_shape_ref {
    int64_t id, rid;
    char tbl[64];
} db_shape_ref;
int db_shapes_in_box(db *d, double min_lon, double max_lon, double min_lat, double max_lat,
                     int64_t skip_id, db_shape_ref *out, int max, int *more, mr_err *e);
/* The id of record rid's shape in tbl (1), 0 when it has none, -1 with e. */
int db_shape_id(db *d, const char *tbl, int64_t rid, int64_t *id, mr_err *e);

#endif
