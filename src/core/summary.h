/* summary.h — what the register holds, summed up for a report.
 *
 * Counts and areas per register, by district and by mineral, and the
 * indicators of 专栏一 next to the register's comparable figure.  The CLI's
 * `report summary` and the TUI's Summary screen both print this; neither
 * computes anything itself.  No output here.
 */
#ifndef MINREG_SUMMARY_H
#define MINREG_SUMMARY_H

#include <stdint.h>

#include "db.h"
#include "plan.h"

typedef struct sum_reg {
    const table *t;
    int64_t rows;
    int aci;                    /* the area column (km²), or -1 */
    double area;
    const total *count, *sum;   /* what the plan states for the whole register, or NULL */
} sum_reg;

typedef struct sum_row {
    char *key;                  /* district or mineral; NULL: not given */
    int64_t rows;
    double area;
} sum_row;

/* One register grouped by one column.  A row whose column lists several
 * items (凤城市;宽甸县) counts under each, so the groups may add up to more
 * than the register's total, which is given apart. */
typedef struct sum_group {
    const table *t;
    int gci, aci;
    sum_row *r;
    int n;
    int64_t rows;
    double area;
} sum_group;

typedef struct sum_ind {
    plan_indicator ind;
    int has_value;              /* the register gives a comparable figure */
    double value;
    int decimals;               /* to show value with, -1: as plan_num does */
    char *basis;                /* where the figure comes from, in the interface language */
} sum_ind;

typedef struct summary {
    sum_reg *regs;
    int nregs;
    sum_group *by_district, *by_mineral;
    int ndistrict, nmineral;
    sum_ind *ind;
    int nind;
    const table *indicators;    /* the register the indicators are in, or NULL */
} summary;

int summary_build(db *d, summary *out, mr_err *e);
void summary_free(summary *s);

/* ---- the summary laid out as tables (summary_table.c) ----------------------
 * Four sections of cells — registers, by district, by mineral, indicators —
 * with headers in the interface language.  The CLI prints them as text or
 * CSV; the TUI draws them and opens what a row is about. */
typedef struct sum_line {
    char **cells;           /* ncols cells */
    /* what the row is about: the register t, filtered by column fci = fval
     * (fci < 0: all of it), or its record rowid (>= 0) */
    const table *t;
    int fci;
    char *fval;
    int64_t rowid;
} sum_line;

typedef struct sum_section {
    const char *title;
    int ncols;
    const int *right;       /* per column: a number, right-aligned in text */
    sum_line *lines;        /* lines[0] is the header */
    int n;
} sum_section;

enum { SUM_SECTIONS = 4 };

/* repeat: name the register on every row of a group (for CSV, so it can be
 * filtered), not only on the first (text). */
void summary_sections(const summary *s, int repeat, sum_section out[SUM_SECTIONS]);
void summary_sections_free(sum_section sec[SUM_SECTIONS]);
/* The footnote under the text tables. */
const char *summary_note(void);

#endif
