/* list.c — the list layer: lines, cursor, window, every move, `/ ? n N`
 * and the draw loop, once for every list screen (see list.h).
 *
 * The moves, as on the table screen since the start: ↑ ↓ one line; a page
 * (PgDn ^F Space, PgUp ^B) moves the window and the cursor a full list
 * height; a half page (^D ^U) half of it; g/Home and G/End the first and
 * the last line.  The cursor stops only on lines it may (not on a group's
 * heading), and a heading stays in view with the first line under it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/list.h"

static int is_virtual(const list *l) { return l->ops->seek != NULL; }

static int can_stop(list *l, int64_t i)
{
    return i >= 0 && i < l->n && (!l->ops->selectable || l->ops->selectable(l, i));
}

static int height(list *l, int64_t i) { return l->ops->height ? l->ops->height(l, i) : 1; }

int list_rows(list *l)
{
    int r = l->ops->rows ? l->ops->rows(l) : screen_rows() - (l->y0 - 1);
    return r > 0 ? r : 1;
}

/* The nearest line the cursor may stop on from i, looking first in
 * direction dir, then back; -1 when there is none. */
static int64_t nearest(list *l, int64_t i, int dir)
{
    if (i >= l->n)
        i = l->n - 1;
    if (i < 0)
        i = 0;
    for (int64_t j = i; j >= 0 && j < l->n; j += dir)
        if (can_stop(l, j))
            return j;
    for (int64_t j = i - dir; j >= 0 && j < l->n; j -= dir)
        if (can_stop(l, j))
            return j;
    return -1;
}

/* The window follows the cursor: its line (all its rows) on screen, and a
 * heading above it kept in view while there is room. */
static void follow(list *l)
{
    int rows = list_rows(l);
    if (l->cur < 0)
        l->cur = 0;
    if (l->top > l->cur)
        l->top = l->cur;
    for (;;) {
        int h = 0;
        for (int64_t i = l->top; i <= l->cur && h <= rows; i++)
            h += height(l, i);
        if (h <= rows || l->top >= l->cur)
            break;
        l->top++;
    }
    /* no empty rows under the last line when the lines would fill them */
    if (l->top > l->n - rows && !l->ops->height)
        l->top = l->n - rows;
    if (l->top < 0)
        l->top = 0;
    while (l->ops->heading && l->top > 0 && l->ops->heading(l, l->top - 1) &&
           l->cur - (l->top - 1) < rows)
        l->top--;
}

void list_go(list *l, int64_t i)
{
    if (is_virtual(l)) {
        l->cur = i;
        l->ops->clamp(l);
        return;
    }
    int64_t j = nearest(l, i, 1);
    l->cur = j < 0 ? 0 : j;
    follow(l);
}

void list_init(list *l, const list_ops *ops, void *data, int64_t n)
{
    memset(l, 0, sizeof *l);
    l->ops = ops;
    l->data = data;
    l->y0 = 1;
    l->search_dir = 1;
    list_reset(l, n);
    if (!is_virtual(l))
        list_go(l, 0);
}

void list_reset(list *l, int64_t n)
{
    l->n = n;
    if (is_virtual(l))
        return;
    int64_t j = nearest(l, l->cur, -1);
    l->cur = j < 0 ? 0 : j;
    if (l->top >= n)
        l->top = n > 0 ? n - 1 : 0;
}

static void set_search(list *l, const char *pat)
{
    rx_free(l->search_rx);
    l->search_rx = NULL;
    free(l->search);
    l->search = NULL;
    if (pat && *pat) {
        l->search = xstrdup(pat);
        l->search_rx = rx_compile(pat, RX_SMARTCASE, NULL);
    }
}

void list_free(list *l) { set_search(l, NULL); }

/* Move by delta lines the cursor may stop on, at most to the last. */
static void step(list *l, int64_t delta)
{
    int dir = delta > 0 ? 1 : -1;
    int64_t i = l->cur;
    while (delta) {
        int64_t j = i + dir;
        while (j >= 0 && j < l->n && !can_stop(l, j))
            j += dir;
        if (j < 0 || j >= l->n)
            break;
        i = j;
        delta -= dir;
    }
    l->cur = i;
}

/* A page: the window and the cursor move as far, within the lines. */
static void page(list *l, int64_t delta)
{
    int rows = list_rows(l);
    l->top += delta;
    if (l->top > l->n - rows)
        l->top = l->n - rows;
    if (l->top < 0)
        l->top = 0;
    int64_t i = l->cur + delta;
    if (i >= l->n)
        i = l->n - 1;
    if (i < 0)
        i = 0;
    int64_t j = nearest(l, i, delta > 0 ? 1 : -1);
    if (j >= 0)
        l->cur = j;
}

