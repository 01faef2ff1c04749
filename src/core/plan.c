/* plan.c — the plan's figures as the register holds them (see plan.h). */
#include "config.h"
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* ---- units ---------------------------------------------------------------- */

/* The plan mixes full-width and ASCII punctuation ("矿石，亿吨（62%）" in the
 * quota table, "矿石, 亿吨(62%)" in 专栏一); compare them as one. */
static void unit_normalise(const char *s, buf *out)
{
    static const struct { const char *from, *to; } map[] = {
        {"，", ","}, {"（", "("}, {"）", ")"}, {"／", "/"}, {"　", ""}, {" ", ""},
    };
    while (*s) {
        size_t i;
        for (i = 0; i < sizeof map / sizeof *map; i++) {
            size_t n = strlen(map[i].from);
            if (strncmp(s, map[i].from, n) == 0) {
                buf_puts(out, map[i].to);
                s += n;
                break;
            }
        }
        if (i == sizeof map / sizeof *map)
            buf_putc(out, *s++);
    }
}

int unit_parse(const char *s, unit_info *u)
{
    /* longest first: 万吨 must not be read as 吨 */
    static const struct { const char *word; char dim; double factor; } mags[] = {
        {"亿立方米", 'v', 1e8}, {"万立方米", 'v', 1e4}, {"立方米", 'v', 1},
        {"亿吨", 't', 1e8}, {"万吨", 't', 1e4}, {"吨", 't', 1},
    };
    memset(u, 0, sizeof *u);
    buf b = BUF_INIT;
    unit_normalise(s ? s : "", &b);
    char *n = buf_steal(&b);
    if (!n)
        n = xstrdup("");
    char *rest = n, *comma = strchr(n, ',');
    if (comma) {
        *comma = '\0';
        snprintf(u->measure, sizeof u->measure, "%s", n);
        rest = comma + 1;
    }
    char *open = strchr(rest, '('), *close = open ? strchr(open, ')') : NULL;
    if (open && close) {
        snprintf(u->grade, sizeof u->grade, "%.*s", (int)(close - open - 1), open + 1);
        memmove(open, close + 1, strlen(close + 1) + 1);
    }
    for (size_t i = 0; i < sizeof mags / sizeof *mags; i++) {
        char *m = strstr(rest, mags[i].word);
        if (m) {
            u->dim = mags[i].dim;
            u->factor = mags[i].factor;
            /* "万吨/年": the magnitude with something before it names the measure
             * when there was no comma ("矿石万吨" is unusual but harmless) */
            if (!comma && m > rest)
                snprintf(u->measure, sizeof u->measure, "%.*s", (int)(m - rest), rest);
            break;
        }
    }
    free(n);
    return u->dim != 0;
}

int unit_comparable(const unit_info *a, const unit_info *b)
{
    if (!a->dim || a->dim != b->dim || strcmp(a->grade, b->grade) != 0)
        return 0;
    return !*a->measure || !*b->measure || strcmp(a->measure, b->measure) == 0;
}

/* ---- helpers ---------------------------------------------------------------- */

const char *plan_num(double x, char out[40])
{
    snprintf(out, 40, "%.10f", x);
    char *dot = strchr(out, '.');
    if (dot) {
        char *end = out + strlen(out) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(out, "-0") == 0)
        strcpy(out, "0");
    return out;
}

/* The count the plan states for tbl where where_col = where_val ("" = all). */
static const total *stated_count(const schema *s, const char *tbl, const char *where_col,
                                 const char *where_val)
{
    for (int i = 0; i < s->ntotals; i++) {
        const total *x = &s->totals[i];
        if (strcmp(x->tbl, tbl) == 0 && strcmp(x->measure, "count") == 0 &&
            strcmp(x->where_col, where_col) == 0 && strcmp(x->where_val, where_val) == 0)
            return x;
    }
    return NULL;
}

/* Rows of t with column col = val (col NULL: all) and, when the register has
 * a status column, not closed. */
