/* edit.c — `minreg add`, `set`, `rm`, `undo`, `redo` and `log`: the write
 * path for scripts, with the same validation, messages and audit as forms. */
#include "config.h"
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/change.h"
#include "core/edit.h"
#include "core/life.h"
#include "core/i18n.h"
#include "core/text.h"
#include "core/validate.h"

/* Options common to the write commands: -m/--comment. Leaves optind at the
 * first operand. */
static int parse_comment(int argc, char **argv, const char **comment, const char *usage, mr_err *e)
{
    static const struct option opts[] = {{"comment", required_argument, NULL, 'm'},
                                         {NULL, 0, NULL, 0}};
    int o;
    optind = 0;
    *comment = NULL;
    while ((o = cli_getopt(argc, argv, "m:", opts)) != -1) {
        if (o == 'm')
            *comment = optarg;
        else {
            err_set(e, EXIT_USAGE, "%s", usage);
            return -1;
        }
    }
    return 0;
}

/* Apply COL=VALUE assignments to vals (which it owns). */
static int assign(const table *t, char **args, int n, char **vals, mr_err *e)
{
    for (int i = 0; i < n; i++) {
        const char *eq = strchr(args[i], '=');
        if (!eq) {
            err_set(e, EXIT_USAGE, _("expected COL=VALUE, not '%s'"), args[i]);
            return -1;
        }
        char *col = xstrndup(args[i], (size_t)(eq - args[i]));
        int ci = table_col_any(t, col);
        if (ci < 0) {
            err_set(e, EXIT_USAGE, _("%s has no column '%s'"), t->id, col);
            free(col);
            return -1;
        }
        free(col);
        free(vals[ci]);
        vals[ci] = xstrdup(eq + 1);
    }
    return 0;
}

static void free_vals(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Report a result: issues go to stderr one per line, the change to stdout. */
static int report(const edit_result *r, mr_err *e)
{
    if (r->code == EDIT_INVALID) {
        for (int i = 0; i < r->nissues; i++) {
            fputs("minreg: ", stderr);
            out_safe(stderr, r->issues[i].msg);
            fputc('\n', stderr);
        }
        err_set(e, EXIT_NOTFOUND, "%s", _("nothing was written"));
        return EXIT_NOTFOUND;
    }
    if (r->code != EDIT_OK)
        return e->code ? e->code : EXIT_NOTFOUND;
    if (r->change)
        printf(_("change %lld recorded\n"), (long long)r->change);
    else
        printf("%s\n", _("no change: the values are the same"));
    return EXIT_OK;
}

/* After an undo or redo: what it reverted, then the change recorded. */
static int report_revert(db *d, const char *done, const edit_result *r, mr_err *e)
{
    if (r->code == EDIT_OK && r->reverted) {
        buf b = BUF_INIT;
        if (edit_describe(d, r->reverted, 20, &b, e) == DB_ERROR) {
            buf_free(&b);
            return e->code;
        }
        printf("%s ", done);
        /* line by line: out_safe shows a newline inside a value escaped */
        for (char *p = (char *)buf_str(&b), *nl; *p; p = nl + 1) {
            nl = strchr(p, '\n');
            *nl = '\0';
            out_safe(stdout, p);
            putchar('\n');
        }
        buf_free(&b);
    }
    return report(r, e);
}

static const table *find_row(db *d, const char *tname, const char *key, int64_t *rowid, mr_err *e)
{
    const table *t = cli_table(d, tname, e);
    if (!t)
        return NULL;
    int found = db_find(d, t, key, rowid, e);
    if (found == DB_ERROR)
        return NULL;
    if (found == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("%s: no row '%s'"), t->id, key);
        return NULL;
    }
    return t;
}

