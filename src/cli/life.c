/* life.c — `minreg event` (record a permit's registration event) and
 * `minreg expiring` (what expires), over core/life.c. */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/edit.h"
#include "core/i18n.h"
#include "core/life.h"
#include "core/validate.h"
#include "core/xlsxlist.h"

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

/* expiring --format xlsx: one sheet, the days a number, the dates dates. */
static int expiring_xlsx(db *d, life_due *v, int n, const char *const *head, int nh,
                         const char *today, long within, const char *out_path, mr_err *e)
{
    const char **h = xcalloc((size_t)nh, sizeof *h);
    const char **cells = xcalloc((size_t)(n ? n : 1) * (size_t)nh, sizeof *cells);
    char (*days)[32] = xcalloc((size_t)(n ? n : 1), sizeof *days);
    static const unsigned char kind[] = {XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT,
                                         XL_TEXT, XL_DATE, XL_NUM,  XL_TEXT, XL_TEXT};
    for (int k = 0; k < nh; k++)
        h[k] = _(head[k]);
    for (int i = 0; i < n; i++) {
        snprintf(days[i], sizeof days[i], "%ld", v[i].days);
        const char *row[] = {v[i].t->alias, v[i].key, v[i].number, v[i].name, v[i].holder,
                             v[i].district, v[i].expiry, days[i], life_state_name(v[i].state),
                             v[i].last_event};
        for (int k = 0; k < nh; k++)
            cells[(size_t)i * (size_t)nh + (size_t)k] = row[k];
    }
    buf title = BUF_INIT;
    buf_printf(&title, _("Permits expiring within %ld days of %s, expired, or to file their extension "
                         "now (%d days before expiry)"), within, today, life_filing_days(db_schema(d)));
    xl_sheet sh = {.name = _("Expiring"), .title = buf_str(&title), .ncols = nh, .head = h,
                   .kind = kind, .nrows = n, .cells = cells};
    int rc = xlsx_lists(out_path, db_path(d), &sh, 1, e) < 0 ? (e->code ? e->code : EXIT_IO) : EXIT_OK;
    buf_free(&title);
    free(days);
    free(cells);
    free(h);
    life_due_free(v, n);
    return rc;
}

