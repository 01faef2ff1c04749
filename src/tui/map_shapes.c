/* map_shapes.c — the map screen's shapes (see map.c): the record's and its
 * neighbours' boundaries brought into the record's Gauss–Krüger plane, the
 * neighbours in view from the R*Tree (at most MAP_MAX), and the raster the
 * screen draws. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/map_int.h"

int map_ascii(void) { return tui_options()->ascii || text_ambiguous_wide(); }

static void shape_free(mshape *m)
{
    for (int i = 0; i < m->nr; i++)
        free(m->r[i].en);
    free(m->r);
    free(m->label);
    memset(m, 0, sizeof *m);
}

/* s's rings in zone's plane into m; 0, or -1 when a point cannot be
 * projected (the shape is then not drawn). */
static int project(const geo_shape *s, int zone, mshape *m)
{
    m->box[0] = m->box[2] = 1e300;
    m->box[1] = m->box[3] = -1e300;
    m->km2 = -1;
    if (!s->nparcels)
        return -1;
    const geo_parcel *p = &s->parcels[0];
    m->r = xcalloc((size_t)(p->nrings ? p->nrings : 1), sizeof *m->r);
    for (int ri = 0; ri < p->nrings; ri++) {
        const geo_ring *r = &p->rings[ri];
        mring *o = &m->r[m->nr++];
        o->en = xmalloc(sizeof *o->en * 2 * (size_t)(r->n ? r->n : 1));
        for (int i = 0; i < r->n; i++) {
            const geo_point *q = &r->pts[i];
            double e = q->y, n = q->x, lat, lon;
            if (s->geodetic || q->zone != zone) {
                if (geo_point_latlon(s, q, &lat, &lon) < 0 || geo_forward(zone, lat, lon, &n, &e) < 0)
                    return -1;
            }
            o->en[2 * i] = e;
            o->en[2 * i + 1] = n;
            m->box[0] = fmin(m->box[0], e), m->box[1] = fmax(m->box[1], e);
            m->box[2] = fmin(m->box[2], n), m->box[3] = fmax(m->box[3], n);
        }
        o->n = r->n;
    }
    return m->box[0] <= m->box[1] ? 0 : -1;
}

static const char *point_text(const geo_shape *s, const geo_point *q, int y, buf *b)
{
    buf_reset(b);
    if (s->geodetic)
        buf_printf(b, "%.6f", y ? q->y : q->x);
    else if (y && q->zone)
        buf_printf(b, "%d%09.2f", q->zone, q->y);
    else
        buf_printf(b, "%.2f", y ? q->y : q->x);
    return buf_str(b);
}

/* The point list: a heading per ring, then its points. */
static void point_lines(mview *m, const geo_shape *s)
{
    const geo_parcel *p = &s->parcels[0];
    buf l = BUF_INIT, x = BUF_INIT, y = BUF_INIT;
    int no = 0;
    for (int ri = 0; ri < p->nrings; ri++) {
        const geo_ring *r = &p->rings[ri];
        buf_reset(&l);
        buf_printf(&l, r->hole ? _("excluded ring %d") : _("ring %d"), ri + 1);
        if (r->name)
            buf_printf(&l, " %s", r->name);
        if (r->has_elev)
            buf_printf(&l, " %g/%g m", r->top, r->bottom);
        m->pl = xrealloc(m->pl, sizeof *m->pl * (size_t)(m->npl + 1 + r->n));
        m->pl[m->npl++] = buf_steal(&l);
        for (int i = 0; i < r->n; i++) {
            buf_reset(&l);
            point_text(s, &r->pts[i], 0, &x);
            point_text(s, &r->pts[i], 1, &y);
            buf_printf(&l, "J%-3d %s %s", ++no, buf_str(&x), buf_str(&y));
            m->pl[m->npl++] = buf_steal(&l);
        }
    }
    buf_free(&l);
    buf_free(&x);
    buf_free(&y);
}

