/* db_xchg_merge.c — the field-level merge of a partner's changes into
 * this register (xchg_apply's, and a resolution's): each row added, field
 * set or row deleted there, as it is here, becomes a write through the
 * change object or a conflict (base / mine / theirs); ownership decides a
 * county's changes to rows not its own. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boundary.h"
#include "change.h"
#include "db_int.h"
#include "edit.h"
#include "i18n.h"
#include "outfile.h"
#include "validate.h"
#include "xchg.h"
#include "db_xchg_int.h"


/* ---- apply ----------------------------------------------------------------- */


static int db_row_exists(db *d, const table *t, int64_t rid)
{
    buf q = BUF_INIT;
    buf_puts(&q, "SELECT 1 FROM ");
    put_ident(&q, t->id);
    buf_puts(&q, " WHERE rid = ?1");
    sqlite3_stmt *st = stmt_cached(d, buf_str(&q));
    buf_free(&q);
    if (!st)
        return 1;   /* then row_vals says */
    sqlite3_bind_int64(st, 1, rid);
    int r = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return r;
}

/* A record's boundary text, or NULL (none, or unread). */
static char *shape_text(db *d, const char *tbl, int64_t rid)
{
    char *text = NULL;
    db_shape_text(d, tbl, rid, &text, NULL);
    return text;
}

char **xchg_json_vals(db *d, const table *t, const char *json)
{
    char **v = NULL;
    mr_err e = {0};
    db_json_values(d, t, json, &v, &e);   /* always allocated; a field unread is NULL */
    return v;
}

char **xchg_row_vals(db *d, const table *t, int64_t rid)
{
    buf j = BUF_INIT;
    mr_err e = {0};
    char **v = db_row_json(d, t, rid, &j, &e) == DB_FOUND ? xchg_json_vals(d, t, buf_str(&j)) : NULL;
    buf_free(&j);
    return v;
}

void xchg_vals_free(const table *t, char **v)
{
    if (!v)
        return;
    for (int i = 0; i < t->ncols; i++)
        free(v[i]);
    free(v);
}

int xchg_same(const column *c, const char *a, const char *b)
{
    return value_same(c, a, b);
}

/* Does the sending site own a row with these values (site.h)? */
static int owns(app_ctx *a, const table *t, char **v)
{
    return site_owns(a->d, &a->rule, t, (const char *const *)v);
}

char *xchg_json_of(app_ctx *a, const table *t, int64_t rid)
{
    buf j = BUF_INIT;
    mr_err e = {0};
    if (db_row_json(a->d, t, rid, &j, &e) != DB_FOUND) {
        buf_free(&j);
        return NULL;
    }
    return buf_steal(&j);
}

