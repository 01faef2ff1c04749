/* db_int.h — shared by the files of the db module (db.c, db_audit.c) only.
 * Nothing outside src/core/db*.c includes this: the rest of minreg sees db.h. */
#ifndef MINREG_DB_INT_H
#define MINREG_DB_INT_H

#include <sqlite3.h>

#include "buf.h"
#include "db.h"

#define STMT_CACHE 48

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
    int busy_cancelled;  /* the last wait was given up on request */
};

struct cursor {
    sqlite3_stmt *st;
    const table *t;
    char err[256];
    char (*num)[32];   /* per column: REAL values formatted by us */
};

sqlite3_stmt *stmt_cached(db *d, const char *sql);
void put_ident(buf *b, const char *id);
void put_where(buf *q, const table *t, const db_filter *f, int nf);
void bind_filters(sqlite3_stmt *st, const db_filter *f, int nf);
void put_select_as(buf *q, const table *t, const char *alias);
cursor *cursor_prepare(db *d, const table *t, const char *sql, mr_err *e);

#endif
