/* import_hdr.c — an import's header row: which column each field fills.
 *
 * Headers come from people: Excel adds trailing empty columns, labels get
 * full-width parentheses or a line break typed with Alt+Enter.  We accept
 * those and refuse anything that could put a value in the wrong column,
 * listing every problem at once.
 */
#include "config.h"
#include "import_int.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* A header cell as a name: line breaks dropped, spaces trimmed and, when
 * ascii_parens, full-width parentheses made ASCII ("面积（平方公里）" is
 * "面积(平方公里)"; but the label 县（市） has them itself). */
static char *header_name(const char *s, int ascii_parens)
{
    buf b = BUF_INIT;
    for (const char *p = s; *p; p++) {
        if (*p == '\n' || *p == '\r')
            continue;
        if (ascii_parens && strncmp(p, "（", 3) == 0) {
            buf_putc(&b, '(');
            p += 2;
        } else if (ascii_parens && strncmp(p, "）", 3) == 0) {
            buf_putc(&b, ')');
            p += 2;
        } else {
            buf_putc(&b, *p);
        }
    }
    char *n = buf_steal(&b);
    char *start = n;
    while (*start == ' ' || *start == '\t')
        start++;
    size_t len = strlen(start);
    while (len && (start[len - 1] == ' ' || start[len - 1] == '\t'))
        len--;
    memmove(n, start, len);
    n[len] = '\0';
    return n;
}

/* The column a header cell names, or -1. */
static int header_col(const table *t, const char *cell, char **name)
{
    *name = header_name(cell, 0);
    int ci = **name ? table_col_any(t, *name) : -1;
    if (ci < 0) {
        char *alt = header_name(cell, 1);
        ci = *alt ? table_col_any(t, alt) : -1;
        free(alt);
    }
    return ci;
}

int import_header_col(const table *t, const char *cell)
{
    char *name;
    int ci = header_col(t, cell, &name);
    free(name);
    return ci;
}

/* "; " between the parts of a message (not before the first) */
static void sep(buf *b)
{
    if (b->len)
        buf_puts(b, _("; "));
}

int import_map_header(importer *im, char **f, int nf, long line)
{
    const table *t = im->t;
    buf unknown = BUF_INIT, problems = BUF_INIT;
    im->nh = nf;
    im->map = xcalloc((size_t)nf, sizeof(int));
    im->hdr = xcalloc((size_t)nf, sizeof(char *));
    im->colpos = xmalloc(sizeof(int) * (size_t)t->ncols);
    for (int ci = 0; ci < t->ncols; ci++)
        im->colpos[ci] = -1;
    int last_named = -1;
    for (int i = 0; i < nf; i++)
        if (f[i][0])
            last_named = i;
    for (int i = 0; i < nf; i++) {
        im->hdr[i] = xstrdup(f[i]);
        im->map[i] = -1;
        char *name;
        int ci = header_col(t, f[i], &name);
        if (ci >= 0 && im->colpos[ci] >= 0) {
            sep(&problems);
            buf_printf(&problems, _("column %s appears twice (fields %d and %d)"),
                       t->cols[ci].id, im->colpos[ci] + 1, i + 1);
        } else if (ci >= 0) {
            im->map[i] = ci;
            im->colpos[ci] = i;
        } else if (strcmp(name, IMPORT_REASON_COL) == 0) {
            im->reason_field = i;   /* a rejects file's reasons: not data */
        } else if (!*name && i > last_named) {
            ;   /* Excel's trailing empty columns; their fields must stay empty */
        } else if (!*name) {
            sep(&problems);
            buf_printf(&problems, _("field %d has no name"), i + 1);
        } else {
            buf_printf(&unknown, "%s'%s'", unknown.len ? ", " : "", name);
        }
        free(name);
    }
    buf missing = BUF_INIT;
    for (int ci = 0; ci < t->ncols; ci++) {
        const column *c = &t->cols[ci];
        /* --upsert updates only the columns the file has: it needs just the
         * key (a new row lacking a required value is a row error, do_row) */
        int need = im->o->mode == IMPORT_UPSERT ? ci == t->key_ci : c->required;
        if (need && im->colpos[ci] < 0) {
            buf h = BUF_INIT;
            col_header(c, &h);
            buf_printf(&missing, "%s%s (%s)", missing.len ? ", " : "", buf_str(&h), c->id);
            buf_free(&h);
        }
    }
    int rc = 0;
    if (unknown.len || problems.len || missing.len) {
        buf m = BUF_INIT, ids = BUF_INIT;
        if (unknown.len)
            buf_printf(&m, _("unknown columns: %s"), buf_str(&unknown));
        if (missing.len) {
            sep(&m);
            buf_printf(&m, im->o->mode == IMPORT_UPSERT ? _("missing the key column (--upsert needs it): %s")
                                                        : _("missing required columns: %s"),
                       buf_str(&missing));
        }
        if (problems.len) {
            sep(&m);
            buf_puts(&m, buf_str(&problems));
        }
        for (int ci = 0; ci < t->ncols; ci++)
            buf_printf(&ids, "%s%s", ci ? ", " : "", t->cols[ci].id);
        err_set(im->e, EXIT_DATA, _("%s:%ld: the header does not fit %s: %s (its columns: %s; "
                                    "labels as in `minreg show`)"),
                im->path, line, t->id, buf_str(&m), buf_str(&ids));
        buf_free(&m);
        buf_free(&ids);
        rc = -1;
    }
    buf_free(&unknown);
    buf_free(&problems);
    buf_free(&missing);
    return rc;
}

