/* db_scan.c — a regex-filtered scan of a whole table in rowid order, split
 * over threads (see scan_start).
 *
 * A regular expression over every column cannot use an index: each row is
 * read and matched, and at a million rows that is most of `show --grep`.
 * The table's rowid range is cut into chunks.  The main thread streams the
 * chunks it takes itself straight from its own statement; worker threads,
 * each with its own connection, take chunks ahead of it and buffer their
 * matching rows.  Rows leave in chunk order, so the caller sees exactly the
 * rows, order and values of the one-statement scan.  At most SCAN_WINDOW
 * chunks are ahead of the one being read: memory does not grow with the
 * table.
 *
 * One snapshot: each worker connection reads `PRAGMA data_version`, the
 * main connection starts its read transaction, then each worker starts its
 * own and reads data_version again.  Unchanged, no other connection
 * committed between the worker's two reads, so the main connection's
 * snapshot (taken between them) is the worker's.  Changed (or anything else
 * fails), the scan runs on the main connection alone.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "db_int.h"
#include "thread.h"

#define SCAN_MAX_THREADS 4
#define SCAN_WINDOW 4          /* chunks buffered ahead of the one being read */
#define SCAN_MAX_CHUNKS 4096
#define SCAN_CHUNK 8192        /* rowids per chunk, unless the table is larger */
#define SCAN_TICK_OPS 100      /* a worker's statement looks at cancel this often */
#define SCAN_WAIT_MS 20        /* a caller waiting for a chunk asks wait_fn this often */

enum { CH_FREE, CH_MAIN, CH_BUSY, CH_DONE };

/* A chunk a worker read: its rows one after another, each its rowid and
 * per column a type byte, then a double (REAL) or a length and the bytes
 * with a NUL (text, integers as text, blobs) or nothing (NULL). */
typedef struct slot {
    int64_t chunk;       /* which chunk it holds */
    int state;           /* CH_BUSY while read, CH_DONE after */
    buf data;
    size_t *row_at;      /* each row's offset in data */
    int nrows, cap;
    int failed;          /* the chunk's statement failed after nrows rows */
    int code;            /* its SQLite code */
    char err[256];
} slot;

typedef struct worker {
    struct scan *sc;
    sqlite3 *h;
    sqlite3_stmt *st;
    pthread_t tid;
    int started;
} worker;

struct scan {
    int ncols;
    int desc;
    int64_t lo, hi;      /* the snapshot's rowid range */
    uint64_t step;       /* rowids per chunk */
    int64_t nchunks;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t next;        /* the first chunk no thread has taken */
    int64_t emit;        /* the chunk being read by the caller */
    slot slots[SCAN_WINDOW];
    atomic_int cancel;   /* the cursor is freed, or the scan cancelled: workers stop */
    int (*wait_fn)(void *);   /* asked while the caller waits for a chunk */
    void *wait_arg;
    worker w[SCAN_MAX_THREADS - 1];
    int nw;
    /* the chunk being read: from the statement (main) or from a slot */
    int own;             /* 1: the main statement is on chunk emit */
    int started;         /* emit has been begun */
    slot *cur;
    int cur_row;
    const char **val;    /* per column of the current buffered row */
    double *num;
    unsigned char *type;
    int64_t rowid;
};

/* ---- settings ------------------------------------------------------------ */

/* MINREG_THREADS: threads for a scan (1: no workers); default one per
 * processor, at most SCAN_MAX_THREADS.  MINREG_SCAN_CHUNK: rowids per
 * chunk (tests use a few, to split the small bundled tables). */
