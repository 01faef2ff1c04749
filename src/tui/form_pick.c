/* form_pick.c — a form field's pick list: the values of an enum or link
 * column in a framed list over the form, narrowed as the clerk types; a
 * multi-valued column's items marked with Space (see form_pick.h). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/form_int.h"
#include "tui/list.h"

/* ---- pick lists ------------------------------------------------------------ */

typedef struct pick {
    const char *title;
    const column *c;      /* the field being picked for */
    char **vals, **shown; /* items: the value stored and what is shown */
    int n, cur, top;
    buf filter;
    /* a multi-valued column: the values marked (Space), in the order
     * marked, kept while the filter changes */
    int multi;
    char **marked;
    int nmarked;
} pick;

static int pick_marked(const pick *p, const char *val)
{
    for (int i = 0; i < p->nmarked; i++)
        if (strcmp(p->marked[i], val) == 0)
            return i;
    return -1;
}

static void pick_toggle(pick *p, const char *val)
{
    int i = pick_marked(p, val);
    if (i >= 0) {
        free(p->marked[i]);
        memmove(p->marked + i, p->marked + i + 1, sizeof(char *) * (size_t)(p->nmarked - i - 1));
        p->nmarked--;
        return;
    }
    p->marked = xrealloc(p->marked, sizeof(char *) * (size_t)(p->nmarked + 1));
    p->marked[p->nmarked++] = xstrdup(val);
}

static void pick_clear(pick *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->vals[i]);
        free(p->shown[i]);
    }
    free(p->vals);
    free(p->shown);
    p->vals = p->shown = NULL;
    p->n = 0;
}

static void pick_add(pick *p, const char *val, const char *shown)
{
    p->vals = xrealloc(p->vals, sizeof(char *) * (size_t)(p->n + 1));
    p->shown = xrealloc(p->shown, sizeof(char *) * (size_t)(p->n + 1));
    p->vals[p->n] = xstrdup(val);
    p->shown[p->n] = xstrdup(shown);
    p->n++;
}

#define PICK_MAX 200

/* Fill the list: the enumeration, or the linked register's rows that
 * contain the filter text (key or label). */
static void pick_load(pick *p)
{
    pick_clear(p);
    const column *c = p->c;
    const char *f = buf_str(&p->filter);
    if (*c->enum_s) {
        char *copy = xstrdup(c->enum_s), *save = NULL;
        for (char *x = strtok_r(copy, "|", &save); x; x = strtok_r(NULL, "|", &save))
            if (!*f || strstr(x, f))
                pick_add(p, x, x);
        free(copy);
        return;
    }
    db *d = tui_db();
    const table *lt = &db_schema(d)->tables[c->link_ti];
    int cis[3] = {c->link_ci, lt->key_ci, lt->label_ci};
    cursor *cu = db_select_like(d, lt, cis, 3, f, PICK_MAX, NULL);
    buf b = BUF_INIT;
    while (cu && cursor_next(cu) == 1) {
        const char *v = cursor_val(cu, c->link_ci), *k = cursor_val(cu, lt->key_ci),
                   *l = cursor_val(cu, lt->label_ci);
        if (!v)
            continue;
        buf_reset(&b);
        buf_puts(&b, v);
        if (k && strcmp(k, v) != 0)
            buf_printf(&b, "  %s", k);
        if (l && strcmp(l, v) != 0 && (!k || strcmp(l, k) != 0))
            buf_printf(&b, "  %s", l);
        pick_add(p, v, buf_str(&b));
    }
    cursor_free(cu);
    buf_free(&b);
}

