/* db_xchg_apply.c — applying a change file (xchg_apply): the signature and
 * the header checked in a first pass, continuity with what was applied
 * from the partner before, then every change not yet applied merged
 * (db_xchg_merge.c) in one change: all or nothing. */
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


/* The digest change their_id of site had when it was applied here ("": not applied here). */
static void origin_digest(db *d, int site, int64_t their_id, char *out, size_t n)
{
    out[0] = 0;
    sqlite3_stmt *st = stmt_cached(d, "SELECT digest FROM minreg_xchg_origin WHERE site = ?1 AND their_id = ?2");
    if (!st)
        return;
    sqlite3_bind_int(st, 1, site);
    sqlite3_bind_int64(st, 2, their_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, n, "%s", col_text(st, 0));
    sqlite3_reset(st);
}

static int origin_add(app_ctx *a, char **f, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(a->d, "INSERT INTO minreg_xchg_origin (site, their_id, change_id,"
                                         " their_at, their_who, kind, summary, digest)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return db_error(a->d, e, "exchange apply");
    sqlite3_bind_int(st, 1, a->from.code);
    sqlite3_bind_int64(st, 2, a->their_id);
    sqlite3_bind_int64(st, 3, chg_id(a->c));
    sqlite3_bind_text(st, 4, f[2] ? f[2] : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, f[3] ? f[3] : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, f[4] ? f[4] : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, f[6] ? f[6] : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, f[8] ? f[8] : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(a->d, e, "exchange apply");
}

/* An O line: a change of a third site the sender applied, kept here with
 * its own origin, so that it is not sent on as this site's; this site's
 * own changes coming back are not noted twice. */
static int relayed_add(app_ctx *a, int self, char **f, mr_err *e)
{
    int site = f[1] ? atoi(f[1]) : 0;
    if (site == self || site == a->from.code)
        return 0;
    sqlite3_stmt *st = stmt_cached(a->d, "INSERT OR IGNORE INTO minreg_xchg_origin (site, their_id,"
                                         " change_id, their_at, their_who, kind, summary, digest)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return db_error(a->d, e, "exchange apply");
    sqlite3_bind_int(st, 1, site);
    sqlite3_bind_int64(st, 2, xchg_num64(f[2]));
    sqlite3_bind_int64(st, 3, chg_id(a->c));
    for (int i = 3; i <= 7; i++)
        sqlite3_bind_text(st, i + 1, f[i] ? f[i] : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_error(a->d, e, "exchange apply");
}

#define REFUSE(...)                                                                                \
    do {                                                                                           \
        err_set(e, EXIT_DATA, __VA_ARGS__);                                                        \
        goto out;                                                                                  \
    } while (0)

/* Pass 1 over a change file: the signature (streamed: memory does not grow
 * with the file), the header and the line count.  The SHA-256 of what was
 * signed in *sum, for pass 2 to check the file did not change meanwhile. */
typedef struct {
    int to;
    int64_t base, head, ack, endn, nlines;
    char base_dg[80], head_dg[80], ack_dg[80];
    unsigned char sum[crypto_hash_sha256_BYTES];
} hdr;

static char *line_at(char *l, ssize_t n)
{
    if (n > 0 && l[n - 1] == '\n')
        l[n - 1] = 0;
    return l;
}

int xchg_apply(db *d, const char *path, xchg_stats *st, mr_err *e)
{
    xchg_site me;
    memset(st, 0, sizeof *st);
    if (xchg_need_self(d, &me, e) < 0)
        return -1;
    if (sodium_init() < 0) {
        err_set(e, EXIT_INTERNAL, "%s", _("libsodium could not be initialised"));
        return -1;
    }
    app_ctx a = {.d = d, .st = st};
    int rc = -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    char *f[12];
    hdr h = {.base = -1, .head = -1, .ack = -1, .endn = -1};
    FILE *in = fopen(path, "rb");
    if (!in) {
        err_set(e, EXIT_IO, _("%s: cannot read: %s"), path, strerror(errno));
        return -1;
    }
    /* ---- pass 1 */
    crypto_sign_state vs;
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    unsigned char sig[crypto_sign_BYTES];
    int have_sig = 0, after_sig = 0, seen_c = 0;
    n = getline(&line, &cap, in);
    if (n != (ssize_t)(sizeof MAGIC - 1) ||
        (memcmp(line, MAGIC, sizeof MAGIC - 1) != 0 && memcmp(line, MAGIC1, sizeof MAGIC - 1) != 0))
        REFUSE(_("%s: not a minreg change file; nothing was applied"), path);
    char magic[sizeof MAGIC];
    memcpy(magic, line, sizeof MAGIC);
    n = getline(&line, &cap, in);
    if (n < 6 || strncmp(line, "from\t", 5) != 0)
        REFUSE(_("%s: not a minreg change file; nothing was applied"), path);
    /* who sent it: read before the signature is checked only to find the
     * key to check it with */
    int from = atoi(line + 5);
    if (from == me.code)
        REFUSE(_("%s: the change file comes from this register's own site (%s); nothing was applied"),
               path, me.name);
    if (xchg_partner_get(d, NULL, from, &a.from) < 0)
        REFUSE(_("%s: the change file comes from site %d, which is not a partner of this register; "
                 "nothing was applied"), path, from);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    size_t got = 0;
    if (sodium_hex2bin(pk, sizeof pk, a.from.pub, strlen(a.from.pub), NULL, &got, NULL) != 0)
        REFUSE(_("%s: %s's registered key is damaged"), path, a.from.name);
    crypto_sign_init(&vs);
    crypto_sign_update(&vs, (const unsigned char *)magic, sizeof MAGIC - 1);
    crypto_hash_sha256_update(&hs, (const unsigned char *)magic, sizeof MAGIC - 1);
    h.nlines = 1;
    do {
        if (have_sig) {
            after_sig = 1;
            break;
        }
        if (n >= 4 && strncmp(line, "sig\t", 4) == 0) {
            if (line[n - 1] != '\n' ||
                sodium_hex2bin(sig, sizeof sig, line + 4, (size_t)n - 5, NULL, &got, NULL) != 0 ||
                got != sizeof sig)
                REFUSE(_("%s: the change file's signature is damaged; nothing was applied"), path);
            have_sig = 1;
            continue;
        }
        crypto_sign_update(&vs, (const unsigned char *)line, (size_t)n);
        crypto_hash_sha256_update(&hs, (const unsigned char *)line, (size_t)n);
        if (line[n - 1] != '\n')
            REFUSE(_("%s: the change file is not signed, or was cut short; nothing was applied"), path);
        if (line[0] == 'C' && line[1] == '\t')
            seen_c = 1;
        if (!seen_c || !strncmp(line, "head\t", 5) || !strncmp(line, "end\t", 4)) {
            int k = xchg_split(line_at(line, n), f, 12);
            if (!strcmp(f[0], "to") && k >= 2)
                h.to = atoi(f[1] ? f[1] : "0");
            else if (!strcmp(f[0], "base") && k >= 3)
                h.base = xchg_num64(f[1]), snprintf(h.base_dg, sizeof h.base_dg, "%s", f[2] ? f[2] : "");
            else if (!strcmp(f[0], "head") && k >= 3)
                h.head = xchg_num64(f[1]), snprintf(h.head_dg, sizeof h.head_dg, "%s", f[2] ? f[2] : "");
            else if (!strcmp(f[0], "ack") && k >= 3)
                h.ack = xchg_num64(f[1]), snprintf(h.ack_dg, sizeof h.ack_dg, "%s", f[2] ? f[2] : "");
            else if (!strcmp(f[0], "end") && k >= 2) {
                h.endn = xchg_num64(f[1]);
                continue;
            }
        }
        h.nlines++;
    } while ((n = getline(&line, &cap, in)) > 0);
    if (ferror(in))
        REFUSE(_("%s: cannot read: %s"), path, strerror(errno));
    if (!have_sig)
        REFUSE(_("%s: the change file is not signed, or was cut short; nothing was applied"), path);
    if (crypto_sign_final_verify(&vs, sig, pk) != 0)
        REFUSE(_("%s: the signature does not verify against %s's key: the file was changed after it "
                 "was signed, or %s did not sign it; nothing was applied"),
               path, a.from.name, a.from.name);
    if (after_sig)
        REFUSE(_("%s: the change file has lines after its signature; nothing was applied"), path);
    crypto_hash_sha256_final(&hs, h.sum);
    if (h.base < 0 || h.head < 0 || h.ack < 0 || h.endn < 0)
        REFUSE(_("%s: not a minreg change file (no base, head, ack or end); nothing was applied"), path);
    if (h.endn != h.nlines)
        REFUSE(_("%s: the change file says %lld lines but has %lld; nothing was applied"), path,
               (long long)h.endn, (long long)h.nlines);
    snprintf(st->site, sizeof st->site, "%s", a.from.name);
    site_rule_for(d, a.from.code, a.from.role, a.from.name, &a.rule);
    a.county = a.rule.county;
    if (h.to != me.code)
        REFUSE(_("%s: the change file is for site %d, not this register (%s, %d); nothing was applied"),
               path, h.to, me.name, me.code);
    /* continuity with what was applied from this partner before */
    if (h.base > a.from.applied)
        REFUSE(_("%s: the file starts after %s's change %lld, but only changes up to %lld are applied "
                 "here: the changes %lld..%lld are missing (apply the file that has them, or ask for "
                 "one with --since %lld); nothing was applied"),
               path, a.from.name, (long long)h.base, (long long)a.from.applied,
               (long long)a.from.applied + 1, (long long)h.base, (long long)a.from.applied);
    char applied_dg[80] = "";
    {
        sqlite3_stmt *q = stmt_cached(d, "SELECT applied_digest FROM minreg_partners WHERE code = ?1");
        if (q) {
            sqlite3_bind_int(q, 1, a.from.code);
            if (sqlite3_step(q) == SQLITE_ROW)
                snprintf(applied_dg, sizeof applied_dg, "%s", col_text(q, 0));
            sqlite3_reset(q);
        }
    }
    if (h.head < a.from.applied && h.head > 0) {
        /* an older file again: nothing to do, if it is the history applied */
        char was[80];
        origin_digest(d, a.from.code, h.head, was, sizeof was);
        if (*was && strcmp(was, h.head_dg) != 0)
            REFUSE(_("%s: %s's change %lld is not the one applied here (its history was rewritten, or "
                     "its register restored from an old backup); nothing was applied"),
                   path, a.from.name, (long long)h.head);
    }
    if ((h.base == a.from.applied && h.base > 0 && strcmp(h.base_dg, applied_dg) != 0) ||
        (h.head == a.from.applied && h.head > 0 && strcmp(h.head_dg, applied_dg) != 0))
        REFUSE(_("%s: %s's change %lld is not the one applied here (its history was rewritten, or its "
                 "register restored from an old backup); nothing was applied"),
               path, a.from.name, (long long)a.from.applied);
    /* its acknowledgement of this site's changes */
    if (h.ack > 0) {
        char mine_dg[80];
        xchg_digest_of(d, h.ack, mine_dg, sizeof mine_dg);
        if (strcmp(mine_dg, h.ack_dg) != 0)
            REFUSE(_("%s: %s acknowledges change %lld of this register, which this register does not "
                     "have as it was sent (was it restored from an old backup?); nothing was applied"),
                   path, a.from.name, (long long)h.ack);
    }
    /* ---- pass 2: the changes, in one change here: all or nothing */
    rewind(in);
    crypto_hash_sha256_init(&hs);
    if (!(a.c = chg_begin(d, e)))
        goto out;
    chg_any_site(a.c);   /* the sender is held to its own rule (a.rule), not this site's */
    db_defer_fks(d);     /* a permit taken out of a run and put back under its events */
    int recorded = 0, want = 0;
    int64_t first = 0, last = 0;
    const table *t = NULL;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (strncmp(line, "sig\t", 4) == 0)
            break;
        crypto_hash_sha256_update(&hs, (const unsigned char *)line, (size_t)n);
        if (!strncmp(line, "head\t", 5) || !strncmp(line, "end\t", 4) || !strncmp(line, "from\t", 5) ||
            !strncmp(line, "to\t", 3) || !strncmp(line, "base\t", 5) || !strncmp(line, "ack\t", 4) ||
            !strncmp(line, "MINREG-EXCHANGE\t", 16))
            continue;
        int k = xchg_split(line_at(line, n), f, 12);
        if (!strcmp(f[0], "C") && k >= 9) {
            a.their_id = xchg_num64(f[1]);
            want = a.their_id > a.from.applied;
            if (!want) {
                /* applied before: it must be the same change */
                char was[80];
                origin_digest(d, a.from.code, a.their_id, was, sizeof was);
                if (*was && strcmp(was, f[8] ? f[8] : "") != 0) {
                    err_set(e, EXIT_DATA,
                            _("%s: %s's change %lld is not the one applied here (its history was "
                              "rewritten, or its register restored from an old backup); nothing was "
                              "applied"),
                            path, a.from.name, (long long)a.their_id);
                    goto rollback;
                }
                st->skipped++;
                continue;
            }
            if (!recorded) {
                recorded = 1;
                buf sum = BUF_INIT;
                buf_printf(&sum, _("exchange from %s"), a.from.name);
                int64_t id = chg_record(a.c, "import", "", buf_str(&sum), path, 0, e);
                buf_free(&sum);
                if (id < 0)
                    goto rollback;
                first = a.their_id;
            }
            last = a.their_id;
            st->changes++;
            if (origin_add(&a, f, e) < 0)
                goto rollback;
            continue;
        }
        if (!want)
            continue;
        if (!strcmp(f[0], "O") && k == 8) {
            if (relayed_add(&a, me.code, f, e) < 0)
                goto rollback;
            continue;
        }
        if (!strcmp(f[0], "S") && k == 2) {
            if (xchg_apply_cset(&a, f[1], e) < 0)
                goto rollback;
            if (db_interrupted(d) || db_cancel_asked(d, e))
                goto rollback;
            continue;
        }
        if (k < 5 || !(t = xchg_line_table(&a, f[1], e)))
            goto bad;
        int64_t rid = xchg_num64(f[2]);
        int r;
        if (f[0][0] == 'I' && k == 5)
            r = xchg_apply_insert(&a, t, rid, f[3], f[4], e);
        else if (f[0][0] == 'D' && k == 5)
            r = xchg_apply_delete(&a, t, rid, f[3], f[4], e);
        else if (f[0][0] == 'U' && k == 7)
            r = xchg_apply_update(&a, t, rid, f[3], f[4], f[5], f[6], e);
        else if (f[0][0] == 'R' && k == 6)
            r = xchg_apply_resolved(&a, t, rid, f[3], f[4], f[5], e);
        else
            goto bad;
        if (r < 0)
            goto rollback;
        if (db_interrupted(d) || db_cancel_asked(d, e))
            goto rollback;
    }
    {
        unsigned char sum2[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&hs, sum2);
        if (memcmp(sum2, h.sum, sizeof sum2) != 0) {
            err_set(e, EXIT_DATA, _("%s: the change file changed while it was applied; nothing was applied"),
                    path);
            goto rollback;
        }
    }
    {
        sqlite3_stmt *u = stmt_cached(d, "UPDATE minreg_partners SET acked = max(acked, ?2),"
                                         " applied = max(applied, ?3),"
                                         " applied_digest = CASE WHEN ?3 > applied THEN ?4"
                                         " ELSE applied_digest END,"
                                         " applied_at = CASE WHEN ?3 > applied THEN ?5"
                                         " ELSE applied_at END WHERE code = ?1");
        if (!u) {
            db_error(d, e, "exchange apply");
            goto rollback;
        }
        sqlite3_bind_int(u, 1, a.from.code);
        sqlite3_bind_int64(u, 2, h.ack);
        sqlite3_bind_int64(u, 3, h.head);
        sqlite3_bind_text(u, 4, h.head_dg, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(u, 5, edit_now(), -1, SQLITE_TRANSIENT);
        int ok = sqlite3_step(u) == SQLITE_DONE;
        sqlite3_reset(u);
        if (!ok) {
            db_error(d, e, "exchange apply");
            goto rollback;
        }
    }
    st->from = first;
    st->to = last;
    {
        chg *c = a.c;
        a.c = NULL;
        if (chg_commit(c, e) < 0)
            goto out;
    }
    rc = 0;
    goto out;
bad:
    err_set(e, EXIT_DATA, _("%s: a line of the change file is not understood: %.60s; nothing was applied"),
            path, f[0] ? f[0] : "");
rollback:
    chg_abort(a.c);
    a.c = NULL;
out:
    free(line);
    buf_free(&a.scratch);
    fclose(in);
    return rc;
}

