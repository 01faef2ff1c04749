/* check.c — `minreg check`: the plan's rules over the register.
 *
 * Prints the findings of core/check.c as an aligned table (text), CSV or
 * JSON, or with --rules the rule table itself.  Exit 1 when a finding is
 * an error, so a script can stop a report on it.
 */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/check.h"
#include "core/csvio.h"
#include "core/i18n.h"
#include "core/validate.h"

static void usage_check(FILE *f)
{
    fputs(_("usage: minreg check [TABLE...] [--format text|csv|json] [--today YYYY-MM-DD] [--full] [--rules]\n"
            "                    [--raw-cells] [-o FILE] [--excel]\n"),
          f);
}

/* CSV fields: exact into a file or pipe, escaped to a terminal, guarded
 * against spreadsheet formulas (flags: out_cell's). */
static void csv_field(FILE *f, const char *s, int flags, int first)
{
    if (!first)
        putc(',', f);
    out_cell(f, FMT_CSV, s, flags);
}

static void print_rules(out_format fmt, int flags)
{
    if (fmt == FMT_TEXT) {
        text_table *tt = tt_new(4);
        tt_add(tt, _("Rule"));
        tt_add(tt, _("Severity"));
        tt_add(tt, _("Clause"));
        tt_add(tt, _("Description"));
        for (int i = 0; i < ncheck_rules; i++) {
            const check_rule *r = &check_rules[i];
            tt_add(tt, r->id);
            tt_add(tt, check_severity_name(r->sev));
            tt_add(tt, r->source);
            tt_add(tt, check_rule_desc(r));
        }
        tt_print(tt, stdout, 1);
        tt_free(tt);
    } else if (fmt == FMT_CSV) {
        fputs("rule,severity,source,description_zh,description_en\n", stdout);
        for (int i = 0; i < ncheck_rules; i++) {
            const check_rule *r = &check_rules[i];
            csv_field(stdout, r->id, flags, 1);
            csv_field(stdout, check_severity_id(r->sev), flags, 0);
            csv_field(stdout, r->source, flags, 0);
            csv_field(stdout, r->desc_zh, flags, 0);
            csv_field(stdout, r->desc_en, flags, 0);
            putchar('\n');
        }
    } else {
        putchar('[');
        for (int i = 0; i < ncheck_rules; i++) {
            const check_rule *r = &check_rules[i];
            fputs(i ? ",\n {\"rule\":" : "\n {\"rule\":", stdout);
            out_json_string(stdout, r->id);
            fputs(", \"severity\":", stdout);
            out_json_string(stdout, check_severity_id(r->sev));
            fputs(", \"source\":", stdout);
            out_json_string(stdout, r->source);
            fputs(", \"description_zh\":", stdout);
            out_json_string(stdout, r->desc_zh);
            fputs(", \"description_en\":", stdout);
            out_json_string(stdout, r->desc_en);
            putchar('}');
        }
        fputs("\n]\n", stdout);
    }
}

/* Findings are printed as the run finds them (check_opts.emit), so that
 * millions of them take no more memory than a few: the text table is
 * aligned a block of TEXT_BLOCK findings at a time (a run with fewer is one
 * table, as before). */
#define TEXT_BLOCK 1000

typedef struct printer {
    out_format fmt;
    const schema *s;
    int flags;           /* CSV cells: out_cell's flags (--raw-cells) */
    long n;              /* findings printed */
    text_table *tt;      /* the text block being filled */
    int rows;            /* its findings */
} printer;

static text_table *text_block(int header)
{
    text_table *tt = tt_new(7);
    if (header) {
        tt_add(tt, _("Severity"));
        tt_add(tt, _("Rule"));
        tt_add(tt, _("Clause"));
        tt_add(tt, _("Register"));
        tt_add(tt, _("Record"));
        tt_add(tt, _("Column"));
        tt_add(tt, _("Message"));
    }
    return tt;
}

static void text_flush(printer *p)
{
    if (p->tt && p->rows)
        tt_print(p->tt, stdout, p->n == p->rows);   /* the first block has the header */
    if (p->tt)
        tt_free(p->tt);
    p->tt = NULL;
    p->rows = 0;
}

