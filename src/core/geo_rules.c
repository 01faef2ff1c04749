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

#include "check_rules.h"
#include "check_geo.h"

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

enum { K_NONE, K_PERMIT, K_BLOCK, K_AREA };

typedef struct gs {
    const table *t;
    int64_t rid;
    int kind;
    geo_shape s;
    int zone;            /* the plane it is compared in */
    GEOSGeometry *g;     /* in that plane; NULL: cannot be made */
    char *key;           /* the record's key as shown */
} gs;

struct geo_state {
    GEOSContextHandle_t h;
    gs *v;
    int n;
    db_geo_role *roles, *kinds;
    int nroles, nkinds;
    ov_hits hits;        /* every overlapping pair of the register's shapes */
    int hits_done;
};

static void geos_quiet(const char *fmt, ...) { (void)fmt; }

static int kind_of(const struct geo_state *G, const char *tbl)
{
    for (int i = 0; i < G->nkinds; i++)
        if (strcmp(G->kinds[i].tbl, tbl) == 0)
            return !strcmp(G->kinds[i].role, "permit") ? K_PERMIT
                   : !strcmp(G->kinds[i].role, "block") ? K_BLOCK
                                                        : K_AREA;
    return K_NONE;
}

static const db_geo_role *role_of(const struct geo_state *G, const char *tbl, const char *role)
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

static gs *shape_of(struct geo_state *G, const char *tbl, int64_t rid)
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
static cursor *row_of(check_ctx *c, const table *t, int64_t rid)
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
static int geo_load(check_ctx *c)
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
            cursor *cur = row_of(c, t, rids[i]);
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
            x->kind = kind_of(G, t->id);
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

static const ov_hits *geo_hits(check_ctx *c)
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
static double outside_km2(struct geo_state *G, gs *a, gs *const *bs, int nb)
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
static void name_of(const gs *x, buf *b)
{
    buf_printf(b, "%s %s", i18n_is_zh() && *x->t->title ? x->t->title : x->t->id, x->key);
}

/* ---- R-GEO-SHAPE ------------------------------------------------------------ */

