/* boundary.c — minreg boundary TABLE KEY [FILE]: set a record's boundary
 * from a coordinate file (one audited change), or print it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/boundary.h"
#include "core/boundary_import.h"
#include "core/edit.h"
#include "core/geo.h"
#include "core/i18n.h"

static void usage_boundary(FILE *f)
{
    fputs(_("usage: minreg boundary TABLE KEY FILE [--from F] [--degrees D] [--zone N] [-m COMMENT]\n"
            "       minreg boundary TABLE KEY [--format points|exchange|wkt|geojson]\n"
            "       minreg boundary TABLE KEY --remove [-m COMMENT]\n"
            "       minreg boundary TABLE --import FILE [--from F] [--degrees D] [--zone N] [-m COMMENT]\n"), f);
}

static int print_boundary(db *d, const table *t, int64_t rid, const char *key, geo_format f, mr_err *e)
{
    char *text;
    int got = db_shape_text(d, t->id, rid, &text, e);
    if (got == DB_ERROR)
        return e->code;
    if (got == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("%s %s has no boundary"), t->id, key);
        return EXIT_NOTFOUND;
    }
    geo_shape s;
    int rc = boundary_decode(text, &s, e);
    free(text);
    if (rc < 0)
        return e->code;
    buf b = BUF_INIT;
    rc = geo_write(&s, f, &b, e);
    if (rc == 0)
        fwrite(buf_str(&b), 1, b.len, stdout);
    buf_free(&b);
    geo_shape_free(&s);
    return rc == 0 ? EXIT_OK : e->code;
}

/* boundary TABLE --import FILE: each parcel onto the record its 地块编号
 * names, one change. */
static int import_boundaries(db *d, const char *tname, const char *path, const geo_read_opts *ro,
                             const char *comment, mr_err *e)
{
    const table *t = cli_table(d, tname, e);
    if (!t)
        return e->code;
    geo_shape s;
    if (geo_read(path, ro, &s, e) < 0) {
        if (e->code != EXIT_USAGE)
            e->code = EXIT_DATA;
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e->msg);
        err_set(e, e->code, "%s; %s", why, _("nothing was written"));
        return e->code;
    }
    boundary_import_result r;
    int rc = boundary_import(d, t, &s, path, comment, &r, e);
    geo_shape_free(&s);
    if (rc < 0)
        return e->code ? e->code : EXIT_DB;
    printf(_n("change %lld recorded: %lld boundary set\n", "change %lld recorded: %lld boundaries set\n", r.set),
           (long long)r.change, (long long)r.set);
    return EXIT_OK;
}

int cmd_boundary(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'F'}, {"from", required_argument, NULL, 'i'},
        {"degrees", required_argument, NULL, 'd'}, {"zone", required_argument, NULL, 'z'},
        {"comment", required_argument, NULL, 'm'}, {"remove", no_argument, NULL, 'r'},
        {"import", required_argument, NULL, 'I'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    geo_read_opts ro = {0};
    geo_format out = GEO_FMT_POINTLIST;
    const char *comment = NULL, *import = NULL;
    int o, remove = 0, fmt_given = 0;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "F:m:h", opts)) != -1) {
        switch (o) {
        case 'F':
            if (strcmp(optarg, "points") == 0)
                out = GEO_FMT_POINTLIST;
            else if (!geo_format_parse(optarg, &out) || out == GEO_FMT_AUTO || out == GEO_FMT_JTABLE ||
                     out == GEO_FMT_XYSTRING) {
                err_set(e, EXIT_USAGE, _("unknown output format '%s' (points, exchange, wkt, geojson)"), optarg);
                return EXIT_USAGE;
            }
            fmt_given = 1;
            break;
        case 'i':
        case 'd':
        case 'z':
            if (cli_geo_read_opt(o, optarg, &ro, e) < 0)
                return EXIT_USAGE;
            break;
        case 'm': comment = optarg; break;
        case 'r': remove = 1; break;
        case 'I': import = optarg; break;
        case 'h': usage_boundary(stdout); return EXIT_OK;
        default: usage_boundary(stderr); return EXIT_USAGE;
        }
    }
    int nargs = argc - optind;
    if (import) {
        if (nargs != 1 || fmt_given || remove) {
            usage_boundary(stderr);
            return EXIT_USAGE;
        }
        return import_boundaries(d, argv[optind], import, &ro, comment, e);
    }
    if (nargs < 2 || nargs > 3 || (nargs == 3 && (fmt_given || remove)) || (remove && fmt_given)) {
        usage_boundary(stderr);
        return EXIT_USAGE;
    }
    const table *t = cli_table(d, argv[optind], e);
    if (!t)
        return e->code;
    int has = db_has_boundary(d, t->id, e);
    if (has == DB_ERROR)
        return e->code;
    if (has == DB_NOT_FOUND) {
        err_set(e, EXIT_USAGE, _("%s: its records hold no boundary"), t->id);
        return EXIT_USAGE;
    }
    const char *key = argv[optind + 1];
    int64_t rid;
    int frc = db_find(d, t, key, &rid, e);
    if (frc == DB_ERROR)
        return e->code;
    if (frc == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("%s: no row '%s'"), t->id, key);
        return EXIT_NOTFOUND;
    }
    if (nargs == 2 && !remove)
        return print_boundary(d, t, rid, key, out, e);
    buf text = BUF_INIT;
    if (!remove) {
        const char *path = argv[optind + 2];
        geo_shape s;
        if (geo_read(path, &ro, &s, e) < 0) {
            if (e->code != EXIT_USAGE)
                e->code = EXIT_DATA;
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e->msg);
            err_set(e, e->code, "%s; %s", why, _("nothing was written"));
            return e->code;
        }
        geo_problems ps;
        if (geo_check(&s, &ps, e) < 0) {
            geo_shape_free(&s);
            return e->code;
        }
        /* what is wrong with it is said now, and by check later */
        for (int i = 0; i < ps.n; i++) {
            fprintf(stderr, _("minreg: warning: %s:%d: %s: "), path, ps.v[i].line, ps.v[i].rule->id);
            out_safe(stderr, ps.v[i].msg);
            fputc('\n', stderr);
        }
        geo_problems_free(&ps);
        int rc = boundary_encode(&s, &text, e);
        geo_shape_free(&s);
        if (rc < 0) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e->msg);
            err_set(e, EXIT_DATA, "%s: %s; %s", path, why, _("nothing was written"));
            buf_free(&text);
            return EXIT_DATA;
        }
    }
    edit_result r;
    edit_set_boundary(d, t, rid, remove ? NULL : buf_str(&text), comment, &r, e);
    buf_free(&text);
    int rc = r.code == EDIT_OK ? EXIT_OK : e->code ? e->code : EXIT_DB;
    if (r.code == EDIT_OK) {
        if (r.change)
            printf(_("change %lld recorded\n"), (long long)r.change);
        else
            printf("%s\n", _("no change: the boundary is the same"));
    }
    edit_result_free(&r);
    return rc;
}
