/* draft.h — a form's unsaved input, kept on disk when the session ends
 * without the clerk's word (the SSH link drops: SIGHUP; SIGTERM; the
 * terminal gone), and offered when that clerk next opens the record, as vim
 * offers its swap file.  A draft is never written to the register: only the
 * clerk's save in the form does that.
 *
 * One file per register file and record (or per register, for a new
 * record) under $XDG_STATE_HOME/minreg (default ~/.local/state/minreg):
 * the folder is made 0700, the file 0600, written to a temporary file and
 * renamed, so a draft is whole or absent.  It holds the values the form
 * opened with (the base of the merge when it is saved) and the clerk's.
 */
#ifndef MINREG_DRAFT_H
#define MINREG_DRAFT_H

#include <stdint.h>

#include "err.h"
#include "schema.h"

typedef struct draft {
    int64_t rowid;        /* the record, -1: a new one */
    int64_t read_at;      /* the newest change when the form read the row */
    char at[32];          /* when it was kept (UTC) */
    char **base, **mine;  /* t->ncols values each (NULL: empty) */
    int ncols;
} draft;

/* The draft's file for register file dbfile, register t and record rowid
 * (-1: a new record); NULL when there is no home folder to put it in. */
char *draft_path(const char *dbfile, const table *t, int64_t rowid);

/* Write d to path atomically (mode 0600, the folder 0700). */
int draft_save(const char *path, const char *dbfile, const table *t, const draft *d, mr_err *e);

/* Read the draft at path for dbfile and t: 1 read (free it with
 * draft_free), 0 none, -1 there but unreadable or not this record's. */
int draft_load(const char *path, const char *dbfile, const table *t, draft *d);
void draft_free(draft *d);

/* Remove the draft at path (none there is fine). */
void draft_remove(const char *path);

#endif
