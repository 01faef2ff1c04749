/* rejects.c — an import's rejects file, as CSV or as a workbook (rejects.h).
 *
 * The workbook is written as export_xlsx writes one: libxlsxwriter in
 * constant-memory mode into a scratch file in $TMPDIR (it writes a zip and
 * seeks in it), whose bytes are then copied into the output outfile.c
 * opened, so the rules of every output file hold here too.
 */
#include "config.h"
#include "rejects.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "buf.h"
#include "export.h"
#include "i18n.h"
#include "import.h"
#include "outfile.h"
#include "text.h"

#define MAX_WIDTH 60

struct rejw {
    csv_writer *csv;          /* CSV, else the workbook below */
    outfile *out;
    buf scratch;
    int sfd;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head, *text, *num;
    lxw_row_t row;
    lxw_col_t col;
    lxw_col_t ncols;          /* the header's */
    unsigned char *numeric;
    int nnumeric;
    int *widths;
    int nwidths;
    buf cell;
    lxw_error failed;         /* the first write error */
};

int rejw_is_xlsx(const char *path, int in_wb)
{
    return in_wb || export_is_xlsx(path);
}

rejw *rejw_open(const char *path, int xlsx, const char *sheet, const csvw_opts *wo, mr_err *e)
{
    rejw *w = xcalloc(1, sizeof *w);
    w->sfd = -1;
    if (!xlsx) {
        if (!(w->csv = csvw_open(path, wo, e))) {
            free(w);
            return NULL;
        }
        return w;
    }
    /* the output first: one that may not be written is refused before any work */
    if (!(w->out = outfile_open(path, wo->reg, e))) {
        free(w);
        return NULL;
    }
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    buf_printf(&w->scratch, "%s/minreg-rejects-XXXXXX", tmpdir);
    w->sfd = mkostemp(w->scratch.s, O_CLOEXEC);
    if (w->sfd < 0) {
        err_set(e, EXIT_IO, "%s: %s", buf_str(&w->scratch), strerror(errno));
        rejw_abort(w);
        return NULL;
    }
    lxw_workbook_options lo = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir,
                               .use_zip64 = LXW_TRUE};
    w->wb = workbook_new_opt(buf_str(&w->scratch), &lo);
    buf name = BUF_INIT;
    xlsx_sheet_name(&name, sheet && *sheet ? sheet : IMPORT_REASON_COL, 1);
    w->ws = w->wb ? workbook_add_worksheet(w->wb, buf_str(&name)) : NULL;
    buf_free(&name);
    if (!w->ws) {
        err_set(e, EXIT_IO, _("%s: cannot start the workbook"), outfile_name(w->out));
        rejw_abort(w);
        return NULL;
    }
    w->head = workbook_add_format(w->wb);
    format_set_bold(w->head);
    format_set_bg_color(w->head, 0xDDEBF7);
    w->text = workbook_add_format(w->wb);
    format_set_num_format(w->text, "@");
    w->num = workbook_add_format(w->wb);
    worksheet_freeze_panes(w->ws, 1, 0);
    const char *user = getenv("USER");
    lxw_doc_properties props = {.title = (char *)_("Rows an import did not take"),
                                .author = (char *)(user && *user ? user : "minreg"),
                                .comments = "minreg " PACKAGE_VERSION};
    workbook_set_properties(w->wb, &props);
    return w;
}

void rejw_numeric(rejw *w, int i, int numeric)
{
    if (w->csv) {
        csvw_numeric(w->csv, i, numeric);
        return;
    }
    if (i < 0)
        return;
    if (i >= w->nnumeric) {
        int n = i * 2 + 8;
        w->numeric = xrealloc(w->numeric, (size_t)n);
        memset(w->numeric + w->nnumeric, 0, (size_t)(n - w->nnumeric));
        w->nnumeric = n;
    }
    w->numeric[i] = numeric != 0;
}

/* Text as XML can carry it: invalid UTF-8 becomes U+FFFD, cut at Excel's
 * 32767 bytes of a cell on a character boundary. */

void rejw_field(rejw *w, const char *s)
{
    if (w->csv) {
        csvw_field(w->csv, s);
        return;
    }
    lxw_col_t c = w->col++;
    if (!s || !*s || c >= LXW_COL_MAX)
        return;
    lxw_error rc;
    int width;
    double v;
    char *end;
    if (w->row > 0 && (int)c < w->nnumeric && w->numeric[c] && csv_is_number(s) &&
        (v = strtod(s, &end), *end == '\0' && isfinite(v))) {
        rc = worksheet_write_number(w->ws, w->row, c, v, w->num);
        width = (int)strlen(s);
    } else {
        /* always a text cell: a code of digits stays a code, "=x" no formula */
        const char *t = xlsx_cell_text(&w->cell, s);
        rc = worksheet_write_string(w->ws, w->row, c, t, w->row ? w->text : w->head);
        width = text_width(t);
    }
    if (rc != LXW_NO_ERROR && !w->failed)
        w->failed = rc;
    if ((int)c >= w->nwidths) {
        int n = (int)c * 2 + 8;
        w->widths = xrealloc(w->widths, sizeof(int) * (size_t)n);
        memset(w->widths + w->nwidths, 0, sizeof(int) * (size_t)(n - w->nwidths));
        w->nwidths = n;
    }
    if (width > w->widths[c])
        w->widths[c] = width;
}

void rejw_end(rejw *w)
{
    if (w->csv) {
        csvw_end(w->csv);
        return;
    }
    if (w->row == 0)
        w->ncols = w->col;
    if (w->row < LXW_ROW_MAX - 1)
        w->row++;
    w->col = 0;
}

static void rejw_free(rejw *w)
{
    if (w->sfd >= 0) {
        unlink(buf_str(&w->scratch));
        close(w->sfd);
    }
    buf_free(&w->scratch);
    buf_free(&w->cell);
    free(w->numeric);
    free(w->widths);
    free(w);
}

int rejw_close(rejw *w, mr_err *e)
{
    if (w->csv) {
        int rc = csvw_close(w->csv, e);
        free(w);
        return rc;
    }
    for (int i = 0; i < w->nwidths; i++)
        if (w->widths[i]) {
            int cw = w->widths[i] + 2 > MAX_WIDTH ? MAX_WIDTH : w->widths[i] + 2;
            worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, cw < 6 ? 6 : cw, NULL);
        }
    if (w->row > 1 && w->ncols)
        worksheet_autofilter(w->ws, 0, 0, w->row - 1, w->ncols - 1);
    lxw_error rc = workbook_close(w->wb);
    w->wb = NULL;
    if (rc == LXW_NO_ERROR)
        rc = w->failed;
    int ret = 0;
    if (rc != LXW_NO_ERROR) {
        err_set(e, EXIT_IO, "%s: %s", outfile_name(w->out), lxw_strerror(rc));
        ret = -1;
    } else {
        ret = outfile_copy_in(w->out, w->sfd, e);
    }
    if (ret < 0)
        outfile_abort(w->out);
    else
        ret = outfile_commit(w->out, e);
    w->out = NULL;
    rejw_free(w);
    return ret;
}

void rejw_abort(rejw *w)
{
    if (!w)
        return;
    if (w->csv) {
        csvw_abort(w->csv);
        free(w);
        return;
    }
    if (w->wb)
        workbook_close(w->wb);   /* its temporary files; the scratch is removed below */
    outfile_abort(w->out);
    rejw_free(w);
}
