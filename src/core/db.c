/* db.c — the connection: opening a register, closing it, transactions,
 * the statement cache, the progress and busy handlers (see db.h).
 *
 * The other concerns of the db module each have a file: db_load.c (the
 * register description), db_migrate.c, db_func.c (SQL functions),
 * db_filter.c, db_create.c, db_query.c (queries, lookups, counts),
 * db_rowsrc.c (the table screen's row source), db_scan.c, db_trust.c,
 * db_audit.c (writes), db_trail.c (reading the audit trail) and db_err.c
 * (SQLite's errors mapped to minreg's error record).
 */
#include "config.h"
#include "db.h"

#include <errno.h>
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

/* A reset statement for sql, prepared on first use.  NULL on error. */
sqlite3_stmt *stmt_cached(db *d, const char *sql)
{
    for (int i = 0; i < d->ncache; i++)
        if (strcmp(d->cache[i].sql, sql) == 0) {
            sqlite3_reset(d->cache[i].st);
            sqlite3_clear_bindings(d->cache[i].st);
            return d->cache[i].st;
        }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    if (d->ncache == STMT_CACHE) {   /* full: drop the oldest */
        sqlite3_finalize(d->cache[0].st);
        free(d->cache[0].sql);
        memmove(&d->cache[0], &d->cache[1], sizeof d->cache[0] * (STMT_CACHE - 1));
        d->ncache--;
    }
    d->cache[d->ncache].sql = xstrdup(sql);
    d->cache[d->ncache].st = st;
    d->ncache++;
    return st;
}

