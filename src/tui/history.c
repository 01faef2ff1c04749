/* history.c — the change history of a record, a register or the whole file,
 * from the audit trail: registers by title, fields by label, times local
 * with their zone; ← → scroll a long line.  Enter shows the change whole;
 * u undoes it, after showing who made it, when and what it did. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/change.h"
#include "core/edit.h"
#include "core/i18n.h"
#include "core/text.h"
#include "tui/list.h"

typedef struct hline {
    int64_t change;
    char *text;
} hline;

typedef struct histview {
    const table *t;       /* NULL: every register */
    int64_t rowid;        /* -1: the whole register */
    hline *lines;
    int n;
    list l;
    unsigned version;
    int x;                /* columns scrolled to the left */
    int wide;             /* the widest line */
} histview;

enum { HIST_STEP = 8 };   /* columns ← and → scroll */
/* the rows of a change shown whole (an import's million: its first ones) */
#define HIST_WHOLE_MAX 100000

/* An audit time (UTC, "2026-11-30T08:00:00Z") as local time with its zone:
 * "2026-11-30 16:00 CST". */
static void local_time(const char *utc, buf *out)
{
    struct tm tm = {0};
    const char *end = utc ? strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    if (!end || *end) {
        buf_puts(out, utc ? utc : "");
        return;
    }
    time_t t = timegm(&tm);
    struct tm lt;
    char s[64];
    localtime_r(&t, &lt);
    strftime(s, sizeof s, "%Y-%m-%d %H:%M %Z", &lt);
    buf_puts(out, s);
}

static const char *tbl_title(const char *id)
{
    const table *t = id ? schema_table(db_schema(tui_db()), id) : NULL;
    return !t ? id : i18n_is_zh() ? t->title : t->title_en;
}

/* A field by its label (a column the schema no longer has: by its id). */
static const char *field_label(const char *tbl, const char *field)
{
    const table *t = tbl ? schema_table(db_schema(tui_db()), tbl) : NULL;
    int ci = t && field ? table_col(t, field) : -1;
    return ci >= 0 ? t->cols[ci].label : field ? field : "";
}

static void add_line(void *arg, const log_entry *le)
{
    histview *h = arg;
    buf b = BUF_INIT;
    buf_printf(&b, "#%lld  ", (long long)le->change_id);
    local_time(le->at, &b);
    buf_printf(&b, "  %s  %s", le->who, chg_kind_text(le->kind));
    if (le->undoes)
        buf_printf(&b, " %lld", (long long)le->undoes);
    if (le->undone_by)
        buf_printf(&b, " (%s %lld)", _("undone by"), (long long)le->undone_by);
    if (le->tbl)
        buf_printf(&b, "  %s%s%s", le->row_key ? le->row_key : "", le->row_key ? " · " : "",
                   tbl_title(le->tbl));   /* the key first: it tells the lines apart */
    if (le->op && strcmp(le->op, "update") == 0)
        buf_printf(&b, "  %s: %s → %s", field_label(le->tbl, le->field), le->old ? le->old : "∅",
                   le->new_ ? le->new_ : "∅");
    else if (le->op)
        buf_printf(&b, "  %s", strcmp(le->op, "insert") == 0 ? _("(row added)") : _("(row deleted)"));
    if (le->comment && *le->comment)
        buf_printf(&b, "  — %s", le->comment);
    h->lines = xrealloc(h->lines, sizeof(hline) * (size_t)(h->n + 1));
    h->lines[h->n].change = le->change_id;
    int w = text_width(buf_str(&b));
    if (w > h->wide)
        h->wide = w;
    h->lines[h->n].text = buf_steal(&b);
    h->n++;
}

static void load(histview *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->lines[i].text);
    free(h->lines);
    h->lines = NULL;
    h->n = 0;
    h->wide = 0;
    mr_err e = {0};
    if (db_log(tui_db(), h->t ? h->t->id : NULL, h->rowid, NULL, NULL, add_line, h, &e) != 0)
        tui_error(&e);   /* the lines read before it failed stay */
    h->version = tui_data_version();
    list_reset(&h->l, h->n);
}

static int hist_line(list *l, int64_t i, int y, int room, int sel)
{
    histview *h = l->data;
    (void)room;
    const char *s = h->lines[i].text;
    int used = 0;
    size_t skip = h->x ? text_fit(s, h->x, &used) : 0;
    /* a wide character cut by the left edge: a space for its right half */
    int pad = h->x > used ? h->x - used : 0;
    if (pad && s[skip])
        skip += text_fit(s + skip, 2, NULL) ? text_fit(s + skip, 2, NULL) : 0;
    if (sel)
        draw_fill(y, 0, screen_cols(), ATTR_SELECTED);
    draw_text(y, pad ? 1 : 0, screen_cols() - (pad ? 1 : 0), s + skip, sel ? ATTR_SELECTED : ATTR_NORMAL, 0);
    return 1;
}

