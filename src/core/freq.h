/* freq.h — a column's frequency table: each value with its rows, their
 * share of the view and the register's area over them (the browser's F
 * screen and `minreg freq`, one table for both, as VisiData's F).
 *
 * A multi-valued column counts each item of its lists (a row listing two
 * minerals counts under each, its area too); an empty cell is the value
 * "" (shown "(empty)").  The area column is the schema's: the register's
 * first decimal column in km² (table_area_col); without one, no area. */
#ifndef MINREG_FREQ_H
#define MINREG_FREQ_H

#include <stdint.h>

#include "buf.h"
#include "db.h"

typedef struct freq_row {
    char *value;     /* as stored; "" for empty cells */
    int64_t rows;
    double area;
} freq_row;

typedef struct freq {
    const table *t;
    int ci, aci;     /* the column counted; the area column, or -1 */
    int64_t total;   /* rows in the view */
    freq_row *r;     /* the most rows first, then by value */
    int n, cap;
    int more;        /* there are values past the max asked for */
} freq;

enum { FREQ_VALUE, FREQ_ROWS, FREQ_SHARE, FREQ_AREA, FREQ_COLS };

/* Count column ci of t over the rows the filters keep: at most max values
 * (the most rows; max < 0: all; more set when there are others).  0, or -1
 * with e. */
int freq_build(db *d, const table *t, int ci, const db_filter *f, int nf, int max, freq *fq, mr_err *e);
void freq_free(freq *fq);
/* Columns shown: FREQ_COLS, or FREQ_AREA without an area column. */
int freq_ncols(const freq *fq);
/* Cell c (FREQ_*) of row i as shown; i < 0: the header.  raw: numbers
 * plain (csv, json: 42.9 for the share), the empty value "". */
void freq_cell(const freq *fq, int i, int c, int raw, buf *out);
/* The filter that keeps row i's rows (not owning: valid while fq is). */
void freq_filter(const freq *fq, int i, db_filter *f);

#endif
