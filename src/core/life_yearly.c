/* life_yearly.c — the year's work of a permit register (life.h):
 * the permits whose 年度信息 is not recorded as filed, and the planning
 * blocks due for release (投放) with whether a permit holds them.
 *
 * Generic over the schema as life.c is: the filing is an event of a type
 * whose sets list 'annual' (minreg_event_types: 年报), a block register is
 * one with a 'release_from' column (and 'release_to'), a permit holds a
 * block when a column of a permit register links to the block's key.
 */
#include "config.h"

#include "life.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "validate.h"

static char *dup0(const char *s) { return s ? xstrdup(s) : NULL; }

/* Is x the type that files the 年度信息? */
static int annual_type(const event_type *x) { return x && x->sets && list_has(x->sets, "annual"); }

int life_annual_type(const schema *s, const char **type)
{
    for (int i = 0; i < s->nevtypes; i++)
        if (annual_type(&s->evtypes[i])) {
            *type = s->evtypes[i].type;
            return 1;
        }
    *type = NULL;
    return 0;
}

struct filed {
    int tci, dci;
    const char *type, *from, *to;
    int found;
};

static void filed_fn(void *arg, const table *ev, int64_t rid, const char *const *vals)
{
    (void)ev;
    (void)rid;
    struct filed *f = arg;
    const char *d = vals[f->dci];
    if (vals[f->tci] && strcmp(vals[f->tci], f->type) == 0 && d && strcmp(d, f->from) >= 0 &&
        strcmp(d, f->to) <= 0)
        f->found = 1;
}

int life_unfiled(db *d, const char *year, life_due **out, mr_err *e)
{
    const schema *s = db_schema(d);
    const table *ev = life_events(s);
    const char *type;
    *out = NULL;
    if (!ev || !life_annual_type(s, &type))
        return 0;
    int y = atoi(year);
    char from[24], to[24], rfrom[24], rto[24], due[24];
    snprintf(from, sizeof from, "%04d-01-01", y);       /* filed in year */
    snprintf(to, sizeof to, "%04d-12-31", y);
    snprintf(rfrom, sizeof rfrom, "%04d-01-01", y - 1);  /* about the year before */
    snprintf(rto, sizeof rto, "%04d-12-31", y - 1);
    snprintf(due, sizeof due, "%04d-03-31", y);
    life_due *v = NULL;
    int n = 0;
    for (int ti = 0; ti < s->ntables; ti++) {
        const table *t = &s->tables[ti];
        if (life_event_col(s, t) < 0)
            continue;
        int sci = table_role(t, "start"), xci = table_role(t, "expiry"), rci = table_role(t, "regtype");
        cursor *c = db_select(d, t, NULL, 0, -1, 0, -1, e);
        if (!c) {
            life_due_free(v, n);
            return -1;
        }
        int rc;
        while ((rc = cursor_next(c)) == 1) {
            const char *st = sci >= 0 ? cursor_val(c, sci) : NULL, *x = xci >= 0 ? cursor_val(c, xci) : NULL;
            /* in force in the year reported on (an unknown validity counts) */
            if ((st && value_is_date(st) && strcmp(st, rto) > 0) ||
                (x && value_is_date(x) && strcmp(x, rfrom) < 0) ||
                (rci >= 0 && life_cancelled(s, cursor_val(c, rci))))
                continue;
            v = xrealloc(v, sizeof *v * (size_t)(n + 1));
            life_due *u = &v[n++];
            memset(u, 0, sizeof *u);
            u->t = t;
            u->rowid = cursor_rowid(c);
            u->key = dup0(cursor_val(c, t->key_ci));
            u->number = dup0(table_role(t, "number") >= 0 ? cursor_val(c, table_role(t, "number")) : NULL);
            u->name = dup0(cursor_val(c, t->label_ci));
            u->holder = dup0(table_role(t, "holder") >= 0 ? cursor_val(c, table_role(t, "holder")) : NULL);
            u->district = dup0(table_role(t, "district") >= 0 ? cursor_val(c, table_role(t, "district")) : NULL);
            u->expiry = xstrdup(due);
        }
        cursor_free(c);
        if (rc < 0) {
            err_set(e, EXIT_DB, "%s", _("cannot read the permits"));
            life_due_free(v, n);
            return -1;
        }
    }
    /* drop those with a filing in the year (after the scan: one cursor at a time) */
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct filed f = {.tci = table_role(ev, "event_type"), .dci = table_role(ev, "event_date"),
                          .type = type, .from = from, .to = to};
        if (life_timeline(d, v[i].t, v[i].rowid, filed_fn, &f, e) < 0) {
            life_due_free(v, n);
            return -1;
        }
        if (f.found) {
            free(v[i].key); free(v[i].number); free(v[i].name); free(v[i].holder);
            free(v[i].district); free(v[i].expiry); free(v[i].last_event);
            continue;
        }
        v[k++] = v[i];
    }
    *out = v;
    if (!k) {
        free(v);
        *out = NULL;
    }
    return k;
}

