/* db_int.h — shared by the files of the db module (db.c, db_audit.c) only.
 * Nothing outside src/core/db*.c includes this: the rest of minreg sees db.h. */
#ifndef MINREG_DB_INT_H
#define MINREG_DB_INT_H

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "num.h"

#define STMT_CACHE 48
#define KEYED_CACHE 96

/* Statements the write path runs per row, cached by what they are rather
 * than by their SQL text: no SQL is built or compared on the hot path. */
enum { SK_FIND_BY = 1, SK_EXISTS_OTHER, SK_ROW_INSERT, SK_ROW_UPDATE, SK_ROW_DELETE,
       SK_AUDIT_INSERT, SK_AUDIT_DELETE, SK_AUDIT_INSERT_ALL, SK_AUDIT_DELETE_ALL, SK_JSON_VALUES,
       SK_AUDIT_ADDED, SK_ADDED_NOTE };
typedef void (*sql_build_fn)(buf *q, const table *t, int ci, int kind);

struct db {
    sqlite3 *h;
    char *path;
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
    int64_t count_dv, count_tc;
};

struct cursor {
    sqlite3_stmt *st;
    const table *t;
    char err[256];
    char (*num)[NUM_MAX];   /* per column: REAL values formatted by us */
};

sqlite3_stmt *stmt_cached(db *d, const char *sql);
/* The statement `build` writes for (kind, t, ci), prepared on first use and
 * returned reset, with no bindings; NULL on error. */
sqlite3_stmt *stmt_keyed(db *d, int kind, const table *t, int ci, sql_build_fn build);
void put_ident(buf *b, const char *id);
void put_where(buf *q, const table *t, const db_filter *f, int nf);
void bind_filters(sqlite3_stmt *st, const db_filter *f, int nf);
void put_select_as(buf *q, const table *t, const char *alias);
cursor *cursor_prepare(db *d, const table *t, const char *sql, mr_err *e);

#endif
