/* life.c — `minreg event` (record a permit's registration event) and
 * `minreg expiring` (what expires), over core/life.c. */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/edit.h"
#include "core/i18n.h"
#include "core/life.h"
#include "core/validate.h"

int cli_find_record(db *d, const table *t, const char *key, int64_t *rowid, int *former, mr_err *e)
{
    *former = 0;
    int rc = db_find(d, t, key, rowid, e);
    if (rc != DB_NOT_FOUND)
        return rc;
    rc = life_find_former(d, t, key, rowid, e);
    if (rc == DB_FOUND)
        *former = 1;
    else if (rc == DB_NOT_FOUND)
        err_set(e, EXIT_NOTFOUND, _("%s: no row '%s'"), t->id, key);
    return rc;
}

/* The current number of permit rowid of t, for "found by a former number". */
void cli_former_note(db *d, const table *t, int64_t rowid, const char *key)
{
    int nci = table_role(t, "number");
    cursor *c = db_select_rowid(d, t, rowid, NULL);
    if (c && cursor_next(c) == 1) {
        buf b = BUF_INIT;
        const char *now = nci >= 0 ? cursor_val(c, nci) : NULL;
        buf_printf(&b, _("%s is a former number of %s %s; its number now is %s"), key, t->id,
                   cursor_val(c, t->key_ci) ? cursor_val(c, t->key_ci) : "", now ? now : "—");
        fputs("minreg: ", stderr);
        out_safe(stderr, buf_str(&b));
        fputc('\n', stderr);
        buf_free(&b);
    }
    cursor_free(c);
}

void cli_event_warnings(const buf *warn)
{
    for (const char *p = warn->len ? warn->s : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, n);
        fputs(_("minreg: warning: "), stderr);
        out_safe(stderr, line);
        fputc('\n', stderr);
        free(line);
        p = nl ? nl + 1 : p + n;
    }
}

int cmd_event(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"doc", required_argument, NULL, 'n'},
                                         {"note", required_argument, NULL, 't'},
                                         {"comment", required_argument, NULL, 'm'},
                                         {NULL, 0, NULL, 0}};
    const char *usage = _("usage: minreg event TABLE KEY TYPE --date DATE [--doc NO] [--note TEXT] "
                          "[COL=VALUE...] [-m COMMENT]");
    const char *date = NULL, *doc = NULL, *note = NULL, *comment = NULL;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "m:", opts)) != -1) {
        switch (o) {
        case 'd': date = optarg; break;
        case 'n': doc = optarg; break;
        case 't': note = optarg; break;
        case 'm': comment = optarg; break;
        default:
            err_set(e, EXIT_USAGE, "%s", usage);
            return EXIT_USAGE;
        }
    }
    if (argc - optind < 3 || !date) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    const table *t = cli_table(d, argv[optind], e);
    if (!t)
        return e->code;
    if (life_event_col(db_schema(d), t) < 0) {
        err_set(e, EXIT_USAGE, _("%s has no registration events (it is not a permit register)"),
                t->id);
        return EXIT_USAGE;
    }
    int64_t rowid;
    int former;
    int rc = cli_find_record(d, t, argv[optind + 1], &rowid, &former, e);
    if (rc != DB_FOUND)
        return e->code ? e->code : EXIT_NOTFOUND;
    if (former)
        cli_former_note(d, t, rowid, argv[optind + 1]);
    char **sets = xcalloc((size_t)t->ncols, sizeof *sets);
    int code = EXIT_OK;
    for (int i = optind + 3; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        char *col = eq ? xstrndup(argv[i], (size_t)(eq - argv[i])) : NULL;
        int ci = col ? table_col_any(t, col) : -1;
        free(col);
        if (!eq || ci < 0) {
            err_set(e, EXIT_USAGE, eq ? _("%s has no column '%s'") : _("expected COL=VALUE, not '%s'"),
                    eq ? t->id : argv[i], argv[i]);
            code = EXIT_USAGE;
            goto out;
        }
        free(sets[ci]);
        sets[ci] = xstrdup(eq + 1);
    }
    life_event_in in = {.permit = t, .rowid = rowid, .type = argv[optind + 2], .date = date,
                        .doc = doc, .note = note, .sets = (const char *const *)sets,
                        .comment = comment};
    edit_result r;
    buf warn = BUF_INIT;
    life_event(d, &in, &r, &warn, e);
    if (r.code == EDIT_INVALID) {
        for (int i = 0; i < r.nissues; i++) {
            fputs("minreg: ", stderr);
            out_safe(stderr, r.issues[i].msg);
            fputc('\n', stderr);
        }
        err_set(e, EXIT_NOTFOUND, "%s", _("nothing was written"));
        code = EXIT_NOTFOUND;
    } else if (r.code != EDIT_OK) {
        code = e->code ? e->code : EXIT_NOTFOUND;
    } else {
        cli_event_warnings(&warn);
        printf(_("change %lld recorded\n"), (long long)r.change);
    }
    buf_free(&warn);
    edit_result_free(&r);
out:
    for (int i = 0; i < t->ncols; i++)
        free(sets[i]);
    free(sets);
    return code;
}

