/* summary.c — what the register holds, summed up for a report (see summary.h). */
#include "config.h"
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"

static int area_col(const table *t) { return table_area_col(t); }

/* Dictionaries are what the other registers are grouped by, not registers
 * to sum up themselves. */
static int is_dictionary(const table *t) { return strcmp(t->grp, "字典") == 0; }

static const total *stated(const schema *s, const table *t, const char *measure, const char *col)
{
    for (int i = 0; i < s->ntotals; i++) {
        const total *x = &s->totals[i];
        /* only what the plan states: not the rows its own table lists */
        if (strcmp(x->tbl, t->id) == 0 && strcmp(x->measure, measure) == 0 &&
            strcmp(x->col, col) == 0 && !*x->where_col && !*x->with_tbl && total_is_stated(x))
            return x;
    }
    return NULL;
}

static int build_regs(db *d, summary *out, mr_err *e)
{
    const schema *s = db_schema(d);
    out->regs = xcalloc((size_t)s->ntables, sizeof *out->regs);
    for (int i = 0; i < s->ntables; i++) {
        const table *t = &s->tables[i];
        if (is_dictionary(t))
            continue;
        sum_reg *r = &out->regs[out->nregs++];
        r->t = t;
        r->aci = area_col(t);
        if (db_count(d, t, NULL, 0, &r->rows, e) < 0 ||
            (r->aci >= 0 && db_sum(d, t, NULL, 0, r->aci, &r->area, e) < 0))
            return -1;
        r->count = stated(s, t, "count", "");
        r->sum = r->aci >= 0 ? stated(s, t, "sum", t->cols[r->aci].id) : NULL;
    }
    return 0;
}

/* ---- grouping ------------------------------------------------------------------- */

typedef struct entry {
    sum_row row;
    int64_t ord;     /* its place in the dictionary, or after it */
} entry;

typedef struct acc {
    entry *e;
    int n, cap;
} acc;

static void acc_add(acc *a, const char *key, double area)
{
    for (int i = 0; i < a->n; i++) {
        const char *k = a->e[i].row.key;
        if ((!key && !k) || (key && k && strcmp(key, k) == 0)) {
            a->e[i].row.rows++;
            a->e[i].row.area += area;
            return;
        }
    }
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->e = xrealloc(a->e, sizeof *a->e * (size_t)a->cap);
    }
    a->e[a->n++] = (entry){{key ? xstrdup(key) : NULL, 1, area}, 0};
}

static int by_order(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->ord != b->ord)
        return a->ord < b->ord ? -1 : 1;
    const char *p = a->row.key, *q = b->row.key;
    return p && q ? strcmp(p, q) : (p ? -1 : q ? 1 : 0);
}

/* Rows of t by column gci, items of lists apart, in the dictionary's order
 * (the plan's order of districts and minerals); values not in it after,
 * then "not given". */
static int group(db *d, const table *t, int gci, int aci, sum_group *g)
{
    const schema *s = db_schema(d);
    const column *gc = &t->cols[gci];
    const table *dict = &s->tables[gc->link_ti];
    acc a = {0};
    memset(g, 0, sizeof *g);
    g->t = t;
    g->gci = gci;
    g->aci = aci;
    cursor *c = db_select(d, t, NULL, 0, -1, 0, -1, NULL);
    if (!c)
        return -1;
    int got;
    while ((got = cursor_next(c)) == 1) {
        const char *v = cursor_val(c, gci), *ar = aci >= 0 ? cursor_val(c, aci) : NULL;
        double area = ar ? atof(ar) : 0;
        g->rows++;
        g->area += area;
        if (!v || !*v) {
            acc_add(&a, NULL, area);
            continue;
        }
        char *items = xstrdup(v), *save = NULL;
        for (char *it = gc->multi ? strtok_r(items, ";", &save) : items; it;
             it = gc->multi ? strtok_r(NULL, ";", &save) : NULL)
            acc_add(&a, it, area);
        free(items);
    }
    cursor_free(c);
    for (int i = 0; i < a.n; i++) {
        int64_t rowid;
        const char *k = a.e[i].row.key;
        a.e[i].ord = !k ? INT64_MAX : db_find_by(d, dict, gc->link_ci, k, &rowid, NULL) == DB_FOUND ? rowid : INT64_MAX - 1;
    }
    if (a.n > 1)
        qsort(a.e, (size_t)a.n, sizeof *a.e, by_order);
    g->r = xcalloc((size_t)a.n + 1, sizeof *g->r);
    for (int i = 0; i < a.n; i++)
        g->r[i] = a.e[i].row;
    g->n = a.n;
    free(a.e);
    return got < 0 ? -1 : 0;
}

