/* xlsxlist.c — a workbook of plain lists (see xlsxlist.h). */
#include "config.h"
#include "xlsxlist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "buf.h"
#include "export.h"
#include "i18n.h"
#include "outfile.h"
#include "text.h"
#include "validate.h"

/* A cell's text as a workbook may hold it: control characters other than
 * tab and newline dropped (XML 1.0 cannot carry them). */
static const char *clean(buf *b, const char *s)
{
    buf_reset(b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x20 || *p == '\t' || *p == '\n')
            buf_add(b, (const char *)p, 1);
    return buf_str(b);
}

static int write_sheet(lxw_workbook *wb, const xl_sheet *sh, lxw_format *bold, lxw_format *text,
                       lxw_format *date, buf *b)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, sh->name);
    if (!ws)
        return -1;
    worksheet_write_string(ws, 0, 0, clean(b, sh->title), bold);
    int *w = calloc((size_t)sh->ncols, sizeof *w);
    if (!w)
        return -1;
    for (int c = 0; c < sh->ncols; c++) {
        worksheet_write_string(ws, 1, (lxw_col_t)c, clean(b, sh->head[c]), bold);
        w[c] = text_width(sh->head[c]);
    }
    for (int r = 0; r < sh->nrows; r++)
        for (int c = 0; c < sh->ncols; c++) {
            const char *v = sh->cells[(size_t)r * (size_t)sh->ncols + (size_t)c];
            if (!v || !*v)
                continue;
            lxw_row_t row = (lxw_row_t)(r + 2);
            int y, m, d;
            char *end;
            double x = strtod(v, &end);
            if (sh->kind[c] == XL_NUM && end != v && !*end) {
                worksheet_write_number(ws, row, (lxw_col_t)c, x, NULL);
            } else if (sh->kind[c] == XL_DATE && value_is_date(v) &&
                       sscanf(v, "%4d-%2d-%2d", &y, &m, &d) == 3) {
                lxw_datetime dt = {.year = y, .month = m, .day = d};
                worksheet_write_datetime(ws, row, (lxw_col_t)c, &dt, date);
            } else {
                worksheet_write_string(ws, row, (lxw_col_t)c, clean(b, v), text);
            }
            int tw = text_width(v);
            if (tw > w[c])
                w[c] = tw;
        }
    for (int c = 0; c < sh->ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (w[c] > 60 ? 60 : w[c]) + 2, NULL);
    free(w);
    worksheet_freeze_panes(ws, 2, 0);
    if (sh->ncols)
        worksheet_autofilter(ws, 1, 0, (lxw_row_t)(sh->nrows + 1), (lxw_col_t)(sh->ncols - 1));
    return 0;
}

int xlsx_lists(const char *path, const char *reg, const xl_sheet *sh, int n, mr_err *e)
{
    outfile *out = outfile_open(path, reg, e);
    if (!out)
        return -1;
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    buf scratch = BUF_INIT, b = BUF_INIT;
    buf_printf(&scratch, "%s/minreg-xlsx-XXXXXX", tmpdir);
    int sfd = mkostemp(scratch.s, O_CLOEXEC), rc = -1;
    if (sfd < 0) {
        err_set(e, EXIT_IO, "%s: %s", buf_str(&scratch), strerror(errno));
        buf_free(&scratch);
        outfile_abort(out);
        return -1;
    }
    lxw_workbook_options wo = {.tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(buf_str(&scratch), &wo);
    if (!wb) {
        err_set(e, EXIT_IO, _("%s: cannot start the workbook"), outfile_name(out));
        goto done;
    }
    lxw_format *bold = workbook_add_format(wb), *text = workbook_add_format(wb),
               *date = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(text, "@");
    format_set_num_format(date, "yyyy-mm-dd");
    rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        if (write_sheet(wb, &sh[i], bold, text, date, &b) < 0) {
            err_set(e, EXIT_IO, _("%s: cannot write the sheet %s"), outfile_name(out), sh[i].name);
            rc = -1;
        }
    lxw_error wrc = workbook_close(wb);
    if (rc == 0 && wrc != LXW_NO_ERROR) {
        err_set(e, EXIT_IO, "%s: %s", outfile_name(out), lxw_strerror(wrc));
        rc = -1;
    }
    if (rc == 0)
        rc = outfile_copy_in(out, sfd, e);
done:
    unlink(buf_str(&scratch));
    close(sfd);
    buf_free(&scratch);
    buf_free(&b);
    if (rc < 0) {
        outfile_abort(out);
        return -1;
    }
    return outfile_commit(out, e);
}
