/* db_verify_chain.c — the chain of changes and their undone_by, checked
 * change by change (see db_verify.c; db_chain.c says what is chained). */
#include "config.h"

#include "db_verify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* ---- the chain and undone_by ---------------------------------------------- */

static int64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int b = 7; b >= 0; b--)
        v = v << 8 | p[b];
    return (int64_t)v;
}

int vf_verify_chain(vctx *v, const unsigned char *want_head, int64_t *seal)
{
    db *d = v->d;
    sqlite3_stmt *st = NULL, *mx = NULL, *ub = NULL, *bl = NULL;
    int rc = -1;
    int64_t max = 0;
    int64_t *und = NULL, *exp = NULL;
    *seal = 0;
    /* where the chain starts: the seal change, or 0 (a new register's), or
     * -1: nowhere */
    if (sqlite3_prepare_v2(d->h, "SELECT (SELECT max(id) FROM minreg_changes),"
                                 " coalesce((SELECT max(id) FROM minreg_changes WHERE kind = 'seal'),"
                                 " (SELECT 0 FROM minreg_chain WHERE change_id = 0), -1)",
                           -1, &mx, NULL) != SQLITE_OK)
        goto out;
    if (sqlite3_step(mx) == SQLITE_ROW) {
        max = sqlite3_column_int64(mx, 0);
        *seal = sqlite3_column_int64(mx, 1);
    }
    if (max < 0 || max > (int64_t)1 << 32)
        max = 0;   /* ids minreg never gave: each is reported below */
    und = xcalloc((size_t)max + 1, sizeof *und);
    exp = xcalloc((size_t)max + 1, sizeof *exp);
    if (sqlite3_prepare_v2(d->h,
            "SELECT c.id, ifnull(c.undoes, 0), c.kind, h.digest FROM minreg_changes c"
            " LEFT JOIN minreg_chain h ON h.change_id = c.id"
            " UNION ALL SELECT h.change_id, 0, NULL, h.digest FROM minreg_chain h"
            " WHERE NOT EXISTS (SELECT 1 FROM minreg_changes c WHERE c.id = h.change_id)"
            " ORDER BY 1", -1, &st, NULL) != SQLITE_OK)
        goto out;
    unsigned char stored[DIGEST], full[DIGEST], cur[DIGEST];
    int have_stored = 0, have_full = 0;
    while (!v->stop && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0), x = sqlite3_column_int64(st, 1);
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        int chained = sqlite3_column_bytes(st, 3) == DIGEST;
        const unsigned char *dg = sqlite3_column_blob(st, 3);
        if (!kind && id == 0 && chained) {   /* the start of a new register's chain */
            if (db_digest_change(d, 0, NULL, cur) < 0)
                goto out;
            if (memcmp(cur, dg, DIGEST) != 0)
                vf_found(v, NULL, NULL, NULL, 0,
                      _("the start of the chain does not match its digest: the sums of the rows "
                        "the register was made with were altered"));
            memcpy(stored, dg, DIGEST);
            memcpy(full, cur, DIGEST);
            have_stored = have_full = 1;
            if (want_head && !v->r->head_found && memcmp(full, want_head, DIGEST) == 0) {
                v->r->head_found = 1;
                v->r->head_at = 0;
            }
            continue;
        }
        if (!kind) {
            vf_found(v, NULL, NULL, NULL, id,
                  _("change %lld was removed from the history (its digest is still in the chain)"),
                  (long long)id);
            if (chained) {
                memcpy(stored, dg, DIGEST);
                have_stored = 1;
            }
            continue;
        }
        v->r->changes++;
        if (id > 0 && id <= max)
            und[id] = x;
        if (!chained) {
            vf_found(v, NULL, NULL, NULL, id,
                  _("change %lld has no digest: it was added to the history outside minreg"),
                  (long long)id);
        } else {
            unsigned char st_dg[DIGEST];
            memcpy(st_dg, dg, DIGEST);
            if (db_digest_change(d, id, have_stored ? stored : NULL, cur) < 0)
                goto out;
            if (memcmp(cur, st_dg, DIGEST) != 0)
                vf_found(v, NULL, NULL, NULL, id,
                      _("change %lld does not match its digest: its record, its audit rows or "
                        "its row sums were altered, or a change before it was removed"),
                      (long long)id);
            memcpy(stored, st_dg, DIGEST);
            have_stored = 1;
        }
        if (db_digest_change(d, id, have_full ? full : NULL, full) < 0)
            goto out;
        have_full = 1;
        v->r->head_change = id;
        if (want_head && !v->r->head_found && memcmp(full, want_head, DIGEST) == 0) {
            v->r->head_found = 1;
            v->r->head_at = id;
        }
        /* what undone_by must be, from the chained undoes (as edit.c's
         * revert sets it); before the seal, as the seal recorded it */
        if (id > *seal && x > 0 && x <= max && id <= max) {
            exp[x] = id;
            if (und[x] > 0 && und[x] <= max) {
                int64_t u = und[x];
                exp[u] = 0;
                if (und[u] > 0 && und[u] <= max)
                    exp[und[u]] = u;
            }
        }
    }
    if (have_full)
        vf_hex(full, v->r->head);
    if (v->stop) {
        rc = 0;
        goto out;
    }
    /* the seal's record of undone_by before it (tbl '') */
    if (*seal > 0) {
        if (sqlite3_prepare_v2(d->h, "SELECT sums FROM minreg_sums WHERE change_id = ?1 AND tbl = ''",
                               -1, &bl, NULL) != SQLITE_OK)
            goto out;
        sqlite3_bind_int64(bl, 1, *seal);
        while (sqlite3_step(bl) == SQLITE_ROW) {
            const unsigned char *p = sqlite3_column_blob(bl, 0);
            int n = sqlite3_column_bytes(bl, 0);
            for (int i = 0; i + 16 <= n; i += 16) {
                int64_t id = get64(p + i), by = get64(p + i + 8);
                if (id > 0 && id <= max && id < *seal)
                    exp[id] = by;
            }
        }
    }
    if (sqlite3_prepare_v2(d->h, "SELECT id, ifnull(undone_by, 0) FROM minreg_changes ORDER BY id",
                           -1, &ub, NULL) != SQLITE_OK)
        goto out;
    while (!v->stop && sqlite3_step(ub) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(ub, 0), by = sqlite3_column_int64(ub, 1);
        int64_t want = id > 0 && id <= max ? exp[id] : 0;
        if (by != want) {
            if (want && !by)
                vf_found(v, NULL, NULL, NULL, id,
                      _("change %lld is not marked undone, but the history says change %lld "
                        "undid it"), (long long)id, (long long)want);
            else if (want)
                vf_found(v, NULL, NULL, NULL, id,
                      _("change %lld is marked undone by %lld, but the history says change %lld "
                        "undid it"), (long long)id, (long long)by, (long long)want);
            else
                vf_found(v, NULL, NULL, NULL, id,
                      _("change %lld is marked undone by %lld, but no change in the history "
                        "undid it"), (long long)id, (long long)by);
        }
    }
    rc = 0;
out:
    if (rc < 0)
        db_error(d, NULL, NULL);
    sqlite3_finalize(mx);
    sqlite3_finalize(st);
    sqlite3_finalize(ub);
    sqlite3_finalize(bl);
    free(und);
    free(exp);
    return rc;
}