/* For every register with an area and a column linking to dict: its groups. */
static int build_groups(db *d, const char *dict, sum_group **out, int *n)
{
    const schema *s = db_schema(d);
    const table *dt = schema_table(s, dict);
    *out = xcalloc((size_t)s->ntables, sizeof **out);
    *n = 0;
    if (!dt)
        return 0;
    for (int i = 0; i < s->ntables; i++) {
        const table *t = &s->tables[i];
        int aci = area_col(t), gci = -1;
        for (int k = 0; k < t->ncols && gci < 0; k++)
            if (t->cols[k].link_ti == schema_table_index(s, dt))
                gci = k;
        int64_t rows;
        if (is_dictionary(t) || aci < 0 || gci < 0)
            continue;
        if (db_count(d, t, NULL, 0, &rows, NULL) < 0)
            return -1;   /* a failure, not an empty register */
        if (rows == 0)
            continue;
        int rc = group(d, t, gci, aci, &(*out)[*n]);
        (*n)++;   /* counted even when it failed: summary_free frees what it holds */
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---- 专栏一 next to the register ---------------------------------------------- */

/* The quota total and licensed production for an indicator tied to a mineral. */
static int ind_quota(db *d, const char *mineral, sum_ind *si, buf *basis)
{
    double sum;
    int64_t n;
    char *unit = NULL, n1[40];
    plan_indicator qi;
    if (plan_quota_sum(d, mineral, &sum, &n, &unit) < 0)
        return -1;
    int found = unit ? plan_quota_indicator(d, mineral, unit, &qi) : 0;
    if (found < 0) {
        free(unit);
        return -1;
    }
    if (found && qi.rowid == si->ind.rowid) {
        /* the indicator's own unit may differ in magnitude from the quotas' */
        unit_info qu, iu;
        unit_parse(unit, &qu);
        unit_parse(si->ind.unit, &iu);
        si->has_value = 1;
        si->value = sum * qu.factor / iu.factor;
        buf_printf(basis, _("county quotas added up (%lld rows, 第六章第一节)"), (long long)n);
        double prod;
        int np, unknown;
        if (plan_production(d, mineral, NULL, &iu, &prod, &np, &unknown) < 0) {
            plan_indicator_free(&qi);
            free(unit);
            return -1;
        }
        if (np > 0)
            buf_printf(basis, _("; licensed production: %s (mining permits: %d)"), plan_num(prod, n1), np);
    }
    if (found)
        plan_indicator_free(&qi);
    free(unit);
    return 0;
}

static int ind_fill(db *d, const char *mineral, sum_ind *si)
{
    buf basis = BUF_INIT;
    plan_figure f;
    int rc = 0;
    si->decimals = -1;
    if (mineral && *mineral) {
        rc = ind_quota(d, mineral, si, &basis);
    } else if (strcmp(si->ind.name, PLAN_IND_MINES) == 0) {
        if ((rc = plan_mines(d, &f)) == 0 && f.known) {
            si->has_value = 1;
            si->value = f.value;
            if (f.stated)
                buf_printf(&basis, _("the plan's base-period count (%s); the register holds %lld mining permits"),
                           f.source, (long long)f.rows);
            else
                buf_puts(&basis, _("mining permits in the register, not closed"));
        }
    } else if (strcmp(si->ind.name, PLAN_IND_LARGE_SHARE) == 0) {
        if ((rc = plan_large_share(d, &f)) == 0 && f.known) {
            si->has_value = 1;
            si->value = f.value;
            si->decimals = 1;
            if (f.stated)
                buf_printf(&basis, _("the plan's base-period counts (%s)"), f.source);
            else
                buf_puts(&basis, _("mining permits in the register with a size class"));
        } else if (rc == 0) {
            buf_puts(&basis, _("no mining permit in the register has a size class"));
        }
    }
    if (rc == 0 && !basis.len)
        buf_puts(&basis, _("the register holds no comparable figure"));
    si->basis = buf_steal(&basis);
    return rc;
}

static int build_indicators(db *d, summary *out)
{
    const table *t = schema_table(db_schema(d), "indicators");
    out->indicators = t;
    if (!t)
        return 0;
    int si = table_col(t, "seq"), ni = table_col(t, "name"), ui = table_col(t, "unit"),
        vi = table_col(t, "value"), ai = table_col(t, "attribute"), mi = table_col(t, "mineral");
    if (si < 0 || ni < 0 || ui < 0 || vi < 0 || ai < 0)
        return 0;
    int64_t n;
    if (db_count(d, t, NULL, 0, &n, NULL) < 0)
        return -1;
    out->ind = xcalloc((size_t)n + 1, sizeof *out->ind);
    cursor *c = db_select(d, t, NULL, 0, -1, 0, -1, NULL);
    if (!c)
        return -1;
    int got, rc = 0;
    while (rc == 0 && out->nind < n && (got = cursor_next(c)) == 1) {
        sum_ind *x = &out->ind[out->nind++];
        const char *v = cursor_val(c, vi);
        x->ind.rowid = cursor_rowid(c);
        x->ind.seq = xstrdup(cursor_val(c, si) ? cursor_val(c, si) : "");
        x->ind.name = xstrdup(cursor_val(c, ni) ? cursor_val(c, ni) : "");
        x->ind.unit = xstrdup(cursor_val(c, ui) ? cursor_val(c, ui) : "");
        x->ind.attribute = xstrdup(cursor_val(c, ai) ? cursor_val(c, ai) : "");
        x->ind.value = v ? atof(v) : 0;
        rc = ind_fill(d, mi >= 0 ? cursor_val(c, mi) : NULL, x);
    }
    cursor_free(c);
    return rc;
}

/* ---- the whole ------------------------------------------------------------------ */

int summary_build(db *d, summary *out, mr_err *e)
{
    memset(out, 0, sizeof *out);
    if (build_regs(d, out, e) < 0)
        return -1;   /* e says why: a damaged file as such */
    if (build_groups(d, "districts", &out->by_district, &out->ndistrict) < 0 ||
        build_groups(d, "minerals", &out->by_mineral, &out->nmineral) < 0 ||
        build_indicators(d, out) < 0) {
        err_set(e, EXIT_DB, _("%s: cannot read the registers for the summary"), db_path(d));
        return -1;
    }
    return 0;
}

static void groups_free(sum_group *g, int n)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < g[i].n; k++)
            free(g[i].r[k].key);
        free(g[i].r);
    }
    free(g);
}

void summary_free(summary *s)
{
    free(s->regs);
    groups_free(s->by_district, s->ndistrict);
    groups_free(s->by_mineral, s->nmineral);
    for (int i = 0; i < s->nind; i++) {
        plan_indicator_free(&s->ind[i].ind);
        free(s->ind[i].basis);
    }
    free(s->ind);
    memset(s, 0, sizeof *s);
}
