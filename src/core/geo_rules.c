/* geo_rules.c — the spatial rules of `check` (R-GEO-*, issue 17), over
 * the boundaries records hold and the restriction layers imported.
 *
 * Nothing here names a register: which registers hold permits, blocks or
 * areas is minreg_boundary_tables' kind; which are 市级以上 key areas,
 * 集中开采区, 砂石土 permits or new permits, and which column is the
 * registered 面积, is minreg_geo_roles; which permit lies in which block
 * (and block in which key area) is the links of minreg_columns; the holder
 * is minreg_roles' 'holder'; the safe distance is minreg_meta's
 * geo_sand_distance_m.  Shapes are compared as overlap.c compares them
 * (geo_geos.h): the second brought into the first one's zone plane, so
 * zones 41 and 42 meet in one system, and every area is the official one.
 *
 * The boundaries are read once per run (geo_load) and kept in the check
 * context; the overlapping pairs are found once (overlaps_find) and shared
 * by the rules that need them.
 */
#include "config.h"

#include "geo_rules_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "db_geo.h"
#include "geo.h"
#include "geo_geos.h"
#include "i18n.h"
#include "overlap.h"
#include "rx.h"


static void geos_quiet(const char *fmt, ...) { (void)fmt; }

int gr_kind_of(const struct geo_state *G, const char *tbl)
{
    for (int i = 0; i < G->nkinds; i++)
        if (strcmp(G->kinds[i].tbl, tbl) == 0)
            return !strcmp(G->kinds[i].role, "permit") ? K_PERMIT
                   : !strcmp(G->kinds[i].role, "block") ? K_BLOCK
                                                        : K_AREA;
    return K_NONE;
}

const db_geo_role *gr_role_of(const struct geo_state *G, const char *tbl, const char *role)
{
    for (int i = 0; i < G->nroles; i++)
        if (strcmp(G->roles[i].tbl, tbl) == 0 && strcmp(G->roles[i].role, role) == 0)
            return &G->roles[i];
    return NULL;
}

static int by_table_rid(const void *x, const void *y)
{
    const gs *a = x, *b = y;
    int t = strcmp(a->t->id, b->t->id);
    return t ? t : (a->rid > b->rid) - (a->rid < b->rid);
}

