/* check_scale.c — 专栏六: minimum mining scales, "×" classes and units.
 *
 * A mine (a mining permit, or a mining block's planned mine) is held to the
 * 专栏六 row of the first mineral it lists that has one.  The row's notes
 * are kept as data (applies_to, alt_condition, alt_*): the table's figures
 * apply to one kind of mine and a second rule to another.  Which one a mine
 * falls under is read from its own columns:
 *   - a mining method named in the condition (铁矿, 金矿: 露天开采) — the
 *     mine's 开采方式;
 *   - output counted as ore (石墨: 隐晶质石墨矿石量 vs 晶质石墨矿物量) — the
 *     measure of its 规模单位;
 *   - "other" kinds (石灰岩: 其它石灰岩 vs 水泥用石灰岩) — whether its name or
 *     remark names the table's kind (水泥).
 * When the mine's columns do not say, the lower of the two minimums is used,
 * so a finding is never a guess.
 */
#include "config.h"
#include "check_rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"

enum { RULE_NONE, RULE_MIN, RULE_FORBIDDEN };

typedef struct class_rule {
    int rule;
    double min;
} class_rule;

static const char *const class_names[3] = {"大型", "中型", "小型"};

/* A row of 专栏六 with its notes' second rule, resolved per class. */
typedef struct scale_row {
    char *mineral, *unit, *applies_to, *alt_condition;
    unit_info tu;
    class_rule base[3], alt[3];
} scale_row;

/* One mine, and the 专栏六 row it falls under. */
typedef struct mine {
    const table *t;
    int c_min, c_method, c_scale, c_unit, c_class, c_from, c_remark;
    const scale_row *row;       /* NULL: no 专栏六 row for its minerals */
    class_rule use[3];          /* the figures that apply to it */
    int alt_state;              /* 1 second rule, 0 the table's, -1 cannot tell */
    const char *cond;           /* the condition that applies ("" when the table's has none) */
    int cls;                    /* the mine's class 0..2, or -1 not given */
    int has_scale, unit_ok;
    double scale;               /* in the 专栏六 row's unit */
} mine;

static int rule_of(const char *s)
{
    if (!s || !*s || strcmp(s, "无要求") == 0)
        return RULE_NONE;
    return strcmp(s, "禁止新建") == 0 ? RULE_FORBIDDEN : RULE_MIN;
}

static const char *val(cursor *c, const table *t, const char *col)
{
    int ci = table_col(t, col);
    const char *v = ci >= 0 ? cursor_val(c, ci) : NULL;
    return v ? v : "";
}

/* Does the second rule (alt) apply to the mine under p?  1, 0, -1 cannot tell. */
static int alt_applies(const mine *m, cursor *p, const char *alt, const char *base,
                       const unit_info *tu)
{
    /* a mining method of the schema's enumeration, named in the condition */
    const column *mc = m->c_method >= 0 ? &m->t->cols[m->c_method] : NULL;
    for (const char *e = mc ? mc->enum_s : ""; *e;) {
        const char *bar = strchr(e, '|');
        size_t n = bar ? (size_t)(bar - e) : strlen(e);
        char *word = xstrndup(e, n);
        int named = strstr(alt, word) != NULL;
        const char *method = cursor_val(p, m->c_method);
        int r = !method || !*method ? -1 : strcmp(method, word) == 0;
        free(word);
        if (named)
            return r;
        e = bar ? bar + 1 : e + n;
    }
    /* output counted as ore where the table counts the mineral */
    if (strstr(alt, "矿石量")) {
        const char *u = m->c_unit >= 0 ? cursor_val(p, m->c_unit) : NULL;
        unit_info pu;
        if (!u || !*u)
            return 0;   /* no unit: taken to be the table's */
        unit_parse(u, &pu);
        return strcmp(pu.measure, "矿石") == 0 && strcmp(tu->measure, "矿石") != 0;
    }
    /* "其它X": every kind but the one the table's figures are for */
    if (strncmp(alt, "其它", strlen("其它")) == 0 && base && *base) {
        buf stem = BUF_INIT;
        const char *at = strstr(base, m->row->mineral);
        buf_add(&stem, base, at ? (size_t)(at - base) : strlen(base));
        if (stem.len >= strlen("用") && strcmp(stem.s + stem.len - strlen("用"), "用") == 0)
            stem.s[stem.len -= strlen("用")] = '\0';
        int r = -1;
        if (stem.len) {
            const char *name = cursor_val(p, m->t->label_ci),
                       *remark = m->c_remark >= 0 ? cursor_val(p, m->c_remark) : NULL;
            r = !((name && strstr(name, stem.s)) || (remark && strstr(remark, stem.s)));
        }
        buf_free(&stem);
        return r;
    }
    return -1;
}

