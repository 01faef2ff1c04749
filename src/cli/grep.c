/* grep.c — `minreg grep REGEX [TABLE...]`: one pattern over every column of
 * every register (or the ones named), results grouped by register. */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/rx.h"

/* The first column of the current row that matches, with its value. */
static int first_match(const table *t, cursor *c, rx *r, int only_ci)
{
    for (int i = 0; i < t->ncols; i++) {
        if (only_ci >= 0 && i != only_ci)
            continue;
        const char *v = cursor_val(c, i);
        if (v && rx_search(r, v, strlen(v), NULL, NULL, NULL) == 1)
            return i;
    }
    return -1;
}

int cmd_grep(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"limit", required_argument, NULL, 'n'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"raw-cells", no_argument, NULL, OPT_RAW_CELLS},
                                         {NULL, 0, NULL, 0}};
    const char *usage = _("usage: minreg grep [COL:]REGEX [TABLE...] [--limit N] [--format text|tsv|json] "
                          "[--raw-cells]");
    long limit = 50;
    out_format fmt = FMT_TEXT;
    int o, raw_cells = 0;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "n:F:", opts)) != -1) {
        char *end;
        if (o == 'n' && (limit = strtol(optarg, &end, 10)) >= 0 && !*end)
            continue;
        if (o == 'F' && out_format_parse(optarg, &fmt) && fmt != FMT_CSV)
            continue;
        if (o == OPT_RAW_CELLS) {
            raw_cells = CELL_RAW;
            continue;
        }
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    const char *pattern = argv[optind++];
    const schema *s = db_schema(d);
    const table **tabs = xcalloc((size_t)s->ntables, sizeof *tabs);
    int nt = 0;
    if (optind < argc) {
        for (; optind < argc; optind++)
            if (!(tabs[nt++] = cli_table(d, argv[optind], e))) {
                free(tabs);
                return e->code;
            }
    } else {
        for (int i = 0; i < s->ntables; i++)
            tabs[nt++] = &s->tables[i];
    }
    int64_t found = 0;
    int rc = EXIT_OK, first_json = 1;
    buf b = BUF_INIT, h2 = BUF_INIT;
    if (fmt == FMT_JSON)
        putchar('[');
    for (int ti = 0; ti < nt && rc == EXIT_OK; ti++) {
        const table *t = tabs[ti];
        db_filter f;
        if (db_filter_parse_rx(t, pattern, &f, e) < 0) {
            rc = EXIT_USAGE;
            break;
        }
        int64_t n;
        if (db_count(d, t, &f, 1, &n, e) < 0) {   /* a pattern that stopped, or the file */
            rc = e->code;
            break;
        }
        if (n == 0)
            continue;
        found += n;
        rx *r = rx_compile(f.value, RX_SMARTCASE, e);
        if (fmt == FMT_TEXT) {
            buf_reset(&b);
            buf_printf(&b, "%s%s%s (%s): %lld", t->appendix, *t->appendix ? " " : "",
                       i18n_is_zh() ? t->title : t->title_en, t->id, (long long)n);
            out_safe(stdout, buf_str(&b));
            putchar('\n');
        }
        cursor *c = db_select(d, t, &f, 1, -1, 0, limit, e);
        text_table *tt = tt_new(3);
        while (c && cursor_next(c) == 1) {
            int mi = first_match(t, c, r, f.ci);
            const char *key = cursor_val(c, t->key_ci), *lab = cursor_val(c, t->label_ci);
            buf_reset(&b);
            if (mi >= 0) {
                col_header(&t->cols[mi], &b);
                buf_printf(&b, ": %s", cursor_val(c, mi));
            }
            if (fmt == FMT_TEXT) {
                buf_reset(&h2);
                buf_printf(&h2, "  %s", key ? key : "");
                tt_add(tt, buf_str(&h2));
                tt_add(tt, t->label_ci != t->key_ci ? lab : "");
                tt_add(tt, buf_str(&b));
            } else if (fmt == FMT_TSV) {   /* escaped, guarded against formulas */
                int num = mi >= 0 && (t->cols[mi].type == COL_INT || t->cols[mi].type == COL_DEC);
                out_cell(stdout, FMT_TSV, t->id, raw_cells);
                putchar('\t');
                out_cell(stdout, FMT_TSV, key ? key : "", raw_cells);
                putchar('\t');
                out_cell(stdout, FMT_TSV, mi >= 0 ? t->cols[mi].id : "", raw_cells);
                putchar('\t');
                out_cell(stdout, FMT_TSV, mi >= 0 && cursor_val(c, mi) ? cursor_val(c, mi) : "",
                         raw_cells | (num ? CELL_NUMERIC : 0));
                putchar('\n');
            } else {
                fputs(first_json ? "\n {" : ",\n {", stdout);
                first_json = 0;
                fputs("\"table\":", stdout);
                out_json_string(stdout, t->id);
                fputs(", \"key\":", stdout);
                out_json_string(stdout, key ? key : "");
                fputs(", \"column\":", stdout);
                out_json_string(stdout, mi >= 0 ? t->cols[mi].id : "");
                fputs(", \"value\":", stdout);
                out_json_string(stdout, mi >= 0 && cursor_val(c, mi) ? cursor_val(c, mi) : "");
                putchar('}');
            }
        }
        if (fmt == FMT_TEXT) {
            tt_print(tt, stdout, 0);   /* keys are indented under their register */
            if (n > limit)
                printf("  … %lld %s\n", (long long)(n - limit), _("more"));
        }
        tt_free(tt);
        cursor_free(c);
        rx_free(r);
    }
    if (fmt == FMT_JSON)
        fputs(first_json ? "]\n" : "\n]\n", stdout);
    if (rc == EXIT_OK && found == 0)
        rc = EXIT_NOTFOUND;   /* like grep(1): nothing found is status 1 */
    free(tabs);
    buf_free(&b);
    buf_free(&h2);
    return rc;
}
