/* links.h — a record's links, both ways, as the schema describes them.
 *
 * Links out: every link column's value (each item of a multi-valued one) and
 * the row it names, plus the rows of registers keyed by that row (a
 * mineral's minimum scale).  Links in: for every column of every register
 * that links here, how many rows point at this record.  `get` and the record
 * screen both print these; neither knows a register by name.
 */
#ifndef MINREG_LINKS_H
#define MINREG_LINKS_H

#include <stdint.h>

#include "db.h"

typedef struct link_out {
    int ci;             /* the link column of the record (for ext: of the row above) */
    int ext;            /* 1: a register keyed by the previous entry's target */
    char *value;        /* the item as stored */
    int ti;             /* target register */
    int found;
    int64_t rowid;      /* target row, when found */
    char *key, *label;  /* target row's key and label, when found */
} link_out;

typedef struct link_in {
    int ti, ci;         /* the register and its column pointing here */
    char *value;        /* the value it holds (this record's linked column) */
    int64_t count;
} link_in;

/* row: a cursor positioned on a row of t. */
int links_out_get(db *d, const table *t, cursor *row, link_out **out);
/* links_in_get: how many entries *out holds, or -1 with e filled (a count
 * failed: never "nothing links here"). */
int links_in_get(db *d, const table *t, cursor *row, link_in **out, mr_err *e);
/* Every row of every register whose link column names value, t's column
 * ci (for a multi-valued column: lists it), to fn with that register, the
 * column and the row.  fn returns nonzero to stop (returned); -1 on error. */
typedef int (*links_row_fn)(void *arg, const table *u, int uci, int64_t rowid);
int links_rows_each(db *d, const table *t, int ci, const char *value, links_row_fn fn, void *arg);
/* Is column ci of t the target of another register's link? */
int links_is_target(db *d, const table *t, int ci);
void links_out_free(link_out *l, int n);
void links_in_free(link_in *l, int n);

#endif
