/* xlsxout.c — registers as an Excel workbook, in the plan's printed layout
 * (see export.h: export_xlsx).
 *
 * libxlsxwriter in constant-memory mode: rows go out in order as they come
 * from SQLite, one at a time, so memory stays flat whatever the register's
 * size.  libxlsxwriter writes to a file name and seeks in it (a zip), so the
 * workbook is written to a scratch file in $TMPDIR first and its bytes are
 * then copied into the output outfile.c opened; the output's rules (never
 * the register, a temporary renamed into place, devices written in place)
 * are the same as for CSV.
 *
 * Each sheet: row 1 the title as the plan prints it (附表N 辽宁省丹东市…表),
 * row 2 the header "label(unit)", then the rows; the header is frozen and
 * repeated on every printed page, with an autofilter over it.  Text columns
 * are text cells (a code of digits stays a code; "=x" is text, never a
 * formula), numbers are numbers with the decimals the schema's scale gives
 * (199.8790), dates are Excel dates.  A register the plan states a total for
 * (minreg_totals, a sum over all its rows) ends with a 合计 row, and one the
 * plan states per value of a column (the quotas' 合计 per mineral) with one
 * 合计 row per value.
 */
#include "config.h"
#include "xlsxout_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>


#include "check.h"
#include "i18n.h"
#include "outfile.h"
#include "xlsxlist.h"
#include "text.h"

static int totalled(const schema *s, const table *t, int ci)
{
    for (int i = 0; i < s->ntotals; i++) {
        const total *tt = &s->totals[i];
        if (strcmp(tt->tbl, t->id) == 0 && strcmp(tt->measure, "sum") == 0 && !*tt->where_col &&
            strcmp(tt->col, t->cols[ci].id) == 0)
            return 1;
    }
    return 0;
}

/* A total the plan states for the rows of one value of a column (第六章第一节's
 * 开采控制量 合计 per mineral): its place in the exported columns and the
 * sum of the rows written. */
typedef struct group_total {
    const total *x;
    int gi, si;         /* exported column of where_col, of the summed column */
    double sum;
} group_total;

static int group_totals(const schema *s, const table *t, const int *cis, int nc, group_total **out)
{
    int n = 0;
    *out = NULL;
    for (int i = 0; i < s->ntotals; i++) {
        const total *tt = &s->totals[i];
        if (strcmp(tt->tbl, t->id) != 0 || strcmp(tt->measure, "sum") != 0 || !*tt->where_col ||
            *tt->with_tbl || strchr(tt->where_val, '|') || !total_is_stated(tt))
            continue;
        int gi = -1, si = -1;
        for (int k = 0; k < nc; k++) {
            if (strcmp(t->cols[cis[k]].id, tt->where_col) == 0)
                gi = k;
            if (strcmp(t->cols[cis[k]].id, tt->col) == 0)
                si = k;
        }
        /* a total about one row (CS21060000001's area) is no 合计 row */
        if (gi < 0 || si < 0 || cis[gi] == t->key_ci)
            continue;
        *out = xrealloc(*out, sizeof **out * (size_t)(n + 1));
        (*out)[n++] = (group_total){.x = tt, .gi = gi, .si = si, .sum = 0};
    }
    return n;
}

/* Does the value v (a list when multi) hold item? */
static int holds(const column *c, const char *v, const char *item)
{
    if (!v)
        return 0;
    if (!c->multi)
        return strcmp(v, item) == 0;
    size_t n = strlen(item);
    for (const char *p = v; p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL)
        if (strncmp(p, item, n) == 0 && (p[n] == ';' || p[n] == '\0'))
            return 1;
    return 0;
}

