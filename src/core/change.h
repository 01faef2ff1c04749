/* change.h — the one change object: the only way register rows and the
 * audit trail are written.
 *
 * Forms, set/add/rm, every import mode, undo and redo open a change, write
 * rows through it and commit it.  A change is one transaction and one
 * entry of the history: each row it adds, updates or deletes is written
 * and audited in the same call, so no writer can change a row without the
 * history saying so (the chained digests of db_chain.c are made from what
 * it records, at commit).  A change that is aborted, or whose commit fails,
 * leaves the file as it was.
 *
 * Bulk adds (imports) are audited as runs of row ids at commit, with each
 * row's sum made on a worker thread as the row is handed over (rowsum.h):
 * that keeps a million-row import near the speed of a plain INSERT.
 *
 * The row and audit writers themselves (db_write.h) are included by this
 * module and the db layer only; tests/cli/test_layering.sh holds that.
 */
#ifndef MINREG_CHANGE_H
#define MINREG_CHANGE_H

#include <stdint.h>

#include "db.h"

typedef struct chg chg;

/* Begin the transaction.  NULL (e filled) if it cannot be begun. */
chg *chg_begin(db *d, mr_err *e);
/* The history entry: what kind of change (add, set, rm, import, undo,
 * redo), the register, a one-line summary, the clerk's comment, and the
 * change it reverts (0: none); who and when are edit_who()/edit_now().
 * Once per change, before any row is written.  The id, or -1 (e filled). */
int64_t chg_record(chg *c, const char *kind, const char *tbl, const char *summary,
                   const char *comment, int64_t reverts, mr_err *e);
int64_t chg_id(const chg *c);
/* A register that is a county's exchange site writes only the rows the
 * county owns (site.h): every write below refuses another's row, with
 * the reason in e.  An exchange applied holds the sender to its own rule
 * instead (db_xchg_merge.c) and turns this one off for its change. */
void chg_any_site(chg *c);
/* A change's kind as the history shows it, in the interface's language
 * (set: 修改, add: 添加...); a kind it does not know as stored. */
const char *chg_kind_text(const char *kind);

/* A row added with vals (t->ncols, NULL or "" = null); rid <= 0: a new
 * identity (put in *out), else that one (an undone rm brought back). */
int chg_insert(chg *c, const table *t, const char *const *vals, int64_t rid, int64_t *out,
               mr_err *e);
/* The same for bulk writers: audited at commit as runs, every row of one
 * register.  vals are summed as given (a row whose 序号 the register gave
 * is summed from the stored row at commit). */
int chg_insert_bulk(chg *c, const table *t, const char *const *vals, int64_t *out, mr_err *e);
/* The same at identity rid (rows that arrive from another site, which
 * keep the identity they were given there: xchg.h). */
int chg_insert_bulk_at(chg *c, const table *t, const char *const *vals, int64_t rid, int64_t *out,
                       mr_err *e);
/* May chg_insert_bulk rows of t be added to c (none of another register)? */
int chg_bulk_table(const chg *c, const table *t);
/* Did chg_insert_bulk add row rid in this change (and it is still in)? */
int chg_added(chg *c, int64_t rid);
/* A row chg_insert_bulk added taken out again, before it was audited (an
 * import's row rejected once the whole file is in). */
int chg_unadd(chg *c, const table *t, int64_t rid, mr_err *e);
/* Field ci of row rid set from old to val (NULL or "": null); key: the
 * row's key as the audit names it. */
int chg_update(chg *c, const table *t, int64_t rid, const char *key, int ci, const char *old,
               const char *val, mr_err *e);
/* Row rid deleted, its values kept in the audit. */
int chg_delete(chg *c, const table *t, int64_t rid, mr_err *e);
/* Every row of t deleted (import --replace), each kept in the audit. */
int chg_delete_all(chg *c, const table *t, int64_t *deleted, mr_err *e);
/* Record rid's boundary set to text (canonical, boundary.h; NULL or "":
 * none), audited as field BOUNDARY_FIELD with the old text; the same text
 * again writes nothing.  A register minreg_boundary_tables does not name
 * is refused. */
int chg_set_boundary(chg *c, const table *t, int64_t rid, const char *key, const char *text,
                     mr_err *e);
/* Change x is now undone by this change (by 0: in effect again). */
int chg_set_undone(chg *c, int64_t x, int64_t by, mr_err *e);

/* Audit the bulk runs, then COMMIT; the change is freed either way.  0, or
 * -1 (e filled; nothing was written). */
int chg_commit(chg *c, mr_err *e);
/* Roll back and free (NULL is fine). */
void chg_abort(chg *c);

#endif