void map_clear(mview *m)
{
    shape_free(&m->own);
    for (int i = 0; i < m->nnb; i++)
        shape_free(&m->nb[i]);
    free(m->nb);
    m->nb = NULL;
    m->nnb = m->capnb = 0;
    free(m->vis);
    m->vis = NULL;
    m->nvis = 0;
    for (int i = 0; i < m->npl; i++)
        free(m->pl[i]);
    free(m->pl);
    m->pl = NULL;
    m->npl = 0;
    free(m->name);
    m->name = NULL;
    ov_hits_free(&m->ov);
}

/* The record's shape, its name and point list and its overlaps; 0, or -1
 * with e (no boundary, unreadable). */
int map_load(mview *m, mr_err *e)
{
    db *d = tui_db();
    map_clear(m);
    const table *t = m->t;
    buf b = BUF_INIT;
    cursor *c = db_select_rowid(d, t, m->rowid, e);
    if (c && cursor_next(c) == 1) {
        col_format(&t->cols[t->key_ci], cursor_val(c, t->key_ci), &b);
        if (t->label_ci != t->key_ci && cursor_val(c, t->label_ci))
            buf_printf(&b, " %s", cursor_val(c, t->label_ci));
    }
    cursor_free(c);
    m->name = buf_steal(&b);
    int has = db_has_boundary(d, t->id, e);
    if (has == DB_ERROR)
        return -1;
    if (has == DB_NOT_FOUND) {
        err_set(e, EXIT_USAGE, _("no map: the records of %s hold no boundary"), t->id);
        return -1;
    }
    int found = db_shape_id(d, t->id, m->rowid, &m->sid, e);
    if (found < 0)
        return -1;
    char *text = NULL;
    if (found && db_shape_text(d, t->id, m->rowid, &text, e) == DB_ERROR)
        return -1;
    if (!text) {
        err_set(e, EXIT_NOTFOUND, _("no map: %s %s has no boundary (minreg boundary %s KEY FILE sets one)"),
                t->id, m->name, t->id);
        return -1;
    }
    geo_shape s;
    int rc = boundary_decode(text, &s, e);
    free(text);
    if (rc < 0)
        return -1;
    m->zone = ov_home_zone(&s);
    if (project(&s, m->zone, &m->own) < 0) {
        geo_shape_free(&s);
        err_set(e, EXIT_DATA, _("%s %s: its boundary has a point outside any zone: no map"), t->id, m->name);
        return -1;
    }
    m->own.id = m->sid;
    point_lines(m, &s);
    geo_shape_free(&s);
    if (overlaps_find(d, t->id, m->rowid, &m->ov, e) < 0)
        return -1;
    m->dirty = 1;
    return 0;
}

/* Shape id as a neighbour (read now if it was not yet), or NULL. */
static mshape *neighbour(mview *m, const db_shape_ref *ref)
{
    for (int i = 0; i < m->nnb; i++)
        if (m->nb[i].id == ref->id)
            return m->nb[i].nr ? &m->nb[i] : NULL;
    if (m->nnb == m->capnb) {
        m->capnb = m->capnb ? m->capnb * 2 : 32;
        m->nb = xrealloc(m->nb, sizeof *m->nb * (size_t)m->capnb);
    }
    mshape *x = &m->nb[m->nnb++];
    memset(x, 0, sizeof *x);
    x->id = ref->id;
    x->rid = ref->rid;
    snprintf(x->tbl, sizeof x->tbl, "%s", ref->tbl);
    char *text = NULL;
    mr_err e = {0};
    db_shape_text_id(tui_db(), ref->id, &text, NULL, NULL, &e);   /* unread: drawn as none */
    geo_shape s;
    int ok = text && boundary_decode(text, &s, &e) == 0;
    free(text);
    if (ok) {
        if (project(&s, m->zone, x) < 0) {
            for (int i = 0; i < x->nr; i++)
                free(x->r[i].en);
            free(x->r);
            x->r = NULL;
            x->nr = 0;
        }
        geo_shape_free(&s);
    }
    x->km2 = -1;
    for (int i = 0; i < m->ov.n; i++) {
        const ov_hit *h = &m->ov.v[i];
        int a_own = strcmp(h->tbl_a, m->t->id) == 0 && h->rid_a == m->rowid;
        const char *ot = a_own ? h->tbl_b : h->tbl_a;
        int64_t orid = a_own ? h->rid_b : h->rid_a;
        if (strcmp(ot, x->tbl) == 0 && orid == x->rid)
            x->km2 = h->km2;
    }
    return x->nr ? x : NULL;
}

