/* help.c — the help screen, generated from the request and binding tables in keys.c. */
#include "config.h"

#include <stdlib.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/tui.h"

typedef struct hview {
    int top;
} hview;

/* the requests, a blank line, the ":" commands, one line on the rest */
static int nlines(void) { return nactions + 1 + tui_ncommands + 1; }

static void help_draw(view *v)
{
    hview *h = v->data;
    int rows = screen_rows(), cols = screen_cols();
    int kw = 16;
    buf keys = BUF_INIT;
    for (int i = 0; i < nactions; i++) {
        buf_reset(&keys);
        action_keys(actions[i].req, &keys);
        int w = text_width(buf_str(&keys));
        if (w + 2 > kw)
            kw = w + 2;
    }
    if (kw > cols / 2)
        kw = cols / 2;
    int y = 1;
    for (int i = h->top; i < nlines() && y <= rows; i++, y++) {
        if (i < nactions) {
            buf_reset(&keys);
            action_keys(actions[i].req, &keys);
            draw_text(y, 0, kw, buf_str(&keys), ATTR_HEADER, 0);
            draw_text(y, kw, cols - kw, _(actions[i].help), ATTR_NORMAL, 0);
        } else if (i > nactions && i <= nactions + tui_ncommands) {
            const tui_command *c = &tui_commands[i - nactions - 1];
            buf_reset(&keys);
            command_usage(c, &keys);
            int cw = text_width(buf_str(&keys)) + 2;
            if (cw < kw)
                cw = kw;
            if (cw > cols)
                cw = cols;
            draw_text(y, 0, cw, buf_str(&keys), ATTR_HEADER, 0);
            draw_text(y, cw, cols - cw, _(c->help), ATTR_NORMAL, 0);
        } else if (i == nactions + 1 + tui_ncommands) {
            draw_text(y, 0, cols, _(":REGISTER opens a register by id, alias or title; :NAME runs any action above by its name."),
                      ATTR_DIM, 0);
        }
    }
    buf_free(&keys);
}

static void help_request(view *v, request req)
{
    hview *h = v->data;
    int rows = screen_rows();
    switch (req) {
    case REQ_UP: h->top--; break;
    case REQ_DOWN: h->top++; break;
    case REQ_PAGE_UP: h->top -= rows; break;
    case REQ_PAGE_DOWN: h->top += rows; break;
    /* half a screen, as on every other screen (it paged a whole one) */
    case REQ_HALF_UP: h->top -= rows / 2 > 0 ? rows / 2 : 1; break;
    case REQ_HALF_DOWN: h->top += rows / 2 > 0 ? rows / 2 : 1; break;
    case REQ_FIRST: h->top = 0; break;
    case REQ_LAST: h->top = nlines() - rows; break;
    default: break;
    }
    if (h->top > nlines() - rows)
        h->top = nlines() - rows;
    if (h->top < 0)
        h->top = 0;
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
    v->data = xcalloc(1, sizeof(hview));
    return v;
}
