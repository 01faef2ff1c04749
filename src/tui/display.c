/* display.c — the terminal: curses set-up and restore, signals, colours,
 * drawing, the title/status/message lines, the progress line, the Esc
 * check during long work, and the y/N questions.
 *
 * Signals only set a flag; the loop notices it, restores the terminal and
 * exits.  Nothing draws from a signal handler.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

volatile sig_atomic_t got_signal;

const char *tui_readonly_text(void)
{
    static buf b;
    if (!db_readonly_reason(T.d))
        return _("read-only: opened with -r, or the file or its folder is not writable");
    buf_reset(&b);
    buf_printf(&b, _("read-only: %s"), db_readonly_reason(T.d));
    return buf_str(&b);
}
int screen_rows(void) { return LINES - 3 > 0 ? LINES - 3 : 0; }
int screen_cols(void) { return COLS; }
/* The line and the sort arrows are East Asian ambiguous characters: a
 * terminal that draws those wide (--ambiguous wide) would give them two
 * columns where the layout has one, so there they are ASCII too. */
int tui_ascii_glyphs(void) { return T.o.ascii || text_ambiguous_wide(); }
const char *glyph_vline(void) { return tui_ascii_glyphs() ? "|" : "│"; }
const char *glyph_sort(int desc) { return tui_ascii_glyphs() ? (desc ? "v" : "^") : (desc ? "▼" : "▲"); }
const char *glyph_pending(void) { return tui_ascii_glyphs() ? "..." : "…"; }

int tui_hanging_up(void)
{
    return got_signal == SIGHUP || got_signal == SIGTERM || T.term_gone;
}

/* ---- terminal setup and restore ----------------------------------------- */

void tui_restore(void)
{
    if (T.curses_on) {
        T.curses_on = 0;
        if (T.o.mouse)
            mousemask(0, NULL);
        endwin();
        if (T.out)
            fflush(T.out);
    }
}

static void on_signal(int sig) { got_signal = sig; }

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: a blocked read returns so the loop sees the flag */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static const short pair_colors[][2] = {
    [ATTR_HEADER] = {COLOR_YELLOW, -1}, [ATTR_SELECTED] = {COLOR_BLACK, COLOR_CYAN},
    [ATTR_TITLE] = {COLOR_WHITE, COLOR_BLUE}, [ATTR_STATUS] = {COLOR_BLACK, COLOR_WHITE},
    [ATTR_GROUP] = {COLOR_GREEN, -1}, [ATTR_LINK] = {COLOR_CYAN, -1},
    [ATTR_DIM] = {COLOR_BLUE, -1}, [ATTR_MARK] = {COLOR_BLACK, COLOR_YELLOW},
    [ATTR_COUNT] = {COLOR_MAGENTA, -1},
};

static attr_t attr_of(int a)
{
    static const attr_t mono[] = {
        [ATTR_NORMAL] = A_NORMAL, [ATTR_HEADER] = A_BOLD | A_UNDERLINE,
        [ATTR_SELECTED] = A_REVERSE, [ATTR_TITLE] = A_REVERSE | A_BOLD,
        [ATTR_STATUS] = A_REVERSE, [ATTR_GROUP] = A_BOLD, [ATTR_LINK] = A_NORMAL,
        [ATTR_DIM] = A_DIM, [ATTR_MARK] = A_BOLD | A_STANDOUT, [ATTR_COUNT] = A_NORMAL,
    };
    attr_t at = mono[a];
    if (T.colors && a != ATTR_NORMAL)
        at = (at & (A_BOLD | A_UNDERLINE)) | COLOR_PAIR(a);
    if (T.colors && (a == ATTR_SELECTED || a == ATTR_TITLE || a == ATTR_STATUS))
        at = COLOR_PAIR(a) | (a == ATTR_TITLE ? A_BOLD : 0);
    return at;
}

