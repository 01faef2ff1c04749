/* check_plan.c — rules about the plan's policies: extraction quotas,
 * minerals whose exploration or mining is restricted, permits, and the 2025
 * targets.  The minimum-scale rules of 专栏六 are in check_scale.c. */
#include "config.h"
#include "check_rules.h"
#include "life.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"

static int above(double a, double b) { return a > b + 1e-9 * fmax(1.0, fabs(b)); }

/* ---- extraction quotas (专栏一, 第六章第一节) ----------------------------------- */

typedef struct names {
    char **v;
    int n;
} names;

static void names_add(void *arg, const char *key, int64_t count, double sum)
{
    (void)count, (void)sum;
    names *ns = arg;
    if (!key)
        return;
    ns->v = xrealloc(ns->v, sizeof *ns->v * (size_t)(ns->n + 1));
    ns->v[ns->n++] = xstrdup(key);
}

static void names_free(names *ns)
{
    for (int i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
}

/* The quota of one mineral: the county rows' sum and the matching indicator. */
typedef struct quota {
    const char *mineral;
    double sum;
    int64_t rows;
    char *unit;
    int has_ind;
    plan_indicator ind;
    int binding;        /* 约束性: the indicator's or any county row's attribute */
} quota;

static int quota_get(check_ctx *c, const table *qt, const char *mineral, quota *q)
{
    memset(q, 0, sizeof *q);
    q->mineral = mineral;
    if (plan_quota_sum(c->d, mineral, &q->sum, &q->rows, &q->unit) < 0)
        return -1;
    if (!q->unit)
        return 0;
    int hi = plan_quota_indicator(c->d, mineral, q->unit, &q->ind);
    if (hi < 0)
        return -1;
    q->has_ind = hi;
    db_filter f[2] = {{.ci = table_col(qt, "mineral"), .value = mineral, .op = DBF_EQ}, {.ci = table_col(qt, "attribute"), .value = "约束性", .op = DBF_EQ}};
    int64_t nb = 0;
    if (f[1].ci >= 0 && db_count(c->d, qt, f, 2, &nb, NULL) < 0)
        return -1;
    q->binding = nb > 0 || (hi && strcmp(q->ind.attribute, "约束性") == 0);
    return 0;
}

static void quota_free(quota *q)
{
    free(q->unit);
    plan_indicator_free(&q->ind);
}

/* Call fn for each mineral with quotas. */
typedef void (*quota_fn)(check_ctx *, const check_rule *, const table *qt, const table *it, quota *);
static void each_quota(check_ctx *c, const check_rule *r, quota_fn fn)
{
    const table *qt = ctx_table(c, "quotas"), *it = ctx_table(c, "indicators");
    int mi = qt ? table_col(qt, "mineral") : -1;
    if (!qt || !it || mi < 0 || !ctx_wants(c, qt, it))
        return;
    names ns = {0};
    if (db_group(c->d, qt, mi, -1, names_add, &ns, c->failed ? NULL : c->e) < 0)
        c->failed = 1;   /* e says why (the file damaged, ...) */
    for (int i = 0; i < ns.n && !c->failed; i++) {
        quota q;
        if (quota_get(c, qt, ns.v[i], &q) < 0)
            ctx_fail(c, qt, "quota");
        else
            fn(c, r, qt, it, &q);
        quota_free(&q);
    }
    names_free(&ns);
}

static void quota_indicator(check_ctx *c, const check_rule *r, const table *qt, const table *it,
                            quota *q)
{
    char n1[40], n2[40];
    /* a binding total exceeded is R-QUOTA-BINDING's error, not also this warning */
    if (!q->has_ind || (q->binding && above(q->sum, q->ind.value)) ||
        fabs(q->sum - q->ind.value) <= 1e-9 * fmax(1.0, q->ind.value))
        return;
    ctx_add(c, r, it, q->ind.rowid, q->ind.seq, table_col(it, "value"), qt, NULL,
            _("county quotas of %s add up to %s %s, 专栏一 %s states %s (%s)"), q->mineral,
            plan_num(q->sum, n1), q->unit, q->ind.name, plan_num(q->ind.value, n2), q->ind.attribute);
}

void rule_quota_indicator(check_ctx *c, const check_rule *r) { each_quota(c, r, quota_indicator); }

static void quota_binding(check_ctx *c, const check_rule *r, const table *qt, const table *it,
                          quota *q)
{
    char n1[40], n2[40];
    if (!q->binding)
        return;
    if (q->has_ind && above(q->sum, q->ind.value))
        ctx_add(c, r, it, q->ind.rowid, q->ind.seq, table_col(it, "value"), qt, NULL,
                _("county quotas of %s add up to %s %s, above the binding total %s"), q->mineral,
                plan_num(q->sum, n1), q->unit, plan_num(q->ind.value, n2));
    unit_info qu;
    if (!unit_parse(q->unit, &qu))
        return;
    /* licensed production of the permits, county by county and city-wide */
    int di = table_col(qt, "district"), ai = table_col(qt, "amount");
    const table *mp = ctx_table(c, "mining_permits");
    db_filter f = {.ci = table_col(qt, "mineral"), .value = q->mineral, .op = DBF_EQ};
    cursor *cur = di >= 0 && ai >= 0 ? db_select(c->d, qt, &f, 1, -1, 0, -1, c->e) : NULL;
    int got = 0;
    while (cur && (got = cursor_next(cur)) == 1) {
        const char *dist = cursor_val(cur, di), *amt = cursor_val(cur, ai);
        double prod;
        int n, unknown;
        if (!dist || !amt || plan_production(c->d, q->mineral, dist, &qu, &prod, &n, &unknown) < 0)
            continue;
        if (n > 0 && above(prod, atof(amt)))
            ctx_add(c, r, qt, cursor_rowid(cur), cursor_val(cur, qt->key_ci), ai, mp, NULL,
                    _("licensed production of %s in %s is %s %s a year (mining permits: %d), "
                      "above the binding quota %s"),
                    q->mineral, dist, plan_num(prod, n1), q->unit, n, plan_num(atof(amt), n2));
    }
    if (got < 0)
        ctx_fail(c, qt, cursor_error(cur));
    cursor_free(cur);
    double prod;
    int n, unknown;
    if (q->has_ind && plan_production(c->d, q->mineral, NULL, &qu, &prod, &n, &unknown) == 0 &&
        n > 0 && above(prod, q->ind.value))
        ctx_add(c, r, it, q->ind.rowid, q->ind.seq, table_col(it, "value"), mp, NULL,
                _("licensed production of %s is %s %s a year (mining permits: %d), "
                  "above the binding total %s"),
                q->mineral, plan_num(prod, n1), q->unit, n, plan_num(q->ind.value, n2));
}

void rule_quota_binding(check_ctx *c, const check_rule *r) { each_quota(c, r, quota_binding); }

/* ---- minerals: 第四章第一节二 ------------------------------------------------------ */

static const struct { const char *col, *value; } policies[] = {
    [POLICY_MINE_FORBIDDEN] = {"mine_policy", "禁止开采"},
    [POLICY_MINE_RESTRICTED] = {"mine_policy", "限制开采"},
    [POLICY_EXPLORE_RESTRICTED] = {"explore_policy", "限制勘查"},
};

void rule_mineral_policy(check_ctx *c, const check_rule *r)
{
    const table *mt = ctx_table(c, "minerals");
    int pc = mt ? table_col(mt, policies[r->arg].col) : -1;
    if (pc < 0)
        return;
    /* the minerals under this policy: a handful, read once */
    names ns = {0};
    db_filter pf = {.ci = pc, .value = policies[r->arg].value, .op = DBF_EQ};
    cursor *mc = db_select(c->d, mt, &pf, 1, -1, 0, -1, c->e);
    if (!mc) {
        c->failed = 1;
        return;
    }
    while (cursor_next(mc) == 1)
        names_add(&ns, cursor_val(mc, mt->key_ci), 0, 0);
    cursor_free(mc);
    buf key = BUF_INIT;
    for (int ti = 0; ti < c->s->ntables && ns.n && !c->failed; ti++) {
        const table *t = &c->s->tables[ti];
        if (!ctx_rule_has(r, t) || !ctx_wants(c, t, mt))
            continue;
        for (int ci = 0; ci < t->ncols; ci++) {
            if (t->cols[ci].link_ti != schema_table_index(c->s, mt))
                continue;
            for (int k = 0; k < ns.n; k++) {
                db_filter f = {.ci = ci, .value = ns.v[k], .op = DBF_EQ};   /* a list column matches any item */
                cursor *cur = db_select(c->d, t, &f, 1, -1, 0, -1, c->e);
                if (!cur) {
                    c->failed = 1;
                    break;
                }
                while (cursor_next(cur) == 1) {
                    buf_reset(&key);
                    ctx_row_key(t, cur, &key);
                    ctx_add(c, r, t, cursor_rowid(cur), buf_str(&key), ci, mt, NULL,
                            _("%s lists %s: %s"),
                            t->cols[ci].label, ns.v[k], policies[r->arg].value);
                }
                cursor_free(cur);
            }
        }
    }
    buf_free(&key);
    names_free(&ns);
}

/* ---- expired permits -------------------------------------------------------------- */

void rule_expired(check_ctx *c, const check_rule *r)
{
    buf key = BUF_INIT;
    for (int ti = 0; ti < c->s->ntables && !c->failed; ti++) {
        const table *t = &c->s->tables[ti];
        int vt = table_col(t, "valid_to"), st = table_col(t, "status");
        if (vt < 0 || t->cols[vt].type != COL_DATE || !ctx_wants(c, t, NULL))
            continue;
        cursor *cur = db_select(c->d, t, NULL, 0, vt, 0, -1, c->e);
        if (!cur) {
            c->failed = 1;
            break;
        }
        while (cursor_next(cur) == 1) {
            const char *to = cursor_val(cur, vt), *status = st >= 0 ? cursor_val(cur, st) : NULL;
            /* a closed mine's permit is not expected to be valid */
            if (!to || !value_is_date(to) || strcmp(to, c->o->today) >= 0 ||
                (status && strcmp(status, "关闭") == 0))
                continue;
            buf_reset(&key);
            ctx_row_key(t, cur, &key);
            ctx_add(c, r, t, cursor_rowid(cur), buf_str(&key), vt, NULL, NULL,
                    _("%s %s is before %s: expired"),
                    t->cols[vt].label, to, c->o->today);
        }
        cursor_free(cur);
    }
    buf_free(&key);
}

/* ---- extensions (the life of a permit, life.c) ------------------------------------ */

void rule_renewal(check_ctx *c, const check_rule *r)
{
    int window = life_filing_days(c->s);
    const table *ev = life_events(c->s);
    if (!window || !ev)
        return;
    life_due *v;
    int n = life_expiring(c->d, c->o->today, window, &v, c->e);
    if (n < 0) {
        c->failed = 1;
        return;
    }
    for (int i = 0; i < n; i++) {
        if (v[i].state == LIFE_DUE || !ctx_wants(c, v[i].t, NULL))
            continue;
        int xci = table_role(v[i].t, "expiry");
        if (v[i].state == LIFE_EXPIRED)
            ctx_add(c, r, v[i].t, v[i].rowid, v[i].key, xci, NULL, NULL,
                    _("expired on %s, and no extension (延续) or cancellation (注销) is recorded"),
                    v[i].expiry);
        else
            ctx_add(c, r, v[i].t, v[i].rowid, v[i].key, xci, NULL, NULL,
                    _("expires on %s, in %ld days: its extension (延续) must be filed now (at least "
                      "%d days before)"), v[i].expiry, v[i].days, window);
    }
    life_due_free(v, n);
    /* extensions recorded as filed late */
    int tci = table_role(ev, "event_type"), dci = table_role(ev, "event_date"),
        oci = table_role(ev, "was:expiry");
    if (tci < 0 || dci < 0 || oci < 0 || !ctx_wants(c, ev, NULL))
        return;
    cursor *cur = db_select(c->d, ev, NULL, 0, dci, 0, -1, c->e);
    if (!cur) {
        c->failed = 1;
        return;
    }
    buf key = BUF_INIT;
    while (cursor_next(cur) == 1) {
        const event_type *x = schema_event_type(c->s, cursor_val(cur, tci));
        if (!x || !x->days || !list_has(x->needs, "expiry"))
            continue;
        int ok;
        long before = life_days(cursor_val(cur, dci), cursor_val(cur, oci), &ok);
        if (!ok || before >= x->days)
            continue;
        buf_reset(&key);
        ctx_row_key(ev, cur, &key);
        ctx_add(c, r, ev, cursor_rowid(cur), buf_str(&key), dci, NULL, NULL,
                _("a %s dated %s, %ld days before the validity ended (%s): filed later than %d days "
                  "before"), x->type, cursor_val(cur, dci), before, cursor_val(cur, oci), x->days);
    }
    cursor_free(cur);
    buf_free(&key);
}

/* ---- 2025 targets (专栏一) ---------------------------------------------------------- */

/* The indicator named name, when findings about it are wanted. */
static int target_get(check_ctx *c, const char *name, plan_indicator *ind, const table **it)
{
    *it = ctx_table(c, "indicators");
    if (!*it || !ctx_wants(c, *it, ctx_table(c, "mining_permits")))
        return 0;
    int found = plan_indicator_named(c->d, name, ind);
    if (found < 0)
        ctx_fail(c, *it, name);
    return found > 0;
}

/* The base year beside the 2025 target: the plan compares them on purpose
 * (第三章第二节), so this is information with both figures, not a fault. */
void rule_target_mines(check_ctx *c, const check_rule *r)
{
    plan_indicator ind;
    plan_figure f;
    const table *it;
    char n1[40], n2[40];
    if (!target_get(c, PLAN_IND_MINES, &ind, &it))
        return;
    if (plan_mines(c->d, &f) < 0)
        ctx_fail(c, it, "mining_permits");
    else if (f.known) {
        const table *mp = ctx_table(c, "mining_permits");
        int vi = table_col(it, "value");
        if (f.stated)
            ctx_add(c, r, it, ind.rowid, ind.seq, vi, mp, NULL,
                    _("base year 2020: %s mines (%s; the register holds %lld mining permits); "
                      "target for 2025: %s (%s)"),
                    plan_num(f.value, n1), f.source, (long long)f.rows, plan_num(ind.value, n2),
                    ind.attribute);
        else
            ctx_add(c, r, it, ind.rowid, ind.seq, vi, mp, NULL,
                    _("the register: %s mines (not closed); target for 2025: %s (%s)"),
                    plan_num(f.value, n1), plan_num(ind.value, n2), ind.attribute);
    }
    plan_indicator_free(&ind);
}

void rule_target_share(check_ctx *c, const check_rule *r)
{
    plan_indicator ind;
    plan_figure f;
    const table *it;
    char n2[40];
    if (!target_get(c, PLAN_IND_LARGE_SHARE, &ind, &it))
        return;
    if (plan_large_share(c->d, &f) < 0)
        ctx_fail(c, it, "mining_permits");
    else if (f.known) {
        const table *mp = ctx_table(c, "mining_permits");
        int vi = table_col(it, "value");
        if (f.stated)
            ctx_add(c, r, it, ind.rowid, ind.seq, vi, mp, NULL,
                    _("base year 2020: large and medium mines %.1f%% (%s); target for 2025: %s%% (%s)"),
                    f.value, f.source, plan_num(ind.value, n2), ind.attribute);
        else
            ctx_add(c, r, it, ind.rowid, ind.seq, vi, mp, NULL,
                    _("the register: large and medium mines %.1f%% of the mines with a size class; "
                      "target for 2025: %s%% (%s)"),
                    f.value, plan_num(ind.value, n2), ind.attribute);
    }
    plan_indicator_free(&ind);
}