static void print_text(printer *p, const finding *f)
{
    const table *t = f->ti >= 0 ? &p->s->tables[f->ti] : NULL;
    if (!p->tt)
        p->tt = text_block(p->n == 0);
    tt_add(p->tt, check_severity_name(f->rule->sev));
    tt_add(p->tt, f->rule->id);
    tt_add(p->tt, f->source);
    tt_add(p->tt, t ? t->id : "");
    tt_add(p->tt, f->key);
    tt_add(p->tt, t && f->ci >= 0 ? t->cols[f->ci].label : "");
    tt_add(p->tt, f->msg);
    p->n++;
    if (++p->rows == TEXT_BLOCK)
        text_flush(p);
}

/* The CSV header: ids for other tools; for Excel, the text table's
 * headers in the interface language (and no row id). */
static void csv_header(void)
{
    if (!cli_excel) {
        fputs("severity,rule,source,register,key,rowid,column,message\n", stdout);
        return;
    }
    out_bom(stdout);
    const char *h[] = {_("Severity"), _("Rule"), _("Clause"), _("Register"), _("Record"),
                       _("Column"), _("Message")};
    for (int i = 0; i < 7; i++)
        csv_field(stdout, h[i], 0, i == 0);
    out_eol(stdout);
}

static void print_csv(printer *p, const finding *f)
{
    const table *t = f->ti >= 0 ? &p->s->tables[f->ti] : NULL;
    int flags = p->flags;
    if (p->n++ == 0)
        csv_header();
    char rowid[32] = "";
    if (f->rowid >= 0)
        snprintf(rowid, sizeof rowid, "%lld", (long long)f->rowid);
    if (cli_excel) {   /* for people: the interface language, the column's label */
        csv_field(stdout, check_severity_name(f->rule->sev), flags, 1);
        csv_field(stdout, f->rule->id, flags, 0);
        csv_field(stdout, f->source, flags, 0);
        csv_field(stdout, t ? t->id : "", flags, 0);
        csv_field(stdout, f->key, flags, 0);
        csv_field(stdout, t && f->ci >= 0 ? t->cols[f->ci].label : "", flags, 0);
        csv_field(stdout, f->msg, flags, 0);
        out_eol(stdout);
        return;
    }
    csv_field(stdout, check_severity_id(f->rule->sev), flags, 1);
    csv_field(stdout, f->rule->id, flags, 0);
    csv_field(stdout, f->source, flags, 0);
    csv_field(stdout, t ? t->id : "", flags, 0);
    csv_field(stdout, f->key, flags, 0);
    csv_field(stdout, rowid, flags | CELL_NUMERIC, 0);
    csv_field(stdout, t && f->ci >= 0 ? t->cols[f->ci].id : "", flags, 0);
    csv_field(stdout, f->msg, flags, 0);
    putchar('\n');
}

static void print_json(printer *p, const finding *f)
{
    const table *t = f->ti >= 0 ? &p->s->tables[f->ti] : NULL;
    fputs(p->n++ ? ",\n {\"severity\":" : "[\n {\"severity\":", stdout);
    out_json_string(stdout, check_severity_id(f->rule->sev));
    fputs(", \"rule\":", stdout);
    out_json_string(stdout, f->rule->id);
    fputs(", \"source\":", stdout);
    out_json_string(stdout, f->source);
    fputs(", \"register\":", stdout);
    if (t)
        out_json_string(stdout, t->id);
    else
        fputs("null", stdout);
    fputs(", \"key\":", stdout);
    if (f->rowid >= 0) {
        out_json_string(stdout, f->key);
        printf(", \"rowid\":%lld", (long long)f->rowid);
    } else {
        fputs("null, \"rowid\":null", stdout);
    }
    fputs(", \"column\":", stdout);
    if (t && f->ci >= 0)
        out_json_string(stdout, t->cols[f->ci].id);
    else
        fputs("null", stdout);
    fputs(", \"message\":", stdout);
    out_json_string(stdout, f->msg);
    putchar('}');
}

