/* db_xchg_export.c — writing a change file for a partner (xchg_export):
 * every change made here, or relayed from another site, that the partner
 * has not acknowledged, its rows as changesets (db_xchg_cset.c), streamed
 * and signed as it goes out.  The format is in db_xchg.c. */
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
        const char *json = ins ? r->new_ : r->old;
        char **v = cset_json_values(t, json);
        if (!v)
            v = xchg_json_vals(x->d, t, json);
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
        xchg_esc(x->b, col_text(st, 0));
        buf_printf(x->b, "\t%lld", (long long)sqlite3_column_int64(st, 1));
        xchg_esc(x->b, col_text(st, 2));
        xchg_esc(x->b, col_text(st, 3));
        xchg_esc(x->b, col_text(st, 4));
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
            xchg_esc(b, col_text(st, i));
        buf_putc(b, '\n');
        n++;
    }
    sqlite3_reset(st);
    return n;
}

static int read_key(db *d, unsigned char *sk, mr_err *e)
{
    char *kp = xchg_key_path(d);
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
    if (xchg_need_self(d, &me, e) < 0 || xchg_find_partner(d, partner, &p, e) < 0)
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
    xchg_esc(&b, me.name);
    buf_printf(&b, "\nto\t%d\n", p.code);
    xchg_digest_of(d, since, dg, sizeof dg);
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
            xchg_esc(&b, col_text(cs, i));
        buf_putc(&b, '\n');
        x.lines++;
        st->changes++;
        x.lines += origins(d, id, &b);
        x.w = &w;
        x.e = e;
        if (resolutions(d, id, &x) == 0 && db_audit_each(d, id, 0, on_audit, &x, e) != 0) {
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
    xchg_digest_of(d, head, dg, sizeof dg);
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

