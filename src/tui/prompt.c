/* prompt.c — reading a line on the message line: the search, filter and
 * ":" prompts and a form's field.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "config.h"

#include <curses.h>
#include <string.h>

#include "core/text.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

/* Read a line on the message line, starting from `initial`.  Returns 1 on
 * Enter, 0 on Esc (or when the input ends). */
int tui_prompt(const char *prefix, const char *initial, buf *out)
{
    return tui_prompt_live(prefix, initial, out, NULL, NULL);
}

int tui_prompt_live(const char *prefix, const char *initial, buf *out,
                    void (*changed)(const char *text, void *arg), void *arg)
{
    buf_reset(out);
    if (initial)
        buf_puts(out, initial);
    buf b = BUF_INIT;
    int rc = 0, edited;
    for (;;) {
        buf_reset(&b);
        buf_printf(&b, "%s%s", prefix, buf_str(out));
        T.prompt = buf_str(&b);   /* drawn by draw_all, so redraws and dumps show it */
        tui_draw_all();
        int w = text_width(buf_str(&b));
        if (!T.o.script) {
            curs_set(1);
            move(LINES - 1, w < COLS ? w : COLS - 1);
            refresh();
        }
        uint32_t ch;
        int r = tui_next_input(&ch);
        if (!T.o.script)
            curs_set(0);
        edited = 0;
        if (r == IN_EOF || r == IN_SIGNAL) {
            T.running = 0;
            break;
        }
        if (r == IN_KEY && ch == KEY_RESIZE)
            continue;
        if (r == IN_CHAR && (ch == '\r' || ch == '\n')) {
            rc = 1;
            break;
        }
        if (r == IN_CHAR && (ch == 27 || ch == 3))
            break;
        if ((r == IN_KEY && ch == KEY_BACKSPACE) || (r == IN_CHAR && (ch == 127 || ch == 8))) {
            if (out->len == 0)
                continue;
            utf8_chop(out);
            edited = 1;
        } else if (r == IN_CHAR && ch == 0x15) {   /* ^U: clear the line */
            buf_reset(out);
            edited = 1;
        } else if (r == IN_CHAR && ch >= 0x20 && ch != 0x7f) {
            utf8_append(out, ch);
            edited = 1;
        }
        if (edited && changed) {
            buf_reset(&T.msg);
            T.msg_error = 0;
            changed(buf_str(out), arg);
        }
    }
    T.prompt = NULL;
    buf_free(&b);
    return rc;
}
