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

/* Every user action, once: id, name (for ":" and the man page) and help
 * text.  The enum, the request table and (through the bindings in keys.c)
 * the help screen and the man page's key list are all made from this list;
 * the help screen shows them in this order. */
#define REQ_INFO(_) \
    _(UP,          "up",           N_("move up one row")) \
    _(DOWN,        "down",         N_("move down one row")) \
    _(LEFT,        "left",         N_("previous column")) \
    _(RIGHT,       "right",        N_("next column")) \
    _(PAGE_UP,     "page-up",      N_("one screen up")) \
    _(PAGE_DOWN,   "page-down",    N_("one screen down")) \
    _(HALF_UP,     "half-up",      N_("half a screen up")) \
    _(HALF_DOWN,   "half-down",    N_("half a screen down")) \
    _(SCROLL_UP,   "scroll-up",    N_("scroll three lines up, the cursor keeping its place on screen (the mouse wheel)")) \
    _(SCROLL_DOWN, "scroll-down",  N_("scroll three lines down, the cursor keeping its place on screen (the mouse wheel)")) \
    _(FIRST,       "first",        N_("first row")) \
    _(LAST,        "last",         N_("last row")) \
    _(LINE_START,  "first-column", N_("first column (on the map: the whole boundary again)")) \
    _(LINE_END,    "last-column",  N_("last column")) \
    _(ENTER,       "open",         N_("open the register, record or link under the cursor")) \
    _(BACK,        "back",         N_("back to the previous screen, where you were")) \
    _(NEXT_RECORD, "next",         N_("next record of the list you came from")) \
    _(PREV_RECORD, "previous",     N_("previous record of the list you came from")) \
    _(SORT_ASC,    "sort",         N_("sort by the current column, ascending")) \
    _(SORT_DESC,   "sort-desc",    N_("sort by the current column, descending")) \
    _(WIDER,       "wider",        N_("widen the current column")) \
    _(NARROWER,    "narrower",     N_("narrow the current column")) \
    _(ADD,         "add",          N_("add a record (a form)")) \
    _(EDIT,        "edit",         N_("edit the record under the cursor")) \
    _(DUPLICATE,   "duplicate",    N_("copy the record under the cursor into a new one")) \
    _(DELETE,      "delete",       N_("delete the record (refused while others link to it)")) \
    _(SAVE,        "save",         N_("in a form: save (checked first; nothing is written if invalid)")) \
    _(SAVE_COMMENT, "save-comment", N_("in a form: save with a comment on the change (the CLI's -m), asked first")) \
    _(EVENT,       "event",        N_("on a permit: record a registration event (新立, 延续, 变更, 转让, 保留, 注销) in a form")) \
    _(UNDO,        "undo",         N_("undo your own last change, after showing it")) \
    _(REDO,        "redo",         N_("redo your own last undo, after showing it")) \
    _(HISTORY,     "history",      N_("the change history of the record or the register")) \
    _(HOME,        "home",         N_("the list of registers")) \
    _(SEARCH,      "search",       N_("search forward (a regular expression; as you type)")) \
    _(SEARCH_BACK, "search-back",  N_("search backward (a regular expression; as you type)")) \
    _(FIND_NEXT,   "next-match",   N_("next match")) \
    _(FIND_PREV,   "prev-match",   N_("previous match")) \
    _(FILTER,      "filter",       N_("keep rows matching a filter: COL=V, COL!=V, COL<V (<= > >=), COL=A..B, COL= (empty), COL!= (not empty), COL:REGEX, REGEX; ! in front negates")) \
    _(FILTER_EQ,   "filter-eq",    N_("keep rows whose column equals the current cell")) \
    _(UNFILTER,    "unfilter",     N_("remove the last filter")) \
    _(UNFILTER_ALL, "unfilter-all", N_("remove every filter")) \
    _(FREQ,        "freq",         N_("the current column's values with their rows, share and area; Enter: those rows")) \
    _(PROBLEMS,    "problems",     N_("the problems: where the register and the plan disagree")) \
    _(EXCHANGE,    "exchange",     N_("the exchange with the city or the counties: partners, files sent and applied, open conflicts")) \
    _(SUMMARY,     "summary",      N_("the summary: counts and areas, and 专栏一 beside the register")) \
    _(PROMPT,      "prompt",       N_("command line: a register, sort COL [desc], grep REGEX, import FILE, export FILE, or an action's name")) \
    _(HELP,        "help",         N_("this help")) \
    _(REDRAW,      "redraw",       N_("redraw the screen")) \
    _(QUIT,        "quit",         N_("quit minreg")) \
    _(THEIRS,      "take-theirs",     N_("in an exchange conflict: take their value (audited, sent with the next file)")) \
    _(MINE,        "keep-mine",     N_("in an exchange conflict: keep this register's value (audited, sent with the next file)")) \
    _(MAP,         "map",          N_("the map of the record's boundary, its neighbours and overlaps (on the map the arrows pan)")) \
    _(NEIGHBOUR,   "next-neighbour", N_("on the map: select the next neighbour (overlapping ones first); Enter opens it (none selected: the one overlapping most, else the nearest)")) \
    _(PREV_NEIGHBOUR, "previous-neighbour", N_("on the map: select the previous neighbour")) \
    _(ZOOM_IN,     "zoom-in",      N_("on the map: zoom in")) \
    _(ZOOM_OUT,    "zoom-out",     N_("on the map: zoom out"))

