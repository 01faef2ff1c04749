/* schema.c — lookups over the register description (see schema.h). */
#include "config.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>   /* strcasecmp */
#include <stdio.h>

#include "i18n.h"

static const char *const type_names[] = {"text", "int", "dec", "date", "year"};

const char *col_type_name(col_type t) { return type_names[t]; }

int col_type_parse(const char *s, col_type *t)
{
    for (int i = 0; i < (int)(sizeof type_names / sizeof *type_names); i++)
        if (strcmp(s, type_names[i]) == 0) {
            *t = (col_type)i;
            return 1;
        }
    return 0;
}

int table_col(const table *t, const char *id)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].id, id) == 0)
            return i;
    return -1;
}

int table_area_col(const table *t)
{
    /* an event's former or new area (roles was:area, now:area) is not the
     * extent of the register's rows: such a register has no area */
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].type == COL_DEC && t->cols[i].unit && strcmp(t->cols[i].unit, "平方公里") == 0 &&
            !(t->cols[i].roles && (strstr(t->cols[i].roles, "was:") || strstr(t->cols[i].roles, "now:"))))
            return i;
    return -1;
}

int table_col_any(const table *t, const char *name)
{
    int i = table_col(t, name);
    if (i >= 0)
        return i;
    for (i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].label, name) == 0)
            return i;
    buf h = BUF_INIT;
    for (i = 0; i < t->ncols; i++) {
        buf_reset(&h);
        col_header(&t->cols[i], &h);
        if (strcmp(buf_str(&h), name) == 0)
            break;
    }
    buf_free(&h);
    return i < t->ncols ? i : -1;
}

/* Compare s with a title, ignoring spaces (附表 2 == 附表2). */
static int eq_nospace(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++, b++;
    }
}

const table *schema_table(const schema *s, const char *name)
{
    static const char prefix[] = "辽宁省丹东市";
    if (strncmp(name, prefix, sizeof prefix - 1) == 0)
        name += sizeof prefix - 1;
    for (int i = 0; i < s->ntables; i++) {
        const table *t = &s->tables[i];
        if (strcmp(t->id, name) == 0 || strcasecmp(t->alias, name) == 0 ||
            (*t->appendix && eq_nospace(t->appendix, name)) || strcmp(t->title, name) == 0)
            return t;
    }
    return NULL;
}

int schema_table_index(const schema *s, const table *t) { return (int)(t - s->tables); }

void col_header(const column *c, buf *out)
{
    buf_puts(out, c->label);
    if (*c->unit)
        buf_printf(out, "(%s)", c->unit);
}

void col_format(const column *c, const char *raw, buf *out)
{
    if (!raw)
        return;
    if (c->type == COL_DEC && c->scale >= 0 && *raw) {
        char *end;
        double d = strtod(raw, &end);
        if (*end == '\0') {
            buf_printf(out, "%.*f", c->scale, d);
            return;
        }
    }
    buf_puts(out, raw);
}

int list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

void schema_resolve(schema *s)
{
    for (int i = 0; i < s->ntables; i++) {
        table *t = &s->tables[i];
        t->key_ci = table_col(t, t->key_col);
        t->label_ci = table_col(t, t->label_col);
        for (int j = 0; j < t->ncols; j++) {
            column *c = &t->cols[j];
            c->link_ti = c->link_ci = -1;
            c->not_before_ci = *c->not_before ? table_col(t, c->not_before) : -1;
            if (!*c->link_tbl)
                continue;
            const table *lt = schema_table(s, c->link_tbl);
            if (lt) {
                c->link_ti = schema_table_index(s, lt);
                c->link_ci = table_col(lt, *c->link_col ? c->link_col : lt->key_col);
            }
        }
    }
    for (int i = 0; i < s->ntables; i++)
        for (int j = 0; j < s->tables[i].ncols; j++) {
            const column *c = &s->tables[i].cols[j];
            if (c->link_ti >= 0 && c->link_ci >= 0)
                s->tables[c->link_ti].cols[c->link_ci].linked_in = 1;
        }
}

static void column_free(column *c)
{
    free(c->id); free(c->label); free(c->label_en); free(c->unit);
    free(c->enum_s); free(c->pattern);
    free(c->pattern_text); free(c->pattern_text_en); free(c->link_tbl); free(c->link_col);
    free(c->range); free(c->not_before); free(c->roles);
}

