/* problems.c — the Problems screen: the findings of `minreg check`, one a
 * line, with the selected one in full below.  Enter opens the offending
 * record (or the register, for a finding about a register as a whole);
 * on a finding about another record too (R-GEO: the neighbour a boundary
 * overlaps, lies outside or is too near to) Enter opens that other record
 * and M the offending record's map with it selected.  Back returns here
 * where the cursor was. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/i18n.h"
#include "core/text.h"
#include "tui/list.h"

enum { DETAIL_LINES = 4 };   /* the selected finding: a heading and 3 lines of message */

typedef struct pview {
    check_result res;
    list l;
    int wr, wt, wk;       /* column widths at this size ... */
    int xr, xt, xk, xm;   /* ... and where the columns start */
    char today[11];
} pview;

/* Lines of the list (under its header) and of the detail at this size. */
static int detail_rows(void) { return screen_rows() >= 10 ? DETAIL_LINES : 0; }
static int problems_rows(list *l)
{
    (void)l;
    int n = screen_rows() - 1 - detail_rows();
    return n > 0 ? n : 1;
}

/* A register as a person reads it: its title in the interface language. */
static const char *reg_title(int ti)
{
    const table *t = &db_schema(tui_db())->tables[ti];
    return i18n_is_zh() ? t->title : t->title_en;
}

static const char *sev_mark(check_severity s)
{
    /* one glyph two columns wide in Chinese, a letter and a space otherwise */
    return s == SEV_ERROR ? _("E ") : s == SEV_WARNING ? _("W ") : _("I ");
}

/* Column widths.  On narrow screens the rule goes first (the detail below
 * names it), then the register, then the key, so the message keeps at
 * least a third of the line. */
static void widths(const pview *p, int cols, int *wr, int *wt, int *wk)
{
    *wr = *wt = *wk = 0;
    for (int i = 0; i < p->res.n; i++) {
        const finding *f = &p->res.f[i];
        int a = text_width(f->rule->id), b = text_width(reg_title(f->ti)), c = text_width(f->key);
        *wr = a > *wr ? a : *wr;
        *wt = b > *wt ? b : *wt;
        *wk = c > *wk ? c : *wk;
    }
    if (*wk > 14)
        *wk = 14;
    int room = cols * 2 / 3 - 3;
    if (*wr + *wt + *wk + 3 > room)
        *wr = 0;
    if (*wt + *wk + 2 > room)
        *wt = 0;
    if (*wk + 1 > room)
        *wk = 0;
}

/* Draw text over at most n lines from y, breaking at a space when one is
 * in the second half of the line (English), else anywhere (Chinese has no
 * spaces and may break between any two characters). */
void draw_wrapped(int y, int n, int cols, const char *s, int attr)
{
    buf e = BUF_INIT;
    text_escape(&e, s, strlen(s));
    const char *p = buf_str(&e);
    for (int k = 0; k < n && *p; k++) {
        size_t len = text_fit(p, cols, NULL), next = len;
        if (len == 0)
            len = next = 1;
        if (p[len]) {
            size_t sp = len;
            while (sp > len / 2 && p[sp] != ' ')
                sp--;
            if (p[sp] == ' ' && sp > len / 2)
                len = sp, next = sp + 1;
        }
        /* the last line shows the rest, cut with a marker if it is too long */
        char *chunk = xstrndup(p, k == n - 1 ? strlen(p) : len);
        draw_text(y + k, 0, cols, chunk, attr, 0);
        free(chunk);
        p += k == n - 1 ? strlen(p) : next;
    }
    buf_free(&e);
}

static int problems_line(list *l, int64_t i, int y, int room, int sel)
{
    pview *p = l->data;
    const finding *f = &p->res.f[i];
    int cols = screen_cols(), wr = p->wr, wt = p->wt, wk = p->wk, attr = sel ? ATTR_SELECTED : ATTR_NORMAL;
    int xr = p->xr, xt = p->xt, xk = p->xk, xm = p->xm;
    (void)room;
    draw_fill(y, 0, cols, attr);
    draw_text(y, 0, 2, sev_mark(f->rule->sev), sel ? attr : f->rule->sev == SEV_ERROR ? ATTR_MARK : ATTR_DIM,
              0);
    draw_text(y, xr, wr, f->rule->id, attr, 0);
    draw_text(y, xt, wt, reg_title(f->ti), sel ? attr : ATTR_DIM, 0);
    /* no register column: a finding about a whole register names it here
     * (the header then says "Where", not "Record"; the detail below names
     * both) */
    draw_text(y, xk, wk, !wt && !*f->key ? reg_title(f->ti) : f->key, attr, 0);
    draw_text(y, xm, cols - xm, f->msg, attr, 0);
    return 1;
}

static void problems_text(list *l, int64_t i, buf *out)
{
    const finding *f = &((pview *)l->data)->res.f[i];
    buf_printf(out, "%s %s %s %s", f->rule->id, reg_title(f->ti), f->key, f->msg);
}

static int problems_record(list *l, int64_t i, const table **t, int64_t *rowid)
{
    const finding *f = &((pview *)l->data)->res.f[i];
    *t = &db_schema(tui_db())->tables[f->ti];
    *rowid = f->rowid;
    return f->rowid >= 0;
}

static const list_ops problems_list = {
    .draw_line = problems_line,
    .text = problems_text,
    .record = problems_record,
    .rows = problems_rows,
};