int tui_curses_start(mr_err *e)
{
    const char *term = getenv("TERM");
    if (T.o.script) {
        char v[16];
        snprintf(v, sizeof v, "%d", T.o.rows);
        setenv("LINES", v, 1);
        snprintf(v, sizeof v, "%d", T.o.cols);
        setenv("COLUMNS", v, 1);
        T.out = fopen("/dev/null", "w");
        /* the input is a pipe the key script's <raw ...> writes bytes into,
         * so curses itself decodes the escape sequences terminals send */
        int fds[2];
        if (pipe(fds) < 0) {
            err_set(e, EXIT_IO, "pipe: %s", strerror(errno));
            return -1;
        }
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        T.in = fdopen(fds[0], "r");
        T.raw_fd = fds[1];
        if (!term || !*term || strcmp(term, "dumb") == 0)
            term = "xterm-256color";
    } else {
        T.out = stdout;
        T.in = stdin;
    }
    T.scr = newterm(term, T.out, T.in);
    if (!T.scr) {
        err_set(e, EXIT_USAGE, _("cannot use the terminal type '%s'"), term ? term : "");
        return -1;
    }
    T.curses_on = 1;
    atexit(tui_restore);
    xalloc_set_die_hook(tui_restore);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    keys_define_sequences();
    set_escdelay(25);
    curs_set(0);
    if (T.o.mouse)
        mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
                  NULL);
    T.colors = !T.o.script && has_colors() && !getenv("NO_COLOR");
    if (T.colors) {
        start_color();
        use_default_colors();
        for (int i = 1; i < (int)(sizeof pair_colors / sizeof *pair_colors); i++)
            init_pair((short)i, pair_colors[i][0], pair_colors[i][1]);
    }
    catch_signals();
    return 0;
}

/* ---- drawing ---------------------------------------------------------------- */

void draw_text(int y, int x, int cols, const char *s, int attr, int right)
{
    if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
        return;
    if (x + cols > COLS)
        cols = COLS - x;
    buf b = BUF_INIT;
    text_cell(&b, s ? s : "", cols, right);
    attrset(attr_of(attr));
    mvaddstr(y, x, buf_str(&b));
    attrset(A_NORMAL);
    buf_free(&b);
}

void draw_fill(int y, int x, int cols, int attr) { draw_text(y, x, cols, "", attr, 0); }

/* Row y's wide characters cut by a box from column x0 to x1 (its borders
 * included): one that starts left of x0 and one that starts at x1 and runs
 * on past it.  Found by walking the row from its start, so that two like
 * 金金 are told apart. */
static void cut_chars(int y, int x0, int x1, int *left, int *right)
{
    *left = *right = 0;
    for (int x = 0; x < COLS && x <= x1;) {
        cchar_t cc;
        wchar_t wc[CCHARW_MAX + 1] = {0};
        attr_t at;
        short pair;
        int w = 1;
        if (mvin_wch(y, x, &cc) != ERR && getcchar(&cc, wc, &at, &pair, NULL) != ERR && wc[0])
            w = wcwidth(wc[0]) > 1 ? 2 : 1;
        if (w == 2 && x == x0 - 1)
            *left = 1;
        if (w == 2 && x == x1)
            *right = 1;
        x += w;
    }
}

/* A framed box over the screen: rows y .. y+h-1 and columns x .. x+w-1
 * inside, the frame around them.  A wide character the frame would cut in
 * two is blanked whole, so the terminal is never given half of one. */
void draw_box(int y, int x, int h, int w, int attr)
{
    int ascii = tui_ascii_glyphs();
    const char *hl = ascii ? "-" : "─", *vl = glyph_vline();
    for (int r = y - 1; r <= y + h; r++) {
        int left, right;
        if (r < 0 || r >= LINES)
            continue;
        cut_chars(r, x - 1, x + w, &left, &right);
        if (left)
            draw_text(r, x - 2, 1, " ", ATTR_NORMAL, 0);
        if (right && x + w + 1 < COLS)
            draw_text(r, x + w + 1, 1, " ", ATTR_NORMAL, 0);
        int edge = r == y - 1 || r == y + h;
        const char *l = !edge ? vl : ascii ? "+" : r < y ? "┌" : "└";
        const char *rr = !edge ? vl : ascii ? "+" : r < y ? "┐" : "┘";
        draw_text(r, x - 1, 1, l, attr, 0);
        draw_text(r, x + w, 1, rr, attr, 0);
        if (edge) {
            buf b = BUF_INIT;
            for (int i = 0; i < w; i++)
                buf_puts(&b, hl);
            draw_text(r, x, w, buf_str(&b), attr, 0);
            buf_free(&b);
        }
    }
}

