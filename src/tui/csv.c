/* csv.c — `:import FILE` and `:export FILE` on a table screen.
 *
 * The same core as `minreg import` and `minreg export`; what differs is how
 * it reports: progress and the outcome on the message line, Esc or Ctrl-C
 * to cancel; an import with problems opens the import screen (imports.c).  An export writes the view as the screen shows it (filters and
 * sort) in the form Excel opens directly: UTF-8 with a BOM, CRLF.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/export.h"
#include "core/geo_export.h"
#include "core/i18n.h"
#include "core/import.h"
#include "tui/tui.h"

/* "~/x.csv" is the clerk's home folder, as in a shell. */
static char *expand(const char *arg)
{
    const char *home = getenv("HOME");
    buf b = BUF_INIT;
    if (strncmp(arg, "~/", 2) == 0 && home)
        buf_printf(&b, "%s/%s", home, arg + 2);
    else
        buf_puts(&b, arg);
    return buf_steal(&b);
}

/* the last thing an export had to say (a register continued on a next sheet) */
static void export_note(void *arg, const char *msg)
{
    buf *b = arg;
    buf_reset(b);
    buf_puts(b, msg);
}

int tui_export_view(const table *t, const db_filter *f, int nf, int sort_ci, int desc,
                    const char *arg)
{
    if (!*arg) {
        tui_message("%s", _("usage: :export FILE"));
        return 0;
    }
    char *path = expand(arg);
    buf note = BUF_INIT;
    export_opts o = {.f = f, .nf = nf, .sort_ci = sort_ci, .desc = desc,
                     .w = {.bom = 1, .crlf = 1, .enc = ENC_UTF8}, .note = export_note, .note_arg = &note};
    mr_err e = {0};
    int64_t rows;
    geo_export_fmt gf = geo_export_by_name(path);
    if (gf != GEO_EXPORT_NONE) {   /* FILE.geojson, .gpkg, .shp: the records with their boundaries */
        geo_export_opts go = {.rows = &o};
        geo_export_stats st;
        if (geo_export(tui_db(), t, path, gf, &go, &st, &e) < 0)
            tui_error(&e);
        else
            tui_message(_n("%lld record written to %s (%lld without a boundary)",
                           "%lld records written to %s (%lld without a boundary)", st.rows),
                        (long long)st.rows, path, (long long)st.empty);
        buf_free(&note);
        free(path);
        return 0;
    }
    /* FILE.xlsx: a workbook in the plan's layout, else CSV for Excel */
    if ((export_is_xlsx(path) ? export_xlsx : export_csv)(tui_db(), t, path, &o, &rows, &e) < 0)
        tui_error(&e);
    else if (note.len)
        tui_message("%s", buf_str(&note));
    else
        tui_message(_n("%lld row written to %s", "%lld rows written to %s", rows), (long long)rows, path);
    buf_free(&note);
    free(path);
    return 0;
}

static int import_progress_cb(void *arg, const import_progress *p)
{
    (void)arg;
    tui_progress(_("importing…"), p->rows, 0);
    return tui_cancel_requested();
}

/* Lines the import screen holds: every problem of a file of some thousand rows. */
#define IMPORT_SCREEN_MAX 10000

int tui_import_file(view *v, const table *t, const char *arg)
{
    if (!*arg) {
        tui_message("%s", _("usage: :import FILE"));
        return 0;
    }
    if (tui_options()->readonly) {
        if (db_readonly_reason(tui_db()))
            tui_error_text(tui_readonly_text());
        else
            tui_message("%s", _("the register is open read-only"));
        return 0;
    }
    char *path = expand(arg);
    import_opts o = {.mode = IMPORT_APPEND, .progress = import_progress_cb, .max_issues = IMPORT_SCREEN_MAX};
    import_result r;
    mr_err e = {0};
    int rc = import_csv(tui_db(), t, path, &o, &r, &e);
    if (rc == IMPORT_ERROR) {
        tui_error(&e);
    } else if (rc == IMPORT_OK && r.written) {
        tui_message(_n("change %lld recorded: %lld row added from %s",
                       "change %lld recorded: %lld rows added from %s", r.added),
                    (long long)r.change, (long long)r.added, path);
    } else if (rc == IMPORT_OK) {
        tui_message("%s", _("no change: every row is already there as it is"));
    } else {
        /* every problem in a list, and there the choice: the good rows
         * with a rejects file, or nothing */
        view_push(imports_new(v, t, path, &r));
    }
    int changed = r.written;
    import_result_free(&r);
    free(path);
    return changed;
}
