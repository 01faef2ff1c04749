/* list.h — the list layer every list screen stands on.
 *
 * Modelled on tig's `struct view` (which owns the lines, the cursor and the
 * first line shown, and moves and searches for every screen alike) and on
 * htop's Panel (a screen's key handler returns what it did not take, and
 * the panel handles it).  A screen embeds a `list`, gives a `list_ops` with
 * what differs (draw one line, which lines the cursor may stop on, a line's
 * searchable text, the record a line is about) and hands every request it
 * does not handle itself to list_request(): the moves, `/ ? n N`, and, for
 * the rest, a message that says the request does nothing on this screen.
 *
 * Lines are either held by the screen (n of them, counted) or come from a
 * *virtual* source (the table screen pages a register through SQLite and
 * never holds more than a screen of rows): then the layer says how far a
 * request moves and the source moves there (seek), and a search asks the
 * source (find).
 */
#ifndef MINREG_TUI_LIST_H
#define MINREG_TUI_LIST_H

#include <stdint.h>

#include "core/buf.h"
#include "core/rx.h"
#include "core/schema.h"
#include "tui/tui.h"

typedef struct list list;

/* How a virtual source is asked to move: by delta lines (the window
 * follows the cursor), by delta lines with the window moving as far (a
 * page), or to the first or the last line. */
enum { LIST_LINE, LIST_PAGE, LIST_FIRST, LIST_LAST };
/* Lines a wheel step (REQ_SCROLL_UP, REQ_SCROLL_DOWN) scrolls. */
#define LIST_WHEEL 3

typedef struct list_ops {
    /* Draw line i at screen row y (the cursor's line when selected);
     * return the rows it took (at most room; NULL height: one). */
    int (*draw_line)(list *l, int64_t i, int y, int room, int selected);
    int (*height)(list *l, int64_t i);          /* rows line i takes; NULL: 1 */
    int (*selectable)(list *l, int64_t i);      /* may the cursor stop here? NULL: yes */
    /* A heading kept in view with the lines under it (a group's name). */
    int (*heading)(list *l, int64_t i);
    /* Line i's searchable text appended to out; NULL: the screen cannot
     * search, and nosearch (N_()) says why. */
    void (*text)(list *l, int64_t i, buf *out);
    const char *nosearch;
    /* The record line i is about (1), for ] and [ on a record opened from
     * this list; NULL or 0: none. */
    int (*record)(list *l, int64_t i, const table **t, int64_t *rowid);
    /* Rows the list has on screen; NULL: screen_rows() below y0. */
    int (*rows)(list *l);

    /* ---- a virtual source (all of these, or none) ---- */
    void (*seek)(list *l, int how, int64_t delta);
    void (*clamp)(list *l);            /* l->cur was set: bring it and the window in range */
    void (*absolute)(list *l);         /* positions from the start, for a search */
    int64_t (*count)(list *l);         /* the lines, counted now; -1: the count failed (said) */
    /* First line matching pat after from (exclusive: -1 forward or count
     * backward searches all) in direction dir; -1 none, -2 error (e). */
    int64_t (*find)(list *l, int64_t from, int dir, const char *pat, mr_err *e);
    /* ] and [ through a virtual list: move delta records, the new one's. */
    int (*step)(list *l, int delta, const table **t, int64_t *rowid);
} list_ops;

struct list {
    const list_ops *ops;
    void *data;            /* the screen's state */
    int64_t n;             /* lines held by the screen (a virtual source: unused) */
    int64_t cur, top;      /* the cursor's line and the first line shown */
    int y0;                /* the screen row of the first line (1: under the title) */
    /* search: the last pattern, compiled (a draw may mark its matches) */
    char *search;
    rx *search_rx;
    int search_dir;        /* 1 forward (/), -1 backward (?) */
    int64_t search_origin; /* where an incremental search began */
};

/* A list of n lines on the ops; the cursor on the first line it may stop on. */
void list_init(list *l, const list_ops *ops, void *data, int64_t n);
void list_free(list *l);
/* The lines changed (read again): n lines now, the cursor kept in range. */
void list_reset(list *l, int64_t n);
int list_rows(list *l);
/* Handle req: a move, a search, or a message that it does nothing here. */
void list_request(list *l, request req);
/* Draw the lines that fit from l->top (after bringing the cursor in view). */
void list_draw(list *l);
/* Put the cursor on line i (or the nearest line it may stop on). */
void list_go(list *l, int64_t i);

/* The list a record was opened from: ] and [ step along its records. */
int list_step_record(list *parent, int delta, const table **t, int64_t *rowid);
/* The position of the cursor's record among the list's records (0-based). */
int list_position(list *parent, int64_t *i, int64_t *n);

/* Text over at most n lines from y (problems.c): broken at a space in
 * English, anywhere in Chinese; the last line cut with a marker. */
void draw_wrapped(int y, int n, int cols, const char *s, int attr);

/* The message for a request a screen does not take. */
void list_not_here(request req);

#endif
