/* db_rowsrc.c — row sources: a view of a register read a page at a time, for the
 * table screen (db_rowsrc_*, rowsrc_*).
 * Part of the db module (db_int.h).
 */
#include "config.h"
#include "db.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "db_int.h"
#include "i18n.h"
#include "load.h"
#include "rx.h"

/* ---- row sources: a view of a register read a page at a time ---------------
 *
 * In the register's own order (by rowid) pages are read by keyset from the
 * nearest row whose rowid we know: the last page shown, the start or the end,
 * so moving about costs a page, not the distance travelled.  Sorting by a
 * column materialises the order once into a temporary table of rowids keyed
 * by position; after that every page, from anywhere, is a primary-key range.
 */
struct rowsrc {
    db *d;
    const table *t;
    db_filter *f;
    int nf;
    int desc;
    int sorted;          /* order materialised in temp.<vname> */
    char vname[32];
    int64_t count;       /* -1: not counted yet (see rowsrc_count_upto) */
    int64_t seen;        /* rows known to exist: the end of the furthest page read */
    int64_t win_pos;     /* rowids of the last page: positions win_pos.. */
    int64_t *win_ids;
    int win_n, win_cap;
    int f_rx;            /* a regex filter: the view is materialised */
};

static int view_seq;

/* The progress handlers of views and searches run every TICK_OPS steps of
 * SQLite's machine: a pattern that backtracks can take milliseconds a row,
 * and 20000 steps were seconds of it before Esc was looked at.  That often,
 * the callback (which draws and reads the keyboard) is asked at most every
 * TICK_MS, and at the first tick after tick_start.  Main thread only. */
#define TICK_OPS 100
#define TICK_MS 20

static double tick_last = -1;

static void tick_start(void) { tick_last = -1; }

static int tick_due(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
    if (tick_last >= 0 && ms - tick_last < TICK_MS)
        return 0;
    tick_last = ms;
    return 1;
}

static int progress_trampoline(void *arg)
{
    if (!tick_due())
        return 0;
    void **pa = arg;
    db_progress_fn fn = (db_progress_fn)(uintptr_t)pa[0];
    return fn(pa[1]);
}

#define FILL_BATCH 4096   /* rowids per insert into a view's table */

typedef struct fill_progress {
    db_progress_fn fn;
    void *arg;
    int stopped;   /* fn asked to stop: the statement it interrupted failed */
} fill_progress;

/* Also what the scan asks while it waits for a worker's chunk (and once
 * stopped, stays stopped: the Esc was read). */
static int fill_tick(void *arg)
{
    fill_progress *fp = arg;
    if (fp->stopped)
        return 1;
    if (!tick_due())
        return 0;
    return fp->stopped = fp->fn(fp->arg) != 0;
}

/* Fill the view's table from a scan split over threads (rx_rowids), a
 * batch of rowids per insert.  0: the filters cannot split (nothing done);
 * -1: failed or cancelled (e says); else 1, r->count set. */
static int fill_split(rowsrc *r, db_progress_fn fn, void *arg, mr_err *e)
{
    cursor *c = rx_rowids(r->d, r->t, r->f, r->nf, r->desc, NULL);
    if (!c)
        return 0;
    char q[128];
    snprintf(q, sizeof q, "INSERT INTO temp.%s (rid) SELECT value FROM json_each(?1) ORDER BY key",
             r->vname);
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(r->d->h, q, -1, &ins, NULL) != SQLITE_OK) {
        sqlite3_finalize(ins);
        cursor_free(c);
        return 0;
    }
    fill_progress fp = {fn, arg, 0};
    if (fn) {
        tick_start();
        db_tick_set(r->d, fill_tick, &fp, TICK_OPS);
        scan_on_wait(c, fill_tick, &fp);
    }
    buf ids = BUF_INIT;
    int64_t n = 0;
    int rc, k = 0, failed = 0;
    do {
        rc = cursor_next(c);
        if (rc == 1) {
            buf_printf(&ids, "%c%lld", k ? ',' : '[', (long long)cursor_rowid(c));
            k++;
            n++;
        }
        if (k && (rc != 1 || k == FILL_BATCH)) {
            buf_putc(&ids, ']');
            sqlite3_bind_text(ins, 1, ids.s, (int)ids.len, SQLITE_STATIC);
            failed = sqlite3_step(ins) != SQLITE_DONE;
            sqlite3_reset(ins);
            buf_reset(&ids);
            k = 0;
        }
    } while (rc == 1 && !failed);
    db_tick_set(r->d, NULL, NULL, 0);
    if (rc < 0 || failed)
        err_set(e, EXIT_DB, "%s", fp.stopped ? "cancelled" : rc < 0 ? cursor_error(c) : sqlite3_errmsg(r->d->h));
    buf_free(&ids);
    sqlite3_finalize(ins);
    cursor_free(c);
    r->count = n;
    return rc < 0 || failed ? -1 : 1;
}

