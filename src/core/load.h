/* load.h — loading a CSV file into a register (the seed data; import builds on it). */
#ifndef MINREG_LOAD_H
#define MINREG_LOAD_H

#include "db.h"

/* Append the rows of the CSV file at path to t, inside the caller's
 * transaction.  The header row names columns by id or Chinese label.
 * skip_comments: leading '#' lines are notes (the seed files' sources). */
int load_csv(db *d, const table *t, const char *path, int skip_comments, mr_err *e);

#endif
