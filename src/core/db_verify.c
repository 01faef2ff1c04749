/* db_verify.c — checking the history and every row against the chain.
 *
 * Part of the db module (see db_chain.c for what is chained).  Streams: it
 * holds two numbers per change (what it undoes and what must have undone
 * it) and one row at a time, whatever the size of the register.
 */
#include "config.h"

#include "db_verify_int.h"
#include "boundary.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"



void vf_found(vctx *v, const char *tbl, const char *key, const char *field, int64_t change,
                  const char *fmt, ...)
{
    if (v->stop)
        return;
    buf m = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    db_finding f = {tbl, key, field, change, buf_str(&m)};
    v->r->findings++;
    if (v->fn && v->fn(v->arg, &f))
        v->stop = 1;
    buf_free(&m);
}

void vf_hex(const unsigned char *p, char out[2 * DIGEST + 1])
{
    for (size_t i = 0; i < DIGEST; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
}

int vf_unhex(const char *s, unsigned char out[DIGEST])
{
    if (!s || strlen(s) != 2 * DIGEST)
        return -1;
    for (size_t i = 0; i < DIGEST; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
            !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
            return -1;
        out[i] = (unsigned char)v;
    }
    return 0;
}

int db_digest_parse(const char *s) { unsigned char b[DIGEST]; return vf_unhex(s, b); }

/* ---- rows ------------------------------------------------------------------ */

typedef struct {
    vctx *v;
    const table *t;
    int64_t seal;
    sqlite3_stmt *aud;    /* a row's audit rows, newest first */
    sqlite3_stmt *json;   /* an audited add's values */
    buf *vals, tmp;
    int *have;
} rowctx;

static int same_text(const buf *a, const buf *b)
{
    return a->len == b->len && (!a->len || memcmp(a->s, b->s, a->len) == 0);
}

/* A canonical value as a clerk reads it: 'text', or "nothing". */
static const char *shown(const buf *c, int have, buf *out)
{
    buf_reset(out);
    if (!have)
        return _("nothing");
    buf v = BUF_INIT;
    canon_show(c, &v);
    buf_printf(out, "'%s'", buf_str(&v));
    buf_free(&v);
    return buf_str(out);
}

static const char *label(const table *t, int ci) { return t->cols[ci].id; }

/* The row's key as the audit trail named it, for a row that is gone */
static const char *gone_key(const char *k, int64_t rid, buf *b)
{
    buf_reset(b);
    if (k && *k)
        buf_puts(b, k);
    else
        buf_printf(b, "rid %lld", (long long)rid);
    return buf_str(b);
}

/* Column ci holds (as unwound) something other than rc->tmp (have h),
 * which change wrote: when it added the row (added), or set the field. */
static void field_differs(rowctx *rc, int ci, int h, int64_t change, const char *key, int added)
{
    buf now = BUF_INIT, was = BUF_INIT;
    const char *a = shown(&rc->vals[ci], rc->have[ci], &now), *b = shown(&rc->tmp, h, &was);
    if (added)
        vf_found(rc->v, rc->t->id, key, label(rc->t, ci), change,
              _("holds %s, but change %lld added the row with %s and no audited change "
                "since set it: changed outside minreg"), a, (long long)change, b);
    else
        vf_found(rc->v, rc->t->id, key, label(rc->t, ci), change,
              _("holds %s, but change %lld set it to %s and no audited change since: "
                "changed outside minreg"), a, (long long)change, b);
    buf_free(&now);
    buf_free(&was);
}

/* Compare the row as unwound (rc->vals) with an audited add's JSON. */
static void check_added(rowctx *rc, const char *json, int64_t change, const char *key)
{
    const table *t = rc->t;
    sqlite3_bind_text(rc->json, 1, json, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(rc->json) == SQLITE_ROW) {
        for (int i = 0; i < t->ncols; i++) {
            int h = canon_col(rc->json, i, &rc->tmp);
            int same = h == rc->have[i] && same_text(&rc->tmp, &rc->vals[i]);
            if (!same && h && rc->have[i] && sqlite3_column_type(rc->json, i) == SQLITE_FLOAT) {
                /* JSON holds 15 significant digits of a REAL */
                buf x = BUF_INIT;
                canon_show(&rc->vals[i], &x);
                char a[64], b[64];
                snprintf(a, sizeof a, "%.15g", sqlite3_column_double(rc->json, i));
                snprintf(b, sizeof b, "%.15g", strtod(buf_str(&x), NULL));
                same = strcmp(a, b) == 0;
                buf_free(&x);
            }
            if (!same)
                field_differs(rc, i, h, change, key, 1);
        }
    }
    sqlite3_reset(rc->json);
}

/* One present row: unwind its audited changes after its origin. */
static void check_row(rowctx *rc, sqlite3_stmt *row, int64_t rid, int64_t sums_change,
                      const unsigned char *sum, const unsigned char *fsum, size_t fnc)
{
    const table *t = rc->t;
    for (int i = 0; i < t->ncols; i++)
        rc->have[i] = canon_col(row, i + 1, &rc->vals[i]);
    buf keyb = BUF_INIT;
    canon_show(&rc->vals[t->key_ci], &keyb);
    const char *key = buf_str(&keyb);
    sqlite3_stmt *a = rc->aud;
    sqlite3_bind_text(a, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(a, 2, rid);
    int origin = 0;   /* 1 an audited add, 2 a delete after which it came back */
    while (sqlite3_step(a) == SQLITE_ROW) {
        int64_t change = sqlite3_column_int64(a, 0);
        if (sum && change <= sums_change)
            break;
        const char *op = (const char *)sqlite3_column_text(a, 1);
        const char *field = (const char *)sqlite3_column_text(a, 2);
        if (strcmp(op, "insert") == 0) {
            check_added(rc, (const char *)sqlite3_column_text(a, 4), change, key);
            origin = 1;
            break;
        }
        if (strcmp(op, "delete") == 0) {
            vf_found(rc->v, t->id, key, NULL, change,
                  _("the row is there, but change %lld deleted it and no audited change brought "
                    "it back: put back outside minreg"), (long long)change);
            origin = 2;
            break;
        }
        int ci = field ? table_col(t, field) : -1;
        if (ci < 0)
            continue;
        int h = canon_text(t->cols[ci].type, (const char *)sqlite3_column_text(a, 4), &rc->tmp);
        int same = h == (rc->have[ci] != 0) && (!h || same_text(&rc->tmp, &rc->vals[ci]));
        if (!same)
            field_differs(rc, ci, h, change, key, 0);
        rc->have[ci] = canon_text(t->cols[ci].type, (const char *)sqlite3_column_text(a, 3),
                                  &rc->vals[ci]);
    }
    sqlite3_reset(a);
    if (!origin) {
        if (sum) {
            unsigned char now[DB_SUM];
            unsigned char *fnow = xmalloc((size_t)t->ncols);
            db_sum_texts(t, rc->vals, rc->have, now, fnow);
            int named = 0;
            /* the field bytes (since schema 5) say which fields differ */
            for (int i = 0; fsum && memcmp(now, sum, DB_SUM) != 0 && (size_t)i < fnc; i++) {
                if (fnow[i] == fsum[i])
                    continue;
                buf was = BUF_INIT;
                vf_found(rc->v, t->id, key, label(t, i), sums_change,
                      _("holds %s, not what change %lld wrote, and no audited change since set "
                        "it: changed outside minreg"),
                      shown(&rc->vals[i], rc->have[i], &was), (long long)sums_change);
                buf_free(&was);
                named++;
            }
            if (!named && memcmp(now, sum, DB_SUM) != 0)
                vf_found(rc->v, t->id, key, NULL, sums_change,
                      _("its values differ from those change %lld wrote, with no audited change "
                        "since to explain it: changed outside minreg"), (long long)sums_change);
            free(fnow);
        } else if (!rc->v->stop) {
            vf_found(rc->v, t->id, key, NULL, 0,
                  _("the row is not in the history: added outside minreg"));
        }
    }
    buf_free(&keyb);
}

/* A row the history says should be there and is not: a later audited
 * delete must explain it. */
static void check_gone(rowctx *rc, int64_t rid, int64_t change)
{
    sqlite3_stmt *a = rc->aud;
    sqlite3_bind_text(a, 1, rc->t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(a, 2, rid);
    int deleted = 0;
    buf k = BUF_INIT;
    if (sqlite3_step(a) == SQLITE_ROW) {
        if (sqlite3_column_int64(a, 0) > change || !change)
            deleted = strcmp((const char *)sqlite3_column_text(a, 1), "delete") == 0;
        gone_key((const char *)sqlite3_column_text(a, 5), rid, &k);
        if (!change)
            change = sqlite3_column_int64(a, 0);
    } else {
        gone_key(NULL, rid, &k);
    }
    sqlite3_reset(a);
    if (!deleted)
        vf_found(rc->v, rc->t->id, buf_str(&k), NULL, change,
              _("the row is gone, but no audited change deleted it (change %lld is the last "
                "to have written it): removed outside minreg"), (long long)change);
    buf_free(&k);
}

/* The rids of t's runs of sums in order, each with its sum and (a run
 * with field bytes) its field bytes. */
typedef struct {
    sqlite3_stmt *st;
    unsigned char *blob, *fblob;
    int64_t first, n, i, change;
    size_t nc;   /* the register's columns: field bytes a row */
    size_t fnc, cur_fnc;   /* field bytes a row in this run (fewer before schema 6's columns) */
} runs;

static int64_t run_next(runs *it, const unsigned char **sum, const unsigned char **fsum)
{
    while (it->i >= it->n) {
        if (sqlite3_step(it->st) != SQLITE_ROW) {
            *sum = *fsum = NULL;
            return INT64_MAX;
        }
        free(it->blob);
        free(it->fblob);
        it->n = sqlite3_column_bytes(it->st, 2) / DB_SUM;
        it->blob = xmalloc((size_t)it->n * DB_SUM + 1);
        memcpy(it->blob, sqlite3_column_blob(it->st, 2), (size_t)it->n * DB_SUM);
        it->fblob = NULL;
        size_t fb = (size_t)sqlite3_column_bytes(it->st, 3);
        /* a run made before a migration appended columns has a byte for
         * each column there was then: those come first */
        it->fnc = it->n && fb % (size_t)it->n == 0 ? fb / (size_t)it->n : 0;
        if (fb && it->fnc && it->fnc <= it->nc) {
            it->fblob = xmalloc(fb);
            memcpy(it->fblob, sqlite3_column_blob(it->st, 3), fb);
        }
        it->first = sqlite3_column_int64(it->st, 1);
        it->change = sqlite3_column_int64(it->st, 0);
        it->i = 0;
    }
    *sum = it->blob + it->i * DB_SUM;
    *fsum = it->fblob ? it->fblob + (size_t)it->i * it->fnc : NULL;
    it->cur_fnc = it->fblob ? it->fnc : 0;
    return it->first + it->i++;
}

static int verify_table(vctx *v, const table *t, int64_t seal)
{
    db *d = v->d;
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT rid");
    for (int i = 0; i < t->ncols; i++) {
        buf_puts(&q, ", ");
        put_ident(&q, t->cols[i].id);
    }
    buf_puts(&q, " FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, " ORDER BY rid");
    sqlite3_stmt *row = NULL, *sums = NULL, *last = NULL;
    rowctx rc = {v, t, seal, NULL, NULL, NULL, BUF_INIT, NULL};
    int ok = sqlite3_prepare_v2(d->h, buf_str(&q), -1, &row, NULL) == SQLITE_OK;
    buf_reset(&q);
    buf_puts(&q, "SELECT ");
    for (int i = 0; i < t->ncols; i++)
        buf_printf(&q, "%sjson_extract(?1, '$.\"%s\"')", i ? ", " : "", t->cols[i].id);
    ok = ok && sqlite3_prepare_v2(d->h, buf_str(&q), -1, &rc.json, NULL) == SQLITE_OK;
    ok = ok && sqlite3_prepare_v2(d->h,
        "SELECT change_id, op, field, old, new, row_key FROM minreg_audit"
        " WHERE tbl = ?1 AND row_id = ?2 ORDER BY id DESC", -1, &rc.aud, NULL) == SQLITE_OK;
    ok = ok && sqlite3_prepare_v2(d->h,
        "SELECT s.change_id, s.first_row, s.sums, f.sums FROM minreg_sums s"
        " LEFT JOIN minreg_fsums f ON f.change_id = s.change_id AND f.tbl = s.tbl"
        " AND f.first_row = s.first_row WHERE s.tbl = ?1 ORDER BY s.first_row",
        -1, &sums, NULL) == SQLITE_OK;
    /* rows an audited add since the seal made (their last audit row must be
     * a delete if they are gone) */
    ok = ok && sqlite3_prepare_v2(d->h,
        "SELECT DISTINCT row_id FROM minreg_audit WHERE tbl = ?1 AND op = 'insert'"
        " AND change_id > ?2", -1, &last, NULL) == SQLITE_OK;
    buf_free(&q);
    if (!ok)
        goto out;
    rc.vals = xcalloc((size_t)t->ncols, sizeof *rc.vals);
    rc.have = xcalloc((size_t)t->ncols, sizeof *rc.have);
    sqlite3_bind_text(sums, 1, t->id, -1, SQLITE_STATIC);
    /* merge the rows with the rids of the runs of sums, both in rid order */
    runs it = {.st = sums, .nc = (size_t)t->ncols};
    const unsigned char *sum = NULL, *fsum = NULL;
    int64_t s = run_next(&it, &sum, &fsum);
    int step = sqlite3_step(row);
    while (!v->stop && (step == SQLITE_ROW || s != INT64_MAX)) {
        int64_t rid = step == SQLITE_ROW ? sqlite3_column_int64(row, 0) : INT64_MAX;
        if (s < rid) {
            check_gone(&rc, s, it.change);
            s = run_next(&it, &sum, &fsum);
            continue;
        }
        v->r->rows++;
        if (s == rid) {
            check_row(&rc, row, rid, it.change, sum, fsum, it.cur_fnc);
            s = run_next(&it, &sum, &fsum);
        } else {
            check_row(&rc, row, rid, 0, NULL, NULL, 0);
        }
        step = sqlite3_step(row);
    }
    free(it.blob);
    free(it.fblob);
    if (step != SQLITE_DONE && step != SQLITE_ROW && !v->stop)
        ok = 0;
    /* rows an audited change wrote since the seal that are gone */
    sqlite3_stmt *there = NULL;
    q = (buf)BUF_INIT;
    buf_puts(&q, "SELECT 1 FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, " WHERE rid = ?1");
    ok = ok && sqlite3_prepare_v2(d->h, buf_str(&q), -1, &there, NULL) == SQLITE_OK;
    buf_free(&q);
    if (ok) {
        sqlite3_bind_text(last, 1, t->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(last, 2, seal);
        while (!v->stop && sqlite3_step(last) == SQLITE_ROW) {
            int64_t rid = sqlite3_column_int64(last, 0);
            sqlite3_bind_int64(there, 1, rid);
            int present = sqlite3_step(there) == SQLITE_ROW;
            sqlite3_reset(there);
            if (!present)
                check_gone(&rc, rid, 0);
        }
    }
    sqlite3_finalize(there);
out:
    sqlite3_finalize(row);
    sqlite3_finalize(sums);
    sqlite3_finalize(last);
    sqlite3_finalize(rc.aud);
    sqlite3_finalize(rc.json);
    if (rc.vals)
        for (int i = 0; i < t->ncols; i++)
            buf_free(&rc.vals[i]);
    free(rc.vals);
    free(rc.have);
    buf_free(&rc.tmp);
    return ok ? 0 : -1;
}

/* A record's boundary (db_shape.c) that is not what its last audited
 * change to it left: written or removed outside minreg. */
static void shape_differs(void *arg, const char *tbl, int64_t rid, int have_shape, int have_audit,
                          int64_t change)
{
    vctx *v = arg;
    const table *t = schema_table(&v->d->s, tbl);
    buf key = BUF_INIT;
    cursor *c = t ? db_select_rowid(v->d, t, rid, NULL) : NULL;
    if (c && cursor_next(c) == 1 && cursor_val(c, t->key_ci))
        buf_puts(&key, cursor_val(c, t->key_ci));
    else
        buf_printf(&key, "#%lld", (long long)rid);
    cursor_free(c);
    if (have_shape && !have_audit)
        vf_found(v, tbl, buf_str(&key), BOUNDARY_FIELD, change,
              _("the record has a boundary no audited change gave it: written outside minreg"));
    else if (have_shape)
        vf_found(v, tbl, buf_str(&key), BOUNDARY_FIELD, change,
              _("the boundary is not the one change %lld set: changed outside minreg"), (long long)change);
    else
        vf_found(v, tbl, buf_str(&key), BOUNDARY_FIELD, change,
              _("change %lld set a boundary the record no longer has: removed outside minreg"),
              (long long)change);
    buf_free(&key);
}

int db_verify(db *d, const char *head, db_finding_fn fn, void *arg, db_verify_result *r, mr_err *e)
{
    memset(r, 0, sizeof *r);
    unsigned char want[DIGEST];
    if (head && vf_unhex(head, want) < 0) {
        err_set(e, EXIT_USAGE, _("%s is not a head digest (64 hexadecimal digits)"), head);
        return -1;
    }
    vctx v = {d, fn, arg, r, 0};
    int64_t seal = -1;
    if (vf_verify_chain(&v, head ? want : NULL, &seal) < 0)
        return db_error(d, e, _("cannot read the history"));
    if (seal < 0 && !v.stop)
        vf_found(&v, NULL, NULL, NULL, 0,
              _("the history is not chained: no change starts the chain (opening the register "
                "for writing starts it)"));
    for (int i = 0; !v.stop && seal >= 0 && i < d->s.ntables; i++) {
        if (verify_table(&v, &d->s.tables[i], seal) < 0) {
            if (db_interrupted(d)) {
                err_set(e, EXIT_CANCELLED, _("%s: cancelled"), d->path);
                return -1;
            }
            return db_error(d, e, _("cannot read the register"));
        }
    }
    int64_t differ;
    if (!v.stop && seal >= 0 && db_shape_verify(d, shape_differs, &v, &differ, e) < 0)
        return -1;
    if (head && !r->head_found && !v.stop)
        vf_found(&v, NULL, NULL, NULL, 0,
              _("the head %s recorded earlier is not in this history: changes up to it were "
                "altered or removed"), head);
    return 0;
}
