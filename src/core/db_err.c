/* db_err.c — SQLite's failures said in minreg's error record (see db.h): a
 * damaged file as such whichever query met it, a cancel, the system's
 * reason for an I/O failure; and the integrity check that finds damage. */
#include "config.h"
#include "db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "buf.h"
#include "db_int.h"
#include "i18n.h"

/* A code SQLite gives for a damaged file (a malformed page, a truncated or
 * overwritten file): what failed is then the file, not the query. */
int db_code_damaged(int code)
{
    code &= 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

void db_err_damaged(const char *path, mr_err *e)
{
    err_set(e, EXIT_DB,
            _("%s: the register file is damaged (SQLite found a malformed page): what was "
              "read may be incomplete; restore it from a backup"),
            path);
}

int db_integrity(db *d, int full, void (*fn)(void *arg, const char *msg), void *arg, mr_err *e)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", -1, &st,
                           NULL) != SQLITE_OK)
        return db_error(d, e, full ? "integrity_check" : "quick_check");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (!m || strcmp(m, "ok") == 0)
            continue;
        /* a row may hold several problems, a line each, under a heading
         * naming the database ("*** in database main ***"): one each */
        char *copy = xstrdup(m), *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            if (strncmp(line, "*** in database ", 16) != 0)
                fn(arg, line);
        free(copy);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(d, e, full ? "integrity_check" : "quick_check");
    return 0;
}

/* Why a write to the file at path failed, as far as we can tell: SQLite
 * does not always keep the system's errno (a write past RLIMIT_FSIZE comes
 * back as a bare "disk I/O error"). */
void db_io_reason(sqlite3 *h, const char *path, char *out, size_t n)
{
    int sys = sqlite3_system_errno(h);
    struct rlimit rl;
    struct statvfs vfs;
    char *dir = db_dir_of(path);
    out[0] = '\0';
    if (sys)
        snprintf(out, n, " (%s)", strerror(sys));
    else if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        snprintf(out, n, " (a file size limit of %llu bytes is set: ulimit -f)",
                 (unsigned long long)rl.rlim_cur);
    else if (statvfs(dir, &vfs) == 0 && (unsigned long long)vfs.f_bavail * vfs.f_frsize < 65536)
        snprintf(out, n, " (%s)", strerror(ENOSPC));
    free(dir);
}

int db_error(db *d, mr_err *e, const char *what)
{
    int code = sqlite3_errcode(d->h) & 0xff;
    const char *sep = what ? ": " : "";
    what = what ? what : "";
    if (db_code_damaged(code)) {
        db_err_damaged(d->path, e);
        return -1;
    }
    if (code == SQLITE_INTERRUPT) {
        err_set(e, EXIT_CANCELLED, _("%s: cancelled; nothing was written"), d->path);
        return -1;
    }
    if (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) {
        /* disk full, a file size limit, an I/O error: say the system's reason */
        char why[128];
        db_io_reason(d->h, d->path, why, sizeof why);
        err_set(e, EXIT_IO, "%s: %s%s%s%s", d->path, what, sep, sqlite3_errmsg(d->h), why);
    } else {
        err_set(e, EXIT_DB, "%s: %s%s%s", d->path, what, sep, sqlite3_errmsg(d->h));
    }
    return -1;
}
