/* exchange.c — `minreg exchange ...`: the city's and the counties'
 * registers kept in step by signed change files (core/xchg.h).
 *
 *   exchange                          this site, its partners, open conflicts
 *   exchange init SITE [--role R] [--name N]
 *   exchange partner SITE PUBKEY [--role R] [--name N]
 *   exchange export --to PARTNER -o FILE [--since ID]
 *   exchange apply FILE
 *   exchange conflicts [--all] [--format F]
 *   exchange resolve ID mine|theirs|VALUE [-m COMMENT]
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/xchg.h"

static const char usage[] = N_(
    "usage: minreg exchange [init SITE [--role city|county] [--name NAME]\n"
    "                       | partner SITE PUBLIC-KEY [--role city|county] [--name NAME]\n"
    "                       | export --to PARTNER -o FILE [--since ID]\n"
    "                       | apply FILE\n"
    "                       | conflicts [--all] [--format text|csv|tsv|json]\n"
    "                       | resolve ID mine|theirs|VALUE [-m COMMENT]]");

/* A message with names in it (a site's name, a path: anything a clerk
 * typed), each line escaped for the terminal. */
static void say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(FILE *f, const char *fmt, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *all = buf_steal(&b), *line = all, *nl;
    while ((nl = strchr(line, '\n'))) {
        *nl = 0;
        out_safe(f, line);
        fputc('\n', f);
        line = nl + 1;
    }
    out_safe(f, line);
    free(all);
}

static int bad_usage(mr_err *e)
{
    err_set(e, EXIT_USAGE, "%s", _(usage));
    return EXIT_USAGE;
}

static void on_partner(void *arg, const xchg_site *p)
{
    text_table *t = arg;
    char code[16], waiting[32], applied[32], conf[32];
    snprintf(code, sizeof code, "%d", p->code);
    snprintf(waiting, sizeof waiting, "%lld", (long long)p->waiting);
    snprintf(applied, sizeof applied, "%lld", (long long)p->applied);
    snprintf(conf, sizeof conf, "%lld", (long long)p->conflicts);
    tt_add(t, p->name);
    tt_add(t, code);
    tt_add(t, strcmp(p->role, "city") == 0 ? _("city") : _("county"));
    tt_add(t, *p->sent_at ? p->sent_at : "-");
    tt_add(t, waiting);
    tt_add(t, *p->applied_at ? p->applied_at : "-");
    tt_add(t, applied);
    tt_add(t, conf);
}

static int status(db *d, mr_err *e)
{
    xchg_site me;
    if (xchg_self(d, &me) != 0) {
        err_set(e, EXIT_NOTFOUND, _("%s is not an exchange site yet: run minreg exchange init SITE first"),
                db_path(d));
        return EXIT_NOTFOUND;
    }
    say(stdout, _("Site: %s (%d, %s)\nPublic key: %s\n\n"), me.name, me.code,
           strcmp(me.role, "city") == 0 ? _("city") : _("county"), me.pub);
    text_table *t = tt_new(8);
    static const char *const hd[] = {N_("Partner"), N_("Code"), N_("Role"), N_("Last sent"),
                                     N_("Waiting"), N_("Last applied"), N_("Their change"),
                                     N_("Conflicts")};
    for (int i = 0; i < 8; i++)
        tt_add(t, _(hd[i]));
    for (int i = 4; i < 8; i++)
        if (i != 5)
            tt_align_right(t, i);
    xchg_partners(d, on_partner, t);
    tt_print(t, stdout, 1);
    tt_free(t);
    return EXIT_OK;
}

static int role_name(int argc, char **argv, const char **role, const char **name, mr_err *e)
{
    static const struct option opts[] = {{"role", required_argument, NULL, 'R'},
                                         {"name", required_argument, NULL, 'N'},
                                         {"site", required_argument, NULL, 'S'},
                                         {NULL, 0, NULL, 0}};
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "", opts)) != -1) {
        if (o == 'R')
            *role = optarg;
        else if (o == 'N')
            *name = optarg;
        else if (o == 'S')
            argv[0] = optarg;   /* --site SITE: the site as the first word */
        else
            return bad_usage(e);
    }
    return 0;
}

