/* verify.c — `minreg verify [--head DIGEST]`: the history against its chain.
 *
 * Prints each finding (register, key, field, change, what) and, last, the
 * head digest to record: a supervisor, or the city for a county, keeps it
 * and later runs `verify --head` with it, which fails if the history no
 * longer holds it (cut short or rewritten).  Exit 1 when anything is found.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/i18n.h"

typedef struct {
    const schema *s;
    out_format fmt;
    int raw;
    int64_t n;
} vout;

static const char *tbl_name(const schema *s, const char *id)
{
    const table *t = id ? schema_table(s, id) : NULL;
    if (!t)
        return id ? id : "";
    return i18n_is_zh() ? t->title : (t->title_en && *t->title_en ? t->title_en : t->title);
}

static const char *col_name(const schema *s, const char *tbl, const char *field)
{
    const table *t = tbl ? schema_table(s, tbl) : NULL;
    int ci = t && field ? table_col(t, field) : -1;
    if (ci < 0)
        return field ? field : "";
    const column *c = &t->cols[ci];
    return i18n_is_zh() ? c->label : (c->label_en && *c->label_en ? c->label_en : c->label);
}

static int on_finding(void *arg, const db_finding *f)
{
    vout *o = arg;
    char ch[32] = "";
    if (f->change)
        snprintf(ch, sizeof ch, "%lld", (long long)f->change);
    const char *cells[] = {tbl_name(o->s, f->tbl), f->key ? f->key : "",
                           col_name(o->s, f->tbl, f->field), ch, f->msg};
    static const char *const keys[] = {"register", "key", "field", "change", "problem"};
    if (o->fmt == FMT_TEXT) {
        /* one finding a line: what it is about, then what is wrong */
        fputs(_("verify: "), stdout);
        int any = 0;
        for (int i = 0; i < 3; i++)
            if (*cells[i]) {
                if (any)
                    putchar(' ');
                out_safe(stdout, cells[i]);
                any = 1;
            }
        if (any)
            fputs(": ", stdout);
        out_safe(stdout, f->msg);
        putchar('\n');
    } else if (o->fmt == FMT_JSON) {
        fputs(o->n ? ",\n {" : "\n {", stdout);
        for (int i = 0; i < 5; i++) {
            printf("%s\"%s\":", i ? "," : "", keys[i]);
            if (i == 3 && *ch)
                fputs(ch, stdout);
            else if (i == 3)
                fputs("null", stdout);
            else
                out_json_string(stdout, cells[i]);
        }
        putchar('}');
    } else {
        for (int i = 0; i < 5; i++) {
            if (i)
                putchar(o->fmt == FMT_CSV ? ',' : '\t');
            out_cell(stdout, o->fmt, cells[i], o->raw | (i == 3 ? CELL_NUMERIC : 0));
        }
        putchar('\n');
    }
    o->n++;
    return 0;
}

int cmd_verify(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"head", required_argument, NULL, 'H'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"raw-cells", no_argument, NULL, OPT_RAW_CELLS},
                                         {NULL, 0, NULL, 0}};
    static const char usage[] =
        N_("usage: minreg verify [--head DIGEST] [--format text|csv|tsv|json] [--raw-cells]");
    const char *head = NULL;
    vout o = {db_schema(d), FMT_TEXT, 0, 0};
    int c;
    optind = 0;
    while ((c = cli_getopt(argc, argv, "F:", opts)) != -1) {
        if (c == 'H')
            head = optarg;
        else if (c == 'F' && out_format_parse(optarg, &o.fmt))
            ;
        else if (c == OPT_RAW_CELLS)
            o.raw = CELL_RAW;
        else {
            err_set(e, EXIT_USAGE, "%s", _(usage));
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        err_set(e, EXIT_USAGE, "%s", _(usage));
        return EXIT_USAGE;
    }
    if (head && db_digest_parse(head) != 0) {
        err_set(e, EXIT_USAGE, _("--head wants the 64 hexadecimal digits verify printed, not '%s'"),
                head);
        return EXIT_USAGE;
    }
    if (o.fmt == FMT_CSV || o.fmt == FMT_TSV) {
        static const char *const hd[] = {N_("Register"), N_("Key"), N_("Field"), N_("Change"),
                                          N_("Problem")};
        for (int i = 0; i < 5; i++) {
            if (i)
                putchar(o.fmt == FMT_CSV ? ',' : '\t');
            fputs(_(hd[i]), stdout);
        }
        putchar('\n');
    } else if (o.fmt == FMT_JSON) {
        fputs("{\"findings\":[", stdout);
    }
    db_verify_result r;
    if (db_verify(d, head, on_finding, &o, &r, e) < 0) {
        fflush(stdout);
        return e->code;
    }
    if (o.fmt == FMT_JSON) {
        printf("%s],\"changes\":%lld,\"rows\":%lld,\"head\":", o.n ? "\n" : "",
               (long long)r.changes, (long long)r.rows);
        if (*r.head)
            printf("\"%s\",\"head_change\":%lld", r.head, (long long)r.head_change);
        else
            fputs("null,\"head_change\":null", stdout);
        if (head)
            printf(",\"head_given_found\":%s", r.head_found ? "true" : "false");
        fputs("}\n", stdout);
    } else if (o.fmt == FMT_TEXT) {
        printf(_n("%lld change and ", "%lld changes and ", r.changes), (long long)r.changes);
        printf(_n("%lld row checked against the chain: ", "%lld rows checked against the chain: ",
                  r.rows), (long long)r.rows);
        if (r.findings)
            printf(_n("%lld problem\n", "%lld problems\n", r.findings), (long long)r.findings);
        else
            fputs(_("the history and every row are as the chain says\n"), stdout);
        if (head && r.head_found)
            printf(_("the head given is change %lld's\n"), (long long)r.head_at);
        if (*r.head)
            printf(_("head %s (change %lld)\n"), r.head, (long long)r.head_change);
    }
    return r.findings ? EXIT_NOTFOUND : EXIT_OK;
}
