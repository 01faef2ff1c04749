/* check_fields.c — rules about fields and the totals the plan states.
 *
 * Field rules report what the one validation path (validate.c) finds, each
 * kind of issue under its own rule; the rows are read once for all of them.
 * Totals rules compare the rows with minreg_totals, the block summary and
 * the key areas' permit counts.  One policy runs through them: when the
 * register holds fewer rows than the plan counts, that is "rows not
 * entered" (a warning: the plan prints only some of its tables), and sums
 * over an incomplete register are not compared; more rows than the plan
 * counts, or a sum that differs over complete rows, is a contradiction (an
 * error: the rows and the text cannot both be right).
 */
#include "config.h"
#include "check_rules.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plan.h"

/* Figures the plan prints have at most 4 decimals: anything closer is the
 * same number, whatever floating point made of the sum. */
static int same(double a, double b) { return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b)); }

/* ---- field rules ------------------------------------------------------------- */

#define ISSUES_PER_ROW 32

/* A spilled issue: this header, then the key and the message. */
struct vrec {
    int ti, ci, kind;
    int64_t rowid;
    size_t nkey, nmsg;
};

static void vfound_add(check_ctx *c, int ti, int64_t rowid, const char *key, const vissue *is)
{
    if (c->o->emit && !c->vf_file)
        c->vf_file = tmpfile();   /* NULL: kept in memory after all */
    if (c->vf_file) {
        struct vrec h;
        memset(&h, 0, sizeof h);   /* its padding is written too: no uninitialised bytes */
        h.ti = ti;
        h.ci = is->ci;
        h.kind = (int)is->kind;
        h.rowid = rowid;
        h.nkey = strlen(key);
        h.nmsg = strlen(is->msg);
        if (fwrite(&h, sizeof h, 1, c->vf_file) != 1 || fwrite(key, 1, h.nkey, c->vf_file) != h.nkey ||
            fwrite(is->msg, 1, h.nmsg, c->vf_file) != h.nmsg)
            ctx_fail(c, NULL, strerror(errno));
        return;
    }
    if (c->nvf == c->capvf) {
        c->capvf = c->capvf ? c->capvf * 2 : 64;
        c->vf = xrealloc(c->vf, sizeof *c->vf * (size_t)c->capvf);
    }
    struct vfound *v = &c->vf[c->nvf++];
    v->ti = ti;
    v->ci = is->ci;
    v->kind = is->kind;
    v->rowid = rowid;
    v->key = xstrdup(key);
    v->msg = xstrdup(is->msg);
}

/* Validate every row of every register asked for, once. */
static void validate_all(check_ctx *c)
{
    c->validated = 1;
    vissue is[ISSUES_PER_ROW];
    buf key = BUF_INIT;
    for (int ti = 0; ti < c->s->ntables && !c->failed; ti++) {
        const table *t = &c->s->tables[ti];
        if (!ctx_wants(c, t, NULL))
            continue;
        cursor *cur = db_select(c->d, t, NULL, 0, -1, 0, -1, c->e);
        if (!cur) {
            c->failed = 1;
            return;
        }
        validator *v = validator_new(c->d, t);
        const char **vals = xcalloc((size_t)t->ncols, sizeof *vals);
        int r;
        while ((r = cursor_next(cur)) == 1) {
            for (int ci = 0; ci < t->ncols; ci++)
                vals[ci] = cursor_val(cur, ci);
            int n = validator_row(v, vals, cursor_rowid(cur), is, ISSUES_PER_ROW);
            if (n < 0) {   /* a lookup failed: the check cannot say, and e says why */
                validator_error(v, c->e);
                c->failed = 1;
                break;
            }
            if (n > ISSUES_PER_ROW)
                n = ISSUES_PER_ROW;   /* a row cannot have more issues than columns */
            buf_reset(&key);
            ctx_row_key(t, cur, &key);
            for (int i = 0; i < n; i++)
                vfound_add(c, ti, cursor_rowid(cur), buf_str(&key), &is[i]);
        }
        if (r < 0)
            ctx_fail(c, t, cursor_error(cur));
        free(vals);
        validator_free(v);
        cursor_free(cur);
    }
    buf_free(&key);
}