gs *gr_shape_of(struct geo_state *G, const char *tbl, int64_t rid)
{
    int lo = 0, hi = G->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int t = strcmp(G->v[mid].t->id, tbl);
        if (t == 0)
            t = (G->v[mid].rid > rid) - (G->v[mid].rid < rid);
        if (t == 0)
            return &G->v[mid];
        if (t < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* One row's column values: a cursor on it, or NULL (the run fails). */
cursor *gr_row_of(check_ctx *c, const table *t, int64_t rid)
{
    cursor *cur = db_select_rowid(c->d, t, rid, c->e);
    if (!cur) {
        c->failed = 1;
        return NULL;
    }
    int rc = cursor_next(cur);
    if (rc < 0) {
        cursor_fail(cur, EXIT_DB, c->e);
        c->failed = 1;
    }
    if (rc != 1) {
        cursor_free(cur);
        return NULL;
    }
    return cur;
}

/* Read every boundary once: 0, or -1 (c->failed). */
int gr_geo_load(check_ctx *c)
{
    if (c->geo)
        return c->failed ? -1 : 0;
    struct geo_state *G = c->geo = xcalloc(1, sizeof *G);
    G->h = GEOS_init_r();
    if (!G->h) {
        err_set(c->e, EXIT_INTERNAL, "%s", _("GEOS could not be started"));
        c->failed = 1;
        return -1;
    }
    GEOSContext_setNoticeHandler_r(G->h, geos_quiet);
    GEOSContext_setErrorHandler_r(G->h, geos_quiet);
    if (db_geo_roles(c->d, 1, &G->kinds, &G->nkinds, c->e) < 0 ||
        db_geo_roles(c->d, 0, &G->roles, &G->nroles, c->e) < 0) {
        c->failed = 1;
        return -1;
    }
    int cap = 0;
    for (int k = 0; k < G->nkinds; k++) {
        const table *t = ctx_table(c, G->kinds[k].tbl);
        if (!t)
            continue;
        int64_t *rids;
        int nr;
        mr_err se = {0};
        if (db_shape_rids(c->d, t->id, &rids, &nr, &se) < 0) {
            ctx_fail(c, t, se.msg);
            return -1;
        }
        for (int i = 0; i < nr; i++) {
            char *text = NULL;
            if (db_shape_text(c->d, t->id, rids[i], &text, &se) == DB_ERROR) {
                free(rids);
                ctx_fail(c, t, se.msg);
                return -1;
            }
            geo_shape s;
            mr_err de = {0};
            if (!text || boundary_decode(text, &s, &de) < 0) {
                free(text);
                continue;   /* verify says a stored boundary is damaged */
            }
            free(text);
            cursor *cur = gr_row_of(c, t, rids[i]);
            if (!cur) {
                geo_shape_free(&s);
                if (c->failed) {
                    free(rids);
                    return -1;
                }
                continue;
            }
            if (G->n == cap) {
                cap = cap ? cap * 2 : 64;
                G->v = xrealloc(G->v, sizeof *G->v * (size_t)cap);
            }
            gs *x = &G->v[G->n++];
            memset(x, 0, sizeof *x);
            x->t = t;
            x->rid = rids[i];
            x->kind = gr_kind_of(G, t->id);
            x->s = s;
            x->zone = ov_home_zone(&x->s);
            x->g = ov_shape_geom(G->h, &x->s, x->zone);
            buf k2 = BUF_INIT;
            ctx_row_key(t, cur, &k2);
            x->key = buf_steal(&k2);
            cursor_free(cur);
        }
        free(rids);
    }
    if (G->n > 1)
        qsort(G->v, (size_t)G->n, sizeof *G->v, by_table_rid);
    return 0;
}

const ov_hits *gr_geo_hits(check_ctx *c)
{
    struct geo_state *G = c->geo;
    if (!G->hits_done) {
        G->hits_done = 1;
        if (G->n > 1 && overlaps_find(c->d, NULL, 0, &G->hits, c->e) < 0)
            c->failed = 1;
    }
    return &G->hits;
}

void check_geo_free(check_ctx *c)
{
    struct geo_state *G = c->geo;
    if (!G)
        return;
    for (int i = 0; i < G->n; i++) {
        if (G->v[i].g)
            GEOSGeom_destroy_r(G->h, G->v[i].g);
        geo_shape_free(&G->v[i].s);
        free(G->v[i].key);
    }
    free(G->v);
    ov_hits_free(&G->hits);
    db_geo_roles_free(G->roles, G->nroles);
    db_geo_roles_free(G->kinds, G->nkinds);
    if (G->h)
        GEOS_finish_r(G->h);
    free(G);
    c->geo = NULL;
}

/* x's geometry in zone's plane: its own (borrowed, *own 0) or a new one. */
static GEOSGeometry *geom_in(struct geo_state *G, gs *x, int zone, int *own)
{
    *own = zone != x->zone;
    return *own ? ov_shape_geom(G->h, &x->s, zone) : x->g;
}

/* The official area (km²) of the part of a outside every one of bs; -1
 * when GEOS cannot say. */
double gr_outside_km2(struct geo_state *G, gs *a, gs *const *bs, int nb)
{
    if (!a->g)
        return -1;
    GEOSGeometry *rest = GEOSGeom_clone_r(G->h, a->g);
    for (int i = 0; rest && i < nb; i++) {
        int own;
        GEOSGeometry *b = geom_in(G, bs[i], a->zone, &own);
        if (!b)
            continue;
        GEOSGeometry *d = GEOSDifference_r(G->h, rest, b);
        if (own)
            GEOSGeom_destroy_r(G->h, b);
        GEOSGeom_destroy_r(G->h, rest);
        rest = d;
    }
    if (!rest)
        return -1;
    double km2 = GEOSisEmpty_r(G->h, rest) == 1 ? 0 : ov_geom_km2(G->h, rest, a->zone);
    GEOSGeom_destroy_r(G->h, rest);
    return km2;
}

/* "mining_permits 5" as findings name another record */
/* The other record of a finding: by the register's title in Chinese (the
 * clerk's words), by its id in English (the register column's words). */
void gr_name_of(const gs *x, buf *b)
{
    buf_printf(b, "%s %s", i18n_is_zh() && *x->t->title ? x->t->title : x->t->id, x->key);
}

/* ---- R-GEO-SHAPE ------------------------------------------------------------ */

void rule_geo_shape(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *x = &G->v[i];
        if (!ctx_wants(c, x->t, NULL))
            continue;
        geo_problems ps;
        mr_err ge = {0};
        if (geo_check(&x->s, &ps, &ge) < 0) {
            err_set(c->e, ge.code ? ge.code : EXIT_INTERNAL, "%s", ge.msg);
            c->failed = 1;
            return;
        }
        for (int k = 0; k < ps.n; k++) {
            const geo_problem *p = &ps.v[k];
            /* R-GEO-AREA compares the register's 面积; a stored boundary has
             * no exchange header, and its canonical text is written at the
             * standard's precision (0.01 m; 10⁻⁹° for degrees) */
            if (!strcmp(p->rule->id, "G-AREA") || !strcmp(p->rule->id, "G-COUNT") ||
                !strcmp(p->rule->id, "G-PREC"))
                continue;
            ctx_add(c, r, x->t, x->rid, x->key, -1, NULL, _(p->rule->source), _("boundary: %s: %s"),
                    p->rule->id, p->msg);
        }
        geo_problems_free(&ps);
    }
}

/* ---- R-GEO-AREA --------------------------------------------------------------- */

void rule_geo_area(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *x = &G->v[i];
        const db_geo_role *ar = gr_role_of(G, x->t->id, "area");
        int ci = ar ? table_col(x->t, ar->col) : -1;
        if (ci < 0 || !ctx_wants(c, x->t, NULL))
            continue;
        double km2 = geo_parcel_area(&x->s, &x->s.parcels[0]);
        if (km2 < 0)
            continue;   /* R-GEO-SHAPE says why */
        cursor *cur = gr_row_of(c, x->t, x->rid);
        if (!cur)
            continue;
        const char *v = cursor_val(cur, ci);
        char *end = NULL;
        double reg = v && *v ? strtod(v, &end) : 0;
        if (v && *v && end && *end == 0 && geo_round4(km2) != geo_round4(reg))
            ctx_add(c, r, x->t, x->rid, x->key, ci, NULL, NULL,
                    _("the boundary's official area is %.4f km², the register's %s %.4f km² "
                      "(differs by %.4f)"),
                    geo_round4(km2), x->t->cols[ci].label, geo_round4(reg),
                    fabs(geo_round4(km2) - geo_round4(reg)));
        cursor_free(cur);
    }
}

