/* area.c — `minreg area FILE`: a coordinate file's official areas and
 * everything wrong with it, without a register.
 *
 * Each ring's and parcel's area in km² to 4 decimals by the official
 * ellipsoidal method (core/geo_area.c), then the problems in file order,
 * each with its line, rule and source.  Exit 0 when the file has none, 1
 * when it has some, 3 when it cannot be read (the line and the reason).
 * --to FORMAT writes the boundary in another format instead.
 */
#include "config.h"
#include "cli/cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/geo.h"
#include "core/i18n.h"

static void usage_area(FILE *f)
{
    fputs(_("usage: minreg area FILE [--format text|csv|json] [--from FORMAT] [--degrees decimal|dmmss|dddmmss]\n"
            "                   [--zone N] [--registered KM2] [--to pointlist|exchange|wkt|geojson]\n"
            "FORMAT: pointlist, exchange, jtable, xy (default: told from the file)\n"), f);
}

static const char *ring_role(const geo_ring *r) { return r->hole ? _("excluded") : _("included"); }

static void area_text(double a, buf *b)
{
    if (a < 0)
        buf_puts(b, "—");
    else
        buf_printf(b, "%.4f", geo_round4(a));
}

static void print_text(const char *path, const geo_shape *s, const geo_problems *ps)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s: %s", path, geo_format_name(s->fmt));
    if (s->geodetic)
        buf_printf(&b, _(", geodetic degrees (%s)"),
                   s->geodetic == GEO_DEG_DMMSS ? "D.MMSS" : s->geodetic == GEO_DEG_DDDMMSS ? "DDDMMSS" : _("decimal"));
    else if (s->zone)
        buf_printf(&b, _(", CGCS2000 3° Gauss–Krüger, 带号 %d"), s->zone);
    out_safe(stdout, buf_str(&b));
    fputs("\n\n", stdout);
    text_table *tt = tt_new(7);
    tt_align_right(tt, 4);
    tt_align_right(tt, 6);
    const char *head[] = {_("parcel"), _("ring"), _("name"), _("role"), _("points"), _("elevation"),
                          _("area km²")};
    for (int i = 0; i < 7; i++)
        tt_add(tt, head[i]);
    for (int pi = 0; pi < s->nparcels; pi++) {
        const geo_parcel *p = &s->parcels[pi];
        for (int ri = 0; ri < p->nrings; ri++) {
            const geo_ring *r = &p->rings[ri];
            buf_reset(&b);
            buf_printf(&b, "%d", pi + 1);
            tt_add(tt, buf_str(&b));
            buf_reset(&b);
            buf_printf(&b, "%d", r->no);
            tt_add(tt, buf_str(&b));
            tt_add(tt, r->name ? r->name : "");
            tt_add(tt, ring_role(r));
            buf_reset(&b);
            buf_printf(&b, "%d", r->n);
            tt_add(tt, buf_str(&b));
            buf_reset(&b);
            if (r->has_elev)
                buf_printf(&b, "%g–%g m", r->bottom, r->top);
            tt_add(tt, buf_str(&b));
            buf_reset(&b);
            area_text(geo_ring_area(s, r), &b);
            tt_add(tt, buf_str(&b));
        }
        buf_reset(&b);
        buf_printf(&b, "%d", pi + 1);
        tt_add(tt, buf_str(&b));
        tt_add(tt, _("all"));
        buf_reset(&b);
        if (p->no)
            buf_printf(&b, "%s ", p->no);
        if (p->name)
            buf_puts(&b, p->name);
        tt_add(tt, buf_str(&b));
        tt_add(tt, _("parcel"));
        tt_add(tt, "");
        buf_reset(&b);
        if (p->has_reg_area)
            buf_printf(&b, _("registered %.4f"), p->reg_area);
        tt_add(tt, buf_str(&b));
        buf_reset(&b);
        area_text(geo_parcel_area(s, p), &b);
        tt_add(tt, buf_str(&b));
    }
    tt_print(tt, stdout, 1);
    tt_free(tt);
    fputc('\n', stdout);
    if (!ps->n)
        fputs(_("no problems\n"), stdout);
    for (int i = 0; i < ps->n; i++) {
        buf_reset(&b);
        buf_printf(&b, "%s:%d: %s: %s [%s]", path, ps->v[i].line, ps->v[i].rule->id, ps->v[i].msg,
                   _(ps->v[i].rule->source));
        out_safe(stdout, buf_str(&b));
        fputc('\n', stdout);
    }
    if (ps->n)
        printf(_n("%d problem\n", "%d problems\n", ps->n), ps->n);
    buf_free(&b);
}

static void csv_row(const char *const *cells, int n, const int *numeric)
{
    for (int i = 0; i < n; i++) {
        if (i)
            putchar(',');
        out_cell(stdout, FMT_CSV, cells[i], numeric && numeric[i] ? CELL_NUMERIC : 0);
    }
    fputs("\r\n", stdout);
}