static void move(list *l, int how, int64_t delta)
{
    if (is_virtual(l)) {
        l->ops->seek(l, how, delta);
        return;
    }
    if (l->n == 0)
        return;
    switch (how) {
    case LIST_LINE: step(l, delta); break;
    case LIST_PAGE: page(l, delta); break;
    case LIST_FIRST: l->top = 0; l->cur = nearest(l, 0, 1) < 0 ? 0 : nearest(l, 0, 1); break;
    case LIST_LAST: {
        int64_t j = nearest(l, l->n - 1, -1);
        l->cur = j < 0 ? 0 : j;
        break;
    }
    }
    follow(l);
}

/* ---- search ------------------------------------------------------------------ */

static int64_t count(list *l) { return is_virtual(l) ? l->ops->count(l) : l->n; }

/* In held lines (a few hundred at most: no progress shown): the first
 * line after from in direction dir that matches. */
static int64_t find_held(list *l, int64_t from, int dir, const char *pat, mr_err *e)
{
    rx *r = rx_compile(pat, RX_SMARTCASE, e);
    if (!r)
        return -2;
    buf t = BUF_INIT;
    int64_t hit = -1;
    for (int64_t i = from + dir; i >= 0 && i < l->n && hit < 0; i += dir) {
        if (!can_stop(l, i))
            continue;
        buf_reset(&t);
        l->ops->text(l, i, &t);
        size_t so, eo;
        if (rx_search(r, buf_str(&t), t.len, &so, &eo, NULL) == 1)
            hit = i;
    }
    buf_free(&t);
    rx_free(r);
    return hit;
}

static int64_t find(list *l, int64_t from, int dir, const char *pat, mr_err *e)
{
    return is_virtual(l) ? l->ops->find(l, from, dir, pat, e) : find_held(l, from, dir, pat, e);
}

/* Search from `from` (exclusive) in direction dir, wrapping once. */
static void search(list *l, const char *pat, int dir, int64_t from, int quiet)
{
    mr_err e = {0};
    int64_t pos = find(l, from, dir, pat, &e);
    int wrapped = 0;
    if (pos == -1) {
        int64_t n = dir > 0 ? -1 : count(l);
        if (dir < 0 && n < 0)
            return;   /* the count failed: said */
        pos = find(l, n, dir, pat, &e);
        wrapped = pos >= 0;
    }
    if (pos == -2) {
        tui_error(&e);
        return;
    }
    if (pos < 0) {
        if (!quiet)
            tui_message(_("no match for %s"), pat);
        return;
    }
    int64_t off = l->cur - l->top;
    l->cur = pos;
    if (l->cur < l->top || l->cur >= l->top + list_rows(l))
        l->top = l->cur - off;   /* the match where the cursor was on screen */
    list_go(l, pos);
    if (wrapped && !quiet)
        tui_message("%s", dir > 0 ? _("search wrapped to the top") : _("search wrapped to the bottom"));
}

/* As the clerk types: jump to the first match from where the search began. */
static void search_live(const char *text, void *arg)
{
    list *l = arg;
    mr_err e = {0};
    list_go(l, l->search_origin);
    if (!*text) {
        set_search(l, NULL);
        return;
    }
    rx *r = rx_compile(text, RX_SMARTCASE, &e);
    if (!r) {
        tui_error(&e);   /* incomplete pattern: say why, keep the place */
        return;
    }
    rx_free(r);
    set_search(l, text);
    search(l, text, l->search_dir, l->search_origin - l->search_dir, 1);
}

static void prompt_search(list *l, int dir)
{
    buf pat = BUF_INIT;
    if (l->ops->absolute)
        l->ops->absolute(l);   /* a search runs on positions from the start */
    l->search_dir = dir;
    l->search_origin = l->cur;
    if (tui_prompt_live(dir > 0 ? "/" : "?", NULL, &pat, search_live, l) && pat.len) {
        set_search(l, buf_str(&pat));
        if (l->search_rx)
            search(l, buf_str(&pat), dir, l->search_origin - dir, 0);
    } else {
        set_search(l, NULL);   /* Esc: back where the search began */
        list_go(l, l->search_origin);
    }
    buf_free(&pat);
}

