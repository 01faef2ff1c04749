/* maprast.c — boundaries into character cells (maprast.h).
 *
 * Outlines are drawn dot by dot along each edge after clipping it to the
 * grid (so a view zoomed far in costs no more than one zoomed out), fills
 * by a scanline through each row of dots, even-odd over the shape's rings.
 * The work is bounded by the grid and the edges given, never by the
 * register. */
#include "config.h"

#include "core/maprast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

enum { MP_OWN_EDGE = 1, MP_NB_EDGE = 2, MP_SEL_EDGE = 4, MP_OWN_FILL = 8, MP_NB_FILL = 16 };

/* braille dot bits by row (0-3) and column (0-1) of the cell: U+2800 + bits */
static const unsigned char braille_bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

void map_grid_init(map_grid *g, map_mode m, int cols, int rows)
{
    memset(g, 0, sizeof *g);
    g->mode = m;
    g->cols = cols > 0 ? cols : 1;
    g->rows = rows > 0 ? rows : 1;
    g->sx = m == MAP_BRAILLE ? 2 : 1;
    g->sy = m == MAP_BRAILLE ? 4 : 1;
    g->w = g->cols * g->sx;
    g->h = g->rows * g->sy;
    g->px = xcalloc((size_t)g->w * (size_t)g->h, 1);
    g->mx = g->my = 1;
}

void map_grid_free(map_grid *g)
{
    free(g->px);
    free(g->ex);
    memset(g, 0, sizeof *g);
}

void map_grid_clear(map_grid *g) { memset(g->px, 0, (size_t)g->w * (size_t)g->h); }

void map_grid_view(map_grid *g, double cx, double cy, double metres_per_cell)
{
    g->cx = cx;
    g->cy = cy;
    g->mx = metres_per_cell / g->sx;
    g->my = metres_per_cell * 2 / g->sy;   /* a cell is about twice as high as wide */
    map_grid_clear(g);
}

double map_grid_fit(const map_grid *g, double min_e, double max_e, double min_n, double max_n)
{
    double a = (max_e - min_e) / g->cols, b = (max_n - min_n) / (g->rows * 2.0);
    double m = (a > b ? a : b) * 1.15;   /* a margin round the shape */
    return m > 0.01 ? m : 10;
}

void map_grid_box(const map_grid *g, double *min_e, double *max_e, double *min_n, double *max_n)
{
    *min_e = g->cx - g->w / 2.0 * g->mx;
    *max_e = g->cx + g->w / 2.0 * g->mx;
    *min_n = g->cy - g->h / 2.0 * g->my;
    *max_n = g->cy + g->h / 2.0 * g->my;
}

static double dot_x(const map_grid *g, double e) { return (e - g->cx) / g->mx + g->w / 2.0; }
static double dot_y(const map_grid *g, double n) { return (g->cy - n) / g->my + g->h / 2.0; }

void map_shape_begin(map_grid *g)
{
    g->ne = 0;
    g->dash = 0;
}

void map_shape_ring(map_grid *g, const double *en, int n)
{
    if (n < 2)
        return;
    if (g->ne + n > g->cap) {
        g->cap = (g->ne + n) * 2;
        g->ex = xrealloc(g->ex, sizeof *g->ex * 4 * (size_t)g->cap);
    }
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        double *e = &g->ex[4 * g->ne++];
        e[0] = dot_x(g, en[2 * i]);
        e[1] = dot_y(g, en[2 * i + 1]);
        e[2] = dot_x(g, en[2 * j]);
        e[3] = dot_y(g, en[2 * j + 1]);
    }
}

/* Liang–Barsky: the part of the segment inside [lo, hi] on both axes. */
static int clip(double *x0, double *y0, double *x1, double *y1, double xlo, double xhi, double ylo,
                double yhi)
{
    double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {*x0 - xlo, xhi - *x0, *y0 - ylo, yhi - *y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > t1)
                return 0;
            if (r > t0)
                t0 = r;
        } else {
            if (r < t0)
                return 0;
            if (r < t1)
                t1 = r;
        }
    }
    double ax = *x0, ay = *y0;
    *x0 = ax + t0 * dx;
    *y0 = ay + t0 * dy;
    *x1 = ax + t1 * dx;
    *y1 = ay + t1 * dy;
    return 1;
}