/* rule_fields over the issues spilled to c->vf_file, in the same order. */
static void rule_fields_spilled(check_ctx *c, const check_rule *r, int area)
{
    if (fflush(c->vf_file) != 0 || fseek(c->vf_file, 0, SEEK_SET) != 0) {
        ctx_fail(c, NULL, strerror(errno));
        return;
    }
    buf key = BUF_INIT, msg = BUF_INIT;
    struct vrec h;
    while (!c->failed && fread(&h, sizeof h, 1, c->vf_file) == 1) {
        buf_reset(&key);
        buf_reset(&msg);
        char chunk[512];
        for (size_t left = h.nkey, k; left; left -= k) {
            k = fread(chunk, 1, left < sizeof chunk ? left : sizeof chunk, c->vf_file);
            if (!k)
                break;
            buf_add(&key, chunk, k);
        }
        for (size_t left = h.nmsg, k; left; left -= k) {
            k = fread(chunk, 1, left < sizeof chunk ? left : sizeof chunk, c->vf_file);
            if (!k)
                break;
            buf_add(&msg, chunk, k);
        }
        const table *t = &c->s->tables[h.ti];
        if (!(r->arg & FIELD(h.kind)))
            continue;
        if (h.kind == VI_RANGE && (strcmp(t->cols[h.ci].unit, "平方公里") == 0) != area)
            continue;
        ctx_add(c, r, t, h.rowid, buf_str(&key), h.ci, NULL, NULL, "%s", buf_str(&msg));
    }
    buf_free(&key);
    buf_free(&msg);
    fseek(c->vf_file, 0, SEEK_END);
}

void rule_fields(check_ctx *c, const check_rule *r)
{
    if (!c->validated)
        validate_all(c);
    int area = (r->arg & FIELD_AREA) != 0;
    if (c->vf_file) {
        rule_fields_spilled(c, r, area);
        return;
    }
    for (int i = 0; i < c->nvf; i++) {
        const struct vfound *v = &c->vf[i];
        const table *t = &c->s->tables[v->ti];
        if (!(r->arg & FIELD(v->kind)))
            continue;
        /* R-AREA-POS takes the range issues of area columns, R-RANGE the rest */
        if (v->kind == VI_RANGE && (strcmp(t->cols[v->ci].unit, "平方公里") == 0) != area)
            continue;
        ctx_add(c, r, t, v->rowid, v->key, v->ci, NULL, NULL, "%s", v->msg);
    }
}

void check_fields_free(check_ctx *c)
{
    if (c->vf_file)
        fclose(c->vf_file);
    c->vf_file = NULL;
    for (int i = 0; i < c->nvf; i++) {
        free(c->vf[i].key);
        free(c->vf[i].msg);
    }
    free(c->vf);
    c->vf = NULL;
    c->nvf = c->capvf = 0;
}

/* ---- stated totals ---------------------------------------------------------- */

/* A stated total resolved against the schema, with the rows it covers. */
typedef struct tot {
    const total *x;
    const table *t, *t2;    /* t2: the register counted with t (with_tbl), or NULL */
    db_filter f, f2;
    int nf;
    int ci;             /* summed column, for sums; counted column, for distinct counts */
    int64_t rows;       /* rows of t (and t2) */
    const total *count; /* the count stated for the same rows, if any */
    char scope[256];    /* "所在行政区 = 振安区: " or "" */
    char pat[256];      /* where_val a|b as a pattern */
} tot;

