/* keys.c — the request table and the key bindings, as data.
 *
 * REQ_INFO (tui.h) lists every request once; bindings[] says which keys
 * make which request, and with what label the help screen and the man page
 * show them; sequences[] teaches curses the escape sequences that common
 * terminals send for Home, End, Ins, Del, PgUp/PgDn and F1–F12 when their
 * TERM description does not (PuTTY with TERM=xterm sends \e[1~ for Home),
 * so that none arrives as Esc followed by letters (Esc is Back, '[' and
 * '1' are actions too).  key_request() is the only place a key becomes a
 * request.  No action is reachable only through Alt, Ctrl-Enter or shifted
 * arrows: PuTTY and tmux do not send those reliably.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/tui.h"

#define CTRL(c) ((c) & 0x1f)

#define REQ_ROW_(id, name, help) {REQ_##id, name, help},
const action actions[] = {REQ_INFO(REQ_ROW_)};
#undef REQ_ROW_
const int nactions = sizeof actions / sizeof *actions;

typedef struct binding {
    int is_key;         /* code is a curses KEY_* code, else a character */
    uint32_t code;
    request req;
    const char *label;  /* as help shows it; NULL: not shown (a synonym) */
} binding;

#define K(code, req, label) {1, (uint32_t)(code), req, label}
#define C(code, req, label) {0, (uint32_t)(code), req, label}

/* For each request, its shown keys in the order help lists them. */
static const binding bindings[] = {
    K(KEY_UP, REQ_UP, "↑"),           C('k', REQ_UP, "k"),
    K(KEY_DOWN, REQ_DOWN, "↓"),       C('j', REQ_DOWN, "j"),
    K(KEY_LEFT, REQ_LEFT, "←"),       C('h', REQ_LEFT, "h"),
    K(KEY_RIGHT, REQ_RIGHT, "→"),     C('l', REQ_RIGHT, "l"),
    K(KEY_PPAGE, REQ_PAGE_UP, "PgUp"), C(CTRL('b'), REQ_PAGE_UP, "^B"),
    K(KEY_NPAGE, REQ_PAGE_DOWN, "PgDn"), C(CTRL('f'), REQ_PAGE_DOWN, "^F"),
    C(' ', REQ_PAGE_DOWN, "Space"),
    C(CTRL('u'), REQ_HALF_UP, "^U"),
    C(CTRL('d'), REQ_HALF_DOWN, "^D"),
    C(CTRL('y'), REQ_SCROLL_UP, "^Y"),
    C(CTRL('e'), REQ_SCROLL_DOWN, "^E"),
    C('g', REQ_FIRST, "g"),           K(KEY_HOME, REQ_FIRST, "Home"),
    C('G', REQ_LAST, "G"),            K(KEY_END, REQ_LAST, "End"),
    C('0', REQ_LINE_START, "0"),
    C('$', REQ_LINE_END, "$"),
    C('\r', REQ_ENTER, "Enter"),      C('\n', REQ_ENTER, NULL), K(KEY_ENTER, REQ_ENTER, NULL),
    C('q', REQ_BACK, "q"),            K(KEY_BACKSPACE, REQ_BACK, "Backspace"),
    C(127, REQ_BACK, NULL),           C(CTRL('h'), REQ_BACK, NULL),
    C(27, REQ_BACK, "Esc"),
    C(']', REQ_NEXT_RECORD, "]"),
    C('[', REQ_PREV_RECORD, "["),
    C('s', REQ_SORT_ASC, "s"),
    C('S', REQ_SORT_DESC, "S"),
    C('>', REQ_WIDER, ">"),
    C('<', REQ_NARROWER, "<"),
    C('a', REQ_ADD, "a"),
    C('e', REQ_EDIT, "e"),
    C('c', REQ_DUPLICATE, "c"),
    C('D', REQ_DELETE, "D"),
    C('w', REQ_SAVE, "w"),
    C('W', REQ_SAVE_COMMENT, "W"),
    C('E', REQ_EVENT, "E"),
    C('u', REQ_UNDO, "u"),
    C(CTRL('r'), REQ_REDO, "^R"),
    C('L', REQ_HISTORY, "L"),
    C('H', REQ_HOME, "H"),
    C('/', REQ_SEARCH, "/"),
    C('n', REQ_FIND_NEXT, "n"),
    C('N', REQ_FIND_PREV, "N"),
    C('&', REQ_FILTER, "&"),
    C('=', REQ_FILTER_EQ, "="),
    C('x', REQ_UNFILTER, "x"),
    C('X', REQ_UNFILTER_ALL, "X"),
    C('F', REQ_FREQ, "F"),
    C('P', REQ_PROBLEMS, "P"),
    C('R', REQ_SUMMARY, "R"),
    C('t', REQ_THEIRS, "t"),
    C('m', REQ_MINE, "m"),
    C('M', REQ_MAP, "M"),
    C('\t', REQ_NEIGHBOUR, "Tab"),
    K(KEY_BTAB, REQ_PREV_NEIGHBOUR, "S-Tab"),
    C('+', REQ_ZOOM_IN, "+"),
    C('-', REQ_ZOOM_OUT, "-"),
    C(':', REQ_PROMPT, ":"),
    /* ? is help on every screen, as the home screen's status line says;
     * N after / searches backward (and :search-back asks for a pattern) */
    C('?', REQ_HELP, "?"),
    K(KEY_F(1), REQ_HELP, "F1"),
    C(CTRL('l'), REQ_REDRAW, "^L"),
    C('Q', REQ_QUIT, "Q"),
};

