/* overlaps.c — minreg overlaps [TABLE [KEY]] and minreg near TABLE KEY
 * --within METRES: boundaries against each other (core/overlap.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/geo.h"
#include "core/i18n.h"
#include "core/db_gpkg.h"
#include "core/overlap.h"

/* A record's key (its key column), or #rid. */
static char *key_of(db *d, const char *tbl, int64_t rid)
{
    const table *t = schema_table(db_schema(d), tbl);
    char *k = NULL;
    mr_err e = {0};
    if (t && db_row_key(d, t, rid, &k, &e) != DB_FOUND)
        k = NULL;
    if (!k) {
        buf b = BUF_INIT;
        buf_printf(&b, "#%lld", (long long)rid);
        k = xstrdup(buf_str(&b));
        buf_free(&b);
    }
    return k;
}

static int parse_fmt(const char *s, out_format *f, mr_err *e)
{
    if (!out_format_parse(s, f) || *f == FMT_TSV) {
        err_set(e, EXIT_USAGE, _("unknown format '%s' (text, csv, json)"), s);
        return -1;
    }
    return 0;
}

/* TABLE [KEY] into t and rid (0: none); 0, or an exit code. */
static int target(db *d, char **args, int n, const table **t, int64_t *rid, mr_err *e)
{
    *t = NULL;
    *rid = 0;
    if (n < 1)
        return 0;
    if (!(*t = cli_table(d, args[0], e)))
        return e->code;
    int has = db_has_boundary(d, (*t)->id, e);
    if (has == DB_ERROR)
        return e->code;
    if (has == DB_NOT_FOUND) {
        err_set(e, EXIT_USAGE, _("%s: its records hold no boundary"), (*t)->id);
        return EXIT_USAGE;
    }
    int frc = n > 1 ? db_find(d, *t, args[1], rid, e) : DB_FOUND;
    if (frc == DB_ERROR)
        return e->code;
    if (frc == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("%s: no row '%s'"), (*t)->id, args[1]);
        return EXIT_NOTFOUND;
    }
    char *text = NULL;
    int got = n > 1 ? db_shape_text(d, (*t)->id, *rid, &text, e) : DB_FOUND;
    if (got == DB_ERROR)
        return e->code;
    if (got == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("%s %s has no boundary"), (*t)->id, args[1]);
        return EXIT_NOTFOUND;
    }
    free(text);
    return 0;
}