rowsrc *db_rowsrc_new(db *d, const table *t, const db_filter *f, int nf, int sort_ci, int desc,
                      db_progress_fn fn, void *arg, mr_err *e)
{
    rowsrc *r = xcalloc(1, sizeof *r);
    r->d = d;
    r->t = t;
    r->desc = desc;
    r->nf = nf;
    r->f = xmalloc(sizeof(db_filter) * (size_t)(nf ? nf : 1));
    for (int i = 0; i < nf; i++)
        db_filter_dup(&r->f[i], &f[i]);
    int has_rx = 0;
    for (int i = 0; i < nf; i++)
        has_rx |= f[i].op == DBF_RX;
    r->f_rx = has_rx;
    if (sort_ci < 0 && !has_rx) {
        /* counted when first needed: a million rows take a pass over an
         * index, and the first screen needs only its own rows */
        r->count = -1;
        return r;
    }
    r->sorted = 1;
    snprintf(r->vname, sizeof r->vname, "mr_view_%d", ++view_seq);
    buf q = BUF_INIT;
    buf_printf(&q, "CREATE TEMP TABLE %s (pos INTEGER PRIMARY KEY, rid INTEGER NOT NULL)", r->vname);
    char *msg = NULL;
    if (sqlite3_exec(d->h, buf_str(&q), NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s: %s", d->path, msg ? msg : "?");
        sqlite3_free(msg);
        buf_free(&q);
        r->sorted = 0;
        db_rowsrc_free(r);
        return NULL;
    }
    buf_free(&q);
    if (sort_ci < 0) {
        /* rows in the register's order that only patterns filter: the
         * scan is split over the processors */
        int split = fill_split(r, fn, arg, e);
        if (split < 0) {
            db_rowsrc_free(r);
            return NULL;
        }
        if (split > 0)
            return r;
    }
    buf_printf(&q, "INSERT INTO temp.%s (rid) SELECT rowid FROM ", r->vname);
    put_ident(&q, t->id);
    put_where(&q, t, r->f, nf);
    put_order(&q, t, sort_ci, desc);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    void *pa[2] = {(void *)(uintptr_t)fn, arg};
    if (rc == SQLITE_OK) {
        bind_filters(st, r->f, nf);
        if (fn) {
            tick_start();
            db_tick_set(d, progress_trampoline, pa, TICK_OPS);
        }
        rc = sqlite3_step(st);
        db_tick_set(d, NULL, NULL, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_INTERRUPT)
            err_set(e, EXIT_DB, "cancelled");
        else
            err_set(e, EXIT_DB, "%s", sqlite3_errmsg(d->h));
        db_rowsrc_free(r);
        return NULL;
    }
    r->count = sqlite3_changes(d->h);
    return r;
}

void db_rowsrc_free(rowsrc *r)
{
    if (!r)
        return;
    if (r->sorted) {
        char q[96];
        snprintf(q, sizeof q, "DROP TABLE IF EXISTS temp.%s", r->vname);
        sqlite3_exec(r->d->h, q, NULL, NULL, NULL);
    }
    for (int i = 0; i < r->nf; i++)
        db_filter_clear(&r->f[i]);
    free(r->f);
    free(r->win_ids);
    free(r);
}

/* The view's count is known: a window read from the end (negative
 * positions) gets its absolute positions. */
static void counted(rowsrc *r, int64_t n)
{
    r->count = n;
    if (r->win_pos < 0)
        r->win_pos += n;
}

int rowsrc_count(rowsrc *r, int64_t *n, mr_err *e)
{
    if (r->count < 0) {
        /* a whole register's count may be cached (the registers screen);
         * a count that fails leaves the view not counted */
        int64_t c;
        if (db_count(r->d, r->t, r->f, r->nf, &c, e) != 0) {
            *n = -1;
            return -1;
        }
        counted(r, c);
    }
    *n = r->count;
    return 0;
}

int64_t rowsrc_count_upto(rowsrc *r, int64_t need)
{
    if (r->count < 0 && r->nf == 0) {
        int64_t n = db_count_cached(r->d, r->t);
        if (n >= 0)
            counted(r, n);
    }
    if (r->count >= 0 || r->seen >= need)
        return r->count;
    int64_t n;
    /* a count that failed: not counted (-1); the pages read next meet the
     * error and say it */
    return rowsrc_count(r, &n, NULL) == 0 ? n : -1;
}

/* Rowid of the row `skip` rows past the bound (exclusive) in direction fwd
 * (1: the view's order, 0: against it); bound NULL = from that end. */
static int anchor_at(rowsrc *r, const int64_t *bound, int fwd, int64_t skip, int64_t *out, mr_err *e)
{
    int asc = fwd != r->desc;
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT rowid FROM ");
    put_ident(&q, r->t->id);
    put_where(&q, r->t, r->f, r->nf);
    if (bound)
        buf_printf(&q, "%s rowid %s ?%d", r->nf ? " AND" : " WHERE", asc ? ">" : "<", FILTER_PARAMS(r->nf) + 1);
    buf_printf(&q, " ORDER BY rowid %s LIMIT 1 OFFSET %lld", asc ? "ASC" : "DESC", (long long)skip);
    sqlite3_stmt *st = NULL;
    int found = DB_ERROR;
    if (sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK) {
        bind_filters(st, r->f, r->nf);
        if (bound)
            sqlite3_bind_int64(st, FILTER_PARAMS(r->nf) + 1, *bound);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            found = DB_FOUND;
        } else if (rc == SQLITE_DONE) {
            found = DB_NOT_FOUND;
        }
    }
    if (found == DB_ERROR)
        db_error(r->d, e, NULL);
    sqlite3_finalize(st);
    buf_free(&q);
    return found;
}

