/* geo_rules_use.c — the spatial rules about use (see geo_rules.c): one
 * holder per block (R-GEO-HOLDERS), new sand-and-gravel permits inside a
 * concentrated area and their safe distance (R-GEO-SAND-NEW,
 * R-GEO-SAND-NEAR), and the restriction layers (R-GEO-LAYER).  Nothing here
 * names a register: the roles and kinds come from the schema's tables. */
#include "config.h"

#include "geo_rules_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "i18n.h"
#include "rx.h"

/* ---- R-GEO-HOLDERS: one holder per block ---------------------------------------- */

typedef struct inblock {
    gs *block;           /* NULL: the block (blk_t, blk_rid) has no boundary */
    const table *blk_t;
    int64_t blk_rid;
    char *holder;
    const table *pt;
    char *pkey;          /* the permit's key as shown */
} inblock;

static int by_block(const void *x, const void *y)
{
    const inblock *a = x, *b = y;
    int t = strcmp(a->blk_t->id, b->blk_t->id);
    if (t)
        return t;
    if (a->blk_rid != b->blk_rid)
        return a->blk_rid < b->blk_rid ? -1 : 1;
    int h = strcmp(a->holder, b->holder);
    return h ? h : strcmp(a->pkey, b->pkey);
}

static void inblock_add(inblock **v, int *n, int *cap, const table *bt, int64_t brid,
                        const char *holder, const table *pt, const char *pkey)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        *v = xrealloc(*v, sizeof **v * (size_t)*cap);
    }
    (*v)[(*n)++] = (inblock){.blk_t = bt, .blk_rid = brid, .holder = xstrdup(holder), .pt = pt, .pkey = xstrdup(pkey)};
}

void rule_geo_holders(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    inblock *v = NULL;
    int n = 0, cap = 0;
    /* by link: every permit row naming a block */
    for (int k = 0; k < G->nkinds && !c->failed; k++) {
        const table *pt = ctx_table(c, G->kinds[k].tbl);
        int hci = pt ? table_role(pt, "holder") : -1;
        if (!pt || gr_kind_of(G, pt->id) != K_PERMIT || hci < 0)
            continue;
        for (int ci = 0; ci < pt->ncols && !c->failed; ci++) {
            const column *col = &pt->cols[ci];
            if (col->link_ti < 0 || col->multi || gr_kind_of(G, c->s->tables[col->link_ti].id) != K_BLOCK)
                continue;
            const table *bt = &c->s->tables[col->link_ti];
            db_filter f = {.ci = ci, .op = DBF_EMPTY, .neg = 1};
            cursor *cur = db_select(c->d, pt, &f, 1, -1, 0, -1, c->e);
            if (!cur) {
                c->failed = 1;
                break;
            }
            int rc;
            while ((rc = cursor_next(cur)) == 1) {
                const char *bv = cursor_val(cur, ci), *hv = cursor_val(cur, hci);
                int64_t brid;
                if (!hv || !*hv || !bv)
                    continue;
                int frc = db_find_by(c->d, bt, col->link_ci, bv, &brid, c->e);
                if (frc == DB_ERROR) {
                    c->failed = 1;
                    break;
                }
                if (frc == DB_FOUND) {
                    buf pk = BUF_INIT;
                    ctx_row_key(pt, cur, &pk);
                    inblock_add(&v, &n, &cap, bt, brid, hv, pt, buf_str(&pk));
                    buf_free(&pk);
                }
            }
            if (rc < 0) {
                cursor_fail(cur, EXIT_DB, c->e);
                c->failed = 1;
            }
            cursor_free(cur);
        }
    }
    /* by boundary: every permit whose boundary overlaps a block's */
    const ov_hits *h = c->failed ? NULL : gr_geo_hits(c);
    for (int i = 0; h && i < h->n && !c->failed; i++) {
        gs *a = gr_shape_of(G, h->v[i].tbl_a, h->v[i].rid_a), *b = gr_shape_of(G, h->v[i].tbl_b, h->v[i].rid_b);
        if (!a || !b)
            continue;
        gs *blk = a->kind == K_BLOCK && b->kind == K_PERMIT ? a : b->kind == K_BLOCK && a->kind == K_PERMIT ? b : NULL;
        if (!blk)
            continue;
        gs *p = blk == a ? b : a;
        int hci = table_role(p->t, "holder");
        cursor *cur = hci >= 0 ? gr_row_of(c, p->t, p->rid) : NULL;
        const char *hv = cur ? cursor_val(cur, hci) : NULL;
        if (hv && *hv)
            inblock_add(&v, &n, &cap, blk->t, blk->rid, hv, p->t, p->key);
        cursor_free(cur);
    }
    if (n > 1)
        qsort(v, (size_t)n, sizeof *v, by_block);
    for (int i = 0; i < n && !c->failed;) {
        int j = i, holders = 0;
        buf list = BUF_INIT;
        for (; j < n && v[j].blk_t == v[i].blk_t && v[j].blk_rid == v[i].blk_rid; j++)
            if (j == i || strcmp(v[j].holder, v[j - 1].holder) != 0) {
                holders++;
                buf_printf(&list, "%s%s (%s %s)", holders > 1 ? "; " : "", v[j].holder,
                           v[j].pt->id, v[j].pkey);
            }
        if (holders > 1 && ctx_wants(c, v[i].blk_t, NULL)) {
            cursor *cur = gr_row_of(c, v[i].blk_t, v[i].blk_rid);
            if (cur) {
                buf key = BUF_INIT;
                ctx_row_key(v[i].blk_t, cur, &key);
                ctx_add(c, r, v[i].blk_t, v[i].blk_rid, buf_str(&key), -1, NULL, NULL,
                        _("%d holders in one block: %s"), holders, buf_str(&list));
                buf_free(&key);
                cursor_free(cur);
            }
        }
        buf_free(&list);
        i = j;
    }
    for (int i = 0; i < n; i++) {
        free(v[i].holder);
        free(v[i].pkey);
    }
    free(v);
}

