/* lineedit.h — the editing under every prompt, without curses: a line of
 * UTF-8 and a cursor, the edits, a history, Tab completion's arithmetic,
 * and the layout of a long line in N columns with the cursor in view.
 *
 * prompt.c maps keys to the operations below and draws what le_layout
 * says; the unit test (tests/unit/test_lineedit.c) drives them directly.
 * A "character" here is a code point with the combining marks after it (a
 * cursor never lands between a letter and its accent); an invalid byte is
 * a character of its own.  Widths are the escaped widths text.c draws.
 */
#ifndef MINREG_LINEEDIT_H
#define MINREG_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef struct lineedit {
    buf text;
    size_t cur;       /* byte offset of the cursor: always a character boundary */
    size_t scroll;    /* byte offset of the first character shown (le_layout) */
    /* history browsing: the entry shown (-1: the line being typed) and
     * that line, kept while older entries are looked at */
    int hist_pos;
    char *hist_draft;
} lineedit;

void le_init(lineedit *le, const char *initial);   /* the cursor at the end */
void le_free(lineedit *le);
const char *le_text(lineedit *le);
/* Replace bytes [from, to) with s; the cursor goes after s. */
void le_replace(lineedit *le, size_t from, size_t to, const char *s);
void le_set(lineedit *le, const char *s);           /* all of it; cursor at the end */

typedef enum le_op {
    LE_LEFT, LE_RIGHT, LE_HOME, LE_END,
    LE_BACKSPACE,     /* the character before the cursor */
    LE_DELETE,        /* the character under the cursor */
    LE_KILL_WORD,     /* ^W: back to the start of the word before the cursor */
    LE_KILL_START,    /* ^U: everything before the cursor */
    LE_KILL_END,      /* ^K: everything from the cursor on */
} le_op;
/* Do op.  Returns 1 if the text changed, 0 if not (a move, or nothing to do). */
int le_do(lineedit *le, le_op op);
/* Insert code point cp (or the string s) at the cursor. */
void le_insert(lineedit *le, uint32_t cp);
void le_insert_str(lineedit *le, const char *s);

/* ---- history: one per prompt kind, for the session ---- */
typedef struct le_history {
    char **items;     /* oldest first */
    int n;
} le_history;
#define LE_HISTORY_MAX 200
/* Remember line (not an empty one, nor the same as the newest again). */
void le_history_add(le_history *h, const char *line);
void le_history_free(le_history *h);
/* ↑ (dir -1: older) and ↓ (dir +1: newer, back to the line being typed).
 * Returns 1 if the text changed. */
int le_history_step(lineedit *le, const le_history *h, int dir);

/* ---- completion ---- */
typedef struct le_cands {
    char **v;
    int n;
} le_cands;
void le_cands_add(le_cands *c, const char *s);   /* once each */
void le_cands_free(le_cands *c);
/* The longest prefix every candidate shares, cut at a character boundary:
 * its length in bytes. */
size_t le_cands_common(const le_cands *c);

/* ---- layout ---- */
typedef struct le_shown {
    size_t from, to;      /* the bytes shown */
    int more_left;        /* characters before from are hidden (a marker column) */
    int more_right;       /* characters from `to` on are hidden (a marker column) */
    int cursor_col;       /* the cursor's column, counting the left marker */
    int pad;              /* spaces after the text so that the line fills cols */
} le_shown;
/* Lay the line out in cols columns (at least 3) with the cursor's cell in
 * view, scrolling as little as possible from where it was shown last (kept
 * in le->scroll).  A wide character is shown whole or not at all. */
void le_layout(lineedit *le, int cols, le_shown *out);

#endif
