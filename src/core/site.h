/* site.h — which site owns which rows (issue #21: a county edits only
 * what it owns; the rest arrives by exchange).
 *
 * A register that is an exchange site (minreg exchange init) is the city's
 * or a county's.  The city writes every row.  A county owns the rows of a
 * register whose column has the schema role 'district' (minreg_roles: the
 * permits' and planning blocks' 所在行政区) when that column names the
 * county; a row of a register without one that links to such a register
 * (a permit's events, by their link to the permit) follows the row it
 * links to; every other row (the plan's own tables, the dictionaries) is
 * the city's.  Nothing here names a register: the roles and links of the
 * schema decide.  The same rule holds the county's own clerks (change.c,
 * import) and the changes a county sends (db_xchg_merge.c).
 */
#ifndef MINREG_SITE_H
#define MINREG_SITE_H

#include <stdint.h>

#include "db.h"

typedef struct site_rule {
    int county;             /* a county: its rows only (0: every row) */
    int code;               /* its admin code (0: not a site) */
    char name[128];
    char dist[3][128];      /* its district as the register names it: code, name, short name */
} site_rule;

/* This register's own rule (not a site, or the city: every row). */
void site_rule_self(db *d, site_rule *r);
/* The rule of site code, role "city" or "county", called name. */
void site_rule_for(db *d, int code, const char *role, const char *name, site_rule *r);
/* Does r's site own a row of t with values v (t->ncols, NULL = null)? */
int site_owns(db *d, const site_rule *r, const table *t, const char *const *v);
/* The same for row rid of t as it is stored (a row not there: 1). */
int site_owns_rid(db *d, const site_rule *r, const table *t, int64_t rid);
/* The column of t whose value decides who owns its rows (its district, or
 * its link to a register that has one), or -1: the city's register. */
int site_column(const db *d, const table *t);
/* Why r's site may not write that row of t, in words (into out, n bytes). */
void site_why(db *d, const site_rule *r, const table *t, char *out, size_t n);

#endif