static int conflict(app_ctx *a, const char *what, const table *t, int64_t rid, const char *key,
                    const char *field, const char *base, const char *mine, const char *theirs,
                    mr_err *e)
{
    /* the same field (row) already in conflict with this partner: the
     * newer value of theirs replaces the older */
    sqlite3_stmt *st = stmt_cached(a->d, "UPDATE minreg_xchg_conflicts SET theirs = ?5, their_id = ?6"
                                         " WHERE site = ?1 AND tbl = ?2 AND row_id = ?3"
                                         " AND field IS ?4 AND resolved IS NULL");
    if (!st)
        return db_error(a->d, e, "exchange apply");
    sqlite3_bind_int(st, 1, a->from.code);
    sqlite3_bind_text(st, 2, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, rid);
    sqlite3_bind_text(st, 4, field, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, theirs, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, a->their_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(a->d, e, "exchange apply");
    if (sqlite3_changes(a->d->h) > 0)
        return 0;
    st = stmt_cached(a->d, "INSERT INTO minreg_xchg_conflicts (site, their_id, change_id, what, tbl,"
                           " row_id, row_key, field, base, mine, theirs, made_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!st)
        return db_error(a->d, e, "exchange apply");
    sqlite3_bind_int(st, 1, a->from.code);
    sqlite3_bind_int64(st, 2, a->their_id);
    sqlite3_bind_int64(st, 3, chg_id(a->c));
    sqlite3_bind_text(st, 4, what, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, rid);
    sqlite3_bind_text(st, 7, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, field, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, base, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, mine, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 11, theirs, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 12, edit_now(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(a->d, e, "exchange apply");
    a->st->conflicts++;
    return 0;
}

/* Open conflicts on the field (NULL: on any part of the row) now agreed:
 * both sides hold the same. */
static int agreed(app_ctx *a, const table *t, int64_t rid, const char *field, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(a->d, "UPDATE minreg_xchg_conflicts SET resolved = 'agreed',"
                                         " resolved_by = ?4, resolved_at = ?5"
                                         " WHERE tbl = ?1 AND row_id = ?2 AND resolved IS NULL"
                                         " AND (?3 IS NULL OR field = ?3)");
    if (!st)
        return db_error(a->d, e, "exchange apply");
    sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rid);
    sqlite3_bind_text(st, 3, field, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, chg_id(a->c));
    sqlite3_bind_text(st, 5, edit_now(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(a->d, e, "exchange apply");
}

static int has_open(app_ctx *a, const table *t, int64_t rid, const char *field)
{
    sqlite3_stmt *st = stmt_cached(a->d, "SELECT 1 FROM minreg_xchg_conflicts WHERE tbl = ?1"
                                         " AND row_id = ?2 AND resolved IS NULL"
                                         " AND (field IS ?3 OR field IS NULL)");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rid);
    sqlite3_bind_text(st, 3, field, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return r;
}

/* The row as it was deleted here last (its JSON), or NULL. */
static char *deleted_json(app_ctx *a, const table *t, int64_t rid)
{
    sqlite3_stmt *st = stmt_cached(a->d, "SELECT old FROM minreg_audit WHERE tbl = ?1 AND row_id = ?2"
                                         " AND op = 'delete' ORDER BY id DESC LIMIT 1");
    char *r = NULL;
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rid);
    if (sqlite3_step(st) == SQLITE_ROW && col_text(st, 0))
        r = xstrdup(col_text(st, 0));
    sqlite3_reset(st);
    return r;
}

static char *json_set(app_ctx *a, const char *json, const char *field, const char *val)
{
    sqlite3_stmt *st = stmt_cached(a->d, "SELECT json_set(?1, '$.' || json_quote(?2), ?3)");
    char *r = NULL;
    if (!st || !json)
        return json ? xstrdup(json) : NULL;
    sqlite3_bind_text(st, 1, json, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, field, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, val, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW && col_text(st, 0))
        r = xstrdup(col_text(st, 0));
    sqlite3_reset(st);
    return r;
}

static int unbulk(app_ctx *a, const table *t, int64_t rid, mr_err *e);

/* Make row rid of t what json says (NULL: no row), through the change. */
int xchg_make_row(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json,
                    mr_err *e)
{
    if (a->c && unbulk(a, t, rid, e) < 0)
        return -1;
    char **cur = xchg_row_vals(a->d, t, rid);
    int rc = 0;
    if (!json) {
        if (cur && chg_delete(a->c, t, rid, e) < 0)
            rc = -1;
        else if (cur)
            a->st->rows++;
    } else {
        char **v = xchg_json_vals(a->d, t, json);
        if (!cur) {
            rc = chg_insert(a->c, t, (const char *const *)v, rid, NULL, e);
            a->st->rows++;
        } else {
            for (int ci = 0; rc == 0 && ci < t->ncols; ci++)
                if (!xchg_same(&t->cols[ci], cur[ci], v[ci])) {
                    rc = chg_update(a->c, t, rid, key, ci, cur[ci], v[ci], e);
                    a->st->rows++;
                }
        }
        xchg_vals_free(t, v);
    }
    xchg_vals_free(t, cur);
    return rc;
}

/* A row this change added as part of a run, about to change again in the
 * same change: taken out of the run and added as an audited row of its
 * own, so that the run's sums stay the rows as added. */
static int unbulk(app_ctx *a, const table *t, int64_t rid, mr_err *e)
{
    if (!chg_bulk_table(a->c, t) || !chg_added(a->c, rid))
        return 0;
    char **v = xchg_row_vals(a->d, t, rid);
    int rc = !v || chg_unadd(a->c, t, rid, e) < 0 ||
                     chg_insert(a->c, t, (const char *const *)v, rid, NULL, e) < 0
                 ? -1
                 : 0;
    xchg_vals_free(t, v);
    return rc;
}

const table *xchg_line_table(app_ctx *a, const char *id, mr_err *e)
{
    const table *t = id ? schema_table(&a->d->s, id) : NULL;
    if (!t)
        err_set(e, EXIT_DATA, _("the change file names a register this one does not have: %s"),
                id ? id : "(none)");
    return t;
}

/* json, or (NULL) v as JSON in a->scratch: made only for a conflict */
static const char *json_or(app_ctx *a, const table *t, char **v, const char *json)
{
    if (json)
        return json;
    buf_reset(&a->scratch);
    cset_json(t, v, &a->scratch);
    return buf_str(&a->scratch);
}

/* A row added there (v: its values, json: the same as JSON, or NULL). */
static int apply_insert_v(app_ctx *a, const table *t, int64_t rid, const char *key, char **v,
                          const char *json, mr_err *e)
{
    char **cur = db_row_exists(a->d, t, rid) ? xchg_row_vals(a->d, t, rid) : NULL;
    int rc = 0;
    if (cur) {
        /* there already (sent before, or made the same there and here) */
        int diff = 0;
        for (int ci = 0; ci < t->ncols; ci++)
            diff |= !xchg_same(&t->cols[ci], cur[ci], v[ci]);
        if (diff) {
            char *mine = xchg_json_of(a, t, rid);
            rc = conflict(a, "field", t, rid, key, NULL, NULL, mine, json_or(a, t, v, json), e);
            free(mine);
        }
    } else if (!owns(a, t, v)) {
        rc = conflict(a, "owner", t, rid, key, NULL, NULL, NULL, json_or(a, t, v, json), e);
    } else {
        int64_t other;
        if (key && *key && db_find_by(a->d, t, t->key_ci, key, &other, NULL) == DB_FOUND &&
            db_is_unique_col(a->d, t, t->key_ci, NULL) == DB_FOUND) {
            char *mine = xchg_json_of(a, t, other);
            rc = conflict(a, "duplicate", t, rid, key, NULL, NULL, mine, json_or(a, t, v, json), e);
            free(mine);
        } else {
            /* as a run of the change's added rows where it can (one
             * register's), not an audit row each: an import's cost */
            /* runs of one site's rids only: the run's sums are kept by rid
             * (rowsum.c), and a relayed file mixes sites a 10^9 apart */
            int64_t site = rid / 1000000000 + 1;
            int bulk = chg_bulk_table(a->c, t) && (!a->bulk_site || a->bulk_site == site);
            if (bulk)
                a->bulk_site = site;
            rc = bulk ? chg_insert_bulk_at(a->c, t, (const char *const *)v, rid, NULL, e)
                      : chg_insert(a->c, t, (const char *const *)v, rid, NULL, e);
            a->st->rows++;
        }
    }
    xchg_vals_free(t, cur);
    return rc;
}

int xchg_apply_insert(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json,
                        mr_err *e)
{
    char **v = xchg_json_vals(a->d, t, json);
    int rc = apply_insert_v(a, t, rid, key, v, json, e);
    xchg_vals_free(t, v);
    return rc;
}

int xchg_apply_update(app_ctx *a, const table *t, int64_t rid, const char *key, const char *field,
                        const char *old, const char *new_, mr_err *e)
{
    int ci = field ? table_col(t, field) : -1;
    if (ci < 0) {
        err_set(e, EXIT_DATA, _("the change file names a column %s.%s this register does not have"),
                t->id, field ? field : "(none)");
        return -1;
    }
    const column *c = &t->cols[ci];
    if (unbulk(a, t, rid, e) < 0)
        return -1;
    char **cur = xchg_row_vals(a->d, t, rid);
    int rc = 0;
    if (!cur) {
        /* deleted here, changed there: never a silent loss */
        char *was = deleted_json(a, t, rid);
        char *theirs = json_set(a, was, field, new_);
        rc = conflict(a, "deleted_here", t, rid, key, NULL, was, NULL, theirs, e);
        free(was);
        free(theirs);
    } else if (xchg_same(c, cur[ci], new_)) {
        if (has_open(a, t, rid, field))
            rc = agreed(a, t, rid, field, e);
    } else if (!owns(a, t, cur)) {
        rc = conflict(a, "owner", t, rid, key, field, old, cur[ci], new_, e);
    } else if (xchg_same(c, cur[ci], old) && !has_open(a, t, rid, field)) {
        char **after = NULL;
        if (a->county) {
            /* a county moving a row out of its district: the new value too */
            after = xcalloc((size_t)t->ncols, sizeof *after);
            after[ci] = xstrdup(new_ ? new_ : "");
            for (int k = 0; k < t->ncols; k++)
                if (k != ci)
                    after[k] = cur[k] ? xstrdup(cur[k]) : NULL;
        }
        if (after && !owns(a, t, after))
            rc = conflict(a, "owner", t, rid, key, field, old, cur[ci], new_, e);
        else {
            rc = chg_update(a->c, t, rid, key, ci, cur[ci], new_, e);
            a->st->rows++;
        }
        xchg_vals_free(t, after);
    } else {
        rc = conflict(a, "field", t, rid, key, field, old, cur[ci], new_, e);
    }
    xchg_vals_free(t, cur);
    return rc;
}

/* A row deleted there (was: its values as they were, json: the same, or NULL). */
static int apply_delete_v(app_ctx *a, const table *t, int64_t rid, const char *key, char **was,
                          const char *json, mr_err *e)
{
    if (unbulk(a, t, rid, e) < 0)
        return -1;
    char **cur = xchg_row_vals(a->d, t, rid);
    int rc = 0;
    if (!cur)
        return 0;   /* gone here too */
    int diff = 0;
    for (int ci = 0; ci < t->ncols; ci++)
        diff |= !xchg_same(&t->cols[ci], cur[ci], was[ci]);
    char *mine = xchg_json_of(a, t, rid);
    if (!owns(a, t, cur))
        rc = conflict(a, "owner", t, rid, key, NULL, json_or(a, t, was, json), mine, NULL, e);
    else if (diff || has_open(a, t, rid, NULL))
        rc = conflict(a, "deleted_there", t, rid, key, NULL, json_or(a, t, was, json), mine, NULL, e);
    else {
        rc = chg_delete(a->c, t, rid, e);
        a->st->rows++;
    }
    free(mine);
    xchg_vals_free(t, cur);
    return rc;
}

int xchg_apply_delete(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json,
                        mr_err *e)
{
    char **was = xchg_json_vals(a->d, t, json);
    int rc = apply_delete_v(a, t, rid, key, was, json, e);
    xchg_vals_free(t, was);
    return rc;
}

int xchg_apply_resolved(app_ctx *a, const table *t, int64_t rid, const char *key, const char *field,
                          const char *value, mr_err *e)
{
    if (!field) {
        if (xchg_make_row(a, t, rid, key, value, e) < 0)
            return -1;
        return agreed(a, t, rid, NULL, e);
    }
    if (!strcmp(field, BOUNDARY_FIELD)) {
        if (unbulk(a, t, rid, e) < 0)
            return -1;
        char *here = db_row_exists(a->d, t, rid) ? shape_text(a->d, t->id, rid) : NULL;
        int rc = 0;
        if (db_row_exists(a->d, t, rid) && strcmp(here ? here : "", value ? value : "") != 0) {
            rc = chg_set_boundary(a->c, t, rid, key, value, e);
            a->st->rows++;
        }
        free(here);
        return rc < 0 ? -1 : agreed(a, t, rid, field, e);
    }
    int ci = table_col(t, field);
    if (ci < 0) {
        err_set(e, EXIT_DATA, _("the change file names a column %s.%s this register does not have"),
                t->id, field);
        return -1;
    }
    if (unbulk(a, t, rid, e) < 0)
        return -1;
    char **cur = xchg_row_vals(a->d, t, rid);
    int rc = 0;
    if (cur && !xchg_same(&t->cols[ci], cur[ci], value)) {
        rc = chg_update(a->c, t, rid, key, ci, cur[ci], value, e);
        a->st->rows++;
    }
    xchg_vals_free(t, cur);
    return rc < 0 ? -1 : agreed(a, t, rid, field, e);
}

/* The key of row rid here (as it is, or as it was deleted), for the
 * audit and the conflicts: an update's changeset carries only the rid. */
static char *key_here(app_ctx *a, const table *t, int64_t rid)
{
    if (t->key_ci < 0)
        return NULL;
    char **cur = xchg_row_vals(a->d, t, rid);
    char *k = NULL;
    if (!cur) {
        char *was = deleted_json(a, t, rid);
        cur = was ? xchg_json_vals(a->d, t, was) : NULL;
        free(was);
    }
    if (cur && cur[t->key_ci])
        k = xstrdup(cur[t->key_ci]);
    xchg_vals_free(t, cur);
    return k;
}

/* A record's boundary changed there: set here when it is here as it was
 * there before; the same already, nothing; else a conflict on @boundary. */
static int apply_boundary(app_ctx *a, const table *t, int64_t rid, const char *key, const char *old,
                          const char *new_, mr_err *e)
{
    if (unbulk(a, t, rid, e) < 0)
        return -1;
    if (!db_row_exists(a->d, t, rid))
        return conflict(a, "deleted_here", t, rid, key, BOUNDARY_FIELD, old, NULL, new_, e);
    char *cur = shape_text(a->d, t->id, rid);
    const char *c = cur ? cur : "", *o = old ? old : "", *n = new_ ? new_ : "";
    int rc = 0;
    if (!strcmp(c, n)) {
        if (has_open(a, t, rid, BOUNDARY_FIELD))
            rc = agreed(a, t, rid, BOUNDARY_FIELD, e);
    } else if (!strcmp(c, o) && !has_open(a, t, rid, BOUNDARY_FIELD)) {
        char **cv = a->county ? xchg_row_vals(a->d, t, rid) : NULL;
        if (a->county && !owns(a, t, cv))
            rc = conflict(a, "owner", t, rid, key, BOUNDARY_FIELD, old, cur, new_, e);
        else {
            rc = chg_set_boundary(a->c, t, rid, key, new_, e);
            a->st->rows++;
        }
        xchg_vals_free(t, cv);
    } else {
        rc = conflict(a, "field", t, rid, key, BOUNDARY_FIELD, old, cur, new_, e);
    }
    free(cur);
    return rc;
}

/* One change of a changeset, to the field-level merge. */
static int on_cset(void *arg, const cset_change *c, mr_err *e)
{
    app_ctx *a = arg;
    const table *t = c->t;
    int rc;
    if (c->op == CSET_UPDATE) {
        char *key = key_here(a, t, c->rid);
        rc = c->ci == t->ncols
                 ? apply_boundary(a, t, c->rid, key, c->old, c->new_, e)
                 : xchg_apply_update(a, t, c->rid, key, t->cols[c->ci].id, c->old, c->new_, e);
        free(key);
        return rc < 0 ? -1 : 0;
    }
    const char *key = t->key_ci >= 0 ? c->vals[t->key_ci] : NULL;
    rc = c->op == CSET_INSERT ? apply_insert_v(a, t, c->rid, key, c->vals, NULL, e)
                              : apply_delete_v(a, t, c->rid, key, c->vals, NULL, e);
    return rc < 0 ? -1 : 0;
}

/* An S line: its changeset, change by change. */
int xchg_apply_cset(app_ctx *a, const char *b64, mr_err *e)
{
    size_t len = b64 ? strlen(b64) : 0, got = 0;
    unsigned char *blob = xmalloc(len / 4 * 3 + 3);
    int rc = -1;
    if (!b64 || sodium_base642bin(blob, len / 4 * 3 + 3, b64, len, NULL, &got, NULL,
                                  sodium_base64_VARIANT_ORIGINAL) != 0 || got > 0x7fffffff)
        err_set(e, EXIT_DATA, "%s", _("a changeset in the change file is not base64"));
    else
        rc = cset_each(&a->d->s, blob, (int)got, on_cset, a, e);
    free(blob);
    return rc ? -1 : 0;
}