/* Escape sequences of common terminals, whatever TERM says.  Those the
 * terminal description already has are left as it defines them. */
static const struct { const char *seq; int code; } sequences[] = {
    /* Home and End: xterm (normal and application mode), PuTTY, screen,
     * tmux and the Linux console (\e[1~ \e[4~), rxvt (\e[7~ \e[8~) */
    {"\033[H", KEY_HOME}, {"\033OH", KEY_HOME}, {"\033[1~", KEY_HOME}, {"\033[7~", KEY_HOME},
    {"\033[F", KEY_END}, {"\033OF", KEY_END}, {"\033[4~", KEY_END}, {"\033[8~", KEY_END},
    {"\033[2~", KEY_IC}, {"\033[3~", KEY_DC},
    /* the arrows in both cursor-key modes: a terminal left in (or put
     * back to) the normal mode sends \e[D where the description says \eOD */
    {"\033[A", KEY_UP}, {"\033[B", KEY_DOWN}, {"\033[C", KEY_RIGHT}, {"\033[D", KEY_LEFT},
    {"\033OA", KEY_UP}, {"\033OB", KEY_DOWN}, {"\033OC", KEY_RIGHT}, {"\033OD", KEY_LEFT},
    {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE},
    /* F1-F4: xterm and screen/tmux (\eOP..), PuTTY and rxvt (\e[11~..),
     * the Linux console (\e[[A..\e[[E, F5 too) */
    {"\033OP", KEY_F(1)}, {"\033OQ", KEY_F(2)}, {"\033OR", KEY_F(3)}, {"\033OS", KEY_F(4)},
    {"\033[11~", KEY_F(1)}, {"\033[12~", KEY_F(2)}, {"\033[13~", KEY_F(3)}, {"\033[14~", KEY_F(4)},
    {"\033[[A", KEY_F(1)}, {"\033[[B", KEY_F(2)}, {"\033[[C", KEY_F(3)}, {"\033[[D", KEY_F(4)},
    {"\033[[E", KEY_F(5)},
    {"\033[15~", KEY_F(5)}, {"\033[17~", KEY_F(6)}, {"\033[18~", KEY_F(7)}, {"\033[19~", KEY_F(8)},
    {"\033[20~", KEY_F(9)}, {"\033[21~", KEY_F(10)}, {"\033[23~", KEY_F(11)}, {"\033[24~", KEY_F(12)},
};

void keys_define_sequences(void)
{
    for (size_t i = 0; i < sizeof sequences / sizeof *sequences; i++)
        if (key_defined(sequences[i].seq) == 0)
            define_key(sequences[i].seq, sequences[i].code);
}

const action *action_by_name(const char *name)
{
    for (int i = 0; i < nactions; i++)
        if (strcmp(actions[i].name, name) == 0)
            return &actions[i];
    return NULL;
}

request key_request(int is_key_code, uint32_t ch)
{
    for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
        if (bindings[i].is_key == !!is_key_code && bindings[i].code == ch)
            return bindings[i].req;
    return REQ_NONE;
}

void action_keys(request req, buf *out)
{
    size_t start = out->len;
    for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
        if (bindings[i].req == req && bindings[i].label)
            buf_printf(out, "%s%s", out->len ? " " : "", bindings[i].label);
    /* an action with no key of its own is run by its name after : */
    for (int i = 0; out->len == start && i < nactions; i++)
        if (actions[i].req == req)
            buf_printf(out, "%s:%s", out->len ? " " : "", actions[i].name);
}

void keys_print_roff(void)
{
    buf k = BUF_INIT;
    for (int i = 0; i < nactions; i++) {
        buf_reset(&k);
        action_keys(actions[i].req, &k);
        printf(".TP\n.B %s\n", buf_str(&k));
        for (const char *p = actions[i].help; *p; p++)
            printf(*p == '\\' ? "\\e" : *p == '-' ? "\\-" : "%c", *p);
        printf("\n");
    }
    buf_free(&k);
    printf(".SH COMMANDS\n"
           "Typed after \\fB:\\fR; generated from the command table.  "
           "\\fB:\\fIREGISTER\\fR opens a register by id, alias or title, and "
           "\\fB:\\fIname\\fR runs any action above by its name.\n");
    commands_print_roff();
}
