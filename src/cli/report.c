/* report.c — `minreg report summary`: what the register holds, for a report.
 *
 * The figures and their tables come from core/summary*.c; this file only
 * prints them: as text tables aligned by display width (to paste into a
 * report), or as CSV for Excel — sections one under another, each with its
 * own header row, with a UTF-8 byte order mark and CRLF line ends, without
 * which Excel on Windows reads Chinese text as mojibake.
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

static void sec_print(const sum_section *s, out_format fmt, int raw_cells, int first)
{
    if (fmt == FMT_TEXT) {
        fputs(first ? "" : "\n", stdout);
        out_safe(stdout, s->title);
        fputs("\n\n", stdout);
        text_table *tt = tt_new(s->ncols);
        for (int c = 0; c < s->ncols; c++)
            if (s->right[c])
                tt_align_right(tt, c);
        for (int i = 0; i < s->n; i++)
            for (int c = 0; c < s->ncols; c++)
                tt_add(tt, s->lines[i].cells[c]);
        tt_print(tt, stdout, 1);
        tt_free(tt);
        return;
    }
    if (!first)
        fputs("\r\n", stdout);
    /* the section's title on a line of its own, then its rows (exact into
     * a file, escaped to a terminal, guarded against formulas; the figures
     * are the right-aligned columns) */
    out_cell(stdout, FMT_CSV, s->title, raw_cells);
    fputs("\r\n", stdout);
    for (int i = 0; i < s->n; i++) {
        for (int c = 0; c < s->ncols; c++) {
            if (c)
                putchar(',');
            out_cell(stdout, FMT_CSV, s->lines[i].cells[c], raw_cells | (s->right[c] ? CELL_NUMERIC : 0));
        }
        fputs("\r\n", stdout);
    }
}

static void usage_report(FILE *f)
{
    fputs(_("usage: minreg report summary [--format text|csv] [--raw-cells] [-o FILE] [--excel]\n"), f);
    fputs(_("       minreg report yearly --year YYYY [--format text|csv|xlsx] [-o FILE]\n"), f);
}

int cmd_report(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'F'}, {"help", no_argument, NULL, 'h'},
        {"raw-cells", no_argument, NULL, OPT_RAW_CELLS}, {"output", required_argument, NULL, 'o'},
        {"excel", no_argument, NULL, 'X'}, {"year", required_argument, NULL, 'Y'},
        {NULL, 0, NULL, 0}};
    out_format fmt = FMT_TEXT;
    const char *year = NULL;
    int o, raw_cells = 0, excel = 0, xlsx = 0;
    const char *out_path = NULL;
    optind = 0;   /* 0, not 1: makes GNU getopt reinitialise (main used "+" mode) */
    while ((o = cli_getopt(argc, argv, "F:ho:", opts)) != -1) {
        switch (o) {
        case 'o': out_path = optarg; break;
        case 'X': excel = 1; break;
        case 'Y': year = optarg; break;
        case 'F':
            if (strcmp(optarg, "xlsx") == 0) {   /* report yearly's sections as sheets */
                xlsx = 1;
                break;
            }
            if (!out_format_parse(optarg, &fmt) || (fmt != FMT_TEXT && fmt != FMT_CSV)) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (text, csv)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_RAW_CELLS: raw_cells = CELL_RAW; break;
        case 'h': usage_report(stdout); return EXIT_OK;
        default: usage_report(stderr); return EXIT_USAGE;
        }
    }
    if (optind == argc - 1 && strcmp(argv[optind], "yearly") == 0)
        return cli_report_yearly(d, year, fmt, xlsx, out_path, e);   /* life.c */
    if (optind != argc - 1 || strcmp(argv[optind], "summary") != 0 || year || xlsx) {
        usage_report(stderr);
        return EXIT_USAGE;
    }
    summary sm;
    if (summary_build(d, &sm, e) < 0) {
        summary_free(&sm);
        return e->code;
    }
    if (out_path && cli_out_open(d, out_path, e) < 0) {
        summary_free(&sm);
        return e->code;
    }
    int tty = isatty(STDOUT_FILENO), csv = fmt == FMT_CSV;
    if (csv && (!tty || excel))
        fputs("\xef\xbb\xbf", stdout);   /* UTF-8 byte order mark, for Excel */
    sum_section secs[SUM_SECTIONS];
    summary_sections(&sm, csv, secs);
    for (int i = 0; i < SUM_SECTIONS; i++)
        sec_print(&secs[i], fmt, raw_cells, i == 0);
    if (!csv)
        printf("\n%s\n", summary_note());
    summary_sections_free(secs);
    summary_free(&sm);
    if (out_path && cli_out_close(1, e) < 0)
        return e->code;
    return EXIT_OK;
}
