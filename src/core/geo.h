/* geo.h — boundaries (拐点坐标): read the files clerks receive, compute the
 * official area, find what is wrong with them, write them back.
 *
 * A boundary is a list of parcels (one permit, block or area each), a
 * parcel one or more rings (a mine's several 采区, each with its own top and
 * bottom elevation; excluded rings, i.e. holes).  Coordinates are CGCS2000:
 * either plane 3-degree Gauss–Krüger (x = northing, y = easting in metres,
 * the zone number kept apart from the easting it prefixes) or geodetic
 * (x = latitude, y = longitude, decimal degrees) — the Chinese surveying
 * order, X north first.
 *
 * geo_parse.c reads, geo_deg.c converts degree notations, geo_area.c
 * computes areas (PROJ for the inverse projection), geo_check.c finds the
 * problems (GEOS for validity), geo_write.c writes the formats.  No SQL and
 * no curses here; the register's boundaries are a later layer.
 */
#ifndef MINREG_GEO_H
#define MINREG_GEO_H

#include <stdio.h>

#include "buf.h"
#include "err.h"

/* Dandong's longitude extent (DOMAIN.md, Coordinates): 123°22′–125°41′E. */
#define GEO_EXTENT_WEST (123.0 + 22.0 / 60.0)
#define GEO_EXTENT_EAST (125.0 + 41.0 / 60.0)
/* How far past the edge of its 3-degree band (central meridian ± 1.5°) a
 * point may lie before its zone prefix is said not to fit: shapes across a
 * zone edge are kept whole in one zone, which puts a few km beyond it. */
#define GEO_BAND_SLACK 0.25

typedef enum {
    GEO_FMT_AUTO,
    GEO_FMT_POINTLIST,   /* registration/disclosure point list, rings closed by '*' lines */
    GEO_FMT_EXCHANGE,    /* the ministry's exchange file: [属性描述] … [地块坐标] */
    GEO_FMT_JTABLE,      /* J1…Jn with X and Y columns (CSV) */
    GEO_FMT_XYSTRING,    /* X1,Y1;X2,Y2;… one record a line */
    GEO_FMT_WKT,         /* written only */
    GEO_FMT_GEOJSON      /* written only */
} geo_format;

/* How geodetic numbers are written: decimal degrees, D.MMSS (124.3015 =
 * 124°30′15″) or DDDMMSS (1243015.123); AUTO: DDDMMSS is told by its size,
 * decimal by a value that cannot be D.MMSS; one that could be either is
 * refused (the clerk says which). */
typedef enum { GEO_DEG_AUTO, GEO_DEG_DECIMAL, GEO_DEG_DMMSS, GEO_DEG_DDDMMSS } geo_degrees;

typedef struct geo_point {
    char *id;              /* 点号 as given (J1, 1), or NULL */
    double x, y;           /* see the file comment; y without the zone prefix */
    int zone;              /* from the prefix on Y or the file's 带号; 0: none */
    int prefixed;          /* Y carried the zone prefix */
    int line;              /* in the file */
    int xdec, ydec;        /* decimals as written (the precision check) */
} geo_point;

typedef struct geo_ring {
    geo_point *pts;        /* as given, a repeated first point dropped */
    int n, cap;
    int line;              /* of its first point */
    int closed;            /* the file closes it (see geo_parse.c per format) */
    int repeated_first;    /* the last point given repeats the first */
    int hole;              /* excluded ring: flag -1, or inside another ring */
    int flag;              /* point list's flag (1, -1), else 0 */
    int has_elev;
    double top, bottom;    /* 起标高, 止标高 (metres) */
    char *name;            /* a mining area's name, or NULL */
    int no;                /* 圈号, or its position from 1 */
    int swapped;           /* X and Y were given in the wrong order (now put right) */
} geo_ring;

typedef struct geo_parcel {
    char *no, *name;       /* 地块编号, 地块名称 (exchange file), or NULL */
    int line;
    int has_reg_area;
    double reg_area;       /* the registered 面积, km² */
    int declared_points;   /* an exchange header's point count, or -1 */
    int declared_line;
    geo_ring *rings;
    int nrings, cap;
} geo_parcel;

typedef struct geo_shape {
    geo_format fmt;        /* what was read */
    int geodetic;          /* 0: plane; else the geo_degrees notation the file used */
    int zone;              /* the file's 带号 (or --zone), 0: none */
    char **keys, **vals;   /* an exchange file's [属性描述], in order */
    int nattr;
    geo_parcel *parcels;
    int nparcels, cap;
} geo_shape;

