/* db_xchg.c — exchange between sites' registers (see xchg.h): the site,
 * its key and its partners, and the change file's line format, which the
 * other files of the exchange share (db_xchg_int.h): db_xchg_export.c
 * writes a file, db_xchg_apply.c reads one and db_xchg_merge.c merges its
 * changes, db_xchg_conflict.c lists and resolves the conflicts, and
 * db_xchg_cset.c writes and reads the changesets.
 *
 * Part of the db module: it reads the history (minreg_changes, the audit
 * trail, the chain) and keeps the exchange tables; every register row it
 * writes goes through the change object.
 *
 * The change file is text, one record a line, fields separated by tabs,
 * each field escaped (\\ \t \n \r; \N is SQL NULL):
 *   MINREG-EXCHANGE 2
 *   from CODE NAME          the sender
 *   to CODE                 the receiver
 *   base ID DIGEST          the sender's change the file follows (0: the start)
 *   head ID DIGEST          its last change in the file
 *   ack ID DIGEST           the receiver's last change the sender has applied
 *   C ID AT WHO KIND TBL SUMMARY COMMENT DIGEST    a change, then its rows:
 *   O SITE ID AT WHO KIND SUMMARY DIGEST   a change of another site that
 *                           change applied here (relayed by the city)
 *   S CHANGESET             the change's rows: a changeset of SQLite's
 *                           session extension (db_xchg_int.h), base64; a change
 *                           of many rows has one every few thousand rows
 *   R TBL RID KEY FIELD VALUE   a conflict resolved: FIELD (NULL: the whole
 *                           row, VALUE its JSON or NULL for none) is VALUE
 *   end N                   the number of lines before it
 *   sig HEX                 Ed25519 over every byte before this line
 * A file of format 1 (a minreg before the changesets) has instead of S lines
 *   I TBL RID KEY JSON      a row added
 *   U TBL RID KEY FIELD OLD NEW
 *   D TBL RID KEY JSON      a row deleted (as it was)
 * and is read as well.
 */
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


/* ---- small helpers ----------------------------------------------------- */


void xchg_esc(buf *b, const char *s)
{
    buf_putc(b, '\t');
    if (!s) {
        buf_puts(b, "\\N");
        return;
    }
    for (const char *p = s; *p; p++)
        switch (*p) {
        case '\\': buf_puts(b, "\\\\"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        default: buf_putc(b, *p);
        }
}

/* Split line (modified in place) into fields, unescaped; NULL for \N. */
int xchg_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *start = p, *o = p;
        int null = strncmp(p, "\\N", 2) == 0 && (p[2] == '\t' || p[2] == 0);
        while (*p && *p != '\t') {
            if (*p == '\\' && p[1]) {
                p++;
                *o++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
                p++;
            } else {
                *o++ = *p++;
            }
        }
        int last = *p == 0;
        *o = 0;
        f[n++] = null ? NULL : start;
        if (last)
            break;
        p++;
    }
    return n;
}

int64_t xchg_num64(const char *s)
{
    return s ? strtoll(s, NULL, 10) : 0;
}

char *xchg_key_path(db *d)
{
    buf p = BUF_INIT;
    buf_printf(&p, "%s.key", d->path);
    return buf_steal(&p);
}

/* The chain digest of change id, in hex ("" when none). */
void xchg_digest_of(db *d, int64_t id, char *out, size_t n)
{
    out[0] = 0;
    sqlite3_stmt *st = stmt_cached(d, "SELECT lower(hex(digest)) FROM minreg_chain WHERE change_id = ?1");
    if (!st || id <= 0)
        return;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, n, "%s", col_text(st, 0));
    sqlite3_reset(st);
}

/* A site by admin code, or by a district's code, name or short name:
 * its code, and the district's name when it is one. */
static int site_code(db *d, const char *site, int *code, char *name, size_t n)
{
    name[0] = 0;
    sqlite3_stmt *st = stmt_cached(d, "SELECT code, name FROM districts WHERE code = ?1 OR name = ?1"
                                      " OR short_name = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, site, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *code = atoi(col_text(st, 0));
            snprintf(name, n, "%s", col_text(st, 1));
            sqlite3_reset(st);
            return 0;
        }
        sqlite3_reset(st);
    }
    char *end;
    long v = strtol(site, &end, 10);
    if (*site && !*end && v >= 100000 && v <= 999999) {
        *code = (int)v;
        return 0;
    }
    return -1;
}

