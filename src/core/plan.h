/* plan.h — the plan's figures as the register holds them.
 *
 * Checks and the summary report compare the same things (the mine count
 * with 专栏一's target, county quotas with 专栏一's extraction totals, a
 * permit's production with a quota); both ask here so the two never
 * disagree about what the register says.  No output and no SQL here.
 */
#ifndef MINREG_PLAN_H
#define MINREG_PLAN_H

#include <stdint.h>

#include "db.h"

/* Indicator names of 专栏一 that are not tied to a mineral. */
#define PLAN_IND_MINES "矿山数量"
#define PLAN_IND_LARGE_SHARE "大中型矿山比例"
/* The plan's base year is 2020 (总则): permits issued from this day on are
 * granted under it, so its rules for new mines apply to them. */
#define PLAN_START "2021-01-01"

/* ---- units ----------------------------------------------------------------
 * Units are printed as the plan prints them: "矿石, 万吨/年", "矿石，亿吨（62%）",
 * "B₂O₃, 万吨".  A unit is the measure (what is counted: 矿石, B₂O₃), an
 * optional grade ("62%") and a magnitude (万吨 = 10^4 t, 亿立方米 ...). */
typedef struct unit_info {
    char measure[64];   /* "矿石", "" when not given */
    char grade[32];     /* "62%", "" when not given */
    char dim;           /* 't' mass, 'v' volume, 0 not recognised */
    double factor;      /* one unit in tonnes or cubic metres */
} unit_info;

/* Parse s; returns 1 when the magnitude was recognised. */
int unit_parse(const char *s, unit_info *u);
/* Can values in a and b be compared (after converting by factor)?  Same
 * dimension, same grade, and the same measure when both name one. */
int unit_comparable(const unit_info *a, const unit_info *b);

/* ---- figures ------------------------------------------------------------ */
typedef struct plan_figure {
    int known;          /* 0: neither the register nor the plan's text gives it */
    int stated;         /* 1: value is the plan's stated base-period figure, because
                           the register holds fewer rows than the plan counts */
    double value;       /* what a comparison uses */
    int64_t rows;       /* rows of the register behind it */
    double stated_value;    /* the stated figure, when the plan states one */
    int has_stated;
    const char *source; /* clause of the stated figure, or NULL */
} plan_figure;

/* Mines: mining permits not closed, or the stated base-period count when the
 * register holds fewer rows than that.  Returns -1 on a database error. */
int plan_mines(db *d, plan_figure *f);
/* Share of large and medium mines, in percent: from the stated base-period
 * counts when the register is incomplete, else among the mines (not closed)
 * whose size class is entered. */
int plan_large_share(db *d, plan_figure *f);

/* A mineral's county quotas: their sum and unit (first row's; caller frees
 * *unit).  *n = 0 when the mineral has no quota. */
int plan_quota_sum(db *d, const char *mineral, double *sum, int64_t *n, char **unit);

/* An indicator of 专栏一. */
typedef struct plan_indicator {
    int64_t rowid;
    char *seq, *name, *unit, *attribute;
    double value;       /* for plan_quota_indicator: converted to the quota's unit */
} plan_indicator;
void plan_indicator_free(plan_indicator *ind);

/* The indicator named name.  1 found, 0 none, -1 database error. */
int plan_indicator_named(db *d, const char *name, plan_indicator *ind);

/* The 专栏一 indicator that states the same quantity as the quotas of a
 * mineral: linked by indicators.mineral and measured in a comparable unit
 * (新增硼矿产资源储量 in B₂O₃ is not 硼矿年开采总量).  1 found, 0 none. */
int plan_quota_indicator(db *d, const char *mineral, const char *quota_unit, plan_indicator *ind);

/* Licensed production: the scale of mining permits (not closed) that list
 * mineral, in district (NULL: all), converted to unit to.  *n counts the
 * permits added; *unknown those without a scale or with a unit that cannot
 * be converted. */
int plan_production(db *d, const char *mineral, const char *district, const unit_info *to,
                    double *sum, int *n, int *unknown);

/* A number as people write it: at most 10 decimals, no trailing zeros. */
const char *plan_num(double x, char out[40]);

#endif