sqlite3_stmt *stmt_keyed(db *d, int kind, const table *t, int ci, sql_build_fn build)
{
    for (int i = 0; i < d->nkeyed; i++)
        if (d->keyed[i].kind == kind && d->keyed[i].t == t && d->keyed[i].ci == ci) {
            sqlite3_reset(d->keyed[i].st);
            sqlite3_clear_bindings(d->keyed[i].st);
            return d->keyed[i].st;
        }
    buf q = BUF_INIT;
    build(&q, t, ci, kind);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(d->h, buf_str(&q), -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    buf_free(&q);
    if (rc != SQLITE_OK)
        return NULL;
    if (d->nkeyed == KEYED_CACHE) {   /* full: drop the oldest */
        sqlite3_finalize(d->keyed[0].st);
        memmove(&d->keyed[0], &d->keyed[1], sizeof d->keyed[0] * (KEYED_CACHE - 1));
        d->nkeyed--;
    }
    d->keyed[d->nkeyed].kind = kind;
    d->keyed[d->nkeyed].t = t;
    d->keyed[d->nkeyed].ci = ci;
    d->keyed[d->nkeyed].st = st;
    d->nkeyed++;
    return st;
}

struct inserter {
    db *d;
    sqlite3_stmt *st;
    const table *t;
    int *cis;
    int n;
};

const schema *db_schema(const db *d) { return &d->s; }
const char *db_path(const db *d) { return d->path; }
int db_readonly(const db *d) { return d->readonly; }
int db_readonly_why(const db *d) { return d->ro_why; }
const char *db_readonly_reason(const db *d)
{
    return d->ro_why == DB_RO_UNTRUSTED || d->ro_why == DB_RO_FULL ? d->ro_reason : NULL;
}
int db_readonly_exit(const db *d) { return d->ro_why == DB_RO_FULL ? EXIT_IO : EXIT_DB; }

/* Quote an identifier taken from the schema. */
void put_ident(buf *b, const char *id)
{
    buf_putc(b, '"');
    for (; *id; id++) {
        if (*id == '"')
            buf_putc(b, '"');
        buf_putc(b, *id);
    }
    buf_putc(b, '"');
}

/* Settings every connection to a register gets before it reads anything:
 * the schema is not trusted (a function with side effects cannot be called
 * from it: trusted_schema off), nothing may corrupt the file through SQL
 * (defensive: no writable_schema, no journal_mode=OFF), and a view in the
 * file is never run (minreg makes none). */
static void harden(sqlite3 *h)
{
    sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
}

/* The one progress handler of a connection: every PROGRESS_OPS steps of
 * any statement, the scoped tick function (every tick_every calls) and
 * the front end's cancel hook.  Nonzero interrupts the statement. */
#define PROGRESS_OPS 4096

static int progress(void *arg)
{
    db *d = arg;
    if (d->tick_fn && ++d->tick_count >= d->tick_every) {
        d->tick_count = 0;
        if (d->tick_fn(d->tick_arg)) {
            d->interrupted = 1;
            return 1;
        }
    }
    if (d->cancel_fn && d->cancel_fn(d->cancel_arg)) {
        d->interrupted = 1;
        return 1;
    }
    return 0;
}

void db_tick_set(db *d, db_progress_fn fn, void *arg, int ops)
{
    /* a tick finer than PROGRESS_OPS (a view's filter, where one row's
     * regular expression can take milliseconds) runs the handler that
     * often while it is set */
    int every = fn && ops > 0 && ops < PROGRESS_OPS ? ops : PROGRESS_OPS;
    d->tick_fn = fn;
    d->tick_arg = arg;
    d->tick_every = ops / every > 1 ? ops / every : 1;
    d->tick_count = 0;
    d->interrupted = 0;
    sqlite3_progress_handler(d->h, every, progress, d);
}

void db_on_cancel(db *d, int (*fn)(void *arg), void *arg)
{
    d->cancel_fn = fn;
    d->cancel_arg = arg;
}

int db_interrupted(const db *d) { return d->interrupted; }

int db_cancel_asked(db *d, mr_err *e)
{
    if (!d->cancel_fn || !d->cancel_fn(d->cancel_arg))
        return 0;
    d->interrupted = 1;
    err_set(e, EXIT_CANCELLED, _("%s: cancelled; nothing was written"), d->path);
    return 1;
}

/* The folder holding path. */
char *db_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

#define BUSY_STEP_MS 50

/* SQLite calls this while the file is locked by another connection. */
static int busy_wait(void *arg, int count)
{
    db *d = arg;
    int waited = count * BUSY_STEP_MS;
    if (waited >= DB_BUSY_TIMEOUT_MS)
        return 0;   /* give up: the caller reports the lock */
    if (d->busy)
        d->busy(d->busy_arg, waited);
    sqlite3_sleep(BUSY_STEP_MS);
    /* asked after the pause, which a signal cuts short: a hangup during
     * the wait gives up before the next try could take the lock */
    if (d->busy_cancel && d->busy_cancel(d->busy_arg)) {
        d->busy_cancelled = 1;
        return 0;
    }
    return 1;
}

void db_on_busy(db *d, db_busy_fn fn, int (*cancel)(void *arg), void *arg)
{
    d->busy = fn;
    d->busy_cancel = cancel;
    d->busy_arg = arg;
}

/* minreg is one thread: SQLite need not lock its allocator, page cache or
 * connections, nor count memory (together a few percent of a bulk import).
 * Must run before SQLite initialises, so before the first open. */
void db_lib_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    /* connections are each used by one thread at a time (SQLITE_OPEN_NOMUTEX),
     * but a split scan (db_scan.c) has several on the same file in threads:
     * SQLite's own shared state keeps its locks */
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Does path-SUFFIX exist (mode F_OK) or is it writable (W_OK)? */
static int beside(const char *path, const char *suffix, int mode)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s%s", path, suffix);
    int ok = access(buf_str(&b), mode) == 0;
    buf_free(&b);
    return ok;
}