/* ---- the sand rules: R-GEO-SAND-NEW, R-GEO-SAND-NEAR --------------------------- */

/* Does the row under cur have role (a column and a pattern) — an item of a
 * multi-valued column matching counts?  1, 0, or -1 (c->failed). */
static int row_has(check_ctx *c, const table *t, cursor *cur, const db_geo_role *ro)
{
    int ci = table_col(t, ro->col);
    if (!*ro->col)
        return 1;
    const char *v = ci >= 0 ? cursor_val(cur, ci) : NULL;
    if (!v || !*v)
        return 0;
    if (!*ro->pattern)
        return 1;
    rx *x = rx_compile(ro->pattern, 0, c->e);
    if (!x) {
        c->failed = 1;
        return -1;
    }
    int hit = 0;
    for (const char *p = v; p && !hit;) {
        const char *semi = t->cols[ci].multi ? strchr(p, ';') : NULL;
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        int m = rx_search(x, p, len, NULL, NULL, c->e);
        if (m < 0) {
            c->failed = 1;
            hit = -1;
            break;
        }
        hit = m;
        p = semi ? semi + 1 : NULL;
    }
    rx_free(x);
    return hit;
}

/* Is x a 砂石土 permit (and, with new, a new one)?  1, 0, -1. */
static int sand_permit(check_ctx *c, gs *x, int new_only)
{
    const db_geo_role *sp = gr_role_of(c->geo, x->t->id, "sand_permit");
    if (x->kind != K_PERMIT || !sp)
        return 0;
    cursor *cur = gr_row_of(c, x->t, x->rid);
    if (!cur)
        return c->failed ? -1 : 0;
    int yes = row_has(c, x->t, cur, sp);
    const db_geo_role *nw = gr_role_of(c->geo, x->t->id, "new");
    if (yes == 1 && new_only)
        yes = nw ? row_has(c, x->t, cur, nw) : 0;
    cursor_free(cur);
    return yes;
}

void rule_geo_sand_new(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    const ov_hits *h = NULL;
    gs **areas = NULL;
    int cap = 0;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *a = &G->v[i];
        if (a->kind != K_PERMIT || !ctx_wants(c, a->t, NULL) || sand_permit(c, a, 1) != 1)
            continue;
        if (!h && !(h = gr_geo_hits(c)))
            break;
        int na = 0;
        for (int k = 0; k < h->n; k++) {
            gs *p = gr_shape_of(G, h->v[k].tbl_a, h->v[k].rid_a), *q = gr_shape_of(G, h->v[k].tbl_b, h->v[k].rid_b);
            gs *other = p == a ? q : q == a ? p : NULL;
            if (!other || !gr_role_of(G, other->t->id, "sand_area"))
                continue;
            if (na == cap) {
                cap = cap ? cap * 2 : 8;
                areas = xrealloc(areas, sizeof *areas * (size_t)cap);
            }
            areas[na++] = other;
        }
        double out = gr_outside_km2(G, a, areas, na);
        if (out >= 0 && geo_round4(out) > 0)
            ctx_add(c, r, a->t, a->rid, a->key, -1, NULL, NULL,
                    na ? _("a new 砂石土 permit: %.4f km² of it lies outside every 集中开采区")
                       : _("a new 砂石土 permit outside every 集中开采区 (%.4f km²)"),
                    geo_round4(out));
    }
    free(areas);
}