/* The filter where_col = where_val on t (a|b: either); 0 when t has no such column. */
static int tot_filter(const total *x, const table *t, db_filter *f, char *pat, size_t npat)
{
    f->ci = table_col(t, x->where_col);
    if (f->ci < 0)
        return 0;
    if (strchr(x->where_val, '|')) {
        /* the values are the schema's words, no pattern syntax in them */
        snprintf(pat, npat, "^(%s)$", x->where_val);
        f->value = pat;
        f->op = DBF_RX;
    } else {
        f->value = x->where_val;
        f->op = DBF_EQ;
    }
    return 1;
}

/* "省级以上": the values of a|b in words: "部级或省级" */
static void alt_words(const char *v, char *out, size_t n)
{
    buf b = BUF_INIT;
    for (const char *p = v; *p; p++) {
        if (*p == '|')
            buf_puts(&b, i18n_is_zh() ? "或" : " or ");
        else
            buf_putc(&b, *p);
    }
    snprintf(out, n, "%s", buf_str(&b));
    buf_free(&b);
}

/* Resolve x; 0 when it is not about a register asked for (or not in the schema). */
static int tot_get(check_ctx *c, const total *x, tot *o)
{
    memset(o, 0, sizeof *o);
    o->x = x;
    o->t = ctx_table(c, x->tbl);
    if (!o->t || !ctx_wants(c, o->t, NULL))
        return 0;
    if (x->with_tbl && *x->with_tbl && !(o->t2 = ctx_table(c, x->with_tbl)))
        return 0;
    if (*x->where_col) {
        if (!tot_filter(x, o->t, &o->f, o->pat, sizeof o->pat) ||
            (o->t2 && !tot_filter(x, o->t2, &o->f2, o->pat, sizeof o->pat)))
            return 0;
        o->nf = 1;
        char words[200];
        alt_words(x->where_val, words, sizeof words);
        snprintf(o->scope, sizeof o->scope, i18n_is_zh() ? "%s = %s：" : "%s = %s: ",
                 o->t->cols[o->f.ci].label, words);
    }
    o->ci = *x->col ? table_col(o->t, x->col) : -1;
    if (*x->col && (o->ci < 0 || (o->t2 && table_col(o->t2, x->col) < 0)))
        return 0;
    int64_t r2 = 0;
    if (db_count(c->d, o->t, &o->f, o->nf, &o->rows, NULL) < 0 ||
        (o->t2 && db_count(c->d, o->t2, &o->f2, o->nf, &r2, NULL) < 0)) {
        ctx_fail(c, o->t, "count");
        return 0;
    }
    o->rows += r2;
    for (int i = 0; i < c->s->ntotals; i++) {
        const total *y = &c->s->totals[i];
        if (strcmp(y->measure, "count") == 0 && strcmp(y->tbl, x->tbl) == 0 && !*y->col &&
            !*y->with_tbl && strcmp(y->where_col, x->where_col) == 0 &&
            strcmp(y->where_val, x->where_val) == 0)
            o->count = y;
    }
    return 1;
}

/* "the plan states 51 个" or, for a figure only its table lists, "the
 * plan's table lists 26 个" (both registers named when two count). */
static const char *says(const tot *o, char *out, size_t n)
{
    char v[40];
    plan_num(o->x->value, v);
    if (total_is_stated(o->x))
        snprintf(out, n, _("the plan states %s %s"), v, o->x->unit);
    else
        snprintf(out, n, _("the plan's table lists %s %s"), v, o->x->unit);
    return out;
}

/* The registers behind o: "采矿权 + 探矿权: " when two count together. */
static const char *regs(const tot *o, char *out, size_t n)
{
    if (!o->t2)
        *out = '\0';
    else if (i18n_is_zh())
        snprintf(out, n, "%s + %s：", o->t->title, o->t2->title);
    else
        snprintf(out, n, "%s + %s: ", o->t->id, o->t2->id);
    return out;
}