/* ---- the site and its partners ----------------------------------------- */

int xchg_self(db *d, xchg_site *s)
{
    memset(s, 0, sizeof *s);
    sqlite3_stmt *st = stmt_cached(d, "SELECT code, name, role, pubkey FROM minreg_site");
    if (!st)
        return 1;
    int rc = 1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        s->code = sqlite3_column_int(st, 0);
        snprintf(s->name, sizeof s->name, "%s", col_text(st, 1));
        snprintf(s->role, sizeof s->role, "%s", col_text(st, 2));
        snprintf(s->pub, sizeof s->pub, "%s", col_text(st, 3));
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int xchg_need_self(db *d, xchg_site *s, mr_err *e)
{
    if (xchg_self(d, s) == 0)
        return 0;
    err_set(e, EXIT_USAGE, _("%s is not an exchange site yet: run minreg exchange init SITE first"),
            d->path);
    return -1;
}

static const char *role_of(const char *role, int code, mr_err *e)
{
    if (!role)
        return code % 100 == 0 ? "city" : "county";
    if (strcmp(role, "city") && strcmp(role, "county")) {
        err_set(e, EXIT_USAGE, "%s", _("--role wants city or county"));
        return NULL;
    }
    return role;
}

int xchg_init(db *d, const char *site, const char *role, const char *name, buf *pub, mr_err *e)
{
    xchg_site me;
    int code;
    char dname[128];
    if (xchg_self(d, &me) == 0) {
        err_set(e, EXIT_USAGE, _("%s is already exchange site %s (%d)"), d->path, me.name, me.code);
        return -1;
    }
    if (site_code(d, site, &code, dname, sizeof dname) < 0) {
        err_set(e, EXIT_USAGE, _("no site %s: give an admin code (6 digits) or a district's name"),
                site);
        return -1;
    }
    if (!name || !*name)
        name = *dname ? dname : site;
    if (!(role = role_of(role, code, e)))
        return -1;
    if (sodium_init() < 0) {
        err_set(e, EXIT_INTERNAL, "%s", _("libsodium could not be initialised"));
        return -1;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    char pkhex[2 * crypto_sign_PUBLICKEYBYTES + 1], skhex[2 * crypto_sign_SECRETKEYBYTES + 1];
    sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    sodium_bin2hex(skhex, sizeof skhex, sk, sizeof sk);
    sodium_memzero(sk, sizeof sk);
    char *kp = xchg_key_path(d);
    int rc = -1;
    int fd = open(kp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        err_set(e, EXIT_IO, _("%s: cannot make the key file: %s"), kp, strerror(errno));
        goto out;
    }
    size_t n = strlen(skhex);
    skhex[n] = '\n';
    int wr = write(fd, skhex, n + 1) == (ssize_t)(n + 1) && fsync(fd) == 0;
    close(fd);
    if (!wr) {
        err_set(e, EXIT_IO, _("%s: cannot write the key file: %s"), kp, strerror(errno));
        unlink(kp);
        goto out;
    }
    sqlite3_stmt *st = NULL;
    if (db_begin(d, e) < 0) {
        unlink(kp);
        goto out;
    }
    st = stmt_cached(d, "INSERT INTO minreg_site (one, name, code, role, pubkey, made_at)"
                        " VALUES (1, ?1, ?2, ?3, ?4, ?5)");
    if (st) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, code);
        sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, pkhex, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, edit_now(), -1, SQLITE_TRANSIENT);
    }
    if (!st || sqlite3_step(st) != SQLITE_DONE) {
        if (st)
            sqlite3_reset(st);
        db_error(d, e, "exchange init");
        db_rollback(d);
        unlink(kp);
        goto out;
    }
    sqlite3_reset(st);
    if (db_commit(d, e) < 0) {
        unlink(kp);
        goto out;
    }
    buf_puts(pub, pkhex);
    rc = 0;
out:
    sodium_memzero(skhex, sizeof skhex);
    free(kp);
    return rc;
}