/* Read 专栏六 once: a few dozen rows, looked up for every mine. */
static int scales_load(check_ctx *c)
{
    c->scales_loaded = 1;
    const table *ms = ctx_table(c, "min_scales");
    if (!ms || table_col(ms, "mineral") < 0)
        return 0;
    cursor *r = db_select(c->d, ms, NULL, 0, -1, 0, -1, c->e);
    if (!r)
        return -1;
    static const char *const bv[3] = {"large", "medium", "small"},
                             *const br[3] = {"large_rule", "medium_rule", "small_rule"},
                             *const av[3] = {"alt_large", "alt_medium", "alt_small"};
    int got;
    while ((got = cursor_next(r)) == 1) {
        c->scales = xrealloc(c->scales, sizeof *c->scales * (size_t)(c->nscales + 1));
        scale_row *x = &c->scales[c->nscales++];
        x->mineral = xstrdup(val(r, ms, "mineral"));
        x->unit = xstrdup(val(r, ms, "unit"));
        x->applies_to = xstrdup(val(r, ms, "applies_to"));
        x->alt_condition = xstrdup(val(r, ms, "alt_condition"));
        unit_parse(x->unit, &x->tu);
        for (int k = 0; k < 3; k++) {
            x->base[k].rule = rule_of(val(r, ms, br[k]));
            x->base[k].min = atof(val(r, ms, bv[k]));
            /* the notes give values; a class they do not mention keeps the table's */
            const char *v = val(r, ms, av[k]), *rr = k == 2 ? val(r, ms, "alt_small_rule") : "";
            x->alt[k] = x->base[k];
            if (*rr)
                x->alt[k].rule = rule_of(rr);
            else if (*v)
                x->alt[k].rule = RULE_MIN;
            if (*v)
                x->alt[k].min = atof(v);
        }
    }
    if (got < 0)
        ctx_fail(c, ms, cursor_error(r));
    cursor_free(r);
    return got < 0 ? -1 : 0;
}

void check_scale_free(check_ctx *c)
{
    for (int i = 0; i < c->nscales; i++) {
        free(c->scales[i].mineral);
        free(c->scales[i].unit);
        free(c->scales[i].applies_to);
        free(c->scales[i].alt_condition);
    }
    free(c->scales);
    c->scales = NULL;
    c->nscales = 0;
}

/* The 专栏六 row for the mine under p (m->row NULL when there is none). */
static int mine_eval(check_ctx *c, const table *t, cursor *p, mine *m)
{
    memset(m, 0, sizeof *m);
    m->t = t;
    m->c_min = table_col(t, "minerals");
    m->c_method = table_col(t, "method");
    m->c_scale = table_col(t, "scale");
    m->c_unit = table_col(t, "scale_unit");
    m->c_class = table_col(t, "size_class");
    m->c_from = table_col(t, "valid_from");
    m->c_remark = table_col(t, "remark");
    if (!c->scales_loaded && scales_load(c) < 0)
        return -1;
    const char *list = m->c_min >= 0 ? cursor_val(p, m->c_min) : NULL;
    if (!list || m->c_scale < 0 || m->c_class < 0)
        return 0;
    /* the first mineral of the list that 专栏六 has a row for */
    char *items = xstrdup(list);
    for (char *save = NULL, *it = strtok_r(items, ";", &save); it && !m->row;
         it = strtok_r(NULL, ";", &save))
        for (int i = 0; i < c->nscales && !m->row; i++)
            if (strcmp(c->scales[i].mineral, it) == 0)
                m->row = &c->scales[i];
    free(items);
    if (!m->row)
        return 0;
    const scale_row *x = m->row;
    m->alt_state = *x->alt_condition ? alt_applies(m, p, x->alt_condition, x->applies_to, &x->tu) : 0;
    m->cond = m->alt_state == 1 ? x->alt_condition : m->alt_state == 0 ? x->applies_to : "";
    for (int k = 0; k < 3; k++) {
        const class_rule *a = &x->base[k], *b = &x->alt[k];
        if (m->alt_state >= 0) {
            m->use[k] = m->alt_state ? *b : *a;
        } else if (a->rule == RULE_NONE || b->rule == RULE_NONE) {
            m->use[k].rule = RULE_NONE;
        } else if (a->rule == RULE_MIN && b->rule == RULE_MIN) {
            m->use[k].rule = RULE_MIN;
            m->use[k].min = fmin(a->min, b->min);
        } else {
            m->use[k] = a->rule == RULE_MIN ? *a : *b;   /* forbidden under one rule only */
        }
    }

    const char *cls = cursor_val(p, m->c_class);
    m->cls = -1;
    for (int k = 0; cls && k < 3; k++)
        if (strcmp(cls, class_names[k]) == 0)
            m->cls = k;
    const char *sc = cursor_val(p, m->c_scale), *u = m->c_unit >= 0 ? cursor_val(p, m->c_unit) : NULL;
    unit_info pu = x->tu;
    m->has_scale = sc && value_is_dec(sc);
    int pu_ok = !u || !*u || unit_parse(u, &pu);   /* no unit: taken to be the table's */
    m->unit_ok = x->tu.dim && pu_ok && pu.dim == x->tu.dim;
    if (m->has_scale && m->unit_ok)
        m->scale = atof(sc) * pu.factor / x->tu.factor;
    return 0;
}