static void hist_text(list *l, int64_t i, buf *out)
{
    histview *h = l->data;
    buf_puts(out, h->lines[i].text);
}

static const list_ops hist_list = {.draw_line = hist_line, .text = hist_text};

static void hist_draw(view *v)
{
    histview *h = v->data;
    if (h->version != tui_data_version())
        load(h);
    if (!h->n)
        draw_text(1, 0, screen_cols(), _("(no changes recorded)"), ATTR_DIM, 0);
    list_draw(&h->l);
}

static void hist_request(view *v, request req)
{
    histview *h = v->data;
    int64_t cur = h->l.cur;
    switch (req) {
    case REQ_LEFT:
    case REQ_RIGHT:
    case REQ_LINE_START:
    case REQ_LINE_END: {
        int most = h->wide - screen_cols() + 1, x = h->x;
        if (most < 0)
            most = 0;
        x = req == REQ_LEFT ? x - HIST_STEP : req == REQ_RIGHT ? x + HIST_STEP : req == REQ_LINE_START ? 0 : most;
        x = x > most ? most : x < 0 ? 0 : x;
        if (x == h->x)
            tui_message("%s", req == REQ_LEFT || req == REQ_LINE_START ? _("at the start of the lines")
                                                                       : _("the ends of the lines are in view"));
        h->x = x;
        break;
    }
    case REQ_ENTER: {
        if (!h->n) {
            tui_message("%s", _("no change here"));
            break;
        }
        /* every field and row of it, to scroll and search */
        buf what = BUF_INIT, title = BUF_INIT;
        mr_err e = {0};
        if (edit_describe(tui_db(), h->lines[cur].change, HIST_WHOLE_MAX, &what, &e) == DB_ERROR) {
            buf_free(&what);
            tui_error(&e);
            break;
        }
        buf_printf(&title, _("change %lld"), (long long)h->lines[cur].change);
        view_push(textview_new(buf_str(&title), buf_str(&what), _("the change whole  q: back")));
        buf_free(&what);
        buf_free(&title);
        break;
    }
    case REQ_UNDO: {
        if (!h->n) {
            tui_message("%s", _("no change to undo here"));
            break;
        }
        if (tui_options()->readonly) {
            tui_error_text(tui_readonly_text());
            break;
        }
        buf what = BUF_INIT;
        mr_err e = {0};
        if (edit_describe(tui_db(), h->lines[cur].change, 200, &what, &e) == DB_ERROR) {
            buf_free(&what);
            tui_error(&e);
            break;
        }
        int yes = tui_confirm_text(buf_str(&what), _("Undo this change?"));
        buf_free(&what);
        if (!yes)
            break;
        edit_result r;
        if (edit_undo(tui_db(), h->lines[cur].change, NULL, &r, &e) == EDIT_OK) {
            tui_data_changed();
            tui_message(_("undone: change %lld recorded (^R redoes it)"), (long long)r.change);
        } else {
            tui_error(&e);
        }
        edit_result_free(&r);
        break;
    }
    default:
        list_request(&h->l, req);
    }
}

static void hist_title(view *v, buf *out)
{
    histview *h = v->data;
    buf_puts(out, _("history"));
    if (h->t)
        buf_printf(out, " · %s", i18n_is_zh() ? h->t->title : h->t->title_en);
    if (h->t && h->rowid >= 0) {
        cursor *c = db_select_rowid(tui_db(), h->t, h->rowid, NULL);
        if (c && cursor_next(c) == 1 && cursor_val(c, h->t->key_ci))
            buf_printf(out, " · %s", cursor_val(c, h->t->key_ci));
        cursor_free(c);
    }
}

static void hist_status(view *v, buf *out)
{
    histview *h = v->data;
    buf_printf(out, _("%d change rows  Enter: the change whole  u: undo it  ←→: scroll  q: back"), h->n);
}

static void hist_free(view *v)
{
    histview *h = v->data;
    for (int i = 0; i < h->n; i++)
        free(h->lines[i].text);
    free(h->lines);
    list_free(&h->l);
    free(h);
    free(v);
}

static const view_ops hist_ops = {
    .name = "history",
    .draw = hist_draw,
    .request = hist_request,
    .status = hist_status,
    .title = hist_title,
    .free = hist_free,
};

view *history_new(const table *t, int64_t rowid)
{
    histview *h = xcalloc(1, sizeof *h);
    h->t = t;
    h->rowid = t ? rowid : -1;
    list_init(&h->l, &hist_list, h, 0);
    load(h);
    list_go(&h->l, h->n - 1);   /* the newest change first under the cursor */
    view *v = xcalloc(1, sizeof *v);
    v->ops = &hist_ops;
    v->data = h;
    return v;
}