/* ---- rows of other registers (or this one) that link to this register ---- */

typedef struct links_ctx {
    importer *im;
    const table *u;
    int ci;
    int failed;   /* a lookup failed: im->e says why */
} links_ctx;

static void dangling(importer *im, const table *u, int ci, const char *item, int64_t count)
{
    const column *c = &u->cols[ci];
    buf m = BUF_INIT;
    buf_printf(&m, _n("%lld row of %s (%s) links to '%s', which would no longer be in %s",
                      "%lld rows of %s (%s) link to '%s', which would no longer be in %s", count),
               (long long)count, u->id, c->label, item, im->t->id);
    import_problem(im, 0, -1, NULL, buf_str(&m));
    buf_free(&m);
}

static void check_value(void *arg, const char *key, int64_t count, double sum)
{
    links_ctx *x = arg;
    (void)sum;
    if (!key || !*key)
        return;
    const column *c = &x->u->cols[x->ci];
    int64_t rowid;
    if (x->failed)
        return;
    if (!c->multi) {
        int rc = db_find_by(x->im->d, x->im->t, c->link_ci, key, &rowid, x->im->e);
        if (rc == DB_ERROR)
            x->failed = 1;
        else if (rc == DB_NOT_FOUND)
            dangling(x->im, x->u, x->ci, key, count);
        return;
    }
    char *copy = xstrdup(key), *save = NULL;
    for (char *p = strtok_r(copy, ";", &save); p && !x->failed; p = strtok_r(NULL, ";", &save)) {
        int rc = db_find_by(x->im->d, x->im->t, c->link_ci, p, &rowid, x->im->e);
        if (rc == DB_ERROR)
            x->failed = 1;
        else if (rc == DB_NOT_FOUND)
            dangling(x->im, x->u, x->ci, p, count);
    }
    free(copy);
}

int import_check_links_in(importer *im, int64_t *problems)
{
    const schema *s = db_schema(im->d);
    int me = schema_table_index(s, im->t);
    int64_t before = im->r->nproblems;
    for (int i = 0; i < s->ntables; i++) {
        const table *u = &s->tables[i];
        for (int ci = 0; ci < u->ncols; ci++) {
            if (u->cols[ci].link_ti != me)
                continue;
            links_ctx x = {im, u, ci, 0};
            if (db_group(im->d, u, ci, -1, check_value, &x, im->e) != 0 || x.failed)
                return -1;
        }
    }
    *problems = im->r->nproblems - before;
    return 0;
}
