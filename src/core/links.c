/* links.c — resolving a record's links (see links.h). */
#include "links.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

static link_out *grow(link_out *l, int n)
{
    l = xrealloc(l, sizeof *l * (size_t)(n + 1));
    memset(&l[n], 0, sizeof *l);
    return l;
}

/* Add the entry for one item and, when found, its keyed registers. */
static link_out *add_item(db *d, const column *col, int ci, const char *item, link_out *l, int *n)
{
    const schema *s = db_schema(d);
    const table *lt = &s->tables[col->link_ti];
    l = grow(l, *n);
    link_out *o = &l[(*n)++];
    o->ci = ci;
    o->value = xstrdup(item);
    o->ti = col->link_ti;
    if (db_find_by(d, lt, col->link_ci, item, &o->rowid, NULL) != DB_FOUND)
        return l;
    cursor *c = db_select_rowid(d, lt, o->rowid, NULL);
    if (c && cursor_next(c) == 1) {
        const char *k = cursor_val(c, lt->key_ci), *lb = cursor_val(c, lt->label_ci);
        o->found = 1;
        o->key = xstrdup(k ? k : "");
        o->label = xstrdup(lb ? lb : "");
        for (int i = 0; i < s->ntables; i++) {
            const table *u = &s->tables[i];
            const column *kc = &u->cols[u->key_ci];
            const char *v = kc->link_ti == col->link_ti ? cursor_val(c, kc->link_ci) : NULL;
            int64_t r2;
            if (u == lt || !v || db_find_by(d, u, u->key_ci, v, &r2, NULL) != DB_FOUND)
                continue;
            l = grow(l, *n);
            link_out *x = &l[(*n)++];
            x->ci = ci;
            x->ext = 1;
            x->value = xstrdup(v);
            x->ti = i;
            x->found = 1;
            x->rowid = r2;
            x->key = xstrdup(v);
            x->label = xstrdup(v);
        }
    }
    cursor_free(c);
    return l;
}

int links_out_get(db *d, const table *t, cursor *row, link_out **out)
{
    link_out *l = NULL;
    int n = 0;
    for (int i = 0; i < t->ncols; i++) {
        const column *col = &t->cols[i];
        const char *v = cursor_val(row, i);
        if (col->link_ti < 0 || !v || !*v)
            continue;
        if (!col->multi) {
            l = add_item(d, col, i, v, l, &n);
            continue;
        }
        char *copy = xstrdup(v), *save = NULL;
        for (char *p = strtok_r(copy, ";", &save); p; p = strtok_r(NULL, ";", &save))
            l = add_item(d, col, i, p, l, &n);
        free(copy);
    }
    *out = l;
    return n;
}

int links_in_get(db *d, const table *t, cursor *row, link_in **out, mr_err *e)
{
    const schema *s = db_schema(d);
    int me = schema_table_index(s, t), n = 0;
    link_in *l = NULL;
    for (int i = 0; i < s->ntables; i++) {
        const table *u = &s->tables[i];
        for (int j = 0; j < u->ncols; j++) {
            const column *col = &u->cols[j];
            const char *v = col->link_ti == me ? cursor_val(row, col->link_ci) : NULL;
            if (!v || !*v)
                continue;
            db_filter f = {.ci = j, .value = v, .op = DBF_EQ};
            int64_t cnt;
            if (db_count(d, u, &f, 1, &cnt, e) < 0) {
                links_in_free(l, n);
                *out = NULL;
                return -1;
            }
            if (cnt == 0)
                continue;
            l = xrealloc(l, sizeof *l * (size_t)(n + 1));
            l[n].ti = i;
            l[n].ci = j;
            l[n].value = xstrdup(v);
            l[n].count = cnt;
            n++;
        }
    }
    *out = l;
    return n;
}

int links_is_target(db *d, const table *t, int ci)
{
    (void)d;
    return t->cols[ci].linked_in;
}

int links_rows_each(db *d, const table *t, int ci, const char *value, links_row_fn fn, void *arg)
{
    const schema *s = db_schema(d);
    int me = schema_table_index(s, t);
    if (!value || !*value)
        return 0;
    for (int i = 0; i < s->ntables; i++) {
        const table *u = &s->tables[i];
        for (int j = 0; j < u->ncols; j++) {
            if (u->cols[j].link_ti != me || u->cols[j].link_ci != ci)
                continue;
            /* the row ids first: fn may write to u */
            db_filter f = {.ci = j, .value = value, .op = DBF_EQ};
            cursor *c = db_select(d, u, &f, 1, -1, 0, -1, NULL);
            if (!c)
                return -1;
            int64_t *ids = NULL;
            size_t n = 0;
            int step;
            while ((step = cursor_next(c)) == 1) {
                ids = xrealloc(ids, sizeof *ids * (n + 1));
                ids[n++] = cursor_rowid(c);
            }
            cursor_free(c);
            int stop = step < 0 ? -1 : 0;
            for (size_t k = 0; !stop && k < n; k++)
                stop = fn(arg, u, j, ids[k]);
            free(ids);
            if (stop)
                return stop;
        }
    }
    return 0;
}

void links_out_free(link_out *l, int n)
{
    for (int i = 0; i < n; i++) {
        free(l[i].value);
        free(l[i].key);
        free(l[i].label);
    }
    free(l);
}

void links_in_free(link_in *l, int n)
{
    for (int i = 0; i < n; i++)
        free(l[i].value);
    free(l);
}