cursor *rowsrc_page(rowsrc *r, int64_t pos, int n, mr_err *e)
{
    buf q = BUF_INIT;
    cursor *c;
    if (pos < 0 && r->count >= 0) {
        pos += r->count;   /* from the end of a counted view */
        if (pos < 0)
            pos = 0;
    } else if (pos < 0 && pos + n > 0) {
        n = (int)-pos;     /* from the end: the page stops at the last row */
    }
    if (r->sorted) {
        put_select_as(&q, r->t, "m");
        buf_printf(&q, " JOIN temp.%s AS v ON m.rowid = v.rid WHERE v.pos > ?1 AND v.pos <= ?2"
                       " ORDER BY v.pos", r->vname);
        c = cursor_prepare(r->d, r->t, buf_str(&q), e);
        if (c) {
            sqlite3_bind_int64(c->st, 1, pos);
            sqlite3_bind_int64(c->st, 2, pos + n);
        }
        buf_free(&q);
        return c;
    }
    /* Find the rowid at pos from the cheapest known place.  Not counted yet,
     * a negative pos counts from the end (-1: the last row) and the start
     * is not a known place to start from, nor the end for a positive pos;
     * a window read in the other reckoning cannot be used either. */
    int from_end = pos < 0;
    int64_t anchor = 0, last = r->win_n ? r->win_ids[r->win_n - 1] : 0;
    int64_t first = r->win_n ? r->win_ids[0] : 0, wend = r->win_pos + r->win_n;
    int64_t cost_start = from_end ? INT64_MAX : pos;
    int64_t cost_end = from_end ? -pos - 1 : r->count < 0 ? INT64_MAX : r->count - 1 - pos;
    int64_t cost_win = !r->win_n || from_end != (r->win_pos < 0) ? INT64_MAX
                       : pos >= wend ? pos - wend : pos < r->win_pos ? r->win_pos - pos - 1 : 0;
    int have = 0;
    if (r->count >= 0 && pos >= r->count) {
        have = 0;
    } else if (cost_win <= cost_start && cost_win <= cost_end) {
        if (pos >= r->win_pos && pos < wend) {
            anchor = r->win_ids[pos - r->win_pos];
            have = 1;
        } else if (pos >= wend) {
            have = anchor_at(r, &last, 1, pos - wend, &anchor, e);
        } else {
            have = anchor_at(r, &first, 0, r->win_pos - pos - 1, &anchor, e);
        }
    } else if (cost_start <= cost_end) {
        have = anchor_at(r, NULL, 1, pos, &anchor, e);
    } else {
        have = anchor_at(r, NULL, 0, cost_end, &anchor, e);
    }
    if (have == DB_ERROR) {
        buf_free(&q);
        return NULL;
    }
    /* Remember the page's rowids for the next move. */
    r->win_n = 0;
    r->win_pos = pos;
    int asc = !r->desc;
    if (have == DB_FOUND) {
        buf_puts(&q, "SELECT rowid FROM ");
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);
        buf_printf(&q, "%s rowid %s ?%d ORDER BY rowid %s LIMIT %d", r->nf ? " AND" : " WHERE",
                   asc ? ">=" : "<=", FILTER_PARAMS(r->nf) + 1, asc ? "ASC" : "DESC", n);
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL);
        if (rc == SQLITE_OK) {
            bind_filters(st, r->f, r->nf);
            sqlite3_bind_int64(st, FILTER_PARAMS(r->nf) + 1, anchor);
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (r->win_n == r->win_cap) {
                    r->win_cap = r->win_cap ? r->win_cap * 2 : 64;
                    r->win_ids = xrealloc(r->win_ids, sizeof(int64_t) * (size_t)r->win_cap);
                }
                r->win_ids[r->win_n++] = sqlite3_column_int64(st, 0);
            }
        }
        if (rc != SQLITE_DONE) {
            db_error(r->d, e, NULL);
            sqlite3_finalize(st);
            r->win_n = 0;
            buf_free(&q);
            return NULL;
        }
        sqlite3_finalize(st);
    }
    /* A page that ends early ends the view: its count, for free. */
    if (!from_end && r->win_n && pos + r->win_n > r->seen)
        r->seen = pos + r->win_n;
    if (!from_end && r->count < 0 && have && r->win_n > 0 && r->win_n < n)
        counted(r, pos + r->win_n);
    /* Reading up from the end past the first row: the view is shorter than
     * -pos, so count it (the caller sees the count and moves to the start). */
    if (from_end && !have && r->count < 0) {
        buf_free(&q);
        int64_t cnt;
        if (rowsrc_count(r, &cnt, e) != 0)
            return NULL;
        return rowsrc_page(r, 0, n, e);
    }
    buf_reset(&q);
    put_select_as(&q, r->t, NULL);
    put_where(&q, r->t, r->f, r->nf);
    buf_printf(&q, "%s rowid BETWEEN ?%d AND ?%d ORDER BY rowid %s", r->nf ? " AND" : " WHERE",
               FILTER_PARAMS(r->nf) + 1, FILTER_PARAMS(r->nf) + 2, asc ? "ASC" : "DESC");
    c = cursor_prepare(r->d, r->t, buf_str(&q), e);
    buf_free(&q);
    if (c) {
        bind_filters(c->st, r->f, r->nf);
        /* no rows: an empty range (1 to 0), in either order */
        int64_t lo = r->win_n ? r->win_ids[0] : 1, hi = r->win_n ? r->win_ids[r->win_n - 1] : 0;
        if (!asc && r->win_n) {
            int64_t tmp = lo;
            lo = hi;
            hi = tmp;
        }
        sqlite3_bind_int64(c->st, FILTER_PARAMS(r->nf) + 1, lo);
        sqlite3_bind_int64(c->st, FILTER_PARAMS(r->nf) + 2, hi);
    }
    return c;
}

