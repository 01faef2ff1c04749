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
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "check.h"
#include "i18n.h"
#include "outfile.h"
#include "xlsxlist.h"
#include "text.h"

#define MAX_SCALE 15
#define MAX_WIDTH 60

typedef struct xw {
    lxw_workbook *wb;
    lxw_format *title, *head, *text, *whole, *date, *dec[MAX_SCALE + 1], *general, *total,
        *total_dec[MAX_SCALE + 1], *total_general;
    int64_t sheet_rows;          /* rows a sheet holds (title and header included) */
    const export_opts *o;
    buf cell;                    /* a value made safe for XML */
    int nsheets;
    char err[512];               /* the first error, if any */
    int err_code;
} xw;

/* ---- sheet and cell helpers ------------------------------------------------- */

static int failed(xw *x, lxw_error rc, const char *where)
{
    if (rc == LXW_NO_ERROR || x->err_code)
        return rc != LXW_NO_ERROR;
    snprintf(x->err, sizeof x->err, "%s: %s", where, lxw_strerror(rc));
    x->err_code = EXIT_IO;
    return 1;
}

/* Text as XML can carry it: invalid UTF-8 becomes U+FFFD; libxlsxwriter
 * escapes the control characters itself (_x001B_). */
const char *xlsx_cell_text(buf *cell, const char *s)
{
    size_t n = strlen(s), i = 0;
    buf_reset(cell);
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k <= 0 || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            buf_puts(cell, "\xEF\xBF\xBD");
            i += k > 0 ? (size_t)k : 1;
            continue;
        }
        buf_add(cell, s + i, (size_t)k);
        i += (size_t)k;
    }
    /* Excel's limit for a cell: cut at a character boundary */
    if (cell->len > 32767) {
        size_t cut = 32767;
        while (cut && ((unsigned char)cell->s[cut] & 0xC0) == 0x80)
            cut--;
        cell->len = cut;
        cell->s[cut] = '\0';
    }
    return buf_str(cell);
}

static const char *clean(xw *x, const char *s) { return xlsx_cell_text(&x->cell, s); }

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\ */
static void sheet_name(buf *out, const char *base, int part)
{
    buf_reset(out);
    char suffix[24] = "";
    if (part > 1)
        snprintf(suffix, sizeof suffix, " (%d)", part);
    int room = 31 - (int)strlen(suffix), chars = 0;
    for (const char *p = base; *p && chars < room;) {
        int k = 1;
        while ((((unsigned char)p[k]) & 0xC0) == 0x80)
            k++;
        if (strchr("[]:*?/\\'", *p))
            buf_putc(out, '_');
        else
            buf_add(out, p, (size_t)k);
        p += k;
        chars++;
    }
    buf_puts(out, suffix);
}

/* The title as the plan prints it: 附表N 辽宁省丹东市…表, else 专栏X TITLE. */
void export_print_title(const table *t, buf *out)
{
    if (strncmp(t->appendix, "附表", strlen("附表")) == 0)
        buf_printf(out, "%s 辽宁省丹东市%s", t->appendix, t->title);
    else if (*t->appendix)
        buf_printf(out, "%s %s", t->appendix, t->title);
    else
        buf_puts(out, t->title);
}

static int date_parse(const char *s, lxw_datetime *d)
{
    int y, m, dd;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || s[4] != '-' ||
        s[7] != '-' || y < 1900 || y > 9999 || m < 1 || m > 12 || dd < 1 || dd > 31)
        return 0;
    *d = (lxw_datetime){.year = y, .month = m, .day = dd};
    return 1;
}

static int number_parse(const char *s, double *v)
{
    if (!*s || strpbrk(s, "xXpPnN"))   /* no hex (0x10), inf or nan: text, as stored */
        return 0;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end == '\0' && isfinite(*v) && !(s[0] == ' ' || s[0] == '\t');
}

static lxw_format *dec_format(xw *x, int scale, int bold)
{
    if (scale < 0 || scale > MAX_SCALE)
        return bold ? x->total_general : x->general;
    lxw_format **slot = bold ? &x->total_dec[scale] : &x->dec[scale];
    if (!*slot) {
        char fmt[24] = "0";
        if (scale) {
            fmt[1] = '.';
            memset(fmt + 2, '0', (size_t)scale);
            fmt[2 + scale] = '\0';
        }
        *slot = workbook_add_format(x->wb);
        format_set_num_format(*slot, fmt);
        if (bold)
            format_set_bold(*slot);
    }
    return *slot;
}

static lxw_format *col_fmt(xw *x, const column *c, int bold)
{
    switch (c->type) {
    case COL_INT:
    case COL_YEAR: return bold ? dec_format(x, 0, 1) : x->whole;
    case COL_DEC: return dec_format(x, c->scale, bold);
    case COL_DATE: return x->date;
    default: return x->text;
    }
}