static int write_table(xw *x, db *d, const table *t, const export_opts *o, int64_t *rows, mr_err *e)
{
    const schema *s = db_schema(d);
    int nc = o->cis ? o->nc : t->ncols;
    int *cis = xmalloc(sizeof(int) * (size_t)(nc ? nc : 1));
    int *widths = xcalloc((size_t)(nc ? nc : 1), sizeof(int));
    double *sums = xcalloc((size_t)(nc ? nc : 1), sizeof(double));
    char *tot = xcalloc((size_t)(nc ? nc : 1), 1);
    const char **heads = xmalloc(sizeof(char *) * (size_t)(nc ? nc : 1));
    buf hb = BUF_INIT, title = BUF_INIT;
    int any_total = 0;
    for (int i = 0; i < nc; i++) {
        cis[i] = o->cis ? o->cis[i] : i;
        tot[i] = (char)totalled(s, t, cis[i]);
        any_total |= tot[i];
    }
    group_total *gt = NULL;
    int ngt = group_totals(s, t, cis, nc, &gt);
    /* header texts, kept apart ("label(unit)"; ids with --header ids) */
    size_t *off = xmalloc(sizeof(size_t) * (size_t)(nc ? nc : 1));
    for (int i = 0; i < nc; i++) {
        off[i] = hb.len;
        if (o->header_ids)
            buf_puts(&hb, t->cols[cis[i]].id);
        else
            col_header(&t->cols[cis[i]], &hb);
        buf_putc(&hb, '\0');
    }
    for (int i = 0; i < nc; i++)
        heads[i] = hb.s + off[i];
    export_print_title(t, &title);
    const char *base = *t->appendix ? t->appendix : t->title;

    int rc = -1;
    cursor *c = db_select(d, t, o->f, o->nf, o->sort_ci, o->desc, -1, e);
    sheet sh = {0};
    int part = 1;
    if (!c || xo_sheet_start(x, &sh, base, part, buf_str(&title), heads, nc, widths) < 0)
        goto out;
    int got;
    while ((got = cursor_next(c)) == 1) {
        if ((int64_t)sh.row >= x->sheet_rows) {   /* the sheet is full: go on on the next */
            xo_sheet_finish(&sh, nc, sh.row - 1, widths);
            part++;
            buf nm = BUF_INIT;
            xlsx_sheet_name(&nm, base, part);
            xo_note_continued(x, t->id, (long long)*rows + 1, buf_str(&nm));
            buf_free(&nm);
            memset(widths, 0, sizeof(int) * (size_t)nc);
            if (xo_sheet_start(x, &sh, base, part, buf_str(&title), heads, nc, widths) < 0)
                goto out;
        }
        for (int i = 0; i < nc; i++) {
            const column *col = &t->cols[cis[i]];
            const char *v = cursor_val(c, cis[i]);
            int w;
            xo_put(x, sh.ws, sh.row, (lxw_col_t)i, col, v, &w);
            if (w > widths[i])
                widths[i] = w;
            double num;
            if (tot[i] && v && xo_number_parse(v, &num))
                sums[i] += num;
        }
        for (int k = 0; k < ngt; k++) {
            double num;
            const char *gv = cursor_val(c, cis[gt[k].gi]), *sv = cursor_val(c, cis[gt[k].si]);
            if (holds(&t->cols[cis[gt[k].gi]], gv, gt[k].x->where_val) && sv && xo_number_parse(sv, &num))
                gt[k].sum += num;
        }
        if (x->err_code)
            break;
        sh.row++;
        (*rows)++;
    }
    if (got < 0) {
        err_set(e, EXIT_DB, "%s: %s", db_path(d), cursor_error(c));
        goto out;
    }
    lxw_row_t last = sh.row - 1;
    if (any_total && !x->err_code) {
        if ((int64_t)sh.row >= x->sheet_rows) {   /* no room left for the total */
            xo_sheet_finish(&sh, nc, last, widths);
            part++;
            memset(widths, 0, sizeof(int) * (size_t)nc);
            if (xo_sheet_start(x, &sh, base, part, buf_str(&title), heads, nc, widths) < 0)
                goto out;
            last = 1;
        }
        xo_sheet_filter(&sh, nc, last);
        /* 合计 in the first column that is not summed, the sums under theirs;
         * a SUM formula over the sheet's rows when they are all on it */
        int label_at = -1;
        for (int i = 0; i < nc && label_at < 0; i++)
            if (!tot[i])
                label_at = i;
        if (label_at >= 0)
            worksheet_write_string(sh.ws, sh.row, (lxw_col_t)label_at, "合计", x->total);
        for (int i = 0; i < nc; i++) {
            if (!tot[i])
                continue;
            lxw_format *f = xo_col_fmt(x, &t->cols[cis[i]], 1);
            if (part == 1 && last >= 2) {
                char formula[64], from[16], to[16];
                lxw_rowcol_to_cell(from, 2, (lxw_col_t)i);
                lxw_rowcol_to_cell(to, last, (lxw_col_t)i);
                snprintf(formula, sizeof formula, "=SUM(%s:%s)", from, to);
                xo_failed(x, worksheet_write_formula_num(sh.ws, sh.row, (lxw_col_t)i, formula, f, sums[i]),
                       "write");
            } else {
                xo_failed(x, worksheet_write_number(sh.ws, sh.row, (lxw_col_t)i, sums[i], f), "write");
            }
        }
        sh.row++;
    }
    /* 合计 per group the plan prints one for: "合计" where the group's value
     * was, the group's value beside it, its sum (a SUMIF over the sheet's
     * rows when they are all on it) */
    for (int k = 0; k < ngt && !x->err_code; k++) {
        if ((int64_t)sh.row >= x->sheet_rows)
            break;   /* no room: the rows' own sums stand */
        xo_sheet_filter(&sh, nc, last);
        int label_at = -1;
        for (int i = 0; i < nc && label_at < 0; i++)
            if (i != gt[k].gi && i != gt[k].si && !tot[i])
                label_at = i;
        if (label_at >= 0)
            worksheet_write_string(sh.ws, sh.row, (lxw_col_t)label_at, "合计", x->total);
        xo_failed(x, worksheet_write_string(sh.ws, sh.row, (lxw_col_t)gt[k].gi,
                                         xo_clean(x, gt[k].x->where_val), x->total), "write");
        /* the total's unit where the rows give theirs (矿石，亿吨（62%）) */
        for (int i = 0; i < nc; i++)
            if (strcmp(t->cols[cis[i]].id, "unit") == 0 && *gt[k].x->unit && i != label_at)
                xo_failed(x, worksheet_write_string(sh.ws, sh.row, (lxw_col_t)i, xo_clean(x, gt[k].x->unit),
                                                 x->text), "write");
        lxw_format *f = xo_col_fmt(x, &t->cols[cis[gt[k].si]], 1);
        if (part == 1 && last >= 2 && !t->cols[cis[gt[k].gi]].multi &&
            !strpbrk(gt[k].x->where_val, "\"*?~")) {
            char formula[512], g1[16], g2[16], s1[16], s2[16];
            lxw_rowcol_to_cell(g1, 2, (lxw_col_t)gt[k].gi);
            lxw_rowcol_to_cell(g2, last, (lxw_col_t)gt[k].gi);
            lxw_rowcol_to_cell(s1, 2, (lxw_col_t)gt[k].si);
            lxw_rowcol_to_cell(s2, last, (lxw_col_t)gt[k].si);
            snprintf(formula, sizeof formula, "=SUMIF(%s:%s,\"%s\",%s:%s)", g1, g2,
                     gt[k].x->where_val, s1, s2);
            xo_failed(x, worksheet_write_formula_num(sh.ws, sh.row, (lxw_col_t)gt[k].si, formula, f,
                                                  gt[k].sum),
                   "write");
        } else {
            xo_failed(x, worksheet_write_number(sh.ws, sh.row, (lxw_col_t)gt[k].si, gt[k].sum, f),
                   "write");
        }
        sh.row++;
    }
    xo_sheet_finish(&sh, nc, last, widths);
    rc = x->err_code ? -1 : 0;
out:
    if (rc < 0 && x->err_code && !e->code)   /* libxlsxwriter's error, not SQLite's */
        err_set(e, x->err_code, "%s", x->err);
    cursor_free(c);
    free(gt);
    buf_free(&hb);
    buf_free(&title);
    free(off);
    free(heads);
    free(tot);
    free(sums);
    free(widths);
    free(cis);
    return rc;
}