/* Call fn for every mine of the registers r looks at. */
typedef void (*mine_fn)(check_ctx *, const check_rule *, mine *, cursor *p, const char *key);
static void each_mine(check_ctx *c, const check_rule *r, mine_fn fn)
{
    buf key = BUF_INIT;
    for (int ti = 0; ti < c->s->ntables && !c->failed; ti++) {
        const table *t = &c->s->tables[ti];
        if (!ctx_rule_has(r, t) || !ctx_wants(c, t, ctx_table(c, "min_scales")))
            continue;
        cursor *p = db_select(c->d, t, NULL, 0, -1, 0, -1, c->e);
        if (!p) {
            c->failed = 1;
            break;
        }
        int got;
        while ((got = cursor_next(p)) == 1 && !c->failed) {
            mine m;
            if (mine_eval(c, t, p, &m) < 0)
                c->failed = 1;
            else if (m.row) {
                buf_reset(&key);
                ctx_row_key(t, p, &key);
                fn(c, r, &m, p, buf_str(&key));
            }
        }
        if (got < 0)
            ctx_fail(c, t, cursor_error(p));
        cursor_free(p);
    }
    buf_free(&key);
}

/* " (露天开采)" — the condition the figures are for, when the row has one. */
static void cond_suffix(const mine *m, buf *out)
{
    if (*m->cond)
        buf_printf(out, i18n_is_zh() ? "（%s）" : " (%s)", m->cond);
    else if (m->alt_state < 0)
        buf_puts(out, _(" (the lower of its two minimums: the mine does not say which applies)"));
}

static void min_scale(check_ctx *c, const check_rule *r, mine *m, cursor *p, const char *key)
{
    if (!m->has_scale || !m->unit_ok)
        return;
    /* a mine of no given class must still reach the smallest class it may be */
    int k = m->cls;
    if (k < 0)
        for (k = 2; k > 0 && m->use[k].rule == RULE_FORBIDDEN; k--)
            ;
    if (m->use[k].rule != RULE_MIN || m->scale >= m->use[k].min - 1e-9)
        return;
    char n1[40];
    buf cond = BUF_INIT;
    cond_suffix(m, &cond);
    const char *u = m->c_unit >= 0 ? cursor_val(p, m->c_unit) : NULL;
    ctx_add(c, r, m->t, cursor_rowid(p), key, m->c_scale, ctx_table(c, "min_scales"), NULL,
            _("%s %s %s is below 专栏六's minimum for a %s %s mine, %s %s%s"),
            m->t->cols[m->c_scale].label, cursor_val(p, m->c_scale), u && *u ? u : m->row->unit,
            class_names[k], m->row->mineral, plan_num(m->use[k].min, n1), m->row->unit, buf_str(&cond));
    buf_free(&cond);
}

void rule_min_scale(check_ctx *c, const check_rule *r) { each_mine(c, r, min_scale); }

static void scale_forbidden(check_ctx *c, const check_rule *r, mine *m, cursor *p, const char *key)
{
    if (m->cls < 0 || m->use[m->cls].rule != RULE_FORBIDDEN)
        return;
    /* "×" forbids new and expanded mines: a planning block is one; a permit
     * is when it was issued under this plan */
    const char *from = m->c_from >= 0 ? cursor_val(p, m->c_from) : NULL;
    if (m->c_from >= 0 && (!from || strcmp(from, PLAN_START) < 0))
        return;
    buf cond = BUF_INIT;
    cond_suffix(m, &cond);
    if (m->c_from >= 0)
        ctx_add(c, r, m->t, cursor_rowid(p), key, m->c_class, ctx_table(c, "min_scales"), NULL,
                _("专栏六 forbids new (or expanded) %s %s mines%s; %s %s"), class_names[m->cls],
                m->row->mineral, buf_str(&cond), m->t->cols[m->c_from].label, from);
    else
        ctx_add(c, r, m->t, cursor_rowid(p), key, m->c_class, ctx_table(c, "min_scales"), NULL,
                _("专栏六 forbids new (or expanded) %s %s mines%s"), class_names[m->cls], m->row->mineral,
                buf_str(&cond));
    buf_free(&cond);
}

void rule_scale_forbidden(check_ctx *c, const check_rule *r) { each_mine(c, r, scale_forbidden); }

static void scale_unit(check_ctx *c, const check_rule *r, mine *m, cursor *p, const char *key)
{
    if (!m->has_scale || m->unit_ok)
        return;
    if (m->c_unit < 0)
        return;   /* no unit column: the scale is in 专栏六's unit */
    const char *u = cursor_val(p, m->c_unit);
    ctx_add(c, r, m->t, cursor_rowid(p), key, m->c_unit, ctx_table(c, "min_scales"), NULL,
            _("%s '%s' cannot be compared with 专栏六's unit for %s, %s"), m->t->cols[m->c_unit].label,
            u ? u : "", m->row->mineral, m->row->unit);
}

void rule_scale_unit(check_ctx *c, const check_rule *r) { each_mine(c, r, scale_unit); }