int xchg_partner_add(db *d, const char *site, const char *role, const char *name, const char *pub,
                     mr_err *e)
{
    xchg_site me;
    int code;
    char dname[128];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    size_t got = 0;
    if (xchg_need_self(d, &me, e) < 0)
        return -1;
    if (site_code(d, site, &code, dname, sizeof dname) < 0) {
        err_set(e, EXIT_USAGE, _("no site %s: give an admin code (6 digits) or a district's name"),
                site);
        return -1;
    }
    if (code == me.code) {
        err_set(e, EXIT_USAGE, _("%s is this register's own site"), site);
        return -1;
    }
    if (strlen(pub) != 2 * sizeof pk ||
        sodium_hex2bin(pk, sizeof pk, pub, strlen(pub), NULL, &got, NULL) != 0 || got != sizeof pk) {
        err_set(e, EXIT_USAGE, "%s", _("a public key is 64 hexadecimal digits, as exchange init prints it"));
        return -1;
    }
    if (!name || !*name)
        name = *dname ? dname : site;
    if (!(role = role_of(role, code, e)))
        return -1;
    if (db_begin(d, e) < 0)
        return -1;
    sqlite3_stmt *st = stmt_cached(d, "INSERT INTO minreg_partners (name, code, role, pubkey)"
                                      " VALUES (?1, ?2, ?3, lower(?4))");
    int ok = 0;
    if (st) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, code);
        sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, pub, -1, SQLITE_TRANSIENT);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_reset(st);
    }
    if (!ok) {
        if (db_last_was_constraint(d))
            err_set(e, EXIT_USAGE, _("%s (%d) or that key is already a partner"), name, code);
        else
            db_error(d, e, "exchange partner");
        db_rollback(d);
        return -1;
    }
    return db_commit(d, e);
}

static void site_row(db *d, sqlite3_stmt *st, xchg_site *p)
{
    memset(p, 0, sizeof *p);
    p->code = sqlite3_column_int(st, 0);
    snprintf(p->name, sizeof p->name, "%s", col_text(st, 1));
    snprintf(p->role, sizeof p->role, "%s", col_text(st, 2));
    snprintf(p->pub, sizeof p->pub, "%s", col_text(st, 3));
    p->acked = sqlite3_column_int64(st, 4);
    p->sent = sqlite3_column_int64(st, 5);
    snprintf(p->sent_at, sizeof p->sent_at, "%s", col_text(st, 6));
    p->applied = sqlite3_column_int64(st, 7);
    snprintf(p->applied_at, sizeof p->applied_at, "%s", col_text(st, 8));
    p->waiting = sqlite3_column_int64(st, 9);
    p->conflicts = sqlite3_column_int64(st, 10);
    (void)d;
}

#define PARTNER_COLS                                                                               \
    "SELECT code, name, role, pubkey, acked, sent, sent_at, applied, applied_at,"                 \
    " (SELECT count(*) FROM minreg_changes c WHERE c.id > p.acked AND c.kind != 'seal'"           \
    "  AND NOT EXISTS (SELECT 1 FROM minreg_xchg_origin o WHERE o.change_id = c.id AND o.site = p.code))," \
    " (SELECT count(*) FROM minreg_xchg_conflicts x WHERE x.site = p.code AND x.resolved IS NULL)" \
    " FROM minreg_partners p"

int xchg_partners(db *d, xchg_site_fn fn, void *arg)
{
    sqlite3_stmt *st = stmt_cached(d, PARTNER_COLS " ORDER BY code");
    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        xchg_site p;
        site_row(d, st, &p);
        fn(arg, &p);
    }
    sqlite3_reset(st);
    return 0;
}

int xchg_partner_get(db *d, const char *site, int code, xchg_site *p)
{
    sqlite3_stmt *st = stmt_cached(d, PARTNER_COLS " WHERE name = ?1 OR code = ?2");
    if (!st)
        return -1;
    if (site)
        sqlite3_bind_text(st, 1, site, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_int(st, 2, code);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        site_row(d, st, p);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int xchg_find_partner(db *d, const char *site, xchg_site *p, mr_err *e)
{
    int code = 0;
    char dname[128];
    if (site_code(d, site, &code, dname, sizeof dname) < 0)
        code = 0;
    if (xchg_partner_get(d, site, code, p) == 0)
        return 0;
    err_set(e, EXIT_USAGE, _("%s is not a partner of this register (exchange partner SITE KEY adds one)"),
            site);
    return -1;
}