/* ---- check's findings ------------------------------------------------------- */

typedef struct findings_sheet {
    xw *x;
    const schema *s;
    sheet sh;
    int part;
    int widths[7];
    const char *heads[7];
    const char *title;
    int64_t n;
    int failed;
} findings_sheet;

static void on_finding(void *arg, const finding *f)
{
    findings_sheet *fs = arg;
    xw *x = fs->x;
    if (fs->failed || x->err_code)
        return;
    if ((int64_t)fs->sh.row >= x->sheet_rows) {
        xo_sheet_finish(&fs->sh, 7, fs->sh.row - 1, fs->widths);
        fs->part++;
        memset(fs->widths, 0, sizeof fs->widths);
        if (xo_sheet_start(x, &fs->sh, fs->title, fs->part, fs->title, fs->heads, 7, fs->widths) < 0) {
            fs->failed = 1;
            return;
        }
    }
    const table *t = f->ti >= 0 ? &fs->s->tables[f->ti] : NULL;
    const char *v[7] = {check_severity_name(f->rule->sev), f->rule->id, f->source, t ? t->id : "",
                        f->key, t && f->ci >= 0 ? t->cols[f->ci].label : "", f->msg};
    for (int i = 0; i < 7; i++) {
        if (!v[i] || !*v[i])
            continue;
        const char *c = xo_clean(x, v[i]);
        xo_failed(x, worksheet_write_string(fs->sh.ws, fs->sh.row, (lxw_col_t)i, c, x->text), "write");
        int w = text_width(c);
        if (w > fs->widths[i])
            fs->widths[i] = w;
    }
    fs->sh.row++;
    fs->n++;
}

