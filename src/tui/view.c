/* view.c — the shared screen machinery: curses setup and teardown, the
 * input loop, the view stack, the title/status/message lines, the ":"
 * prompt, and the test hooks (key scripts and screen dumps).
 *
 * Signals only set a flag; the loop notices it, restores the terminal and
 * exits.  Nothing draws from a signal handler.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "core/edit.h"
#include "core/i18n.h"
#include "core/text.h"
#include "tui/tui.h"

static struct {
    db *d;
    tui_opts o;
    view *top;
    int running;
    int curses_on;
    SCREEN *scr;
    FILE *out, *in;         /* the terminal, or /dev/null in script mode */
    buf msg;
    int msg_error;
    int colors;
    /* key script */
    FILE *script;
    buf sline;              /* current script line */
    size_t spos;
    int ndumps;
    void (*overlay)(void *);   /* a modal pick list or dialog drawn over the screen */
    void *overlay_arg;
    unsigned data_version;     /* bumped by every write: screens re-read */
    int64_t file_version;      /* db_data_version last seen: another clerk's commits */
    int click_y, click_double; /* the last <click Y> or <dclick Y> of a key script */
    int cancel_armed;          /* <cancel>: the next check for Esc finds one */
    const char *prompt;        /* the prompt line being edited, drawn last */
    int term_gone;             /* the terminal's input ended (a dropped link) */
} T;

static volatile sig_atomic_t got_signal;

db *tui_db(void) { return T.d; }

const char *tui_readonly_text(void)
{
    static buf b;
    if (!db_readonly_reason(T.d))
        return _("read-only: opened with -r, or the file or its folder is not writable");
    buf_reset(&b);
    buf_printf(&b, _("read-only: %s"), db_readonly_reason(T.d));
    return buf_str(&b);
}
const tui_opts *tui_options(void) { return &T.o; }
view *view_top(void) { return T.top; }
int screen_rows(void) { return LINES - 3 > 0 ? LINES - 3 : 0; }
int screen_cols(void) { return COLS; }
/* The line and the sort arrows are East Asian ambiguous characters: a
 * terminal that draws those wide (--ambiguous wide) would give them two
 * columns where the layout has one, so there they are ASCII too. */
static int ascii_glyphs(void) { return T.o.ascii || text_ambiguous_wide(); }
const char *glyph_vline(void) { return ascii_glyphs() ? "|" : "│"; }
const char *glyph_sort(int desc) { return ascii_glyphs() ? (desc ? "v" : "^") : (desc ? "▼" : "▲"); }
const char *glyph_pending(void) { return ascii_glyphs() ? "..." : "…"; }

int tui_hanging_up(void)
{
    return got_signal == SIGHUP || got_signal == SIGTERM || T.term_gone;
}

/* ---- terminal setup and restore ----------------------------------------- */

static void tui_restore(void)
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

