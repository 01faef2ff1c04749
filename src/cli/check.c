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
    fputs(_("usage: minreg check [TABLE...] [--format text|csv|json] [--today YYYY-MM-DD] [--rules]\n"
            "                    [--raw-cells]\n"),
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

static void print_text(const schema *s, const check_result *res)
{
    if (res->n == 0) {
        puts(_("No problems found."));
        return;
    }
    text_table *tt = tt_new(7);
    tt_add(tt, _("Severity"));
    tt_add(tt, _("Rule"));
    tt_add(tt, _("Clause"));
    tt_add(tt, _("Register"));
    tt_add(tt, _("Record"));
    tt_add(tt, _("Column"));
    tt_add(tt, _("Message"));
    for (int i = 0; i < res->n; i++) {
        const finding *f = &res->f[i];
        const table *t = &s->tables[f->ti];
        tt_add(tt, check_severity_name(f->rule->sev));
        tt_add(tt, f->rule->id);
        tt_add(tt, f->source);
        tt_add(tt, t->id);
        tt_add(tt, f->key);
        tt_add(tt, f->ci >= 0 ? t->cols[f->ci].label : "");
        tt_add(tt, f->msg);
    }
    tt_print(tt, stdout, 1);
    tt_free(tt);
    putchar('\n');
    printf(_("Errors: %d, warnings: %d\n"), res->errors, res->warnings);
}

static void print_csv(const schema *s, const check_result *res, int flags)
{
    fputs("severity,rule,source,register,key,rowid,column,message\n", stdout);
    for (int i = 0; i < res->n; i++) {
        const finding *f = &res->f[i];
        const table *t = &s->tables[f->ti];
        char rowid[32] = "";
        if (f->rowid >= 0)
            snprintf(rowid, sizeof rowid, "%lld", (long long)f->rowid);
        csv_field(stdout, check_severity_id(f->rule->sev), flags, 1);
        csv_field(stdout, f->rule->id, flags, 0);
        csv_field(stdout, f->source, flags, 0);
        csv_field(stdout, t->id, flags, 0);
        csv_field(stdout, f->key, flags, 0);
        csv_field(stdout, rowid, flags | CELL_NUMERIC, 0);
        csv_field(stdout, f->ci >= 0 ? t->cols[f->ci].id : "", flags, 0);
        csv_field(stdout, f->msg, flags, 0);
        putchar('\n');
    }
}

static void print_json(const schema *s, const check_result *res)
{
    putchar('[');
    for (int i = 0; i < res->n; i++) {
        const finding *f = &res->f[i];
        const table *t = &s->tables[f->ti];
        fputs(i ? ",\n {\"severity\":" : "\n {\"severity\":", stdout);
        out_json_string(stdout, check_severity_id(f->rule->sev));
        fputs(", \"rule\":", stdout);
        out_json_string(stdout, f->rule->id);
        fputs(", \"source\":", stdout);
        out_json_string(stdout, f->source);
        fputs(", \"register\":", stdout);
        out_json_string(stdout, t->id);
        fputs(", \"key\":", stdout);
        if (f->rowid >= 0) {
            out_json_string(stdout, f->key);
            printf(", \"rowid\":%lld", (long long)f->rowid);
        } else {
            fputs("null, \"rowid\":null", stdout);
        }
        fputs(", \"column\":", stdout);
        if (f->ci >= 0)
            out_json_string(stdout, t->cols[f->ci].id);
        else
            fputs("null", stdout);
        fputs(", \"message\":", stdout);
        out_json_string(stdout, f->msg);
        putchar('}');
    }
    fputs(res->n ? "\n]\n" : "]\n", stdout);
}

int cmd_check(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'F'}, {"today", required_argument, NULL, 't'},
        {"rules", no_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
        {"raw-cells", no_argument, NULL, OPT_RAW_CELLS}, {NULL, 0, NULL, 0}};
    out_format fmt = FMT_TEXT;
    int rules = 0, raw_cells = 0, o;
    char today[11];
    check_today(today);
    optind = 0;   /* 0, not 1: makes GNU getopt reinitialise (main used "+" mode) */
    while ((o = getopt_long(argc, argv, "F:t:rh", opts, NULL)) != -1) {
        switch (o) {
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
        case OPT_RAW_CELLS: raw_cells = CELL_RAW; break;
        case 'h': usage_check(stdout); return EXIT_OK;
        default: usage_check(stderr); return EXIT_USAGE;
        }
    }
    if (rules) {
        print_rules(fmt, raw_cells);
        return EXIT_OK;
    }
    int nt = argc - optind;
    const table **tables = nt ? xcalloc((size_t)nt, sizeof *tables) : NULL;
    for (int i = 0; i < nt; i++)
        if (!(tables[i] = cli_table(d, argv[optind + i], e))) {
            free(tables);
            return e->code;
        }
    check_opts co = {.today = today, .tables = tables, .ntables = nt};
    check_result res = {0};
    int rc = check_run(d, &co, &res, e) < 0 ? e->code : EXIT_OK;
    if (rc == EXIT_OK) {
        const schema *s = db_schema(d);
        if (fmt == FMT_TEXT)
            print_text(s, &res);
        else if (fmt == FMT_CSV)
            print_csv(s, &res, raw_cells);
        else
            print_json(s, &res);
        rc = res.errors ? EXIT_NOTFOUND : EXIT_OK;
    }
    check_result_free(&res);
    free(tables);
    return rc;
}
