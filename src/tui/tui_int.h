/* tui_int.h — what the shared screen machinery's files share, and nothing
 * else does: the session state (one, the program's), the input events and
 * the functions the display, the prompt, the key script and the main loop
 * call across files.  Screens use tui.h only.
 */
#ifndef MINREG_TUI_INT_H
#define MINREG_TUI_INT_H

#include <curses.h>
#include <signal.h>
#include <stdio.h>

#include "tui/lineedit.h"
#include "tui/tui.h"

struct tui_state {
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
    int wheel;                 /* the last <wheel up|down> of a key script: -1 up, 1 down */
    int cancel_armed;          /* <cancel>: the next check for Esc finds one */
    const char *prompt;        /* the prompt line being edited, drawn last */
    int prompt_cx;             /* the cursor's column on it */
    int raw_fd;                /* key script: <raw ...> bytes go in here, curses reads them */
    int raw_pending;           /* ... and has not read them all yet */
    int term_gone;             /* the terminal's input ended (a dropped link) */
};

extern struct tui_state T;   /* view.c */
extern volatile sig_atomic_t got_signal;   /* set by the signal handler only (display.c) */

/* What the next input is: a key (a KEY_* code), a character, or the end;
 * the others come only from a key script. */
enum { IN_KEY = TK_KEY, IN_CHAR = TK_CHAR, IN_EOF = TK_EOF, IN_SIGNAL = TK_SIGNAL, IN_DUMP,
       IN_DUMP_PENDING, IN_RESIZE, IN_CLICK, IN_WHEEL, IN_RAW, IN_NONE };

/* ---- display.c ---- */
int tui_curses_start(mr_err *e);
void tui_restore(void);
void tui_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tui_compose(void);      /* lay the screen out in ncurses' buffer, sending nothing */
void tui_draw_all(void);     /* notice other clerks' writes, compose, send */
void tui_notice_others(void);
int tui_ascii_glyphs(void);  /* ASCII for the ambiguous-width glyphs (--ascii, --ambiguous wide) */

/* ---- prompt.c, complete.c ---- */
void tui_prompt_histories_free(void);
/* Tab at a prompt of kind ps: the candidates for the word that ends line
 * (the text before the cursor), each a whole replacement of the word that
 * starts at *from. */
void complete_candidates(const prompt_spec *ps, const char *line, size_t *from, le_cands *out);

/* ---- keyscript.c ---- */
int script_next(uint32_t *ch, int *rw, int *rh);
void script_dump(int pending);

/* ---- view.c ---- */
int tui_next_input(uint32_t *ch);
void tui_idle_all(void);

#endif