/* Write one value of column c.  *w gets its display width. */
static void put(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t ci, const column *c, const char *v,
                int *w)
{
    *w = 0;
    if (!v || !*v)
        return;
    double num;
    lxw_datetime dt;
    lxw_error rc;
    if ((c->type == COL_INT || c->type == COL_DEC || c->type == COL_YEAR) && number_parse(v, &num)) {
        rc = worksheet_write_number(ws, r, ci, num, col_fmt(x, c, 0));
        if (c->type == COL_DEC && c->scale >= 0) {
            buf b = BUF_INIT;
            col_format(c, v, &b);
            *w = (int)b.len;
            buf_free(&b);
        } else {
            *w = (int)strlen(v);
        }
    } else if (c->type == COL_DATE && date_parse(v, &dt)) {
        rc = worksheet_write_datetime(ws, r, ci, &dt, x->date);
        *w = 10;
    } else {
        /* text, or what a number or date column holds that is not one:
         * always a text cell, never a formula */
        const char *s = clean(x, v);
        rc = worksheet_write_string(ws, r, ci, s, x->text);
        *w = text_width(s);
    }
    failed(x, rc, "write");
}

/* ---- one register ----------------------------------------------------------- */

typedef struct sheet {
    lxw_worksheet *ws;
    lxw_row_t row;      /* next row to write */
    int filtered;
} sheet;

static int sheet_start(xw *x, sheet *sh, const char *base, int part, const char *title,
                       const char *const *heads, int nc, int *widths)
{
    buf name = BUF_INIT;
    sheet_name(&name, base, part);
    sh->ws = workbook_add_worksheet(x->wb, buf_str(&name));
    buf_free(&name);
    if (!sh->ws) {
        snprintf(x->err, sizeof x->err, "%s", _("cannot add a sheet to the workbook"));
        x->err_code = EXIT_INTERNAL;
        return -1;
    }
    x->nsheets++;
    worksheet_set_landscape(sh->ws);
    worksheet_set_paper(sh->ws, 9);             /* A4 */
    worksheet_fit_to_pages(sh->ws, 1, 0);       /* one page wide, as many long */
    worksheet_repeat_rows(sh->ws, 0, 1);        /* the title and header on every page */
    worksheet_freeze_panes(sh->ws, 2, 0);
    worksheet_write_string(sh->ws, 0, 0, clean(x, title), x->title);
    for (int i = 0; i < nc; i++) {
        const char *h = clean(x, heads[i]);
        worksheet_write_string(sh->ws, 1, (lxw_col_t)i, h, x->head);
        int w = text_width(h);
        if (w > widths[i])
            widths[i] = w;
    }
    sh->row = 2;
    sh->filtered = 0;
    return 0;
}

/* The autofilter over the header and the rows: called while the last data
 * row is still the current one (constant-memory mode refuses a range that
 * ends above it), so before a 合计 row. */
static void sheet_filter(sheet *sh, int nc, lxw_row_t last_data)
{
    if (nc > 0 && !sh->filtered)
        worksheet_autofilter(sh->ws, 1, 0, last_data >= 2 ? last_data : 1, (lxw_col_t)(nc - 1));
    sh->filtered = 1;
}

static void sheet_finish(sheet *sh, int nc, lxw_row_t last_data, const int *widths)
{
    sheet_filter(sh, nc, last_data);
    for (int i = 0; i < nc; i++) {
        int w = widths[i] + 2;
        if (w > MAX_WIDTH)
            w = MAX_WIDTH;
        if (w < 6)
            w = 6;
        worksheet_set_column(sh->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL);
    }
}

/* "a register continued on a next sheet" */
static void note_continued(xw *x, const char *id, long long row, const char *where)
{
    if (!x->o->note)
        return;
    buf m = BUF_INIT;
    buf_printf(&m, _("%s: more rows than a sheet holds; row %lld on is on sheet '%s'"), id, row, where);
    x->o->note(x->o->note_arg, buf_str(&m));
    buf_free(&m);
}

