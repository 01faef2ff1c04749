/* db_xchg.c — exchange between sites' registers (see xchg.h).
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
 *                           session extension (xchg_int.h), base64; a change
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
#include "xchg_int.h"

#define MAGIC "MINREG-EXCHANGE\t2\n"
#define MAGIC1 "MINREG-EXCHANGE\t1\n"   /* the same length */

/* ---- small helpers ----------------------------------------------------- */

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void esc(buf *b, const char *s)
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
static int split(char *line, char **f, int max)
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

static int64_t num64(const char *s)
{
    return s ? strtoll(s, NULL, 10) : 0;
}

static char *key_path(db *d)
{
    buf p = BUF_INIT;
    buf_printf(&p, "%s.key", d->path);
    return buf_steal(&p);
}

/* The chain digest of change id, in hex ("" when none). */
static void digest_of(db *d, int64_t id, char *out, size_t n)
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

static int need_self(db *d, xchg_site *s, mr_err *e)
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
    char *kp = key_path(d);
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
    if (need_self(d, &me, e) < 0)
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

static int partner_get(db *d, const char *site, int code, xchg_site *p)
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

static int find_partner(db *d, const char *site, xchg_site *p, mr_err *e)
{
    int code = 0;
    char dname[128];
    if (site_code(d, site, &code, dname, sizeof dname) < 0)
        code = 0;
    if (partner_get(d, site, code, p) == 0)
        return 0;
    err_set(e, EXIT_USAGE, _("%s is not a partner of this register (exchange partner SITE KEY adds one)"),
            site);
    return -1;
}

/* ---- export ---------------------------------------------------------------- */

/* The file as it is written: in pieces of 256 KiB, each signed (Ed25519ph,
 * streamed) as it goes out, so memory does not grow with the file. */
typedef struct {
    int fd;
    crypto_sign_state sign;
    const char *name;
    int failed;
} wr;

static void wr_flush(wr *w, buf *b, mr_err *e)
{
    if (w->failed || !b->len)
        return;
    crypto_sign_update(&w->sign, (const unsigned char *)b->s, b->len);
    const char *s = b->s;
    size_t left = b->len;
    while (left) {
        ssize_t n = write(w->fd, s, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err_set(e, EXIT_IO, _("%s: cannot write: %s"), w->name, strerror(errno));
            w->failed = 1;
            return;
        }
        s += n;
        left -= (size_t)n;
    }
    buf_reset(b);
}

typedef struct {
    db *d;
    buf *b;
    int64_t rows, lines;
    wr *w;
    mr_err *e;
    cset_w cs;      /* the change's rows not yet written */
    buf b64;
} exp_ctx;

/* The changeset gathered so far as an S line. */
static void cs_line(exp_ctx *x)
{
    if (!x->cs.n)
        return;
    size_t need = sodium_base64_ENCODED_LEN(x->cs.b.len, sodium_base64_VARIANT_ORIGINAL);
    buf_reset(&x->b64);
    buf_pad(&x->b64, (int)need);
    sodium_bin2base64(x->b64.s, need, (const unsigned char *)x->cs.b.s, x->cs.b.len,
                      sodium_base64_VARIANT_ORIGINAL);
    buf_puts(x->b, "S\t");
    buf_puts(x->b, x->b64.s);
    buf_putc(x->b, '\n');
    x->lines++;
    cset_reset(&x->cs);
}

static int on_audit(void *arg, const audit_row *r)
{
    exp_ctx *x = arg;
    const char *op = r->op;
    const table *t = schema_table(&x->d->s, r->tbl);
    if (!t) {
        err_set(x->e, EXIT_DB, _("%s: the history names a register this one does not have: %s"),
                x->d->path, r->tbl);
        return 1;
    }
    if (strcmp(op, "update") == 0) {
        int ci = r->field && strcmp(r->field, BOUNDARY_FIELD) == 0 ? t->ncols
                 : r->field                                        ? table_col(t, r->field)
                                                                   : -1;
        if (ci < 0) {
            err_set(x->e, EXIT_DB, _("%s: the history names a column %s.%s this register does not have"),
                    x->d->path, t->id, r->field ? r->field : "(none)");
            return 1;
        }
        cset_update(&x->cs, t, r->row_id, ci, r->old, r->new_);
    } else {
        int ins = strcmp(op, "insert") == 0;
        char **v = db_json_values(x->d, t, ins ? r->new_ : r->old);
        if (ins)
            cset_insert(&x->cs, t, r->row_id, v);
        else
            cset_delete(&x->cs, t, r->row_id, v);
        for (int i = 0; i < t->ncols; i++)
            free(v[i]);
        free(v);
    }
    x->rows++;
    if (x->cs.b.len > (192u << 10))
        cs_line(x);
    if (x->w && x->b->len > (256u << 10)) {
        wr_flush(x->w, x->b, x->e);
        if (x->w->failed)
            return 1;
    }
    return 0;
}

