/* geo_formats.c — each coordinate file format taken apart (see geo_parse.c
 * for the formats): its records into points, rings and parcels, the
 * numbers kept as written for geo_parse.c to decide their meaning. */
#include "config.h"

#include "geo_parse_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

/* ---- the formats ---- */

int gp_read_pointlist(rd *r, build *b)
{
    geo_parcel *p = gp_new_parcel(b->s, r->n ? r->v[0].line : 1);
    geo_ring *g = NULL;
    int seen_point = 0;
    for (int i = 0; i < r->n; i++) {
        rec *c = &r->v[i];
        const char *f0 = gp_trim(c->f[0]);
        if (f0[0] == '*') {
            if (!g || g->n == 0)
                return gp_fail(r, c->line, _("a '*' line closes no ring: no points before it"));
            g->closed = 1;
            double v;
            if (c->n > 1 && *gp_trim(c->f[1])) {
                if (!gp_is_number(c->f[1], &v))
                    return gp_fail(r, c->line, _("top elevation '%s' is not a number"), c->f[1]);
                g->top = v, g->has_elev = 1;
            }
            if (c->n > 2 && *gp_trim(c->f[2])) {
                if (!gp_is_number(c->f[2], &v))
                    return gp_fail(r, c->line, _("bottom elevation '%s' is not a number"), c->f[2]);
                g->bottom = v, g->has_elev = 1;
            }
            if (c->n > 3 && *gp_trim(c->f[3]))
                g->name = xstrdup(gp_trim(c->f[3]));
            g->flag = 1;
            if (c->n > 4 && *gp_trim(c->f[4])) {
                const char *fl = gp_trim(c->f[4]);
                if (strcmp(fl, "1") == 0)
                    g->flag = 1;
                else if (strcmp(fl, "-1") == 0)
                    g->flag = -1;
                else
                    return gp_fail(r, c->line, _("ring flag '%s' is neither 1 (included) nor -1 (excluded)"), fl);
            }
            g->hole = g->flag == -1;
            g = NULL;
            continue;
        }
        /* a header: 拐点,X(起标高),Y(止标高) — told by its X and Y, not by
         * its first cell: a point may be named J1 */
        if (!seen_point && !gp_is_number(f0, NULL) &&
            !(c->n >= 3 && gp_is_number(c->f[1], NULL) && gp_is_number(c->f[2], NULL)))
            continue;
        if (c->n < 3)
            return gp_fail(r, c->line, _("not a point line (点号,X,Y) nor a ring's end (*,top,bottom,name,flag)"));
        if (!g)
            g = gp_new_ring(p, c->line);
        if (gp_add_point(b, r, g, f0, gp_trim(c->f[1]), gp_trim(c->f[2]), c->line) < 0)
            return -1;
        seen_point = 1;
    }
    if (!seen_point)
        return gp_fail(r, r->n ? r->v[r->n - 1].line : 1, _("no point lines in the point list"));
    return 0;
}

