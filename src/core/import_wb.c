/* import_wb.c — a workbook's sheet as the rows of an import.
 *
 * A county's sheet has a title row or two (附表3 辽宁省丹东市…表), maybe a
 * unit row, a header of one or two rows with merged cells, the data, and
 * 合计/小计/总计 rows.  The header is found by the register's labels: of the
 * first HDR_SCAN rows, the row (or pair of rows) whose cells name the most
 * columns, read as import_hdr.c reads a CSV header.  A two-row header's
 * cell is the lower cell, or the upper and lower together (储量 over
 * 保有 makes 储量保有 or 保有), or the upper one alone when the lower is
 * empty or the same (a merge down).  The reader then gives that header as
 * the first record (its fields from the header's first column) and the
 * data rows below it, a total row left out and counted.
 */
#include "config.h"
#include "import_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wbin.h"

#define HDR_SCAN 30

typedef struct wbsrc {
    importer *im;
    wb *w;
    char **hdr;          /* the header as given */
    int nh, col0;
    long hdr_row;        /* its (last) row */
    int hdr_given;
    char **f;            /* a data row handed out */
    int fcap;
} wbsrc;

typedef struct srow {
    long row;
    char **c;
    int n;
} srow;

static const char *cell(const srow *r, int j) { return j < r->n ? r->c[j] : ""; }

static char *cat(const char *a, const char *b)
{
    buf x = BUF_INIT;
    buf_puts(&x, a);
    buf_puts(&x, b);
    return buf_steal(&x);
}

/* The names of the header at rows[i] (and rows[i+1] when two): names[j]
 * set for every column up to width; returns the number of distinct
 * columns named. */
static int header_names(const table *t, const srow *top, const srow *bot, char ***names, int *width)
{
    int n = top->n;
    if (bot && bot->n > n)
        n = bot->n;
    char **nm = xcalloc((size_t)n + 1, sizeof(char *));
    char *seen = xcalloc((size_t)t->ncols, 1);
    int score = 0;
    for (int j = 0; j < n; j++) {
        const char *u = cell(top, j), *l = bot ? cell(bot, j) : "";
        char *cand[3] = {NULL, NULL, NULL};
        int k = 0;
        if (!bot || !*l || strcmp(u, l) == 0) {
            cand[k++] = xstrdup(u);
        } else {
            cand[k++] = xstrdup(l);
            if (*u)
                cand[k++] = cat(u, l);
        }
        int pick = -1, ci = -1;
        for (int i = 0; i < k && pick < 0; i++)
            if (*cand[i] && (ci = import_header_col(t, cand[i])) >= 0)
                pick = i;
        if (pick >= 0 && !seen[ci]) {
            seen[ci] = 1;
            score++;
        }
        nm[j] = cand[pick >= 0 ? pick : 0];
        for (int i = 0; i < k; i++)
            if (i != (pick >= 0 ? pick : 0))
                free(cand[i]);
    }
    free(seen);
    *names = nm;
    *width = n;
    return score;
}

static void names_free(char **nm, int n)
{
    for (int j = 0; nm && j < n; j++)
        free(nm[j]);
    free(nm);
}

/* A total row: its first non-empty cell (blanks inside it ignored) is
 * 合计, 小计 or 总计, or begins so (合计（万吨）). */
static int total_row(char **f, int nf)
{
    for (int i = 0; i < nf; i++) {
        if (!f[i][0])
            continue;
        buf b = BUF_INIT;
        for (const char *p = f[i]; *p; p++) {
            if (*p == ' ' || *p == '\t')
                continue;
            if (strncmp(p, "\xe3\x80\x80", 3) == 0) {
                p += 2;
                continue;
            }
            buf_putc(&b, *p);
        }
        const char *s = buf_str(&b);
        int yes = strncmp(s, "合计", 6) == 0 || strncmp(s, "小计", 6) == 0 ||
                  strncmp(s, "总计", 6) == 0;
        buf_free(&b);
        return yes;
    }
    return 0;
}

static int src_next(void *arg, char ***fields, int *nfields, long *line, mr_err *e)
{
    wbsrc *s = arg;
    if (!s->hdr_given) {
        s->hdr_given = 1;
        *fields = s->hdr;
        *nfields = s->nh;
        *line = s->hdr_row;
        return 1;
    }
    for (;;) {
        char **c;
        int n;
        long row;
        int got = wb_row(s->w, &c, &n, &row, e);
        if (got <= 0)
            return got;
        if (row <= s->hdr_row)
            continue;
        int nf = n - s->col0;
        if (nf < s->nh)
            nf = s->nh;
        if (nf > s->fcap) {
            s->fcap = nf * 2;
            s->f = xrealloc(s->f, sizeof(char *) * (size_t)s->fcap);
        }
        static char empty[1];
        for (int i = 0; i < nf; i++)
            s->f[i] = s->col0 + i < n ? c[s->col0 + i] : empty;
        /* a value left of the header's first column has no column: said so */
        for (int j = 0; j < s->col0 && j < n; j++)
            if (c[j][0]) {
                char where[300];
                wb_where(s->w, row, j, where, sizeof where);
                err_set(e, EXIT_DATA, _("%s: %s: a value left of the header's first column (%s)"),
                        s->im->path, where, c[j]);
                return -1;
            }
        /* trailing empty cells beyond the header are not fields */
        while (nf > s->nh && !s->f[nf - 1][0])
            nf--;
        if (total_row(s->f, nf)) {
            import_result *r = s->im->r;
            if (r->ntotal_rows < IMPORT_TOTAL_ROWS)
                r->total_rows[r->ntotal_rows++] = row;
            r->totals++;
            continue;
        }
        *fields = s->f;
        *nfields = nf;
        *line = row;
        return 1;
    }
}