static const mview *sort_m;
static double centre_dist(const mshape *s)
{
    double de = (s->box[0] + s->box[1]) / 2 - (sort_m->own.box[0] + sort_m->own.box[1]) / 2;
    double dn = (s->box[2] + s->box[3]) / 2 - (sort_m->own.box[2] + sort_m->own.box[3]) / 2;
    return de * de + dn * dn;
}

/* Tab's order: the overlapping ones, largest overlap first, then the
 * nearest; ties by register and record, so the order is the same every
 * time. */
static int cmp_vis(const void *a, const void *b)
{
    const mshape *x = &sort_m->nb[*(const int *)a], *y = &sort_m->nb[*(const int *)b];
    if ((x->km2 >= 0) != (y->km2 >= 0))
        return x->km2 >= 0 ? -1 : 1;
    if (x->km2 != y->km2)
        return x->km2 > y->km2 ? -1 : 1;
    double dx = centre_dist(x), dy = centre_dist(y);
    if (dx != dy)
        return dx < dy ? -1 : 1;
    int c = strcmp(x->tbl, y->tbl);
    return c ? c : (x->rid > y->rid) - (x->rid < y->rid);
}

/* The view's box in degrees, for the R*Tree: its corners and the middles
 * of its sides inverse-projected (a grid line is not a meridian). */
static int view_degrees(const mview *m, double *lo0, double *lo1, double *la0, double *la1)
{
    double e0, e1, n0, n1;
    map_grid_box(&m->g, &e0, &e1, &n0, &n1);
    *lo0 = *la0 = 1e300;
    *lo1 = *la1 = -1e300;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double lat, lon;
            if (geo_inverse(m->zone, n0 + (n1 - n0) * j / 2, e0 + (e1 - e0) * i / 2, &lat, &lon) < 0)
                return -1;
            *lo0 = fmin(*lo0, lon), *lo1 = fmax(*lo1, lon);
            *la0 = fmin(*la0, lat), *la1 = fmax(*la1, lat);
        }
    return 0;
}

static void draw_shape(map_grid *g, const mshape *s, int layer)
{
    map_shape_begin(g);
    for (int i = 0; i < s->nr; i++)
        map_shape_ring(g, s->r[i].en, s->r[i].n);
    map_shape_end(g, layer);
}

/* The view moved: its neighbours read, everything drawn into the grid. */
void map_rasterise(mview *m)
{
    map_grid_view(&m->g, m->cx, m->cy, m->mpc);
    m->nvis = 0;
    m->more = 0;
    m->err[0] = 0;
    double lo0, lo1, la0, la1;
    static db_shape_ref refs[MAP_MAX];
    mr_err e = {0};
    int n = 0;
    if (view_degrees(m, &lo0, &lo1, &la0, &la1) == 0) {
        n = db_shapes_in_box(tui_db(), lo0, lo1, la0, la1, m->sid, refs, MAP_MAX, &m->more, &e);
        if (n < 0) {
            snprintf(m->err, sizeof m->err, "%.1000s", e.msg);
            n = 0;
        }
    }
    m->vis = xrealloc(m->vis, sizeof *m->vis * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        mshape *x = neighbour(m, &refs[i]);
        if (x)
            m->vis[m->nvis++] = (int)(x - m->nb);
    }
    sort_m = m;
    qsort(m->vis, (size_t)m->nvis, sizeof *m->vis, cmp_vis);
    const mshape *sel = NULL;
    for (int i = 0; i < m->nvis; i++) {
        const mshape *x = &m->nb[m->vis[i]];
        if (x->id == m->sel_id)
            sel = x;
        else
            draw_shape(&m->g, x, MAP_NEIGHBOUR);
    }
    if (sel)
        draw_shape(&m->g, sel, MAP_SELECTED);
    draw_shape(&m->g, &m->own, MAP_OWN);
    m->dirty = 0;
}
