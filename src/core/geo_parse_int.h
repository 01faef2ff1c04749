/* geo_parse_int.h — shared by geo_parse.c (the records read, the shape
 * built, the meaning decided) and geo_formats.c (each format taken apart)
 * only. */
#ifndef MINREG_GEO_PARSE_INT_H
#define MINREG_GEO_PARSE_INT_H

#include "core/geo.h"

typedef struct rec {
    char **f;
    int n;
    int line;
} rec;

typedef struct rd {
    const char *path;
    rec *v;
    int n, cap;
    mr_err *e;
} rd;

/* The coordinate texts wait in id/x/y until finish() decides what they mean:
 * xt and yt are stashed in a side array parallel to the points. */
typedef struct pending {
    char *xt, *yt;
} pending;

typedef struct build {
    geo_shape *s;
    pending *pv;      /* one per point, in the order added */
    int np, capp;
} build;

/* The read stops at line of r's file: e says why; -1. */
int gp_fail(rd *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* s without the white space around it (s is changed). */
const char *gp_trim(char *s);
/* A plain decimal number (what a coordinate or an elevation is)? */
int gp_is_number(const char *s, double *v);
geo_parcel *gp_new_parcel(geo_shape *s, int line);
geo_ring *gp_new_ring(geo_parcel *p, int line);
/* A point of ring g, its coordinates still as written (geo_parse.c decides). */
int gp_add_point(build *b, rd *r, geo_ring *g, const char *id, const char *xt, const char *yt,
                 int line);

/* The formats (geo_formats.c): r's records into b; 0, or -1 (gp_fail). */
int gp_read_pointlist(rd *r, build *b);
int gp_read_exchange(rd *r, build *b);
int gp_read_jtable(rd *r, build *b);
int gp_read_xystring(rd *r, build *b);

#endif
