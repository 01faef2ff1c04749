/* edit.h — the one write path: validate, write, audit, in one transaction.
 *
 * Forms, the CLI (add/set/rm/undo/redo) and imports all come through here,
 * so every change is validated the same way and lands in the audit trail
 * with who, when, old and new.  A change someone else made after a form was
 * opened is never overwritten: edit_set compares what the clerk saw with
 * what is there now and refuses on any difference.
 */
#ifndef MINREG_EDIT_H
#define MINREG_EDIT_H

#include <stdint.h>

#include "db.h"
#include "validate.h"

enum { EDIT_OK = 0, EDIT_INVALID, EDIT_CONFLICT, EDIT_REFUSED, EDIT_ERROR };

/* flags: a key or linked value other rows name may be renamed (set) or
 * removed (rm) only with EDIT_CASCADE, which changes those rows too, in the
 * same audited change; without it the write is refused, naming them. */
enum { EDIT_CASCADE = 1 };

#define EDIT_MAX_ISSUES 32

typedef struct edit_result {
    int code;
    vissue issues[EDIT_MAX_ISSUES];   /* EDIT_INVALID: what is wrong, per field */
    int nissues;
    char **theirs;                    /* EDIT_CONFLICT: the row as it is now (ncols) */
    int ntheirs;
    int64_t rowid;                    /* the row added or changed */
    int64_t change;                   /* the change recorded */
    int64_t reverted;                 /* undo, redo: the change they reverted */
} edit_result;

void edit_result_free(edit_result *r);

/* Who and when, as the audit trail records them: $USER plus the SSH_CLIENT
 * address; UTC ISO 8601 ($MINREG_NOW overrides, for tests). */
const char *edit_who(void);
const char *edit_now(void);
const char *edit_user(void);                    /* $USER, without the address */
const char *edit_local_time(const char *utc);   /* an audit time, local: "2026-11-30 16:00" */

/* Each returns the result code; EDIT_ERROR and EDIT_REFUSED also fill e. */
int edit_add(db *d, const table *t, const char *const *vals, const char *comment,
             edit_result *r, mr_err *e);
/* seen: the row as the clerk read it (NULL: no conflict check). */
int edit_set(db *d, const table *t, int64_t rowid, const char *const *seen,
             const char *const *vals, const char *comment, int flags, edit_result *r, mr_err *e);
/* Refused when other rows link to this one (e lists them), unless
 * EDIT_CASCADE: then their links to it are cleared (refused where the
 * link is required). */
int edit_rm(db *d, const table *t, int64_t rowid, const char *comment, int flags, edit_result *r,
            mr_err *e);
/* Undo a change; 0: the current user's own latest change still in effect
 * (edit_undo_target), whoever changed what since.  Before writing, each row
 * the change touched must still hold what the change left (its key, each
 * field's new value; a removed row's key free), no later change in effect
 * may have touched it, and no row may link to what the undo renames or
 * removes: otherwise refused, exit 6, naming the later change or the row,
 * with nothing written. */
int edit_undo(db *d, int64_t change, const char *comment, edit_result *r, mr_err *e);
/* Redo: undo the current user's last undo, if that user changed nothing
 * since; checked as undo is. */
int edit_redo(db *d, const char *comment, edit_result *r, mr_err *e);
/* What edit_undo(0) and edit_redo would revert: a change id, 0 for none. */
int64_t edit_undo_target(db *d);
int64_t edit_redo_target(db *d);
/* Append to out what change did, for a clerk about to undo it: who, when
 * (local time), the summary and comment, then each field old → new and
 * each row added or removed, at most max of them (then "… and N more").
 * 0 if there is no such change. */
int edit_describe(db *d, int64_t change, int max, buf *out);

/* Audit helpers for bulk writers (import): record a row added or deleted in
 * an open change. */
int edit_audit_insert(db *d, int64_t change, const table *t, int64_t rowid, mr_err *e);
int edit_audit_delete(db *d, int64_t change, const table *t, int64_t rowid, mr_err *e);

#endif
