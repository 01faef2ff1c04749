/* freq.c — a column's frequency table (see freq.h).  The counting is SQL
 * in the db layer (db_freq); this file keeps the rows and words them. */
#include "config.h"
#include "freq.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "num.h"

static void freq_add(void *arg, const char *key, int64_t count, double sum)
{
    freq *fq = arg;
    if (fq->n == fq->cap) {
        fq->cap = fq->cap ? fq->cap * 2 : 16;
        fq->r = xrealloc(fq->r, sizeof *fq->r * (size_t)fq->cap);
    }
    fq->r[fq->n++] = (freq_row){xstrdup(key ? key : ""), count, sum};
}

int freq_build(db *d, const table *t, int ci, const db_filter *f, int nf, int max, freq *fq, mr_err *e)
{
    memset(fq, 0, sizeof *fq);
    fq->t = t;
    fq->ci = ci;
    fq->aci = table_area_col(t);
    if (db_count(d, t, f, nf, &fq->total, e) < 0)
        return -1;
    if (db_freq(d, t, ci, fq->aci, f, nf, max < 0 ? -1 : (int64_t)max + 1, freq_add, fq, e) < 0) {
        freq_free(fq);
        return -1;
    }
    if (max >= 0 && fq->n > max) {   /* the one past the max: there are more */
        free(fq->r[--fq->n].value);
        fq->more = 1;
    }
    return 0;
}

void freq_free(freq *fq)
{
    for (int i = 0; i < fq->n; i++)
        free(fq->r[i].value);
    free(fq->r);
    fq->r = NULL;
    fq->n = fq->cap = 0;
}

int freq_ncols(const freq *fq) { return fq->aci >= 0 ? FREQ_COLS : FREQ_AREA; }

void freq_cell(const freq *fq, int i, int c, int raw, buf *out)
{
    const column *col = &fq->t->cols[fq->ci];
    if (i < 0) {
        switch (c) {
        case FREQ_VALUE: col_header(col, out); break;
        case FREQ_ROWS: buf_puts(out, _("Rows")); break;
        case FREQ_SHARE: buf_puts(out, _("Share")); break;
        case FREQ_AREA: col_header(&fq->t->cols[fq->aci], out); break;
        }
        return;
    }
    const freq_row *r = &fq->r[i];
    char num[NUM_MAX];
    switch (c) {
    case FREQ_VALUE:
        if (!*r->value && !raw)
            buf_puts(out, _("(empty)"));
        else if (col->multi || raw)
            buf_puts(out, r->value);
        else
            col_format(col, r->value, out);
        break;
    case FREQ_ROWS: buf_printf(out, "%lld", (long long)r->rows); break;
    case FREQ_SHARE: {
        double pct = fq->total > 0 ? 100.0 * (double)r->rows / (double)fq->total : 0;
        buf_printf(out, raw ? "%.1f" : "%.1f%%", pct);
        break;
    }
    case FREQ_AREA:
        /* a sum: with the column's decimals (0.1 + 0.2 is not 0.30000000000000004) */
        num_format(r->area, num);
        col_format(&fq->t->cols[fq->aci], num, out);
        break;
    }
}

void freq_filter(const freq *fq, int i, db_filter *f)
{
    memset(f, 0, sizeof *f);
    f->ci = fq->ci;
    f->value = fq->r[i].value;
    f->op = *fq->r[i].value ? DBF_EQ : DBF_EMPTY;   /* a list column: rows listing it */
}