void tui_message(const char *fmt, ...)
{
    va_list ap;
    buf_reset(&T.msg);
    va_start(ap, fmt);
    buf_vprintf(&T.msg, fmt, ap);
    va_end(ap);
    T.msg_error = 0;
}

/* "minreg: MSG" on stderr (outside the screen: a key script, a start that
 * failed), escaped: a file name or a key script may hold anything. */
void tui_warn(const char *fmt, ...)
{
    buf m = BUF_INIT, out = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    buf_puts(&out, "minreg: ");
    text_escape(&out, m.s ? m.s : "", m.len);
    buf_putc(&out, '\n');
    fwrite(out.s, 1, out.len, stderr);
    buf_free(&m);
    buf_free(&out);
}

void tui_error(const mr_err *e)
{
    buf_reset(&T.msg);
    buf_puts(&T.msg, e->msg);
    T.msg_error = 1;
}

void tui_draw_all(void)
{
    tui_notice_others();
    tui_compose();
    refresh();
}

/* Lay the whole screen out in ncurses' buffer, sending nothing. */
void tui_compose(void)
{
    erase();
    buf b = BUF_INIT;
    buf_puts(&b, "minreg");
    if (T.top->ops->title) {
        buf_puts(&b, " — ");
        T.top->ops->title(T.top, &b);
    }
    draw_text(0, 0, COLS, buf_str(&b), ATTR_TITLE, 0);
    if (LINES >= 3)
        T.top->ops->draw(T.top);
    buf_reset(&b);
    T.top->ops->status(T.top, &b);
    if (T.o.readonly) {
        buf_puts(&b, "  ");
        buf_puts(&b, _("[read-only]"));
    }
    /* While a prompt is open it has the last line; a message (a bad
     * pattern while typing) then takes the status line. */
    if (LINES >= 2)
        draw_text(LINES - 2, 0, COLS, T.prompt && T.msg.len ? buf_str(&T.msg) : buf_str(&b),
                  T.prompt && T.msg.len && T.msg_error ? ATTR_MARK : ATTR_STATUS, 0);
    draw_text(LINES - 1, 0, COLS, T.prompt ? T.prompt : buf_str(&T.msg),
              !T.prompt && T.msg_error ? ATTR_MARK : ATTR_NORMAL, 0);
    buf_free(&b);
    if (T.overlay)
        T.overlay(T.overlay_arg);
}

void tui_redraw(void) { tui_draw_all(); }

void tui_set_overlay(void (*fn)(void *), void *arg)
{
    /* what an overlay covered is sent again whole when it closes: the
     * terminal's copy of the cells under it is not trusted (a wide
     * character it was given half of stayed broken until ^L) */
    if (T.overlay && !fn && T.curses_on)
        redrawwin(stdscr);
    T.overlay = fn;
    T.overlay_arg = arg;
}

void tui_data_changed(void) { T.data_version++; }
unsigned tui_data_version(void) { return T.data_version; }

/* Another clerk committed (SQLite's data_version moved): every screen reads
 * its rows again when next drawn, as after a write of this one's own. */
void tui_notice_others(void)
{
    int64_t v;
    /* not known: nothing noticed now; what the screen reads next meets
     * the error and says it */
    if (db_data_version(T.d, &v, NULL) != 0 || v == T.file_version)
        return;
    if (T.file_version >= 0)
        tui_data_changed();
    T.file_version = v;
}

void tui_progress(const char *what, int64_t done, int64_t all)
{
    if (T.o.script || !T.curses_on)
        return;
    char line[256];
    if (all > 0)
        snprintf(line, sizeof line, "%s %lld/%lld (%d%%)  %s", what, (long long)done,
                 (long long)all, (int)(100 * done / all), _("Esc or Ctrl-C cancels"));
    else
        snprintf(line, sizeof line, "%s %lld  %s", what, (long long)done, _("Esc or Ctrl-C cancels"));
    draw_text(LINES - 1, 0, COLS, line, ATTR_NORMAL, 0);
    refresh();
}

