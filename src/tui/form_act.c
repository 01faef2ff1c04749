/* form_act.c — the actions on a record from the table and record screens
 * (add, edit, duplicate, delete, history): each opens a form or asks, then
 * writes through edit.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/edit.h"
#include "core/i18n.h"
#include "tui/form_int.h"
#include "tui/list.h"

/* ---- actions on a record from the table and record screens ------------------------ */

void edit_action(request req, const table *t, int64_t rowid)
{
    if (req == REQ_HISTORY) {
        view_push(history_new(t, rowid));
        return;
    }
    if (form_readonly_refused())
        return;
    if (req == REQ_ADD) {
        view_push(form_new(t, -1, 0));
        form_offer_draft(view_top());
        return;
    }
    if (rowid < 0) {
        tui_message("%s", _("no record here"));
        return;
    }
    if (req == REQ_EDIT || req == REQ_DUPLICATE) {
        view_push(form_new(t, rowid, req == REQ_DUPLICATE));
        if (req == REQ_EDIT)
            form_offer_draft(view_top());
        return;
    }
    if (req == REQ_DELETE) {
        cursor *c = db_select_rowid(tui_db(), t, rowid, NULL);
        buf q = BUF_INIT;
        if (c && cursor_next(c) == 1)
            buf_printf(&q, _("Delete %s %s?"), i18n_is_zh() ? t->title : t->title_en,
                       cursor_val(c, t->key_ci) ? cursor_val(c, t->key_ci) : "");
        cursor_free(c);
        int yes = tui_confirm(buf_str(&q));
        buf_free(&q);
        if (!yes)
            return;
        mr_err e = {0};
        edit_result r;
        int rc = edit_rm(tui_db(), t, rowid, NULL, 0, &r, &e);
        if (rc == EDIT_REFUSED && r.linked) {
            /* rows link to it: with the clerk's yes their links are cleared
             * in the same change (refused where the link is required) */
            buf b = BUF_INIT;
            form_without_cli_hint(e.msg, &b);
            char ask[256];
            snprintf(ask, sizeof ask, _("Clear the links of those %d rows, in the same change?"),
                     r.linked);
            int clear = tui_confirm_text(buf_str(&b), ask);
            buf_free(&b);
            edit_result_free(&r);
            if (!clear) {
                tui_message("%s", _("not deleted"));
                return;
            }
            err_clear(&e);
            rc = edit_rm(tui_db(), t, rowid, NULL, EDIT_CASCADE, &r, &e);
        }
        if (rc == EDIT_OK) {
            tui_data_changed();
            tui_message(_("deleted: change %lld recorded (u undoes it)"), (long long)r.change);
        } else {
            tui_error(&e);
        }
        edit_result_free(&r);
    }
}