void schema_free(schema *s)
{
    for (int i = 0; i < s->ntables; i++) {
        table *t = &s->tables[i];
        for (int j = 0; j < t->ncols; j++)
            column_free(&t->cols[j]);
        free(t->cols);
        free(t->id); free(t->grp); free(t->appendix); free(t->alias);
        free(t->title); free(t->title_en); free(t->source);
        free(t->key_col); free(t->label_col);
    }
    free(s->tables);
    for (int i = 0; i < s->ntotals; i++) {
        total *x = &s->totals[i];
        free(x->tbl); free(x->measure); free(x->col); free(x->where_col);
        free(x->where_val); free(x->unit); free(x->source); free(x->note);
        free(x->kind); free(x->with_tbl);
    }
    free(s->totals);
    for (int i = 0; i < s->nevtypes; i++) {
        event_type *x = &s->evtypes[i];
        free(x->type); free(x->label_en); free(x->regtype); free(x->needs); free(x->sets);
        free(x->note);
    }
    free(s->evtypes);

    for (int i = 0; i < s->nnotes; i++) {
        free(s->notes[i].tbl);
        free(s->notes[i].note);
    }
    free(s->notes);
    memset(s, 0, sizeof *s);
}

int total_is_stated(const total *x) { return !x->kind || strcmp(x->kind, "table") != 0; }

/* Does note name 序号N for a number other than seq (NULL: any number)? 1 it
 * names seq, -1 another one, 0 none. */
static int note_names(const char *note, const char *seq)
{
    static const char mark[] = "序号";
    int other = 0;
    for (const char *p = strstr(note, mark); p; p = strstr(p + 1, mark)) {
        const char *q = p + strlen(mark);
        size_t n = strspn(q, "0123456789");
        if (!n)
            continue;
        if (seq && strlen(seq) == n && strncmp(q, seq, n) == 0)
            return 1;
        other = 1;
    }
    return other ? -1 : 0;
}

int schema_notes(const schema *s, const table *t, const char *seq, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i < s->nnotes && n < max; i++) {
        if (strcmp(s->notes[i].tbl, t->id) != 0)
            continue;
        int named = note_names(s->notes[i].note, seq && *seq ? seq : NULL);
        if (named >= 0)
            out[n++] = s->notes[i].note;
    }
    return n;
}

int schema_row_sources(const schema *s, const table *t, const char *key, const char *seq,
                       char **out, int max)
{
    const char *notes[64];
    int nn = schema_notes(s, t, seq, notes, 64), n = 0;
    char line[1024];
    /* the register's clause, unless its first note says it already */
    if (n < max && (!nn || strncmp(notes[0], "来源", strlen("来源")) != 0))
        out[n++] = xstrdup(t->source);
    for (int i = 0; i < nn && n < max; i++) {
        /* "来源: 附表11 …" under a heading that says 来源 already: the
         * clause alone */
        const char *p = notes[i];
        if (strncmp(p, "来源", strlen("来源")) == 0) {
            const char *q = p + strlen("来源");
            if (*q == ':')
                q++;
            else if (strncmp(q, "：", strlen("：")) == 0)
                q += strlen("：");
            else
                q = p;
            while (q != p && *q == ' ')
                q++;
            if (q != p && *q)
                p = q;
        }
        out[n++] = xstrdup(p);
    }
    /* figures the plan's text states about this very row */
    for (int i = 0; key && i < s->ntotals && n < max; i++) {
        const total *x = &s->totals[i];
        if (strcmp(x->tbl, t->id) != 0 || strcmp(x->where_col, t->cols[t->key_ci].id) != 0 ||
            strcmp(x->where_val, key) != 0 || !total_is_stated(x))
            continue;
        snprintf(line, sizeof line, _("stated (%s): %s"), x->source, x->note);
        out[n++] = xstrdup(line);
    }
    return n;
}

int table_role(const table *t, const char *role)
{
    for (int i = 0; t && i < t->ncols; i++)
        if (t->cols[i].roles && list_has(t->cols[i].roles, role))
            return i;
    return -1;
}

const event_type *schema_event_type(const schema *s, const char *type)
{
    for (int i = 0; type && i < s->nevtypes; i++)
        if (strcmp(s->evtypes[i].type, type) == 0)
            return &s->evtypes[i];
    return NULL;
}