static void problems_draw(view *v)
{
    pview *p = v->data;
    const schema *s = db_schema(tui_db());
    int cols = screen_cols(), rows = list_rows(&p->l), wr, wt, wk;
    widths(p, cols, &wr, &wt, &wk);
    if (p->res.n == 0) {
        draw_text(2, 2, cols - 2, _("No problems found."), ATTR_NORMAL, 0);
        return;
    }
    int xr = 3, xt = xr + (wr ? wr + 1 : 0), xk = xt + (wt ? wt + 1 : 0), xm = xk + (wk ? wk + 1 : 0);
    p->wr = wr, p->wt = wt, p->wk = wk;
    p->xr = xr, p->xt = xt, p->xk = xk, p->xm = xm;
    draw_text(1, 0, cols, "", ATTR_HEADER, 0);
    draw_text(1, xr, wr, _("Rule"), ATTR_HEADER, 0);
    draw_text(1, xt, wt, _("Register"), ATTR_HEADER, 0);
    draw_text(1, xk, wk, wt ? _("Record") : _("Where"), ATTR_HEADER, 0);
    draw_text(1, xm, cols - xm, _("Message"), ATTR_HEADER, 0);
    list_draw(&p->l);
    if (!detail_rows())
        return;
    /* the selected finding in full: rule, severity, clause, register, row, column */
    const finding *f = &p->res.f[p->l.cur];
    const table *t = &s->tables[f->ti];
    buf h = BUF_INIT;
    buf_printf(&h, "%s · %s · %s · %s", f->rule->id, check_severity_name(f->rule->sev), f->source,
               i18n_is_zh() ? t->title : t->title_en);
    if (*f->key)
        buf_printf(&h, " %s", f->key);
    if (f->ci >= 0)
        buf_printf(&h, " · %s", t->cols[f->ci].label);
    int y = 2 + rows;
    draw_text(y, 0, cols, buf_str(&h), ATTR_GROUP, 0);
    draw_wrapped(y + 1, DETAIL_LINES - 1, cols, f->msg, ATTR_NORMAL);
    buf_free(&h);
}

static void open_finding(pview *p)
{
    if (p->res.n == 0) {
        tui_message("%s", _("no problems: nothing to open"));
        return;
    }
    const finding *f = &p->res.f[p->l.cur];
    const table *t = &db_schema(tui_db())->tables[f->ti];
    if (f->also_ti >= 0 && f->also_rowid >= 0) {   /* the neighbour */
        view_push(record_new(&db_schema(tui_db())->tables[f->also_ti], f->also_rowid, NULL));
        return;
    }
    if (f->rowid >= 0) {
        view_push(record_new(t, f->rowid, &p->l));
        return;
    }
    /* about the register as a whole (a stated total): open the register */
    mr_err e = {0};
    view *tv = table_new(t, NULL, 0, &e);
    if (tv)
        view_push(tv);
    else
        tui_error(&e);
}

/* M on a finding about two records: the first one's map, the other selected. */
static void map_finding(pview *p)
{
    const finding *f = p->res.n ? &p->res.f[p->l.cur] : NULL;
    if (!f || f->rowid < 0 || f->also_ti < 0 || f->also_rowid < 0) {
        tui_message("%s", _("M: the map of a finding about two boundaries"));
        return;
    }
    const schema *s = db_schema(tui_db());
    mr_err e = {0};
    view *m = map_new(&s->tables[f->ti], f->rowid, s->tables[f->also_ti].id, f->also_rowid, &e);
    if (m)
        view_push(m);
    else
        tui_error(&e);
}

static void problems_request(view *v, request req)
{
    pview *p = v->data;
    switch (req) {
    case REQ_ENTER: open_finding(p); break;
    case REQ_MAP: map_finding(p); break;
    default: list_request(&p->l, req);
    }
}

static void problems_title(view *v, buf *out)
{
    pview *p = v->data;
    buf_printf(out, _("problems (as of %s)"), p->today);
}

static void problems_status(view *v, buf *out)
{
    pview *p = v->data;
    const finding *f = p->res.n ? &p->res.f[p->l.cur] : NULL;
    if (f && f->also_ti >= 0 && f->also_rowid >= 0)
        buf_printf(out, _("%d/%d  errors %d, warnings %d  Enter: open the neighbour  M: the map  q: back"),
                   (int)p->l.cur + 1, p->res.n, p->res.errors, p->res.warnings);
    else
        buf_printf(out, _("%d/%d  errors %d, warnings %d  Enter: open the record  q: back"),
                   p->res.n ? (int)p->l.cur + 1 : 0, p->res.n, p->res.errors, p->res.warnings);
}

static void problems_free(view *v)
{
    pview *p = v->data;
    check_result_free(&p->res);
    list_free(&p->l);
    free(p);
    free(v);
}

static const view_ops problems_ops = {
    .name = "problems",
    .draw = problems_draw,
    .request = problems_request,
    .status = problems_status,
    .title = problems_title,
    .free = problems_free,
};

view *problems_new(mr_err *e)
{
    pview *p = xcalloc(1, sizeof *p);
    const char *today = tui_options()->today;
    if (today)
        snprintf(p->today, sizeof p->today, "%s", today);
    else
        check_today(p->today);
    check_opts o = {.today = p->today};
    if (check_run(tui_db(), &o, &p->res, e) < 0) {
        check_result_free(&p->res);
        free(p);
        return NULL;
    }
    list_init(&p->l, &problems_list, p, p->res.n);
    p->l.y0 = 2;   /* under the column header */
    view *v = xcalloc(1, sizeof *v);
    v->ops = &problems_ops;
    v->data = p;
    return v;
}
