/* view.c — the view stack and the main loop: the input (the terminal or
 * a key script), work put off until no key is waiting, the ":" commands'
 * dispatch, the mouse, and the session's state.  The terminal itself is
 * display.c's, the prompt prompt.c's, the key script keyscript.c's.
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
#include <unistd.h>
#include <wchar.h>

#include "core/edit.h"
#include "core/i18n.h"
#include "core/text.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

struct tui_state T;

db *tui_db(void) { return T.d; }
const tui_opts *tui_options(void) { return &T.o; }
view *view_top(void) { return T.top; }

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

/* ---- work put off until no key is waiting ----------------------------------------- */

/* In a key script: all of the top screen's put-off work, now. */
void tui_idle_all(void)
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
            tui_draw_all();
            drawn = now_ms();
            dirty = 0;
        }
    }
    if (dirty)
        tui_draw_all();
}

/* Wait for the next key.  Returns IN_KEY (a KEY_* code) or IN_CHAR.  Ctrl-C
 * (SIGINT, the terminal being in cbreak mode) comes as the character ^C, so
 * the screen under it decides: a prompt is cancelled, a form with changes
 * asks before the program quits. */
int tui_next_input(uint32_t *ch)
{
    for (;;) {
        if (got_signal == SIGINT) {
            got_signal = 0;
            *ch = 3;
            return IN_CHAR;
        }
        if (got_signal)
            return IN_SIGNAL;
        if (T.script && T.raw_pending) {
            /* what a <raw ...> wrote, as curses decodes it (keypad on) */
            wint_t wc;
            nodelay(stdscr, TRUE);
            int r = get_wch(&wc);
            nodelay(stdscr, FALSE);
            if (r != ERR) {
                *ch = (uint32_t)wc;
                return r == KEY_CODE_YES ? IN_KEY : IN_CHAR;
            }
            T.raw_pending = 0;
        }
        if (T.script) {
            int w, h;
            int r = script_next(ch, &w, &h);
            if (r == IN_DUMP || r == IN_DUMP_PENDING) {
                script_dump(r == IN_DUMP_PENDING);
                continue;
            }
            if (r == IN_RESIZE) {
                resizeterm(h, w);
                *ch = KEY_RESIZE;
                return IN_KEY;
            }
            if (r == IN_RAW) {
                T.raw_pending = 1;
                continue;
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
    int r = tui_next_input(ch);
    if (r == IN_CLICK || r == IN_WHEEL)
        r = IN_KEY;   /* KEY_MOUSE: forms and dialogs take no clicks */
    if (r == IN_EOF || r == IN_SIGNAL)
        T.running = 0;
    return r;
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
    tui_compose();
    int cur = selected_line();
    for (int i = 0; i < LINES && cur >= 0 && cur != y; i++) {
        handle(cur < y ? REQ_DOWN : REQ_UP);
        tui_compose();
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
        if (strcmp(T.top->ops->name, "history") == 0) {
            /* there u undoes the change under the cursor */
            T.top->ops->request(T.top, req);
            break;
        }
        /* fall through */
    case REQ_REDO: {
        if (T.o.readonly) {
            tui_error_text(tui_readonly_text());
            break;
        }
        /* say what would be undone (the clerk's own latest change), and ask */
        int64_t target = 0;
        mr_err te = {0};
        int got = req == REQ_UNDO ? edit_undo_target(T.d, &target, &te) : edit_redo_target(T.d, &target, &te);
        buf what = BUF_INIT;
        if (got == DB_FOUND)
            got = edit_describe(T.d, target, 200, &what, &te);
        if (got == DB_ERROR) {
            buf_free(&what);
            tui_error(&te);
            break;
        }
        if (got == DB_FOUND &&
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
    case REQ_EXCHANGE:
        open_computed("exchange", exchange_new);
        break;
    case REQ_REDRAW:
        clearok(curscr, TRUE);
        break;
    case REQ_PROMPT: {
        buf line = BUF_INIT;
        prompt_spec ps = {.kind = PROMPT_COMMAND};
        if (tui_prompt_ask(":", NULL, &line, &ps))
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
            tui_warn("%s: %s", T.o.script, strerror(errno));
            return EXIT_IO;
        }
    }
    if (tui_curses_start(&e) < 0) {
        tui_warn("%s", e.msg);
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
        tui_draw_all();
        idle_work();
        uint32_t ch;
        int r = tui_next_input(&ch);
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
        if (r == IN_WHEEL) {
            handle(T.wheel < 0 ? REQ_SCROLL_UP : REQ_SCROLL_DOWN);
            continue;
        }
        if (r == IN_KEY && ch == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) == OK) {
                if (ev.bstate & BUTTON4_PRESSED)
                    handle(REQ_SCROLL_UP);   /* the screen's list scrolls */
                else if (ev.bstate & BUTTON5_PRESSED)
                    handle(REQ_SCROLL_DOWN);
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
        close(T.raw_fd);
    }
    buf_free(&T.msg);
    buf_free(&T.sline);
    tui_prompt_histories_free();
    return rc;
}

