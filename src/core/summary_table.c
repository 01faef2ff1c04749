/* summary_table.c — the summary laid out as tables (see summary.h). */
#include "config.h"
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"

static sum_line *line_new(sum_section *s)
{
    s->lines = xrealloc(s->lines, sizeof *s->lines * (size_t)(s->n + 1));
    sum_line *l = &s->lines[s->n++];
    memset(l, 0, sizeof *l);
    l->cells = xcalloc((size_t)s->ncols, sizeof *l->cells);
    l->fci = -1;
    l->rowid = -1;
    return l;
}

/* A line of cells; NULL cells are empty. */
static sum_line *line_add(sum_section *s, const char *const *cells)
{
    sum_line *l = line_new(s);
    for (int i = 0; i < s->ncols; i++)
        l->cells[i] = xstrdup(cells[i] ? cells[i] : "");
    return l;
}

/* A number: with the column's decimals for areas, else as the plan writes it. */
static const char *num(double x, int decimals, char out[40])
{
    if (decimals >= 0) {
        snprintf(out, 40, "%.*f", decimals, x);
        return out;
    }
    return plan_num(x, out);
}

static const char *ttitle(const table *t) { return i18n_is_zh() ? t->title : t->title_en; }

static void registers(const summary *sm, sum_section *s)
{
    /* the title before the figures, the register's id (for the command
     * line) last: a narrow screen cuts the id, not the title (#20) */
    static const int right[] = {0, 0, 1, 1, 1, 1, 0, 0};
    char n[40], c[40], a[40], sa[40], cl[200];
    s->title = _("Registers");
    s->ncols = 8;
    s->right = right;
    line_add(s, (const char *[]){_("Appendix"), _("Title"), _("Rows"), _("Stated"), _("Area (km²)"),
                                 _("Stated area"), _("Stated in"), _("Register")});
    for (int i = 0; i < sm->nregs; i++) {
        const sum_reg *r = &sm->regs[i];
        int sc = r->aci >= 0 ? r->t->cols[r->aci].scale : -1;
        snprintf(n, sizeof n, "%lld", (long long)r->rows);
        /* the clause of what is stated: once when count and area share it */
        if (r->count && r->sum && strcmp(r->count->source, r->sum->source) != 0)
            snprintf(cl, sizeof cl, "%s；%s", r->count->source, r->sum->source);
        else
            snprintf(cl, sizeof cl, "%s", r->count ? r->count->source : r->sum ? r->sum->source : "");
        sum_line *l = line_add(s, (const char *[]){
            r->t->appendix, ttitle(r->t), n, r->count ? plan_num(r->count->value, c) : NULL,
            r->aci >= 0 ? num(r->area, sc, a) : NULL, r->sum ? plan_num(r->sum->value, sa) : NULL, cl,
            r->t->id});
        l->t = r->t;
    }
}

static void groups(const sum_group *g, int ng, const char *title, const char *what, int repeat,
                   sum_section *s)
{
    static const int right[] = {0, 0, 1, 1};
    char n[40], a[40];
    s->title = title;
    s->ncols = 4;
    s->right = right;
    line_add(s, (const char *[]){_("Register"), what, _("Rows"), _("Area (km²)")});
    for (int i = 0; i < ng; i++) {
        int sc = g[i].t->cols[g[i].aci].scale;
        for (int k = 0; k <= g[i].n; k++) {
            const sum_row *r = k < g[i].n ? &g[i].r[k] : NULL;
            snprintf(n, sizeof n, "%lld", (long long)(r ? r->rows : g[i].rows));
            sum_line *l = line_add(s, (const char *[]){
                k == 0 || repeat ? ttitle(g[i].t) : NULL,   /* a title, as a person reads it */
                !r ? _("Total") : r->key ? r->key : _("(not given)"), n,
                num(r ? r->area : g[i].area, sc, a)});
            l->t = g[i].t;
            if (r && r->key) {
                l->fci = g[i].gci;
                l->fval = xstrdup(r->key);
            }
        }
    }
}

static void indicators(const summary *sm, sum_section *s, const table *it)
{
    static const int right[] = {1, 0, 0, 1, 0, 1, 0};
    char v[40], n[40];
    s->title = _("Plan indicators (专栏一) and the register");
    s->ncols = 7;
    s->right = right;
    line_add(s, (const char *[]){_("No."), _("Indicator"), _("Unit"), _("Target"), _("Attribute"),
                                 _("Register figure"), _("Basis")});
    for (int i = 0; i < sm->nind; i++) {
        const sum_ind *x = &sm->ind[i];
        sum_line *l = line_add(s, (const char *[]){
            x->ind.seq, x->ind.name, x->ind.unit, plan_num(x->ind.value, v), x->ind.attribute,
            x->has_value ? num(x->value, x->decimals, n) : "—", x->basis});
        l->t = it;
        l->rowid = x->ind.rowid;
    }
}

void summary_sections(const summary *sm, int repeat, sum_section out[SUM_SECTIONS])
{
    memset(out, 0, sizeof(sum_section) * SUM_SECTIONS);
    registers(sm, &out[0]);
    groups(sm->by_district, sm->ndistrict, _("By district"), _("District"), repeat, &out[1]);
    groups(sm->by_mineral, sm->nmineral, _("By mineral"), _("Mineral"), repeat, &out[2]);
    indicators(sm, &out[3], sm->indicators);
}

void summary_sections_free(sum_section sec[SUM_SECTIONS])
{
    for (int i = 0; i < SUM_SECTIONS; i++) {
        for (int k = 0; k < sec[i].n; k++) {
            for (int c = 0; c < sec[i].ncols; c++)
                free(sec[i].lines[k].cells[c]);
            free(sec[i].lines[k].cells);
            free(sec[i].lines[k].fval);
        }
        free(sec[i].lines);
    }
    memset(sec, 0, sizeof(sum_section) * SUM_SECTIONS);
}

const char *summary_note(void)
{
    return _("A row listing several districts or minerals counts under each of them; "
             "Total counts it once.");
}