static long long src_offset(void *arg) { return wb_offset(((wbsrc *)arg)->w); }

static void src_close(void *arg)
{
    wbsrc *s = arg;
    wb_close(s->w);
    names_free(s->hdr, s->nh);
    free(s->f);
    free(s);
}

static void srows_free(srow *rows, int n)
{
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < rows[i].n; j++)
            free(rows[i].c[j]);
        free(rows[i].c);
    }
}

/* The sheet's header: in s (hdr, nh, col0, hdr_row).  0, or -1 with e. */
static int find_header(wbsrc *s, int sheet, int chosen, mr_err *e)
{
    const table *t = s->im->t;
    srow rows[HDR_SCAN];
    int nr = 0, got = 1;
    while (nr < HDR_SCAN && (got = wb_row(s->w, &rows[nr].c, &rows[nr].n, &rows[nr].row, e)) == 1) {
        char **copy = xmalloc(sizeof(char *) * (size_t)(rows[nr].n + 1));
        for (int j = 0; j < rows[nr].n; j++)
            copy[j] = xstrdup(rows[nr].c[j]);
        rows[nr].c = copy;
        nr++;
    }
    if (got < 0) {
        srows_free(rows, nr);
        return -1;
    }
    int best = 0, bi = -1, btwo = 0;
    for (int i = 0; i < nr; i++) {
        for (int two = 0; two < 2; two++) {
            if (two && (i + 1 >= nr || rows[i + 1].row != rows[i].row + 1))
                continue;
            char **nm;
            int w;
            int sc = header_names(t, &rows[i], two ? &rows[i + 1] : NULL, &nm, &w);
            names_free(nm, w);
            if (sc > best) {
                best = sc;
                bi = i;
                btwo = two;
            }
        }
    }
    int need = t->ncols < 2 ? t->ncols : 2;
    if (bi < 0 || best < need) {
        buf ids = BUF_INIT;
        for (int ci = 0; ci < t->ncols; ci++)
            buf_printf(&ids, "%s%s", ci ? ", " : "", t->cols[ci].label);
        buf m = BUF_INIT;
        buf_printf(&m, _("%s: sheet %s: no row among its first %d names the columns of %s "
                         "(its columns: %s)"),
                   s->im->path, wb_sheet_name(s->w, sheet), HDR_SCAN, t->id, buf_str(&ids));
        if (!chosen && wb_nsheets(s->w) > 1) {
            buf_puts(&m, _("; the workbook's sheets: "));
            for (int i = 0; i < wb_nsheets(s->w); i++)
                buf_printf(&m, "%s%d %s", i ? ", " : "", i + 1, wb_sheet_name(s->w, i));
            buf_puts(&m, _(" (choose one with --sheet NAME|N)"));
        }
        err_set(e, EXIT_DATA, "%s", buf_str(&m));
        buf_free(&m);
        buf_free(&ids);
        srows_free(rows, nr);
        return -1;
    }
    char **nm;
    int w;
    header_names(t, &rows[bi], btwo ? &rows[bi + 1] : NULL, &nm, &w);
    int first = 0, last = w - 1;
    while (first < w && !nm[first][0])
        first++;
    while (last > first && !nm[last][0])
        last--;
    s->col0 = first;
    s->nh = last - first + 1;
    s->hdr = xcalloc((size_t)s->nh, sizeof(char *));
    for (int j = 0; j < s->nh; j++)
        s->hdr[j] = xstrdup(nm[first + j]);
    names_free(nm, w);
    s->hdr_row = rows[bi + btwo].row;
    srows_free(rows, nr);
    return 0;
}

csv_reader *import_wb_open(importer *im, const char *path)
{
    mr_err *e = im->e;
    im->path = path;
    wb *w = wb_open(path, e);
    if (!w)
        return NULL;
    int sheet = wb_sheet_find(w, im->o->sheet, e);
    if (sheet < 0 || wb_sheet_open(w, sheet, e) < 0) {
        wb_close(w);
        return NULL;
    }
    wbsrc *s = xcalloc(1, sizeof *s);
    s->im = im;
    s->w = w;
    if (find_header(s, sheet, im->o->sheet != NULL, e) < 0) {
        src_close(s);
        return NULL;
    }
    /* read again from the top: merged cells across in the title and the
     * header, and only down below it */
    if (wb_sheet_open(w, sheet, e) < 0) {
        src_close(s);
        return NULL;
    }
    wb_fill_across_to(w, s->hdr_row);
    im->r->wb_kind = wb_kind(w);
    im->r->sheet = xstrdup(wb_sheet_name(w, sheet));
    im->r->col0 = s->col0;
    csvr_source src = {s, src_next, src_offset, wb_size(w), src_close};
    return csvr_from_source(path, &src);
}

void import_where(const import_result *r, long line, int field, buf *out)
{
    if (r->sheet)
        wb_cell_ref(r->sheet, line, field >= 0 ? r->col0 + field : -1, out);
    else
        buf_printf(out, _("line %ld"), line);
}