/* Is the file in WAL mode?  (Header bytes 18 and 19 are 2.) */
static int wal_mode_file(const char *path)
{
    unsigned char h[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    return n == (ssize_t)sizeof h && h[18] == 2 && h[19] == 2;
}

/* "file:" URI for path with immutable=1: %, ? and # escaped. */
static char *immutable_uri(const char *path)
{
    buf b = BUF_INIT;
    buf_puts(&b, "file:");
    for (const char *p = path; *p; p++)
        if (*p == '%' || *p == '?' || *p == '#')
            buf_printf(&b, "%%%02X", (unsigned char)*p);
        else
            buf_putc(&b, *p);
    buf_puts(&b, "?immutable=1");
    return buf_steal(&b);
}

/* Is path a file a register can be?  Refuses what is not a regular file (a
 * device such as /dev/zero reads as an endless empty database, a FIFO
 * would block the open) and a file without SQLite's header, before SQLite
 * sees it. */
static int plain_sqlite_file(const char *path, mr_err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        err_set(e, EXIT_DB, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        err_set(e, EXIT_DB, _("%s: not a register file (%s)"), path,
                S_ISDIR(sb.st_mode)    ? _("a folder")
                : S_ISCHR(sb.st_mode)  ? _("a character device")
                : S_ISBLK(sb.st_mode)  ? _("a block device")
                : S_ISFIFO(sb.st_mode) ? _("a FIFO")
                : S_ISSOCK(sb.st_mode) ? _("a socket")
                                       : _("not a regular file"));
        return -1;
    }
    char h[16];
    ssize_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) {
        n = read(fd, h, sizeof h);
        close(fd);
    }
    if (fd >= 0 && (n != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)) {
        if (n == 0)
            err_set(e, EXIT_DB, _("%s: an empty file, not a register"), path);
        else
            err_set(e, EXIT_DB, "%s: not an SQLite database (is it a register file?)", path);
        return -1;
    }
    return 0;   /* unreadable: SQLite's open says why */
}

/* Open d->open_name with d->open_flags, hardened, triggers off until the
 * schema is known to be minreg's. */