int cmd_add(db *d, int argc, char **argv, mr_err *e)
{
    const char *comment, *usage = _("usage: minreg add TABLE COL=VALUE... [-m COMMENT]");
    if (parse_comment(argc, argv, &comment, usage, e) < 0)
        return EXIT_USAGE;
    if (argc - optind < 2) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    const table *t = cli_table(d, argv[optind], e);
    if (!t)
        return e->code;
    char **vals = xcalloc((size_t)t->ncols, sizeof(char *));
    int rc;
    if (assign(t, argv + optind + 1, argc - optind - 1, vals, e) < 0) {
        rc = e->code;
    } else {
        edit_result r;
        buf warn = BUF_INIT;
        if (t == life_events(db_schema(d)))   /* applied to its permit, as `minreg event` does */
            life_event_row(d, NULL, (const char *const *)vals, comment, &r, &warn, e);
        else
            edit_add(d, t, (const char *const *)vals, comment, &r, e);
        if (r.code == EDIT_OK)
            cli_event_warnings(&warn);
        buf_free(&warn);
        if (r.code == EDIT_OK && r.change) {
            /* the key it made (a 序号 or id the register assigned), to name
             * the record in the next set or get */
            mr_err ke = {0};
            cursor *c = db_select_rowid(d, t, r.rowid, &ke);
            if (c && cursor_next(c) == 1) {
                buf k = BUF_INIT, line = BUF_INIT;
                col_format(&t->cols[t->key_ci], cursor_val(c, t->key_ci), &k);
                buf_printf(&line, _("added %s %s"), t->id, buf_str(&k));
                out_safe(stdout, buf_str(&line));
                putchar('\n');
                buf_free(&k);
                buf_free(&line);
            }
            cursor_free(c);
        }
        rc = report(&r, e);
        edit_result_free(&r);
    }
    free_vals(vals, t->ncols);
    return rc;
}

