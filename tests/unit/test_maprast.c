/* test_maprast.c — the map's rasteriser (src/core/maprast.c): rings into
 * braille and ASCII cells, outlines, fills with holes, overlaps, dashed
 * neighbours, clipping far outside the view, the scale bar. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/maprast.h"
#include "tap.h"

/* The grid's cells as text, one line a row. */
static void dump(const map_grid *g, buf *b)
{
    char c[8];
    buf_reset(b);
    for (int r = 0; r < g->rows; r++) {
        for (int x = 0; x < g->cols; x++) {
            map_cell(g, x, r, c);
            buf_puts(b, c);
        }
        buf_putc(b, '\n');
    }
}

static int count_class(const map_grid *g, map_class k)
{
    char c[8];
    int n = 0;
    for (int r = 0; r < g->rows; r++)
        for (int x = 0; x < g->cols; x++)
            n += map_cell(g, x, r, c) == k;
    return n;
}

static void square(map_grid *g, double e0, double n0, double side, int layer)
{
    double sq[] = {e0, n0, e0 + side, n0, e0 + side, n0 + side, e0, n0 + side};
    map_shape_begin(g);
    map_shape_ring(g, sq, 4);
    map_shape_end(g, layer);
}

int main(void)
{
    buf b = BUF_INIT;
    map_grid g;

    /* ASCII: 10 × 5 cells of 100 m across, 200 m down; a 400 m square in
     * the middle is a frame of '#' */
    map_grid_init(&g, MAP_ASCII, 10, 5);
    map_grid_view(&g, 500, 500, 100);
    square(&g, 300, 300, 400, MAP_OWN);
    dump(&g, &b);
    is_str(buf_str(&b), "          \n"
                        "   #####  \n"
                        "   #   #  \n"
                        "   #####  \n"
                        "          \n", "an outline in ASCII cells");
    int c, r;
    ok(map_cell_of(&g, 500, 500, &c, &r) && c == 5 && r == 2, "the centre is cell 5,2 (%d,%d)", c, r);
    ok(!map_cell_of(&g, 5000, 500, &c, &r), "a point 5 km off is outside");

    /* a neighbour overlapping its right half: '+' outline, 'x' where both fill */
    map_grid_view(&g, 500, 500, 100);
    square(&g, 500, 300, 400, MAP_NEIGHBOUR);
    square(&g, 300, 300, 400, MAP_OWN);
    dump(&g, &b);
    is_str(buf_str(&b), "          \n"
                        "   #####++\n"
                        "   # xx# +\n"
                        "   #####++\n"
                        "          \n", "overlap and neighbour in ASCII");
    ok(count_class(&g, MAPC_OVERLAP) == 2, "two overlap cells (%d)", count_class(&g, MAPC_OVERLAP));
    ok(count_class(&g, MAPC_NEIGHBOUR) == 5, "five cells of neighbour outline only");
    map_grid_view(&g, 500, 500, 100);
    square(&g, 500, 300, 400, MAP_SELECTED);
    ok(count_class(&g, MAPC_SELECTED) > 0 && count_class(&g, MAPC_NEIGHBOUR) == 0, "selected is its own class");
    map_grid_free(&g);

    /* braille: 2 × 4 dots a cell; a square fills cells with the right dots */
    map_grid_init(&g, MAP_BRAILLE, 4, 2);
    map_grid_view(&g, 0, 0, 2);   /* 1 m a dot across and down */
    square(&g, -3.5, -3.5, 7, MAP_OWN);   /* dots 0 to 7 either way */
    dump(&g, &b);
    is_str(buf_str(&b), "⡏⠉⠉⢹\n⣇⣀⣀⣸\n", "a braille outline");
    map_grid_free(&g);

    /* a hole stays empty: even-odd fill; an overlap only where both fill */
    map_grid_init(&g, MAP_ASCII, 20, 10);
    map_grid_view(&g, 1000, 1000, 100);
    double outer[] = {100, 100, 1900, 100, 1900, 1900, 100, 1900};
    double hole[] = {700, 700, 1300, 700, 1300, 1300, 700, 1300};
    map_shape_begin(&g);
    map_shape_ring(&g, outer, 4);
    map_shape_ring(&g, hole, 4);
    map_shape_end(&g, MAP_OWN);
    square(&g, 900, 900, 200, MAP_NEIGHBOUR);   /* inside the hole: no overlap */
    ok(count_class(&g, MAPC_OVERLAP) == 0, "a neighbour inside the hole overlaps nothing");
    square(&g, 300, 300, 200, MAP_NEIGHBOUR);   /* inside the fill: overlap */
    ok(count_class(&g, MAPC_OVERLAP) > 0, "a neighbour inside the fill overlaps");
    map_grid_free(&g);

    /* a neighbour's outline is dashed in braille, the record's is not */
    map_grid_init(&g, MAP_BRAILLE, 20, 5);
    map_grid_view(&g, 0, 0, 10);
    double line[] = {-90, 0, 90, 0};
    map_shape_begin(&g);
    map_shape_ring(&g, line, 2);
    map_shape_end(&g, MAP_NEIGHBOUR);
    int nb = count_class(&g, MAPC_NEIGHBOUR);
    map_grid_clear(&g);
    map_shape_begin(&g);
    map_shape_ring(&g, line, 2);
    map_shape_end(&g, MAP_OWN);
    ok(nb > 0 && nb < count_class(&g, MAPC_OWN), "dashed neighbour (%d cells) beside a solid outline (%d)", nb,
       count_class(&g, MAPC_OWN));

    /* clipped: edges 1000 km long cost no more than the view */
    map_grid_view(&g, 0, 0, 0.1);
    double huge[] = {-1e6, -1e6, 1e6, -1e6, 1e6, 1e6, -1e6, 1e6};
    map_shape_begin(&g);
    map_shape_ring(&g, huge, 4);
    map_shape_end(&g, MAP_OWN);
    ok(count_class(&g, MAPC_OWN) == 0, "zoomed far inside a shape: no outline in view");
    map_grid_free(&g);

    /* fit and scale */
    map_grid_init(&g, MAP_BRAILLE, 50, 19);
    double mpc = map_grid_fit(&g, 0, 2000, 0, 2000);
    ok(mpc > 2000.0 / 38 && mpc < 2000.0 / 38 * 1.2, "fit: 2 km high in 19 rows (%g m a cell)", mpc);
    map_grid_view(&g, 1000, 1000, mpc);
    int cells;
    double m = map_scale_bar(&g, 12, &cells);
    ok(m == 500 && cells >= 7 && cells <= 12, "scale bar: 500 m in %d cells", cells);
    map_grid_view(&g, 0, 0, 0.01);
    ok(map_scale_bar(&g, 12, &cells) == 0, "no scale bar below a metre");
    map_grid_free(&g);

    buf_free(&b);
    return tap_done();
}