#define REQ_ENUM_(id, name, help) REQ_##id,
typedef enum request {
    REQ_NONE = 0,
    REQ_INFO(REQ_ENUM_)
    REQ_COUNT
} request;
#undef REQ_ENUM_

typedef struct view view;

typedef struct view_ops {
    const char *name;                          /* "home", "table", ... */
    void (*draw)(view *v);                      /* draw rows 1 .. LINES-2 */
    void (*request)(view *v, request req);      /* handle one action */
    void (*status)(view *v, buf *out);          /* the status line's text */
    void (*title)(view *v, buf *out);           /* the top line's text */
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
    /* The register the screen shows (":sort", ":filter" complete its
     * columns), or NULL; the op may be NULL. */
    const table *(*table)(view *v);
    void (*free)(view *v);
} view_ops;

struct view {
    const view_ops *ops;
    view *prev;          /* the screen under this one (Back returns to it) */
    void *data;          /* the screen's own state */
};

enum { VIEW_END_QUIT, VIEW_END_HANGUP };

/* ---- shared state and screen machinery (view.c, display.c, prompt.c) ---- */
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
/* A line editor on the message line (prompt.c): ← → Home End ^A ^E ^B ^F
 * move, Backspace Del ^W ^U ^K delete, ↑ ↓ recall the session's earlier
 * lines of the same kind, Tab completes; a long line scrolls.  kind says
 * what Tab completes and which history ↑ recalls. */
typedef enum prompt_kind {
    PROMPT_OTHER,     /* no completion; a history of its own */
    PROMPT_COMMAND,   /* ":": commands, actions, registers, then their arguments */
    PROMPT_SEARCH,    /* "/" "?": no completion */
    PROMPT_FILTER,    /* "&" [COL:]REGEX: t's columns, then an enum or link column's values */
    PROMPT_VALUE,     /* a field of t: column ci's values (enum, link; a ';' list item) */
} prompt_kind;
typedef struct prompt_spec {
    prompt_kind kind;
    const table *t;
    int ci;
    void (*changed)(const char *text, void *arg);   /* after every edit, or NULL */
    void *arg;
} prompt_spec;
/* 1 on Enter with the line in out, 0 on Esc (or when the input ends). */
int tui_prompt_ask(const char *prefix, const char *initial, buf *out, const prompt_spec *ps);
/* The prompt's keys for the help screen, from prompt.c's key table: the
 * keys of entry i (0 .. prompt_nkeys-1) and what they do. */
extern const int prompt_nkeys;
void prompt_key_help(int i, buf *keys, const char **help);
int tui_prompt(const char *prefix, const char *initial, buf *out);   /* PROMPT_OTHER */
/* The search prompt: calling changed(text, arg) after every edit
 * (incremental search); the search history. */
int tui_prompt_live(const char *prefix, const char *initial, buf *out,
                    void (*changed)(const char *text, void *arg), void *arg);
int tui_confirm(const char *question);                               /* y/Y */
/* question on the message line; the key pressed if it is one of keys, else 0. */
int tui_choose(const char *question, const char *keys);
/* Is the program ending without the clerk's word (SIGHUP, SIGTERM, the
 * terminal gone)?  A modal prompt cut short keeps what was typed then. */
int tui_hanging_up(void);
/* body (lines, wrapped to the width) over the screen, then question: y/Y */
int tui_confirm_text(const char *body, const char *question);
void tui_set_overlay(void (*fn)(void *), void *arg);                 /* drawn last */

/* Every write bumps the data version; screens re-read when it moved. */
void tui_data_changed(void);
unsigned tui_data_version(void);

/* The pick list of a form's field (form_pick.c): c's enumeration or the rows
 * of the register it links to, narrowed as the clerk types.  1 with the
 * value chosen in out; 0 cancelled; 2 the clerk pressed Tab to type it. */
int form_pick(const column *c, const char *now, buf *out);
/* The event form (eventform.c): a registration event of permit rowid of t,
 * of type (NULL: picked first from minreg_event_types), recorded with the
 * permit's update in one change as `minreg event` records it.  NULL (a
 * message shown) when t has no events or the pick was cancelled. */
view *eventform_new(const table *t, int64_t rowid, const char *type);
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
/* A frame around rows y..y+h-1, columns x..x+w-1, never cutting a wide
 * character (one under it is blanked whole). */
void draw_box(int y, int x, int h, int w, int attr);
int screen_rows(void);               /* rows between the title and the status line */
int screen_cols(void);
const char *glyph_vline(void);       /* "│" or "|" */
const char *glyph_sort(int desc);    /* "▲"/"▼" or "^"/"v" */
const char *glyph_pending(void);     /* "…" or "...": a count not made yet */