static void edge(map_grid *g, const double *e, unsigned char bit, int dashed)
{
    double x0 = e[0], y0 = e[1], x1 = e[2], y1 = e[3];
    if (!clip(&x0, &y0, &x1, &y1, -1, g->w + 1, -1, g->h + 1))
        return;
    double dx = x1 - x0, dy = y1 - y0, len = fabs(dx) > fabs(dy) ? fabs(dx) : fabs(dy);
    int steps = (int)ceil(len);
    for (int k = 0; k <= steps; k++) {
        double t = steps ? (double)k / steps : 0;
        int x = (int)floor(x0 + t * dx), y = (int)floor(y0 + t * dy);
        /* a neighbour's outline is dashed: two dots on, two off */
        if (dashed && (g->dash++ & 2))
            continue;
        if (x >= 0 && x < g->w && y >= 0 && y < g->h)
            g->px[(size_t)y * (size_t)g->w + (size_t)x] |= bit;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void fill(map_grid *g, unsigned char bit)
{
    double ylo = 1e300, yhi = -1e300, xlo = 1e300, xhi = -1e300;
    for (int i = 0; i < g->ne; i++) {
        const double *e = &g->ex[4 * i];
        for (int k = 0; k < 4; k += 2) {
            xlo = fmin(xlo, e[k]), xhi = fmax(xhi, e[k]);
            ylo = fmin(ylo, e[k + 1]), yhi = fmax(yhi, e[k + 1]);
        }
    }
    if (xhi < 0 || xlo > g->w || yhi < 0 || ylo > g->h)
        return;
    int j0 = ylo < 0 ? 0 : (int)ylo, j1 = yhi >= g->h ? g->h - 1 : (int)yhi;
    double *xs = xmalloc(sizeof *xs * (size_t)(g->ne + 1));
    for (int j = j0; j <= j1; j++) {
        double yc = j + 0.5;
        int n = 0;
        for (int i = 0; i < g->ne; i++) {
            const double *e = &g->ex[4 * i];
            if ((e[1] <= yc && yc < e[3]) || (e[3] <= yc && yc < e[1]))
                xs[n++] = e[0] + (yc - e[1]) * (e[2] - e[0]) / (e[3] - e[1]);
        }
        qsort(xs, (size_t)n, sizeof *xs, cmp_double);
        for (int k = 0; k + 1 < n; k += 2) {
            double a = ceil(xs[k] - 0.5), b = floor(xs[k + 1] - 0.5);
            if (a < 0)
                a = 0;
            if (b > g->w - 1)
                b = g->w - 1;
            for (int i = (int)a; i <= (int)b; i++)
                g->px[(size_t)j * (size_t)g->w + (size_t)i] |= bit;
        }
    }
    free(xs);
}

void map_shape_end(map_grid *g, int layer)
{
    fill(g, layer == MAP_OWN ? MP_OWN_FILL : MP_NB_FILL);
    unsigned char bit = layer == MAP_OWN ? MP_OWN_EDGE : layer == MAP_SELECTED ? MP_SEL_EDGE : MP_NB_EDGE;
    int dashed = layer == MAP_NEIGHBOUR && g->mode == MAP_BRAILLE;
    for (int i = 0; i < g->ne; i++)
        edge(g, &g->ex[4 * i], bit, dashed);
    g->ne = 0;
}

map_class map_cell(const map_grid *g, int c, int r, char out[8])
{
    unsigned any = 0, dots = 0, over = 0;
    for (int dy = 0; dy < g->sy; dy++)
        for (int dx = 0; dx < g->sx; dx++) {
            int x = c * g->sx + dx, y = r * g->sy + dy;
            unsigned p = g->px[(size_t)y * (size_t)g->w + (size_t)x];
            unsigned bit = g->mode == MAP_BRAILLE ? braille_bit[dy][dx] : 1;
            any |= p;
            if (p & (MP_OWN_EDGE | MP_NB_EDGE | MP_SEL_EDGE))
                dots |= bit;
            if ((p & MP_OWN_FILL) && (p & MP_NB_FILL)) {
                over |= bit;
                if ((x + y) % 2 == 0)   /* the overlap hatched */
                    dots |= bit;
            }
        }
    map_class k = any & MP_OWN_EDGE ? MAPC_OWN : any & MP_SEL_EDGE ? MAPC_SELECTED
                  : over             ? MAPC_OVERLAP
                  : any & MP_NB_EDGE ? MAPC_NEIGHBOUR
                                     : MAPC_EMPTY;
    if (g->mode == MAP_ASCII) {
        static const char ch[] = {' ', '#', '@', 'x', '+'};
        out[0] = ch[k];
        out[1] = 0;
        return k;
    }
    if (!dots)
        dots = over;
    if (!dots) {
        out[0] = ' ';
        out[1] = 0;
        return k;
    }
    out[0] = (char)0xE2;
    out[1] = (char)(0xA0 + (dots >> 6));
    out[2] = (char)(0x80 + (dots & 0x3F));
    out[3] = 0;
    return k;
}

int map_cell_of(const map_grid *g, double e, double n, int *c, int *r)
{
    double x = floor(dot_x(g, e)), y = floor(dot_y(g, n));
    if (x < 0 || y < 0 || x >= g->w || y >= g->h)
        return 0;
    *c = (int)x / g->sx;
    *r = (int)y / g->sy;
    return 1;
}

double map_scale_bar(const map_grid *g, int maxcells, int *cells)
{
    double mpc = g->mx * g->sx, most = maxcells * mpc;
    *cells = 0;
    if (most < 1)
        return 0;
    double p = pow(10, floor(log10(most))), nice = p;
    if (5 * p <= most)
        nice = 5 * p;
    else if (2 * p <= most)
        nice = 2 * p;
    *cells = (int)floor(nice / mpc + 0.5);
    if (*cells < 1)
        *cells = 1;
    return nice;
}