static int write_findings(xw *x, db *d, mr_err *e)
{
    findings_sheet fs = {.x = x, .s = db_schema(d), .part = 1,
                         .heads = {_("Severity"), _("Rule"), _("Clause"), _("Register"), _("Record"),
                                   _("Column"), _("Message")},
                         .title = _("Findings")};
    if (xo_sheet_start(x, &fs.sh, fs.title, 1, fs.title, fs.heads, 7, fs.widths) < 0) {
        err_set(e, x->err_code, "%s", x->err);
        return -1;
    }
    char today[11];
    check_today(today);
    check_opts co = {.today = today, .integrity = 1, .schema = 1, .emit = on_finding, .emit_arg = &fs};
    check_result res = {0};
    int rc = check_run(d, &co, &res, e);
    check_result_free(&res);
    if (rc < 0)
        return -1;
    if (fs.failed || x->err_code) {
        err_set(e, x->err_code ? x->err_code : EXIT_INTERNAL, "%s", x->err);
        return -1;
    }
    xo_sheet_finish(&fs.sh, 7, fs.sh.row - 1, fs.widths);
    return 0;
}

/* ---- the workbook ----------------------------------------------------------- */


int export_xlsx(db *d, const table *t, const char *path, const export_opts *o, int64_t *rows,
                mr_err *e)
{
    *rows = 0;
    /* the output first: one that may not be written is refused before any work */
    outfile *out = outfile_open(path, db_path(d), e);
    if (!out)
        return -1;
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    buf scratch = BUF_INIT;
    buf_printf(&scratch, "%s/minreg-xlsx-XXXXXX", tmpdir);
    int sfd = mkostemp(scratch.s, O_CLOEXEC);
    if (sfd < 0) {
        err_set(e, EXIT_IO, "%s: %s", buf_str(&scratch), strerror(errno));
        buf_free(&scratch);
        outfile_abort(out);
        return -1;
    }
    xw x = {.o = o, .sheet_rows = LXW_ROW_MAX};
    /* MINREG_XLSX_SHEET_ROWS: rows a sheet holds (title and header
     * included), for the tests of the overflow onto a next sheet only */
    const char *lim = getenv("MINREG_XLSX_SHEET_ROWS");
    if (lim && atoll(lim) >= 4 && atoll(lim) < LXW_ROW_MAX)
        x.sheet_rows = atoll(lim);
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir,
                               .use_zip64 = LXW_TRUE};
    x.wb = workbook_new_opt(buf_str(&scratch), &wo);
    int rc = -1;
    if (!x.wb) {
        err_set(e, EXIT_IO, _("%s: cannot start the workbook"), outfile_name(out));
        goto done;
    }
    xo_formats(&x);
    const schema *s = db_schema(d);
    buf doc_title = BUF_INIT;
    if (t)
        export_print_title(t, &doc_title);
    else
        buf_puts(&doc_title, "辽宁省丹东市矿产资源总体规划 登记簿");
    const char *user = getenv("USER");
    lxw_doc_properties props = {.title = (char *)buf_str(&doc_title),
                                .subject = "丹东市矿产资源总体规划（2021-2025年）",
                                .author = (char *)(user && *user ? user : "minreg"),
                                .company = "丹东市",
                                .category = "矿产资源规划登记簿",
                                .keywords = "minreg",
                                .comments = "minreg " PACKAGE_VERSION};
    workbook_set_properties(x.wb, &props);
    rc = 0;
    if (t) {
        rc = write_table(&x, d, t, o, rows, e);
    } else {
        export_opts all = {.sort_ci = -1, .header_ids = o->header_ids};
        for (int i = 0; i < s->ntables && rc == 0; i++)
            rc = write_table(&x, d, &s->tables[i], &all, rows, e);
        if (rc == 0)
            rc = write_findings(&x, d, e);
    }
    lxw_error wrc = workbook_close(x.wb);
    buf_free(&doc_title);
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
    buf_free(&x.cell);
    if (rc < 0) {
        outfile_abort(out);
        return -1;
    }
    return outfile_commit(out, e);
}

int export_is_xlsx(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}
