/* db_trust.c — is a register's schema the one minreg made?
 *
 * A register may come from someone else.  SQLite runs what its schema
 * holds: a trigger fires on minreg's own writes (changing other rows,
 * forging audit rows), a view or a default runs whatever it says.  So on
 * open the file's sqlite_master is compared with the schema this minreg
 * makes: data/schema.sql itself, the file db_create builds registers from,
 * run once per process into an in-memory database.  Each object (table,
 * index, trigger, view) must be there with the same type, name, table and
 * SQL text, compared after normalising what does not change its meaning:
 * comments, white space, the case of keywords and identifiers, quotes
 * around a plain identifier (ALTER TABLE ... RENAME adds them).  String
 * literals are compared as written.  Allowed besides: the tables SQLite
 * makes itself (sqlite_sequence, sqlite_stat1..4) and the indexes it makes
 * for UNIQUE and PRIMARY KEY constraints (sqlite_autoindex_*, no SQL).
 * minreg's temporary objects live in the temp schema, not in the file.
 *
 * db.c calls trust_compare after the version check and any migration, so
 * a migrated register is compared in its new shape.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "i18n.h"
#include "paths.h"

typedef struct obj {
    char *type, *name, *tbl, *sql;   /* name and tbl lower case; sql normalised */
    int seen;
} obj;

/* The expected schema, made once per process (a key-script's second
 * clerk and the unit tests open many registers). */
static struct {
    int made;        /* 1: objs valid; -1: failed, why says */
    obj *objs;
    int n;
    int version;     /* minreg_meta's schema_version in schema.sql */
    char why[512];
} want;

static int word_byte(int c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

static int plain_ident(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

/* Append c, with one space before it when the white space dropped before
 * it separated two words. */
static void put_norm(buf *out, int c, int *space)
{
    if (*space && out->len && word_byte((unsigned char)out->s[out->len - 1]) && word_byte(c))
        buf_putc(out, ' ');
    *space = 0;
    buf_putc(out, (char)(c < 0x80 ? tolower(c) : c));
}

/* The SQL text of a CREATE statement in the form compared. */
static void norm_sql(const char *s, buf *out)
{
    int space = 0;
    buf_reset(out);
    buf_puts(out, "");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            space = 1;
        } else if (p[0] == '/' && p[1] == '*') {
            p += 2;
            while (*p && !(p[0] == '*' && p[1] == '/'))
                p++;
            p += *p ? 2 : 0;
            space = 1;
        } else if (isspace(*p)) {
            p++;
            space = 1;
        } else if (*p == '\'') {   /* a literal, as written */
            put_norm(out, '\'', &space);
            for (p++; *p; p++) {
                buf_putc(out, (char)*p);
                if (*p == '\'' && p[1] != '\'')
                    break;
                if (*p == '\'')
                    buf_putc(out, (char)*++p);
            }
            p += *p ? 1 : 0;
        } else if (*p == '"' || *p == '`' || *p == '[') {   /* a quoted identifier */
            int close = *p == '[' ? ']' : *p;
            buf id = BUF_INIT;
            for (p++; *p; p++) {
                if (*p == close && !(close != ']' && p[1] == close))
                    break;
                if (*p == close)
                    p++;
                buf_putc(&id, (char)*p);
            }
            p += *p ? 1 : 0;
            const char *v = buf_str(&id);
            if (plain_ident(v, id.len)) {
                for (size_t i = 0; i < id.len; i++)
                    put_norm(out, (unsigned char)v[i], &space);
            } else {
                put_norm(out, '"', &space);
                for (size_t i = 0; i < id.len; i++) {
                    if (v[i] == '"')
                        buf_putc(out, '"');
                    buf_putc(out, (char)tolower((unsigned char)v[i]));
                }
                buf_putc(out, '"');
            }
            buf_free(&id);
        } else {
            put_norm(out, *p++, &space);
        }
    }
}

static char *lower_dup(const char *s)
{
    char *r = xstrdup(s ? s : "");
    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

/* Objects SQLite makes on its own, and so is allowed to have made. */
static int sqlite_own(const char *type, const char *name, const char *sql)
{
    if (strcmp(type, "table") == 0)
        return strcmp(name, "sqlite_sequence") == 0 || strcmp(name, "sqlite_stat1") == 0 ||
               strcmp(name, "sqlite_stat2") == 0 || strcmp(name, "sqlite_stat3") == 0 ||
               strcmp(name, "sqlite_stat4") == 0;
    return strcmp(type, "index") == 0 && !sql && strncmp(name, "sqlite_autoindex_", 17) == 0;
}

/* Read h's sqlite_master into objs (SQLite's own objects left out). */
static int read_master(sqlite3 *h, obj **objs, int *n)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT type, name, tbl_name, sql FROM main.sqlite_master", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    buf b = BUF_INIT;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *sql = (const char *)sqlite3_column_text(st, 3);
        char *lname = lower_dup(name);
        if (type && sqlite_own(type, lname, sql)) {
            free(lname);
            continue;
        }
        *objs = xrealloc(*objs, sizeof **objs * (size_t)(*n + 1));
        obj *o = &(*objs)[(*n)++];
        o->type = lower_dup(type);
        o->name = lname;
        o->tbl = lower_dup((const char *)sqlite3_column_text(st, 2));
        norm_sql(sql ? sql : "", &b);
        o->sql = xstrdup(buf_str(&b));
        o->seen = 0;
    }
    buf_free(&b);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Past white space and comments. */
static const char *skip_space(const char *p)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

/* Run the statements of sql that make the schema — its CREATEs and ALTERs, and the
 * schema_version row — leaving out the hundreds of rows describing the
 * registers, which the comparison does not need (a few ms on every open).
 * *msg: SQLite's error, to sqlite3_free. */