static int do_init(db *d, int argc, char **argv, mr_err *e)
{
    const char *role = NULL, *name = NULL;
    char *sub = argv[0];
    if (role_name(argc, argv, &role, &name, e))
        return EXIT_USAGE;
    const char *site = argv[0] != sub ? argv[0] : optind < argc ? argv[optind++] : NULL;
    if (!site || optind != argc)
        return bad_usage(e);
    buf pub = BUF_INIT;
    if (xchg_init(d, site, role, name, &pub, e) < 0) {
        buf_free(&pub);
        return e->code ? e->code : EXIT_DB;
    }
    xchg_site me;
    xchg_self(d, &me);
    say(stdout, _("This register is now site %s (%d, %s); its secret key is in %s.key.\n"
             "Hand this public key to each partner (exchange partner %d KEY there):\n%s\n"),
           me.name, me.code, strcmp(me.role, "city") == 0 ? _("city") : _("county"), db_path(d),
           me.code, buf_str(&pub));
    buf_free(&pub);
    return EXIT_OK;
}

static int do_partner(db *d, int argc, char **argv, mr_err *e)
{
    const char *role = NULL, *name = NULL;
    char *sub = argv[0];
    if (role_name(argc, argv, &role, &name, e))
        return EXIT_USAGE;
    if (optind < argc && strcmp(argv[optind], "add") == 0)
        optind++;   /* exchange partner add SITE KEY */
    const char *site = argv[0] != sub ? argv[0] : optind < argc ? argv[optind++] : NULL;
    const char *key = optind < argc ? argv[optind++] : NULL;
    if (!site || !key || optind != argc)
        return bad_usage(e);
    if (xchg_partner_add(d, site, role, name, key, e) < 0)
        return e->code ? e->code : EXIT_DB;
    say(stdout, _("%s is now a partner of this register.\n"), site);
    return EXIT_OK;
}

static int do_export(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"to", required_argument, NULL, 'T'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"since", required_argument, NULL, 'S'},
                                         {NULL, 0, NULL, 0}};
    const char *to = NULL, *out = NULL;
    int64_t since = -1;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "o:", opts)) != -1) {
        if (o == 'T')
            to = optarg;
        else if (o == 'o')
            out = optarg;
        else if (o == 'S') {
            char *end;
            since = strtoll(optarg, &end, 10);
            if (*end || since < 0) {
                err_set(e, EXIT_USAGE, _("--since wants a change number, not '%s'"), optarg);
                return EXIT_USAGE;
            }
        } else
            return bad_usage(e);
    }
    if (!to || !out || optind != argc)
        return bad_usage(e);
    xchg_stats st;
    if (xchg_export(d, to, since, out, &st, e) < 0)
        return e->code ? e->code : EXIT_DB;
    say(stderr, _("exchange: %lld changes (%lld rows) for %s, after change %lld up to %lld\n"),
            (long long)st.changes, (long long)st.rows, st.site, (long long)st.from, (long long)st.to);
    return EXIT_OK;
}

static int do_apply(db *d, int argc, char **argv, mr_err *e)
{
    if (argc != 2)
        return bad_usage(e);
    xchg_stats st;
    if (xchg_apply(d, argv[1], &st, e) < 0)
        return e->code ? e->code : EXIT_DB;
    if (!st.changes)
        say(stdout, _("exchange: nothing new from %s (%lld changes applied before)\n"), st.site,
               (long long)st.skipped);
    else
        say(stdout, _("exchange: %lld changes from %s (%lld..%lld) applied: %lld rows written, %lld "
                 "conflicts left (exchange conflicts), %lld changes applied before\n"),
               (long long)st.changes, st.site, (long long)st.from, (long long)st.to,
               (long long)st.rows, (long long)st.conflicts, (long long)st.skipped);
    return EXIT_OK;
}

typedef struct {
    out_format fmt;
    text_table *t;
    int64_t n;
} cout;

static void on_conflict(void *arg, const xchg_conflict *c)
{
    cout *o = arg;
    char id[32], ch[32];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    snprintf(ch, sizeof ch, "%lld", (long long)c->their_id);
    const char *cells[] = {id, c->site, ch, c->tbl, c->row_key ? c->row_key : "",
                           c->field ? c->field : _("(row)"), xchg_what_text(c->what),
                           c->base ? c->base : "", c->mine ? c->mine : _("(none)"),
                           c->theirs ? c->theirs : _("(none)"), c->resolved ? c->resolved : ""};
    static const char *const keys[] = {"id", "partner", "their_change", "register", "key", "field",
                                       "what", "base", "mine", "theirs", "resolved"};
    enum { N = 11 };
    if (o->fmt == FMT_TEXT) {
        for (int i = 0; i < N; i++)
            tt_add(o->t, cells[i]);
    } else if (o->fmt == FMT_JSON) {
        fputs(o->n ? ",\n {" : "\n {", stdout);
        for (int i = 0; i < N; i++) {
            printf("%s\"%s\":", i ? "," : "", keys[i]);
            out_json_string(stdout, cells[i]);
        }
        putchar('}');
    } else {
        for (int i = 0; i < N; i++) {
            if (i)
                putchar(o->fmt == FMT_CSV ? ',' : '\t');
            out_cell(stdout, o->fmt, cells[i], 0);
        }
        putchar('\n');
    }
    o->n++;
}

