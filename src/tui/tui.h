/* tui.h — the linked-screen browser: shared screen machinery.
 *
 * Modelled on tig: each screen is one file with a `view_ops` table; a
 * `struct view` holds the state they share; screens open one another through
 * view_push() and "back" pops the stack, which keeps each screen's position.
 * Every user action is a request from the one table in keys.c, which keys,
 * the `:` prompt and the help screen all read.
 */
#ifndef MINREG_TUI_H
#define MINREG_TUI_H

#include <stdint.h>

#include "core/buf.h"
#include "core/db.h"

typedef enum request {
    REQ_NONE = 0,
    REQ_UP, REQ_DOWN, REQ_LEFT, REQ_RIGHT,
    REQ_PAGE_UP, REQ_PAGE_DOWN, REQ_HALF_UP, REQ_HALF_DOWN,
    REQ_FIRST, REQ_LAST, REQ_LINE_START, REQ_LINE_END,
    REQ_ENTER, REQ_BACK, REQ_QUIT, REQ_HELP, REQ_PROMPT, REQ_REDRAW,
    REQ_SORT_ASC, REQ_SORT_DESC, REQ_WIDER, REQ_NARROWER,
    REQ_NEXT_RECORD, REQ_PREV_RECORD, REQ_HOME, REQ_PROBLEMS, REQ_SUMMARY,
    REQ_ADD, REQ_EDIT, REQ_DUPLICATE, REQ_DELETE, REQ_UNDO, REQ_REDO, REQ_HISTORY, REQ_SAVE,
    REQ_SEARCH, REQ_SEARCH_BACK, REQ_FIND_NEXT, REQ_FIND_PREV,
    REQ_FILTER, REQ_FILTER_EQ, REQ_UNFILTER, REQ_UNFILTER_ALL,
    REQ_COUNT
} request;

typedef struct view view;

typedef struct view_ops {
    const char *name;                          /* "home", "table", ... */
    void (*draw)(view *v);                      /* draw rows 1 .. LINES-2 */
    void (*request)(view *v, request req);      /* handle one action */
    void (*status)(view *v, buf *out);          /* the status line's text */
    void (*title)(view *v, buf *out);           /* the top line's text */
    int (*command)(view *v, const char *cmd, const char *arg); /* ":" commands; 1 if handled */
    int (*leave)(view *v);                      /* may Back leave? (unsaved form); NULL = yes */
    int (*unsaved)(view *v);                    /* has input not saved (a changed form)? */
    /* The program ends: how is VIEW_END_QUIT (the clerk quit, discarding what
     * is unsaved) or VIEW_END_HANGUP (SIGHUP, SIGTERM, the terminal gone:
     * keep what was typed, as a draft).  Called on every screen of the stack. */
    void (*ending)(view *v, int how);
    /* Work put off so the screen shows at once (a large register's count):
     * do one piece of it, return 1, or 0 when none is left.  Called while
     * no key is waiting, and in a key script before each dump. */
    int (*idle)(view *v);
    void (*free)(view *v);
} view_ops;

struct view {
    const view_ops *ops;
    view *prev;          /* the screen under this one (Back returns to it) */
    void *data;          /* the screen's own state */
};

enum { VIEW_END_QUIT, VIEW_END_HANGUP };

/* ---- shared state (view.c) ---- */
typedef struct tui_opts {
    const char *script;     /* key script: no terminal, drawing to /dev/null */
    int cols, rows;         /* size in script mode */
    int ascii;              /* ASCII borders and markers */
    int mouse;
    int readonly;
    /* test hook: <other CMD ARGS> in a key script runs a CLI command on a
     * second connection, as another clerk would, mid-script */
    int (*other)(const char *cmdline);
    const char *today;      /* YYYY-MM-DD permits expire against; NULL: today */
} tui_opts;

int tui_main(db *d, const tui_opts *o);

