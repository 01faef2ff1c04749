/* edit_int.h — shared by edit.c and edit_undo.c only. */
#ifndef MINREG_EDIT_INT_H
#define MINREG_EDIT_INT_H

#include "change.h"
#include "edit.h"

/* 1 when d may be written; else 0, r->code EDIT_REFUSED and e saying why. */
int edit_writable(db *d, edit_result *r, mr_err *e);
/* The end of every write: the change committed (ok) or rolled back; r->code. */
int edit_finish(chg *w, int ok, edit_result *r, mr_err *e);
/* Links into the row changed from now[] to vals[] (see edit.c). */
int edit_links_guard(db *d, const table *t, const char *const *now, const char *const *vals,
                     int cascade, chg *w, int64_t own, const char *reverting, int *linked,
                     mr_err *e);

#endif
