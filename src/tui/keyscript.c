/* keyscript.c — the test hooks: key scripts and screen dumps.
 *
 * In script mode (--script FILE) there is no terminal: curses draws to
 * /dev/null, the keys come from the script, and <dump> prints the screen
 * as text, so the screen tests compare it with an expected file.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "config.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

/* ---- screen dumps (test hook) -------------------------------------------------- */


/* A dump shows the screen complete, whatever was put off; <dump pending>
 * shows it as a terminal first gets it, before the put-off work. */
void script_dump(int pending)
{
    tui_notice_others();
    if (!pending) {
        tui_compose();   /* screens read again what another clerk changed, then */
        tui_idle_all();  /* ... the put-off work on what they now show */
    }
    tui_draw_all();
    /* Text has no attributes: say which lines are highlighted (the cursor). */
    buf sel = BUF_INIT;
    for (int y = 1; y < LINES - 2; y++)
        if (mvinch(y, COLS - 1) & A_REVERSE)   /* selected lines are filled to the edge */
            buf_printf(&sel, "%s%d", sel.len ? "," : "", y);
    printf("--- screen %d: %dx%d, cursor on line %s ---\n", ++T.ndumps, COLS, LINES,
           sel.len ? buf_str(&sel) : "-");
    buf_free(&sel);
    wchar_t *w = xmalloc(sizeof(wchar_t) * (size_t)(COLS + 1));
    buf line = BUF_INIT;
    for (int y = 0; y < LINES; y++) {
        int n = mvinnwstr(y, 0, w, COLS);
        buf_reset(&line);
        for (int i = 0; i < n && w[i]; i++) {
            char mb[8];
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t k = wcrtomb(mb, w[i], &st);
            if (k != (size_t)-1)
                buf_add(&line, mb, k);
        }
        while (line.len && line.s[line.len - 1] == ' ')
            line.s[--line.len] = '\0';
        printf("%s\n", buf_str(&line));
    }
    buf_free(&line);
    free(w);
    fflush(stdout);
}

/* ---- input: the terminal or a key script ------------------------------------------ */

static const struct { const char *name; int code; int is_key; } named_keys[] = {
    {"Enter", '\r', 0}, {"Esc", 27, 0}, {"Up", KEY_UP, 1}, {"Down", KEY_DOWN, 1},
    {"Left", KEY_LEFT, 1}, {"Right", KEY_RIGHT, 1}, {"PgUp", KEY_PPAGE, 1},
    {"PgDn", KEY_NPAGE, 1}, {"Home", KEY_HOME, 1}, {"End", KEY_END, 1},
    {"BS", KEY_BACKSPACE, 1}, {"Del", KEY_DC, 1}, {"Tab", '\t', 0}, {"S-Tab", KEY_BTAB, 1}, {"Space", ' ', 0}, {"lt", '<', 0},
    {"F1", KEY_F(1), 1},
};

static void raw_write(const char *s)
{
    buf b = BUF_INIT;
    for (; *s; s++) {
        unsigned v;
        if (s[0] == '\\' && s[1] == 'e')
            buf_putc(&b, 27), s++;
        else if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1)
            buf_putc(&b, (char)v), s += 3;
        else if (s[0] == '\\' && s[1] == '\\')
            buf_putc(&b, '\\'), s++;
        else
            buf_putc(&b, *s);
    }
    if (b.len && write(T.raw_fd, b.s, b.len) != (ssize_t)b.len)
        tui_warn("%s", _("key script: <raw> could not be sent"));
    buf_free(&b);
}

/* Next event from the key script.  Syntax: literal characters, <Name> for
 * the keys above, <C-x> for control keys, <dump>, <dump pending>,
 * <resize WxH>, <raw BYTES> (bytes as a terminal sends them, such as
 * \e[1~, decoded by curses), <cursor> (prints the prompt cursor's column),
 * <cancel> (the next long operation's first check for Esc
 * finds one: a cancel made deterministic); lines that start with '#' are
 * comments; newlines are ignored. */
