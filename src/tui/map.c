/* map.c — the map screen: a record's boundary drawn in the terminal, its
 * neighbours and overlaps marked, the scale, and the list of its points
 * beside it.
 *
 * Everything is brought into one plane, the Gauss–Krüger zone of the
 * record's own boundary (a neighbour in the other zone, or in degrees,
 * through geodetic coordinates, as overlap.c compares them).  The
 * neighbours are the shapes whose boxes meet the view, from the R*Tree and
 * at most MAP_MAX of them (db_shapes_in_box), read again when the view
 * moves; a shape once read is kept for the screen's life.  The cells come
 * from the core's rasteriser (maprast.c): braille in UTF-8, one ASCII
 * character a cell with --ascii or ambiguous-wide glyphs.  The overlaps
 * and their official areas are overlaps_find's, once when the screen opens.
 *
 * Keys: the arrows (hjkl) pan, + - zoom, 0 shows the whole boundary again,
 * Tab and Shift-Tab select a neighbour (overlapping ones first, largest
 * overlap first, then the nearest), Enter opens it (none selected: the one
 * overlapping most, else the nearest); the point list scrolls
 * with PgUp/PgDn, ^U/^D, g/G and the wheel, and / searches it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/map_int.h"


static const char *ttitle(const table *t) { return i18n_is_zh() ? t->title : t->title_en; }

/* ---- layout and drawing -------------------------------------------------------------- */

/* The point list's width (0: no room for it) and the map's rows. */
static int panel_width(void)
{
    int cols = screen_cols();
    return cols >= 72 ? 28 : cols >= 36 ? cols * 2 / 5 : 0;
}
static int map_cols(void)
{
    int pw = panel_width();
    int w = screen_cols() - (pw ? pw + 1 : 0);
    return w > 1 ? w : 1;
}
static int map_rows(void)
{
    int r = screen_rows() - 2;
    return r > 1 ? r : 1;
}

static int cell_attr(map_class k)
{
    switch (k) {
    case MAPC_OWN: return ATTR_GROUP;
    case MAPC_SELECTED: return ATTR_SELECTED;
    case MAPC_OVERLAP: return ATTR_MARK;
    case MAPC_NEIGHBOUR: return ATTR_DIM;
    default: return ATTR_NORMAL;
    }
}

static int map_line(list *l, int64_t i, int y, int room, int sel)
{
    mview *m = l->data;
    (void)room;
    int pw = panel_width(), x = screen_cols() - pw;
    const char *s = m->pl[i];
    int head = strncmp(s, "J", 1) != 0;
    draw_text(y, x, pw, s, sel ? ATTR_SELECTED : head ? ATTR_HEADER : ATTR_NORMAL, 0);
    return 1;
}

static int map_list_rows(list *l)
{
    (void)l;
    return screen_rows();
}

static void map_text(list *l, int64_t i, buf *out) { buf_puts(out, ((mview *)l->data)->pl[i]); }

static const list_ops map_list = {
    .draw_line = map_line,
    .text = map_text,
    .rows = map_list_rows,
};

static void reset_view(mview *m)
{
    m->cx = (m->own.box[0] + m->own.box[1]) / 2;
    m->cy = (m->own.box[2] + m->own.box[3]) / 2;
    m->mpc = map_grid_fit(&m->g, m->own.box[0], m->own.box[1], m->own.box[2], m->own.box[3]);
    m->dirty = 1;
}

static const mshape *selected(const mview *m)
{
    for (int i = 0; i < m->nnb; i++)
        if (m->nb[i].id == m->sel_id && m->nb[i].nr)
            return &m->nb[i];
    return NULL;
}

static const char *neighbour_label(mshape *x)
{
    if (x->label)
        return x->label;
    const table *t = schema_table(db_schema(tui_db()), x->tbl);
    buf b = BUF_INIT;
    if (t) {
        mr_err e = {0};
        cursor *c = db_select_rowid(tui_db(), t, x->rid, &e);
        buf_printf(&b, "%s ", *t->appendix ? t->appendix : t->id);
        if (c && cursor_next(c) == 1) {
            col_format(&t->cols[t->key_ci], cursor_val(c, t->key_ci), &b);
            if (t->label_ci != t->key_ci && cursor_val(c, t->label_ci))
                buf_printf(&b, " %s", cursor_val(c, t->label_ci));
        } else {
            buf_printf(&b, "#%lld", (long long)x->rid);
        }
        cursor_free(c);
    } else {
        buf_printf(&b, "%s #%lld", x->tbl, (long long)x->rid);
    }
    x->label = buf_steal(&b);
    return x->label;
}

/* Under the map: the scale bar and the legend, then the selected
 * neighbour (or how many are in view). */
