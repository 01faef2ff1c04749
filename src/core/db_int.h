/* db_int.h — shared by the files of the db module (src/core/db*.c) only.
 * Nothing outside them includes this: the rest of minreg sees db.h. */
#ifndef MINREG_DB_INT_H
#define MINREG_DB_INT_H

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "db_write.h"
#include "num.h"

#define STMT_CACHE 48
#define KEYED_CACHE 96

/* Statements the write path runs per row, cached by what they are rather
 * than by their SQL text: no SQL is built or compared on the hot path. */
enum { SK_FIND_BY = 1, SK_EXISTS_OTHER, SK_ROW_INSERT, SK_ROW_UPDATE, SK_ROW_DELETE,
       SK_AUDIT_INSERT, SK_AUDIT_DELETE, SK_AUDIT_INSERT_ALL, SK_AUDIT_DELETE_ALL, SK_JSON_VALUES,
       SK_AUDIT_ADDED, SK_ADDED_NOTE, SK_ROW_JSON, SK_SITE_LINKED, SK_SITE_ROW };
typedef void (*sql_build_fn)(buf *q, const table *t, int ci, int kind);

struct db {
    sqlite3 *h;
    char *path;
    char *open_name;     /* what sqlite3_open_v2 was given (a URI when immutable) */
    int open_flags;      /* and its flags: db_open_same opens the same way */
    schema s;
    int readonly;
    int ro_why;          /* DB_RO_*: why it is read-only */
    /* statements prepared once and reused (lookups run per row in imports) */
    struct { char *sql; sqlite3_stmt *st; } cache[STMT_CACHE];
    int ncache;
    db_busy_fn busy;     /* told while waiting for another writer's lock */
    int (*busy_cancel)(void *arg);   /* asked whether to stop waiting */
    void *busy_arg;
    struct { int kind, ci; const table *t; sqlite3_stmt *st; } keyed[KEYED_CACHE];
    int nkeyed;
    int busy_cancelled;  /* the last wait was given up on request */
    /* row counts of whole registers, valid while nothing has changed the
     * file: not this connection (total_changes), nor another (data_version) */
    int64_t *counts;     /* per table, -1: not counted */
    /* per table: the next rid to give a new row in this write transaction
     * (0: not read yet), written back to minreg_seq by db_commit */
    int64_t *next_rid;
    int commit_constraint;   /* the last db_commit failed on a constraint */
    int64_t count_dv, count_tc;
    /* the one progress handler (db.c progress): a scoped tick function
     * (db_ticks, sorts, searches), called every tick_every handler calls,
     * and the front end's cancel hook, asked at every call */
    db_progress_fn tick_fn;
    void *tick_arg;
    int tick_every, tick_count;
    int (*cancel_fn)(void *arg);
    void *cancel_arg;
    int interrupted;     /* the last interrupt came from the handler */
    /* the schema comparison (db_trust.c) */
    char **trust_items;  /* the objects at fault */
    int ntrust_items;
    char *ro_reason;     /* DB_RO_UNTRUSTED / DB_RO_FULL: in words */
    char *trust_note;    /* why no comparison was made, or NULL */
};

struct cursor {
    sqlite3_stmt *st;
    const table *t;
    char err[256];
    int code;               /* the SQLite code of the failure err describes */
    const char *path;       /* the register's file, for the error record */
    char (*num)[NUM_MAX];   /* per column: REAL values formatted by us */
    struct scan *scan;      /* a scan split over threads (db_scan.c), or NULL */
    sqlite3_stmt *pin;      /* holds its snapshot open */
};

sqlite3_stmt *stmt_cached(db *d, const char *sql);
/* Is an SQLite code one of a damaged file?  db_err_damaged fills e with
 * what to tell the clerk then (EXIT_DB). */
int db_code_damaged(int code);
/* The folder holding path (malloc'd). */
char *db_dir_of(const char *path);
void db_err_damaged(const char *path, mr_err *e);
/* How text v of a column of type `type` is stored, as SQLite's column
 * affinity makes it: 1 an integer, 2 a real, 0 text (db_audit.c). */
int db_as_stored(col_type type, const char *v);
/* the same, and (kind 2, x not NULL) the REAL it is stored as */
int db_as_stored_num(col_type type, const char *v, double *x);
/* db_chain.c: the canonical text of a value a clerk wrote into a column
 * (text, as the write path binds it) and of a stored value (column i of
 * st); 0 when NULL (nothing written), 1 a value, 2 the empty string. */
int canon_text(col_type type, const char *v, buf *out);
int canon_col(sqlite3_stmt *st, int i, buf *out);
/* A canonical value as text again (what a clerk typed, for messages). */
void canon_show(const buf *c, buf *out);
/* The row sum of canonical values (have[] as canon_* returned). */
void db_sum_texts(const table *t, buf *vals, const int *have, unsigned char out[DB_SUM],
                  unsigned char *fout);
