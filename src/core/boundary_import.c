/* boundary_import.c — many records' boundaries from one file, as one change
 * (boundary_import.h). */
#include "config.h"

#include "core/boundary_import.h"

#include <stdlib.h>
#include <string.h>

#include "core/boundary.h"
#include "core/change.h"
#include "core/i18n.h"

typedef struct rid_at {
    int64_t rid;
    int at;           /* the parcel's index */
} rid_at;

static int by_rid(const void *x, const void *y)
{
    const rid_at *a = x, *b = y;
    return a->rid != b->rid ? (a->rid < b->rid ? -1 : 1) : a->at - b->at;
}

int boundary_import(db *d, const table *t, const geo_shape *s, const char *path, const char *comment,
                    boundary_import_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    if (db_readonly(d)) {
        err_set(e, db_readonly_exit(d), _("%s is open read-only: nothing was changed"), db_path(d));
        return -1;
    }
    int has = db_has_boundary(d, t->id, e);
    if (has == DB_ERROR)
        return -1;
    if (has == DB_NOT_FOUND) {
        err_set(e, EXIT_USAGE, _("%s: its records hold no boundary"), t->id);
        return -1;
    }
    /* every parcel must name its record before anything is written */
    int64_t *rids = xmalloc(sizeof *rids * (size_t)(s->nparcels ? s->nparcels : 1));
    for (int i = 0; i < s->nparcels; i++) {
        const geo_parcel *p = &s->parcels[i];
        if (!p->no || !*p->no) {
            err_set(e, EXIT_DATA, _("%s:%d: parcel %d has no 地块编号 to name its record; nothing was written"),
                    path, p->line, i + 1);
            free(rids);
            return -1;
        }
        int rc = db_find(d, t, p->no, &rids[i], e);
        if (rc == DB_ERROR) {
            free(rids);
            return -1;
        }
        if (rc == DB_NOT_FOUND) {
            err_set(e, EXIT_DATA, _("%s:%d: %s has no record '%s'; nothing was written"), path, p->line, t->id,
                    p->no);
            free(rids);
            return -1;
        }
    }
    /* a record named twice: sorted by record, each next to its repeat */
    rid_at *by = xmalloc(sizeof *by * (size_t)(s->nparcels ? s->nparcels : 1));
    for (int i = 0; i < s->nparcels; i++)
        by[i] = (rid_at){rids[i], i};
    qsort(by, (size_t)s->nparcels, sizeof *by, by_rid);
    for (int i = 1; i < s->nparcels; i++)
        if (by[i].rid == by[i - 1].rid) {
            const geo_parcel *p = &s->parcels[by[i].at], *q = &s->parcels[by[i - 1].at];
            err_set(e, EXIT_DATA, _("%s:%d: record '%s' has a second boundary in the file (line %d); "
                                    "nothing was written"),
                    path, p->line, p->no, q->line);
            free(by);
            free(rids);
            return -1;
        }
    free(by);
    chg *c = chg_begin(d, e);
    if (!c) {
        free(rids);
        return -1;
    }
    /* as an import's: a bigger page cache for the one transaction, whose
     * shapes, rings, boxes and audit rows touch indexes all over */
    db_cache_kb(d, 16384);
    buf sum = BUF_INIT, text = BUF_INIT;
    buf_printf(&sum, _n("%s: %d boundary from %s", "%s: %d boundaries from %s", s->nparcels), t->id, s->nparcels,
               path);
    int ok = (r->change = chg_record(c, "set", t->id, buf_str(&sum), comment, 0, e)) > 0;
    for (int i = 0; ok && i < s->nparcels; i++) {
        /* the parcel as a shape of its own */
        geo_shape one = *s;
        one.parcels = &s->parcels[i];
        one.nparcels = one.cap = 1;
        buf_reset(&text);
        ok = boundary_encode(&one, &text, e) == 0 &&
             chg_set_boundary(c, t, rids[i], s->parcels[i].no, buf_str(&text), e) == 0;
        r->set++;
    }
    buf_free(&sum);
    buf_free(&text);
    free(rids);
    if (!ok) {
        chg_abort(c);
        db_cache_kb(d, 0);
        r->set = 0;
        return -1;
    }
    int rc = chg_commit(c, e);
    db_cache_kb(d, 0);
    return rc;
}
