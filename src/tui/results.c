/* results.c — `:grep REGEX`: one pattern over every register, the matching
 * rows grouped by register with counts; Enter opens a record. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/rx.h"
#include "tui/list.h"

#define PER_TABLE 100

typedef struct rline {
    const table *t;       /* NULL for a register heading */
    int64_t rowid;
    char *text;
} rline;

typedef struct rsview {
    char *pattern;
    rline *lines;
    int n;
    list l;
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

static int rs_line(list *l, int64_t i, int y, int room, int sel)
{
    const rline *ln = &((rsview *)l->data)->lines[i];
    (void)room;
    draw_text(y, 0, screen_cols(), ln->text, !ln->t ? ATTR_GROUP : sel ? ATTR_SELECTED : ATTR_NORMAL, 0);
    return 1;
}

static int rs_selectable(list *l, int64_t i) { return ((rsview *)l->data)->lines[i].t != NULL; }
static int rs_heading(list *l, int64_t i) { return !rs_selectable(l, i); }

static void rs_text(list *l, int64_t i, buf *out) { buf_puts(out, ((rsview *)l->data)->lines[i].text); }

static int rs_record(list *l, int64_t i, const table **t, int64_t *rowid)
{
    const rline *ln = &((rsview *)l->data)->lines[i];
    *t = ln->t;
    *rowid = ln->rowid;
    return ln->t != NULL;
}

static const list_ops rs_list = {
    .draw_line = rs_line,
    .selectable = rs_selectable,
    .heading = rs_heading,
    .text = rs_text,
    .record = rs_record,
};

static void rs_draw(view *v)
{
    rsview *r = v->data;
    list_draw(&r->l);
    if (!r->n)
        draw_text(1, 0, screen_cols(), _("(nothing matches)"), ATTR_DIM, 0);
}

static void rs_request(view *v, request req)
{
    rsview *r = v->data;
    if (req != REQ_ENTER)
        list_request(&r->l, req);
    else if (r->n && r->lines[r->l.cur].t)
        view_push(record_new(r->lines[r->l.cur].t, r->lines[r->l.cur].rowid, &r->l));
    else
        tui_message("%s", _("nothing matches: nothing to open"));
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
    list_free(&r->l);
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
        int64_t n;
        if (db_count(d, t, &f, 1, &n, e) < 0)   /* a pattern that stopped, or the file */
            goto fail;
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
    list_init(&r->l, &rs_list, r, r->n);   /* the first matching row */
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
