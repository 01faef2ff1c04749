/* db_load.c — reading the register description (minreg_tables, minreg_columns, ...)
 * into a schema, with bounds on every part of it, and the schema version check.
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

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return xstrdup(v ? (const char *)v : "");
}

/* ---- schema loading --------------------------------------------------- */

/* ---- bounds on the register description ------------------------------
 * The minreg_* tables are data in a file that may come from anyone: every
 * value that sizes something (a number's decimals, a text's length, a list
 * of allowed values, a pattern) is bounded where it is read, and a register
 * whose description goes past a bound is refused with the bound named, so
 * that `scale = 2147483647` cannot make a 2 GB number nor an enum of a
 * million values a pick list nobody can use. */
#define META_MAX_TABLES 200
#define META_MAX_COLS 200
#define META_MAX_TOTALS 2000
#define META_MAX_ID 63        /* db_change.tbl holds 63 bytes */
#define META_MAX_TEXT 512     /* labels, titles, units, sources */
#define META_MAX_ENUM 4096    /* bytes of an enum list */
#define META_MAX_ENUM_N 256   /* values in it */
#define META_MAX_PATTERN 1024
#define META_MAX_RANGE 64
#define META_MAX_SCALE 15     /* decimals: a double has 15 to 17 */

/* Fill e: "PATH: the register description is out of bounds: WHERE has N
 * WHAT (at most MAX)".  Returns -1. */
static int meta_refuse(db *d, mr_err *e, const char *tbl, const char *col, const char *what,
                       long long n, long long max)
{
    buf where = BUF_INIT;
    if (*col)
        buf_printf(&where, _("column %s.%s"), tbl, col);
    else if (*tbl)
        buf_printf(&where, _("register %s"), tbl);
    else
        buf_puts(&where, _("the register"));
    err_set(e, EXIT_DB,
            _("%s: the register description is out of bounds: %s has %lld %s (at most %lld); "
              "it was not made by minreg"),
            d->path, buf_str(&where), n, what, max);
    buf_free(&where);
    return -1;
}

static int len_ok(db *d, mr_err *e, const char *tbl, const char *col, const char *what,
                  const char *v, size_t max)
{
    size_t n = strlen(v);
    return n <= max ? 0 : meta_refuse(d, e, tbl, col, what, (long long)n, (long long)max);
}

static int table_bounds(db *d, const table *t, mr_err *e)
{
    const char *id = t->id, *bytes = _("bytes in its id");
    if (len_ok(d, e, id, "", bytes, t->id, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its key column's id"), t->key_col, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its label column's id"), t->label_col, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its alias"), t->alias, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its appendix"), t->appendix, META_MAX_ID) < 0 ||
        len_ok(d, e, id, "", _("bytes in its group"), t->grp, META_MAX_TEXT) < 0 ||
        len_ok(d, e, id, "", _("bytes in its title"), t->title, META_MAX_TEXT) < 0 ||
        len_ok(d, e, id, "", _("bytes in its English title"), t->title_en, META_MAX_TEXT) < 0 ||
        len_ok(d, e, id, "", _("bytes in its source"), t->source, META_MAX_TEXT) < 0)
        return -1;
    return 0;
}

static int col_bounds(db *d, const table *t, const column *c, long long scale, mr_err *e)
{
    const char *ti = t->id, *ci = c->id;
    if (len_ok(d, e, ti, "", _("bytes in a column's id"), c->id, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its label"), c->label, META_MAX_TEXT) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its English label"), c->label_en, META_MAX_TEXT) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its unit"), c->unit, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes of allowed values"), c->enum_s, META_MAX_ENUM) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its pattern"), c->pattern, META_MAX_PATTERN) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its range"), c->range, META_MAX_RANGE) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its link"), c->link_tbl, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its link"), c->link_col, META_MAX_ID) < 0 ||
        len_ok(d, e, ti, ci, _("bytes in its not-before column"), c->not_before, META_MAX_ID) < 0)
        return -1;
    long long nenum = *c->enum_s ? 1 : 0;
    for (const char *p = c->enum_s; *p; p++)
        nenum += *p == '|';
    if (nenum > META_MAX_ENUM_N)
        return meta_refuse(d, e, ti, ci, _("allowed values"), nenum, META_MAX_ENUM_N);
    if (scale < -1 || scale > META_MAX_SCALE)
        return meta_refuse(d, e, ti, ci, _("decimals (scale; -1: as stored)"), scale, META_MAX_SCALE);
    return 0;
}

/* What each column is to the generic code (minreg_roles) and the event
 * types of a permit's life (minreg_event_types), since schema 6; a file
 * without them has neither. */