static int can_search(list *l)
{
    if (l->ops->text || l->ops->find)
        return 1;
    tui_message("%s", l->ops->nosearch ? _(l->ops->nosearch) : _("this screen has no text to search"));
    return 0;
}

/* ---- requests ---------------------------------------------------------------- */

void list_not_here(request req)
{
    buf k = BUF_INIT;
    action_keys(req, &k);
    const action *a = &actions[req - 1];
    tui_message(_("%s (%s) does nothing on this screen  ?: help"),
                k.len ? buf_str(&k) : a->name, a->name);
    buf_free(&k);
}

void list_request(list *l, request req)
{
    int rows = list_rows(l), half = rows / 2 > 0 ? rows / 2 : 1;
    switch (req) {
    case REQ_UP: move(l, LIST_LINE, -1); break;
    case REQ_DOWN: move(l, LIST_LINE, 1); break;
    case REQ_PAGE_UP: move(l, LIST_PAGE, -rows); break;
    case REQ_PAGE_DOWN: move(l, LIST_PAGE, rows); break;
    case REQ_HALF_UP: move(l, LIST_PAGE, -half); break;
    case REQ_HALF_DOWN: move(l, LIST_PAGE, half); break;
    case REQ_SCROLL_UP: move(l, LIST_PAGE, -LIST_WHEEL); break;
    case REQ_SCROLL_DOWN: move(l, LIST_PAGE, LIST_WHEEL); break;
    case REQ_FIRST: move(l, LIST_FIRST, 0); break;
    case REQ_LAST: move(l, LIST_LAST, 0); break;
    case REQ_SEARCH:
    case REQ_SEARCH_BACK:
        if (can_search(l))
            prompt_search(l, req == REQ_SEARCH ? 1 : -1);
        break;
    case REQ_FIND_NEXT:
    case REQ_FIND_PREV:
        if (!can_search(l))
            break;
        if (!l->search) {
            tui_message("%s", _("no search yet: / searches"));
            break;
        }
        if (l->ops->absolute)
            l->ops->absolute(l);
        search(l, l->search, req == REQ_FIND_NEXT ? l->search_dir : -l->search_dir, l->cur, 0);
        break;
    case REQ_NEXT_RECORD:
    case REQ_PREV_RECORD:
        /* on a list of records: they step from a record opened here */
        if (l->ops->record || l->ops->step)
            tui_message("%s", _("open a record first (Enter)"));
        else
            list_not_here(req);
        break;
    default:
        list_not_here(req);
    }
}

/* ---- drawing ------------------------------------------------------------------ */

void list_draw(list *l)
{
    int rows = list_rows(l);
    if (!is_virtual(l))
        follow(l);
    int y = l->y0;
    for (int64_t i = l->top; y < l->y0 + rows && (is_virtual(l) || i < l->n); i++) {
        int h = l->ops->draw_line(l, i, y, l->y0 + rows - y, i == l->cur);
        if (h <= 0)
            break;   /* a virtual source's lines ended */
        y += h;
    }
}

/* ---- the list a record was opened from ----------------------------------------- */

static int record_of(list *l, int64_t i, const table **t, int64_t *rowid)
{
    return i >= 0 && i < l->n && l->ops->record && l->ops->record(l, i, t, rowid);
}

int list_step_record(list *p, int delta, const table **t, int64_t *rowid)
{
    if (is_virtual(p))
        return p->ops->step && p->ops->step(p, delta, t, rowid);
    const table *ct = NULL;
    int64_t crow = -1;
    record_of(p, p->cur, &ct, &crow);
    int dir = delta > 0 ? 1 : -1;
    for (int64_t i = p->cur + dir; i >= 0 && i < p->n; i += dir) {
        /* the next line about another record (several findings on one
         * record are one step) */
        if (record_of(p, i, t, rowid) && (*t != ct || *rowid != crow)) {
            if (delta -= dir)
                continue;
            list_go(p, i);
            return 1;
        }
    }
    return 0;
}

int list_position(list *p, int64_t *i, int64_t *n)
{
    if (is_virtual(p)) {
        *n = p->ops->count(p);
        *i = p->cur;
        return *n > 0;
    }
    const table *t;
    int64_t rowid;
    *i = *n = 0;
    for (int64_t k = 0; k < p->n; k++)
        if (record_of(p, k, &t, &rowid)) {
            if (k < p->cur)
                ++*i;
            ++*n;
        }
    return *n > 0 && record_of(p, p->cur, &t, &rowid);
}
