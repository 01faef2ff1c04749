/* testdb.h — a register of the bundled schema in a folder of its own under
 * /tmp, for a C unit test (include after tap.h). */
#ifndef MINREG_TESTDB_H
#define MINREG_TESTDB_H

#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/db.h"

typedef struct testdb {
    char dir[64];     /* /tmp/minreg-NAME-XXXXXX */
    char path[96];    /* the register in it: DIR/r.db */
    db *d;
} testdb;

/* Make the folder and the register (empty: without the plan's rows) and
 * open it, with two TAP results: "WHAT: ..." and "open it: ...".  Returns
 * the register, NULL when it could not be made or opened. */
static db *testdb_open(testdb *td, const char *name, int empty, const char *what)
{
    snprintf(td->dir, sizeof td->dir, "/tmp/minreg-%s-XXXXXX", name);
    td->d = NULL;
    if (!mkdtemp(td->dir))
        exit(1);
    snprintf(td->path, sizeof td->path, "%s/r.db", td->dir);
    const char *srcdir = getenv("srcdir");
    buf data = BUF_INIT;
    buf_printf(&data, "%s/data", srcdir ? srcdir : ".");
    mr_err e = {0};
    ok(db_create(td->path, buf_str(&data), empty, &e) == 0, "%s: %s", what, e.msg);
    buf_free(&data);
    ok(db_open(td->path, 0, &td->d, &e) == 0, "open it: %s", e.msg);
    return td->d;
}

/* Close the register and remove its folder; -1 when it could not be. */
/* db_count's rows, or -1 when it failed (for is_int). */
static inline int64_t testdb_count(db *d, const table *t, const db_filter *f, int nf)
{
    int64_t n;
    return db_count(d, t, f, nf, &n, NULL) < 0 ? -1 : n;
}

static int testdb_close(testdb *td)
{
    char cmd[96];
    db_close(td->d);
    td->d = NULL;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", td->dir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