int gp_read_exchange(rd *r, build *b)
{
    enum { NONE, ATTR, COORDS } sec = NONE;
    geo_shape *s = b->s;
    geo_parcel *p = NULL;
    geo_ring *g = NULL;
    for (int i = 0; i < r->n; i++) {
        rec *c = &r->v[i];
        const char *f0 = gp_trim(c->f[0]);
        if (strncmp(f0, "[属性描述]", strlen("[属性描述]")) == 0) {
            sec = ATTR;
            continue;
        }
        if (strncmp(f0, "[地块坐标]", strlen("[地块坐标]")) == 0) {
            sec = COORDS;
            continue;
        }
        if (sec == NONE)
            return gp_fail(r, c->line, _("text before the first section ([属性描述] or [地块坐标])"));
        if (sec == ATTR) {
            const char *eq = strchr(f0, '=');
            if (!eq)
                return gp_fail(r, c->line, _("not a key=value line in [属性描述]: '%s'"), f0);
            /* a value may hold commas (转换参数=0,0,0,0,0,0,0): join it again */
            buf v = BUF_INIT;
            buf_puts(&v, eq + 1);
            for (int k = 1; k < c->n; k++) {
                buf_putc(&v, ',');
                buf_puts(&v, c->f[k]);
            }
            s->keys = xrealloc(s->keys, sizeof *s->keys * (size_t)(s->nattr + 1));
            s->vals = xrealloc(s->vals, sizeof *s->vals * (size_t)(s->nattr + 1));
            s->keys[s->nattr] = xstrndup(f0, (size_t)(eq - f0));
            s->vals[s->nattr] = xstrdup(gp_trim(v.s ? v.s : (char[]){0}));
            buf_free(&v);
            s->nattr++;   /* counted at once: geo_shape_free frees it on a failure below */
            if (strcmp(s->keys[s->nattr - 1], "带号") == 0 && !s->zone) {
                double z;
                if (!gp_is_number(s->vals[s->nattr - 1], &z) || z < 10 || z > 99 || z != floor(z))   /* 2 digits, as on Y */
                    return gp_fail(r, c->line, _("带号 '%s' is not a zone number"), s->vals[s->nattr - 1]);
                s->zone = (int)z;
            }
            continue;
        }
        /* [地块坐标]: a parcel's header line ends in @ */
        int last = c->n - 1;
        while (last > 0 && !*gp_trim(c->f[last]))
            last--;
        if (strcmp(gp_trim(c->f[last]), "@") == 0) {
            p = gp_new_parcel(s, c->line);
            g = NULL;
            double v;
            if (!gp_is_number(f0, &v) || v < 0 || v > 1e9 || v != floor(v))
                return gp_fail(r, c->line, _("a parcel's header begins with its point count, not '%s'"), f0);
            p->declared_points = (int)v;
            p->declared_line = c->line;
            if (c->n > 1 && *gp_trim(c->f[1])) {
                if (!gp_is_number(c->f[1], &v))
                    return gp_fail(r, c->line, _("the parcel's area '%s' is not a number"), c->f[1]);
                p->has_reg_area = 1, p->reg_area = v;
            }
            if (c->n > 2 && *gp_trim(c->f[2]) && last > 2)
                p->no = xstrdup(gp_trim(c->f[2]));
            if (c->n > 3 && *gp_trim(c->f[3]) && last > 3)
                p->name = xstrdup(gp_trim(c->f[3]));
            continue;
        }
        if (!p)
            return gp_fail(r, c->line, _("a point before the first parcel's header line (…,@)"));
        if (c->n < 4)
            return gp_fail(r, c->line, _("not a point line 点号,圈号,X,Y"));
        double ring;
        if (!gp_is_number(c->f[1], &ring) || ring < 1 || ring > 1e9 || ring != floor(ring))
            return gp_fail(r, c->line, _("圈号 '%s' is not a ring number"), c->f[1]);
        if (!g || g->no != (int)ring) {
            g = gp_new_ring(p, c->line);
            g->no = (int)ring;
        }
        if (gp_add_point(b, r, g, f0, gp_trim(c->f[2]), gp_trim(c->f[3]), c->line) < 0)
            return -1;
    }
    if (!s->nparcels)
        return gp_fail(r, r->n ? r->v[r->n - 1].line : 1, _("no parcel in [地块坐标]"));
    return 0;
}

/* Which column of a J table's header holds what. */
static int header_col(const char *h, int *id, int *ring, int *x, int *y, int i)
{
    static const char *const ids[] = {"点号", "拐点", "点名", "序号", "界址点号", "ID", "id", "J"};
    static const char *const rings[] = {"圈号", "环号", "圈"};
    static const char *const xs[] = {"X", "x", "纵坐标", "北坐标", "纬度", "N", "B"};
    static const char *const ys[] = {"Y", "y", "横坐标", "东坐标", "经度", "E", "L"};
    for (size_t k = 0; k < sizeof rings / sizeof *rings; k++)
        if (strstr(h, rings[k]) == h)
            return *ring = i, 1;
    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
        if (strstr(h, ids[k]) == h)
            return *id = i, 1;
    for (size_t k = 0; k < sizeof xs / sizeof *xs; k++)
        if (strstr(h, xs[k]) == h)
            return *x = i, 1;
    for (size_t k = 0; k < sizeof ys / sizeof *ys; k++)
        if (strstr(h, ys[k]) == h)
            return *y = i, 1;
    return 0;
}

