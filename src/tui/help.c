/* help.c — the help screen, generated from the request and binding tables in keys.c. */
#include "config.h"

#include <stdlib.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/list.h"

typedef struct hview {
    list l;
    int kw;               /* the keys' column */
} hview;

/* the requests, a blank line, the ":" commands, one line on the rest, a
 * blank line, the prompt's keys */
#define L_REST (nactions + 1 + tui_ncommands)
#define L_PROMPT (L_REST + 2)
static int nlines(void) { return L_PROMPT + prompt_nkeys; }

static const char *rest_text(void)
{
    return _(":REGISTER opens a register by id, alias or title; :NAME runs any action above by its name.");
}

/* Line i's two parts: the keys (or the command) and what it does. */
static void parts(int64_t i, buf *keys, const char **help)
{
    *help = NULL;
    if (i < nactions) {
        action_keys(actions[i].req, keys);
        *help = _(actions[i].help);
    } else if (i > nactions && i <= nactions + tui_ncommands) {
        const tui_command *c = &tui_commands[i - nactions - 1];
        command_usage(c, keys);
        *help = _(c->help);
    } else if (i == L_REST) {
        *help = rest_text();
    } else if (i >= L_PROMPT) {
        prompt_key_help((int)(i - L_PROMPT), keys, help);
    }
}

static int help_line(list *l, int64_t i, int y, int room, int sel)
{
    hview *h = l->data;
    int cols = screen_cols(), attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    (void)room;
    buf keys = BUF_INIT;
    const char *help;
    parts(i, &keys, &help);
    if (sel)
        draw_fill(y, 0, cols, attr);
    if (i == L_REST) {
        draw_text(y, 0, cols, help, sel ? attr : ATTR_DIM, 0);
    } else if (help) {
        int cw = i < nactions || i >= L_PROMPT ? h->kw : text_width(buf_str(&keys)) + 2;
        if (cw < h->kw)
            cw = h->kw;
        if (cw > cols)
            cw = cols;
        draw_text(y, 0, cw, buf_str(&keys), sel ? attr : ATTR_HEADER, 0);
        draw_text(y, cw, cols - cw, help, attr, 0);
    }
    buf_free(&keys);
    return 1;
}

static int help_selectable(list *l, int64_t i) { (void)l; return i != nactions && i != L_REST + 1; }

static void help_text(list *l, int64_t i, buf *out)
{
    (void)l;
    const char *help;
    parts(i, out, &help);
    if (help)
        buf_printf(out, " %s", help);
}

static const list_ops help_list = {
    .draw_line = help_line,
    .selectable = help_selectable,
    .text = help_text,
};

static void help_draw(view *v)
{
    hview *h = v->data;
    int cols = screen_cols();
    h->kw = 16;
    buf keys = BUF_INIT;
    for (int i = 0; i < nactions; i++) {
        buf_reset(&keys);
        action_keys(actions[i].req, &keys);
        int w = text_width(buf_str(&keys));
        if (w + 2 > h->kw)
            h->kw = w + 2;
    }
    buf_free(&keys);
    if (h->kw > cols / 2)
        h->kw = cols / 2;
    list_draw(&h->l);
}

static void help_request(view *v, request req)
{
    hview *h = v->data;
    list_request(&h->l, req);
}

static void help_title(view *v, buf *out)
{
    (void)v;
    buf_puts(out, _("help"));
}

static void help_status(view *v, buf *out)
{
    (void)v;
    buf_puts(out, _("keys and commands  q: back"));
}

static void help_free(view *v)
{
    list_free(&((hview *)v->data)->l);
    free(v->data);
    free(v);
}

static const view_ops help_ops = {
    .name = "help",
    .draw = help_draw,
    .request = help_request,
    .status = help_status,
    .title = help_title,
    .free = help_free,
};

view *help_new(void)
{
    view *v = xcalloc(1, sizeof *v);
    v->ops = &help_ops;
    hview *h = xcalloc(1, sizeof *h);
    list_init(&h->l, &help_list, h, nlines());
    v->data = h;
    return v;
}