int life_release(db *d, const char *year, life_block **out, mr_err *e)
{
    const schema *s = db_schema(d);
    life_block *v = NULL;
    int n = 0, y = atoi(year);
    *out = NULL;
    for (int ti = 0; ti < s->ntables; ti++) {
        const table *b = &s->tables[ti];
        int fci = table_role(b, "release_from"), tci = table_role(b, "release_to");
        if (fci < 0)
            continue;
        int dci = table_role(b, "district");
        cursor *c = db_select(d, b, NULL, 0, -1, 0, -1, e);
        if (!c) {
            life_block_free(v, n);
            return -1;
        }
        int rc;
        while ((rc = cursor_next(c)) == 1) {
            const char *f = cursor_val(c, fci), *t = tci >= 0 ? cursor_val(c, tci) : NULL;
            if (!f || !*f)
                continue;
            int yf = atoi(f), yt = t && *t ? atoi(t) : yf;
            if (y < yf || y > yt)
                continue;
            v = xrealloc(v, sizeof *v * (size_t)(n + 1));
            life_block *u = &v[n++];
            memset(u, 0, sizeof *u);
            u->t = b;
            u->rowid = cursor_rowid(c);
            u->key = dup0(cursor_val(c, b->key_ci));
            u->name = dup0(cursor_val(c, b->label_ci));
            u->district = dup0(dci >= 0 ? cursor_val(c, dci) : NULL);
            u->from = yf;
            u->to = yt;
        }
        cursor_free(c);
        if (rc < 0) {
            err_set(e, EXIT_DB, "%s", _("cannot read the blocks"));
            life_block_free(v, n);
            return -1;
        }
    }
    /* who holds each: the permit registers' columns linking to its key */
    for (int i = 0; i < n; i++) {
        buf held = BUF_INIT;
        for (int ti = 0; ti < s->ntables; ti++) {
            const table *p = &s->tables[ti];
            if (life_event_col(s, p) < 0)
                continue;
            for (int ci = 0; ci < p->ncols; ci++) {
                if (!p->cols[ci].link_tbl || strcmp(p->cols[ci].link_tbl, v[i].t->id) != 0 || !v[i].key)
                    continue;
                db_filter f = {.ci = ci, .value = v[i].key, .op = DBF_EQ};
                cursor *c = db_select(d, p, &f, 1, -1, 0, -1, e);
                if (!c) {
                    buf_free(&held);
                    life_block_free(v, n);
                    return -1;
                }
                while (cursor_next(c) == 1) {
                    const char *no = table_role(p, "number") >= 0 ? cursor_val(c, table_role(p, "number")) : NULL;
                    buf_printf(&held, "%s%s %s", held.len ? "; " : "", p->alias,
                               cursor_val(c, p->key_ci) ? cursor_val(c, p->key_ci) : "");
                    if (no && *no)
                        buf_printf(&held, " (%s)", no);
                    v[i].nheld++;
                }
                cursor_free(c);
            }
        }
        v[i].held = held.len ? buf_steal(&held) : NULL;
        buf_free(&held);
    }
    *out = v;
    return n;
}

void life_block_free(life_block *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        free(v[i].key);
        free(v[i].name);
        free(v[i].district);
        free(v[i].held);
    }
    free(v);
}