static int64_t count_open(db *d, const table *t, const char *col, const char *val)
{
    db_filter f[2] = {{.ci = 0, .value = NULL, .op = DBF_EQ}, {.ci = 0, .value = NULL, .op = DBF_EQ}};
    int nf = 0, si = table_col(t, "status");
    if (col) {
        f[nf].ci = table_col(t, col);
        f[nf++].value = val;
    }
    int64_t all, closed;
    if (db_count(d, t, f, nf, &all, NULL) < 0)
        return -1;
    if (si < 0)
        return all;
    f[nf].ci = si;
    f[nf].value = "关闭";
    return db_count(d, t, f, nf + 1, &closed, NULL) < 0 ? -1 : all - closed;
}

/* ---- figures ---------------------------------------------------------------- */

int plan_mines(db *d, plan_figure *f)
{
    const schema *s = db_schema(d);
    const table *t = schema_table(s, "mining_permits");
    memset(f, 0, sizeof *f);
    if (!t)
        return 0;
    int64_t all, open = count_open(d, t, NULL, NULL);
    if (db_count(d, t, NULL, 0, &all, NULL) < 0 || open < 0)
        return -1;
    const total *st = stated_count(s, t->id, "", "");
    f->known = 1;
    f->rows = all;
    f->value = (double)open;
    if (st) {
        f->has_stated = 1;
        f->stated_value = st->value;
        f->source = st->source;
        if ((double)all < st->value) {
            f->stated = 1;
            f->value = st->value;
        }
    }
    return 0;
}

int plan_large_share(db *d, plan_figure *f)
{
    const schema *s = db_schema(d);
    const table *t = schema_table(s, "mining_permits");
    memset(f, 0, sizeof *f);
    if (!t || table_col(t, "size_class") < 0)
        return 0;
    int64_t large = count_open(d, t, "size_class", "大型"), medium = count_open(d, t, "size_class", "中型"),
            small = count_open(d, t, "size_class", "小型"), rows;
    if (large < 0 || medium < 0 || small < 0 || db_count(d, t, NULL, 0, &rows, NULL) < 0)
        return -1;
    f->rows = rows;
    const total *st = stated_count(s, t->id, "", ""), *sl = stated_count(s, t->id, "size_class", "大型"),
                *sm = stated_count(s, t->id, "size_class", "中型");
    if (st && sl && sm && st->value > 0) {
        f->has_stated = 1;
        f->stated_value = 100.0 * (sl->value + sm->value) / st->value;
        f->source = st->source;
    }
    if (f->has_stated && (double)rows < st->value) {
        f->known = f->stated = 1;
        f->value = f->stated_value;
    } else if (large + medium + small > 0) {
        /* among the mines whose size class is entered: one without a class
         * is of no known size, and counting it would lower the share */
        f->known = 1;
        f->value = 100.0 * (double)(large + medium) / (double)(large + medium + small);
    }
    return 0;
}

int plan_quota_sum(db *d, const char *mineral, double *sum, int64_t *n, char **unit)
{
    const table *t = schema_table(db_schema(d), "quotas");
    *sum = 0;
    *n = 0;
    *unit = NULL;
    int mi = t ? table_col(t, "mineral") : -1, ai = t ? table_col(t, "amount") : -1,
        ui = t ? table_col(t, "unit") : -1;
    if (mi < 0 || ai < 0 || ui < 0)
        return 0;
    db_filter f = {.ci = mi, .value = mineral, .op = DBF_EQ};
    cursor *c = db_select(d, t, &f, 1, -1, 0, -1, NULL);
    if (!c)
        return -1;
    int r;
    while ((r = cursor_next(c)) == 1) {
        const char *a = cursor_val(c, ai), *u = cursor_val(c, ui);
        *sum += a ? atof(a) : 0;
        if (!*unit && u)
            *unit = xstrdup(u);
        (*n)++;
    }
    cursor_free(c);
    return r < 0 ? -1 : 0;
}

void plan_indicator_free(plan_indicator *ind)
{
    free(ind->seq);
    free(ind->name);
    free(ind->unit);
    free(ind->attribute);
    memset(ind, 0, sizeof *ind);
}

/* Indicators matching filter f whose unit passes `want` (NULL: any); the
 * first one goes into ind. */
