/* maprast.h — boundaries drawn into a grid of character cells, for the
 * browser's map screen (src/tui/map.c) and its tests.
 *
 * The grid is cols × rows cells; each cell holds sx × sy dots: 2 × 4 in
 * braille (U+2800–U+28FF, one dot a bit of the pattern) and 1 × 1 in ASCII
 * mode, where a cell is one character.  Shapes are given in a plane in
 * metres (easting right, northing up) and drawn by layer: the record's own
 * outline, its neighbours' (dashed in braille), the selected neighbour's;
 * every shape is also filled (even-odd over its rings, so an excluded ring
 * stays empty), and where the record's fill meets a neighbour's the cell
 * is an overlap (a hatch of dots, or 'x').  Each cell says what it shows
 * most (map_class), so a screen gives it an attribute and the glyph alone
 * tells them apart on a monochrome terminal.  No curses and no SQL here.
 */
#ifndef MINREG_MAPRAST_H
#define MINREG_MAPRAST_H

typedef enum { MAP_BRAILLE, MAP_ASCII } map_mode;

/* The layers a shape is drawn in. */
enum { MAP_OWN, MAP_NEIGHBOUR, MAP_SELECTED };

/* What a cell shows, most important first: the record's outline, the
 * selected neighbour's, an overlap, a neighbour's outline, nothing. */
typedef enum { MAPC_EMPTY, MAPC_OWN, MAPC_SELECTED, MAPC_OVERLAP, MAPC_NEIGHBOUR } map_class;

typedef struct map_grid {
    map_mode mode;
    int cols, rows;        /* cells */
    int sx, sy;            /* dots per cell */
    int w, h;              /* dots: cols * sx, rows * sy */
    double cx, cy;         /* the view's centre: easting, northing (m) */
    double mx, my;         /* metres per dot, across and down */
    unsigned char *px;     /* w * h dots, MP_* bits */
    double *ex;            /* the current shape's edges in dots: x0 y0 x1 y1 ... */
    int ne, cap;
    int dash;              /* dots along the current neighbour outline (dashing) */
} map_grid;

/* A grid of cols × rows cells in mode m (cols, rows ≥ 1), nothing drawn. */
void map_grid_init(map_grid *g, map_mode m, int cols, int rows);
void map_grid_free(map_grid *g);
/* Aim the view: centre (easting, northing) and metres per cell across; a
 * cell is taken twice as high as wide, as terminal cells are.  Clears. */
void map_grid_view(map_grid *g, double cx, double cy, double metres_per_cell);
void map_grid_clear(map_grid *g);
/* The metres per cell across that show the box (with a margin) whole. */
double map_grid_fit(const map_grid *g, double min_e, double max_e, double min_n, double max_n);
/* The view's box in metres. */
void map_grid_box(const map_grid *g, double *min_e, double *max_e, double *min_n, double *max_n);

/* A shape: begin, its rings (n points each, easting,northing pairs; the
 * ring is closed by the drawing), end in a layer (outline and fill). */
void map_shape_begin(map_grid *g);
void map_shape_ring(map_grid *g, const double *en, int n);
void map_shape_end(map_grid *g, int layer);

/* Cell (c, r): its glyph into out (UTF-8, NUL-terminated; a space when
 * empty) and what it shows. */
map_class map_cell(const map_grid *g, int c, int r, char out[8]);
/* Where a point lies: its cell, 1 when inside the grid. */
int map_cell_of(const map_grid *g, double e, double n, int *c, int *r);

/* A scale bar of at most maxcells cells: its length in metres (1, 2 or 5
 * times a power of ten) and in cells; 0 when not even 1 m fits. */
double map_scale_bar(const map_grid *g, int maxcells, int *cells);

#endif
