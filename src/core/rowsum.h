/* rowsum.h — the sums of the rows an import adds, made on a thread of
 * their own so that the import's writer only copies each row's values.
 *
 * The writer hands over each row it added (its rid and its values as
 * bound); the worker computes db_row_sum for each.  After rowsums_finish,
 * rowsums_get gives a row's sum.  Rows come in increasing rid order.
 */
#ifndef MINREG_ROWSUM_H
#define MINREG_ROWSUM_H

#include <stdint.h>

#include "schema.h"

typedef struct rowsums rowsums;

rowsums *rowsums_new(const table *t);
/* The row rid was added with vals (t->ncols of them; NULL or "" = null). */
void rowsums_add(rowsums *q, int64_t rid, const char *const *vals);
/* Wait until every row handed over has its sum. */
void rowsums_finish(rowsums *q);
/* After rowsums_finish: rid's sum (DB_SUM bytes), or NULL if it was not
 * handed over. */
const unsigned char *rowsums_get(const rowsums *q, int64_t rid);
/* The same row's field bytes (t->ncols of them), or NULL. */
const unsigned char *rowsums_fget(const rowsums *q, int64_t rid);
void rowsums_free(rowsums *q);

#endif
