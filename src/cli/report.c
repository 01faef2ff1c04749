/* report.c — `minreg report summary`: what the register holds, for a report.
 *
 * The figures come from core/summary.c; this file only lays them out: as
 * text tables aligned by display width (to paste into a report), or as CSV
 * for Excel — sections one under another, each with its own header row,
 * with a UTF-8 byte order mark and CRLF line ends, without which Excel on
 * Windows reads Chinese text as mojibake.
 */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/csvio.h"
#include "core/i18n.h"
#include "core/summary.h"

/* One section, built as rows of cells, then printed as text or CSV. */
typedef struct section {
    const char *title;
    int ncols;
    const int *right;     /* per column: numbers are right-aligned in text */
    char **cells;
    size_t n, cap;
} section;

static void sec_add(section *s, const char *cell)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->cells = xrealloc(s->cells, sizeof *s->cells * s->cap);
    }
    s->cells[s->n++] = xstrdup(cell ? cell : "");
}

static void sec_free(section *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->cells[i]);
    free(s->cells);
}

static void sec_print(section *s, out_format fmt, int tty, int first)
{
    if (fmt == FMT_TEXT) {
        printf("%s%s\n\n", first ? "" : "\n", s->title);
        text_table *tt = tt_new(s->ncols);
        for (int c = 0; c < s->ncols; c++)
            if (s->right[c])
                tt_align_right(tt, c);
        for (size_t i = 0; i < s->n; i++)
            tt_add(tt, s->cells[i]);
        tt_print(tt, stdout, 1);
        tt_free(tt);
        return;
    }
    if (!first)
        fputs("\r\n", stdout);
    for (size_t i = 0; i < s->n + 1; i++) {
        /* the section's title on a line of its own, then its rows */
        const char *cell = i == 0 ? s->title : s->cells[i - 1];
        size_t col = i == 0 ? 0 : (i - 1) % (size_t)s->ncols;
        if (col)
            putchar(',');
        if (tty)
            out_safe(stdout, cell);
        else
            csv_write_field(stdout, cell, ',');
        if (i == 0 || col == (size_t)s->ncols - 1)
            fputs("\r\n", stdout);
    }
}

/* A number: with the column's decimals for areas, else as the plan writes it. */
static const char *num(double x, int decimals, char out[40])
{
    if (decimals >= 0) {
        snprintf(out, 40, "%.*f", decimals, x);
        return out;
    }
    return plan_num(x, out);
}

static const char *ttitle(const table *t) { return i18n_is_zh() ? t->title : t->title_en; }

static void registers(const summary *sm, section *s)
{
    static const int right[] = {0, 0, 0, 1, 1, 1, 1};
    char n[40];
    s->title = _("Registers");
    s->ncols = 7;
    s->right = right;
    sec_add(s, _("Appendix"));
    sec_add(s, _("Register"));
    sec_add(s, _("Title"));
    sec_add(s, _("Rows"));
    sec_add(s, _("Rows stated"));
    sec_add(s, _("Area (km²)"));
    sec_add(s, _("Area stated"));
    for (int i = 0; i < sm->nregs; i++) {
        const sum_reg *r = &sm->regs[i];
        int sc = r->aci >= 0 ? r->t->cols[r->aci].scale : -1;
        sec_add(s, r->t->appendix);
        sec_add(s, r->t->id);
        sec_add(s, ttitle(r->t));
        snprintf(n, sizeof n, "%lld", (long long)r->rows);
        sec_add(s, n);
        sec_add(s, r->count ? plan_num(r->count->value, n) : "");
        sec_add(s, r->aci >= 0 ? num(r->area, sc, n) : "");
        sec_add(s, r->sum ? plan_num(r->sum->value, n) : "");
    }
}

/* Registers by district or by mineral.  In text the register is named on
 * its first row only; in CSV on every row, so Excel can filter by it. */
static void groups(const sum_group *g, int ng, const char *title, const char *what, int csv,
                   section *s)
{
    static const int right[] = {0, 0, 1, 1};
    char n[40];
    s->title = title;
    s->ncols = 4;
    s->right = right;
    sec_add(s, _("Register"));
    sec_add(s, what);
    sec_add(s, _("Rows"));
    sec_add(s, _("Area (km²)"));
    for (int i = 0; i < ng; i++) {
        int sc = g[i].t->cols[g[i].aci].scale;
        for (int k = 0; k <= g[i].n; k++) {
            const sum_row *r = k < g[i].n ? &g[i].r[k] : NULL;
            sec_add(s, k == 0 || csv ? g[i].t->id : "");
            sec_add(s, !r ? _("Total") : r->key ? r->key : _("(not given)"));
            snprintf(n, sizeof n, "%lld", (long long)(r ? r->rows : g[i].rows));
            sec_add(s, n);
            sec_add(s, num(r ? r->area : g[i].area, sc, n));
        }
    }
}

static void indicators(const summary *sm, section *s)
{
    static const int right[] = {1, 0, 0, 1, 0, 1, 0};
    char n[40];
    s->title = _("Plan indicators (专栏一) and the register");
    s->ncols = 7;
    s->right = right;
    sec_add(s, _("No."));
    sec_add(s, _("Indicator"));
    sec_add(s, _("Unit"));
    sec_add(s, _("Target"));
    sec_add(s, _("Attribute"));
    sec_add(s, _("Register figure"));
    sec_add(s, _("Basis"));
    for (int i = 0; i < sm->nind; i++) {
        const sum_ind *x = &sm->ind[i];
        sec_add(s, x->ind.seq);
        sec_add(s, x->ind.name);
        sec_add(s, x->ind.unit);
        sec_add(s, plan_num(x->ind.value, n));
        sec_add(s, x->ind.attribute);
        sec_add(s, x->has_value ? num(x->value, x->decimals, n) : "—");
        sec_add(s, x->basis);
    }
}

static void usage_report(FILE *f)
{
    fputs(_("usage: minreg report summary [--format text|csv]\n"), f);
}

int cmd_report(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'F'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    out_format fmt = FMT_TEXT;
    int o;
    optind = 0;   /* 0, not 1: makes GNU getopt reinitialise (main used "+" mode) */
    while ((o = getopt_long(argc, argv, "F:h", opts, NULL)) != -1) {
        switch (o) {
        case 'F':
            if (!out_format_parse(optarg, &fmt) || (fmt != FMT_TEXT && fmt != FMT_CSV)) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (text, csv)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': usage_report(stdout); return EXIT_OK;
        default: usage_report(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || strcmp(argv[optind], "summary") != 0) {
        usage_report(stderr);
        return EXIT_USAGE;
    }
    summary sm;
    if (summary_build(d, &sm, e) < 0) {
        summary_free(&sm);
        return e->code;
    }
    int tty = isatty(STDOUT_FILENO), csv = fmt == FMT_CSV;
    if (csv && !tty)
        fputs("\xef\xbb\xbf", stdout);   /* UTF-8 byte order mark, for Excel */
    section secs[4] = {{0}};
    registers(&sm, &secs[0]);
    groups(sm.by_district, sm.ndistrict, _("By district"), _("District"), csv, &secs[1]);
    groups(sm.by_mineral, sm.nmineral, _("By mineral"), _("Mineral"), csv, &secs[2]);
    indicators(&sm, &secs[3]);
    for (int i = 0; i < 4; i++) {
        sec_print(&secs[i], fmt, tty, i == 0);
        sec_free(&secs[i]);
    }
    if (!csv)
        printf("\n%s\n", _("A row listing several districts or minerals counts under each of them; "
                           "Total counts it once."));
    summary_free(&sm);
    return EXIT_OK;
}