static int do_conflicts(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
                                         {"format", required_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    int all = 0, o;
    cout c = {.fmt = FMT_TEXT};
    optind = 0;
    while ((o = cli_getopt(argc, argv, "F:", opts)) != -1) {
        if (o == 'a')
            all = 1;
        else if (o == 'F' && out_format_parse(optarg, &c.fmt))
            ;
        else
            return bad_usage(e);
    }
    if (optind != argc)
        return bad_usage(e);
    static const char *const hd[] = {N_("Id"), N_("Partner"), N_("Their change"), N_("Register"),
                                     N_("Key"), N_("Field"), N_("What"), N_("Base"), N_("Mine"),
                                     N_("Theirs"), N_("Resolved")};
    if (c.fmt == FMT_TEXT) {
        c.t = tt_new(11);
        for (int i = 0; i < 11; i++)
            tt_add(c.t, _(hd[i]));
        tt_align_right(c.t, 0);
    } else if (c.fmt == FMT_CSV || c.fmt == FMT_TSV) {
        for (int i = 0; i < 11; i++) {
            if (i)
                putchar(c.fmt == FMT_CSV ? ',' : '\t');
            out_cell(stdout, c.fmt, _(hd[i]), 0);
        }
        putchar('\n');
    } else {
        putchar('[');
    }
    xchg_conflicts(d, all, on_conflict, &c);
    if (c.fmt == FMT_TEXT) {
        if (c.n)
            tt_print(c.t, stdout, 1);
        else
            puts(all ? _("No exchange conflicts.") : _("No open exchange conflicts."));
        tt_free(c.t);
    } else if (c.fmt == FMT_JSON) {
        puts(c.n ? "\n]" : "]");
    }
    return EXIT_OK;
}

static int do_resolve(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"value", required_argument, NULL, 'V'},
                                         {"comment", required_argument, NULL, 'm'},
                                         {NULL, 0, NULL, 0}};
    const char *value = NULL, *comment = NULL;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "m:", opts)) != -1) {
        if (o == 'V')
            value = optarg;
        else if (o == 'm')
            comment = optarg;
        else
            return bad_usage(e);
    }
    const char *ids = optind < argc ? argv[optind++] : NULL;
    const char *how = optind < argc ? argv[optind++] : NULL;
    if (how && strcmp(how, "mine") && strcmp(how, "theirs") && !value) {
        value = how;   /* resolve ID VALUE */
        how = NULL;
    }
    if (!ids || optind != argc || (!how == !value))
        return bad_usage(e);
    char *end;
    long long id = strtoll(ids, &end, 10);
    if (*end || id <= 0)
        return bad_usage(e);
    if (xchg_resolve(d, id, how, value, comment, e) < 0)
        return e->code ? e->code : EXIT_DB;
    say(stdout, _("exchange conflict %lld resolved (%s); the next file to the partner carries it.\n"), id,
           how ? how : value);
    return EXIT_OK;
}

int cmd_exchange(db *d, int argc, char **argv, mr_err *e)
{
    if (argc < 2)
        return status(d, e);
    argc--;
    argv++;
    const char *sub = argv[0];
    if (!strcmp(sub, "init"))
        return do_init(d, argc, argv, e);
    if (!strcmp(sub, "partner"))
        return do_partner(d, argc, argv, e);
    if (!strcmp(sub, "partners") || !strcmp(sub, "status"))
        return argc == 1 ? status(d, e) : bad_usage(e);
    if (!strcmp(sub, "export"))
        return do_export(d, argc, argv, e);
    if (!strcmp(sub, "apply"))
        return do_apply(d, argc, argv, e);
    if (!strcmp(sub, "conflicts"))
        return do_conflicts(d, argc, argv, e);
    if (!strcmp(sub, "resolve"))
        return do_resolve(d, argc, argv, e);
    return bad_usage(e);
}
