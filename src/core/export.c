/* export.c — writing a register's rows as CSV (see export.h). */
#include "config.h"
#include "export.h"

#include <stdlib.h>
#include <string.h>

/* The plan's decimals: "199.879" with scale 4 is "199.8790".  Only plain
 * decimals ([-]digits[.digits]) with at most scale decimals are padded,
 * with zeros, so no digit is lost or changed (and no printf per cell). */
static int pad(const char *raw, int scale, buf *out)
{
    const char *p = raw + (*raw == '-');
    size_t ints = strspn(p, "0123456789");
    if (!ints)
        return 0;
    const char *dot = p + ints;
    size_t decs = 0;
    if (*dot == '.') {
        decs = strspn(dot + 1, "0123456789");
        if (!decs || dot[1 + decs])
            return 0;
    } else if (*dot) {
        return 0;
    }
    if (decs >= (size_t)scale)
        return 0;
    buf_reset(out);
    buf_puts(out, raw);
    if (!decs)
        buf_putc(out, '.');
    for (size_t i = decs; i < (size_t)scale; i++)
        buf_putc(out, '0');
    return 1;
}

int export_csv(db *d, const table *t, const char *path, const export_opts *o, int64_t *rows,
               mr_err *e)
{
    int nc = o->cis ? o->nc : t->ncols;
    int *cis = xmalloc(sizeof(int) * (size_t)(nc ? nc : 1));
    for (int i = 0; i < nc; i++)
        cis[i] = o->cis ? o->cis[i] : i;
    *rows = 0;
    /* the query first: a bad one must not leave an empty file behind */
    cursor *c = db_select(d, t, o->f, o->nf, o->sort_ci, o->desc, -1, e);
    csvw_opts wo = o->w;
    wo.reg = db_path(d);   /* never written over the register itself */
    csv_writer *w = c ? csvw_open(path, &wo, e) : NULL;
    if (!w) {
        cursor_free(c);
        free(cis);
        return -1;
    }
    buf h = BUF_INIT;
    for (int i = 0; i < nc; i++) {
        buf_reset(&h);
        if (o->header_ids)
            buf_puts(&h, t->cols[cis[i]].id);
        else
            col_header(&t->cols[cis[i]], &h);
        csvw_field(w, buf_str(&h));
        /* a valid number in a number column needs no guard against Excel */
        csvw_numeric(w, i, t->cols[cis[i]].type == COL_INT || t->cols[cis[i]].type == COL_DEC);
    }
    csvw_end(w);
    buf_free(&h);
    int got;
    buf v = BUF_INIT;
    while ((got = cursor_next(c)) == 1) {
        for (int i = 0; i < nc; i++) {
            const column *col = &t->cols[cis[i]];
            const char *raw = cursor_val(c, cis[i]);
            if (col->type == COL_DEC && col->scale > 0 && raw && *raw && pad(raw, col->scale, &v))
                raw = buf_str(&v);
            csvw_field(w, raw);
        }
        csvw_end(w);
        (*rows)++;
    }
    buf_free(&v);
    int rc = 0;
    if (got < 0) {
        err_set(e, EXIT_DB, "%s: %s", db_path(d), cursor_error(c));
        csvw_abort(w);
        rc = -1;
    } else {
        rc = csvw_close(w, e);
    }
    cursor_free(c);
    free(cis);
    return rc;
}