/* The digest of change id chained after prev (NULL: the first); -1 when
 * it cannot be read. */
int db_digest_change(db *d, int64_t id, const unsigned char *prev, unsigned char out[32]);
/* Chain every change made in this transaction (db_commit, before COMMIT). */
int db_chain_pending(db *d);
/* The rid a new row of t gets (db_audit.c); 0 on error. */
int64_t db_next_rid(db *d, const table *t);
/* Raise minreg_seq's marks to the rids given in this transaction (before
 * COMMIT), or forget them (after ROLLBACK). */
int db_seq_save(db *d);
void db_seq_forget(db *d);
/* The statement `build` writes for (kind, t, ci), prepared on first use and
 * returned reset, with no bindings; NULL on error. */
sqlite3_stmt *stmt_keyed(db *d, int kind, const table *t, int ci, sql_build_fn build);
void put_ident(buf *b, const char *id);
/* Each filter takes two parameters, ?2i+1 and ?2i+2 (a range's bounds):
 * a statement's own parameters come after FILTER_PARAMS(nf). */
#define FILTER_PARAMS(nf) (2 * (nf))
void put_where(buf *q, const table *t, const db_filter *f, int nf);
/* " ORDER BY col [DESC], rowid [DESC]" with empty cells last either way;
 * sort_ci < 0: by rowid. */
void put_order(buf *q, const table *t, int sort_ci, int desc);
void bind_filters(sqlite3_stmt *st, const db_filter *f, int nf);
void put_select_as(buf *q, const table *t, const char *alias);
cursor *cursor_prepare(db *d, const table *t, const char *sql, mr_err *e);
/* A second connection to d's file, opened as d was, with minreg's SQL
 * functions: for a worker thread. */
int db_open_same(db *d, sqlite3 **out);

/* db_migrate.c: bring a register of schema `version` up to
 * MINREG_SCHEMA_VERSION, one transaction per step. */
int db_migrate(db *d, int version, mr_err *e);

/* Set d's scoped tick function (NULL: none), called about every `ops`
 * virtual machine steps of any statement; see struct db. */
void db_tick_set(db *d, db_progress_fn fn, void *arg, int ops);

/* db_trust.c: compare d's schema with the one data/schema.sql makes.
 * Fills d->trust_items (and returns their number: 0 when it matches), or
 * returns -1 with d->trust_note set when it cannot tell. */
int trust_compare(db *d);
void trust_free(db *d);

/* db_scan.c: c->st is sql, which ends "AND rowid BETWEEN ?np+1 AND ?np+2 (np = FILTER_PARAMS(nf))
 * ORDER BY rowid [DESC]" with the filters f bound; scan_start splits it
 * over threads when it can (c->scan set), else binds every rowid. */
void scan_start(db *d, cursor *c, const char *sql, const db_filter *f, int nf, int desc);
int scan_next(cursor *c);
int scan_own(const cursor *c);   /* the current row is c->st's */
const char *scan_val(cursor *c, int ci, int *is_num, double *num);
int64_t scan_rowid(const cursor *c);
void scan_end(cursor *c);
/* While the scan waits for a worker's chunk, fn(arg) is asked now and then
 * (nonzero: stop; cursor_next then fails with "cancelled").  The statements
 * themselves are interrupted by the connection's progress handler. */
void scan_on_wait(cursor *c, int (*fn)(void *), void *arg);

/* ---- shared between the files of the db module -------------------------- */
/* db.c: once per process, before the first connection (SQLite's log hook). */
void db_lib_init(void);
/* db.c: the system's reason for the last I/O error on h ("No space left on
 * device"), into out. */
void db_io_reason(sqlite3 *h, const char *path, char *out, size_t n);
/* db_load.c: read the register description into d->s; the schema version
 * check (0, or -1 with e filled; see db_open). */
int db_load_schema(db *d, mr_err *e);
int db_check_version(db *d, mr_err *e);
/* db_func.c: regexp() and mr_rowmatch() on connection h. */
void db_add_functions(sqlite3 *h);
/* db_filter.c: "mr_rowmatch(?param, alias.c1, ...)", a pattern over a row. */
void put_any_rx(buf *q, const table *t, const char *alias, int param);
/* db_query.c: the key column and single-column UNIQUE columns of t, at most
 * max, into out: their number. */
int db_unique_cols(db *d, const table *t, int *out, int max, int *n, mr_err *e);   /* 0, or -1 with e */

/* db_query.c: the rowids a whole-table scan that only regular expressions
 * filter keeps, in rowid order (desc: reversed), split over threads; NULL
 * when the filters are not only regular expressions. */
cursor *rx_rowids(db *d, const table *t, const db_filter *f, int nf, int desc, mr_err *e);

#endif