/* The R lines of the conflicts change id resolved; 0 if it resolved none. */
static int64_t resolutions(db *d, int64_t id, exp_ctx *x)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT tbl, row_id, row_key, field, resolved_value"
                                      " FROM minreg_xchg_conflicts WHERE resolved_by = ?1"
                                      " AND resolved != 'agreed' ORDER BY id");
    int64_t n = 0;
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        buf_puts(x->b, "R");
        esc(x->b, col_text(st, 0));
        buf_printf(x->b, "\t%lld", (long long)sqlite3_column_int64(st, 1));
        esc(x->b, col_text(st, 2));
        esc(x->b, col_text(st, 3));
        esc(x->b, col_text(st, 4));
        buf_putc(x->b, '\n');
        n++;
        x->rows++;
        x->lines++;
    }
    sqlite3_reset(st);
    return n;
}

/* The O lines of change id: the changes of other sites it applied here,
 * relayed with their origin (the city passes one county's changes on to
 * the others); the number written. */
static int64_t origins(db *d, int64_t id, buf *b)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT site, their_id, their_at, their_who, kind, summary, digest"
                                      " FROM minreg_xchg_origin WHERE change_id = ?1 ORDER BY site, their_id");
    int64_t n = 0;
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        buf_printf(b, "O\t%d\t%lld", sqlite3_column_int(st, 0), (long long)sqlite3_column_int64(st, 1));
        for (int i = 2; i <= 6; i++)
            esc(b, col_text(st, i));
        buf_putc(b, '\n');
        n++;
    }
    sqlite3_reset(st);
    return n;
}

static int read_key(db *d, unsigned char *sk, mr_err *e)
{
    char *kp = key_path(d);
    char hex[2 * crypto_sign_SECRETKEYBYTES + 4];
    FILE *f = fopen(kp, "r");
    int rc = -1;
    size_t got = 0;
    struct stat sb;
    if (!f) {
        err_set(e, EXIT_IO, _("%s: cannot read this site's secret key: %s"), kp, strerror(errno));
    } else if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077)) {
        err_set(e, EXIT_IO, _("%s: the secret key may be read by others (mode %o): chmod 600 it"), kp,
                (unsigned)(sb.st_mode & 0777));
    } else if (!fgets(hex, sizeof hex, f) ||
               sodium_hex2bin(sk, crypto_sign_SECRETKEYBYTES, hex, strcspn(hex, "\n"), NULL, &got,
                              NULL) != 0 ||
               got != crypto_sign_SECRETKEYBYTES) {
        err_set(e, EXIT_DATA, _("%s: not a minreg secret key"), kp);
    } else {
        rc = 0;
    }
    if (f)
        fclose(f);
    sodium_memzero(hex, sizeof hex);
    free(kp);
    return rc;
}

