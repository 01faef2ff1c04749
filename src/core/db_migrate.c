/* db_migrate.c — bringing a register made by an older minreg up to date.
 *
 * Part of the db module.  A migration runs once, on the first write-open of
 * an older register, in one transaction: it either completes, with the
 * schema version raised, or leaves the file as it was.  Where a migration
 * rebuilds a table it takes the table's DDL from data/schema.sql itself
 * (loaded into a private in-memory database), never from a second copy in
 * C: a migrated register then holds exactly the text a new one does.
 *
 * Each step's SQL is a file of its own, data/migrate/v<N>.sql (installed
 * beside schema.sql, read from paths_datadir() as schema.sql is): v2.sql
 * adds the tables of runs; v3.sql follows to_v3 below, the one step that
 * must be generic over the registers a file has and so is C that copies
 * schema.sql's DDL.  v6.sql is the block of schema.sql that made schema 6
 * (stated totals told from table counts, minreg_sources), run as it is.
 */
#include "db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"

static int exec_msg(sqlite3 *h, const char *sql, buf *why)
{
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    buf_puts(why, msg ? msg : sqlite3_errmsg(h));
    sqlite3_free(msg);
    return -1;
}

/* The text of the data file name (paths_datadir()/name) into out; -1 with
 * why filled when it cannot be read. */