int cmd_expiring(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"within", required_argument, NULL, 'w'},
                                         {"today", required_argument, NULL, 'T'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"output", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    const char *usage = _("usage: minreg expiring [--within DAYS] [--today DATE] "
                          "[--format text|csv|json|xlsx] [-o FILE]");
    const char *out_path = NULL;
    int xlsx = 0;
    long within = 90;
    char today[16] = "";
    out_format fmt = FMT_TEXT;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "o:", opts)) != -1) {
        char *end;
        switch (o) {
        case 'o': out_path = optarg; break;
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
            if ((xlsx = strcmp(optarg, "xlsx") == 0))
                break;
            if (!out_format_parse(optarg, &fmt) || fmt == FMT_TSV) {
                err_set(e, EXIT_USAGE, _("--format: '%s' is not text, csv, json or xlsx"), optarg);
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
    if (xlsx && (!out_path || strcmp(out_path, "-") == 0) && isatty(STDOUT_FILENO)) {
        err_set(e, EXIT_USAGE, "%s", _("a workbook is not for the terminal: give -o FILE.xlsx"));
        return EXIT_USAGE;
    }
    life_due *v;
    int n = life_expiring(d, today, within, &v, e);
    if (n < 0)
        return e->code ? e->code : EXIT_DB;
    const char *head[] = {N_("Register"), N_("Key"), N_("Permit no."), N_("Name"), N_("Holder"),
                          N_("District"), N_("Valid to"), N_("Days left"), N_("State"),
                          N_("Last event")};
    const int nh = (int)(sizeof head / sizeof *head);
    if (xlsx)
        return expiring_xlsx(d, v, n, head, nh, today, within, out_path, e);
    if (out_path && cli_out_open(d, out_path, e) < 0) {
        life_due_free(v, n);
        return e->code;
    }
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
    if (out_path && cli_out_close(1, e) < 0)
        return e->code;
    return EXIT_OK;
}

/* Sections (title, header, rows) as text tables one under another, or as
 * CSV (each its title on a line, then its header and rows). */
static void print_sheets(const xl_sheet *sh, int n, out_format fmt)
{
    for (int k = 0; k < n; k++) {
        const xl_sheet *x = &sh[k];
        if (fmt == FMT_CSV) {
            out_cell(stdout, fmt, x->title, 0);
            putchar('\n');
            for (int c = 0; c < x->ncols; c++) {
                if (c)
                    putchar(',');
                out_cell(stdout, fmt, x->head[c], 0);
            }
            putchar('\n');
            for (int r = 0; r < x->nrows; r++) {
                for (int c = 0; c < x->ncols; c++) {
                    const char *v = x->cells[(size_t)r * (size_t)x->ncols + (size_t)c];
                    if (c)
                        putchar(',');
                    out_cell(stdout, fmt, v ? v : "", x->kind[c] == XL_NUM ? CELL_NUMERIC : 0);
                }
                putchar('\n');
            }
            continue;
        }
        if (k)
            putchar('\n');
        out_safe(stdout, x->title);
        fputs("\n\n", stdout);
        if (!x->nrows) {
            printf("%s\n", _("(none)"));
            continue;
        }
        text_table *tt = tt_new(x->ncols);
        for (int c = 0; c < x->ncols; c++) {
            if (x->kind[c] == XL_NUM)
                tt_align_right(tt, c);
            tt_add(tt, x->head[c]);
        }
        for (int r = 0; r < x->nrows; r++)
            for (int c = 0; c < x->ncols; c++) {
                const char *v = x->cells[(size_t)r * (size_t)x->ncols + (size_t)c];
                tt_add(tt, v ? v : "");
            }
        tt_print(tt, stdout, 1);
        tt_free(tt);
    }
}

/* Cells kept for a sheet: a growing array of strings it owns. */
typedef struct cells {
    char **v;
    size_t n;
} cells;

static void cell_add(cells *c, const char *s)
{
    c->v = xrealloc(c->v, sizeof *c->v * (c->n + 1));
    c->v[c->n++] = s ? xstrdup(s) : NULL;
}

static void cells_free(cells *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
}

int cli_report_yearly(db *d, const char *year, out_format fmt, int xlsx, const char *out_path,
                      mr_err *e)
{
    if (!year || strlen(year) != 4 || strspn(year, "0123456789") != 4) {
        err_set(e, EXIT_USAGE, _("report yearly needs --year YYYY"));
        return EXIT_USAGE;
    }
    if (xlsx && (!out_path || strcmp(out_path, "-") == 0) && isatty(STDOUT_FILENO)) {
        err_set(e, EXIT_USAGE, "%s", _("a workbook is not for the terminal: give -o FILE.xlsx"));
        return EXIT_USAGE;
    }
    life_count *v = NULL;
    life_due *u = NULL;
    life_block *b = NULL;
    int n = life_yearly(d, year, &v, e), nu = n < 0 ? -1 : life_unfiled(d, year, &u, e),
        nb = nu < 0 ? -1 : life_release(d, year, &b, e);
    if (n < 0 || nu < 0 || nb < 0) {
        life_count_free(v, n);
        life_due_free(u, nu);
        return e->code ? e->code : EXIT_DB;
    }
    const schema *s = db_schema(d);
    const char *annual;
    int has_annual = life_annual_type(s, &annual);
    cells c1 = {0}, c2 = {0}, c3 = {0};
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)v[i].n);
        sum += v[i].n;
        cell_add(&c1, v[i].type);
        cell_add(&c1, *v[i].district ? v[i].district : _("(no district)"));
        cell_add(&c1, num);
    }
    for (int i = 0; i < nu; i++) {
        const char *row[] = {u[i].t->alias, u[i].key, u[i].number, u[i].name, u[i].holder,
                             u[i].district, u[i].expiry};
        for (size_t k = 0; k < sizeof row / sizeof *row; k++)
            cell_add(&c2, row[k]);
    }
    int free_blocks = 0;
    for (int i = 0; i < nb; i++) {
        char yrs[32];
        snprintf(yrs, sizeof yrs, b[i].from == b[i].to ? "%d" : "%d–%d", b[i].from, b[i].to);
        const char *row[] = {b[i].t->alias, b[i].key, b[i].name, b[i].district, yrs,
                             b[i].held ? b[i].held : _("(not held: to release)")};
        for (size_t k = 0; k < sizeof row / sizeof *row; k++)
            cell_add(&c3, row[k]);
        free_blocks += !b[i].held;
    }
    buf t1 = BUF_INIT, t2 = BUF_INIT, t3 = BUF_INIT;
    buf_printf(&t1, _("Registration events in %s, by type and district"), year);
    if (has_annual)
        buf_printf(&t2, _("年度信息 not recorded as filed in %s (for %d, due %s-03-31; an event %s records one)"),
                   year, atoi(year) - 1, year, annual);
    else
        buf_printf(&t2, "%s", _("年度信息: the register has no event type that records a filing"));
    buf_printf(&t3, _("Planning blocks due for release (投放) in %s, and the permits that hold them"), year);
    const char *h1[] = {_("Event"), _("District"), _("Events")};
    const char *h2[] = {_("Register"), _("Key"), _("Permit no."), _("Name"), _("Holder"), _("District"),
                        _("Due")};
    const char *h3[] = {_("Register"), _("Block"), _("Name"), _("District"), _("Release"), _("Held by")};
    static const unsigned char k1[] = {XL_TEXT, XL_TEXT, XL_NUM},
                               k2[] = {XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT, XL_DATE},
                               k3[] = {XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT, XL_TEXT};
    xl_sheet sh[3] = {
        {.name = _("Events"), .title = buf_str(&t1), .ncols = 3, .head = h1, .kind = k1, .nrows = n,
         .cells = (const char *const *)c1.v},
        {.name = _("Annual filings"), .title = buf_str(&t2), .ncols = 7, .head = h2, .kind = k2,
         .nrows = nu, .cells = (const char *const *)c2.v},
        {.name = _("Release"), .title = buf_str(&t3), .ncols = 6, .head = h3, .kind = k3, .nrows = nb,
         .cells = (const char *const *)c3.v}};
    int rc = EXIT_OK;
    if (xlsx) {
        if (xlsx_lists(out_path, db_path(d), sh, 3, e) < 0)
            rc = e->code ? e->code : EXIT_IO;
    } else if (out_path && cli_out_open(d, out_path, e) < 0) {
        rc = e->code;
    } else {
        print_sheets(sh, 3, fmt);
        if (fmt == FMT_TEXT)
            printf(_("\n%lld event(s) in %s; %d permit(s) without their 年度信息; %d of %d block(s) "
                     "due for release not held\n"),
                   (long long)sum, year, nu, free_blocks, nb);
        if (out_path && cli_out_close(1, e) < 0)
            rc = e->code;
    }
    buf_free(&t1);
    buf_free(&t2);
    buf_free(&t3);
    cells_free(&c1);
    cells_free(&c2);
    cells_free(&c3);
    life_count_free(v, n);
    life_due_free(u, nu);
    life_block_free(b, nb);
    return rc;
}