int rowsrc_pos_of(rowsrc *r, int64_t rowid, int64_t *pos, mr_err *e)
{
    buf q = BUF_INIT;
    sqlite3_stmt *st = NULL;
    *pos = -1;
    if (r->sorted) {
        buf_printf(&q, "SELECT pos - 1 FROM temp.%s WHERE rid = ?1", r->vname);
    } else {
        /* the row must be in the view, then count the rows before it */
        buf_puts(&q, "SELECT CASE WHEN EXISTS (SELECT 1 FROM ");
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);
        buf_printf(&q, "%s rowid = ?%d) THEN (SELECT count(*) FROM ", r->nf ? " AND" : " WHERE", FILTER_PARAMS(r->nf) + 1);
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);   /* same ?1..?nf as above */
        buf_printf(&q, "%s rowid %s ?%d) ELSE -1 END", r->nf ? " AND" : " WHERE",
                   r->desc ? ">" : "<", FILTER_PARAMS(r->nf) + 1);
    }
    int rc = sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL);
    buf_free(&q);
    if (rc == SQLITE_OK) {
        if (!r->sorted)
            bind_filters(st, r->f, r->nf);
        sqlite3_bind_int64(st, r->sorted ? 1 : FILTER_PARAMS(r->nf) + 1, rowid);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *pos = sqlite3_column_int64(st, 0);
    }
    int res = rc == SQLITE_ROW ? (*pos >= 0 ? DB_FOUND : DB_NOT_FOUND)
              : rc == SQLITE_DONE ? DB_NOT_FOUND : db_error(r->d, e, NULL);
    sqlite3_finalize(st);
    return res;
}