typedef struct geo_read_opts {
    geo_format fmt;        /* GEO_FMT_AUTO: detect */
    geo_degrees deg;
    int zone;              /* 0, or the zone for Y without a prefix */
} geo_read_opts;

/* ---- reading (geo_parse.c) ---- */
/* Read path ("-" = standard input; any encoding textin reads).  0, or -1
 * with e = "FILE:LINE: reason" and code EXIT_DATA (EXIT_IO when the file
 * cannot be opened).  A file that parses is returned even when its shapes
 * are wrong: geo_check says what is wrong. */
int geo_read(const char *path, const geo_read_opts *o, geo_shape *out, mr_err *e);
void geo_shape_free(geo_shape *s);
const char *geo_format_name(geo_format f);
/* "pointlist", "exchange", "jtable", "xy", "wkt", "geojson" (also "auto"). */
int geo_format_parse(const char *s, geo_format *f);
int geo_degrees_parse(const char *s, geo_degrees *d);   /* "decimal", "dmmss", "dddmmss", "auto" */

/* ---- degrees (geo_deg.c) ---- */
/* A number's text in the given notation to decimal degrees; 0, or -1 when
 * it is not a valid angle in it (minutes or seconds ≥ 60). Also takes
 * 124°30′15.123″ and 124度30分15秒 whatever the notation. */
int geo_deg_from_text(const char *s, geo_degrees d, double *deg);
/* Could this text be D.MMSS (its minutes and seconds below 60)? */
int geo_deg_could_be_dmmss(const char *s);
/* Decimal degrees as D.MMSS (seconds to 3 decimals) into b. */
void geo_deg_to_dmmss(double deg, buf *b);

/* ---- areas (geo_area.c) ---- */
/* Geodetic (lat, lon in degrees) of a point of zone z; 0, or -1 when PROJ
 * failed or z is no 3-degree zone. */
int geo_inverse(int zone, double x, double easting, double *lat, double *lon);
/* The plane coordinates in zone z of a geodetic point (the generator and the
 * tests use it). */
int geo_forward(int zone, double lat, double lon, double *x, double *easting);
/* The official area of a ring in km² (positive): every point inverse-
 * projected to geodetic, then the ellipsoidal trapezoid sum of TD/T
 * 1055-2019 on GRS80.  -1 when a point cannot be inverse-projected. */
double geo_ring_area(const geo_shape *s, const geo_ring *r);
/* The same ring's area by PROJ's geodesic polygon (geod_polygonarea on
 * GRS80), km²: the independent cross-check. */
double geo_ring_area_geodesic(const geo_shape *s, const geo_ring *r);
/* The plane (shoelace) area in km² — what the official method replaces. */
double geo_ring_area_plane(const geo_ring *r);
/* A parcel's area: its included rings less its holes, km²; -1 as above. */
double geo_parcel_area(const geo_shape *s, const geo_parcel *p);
/* A point's geodetic latitude and longitude (plane points inverse-projected
 * in their zone); 0, or -1. */
int geo_point_latlon(const geo_shape *s, const geo_point *p, double *lat, double *lon);
/* Round to 4 decimals (km², as registers keep areas), half away from zero. */
double geo_round4(double km2);

/* ---- checks (geo_check.c) ---- */
typedef struct geo_rule {
    const char *id;        /* "G-CLOSED" */
    const char *source;    /* the standard or notice it comes from */
    const char *help;
} geo_rule;

typedef struct geo_problem {
    const geo_rule *rule;
    int parcel, ring;      /* indexes, -1 when about the file or the parcel */
    int line;              /* where in the file, 0 when nowhere */
    char *msg;
} geo_problem;

typedef struct geo_problems {
    geo_problem *v;
    int n, cap;
} geo_problems;

/* Every problem of s, in file order; 0, or -1 with e (GEOS failed). */
int geo_check(const geo_shape *s, geo_problems *out, mr_err *e);
void geo_problems_free(geo_problems *p);
const geo_rule *geo_rules(int *n);

/* ---- writing (geo_write.c) ---- */
/* s in format f (POINTLIST, EXCHANGE, WKT, GEOJSON) into b.  Plane
 * coordinates are written with their zone prefix, to 0.01 m as the
 * standard asks; WKT and GeoJSON carry X as the first axis only when
 * geodetic (lon, lat), else (easting with prefix, northing), i.e. the
 * axis order GIS programs expect.  0, or -1 with e when f cannot hold s. */
int geo_write(const geo_shape *s, geo_format f, buf *b, mr_err *e);

#endif
