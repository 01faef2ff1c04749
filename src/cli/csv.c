/* csv.c — `minreg import` and `minreg export`. */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/export.h"
#include "core/i18n.h"
#include "core/import.h"
#include "core/normalise.h"
#include "core/wbin.h"

/* ---- import ----------------------------------------------------------------- */

const char *cli_import_usage(void)
{
    return _("usage: minreg import TABLE FILE [--replace|--upsert] [--dry-run]\n"
             "         [--skip-bad --rejects FILE] [--encoding utf-8|gb18030|utf-16]\n"
             "         [--delimiter C] [-m COMMENT] [--raw-cells] [--sheet NAME|N] [--strict]");
}

static int on_progress(void *arg, const import_progress *p)
{
    return cli_progress_update(arg, p->rows, p->bytes, p->size);
}

/* One problem per line: where, which column, what is wrong, the value. */
static void print_issues(const char *path, const import_result *r)
{
    for (int i = 0; i < r->nissues; i++) {
        const import_issue *x = &r->issues[i];
        buf b = BUF_INIT;
        if (x->line > 0 && r->sheet) {   /* a workbook: sheet!cell, or sheet!row */
            buf_printf(&b, "%s: ", path);
            import_where(r, x->line, x->field, &b);
            buf_printf(&b, ": %s", x->msg);
        } else if (x->line > 0)
            buf_printf(&b, "%s:%ld: %s", path, x->line, x->msg);
        else
            buf_printf(&b, "%s: %s", path, x->msg);
        if (x->value && x->ci >= 0) {
            /* the value, unless the message already quotes it */
            buf q = BUF_INIT;
            buf_printf(&q, "'%s'", x->value);
            if (!strstr(x->msg, buf_str(&q)))
                buf_printf(&b, _(" (value '%s')"), x->value);
            buf_free(&q);
        }
        fputs("minreg: ", stderr);
        out_safe(stderr, buf_str(&b));
        fputc('\n', stderr);
        buf_free(&b);
    }
    if (r->nproblems > r->nissues)
        fprintf(stderr, _n("minreg: ... and %lld more problem\n", "minreg: ... and %lld more problems\n",
                           r->nproblems - r->nissues),
                (long long)(r->nproblems - r->nissues));
}

/* "21 added, 3 updated" */
static void counts(buf *b, const import_result *r, import_mode mode)
{
    buf_printf(b, _("%lld added"), (long long)r->added);
    if (mode == IMPORT_UPSERT)
        buf_printf(b, _(", %lld updated, %lld unchanged"), (long long)r->updated,
                   (long long)r->unchanged);
    if (mode == IMPORT_REPLACE)
        buf_printf(b, _(", %lld deleted"), (long long)r->deleted);
}