int script_next(uint32_t *ch, int *rw, int *rh)
{
    for (;;) {
        if (T.spos >= T.sline.len) {
            char *line = NULL;
            size_t cap = 0;
            ssize_t n;
            do {
                n = getline(&line, &cap, T.script);
            } while (n > 0 && line[0] == '#');
            if (n <= 0) {
                free(line);
                return IN_EOF;
            }
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                line[--n] = '\0';
            buf_reset(&T.sline);
            buf_add(&T.sline, line, (size_t)n);
            T.spos = 0;
            free(line);
            continue;
        }
        const char *s = T.sline.s + T.spos;
        if (*s == '<') {
            const char *end = strchr(s, '>');
            if (end) {
                char name[256];
                size_t len = (size_t)(end - s - 1);
                if (len < sizeof name) {
                    memcpy(name, s + 1, len);
                    name[len] = '\0';
                    T.spos += len + 2;
                    if (strcmp(name, "dump") == 0)
                        return IN_DUMP;
                    if (strcmp(name, "dump pending") == 0)
                        return IN_DUMP_PENDING;
                    /* <cursor>: where the prompt's cursor is */
                    if (strcmp(name, "cursor") == 0) {
                        if (T.prompt)
                            printf("--- prompt cursor at column %d ---\n", T.prompt_cx);
                        else
                            printf("--- prompt cursor: no prompt open ---\n");
                        continue;
                    }
                    /* <raw BYTES>: the bytes a terminal would send (\e, \xHH,
                     * \\), decoded by curses as a terminal's are */
                    if (strncmp(name, "raw ", 4) == 0) {
                        raw_write(name + 4);
                        return IN_RAW;
                    }
                    if (strcmp(name, "cancel") == 0) {
                        T.cancel_armed = 1;
                        continue;
                    }
                    if (strncmp(name, "other ", 6) == 0 && T.o.other) {
                        fflush(stdout);
                        T.o.other(name + 6);
                        fflush(stdout);
                        continue;
                    }
                    if (sscanf(name, "resize %dx%d", rw, rh) == 2)
                        return IN_RESIZE;
                    /* <signal HUP|TERM|INT>: the signal itself, raised, so
                     * the handler and the loop take the real path */
                    if (strncmp(name, "signal ", 7) == 0) {
                        const char *sn = name + 7;
                        raise(strcmp(sn, "HUP") == 0 ? SIGHUP : strcmp(sn, "TERM") == 0 ? SIGTERM
                                                                                          : SIGINT);
                        return IN_NONE;
                    }
                    /* <wheel up>, <wheel down>: a step of the mouse wheel */
                    if (strcmp(name, "wheel up") == 0 || strcmp(name, "wheel down") == 0) {
                        T.wheel = name[6] == 'u' ? -1 : 1;
                        *ch = KEY_MOUSE;
                        return IN_WHEEL;
                    }
                    /* <click Y>, <dclick Y>: the mouse on screen line Y */
                    if (sscanf(name, "click %d", &T.click_y) == 1 ||
                        sscanf(name, "dclick %d", &T.click_y) == 1) {
                        T.click_double = name[0] == 'd';
                        *ch = KEY_MOUSE;
                        return IN_CLICK;
                    }
                    if (strncmp(name, "C-", 2) == 0 && name[2] && !name[3]) {
                        *ch = (uint32_t)(name[2] & 0x1f);
                        return IN_CHAR;
                    }
                    for (size_t i = 0; i < sizeof named_keys / sizeof *named_keys; i++)
                        if (strcmp(name, named_keys[i].name) == 0) {
                            *ch = (uint32_t)named_keys[i].code;
                            return named_keys[i].is_key ? IN_KEY : IN_CHAR;
                        }
                    tui_warn(_("key script: unknown key <%s>"), name);
                    continue;
                }
            }
        }
        int k = utf8_decode(s, T.sline.len - T.spos, ch);
        if (k < 0) {
            k = 1;
            *ch = (unsigned char)*s;
        }
        T.spos += (size_t)k;
        return IN_CHAR;
    }
}
