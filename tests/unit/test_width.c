/* test_width.c — ncurses places characters by minreg's widths (src/tui/width.c):
 * with --ambiguous wide, “ takes two columns in ncurses' own screen model, so
 * what follows it is drawn where the terminal will show it. */
#include "config.h"
#include <curses.h>
#include <locale.h>
#include <stdio.h>

#include "../../src/core/text.h"
#include "tap.h"

/* the column after drawing s at the start of line y */
static int after(int y, const char *s)
{
    mvaddstr(y, 0, s);
    return getcurx(stdscr);
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        printf("1..0 # SKIP no C.UTF-8 locale\n");
        return 0;
    }
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = out && in ? newterm("vt100", out, in) : NULL;
    ok(scr != NULL, "ncurses starts on a vt100 description");
    if (!scr)
        return tap_done();
    resizeterm(10, 40);

    is_int(wcwidth(0x201C), 1, "narrow: wcwidth(“) is 1");
    is_int(after(0, "“x"), 2, "narrow: ncurses puts x right after “");
    is_int(after(1, "铜x"), 3, "CJK takes two columns either way");
    is_int(after(2, "①×·x"), 4, "narrow: ① × · one column each");

    text_set_ambiguous_wide(1);
    is_int(wcwidth(0x201C), 2, "wide: wcwidth(“) is 2");
    is_int(after(3, "“x"), 3, "wide: ncurses puts x two columns after “");
    is_int(after(4, "①×·x"), 7, "wide: ① × · two columns each");
    is_int(after(5, "铜x"), 3, "wide: CJK still two");
    is_int(after(6, "abc"), 3, "wide: ASCII still one");
    is_int(wcwidth(0x0301), 0, "a combining mark is zero wide");
    is_int(wcwidth(0x1B), -1, "a control character is not printable");

    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    return tap_done();
}