static int load_life(db *d, schema *s)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, "SELECT tbl, col, role FROM minreg_roles ORDER BY tbl, col, role",
                           -1, &st, NULL) != SQLITE_OK)
        return strstr(sqlite3_errmsg(d->h), "no such table") ? 0 : -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *tb = (const char *)sqlite3_column_text(st, 0);
        const char *cl = (const char *)sqlite3_column_text(st, 1);
        const char *ro = (const char *)sqlite3_column_text(st, 2);
        table *t = NULL;
        for (int i = 0; tb && i < s->ntables; i++)
            if (strcmp(s->tables[i].id, tb) == 0)
                t = &s->tables[i];
        int ci = t && cl ? table_col(t, cl) : -1;
        if (ci < 0 || !ro || strlen(ro) > META_MAX_ID)
            continue;
        column *c = &t->cols[ci];
        buf b = BUF_INIT;
        if (c->roles && *c->roles)
            buf_printf(&b, "%s;", c->roles);
        buf_puts(&b, ro);
        free(c->roles);
        c->roles = buf_steal(&b);
        if (strcmp(ro, "appended") == 0)
            c->appended = 1;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(d->h, "SELECT type, label_en, regtype, needs, sets, note, ord, live,"
                                 " first, days FROM minreg_event_types ORDER BY ord",
                           -1, &st, NULL) != SQLITE_OK)
        return strstr(sqlite3_errmsg(d->h), "no such table") ? 0 : -1;
    while (sqlite3_step(st) == SQLITE_ROW && s->nevtypes < META_MAX_TABLES) {
        s->evtypes = xrealloc(s->evtypes, sizeof *s->evtypes * (size_t)(s->nevtypes + 1));
        event_type *x = &s->evtypes[s->nevtypes++];
        x->type = col_dup(st, 0); x->label_en = col_dup(st, 1); x->regtype = col_dup(st, 2);
        x->needs = col_dup(st, 3); x->sets = col_dup(st, 4); x->note = col_dup(st, 5);
        x->ord = sqlite3_column_int(st, 6); x->live = sqlite3_column_int(st, 7);
        x->first = sqlite3_column_int(st, 8); x->days = sqlite3_column_int(st, 9);
    }
    sqlite3_finalize(st);
    return 0;
}

/* Patterns in the clerk's words: minreg_meta rows 'pattern:P' (Chinese)
 * and 'pattern_en:P' (English), where P is a pattern as minreg_columns
 * writes it (every column with it) or TABLE.COLUMN (that column, first).
 * Rows, not columns: a register without them says the pattern itself. */
static int load_pattern_text(db *d, schema *s)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, "SELECT key, value FROM minreg_meta WHERE key LIKE 'pattern%:%'"
                                 " ORDER BY length(key) DESC", -1, &st, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        int en = k && strncmp(k, "pattern_en:", 11) == 0;
        if (!k || !v || !*v || strlen(v) > META_MAX_TEXT || (!en && strncmp(k, "pattern:", 8) != 0))
            continue;
        const char *p = k + (en ? 11 : 8);
        for (int i = 0; i < s->ntables; i++) {
            table *t = &s->tables[i];
            size_t n = strlen(t->id);
            for (int ci = 0; ci < t->ncols; ci++) {
                column *c = &t->cols[ci];
                int named = strncmp(p, t->id, n) == 0 && p[n] == '.' && strcmp(p + n + 1, c->id) == 0;
                char **slot = en ? &c->pattern_text_en : &c->pattern_text;
                /* TABLE.COLUMN before the pattern's own text, whatever the order */
                if (!named && (!*c->pattern || strcmp(p, c->pattern) != 0 || *slot))
                    continue;
                free(*slot);
                *slot = xstrdup(v);
            }
        }
    }
    sqlite3_finalize(st);
    return 0;
}

