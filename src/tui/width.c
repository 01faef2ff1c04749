/* width.c — ncurses measures characters with our widths.
 *
 * ncursesw places every character it is given by calling wcwidth().  glibc's
 * wcwidth counts East Asian ambiguous characters (“”·①×) as one column, so
 * on a terminal that draws them two columns wide (PuTTY's "treat CJK
 * ambiguous characters as wide", many Chinese Windows setups) ncurses' idea
 * of the screen and the terminal's would part after the first one, and
 * every later redraw on that line would land one column off.  This
 * definition, in the executable, is the one the shared ncursesw library's
 * calls resolve to (the executable comes first in symbol lookup), so ncurses
 * counts exactly as text.c does when it fits cells: its tables, and
 * --ambiguous.  Anything minreg draws has been escaped by text.c first, so
 * the -1 of a control character is never met on screen. */
#include <wchar.h>

#include "../core/text.h"

int wcwidth(wchar_t wc)
{
    if (wc == 0)
        return 0;
    if (wc < 0 || (unsigned long)wc > 0x10FFFF)
        return -1;
    return cp_width((uint32_t)wc);
}