static int indicator_find(db *d, const db_filter *f, const unit_info *want, plan_indicator *ind)
{
    const table *t = schema_table(db_schema(d), "indicators");
    int si = t ? table_col(t, "seq") : -1, ni = t ? table_col(t, "name") : -1,
        ui = t ? table_col(t, "unit") : -1, vi = t ? table_col(t, "value") : -1,
        ai = t ? table_col(t, "attribute") : -1;
    memset(ind, 0, sizeof *ind);
    if (si < 0 || ni < 0 || ui < 0 || vi < 0 || ai < 0 || f->ci < 0)
        return 0;
    cursor *c = db_select(d, t, f, 1, -1, 0, -1, NULL);
    if (!c)
        return -1;
    int found = 0, r = 0;
    while (!found && (r = cursor_next(c)) == 1) {
        unit_info iu;
        const char *u = cursor_val(c, ui), *v = cursor_val(c, vi);
        double factor = 1;
        if (want) {
            if (!unit_parse(u, &iu) || !unit_comparable(want, &iu))
                continue;
            /* the indicator is in its own unit; state it in the caller's */
            factor = iu.factor / want->factor;
        }
        ind->rowid = cursor_rowid(c);
        ind->seq = xstrdup(cursor_val(c, si) ? cursor_val(c, si) : "");
        ind->name = xstrdup(cursor_val(c, ni) ? cursor_val(c, ni) : "");
        ind->unit = xstrdup(u ? u : "");
        ind->attribute = xstrdup(cursor_val(c, ai) ? cursor_val(c, ai) : "");
        ind->value = (v ? atof(v) : 0) * factor;
        found = 1;
    }
    cursor_free(c);
    return r < 0 ? -1 : found;
}

int plan_indicator_named(db *d, const char *name, plan_indicator *ind)
{
    const table *t = schema_table(db_schema(d), "indicators");
    db_filter f = {.ci = t ? table_col(t, "name") : -1, .value = name, .op = DBF_EQ};
    return indicator_find(d, &f, NULL, ind);
}

int plan_quota_indicator(db *d, const char *mineral, const char *quota_unit, plan_indicator *ind)
{
    const table *t = schema_table(db_schema(d), "indicators");
    unit_info qu;
    memset(ind, 0, sizeof *ind);
    if (!unit_parse(quota_unit, &qu))
        return 0;
    db_filter f = {.ci = t ? table_col(t, "mineral") : -1, .value = mineral, .op = DBF_EQ};
    return indicator_find(d, &f, &qu, ind);
}

int plan_production(db *d, const char *mineral, const char *district, const unit_info *to,
                    double *sum, int *n, int *unknown)
{
    const table *t = schema_table(db_schema(d), "mining_permits");
    *sum = 0;
    *n = *unknown = 0;
    int mi = t ? table_col(t, "minerals") : -1, di = t ? table_col(t, "district") : -1,
        si = t ? table_col(t, "scale") : -1, ui = t ? table_col(t, "scale_unit") : -1,
        st = t ? table_col(t, "status") : -1;
    if (mi < 0 || di < 0 || si < 0 || ui < 0)
        return 0;
    db_filter f[2] = {{.ci = mi, .value = mineral, .op = DBF_EQ}, {.ci = di, .value = district, .op = DBF_EQ}};
    cursor *c = db_select(d, t, f, district ? 2 : 1, -1, 0, -1, NULL);
    if (!c)
        return -1;
    int r;
    while ((r = cursor_next(c)) == 1) {
        const char *status = st >= 0 ? cursor_val(c, st) : NULL;
        if (status && strcmp(status, "关闭") == 0)
            continue;
        const char *sc = cursor_val(c, si), *un = cursor_val(c, ui);
        /* a permit without a unit is taken to be in the quota's unit */
        unit_info pu = *to;
        if (un && *un)
            unit_parse(un, &pu);
        if (!sc || !*sc || !unit_comparable(&pu, to)) {
            (*unknown)++;
            continue;
        }
        *sum += atof(sc) * pu.factor / to->factor;
        (*n)++;
    }
    cursor_free(c);
    return r < 0 ? -1 : 0;
}