static int read_data(const char *name, buf *out, buf *why)
{
    buf p = BUF_INIT;
    buf_printf(&p, "%s/%s", paths_datadir(), name);
    FILE *f = fopen(buf_str(&p), "rb");
    if (!f) {
        buf_printf(why, "cannot read %s", buf_str(&p));
        buf_free(&p);
        return -1;
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(out, chunk, n);
    fclose(f);
    buf_free(&p);
    return 0;
}

/* Run migrate/v<to>.sql, the SQL part of the step to schema `to`. */
static int run_step_sql(sqlite3 *h, int to, buf *why)
{
    buf name = BUF_INIT, sql = BUF_INIT;
    buf_printf(&name, "migrate/v%d.sql", to);
    int rc = read_data(buf_str(&name), &sql, why) < 0 ? -1 : exec_msg(h, buf_str(&sql), why);
    buf_free(&name);
    buf_free(&sql);
    return rc;
}

/* data/schema.sql, as a database of its own to read DDL from. */
static sqlite3 *schema_db(buf *why)
{
    buf sql = BUF_INIT;
    sqlite3 *m = NULL;
    if (read_data("schema.sql", &sql, why) < 0)
        goto out;
    if (sqlite3_open_v2(":memory:", &m, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
            SQLITE_OK ||
        exec_msg(m, buf_str(&sql), why) < 0) {
        if (!why->len)
            buf_puts(why, "cannot load schema.sql");
        sqlite3_close(m);
        m = NULL;
    }
out:
    buf_free(&sql);
    return m;
}

/* Make object name in h as schema.sql (m) makes it. */
static int copy_ddl(sqlite3 *h, sqlite3 *m, const char *name, buf *why)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(m, "SELECT sql FROM sqlite_master WHERE name = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            rc = exec_msg(h, (const char *)sqlite3_column_text(st, 0), why);
        else
            buf_printf(why, "schema.sql has no %s", name);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The column names of table name in h, comma-separated and quoted, that
 * are also columns of the same table in m (the columns a copy keeps). */
static void common_cols(sqlite3 *h, sqlite3 *m, const char *old, const char *name, buf *out)
{
    sqlite3_stmt *a = NULL, *b = NULL;
    sqlite3_prepare_v2(h, "SELECT name FROM pragma_table_info(?1)", -1, &a, NULL);
    sqlite3_prepare_v2(m, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &b, NULL);
    sqlite3_bind_text(a, 1, old, -1, SQLITE_STATIC);
    sqlite3_bind_text(b, 1, name, -1, SQLITE_STATIC);
    while (a && b && sqlite3_step(a) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(a, 0);
        sqlite3_reset(b);
        sqlite3_bind_text(b, 2, c, -1, SQLITE_TRANSIENT);
        if (strcmp(c, "rid") != 0 && sqlite3_step(b) == SQLITE_ROW) {
            buf_puts(out, ", ");
            put_ident(out, c);
        }
    }
    sqlite3_finalize(a);
    sqlite3_finalize(b);
}

/* 2 -> 3: every register row gets its identity, rid (INTEGER PRIMARY KEY),
 * with the rowid it had, so the audit trail's row ids still name the same
 * rows.  Each register that schema.sql now describes with a
 * rid is renamed aside, made again from schema.sql's DDL (with its
 * indexes), refilled and dropped.  minreg_seq starts above every row id
 * the table or its history has used, so a deleted row's id is never given
 * to a new row.  migrate/v3.sql then makes a 序号 that was the rowid an
 * ordinary bounded number. */
static int to_v3(sqlite3 *h, buf *why)
{
    sqlite3 *m = schema_db(why);
    if (!m)
        return -1;
    sqlite3_stmt *tl = NULL, *ddl = NULL;
    buf q = BUF_INIT, names = BUF_INIT;
    int rc = -1, n = 0;
    char **tbls = NULL;
    /* the registers this file has that schema.sql gives a rid */
    if (sqlite3_prepare_v2(h, "SELECT id FROM minreg_tables ORDER BY ord", -1, &tl, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m, "SELECT 1 FROM pragma_table_info(?1) WHERE name = 'rid' AND pk = 1",
                           -1, &ddl, NULL) != SQLITE_OK) {
        buf_puts(why, sqlite3_errmsg(h));
        goto out;
    }
    while (sqlite3_step(tl) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tl, 0);
        sqlite3_reset(ddl);
        sqlite3_bind_text(ddl, 1, t, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ddl) != SQLITE_ROW)
            continue;
        tbls = xrealloc(tbls, sizeof *tbls * (size_t)(n + 1));
        tbls[n++] = xstrdup(t);
    }
    sqlite3_finalize(ddl);
    ddl = NULL;
    if (copy_ddl(h, m, "minreg_seq", why) < 0)
        goto out;
    /* keep other tables' REFERENCES naming the register, not its old copy */
    if (exec_msg(h, "PRAGMA legacy_alter_table = ON", why) < 0)
        goto out;
    for (int i = 0; i < n; i++) {
        buf_reset(&q);
        buf_puts(&q, "ALTER TABLE ");
        put_ident(&q, tbls[i]);
        buf_printf(&q, " RENAME TO \"%s__v2\"", tbls[i]);
        if (exec_msg(h, buf_str(&q), why) < 0)
            goto out;
    }
    if (sqlite3_prepare_v2(m, "SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL"
                              " ORDER BY type = 'index', rowid", -1, &ddl, NULL) != SQLITE_OK) {
        buf_puts(why, sqlite3_errmsg(m));
        goto out;
    }
    for (int i = 0; i < n; i++) {
        sqlite3_reset(ddl);
        sqlite3_bind_text(ddl, 1, tbls[i], -1, SQLITE_STATIC);
        if (sqlite3_step(ddl) != SQLITE_ROW ||
            exec_msg(h, (const char *)sqlite3_column_text(ddl, 0), why) < 0)   /* the table */
            goto out;
        buf_reset(&q);
        buf_reset(&names);
        buf_printf(&q, "%s__v2", tbls[i]);
        common_cols(h, m, buf_str(&q), tbls[i], &names);
        buf_reset(&q);
        buf_puts(&q, "INSERT INTO ");
        put_ident(&q, tbls[i]);
        buf_printf(&q, " (rid%s) SELECT rowid%s FROM \"%s__v2\" ORDER BY rowid; DROP TABLE \"%s__v2\";",
                   buf_str(&names), buf_str(&names), tbls[i], tbls[i]);
        /* the rid mark: above every row id in use or in the history (a row
         * deleted, or added by an import and removed) */
        sqlite3_str *lit = sqlite3_str_new(NULL);
        sqlite3_str_appendf(lit, "%Q", tbls[i]);
        char *tq = sqlite3_str_finish(lit);
        buf_printf(&q, "INSERT OR REPLACE INTO minreg_seq (tbl, seq) SELECT %s,"
                       " max(coalesce((SELECT max(rid) FROM ", tq);
        put_ident(&q, tbls[i]);
        buf_printf(&q, "), 0), coalesce((SELECT max(row_id) FROM minreg_audit WHERE tbl = %s), 0),"
                       " coalesce((SELECT max(last_row) FROM minreg_audit_added WHERE tbl = %s), 0))",
                   tq, tq);
        sqlite3_free(tq);
        if (exec_msg(h, buf_str(&q), why) < 0)
            goto out;
        /* its indexes, once the old table has taken the old ones with it */
        while (sqlite3_step(ddl) == SQLITE_ROW)
            if (exec_msg(h, (const char *)sqlite3_column_text(ddl, 0), why) < 0)
                goto out;
    }
    if (exec_msg(h, "PRAGMA legacy_alter_table = OFF", why) < 0)
        goto out;
    rc = 0;
out:
    sqlite3_exec(h, "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
    sqlite3_finalize(tl);
    sqlite3_finalize(ddl);
    for (int i = 0; i < n; i++)
        free(tbls[i]);
    free(tbls);
    buf_free(&q);
    buf_free(&names);
    sqlite3_close(m);
    return rc;
}

/* 3 -> 4: the chained history.  minreg_changes is made again from
 * schema.sql (its kinds now include 'seal'), its rows copied with their ids,
 * and the chain's tables made; the first write-open then seals the history
 * (db_chain.c), which a migration inside db_open's check cannot do yet. */
static int to_v4(sqlite3 *h, buf *why)
{
    sqlite3 *m = schema_db(why);
    if (!m)
        return -1;
    static const char *const made[] = {
        "minreg_chain", "minreg_chain_no_update", "minreg_chain_no_delete",
        "minreg_sums", "minreg_sums_row", "minreg_sums_no_update", "minreg_sums_no_delete",
    };
    int rc = -1;
    /* other tables' REFERENCES keep naming minreg_changes, not its old copy */
    if (exec_msg(h, "PRAGMA legacy_alter_table = ON;"
                    " DROP TRIGGER minreg_changes_no_delete; DROP TRIGGER minreg_changes_no_update;"
                    " ALTER TABLE minreg_changes RENAME TO minreg_changes__v3", why) < 0 ||
        copy_ddl(h, m, "minreg_changes", why) < 0 ||
        exec_msg(h, "INSERT INTO minreg_changes SELECT * FROM minreg_changes__v3 ORDER BY id;"
                    " DROP TABLE minreg_changes__v3", why) < 0 ||
        copy_ddl(h, m, "minreg_changes_no_delete", why) < 0 ||
        copy_ddl(h, m, "minreg_changes_no_update", why) < 0)
        goto out;
    for (size_t i = 0; i < sizeof made / sizeof *made; i++)
        if (copy_ddl(h, m, made[i], why) < 0)
            goto out;
    rc = exec_msg(h, "PRAGMA legacy_alter_table = OFF", why);
out:
    sqlite3_exec(h, "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
    sqlite3_close(m);
    return rc;
}

/* 4 -> 5: the field bytes beside the row sums (minreg_fsums), so verify
 * can name the field a row changed outside minreg differs in.  Changes
 * made before keep their digests: they have no field bytes. */
static int to_v5(sqlite3 *h, buf *why)
{
    sqlite3 *m = schema_db(why);
    if (!m)
        return -1;
    static const char *const made[] = {
        "minreg_fsums", "minreg_fsums_run", "minreg_fsums_no_update", "minreg_fsums_no_delete",
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof made / sizeof *made; i++)
        rc = copy_ddl(h, m, made[i], why);
    sqlite3_close(m);
    return rc;
}

/* The rows of metadata table name that m (schema.sql) has and h lacks,
 * copied: a row counts as there when its first nkey columns match. */
static int copy_rows(sqlite3 *h, sqlite3 *m, const char *name, int nkey, buf *why)
{
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT * FROM ");
    put_ident(&q, name);
    sqlite3_stmt *src = NULL, *has = NULL, *ins = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(m, buf_str(&q), -1, &src, NULL) != SQLITE_OK) {
        buf_puts(why, sqlite3_errmsg(m));
        goto out;
    }
    int nc = sqlite3_column_count(src);
    buf_reset(&q);
    buf_puts(&q, "SELECT 1 FROM ");
    put_ident(&q, name);
    for (int i = 0; i < nkey; i++) {
        buf_puts(&q, i ? " AND " : " WHERE ");
        put_ident(&q, sqlite3_column_name(src, i));
        buf_printf(&q, " = ?%d", i + 1);
    }
    if (sqlite3_prepare_v2(h, buf_str(&q), -1, &has, NULL) != SQLITE_OK) {
        buf_puts(why, sqlite3_errmsg(h));
        goto out;
    }
    buf_reset(&q);
    buf_puts(&q, "INSERT INTO ");
    put_ident(&q, name);
    buf_puts(&q, " (");
    for (int i = 0; i < nc; i++) {
        if (i)
            buf_puts(&q, ", ");
        put_ident(&q, sqlite3_column_name(src, i));
    }
    buf_puts(&q, ") VALUES (");
    for (int i = 0; i < nc; i++)
        buf_printf(&q, "%s?%d", i ? ", " : "", i + 1);
    buf_puts(&q, ")");
    if (sqlite3_prepare_v2(h, buf_str(&q), -1, &ins, NULL) != SQLITE_OK) {
        buf_puts(why, sqlite3_errmsg(h));
        goto out;
    }
    while (sqlite3_step(src) == SQLITE_ROW) {
        sqlite3_reset(has);
        for (int i = 0; i < nkey; i++)
            sqlite3_bind_value(has, i + 1, sqlite3_column_value(src, i));
        if (sqlite3_step(has) == SQLITE_ROW)
            continue;
        sqlite3_reset(ins);
        for (int i = 0; i < nc; i++)
            sqlite3_bind_value(ins, i + 1, sqlite3_column_value(src, i));
        if (sqlite3_step(ins) != SQLITE_DONE) {
            buf_puts(why, sqlite3_errmsg(h));
            goto out;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(src);
    sqlite3_finalize(has);
    sqlite3_finalize(ins);
    buf_free(&q);
    return rc;
}

/* 5 -> 6: the life of a permit.  Generic over what schema.sql now has and
 * the file lacks, so that no second copy of it is written here: the tables
 * it lacks (permit_events, minreg_roles, minreg_event_types) made from
 * schema.sql's DDL with their indexes; the columns schema.sql's registers
 * have and the file's lack appended (ALTER TABLE ADD COLUMN, the type
 * alone, which leaves the CREATE text db_trust.c compares as schema.sql
 * writes it); then the metadata rows it lacks (the new register, its
 * columns and the permits' new ones, the roles, the event types).  The
 * appended columns have the role 'appended': empty, they are left out of
 * the row sums, so every row written before still verifies. */
static int to_v6(sqlite3 *h, sqlite3 *m, buf *why)
{
    sqlite3_stmt *tl = NULL, *ix = NULL, *cols = NULL, *hcol = NULL;
    buf q = BUF_INIT;
    int rc = -1;
    if (sqlite3_prepare_v2(m, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid",
                           -1, &tl, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m, "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')"
                              " AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY rowid",
                           -1, &ix, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m, "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid", -1,
                           &cols, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &hcol,
                           NULL) != SQLITE_OK) {
        buf_puts(why, "cannot read schema.sql's tables");
        goto out;
    }
    while (sqlite3_step(tl) == SQLITE_ROW) {
        char *t = xstrdup((const char *)sqlite3_column_text(tl, 0));
        sqlite3_reset(hcol);
        sqlite3_bind_text(hcol, 1, t, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(hcol, 2, "", -1, SQLITE_STATIC);
        sqlite3_stmt *ex = NULL;
        int there = 0;
        if (sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                               -1, &ex, NULL) == SQLITE_OK) {
            sqlite3_bind_text(ex, 1, t, -1, SQLITE_TRANSIENT);
            there = sqlite3_step(ex) == SQLITE_ROW;
        }
        sqlite3_finalize(ex);
        int bad = 0;
        if (!there) {
            bad = copy_ddl(h, m, t, why) < 0;
            sqlite3_reset(ix);
            sqlite3_bind_text(ix, 1, t, -1, SQLITE_TRANSIENT);
            while (!bad && sqlite3_step(ix) == SQLITE_ROW)
                bad = copy_ddl(h, m, (const char *)sqlite3_column_text(ix, 0), why) < 0;
        } else {
            sqlite3_reset(cols);
            sqlite3_bind_text(cols, 1, t, -1, SQLITE_TRANSIENT);
            while (!bad && sqlite3_step(cols) == SQLITE_ROW) {
                const char *c = (const char *)sqlite3_column_text(cols, 0);
                const char *ty = (const char *)sqlite3_column_text(cols, 1);
                sqlite3_reset(hcol);
                sqlite3_bind_text(hcol, 1, t, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(hcol, 2, c, -1, SQLITE_TRANSIENT);
                if (sqlite3_step(hcol) == SQLITE_ROW)
                    continue;
                buf_reset(&q);
                buf_puts(&q, "ALTER TABLE ");
                put_ident(&q, t);
                buf_puts(&q, " ADD COLUMN ");
                buf_puts(&q, c);   /* schema.sql's plain identifier, as it writes it */
                if (ty && (!strcmp(ty, "TEXT") || !strcmp(ty, "REAL") || !strcmp(ty, "INTEGER")))
                    buf_printf(&q, " %s", ty);
                else {
                    buf_printf(why, "%s.%s: a column of type '%s' cannot be appended", t, c,
                               ty ? ty : "");
                    bad = 1;
                    break;
                }
                bad = exec_msg(h, buf_str(&q), why) < 0;
            }
        }
        free(t);
        if (bad)
            goto out;
    }
    rc = copy_rows(h, m, "minreg_tables", 1, why) < 0 || copy_rows(h, m, "minreg_columns", 2, why) < 0 ||
                 copy_rows(h, m, "minreg_roles", 3, why) < 0 ||
                 copy_rows(h, m, "minreg_event_types", 1, why) < 0
             ? -1 : 0;
out:
    sqlite3_finalize(tl);
    sqlite3_finalize(ix);
    sqlite3_finalize(cols);
    sqlite3_finalize(hcol);
    buf_free(&q);
    return rc;
}

static int to_v6_step(sqlite3 *h, buf *why)
{
    sqlite3 *m = schema_db(why);
    if (!m)
        return -1;
    int rc = to_v6(h, m, why);
    sqlite3_close(m);
    return rc;
}

/* 6 -> 7: first the generic step (what schema.sql has and the file lacks,
 * made from schema.sql's DDL; it is idempotent), then each helper's SQL
 * step, data/migrate/v7-NAME.sql, written to run in any order and twice
 * (INSERT OR IGNORE, CREATE ... IF NOT EXISTS). */
static const char *const v7_steps[] = {"migrate/v7-life.sql", "migrate/v7-georules.sql"};

static int to_v7(sqlite3 *h, buf *why)
{
    if (to_v6_step(h, why) < 0)
        return -1;
    for (size_t i = 0; i < sizeof v7_steps / sizeof *v7_steps; i++) {
        buf sql = BUF_INIT;
        int rc = read_data(v7_steps[i], &sql, why) < 0 ? -1 : exec_msg(h, buf_str(&sql), why);
        buf_free(&sql);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int db_migrate(db *d, int version, mr_err *e)
{
    while (version < MINREG_SCHEMA_VERSION) {
        if (d->readonly) {
            err_set(e, EXIT_DB, "%s: schema version %d needs migrating to %d, which a read-only "
                                "open cannot do", d->path, version, MINREG_SCHEMA_VERSION);
            return -1;
        }
        buf why = BUF_INIT, b = BUF_INIT;
        int ok = exec_msg(d->h, "BEGIN IMMEDIATE", &why) == 0;
        if (ok)
            ok = version == 6 ? to_v7(d->h, &why) == 0
                 : version >= 1 && version <= 5
                     ? (version != 2 || to_v3(d->h, &why) == 0) &&
                           (version != 3 || to_v4(d->h, &why) == 0) &&
                           (version != 4 || to_v5(d->h, &why) == 0) &&
                           run_step_sql(d->h, version + 1, &why) == 0 &&
                           /* after v6.sql: its exact ALTERs come first */
                           (version != 5 || to_v6_step(d->h, &why) == 0)
                 : version == 6 ? to_v7(d->h, &why) == 0
                     : (buf_puts(&why, "no migration known"), 0);
        if (ok) {
            buf_printf(&b, "UPDATE minreg_meta SET value = '%d' WHERE key = 'schema_version'; COMMIT",
                       version + 1);
            ok = exec_msg(d->h, buf_str(&b), &why) == 0;
        }
        if (!ok) {
            err_set(e, EXIT_DB, "%s: migrating schema %d to %d failed: %s", d->path, version,
                    version + 1, buf_str(&why));
            sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
        }
        buf_free(&why);
        buf_free(&b);
        if (!ok)
            return -1;
        version++;
    }
    return 0;
}
