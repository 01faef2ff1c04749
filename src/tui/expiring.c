/* expiring.c — the :expiring screen: the permits `minreg expiring` lists
 * (core/life.h), as of the browser's --today, within :expiring DAYS
 * (default 90): expired with no extension or cancellation, inside the
 * extension's filing window, or due; by date.  Enter opens the permit;
 * ] and [ on it step along this list. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/i18n.h"
#include "core/life.h"
#include "core/text.h"
#include "tui/list.h"

enum { X_DAYS, X_STATE, X_TO, X_REG, X_KEY, X_NAME, X_HOLDER, X_DISTRICT, X_LAST, X_NO, X_COLS };

typedef struct xview {
    life_due *v;
    int n;
    long within;
    char today[11];
    char **cells;     /* (n + 1) * X_COLS, row 0 the header */
    int w[X_COLS];
    list l;
} xview;

static const char *cell(const xview *x, int row, int c) { return x->cells[row * X_COLS + c]; }

static void draw_row(const xview *x, int row, int y, int attr)
{
    int cols = screen_cols(), at = 0;
    for (int c = 0; c < X_COLS && at < cols; c++) {
        int cw = at + x->w[c] > cols ? cols - at : x->w[c];
        draw_text(y, at, cw, cell(x, row, c), attr, c == X_DAYS && row > 0);
        at += x->w[c] + 2;
    }
}

static int x_line(list *l, int64_t i, int y, int room, int sel)
{
    xview *x = l->data;
    (void)room;
    int attr = sel ? ATTR_SELECTED : x->v[i].state == LIFE_EXPIRED ? ATTR_MARK : ATTR_NORMAL;
    if (sel)
        draw_fill(y, 0, screen_cols(), attr);
    draw_row(x, (int)i + 1, y, attr);
    return 1;
}

static void x_text(list *l, int64_t i, buf *out)
{
    xview *x = l->data;
    for (int c = 0; c < X_COLS; c++)
        buf_printf(out, "%s%s", c ? " " : "", cell(x, (int)i + 1, c));
}

static int x_record(list *l, int64_t i, const table **t, int64_t *rowid)
{
    xview *x = l->data;
    if (i < 0 || i >= x->n)
        return 0;
    *t = x->v[i].t;
    *rowid = x->v[i].rowid;
    return 1;
}

static const list_ops x_list = {
    .draw_line = x_line,
    .text = x_text,
    .record = x_record,
};

static void x_draw(view *v)
{
    xview *x = v->data;
    draw_fill(1, 0, screen_cols(), ATTR_HEADER);
    draw_row(x, 0, 1, ATTR_HEADER);
    list_draw(&x->l);
    if (!x->n)
        draw_text(2, 0, screen_cols(), _("(no permit expires)"), ATTR_DIM, 0);
}

static void x_request(view *v, request req)
{
    xview *x = v->data;
    if (req == REQ_ENTER) {
        if (x->n)
            view_push(record_new(x->v[x->l.cur].t, x->v[x->l.cur].rowid, &x->l));
    } else {
        list_request(&x->l, req);
    }
}

static void x_title(view *v, buf *out)
{
    xview *x = v->data;
    buf_printf(out, _("Expiring: within %ld days of %s"), x->within, x->today);
}

static void x_status(view *v, buf *out)
{
    xview *x = v->data;
    int ex = 0, now = 0;
    for (int i = 0; i < x->n; i++) {
        ex += x->v[i].state == LIFE_EXPIRED;
        now += x->v[i].state == LIFE_FILE_NOW;
    }
    buf_printf(out, _("%d expired, %d to file now, %d due"), ex, now, x->n - ex - now);
    buf_printf(out, "  %s", _("Enter: the permit  q: back"));
}

static void x_free(view *v)
{
    xview *x = v->data;
    for (int i = 0; i < (x->n + 1) * X_COLS; i++)
        free(x->cells[i]);
    free(x->cells);
    life_due_free(x->v, x->n);
    list_free(&x->l);
    free(x);
    free(v);
}

static const view_ops x_ops = {
    .name = "expiring",
    .draw = x_draw,
    .request = x_request,
    .status = x_status,
    .title = x_title,
    .free = x_free,
};

int expiring_count(mr_err *e)
{
    char today[11];
    const char *opt = tui_options()->today;
    if (opt)
        snprintf(today, sizeof today, "%s", opt);
    else
        check_today(today);
    life_due *v;
    int n = life_expiring(tui_db(), today, 90, &v, e);
    if (n > 0)
        life_due_free(v, n);
    return n;
}

view *expiring_new(long within, mr_err *e)
{
    xview *x = xcalloc(1, sizeof *x);
    const char *opt = tui_options()->today;
    if (opt)
        snprintf(x->today, sizeof x->today, "%s", opt);
    else
        check_today(x->today);
    x->within = within;
    x->n = life_expiring(tui_db(), x->today, within, &x->v, e);
    if (x->n < 0) {
        free(x);
        return NULL;
    }
    static const char *const head[X_COLS] = {
        N_("Days left"), N_("State"), N_("Valid to"), N_("Register"), N_("Key"), N_("Name"),
        N_("Holder"), N_("District"), N_("Last event"), N_("Permit no."),
    };
    x->cells = xcalloc((size_t)(x->n + 1) * X_COLS, sizeof *x->cells);
    for (int r = 0; r <= x->n; r++)
        for (int c = 0; c < X_COLS; c++) {
            const life_due *u = r ? &x->v[r - 1] : NULL;
            char days[24];
            const char *s = NULL;
            if (!u)
                s = _(head[c]);
            else
                switch (c) {
                case X_DAYS: snprintf(days, sizeof days, "%ld", u->days); s = days; break;
                case X_TO: s = u->expiry; break;
                case X_REG: s = u->t->alias; break;
                case X_KEY: s = u->key; break;
                case X_NAME: s = u->name; break;
                case X_HOLDER: s = u->holder; break;
                case X_DISTRICT: s = u->district; break;
                case X_STATE: s = life_state_name(u->state); break;
                case X_LAST: s = u->last_event; break;
                case X_NO: s = u->number; break;
                }
            /* kept as given: draw_text escapes what it shows */
            x->cells[r * X_COLS + c] = xstrdup(s ? s : "");
            int cw = text_width(x->cells[r * X_COLS + c]);
            /* the name and the state are cut to 16 columns: the key finds the rest */
            if ((c == X_NAME || c == X_HOLDER) && cw > 16)
                cw = 16;
            if (c == X_STATE && cw > 12)
                cw = 12;
            if (cw > x->w[c])
                x->w[c] = cw;
        }
    list_init(&x->l, &x_list, x, x->n);
    x->l.y0 = 2;
    view *v = xcalloc(1, sizeof *v);
    v->ops = &x_ops;
    v->data = x;
    return v;
}