/* ---- overlaps: R-GEO-OVERLAP, R-GEO-SAND-KEY ----------------------------------- */

void rule_geo_overlap(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    const ov_hits *h = gr_geo_hits(c);
    for (int i = 0; i < h->n && !c->failed; i++) {
        gs *a = gr_shape_of(G, h->v[i].tbl_a, h->v[i].rid_a), *b = gr_shape_of(G, h->v[i].tbl_b, h->v[i].rid_b);
        if (!a || !b)
            continue;
        buf nb = BUF_INIT;
        gr_name_of(b, &nb);
        if (r->arg == 0 && a->kind == K_PERMIT && b->kind == K_PERMIT) {
            ctx_add_other(c, r, a->t, a->rid, a->key, -1, b->t, b->rid,
                    a->t == b->t ? _("overlaps %s by %.4f km²")
                                 : _("overlaps %s (the other kind of permit) by %.4f km²"),
                    buf_str(&nb), geo_round4(h->v[i].km2));
        } else if (r->arg == 1) {
            gs *sand = gr_role_of(G, a->t->id, "sand_area") ? a : gr_role_of(G, b->t->id, "sand_area") ? b : NULL;
            gs *key = sand == a ? b : a;
            if (sand && gr_role_of(G, key->t->id, "key_area")) {
                buf_reset(&nb);
                gr_name_of(key, &nb);
                ctx_add_other(c, r, sand->t, sand->rid, sand->key, -1, key->t, key->rid,
                        _("the 集中开采区 overlaps the key area %s by %.4f km²"), buf_str(&nb),
                        geo_round4(h->v[i].km2));
            }
        }
        buf_free(&nb);
    }
}

/* ---- R-GEO-IN-BLOCK, R-GEO-IN-AREA: inside what the record links to ----------- */

void rule_geo_inside(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    int want_kind = r->arg == 0 ? K_BLOCK : K_AREA;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *a = &G->v[i];
        if (a->kind == K_AREA || (want_kind == K_BLOCK && a->kind != K_PERMIT) ||
            !ctx_wants(c, a->t, NULL))
            continue;
        cursor *cur = NULL;
        for (int ci = 0; ci < a->t->ncols && !c->failed; ci++) {
            const column *col = &a->t->cols[ci];
            if (col->link_ti < 0 || col->multi)
                continue;
            const table *u = &c->s->tables[col->link_ti];
            if (gr_kind_of(G, u->id) != want_kind)
                continue;
            if (!cur && !(cur = gr_row_of(c, a->t, a->rid)))
                break;
            const char *v = cursor_val(cur, ci);
            if (!v || !*v)
                continue;
            int64_t urid;
            int frc = db_find_by(c->d, u, col->link_ci, v, &urid, c->e);
            if (frc == DB_ERROR) {
                c->failed = 1;
                break;
            }
            gs *b = frc == DB_FOUND ? gr_shape_of(G, u->id, urid) : NULL;
            if (!b)
                continue;   /* R-LINK says a missing one; no boundary: nothing to compare */
            double out = gr_outside_km2(G, a, &b, 1);
            if (out >= 0 && geo_round4(out) > 0) {
                buf nb = BUF_INIT;
                gr_name_of(b, &nb);
                ctx_add_other(c, r, a->t, a->rid, a->key, ci, u, b->rid,
                        _("%.4f km² of the boundary lies outside its %s %s"), geo_round4(out),
                        col->label, buf_str(&nb));
                buf_free(&nb);
            }
        }
        cursor_free(cur);
    }
}