int xchg_export(db *d, const char *partner, int64_t since, const char *path, xchg_stats *st,
                mr_err *e)
{
    xchg_site me, p;
    memset(st, 0, sizeof *st);
    if (need_self(d, &me, e) < 0 || find_partner(d, partner, &p, e) < 0)
        return -1;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    if (sodium_init() < 0 || read_key(d, sk, e) < 0)
        return -1;
    /* the key must be this site's: its public half is in the register */
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char pkhex[2 * crypto_sign_PUBLICKEYBYTES + 1];
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    if (strcmp(pkhex, me.pub) != 0) {
        sodium_memzero(sk, sizeof sk);
        err_set(e, EXIT_DATA, _("%s.key is not the key of site %s"), d->path, me.name);
        return -1;
    }
    if (since < 0)
        since = p.acked;
    snprintf(st->site, sizeof st->site, "%s", p.name);
    outfile *of = outfile_open(path, d->path, e);
    if (!of) {
        sodium_memzero(sk, sizeof sk);
        return -1;
    }
    wr w = {.fd = outfile_fd(of), .name = outfile_name(of)};
    crypto_sign_init(&w.sign);
    buf b = BUF_INIT;
    exp_ctx x = {.d = d, .b = &b, .cs = CSET_W_INIT, .b64 = BUF_INIT};
    char dg[80], their[80] = "";
    buf_puts(&b, MAGIC);
    buf_printf(&b, "from\t%d", me.code);
    esc(&b, me.name);
    buf_printf(&b, "\nto\t%d\n", p.code);
    digest_of(d, since, dg, sizeof dg);
    buf_printf(&b, "base\t%lld\t%s\n", (long long)since, dg);
    /* the partner's changes applied here, acknowledged */
    sqlite3_stmt *q = stmt_cached(d, "SELECT applied_digest FROM minreg_partners WHERE code = ?1");
    if (q) {
        sqlite3_bind_int(q, 1, p.code);
        if (sqlite3_step(q) == SQLITE_ROW)
            snprintf(their, sizeof their, "%s", col_text(q, 0));
        sqlite3_reset(q);
    }
    buf_printf(&b, "ack\t%lld\t%s\n", (long long)p.applied, their);
    x.lines = 5;
    int64_t head = since;
    sqlite3_stmt *cs = NULL;
    if (sqlite3_prepare_v2(d->h,
                           "SELECT c.id, c.at, c.who, c.kind, c.tbl, c.summary, c.comment,"
                           " lower(hex(ch.digest)) FROM minreg_changes c"
                           " LEFT JOIN minreg_chain ch ON ch.change_id = c.id"
                           " WHERE c.id > ?1 AND c.kind != 'seal' AND NOT EXISTS"
                           " (SELECT 1 FROM minreg_xchg_origin o WHERE o.change_id = c.id"
                           " AND o.site = ?2)"
                           " ORDER BY c.id",
                           -1, &cs, NULL) != SQLITE_OK) {
        db_error(d, e, "exchange export");
        goto fail;
    }
    sqlite3_bind_int64(cs, 1, since);
    sqlite3_bind_int(cs, 2, p.code);
    int rc;
    while ((rc = sqlite3_step(cs)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(cs, 0);
        buf_printf(&b, "C\t%lld", (long long)id);
        for (int i = 1; i <= 7; i++)
            esc(&b, col_text(cs, i));
        buf_putc(&b, '\n');
        x.lines++;
        st->changes++;
        x.lines += origins(d, id, &b);
        x.w = &w;
        x.e = e;
        if (resolutions(d, id, &x) == 0 && db_audit_each(d, id, 0, on_audit, &x) != 0) {
            if (!w.failed && !e->code)
                err_set(e, EXIT_DB, _("%s: cannot read change %lld's rows"), d->path, (long long)id);
            goto fail;
        }
        cs_line(&x);
        if (w.failed)
            goto fail;
        head = id;
    }
    if (rc != SQLITE_DONE) {
        db_error(d, e, "exchange export");
        goto fail;
    }
    sqlite3_finalize(cs);
    cs = NULL;
    digest_of(d, head, dg, sizeof dg);
    buf_printf(&b, "head\t%lld\t%s\n", (long long)head, dg);
    x.lines++;
    buf_printf(&b, "end\t%lld\n", (long long)x.lines);
    wr_flush(&w, &b, e);
    if (w.failed)
        goto fail;
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_final_create(&w.sign, sig, NULL, sk);
    sodium_memzero(sk, sizeof sk);
    char sighex[2 * crypto_sign_BYTES + 1];
    sodium_bin2hex(sighex, sizeof sighex, sig, sizeof sig);
    buf_printf(&b, "sig\t%s\n", sighex);
    crypto_sign_init(&w.sign);   /* the sig line itself is not signed */
    wr_flush(&w, &b, e);
    if (w.failed)
        goto fail;
    if (outfile_commit(of, e) < 0) {
        of = NULL;
        goto fail;
    }
    of = NULL;
    st->rows = x.rows;
    st->from = since;
    st->to = head;
    /* what was sent, for the :exchange screen (not the history) */
    if (db_begin(d, e) < 0)
        goto fail;
    sqlite3_stmt *u = stmt_cached(d, "UPDATE minreg_partners SET sent = ?2, sent_at = ?3 WHERE code = ?1");
    if (u) {
        sqlite3_bind_int(u, 1, p.code);
        sqlite3_bind_int64(u, 2, head);
        sqlite3_bind_text(u, 3, edit_now(), -1, SQLITE_TRANSIENT);
        sqlite3_step(u);
        sqlite3_reset(u);
    }
    if (db_commit(d, e) < 0)
        goto fail;
    buf_free(&b);
    cset_free(&x.cs);
    buf_free(&x.b64);
    return 0;
fail:
    sodium_memzero(sk, sizeof sk);
    sqlite3_finalize(cs);
    outfile_abort(of);
    buf_free(&b);
    cset_free(&x.cs);
    buf_free(&x.b64);
    return -1;
}

/* ---- apply ----------------------------------------------------------------- */

typedef struct {
    db *d;
    chg *c;
    xchg_site from;
    int county;               /* the sender is a county: its rows only */
    char dist[3][128];        /* its district's code, name, short name */
    int64_t their_id;
    xchg_stats *st;
    buf scratch;
    int64_t bulk_site;        /* the site range (rid / 10^9) of the rows added as runs, +1; 0: none yet */
} app_ctx;

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

static char **row_vals(db *d, const table *t, int64_t rid)
{
    buf j = BUF_INIT;
    char **v = db_row_json(d, t, rid, &j) ? db_json_values(d, t, buf_str(&j)) : NULL;
    buf_free(&j);
    return v;
}

static void vals_free(const table *t, char **v)
{
    if (!v)
        return;
    for (int i = 0; i < t->ncols; i++)
        free(v[i]);
    free(v);
}

static int same(const column *c, const char *a, const char *b)
{
    return value_same(c, a, b);
}

/* Does the sending county own a row with these values?  A register with a
 * column linked to the districts (not the districts themselves): when the
 * row names the county there.  Any other register is the city's. */
static int owns(app_ctx *a, const table *t, char **v)
{
    if (!a->county)
        return 1;
    for (int ci = 0; ci < t->ncols; ci++) {
        const column *c = &t->cols[ci];
        if (strcmp(c->link_tbl, "districts") != 0 || strcmp(t->id, "districts") == 0)
            continue;
        const char *val = v ? v[ci] : NULL;
        if (!val)
            return 0;
        /* a list (multi): every item must be the county's */
        char *cp = xstrdup(val), *save = NULL;
        int all = 1, any = 0;
        for (char *it = strtok_r(cp, ";", &save); it; it = strtok_r(NULL, ";", &save)) {
            while (*it == ' ')
                it++;
            int mine = 0;
            for (int k = 0; k < 3; k++)
                mine |= a->dist[k][0] && strcmp(it, a->dist[k]) == 0;
            all &= mine;
            any = 1;
        }
        free(cp);
        return any && all;
    }
    return 0;
}

static char *json_of(app_ctx *a, const table *t, int64_t rid)
{
    buf j = BUF_INIT;
    if (!db_row_json(a->d, t, rid, &j)) {
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
static int make_row(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json,
                    mr_err *e)
{
    if (a->c && unbulk(a, t, rid, e) < 0)
        return -1;
    char **cur = row_vals(a->d, t, rid);
    int rc = 0;
    if (!json) {
        if (cur && chg_delete(a->c, t, rid, e) < 0)
            rc = -1;
        else if (cur)
            a->st->rows++;
    } else {
        char **v = db_json_values(a->d, t, json);
        if (!cur) {
            rc = chg_insert(a->c, t, (const char *const *)v, rid, NULL, e);
            a->st->rows++;
        } else {
            for (int ci = 0; rc == 0 && ci < t->ncols; ci++)
                if (!same(&t->cols[ci], cur[ci], v[ci])) {
                    rc = chg_update(a->c, t, rid, key, ci, cur[ci], v[ci], e);
                    a->st->rows++;
                }
        }
        vals_free(t, v);
    }
    vals_free(t, cur);
    return rc;
}

/* A row this change added as part of a run, about to change again in the
 * same change: taken out of the run and added as an audited row of its
 * own, so that the run's sums stay the rows as added. */
static int unbulk(app_ctx *a, const table *t, int64_t rid, mr_err *e)
{
    if (!chg_bulk_table(a->c, t) || !chg_added(a->c, rid))
        return 0;
    char **v = row_vals(a->d, t, rid);
    int rc = !v || chg_unadd(a->c, t, rid, e) < 0 ||
                     chg_insert(a->c, t, (const char *const *)v, rid, NULL, e) < 0
                 ? -1
                 : 0;
    vals_free(t, v);
    return rc;
}

static const table *line_table(app_ctx *a, const char *id, mr_err *e)
{
    const table *t = id ? schema_table(&a->d->s, id) : NULL;
    if (!t)
        err_set(e, EXIT_DATA, _("the change file names a register this one does not have: %s"),
                id ? id : "(none)");
    return t;
}

/* A row added there (v: its values, json: the same as JSON). */
static int apply_insert_v(app_ctx *a, const table *t, int64_t rid, const char *key, char **v,
                          const char *json, mr_err *e)
{
    char **cur = db_row_exists(a->d, t, rid) ? row_vals(a->d, t, rid) : NULL;
    int rc = 0;
    if (cur) {
        /* there already (sent before, or made the same there and here) */
        int diff = 0;
        for (int ci = 0; ci < t->ncols; ci++)
            diff |= !same(&t->cols[ci], cur[ci], v[ci]);
        if (diff) {
            char *mine = json_of(a, t, rid);
            rc = conflict(a, "field", t, rid, key, NULL, NULL, mine, json, e);
            free(mine);
        }
    } else if (!owns(a, t, v)) {
        rc = conflict(a, "owner", t, rid, key, NULL, NULL, NULL, json, e);
    } else {
        int64_t other;
        if (key && *key && db_find_by(a->d, t, t->key_ci, key, &other, NULL) == DB_FOUND &&
            db_is_unique_col(a->d, t, t->key_ci)) {
            char *mine = json_of(a, t, other);
            rc = conflict(a, "duplicate", t, rid, key, NULL, NULL, mine, json, e);
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
    vals_free(t, cur);
    return rc;
}

static int apply_insert(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json,
                        mr_err *e)
{
    char **v = db_json_values(a->d, t, json);
    int rc = apply_insert_v(a, t, rid, key, v, json, e);
    vals_free(t, v);
    return rc;
}

static int apply_update(app_ctx *a, const table *t, int64_t rid, const char *key, const char *field,
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
    char **cur = row_vals(a->d, t, rid);
    int rc = 0;
    if (!cur) {
        /* deleted here, changed there: never a silent loss */
        char *was = deleted_json(a, t, rid);
        char *theirs = json_set(a, was, field, new_);
        rc = conflict(a, "deleted_here", t, rid, key, NULL, was, NULL, theirs, e);
        free(was);
        free(theirs);
    } else if (same(c, cur[ci], new_)) {
        if (has_open(a, t, rid, field))
            rc = agreed(a, t, rid, field, e);
    } else if (!owns(a, t, cur)) {
        rc = conflict(a, "owner", t, rid, key, field, old, cur[ci], new_, e);
    } else if (same(c, cur[ci], old) && !has_open(a, t, rid, field)) {
        char **after = NULL;
        if (a->county && !strcmp(c->link_tbl, "districts")) {
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
        vals_free(t, after);
    } else {
        rc = conflict(a, "field", t, rid, key, field, old, cur[ci], new_, e);
    }
    vals_free(t, cur);
    return rc;
}

/* A row deleted there (was: its values as they were, json: the same). */
static int apply_delete_v(app_ctx *a, const table *t, int64_t rid, const char *key, char **was,
                          const char *json, mr_err *e)
{
    if (unbulk(a, t, rid, e) < 0)
        return -1;
    char **cur = row_vals(a->d, t, rid);
    int rc = 0;
    if (!cur)
        return 0;   /* gone here too */
    int diff = 0;
    for (int ci = 0; ci < t->ncols; ci++)
        diff |= !same(&t->cols[ci], cur[ci], was[ci]);
    char *mine = json_of(a, t, rid);
    if (!owns(a, t, cur))
        rc = conflict(a, "owner", t, rid, key, NULL, json, mine, NULL, e);
    else if (diff || has_open(a, t, rid, NULL))
        rc = conflict(a, "deleted_there", t, rid, key, NULL, json, mine, NULL, e);
    else {
        rc = chg_delete(a->c, t, rid, e);
        a->st->rows++;
    }
    free(mine);
    vals_free(t, cur);
    return rc;
}

static int apply_delete(app_ctx *a, const table *t, int64_t rid, const char *key, const char *json,
                        mr_err *e)
{
    char **was = db_json_values(a->d, t, json);
    int rc = apply_delete_v(a, t, rid, key, was, json, e);
    vals_free(t, was);
    return rc;
}

static int apply_resolved(app_ctx *a, const table *t, int64_t rid, const char *key, const char *field,
                          const char *value, mr_err *e)
{
    if (!field) {
        if (make_row(a, t, rid, key, value, e) < 0)
            return -1;
        return agreed(a, t, rid, NULL, e);
    }
    if (!strcmp(field, BOUNDARY_FIELD)) {
        if (unbulk(a, t, rid, e) < 0)
            return -1;
        char *here = db_row_exists(a->d, t, rid) ? db_shape_text(a->d, t->id, rid) : NULL;
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
    char **cur = row_vals(a->d, t, rid);
    int rc = 0;
    if (cur && !same(&t->cols[ci], cur[ci], value)) {
        rc = chg_update(a->c, t, rid, key, ci, cur[ci], value, e);
        a->st->rows++;
    }
    vals_free(t, cur);
    return rc < 0 ? -1 : agreed(a, t, rid, field, e);
}

/* The key of row rid here (as it is, or as it was deleted), for the
 * audit and the conflicts: an update's changeset carries only the rid. */
static char *key_here(app_ctx *a, const table *t, int64_t rid)
{
    if (t->key_ci < 0)
        return NULL;
    char **cur = row_vals(a->d, t, rid);
    char *k = NULL;
    if (!cur) {
        char *was = deleted_json(a, t, rid);
        cur = was ? db_json_values(a->d, t, was) : NULL;
        free(was);
    }
    if (cur && cur[t->key_ci])
        k = xstrdup(cur[t->key_ci]);
    vals_free(t, cur);
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
    char *cur = db_shape_text(a->d, t->id, rid);
    const char *c = cur ? cur : "", *o = old ? old : "", *n = new_ ? new_ : "";
    int rc = 0;
    if (!strcmp(c, n)) {
        if (has_open(a, t, rid, BOUNDARY_FIELD))
            rc = agreed(a, t, rid, BOUNDARY_FIELD, e);
    } else if (!strcmp(c, o) && !has_open(a, t, rid, BOUNDARY_FIELD)) {
        char **cv = a->county ? row_vals(a->d, t, rid) : NULL;
        if (a->county && !owns(a, t, cv))
            rc = conflict(a, "owner", t, rid, key, BOUNDARY_FIELD, old, cur, new_, e);
        else {
            rc = chg_set_boundary(a->c, t, rid, key, new_, e);
            a->st->rows++;
        }
        vals_free(t, cv);
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
                 : apply_update(a, t, c->rid, key, t->cols[c->ci].id, c->old, c->new_, e);
        free(key);
        return rc < 0 ? -1 : 0;
    }
    const char *key = t->key_ci >= 0 ? c->vals[t->key_ci] : NULL;
    buf_reset(&a->scratch);
    cset_json(t, c->vals, &a->scratch);
    rc = c->op == CSET_INSERT ? apply_insert_v(a, t, c->rid, key, c->vals, buf_str(&a->scratch), e)
                              : apply_delete_v(a, t, c->rid, key, c->vals, buf_str(&a->scratch), e);
    return rc < 0 ? -1 : 0;
}

/* An S line: its changeset, change by change. */
static int apply_cset(app_ctx *a, const char *b64, mr_err *e)
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
    sqlite3_bind_int64(st, 2, num64(f[2]));
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
    if (need_self(d, &me, e) < 0)
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
    if (partner_get(d, NULL, from, &a.from) < 0)
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
            int k = split(line_at(line, n), f, 12);
            if (!strcmp(f[0], "to") && k >= 2)
                h.to = atoi(f[1] ? f[1] : "0");
            else if (!strcmp(f[0], "base") && k >= 3)
                h.base = num64(f[1]), snprintf(h.base_dg, sizeof h.base_dg, "%s", f[2] ? f[2] : "");
            else if (!strcmp(f[0], "head") && k >= 3)
                h.head = num64(f[1]), snprintf(h.head_dg, sizeof h.head_dg, "%s", f[2] ? f[2] : "");
            else if (!strcmp(f[0], "ack") && k >= 3)
                h.ack = num64(f[1]), snprintf(h.ack_dg, sizeof h.ack_dg, "%s", f[2] ? f[2] : "");
            else if (!strcmp(f[0], "end") && k >= 2) {
                h.endn = num64(f[1]);
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
    a.county = strcmp(a.from.role, "county") == 0;
    {
        sqlite3_stmt *q = stmt_cached(d, "SELECT code, name, short_name FROM districts WHERE code = ?1");
        if (q) {
            char c6[16];
            snprintf(c6, sizeof c6, "%d", a.from.code);
            sqlite3_bind_text(q, 1, c6, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(q) == SQLITE_ROW)
                for (int k = 0; k < 3; k++)
                    snprintf(a.dist[k], sizeof a.dist[k], "%s", col_text(q, k) ? col_text(q, k) : "");
            sqlite3_reset(q);
        }
    }
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
        digest_of(d, h.ack, mine_dg, sizeof mine_dg);
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
        int k = split(line_at(line, n), f, 12);
        if (!strcmp(f[0], "C") && k >= 9) {
            a.their_id = num64(f[1]);
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
            if (apply_cset(&a, f[1], e) < 0)
                goto rollback;
            if (db_interrupted(d) || db_cancel_asked(d, e))
                goto rollback;
            continue;
        }
        if (k < 5 || !(t = line_table(&a, f[1], e)))
            goto bad;
        int64_t rid = num64(f[2]);
        int r;
        if (f[0][0] == 'I' && k == 5)
            r = apply_insert(&a, t, rid, f[3], f[4], e);
        else if (f[0][0] == 'D' && k == 5)
            r = apply_delete(&a, t, rid, f[3], f[4], e);
        else if (f[0][0] == 'U' && k == 7)
            r = apply_update(&a, t, rid, f[3], f[4], f[5], f[6], e);
        else if (f[0][0] == 'R' && k == 6)
            r = apply_resolved(&a, t, rid, f[3], f[4], f[5], e);
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
    char **cur = row_vals(d, t, rid);
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
        char *here = db_shape_text(d, t->id, rid);
        const char *want = how && !strcmp(how, "mine") ? here : how ? theirs : value;
        if (strcmp(here ? here : "", want ? want : "") != 0 &&
            chg_set_boundary(c, t, rid, key, want, e) < 0) {
            free(here);
            vals_free(t, cur);
            goto out;
        }
        final = want ? xstrdup(want) : NULL;
        free(here);
    } else if (field) {
        const char *want = how && !strcmp(how, "mine") ? (cur ? cur[ci] : NULL)
                           : how                       ? theirs
                                                       : value;
        if (cur && !same(&t->cols[ci], cur[ci], want) &&
            chg_update(c, t, rid, key, ci, cur[ci], want, e) < 0) {
            vals_free(t, cur);
            goto out;
        }
        final = want ? xstrdup(want) : NULL;
    } else if (!strcmp(how, "mine")) {
        final = json_of(&a, t, rid);
    } else {
        if (make_row(&a, t, rid, key, theirs, e) < 0) {
            vals_free(t, cur);
            goto out;
        }
        final = theirs ? xstrdup(theirs) : NULL;
    }
    vals_free(t, cur);
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
