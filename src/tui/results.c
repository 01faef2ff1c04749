/* results.c — `:grep REGEX`: one pattern over every register, the matching
 * rows grouped by register with counts; Enter opens a record. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/rx.h"
#include "tui/tui.h"

#define PER_TABLE 100

typedef struct rline {
    const table *t;       /* NULL for a register heading */
    int64_t rowid;
    char *text;
} rline;

typedef struct rsview {
    char *pattern;
    rline *lines;
    int n, cur, top;
    int64_t found;
} rsview;

static void add(rsview *r, const table *t, int64_t rowid, const char *text)
{
    r->lines = xrealloc(r->lines, sizeof(rline) * (size_t)(r->n + 1));
    r->lines[r->n].t = t;
    r->lines[r->n].rowid = rowid;
    r->lines[r->n].text = xstrdup(text);
    r->n++;
}

static void move(rsview *r, int delta)
{
    int i = r->cur;
    int step = delta > 0 ? 1 : -1;
    while (delta) {
        int j = i + step;
        while (j >= 0 && j < r->n && !r->lines[j].t)
            j += step;
        if (j < 0 || j >= r->n)
            break;
        i = j;
        delta -= step;
    }
    r->cur = i;
}

static void rs_draw(view *v)
{
    rsview *r = v->data;
    int rows = screen_rows(), cols = screen_cols();
    if (r->cur < r->top)
        r->top = r->cur;
    if (r->cur >= r->top + rows)
        r->top = r->cur - rows + 1;
    if (r->top > 0 && !r->lines[r->top - 1].t && r->cur - (r->top - 1) < rows)
        r->top--;
    for (int i = 0; i < rows && r->top + i < r->n; i++) {
        const rline *l = &r->lines[r->top + i];
        draw_text(1 + i, 0, cols, l->text,
                  !l->t ? ATTR_GROUP : r->top + i == r->cur ? ATTR_SELECTED : ATTR_NORMAL, 0);
    }
    if (!r->n)
        draw_text(1, 0, cols, _("(nothing matches)"), ATTR_DIM, 0);
}

static void rs_request(view *v, request req)
{
    rsview *r = v->data;
    int page = screen_rows() > 1 ? screen_rows() - 1 : 1;
    switch (req) {
    case REQ_UP: move(r, -1); break;
    case REQ_DOWN: move(r, 1); break;
    case REQ_PAGE_UP: case REQ_HALF_UP: move(r, -page); break;
    case REQ_PAGE_DOWN: case REQ_HALF_DOWN: move(r, page); break;
    case REQ_FIRST: move(r, -r->n); break;
    case REQ_LAST: move(r, r->n); break;
    case REQ_ENTER:
        if (r->n && r->lines[r->cur].t)
            view_push(record_new(r->lines[r->cur].t, r->lines[r->cur].rowid, NULL));
        break;
    default:
        break;
    }
}

static void rs_title(view *v, buf *out)
{
    rsview *r = v->data;
    buf_printf(out, "grep %s", r->pattern);
}

static void rs_status(view *v, buf *out)
{
    rsview *r = v->data;
    buf_printf(out, _("%lld matching rows  Enter: open  q: back"), (long long)r->found);
}

static void rs_free(view *v)
{
    rsview *r = v->data;
    for (int i = 0; i < r->n; i++)
        free(r->lines[i].text);
    free(r->lines);
    free(r->pattern);
    free(r);
    free(v);
}

static const view_ops rs_ops = {
    .name = "grep",
    .draw = rs_draw,
    .request = rs_request,
    .status = rs_status,
    .title = rs_title,
    .free = rs_free,
};

view *grep_new(const char *pattern, mr_err *e)
{
    db *d = tui_db();
    const schema *s = db_schema(d);
    rsview *r = xcalloc(1, sizeof *r);
    r->pattern = xstrdup(pattern);
    buf b = BUF_INIT;
    for (int i = 0; i < s->ntables; i++) {
        const table *t = &s->tables[i];
        db_filter f;
        if (db_filter_parse_rx(t, pattern, &f, e) < 0)
            goto fail;
        int64_t n = db_count(d, t, &f, 1);
        if (n < 0) {
            err_set(e, EXIT_NOTFOUND, _("%s: the pattern failed (too much backtracking?)"), t->id);
            goto fail;
        }
        if (n == 0)
            continue;
        r->found += n;
        buf_reset(&b);
        buf_printf(&b, "%s%s%s (%s): %lld", t->appendix, *t->appendix ? " " : "",
                   i18n_is_zh() ? t->title : t->title_en, t->id, (long long)n);
        add(r, NULL, 0, buf_str(&b));
        cursor *c = db_select(d, t, &f, 1, -1, 0, PER_TABLE, e);
        while (c && cursor_next(c) == 1) {
            buf_reset(&b);
            const char *k = cursor_val(c, t->key_ci), *l = cursor_val(c, t->label_ci);
            buf_printf(&b, "  %s", k ? k : "");
            if (t->label_ci != t->key_ci && l)
                buf_printf(&b, "  %s", l);
            add(r, t, cursor_rowid(c), buf_str(&b));
        }
        cursor_free(c);
        if (n > PER_TABLE) {
            buf_reset(&b);
            buf_printf(&b, "  … %lld %s", (long long)(n - PER_TABLE), _("more: open the register and filter with &"));
            add(r, NULL, 0, buf_str(&b));
        }
    }
    buf_free(&b);
    r->cur = 0;
    move(r, 1);
    if (r->n && !r->lines[0].t && r->n > 1)
        r->cur = 1;
    view *v = xcalloc(1, sizeof *v);
    v->ops = &rs_ops;
    v->data = r;
    return v;
fail:
    buf_free(&b);
    for (int i = 0; i < r->n; i++)
        free(r->lines[i].text);
    free(r->lines);
    free(r->pattern);
    free(r);
    return NULL;
}