int tui_cancel_requested(void)
{
    if (got_signal == SIGINT) {
        got_signal = 0;
        return 1;
    }
    if (got_signal)
        return 1;   /* SIGTERM/SIGHUP: stop the work, the loop then exits */
    if (T.o.script) {
        /* <cancel>: as if Esc were pressed while the work that asks next runs */
        int armed = T.cancel_armed;
        T.cancel_armed = 0;
        return armed;
    }
    nodelay(stdscr, TRUE);
    int ch = getch(), cancel = 0;
    while (ch != ERR) {
        if (ch == 27 || ch == 3)
            cancel = 1;
        ch = getch();
    }
    nodelay(stdscr, FALSE);
    return cancel;
}

/* the question is the message line while it is asked: every redraw (a
 * resize, a screen dump) shows it */
int tui_choose(const char *question, const char *keys)
{
    buf_reset(&T.msg);
    buf_puts(&T.msg, question);
    T.msg_error = 1;
    tui_draw_all();
    uint32_t ch;
    int r;
    while ((r = tui_key(&ch)) == IN_KEY && ch == KEY_RESIZE)
        tui_draw_all();
    buf_reset(&T.msg);
    T.msg_error = 0;
    return r == IN_CHAR && ch > 0 && ch < 128 && strchr(keys, (int)ch) ? (int)ch : 0;
}

int tui_confirm(const char *question)
{
    buf q = BUF_INIT;
    buf_printf(&q, "%s %s ", question, _("(y/N)"));
    int yes = tui_choose(buf_str(&q), "yY") != 0;
    buf_free(&q);
    return yes;
}

typedef struct confirm_text {
    const char *body, *question;
} confirm_text;

/* The body over the screen, each line wrapped to the width (after escaping,
 * so what is measured is what is drawn), and the question on the last line:
 * an overlay, so redraws and dumps show it. */
static void draw_confirm_text(void *arg)
{
    const confirm_text *c = arg;
    int y = 1, last = LINES - 3;
    for (const char *p = c->body; *p && y <= last;) {
        size_t n = strcspn(p, "\n");
        buf line = BUF_INIT;
        text_escape(&line, p, n);
        const char *q = buf_str(&line);
        int first = 1;
        do {
            int used, x = first ? 0 : 4, cols = COLS - x;
            size_t k = cols > 0 ? text_fit(q, cols, &used) : strlen(q);
            if (k == 0)
                k = strlen(q);   /* narrower than one character: cut */
            buf part = BUF_INIT;
            buf_add(&part, q, k);
            if (y == last && (q[k] || p[n]))
                buf_puts(&part, "…");
            move(y, 0);
            clrtoeol();
            draw_text(y, x, cols, buf_str(&part), ATTR_NORMAL, 0);
            buf_free(&part);
            q += k;
            first = 0;
            y++;
        } while (*q && y <= last);
        buf_free(&line);
        p += n;
        if (*p == '\n')
            p++;
    }
    for (; y <= LINES - 2; y++) {
        move(y, 0);
        clrtoeol();
    }
    buf qb = BUF_INIT;
    buf_printf(&qb, "%s %s ", c->question, _("(y/N)"));
    draw_text(LINES - 1, 0, COLS, buf_str(&qb), ATTR_MARK, 0);
    buf_free(&qb);
}

int tui_confirm_text(const char *body, const char *question)
{
    confirm_text c = {body, question};
    void (*keep)(void *) = T.overlay;
    void *keep_arg = T.overlay_arg;
    tui_set_overlay(draw_confirm_text, &c);
    int r;
    uint32_t ch;
    do {
        tui_draw_all();
        r = tui_key(&ch);
    } while (r == IN_KEY && ch == KEY_RESIZE);
    tui_set_overlay(keep, keep_arg);
    return r == IN_CHAR && (ch == 'y' || ch == 'Y');
}

void tui_error_text(const char *msg)
{
    buf_reset(&T.msg);
    buf_puts(&T.msg, msg);
    T.msg_error = 1;
}