static void draw_foot(mview *m, int y, int w)
{
    int ascii = map_ascii(), cells;
    double metres = map_scale_bar(&m->g, w / 4 > 2 ? w / 4 : 2, &cells);
    buf b = BUF_INIT;
    int x = 0;
    if (metres > 0) {
        if (cells < 2)
            cells = 2;
        buf_puts(&b, ascii ? "|" : "├");
        for (int i = 0; i < cells - 2; i++)
            buf_puts(&b, ascii ? "-" : "─");
        buf_puts(&b, ascii ? "|" : "┤");
        if (metres >= 1000)
            buf_printf(&b, " %g km", metres / 1000);
        else
            buf_printf(&b, " %g m", metres);
        draw_text(y, 0, w, buf_str(&b), ATTR_NORMAL, 0);
        x = text_width(buf_str(&b)) + 2;
    }
    /* the legend: each mark as the map draws it, in its attribute */
    static const struct { map_class k; const char *utf, *asc, *what; } leg[] = {
        {MAPC_OWN, "⠶", "#", N_("record")}, {MAPC_NEIGHBOUR, "⠒", "+", N_("neighbour")},
        {MAPC_OVERLAP, "⢕", "x", N_("overlap")}};
    for (size_t i = 0; i < sizeof leg / sizeof *leg && x < w; i++) {
        draw_text(y, x, 1, ascii ? leg[i].asc : leg[i].utf, cell_attr(leg[i].k), 0);
        int lw = text_width(_(leg[i].what));
        draw_text(y, x + 2, w - x - 2, _(leg[i].what), ATTR_NORMAL, 0);
        x += 2 + lw + 2;
    }
    buf_reset(&b);
    mshape *sel = NULL;
    for (int i = 0; i < m->nnb; i++)
        if (m->nb[i].id == m->sel_id && m->nb[i].nr)
            sel = &m->nb[i];
    int at = -1;
    for (int i = 0; sel && i < m->nvis; i++)
        if (&m->nb[m->vis[i]] == sel)
            at = i;
    if (*m->err) {
        buf_puts(&b, m->err);
    } else if (sel) {
        if (at >= 0)
            buf_printf(&b, "%d/%d%s ", at + 1, m->nvis, m->more ? "+" : "");
        if (sel->km2 >= 0)
            buf_printf(&b, map_ascii() ? _("overlap %.4f km2 · ") : _("overlap %.4f km² · "), sel->km2);
        buf_puts(&b, neighbour_label(sel));
    } else if (m->nvis) {
        buf_printf(&b, _("neighbours in view: %d%s (%d overlap)  Tab: select one"), m->nvis,
                   m->more ? "+" : "", m->ov.n);
    } else {
        buf_printf(&b, _("no neighbours in view (%d overlap)"), m->ov.n);
    }
    draw_text(y + 1, 0, w, buf_str(&b), sel && sel->km2 >= 0 ? ATTR_MARK : ATTR_NORMAL, 0);
    buf_free(&b);
}

static void map_draw(view *v)
{
    mview *m = v->data;
    if (m->version != tui_data_version()) {
        /* the register changed: the boundary may have */
        mr_err e = {0};
        m->version = tui_data_version();
        m->gone[0] = 0;
        if (map_load(m, &e) < 0)   /* removed, or the file failed: say so until it changes again */
            snprintf(m->gone, sizeof m->gone, "%.1000s", e.msg);
        list_reset(&m->l, m->npl);
    }
    if (*m->gone) {
        draw_wrapped(2, screen_rows() - 1, screen_cols(), m->gone, ATTR_MARK);
        return;
    }
    int mc = map_cols(), mr = map_rows();
    map_mode mode = map_ascii() ? MAP_ASCII : MAP_BRAILLE;
    if (!m->have_grid || m->g.cols != mc || m->g.rows != mr || m->g.mode != mode) {
        if (m->have_grid)
            map_grid_free(&m->g);
        map_grid_init(&m->g, mode, mc, mr);
        m->have_grid = 1;
        if (!m->fitted)
            reset_view(m);
        m->fitted = 1;
        m->dirty = 1;
    }
    if (m->dirty)
        map_rasterise(m);
    buf run = BUF_INIT;
    char cell[8];
    for (int r = 0; r < mr; r++) {
        int x0 = 0, a0 = -1;
        buf_reset(&run);
        for (int c = 0; c <= mc; c++) {
            int a = -2;
            if (c < mc)
                a = cell_attr(map_cell(&m->g, c, r, cell));
            if (a != a0 && a0 != -1) {
                draw_text(1 + r, x0, c - x0, buf_str(&run), a0, 0);
                buf_reset(&run);
                x0 = c;
            }
            if (c < mc)
                buf_puts(&run, cell);
            a0 = a;
        }
    }
    buf_free(&run);
    /* the point list beside the map, past a rule */
    int pw = panel_width();
    if (pw) {
        for (int y = 1; y <= screen_rows(); y++)
            draw_text(y, mc, 1, glyph_vline(), ATTR_DIM, 0);
        list_draw(&m->l);
    }
    draw_foot(m, 1 + mr, mc);
}

static void pan(mview *m, double de, double dn)
{
    m->cx += de * m->mpc * m->g.cols;
    m->cy += dn * m->mpc * 2 * m->g.rows;
    m->dirty = 1;
}

