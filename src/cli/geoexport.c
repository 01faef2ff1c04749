/* geoexport.c — `minreg export TABLE --format geojson|gpkg|shp -o FILE`:
 * a register's records with their boundaries for GIS programs
 * (core/geo_export.h).  `export` comes here when --format names one of
 * these or -o's name ends in .geojson, .gpkg or .shp. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "core/geo_export.h"
#include "core/i18n.h"

enum { OPT_ZONE = 0x200, OPT_SKIP_EMPTY, OPT_ENCODING };

/* Which GIS format argv asks for (--format, else -o's name), or NONE. */
int cli_geo_export_wanted(int argc, char **argv)
{
    geo_export_fmt by_name = GEO_EXPORT_NONE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (!strcmp(a, "--"))
            break;
        if (!strncmp(a, "--format=", 9))
            return geo_export_parse(a + 9);
        if (!strcmp(a, "--format") && i + 1 < argc)
            return geo_export_parse(argv[i + 1]);
        if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc)
            v = argv[++i];
        else if (!strncmp(a, "--output=", 9))
            v = a + 9;
        else if (!strncmp(a, "-o", 2) && a[2])
            v = a + 2;
        if (v)
            by_name = geo_export_by_name(v);
    }
    return by_name;
}

static const char *usage(void)
{
    return _("usage: minreg export TABLE --format geojson|gpkg|shp -o FILE [--where COL=VALUE]...\n"
             "         [--sort COL [--desc]] [--zone 41|42] [--skip-empty] [--encoding utf-8|gbk]");
}

int cmd_geo_export(db *d, int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"where", required_argument, NULL, 'w'},
        {"sort", required_argument, NULL, 's'}, {"desc", no_argument, NULL, 'D'},
        {"format", required_argument, NULL, 'F'}, {"zone", required_argument, NULL, OPT_ZONE},
        {"skip-empty", no_argument, NULL, OPT_SKIP_EMPTY}, {"encoding", required_argument, NULL, OPT_ENCODING},
        {NULL, 0, NULL, 0}};
    export_opts xo = {.sort_ci = -1};
    geo_export_opts o = {.rows = &xo};
    const char *out = NULL, *wheres[32], *sort = NULL;
    geo_export_fmt fmt = GEO_EXPORT_NONE;
    int nw = 0, c, enc_given = 0;
    optind = 0;
    while ((c = cli_getopt(argc, argv, "o:", opts)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'w':
            if (nw == 32) {
                err_set(e, EXIT_USAGE, "%s", _("too many --where options"));
                return EXIT_USAGE;
            }
            wheres[nw++] = optarg;
            break;
        case 's': sort = optarg; break;
        case 'D': xo.desc = 1; break;
        case 'F':
            if ((fmt = geo_export_parse(optarg)) == GEO_EXPORT_NONE) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (csv, xlsx, geojson, gpkg, shp)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_ZONE: {
            char *end;
            long z = strtol(optarg, &end, 10);
            if (end == optarg || *end || z < 25 || z > 45) {
                err_set(e, EXIT_USAGE, _("--zone wants a 3-degree zone from 25 to 45 (Dandong: 41 or 42), not '%s'"),
                        optarg);
                return EXIT_USAGE;
            }
            o.zone = (int)z;
            break;
        }
        case OPT_SKIP_EMPTY: o.skip_empty = 1; break;
        case OPT_ENCODING:
            if (!strcasecmp(optarg, "gbk") || !strcasecmp(optarg, "cp936"))
                o.gbk = 1;
            else if (strcasecmp(optarg, "utf-8") && strcasecmp(optarg, "utf8")) {
                err_set(e, EXIT_USAGE, _("--encoding wants utf-8 or gbk for a shapefile, not '%s'"), optarg);
                return EXIT_USAGE;
            }
            enc_given = 1;
            break;
        default: err_set(e, EXIT_USAGE, "%s", usage()); return EXIT_USAGE;
        }
    }
    if (fmt == GEO_EXPORT_NONE)
        fmt = geo_export_by_name(out);
    if (argc - optind != 1 || fmt == GEO_EXPORT_NONE) {
        err_set(e, EXIT_USAGE, "%s", usage());
        return EXIT_USAGE;
    }
    if (enc_given && fmt != GEO_EXPORT_SHP) {
        err_set(e, EXIT_USAGE, "%s", _("--encoding is for a shapefile's .dbf; GeoJSON and GeoPackage are UTF-8"));
        return EXIT_USAGE;
    }
    if (o.zone && fmt == GEO_EXPORT_GEOJSON) {
        err_set(e, EXIT_USAGE, "%s", _("--zone is for a GeoPackage or shapefile; GeoJSON is in degrees"));
        return EXIT_USAGE;
    }
    const table *t = cli_table(d, argv[optind], e);
    if (!t)
        return e->code;
    db_filter f[32];
    if (cli_parse_wheres(t, wheres, nw, f, e) < 0)
        return e->code;
    if (sort && (xo.sort_ci = table_col_any(t, sort)) < 0) {
        err_set(e, EXIT_USAGE, _("%s has no column '%s'"), t->id, sort);
        cli_filters_free(f, nw);
        return EXIT_USAGE;
    }
    xo.f = f;
    xo.nf = nw;
    int to_stdout = !out || !strcmp(out, "-");
    if (to_stdout)
        fflush(stdout);
    geo_export_stats st;
    int rc = geo_export(d, t, out, fmt, &o, &st, e);
    cli_filters_free(f, nw);
    if (rc < 0)
        return e->code;
    buf b = BUF_INIT;
    buf_printf(&b, _n("%lld record written to %s", "%lld records written to %s", st.rows), (long long)st.rows,
               to_stdout ? _("standard output") : out);
    if (st.epsg)
        buf_printf(&b, " (EPSG:%d)", st.epsg);
    if (st.empty && o.skip_empty)
        buf_printf(&b, _n("; %lld without a boundary left out", "; %lld without a boundary left out", st.empty),
                   (long long)st.empty);
    else if (st.empty)
        buf_printf(&b, _n("; %lld without a boundary, with no geometry", "; %lld without a boundary, with no geometry",
                          st.empty),
                   (long long)st.empty);
    if (st.reprojected)
        buf_printf(&b, _n("; %lld shape projected into zone %d", "; %lld shapes projected into zone %d", st.reprojected),
                   (long long)st.reprojected, st.zone);
    if (st.truncated)
        buf_printf(&b, _n("; %lld text value cut to fit the .dbf", "; %lld text values cut to fit the .dbf",
                          st.truncated),
                   (long long)st.truncated);
    /* to the terminal's error stream when the data went to standard output */
    FILE *say = to_stdout ? stderr : stdout;
    out_safe(say, buf_str(&b));
    fputc('\n', say);
    buf_free(&b);
    return EXIT_OK;
}
