/* db_xchg_conflict.c — the exchange's conflicts: listed (xchg_conflicts) and
 * resolved (xchg_resolve: mine, theirs or a value, as an audited change of
 * its own that the next file carries to the partner). */
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


/* ---- conflicts --------------------------------------------------------------- */

int xchg_conflicts(db *d, int all, xchg_conflict_fn fn, void *arg)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT x.id, coalesce(p.name, x.site), x.what, x.tbl, x.row_id,"
                                      " x.row_key, x.field, x.base, x.mine, x.theirs, x.resolved,"
                                      " x.made_at, x.their_id FROM minreg_xchg_conflicts x"
                                      " LEFT JOIN minreg_partners p ON p.code = x.site"
                                      " WHERE ?1 OR x.resolved IS NULL ORDER BY x.id");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, all);
    while (sqlite3_step(st) == SQLITE_ROW) {
        xchg_conflict c = {
            .id = sqlite3_column_int64(st, 0), .site = col_text(st, 1), .what = col_text(st, 2),
            .tbl = col_text(st, 3), .row_id = sqlite3_column_int64(st, 4), .row_key = col_text(st, 5),
            .field = col_text(st, 6), .base = col_text(st, 7), .mine = col_text(st, 8),
            .theirs = col_text(st, 9), .resolved = col_text(st, 10), .made_at = col_text(st, 11),
            .their_id = sqlite3_column_int64(st, 12),
        };
        fn(arg, &c);
    }
    sqlite3_reset(st);
    return 0;
}

int xchg_resolve(db *d, int64_t id, const char *how, const char *value, const char *comment,
                 mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT tbl, row_id, row_key, field, mine, theirs, resolved, what"
                                      " FROM minreg_xchg_conflicts WHERE id = ?1");
    if (!st)
        return db_error(d, e, "exchange resolve");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        err_set(e, EXIT_NOTFOUND, _("no exchange conflict %lld"), (long long)id);
        return -1;
    }
    char *tbl = xstrdup(col_text(st, 0)), *key = col_text(st, 2) ? xstrdup(col_text(st, 2)) : NULL;
    char *field = col_text(st, 3) ? xstrdup(col_text(st, 3)) : NULL;
    char *theirs = col_text(st, 5) ? xstrdup(col_text(st, 5)) : NULL;
    int64_t rid = sqlite3_column_int64(st, 1);
    int done = col_text(st, 6) != NULL;
    sqlite3_reset(st);
    int rc = -1;
    chg *c = NULL;
    char *final = NULL;
    const table *t = schema_table(&d->s, tbl);
    if (done) {
        err_set(e, EXIT_USAGE, _("exchange conflict %lld is resolved already"), (long long)id);
        goto out;
    }
    if (!t) {
        err_set(e, EXIT_DATA, _("exchange conflict %lld is about a register this one does not have"),
                (long long)id);
        goto out;
    }
    if (!how && !field) {
        err_set(e, EXIT_USAGE, _("exchange conflict %lld is about a whole row: resolve it with mine or theirs"),
                (long long)id);
        goto out;
    }
    int bnd = field && strcmp(field, BOUNDARY_FIELD) == 0;
    int ci = field && !bnd ? table_col(t, field) : -1;
    if (field && !bnd && ci < 0) {
        err_set(e, EXIT_DATA, _("no column %s in %s"), field, t->id);
        goto out;
    }
    if (!how && value && *value && !bnd) {
        validator *v = validator_new(d, t);
        vissue is;
        int bad = validator_value(v, ci, value, &is);
        if (bad < 0)
            validator_error(v, e);
        validator_free(v);
        if (bad < 0)
            goto out;
        if (bad) {
            err_set(e, EXIT_NOTFOUND, "%s: %s", field, is.msg);
            goto out;
        }
    }
    if (!(c = chg_begin(d, e)))
        goto out;
    buf sum = BUF_INIT;
    buf_printf(&sum, _("exchange conflict %lld resolved: %s"), (long long)id, how ? how : value);
    int64_t cid = chg_record(c, "set", t->id, buf_str(&sum), comment ? comment : "", 0, e);
    buf_free(&sum);
    if (cid < 0)
        goto out;
    app_ctx a = {.d = d, .c = c, .st = &(xchg_stats){0}};
    char **cur = xchg_row_vals(d, t, rid);
    if (field && !cur) {
        /* the row is gone here since: it stays gone (mine), as a whole row */
        if (how && strcmp(how, "mine") == 0) {
            sqlite3_stmt *u = stmt_cached(d, "UPDATE minreg_xchg_conflicts SET field = NULL WHERE id = ?1");
            if (!u)
                goto out;
            sqlite3_bind_int64(u, 1, id);
            sqlite3_step(u);
            sqlite3_reset(u);
        } else {
            err_set(e, EXIT_USAGE, _("exchange conflict %lld: the row is no longer here; only mine "
                                     "(it stays deleted) resolves it"), (long long)id);
            goto out;
        }
    } else if (bnd) {
        /* the record's boundary: as chg_set_boundary takes it */
        char *here = NULL;
        db_shape_text(d, t->id, rid, &here, NULL);
        const char *want = how && !strcmp(how, "mine") ? here : how ? theirs : value;
        if (strcmp(here ? here : "", want ? want : "") != 0 &&
            chg_set_boundary(c, t, rid, key, want, e) < 0) {
            free(here);
            xchg_vals_free(t, cur);
            goto out;
        }
        final = want ? xstrdup(want) : NULL;
        free(here);
    } else if (field) {
        const char *want = how && !strcmp(how, "mine") ? (cur ? cur[ci] : NULL)
                           : how                       ? theirs
                                                       : value;
        if (cur && !xchg_same(&t->cols[ci], cur[ci], want) &&
            chg_update(c, t, rid, key, ci, cur[ci], want, e) < 0) {
            xchg_vals_free(t, cur);
            goto out;
        }
        final = want ? xstrdup(want) : NULL;
    } else if (!strcmp(how, "mine")) {
        final = xchg_json_of(&a, t, rid);
    } else {
        if (xchg_make_row(&a, t, rid, key, theirs, e) < 0) {
            xchg_vals_free(t, cur);
            goto out;
        }
        final = theirs ? xstrdup(theirs) : NULL;
    }
    xchg_vals_free(t, cur);
    st = stmt_cached(d, "UPDATE minreg_xchg_conflicts SET resolved = ?2, resolved_value = ?3,"
                        " resolved_by = ?4, resolved_at = ?5 WHERE id = ?1");
    if (!st) {
        db_error(d, e, "exchange resolve");
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, how ? how : "value", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, final, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, cid);
    sqlite3_bind_text(st, 5, edit_now(), -1, SQLITE_TRANSIENT);
    int ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    if (!ok) {
        db_error(d, e, "exchange resolve");
        goto out;
    }
    /* the same field's other open conflicts (with other partners) stand */
    chg *cc = c;
    c = NULL;
    rc = chg_commit(cc, e);
out:
    chg_abort(c);
    free(tbl);
    free(key);
    free(field);
    free(theirs);
    free(final);
    return rc;
}

/* A conflict's kind (minreg_xchg_conflicts.what) in the clerk's words. */
const char *xchg_what_text(const char *w)
{
    if (!strcmp(w, "field"))
        return _("changed on both sides");
    if (!strcmp(w, "deleted_here"))
        return _("deleted here, changed there");
    if (!strcmp(w, "deleted_there"))
        return _("deleted there, changed here");
    if (!strcmp(w, "owner"))
        return _("not the sender's row");
    if (!strcmp(w, "duplicate"))
        return _("the same key here");
    return w;
}

