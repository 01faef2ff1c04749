/* db_write.h — the writes of register rows and of the audit trail.
 *
 * Included by the db layer (db*.c) and by change.c only: every other
 * module writes through the change object (change.h), so no write can
 * miss the history.  tests/cli/test_layering.sh holds that.  They run
 * inside the caller's transaction.
 */
#ifndef MINREG_DB_WRITE_H
#define MINREG_DB_WRITE_H

#include "db.h"
#include "geo.h"

/* rows */
/* Bulk insert (the seed tables of a new register, db_seed.c) of rows given as text (""/NULL = SQL NULL). */
inserter *db_inserter_new(db *d, const table *t, const int *cis, int n, mr_err *e);
int db_insert(inserter *ins, const char *const *values, mr_err *e);
void db_inserter_free(inserter *ins);

int db_row_insert(db *d, const table *t, const char *const *vals, int64_t rowid, int64_t *out,
                  mr_err *e);   /* rowid <= 0: a new one */
int db_row_update(db *d, const table *t, int64_t rowid, int ci, const char *val, mr_err *e);
int db_row_delete(db *d, const table *t, int64_t rowid, mr_err *e);

/* Audit rows recording rows of t as they are now: op "insert" puts the row
 * (as JSON) in new, "delete" in old, keyed by the key column.  One
 * statement: for row rowid, or (all) for every row of t. */
int db_audit_rows(db *d, int64_t change, const table *t, int all, int64_t rowid, const char *op,
                  mr_err *e);
int db_delete_all(db *d, const table *t, int64_t *deleted, mr_err *e);

/* Rows first..last of tbl, every one added by change: recorded as one run
 * (minreg_audit_added), not an audit row each.  db_audit_each and db_log
 * give them back as one "insert" audit row per row, with the row as added:
 * as it is now, unwound through the later changes to it. */
int db_audit_added(db *d, int64_t change, const char *tbl, int64_t first, int64_t last, mr_err *e);

/* Record the sums of rows first..first+n-1 of tbl added by change, and
 * (fsums not NULL) their field bytes, fper (the register's columns) a row. */
int db_sums_add(db *d, int64_t change, const char *tbl, int64_t first, const unsigned char *sums,
                const unsigned char *fsums, size_t fper, size_t n, mr_err *e);
/* Record the sums of t's rows first..last as they are now, for change
 * (an import's runs, before its commit). */
int db_sums_rows(db *d, int64_t change, const table *t, int64_t first, int64_t last, mr_err *e);

int64_t db_change_add(db *d, const char *at, const char *who, const char *kind, const char *tbl,
                      const char *summary, const char *comment, int64_t undoes, mr_err *e);
int db_audit_add(db *d, int64_t change, const char *tbl, int64_t row_id, const char *row_key,
                 const char *op, const char *field, const char *old, const char *new_, mr_err *e);
int db_change_set_undone(db *d, int64_t change, int64_t by, mr_err *e);

/* Record rid's boundary: shape s (one parcel) with its canonical text, its
 * rings and its box; s NULL: none.  Not audited here: chg_set_boundary. */
int db_shape_put(db *d, const char *tbl, int64_t rid, const geo_shape *s, const char *text,
                 mr_err *e);

#endif
