/* table_req.c — what the table screen does (table.c shows it): its
 * requests (moves through columns, sort, filters, a record opened, edits),
 * the filter prompt and the ":" commands the command table names. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/rx.h"
#include "core/text.h"
#include "tui/list.h"
#include "tui/table_int.h"

/* A change of filters that was not read (cancelled, or failed): said so,
 * and the filters go back to what the view shows. */
static void filters_not_applied(const mr_err *e)
{
    if (strcmp(e->msg, "cancelled") == 0)
        tui_message("%s", _("cancelled: the filters are as they were"));
    else
        tui_error(e);
}

int64_t tv_cur_rowid(tview *tv)
{
    tv_clamp(tv);
    tv_cache_load(tv, tv->l.top, tv_data_rows());
    if (tv->l.cur >= tv->cache_pos && tv->l.cur < tv->cache_pos + tv->cache_n)
        return tv->cache_rowid[tv->l.cur - tv->cache_pos];
    return -1;
}

static void step_col(tview *tv, int delta)
{
    /* visual order: the key first, then the scrolling columns */
    int idx = -1;
    for (int i = 0; i < tv->norder; i++)
        if (tv->order[i] == tv->cur_col)
            idx = i;
    idx += delta;
    if (idx < -1)
        idx = -1;
    if (idx >= tv->norder)
        idx = tv->norder - 1;
    tv->cur_col = idx < 0 ? tv->t->key_ci : tv->order[idx];
    if (idx < 0)
        tv->left = 0;
}

static void add_filter(tview *tv, const db_filter *f)
{
    tv->f = xrealloc(tv->f, sizeof(db_filter) * (size_t)(tv->nf + 1));
    db_filter_dup(&tv->f[tv->nf], f);
    tv->nf++;
    mr_err e = {0};
    if (tv_set_sort_e(tv, tv->sort_ci, tv->desc, &e) < 0) {
        /* the rows shown are still the old filters': so are tv->f (the
         * status line, :export) */
        tv->nf--;
        db_filter_clear(&tv->f[tv->nf]);
        filters_not_applied(&e);
        return;
    }
    tv_fit_widths(tv);
    if (rowsrc_count_upto(tv->src, 1) == 0)
        tui_message("%s", _("no rows match the filters (x removes the last one)"));
}

static void drop_filters(tview *tv, int keep)
{
    int had = tv->nf;
    tv->nf = keep;   /* the rest stay in tv->f until the view is read without them */
    mr_err e = {0};
    if (tv_set_sort_e(tv, tv->sort_ci, tv->desc, &e) < 0) {
        tv->nf = had;
        filters_not_applied(&e);
        return;
    }
    for (int i = keep; i < had; i++)
        db_filter_clear(&tv->f[i]);
    tv_fit_widths(tv);
}

static void filter_prompt(tview *tv)
{
    buf arg = BUF_INIT;
    prompt_spec ps = {.kind = PROMPT_FILTER, .t = tv->t};
    if (tui_prompt_ask("&", NULL, &arg, &ps) && arg.len) {
        db_filter f;
        mr_err e = {0};
        if (db_filter_parse(tv->t, buf_str(&arg), &f, &e) < 0) {
            tui_error(&e);
        } else {
            add_filter(tv, &f);
            db_filter_clear(&f);
        }
    }
    buf_free(&arg);
}

/* = : keep rows whose current column equals this row's value (as stored);
 * on an empty cell, the rows where it is empty. */
static void filter_equal(tview *tv, int64_t rowid)
{
    cursor *c = rowid >= 0 ? db_select_rowid(tui_db(), tv->t, rowid, NULL) : NULL;
    if (c && cursor_next(c) == 1) {
        const char *v = cursor_val(c, tv->cur_col);
        db_filter f = {.ci = tv->cur_col, .value = v, .op = v && *v ? DBF_EQ : DBF_EMPTY};
        add_filter(tv, &f);
    }
    cursor_free(c);
}