int gp_read_jtable(rd *r, build *b)
{
    int id = 0, ring = -1, x = 1, y = 2, start = 0;
    if (r->n && !gp_is_number(r->v[0].f[r->v[0].n > 1 ? 1 : 0], NULL) &&
        !strstr(r->v[0].f[r->v[0].n > 1 ? 1 : 0], "°")) {
        rec *h = &r->v[0];
        id = ring = x = y = -1;
        for (int i = 0; i < h->n; i++)
            header_col(gp_trim(h->f[i]), &id, &ring, &x, &y, i);
        if (x < 0 || y < 0)
            return gp_fail(r, h->line, _("the J table's header names no X and Y columns: '%s'"), h->f[0]);
        start = 1;
    } else if (r->n && r->v[0].n >= 4) {
        ring = 1, x = 2, y = 3;   /* 点号,圈号,X,Y as in the exchange file */
    }
    geo_parcel *p = gp_new_parcel(b->s, r->n ? r->v[0].line : 1);
    geo_ring *g = NULL;
    for (int i = start; i < r->n; i++) {
        rec *c = &r->v[i];
        int need = x > y ? x : y;
        if (c->n <= need)
            return gp_fail(r, c->line, _("a J table row needs X and Y: '%s'"), c->f[0]);
        int no = 1;
        if (ring >= 0 && ring < c->n) {
            double v;
            if (!gp_is_number(c->f[ring], &v) || v < 1 || v > 1e9 || v != floor(v))
                return gp_fail(r, c->line, _("圈号 '%s' is not a ring number"), c->f[ring]);
            no = (int)v;
        }
        if (!g || g->no != no) {
            g = gp_new_ring(p, c->line);
            g->no = no;
            g->closed = 1;   /* a table's last point joins its first */
        }
        if (gp_add_point(b, r, g, id >= 0 && id < c->n ? gp_trim(c->f[id]) : NULL, gp_trim(c->f[x]),
                      gp_trim(c->f[y]), c->line) < 0)
            return -1;
    }
    if (!p->nrings)
        return gp_fail(r, r->n ? r->v[r->n - 1].line : 1, _("no points in the J table"));
    return 0;
}

int gp_read_xystring(rd *r, build *b)
{
    for (int i = 0; i < r->n; i++) {
        rec *c = &r->v[i];
        buf line = BUF_INIT;
        for (int k = 0; k < c->n; k++) {
            if (k)
                buf_putc(&line, ',');
            buf_puts(&line, c->f[k]);
        }
        char *text = buf_steal(&line);
        geo_parcel *p = gp_new_parcel(b->s, c->line);
        geo_ring *g = gp_new_ring(p, c->line);
        g->closed = 1;
        int rc = 0, np = 1;
        for (char *piece = text; piece && rc == 0; np++) {
            char *semi = strchr(piece, ';');
            if (semi)
                *semi = 0;
            const char *pc = gp_trim(piece);
            if (*pc) {
                const char *comma = strchr(pc, ',');
                if (!comma || strchr(comma + 1, ',')) {
                    rc = gp_fail(r, c->line, _("'%s' is not a point X,Y"), pc);
                    break;
                }
                char *xt = xstrndup(pc, (size_t)(comma - pc));
                char *idt = NULL;
                buf idb = BUF_INIT;
                buf_printf(&idb, "%d", np);
                idt = buf_steal(&idb);
                rc = gp_add_point(b, r, g, idt, gp_trim(xt), gp_trim((char *)comma + 1), c->line);
                free(xt);
                free(idt);
            }
            piece = semi ? semi + 1 : NULL;
        }
        free(text);
        if (rc < 0)
            return -1;
        if (g->n == 0)
            return gp_fail(r, c->line, _("no points on the line"));
    }
    return 0;
}
