/* db_site.c — the ownership rule of site.h, read from the schema's roles
 * and links (no register is named here). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "i18n.h"
#include "site.h"
#include "xchg.h"

#define SITE_ROLE "district"

/* The register t links to by column ci, or NULL. */
static const table *link_of(const db *d, const table *t, int ci)
{
    const schema *s = db_schema(d);
    const column *c = &t->cols[ci];
    if (c->link_ti < 0 || c->link_ci < 0 || c->link_ti >= s->ntables)
        return NULL;
    return &s->tables[c->link_ti];
}

/* Column ci of t links to a register whose rows name their district. */
static int links_owner(const db *d, const table *t, int ci)
{
    const table *lt = link_of(d, t, ci);
    return lt && lt != t && table_role(lt, SITE_ROLE) >= 0;
}

int site_column(const db *d, const table *t)
{
    int dc = table_role(t, SITE_ROLE);
    if (dc >= 0)
        return dc;
    for (int ci = 0; ci < t->ncols; ci++)
        if (links_owner(d, t, ci))
            return ci;
    return -1;
}

void site_rule_for(db *d, int code, const char *role, const char *name, site_rule *r)
{
    memset(r, 0, sizeof *r);
    r->code = code;
    snprintf(r->name, sizeof r->name, "%s", name ? name : "");
    r->county = role && strcmp(role, "county") == 0;
    if (!r->county)
        return;
    /* the county's row in the register the district columns link to, by
     * its key (the admin code): its key, label and linked-to values */
    const schema *s = db_schema(d);
    const table *dt = NULL;
    int lci = -1;
    for (int i = 0; i < s->ntables && !dt; i++) {
        int dc = table_role(&s->tables[i], SITE_ROLE);
        if (dc >= 0 && (dt = link_of(d, &s->tables[i], dc)))
            lci = s->tables[i].cols[dc].link_ci;
    }
    if (!dt || dt->key_ci < 0)
        return;
    buf q = BUF_INIT;
    int cols[3] = {dt->key_ci, dt->label_ci, lci};
    buf_puts(&q, "SELECT ");
    for (int k = 0; k < 3; k++) {
        if (k)
            buf_puts(&q, ", ");
        put_ident(&q, dt->cols[cols[k] >= 0 ? cols[k] : dt->key_ci].id);
    }
    buf_puts(&q, " FROM ");
    put_ident(&q, dt->id);
    buf_puts(&q, " WHERE ");
    put_ident(&q, dt->cols[dt->key_ci].id);
    buf_puts(&q, " = ?1");
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
    if (!st)
        return;
    char c6[16];
    snprintf(c6, sizeof c6, "%d", code);
    sqlite3_bind_text(st, 1, c6, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        for (int k = 0; k < 3; k++) {
            const char *v = (const char *)sqlite3_column_text(st, k);
            snprintf(r->dist[k], sizeof r->dist[k], "%s", v ? v : "");
        }
    sqlite3_reset(st);
}

void site_rule_self(db *d, site_rule *r)
{
    xchg_site me;
    if (xchg_self(d, &me) != 0) {
        memset(r, 0, sizeof *r);
        return;
    }
    site_rule_for(d, me.code, me.role, me.name, r);
}

/* Does district value v (a ';'-list: every item) name r's county? */
static int names_county(const site_rule *r, const char *v)
{
    if (!v || !*v)
        return 0;
    char *cp = xstrdup(v), *save = NULL;
    int all = 1, any = 0;
    for (char *it = strtok_r(cp, ";", &save); it; it = strtok_r(NULL, ";", &save)) {
        while (*it == ' ')
            it++;
        size_t n = strlen(it);
        while (n && it[n - 1] == ' ')
            it[--n] = 0;
        int mine = 0;
        for (int k = 0; k < 3; k++)
            mine |= r->dist[k][0] && strcmp(it, r->dist[k]) == 0;
        all &= mine;
        any = 1;
    }
    free(cp);
    return any && all;
}

static void build_linked(buf *q, const table *lt, int ci, int kind)
{
    (void)kind;
    buf_puts(q, "SELECT ");
    put_ident(q, lt->cols[table_role(lt, SITE_ROLE)].id);
    buf_puts(q, " FROM ");
    put_ident(q, lt->id);
    buf_puts(q, " WHERE ");
    put_ident(q, lt->cols[ci].id);
    buf_puts(q, " = ?1");
}

/* Does r's county own the row of lt whose column ci is v? */
static int owns_linked(db *d, const site_rule *r, const table *lt, int ci, const char *v)
{
    sqlite3_stmt *st = stmt_keyed(d, SK_SITE_LINKED, lt, ci, build_linked);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
    int mine = 0, any = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        mine = (any ? mine : 1) & names_county(r, (const char *)sqlite3_column_text(st, 0));
        any = 1;
    }
    sqlite3_reset(st);
    return any && mine;
}

int site_owns(db *d, const site_rule *r, const table *t, const char *const *v)
{
    if (!r || !r->county)
        return 1;
    int dc = table_role(t, SITE_ROLE);
    if (dc >= 0)
        return names_county(r, v ? v[dc] : NULL);
    /* follows the rows it links to: each it names must be the county's */
    int any = 0;
    for (int ci = 0; ci < t->ncols; ci++) {
        if (!links_owner(d, t, ci) || !v || !v[ci] || !*v[ci])
            continue;
        const table *lt = link_of(d, t, ci);
        if (!owns_linked(d, r, lt, t->cols[ci].link_ci, v[ci]))
            return 0;
        any = 1;
    }
    return any;
}

static void build_owner_cols(buf *q, const table *t, int ci, int kind)
{
    (void)ci;
    (void)kind;
    buf_puts(q, "SELECT ");
    for (int k = 0; k < t->ncols; k++) {
        if (k)
            buf_puts(q, ", ");
        put_ident(q, t->cols[k].id);
    }
    buf_puts(q, " FROM ");
    put_ident(q, t->id);
    buf_puts(q, " WHERE rowid = ?1");
}

int site_owns_rid(db *d, const site_rule *r, const table *t, int64_t rid)
{
    if (!r || !r->county)
        return 1;
    if (site_column(d, t) < 0)
        return 0;
    sqlite3_stmt *st = stmt_keyed(d, SK_SITE_ROW, t, -1, build_owner_cols);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, rid);
    int rc = 1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char **v = xcalloc((size_t)t->ncols, sizeof *v);
        for (int k = 0; k < t->ncols; k++)
            v[k] = (const char *)sqlite3_column_text(st, k);
        rc = site_owns(d, r, t, v);
        free(v);
    }
    sqlite3_reset(st);
    return rc;
}

void site_why(db *d, const site_rule *r, const table *t, char *out, size_t n)
{
    int oc = site_column(d, t);
    const char *who = r->dist[1][0] ? r->dist[1] : r->name;
    if (oc < 0)
        snprintf(out, n, _("%s is %s's register (site %d): the rows of %s are the city's; they "
                           "arrive here by exchange"),
                 db_path(d), who, r->code, t->title);
    else if (table_role(t, SITE_ROLE) == oc)
        snprintf(out, n, _("%s is %s's register (site %d): it writes only the rows of %s whose %s "
                           "is %s; the others arrive here by exchange"),
                 db_path(d), who, r->code, t->title, t->cols[oc].label,
                 r->dist[2][0] ? r->dist[2] : who);
    else
        snprintf(out, n, _("%s is %s's register (site %d): it writes only the rows of %s that "
                           "belong to its own %s; the others arrive here by exchange"),
                 db_path(d), who, r->code, t->title, link_of(d, t, oc)->title);
}