static void print_csv(const char *path, const geo_shape *s, const geo_problems *ps)
{
    if (!isatty(STDOUT_FILENO))
        fputs("\xef\xbb\xbf", stdout);   /* for Excel */
    const char *head[] = {"parcel", "ring", "name", "role", "points", "top", "bottom", "area_km2",
                          "registered_km2"};
    static const int num[] = {1, 1, 0, 0, 1, 1, 1, 1, 1};
    csv_row(head, 9, NULL);
    char c[9][64];
    const char *cells[9];
    for (int i = 0; i < 9; i++)
        cells[i] = c[i];
    for (int pi = 0; pi < s->nparcels; pi++) {
        const geo_parcel *p = &s->parcels[pi];
        for (int ri = 0; ri <= p->nrings; ri++) {
            const geo_ring *r = ri < p->nrings ? &p->rings[ri] : NULL;
            double a = r ? geo_ring_area(s, r) : geo_parcel_area(s, p);
            snprintf(c[0], 64, "%d", pi + 1);
            snprintf(c[1], 64, r ? "%d" : "", r ? r->no : 0);
            cells[2] = r ? (r->name ? r->name : "") : (p->name ? p->name : "");
            snprintf(c[3], 64, "%s", r ? (r->hole ? "excluded" : "included") : "parcel");
            snprintf(c[4], 64, r ? "%d" : "", r ? r->n : 0);
            snprintf(c[5], 64, r && r->has_elev ? "%g" : "", r ? r->top : 0);
            snprintf(c[6], 64, r && r->has_elev ? "%g" : "", r ? r->bottom : 0);
            snprintf(c[7], 64, a >= 0 ? "%.4f" : "", geo_round4(a));
            snprintf(c[8], 64, !r && p->has_reg_area ? "%.4f" : "", p->reg_area);
            csv_row(cells, 9, num);
            cells[2] = c[2];
        }
    }
    fputs("\r\n", stdout);
    const char *phead[] = {"file", "line", "rule", "parcel", "ring", "message", "source"};
    static const int pnum[] = {0, 1, 0, 1, 1, 0, 0};
    csv_row(phead, 7, NULL);
    for (int i = 0; i < ps->n; i++) {
        char l[16], pa[16], ri[16];
        snprintf(l, sizeof l, "%d", ps->v[i].line);
        snprintf(pa, sizeof pa, "%d", ps->v[i].parcel + 1);
        snprintf(ri, sizeof ri, ps->v[i].ring >= 0 ? "%d" : "",
                 ps->v[i].ring >= 0 ? s->parcels[ps->v[i].parcel].rings[ps->v[i].ring].no : 0);
        const char *row[] = {path, l, ps->v[i].rule->id, pa, ri, ps->v[i].msg, _(ps->v[i].rule->source)};
        csv_row(row, 7, pnum);
    }
}

static void json_area(double a)
{
    if (a < 0)
        fputs("null", stdout);
    else
        printf("%.4f", geo_round4(a));
}

static void print_json(const char *path, const geo_shape *s, const geo_problems *ps)
{
    fputs("{\"file\": ", stdout);
    out_json_string(stdout, path);
    printf(", \"format\": \"%s\", \"zone\": %d, \"geodetic\": %s, \"parcels\": [", geo_format_name(s->fmt),
           s->zone, s->geodetic ? "true" : "false");
    for (int pi = 0; pi < s->nparcels; pi++) {
        const geo_parcel *p = &s->parcels[pi];
        printf("%s\n  {\"parcel\": %d, \"no\": ", pi ? "," : "", pi + 1);
        if (p->no)
            out_json_string(stdout, p->no);
        else
            fputs("null", stdout);
        fputs(", \"name\": ", stdout);
        if (p->name)
            out_json_string(stdout, p->name);
        else
            fputs("null", stdout);
        fputs(", \"area_km2\": ", stdout);
        json_area(geo_parcel_area(s, p));
        fputs(", \"registered_km2\": ", stdout);
        if (p->has_reg_area)
            printf("%.4f", p->reg_area);
        else
            fputs("null", stdout);
        fputs(", \"rings\": [", stdout);
        for (int ri = 0; ri < p->nrings; ri++) {
            const geo_ring *r = &p->rings[ri];
            printf("%s\n    {\"ring\": %d, \"name\": ", ri ? "," : "", r->no);
            if (r->name)
                out_json_string(stdout, r->name);
            else
                fputs("null", stdout);
            printf(", \"role\": \"%s\", \"points\": %d, \"line\": %d", r->hole ? "excluded" : "included",
                   r->n, r->line);
            if (r->has_elev)
                printf(", \"top\": %g, \"bottom\": %g", r->top, r->bottom);
            fputs(", \"area_km2\": ", stdout);
            json_area(geo_ring_area(s, r));
            fputs("}", stdout);
        }
        fputs("]}", stdout);
    }
    fputs("],\n \"problems\": [", stdout);
    for (int i = 0; i < ps->n; i++) {
        const geo_problem *g = &ps->v[i];
        printf("%s\n  {\"line\": %d, \"rule\": \"%s\", \"parcel\": %d, \"ring\": ", i ? "," : "", g->line,
               g->rule->id, g->parcel + 1);
        if (g->ring >= 0)
            printf("%d", s->parcels[g->parcel].rings[g->ring].no);
        else
            fputs("null", stdout);
        fputs(", \"message\": ", stdout);
        out_json_string(stdout, g->msg);
        fputs(", \"source\": ", stdout);
        out_json_string(stdout, _(g->rule->source));
        fputs("}", stdout);
    }
    fputs("]}\n", stdout);
}