void rule_geo_shape(check_ctx *c, const check_rule *r)
{
    if (geo_load(c) < 0)
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
    if (geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *x = &G->v[i];
        const db_geo_role *ar = role_of(G, x->t->id, "area");
        int ci = ar ? table_col(x->t, ar->col) : -1;
        if (ci < 0 || !ctx_wants(c, x->t, NULL))
            continue;
        double km2 = geo_parcel_area(&x->s, &x->s.parcels[0]);
        if (km2 < 0)
            continue;   /* R-GEO-SHAPE says why */
        cursor *cur = row_of(c, x->t, x->rid);
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
    if (geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    const ov_hits *h = geo_hits(c);
    for (int i = 0; i < h->n && !c->failed; i++) {
        gs *a = shape_of(G, h->v[i].tbl_a, h->v[i].rid_a), *b = shape_of(G, h->v[i].tbl_b, h->v[i].rid_b);
        if (!a || !b)
            continue;
        buf nb = BUF_INIT;
        name_of(b, &nb);
        if (r->arg == 0 && a->kind == K_PERMIT && b->kind == K_PERMIT) {
            ctx_add_other(c, r, a->t, a->rid, a->key, -1, b->t, b->rid,
                    a->t == b->t ? _("overlaps %s by %.4f km²")
                                 : _("overlaps %s (the other kind of permit) by %.4f km²"),
                    buf_str(&nb), geo_round4(h->v[i].km2));
        } else if (r->arg == 1) {
            gs *sand = role_of(G, a->t->id, "sand_area") ? a : role_of(G, b->t->id, "sand_area") ? b : NULL;
            gs *key = sand == a ? b : a;
            if (sand && role_of(G, key->t->id, "key_area")) {
                buf_reset(&nb);
                name_of(key, &nb);
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
    if (geo_load(c) < 0)
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
            if (kind_of(G, u->id) != want_kind)
                continue;
            if (!cur && !(cur = row_of(c, a->t, a->rid)))
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
            gs *b = frc == DB_FOUND ? shape_of(G, u->id, urid) : NULL;
            if (!b)
                continue;   /* R-LINK says a missing one; no boundary: nothing to compare */
            double out = outside_km2(G, a, &b, 1);
            if (out >= 0 && geo_round4(out) > 0) {
                buf nb = BUF_INIT;
                name_of(b, &nb);
                ctx_add_other(c, r, a->t, a->rid, a->key, ci, u, b->rid,
                        _("%.4f km² of the boundary lies outside its %s %s"), geo_round4(out),
                        col->label, buf_str(&nb));
                buf_free(&nb);
            }
        }
        cursor_free(cur);
    }
}

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
    if (geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    inblock *v = NULL;
    int n = 0, cap = 0;
    /* by link: every permit row naming a block */
    for (int k = 0; k < G->nkinds && !c->failed; k++) {
        const table *pt = ctx_table(c, G->kinds[k].tbl);
        int hci = pt ? table_role(pt, "holder") : -1;
        if (!pt || kind_of(G, pt->id) != K_PERMIT || hci < 0)
            continue;
        for (int ci = 0; ci < pt->ncols && !c->failed; ci++) {
            const column *col = &pt->cols[ci];
            if (col->link_ti < 0 || col->multi || kind_of(G, c->s->tables[col->link_ti].id) != K_BLOCK)
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
    const ov_hits *h = c->failed ? NULL : geo_hits(c);
    for (int i = 0; h && i < h->n && !c->failed; i++) {
        gs *a = shape_of(G, h->v[i].tbl_a, h->v[i].rid_a), *b = shape_of(G, h->v[i].tbl_b, h->v[i].rid_b);
        if (!a || !b)
            continue;
        gs *blk = a->kind == K_BLOCK && b->kind == K_PERMIT ? a : b->kind == K_BLOCK && a->kind == K_PERMIT ? b : NULL;
        if (!blk)
            continue;
        gs *p = blk == a ? b : a;
        int hci = table_role(p->t, "holder");
        cursor *cur = hci >= 0 ? row_of(c, p->t, p->rid) : NULL;
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
            cursor *cur = row_of(c, v[i].blk_t, v[i].blk_rid);
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
    const db_geo_role *sp = role_of(c->geo, x->t->id, "sand_permit");
    if (x->kind != K_PERMIT || !sp)
        return 0;
    cursor *cur = row_of(c, x->t, x->rid);
    if (!cur)
        return c->failed ? -1 : 0;
    int yes = row_has(c, x->t, cur, sp);
    const db_geo_role *nw = role_of(c->geo, x->t->id, "new");
    if (yes == 1 && new_only)
        yes = nw ? row_has(c, x->t, cur, nw) : 0;
    cursor_free(cur);
    return yes;
}

void rule_geo_sand_new(check_ctx *c, const check_rule *r)
{
    if (geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    const ov_hits *h = NULL;
    gs **areas = NULL;
    int cap = 0;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *a = &G->v[i];
        if (a->kind != K_PERMIT || !ctx_wants(c, a->t, NULL) || sand_permit(c, a, 1) != 1)
            continue;
        if (!h && !(h = geo_hits(c)))
            break;
        int na = 0;
        for (int k = 0; k < h->n; k++) {
            gs *p = shape_of(G, h->v[k].tbl_a, h->v[k].rid_a), *q = shape_of(G, h->v[k].tbl_b, h->v[k].rid_b);
            gs *other = p == a ? q : q == a ? p : NULL;
            if (!other || !role_of(G, other->t->id, "sand_area"))
                continue;
            if (na == cap) {
                cap = cap ? cap * 2 : 8;
                areas = xrealloc(areas, sizeof *areas * (size_t)cap);
            }
            areas[na++] = other;
        }
        double out = outside_km2(G, a, areas, na);
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
    if (geo_load(c) < 0)
        return;
    struct geo_state *G = c->geo;
    double within = -1;
    for (int i = 0; i < G->n && !c->failed; i++) {
        gs *a = &G->v[i];
        if (!role_of(G, a->t->id, "sand_area"))
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
            gs *b = shape_of(G, near.v[k].tbl_b, near.v[k].rid_b);
            if (!b || b->kind != K_PERMIT || sand_permit(c, b, 0) != 0)
                continue;
            buf nb = BUF_INIT;
            name_of(b, &nb);
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
    if (geo_load(c) < 0)
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
