/* db_create.c — making a new register from data/schema.sql and the seed tables,
 * in a temporary file renamed into place.
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

static char *slurp(const char *path, mr_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    return buf_steal(&b);
}

int db_create(const char *path, const char *datadir, int empty, mr_err *e)
{
    db_lib_init();
    if (access(path, F_OK) == 0) {
        err_set(e, EXIT_IO, "%s: already exists; minreg init will not overwrite a register", path);
        return -1;
    }
    buf tmp = BUF_INIT, p = BUF_INIT;
    buf_printf(&tmp, "%s.tmp%ld", path, (long)getpid());
    unlink(buf_str(&tmp));
    buf_printf(&p, "%s/schema.sql", datadir);
    char *sql = slurp(buf_str(&p), e);
    int rc = -1;
    db *d = NULL;
    sqlite3 *h = NULL;
    if (!sql)
        goto out;
    /* Create the file ourselves: 0660 less the umask, so a register is never
     * readable or writable by everyone (SQLite would use 0644).  Its journal
     * and WAL files take the same mode. */
    int fd = open(buf_str(&tmp), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0660);
    if (fd < 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        goto out;
    }
    close(fd);
    if (sqlite3_open_v2(buf_str(&tmp), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        err_set(e, EXIT_IO, "%s: %s", path, sqlite3_errmsg(h));
        sqlite3_close(h);
        goto out;
    }
    char *msg = NULL;
    if (sqlite3_exec(h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int code = sqlite3_errcode(h) & 0xff;
        char why[128];
        db_io_reason(h, path, why, sizeof why);
        if (code == SQLITE_IOERR || code == SQLITE_FULL)   /* the new file, not schema.sql */
            err_set(e, EXIT_IO, "%s: cannot write: %s%s", path, sqlite3_errmsg(h), why);
        else
            err_set(e, EXIT_DATA, "%s: %s", buf_str(&p), msg ? msg : sqlite3_errmsg(h));
        sqlite3_free(msg);
        sqlite3_close(h);
        goto out;
    }
    sqlite3_close(h);
    if (db_open(buf_str(&tmp), DB_NOSEAL, &d, e) < 0)
        goto out;
    free(d->path);   /* messages name the register being made, not its temporary file */
    d->path = xstrdup(path);
    if (!empty) {
        if (db_begin(d, e) < 0)
            goto out;
        sqlite3_exec(d->h, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
        for (int i = 0; i < d->s.ntables; i++) {
            buf_reset(&p);
            buf_printf(&p, "%s/seed/%s.csv", datadir, d->s.tables[i].id);
            if (access(buf_str(&p), F_OK) != 0)
                continue;
            if (load_csv(d, &d->s.tables[i], buf_str(&p), 1, e) < 0) {
                int code = sqlite3_errcode(d->h) & 0xff;
                if (code == SQLITE_IOERR || code == SQLITE_FULL)
                    db_error(d, e, "cannot write");   /* the new file, not the seed */
                db_rollback(d);
                goto out;
            }
        }
        if (db_commit(d, e) < 0)
            goto out;
    }
    /* the chain starts with the plan's rows as loaded */
    if (db_chain_start(d, e) < 0)
        goto out;
    /* Leave a single self-contained file: no WAL beside it. */
    sqlite3_exec(d->h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    db_close(d);
    d = NULL;
    if (rename(buf_str(&tmp), path) != 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    db_close(d);
    if (rc < 0) {
        unlink(buf_str(&tmp));
        buf_puts(&tmp, "-wal");
        unlink(buf_str(&tmp));
        tmp.len -= 4;
        buf_puts(&tmp, "-shm");
        unlink(buf_str(&tmp));
    }
    free(sql);
    buf_free(&tmp);
    buf_free(&p);
    return rc;
}
