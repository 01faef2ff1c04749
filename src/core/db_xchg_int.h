/* db_xchg_int.h — what the files of the exchange (db_xchg*.c) share; no other
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
#ifndef MINREG_DB_XCHG_INT_H
#define MINREG_DB_XCHG_INT_H

#include <stdint.h>
#include <sqlite3.h>

#include "buf.h"
#include "change.h"
#include "db_int.h"
#include "schema.h"
#include "xchg.h"

/* The first line of a change file: format 2 (changesets), 1 (text rows). */
#define MAGIC "MINREG-EXCHANGE\t2\n"
#define MAGIC1 "MINREG-EXCHANGE\t1\n"   /* the same length */

#include "site.h"

/* ---- db_xchg.c: the line format, the site and its partners ---- */
static inline const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}
/* A tab and s escaped (\\ \t \n \r; NULL as \N). */
void xchg_esc(buf *b, const char *s);
/* line (modified in place) split at tabs into at most max fields, unescaped
 * (NULL for \N); the number of fields. */
int xchg_split(char *line, char **f, int max);
int64_t xchg_num64(const char *s);
/* REGISTER.key (malloc'd). */
char *xchg_key_path(db *d);
/* The chain digest of change id, in hex ("" when none). */
void xchg_digest_of(db *d, int64_t id, char *out, size_t n);
/* This register's site, or -1 with e: it is none. */
int xchg_need_self(db *d, xchg_site *s, mr_err *e);
/* Partner site (by name or code) into p: 0, or -1 not one. */
int xchg_partner_get(db *d, const char *site, int code, xchg_site *p);
int xchg_find_partner(db *d, const char *site, xchg_site *p, mr_err *e);

/* ---- db_xchg_merge.c: a partner's changes merged here ---- */
typedef struct {
    db *d;
    chg *c;
    xchg_site from;
    int county;               /* the sender is a county: its rows only */
    site_rule rule;           /* the sender's (site.h) */
    int64_t their_id;
    xchg_stats *st;
    buf scratch;
    int64_t bulk_site;        /* the site range (rid / 10^9) of the rows added as runs, +1; 0: none yet */
} app_ctx;
char **xchg_row_vals(db *d, const table *t, int64_t rid);   /* NULL: no row (or unread) */
/* A row's JSON as values (always allocated; xchg_vals_free them). */
char **xchg_json_vals(db *d, const table *t, const char *json);
void xchg_vals_free(const table *t, char **v);
int xchg_same(const column *c, const char *a, const char *b);
char *xchg_json_of(app_ctx *a, const table *t, int64_t rid);  /* the row's JSON, or NULL */
/* Row rid of t made what json says (NULL: no row), through the change. */
int xchg_make_row(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json, mr_err *e);
const table *xchg_line_table(app_ctx *a, const char *id, mr_err *e);
/* A format-1 line's change (I, U, D) and a resolution (R), merged. */
int xchg_apply_insert(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json, mr_err *e);
int xchg_apply_update(app_ctx *a, const table *t, int64_t rid, const char *key, const char *field,
                      const char *old, const char *new_, mr_err *e);
int xchg_apply_delete(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json, mr_err *e);
int xchg_apply_resolved(app_ctx *a, const table *t, int64_t rid, const char *key, const char *field,
                        const char *value, mr_err *e);
/* An S line's changeset (base64), change by change. */
int xchg_apply_cset(app_ctx *a, const char *b64, mr_err *e);

/* ---- db_xchg_cset.c: changesets ---- */

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

/* The values of a row's JSON as db_row_json writes it (the columns in
 * order), without a statement a row: the exporter's rows; NULL when the
 * text is not of that shape (then db_json_values reads it). */
char **cset_json_values(const table *t, const char *json);
/* The row as JSON ({"col": "text" or null, ...}), as conflicts keep it. */
void cset_json(const table *t, char *const *vals, buf *out);

#endif