int cmd_set(db *d, int argc, char **argv, mr_err *e)
{
    const char *comment,
        *usage = _("usage: minreg set TABLE KEY COL=VALUE... [--expect COL=VALUE]... [--cascade] "
                   "[-m COMMENT]");
    static const struct option opts[] = {{"comment", required_argument, NULL, 'm'},
                                         {"expect", required_argument, NULL, 'x'},
                                         {"cascade", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    char *expect[64];
    int nexpect = 0, o, flags = 0;
    optind = 0;
    comment = NULL;
    while ((o = cli_getopt(argc, argv, "m:", opts)) != -1) {
        if (o == 'm')
            comment = optarg;
        else if (o == 'x' && nexpect < 64)
            expect[nexpect++] = optarg;
        else if (o == 'c')
            flags |= EDIT_CASCADE;
        else {
            err_set(e, EXIT_USAGE, "%s", usage);
            return EXIT_USAGE;
        }
    }
    if (argc - optind < 3) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    int64_t rowid;
    const table *t = find_row(d, argv[optind], argv[optind + 1], &rowid, e);
    if (!t)
        return e->code;
    int64_t read_at;   /* before the row: see edit_set_opts */
    if (db_change_max(d, &read_at, e) != 0)
        return e->code;
    cursor *c = db_select_rowid(d, t, rowid, e);
    int got = c ? cursor_next(c) : -1;
    if (got != 1) {
        if (c && got < 0)
            cursor_fail(c, EXIT_DB, e);
        else if (c)
            err_set(e, EXIT_NOTFOUND, _("%s: no row '%s'"), t->id, argv[optind + 1]);
        cursor_free(c);
        return e->code;
    }
    char **seen = xcalloc((size_t)t->ncols, sizeof(char *));
    char **vals = xcalloc((size_t)t->ncols, sizeof(char *));
    char **expected = xcalloc((size_t)t->ncols, sizeof(char *));
    for (int i = 0; i < t->ncols; i++) {
        const char *v = cursor_val(c, i);
        seen[i] = v ? xstrdup(v) : NULL;
        vals[i] = v ? xstrdup(v) : NULL;
    }
    cursor_free(c);
    int rc;
    /* --expect: the values the script read; a column that no longer holds
     * one is a conflict.  The row just read is the base of the merge: a
     * field someone else changes meanwhile is kept, not reverted. */
    if (assign(t, argv + optind + 2, argc - optind - 2, vals, e) < 0 ||
        assign(t, expect, nexpect, expected, e) < 0) {
        rc = e->code;
    } else {
        edit_result r;
        edit_set_opts so = {.expect = nexpect ? (const char *const *)expected : NULL,
                            .read_at = read_at, .flags = flags};
        edit_set_ex(d, t, rowid, (const char *const *)seen, (const char *const *)vals, &so,
                    comment, &r, e);
        rc = report(&r, e);
        edit_result_free(&r);
    }
    free_vals(expected, t->ncols);
    free_vals(seen, t->ncols);
    free_vals(vals, t->ncols);
    return rc;
}

int cmd_rm(db *d, int argc, char **argv, mr_err *e)
{
    const char *comment = NULL, *usage = _("usage: minreg rm TABLE KEY [--cascade] [-m COMMENT]");
    static const struct option opts[] = {{"comment", required_argument, NULL, 'm'},
                                         {"cascade", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    int o, flags = 0;
    optind = 0;
    while ((o = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
        if (o == 'm')
            comment = optarg;
        else if (o == 'c')
            flags |= EDIT_CASCADE;
        else {
            err_set(e, EXIT_USAGE, "%s", usage);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    int64_t rowid;
    const table *t = find_row(d, argv[optind], argv[optind + 1], &rowid, e);
    if (!t)
        return e->code;
    edit_result r;
    edit_rm(d, t, rowid, comment, flags, &r, e);
    int rc = report(&r, e);
    edit_result_free(&r);
    return rc;
}

int cmd_undo(db *d, int argc, char **argv, mr_err *e)
{
    const char *comment, *usage = _("usage: minreg undo [CHANGE] [-m COMMENT]");
    if (parse_comment(argc, argv, &comment, usage, e) < 0)
        return EXIT_USAGE;
    int64_t change = 0;
    if (argc - optind == 1) {
        char *end;
        change = strtoll(argv[optind], &end, 10);
        if (*end || change <= 0) {
            err_set(e, EXIT_USAGE, "%s", usage);
            return EXIT_USAGE;
        }
    } else if (argc - optind > 1) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    edit_result r;
    edit_undo(d, change, comment, &r, e);
    int rc = report_revert(d, _("undone:"), &r, e);
    edit_result_free(&r);
    return rc;
}

int cmd_redo(db *d, int argc, char **argv, mr_err *e)
{
    const char *comment, *usage = _("usage: minreg redo [-m COMMENT]");
    if (parse_comment(argc, argv, &comment, usage, e) < 0)
        return EXIT_USAGE;
    if (argc != optind) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    edit_result r;
    edit_redo(d, comment, &r, e);
    int rc = report_revert(d, _("redone:"), &r, e);
    edit_result_free(&r);
    return rc;
}

/* ---- log ---------------------------------------------------------------- */

/* The columns `log` gives an old or new value in its text table. */
#define LOG_VALUE_COLS 30

typedef struct log_out {
    out_format fmt;
    text_table *tt;
    int n;
    int raw_cells;       /* CELL_RAW or 0 */
    const schema *s;
    buf ops;             /* text: each row's operation, 'i' 'd' or 'u' */
} log_out;

/* Is a change's field a number column (its values then need no guard)? */
static int log_numeric(const log_out *lo, const log_entry *le)
{
    const table *t = le->tbl && le->field ? schema_table(lo->s, le->tbl) : NULL;
    int ci = t ? table_col(t, le->field) : -1;
    return ci >= 0 && (t->cols[ci].type == COL_INT || t->cols[ci].type == COL_DEC);
}

static const char *nz(const char *s) { return s ? s : ""; }

static void log_row(void *arg, const log_entry *le)
{
    log_out *lo = arg;
    char id[32], what[64];
    snprintf(id, sizeof id, "%lld", (long long)le->change_id);
    const char *field = nz(le->field), *old = nz(le->old), *new_ = nz(le->new_);
    if (le->op && strcmp(le->op, "insert") == 0) {
        field = _("(row added)");
        old = "";
    } else if (le->op && strcmp(le->op, "delete") == 0) {
        field = _("(row deleted)");
        new_ = "";
    }
    /* the kind in the interface's words on a terminal; as stored for tools */
    const char *kind = lo->fmt == FMT_TEXT ? chg_kind_text(le->kind) : le->kind;
    snprintf(what, sizeof what, "%s", kind);
    if (le->undoes)
        snprintf(what, sizeof what, "%s %lld", kind, (long long)le->undoes);
    if (le->undone_by) {
        size_t n = strlen(what);
        snprintf(what + n, sizeof what - n, " (%s %lld)", _("undone by"), (long long)le->undone_by);
    }
    const char *cells[] = {id, le->at, le->who, what, nz(le->tbl), nz(le->row_key), field, old,
                           new_, nz(le->comment)};
    int nc = (int)(sizeof cells / sizeof *cells);
    if (lo->fmt == FMT_TEXT) {
        buf_putc(&lo->ops, le->op && strcmp(le->op, "insert") == 0   ? 'i'
                           : le->op && strcmp(le->op, "delete") == 0 ? 'd'
                                                                     : 'u');
        /* lines that fit a terminal: a row added or deleted (its whole row
         * as JSON) summarised, a long value cut; --format gives them whole */
        for (int i = 0; i < nc; i++) {
            const char *c = cells[i];
            if ((i == 7 || i == 8) && *c && le->op && strcmp(le->op, "update") != 0) {
                tt_add(lo->tt, _("(the whole row: --format tsv)"));
            } else if ((i == 7 || i == 8) && text_width(c) > LOG_VALUE_COLS) {
                buf b = BUF_INIT;
                buf_add(&b, c, text_fit(c, LOG_VALUE_COLS - 1, NULL));
                buf_puts(&b, "…");
                tt_add(lo->tt, buf_str(&b));
                buf_free(&b);
            } else {
                tt_add(lo->tt, c);
            }
        }
    } else if (lo->fmt == FMT_JSON) {
        static const char *const keys[] = {"change", "at", "who", "kind", "table", "key",
                                           "field", "old", "new", "comment"};
        fputs(lo->n ? ",\n {" : "\n {", stdout);
        for (int i = 0; i < nc; i++) {
            printf("%s\"%s\":", i ? ", " : "", keys[i]);
            out_json_string(stdout, cells[i]);
        }
        putchar('}');
    } else {
        char sep = lo->fmt == FMT_CSV ? ',' : '\t';
        int num = log_numeric(lo, le) ? CELL_NUMERIC : 0;
        for (int i = 0; i < nc; i++) {
            if (i)
                putchar(sep);
            /* the old and new values are the field's; the rest are text */
            out_cell(stdout, lo->fmt, cells[i], lo->raw_cells | (i == 7 || i == 8 ? num : 0));
        }
        putchar('\n');
    }
    lo->n++;
}

/* One line of a change, cut to cols columns (escaped; "…" where cut). */
static void log_line(buf *raw, int cols)
{
    buf line = BUF_INIT;
    if (text_width(buf_str(raw)) > cols)
        text_cell(&line, buf_str(raw), cols, 0);
    else
        text_escape(&line, raw->s, raw->len);
    while (line.len && line.s[line.len - 1] == ' ')
        line.s[--line.len] = '\0';
    printf("%s\n", buf_str(&line));
    buf_free(&line);
    buf_reset(raw);
}

/* The log on a terminal too narrow for its table: each change as a line
 * (number, time, who, what, comment) and under it one line per field or
 * row it touched, every line cut to the terminal; --format gives it whole. */
static void log_blocks(const log_out *lo, int cols)
{
    buf raw = BUF_INIT;
    const char *prev = NULL;
    for (size_t r = 1; r < tt_rows(lo->tt); r++) {
        const char *id = tt_cell(lo->tt, r, 0);
        if (!prev || strcmp(prev, id) != 0) {
            if (prev)
                putchar('\n');
            buf_printf(&raw, "%s %s  %s  %s  %s", _("Change"), id, tt_cell(lo->tt, r, 1),
                       tt_cell(lo->tt, r, 2), tt_cell(lo->tt, r, 3));
            const char *comment = tt_cell(lo->tt, r, 9);
            if (*comment)
                buf_printf(&raw, "  “%s”", comment);
            log_line(&raw, cols);
            prev = id;
        }
        const char *tbl = tt_cell(lo->tt, r, 4), *field = tt_cell(lo->tt, r, 6);
        if (!*tbl && !*field)
            continue;   /* a change with no rows */
        buf_printf(&raw, "  %s %s  %s", tbl, tt_cell(lo->tt, r, 5), field);
        char op = r - 1 < lo->ops.len ? lo->ops.s[r - 1] : 'u';
        const char *old = tt_cell(lo->tt, r, 7), *new_ = tt_cell(lo->tt, r, 8);
        if (op == 'u')
            buf_printf(&raw, ": %s → %s", *old ? old : "∅", *new_ ? new_ : "∅");
        log_line(&raw, cols);
    }
    if (prev)
        printf("\n(%s)\n", _("whole values: minreg log --format tsv"));
    buf_free(&raw);
}

/* --since: YYYY-MM-DD, or a time on that day, YYYY-MM-DDTHH:MM[:SS][Z]
 * (UTC, as `log` prints it).  Anything else would compare as text with
 * every change's time and quietly show some of them. */
static int since_ok(const char *s)
{
    char date[11];
    if (strlen(s) < 10)
        return 0;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!value_is_date(date))
        return 0;
    const char *t = s + 10;
    if (!*t)
        return 1;
    int hh, mm, ss = 0, n = 0;
    if (sscanf(t, "T%2d:%2d%n", &hh, &mm, &n) != 2 || n != 6)
        return 0;
    t += n;
    if (*t == ':') {
        if (sscanf(t, ":%2d%n", &ss, &n) != 1 || n != 3)
            return 0;
        t += n;
    }
    if (*t == 'Z')
        t++;
    return !*t && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss < 60;
}

/* --width COLS: 0 (never fitted) or 20 and more. */
static int width_arg(const char *s, int *cols)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 10000 || (v > 0 && v < 20))
        return 0;
    *cols = (int)v;
    return 1;
}

int cmd_log(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"since", required_argument, NULL, 's'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"raw-cells", no_argument, NULL, OPT_RAW_CELLS},
                                         {"width", required_argument, NULL, 'w'},
                                         {NULL, 0, NULL, 0}};
    const char *since = NULL;
    log_out lo = {FMT_TEXT, NULL, 0, 0, db_schema(d), BUF_INIT};
    int cols = out_term_cols();   /* 0: not fitted */
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "s:F:", opts)) != -1) {
        if (o == 's')
            since = optarg;
        else if (o == 'F' && out_format_parse(optarg, &lo.fmt))
            ;
        else if (o == OPT_RAW_CELLS)
            lo.raw_cells = CELL_RAW;
        else if (o == 'w' && width_arg(optarg, &cols))
            ;
        else {
            err_set(e, EXIT_USAGE, "%s",
                    _("usage: minreg log [TABLE [KEY]] [--since DATE] [--format text|csv|tsv|json] "
                      "[--width COLS] [--raw-cells]"));
            return EXIT_USAGE;
        }
    }
    if (since && !since_ok(since)) {
        err_set(e, EXIT_USAGE,
                _("--since wants a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM[:SS], not '%s'"),
                since);
        return EXIT_USAGE;
    }
    const table *t = NULL;
    int64_t rowid = -1;
    const char *gone = NULL;
    if (argc - optind >= 1 && !(t = cli_table(d, argv[optind], e)))
        return e->code;
    if (argc - optind == 2) {
        int found = db_find(d, t, argv[optind + 1], &rowid, e);
        if (found == DB_ERROR)
            return e->code;
        if (found == DB_NOT_FOUND)
            gone = argv[optind + 1];
    }   /* a deleted row is still in the log under its key */
    if (argc - optind > 2) {
        err_set(e, EXIT_USAGE, "%s", _("usage: minreg log [TABLE [KEY]] [--since DATE]"));
        return EXIT_USAGE;
    }
    static const char *const head[] = {N_("Change"), N_("When (UTC)"), N_("Who"), N_("What"),
                                       N_("Register"), N_("Key"), N_("Field"), N_("Old"),
                                       N_("New"), N_("Comment")};
    if (lo.fmt == FMT_TEXT) {
        lo.tt = tt_new(10);
        tt_align_right(lo.tt, 0);
        for (int i = 0; i < 10; i++)
            tt_add(lo.tt, _(head[i]));
    } else if (lo.fmt == FMT_JSON) {
        putchar('[');
    } else {
        for (int i = 0; i < 10; i++) {
            if (i)
                putchar(lo.fmt == FMT_CSV ? ',' : '\t');
            fputs(_(head[i]), stdout);
        }
        putchar('\n');
    }
    int lrc = db_log(d, t ? t->id : NULL, rowid, gone, since, log_row, &lo, e);
    if (lo.fmt == FMT_TEXT) {
        if (cols > 0 && tt_width(lo.tt) > cols)
            log_blocks(&lo, cols);
        else
            tt_print(lo.tt, stdout, 1);
        tt_free(lo.tt);
        buf_free(&lo.ops);
    } else if (lo.fmt == FMT_JSON) {
        fputs(lo.n ? "\n]\n" : "]\n", stdout);
    }
    if (lrc != 0)
        return e->code;   /* what was read before it failed is shown */
    if (gone && !lo.n) {
        err_set(e, EXIT_NOTFOUND, _("%s: no row '%s', now or in the log"), t->id, gone);
        return EXIT_NOTFOUND;
    }
    return EXIT_OK;
}
