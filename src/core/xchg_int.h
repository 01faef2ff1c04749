/* xchg_int.h — what the files of the exchange (db_xchg*.c) share; no other
 * module includes it.
 *
 * The rows of a change travel as changesets of SQLite's session extension
 * (db_xchg_cset.c).  A register table t is the changeset table of the same
 * name with t->ncols + 2 columns: 0 the rid (the primary key, INTEGER),
 * 1..ncols the register's columns (TEXT or NULL, the canonical text minreg
 * stores), ncols + 1 the record's boundary (boundary.h; field @boundary of
 * the audit trail).  A row added or deleted carries every column; an
 * update carries the rid and, old and new, the fields it changed: the other
 * columns are "undefined", as in a changeset the session extension records,
 * which is what the field-level merge needs. */
#ifndef MINREG_XCHG_INT_H
#define MINREG_XCHG_INT_H

#include <stdint.h>

#include "buf.h"
#include "schema.h"

/* A changeset being written, a change at a time, in the session
 * extension's binary format (sqlite3changeset_start reads it back). */
typedef struct cset_w {
    buf b;
    const table *t;   /* the table of the last header written */
    int64_t n;        /* changes in it */
} cset_w;
#define CSET_W_INIT {BUF_INIT, NULL, 0}

/* A row added (vals: t->ncols values, NULL for SQL NULL). */
void cset_insert(cset_w *w, const table *t, int64_t rid, char *const *vals);
/* A row deleted as it was. */
void cset_delete(cset_w *w, const table *t, int64_t rid, char *const *vals);
/* One field of a row changed: ci a column, or t->ncols for the boundary. */
void cset_update(cset_w *w, const table *t, int64_t rid, int ci, const char *old, const char *new_);
/* Start again, empty (memory kept). */
void cset_reset(cset_w *w);
void cset_free(cset_w *w);

/* A change read from a changeset: CSET_INSERT and CSET_DELETE with vals
 * (t->ncols values; boundary: the record's boundary, or NULL), CSET_UPDATE
 * once for each field changed, with ci (t->ncols: the boundary), old and
 * new.  Return nonzero to stop (returned, e filled by the callback). */
enum { CSET_INSERT = 1, CSET_UPDATE, CSET_DELETE };
typedef struct cset_change {
    int op;
    const table *t;
    int64_t rid;
    char **vals;
    const char *boundary;
    int ci;
    const char *old, *new_;
} cset_change;
typedef int (*cset_fn)(void *arg, const cset_change *c, mr_err *e);
/* Read the n-byte changeset blob with sqlite3changeset_start and call fn
 * for each change, in order; a table schema s does not have, a shape that is
 * not the table's, a value of another type or a damaged changeset is
 * refused (EXIT_DATA).  0, or -1 / fn's nonzero. */
int cset_each(const schema *s, const void *blob, int n, cset_fn fn, void *arg, mr_err *e);

/* The row as JSON ({"col": "text" or null, ...}), as conflicts keep it. */
void cset_json(const table *t, char *const *vals, buf *out);

#endif