int cmd_import(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"replace", no_argument, NULL, 'R'}, {"upsert", no_argument, NULL, 'U'},
        {"dry-run", no_argument, NULL, 'n'}, {"skip-bad", no_argument, NULL, 'S'},
        {"rejects", required_argument, NULL, 'j'}, {"encoding", required_argument, NULL, 'E'},
        {"delimiter", required_argument, NULL, 'd'}, {"comment", required_argument, NULL, 'm'},
        {"raw-cells", no_argument, NULL, OPT_RAW_CELLS}, {"sheet", required_argument, NULL, 's'},
        {"strict", no_argument, NULL, 'T'}, {NULL, 0, NULL, 0}};
    import_opts o = {.mode = IMPORT_APPEND};
    int skip_bad = 0, modes = 0, c;
    const char *rejects = NULL;
    optind = 0;
    while ((c = cli_getopt(argc, argv, "m:", opts)) != -1) {
        switch (c) {
        case 'R': o.mode = IMPORT_REPLACE; modes++; break;
        case 'U': o.mode = IMPORT_UPSERT; modes++; break;
        case 'n': o.dry_run = 1; break;
        case 'S': skip_bad = 1; break;
        case 'j': rejects = optarg; break;
        case 'm': o.comment = optarg; break;
        case 's': o.sheet = optarg; break;
        case 'T': o.strict = 1; break;
        case OPT_RAW_CELLS: o.csv.raw_cells = 1; break;   /* keep apostrophes; rejects raw */
        case 'E':
            if (!text_enc_parse(optarg, &o.csv.enc)) {
                err_set(e, EXIT_USAGE, _("unknown encoding '%s' (utf-8, gb18030, utf-16)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'd':
            if (!(o.csv.delim = csv_delim_parse(optarg))) {
                err_set(e, EXIT_USAGE, _("--delimiter wants one character (or tab), not '%s'"), optarg);
                return EXIT_USAGE;
            }
            break;
        default: err_set(e, EXIT_USAGE, "%s", cli_import_usage()); return EXIT_USAGE;
        }
    }
    if (argc - optind != 2 || modes > 1) {
        err_set(e, EXIT_USAGE, "%s", cli_import_usage());
        return EXIT_USAGE;
    }
    if (skip_bad != (rejects != NULL)) {
        /* bad rows are never dropped silently: they go somewhere to be fixed */
        err_set(e, EXIT_USAGE, "%s", _("--skip-bad and --rejects FILE go together"));
        return EXIT_USAGE;
    }
    o.rejects = rejects;
    const table *t = cli_table(d, argv[optind], e);
    if (!t)
        return e->code;
    const char *path = argv[optind + 1];
    cli_progress *pg = cli_progress_start();
    o.progress = on_progress;
    o.progress_arg = pg;
    import_result r;
    int rc = import_csv(d, t, path, &o, &r, e);
    cli_progress_stop(pg);
    const char *name = strcmp(path, "-") == 0 ? _("(standard input)") : path;
    if (rc == IMPORT_ERROR) {
        import_result_free(&r);
        return e->code ? e->code : EXIT_INTERNAL;
    }
    /* what the file turned out to be, then what is wrong with it */
    buf b = BUF_INIT;
    if (r.wb_kind)
        buf_printf(&b, _n("%s: %s workbook, sheet %s, %lld row", "%s: %s workbook, sheet %s, %lld rows",
                          r.rows),
                   name, r.wb_kind, r.sheet, (long long)r.rows);
    else
        buf_printf(&b, _n("%s: %s, %s-separated, %lld row", "%s: %s, %s-separated, %lld rows", r.rows),
                   name, text_enc_name(r.enc), csv_delim_name(r.delim), (long long)r.rows);
    out_safe(stdout, buf_str(&b));
    putchar('\n');
    /* nothing changes silently: the rows left out, the cells normalised */
    if (r.totals) {
        buf_reset(&b);
        buf_printf(&b, _n("%s: %lld total row (合计/小计/总计) left out: row", "%s: %lld total rows "
                          "(合计/小计/总计) left out: rows", r.totals),
                   name, (long long)r.totals);
        for (int i = 0; i < r.ntotal_rows; i++)
            buf_printf(&b, "%s %ld", i ? "," : "", r.total_rows[i]);
        if (r.totals > r.ntotal_rows)
            buf_puts(&b, ", …");
        out_safe(stdout, buf_str(&b));
        putchar('\n');
    }
    for (int k = 0; k < NORM_KINDS; k++)
        if (r.norm[k]) {
            buf_reset(&b);
            buf_printf(&b, _n("%s: %lld cell written the Excel way was read %s",
                              "%s: %lld cells written the Excel way were read %s", r.norm[k]),
                       name, (long long)r.norm[k], norm_kind_name(k));
            out_safe(stdout, buf_str(&b));
            putchar('\n');
        }
    fflush(stdout);
    print_issues(name, &r);
    buf_reset(&b);
    counts(&b, &r, o.mode);
    if (r.written && r.warnings.len)
        cli_event_warnings(&r.warnings);
    if (r.written && r.events_applied)
        printf(_n("%lld event applied to its permit\n", "%lld events applied to their permits\n",
                  r.events_applied), (long long)r.events_applied);
    if (r.written)
        printf(_("change %lld recorded: %s\n"), (long long)r.change, buf_str(&b));
    else if (o.dry_run && (rc == IMPORT_OK || rejects))
        printf(_("dry run: importing would make %s; nothing was written\n"), buf_str(&b));
    else if (rc == IMPORT_OK)
        printf("%s\n", _("no change: every row is already there as it is"));
    if (rejects && r.bad_rows) {
        buf_reset(&b);
        buf_printf(&b, _n("%lld row rejected, written with its reasons to %s",
                          "%lld rows rejected, written with their reasons to %s", r.bad_rows),
                   (long long)r.bad_rows, rejects);
        out_safe(stdout, buf_str(&b));
        putchar('\n');
    }
    buf_free(&b);
    if (rc == IMPORT_INVALID && r.links_broken)
        err_set(e, EXIT_NOTFOUND, "%s", _("other rows would lose what they link to; nothing was written"));
    else if (rc == IMPORT_INVALID && !rejects) {
        buf m = BUF_INIT;
        buf_printf(&m, _n("%lld of %lld row has problems; nothing was written",
                          "%lld of %lld rows have problems; nothing was written", r.rows),
                   (long long)r.bad_rows, (long long)r.rows);
        if (r.key_taken)   /* append to a register that has them: say what to do */
            buf_printf(&m, _n(" (%lld row is already in the register: --upsert updates it, "
                              "--replace replaces the register's rows)",
                              " (%lld rows are already in the register: --upsert updates them, "
                              "--replace replaces the register's rows)", r.key_taken),
                       (long long)r.key_taken);
        err_set(e, EXIT_NOTFOUND, "%s", buf_str(&m));
        buf_free(&m);
    } else if (rc == IMPORT_INVALID) {
        err_set(e, EXIT_NOTFOUND, _n("%lld of %lld row was rejected", "%lld of %lld rows were rejected",
                                     r.rows),
                (long long)r.bad_rows, (long long)r.rows);
    }
    import_result_free(&r);
    return rc == IMPORT_OK ? EXIT_OK : EXIT_NOTFOUND;
}

/* ---- export ----------------------------------------------------------------- */

const char *cli_export_usage(void)
{
    return _("usage: minreg export TABLE [-o FILE] [--where COL=VALUE]... [--columns A,B]\n"
             "         [--sort COL [--desc]] [--header labels|ids] [--bom]\n"
             "         [--encoding utf-8|gb18030] [--delimiter C] [--crlf] [--raw-cells]\n"
             "         [--format csv|xlsx]\n"
             "       minreg export --all -o FILE.xlsx\n"
             "       minreg export TABLE --format geojson|gpkg|shp -o FILE [--where COL=VALUE]...\n"
             "         [--zone 41|42] [--skip-empty] [--encoding utf-8|gbk]");
}

static void on_note(void *arg, const char *msg)
{
    (void)arg;
    fputs("minreg: ", stderr);
    out_safe(stderr, msg);
    fputc('\n', stderr);
}

int cmd_export(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"where", required_argument, NULL, 'w'},
        {"columns", required_argument, NULL, 'c'}, {"sort", required_argument, NULL, 's'},
        {"desc", no_argument, NULL, 'D'}, {"header", required_argument, NULL, 'H'},
        {"bom", no_argument, NULL, 'B'}, {"encoding", required_argument, NULL, 'E'},
        {"delimiter", required_argument, NULL, 'd'}, {"crlf", no_argument, NULL, 'C'},
        {"raw-cells", no_argument, NULL, OPT_RAW_CELLS}, {"format", required_argument, NULL, 'F'},
        {"all", no_argument, NULL, 'A'}, {NULL, 0, NULL, 0}};
    if (cli_geo_export_wanted(argc, argv))   /* geojson, gpkg, shp: geoexport.c */
        return cmd_geo_export(d, argc, argv, e);
    export_opts o = {.sort_ci = -1, .note = on_note};
    const char *out = NULL, *wheres[32], *cols = NULL, *sort = NULL, *format = NULL;
    int nw = 0, c, all = 0, csv_only = 0;
    optind = 0;
    while ((c = cli_getopt(argc, argv, "o:", opts)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'w':
            if (nw == 32) {
                err_set(e, EXIT_USAGE, "%s", _("too many --where options"));
                return EXIT_USAGE;
            }
            wheres[nw++] = optarg;
            break;
        case 'c': cols = optarg; break;
        case 's': sort = optarg; break;
        case 'D': o.desc = 1; break;
        case 'H':
            if (strcmp(optarg, "ids") && strcmp(optarg, "labels")) {
                err_set(e, EXIT_USAGE, "%s", _("--header wants labels or ids"));
                return EXIT_USAGE;
            }
            o.header_ids = strcmp(optarg, "ids") == 0;
            break;
        case 'B': o.w.bom = 1; csv_only = 1; break;
        case 'C': o.w.crlf = 1; csv_only = 1; break;
        case OPT_RAW_CELLS: o.w.raw_cells = 1; csv_only = 1; break;
        case 'A': all = 1; break;
        case 'F':
            if (strcmp(optarg, "csv") && strcmp(optarg, "xlsx")) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (csv, xlsx, geojson, gpkg, shp)"), optarg);
                return EXIT_USAGE;
            }
            format = optarg;
            break;
        case 'E':
            csv_only = 1;
            if (!text_enc_parse(optarg, &o.w.enc) || (o.w.enc != ENC_UTF8 && o.w.enc != ENC_GB18030)) {
                err_set(e, EXIT_USAGE, _("--encoding wants utf-8 or gb18030, not '%s'"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'd':
            csv_only = 1;
            if (!(o.w.delim = csv_delim_parse(optarg))) {
                err_set(e, EXIT_USAGE, _("--delimiter wants one character (or tab), not '%s'"), optarg);
                return EXIT_USAGE;
            }
            break;
        default: err_set(e, EXIT_USAGE, "%s", cli_export_usage()); return EXIT_USAGE;
        }
    }
    /* the format: --format, else the output's name (.xlsx), else CSV */
    int xlsx = format ? strcmp(format, "xlsx") == 0 : (out && export_is_xlsx(out));
    if (argc - optind != (all ? 0 : 1) || (all && (nw || cols || sort))) {
        err_set(e, EXIT_USAGE, "%s", cli_export_usage());
        return EXIT_USAGE;
    }
    if (all && !xlsx) {
        err_set(e, EXIT_USAGE, "%s", _("--all writes a workbook: give -o FILE.xlsx (or --format xlsx)"));
        return EXIT_USAGE;
    }
    if (xlsx && csv_only) {
        err_set(e, EXIT_USAGE, "%s",
                _("--bom, --crlf, --encoding, --delimiter and --raw-cells are for CSV, not for a workbook"));
        return EXIT_USAGE;
    }
    if (xlsx && (!out || strcmp(out, "-") == 0) && isatty(STDOUT_FILENO)) {
        err_set(e, EXIT_USAGE, "%s", _("a workbook is not for the terminal: give -o FILE.xlsx"));
        return EXIT_USAGE;
    }
    if (o.w.bom && o.w.enc == ENC_GB18030) {
        err_set(e, EXIT_USAGE, "%s", _("--bom is for UTF-8 output; GB18030 files have none"));
        return EXIT_USAGE;
    }
    const table *t = all ? NULL : cli_table(d, argv[optind], e);
    if (!t && !all)
        return e->code;
    if (all) {
        int64_t rows;
        if (export_xlsx(d, NULL, out, &o, &rows, e) < 0)
            return e->code;
        if (out && strcmp(out, "-")) {
            buf b = BUF_INIT;
            buf_printf(&b, _n("%lld row written to %s", "%lld rows written to %s", rows), (long long)rows,
                       out);
            out_safe(stdout, buf_str(&b));
            putchar('\n');
            buf_free(&b);
        }
        return EXIT_OK;
    }
    db_filter f[32];
    if (cli_parse_wheres(t, wheres, nw, f, e) < 0)
        return e->code;
    int *cis = xmalloc(sizeof(int) * (size_t)t->ncols), nc = 0;
    if (cols && cli_parse_columns(t, cols, cis, &nc, e) < 0) {
        free(cis);
        cli_filters_free(f, nw);
        return e->code;
    }
    if (sort && (o.sort_ci = table_col_any(t, sort)) < 0) {
        err_set(e, EXIT_USAGE, _("%s has no column '%s'"), t->id, sort);
        free(cis);
        cli_filters_free(f, nw);
        return EXIT_USAGE;
    }
    o.f = f;
    o.nf = nw;
    o.cis = cols ? cis : NULL;
    o.nc = nc;
    int to_stdout = !out || strcmp(out, "-") == 0;
    o.w.escape = to_stdout && isatty(STDOUT_FILENO);   /* never raw controls on a terminal */
    if (to_stdout)
        fflush(stdout);
    int64_t rows;
    int rc = xlsx ? export_xlsx(d, t, out, &o, &rows, e) : export_csv(d, t, out, &o, &rows, e);
    free(cis);
    cli_filters_free(f, nw);
    if (rc < 0)
        return e->code;
    /* no "rows written" line into the data: -o /dev/stdout, /proc/self/fd/1 */
    struct stat so, fo;
    if (!to_stdout && fstat(STDOUT_FILENO, &so) == 0 && stat(out, &fo) == 0 &&
        so.st_dev == fo.st_dev && so.st_ino == fo.st_ino)
        to_stdout = 1;
    if (!to_stdout) {
        buf b = BUF_INIT;
        buf_printf(&b, _n("%lld row written to %s", "%lld rows written to %s", rows), (long long)rows, out);
        out_safe(stdout, buf_str(&b));
        putchar('\n');
        buf_free(&b);
    }
    return EXIT_OK;
}