static int run_ddl(sqlite3 *h, const char *sql, char **msg)
{
    for (const char *p = skip_space(sql); *p; p = skip_space(p)) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int wanted = sqlite3_strnicmp(p, "CREATE", 6) == 0 ||
                     sqlite3_strnicmp(p, "ALTER", 5) == 0 ||
                     sqlite3_strnicmp(p, "INSERT INTO minreg_meta", 23) == 0;
        if (!wanted && sqlite3_strnicmp(p, "INSERT", 6) == 0) {
            /* not even prepared: to its ';', past literals and comments */
            while (*p && *p != ';') {
                if (*p == '\'' || *p == '"') {
                    char q = *p++;
                    while (*p && !(*p == q && p[1] != q))
                        p += *p == q ? 2 : 1;
                    p += *p ? 1 : 0;
                } else if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
                    p = skip_space(p);
                } else {
                    p++;
                }
            }
            p += *p ? 1 : 0;
            continue;
        }
        if (sqlite3_prepare_v2(h, p, -1, &st, &tail) != SQLITE_OK) {
            *msg = sqlite3_mprintf("%s", sqlite3_errmsg(h));
            return -1;
        }
        if (st && wanted && sqlite3_step(st) != SQLITE_DONE) {
            *msg = sqlite3_mprintf("%s", sqlite3_errmsg(h));
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_finalize(st);
        if (!tail || tail == p)
            break;
        p = tail;
    }
    return 0;
}

/* Build the expected schema from DATADIR/schema.sql. */
static void want_make(void)
{
    if (want.made)
        return;
    want.made = -1;
    buf path = BUF_INIT, text = BUF_INIT;
    buf_printf(&path, "%s/schema.sql", paths_datadir());
    FILE *f = fopen(buf_str(&path), "rb");
    if (!f) {
        snprintf(want.why, sizeof want.why, _("cannot read %s (%s) to compare the register's schema with"),
                 buf_str(&path), strerror(errno));
        buf_free(&path);
        return;
    }
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&text, chunk, k);
    fclose(f);
    sqlite3 *h = NULL;
    char *msg = NULL;
    if (sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK ||
        run_ddl(h, buf_str(&text), &msg) < 0 || read_master(h, &want.objs, &want.n) < 0) {
        snprintf(want.why, sizeof want.why, "%s: %s", buf_str(&path), msg ? msg : sqlite3_errmsg(h));
    } else {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(h, "SELECT value FROM minreg_meta WHERE key = 'schema_version'", -1,
                               &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            want.version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        want.made = 1;
    }
    sqlite3_free(msg);
    sqlite3_close(h);
    buf_free(&path);
    buf_free(&text);
}

static void item_add(db *d, const char *fmt, const char *type, const char *name, const char *tbl)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s \"%s\"", type, name);
    if (strcmp(type, "table") != 0 && tbl && *tbl)
        buf_printf(&b, _(" on %s"), tbl);
    buf_puts(&b, ": ");
    buf_puts(&b, fmt);
    d->trust_items = xrealloc(d->trust_items, sizeof *d->trust_items * (size_t)(d->ntrust_items + 1));
    d->trust_items[d->ntrust_items++] = buf_steal(&b);
}

static void objs_free(obj *o, int n)
{
    for (int i = 0; i < n; i++) {
        free(o[i].type);
        free(o[i].name);
        free(o[i].tbl);
        free(o[i].sql);
    }
    free(o);
}

int trust_compare(db *d)
{
    want_make();
    if (want.made < 0) {
        d->trust_note = xstrdup(want.why);
        return -1;
    }
    if (want.version != d->s.version) {
        buf b = BUF_INIT;
        buf_printf(&b, _("%s/schema.sql is for schema version %d, the register is version %d: "
                         "cannot compare their schemas"),
                   paths_datadir(), want.version, d->s.version);
        d->trust_note = buf_steal(&b);
        return -1;
    }
    obj *have = NULL;
    int nhave = 0;
    if (read_master(d->h, &have, &nhave) < 0) {
        buf b = BUF_INIT;
        buf_printf(&b, _("cannot read the register's schema: %s"), sqlite3_errmsg(d->h));
        d->trust_note = buf_steal(&b);
        objs_free(have, nhave);
        return -1;
    }
    for (int i = 0; i < want.n; i++)
        want.objs[i].seen = 0;
    for (int i = 0; i < nhave; i++) {
        obj *h = &have[i], *w = NULL;
        for (int j = 0; j < want.n && !w; j++)
            if (strcmp(want.objs[j].name, h->name) == 0 && strcmp(want.objs[j].type, h->type) == 0)
                w = &want.objs[j];
        if (!w)
            item_add(d, _("not made by minreg"), h->type, h->name, h->tbl);
        else if (strcmp(w->tbl, h->tbl) != 0 || strcmp(w->sql, h->sql) != 0)
            item_add(d, _("differs from the one minreg makes"), h->type, h->name, h->tbl);
        if (w)
            w->seen = 1;
    }
    for (int j = 0; j < want.n; j++)
        if (!want.objs[j].seen)
            item_add(d, _("missing"), want.objs[j].type, want.objs[j].name, want.objs[j].tbl);
    objs_free(have, nhave);
    return d->ntrust_items;
}

void trust_free(db *d)
{
    for (int i = 0; i < d->ntrust_items; i++)
        free(d->trust_items[i]);
    free(d->trust_items);
    free(d->ro_reason);
    free(d->trust_note);
}

int db_schema_problems(const db *d, const char *const **items)
{
    *items = (const char *const *)d->trust_items;
    return d->ntrust_items;
}

const char *db_schema_note(const db *d) { return d->trust_note; }
