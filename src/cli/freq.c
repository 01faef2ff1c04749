/* freq.c — `minreg freq TABLE COLUMN`: the browser's F screen as text, CSV,
 * TSV or JSON (core/freq.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/freq.h"
#include "core/i18n.h"

static void usage_freq(FILE *f)
{
    fputs(_("usage: minreg freq TABLE COLUMN [--where FILTER]... [--format text|csv|tsv|json]\n"), f);
}

int cmd_freq(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"where", required_argument, NULL, 'w'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *wheres[32];
    int nw = 0, o;
    out_format fmt = FMT_TEXT;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "w:F:h", opts)) != -1) {
        switch (o) {
        case 'w':
            if (nw == 32) {
                err_set(e, EXIT_USAGE, _("too many --where options"));
                return EXIT_USAGE;
            }
            wheres[nw++] = optarg;
            break;
        case 'F':
            if (!out_format_parse(optarg, &fmt)) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (text, csv, tsv, json)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': usage_freq(stdout); return EXIT_OK;
        default: usage_freq(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 2) {
        usage_freq(stderr);
        return EXIT_USAGE;
    }
    const table *t = cli_table(d, argv[optind], e);
    if (!t)
        return e->code;
    int ci = table_col_any(t, argv[optind + 1]);
    if (ci < 0) {
        err_set(e, EXIT_USAGE, _("%s has no column '%s'"), t->id, argv[optind + 1]);
        return EXIT_USAGE;
    }
    db_filter f[32];
    if (cli_parse_wheres(t, wheres, nw, f, e) < 0)
        return e->code;
    freq fq;
    int rc = freq_build(d, t, ci, f, nw, -1, &fq, e);
    cli_filters_free(f, nw);
    if (rc < 0)
        return e->code;
    int nc = freq_ncols(&fq);
    buf cell = BUF_INIT;
    if (fmt == FMT_TEXT) {
        text_table *tt = tt_new(nc);
        for (int c = FREQ_ROWS; c < nc; c++)
            tt_align_right(tt, c);
        for (int i = -1; i < fq.n; i++)
            for (int c = 0; c < nc; c++) {
                buf_reset(&cell);
                freq_cell(&fq, i, c, 0, &cell);
                tt_add(tt, buf_str(&cell));
            }
        tt_print(tt, stdout, 1);
        tt_free(tt);
    } else if (fmt == FMT_JSON) {
        static const char *const keys[] = {"value", "rows", "share", "area"};
        putchar('[');
        for (int i = 0; i < fq.n; i++) {
            fputs(i ? ",\n {" : "\n {", stdout);
            for (int c = 0; c < nc; c++) {
                buf_reset(&cell);
                freq_cell(&fq, i, c, 1, &cell);
                printf("%s\"%s\":", c ? ", " : "", keys[c]);
                if (c == FREQ_VALUE)
                    out_json_string(stdout, buf_str(&cell));
                else
                    out_json_number(stdout, buf_str(&cell));
            }
            putchar('}');
        }
        fputs(fq.n ? "\n]\n" : "]\n", stdout);
    } else {
        for (int i = -1; i < fq.n; i++) {
            for (int c = 0; c < nc; c++) {
                if (c)
                    putchar(fmt == FMT_CSV ? ',' : '\t');
                buf_reset(&cell);
                if (i < 0 && c == FREQ_VALUE)
                    cli_col_header(&t->cols[ci], &cell);
                else if (i < 0 && c == FREQ_AREA)
                    cli_col_header(&t->cols[fq.aci], &cell);
                else
                    freq_cell(&fq, i, c, 1, &cell);
                out_cell(stdout, fmt, buf_str(&cell), c > FREQ_VALUE && i >= 0 ? CELL_NUMERIC : 0);
            }
            out_eol(stdout);
        }
    }
    buf_free(&cell);
    freq_free(&fq);
    return EXIT_OK;
}