int db_load_schema(db *d, mr_err *e)
{
    sqlite3_stmt *st = NULL;
    schema *s = &d->s;
    const char *q =
        "SELECT id, grp, appendix, alias, title, title_en, source, key_col, label_col, ord"
        " FROM minreg_tables ORDER BY ord";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s->tables = xrealloc(s->tables, sizeof(table) * (size_t)(s->ntables + 1));
        table *t = &s->tables[s->ntables++];
        memset(t, 0, sizeof *t);
        t->id = col_dup(st, 0); t->grp = col_dup(st, 1); t->appendix = col_dup(st, 2);
        t->alias = col_dup(st, 3); t->title = col_dup(st, 4); t->title_en = col_dup(st, 5);
        t->source = col_dup(st, 6); t->key_col = col_dup(st, 7); t->label_col = col_dup(st, 8);
        t->ord = sqlite3_column_int(st, 9);
        if (table_bounds(d, t, e) < 0 ||
            (s->ntables > META_MAX_TABLES &&
             meta_refuse(d, e, "", "", _("registers"), s->ntables, META_MAX_TABLES) < 0)) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);

    q = "SELECT id, label, label_en, type, unit, required, enum, pattern, link_tbl,"
        " link_col, multi, scale, range, not_before FROM minreg_columns WHERE tbl = ?1 ORDER BY ord";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    for (int i = 0; i < s->ntables; i++) {
        table *t = &s->tables[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            t->cols = xrealloc(t->cols, sizeof(column) * (size_t)(t->ncols + 1));
            column *c = &t->cols[t->ncols++];
            memset(c, 0, sizeof *c);
            c->id = col_dup(st, 0); c->label = col_dup(st, 1); c->label_en = col_dup(st, 2);
            const char *ty = (const char *)sqlite3_column_text(st, 3);
            if (!ty || !col_type_parse(ty, &c->type)) {
                err_set(e, EXIT_DB, "%s: column %s.%s has unknown type '%s'", d->path,
                        t->id, c->id, ty ? ty : "");
                sqlite3_finalize(st);
                return -1;
            }
            c->unit = col_dup(st, 4); c->required = sqlite3_column_int(st, 5);
            c->enum_s = col_dup(st, 6); c->pattern = col_dup(st, 7);
            c->link_tbl = col_dup(st, 8); c->link_col = col_dup(st, 9);
            c->multi = sqlite3_column_int(st, 10); c->scale = sqlite3_column_int(st, 11);
            c->range = col_dup(st, 12); c->not_before = col_dup(st, 13);
            if (col_bounds(d, t, c, sqlite3_column_int64(st, 11), e) < 0 ||
                (t->ncols > META_MAX_COLS &&
                 meta_refuse(d, e, t->id, "", _("columns"), t->ncols, META_MAX_COLS) < 0)) {
                sqlite3_finalize(st);
                return -1;
            }
        }
    }
    sqlite3_finalize(st);

    q = "SELECT tbl, measure, col, where_col, where_val, value, unit, source, note, kind, with_tbl"
        " FROM minreg_totals ORDER BY rowid";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s->totals = xrealloc(s->totals, sizeof(total) * (size_t)(s->ntotals + 1));
        total *x = &s->totals[s->ntotals++];
        x->tbl = col_dup(st, 0); x->measure = col_dup(st, 1); x->col = col_dup(st, 2);
        x->where_col = col_dup(st, 3); x->where_val = col_dup(st, 4);
        x->value = sqlite3_column_double(st, 5);
        x->unit = col_dup(st, 6); x->source = col_dup(st, 7); x->note = col_dup(st, 8);
        x->kind = col_dup(st, 9); x->with_tbl = col_dup(st, 10);
        if (s->ntotals > META_MAX_TOTALS) {
            meta_refuse(d, e, "", "", _("stated totals"), s->ntotals, META_MAX_TOTALS);
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    if (load_life(d, s) < 0 || load_pattern_text(d, s) < 0)
        goto sqlerr;

    q = "SELECT tbl, note FROM minreg_sources ORDER BY tbl, ord";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while (sqlite3_step(st) == SQLITE_ROW) {
        s->notes = xrealloc(s->notes, sizeof *s->notes * (size_t)(s->nnotes + 1));
        source_note *n = &s->notes[s->nnotes++];
        n->tbl = col_dup(st, 0);
        n->note = col_dup(st, 1);
        if (s->nnotes > META_MAX_TOTALS) {
            meta_refuse(d, e, "", "", _("source notes"), s->nnotes, META_MAX_TOTALS);
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    schema_resolve(s);
    for (int i = 0; i < s->ntables; i++)
        if (s->tables[i].key_ci < 0 || s->tables[i].label_ci < 0) {
            err_set(e, EXIT_DB, "%s: register %s names a key or label column it does not have",
                    d->path, s->tables[i].id);
            return -1;
        }
    return 0;
sqlerr:
    if (db_code_damaged(sqlite3_errcode(d->h)))
        db_err_damaged(d->path, e);
    else
        err_set(e, EXIT_DB, "%s: cannot read the register description: %s", d->path,
                sqlite3_errmsg(d->h));
    sqlite3_finalize(st);
    return -1;
}

int db_check_version(db *d, mr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, "SELECT value FROM minreg_meta WHERE key = 'schema_version'",
                                -1, &st, NULL);
    if (rc == SQLITE_NOTADB) {
        err_set(e, EXIT_DB, "%s: not an SQLite database (is it a register file?)", d->path);
        return -1;
    }
    if (rc != SQLITE_OK) {
        if (sqlite3_errcode(d->h) == SQLITE_BUSY)
            err_set(e, EXIT_DB, _("%s: locked by another process"), d->path);
        else if (strstr(sqlite3_errmsg(d->h), "no such table"))
            err_set(e, EXIT_DB, "%s: an SQLite file, but not a minreg register (no minreg_meta table)",
                    d->path);
        else
            db_error(d, e, NULL);   /* a damaged file says so */
        sqlite3_finalize(st);
        return -1;
    }
    int version = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = atoi((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (version <= 0) {
        err_set(e, EXIT_DB, "%s: register has no schema version", d->path);
        return -1;
    }
    if (version > MINREG_SCHEMA_VERSION) {
        err_set(e, EXIT_DB,
                "%s: made by a newer minreg (schema version %d; this minreg knows up to %d); "
                "upgrade minreg to open it",
                d->path, version, MINREG_SCHEMA_VERSION);
        return -1;
    }
    if (db_migrate(d, version, e) < 0)
        return -1;
    version = MINREG_SCHEMA_VERSION;
    d->s.version = version;
    return 0;
}