void rule_total_rows(check_ctx *c, const check_rule *r)
{
    char n1[40], sy[160], rg[400];
    for (int i = 0; i < c->s->ntotals && !c->failed; i++) {
        tot o;
        if (!tot_get(c, &c->s->totals[i], &o))
            continue;
        const total *x = o.x;
        regs(&o, rg, sizeof rg);
        if (strcmp(x->measure, "count") == 0 && o.rows == 0 && x->value > 0)
            ctx_add(c, r, o.t, -1, NULL, o.ci, o.t2, x->source,
                    _("%s%srows not entered: %s, the register holds none"), rg, o.scope,
                    says(&o, sy, sizeof sy));
        else if (strcmp(x->measure, "count") == 0 && !*x->col && (double)o.rows < x->value)
            ctx_add(c, r, o.t, -1, NULL, -1, o.t2, x->source,
                    _("%s%srows not entered: %s, the register holds %lld"), rg, o.scope,
                    says(&o, sy, sizeof sy), (long long)o.rows);
        else if (strcmp(x->measure, "sum") == 0 && o.rows == 0 && !o.count)
            ctx_add(c, r, o.t, -1, NULL, o.ci, NULL, x->source,
                    _("%srows not entered: the plan states a total %s of %s %s, "
                      "the register holds none"),
                    o.scope, o.t->cols[o.ci].label, plan_num(x->value, n1), x->unit);
    }
}

/* The distinct items of column col over the rows of t matching f (nf 0 or 1),
 * added to the set v (n of them; items of a list apart). */
static int distinct_items(check_ctx *c, const table *t, const db_filter *f, int nf, const char *col,
                          char ***v, int *n)
{
    int ci = table_col(t, col);
    cursor *cur = db_select(c->d, t, f, nf, -1, 0, -1, c->e);
    if (!cur)
        return -1;
    int got;
    while ((got = cursor_next(cur)) == 1) {
        const char *val = cursor_val(cur, ci);
        if (!val || !*val)
            continue;
        char *items = xstrdup(val), *save = NULL;
        for (char *it = t->cols[ci].multi ? strtok_r(items, ";", &save) : items; it;
             it = t->cols[ci].multi ? strtok_r(NULL, ";", &save) : NULL) {
            int k;
            for (k = 0; k < *n && strcmp((*v)[k], it) != 0; k++)
                ;
            if (k == *n) {
                *v = xrealloc(*v, sizeof **v * (size_t)(*n + 1));
                (*v)[(*n)++] = xstrdup(it);
            }
        }
        free(items);
    }
    cursor_free(cur);
    return got < 0 ? -1 : 0;
}

/* A count of distinct items (金矿, 地热, 花岗岩: "3 个矿产种类"). */
static void total_distinct(check_ctx *c, const check_rule *r, const tot *o)
{
    char **v = NULL, n1[40], rg[400];
    int n = 0;
    if (distinct_items(c, o->t, &o->f, o->nf, o->x->col, &v, &n) < 0 ||
        (o->t2 && distinct_items(c, o->t2, &o->f2, o->nf, o->x->col, &v, &n) < 0))
        ctx_fail(c, o->t, "distinct");
    else if (o->rows > 0 && (double)n != o->x->value) {
        buf list = BUF_INIT;
        for (int k = 0; k < n; k++)
            buf_printf(&list, "%s%s", k ? (i18n_is_zh() ? "、" : ", ") : "", v[k]);
        ctx_add(c, r, o->t, -1, NULL, o->ci, o->t2, o->x->source,
                _("%s%s%s: %d different (%s), the plan states %s (%s)"), regs(o, rg, sizeof rg),
                o->scope, o->t->cols[o->ci].label, n, buf_str(&list), plan_num(o->x->value, n1),
                o->x->note);
        buf_free(&list);
    }
    for (int k = 0; k < n; k++)
        free(v[k]);
    free(v);
}