static int scan_threads(void)
{
    const char *s = getenv("MINREG_THREADS");
    long n = s && *s ? strtol(s, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > SCAN_MAX_THREADS ? SCAN_MAX_THREADS : (int)n;
}

static uint64_t scan_chunk(void)
{
    const char *s = getenv("MINREG_SCAN_CHUNK");
    long n = s && *s ? strtol(s, NULL, 10) : 0;
    return n > 0 ? (uint64_t)n : SCAN_CHUNK;
}

/* ---- chunks -------------------------------------------------------------- */

/* The rowids of chunk k, lowest and highest, in the scan's direction:
 * ascending chunk 0 starts at lo, descending at hi. */
static void chunk_range(const struct scan *sc, int64_t k, int64_t *a, int64_t *b)
{
    uint64_t off = (uint64_t)k * sc->step, span = (uint64_t)sc->hi - (uint64_t)sc->lo;
    uint64_t end = span - off < sc->step - 1 ? span : off + sc->step - 1;
    if (!sc->desc) {
        *a = (int64_t)((uint64_t)sc->lo + off);
        *b = (int64_t)((uint64_t)sc->lo + end);
    } else {
        *a = (int64_t)((uint64_t)sc->hi - end);
        *b = (int64_t)((uint64_t)sc->hi - off);
    }
}

static void bind_range(sqlite3_stmt *st, int nf, const struct scan *sc, int64_t k)
{
    int64_t a, b;
    chunk_range(sc, k, &a, &b);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, nf + 1, a);
    sqlite3_bind_int64(st, nf + 2, b);
}

/* Append the statement's current row to s. */
static void slot_add_row(slot *s, sqlite3_stmt *st, int ncols)
{
    if (s->nrows == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->row_at = xrealloc(s->row_at, sizeof *s->row_at * (size_t)s->cap);
    }
    s->row_at[s->nrows++] = s->data.len;
    int64_t rowid = sqlite3_column_int64(st, 0);
    buf_add(&s->data, (const char *)&rowid, sizeof rowid);
    for (int i = 1; i <= ncols; i++) {
        unsigned char ty = (unsigned char)sqlite3_column_type(st, i);
        buf_add(&s->data, (const char *)&ty, 1);
        if (ty == SQLITE_FLOAT) {
            double v = sqlite3_column_double(st, i);
            buf_add(&s->data, (const char *)&v, sizeof v);
        } else if (ty != SQLITE_NULL) {
            /* what cursor_val gives: the value as text */
            const char *v = (const char *)sqlite3_column_text(st, i);
            uint32_t n = (uint32_t)sqlite3_column_bytes(st, i);
            buf_add(&s->data, (const char *)&n, sizeof n);
            buf_add(&s->data, v ? v : "", n);
            buf_add(&s->data, "", 1);
        }
    }
}

/* Read chunk k into slot s with st (bound to the filters) on connection
 * h; called without the lock, the slot marked CH_BUSY. */
static void read_chunk(struct scan *sc, slot *s, sqlite3 *h, sqlite3_stmt *st, int64_t k)
{
    int nf = sqlite3_bind_parameter_count(st) - 2;
    bind_range(st, nf, sc, k);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !atomic_load(&sc->cancel))
        slot_add_row(s, st, sc->ncols);
    /* a failed chunk is read up to its failure, which the caller then
     * sees; the chunks after it are at most SCAN_WINDOW of work */
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        s->failed = 1;
        s->code = rc;
        snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(h));
    }
    sqlite3_reset(st);
}

/* Take the next chunk into its slot if it is within the window (with the
 * lock held); NULL when there is none to take. */
static slot *take_chunk(struct scan *sc, int64_t *k)
{
    if (sc->next >= sc->nchunks || sc->next >= sc->emit + SCAN_WINDOW)
        return NULL;
    *k = sc->next++;
    slot *s = &sc->slots[*k % SCAN_WINDOW];
    s->chunk = *k;
    s->state = CH_BUSY;
    s->nrows = 0;
    s->failed = 0;
    buf_reset(&s->data);
    return s;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    struct scan *sc = w->sc;
    pthread_mutex_lock(&sc->mu);
    while (!atomic_load(&sc->cancel) && sc->next < sc->nchunks) {
        int64_t k;
        slot *s = take_chunk(sc, &k);
        if (!s) {
            pthread_cond_wait(&sc->cv, &sc->mu);
            continue;
        }
        pthread_mutex_unlock(&sc->mu);
        read_chunk(sc, s, w->h, w->st, k);
        pthread_mutex_lock(&sc->mu);
        s->state = CH_DONE;
        pthread_cond_broadcast(&sc->cv);
    }
    pthread_mutex_unlock(&sc->mu);
    return NULL;
}

