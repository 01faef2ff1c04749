/* xlsin.c — .xls cells through FreeXL (see wbin.h).
 *
 * FreeXL reads the BIFF8 workbook into memory (there is no other way with
 * it), so the file's size is bounded; it knows no merged ranges.  An OLE2
 * file that holds an "EncryptedPackage" stream is not an .xls but an
 * encrypted .xlsx (Office's password protection): said so.
 */
#include "config.h"
#include "wbin_int.h"

#include <fcntl.h>
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#define XLS_MAX_FILE (256LL * 1024 * 1024)

typedef struct xls {
    const void *h;
    unsigned rows, row;
    unsigned short cols;
} xls;

/* Does the file name a stream "EncryptedPackage" (UTF-16LE)? */
static int ole_encrypted(const char *path)
{
    static const char pat[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    enum { N = 64 * 1024, P = sizeof pat - 1 };
    char *b = xmalloc(N + P);
    size_t have = 0;
    int found = 0;
    ssize_t n;
    while (!found && (n = read(fd, b + have, N)) > 0) {
        have += (size_t)n;
        found = memmem(b, have, pat, P) != NULL;
        if (have > P) {
            memmove(b, b + have - P, P);
            have = P;
        }
    }
    free(b);
    close(fd);
    return found;
}

static int xls_sheet_open(wb *w, int i, mr_err *e)
{
    xls *x = w->impl;
    if (freexl_select_active_worksheet(x->h, (unsigned short)i) != FREEXL_OK ||
        freexl_worksheet_dimensions(x->h, &x->rows, &x->cols) != FREEXL_OK) {
        err_set(e, EXIT_DATA, _("%s: sheet %s cannot be read"), w->path, w->names[i]);
        return -1;
    }
    if ((long long)x->rows * x->cols > w->max_cells) {
        err_set(e, EXIT_DATA, _("%s: sheet %s has more than %lld cells: refused"), w->path,
                w->names[i], w->max_cells);
        return -1;
    }
    x->row = 0;
    return 0;
}

static int xls_row(wb *w, mr_err *e)
{
    (void)e;
    xls *x = w->impl;
    if (x->row >= x->rows)
        return 0;
    wb_row_start(w, (long)x->row + 1);
    for (unsigned short c = 0; c < x->cols; c++) {
        FreeXL_CellValue v;
        if (freexl_get_cell_value(x->h, x->row, c, &v) != FREEXL_OK)
            continue;
        char t[64];
        switch (v.type) {
        case FREEXL_CELL_INT:
            snprintf(t, sizeof t, "%d", v.value.int_value);
            wb_cell(w, c, t, strlen(t));
            break;
        case FREEXL_CELL_DOUBLE:
            wb_num_text(v.value.double_value, t);
            wb_cell(w, c, t, strlen(t));
            break;
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
        case FREEXL_CELL_DATE:
        case FREEXL_CELL_DATETIME:
        case FREEXL_CELL_TIME:
            if (v.value.text_value) {
                const char *s = v.value.text_value;
                size_t n = strlen(s);
                if (v.type == FREEXL_CELL_DATETIME && n == 19 && strcmp(s + 10, " 00:00:00") == 0)
                    n = 10;
                wb_cell(w, c, s, n);
            }
            break;
        default:
            break;
        }
    }
    x->row++;
    return 1;
}

static long long xls_offset(const wb *w)
{
    const xls *x = w->impl;
    return x->rows ? (long long)((double)w->size * x->row / x->rows) : 0;
}

static void xls_close(wb *w)
{
    xls *x = w->impl;
    if (!x)
        return;
    if (x->h)
        freexl_close(x->h);
    free(x);
    w->impl = NULL;
}

static const struct wb_ops xls_ops = {xls_sheet_open, xls_row, xls_offset, xls_close};

wb *wb_open_xls(const char *path, mr_err *e)
{
    struct stat st;
    if (stat(path, &st) == 0 && (long long)st.st_size > XLS_MAX_FILE) {
        err_set(e, EXIT_DATA, _("%s: an .xls file over %lld bytes: refused (save it as .xlsx)"), path,
                XLS_MAX_FILE);
        return NULL;
    }
    if (ole_encrypted(path)) {
        err_set(e, EXIT_DATA, _("%s: the workbook is encrypted (protected by a password): save it "
                                "without one first"), path);
        return NULL;
    }
    const void *h = NULL;
    int rc = freexl_open(path, &h);
    if (rc != FREEXL_OK) {
        if (h)
            freexl_close(h);
        err_set(e, EXIT_DATA, _("%s: not a readable .xls workbook (FreeXL error %d)"), path, rc);
        return NULL;
    }
    unsigned pw = 0, n = 0;
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK && pw == FREEXL_BIFF_OBFUSCATED) {
        freexl_close(h);
        err_set(e, EXIT_DATA, _("%s: the workbook is encrypted (protected by a password): save it "
                                "without one first"), path);
        return NULL;
    }
    freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &n);
    wb *w = xcalloc(1, sizeof *w);
    w->max_cells = wb_max_cells();
    w->path = xstrdup(path);
    w->kind = "xls";
    w->sheet = -1;
    w->size = (long long)st.st_size;
    w->ops = &xls_ops;
    xls *x = xcalloc(1, sizeof *x);
    x->h = h;
    w->impl = x;
    w->names = xcalloc(n ? n : 1, sizeof(char *));
    for (unsigned i = 0; i < n; i++) {
        const char *name = NULL;
        freexl_get_worksheet_name(h, (unsigned short)i, &name);
        w->names[w->nsheets++] = xstrdup(name ? name : "?");
    }
    return w;
}
