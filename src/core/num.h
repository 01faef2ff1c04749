/* num.h — REAL values as text, the way clerks typed them.
 *
 * A REAL leaves the register with 15 significant digits (the precision
 * every double round-trips decimal text through): 457.2456 stays 457.2456,
 * 100.0 is 100, 0.1+0.2 is 0.3.  Unlike printf's %.15g it never writes an
 * exponent between 1e-10 and 1e21 — 0.00005, not 5e-05 — because minreg
 * reads decimals without exponents; so an export imports back unchanged.
 */
#ifndef MINREG_NUM_H
#define MINREG_NUM_H

#include <stddef.h>

#define NUM_MAX 40   /* room for any result, with the NUL */

/* Format x into out (NUM_MAX bytes); returns the length. */
int num_format(double x, char *out);

#endif
