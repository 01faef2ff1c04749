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

#define EDIT_MAX_ISSUES 32

typedef struct edit_result {
    int code;
    vissue issues[EDIT_MAX_ISSUES];   /* EDIT_INVALID: what is wrong, per field */
    int nissues;
    char **theirs;                    /* EDIT_CONFLICT: the row as it is now (ncols) */
    int ntheirs;
    int64_t rowid;                    /* the row added or changed */
    int64_t change;                   /* the change recorded */
} edit_result;

void edit_result_free(edit_result *r);

/* Who and when, as the audit trail records them: $USER plus the SSH_CLIENT
 * address; UTC ISO 8601 ($MINREG_NOW overrides, for tests). */
const char *edit_who(void);
const char *edit_now(void);

/* Each returns the result code; EDIT_ERROR and EDIT_REFUSED also fill e. */
int edit_add(db *d, const table *t, const char *const *vals, const char *comment,
             edit_result *r, mr_err *e);
/* seen: the row as the clerk read it (NULL: no conflict check). */
int edit_set(db *d, const table *t, int64_t rowid, const char *const *seen,
             const char *const *vals, const char *comment, edit_result *r, mr_err *e);
/* Refused when other rows link to this one (e lists them). */
int edit_rm(db *d, const table *t, int64_t rowid, const char *comment, edit_result *r, mr_err *e);
/* Undo a change (0: the last one still in effect); refused, with the reason,
 * when a later change touched the same fields. */
int edit_undo(db *d, int64_t change, const char *comment, edit_result *r, mr_err *e);
/* Redo: undo the last undo, if nothing was changed since. */
int edit_redo(db *d, const char *comment, edit_result *r, mr_err *e);

/* Audit helpers for bulk writers (import): record a row added or deleted in
 * an open change. */
int edit_audit_insert(db *d, int64_t change, const table *t, int64_t rowid, mr_err *e);
int edit_audit_delete(db *d, int64_t change, const table *t, int64_t rowid, mr_err *e);

#endif
