/* textview.c — a text to read, a line a list line (the list layer moves,
 * searches and scrolls it): a change shown whole from the history. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/list.h"

typedef struct tview_text {
    char *title, *status;
    char **lines;
    int n;
    list l;
} tview_text;

static int tx_line(list *l, int64_t i, int y, int room, int sel)
{
    tview_text *x = l->data;
    (void)room;
    if (sel)
        draw_fill(y, 0, screen_cols(), ATTR_SELECTED);
    draw_text(y, 0, screen_cols(), x->lines[i], sel ? ATTR_SELECTED : ATTR_NORMAL, 0);
    return 1;
}

static void tx_text(list *l, int64_t i, buf *out) { buf_puts(out, ((tview_text *)l->data)->lines[i]); }

static const list_ops tx_list = {.draw_line = tx_line, .text = tx_text};

static void tx_draw(view *v) { list_draw(&((tview_text *)v->data)->l); }
static void tx_request(view *v, request req) { list_request(&((tview_text *)v->data)->l, req); }
static void tx_title(view *v, buf *out) { buf_puts(out, ((tview_text *)v->data)->title); }
static void tx_status(view *v, buf *out) { buf_puts(out, ((tview_text *)v->data)->status); }

static void tx_free(view *v)
{
    tview_text *x = v->data;
    for (int i = 0; i < x->n; i++)
        free(x->lines[i]);
    free(x->lines);
    free(x->title);
    free(x->status);
    list_free(&x->l);
    free(x);
    free(v);
}

static const view_ops tx_ops = {
    .name = "text",
    .draw = tx_draw,
    .request = tx_request,
    .status = tx_status,
    .title = tx_title,
    .free = tx_free,
};

view *textview_new(const char *title, const char *text, const char *status)
{
    tview_text *x = xcalloc(1, sizeof *x);
    x->title = xstrdup(title);
    x->status = xstrdup(status);
    for (const char *p = text; *p;) {
        size_t k = strcspn(p, "\n");
        x->lines = xrealloc(x->lines, sizeof *x->lines * (size_t)(x->n + 1));
        x->lines[x->n++] = xstrndup(p, k);
        p += k;
        if (*p == '\n')
            p++;
    }
    list_init(&x->l, &tx_list, x, x->n);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &tx_ops;
    v->data = x;
    return v;
}