static void print_one(void *arg, const finding *f)
{
    printer *p = arg;
    if (p->fmt == FMT_TEXT)
        print_text(p, f);
    else if (p->fmt == FMT_CSV)
        print_csv(p, f);
    else
        print_json(p, f);
}

/* After the run: what follows the findings. */
static void print_end(printer *p, const check_result *res)
{
    if (p->fmt == FMT_TEXT) {
        text_flush(p);
        if (p->n == 0) {
            puts(_("No problems found."));
            return;
        }
        putchar('\n');
        if (res->infos)
            printf(_("Errors: %d, warnings: %d, information: %d\n"), res->errors, res->warnings,
                   res->infos);
        else
            printf(_("Errors: %d, warnings: %d\n"), res->errors, res->warnings);
    } else if (p->fmt == FMT_CSV) {
        if (p->n == 0)
            csv_header();
    } else {
        fputs(p->n ? "\n]\n" : "[]\n", stdout);
    }
}

int cmd_check(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'F'}, {"today", required_argument, NULL, 't'},
        {"rules", no_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
        {"full", no_argument, NULL, 'X'}, {"raw-cells", no_argument, NULL, OPT_RAW_CELLS},
        {"output", required_argument, NULL, 'o'}, {"excel", no_argument, NULL, 'E'},
        {NULL, 0, NULL, 0}};
    out_format fmt = FMT_TEXT;
    int rules = 0, full = 0, raw_cells = 0, o, excel = 0;
    const char *out_path = NULL;
    char today[11];
    check_today(today);
    optind = 0;   /* 0, not 1: makes GNU getopt reinitialise (main used "+" mode) */
    while ((o = cli_getopt(argc, argv, "F:t:rho:", opts)) != -1) {
        switch (o) {
        case 'o': out_path = optarg; break;
        case 'E': excel = 1; break;
        case 'F':
            if (!out_format_parse(optarg, &fmt) || fmt == FMT_TSV) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (text, csv, json)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 't':
            if (!value_is_date(optarg)) {
                err_set(e, EXIT_USAGE, _("--today wants a date YYYY-MM-DD, not '%s'"), optarg);
                return EXIT_USAGE;
            }
            memcpy(today, optarg, sizeof today);
            break;
        case 'r': rules = 1; break;
        case 'X': full = 1; break;
        case OPT_RAW_CELLS: raw_cells = CELL_RAW; break;
        case 'h': usage_check(stdout); return EXIT_OK;
        default: usage_check(stderr); return EXIT_USAGE;
        }
    }
    if (rules) {
        print_rules(fmt, raw_cells);
        return EXIT_OK;
    }
    cli_excel = fmt == FMT_CSV && (excel || out_path);
    int nt = argc - optind;
    const table **tables = nt ? xcalloc((size_t)nt, sizeof *tables) : NULL;
    for (int i = 0; i < nt; i++)
        if (!(tables[i] = cli_table(d, argv[optind + i], e))) {
            free(tables);
            return e->code;
        }
    if (out_path && cli_out_open(d, out_path, e) < 0) {
        free(tables);
        return e->code;
    }
    printer p = {.fmt = fmt, .s = db_schema(d), .flags = raw_cells};
    check_opts co = {.today = today, .tables = tables, .ntables = nt, .integrity = full ? 2 : 1,
                     .schema = 1, .emit = print_one, .emit_arg = &p};
    check_result res = {0};
    int rc = check_run(d, &co, &res, e) < 0 ? e->code : EXIT_OK;
    if (rc == EXIT_OK) {
        print_end(&p, &res);
        rc = res.errors ? EXIT_NOTFOUND : EXIT_OK;
    } else {
        text_flush(&p);   /* what was found before it failed */
        if (p.fmt == FMT_JSON && p.n)
            fputs("\n]\n", stdout);
    }
    check_result_free(&res);
    free(tables);
    /* findings (exit 1) are a result, not a failure: the file is kept */
    if (out_path && cli_out_close(rc == EXIT_OK || rc == EXIT_NOTFOUND, e) < 0 &&
        (rc == EXIT_OK || rc == EXIT_NOTFOUND))
        rc = e->code;
    return rc;
}