db *tui_db(void);
/* Why the register is read-only, for a refused write. */
const char *tui_readonly_text(void);
const tui_opts *tui_options(void);
void view_push(view *v);
void view_pop(void);                 /* Back */
view *view_top(void);
void tui_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tui_error_text(const char *msg);
void tui_redraw(void);

/* Modal input for forms and dialogs.  tui_key returns TK_KEY (a KEY_* code)
 * or TK_CHAR; TK_EOF/TK_SIGNAL mean the program is ending. */
enum { TK_KEY, TK_CHAR, TK_EOF, TK_SIGNAL };
int tui_key(uint32_t *ch);
int tui_prompt(const char *prefix, const char *initial, buf *out);   /* 1 Enter, 0 Esc */
/* The same, calling changed(text, arg) after every edit (incremental search). */
int tui_prompt_live(const char *prefix, const char *initial, buf *out,
                    void (*changed)(const char *text, void *arg), void *arg);
int tui_confirm(const char *question);                               /* y/Y */
/* Is the program ending without the clerk's word (SIGHUP, SIGTERM, the
 * terminal gone)?  A modal prompt cut short keeps what was typed then. */
int tui_hanging_up(void);
/* body (lines, wrapped to the width) over the screen, then question: y/Y */
int tui_confirm_text(const char *body, const char *question);
void tui_set_overlay(void (*fn)(void *), void *arg);                 /* drawn last */

/* Every write bumps the data version; screens re-read when it moved. */
void tui_data_changed(void);
unsigned tui_data_version(void);

/* Edit actions shared by the table and record screens (form.c). */
void edit_action(request req, const table *t, int64_t rowid);
void tui_error(const mr_err *e);
int tui_cancel_requested(void);      /* Ctrl-C/Esc pressed during long work */
void tui_progress(const char *what, int64_t done, int64_t all);

/* Drawing helpers: every cell goes through text_cell (escaped, fitted). */
enum { ATTR_NORMAL, ATTR_HEADER, ATTR_SELECTED, ATTR_TITLE, ATTR_STATUS, ATTR_GROUP,
       ATTR_LINK, ATTR_DIM, ATTR_MARK, ATTR_COUNT };
void draw_text(int y, int x, int cols, const char *s, int attr, int right);
void draw_fill(int y, int x, int cols, int attr);
int screen_rows(void);               /* rows between the title and the status line */
int screen_cols(void);
const char *glyph_vline(void);       /* "│" or "|" */
const char *glyph_sort(int desc);    /* "▲"/"▼" or "^"/"v" */
const char *glyph_pending(void);     /* "…" or "...": a count not made yet */

/* ---- keys.c ---- */
typedef struct action {
    request req;
    const char *name;      /* used by ":" and the help screen */
    const char *keys;      /* how the help screen shows its keys */
    const char *help;      /* N_() text */
} action;
extern const action actions[];
extern const int nactions;
request key_request(int is_key_code, uint32_t ch);
const action *action_by_name(const char *name);

/* ---- screens ---- */
view *home_new(void);
view *table_new(const table *t, const db_filter *f, int nf, mr_err *e);
view *record_new(const table *t, int64_t rowid, view *list);
view *help_new(void);
view *form_new(const table *t, int64_t rowid, int duplicate);   /* rowid < 0: a new record */
view *history_new(const table *t, int64_t rowid);              /* rowid < 0: the register */
view *grep_new(const char *pattern, mr_err *e);                /* results of :grep */
view *problems_new(mr_err *e);   /* runs the checks; NULL with e on a read error */
view *summary_new(mr_err *e);

/* :export FILE and :import FILE on a table screen (csv.c).  tui_import_file
 * returns 1 when the register changed (the screen then reads it again). */
int tui_export_view(const table *t, const db_filter *f, int nf, int sort_ci, int desc,
                    const char *arg);
int tui_import_file(const table *t, const char *arg);

/* For record screens opened from a table: move along its list. */
int table_step_record(view *list, int delta, int64_t *rowid);
int table_position(view *list, int64_t *i, int64_t *n);

#endif