/* ---- keys.c ---- */
typedef struct action {
    request req;
    const char *name;      /* used by ":" and the man page */
    const char *help;      /* N_() text */
} action;
extern const action actions[];   /* REQ_INFO's order; actions[i].req == i + 1 */
extern const int nactions;
request key_request(int is_key_code, uint32_t ch);
const action *action_by_name(const char *name);
/* The keys bound to req as the help screen shows them ("PgDn ^F Space"). */
void action_keys(request req, buf *out);
/* Teach curses the Home, End, Ins, Del, PgUp/PgDn and F1-F12 sequences of
 * xterm, PuTTY, rxvt, screen/tmux and the Linux console that the terminal's
 * own description lacks, so none of them arrives as Esc and letters. */
void keys_define_sequences(void);
/* The man page's key list and COMMANDS section (roff), from the tables. */
void keys_print_roff(void);

/* ---- commands.c: the ":" commands ---- */
typedef struct tui_command {
    const char *name;      /* ":name" */
    const char *alias;     /* another name (":q"), or NULL */
    const char *args;      /* N_() how its arguments are shown; "" for none */
    const char *help;      /* N_() text */
    void (*run)(const char *arg);   /* a global command; NULL: the screen's */
    const char *screen;    /* with run NULL: the screen (ops name) it works on */
    void (*run_on)(view *v, const char *arg);   /* ... and what it does there */
} tui_command;
extern const tui_command tui_commands[];
extern const int tui_ncommands;
const tui_command *command_find(const char *name);
/* Run the command NAME if the table has it (1), else 0. */
int command_run(const char *name, const char *arg);
/* How help shows a command: ":goto :open REGISTER". */
void command_usage(const tui_command *c, buf *out);
void commands_print_roff(void);

/* Used by the global commands (view.c). */
void tui_quit(void);                 /* quit, asking first if a form has changes */
void tui_go_home(void);
int tui_open_register(const char *name);   /* 1 if a register by that name (opened or error shown) */

/* ---- screens ---- */
view *home_new(void);
view *table_new(const table *t, const db_filter *f, int nf, mr_err *e);
struct list;
/* parent: the list it was opened from (] and [ step along its records), or NULL */
view *record_new(const table *t, int64_t rowid, struct list *parent);
view *help_new(void);
view *form_new(const table *t, int64_t rowid, int duplicate);   /* rowid < 0: a new record */
view *history_new(const table *t, int64_t rowid);              /* rowid < 0: the register */
view *grep_new(const char *pattern, mr_err *e);                /* results of :grep */
view *problems_new(mr_err *e);
view *xconflict_new(int64_t id);   /* xconflict.c: one exchange conflict, base / theirs / mine */
view *exchange_new(mr_err *e);   /* exchange.c: the :exchange screen */   /* runs the checks; NULL with e on a read error */
view *summary_new(mr_err *e);
/* The map of record rowid's boundary (map.c), its neighbour sel_tbl
 * sel_rid selected (sel_tbl NULL: none); NULL with e saying why not (no
 * boundary, a read error). */
view *map_new(const table *t, int64_t rowid, const char *sel_tbl, int64_t sel_rid, mr_err *e);
/* The record a map screen shows (1), 0 when v is no map. */
int map_record(view *v, const table **t, int64_t *rowid);
/* :overlaps [TABLE [KEY]] (overlaps.c): the overlapping boundaries as a
 * list of findings, of every register, one or one record (on a map with
 * no argument: its record's); Enter opens the neighbour. */
view *overlaps_new(const table *t, int64_t rowid, mr_err *e);
void overlaps_cmd(const char *arg);
/* The frequency of column ci's values over t's rows the filters keep. */
view *freq_new(const table *t, int ci, const db_filter *f, int nf, mr_err *e);
/* :expiring [DAYS]: the permits expiring within DAYS of --today (expiring.c);
 * expiring_count: how many within 90 days (the home screen), -1 on error. */
view *expiring_new(long within, mr_err *e);
int expiring_count(mr_err *e);

/* :export FILE and :import FILE on a table screen (csv.c).  tui_import_file
 * returns 1 when the register changed (the screen then reads it again). */
int tui_export_view(const table *t, const db_filter *f, int nf, int sort_ci, int desc,
                    const char *arg);
int tui_import_file(view *v, const table *t, const char *arg);
/* The problems of an import that wrote nothing (imports.c): every one in a
 * list, then write the good rows with a rejects file, or cancel.  Takes
 * r; tv is the table screen to read again after a write. */
/* A text to read, a line a list line (textview.c). */
view *textview_new(const char *title, const char *text, const char *status);
struct import_result;
view *imports_new(view *tv, const table *t, const char *path, struct import_result *r);

/* The table screen's ":" commands (commands.c lists them), and reading its
 * rows again after the register changed under it. */
void table_cmd_filter(view *v, const char *arg);
void table_cmd_unfilter(view *v, const char *arg);
void table_cmd_export(view *v, const char *arg);
void table_cmd_import(view *v, const char *arg);
void table_cmd_sort(view *v, const char *arg);
void table_reload(view *v);
/* The record screen's :event [TYPE] (record.c): the event form. */
void record_cmd_event(view *v, const char *arg);

#endif