int cmd_expiring(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"within", required_argument, NULL, 'w'},
                                         {"today", required_argument, NULL, 'T'},
                                         {"format", required_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    const char *usage = _("usage: minreg expiring [--within DAYS] [--today DATE] [--format text|csv|json]");
    long within = 90;
    char today[16] = "";
    out_format fmt = FMT_TEXT;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "", opts)) != -1) {
        char *end;
        switch (o) {
        case 'w':
            within = strtol(optarg, &end, 10);
            if (*end || end == optarg || within < 0 || within > 36500) {
                err_set(e, EXIT_USAGE, _("--within: '%s' is not a number of days (0..36500)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'T':
            if (!value_is_date(optarg)) {
                err_set(e, EXIT_USAGE, _("--today: '%s' is not a date (YYYY-MM-DD)"), optarg);
                return EXIT_USAGE;
            }
            snprintf(today, sizeof today, "%s", optarg);
            break;
        case 'F':
            if (!out_format_parse(optarg, &fmt) || fmt == FMT_TSV) {
                err_set(e, EXIT_USAGE, _("--format: '%s' is not text, csv or json"), optarg);
                return EXIT_USAGE;
            }
            break;
        default:
            err_set(e, EXIT_USAGE, "%s", usage);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    if (!*today) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
    }
    life_due *v;
    int n = life_expiring(d, today, within, &v, e);
    if (n < 0)
        return e->code ? e->code : EXIT_DB;
    const char *head[] = {N_("Register"), N_("Key"), N_("Permit no."), N_("Name"), N_("Holder"),
                          N_("District"), N_("Valid to"), N_("Days left"), N_("State"),
                          N_("Last event")};
    const int nh = (int)(sizeof head / sizeof *head);
    if (fmt == FMT_JSON)
        fputs("[", stdout);
    text_table *tt = fmt == FMT_TEXT ? tt_new(nh) : NULL;
    if (tt) {
        tt_align_right(tt, 7);
        for (int i = 0; i < nh; i++)
            tt_add(tt, _(head[i]));
    } else if (fmt == FMT_CSV) {
        for (int i = 0; i < nh; i++) {
            if (i)
                putchar(',');
            out_cell(stdout, fmt, _(head[i]), 0);
        }
        putchar('\n');
    }
    for (int i = 0; i < n; i++) {
        char days[32];
        snprintf(days, sizeof days, "%ld", v[i].days);
        const char *cells[] = {v[i].t->alias, v[i].key, v[i].number, v[i].name, v[i].holder,
                               v[i].district, v[i].expiry, days, life_state_name(v[i].state),
                               v[i].last_event};
        if (tt) {
            for (int k = 0; k < nh; k++)
                tt_add(tt, cells[k] ? cells[k] : "");
        } else if (fmt == FMT_CSV) {
            for (int k = 0; k < nh; k++) {
                if (k)
                    putchar(',');
                out_cell(stdout, fmt, cells[k] ? cells[k] : "", k == 7 ? CELL_NUMERIC : 0);
            }
            putchar('\n');
        } else {
            static const char *const keys[] = {"register", "key", "permit_no", "name", "holder",
                                                "district", "valid_to", "days", "state",
                                                "last_event"};
            fputs(i ? ",\n {" : "\n {", stdout);
            for (int k = 0; k < nh; k++) {
                if (k)
                    fputs(", ", stdout);
                out_json_string(stdout, keys[k]);
                fputs(": ", stdout);
                if (k == 7)
                    fputs(days, stdout);
                else if (cells[k])
                    out_json_string(stdout, cells[k]);
                else
                    fputs("null", stdout);
            }
            fputs("}", stdout);
        }
    }
    if (tt) {
        if (n)
            tt_print(tt, stdout, 1);
        tt_free(tt);
        printf(_("%d permit(s) expiring within %ld days of %s, expired, or to file their extension "
                 "now (%d days before expiry)\n"), n, within, today, life_filing_days(db_schema(d)));
    } else if (fmt == FMT_JSON) {
        fputs(n ? "\n]\n" : "]\n", stdout);
    }
    life_due_free(v, n);
    return EXIT_OK;
}

int cli_report_yearly(db *d, const char *year, out_format fmt, mr_err *e)
{
    if (!year || strlen(year) != 4 || strspn(year, "0123456789") != 4) {
        err_set(e, EXIT_USAGE, _("report yearly needs --year YYYY"));
        return EXIT_USAGE;
    }
    life_count *v;
    int n = life_yearly(d, year, &v, e);
    if (n < 0)
        return e->code ? e->code : EXIT_DB;
    const char *head[] = {_("Event"), _("District"), _("Events")};
    int64_t sum = 0;
    text_table *tt = fmt == FMT_CSV ? NULL : tt_new(3);
    if (tt) {
        tt_align_right(tt, 2);
        for (int i = 0; i < 3; i++)
            tt_add(tt, head[i]);
    } else {
        printf("%s,%s,%s\n", head[0], head[1], head[2]);
    }
    for (int i = 0; i < n; i++) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)v[i].n);
        sum += v[i].n;
        const char *dist = *v[i].district ? v[i].district : _("(no district)");
        if (tt) {
            tt_add(tt, v[i].type);
            tt_add(tt, dist);
            tt_add(tt, num);
        } else {
            out_cell(stdout, fmt, v[i].type, 0);
            putchar(',');
            out_cell(stdout, fmt, dist, 0);
            printf(",%s\n", num);
        }
    }
    if (tt) {
        printf(_("Registration events in %s, by type and district\n\n"), year);
        if (n)
            tt_print(tt, stdout, 1);
        tt_free(tt);
        printf(_("%lld event(s) in %s\n"), (long long)sum, year);
    }
    life_count_free(v, n);
    return EXIT_OK;
}