static void print_hits(db *d, const ov_hits *h, int near, out_format fmt)
{
    static const char *const cols[] = {"table_a", "key_a", "table_b", "key_b", "overlap_km2"};
    static const char *const ncols[] = {"table", "key", "distance_m"};
    text_table *tt = NULL;
    if (fmt == FMT_TEXT) {
        tt = tt_new(near ? 3 : 5);
        if (near) {
            tt_add(tt, _("Register"));
            tt_add(tt, _("Key"));
            tt_add(tt, _("Distance (m)"));
            tt_align_right(tt, 2);
        } else {
            tt_add(tt, _("Register"));
            tt_add(tt, _("Key"));
            tt_add(tt, _("Overlaps register"));
            tt_add(tt, _("Key"));
            tt_add(tt, _("Overlap (km²)"));
            tt_align_right(tt, 4);
        }
    } else if (fmt == FMT_CSV) {
        int nc = near ? 3 : 5;
        for (int i = 0; i < nc; i++)
            printf("%s%s", i ? "," : "", near ? ncols[i] : cols[i]);
        printf("\r\n");
    } else {
        printf("[");
    }
    for (int i = 0; i < h->n; i++) {
        const ov_hit *x = &h->v[i];
        char *ka = key_of(d, x->tbl_a, x->rid_a), *kb = key_of(d, x->tbl_b, x->rid_b);
        char num[64];
        if (near)
            snprintf(num, sizeof num, "%.2f", x->metres);
        else
            snprintf(num, sizeof num, "%.4f", geo_round4(x->km2));
        if (fmt == FMT_TEXT) {
            if (!near) {
                tt_add(tt, x->tbl_a);
                tt_add(tt, ka);
            }
            tt_add(tt, x->tbl_b);
            tt_add(tt, kb);
            tt_add(tt, num);
        } else if (fmt == FMT_CSV) {
            if (!near) {
                out_cell(stdout, FMT_CSV, x->tbl_a, 0);
                putchar(',');
                out_cell(stdout, FMT_CSV, ka, 0);
                putchar(',');
            }
            out_cell(stdout, FMT_CSV, x->tbl_b, 0);
            putchar(',');
            out_cell(stdout, FMT_CSV, kb, 0);
            printf(",%s\r\n", num);
        } else {
            printf("%s\n  {", i ? "," : "");
            if (!near) {
                printf("\"table_a\": ");
                out_json_string(stdout, x->tbl_a);
                printf(", \"key_a\": ");
                out_json_string(stdout, ka);
                printf(", \"table_b\": ");
                out_json_string(stdout, x->tbl_b);
                printf(", \"key_b\": ");
                out_json_string(stdout, kb);
                printf(", \"overlap_km2\": %s}", num);
            } else {
                printf("\"table\": ");
                out_json_string(stdout, x->tbl_b);
                printf(", \"key\": ");
                out_json_string(stdout, kb);
                printf(", \"distance_m\": %s}", num);
            }
        }
        free(ka);
        free(kb);
    }
    if (fmt == FMT_TEXT) {
        tt_print(tt, stdout, 1);
        tt_free(tt);
        printf(near ? _("%d within the distance\n") : _("%d overlapping pairs\n"), h->n);
    } else if (fmt == FMT_JSON) {
        printf("%s]\n", h->n ? "\n" : "");
    }
}

int cmd_overlaps(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    out_format fmt = FMT_TEXT;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "F:", opts)) != -1) {
        if (o != 'F' || parse_fmt(optarg, &fmt, e) < 0) {
            if (!e->code)
                err_set(e, EXIT_USAGE, "%s", _("usage: minreg overlaps [TABLE [KEY]] [--format text|csv|json]"));
            return EXIT_USAGE;
        }
    }
    if (argc - optind > 2) {
        err_set(e, EXIT_USAGE, "%s", _("usage: minreg overlaps [TABLE [KEY]] [--format text|csv|json]"));
        return EXIT_USAGE;
    }
    const table *t;
    int64_t rid;
    int rc = target(d, argv + optind, argc - optind, &t, &rid, e);
    if (rc)
        return rc;
    ov_hits h;
    if (overlaps_find(d, t ? t->id : NULL, rid, &h, e) < 0)
        return e->code;
    print_hits(d, &h, 0, fmt);
    ov_hits_free(&h);
    return EXIT_OK;
}

int cmd_near(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'F'},
                                         {"within", required_argument, NULL, 'w'},
                                         {NULL, 0, NULL, 0}};
    const char *usage = _("usage: minreg near TABLE KEY --within METRES [--format text|csv|json]");
    out_format fmt = FMT_TEXT;
    double within = -1;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "F:", opts)) != -1) {
        if (o == 'F' && parse_fmt(optarg, &fmt, e) == 0)
            continue;
        if (o == 'w') {
            char *end;
            within = strtod(optarg, &end);
            if (!*end && within >= 0)
                continue;
        }
        if (!e->code)
            err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    if (argc - optind != 2 || within < 0) {
        err_set(e, EXIT_USAGE, "%s", usage);
        return EXIT_USAGE;
    }
    const table *t;
    int64_t rid;
    int rc = target(d, argv + optind, 2, &t, &rid, e);
    if (rc)
        return rc;
    ov_hits h;
    if (near_find(d, t->id, rid, within, &h, e) < 0)
        return e->code;
    print_hits(d, &h, 1, fmt);
    ov_hits_free(&h);
    return EXIT_OK;
}
