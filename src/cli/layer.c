/* layer.c — minreg layer import|list|rm|distance: the restriction layers
 * check's R-GEO-LAYER compares boundaries with (core/layer.h), and the safe
 * distance of R-GEO-SAND-NEAR. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/check_geo.h"
#include "core/db_geo.h"
#include "core/i18n.h"
#include "core/layer.h"

static const char *usage_text(void)
{
    return _("usage: minreg layer import NAME FILE [--crs EPSG:N] [--replace]\n"
             "       minreg layer list [--format text|csv|json]\n"
             "       minreg layer rm NAME\n"
             "       minreg layer distance [METRES]\n"
             "FILE: GeoJSON, a GeoPackage (.gpkg) or a shapefile (.shp with its .dbf, .prj, .cpg);\n"
             "polygons in EPSG:4490 (CGCS2000 degrees), 4513-4533 (3-degree zones 25-45, the\n"
             "zone in front of the easting: 41 is 4529, 42 is 4530), 4534-4554 (the same by\n"
             "central meridian: 123E is 4550, 126E 4551) or WGS 84 degrees (4326, CRS84).\n"
             "distance: the safe distance of a 集中开采区 from non-sand permits (R-GEO-SAND-NEAR).");
}

static int usage(mr_err *e)
{
    err_set(e, EXIT_USAGE, "%s", usage_text());
    return EXIT_USAGE;
}

static int layer_do_import(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"crs", required_argument, NULL, 'c'},
                                         {"replace", no_argument, NULL, 'R'},
                                         {NULL, 0, NULL, 0}};
    const char *crs = NULL;
    int replace = 0, o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "", opts)) != -1) {
        if (o == 'c')
            crs = optarg;
        else if (o == 'R')
            replace = 1;
        else
            return usage(e);
    }
    if (argc - optind != 2)
        return usage(e);
    int64_t n;
    if (layer_import(d, argv[optind], argv[optind + 1], crs, replace, &n, e) < 0) {
        if (e->code == EXIT_DATA || e->code == EXIT_IO) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e->msg);
            err_set(e, EXIT_DATA, "%s; %s", why, _("nothing was written"));
        }
        return e->code;
    }
    printf(_("layer %s: %lld features imported\n"), argv[optind], (long long)n);
    return EXIT_OK;
}

static int layer_do_list(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    out_format fmt = FMT_TEXT;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "", opts)) != -1)
        if (o != 'F' || !out_format_parse(optarg, &fmt) || fmt == FMT_TSV)
            return usage(e);
    if (argc - optind != 0)
        return usage(e);
    db_layer *v;
    int n;
    if (db_layer_list(d, &v, &n, e) < 0)
        return e->code;
    const char *hdr[] = {_("Layer"), _("Features"), _("System"), _("Format"), _("Imported"),
                         _("By"), _("File")};
    const char *keys[] = {"layer", "features", "crs", "format", "imported_at", "imported_by", "file"};
    if (fmt == FMT_TEXT) {
        if (!n) {
            printf("%s\n", _("No layers imported."));
        } else {
            text_table *tt = tt_new(7);
            tt_align_right(tt, 1);
            for (int i = 0; i < 7; i++)
                tt_add(tt, hdr[i]);
            for (int i = 0; i < n; i++) {
                char num[24];
                snprintf(num, sizeof num, "%lld", (long long)v[i].features);
                const char *cells[] = {v[i].name, num, v[i].crs, v[i].format, v[i].at, v[i].by, v[i].source};
                for (int k = 0; k < 7; k++)
                    tt_add(tt, cells[k]);
            }
            tt_print(tt, stdout, 1);
            tt_free(tt);
        }
    } else if (fmt == FMT_CSV) {
        for (int k = 0; k < 7; k++)
            printf("%s%s", k ? "," : "", keys[k]);
        out_eol(stdout);
        for (int i = 0; i < n; i++) {
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)v[i].features);
            const char *cells[] = {v[i].name, num, v[i].crs, v[i].format, v[i].at, v[i].by, v[i].source};
            for (int k = 0; k < 7; k++) {
                if (k)
                    putchar(',');
                out_cell(stdout, fmt, cells[k], k == 1 ? CELL_NUMERIC : 0);
            }
            out_eol(stdout);
        }
    } else {
        printf("[");
        for (int i = 0; i < n; i++) {
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)v[i].features);
            const char *cells[] = {v[i].name, num, v[i].crs, v[i].format, v[i].at, v[i].by, v[i].source};
            printf("%s\n  {", i ? "," : "");
            for (int k = 0; k < 7; k++) {
                printf("%s\"%s\": ", k ? ", " : "", keys[k]);
                if (k == 1)
                    out_json_number(stdout, cells[k]);
                else
                    out_json_string(stdout, cells[k]);
            }
            printf(", \"sha256\": ");
            out_json_string(stdout, v[i].sha256);
            printf("}");
        }
        printf("%s]\n", n ? "\n" : "");
    }
    db_layer_list_free(v, n);
    return EXIT_OK;
}

static int layer_do_rm(db *d, int argc, char **argv, mr_err *e)
{
    if (argc != 2)
        return usage(e);
    int rc = layer_remove(d, argv[1], e);
    if (rc == DB_ERROR)
        return e->code;
    if (rc == DB_NOT_FOUND) {
        err_set(e, EXIT_NOTFOUND, _("no layer '%s'"), argv[1]);
        return EXIT_NOTFOUND;
    }
    printf(_("layer %s removed\n"), argv[1]);
    return EXIT_OK;
}

static int layer_do_distance(db *d, int argc, char **argv, mr_err *e)
{
    if (argc > 2)
        return usage(e);
    if (argc == 1) {
        int failed;
        double m = check_geo_sand_distance(d, e, &failed);
        if (failed)
            return e->code;
        printf("%g\n", m);
        return EXIT_OK;
    }
    char *end;
    double m = strtod(argv[1], &end);
    if (end == argv[1] || *end || !(m > 0) || m > 1e6) {
        err_set(e, EXIT_USAGE, _("distance '%s': a number of metres above 0"), argv[1]);
        return EXIT_USAGE;
    }
    char v[32];
    snprintf(v, sizeof v, "%g", m);
    if (db_meta_set(d, "geo_sand_distance_m", v, e) < 0)
        return e->code;
    printf(_("safe distance set to %s m\n"), v);
    return EXIT_OK;
}

int cmd_layer(db *d, int argc, char **argv, mr_err *e)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s\n", usage_text());
            return EXIT_OK;
        }
    if (argc < 2 || !d)
        return usage(e);
    if (!strcmp(argv[1], "import"))
        return layer_do_import(d, argc - 1, argv + 1, e);
    if (!strcmp(argv[1], "list"))
        return layer_do_list(d, argc - 1, argv + 1, e);
    if (!strcmp(argv[1], "rm"))
        return layer_do_rm(d, argc - 1, argv + 1, e);
    if (!strcmp(argv[1], "distance"))
        return layer_do_distance(d, argc - 1, argv + 1, e);
    return usage(e);
}