void rule_total_count(check_ctx *c, const check_rule *r)
{
    char sy[160], rg[400];
    for (int i = 0; i < c->s->ntotals && !c->failed; i++) {
        tot o;
        if (!tot_get(c, &c->s->totals[i], &o) || strcmp(o.x->measure, "count") != 0)
            continue;
        if (*o.x->col)
            total_distinct(c, r, &o);
        else if ((double)o.rows > o.x->value)
            ctx_add(c, r, o.t, -1, NULL, -1, o.t2, o.x->source,
                    _("%s%sthe register holds %lld rows, %s"), regs(&o, rg, sizeof rg), o.scope,
                    (long long)o.rows, says(&o, sy, sizeof sy));
    }
}

void rule_total_sum(check_ctx *c, const check_rule *r)
{
    char n1[40], n2[40];
    for (int i = 0; i < c->s->ntotals && !c->failed; i++) {
        tot o;
        if (!tot_get(c, &c->s->totals[i], &o) || strcmp(o.x->measure, "sum") != 0 || o.t2)
            continue;
        /* no rows, or fewer than the plan counts: R-TOTAL-ROWS says so */
        if (o.rows == 0 || (o.count && (double)o.rows < o.count->value))
            continue;
        double sum;
        if (db_sum(c->d, o.t, &o.f, o.nf, o.ci, &sum, c->e) < 0) {
            c->failed = 1;   /* e says why: a damaged file as such */
            return;
        }
        if (!same(sum, o.x->value))
            ctx_add(c, r, o.t, -1, NULL, o.ci, NULL, o.x->source,
                    _("%s%s of the %lld rows adds up to %s %s, the plan states %s %s"), o.scope,
                    o.t->cols[o.ci].label, (long long)o.rows, plan_num(sum, n1), o.x->unit,
                    plan_num(o.x->value, n2), o.x->unit);
    }
}

/* ---- the block summary (第五章第四节) ----------------------------------------- */

void rule_block_summary(check_ctx *c, const check_rule *r)
{
    const table *bs = ctx_table(c, "block_summary"), *eb = ctx_table(c, "exploration_blocks");
    if (!bs || !eb || !ctx_wants(c, bs, eb))
        return;
    int cat = table_col(bs, "category"), cnt = table_col(bs, "block_count"),
        area = table_col(bs, "area_km2"), ecat = table_col(eb, "category"),
        earea = table_col(eb, "area_km2");
    if (cat < 0 || cnt < 0 || area < 0 || ecat < 0 || earea < 0)
        return;
    double stated_all;
    int64_t entered;
    if (db_count(c->d, eb, NULL, 0, &entered, c->e) < 0 ||
        db_sum(c->d, bs, NULL, 0, cnt, &stated_all, c->e) < 0) {
        c->failed = 1;   /* e says why */
        return;
    }
    /* none entered: R-TOTAL-ROWS says so; some: per-category shortfalls are
     * rows not entered yet until the register holds as many as the summary */
    if (entered == 0)
        return;
    int complete = (double)entered >= stated_all;
    cursor *cur = db_select(c->d, bs, NULL, 0, -1, 0, -1, c->e);
    if (!cur) {
        c->failed = 1;
        return;
    }
    char n1[40], n2[40];
    int got;
    while ((got = cursor_next(cur)) == 1 && !c->failed) {
        const char *k = cursor_val(cur, cat), *sc = cursor_val(cur, cnt), *sa = cursor_val(cur, area);
        if (!k)
            continue;
        double want_n = sc ? atof(sc) : 0, want_a = sa ? atof(sa) : 0, sum = 0;
        db_filter f = {.ci = ecat, .value = k, .op = DBF_EQ};
        int64_t n;
        if (db_count(c->d, eb, &f, 1, &n, c->e) < 0 || db_sum(c->d, eb, &f, 1, earea, &sum, c->e) < 0) {
            c->failed = 1;   /* e says why */
            break;
        }
        if ((double)n > want_n || (complete && (double)n < want_n))
            ctx_add(c, r, bs, cursor_rowid(cur), k, cnt, eb, NULL,
                    _("%lld exploration blocks of this category are entered, the summary states %s"),
                    (long long)n, plan_num(want_n, n1));
        else if ((double)n == want_n && !same(sum, want_a))
            ctx_add(c, r, bs, cursor_rowid(cur), k, area, eb, NULL,
                    _("the %lld exploration blocks of this category cover %s km², "
                      "the summary states %s"),
                    (long long)n, plan_num(sum, n1), plan_num(want_a, n2));
    }
    if (got < 0)
        ctx_fail(c, bs, cursor_error(cur));
    cursor_free(cur);
}