/* Does the plan state a total of column ci over all of t's rows? */
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
    if (!c || sheet_start(x, &sh, base, part, buf_str(&title), heads, nc, widths) < 0)
        goto out;
    int got;
    while ((got = cursor_next(c)) == 1) {
        if ((int64_t)sh.row >= x->sheet_rows) {   /* the sheet is full: go on on the next */
            sheet_finish(&sh, nc, sh.row - 1, widths);
            part++;
            buf nm = BUF_INIT;
            sheet_name(&nm, base, part);
            note_continued(x, t->id, (long long)*rows + 1, buf_str(&nm));
            buf_free(&nm);
            memset(widths, 0, sizeof(int) * (size_t)nc);
            if (sheet_start(x, &sh, base, part, buf_str(&title), heads, nc, widths) < 0)
                goto out;
        }
        for (int i = 0; i < nc; i++) {
            const column *col = &t->cols[cis[i]];
            const char *v = cursor_val(c, cis[i]);
            int w;
            put(x, sh.ws, sh.row, (lxw_col_t)i, col, v, &w);
            if (w > widths[i])
                widths[i] = w;
            double num;
            if (tot[i] && v && number_parse(v, &num))
                sums[i] += num;
        }
        for (int k = 0; k < ngt; k++) {
            double num;
            const char *gv = cursor_val(c, cis[gt[k].gi]), *sv = cursor_val(c, cis[gt[k].si]);
            if (holds(&t->cols[cis[gt[k].gi]], gv, gt[k].x->where_val) && sv && number_parse(sv, &num))
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
            sheet_finish(&sh, nc, last, widths);
            part++;
            memset(widths, 0, sizeof(int) * (size_t)nc);
            if (sheet_start(x, &sh, base, part, buf_str(&title), heads, nc, widths) < 0)
                goto out;
            last = 1;
        }
        sheet_filter(&sh, nc, last);
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
            lxw_format *f = col_fmt(x, &t->cols[cis[i]], 1);
            if (part == 1 && last >= 2) {
                char formula[64], from[16], to[16];
                lxw_rowcol_to_cell(from, 2, (lxw_col_t)i);
                lxw_rowcol_to_cell(to, last, (lxw_col_t)i);
                snprintf(formula, sizeof formula, "=SUM(%s:%s)", from, to);
                failed(x, worksheet_write_formula_num(sh.ws, sh.row, (lxw_col_t)i, formula, f, sums[i]),
                       "write");
            } else {
                failed(x, worksheet_write_number(sh.ws, sh.row, (lxw_col_t)i, sums[i], f), "write");
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
        sheet_filter(&sh, nc, last);
        int label_at = -1;
        for (int i = 0; i < nc && label_at < 0; i++)
            if (i != gt[k].gi && i != gt[k].si && !tot[i])
                label_at = i;
        if (label_at >= 0)
            worksheet_write_string(sh.ws, sh.row, (lxw_col_t)label_at, "合计", x->total);
        failed(x, worksheet_write_string(sh.ws, sh.row, (lxw_col_t)gt[k].gi,
                                         clean(x, gt[k].x->where_val), x->total), "write");
        /* the total's unit where the rows give theirs (矿石，亿吨（62%）) */
        for (int i = 0; i < nc; i++)
            if (strcmp(t->cols[cis[i]].id, "unit") == 0 && *gt[k].x->unit && i != label_at)
                failed(x, worksheet_write_string(sh.ws, sh.row, (lxw_col_t)i, clean(x, gt[k].x->unit),
                                                 x->text), "write");
        lxw_format *f = col_fmt(x, &t->cols[cis[gt[k].si]], 1);
        if (part == 1 && last >= 2 && !t->cols[cis[gt[k].gi]].multi &&
            !strpbrk(gt[k].x->where_val, "\"*?~")) {
            char formula[512], g1[16], g2[16], s1[16], s2[16];
            lxw_rowcol_to_cell(g1, 2, (lxw_col_t)gt[k].gi);
            lxw_rowcol_to_cell(g2, last, (lxw_col_t)gt[k].gi);
            lxw_rowcol_to_cell(s1, 2, (lxw_col_t)gt[k].si);
            lxw_rowcol_to_cell(s2, last, (lxw_col_t)gt[k].si);
            snprintf(formula, sizeof formula, "=SUMIF(%s:%s,\"%s\",%s:%s)", g1, g2,
                     gt[k].x->where_val, s1, s2);
            failed(x, worksheet_write_formula_num(sh.ws, sh.row, (lxw_col_t)gt[k].si, formula, f,
                                                  gt[k].sum),
                   "write");
        } else {
            failed(x, worksheet_write_number(sh.ws, sh.row, (lxw_col_t)gt[k].si, gt[k].sum, f),
                   "write");
        }
        sh.row++;
    }
    sheet_finish(&sh, nc, last, widths);
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
        sheet_finish(&fs->sh, 7, fs->sh.row - 1, fs->widths);
        fs->part++;
        memset(fs->widths, 0, sizeof fs->widths);
        if (sheet_start(x, &fs->sh, fs->title, fs->part, fs->title, fs->heads, 7, fs->widths) < 0) {
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
        const char *c = clean(x, v[i]);
        failed(x, worksheet_write_string(fs->sh.ws, fs->sh.row, (lxw_col_t)i, c, x->text), "write");
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
    if (sheet_start(x, &fs.sh, fs.title, 1, fs.title, fs.heads, 7, fs.widths) < 0) {
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
    sheet_finish(&fs.sh, 7, fs.sh.row - 1, fs.widths);
    return 0;
}

/* ---- the workbook ----------------------------------------------------------- */

static void formats(xw *x)
{
    x->title = workbook_add_format(x->wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    x->head = workbook_add_format(x->wb);
    format_set_bold(x->head);
    format_set_border(x->head, LXW_BORDER_THIN);
    format_set_align(x->head, LXW_ALIGN_CENTER);
    format_set_bg_color(x->head, 0xDDEBF7);
    x->text = workbook_add_format(x->wb);
    format_set_num_format(x->text, "@");
    x->whole = workbook_add_format(x->wb);
    format_set_num_format(x->whole, "0");
    x->date = workbook_add_format(x->wb);
    format_set_num_format(x->date, "yyyy-mm-dd");
    x->general = workbook_add_format(x->wb);
    x->total = workbook_add_format(x->wb);
    format_set_bold(x->total);
    x->total_general = workbook_add_format(x->wb);
    format_set_bold(x->total_general);
}


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
    formats(&x);
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
