/* edit.h — the one write path: validate, write, audit, in one transaction.
 *
 * Forms and the CLI (add/set/rm/undo/redo) come through here, imports
 * through import.c; both write only through the change object (change.h),
 * so every change lands in the audit trail with who, when, old and new.
 * A change someone else made after a form was opened is never overwritten:
 * edit_set merges field by field what the clerk read (base), what the
 * clerk wants (mine) and what is there now (theirs), and refuses only
 * where both changed the same field.
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

/* A field both clerks changed, to different values, since base was read. */
typedef struct edit_conflict {
    int ci;
    char *base, *mine, *theirs;       /* NULL: empty */
} edit_conflict;

typedef struct edit_result {
    int code;
    vissue issues[EDIT_MAX_ISSUES];   /* EDIT_INVALID: what is wrong, per field */
    int nissues;
    char **theirs;                    /* EDIT_CONFLICT: the row as it is now (ncols);
                                         NULL when it was deleted */
    int ntheirs;
    edit_conflict *conflicts;         /* EDIT_CONFLICT: the fields both changed */
    int nconflicts;
    int deleted;                      /* EDIT_CONFLICT: the record is gone (deleted,
                                         or another row now in its place) */
    int linked;                       /* EDIT_REFUSED: rows that link to what would be
                                         renamed or removed (again with EDIT_CASCADE
                                         changes them too); 0: refused for another reason */
    int kept;                         /* EDIT_OK: fields only someone else had changed,
                                         left as they made them */
    int64_t read_at;                  /* EDIT_CONFLICT: the newest change when theirs
                                         was read (edit_set_opts.read_at for the next try) */
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
/* Change a row by a three-way merge.  base: the row as the clerk read it
 * (NULL: no check, every field of vals that differs from now is written);
 * vals: the row as the clerk wants it.  Per field: changed only by the clerk
 * (vals != base, now == base): written; only by someone else: kept as now;
 * by both to the same value: nothing to do; by both to different values: a
 * conflict.  Any conflict: EDIT_CONFLICT, r->conflicts lists each with base,
 * mine and theirs, r->theirs is the row now, nothing is written.  The row
 * gone: EDIT_CONFLICT with r->deleted.  The merged row is validated whole;
 * the audit records only the fields written. */
int edit_set(db *d, const table *t, int64_t rowid, const char *const *base,
             const char *const *vals, const char *comment, int flags, edit_result *r, mr_err *e);

typedef struct edit_set_opts {
    /* ncols values or NULL; each non-NULL one must be what that column holds
     * now, else a conflict (set --expect: the script's read-modify-write) */
    const char *const *expect;
    /* the newest change (db_change_max) when base was read, -1: not known.
     * A later change that deleted the row or put a row in its place makes
     * it EDIT_CONFLICT with r->deleted: never a write into another record. */
    int64_t read_at;
    int flags;          /* EDIT_CASCADE, as for edit_set */
} edit_set_opts;
int edit_set_ex(db *d, const table *t, int64_t rowid, const char *const *base,
                const char *const *vals, const edit_set_opts *o, const char *comment,
                edit_result *r, mr_err *e);
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
/* What edit_undo(0) and edit_redo would revert, its change id into *id:
 * DB_FOUND, DB_NOT_FOUND (none, *id = 0), or DB_ERROR with e filled. */
int edit_undo_target(db *d, int64_t *id, mr_err *e);
int edit_redo_target(db *d, int64_t *id, mr_err *e);
/* Append to out what change did, for a clerk about to undo it: who, when
 * (local time), the summary and comment, then each field old → new and
 * each row added or removed, at most max of them (then "… and N more").
 * DB_FOUND, DB_NOT_FOUND (no such change), or DB_ERROR with e filled. */
int edit_describe(db *d, int64_t change, int max, buf *out, mr_err *e);

/* Record rowid's boundary set to canonical text (boundary.h; NULL: none):
 * one audited change, undone like any other; the same text again records
 * nothing (r->change 0). */
int edit_set_boundary(db *d, const table *t, int64_t rowid, const char *text, const char *comment,
                      edit_result *r, mr_err *e);

/* Shared by the writers of src/core (edit.c, life.c): two values the same
 * (NULL and "" alike); a row's current values (ncols strings, NULL for SQL
 * NULL; NULL when the row is gone) and their free. */
int edit_same(const char *a, const char *b);
char **edit_read_row(db *d, const table *t, int64_t rowid);
void edit_free_row(char **v, int n);

#endif
