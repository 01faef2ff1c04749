/* show.c — `minreg tables`, `minreg show` and `minreg get`. */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/csvio.h"
#include "core/i18n.h"
#include "core/life.h"
#include "core/links.h"
#include "core/text.h"

const table *cli_table(db *d, const char *name, mr_err *e)
{
    const schema *s = db_schema(d);
    const table *t = schema_table(s, name);
    if (t)
        return t;
    buf b = BUF_INIT;
    for (int i = 0; i < s->ntables; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", s->tables[i].id);
    err_set(e, EXIT_NOTFOUND, _("no register '%s' (registers: %s)"), name, buf_str(&b));
    buf_free(&b);
    return NULL;
}

static int is_numeric(const column *c) { return c->type == COL_INT || c->type == COL_DEC; }

/* ---- tables ------------------------------------------------------------- */

int cmd_tables(db *d, int argc, char **argv, mr_err *e)
{
    (void)argc, (void)argv;
    const schema *s = db_schema(d);
    text_table *tt = tt_new(5);
    tt_align_right(tt, 4);
    tt_add(tt, _("Appendix"));
    tt_add(tt, _("Alias"));
    tt_add(tt, _("Register"));
    tt_add(tt, _("Title"));
    tt_add(tt, _("Rows"));
    for (int i = 0; i < s->ntables; i++) {
        const table *t = &s->tables[i];
        char n[32];
        int64_t rows;
        if (db_count(d, t, NULL, 0, &rows, e) < 0) {   /* an error, never a count to print */
            tt_free(tt);
            return e->code;
        }
        snprintf(n, sizeof n, "%lld", (long long)rows);
        tt_add(tt, t->appendix);
        tt_add(tt, t->alias);
        tt_add(tt, t->id);
        tt_add(tt, i18n_is_zh() ? t->title : t->title_en);
        tt_add(tt, n);
    }
    tt_print(tt, stdout, 1);
    tt_free(tt);
    return EXIT_OK;
}

/* ---- show --------------------------------------------------------------- */

/* Parse a --where filter (db_filter_parse: COL=VALUE, COL<V, COL=A..B,
 * COL=, !..., COL:REGEX ...) for table t into f, which owns its strings
 * (cli_filters_free).  Returns 0 or fills e. */
int cli_parse_wheres(const table *t, const char *const *args, int n, db_filter *f, mr_err *e)
{
    for (int i = 0; i < n; i++)
        if (cli_parse_where(t, args[i], &f[i], e) < 0) {
            cli_filters_free(f, i);
            return -1;
        }
    return 0;
}

int cli_parse_where(const table *t, const char *arg, db_filter *f, mr_err *e)
{
    return db_filter_parse(t, arg, f, e);
}

void cli_filters_free(db_filter *f, int n)
{
    for (int i = 0; i < n; i++)
        db_filter_clear(&f[i]);
}

/* Parse "A,B,C" into column indexes. */
int cli_parse_columns(const table *t, const char *arg, int *cis, int *n, mr_err *e)
{
    char *copy = xstrdup(arg), *save = NULL;
    *n = 0;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        int ci = table_col_any(t, p);
        if (ci < 0) {
            err_set(e, EXIT_USAGE, _("%s has no column '%s'"), t->id, p);
            free(copy);
            return -1;
        }
        if (*n < t->ncols)
            cis[(*n)++] = ci;
    }
    free(copy);
    return 0;
}

static void usage_show(FILE *f)
{
    fputs(_("usage: minreg show TABLE [--where FILTER]... [--grep [COL:]REGEX]... [--columns A,B]\n"
            "                   [--sort COL [--desc]] [--limit N] [--format text|csv|tsv|json]\n"
            "                   [--raw-cells] [-o FILE] [--excel]\n"), f);
}

