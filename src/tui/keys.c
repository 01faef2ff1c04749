/* keys.c — the one table of actions: keys, ":" names and help text.
 *
 * The help screen and the man page's key list are generated from this
 * table; key_request() is the only place a key becomes an action.  No action
 * is reachable only through Alt, Ctrl-Enter or shifted arrows: PuTTY and tmux
 * do not send those reliably.
 */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/tui.h"

#define CTRL(c) ((c) & 0x1f)

const action actions[] = {
    {REQ_UP,          "up",         "↑ k",            N_("move up one row")},
    {REQ_DOWN,        "down",       "↓ j",            N_("move down one row")},
    {REQ_LEFT,        "left",       "← h",            N_("previous column")},
    {REQ_RIGHT,       "right",      "→ l",            N_("next column")},
    {REQ_PAGE_UP,     "page-up",    "PgUp ^B",        N_("one screen up")},
    {REQ_PAGE_DOWN,   "page-down",  "PgDn ^F Space",  N_("one screen down")},
    {REQ_HALF_UP,     "half-up",    "^U",             N_("half a screen up")},
    {REQ_HALF_DOWN,   "half-down",  "^D",             N_("half a screen down")},
    {REQ_FIRST,       "first",      "g Home",         N_("first row")},
    {REQ_LAST,        "last",       "G End",          N_("last row")},
    {REQ_LINE_START,  "first-column", "0",            N_("first column")},
    {REQ_LINE_END,    "last-column",  "$",            N_("last column")},
    {REQ_ENTER,       "open",       "Enter",          N_("open the register, record or link under the cursor")},
    {REQ_BACK,        "back",       "q Backspace Esc",    N_("back to the previous screen, where you were")},
    {REQ_NEXT_RECORD, "next",       "]",              N_("next record of the list you came from")},
    {REQ_PREV_RECORD, "previous",   "[",              N_("previous record of the list you came from")},
    {REQ_SORT_ASC,    "sort",       "s",              N_("sort by the current column, ascending")},
    {REQ_SORT_DESC,   "sort-desc",  "S",              N_("sort by the current column, descending")},
    {REQ_WIDER,       "wider",      ">",              N_("widen the current column")},
    {REQ_NARROWER,    "narrower",   "<",              N_("narrow the current column")},
    {REQ_ADD,         "add",        "a",              N_("add a record (a form)")},
    {REQ_EDIT,        "edit",       "e",              N_("edit the record under the cursor")},
    {REQ_DUPLICATE,   "duplicate",  "c",              N_("copy the record under the cursor into a new one")},
    {REQ_DELETE,      "delete",     "D",              N_("delete the record (refused while others link to it)")},
    {REQ_SAVE,        "save",       "w",              N_("in a form: save (checked first; nothing is written if invalid)")},
    {REQ_UNDO,        "undo",       "u",              N_("undo your own last change, after showing it")},
    {REQ_REDO,        "redo",       "^R",             N_("redo your own last undo, after showing it")},
    {REQ_HISTORY,     "history",    "L",              N_("the change history of the record or the register")},
    {REQ_HOME,        "home",       "H",              N_("the list of registers")},
    {REQ_SEARCH,      "search",     "/",              N_("search forward (a regular expression; as you type)")},
    {REQ_SEARCH_BACK, "search-back", "?",             N_("search backward")},
    {REQ_FIND_NEXT,   "next-match", "n",              N_("next match")},
    {REQ_FIND_PREV,   "prev-match", "N",              N_("previous match")},
    {REQ_FILTER,      "filter",     "&",              N_("keep rows matching REGEX (any column) or COL:REGEX")},
    {REQ_FILTER_EQ,   "filter-eq",  "=",              N_("keep rows whose column equals the current cell")},
    {REQ_UNFILTER,    "unfilter",   "x",              N_("remove the last filter")},
    {REQ_UNFILTER_ALL, "unfilter-all", "X",           N_("remove every filter")},
    {REQ_PROBLEMS,    "problems",   "P",              N_("the problems: where the register and the plan disagree")},
    {REQ_SUMMARY,     "summary",    "R",              N_("the summary: counts and areas, and 专栏一 beside the register")},
    {REQ_PROMPT,      "prompt",     ":",              N_("command line: a register, sort COL [desc], grep REGEX, import FILE, export FILE, or an action's name")},
    {REQ_HELP,        "help",       "F1",             N_("this help")},
    {REQ_REDRAW,      "redraw",     "^L",             N_("redraw the screen")},
    {REQ_QUIT,        "quit",       "Q",              N_("quit minreg")},
};
const int nactions = sizeof actions / sizeof *actions;

const action *action_by_name(const char *name)
{
    for (int i = 0; i < nactions; i++)
        if (strcmp(actions[i].name, name) == 0)
            return &actions[i];
    return NULL;
}

request key_request(int is_key_code, uint32_t ch)
{
    if (is_key_code) {
        switch (ch) {
        case KEY_UP: return REQ_UP;
        case KEY_DOWN: return REQ_DOWN;
        case KEY_LEFT: return REQ_LEFT;
        case KEY_RIGHT: return REQ_RIGHT;
        case KEY_PPAGE: return REQ_PAGE_UP;
        case KEY_NPAGE: return REQ_PAGE_DOWN;
        case KEY_HOME: return REQ_FIRST;
        case KEY_END: return REQ_LAST;
        case KEY_ENTER: return REQ_ENTER;
        case KEY_BACKSPACE: return REQ_BACK;
        case KEY_F(1): return REQ_HELP;
        default: return REQ_NONE;
        }
    }
    switch (ch) {
    case 'k': return REQ_UP;
    case 'j': return REQ_DOWN;
    case 'h': return REQ_LEFT;
    case 'l': return REQ_RIGHT;
    case CTRL('b'): return REQ_PAGE_UP;
    case CTRL('f'): case ' ': return REQ_PAGE_DOWN;
    case CTRL('u'): return REQ_HALF_UP;
    case CTRL('d'): return REQ_HALF_DOWN;
    case 'g': return REQ_FIRST;
    case 'G': return REQ_LAST;
    case '0': return REQ_LINE_START;
    case '$': return REQ_LINE_END;
    case '\n': case '\r': return REQ_ENTER;
    case 'q': case 127: case CTRL('h'): case 27: return REQ_BACK;
    case ']': return REQ_NEXT_RECORD;
    case '[': return REQ_PREV_RECORD;
    case 's': return REQ_SORT_ASC;
    case 'S': return REQ_SORT_DESC;
    case '>': return REQ_WIDER;
    case '<': return REQ_NARROWER;
    case 'H': return REQ_HOME;
    case 'a': return REQ_ADD;
    case 'e': return REQ_EDIT;
    case 'c': return REQ_DUPLICATE;
    case 'D': return REQ_DELETE;
    case 'w': return REQ_SAVE;
    case 'u': return REQ_UNDO;
    case CTRL('r'): return REQ_REDO;
    case 'L': return REQ_HISTORY;
    case 'P': return REQ_PROBLEMS;
    case 'R': return REQ_SUMMARY;
    case ':': return REQ_PROMPT;
    case '/': return REQ_SEARCH;
    case '?': return REQ_SEARCH_BACK;
    case 'n': return REQ_FIND_NEXT;
    case 'N': return REQ_FIND_PREV;
    case '&': return REQ_FILTER;
    case '=': return REQ_FILTER_EQ;
    case 'x': return REQ_UNFILTER;
    case 'X': return REQ_UNFILTER_ALL;
    case CTRL('l'): return REQ_REDRAW;
    case 'Q': return REQ_QUIT;
    default: return REQ_NONE;
    }
}
