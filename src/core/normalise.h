/* normalise.h — the Excel habits in a cell, undone (every import).
 *
 * What Chinese Excel and WPS leave in cells that mean one plain value:
 *   NORM_SPACE  leading and trailing blanks: spaces, U+3000 (full-width
 *               space) and U+00A0 (no-break space) — not TAB or CR, which
 *               a cell may hold on purpose;
 *   NORM_WIDTH  full-width digits, signs and points (０-９ ＋ － ．, and
 *               Ａ-Ｚ in codes) in numbers, dates, years and codes (a text
 *               column with a pattern, or the key);
 *   NORM_DATE   in a date column: 2019/5/1, 2019-5-1, 2019.5.1,
 *               2019年5月1日, 20190501, a midnight time after any of them
 *               ("2019/5/1 0:00"), and Excel serial numbers (43586, the
 *               1900 system) — each as 2019-05-01.
 * An import counts the cells changed of each kind and says so; --strict
 * refuses such a cell instead.
 */
#ifndef MINREG_NORMALISE_H
#define MINREG_NORMALISE_H

#include "buf.h"
#include "schema.h"

enum { NORM_SPACE, NORM_WIDTH, NORM_DATE, NORM_KINDS };

/* Is s (a value of column c of table t) written the Excel way?  Then 1,
 * the register's form in out, and the kinds (1 << NORM_x) in *kinds; else
 * 0 and out untouched.  A date that is no date (2019/13/1) is left to the
 * validator, as written. */
int norm_cell(const table *t, int ci, const char *s, buf *out, unsigned *kinds);

/* "spaces trimmed", ... (translated) */
const char *norm_kind_name(int kind);

#endif