/* ---- setting up ---------------------------------------------------------- */

static int64_t data_version(sqlite3 *h)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(h, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Does any statement of h hold a read transaction open? */
static int stmt_busy(sqlite3 *h)
{
    for (sqlite3_stmt *s = sqlite3_next_stmt(h, NULL); s; s = sqlite3_next_stmt(h, s))
        if (sqlite3_stmt_busy(s))
            return 1;
    return 0;
}

static void scan_free(struct scan *sc)
{
    if (!sc)
        return;
    pthread_mutex_lock(&sc->mu);
    atomic_store(&sc->cancel, 1);
    pthread_cond_broadcast(&sc->cv);
    pthread_mutex_unlock(&sc->mu);
    for (int i = 0; i < sc->nw; i++) {
        if (sc->w[i].started)
            pthread_join(sc->w[i].tid, NULL);
        sqlite3_finalize(sc->w[i].st);
        if (sc->w[i].h) {
            sqlite3_exec(sc->w[i].h, "COMMIT", NULL, NULL, NULL);
            sqlite3_close(sc->w[i].h);
        }
    }
    for (int i = 0; i < SCAN_WINDOW; i++) {
        buf_free(&sc->slots[i].data);
        free(sc->slots[i].row_at);
    }
    pthread_cond_destroy(&sc->cv);
    pthread_mutex_destroy(&sc->mu);
    free(sc->val);
    free(sc->num);
    free(sc->type);
    free(sc);
}

/* The rowid range of t in the main connection's snapshot, which the still
 * running statement *pin holds open until the scan ends. */
static int main_range(db *d, const table *t, sqlite3_stmt **pin, int64_t *lo, int64_t *hi)
{
    buf q = BUF_INIT;
    /* apart: min and max together would read the whole table */
    buf_puts(&q, "SELECT (SELECT min(rowid) FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, "), (SELECT max(rowid) FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, ")");
    int ok = sqlite3_prepare_v2(d->h, buf_str(&q), -1, pin, NULL) == SQLITE_OK &&
             sqlite3_step(*pin) == SQLITE_ROW && sqlite3_column_type(*pin, 0) == SQLITE_INTEGER;
    buf_free(&q);
    if (ok) {
        *lo = sqlite3_column_int64(*pin, 0);
        *hi = sqlite3_column_int64(*pin, 1);
    }
    return ok;
}

/* A worker's progress handler: its statement stops soon after the scan is
 * cancelled, not at the end of its chunk (a chunk of rows that a pattern
 * backtracks over can take many seconds, and the cursor's free waits for it). */
static int worker_tick(void *arg)
{
    return atomic_load(&((struct scan *)arg)->cancel);
}

/* Open worker i's connection and read its data_version (step a). */
static int worker_open(db *d, worker *w, const char *sql, const db_filter *f, int nf,
                       int64_t *dv)
{
    if (db_open_same(d, &w->h) < 0)
        return -1;
    sqlite3_busy_timeout(w->h, 0);   /* anything in the way: scan alone */
    sqlite3_progress_handler(w->h, SCAN_TICK_OPS, worker_tick, w->sc);
    if (sqlite3_prepare_v2(w->h, sql, -1, &w->st, NULL) != SQLITE_OK)
        return -1;
    bind_filters(w->st, f, nf);
    *dv = data_version(w->h);
    return *dv < 0 ? -1 : 0;
}

/* Start worker's read transaction; is its snapshot still the one of step
 * a, with the same rowid range as the main connection's? */
static int worker_pin(worker *w, const char *range_sql, int64_t dv, int64_t lo, int64_t hi)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_exec(w->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(w->h, range_sql, -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == lo &&
             sqlite3_column_int64(st, 1) == hi;
    sqlite3_finalize(st);
    return ok && data_version(w->h) == dv;
}

void scan_start(db *d, cursor *c, const char *sql, const db_filter *f, int nf, int desc)
{
    struct scan *sc = NULL;
    sqlite3_stmt *pin = NULL;
    int nthreads = scan_threads();
    /* only a fresh read sees the newest state; inside a transaction the
     * main connection may hold changes no other connection can see */
    if (nthreads < 2 || !sqlite3_get_autocommit(d->h) || stmt_busy(d->h))
        goto serial;
    sc = xcalloc(1, sizeof *sc);
    pthread_mutex_init(&sc->mu, NULL);
    pthread_cond_init(&sc->cv, NULL);
    sc->ncols = sqlite3_column_count(c->st) - 1;   /* after the rowid: every column, or none */
    sc->desc = desc;
    int64_t dv[SCAN_MAX_THREADS - 1];
    for (int i = 0; i < nthreads - 1; i++) {
        sc->w[i].sc = sc;
        sc->nw = i + 1;
        if (worker_open(d, &sc->w[i], sql, f, nf, &dv[i]) < 0)
            goto serial;
    }
    if (!main_range(d, c->t, &pin, &sc->lo, &sc->hi))
        goto serial;
    uint64_t span = (uint64_t)sc->hi - (uint64_t)sc->lo, cs = scan_chunk();
    if (span / cs < 2)
        goto serial;   /* too small to be worth a thread */
    sc->nchunks = span / cs + 1 > SCAN_MAX_CHUNKS ? SCAN_MAX_CHUNKS : (int64_t)(span / cs + 1);
    sc->step = span / (uint64_t)sc->nchunks + 1;
    const char *range_sql = sqlite3_sql(pin);
    for (int i = 0; i < sc->nw; i++)
        if (!worker_pin(&sc->w[i], range_sql, dv[i], sc->lo, sc->hi))
            goto serial;
    sc->val = xcalloc((size_t)sc->ncols, sizeof *sc->val);
    sc->num = xcalloc((size_t)sc->ncols, sizeof *sc->num);
    sc->type = xcalloc((size_t)sc->ncols, 1);
    for (int i = 0; i < sc->nw; i++)   /* signals go to the caller's thread */
        sc->w[i].started = thread_start(&sc->w[i].tid, worker_main, &sc->w[i]) == 0;
    c->scan = sc;
    c->pin = pin;
    return;
serial:
    /* one chunk: every rowid, on the main connection */
    sqlite3_finalize(pin);
    scan_free(sc);
    sqlite3_bind_int64(c->st, FILTER_PARAMS(nf) + 1, INT64_MIN);
    sqlite3_bind_int64(c->st, FILTER_PARAMS(nf) + 2, INT64_MAX);
}

/* ---- reading ------------------------------------------------------------- */

/* Read the current buffered row's values into sc->val/num/type. */
static void slot_row(struct scan *sc)
{
    const char *p = sc->cur->data.s + sc->cur->row_at[sc->cur_row];
    memcpy(&sc->rowid, p, sizeof sc->rowid);
    p += sizeof sc->rowid;
    for (int i = 0; i < sc->ncols; i++) {
        unsigned char ty = (unsigned char)*p++;
        sc->type[i] = ty;
        sc->val[i] = NULL;
        if (ty == SQLITE_FLOAT) {
            memcpy(&sc->num[i], p, sizeof(double));
            p += sizeof(double);
        } else if (ty != SQLITE_NULL) {
            uint32_t n;
            memcpy(&n, p, sizeof n);
            sc->val[i] = p + sizeof n;
            p += sizeof n + n + 1;
        }
    }
}

int scan_next(cursor *c)
{
    struct scan *sc = c->scan;
    int nf = sqlite3_bind_parameter_count(c->st) - 2;
    for (;;) {
        if (sc->started && sc->own) {
            int rc = sqlite3_step(c->st);
            if (rc == SQLITE_ROW)
                return 1;
            if (rc != SQLITE_DONE) {
                c->code = rc;
                snprintf(c->err, sizeof c->err, "%s", sqlite3_errmsg(sqlite3_db_handle(c->st)));
                return -1;
            }
        } else if (sc->started) {
            if (++sc->cur_row < sc->cur->nrows) {
                slot_row(sc);
                return 1;
            }
            if (sc->cur->failed) {
                c->code = sc->cur->code;
                snprintf(c->err, sizeof c->err, "%s", sc->cur->err);
                return -1;
            }
        }
        /* the next chunk: stream it if no one has taken it; else, while a
         * worker reads it, read one further ahead like a worker would */
        pthread_mutex_lock(&sc->mu);
        if (sc->started)
            sc->emit++;
        sc->started = 1;
        pthread_cond_broadcast(&sc->cv);   /* a slot is free */
        for (;;) {
            if (sc->emit >= sc->nchunks) {
                pthread_mutex_unlock(&sc->mu);
                return 0;
            }
            if (sc->next == sc->emit) {
                sc->next++;
                sc->own = 1;
                pthread_mutex_unlock(&sc->mu);
                bind_range(c->st, nf, sc, sc->emit);
                break;
            }
            slot *s = &sc->slots[sc->emit % SCAN_WINDOW];
            if (s->chunk == sc->emit && s->state == CH_DONE) {
                pthread_mutex_unlock(&sc->mu);
                sc->own = 0;
                sc->cur = s;
                sc->cur_row = -1;
                break;
            }
            int64_t k;
            slot *ahead = take_chunk(sc, &k);
            if (!ahead) {
                if (!sc->wait_fn) {
                    pthread_cond_wait(&sc->cv, &sc->mu);
                    continue;
                }
                /* a worker is reading the chunk due: the caller may cancel
                 * meanwhile (Esc), which stops the workers too */
                struct timespec until;
                clock_gettime(CLOCK_REALTIME, &until);
                until.tv_nsec += SCAN_WAIT_MS * 1000000L;
                if (until.tv_nsec >= 1000000000L) {
                    until.tv_sec++;
                    until.tv_nsec -= 1000000000L;
                }
                if (pthread_cond_timedwait(&sc->cv, &sc->mu, &until) == 0)
                    continue;
                pthread_mutex_unlock(&sc->mu);
                int stop = sc->wait_fn(sc->wait_arg);
                pthread_mutex_lock(&sc->mu);
                if (stop) {
                    atomic_store(&sc->cancel, 1);
                    pthread_cond_broadcast(&sc->cv);
                    pthread_mutex_unlock(&sc->mu);
                    snprintf(c->err, sizeof c->err, "cancelled");
                    return -1;
                }
                continue;
            }
            pthread_mutex_unlock(&sc->mu);
            read_chunk(sc, ahead, sqlite3_db_handle(c->st), c->st, k);
            pthread_mutex_lock(&sc->mu);
            ahead->state = CH_DONE;
            pthread_cond_broadcast(&sc->cv);
        }
    }
}

/* The current row's value of column ci (NULL: SQL NULL), or *is_num set
 * and the number in *num for a REAL; own rows come from the statement. */
int scan_own(const cursor *c) { return c->scan->own; }

const char *scan_val(cursor *c, int ci, int *is_num, double *num)
{
    struct scan *sc = c->scan;
    *is_num = sc->type[ci] == SQLITE_FLOAT;
    *num = sc->num[ci];
    return sc->val[ci];
}

int64_t scan_rowid(const cursor *c) { return c->scan->rowid; }

int cursor_threads(const cursor *c) { return c->scan ? c->scan->nw + 1 : 1; }

void scan_on_wait(cursor *c, int (*fn)(void *), void *arg)
{
    if (!c->scan)
        return;   /* serial: the connection's progress handler is asked */
    c->scan->wait_fn = fn;
    c->scan->wait_arg = arg;
}

void scan_end(cursor *c)
{
    scan_free(c->scan);
    c->scan = NULL;
    sqlite3_finalize(c->pin);
    c->pin = NULL;
}