static int curses_start(mr_err *e)
{
    const char *term = getenv("TERM");
    if (T.o.script) {
        char v[16];
        snprintf(v, sizeof v, "%d", T.o.rows);
        setenv("LINES", v, 1);
        snprintf(v, sizeof v, "%d", T.o.cols);
        setenv("COLUMNS", v, 1);
        T.out = fopen("/dev/null", "w");
        T.in = fopen("/dev/null", "r");
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
static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
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

static void compose(void);

static void notice_others(void);

static void draw_all(void)
{
    notice_others();
    compose();
    refresh();
}

/* Lay the whole screen out in ncurses' buffer, sending nothing. */
static void compose(void)
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

void tui_redraw(void) { draw_all(); }

void tui_set_overlay(void (*fn)(void *), void *arg)
{
    T.overlay = fn;
    T.overlay_arg = arg;
}

void tui_data_changed(void) { T.data_version++; }
unsigned tui_data_version(void) { return T.data_version; }

/* Another clerk committed (SQLite's data_version moved): every screen reads
 * its rows again when next drawn, as after a write of this one's own. */
static void notice_others(void)
{
    int64_t v = db_data_version(T.d);
    if (v < 0 || v == T.file_version)
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

/* ---- the view stack ----------------------------------------------------------- */

void view_push(view *v)
{
    v->prev = T.top;
    T.top = v;
}

static void view_free(view *v)
{
    v->ops->free(v);
}

static int quitting;   /* the clerk chose to quit (drafts of what was discarded go) */

void view_pop(void)
{
    view *v = T.top;
    if (v->ops->leave && !v->ops->leave(v))
        return;
    if (!v->prev) {
        /* back from the bottom screen leaves the program: asked, as a
         * stray Esc (or a sequence the terminal garbled) must not quit */
        if (tui_confirm(_("Quit minreg?")))
            T.running = 0, quitting = 1;
        return;
    }
    T.top = v->prev;
    view_free(v);
}

/* ---- screen dumps (test hook) -------------------------------------------------- */

static void idle_all(void);

/* A dump shows the screen complete, whatever was put off; <dump pending>
 * shows it as a terminal first gets it, before the put-off work. */
static void dump_screen(int pending)
{
    notice_others();
    if (!pending) {
        compose();   /* screens read again what another clerk changed, then */
        idle_all();  /* ... the put-off work on what they now show */
    }
    draw_all();
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

enum { IN_KEY = TK_KEY, IN_CHAR = TK_CHAR, IN_EOF = TK_EOF, IN_SIGNAL = TK_SIGNAL, IN_DUMP,
       IN_DUMP_PENDING, IN_RESIZE, IN_CLICK, IN_NONE };

static const struct { const char *name; int code; int is_key; } named_keys[] = {
    {"Enter", '\r', 0}, {"Esc", 27, 0}, {"Up", KEY_UP, 1}, {"Down", KEY_DOWN, 1},
    {"Left", KEY_LEFT, 1}, {"Right", KEY_RIGHT, 1}, {"PgUp", KEY_PPAGE, 1},
    {"PgDn", KEY_NPAGE, 1}, {"Home", KEY_HOME, 1}, {"End", KEY_END, 1},
    {"BS", KEY_BACKSPACE, 1}, {"Tab", '\t', 0}, {"Space", ' ', 0}, {"lt", '<', 0},
    {"F1", KEY_F(1), 1},
};

/* Next event from the key script.  Syntax: literal characters, <Name> for
 * the keys above, <C-x> for control keys, <dump>, <dump pending>,
 * <resize WxH>, <cancel> (the next long operation's first check for Esc
 * finds one: a cancel made deterministic); lines that start with '#' are
 * comments; newlines are ignored. */
static int script_next(uint32_t *ch, int *rw, int *rh)
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
                    warn(_("key script: unknown key <%s>"), name);
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

/* ---- work put off until no key is waiting ----------------------------------------- */

/* In a key script: all of the top screen's put-off work, now. */
static void idle_all(void)
{
    while (T.top->ops->idle && T.top->ops->idle(T.top))
        ;
}

/* Is a key waiting?  It is put back for the loop to read. */
static int key_waiting(void)
{
    wint_t wc;
    nodelay(stdscr, TRUE);
    int r = get_wch(&wc);
    nodelay(stdscr, FALSE);
    if (r == ERR)
        return 0;
    if (r == KEY_CODE_YES)
        ungetch((int)wc);
    else
        unget_wch((wchar_t)wc);
    return 1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* At the terminal, the screen has been drawn and sent: do the top screen's
 * put-off work a piece at a time while no key is waiting, so a clerk never
 * waits on it to see a screen or to move (a key waits at most for the piece
 * under way).  The screen is drawn again when the work is done, or every
 * 100 ms while it goes on, not after every piece: drawing costs more than
 * counting a small register. */
static void idle_work(void)
{
    if (T.script || !T.top->ops->idle)
        return;
    double drawn = now_ms();
    int dirty = 0;
    while (!got_signal && !key_waiting()) {
        if (!T.top->ops->idle(T.top))
            break;
        dirty = 1;
        if (now_ms() - drawn >= 100) {
            draw_all();
            drawn = now_ms();
            dirty = 0;
        }
    }
    if (dirty)
        draw_all();
}

/* Wait for the next key.  Returns IN_KEY (a KEY_* code) or IN_CHAR.  Ctrl-C
 * (SIGINT, the terminal being in cbreak mode) comes as the character ^C, so
 * the screen under it decides: a prompt is cancelled, a form with changes
 * asks before the program quits. */
static int next_input(uint32_t *ch)
{
    for (;;) {
        if (got_signal == SIGINT) {
            got_signal = 0;
            *ch = 3;
            return IN_CHAR;
        }
        if (got_signal)
            return IN_SIGNAL;
        if (T.script) {
            int w, h;
            int r = script_next(ch, &w, &h);
            if (r == IN_DUMP || r == IN_DUMP_PENDING) {
                dump_screen(r == IN_DUMP_PENDING);
                continue;
            }
            if (r == IN_RESIZE) {
                resizeterm(h, w);
                *ch = KEY_RESIZE;
                return IN_KEY;
            }
            if (r == IN_NONE)
                continue;
            return r;
        }
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR) {
            if (got_signal)
                return IN_SIGNAL;
            if (errno == EINTR)
                continue;
            /* the terminal is gone (EOF on a dropped link) */
            T.term_gone = 1;
            return IN_EOF;
        }
        *ch = (uint32_t)wc;
        return r == KEY_CODE_YES ? IN_KEY : IN_CHAR;
    }
}

int tui_key(uint32_t *ch)
{
    int r = next_input(ch);
    if (r == IN_CLICK)
        r = IN_KEY;   /* KEY_MOUSE: forms and dialogs take no clicks */
    if (r == IN_EOF || r == IN_SIGNAL)
        T.running = 0;
    return r;
}

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
        draw_all();
        int w = text_width(buf_str(&b));
        if (!T.o.script) {
            curs_set(1);
            move(LINES - 1, w < COLS ? w : COLS - 1);
            refresh();
        }
        uint32_t ch;
        int r = next_input(&ch);
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

/* Quitting with a form's input not saved asks first (every way out: Q,
 * :q, Ctrl-C). */
static int quit_ok(void)
{
    for (view *v = T.top; v; v = v->prev)
        if (v->ops->unsaved && v->ops->unsaved(v))
            return tui_confirm(_("Quit minreg and discard the changes in the form?"));
    return 1;
}


static void go_home(void)
{
    while (T.top->prev) {
        view *before = T.top;
        view_pop();
        if (T.top == before)
            break;   /* a form with unsaved changes stayed */
    }
}

int tui_confirm(const char *question)
{
    buf q = BUF_INIT;
    buf_printf(&q, "%s %s ", question, _("(y/N)"));
    /* the question is the message line while it is asked: every redraw
     * (a resize, a screen dump) shows it */
    buf_reset(&T.msg);
    buf_puts(&T.msg, buf_str(&q));
    T.msg_error = 1;
    draw_all();
    buf_free(&q);
    uint32_t ch;
    int r;
    while ((r = tui_key(&ch)) == IN_KEY && ch == KEY_RESIZE)
        draw_all();
    buf_reset(&T.msg);
    T.msg_error = 0;
    return r == IN_CHAR && (ch == 'y' || ch == 'Y');
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
        draw_all();
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

static void handle(request req);

/* The body line drawn as the selection (filled to the edge in reverse), or
 * -1 when the screen has none. */
static int selected_line(void)
{
    for (int y = 1; y < LINES - 2; y++)
        if (mvinch(y, COLS - 1) & A_REVERSE)
            return y;
    return -1;
}

/* The mouse on body line y: the selection goes there by the screen's own
 * up and down steps, so every screen's rules hold (headings skipped, the
 * list's ends), each step laid out in ncurses' buffer only, nothing sent
 * until the next draw; a double click then opens it, as Enter does. */
static void click(int y, int twice)
{
    if (y < 1 || y >= LINES - 2)
        return;
    compose();
    int cur = selected_line();
    for (int i = 0; i < LINES && cur >= 0 && cur != y; i++) {
        handle(cur < y ? REQ_DOWN : REQ_UP);
        compose();
        int now = selected_line();
        if (now == cur || now < 0 || (now != y && (now > y) != (cur > y)))
            break;   /* an end of the list, or y is not an item (a heading) */
        cur = now;
    }
    if (twice && cur == y)
        handle(REQ_ENTER);
}

/* A screen that computes on opening (checks, the summary): pushed, or its
 * error shown.  Opened again from itself it is recomputed, not stacked. */
static void open_computed(const char *name, view *(*make)(mr_err *))
{
    mr_err e = {0};
    view *v = make(&e);
    if (!v) {
        tui_error(&e);
        return;
    }
    if (strcmp(T.top->ops->name, name) == 0)
        view_pop();
    view_push(v);
}

/* ":" commands: global ones here, the rest go to the screen. */
static void run_command(const char *line)
{
    while (*line == ' ')
        line++;
    if (!*line)
        return;
    char cmd[64];
    const char *sp = strchr(line, ' ');
    size_t n = sp ? (size_t)(sp - line) : strlen(line);
    if (n >= sizeof cmd)
        n = sizeof cmd - 1;
    memcpy(cmd, line, n);
    cmd[n] = '\0';
    const char *arg = sp ? sp + 1 : "";
    while (*arg == ' ')
        arg++;
    if (command_run(cmd, arg))
        return;
    /* every action by its name (:problems, :summary, :next ...) */
    const action *a = action_by_name(cmd);
    if (a && !*arg && a->req != REQ_PROMPT) {
        handle(a->req);
        return;
    }
    if (tui_open_register(line))
        return;
    tui_message(_("unknown command or register: %s"), line);
    T.msg_error = 1;
}

void tui_quit(void)
{
    if (quit_ok())
        T.running = 0, quitting = 1;
}

void tui_go_home(void) { go_home(); }

int tui_open_register(const char *name)
{
    const table *t = schema_table(db_schema(T.d), name);
    if (!t)
        return 0;
    mr_err e = {0};
    view *v = table_new(t, NULL, 0, &e);
    if (v)
        view_push(v);
    else
        tui_error(&e);
    return 1;
}

static void handle(request req)
{
    switch (req) {
    case REQ_QUIT:
        if (quit_ok())
            T.running = 0, quitting = 1;
        break;
    case REQ_BACK:
        view_pop();
        break;
    case REQ_SEARCH:
    case REQ_FIND_NEXT:
    case REQ_FIND_PREV:
        if (!(T.top->ops->flags & VIEW_SEARCH)) {
            tui_message("%s", _("this screen cannot search (a register's table can); ? or F1: help"));
            break;
        }
        T.top->ops->request(T.top, req);
        break;
    case REQ_SEARCH_BACK:
        if (T.top->ops->flags & VIEW_SEARCH) {
            T.top->ops->request(T.top, req);
            break;
        }
        /* where there is no search, ? is help */
        /* fall through */
    case REQ_HELP:
        if (strcmp(T.top->ops->name, "help") != 0)
            view_push(help_new());
        else
            tui_message("%s", _("this is the help  q: back"));
        break;
    case REQ_HOME:
        if (!T.top->prev)
            tui_message("%s", _("this is the list of registers"));
        go_home();
        break;
    case REQ_UNDO:
    case REQ_REDO: {
        if (T.o.readonly) {
            tui_error_text(tui_readonly_text());
            break;
        }
        /* say what would be undone (the clerk's own latest change), and ask */
        int64_t target = req == REQ_UNDO ? edit_undo_target(T.d) : edit_redo_target(T.d);
        buf what = BUF_INIT;
        if (target && edit_describe(T.d, target, 200, &what) &&
            !tui_confirm_text(buf_str(&what), req == REQ_UNDO ? _("Undo this change of yours?")
                                                              : _("Redo it (undo this undo)?"))) {
            buf_free(&what);
            tui_message("%s", _("nothing was changed"));
            break;
        }
        buf_free(&what);
        mr_err e = {0};
        edit_result r;
        if ((req == REQ_UNDO ? edit_undo(T.d, target, NULL, &r, &e) : edit_redo(T.d, NULL, &r, &e)) == EDIT_OK) {
            tui_data_changed();
            tui_message(req == REQ_UNDO ? _("undone: change %lld recorded (^R redoes it)")
                                        : _("redone: change %lld recorded"), (long long)r.change);
        } else {
            tui_error(&e);
        }
        edit_result_free(&r);
        break;
    }
    case REQ_PROBLEMS:
        open_computed("problems", problems_new);
        break;
    case REQ_SUMMARY:
        open_computed("summary", summary_new);
        break;
    case REQ_REDRAW:
        clearok(curscr, TRUE);
        break;
    case REQ_PROMPT: {
        buf line = BUF_INIT;
        if (tui_prompt(":", NULL, &line))
            run_command(buf_str(&line));
        buf_free(&line);
        break;
    }
    default:
        T.top->ops->request(T.top, req);
    }
}

/* Waiting for another clerk's write: say so on the status line. */
static void on_busy(void *arg, int waited_ms)
{
    (void)arg;
    if (T.o.script || !T.curses_on || waited_ms % 250)
        return;
    char line[160];
    snprintf(line, sizeof line, _("waiting for another clerk's write to finish… %d.%d s"),
             waited_ms / 1000, waited_ms % 1000 / 100);
    draw_text(LINES - 2, 0, COLS, line, ATTR_MARK, 0);
    refresh();
}

/* Stop waiting for the lock when told to stop (SIGHUP, SIGTERM: the loop
 * then exits) or on Ctrl-C (the form stays open; nothing was written). */
static int on_busy_cancel(void *arg)
{
    (void)arg;
    if (got_signal == SIGINT) {
        got_signal = 0;
        return 1;
    }
    return got_signal != 0;
}

/* The db's progress handler asks this while any statement runs (a sort, a
 * search, a save): Esc, Ctrl-C, SIGTERM and SIGHUP stop it, and the write
 * it was part of is rolled back.  The keyboard is read only once calls have
 * gone on for 50 ms without a pause, and then every 20 ms, so a quick
 * statement never eats the keys typed ahead. */
static int on_stmt_cancel(void *arg)
{
    static double first, last, polled;
    (void)arg;
    if (got_signal)
        return tui_cancel_requested();   /* takes a SIGINT; SIGTERM/SIGHUP stay */
    double t = now_ms();
    if (t - last > 20)
        first = t;   /* a new statement, or one that had paused */
    last = t;
    if (t - first < 50 || t - polled < 20)
        return 0;
    polled = t;
    return tui_cancel_requested();
}

int tui_main(db *d, const tui_opts *o)
{
    mr_err e = {0};
    memset(&T.msg, 0, sizeof T.msg);
    T.d = d;
    T.file_version = -1;
    T.o = *o;
    if (T.o.script) {
        T.script = fopen(T.o.script, "r");
        if (!T.script) {
            warn("%s: %s", T.o.script, strerror(errno));
            return EXIT_IO;
        }
    }
    if (curses_start(&e) < 0) {
        warn("%s", e.msg);
        return EXIT_USAGE;
    }
    db_on_busy(d, on_busy, on_busy_cancel, NULL);
    db_on_cancel(d, on_stmt_cancel, NULL);
    T.top = home_new();
    if (db_readonly_reason(d)) {   /* say it until the first key */
        tui_error_text(tui_readonly_text());
    }
    T.running = 1;
    int rc = EXIT_OK;
    while (T.running) {
        draw_all();
        idle_work();
        uint32_t ch;
        int r = next_input(&ch);
        if (r == IN_EOF)
            break;
        if (r == IN_SIGNAL) {
            rc = 128 + got_signal;
            break;
        }
        buf_reset(&T.msg);
        T.msg_error = 0;
        if (r == IN_KEY && ch == KEY_RESIZE)
            continue;   /* the next draw_all lays out for the new size */
        if (r == IN_CLICK) {
            click(T.click_y, T.click_double);
            continue;
        }
        if (r == IN_KEY && ch == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) == OK) {
                if (ev.bstate & BUTTON4_PRESSED)
                    handle(REQ_UP), handle(REQ_UP), handle(REQ_UP);
                else if (ev.bstate & BUTTON5_PRESSED)
                    handle(REQ_DOWN), handle(REQ_DOWN), handle(REQ_DOWN);
                else if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
                    click(ev.y, 1);
                else if (ev.bstate & BUTTON1_CLICKED)
                    click(ev.y, 0);
            }
            continue;
        }
        if (r == IN_CHAR && ch == 3) {   /* Ctrl-C: quit, status 130 */
            if (quit_ok()) {
                quitting = 1;
                rc = 130;
                break;
            }
            continue;
        }
        request req = key_request(r == IN_KEY, ch);
        if (req != REQ_NONE)
            handle(req);
    }
    /* a signal may have ended a modal prompt, which then left the loop */
    if (!rc && got_signal)
        rc = 128 + got_signal;
    /* what the screens keep or let go: a dropped link keeps the forms'
     * input as drafts (file I/O here, in the loop, never in the handler) */
    int hangup = tui_hanging_up();
    for (view *v = T.top; v && (hangup || quitting); v = v->prev)
        if (v->ops->ending)
            v->ops->ending(v, hangup ? VIEW_END_HANGUP : VIEW_END_QUIT);
    while (T.top) {
        view *v = T.top;
        T.top = v->prev;
        view_free(v);
    }
    tui_restore();
    if (T.scr)
        delscreen(T.scr);
    if (T.script) {
        fclose(T.script);
        fclose(T.out);
        fclose(T.in);
    }
    buf_free(&T.msg);
    buf_free(&T.sline);
    return rc;
}
