/* num.h — REAL values as text, the way clerks typed them.
 *
 * A REAL leaves the register with the fewest significant digits, 15 to 17,
 * that read back as exactly the value stored: 457.2456 stays 457.2456,
 * 100.0 is 100, and 3.1415926535897932 (typed with 17 digits) comes back
 * as typed, so export -> import never changes a stored value.  (A computed
 * 0.1+0.2 is 0.30000000000000004: what is stored, not what looks nice.)
 * Unlike printf's %g it never writes an exponent between 1e-10 and 1e21 —
 * 0.00005, not 5e-05 — because minreg reads decimals without exponents.
 */
#ifndef MINREG_NUM_H
#define MINREG_NUM_H

#include <stddef.h>

#define NUM_MAX 40   /* room for any result, with the NUL */

/* Format x into out (NUM_MAX bytes); returns the length. */
int num_format(double x, char *out);

#endif