/* The configured safe distance in metres (minreg_meta geo_sand_distance_m;
 * GEO_SAND_DISTANCE_M when unset or not a positive number). */
double check_geo_sand_distance(db *d, mr_err *e, int *failed)
{
    char *v = NULL;
    int frc = db_meta_get(d, "geo_sand_distance_m", &v, e);
    *failed = frc == DB_ERROR;
    char *end = NULL;
    double m = v ? strtod(v, &end) : 0;
    double out = v && end && end != v && *end == 0 && m > 0 && isfinite(m) ? m : GEO_SAND_DISTANCE_M;
    free(v);
    return out;
}

void rule_geo_sand_near(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    double within = -1;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *a = &G->v[i];
        if (!gr_role_of(G, a->t->id, "sand_area"))
            continue;
        if (within < 0) {
            int failed;
            within = check_geo_sand_distance(c->d, c->e, &failed);
            if (failed) {
                c->failed = 1;
                return;
            }
        }
        ov_hits near;
        if (near_find(c->d, a->t->id, a->rid, within, &near, c->e) < 0) {
            c->failed = 1;
            return;
        }
        for (int k = 0; k < near.n && !c->failed; k++) {
            gs *b = gr_shape_of(G, near.v[k].tbl_b, near.v[k].rid_b);
            if (!b || b->kind != K_PERMIT || sand_permit(c, b, 0) != 0)
                continue;
            buf nb = BUF_INIT;
            gr_name_of(b, &nb);
            if (near.v[k].metres > 0)
                ctx_add_other(c, r, a->t, a->rid, a->key, -1, b->t, b->rid,
                        _("%.1f m from the non-sand permit %s (the safe distance is %g m)"),
                        near.v[k].metres, buf_str(&nb), within);
            else
                ctx_add_other(c, r, a->t, a->rid, a->key, -1, b->t, b->rid,
                        _("meets the non-sand permit %s (the safe distance is %g m)"), buf_str(&nb),
                        within);
            buf_free(&nb);
        }
        ov_hits_free(&near);
    }
}

/* ---- R-GEO-LAYER: restriction layers ----------------------------------------------- */

typedef struct layer_hit {
    check_ctx *c;
    const check_rule *r;
    gs *a;
} layer_hit;

static int layer_one(void *arg, int64_t id, const char *layer, int fid, const char *label,
                     const char *text)
{
    (void)id;
    layer_hit *L = arg;
    struct geo_state *G = L->c->geo;
    geo_shape s;
    mr_err de = {0};
    if (!text || boundary_decode(text, &s, &de) < 0)
        return 0;
    GEOSGeometry *g = ov_shape_geom(G->h, &s, L->a->zone);
    geo_shape_free(&s);
    if (!g)
        return 0;
    double km2 = 0;
    if (GEOSIntersects_r(G->h, L->a->g, g) == 1 && GEOSTouches_r(G->h, L->a->g, g) != 1) {
        GEOSGeometry *i = GEOSIntersection_r(G->h, L->a->g, g);
        if (i) {
            km2 = ov_geom_km2(G->h, i, L->a->zone);
            GEOSGeom_destroy_r(G->h, i);
        }
    }
    GEOSGeom_destroy_r(G->h, g);
    if (geo_round4(km2) > 0) {
        if (label && *label)
            ctx_add(L->c, L->r, L->a->t, L->a->rid, L->a->key, -1, NULL, NULL,
                    _("overlaps layer %s, feature %d (%s), by %.4f km²"), layer, fid, label,
                    geo_round4(km2));
        else
            ctx_add(L->c, L->r, L->a->t, L->a->rid, L->a->key, -1, NULL, NULL,
                    _("overlaps layer %s, feature %d, by %.4f km²"), layer, fid, geo_round4(km2));
    }
    return 0;
}

void rule_geo_layer(check_ctx *c, const check_rule *r)
{
    if (gr_geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    if (!G->n)
        return;
    int64_t nf = db_layer_nfeatures(c->d, c->e);
    if (nf < 0) {
        c->failed = 1;
        return;
    }
    for (int i = 0; nf > 0 && i < G->n && !c->failed; i++) {
        gs *a = &G->v[i];
        double x0, x1, y0, y1;
        if (!a->g || !ctx_wants(c, a->t, NULL) || boundary_box(&a->s, &x0, &x1, &y0, &y1) < 0)
            continue;
        layer_hit L = {c, r, a};
        if (db_layer_candidates(c->d, x0, x1, y0, y1, layer_one, &L, c->e) < 0)
            c->failed = 1;
    }
}