static void pick_draw(void *arg)
{
    pick *p = arg;
    /* inside the frame: the title, the find line, the items, the keys */
    int w = COLS - 4 < 64 ? COLS - 4 : 64, h = LINES - 5 < 16 ? LINES - 5 : 16;
    if (w < 10 || h < 4)
        return;
    int x = (COLS - w) / 2, y = (LINES - h) / 2;
    int rows = h - 3;
    draw_box(y, x, h, w, ATTR_STATUS);
    if (p->cur < p->top)
        p->top = p->cur;
    if (p->cur >= p->top + rows)
        p->top = p->cur - rows + 1;
    draw_text(y, x, w, p->title, ATTR_TITLE, 0);
    buf f = BUF_INIT;
    buf_printf(&f, "%s %s", _("find:"), buf_str(&p->filter));
    draw_text(y + 1, x, w, buf_str(&f), ATTR_STATUS, 0);
    buf_free(&f);
    for (int i = 0; i < rows; i++) {
        int k = p->top + i;
        buf item = BUF_INIT;
        if (k < p->n && p->multi)
            buf_puts(&item, pick_marked(p, p->vals[k]) >= 0 ? "[x] " : "[ ] ");
        buf_puts(&item, k < p->n ? p->shown[k] : (k == 0 ? _("(nothing matches)") : ""));
        draw_text(y + 2 + i, x, w, buf_str(&item), k == p->cur && k < p->n ? ATTR_SELECTED : ATTR_STATUS, 0);
        buf_free(&item);
    }
    char n[128];
    if (p->multi)
        snprintf(n, sizeof n, _("%d shown, %d marked  Space: mark  Enter: set  Esc: cancel"), p->n,
                 p->nmarked);
    else
        snprintf(n, sizeof n, _("%d shown  Enter: choose  Esc: cancel"), p->n);
    draw_text(y + h - 1, x, w, n, ATTR_STATUS, 0);
}

/* Let the clerk choose a value for c (tui.h).  Returns 1 with the value in out.
 * A multi-valued column: Space marks items (the field's items marked to
 * begin with), Enter sets them joined with ';' (none marked: the one under
 * the cursor).  2: Tab, the clerk would rather type the value. */
int form_pick(const column *c, const char *now, buf *out)
{
    pick p = {0};
    p.c = c;
    p.multi = c->multi;
    if (p.multi && now) {
        char *copy = xstrdup(now), *save = NULL;
        for (char *x = strtok_r(copy, ";", &save); x; x = strtok_r(NULL, ";", &save))
            if (*x && pick_marked(&p, x) < 0)
                pick_toggle(&p, x);
        free(copy);
    }
    buf t = BUF_INIT;
    col_header(c, &t);
    p.title = buf_str(&t);
    pick_load(&p);
    tui_set_overlay(pick_draw, &p);
    int chosen = 0;
    for (;;) {
        tui_redraw();
        uint32_t ch;
        int r = tui_key(&ch);
        if (r == TK_EOF || r == TK_SIGNAL)
            break;
        int back = (r == TK_KEY && ch == KEY_BACKSPACE) || (r == TK_CHAR && (ch == 127 || ch == 8));
        if (r == TK_CHAR && ch == '\t') {
            chosen = 2;   /* typed instead, on the prompt (Tab completes there) */
            break;
        }
        if (p.multi && r == TK_CHAR && ch == ' ') {
            if (p.n)
                pick_toggle(&p, p.vals[p.cur]);
            continue;
        }
        if (back || (r == TK_CHAR && ch >= 0x20)) {
            /* typing narrows the list; Backspace widens it again */
            if (back && !p.filter.len)
                continue;
            if (back)
                utf8_chop(&p.filter);
            else
                utf8_append(&p.filter, ch);
            p.cur = p.top = 0;
            pick_load(&p);
            continue;
        }
        if (r == TK_KEY) {
            if (ch == KEY_UP && p.cur > 0)
                p.cur--;
            else if (ch == KEY_DOWN && p.cur < p.n - 1)
                p.cur++;
            else if (ch == KEY_PPAGE)
                p.cur = p.cur > 10 ? p.cur - 10 : 0;
            else if (ch == KEY_NPAGE)
                p.cur = p.cur + 10 < p.n ? p.cur + 10 : (p.n ? p.n - 1 : 0);
            continue;
        }
        if (ch == 27 || ch == 3)
            break;
        if (ch == '\r' || ch == '\n') {
            if (p.multi && p.nmarked) {
                buf_reset(out);
                for (int i = 0; i < p.nmarked; i++)
                    buf_printf(out, "%s%s", i ? ";" : "", p.marked[i]);
                chosen = 1;
            } else if (p.n) {
                buf_reset(out);
                buf_puts(out, p.vals[p.cur]);
                chosen = 1;
            }
            break;
        }
    }
    for (int i = 0; i < p.nmarked; i++)
        free(p.marked[i]);
    free(p.marked);
    tui_set_overlay(NULL, NULL);
    pick_clear(&p);
    buf_free(&p.filter);
    buf_free(&t);
    return chosen;
}