void table_request(view *v, request req)
{
    tview *tv = v->data;
    switch (req) {
    case REQ_LEFT: step_col(tv, -1); break;
    case REQ_RIGHT: step_col(tv, 1); break;
    case REQ_LINE_START: step_col(tv, -tv->norder - 1); break;
    case REQ_LINE_END: step_col(tv, tv->norder); break;
    case REQ_WIDER:
        if (tv->width[tv->cur_col] < screen_cols() - 2)
            tv->width[tv->cur_col] += 2;
        break;
    case REQ_NARROWER:
        if (tv->width[tv->cur_col] > 3)
            tv->width[tv->cur_col] -= 2;
        break;
    case REQ_SORT_ASC:
    case REQ_SORT_DESC: {
        int desc = req == REQ_SORT_DESC;
        if (tv->sort_ci == tv->cur_col && req == REQ_SORT_ASC)
            desc = !tv->desc;   /* s again on the sorted column flips it */
        tv_set_sort(tv, tv->cur_col, desc);
        break;
    }
    case REQ_ENTER: {
        int64_t rowid = tv_cur_rowid(tv);
        if (rowid >= 0)
            view_push(record_new(tv->t, rowid, &tv->l));
        break;
    }
    case REQ_ADD:
    case REQ_EDIT:
    case REQ_DUPLICATE:
    case REQ_DELETE:
        edit_action(req, tv->t, rowsrc_count_upto(tv->src, 1) ? tv_cur_rowid(tv) : -1);
        break;
    case REQ_HISTORY:
        edit_action(req, tv->t, -1);
        break;
    case REQ_FILTER: filter_prompt(tv); break;
    case REQ_FREQ: {
        mr_err e = {0};
        view *fv = freq_new(tv->t, tv->cur_col, tv->f, tv->nf, &e);
        if (fv)
            view_push(fv);
        else
            tui_error(&e);
        break;
    }
    case REQ_FILTER_EQ: filter_equal(tv, rowsrc_count_upto(tv->src, 1) ? tv_cur_rowid(tv) : -1); break;
    case REQ_UNFILTER:
        if (tv->nf)
            drop_filters(tv, tv->nf - 1);
        else
            tui_message("%s", _("no filter to remove"));
        break;
    case REQ_UNFILTER_ALL:
        if (tv->nf)
            drop_filters(tv, 0);
        else
            tui_message("%s", _("no filter to remove"));
        break;
    default:
        list_request(&tv->l, req);
    }
}

/* ---- the table's ":" commands (the command table in commands.c names them) ---- */

void table_cmd_filter(view *v, const char *arg)
{
    tview *tv = v->data;
    db_filter f;
    mr_err e = {0};
    if (!*arg) {
        tui_message("%s", _("usage: :filter FILTER (COL=VALUE, COL<VALUE, COL=A..B, COL=, !..., [COL:]REGEX)"));
    } else if (db_filter_parse(tv->t, arg, &f, &e) < 0) {
        tui_error(&e);
    } else {
        add_filter(tv, &f);
        db_filter_clear(&f);
    }
}

void table_cmd_unfilter(view *v, const char *arg)
{
    (void)arg;
    drop_filters(v->data, 0);
}

void table_cmd_export(view *v, const char *arg)
{
    tview *tv = v->data;
    tui_export_view(tv->t, tv->f, tv->nf, tv->sort_ci, tv->desc, arg);
}

/* The register has changed under the table (an import): read its rows again. */
void table_reload(view *v)
{
    tview *tv = v->data;
    if (tv_set_sort(tv, tv->sort_ci, tv->desc) == 0)
        tv_fit_widths(tv);
}

void table_cmd_import(view *v, const char *arg)
{
    tview *tv = v->data;
    if (tui_import_file(v, tv->t, arg))
        table_reload(v);
}

void table_cmd_sort(view *v, const char *arg)
{
    tview *tv = v->data;
    if (!*arg || strcmp(arg, "none") == 0) {
        tv_set_sort(tv, -1, 0);
        return;
    }
    char col[128];
    int desc = 0;
    snprintf(col, sizeof col, "%s", arg);
    char *sp = strchr(col, ' ');
    if (sp) {
        *sp = '\0';
        desc = strcmp(sp + 1, "desc") == 0;
    }
    int ci = table_col_any(tv->t, col);
    if (ci < 0) {
        tui_message(_("%s has no column '%s'"), tv->t->id, col);
        return;
    }
    tv->cur_col = ci;
    tv_set_sort(tv, ci, desc);
}