int64_t rowsrc_find(rowsrc *r, int64_t from, int dir, const char *pattern,
                    db_progress_fn fn, void *arg, mr_err *e)
{
    buf q = BUF_INIT;
    int np = FILTER_PARAMS(r->nf) + 1;   /* the pattern's parameter number */
    int fwd = dir > 0;
    if (r->sorted) {
        buf_printf(&q, "SELECT v.pos - 1 FROM temp.%s AS v JOIN ", r->vname);
        put_ident(&q, r->t->id);
        buf_printf(&q, " AS m ON m.rowid = v.rid WHERE v.pos %s ?%d AND ", fwd ? ">" : "<", np + 1);
        put_any_rx(&q, r->t, "m", np);
        buf_printf(&q, " ORDER BY v.pos %s LIMIT 1", fwd ? "ASC" : "DESC");
    } else {
        /* rowid order: find the rowid, then its position */
        int asc = fwd != r->desc;
        buf_puts(&q, "SELECT rowid FROM ");
        put_ident(&q, r->t->id);
        put_where(&q, r->t, r->f, r->nf);
        buf_printf(&q, "%s rowid %s ?%d AND ", r->nf ? " AND" : " WHERE", asc ? ">" : "<", np + 1);
        put_any_rx(&q, r->t, NULL, np);
        buf_printf(&q, " ORDER BY rowid %s LIMIT 1", asc ? "ASC" : "DESC");
    }
    sqlite3_stmt *st = NULL;
    int64_t found = -1;
    if (sqlite3_prepare_v2(r->d->h, buf_str(&q), -1, &st, NULL) != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s", sqlite3_errmsg(r->d->h));
        buf_free(&q);
        return -2;
    }
    buf_free(&q);
    if (!r->sorted)
        bind_filters(st, r->f, r->nf);
    sqlite3_bind_text(st, np, pattern, -1, SQLITE_TRANSIENT);
    if (r->sorted) {
        sqlite3_bind_int64(st, np + 1, from + 1);   /* positions are 1-based in the table */
    } else {
        /* the rowid at position `from` bounds the search (none: from an end) */
        int64_t bound = 0;
        cursor *c = from >= 0 && (r->count < 0 || from < r->count) ? rowsrc_page(r, from, 1, NULL) : NULL;
        if (c && cursor_next(c) == 1)
            bound = cursor_rowid(c);
        else
            bound = (fwd != r->desc) ? INT64_MIN : INT64_MAX;
        cursor_free(c);
        sqlite3_bind_int64(st, np + 1, bound);
    }
    void *pa[2] = {(void *)(uintptr_t)fn, arg};
    if (fn) {
        tick_start();
        db_tick_set(r->d, progress_trampoline, pa, TICK_OPS);
    }
    int rc = sqlite3_step(st);
    db_tick_set(r->d, NULL, NULL, 0);
    if (rc == SQLITE_ROW)
        found = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) {
        err_set(e, EXIT_DB, "%s", rc == SQLITE_INTERRUPT ? "cancelled" : sqlite3_errmsg(r->d->h));
        found = -2;
    }
    sqlite3_finalize(st);
    if (found >= 0 && !r->sorted) {
        int64_t pos;
        int got = rowsrc_pos_of(r, found, &pos, e);
        found = got == DB_FOUND ? pos : got == DB_NOT_FOUND ? -1 : -2;
    }
    return found;
}