static int open_handle(db *d, mr_err *e)
{
    if (d->h) {
        sqlite3_close(d->h);
        d->h = NULL;
    }
    int orc = sqlite3_open_v2(d->open_name, &d->h, d->open_flags, NULL);
    if (orc != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s: %s", d->path, sqlite3_errmsg(d->h));
        return -1;
    }
    sqlite3_extended_result_codes(d->h, 1);
    harden(d->h);
    sqlite3_db_config(d->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_busy_handler(d->h, busy_wait, d);
    sqlite3_progress_handler(d->h, PROGRESS_OPS, progress, d);
    return 0;
}

/* A read failed with an I/O error: is it the file system being full, so
 * that SQLite cannot make the -shm file a WAL-mode register needs even to
 * be read?  Then, if no -wal holds changes not yet in the file, the file
 * alone is the register: reopen it read-only as immutable (DB_RO_FULL).
 * Returns 1 reopened, 0 not that case, -1 that case but it cannot be read
 * (e says why). */
static int reopen_full(db *d, mr_err *e)
{
    int code = sqlite3_extended_errcode(d->h);
    if ((code & 0xff) != SQLITE_IOERR && (code & 0xff) != SQLITE_FULL &&
        (code & 0xff) != SQLITE_CANTOPEN)
        return 0;
    struct statvfs vfs;
    char *dir = db_dir_of(d->path);
    int full = statvfs(dir, &vfs) == 0 && (unsigned long long)vfs.f_bavail * vfs.f_frsize < 65536;
    free(dir);
    if (!full || !wal_mode_file(d->path))
        return 0;
    if (beside(d->path, "-wal", F_OK)) {
        buf w = BUF_INIT;
        buf_printf(&w, "%s-wal", d->path);
        struct stat sb;
        int empty = stat(buf_str(&w), &sb) == 0 && sb.st_size == 0;
        buf_free(&w);
        if (!empty) {
            err_set(e, EXIT_IO,
                    _("%s: cannot be read: the file system is full, and SQLite needs to make the "
                      "-shm file beside the register to read the changes in its -wal file; free "
                      "some space and try again"),
                    d->path);
            return -1;
        }
    }
    free(d->open_name);
    d->open_name = immutable_uri(d->path);
    d->open_flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    d->readonly = 1;
    d->ro_why = DB_RO_FULL;
    free(d->ro_reason);
    d->ro_reason = xstrdup(_("the file system is full: no room for the -wal and -shm files a "
                             "write needs"));
    return open_handle(d, e) < 0 ? -1 : 1;
}

int db_open(const char *path, int flags, db **out, mr_err *e)
{
    db_lib_init();
    *out = NULL;
    if (access(path, F_OK) != 0) {
        err_set(e, EXIT_DB, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (plain_sqlite_file(path, e) < 0)
        return -1;
    db *d = xcalloc(1, sizeof *d);
    d->path = xstrdup(path);
    char *dir = db_dir_of(path), *uri = NULL;
    /* A write needs the -wal and -shm files beside the register (or a
     * rollback journal): in a folder we cannot write, SQLite would fail
     * half-way with "attempt to write a readonly database".  Open such a
     * register read-only and say why when a write is asked for. */
    if (flags & DB_READONLY)
        d->ro_why = DB_RO_ASKED;
    else if (access(path, W_OK) != 0)
        d->ro_why = DB_RO_FILE;
    else if (access(dir, W_OK) != 0 &&
             !(beside(path, "-wal", W_OK) && beside(path, "-shm", W_OK)))
        d->ro_why = DB_RO_FOLDER;
    d->readonly = d->ro_why != 0;
    /* one thread uses a connection: no per-call mutex (it costs 10% of an export) */
    int oflags = (d->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    /* Reading a WAL-mode register needs its -shm file; where that cannot
     * be created (a read-only folder or file system) and is not there, no
     * one can be writing it either: read it as immutable. */
    if (d->readonly && access(dir, W_OK) != 0 && !beside(path, "-shm", F_OK) &&
        !beside(path, "-wal", F_OK) && wal_mode_file(path)) {
        uri = immutable_uri(path);
        oflags |= SQLITE_OPEN_URI;
    }
    free(dir);
    d->open_name = uri ? uri : xstrdup(path);
    d->open_flags = oflags;
    if (open_handle(d, e) < 0) {
        db_close(d);
        return -1;
    }
    mr_err ve = {0};
    int vrc = db_check_version(d, &ve);
    if (vrc < 0) {
        /* a full file system: read the file alone, or say why not */
        int rrc = reopen_full(d, e);
        if (rrc == 1)
            vrc = db_check_version(d, &ve);
        if (rrc < 0) {
            db_close(d);
            return -1;
        }
    }
    if (vrc < 0) {
        *e = ve;
        db_close(d);
        return -1;
    }
    /* Only a schema minreg made may run in this process: otherwise the
     * register is read-only, with triggers and views off (db_trust.c).
     * An older version opened read-only was not migrated, and so is not
     * compared (there is no -r open of one yet: check_version refuses). */
    if (d->s.version != MINREG_SCHEMA_VERSION)
        d->trust_note = xstrdup(_("an older schema version opened read-only is not migrated, so "
                                  "its schema was not compared with minreg's"));
    if (d->s.version != MINREG_SCHEMA_VERSION || trust_compare(d) != 0) {
        if (d->ntrust_items == 0 && d->trust_note && !d->readonly) {
            /* cannot tell: safer read-only */
            d->ro_reason = xstrdup(d->trust_note);
            d->ro_why = DB_RO_UNTRUSTED;
        } else if (d->ntrust_items > 0 && !d->readonly) {
            buf b = BUF_INIT;
            buf_printf(&b, _("it holds SQL minreg did not make: %s"), d->trust_items[0]);
            if (d->ntrust_items > 1)
                buf_printf(&b, _(" and %d more (minreg check lists them)"), d->ntrust_items - 1);
            d->ro_reason = buf_steal(&b);
            d->ro_why = DB_RO_UNTRUSTED;
        }
        d->readonly = d->ro_why != 0;
        sqlite3_exec(d->h, "PRAGMA query_only = 1", NULL, NULL, NULL);
    } else {
        sqlite3_db_config(d->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
    }
    if (db_load_schema(d, e) < 0) {
        db_close(d);
        return -1;
    }
    db_add_functions(d->h);
    if (!d->readonly)
        sqlite3_exec(d->h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    sqlite3_exec(d->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    /* a history without its chain gets one on the first write-open */
    if (!d->readonly && !(flags & DB_NOSEAL) && db_chain_start(d, e) < 0) {
        db_close(d);
        return -1;
    }
    *out = d;
    return 0;
}

int db_open_same(db *d, sqlite3 **out)
{
    if (sqlite3_open_v2(d->open_name, out, d->open_flags, NULL) != SQLITE_OK) {
        sqlite3_close(*out);
        *out = NULL;
        return -1;
    }
    sqlite3_extended_result_codes(*out, 1);
    harden(*out);
    if (d->readonly) {   /* a worker only reads; an untrusted file's triggers stay off */
        sqlite3_db_config(*out, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
        sqlite3_exec(*out, "PRAGMA query_only = 1", NULL, NULL, NULL);
    }
    db_add_functions(*out);
    return 0;
}

void db_close(db *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->ncache; i++) {
        sqlite3_finalize(d->cache[i].st);
        free(d->cache[i].sql);
    }
    for (int i = 0; i < d->nkeyed; i++)
        sqlite3_finalize(d->keyed[i].st);
    sqlite3_close(d->h);
    trust_free(d);
    free(d->counts);
    free(d->next_rid);
    schema_free(&d->s);
    free(d->path);
    free(d->open_name);
    free(d);
}


/* ---- transactions -------------------------------------------------------- */

int db_begin(db *d, mr_err *e)
{
    d->busy_cancelled = 0;
    db_seq_forget(d);
    d->interrupted = 0;
    if (sqlite3_exec(d->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        if ((sqlite3_errcode(d->h) & 0xff) == SQLITE_BUSY && d->busy_cancelled)
            err_set(e, EXIT_DB, _("%s: stopped waiting for another clerk's write; nothing was written"),
                    d->path);
        else if ((sqlite3_errcode(d->h) & 0xff) == SQLITE_BUSY)
            err_set(e, EXIT_DB,
                    _("%s: another clerk's write held the register for over %d s; nothing was "
                      "written, try again"),
                    d->path, DB_BUSY_TIMEOUT_MS / 1000);
        else
            db_error(d, e, "cannot start a write");
        return -1;
    }
    return 0;
}

int db_commit(db *d, mr_err *e)
{
    d->commit_constraint = 0;
    if (db_chain_pending(d) < 0 || db_seq_save(d) < 0 ||
        sqlite3_exec(d->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        d->commit_constraint = db_last_was_constraint(d);   /* deferred foreign keys */
        db_error(d, e, "could not write the change, nothing was written");
        db_rollback(d);
        return -1;
    }
    return 0;
}

void db_rollback(db *d)
{
    db_seq_forget(d);
    if (!sqlite3_get_autocommit(d->h))
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- inserts ---------------------------------------------------------------- */

inserter *db_inserter_new(db *d, const table *t, const int *cis, int n, mr_err *e)
{
    buf q = BUF_INIT;
    buf_puts(&q, "INSERT INTO ");
    put_ident(&q, t->id);
    buf_puts(&q, " (");
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(&q, ", ");
        put_ident(&q, t->cols[cis[i]].id);
    }
    buf_puts(&q, ") VALUES (");
    for (int i = 0; i < n; i++)
        buf_printf(&q, "%s?%d", i ? ", " : "", i + 1);
    buf_puts(&q, ")");
    inserter *ins = xcalloc(1, sizeof *ins);
    ins->d = d;
    ins->t = t;
    ins->n = n;
    ins->cis = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
    memcpy(ins->cis, cis, sizeof(int) * (size_t)n);
    if (sqlite3_prepare_v2(d->h, buf_str(&q), -1, &ins->st, NULL) != SQLITE_OK) {
        err_set(e, EXIT_DB, "%s: %s", d->path, sqlite3_errmsg(d->h));
        buf_free(&q);
        db_inserter_free(ins);
        return NULL;
    }
    buf_free(&q);
    return ins;
}

int db_insert(inserter *ins, const char *const *values, mr_err *e)
{
    sqlite3_reset(ins->st);
    for (int i = 0; i < ins->n; i++) {
        const char *v = values[i];
        if (!v || !*v)
            sqlite3_bind_null(ins->st, i + 1);
        else
            sqlite3_bind_text(ins->st, i + 1, v, -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(ins->st);
    sqlite3_reset(ins->st);
    if (rc != SQLITE_DONE) {
        err_set(e, EXIT_DATA, "%s", sqlite3_errmsg(ins->d->h));
        return -1;
    }
    return 0;
}

void db_inserter_free(inserter *ins)
{
    if (!ins)
        return;
    sqlite3_finalize(ins->st);
    free(ins->cis);
    free(ins);
}
