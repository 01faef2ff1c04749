/* table_int.h — the table screen's state, shared by table.c (its rows,
 * columns and drawing) and table_req.c (its requests, filters and ":"
 * commands) only. */
#ifndef MINREG_TABLE_INT_H
#define MINREG_TABLE_INT_H

#include "tui/list.h"

typedef struct tview {
    const table *t;
    db_filter *f;
    int nf;
    rowsrc *src;
    int sort_ci, desc;
    list l;                /* l.top, l.cur: positions of the first shown and the selected row */
    int end;               /* ... counted from the end (-1: the last row): not counted yet */
    int64_t end_dv;        /* db_data_version when they began to be */
    int cur_col;           /* selected column (index into t->cols) */
    int left;              /* first scrolling column shown (index into order) */
    int *order;            /* scrolling columns: every column but the key */
    int norder;
    int *width;
    int *natural;          /* widest of each column's header and first rows (fit_widths) */
    int fit_cols;          /* the screen width the widths were laid out for */
    /* the rows on screen */
    int64_t cache_pos;
    int cache_n;
    char **cache;          /* cache_n * ncols formatted cells */
    int64_t *cache_rowid;
    unsigned version;      /* tui_data_version() the view was read at */
} tview;

/* Rows on screen below the header. */
static inline int tv_data_rows(void) { return screen_rows() > 1 ? screen_rows() - 1 : 1; }

/* (table.c) */
void tv_cache_load(tview *tv, int64_t pos, int n);
void tv_clamp(tview *tv);
void tv_fit_widths(tview *tv);
/* Re-read the view in a new order (and tv->f), keeping the selected row
 * selected; on failure (e says, or said by tv_set_sort) the view is as it
 * was: -1. */
int tv_set_sort_e(tview *tv, int ci, int desc, mr_err *e);
int tv_set_sort(tview *tv, int ci, int desc);
int64_t tv_cur_rowid(tview *tv);
/* (table_req.c) */
void table_request(view *v, request req);

#endif