/* The options a coordinate file is read with (--from, --degrees, --zone;
 * area and boundary alike) into ro: 1 taken, 0 not one of them, -1 refused
 * (e filled). */
int cli_geo_read_opt(int c, const char *arg, geo_read_opts *ro, mr_err *e)
{
    switch (c) {
    case 'i':
        if (!geo_format_parse(arg, &ro->fmt) || ro->fmt == GEO_FMT_WKT || ro->fmt == GEO_FMT_GEOJSON) {
            err_set(e, EXIT_USAGE, _("unknown input format '%s' (pointlist, exchange, jtable, xy)"), arg);
            return -1;
        }
        return 1;
    case 'd':
        if (!geo_degrees_parse(arg, &ro->deg)) {
            err_set(e, EXIT_USAGE, _("--degrees wants decimal, dmmss or dddmmss"));
            return -1;
        }
        return 1;
    case 'z': {
        char *end;
        long z = strtol(arg, &end, 10);
        if (*end || z < 10 || z > 99) {   /* the 2 digits a prefix on Y holds */
            err_set(e, EXIT_USAGE, _("--zone wants a 3-degree zone number (41, 42)"));
            return -1;
        }
        ro->zone = (int)z;
        return 1;
    }
    default:
        return 0;
    }
}

int cmd_area(int argc, char **argv, mr_err *e)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'F'}, {"from", required_argument, NULL, 'i'},
        {"degrees", required_argument, NULL, 'd'}, {"zone", required_argument, NULL, 'z'},
        {"registered", required_argument, NULL, 'R'}, {"to", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    out_format fmt = FMT_TEXT;
    geo_read_opts ro = {0};
    geo_format to = GEO_FMT_AUTO;
    double registered = -1;
    int o;
    optind = 0;
    while ((o = cli_getopt(argc, argv, "F:h", opts)) != -1) {
        switch (o) {
        case 'F':
            if (!out_format_parse(optarg, &fmt) || fmt == FMT_TSV) {
                err_set(e, EXIT_USAGE, _("unknown format '%s' (text, csv, json)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'i':
        case 'd':
        case 'z':
            if (cli_geo_read_opt(o, optarg, &ro, e) < 0)
                return EXIT_USAGE;
            break;
        case 'o':
            if (!geo_format_parse(optarg, &to) || to == GEO_FMT_AUTO || to == GEO_FMT_JTABLE ||
                to == GEO_FMT_XYSTRING) {
                err_set(e, EXIT_USAGE, _("unknown output format '%s' (pointlist, exchange, wkt, geojson)"), optarg);
                return EXIT_USAGE;
            }
            break;
        case 'R': {
            char *end;
            registered = strtod(optarg, &end);
            if (*end || !(registered >= 0)) {
                err_set(e, EXIT_USAGE, _("--registered wants an area in km²"));
                return EXIT_USAGE;
            }
            break;
        }
        case 'h': usage_area(stdout); return EXIT_OK;
        default: usage_area(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        usage_area(stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    geo_shape s;
    if (geo_read(path, &ro, &s, e) < 0) {
        if (e->code != EXIT_USAGE)
            e->code = EXIT_DATA;   /* unreadable, whatever the reason */
        return e->code;
    }
    if (registered >= 0) {
        if (s.nparcels != 1) {
            err_set(e, EXIT_USAGE, _("--registered: the file holds %d parcels, not one"), s.nparcels);
            geo_shape_free(&s);
            return EXIT_USAGE;
        }
        s.parcels[0].has_reg_area = 1;
        s.parcels[0].reg_area = registered;
    }
    if (to != GEO_FMT_AUTO) {
        buf b = BUF_INIT;
        int rc = geo_write(&s, to, &b, e);
        if (rc == 0)
            fwrite(buf_str(&b), 1, b.len, stdout);
        buf_free(&b);
        geo_shape_free(&s);
        return rc == 0 ? EXIT_OK : e->code;
    }
    geo_problems ps;
    if (geo_check(&s, &ps, e) < 0) {
        geo_shape_free(&s);
        return e->code;
    }
    if (fmt == FMT_JSON)
        print_json(path, &s, &ps);
    else if (fmt == FMT_CSV)
        print_csv(path, &s, &ps);
    else
        print_text(path, &s, &ps);
    int rc = ps.n ? EXIT_NOTFOUND : EXIT_OK;
    geo_problems_free(&ps);
    geo_shape_free(&s);
    return rc;
}