int cmd_show(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"where", required_argument, NULL, 'w'}, {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'F'}, {"columns", required_argument, NULL, 'c'},
        {"sort", required_argument, NULL, 's'}, {"desc", no_argument, NULL, 'D'},
        {"grep", required_argument, NULL, 'g'}, {"raw-cells", no_argument, NULL, OPT_RAW_CELLS},
        {"help", no_argument, NULL, 'h'}, {"output", required_argument, NULL, 'o'},
        {"excel", no_argument, NULL, 'X'}, {NULL, 0, NULL, 0}};
    const char *wheres[32], *greps[32], *out_path = NULL;
    int excel = 0;
    int nw = 0, ng = 0, desc = 0, rc = EXIT_OK, raw_cells = 0;
    long limit = -1;
    out_format fmt = FMT_TEXT;
    const char *cols_arg = NULL, *sort_arg = NULL;
    int o;
    optind = 0;   /* 0, not 1: makes GNU getopt reinitialise (main used "+" mode) */
    while ((o = cli_getopt(argc, argv, "w:n:F:c:s:Dg:ho:", opts)) != -1) {
        switch (o) {
        case 'o': out_path = optarg; break;
        case 'X': excel = 1; break;
        case 'g':
            if (ng == 32) {
                err_set(e, EXIT_USAGE, _("too many --grep options"));
                return EXIT_USAGE;
            }
            greps[ng++] = optarg;
            break;
        case 'w':
            if (nw == 32) {
                err_set(e, EXIT_USAGE, _("too many --where options"));
                return EXIT_USAGE;
            }
            wheres[nw++] = optarg;
            break;
        case 'n': {
            char *end;
            limit = strtol(optarg, &end, 10);
            if (*end || limit < 0) {
                err_set(e, EXIT_USAGE, _("--limit wants a number, not '%s'"), optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'F':
            if (!out_format_parse(optarg, &fmt)) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (text, csv, tsv, json)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'c': cols_arg = optarg; break;
        case 's': sort_arg = optarg; break;
        case 'D': desc = 1; break;
        case OPT_RAW_CELLS: raw_cells = CELL_RAW; break;
        case 'h': usage_show(stdout); return EXIT_OK;
        default: usage_show(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        usage_show(stderr);
        return EXIT_USAGE;
    }
    const table *t = cli_table(d, argv[optind], e);
    if (!t)
        return e->code;
    cli_excel = fmt == FMT_CSV && (excel || out_path);
    db_filter f[64];
    int nwhere = nw;
    if (cli_parse_wheres(t, wheres, nw, f, e) < 0)
        return e->code;
    for (int i = 0; i < ng; i++)
        if (db_filter_parse_rx(t, greps[i], &f[nw + i], e) < 0) {
            cli_filters_free(f, nwhere);
            return EXIT_USAGE;
        }
    nw += ng;   /* the filters run together: equalities and patterns */
    int *cis = xmalloc(sizeof(int) * (size_t)t->ncols), nc = t->ncols;
    for (int i = 0; i < nc; i++)
        cis[i] = i;
    int sort_ci = -1;
    if ((cols_arg && cli_parse_columns(t, cols_arg, cis, &nc, e) < 0) ||
        (sort_arg && (sort_ci = table_col_any(t, sort_arg)) < 0)) {
        if (sort_arg && sort_ci < 0)
            err_set(e, EXIT_USAGE, _("%s has no column '%s'"), t->id, sort_arg);
        free(cis);
        cli_filters_free(f, nwhere);
        return EXIT_USAGE;
    }

    buf v = BUF_INIT, h = BUF_INIT;
    int *w = NULL;
    cursor *c = NULL;
    if (out_path && cli_out_open(d, out_path, e) < 0) {
        out_path = NULL;
        goto fail;
    }
    if (fmt == FMT_TEXT) {
        /* First pass: widths.  The second streams the rows, so memory does not
         * grow with the table. */
        w = xcalloc((size_t)nc, sizeof(int));
        for (int i = 0; i < nc; i++) {
            buf_reset(&h);
            col_header(&t->cols[cis[i]], &h);
            w[i] = text_width(buf_str(&h));
        }
        c = db_select(d, t, f, nw, sort_ci, desc, limit, e);
        if (!c)
            goto fail;
        int got1;
        while ((got1 = cursor_next(c)) == 1)
            for (int i = 0; i < nc; i++) {
                buf_reset(&v);
                col_format(&t->cols[cis[i]], cursor_val(c, cis[i]), &v);
                int cw = text_width(buf_str(&v));
                if (cw > w[i])
                    w[i] = cw;
            }
        if (got1 < 0) {
            cursor_fail(c, EXIT_NOTFOUND, e);
            cursor_free(c);
            goto fail;
        }
        cursor_free(c);
        buf line = BUF_INIT;
        for (int i = 0; i < nc; i++) {
            buf_reset(&h);
            col_header(&t->cols[cis[i]], &h);
            if (i)
                buf_puts(&line, "  ");
            text_cell(&line, buf_str(&h), w[i], 0);
        }
        while (line.len && line.s[line.len - 1] == ' ')
            line.s[--line.len] = '\0';
        printf("%s\n", buf_str(&line));
        buf_reset(&line);
        for (int i = 0; i < nc; i++) {
            if (i)
                buf_puts(&line, "  ");
            for (int k = 0; k < w[i]; k++)
                buf_putc(&line, '-');
        }
        printf("%s\n", buf_str(&line));
        buf_free(&line);
    } else if (fmt == FMT_CSV || fmt == FMT_TSV) {
        out_bom(stdout);
        for (int i = 0; i < nc; i++) {
            if (i)
                putchar(fmt == FMT_CSV ? ',' : '\t');
            buf_reset(&h);
            cli_col_header(&t->cols[cis[i]], &h);
            out_cell(stdout, fmt, buf_str(&h), raw_cells);
        }
        out_eol(stdout);
    } else {
        putchar('[');
    }

    c = db_select(d, t, f, nw, sort_ci, desc, limit, e);
    if (!c)
        goto fail;
    long nrows = 0;
    buf line = BUF_INIT;
    int got;
    while ((got = cursor_next(c)) == 1) {
        buf_reset(&line);
        if (fmt == FMT_JSON)
            fputs(nrows ? ",\n {" : "\n {", stdout);
        for (int i = 0; i < nc; i++) {
            const column *col = &t->cols[cis[i]];
            const char *raw = cursor_val(c, cis[i]);
            switch (fmt) {
            case FMT_TEXT:
                buf_reset(&v);
                col_format(col, raw, &v);
                if (i)
                    buf_puts(&line, "  ");
                text_cell(&line, buf_str(&v), w[i], is_numeric(col));
                break;
            case FMT_CSV:
            case FMT_TSV:
                if (i)
                    putchar(fmt == FMT_CSV ? ',' : '\t');
                /* guarded against spreadsheet formulas; to a terminal (and
                 * TSV always) escaped, never raw; for Excel the plan's decimals */
                if (cli_excel && raw && col->type == COL_DEC) {
                    buf_reset(&v);
                    col_format(col, raw, &v);
                    if (strtod(buf_str(&v), NULL) == strtod(raw, NULL))   /* no digit lost */
                        raw = buf_str(&v);
                }
                out_cell(stdout, fmt, raw, raw_cells | (is_numeric(col) ? CELL_NUMERIC : 0));
                break;
            case FMT_JSON:
                printf("%s", i ? ", " : "");
                out_json_string(stdout, col->id);
                putchar(':');
                if (!raw)
                    fputs("null", stdout);
                else if (is_numeric(col) && *raw)
                    out_json_number(stdout, raw);
                else
                    out_json_string(stdout, raw);
                break;
            }
        }
        if (fmt == FMT_TEXT) {
            while (line.len && line.s[line.len - 1] == ' ')
                line.s[--line.len] = '\0';
            printf("%s\n", buf_str(&line));
        } else if (fmt == FMT_JSON) {
            putchar('}');
        } else {
            out_eol(stdout);
        }
        nrows++;
    }
    buf_free(&line);
    if (fmt == FMT_JSON)
        fputs(nrows ? "\n]\n" : "]\n", stdout);
    if (got < 0) {
        rc = cursor_fail(c, EXIT_NOTFOUND, e);
    }
    cursor_free(c);
    goto out;
fail:
    rc = e->code;
out:
    if (out_path && cli_out_close(rc == EXIT_OK, e) < 0 && rc == EXIT_OK)
        rc = e->code;
    free(cis);
    free(w);
    buf_free(&v);
    buf_free(&h);
    cli_filters_free(f, nwhere);
    return rc;
}

/* ---- get ----------------------------------------------------------------- */

/* "KZ21060000001 辽宁凤城…" — a row's key and, if different, its label. */
static void row_name(const table *t, cursor *c, buf *out)
{
    const char *k = cursor_val(c, t->key_ci), *l = cursor_val(c, t->label_ci);
    col_format(&t->cols[t->key_ci], k, out);
    if (t->label_ci != t->key_ci && l && *l)
        buf_printf(out, "  %s", l);
}

static const char *ttitle(const table *t) { return i18n_is_zh() ? t->title : t->title_en; }

#define GET_LIST_MAX 20

/* A permit's life: its events, oldest first, each a line "date type doc"
 * and what it changed (number, validity, holder, area, other fields). */
struct tl {
    text_table *tt;
    int n;
};

static void tl_row(void *arg, const table *ev, int64_t rid, const char *const *vals)
{
    (void)rid;
    struct tl *x = arg;
    static const char *const own[] = {"event_date", "event_type", "event_doc"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        int ci = table_role(ev, own[i]);
        tt_add(x->tt, ci >= 0 && vals[ci] ? vals[ci] : "");
    }
    buf b = BUF_INIT;
    life_event_summary(ev, vals, &b);
    tt_add(x->tt, buf_str(&b));
    buf_free(&b);
    x->n++;
}

static void print_timeline(db *d, const table *t, int64_t rowid, mr_err *e)
{
    struct tl x = {.tt = tt_new(4)};
    tt_add(x.tt, _("Date"));
    tt_add(x.tt, _("Event"));
    tt_add(x.tt, _("Document"));
    tt_add(x.tt, _("What changed"));
    if (life_timeline(d, t, rowid, tl_row, &x, e) > 0) {
        printf("\n%s\n", _("Timeline:"));
        tt_print(x.tt, stdout, 1);
    }
    tt_free(x.tt);
}

/* A permit's mining areas (采区) with their elevations, from its boundary. */
static void area_row(void *arg, const life_area *a)
{
    text_table *tt = arg;
    char n[16], top[32] = "", bot[32] = "", pts[16];
    snprintf(n, sizeof n, "%d", a->ring);
    if (a->has_elev) {
        snprintf(top, sizeof top, "%.2f", a->top);
        snprintf(bot, sizeof bot, "%.2f", a->bottom);
    }
    snprintf(pts, sizeof pts, "%d", a->npts);
    tt_add(tt, n);
    tt_add(tt, a->name ? a->name : "");
    tt_add(tt, top);
    tt_add(tt, bot);
    tt_add(tt, a->hole ? _("excluded") : "");
    tt_add(tt, pts);
}

static void print_areas(db *d, const table *t, int64_t rowid, mr_err *e)
{
    text_table *tt = tt_new(6);
    const char *h[] = {_("Ring"), _("Mining area"), _("Top (m)"), _("Bottom (m)"), _("Ring kind"),
                       _("Points")};
    for (int i = 0; i < 6; i++)
        tt_add(tt, h[i]);
    for (int i = 2; i < 4; i++)
        tt_align_right(tt, i);
    tt_align_right(tt, 5);
    if (life_areas(d, t, rowid, area_row, tt, e) > 0) {
        printf("\n%s\n", _("Mining areas (采区), from the boundary:"));
        tt_print(tt, stdout, 1);
    }
    tt_free(tt);
}

int cmd_get(db *d, int argc, char **argv, mr_err *e)
{
    if (argc != 3) {
        fputs(_("usage: minreg get TABLE KEY\n"), stderr);
        return EXIT_USAGE;
    }
    const table *t = cli_table(d, argv[1], e);
    if (!t)
        return e->code;
    int64_t rowid;
    int former;
    int frc = cli_find_record(d, t, argv[2], &rowid, &former, e);
    if (frc != DB_FOUND)
        return e->code ? e->code : EXIT_NOTFOUND;
    if (former)
        cli_former_note(d, t, rowid, argv[2]);
    cursor *c = db_select_rowid(d, t, rowid, e);
    int got = c ? cursor_next(c) : -1;
    if (got != 1) {
        if (c && got < 0)
            cursor_fail(c, EXIT_DB, e);
        else if (c)
            err_set(e, EXIT_NOTFOUND, _("%s: no row '%s'"), t->id, argv[2]);
        cursor_free(c);
        return e->code;
    }
    const schema *s = db_schema(d);
    buf b = BUF_INIT;
    if (*t->appendix)
        buf_printf(&b, "%s ", t->appendix);
    buf_printf(&b, "%s (%s)  ", ttitle(t), t->id);
    row_name(t, c, &b);
    out_safe(stdout, buf_str(&b));
    puts("\n");

    text_table *tt = tt_new(2);
    for (int i = 0; i < t->ncols; i++) {
        buf_reset(&b);
        col_header(&t->cols[i], &b);
        tt_add(tt, buf_str(&b));
        buf_reset(&b);
        col_format(&t->cols[i], cursor_val(c, i), &b);
        tt_add(tt, buf_str(&b));
    }
    tt_print(tt, stdout, 0);
    tt_free(tt);

    /* Where the row comes from: the register's clause of the plan, the notes
     * of its transcription about it, and what the plan states about it. */
    char *src[80];
    int si = table_col(t, "seq");
    int nsrc = schema_row_sources(s, t, cursor_val(c, t->key_ci), si >= 0 ? cursor_val(c, si) : NULL,
                                  src, 80);
    printf("\n%s\n", _("Source:"));
    for (int i = 0; i < nsrc; i++) {
        buf_reset(&b);
        buf_printf(&b, "  %s", src[i]);
        out_safe(stdout, buf_str(&b));
        putchar('\n');
        free(src[i]);
    }

    /* Links out: each names the row it points at. */
    link_out *lo;
    int nlo = links_out_get(d, t, c, &lo);
    if (nlo)
        printf("\n%s\n", _("Links out:"));
    for (int i = 0; i < nlo; i++) {
        const table *lt = &s->tables[lo[i].ti];
        buf_reset(&b);
        if (lo[i].ext) {
            buf_printf(&b, "      ↳ %s: %s", ttitle(lt), lo[i].value);
        } else {
            buf_printf(&b, "  %s → %s: %s", t->cols[lo[i].ci].label, ttitle(lt), lo[i].value);
            if (!lo[i].found)
                buf_printf(&b, "  (%s)", _("missing"));
            else {
                if (strcmp(lo[i].key, lo[i].value) != 0)
                    buf_printf(&b, " = %s", lo[i].key);
                if (lt->label_ci != lt->key_ci && strcmp(lo[i].label, lo[i].value) != 0)
                    buf_printf(&b, " %s", lo[i].label);
            }
        }
        out_safe(stdout, buf_str(&b));
        putchar('\n');
    }
    links_out_free(lo, nlo);

    /* Links in: every column of every register that points at this one. */
    link_in *li;
    int nli = links_in_get(d, t, c, &li, e);
    if (nli < 0) {
        cursor_free(c);
        buf_free(&b);
        return e->code;
    }
    if (nli)
        printf("\n%s\n", _("Referenced by:"));
    for (int i = 0; i < nli; i++) {
        const table *u = &s->tables[li[i].ti];
        buf_reset(&b);
        buf_printf(&b, "  %s (%s) %s: %lld", ttitle(u), u->id, u->cols[li[i].ci].label,
                   (long long)li[i].count);
        out_safe(stdout, buf_str(&b));
        putchar('\n');
        db_filter f = {.ci = li[i].ci, .value = li[i].value, .op = DBF_EQ};
        cursor *rc = db_select(d, u, &f, 1, -1, 0, GET_LIST_MAX, e);
        /* keys and labels in two columns, aligned by display width (9 and
         * 10 under each other, right-aligned as numbers are) */
        char *keys[GET_LIST_MAX], *labels[GET_LIST_MAX];
        int nrow = 0, kw = 0;
        const column *kc = &u->cols[u->key_ci];
        while (rc && nrow < GET_LIST_MAX && cursor_next(rc) == 1) {
            buf_reset(&b);
            col_format(kc, cursor_val(rc, u->key_ci), &b);
            keys[nrow] = xstrdup(buf_str(&b));
            const char *l = cursor_val(rc, u->label_ci);
            labels[nrow] = xstrdup(u->label_ci != u->key_ci && l ? l : "");
            int w = text_width(keys[nrow]);
            kw = w > kw ? w : kw;
            nrow++;
        }
        cursor_free(rc);
        for (int k = 0; k < nrow; k++) {
            buf_reset(&b);
            buf_puts(&b, "    ");
            text_cell(&b, keys[k], kw, kc->type == COL_INT || kc->type == COL_DEC);
            if (*labels[k]) {
                buf_puts(&b, "  ");
                text_escape(&b, labels[k], strlen(labels[k]));
            }
            while (b.len && b.s[b.len - 1] == ' ')
                b.s[--b.len] = '\0';
            fputs(buf_str(&b), stdout);   /* escaped above */
            putchar('\n');
            free(keys[k]);
            free(labels[k]);
        }
        if (li[i].count > GET_LIST_MAX)
            printf("    %s\n", _("…"));
    }
    links_in_free(li, nli);
    print_areas(d, t, rowid, e);
    print_timeline(d, t, rowid, e);
    cursor_free(c);
    buf_free(&b);
    return EXIT_OK;
}