/* ---- key areas and their permits (专栏三, 专栏七) ----------------------------- */

/* Permits linked to the area under cur: over every register with a permit
 * number whose column links to this one.  *also gets the first such register. */
static int64_t permits_linked(check_ctx *c, const table *area, cursor *cur, const table **also)
{
    int ti = schema_table_index(c->s, area);
    int64_t n = 0;
    *also = NULL;
    for (int i = 0; i < c->s->ntables; i++) {
        const table *p = &c->s->tables[i];
        if (table_col(p, "permit_no") < 0)
            continue;
        for (int ci = 0; ci < p->ncols; ci++) {
            const column *col = &p->cols[ci];
            const char *v = col->link_ti == ti ? cursor_val(cur, col->link_ci) : NULL;
            if (!v || !*v)
                continue;
            db_filter f = {.ci = ci, .value = v, .op = DBF_EQ};
            int64_t k;
            if (db_count(c->d, p, &f, 1, &k, NULL) < 0) {
                ctx_fail(c, p, "count");
                return 0;
            }
            n += k;
            if (!*also)
                *also = p;
        }
    }
    return n;
}

/* Both rules walk the key areas; planned = 0 checks existing permits only. */
static void area_permits(check_ctx *c, const check_rule *r, int planned)
{
    char n1[40];
    for (int ti = 0; ti < c->s->ntables && !c->failed; ti++) {
        const table *t = &c->s->tables[ti];
        int ex = table_col(t, "permits_existing"), pl = table_col(t, "permits_planned");
        if (!ctx_rule_has(r, t) || ex < 0 || pl < 0)
            continue;
        cursor *cur = db_select(c->d, t, NULL, 0, -1, 0, -1, c->e);
        if (!cur) {
            c->failed = 1;
            return;
        }
        buf key = BUF_INIT;
        int got;
        while ((got = cursor_next(cur)) == 1 && !c->failed) {
            const table *also;
            int64_t linked = permits_linked(c, t, cur, &also);
            const char *e = cursor_val(cur, ex), *p = cursor_val(cur, pl);
            double existing = e ? atof(e) : 0, allowed = existing + (p ? atof(p) : 0);
            buf_reset(&key);
            ctx_row_key(t, cur, &key);
            if (!planned && e && (double)linked < existing)
                ctx_add(c, r, t, cursor_rowid(cur), buf_str(&key), ex, also, t->source,
                        _("%s %s, but the register links %lld permits to this area"), t->cols[ex].label,
                        plan_num(existing, n1), (long long)linked);
            else if (planned && (e || p) && (double)linked > allowed)
                ctx_add(c, r, t, cursor_rowid(cur), buf_str(&key), pl, also, t->source,
                        _("the register links %lld permits to this area, "
                          "more than existing plus planned (%s)"),
                        (long long)linked, plan_num(allowed, n1));
        }
        if (got < 0)
            ctx_fail(c, t, cursor_error(cur));
        buf_free(&key);
        cursor_free(cur);
    }
}

void rule_area_permits(check_ctx *c, const check_rule *r) { area_permits(c, r, 0); }
void rule_area_planned(check_ctx *c, const check_rule *r) { area_permits(c, r, 1); }