static void step_neighbour(mview *m, int dir)
{
    if (!m->nvis) {
        tui_message("%s", _("no neighbours in view: zoom out (-) to see more"));
        return;
    }
    int at = -1;
    for (int i = 0; i < m->nvis; i++)
        if (m->nb[m->vis[i]].id == m->sel_id)
            at = i;
    at = at < 0 ? (dir > 0 ? 0 : m->nvis - 1) : (at + dir + m->nvis) % m->nvis;
    m->sel_id = m->nb[m->vis[at]].id;
    m->dirty = 1;
}

/* Enter: the selected neighbour; none selected, the one the record
 * overlaps most (in view or not), else the first in Tab's order. */
static void open_selected(mview *m)
{
    const mshape *s = *m->gone ? NULL : selected(m);
    const char *tbl = s ? s->tbl : NULL;
    int64_t rid = s ? s->rid : 0;
    if (!s && !*m->gone && m->ov.n) {
        const ov_hit *h = &m->ov.v[0];
        int a_own = strcmp(h->tbl_a, m->t->id) == 0 && h->rid_a == m->rowid;
        tbl = a_own ? h->tbl_b : h->tbl_a;
        rid = a_own ? h->rid_b : h->rid_a;
    } else if (!s && !*m->gone && m->nvis) {
        tbl = m->nb[m->vis[0]].tbl;
        rid = m->nb[m->vis[0]].rid;
    }
    if (!tbl) {
        tui_message("%s", *m->gone ? _("select a neighbour with Tab first, then Enter opens it")
                                   : _("no neighbours in view: zoom out (-) to see more"));
        return;
    }
    const table *t = schema_table(db_schema(tui_db()), tbl);
    if (t)
        view_push(record_new(t, rid, NULL));
}

static void map_request(view *v, request req)
{
    mview *m = v->data;
    switch (req) {
    case REQ_UP: pan(m, 0, 0.25); break;
    case REQ_DOWN: pan(m, 0, -0.25); break;
    case REQ_LEFT: pan(m, -0.25, 0); break;
    case REQ_RIGHT: pan(m, 0.25, 0); break;
    case REQ_ZOOM_IN:
        if (m->mpc / 2 < 0.05) {
            tui_message("%s", _("zoomed in as far as the map goes"));
            break;
        }
        m->mpc /= 2;
        m->dirty = 1;
        break;
    case REQ_ZOOM_OUT:
        if (m->mpc * 2 > 50000) {
            tui_message("%s", _("zoomed out as far as the map goes"));
            break;
        }
        m->mpc *= 2;
        m->dirty = 1;
        break;
    case REQ_LINE_START: {
        double cx = m->cx, cy = m->cy, mpc = m->mpc;
        reset_view(m);
        if (cx == m->cx && cy == m->cy && mpc == m->mpc)
            tui_message("%s", _("the whole boundary is in view"));
        break;
    }
    case REQ_NEIGHBOUR: step_neighbour(m, 1); break;
    case REQ_PREV_NEIGHBOUR: step_neighbour(m, -1); break;
    case REQ_ENTER: open_selected(m); break;
    default: list_request(&m->l, req);
    }
}

static void map_title(view *v, buf *out)
{
    mview *m = v->data;
    buf_printf(out, "%s · ", _("map"));
    if (*m->t->appendix)
        buf_printf(out, "%s ", m->t->appendix);
    buf_printf(out, "%s · %s", ttitle(m->t), m->name ? m->name : "");
}

static void map_status(view *v, buf *out)
{
    mview *m = v->data;
    /* the title bar names the register */
    buf_printf(out, _("zone %d  +/-: zoom  arrows: pan  0: all  Tab: neighbour  Enter: open"), m->zone);
}

static void map_free(view *v)
{
    mview *m = v->data;
    map_clear(m);
    if (m->have_grid)
        map_grid_free(&m->g);
    list_free(&m->l);
    free(m);
    free(v);
}

static const view_ops map_ops = {
    .name = "map",
    .draw = map_draw,
    .request = map_request,
    .status = map_status,
    .title = map_title,
    .free = map_free,
};

view *map_new(const table *t, int64_t rowid, const char *sel_tbl, int64_t sel_rid, mr_err *e)
{
    mview *m = xcalloc(1, sizeof *m);
    m->t = t;
    m->rowid = rowid;
    m->version = tui_data_version();
    if (map_load(m, e) < 0) {
        map_clear(m);
        free(m);
        return NULL;
    }
    if (sel_tbl) {
        int64_t id;
        mr_err e2 = {0};
        if (db_shape_id(tui_db(), sel_tbl, sel_rid, &id, &e2) == 1)
            m->sel_id = id;
    }
    list_init(&m->l, &map_list, m, m->npl);
    view *v = xcalloc(1, sizeof *v);
    v->ops = &map_ops;
    v->data = m;
    return v;
}

int map_record(view *v, const table **t, int64_t *rowid)
{
    if (v->ops != &map_ops)
        return 0;
    const mview *m = v->data;
    *t = m->t;
    *rowid = m->rowid;
    return 1;
}
