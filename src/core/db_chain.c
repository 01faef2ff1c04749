/* db_chain.c — the tamper-evident history: digests, row sums, verify.
 *
 * Part of the db module.  Every change carries a digest (SHA-256, from
 * libsodium) chained to the previous change's, over a canonical encoding
 * of the change's record (all of it but undone_by), its audit rows, its runs
 * of added rows and its row sums.  The digests are written in the change's
 * own transaction, by db_commit.  Row sums are 8 bytes of SHA-256 over a
 * row's values as written (canonical text per column, below), stored in
 * rid order per run: for the rows an import adds (computed by the import's
 * reader, not its writer) and, in the 'seal' change that starts the chain
 * of a register that had none, for every row there was.
 *
 * verify recomputes the chain and checks each row of every register against
 * it: starting from the row as it is, it unwinds the row's audited updates,
 * newest first (each must find the new value it recorded), down to where
 * the row came from: an audited add (compared field by field with the row as
 * added), or a run of row sums (compared with the sum).  What does not match
 * was changed outside minreg.  A digest that recomputes differently names a
 * change whose record, audit rows or sums were altered; a change without a
 * digest was inserted; a digest without a change names one removed.  What
 * a clerk can be shown is the head digest: a history cut short or rewritten
 * whole no longer holds the head recorded earlier (verify --head).
 *
 * The chain has no key: it shows tampering to whoever kept an earlier head,
 * it does not stop someone who can write the file from forging a new one.
 */
#include "config.h"

#include "db_int.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "i18n.h"
#include "validate.h"

static const char chain_tag[] = "minreg-chain-1";

/* ---- canonical values ------------------------------------------------------ */

/* A value's canonical form, what row sums and verify compare: 'i' and 8
 * bytes for an integer, or a REAL that is a whole number below 2^53 (so a
 * value stored as INTEGER or as REAL is the same value); 'r' and the 8
 * bytes of any other REAL; 't' and the bytes of text.  Bytes, not text:
 * formatting a REAL for every row of an import would cost more than the
 * rest of the sum. */
static void canon_int(int64_t n, buf *out)
{
    char b[9] = {'i'};
    for (int k = 0; k < 8; k++)
        b[1 + k] = (char)(unsigned char)((uint64_t)n >> (8 * k));
    buf_add(out, b, 9);
}

static void canon_real(double x, buf *out)
{
    if (x == (double)(long long)x && x > -9007199254740992.0 && x < 9007199254740992.0) {
        canon_int((int64_t)x, out);
        return;
    }
    uint64_t v;
    memcpy(&v, &x, 8);
    char b[9] = {'r'};
    for (int k = 0; k < 8; k++)
        b[1 + k] = (char)(unsigned char)(v >> (8 * k));
    buf_add(out, b, 9);
}

int canon_text(col_type type, const char *v, buf *out)
{
    buf_reset(out);
    if (!v || !*v)
        return 0;   /* empty is written as NULL */
    double x;
    switch (db_as_stored_num(type, v, &x)) {
    case 1:
        canon_int(strtoll(v, NULL, 10), out);
        break;
    case 2:
        canon_real(x, out);
        break;
    default:
        buf_putc(out, 't');
        buf_puts(out, v);
    }
    return 1;
}

int canon_col(sqlite3_stmt *st, int i, buf *out)
{
    buf_reset(out);
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return 0;
    case SQLITE_INTEGER:
        canon_int(sqlite3_column_int64(st, i), out);
        return 1;
    case SQLITE_FLOAT:
        canon_real(sqlite3_column_double(st, i), out);
        return 1;
    default: {
        const void *p = sqlite3_column_blob(st, i);
        int n = sqlite3_column_bytes(st, i);
        if (n == 0)   /* '' and an empty blob: SQLite keeps them, minreg never writes them */
            return 2;
        buf_putc(out, 't');
        buf_add(out, p, (size_t)n);
        return 1;
    }
    }
}

void canon_show(const buf *c, buf *out)
{
    buf_reset(out);
    if (c->len == 9 && (c->s[0] == 'i' || c->s[0] == 'r')) {
        uint64_t v = 0;
        for (int k = 7; k >= 0; k--)
            v = v << 8 | (unsigned char)c->s[1 + k];
        if (c->s[0] == 'i') {
            buf_printf(out, "%lld", (long long)(int64_t)v);
        } else {
            double x;
            memcpy(&x, &v, 8);
            char n[NUM_MAX];
            buf_add(out, n, (size_t)num_format(x, n));
        }
    } else if (c->len > 0) {
        buf_add(out, c->s + 1, c->len - 1);
    }
}

/* One value into a row's encoding: a tag (0 null, 1 value, 2 the empty
 * string) and, for a value, its length (8 bytes) and bytes. */
static void sum_value(buf *enc, int have, const char *p, size_t n)
{
    char hd[9];
    hd[0] = (char)have;
    if (have != 1) {
        buf_add(enc, hd, 1);
        return;
    }
    for (int i = 0; i < 8; i++)
        hd[1 + i] = (char)(unsigned char)((uint64_t)n >> (8 * i));
    buf_add(enc, hd, 9);
    if (n)
        buf_add(enc, p, n);
}

/* A row sum: BLAKE2b (libsodium's generichash, its fastest) over the
 * row's encoding, cut to DB_SUM bytes.  One call per row: a row sum is
 * made for every row an import adds. */
static void sum_done(buf *enc, unsigned char out[DB_SUM])
{
    unsigned char full[crypto_generichash_BYTES_MIN];
    crypto_generichash(full, sizeof full, (const unsigned char *)(enc->s ? enc->s : ""), enc->len,
                       NULL, 0);
    memcpy(out, full, DB_SUM);
}

/* A field's byte: FNV-1a (32 bits, folded to 8) over the field's part of
 * the row's encoding.  Not evidence — the row sum is — but the way verify
 * names the field a changed row differs in. */
static unsigned char field_byte(const buf *enc, size_t from)
{
    uint32_t h = 2166136261u;
    for (size_t i = from; i < enc->len; i++)
        h = (h ^ (unsigned char)enc->s[i]) * 16777619u;
    return (unsigned char)(h ^ h >> 8 ^ h >> 16 ^ h >> 24);
}

/* A column a migration appended (role 'appended', schema 6): while empty
 * it adds nothing to the row's encoding, so a row written before it
 * existed keeps its sum; once set it goes in after a tag (3) and its name,
 * so it cannot be mistaken for another appended column's value. */
static int appended_skip(buf *enc, const column *c, int have)
{
    if (!c->appended)
        return 0;
    if (have != 1)
        return 1;
    size_t n = strlen(c->id);
    char hd[9] = {3};
    for (int k = 0; k < 8; k++)
        hd[1 + k] = (char)(unsigned char)((uint64_t)n >> (8 * k));
    buf_add(enc, hd, 9);
    buf_add(enc, c->id, n);
    return 0;
}

void db_row_sum(const table *t, const char *const *vals, db_sum_scratch *w,
                unsigned char out[DB_SUM], unsigned char *fout)
{
    buf_reset(&w->enc);
    for (int i = 0; i < t->ncols; i++) {
        size_t at = w->enc.len;
        col_type ty = t->cols[i].type;
        if (t->cols[i].appended) {
            int have = canon_text(ty, vals[i], &w->v);
            if (!appended_skip(&w->enc, &t->cols[i], have))
                sum_value(&w->enc, have, w->v.s, w->v.len);
        } else if (vals[i] && *vals[i] && ty != COL_INT && ty != COL_YEAR && ty != COL_DEC) {
            /* text, the most of a row: straight into the encoding, as
             * canon_text then sum_value would put it */
            size_t n = strlen(vals[i]) + 1;
            char hd[10] = {1};
            for (int k = 0; k < 8; k++)
                hd[1 + k] = (char)(unsigned char)((uint64_t)n >> (8 * k));
            hd[9] = 't';
            buf_add(&w->enc, hd, 10);
            buf_add(&w->enc, vals[i], n - 1);
        } else {
            int have = canon_text(ty, vals[i], &w->v);
            sum_value(&w->enc, have, w->v.s, w->v.len);
        }
        if (fout)
            fout[i] = field_byte(&w->enc, at);
    }
    sum_done(&w->enc, out);
}

/* The sum of canonical values vals[] (have[] as canon_* returned), and
 * (fout not NULL) each field's byte. */
void db_sum_texts(const table *t, buf *vals, const int *have, unsigned char out[DB_SUM],
                  unsigned char *fout)
{
    buf enc = BUF_INIT;
    for (int i = 0; i < t->ncols; i++) {
        size_t at = enc.len;
        if (!appended_skip(&enc, &t->cols[i], have[i]))
            sum_value(&enc, have[i], vals[i].s, vals[i].len);
        if (fout)
            fout[i] = field_byte(&enc, at);
    }
    sum_done(&enc, out);
    buf_free(&enc);
}

/* ---- the chain ------------------------------------------------------------- */

/* Column i of st into the digest: its type, length and bytes as stored. */
static void digest_col(crypto_hash_sha256_state *h, sqlite3_stmt *st, int i)
{
    unsigned char hd[9];
    int ty = sqlite3_column_type(st, i);
    hd[0] = (unsigned char)ty;
    uint64_t n = 0;
    unsigned char num[8];
    const unsigned char *p = num;
    if (ty == SQLITE_INTEGER) {
        uint64_t v = (uint64_t)sqlite3_column_int64(st, i);
        for (int k = 0; k < 8; k++)
            num[k] = (unsigned char)(v >> (8 * k));
        n = 8;
    } else if (ty == SQLITE_FLOAT) {
        double x = sqlite3_column_double(st, i);
        uint64_t v;
        memcpy(&v, &x, 8);
        for (int k = 0; k < 8; k++)
            num[k] = (unsigned char)(v >> (8 * k));
        n = 8;
    } else if (ty != SQLITE_NULL) {
        p = sqlite3_column_blob(st, i);
        n = (uint64_t)sqlite3_column_bytes(st, i);
    }
    for (int k = 0; k < 8; k++)
        hd[1 + k] = (unsigned char)(n >> (8 * k));
    crypto_hash_sha256_update(h, hd, 9);
    if (n)
        crypto_hash_sha256_update(h, p, n);
}

static void digest_rows(crypto_hash_sha256_state *h, sqlite3_stmt *st, int64_t change, int ncols)
{
    sqlite3_bind_int64(st, 1, change);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++)
            digest_col(h, st, i);
    }
    sqlite3_reset(st);
    unsigned char end = 0xff;   /* one section from the next */
    crypto_hash_sha256_update(h, &end, 1);
}

/* A section only a change that has rows in it adds to its digest (the
 * field bytes, since schema 5): the digests of changes made before stay
 * as they were. */
static void digest_rows_if(crypto_hash_sha256_state *h, sqlite3_stmt *st, int64_t change,
                           int ncols, unsigned char tag)
{
    sqlite3_bind_int64(st, 1, change);
    int any = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (!any++)
            crypto_hash_sha256_update(h, &tag, 1);
        for (int i = 0; i < ncols; i++)
            digest_col(h, st, i);
    }
    sqlite3_reset(st);
    if (any) {
        unsigned char end = 0xff;
        crypto_hash_sha256_update(h, &end, 1);
    }
}

/* The digest of change id after prev (32 bytes; NULL: the first).  -1 if
 * there is no such change or the audit trail cannot be read. */
int db_digest_change(db *d, int64_t id, const unsigned char *prev,
                         unsigned char out[crypto_hash_sha256_BYTES])
{
    sqlite3_stmt *ch = stmt_cached(d,
        "SELECT id, at, who, kind, tbl, summary, comment, undoes FROM minreg_changes WHERE id = ?1");
    sqlite3_stmt *au = stmt_cached(d,
        "SELECT id, tbl, row_id, row_key, op, field, old, new FROM minreg_audit"
        " WHERE change_id = ?1 ORDER BY id");
    sqlite3_stmt *ad = stmt_cached(d,
        "SELECT tbl, first_row, last_row FROM minreg_audit_added WHERE change_id = ?1"
        " ORDER BY tbl, first_row");
    sqlite3_stmt *su = stmt_cached(d,
        "SELECT tbl, first_row, sums FROM minreg_sums WHERE change_id = ?1 ORDER BY tbl, first_row");
    sqlite3_stmt *fs = stmt_cached(d,
        "SELECT tbl, first_row, sums FROM minreg_fsums WHERE change_id = ?1 ORDER BY tbl, first_row");
    if (!ch || !au || !ad || !su || !fs)
        return -1;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)chain_tag, sizeof chain_tag);
    static const unsigned char zero[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_update(&h, prev ? prev : zero, crypto_hash_sha256_BYTES);
    /* change 0 is the start of a new register's chain: its sums alone */
    sqlite3_bind_int64(ch, 1, id);
    int found = sqlite3_step(ch) == SQLITE_ROW;
    if (found)
        for (int i = 0; i < 8; i++)
            digest_col(&h, ch, i);
    sqlite3_reset(ch);
    if (!found && id != 0)
        return -1;
    digest_rows(&h, au, id, 8);
    digest_rows(&h, ad, id, 3);
    digest_rows(&h, su, id, 3);
    digest_rows_if(&h, fs, id, 3, 'f');
    crypto_hash_sha256_final(&h, out);
    return 0;
}

/* The stored digest of the last chained change (its id into *id, 0 when
 * none) into out; 1 if there is one. */
static int chain_last(db *d, int64_t *id, unsigned char out[crypto_hash_sha256_BYTES])
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT change_id, digest FROM minreg_chain ORDER BY change_id DESC LIMIT 1");
    *id = 0;
    if (!st)
        return -1;
    int have = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == crypto_hash_sha256_BYTES) {
        *id = sqlite3_column_int64(st, 0);
        memcpy(out, sqlite3_column_blob(st, 1), crypto_hash_sha256_BYTES);
        have = 1;
    }
    sqlite3_reset(st);
    return have;
}

/* Chain the changes after the last chained one; with no chain yet, only
 * when force (the seal: every change from the first). */
static int chain_from(db *d, int force)
{
    unsigned char prev[crypto_hash_sha256_BYTES], cur[crypto_hash_sha256_BYTES];
    int64_t last;
    int have = chain_last(d, &last, prev);
    /* no chain yet (a register being made, or one a write-open seals next) */
    if (have == 0 && !force)
        return 0;
    if (have < 0)
        return -1;
    sqlite3_stmt *nx = stmt_cached(d, "SELECT id FROM minreg_changes WHERE id > ?1 ORDER BY id");
    sqlite3_stmt *put = stmt_cached(d, "INSERT INTO minreg_chain (change_id, digest) VALUES (?1, ?2)");
    if (!nx || !put)
        return -1;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_bind_int64(nx, 1, last);
    while (sqlite3_step(nx) == SQLITE_ROW) {
        if (n == cap)
            ids = xrealloc(ids, sizeof *ids * (cap = cap ? cap * 2 : 8));
        ids[n++] = sqlite3_column_int64(nx, 0);
    }
    int rc = sqlite3_errcode(d->h) == SQLITE_DONE || sqlite3_errcode(d->h) == SQLITE_OK ? 0 : -1;
    sqlite3_reset(nx);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (db_digest_change(d, ids[i], have ? prev : NULL, cur) < 0) {
            rc = -1;
            break;
        }
        sqlite3_bind_int64(put, 1, ids[i]);
        sqlite3_bind_blob(put, 2, cur, sizeof cur, SQLITE_STATIC);
        if (sqlite3_step(put) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset(put);
        memcpy(prev, cur, sizeof prev);
        have = 1;
    }
    free(ids);
    return rc;
}

int db_chain_pending(db *d) { return chain_from(d, 0); }

/* One run's blob into minreg_sums or minreg_fsums (sql: its INSERT). */
static int put_run(db *d, const char *sql, int64_t change, const char *tbl, int64_t first,
                   const unsigned char *blob, size_t len, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, sql);
    if (!st)
        return db_error(d, e, NULL);
    sqlite3_bind_int64(st, 1, change);
    sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, first);
    sqlite3_bind_blob64(st, 4, blob, (sqlite3_uint64)len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : db_error(d, e, NULL);
}

int db_sums_add(db *d, int64_t change, const char *tbl, int64_t first, const unsigned char *sums,
                const unsigned char *fsums, size_t fper, size_t n, mr_err *e)
{
    if (fsums && fper &&
        put_run(d, "INSERT INTO minreg_fsums (change_id, tbl, first_row, sums) VALUES (?1, ?2, ?3, ?4)",
                change, tbl, first, fsums, n * fper, e) < 0)
        return -1;
    return put_run(d, "INSERT INTO minreg_sums (change_id, tbl, first_row, sums) VALUES (?1, ?2, ?3, ?4)",
                   change, tbl, first, sums, n * DB_SUM, e);
}

/* "SELECT rid, c1, ... FROM t" into q. */
static void select_row(buf *q, const table *t)
{
    buf_puts(q, "SELECT rid");
    for (int i = 0; i < t->ncols; i++) {
        buf_puts(q, ", ");
        put_ident(q, t->cols[i].id);
    }
    buf_puts(q, " FROM ");
    put_ident(q, t->id);
}

/* Sums of the rows of t with rids lo..hi as they are now, as runs of
 * consecutive rids, for change. */
static int sums_of(db *d, const table *t, int64_t change, int64_t lo, int64_t hi, int64_t *rows,
                   mr_err *e)
{
    buf q = BUF_INIT;
    select_row(&q, t);
    buf_puts(&q, " WHERE rid BETWEEN ?1 AND ?2 ORDER BY rid");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, buf_str(&q), -1, &st, NULL) == SQLITE_OK ? 0 : -1;
    buf_free(&q);
    if (rc < 0)
        return db_error(d, e, NULL);
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    buf *vals = xcalloc((size_t)t->ncols, sizeof *vals);
    int *have = xcalloc((size_t)t->ncols, sizeof *have);
    unsigned char *run = NULL, *frun = NULL;
    size_t n = 0, cap = 0, nc = (size_t)t->ncols;
    int64_t first = 0, next = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        int64_t rid = sqlite3_column_int64(st, 0);
        if (n && (rid != next || n >= 1 << 20)) {   /* a gap, or a run of a million rows */
            rc = db_sums_add(d, change, t->id, first, run, frun, nc, n, e);
            n = 0;
        }
        if (!n)
            first = rid;
        for (int i = 0; i < t->ncols; i++)
            have[i] = canon_col(st, i + 1, &vals[i]);
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            run = xrealloc(run, DB_SUM * cap);
            frun = xrealloc(frun, nc * cap);
        }
        db_sum_texts(t, vals, have, run + n * DB_SUM, frun + n * nc);
        n++;
        next = rid + 1;
        (*rows)++;
    }
    if (rc == 0 && sqlite3_errcode(d->h) != SQLITE_DONE && sqlite3_errcode(d->h) != SQLITE_ROW &&
        sqlite3_errcode(d->h) != SQLITE_OK)
        rc = db_error(d, e, NULL);
    if (rc == 0 && n)
        rc = db_sums_add(d, change, t->id, first, run, frun, nc, n, e);
    sqlite3_finalize(st);
    for (int i = 0; i < t->ncols; i++)
        buf_free(&vals[i]);
    free(vals);
    free(have);
    free(run);
    free(frun);
    return rc;
}

int db_sums_rows(db *d, int64_t change, const table *t, int64_t first, int64_t last, mr_err *e)
{
    int64_t rows = 0;
    return sums_of(d, t, change, first, last, &rows, e);
}

/* The changes undone before the chain began, as (id, undone_by) pairs of
 * 8-byte little-endian numbers: verify takes them as given. */
static int seal_undone(db *d, int64_t change, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d,
        "SELECT id, undone_by FROM minreg_changes WHERE undone_by IS NOT NULL ORDER BY id");
    if (!st)
        return db_error(d, e, NULL);
    unsigned char *p = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n + 16 > cap)
            p = xrealloc(p, cap = cap ? cap * 2 : 256);
        for (int k = 0; k < 2; k++) {
            uint64_t v = (uint64_t)sqlite3_column_int64(st, k);
            for (int b = 0; b < 8; b++)
                p[n++] = (unsigned char)(v >> (8 * b));
        }
    }
    sqlite3_reset(st);
    int rc = 0;
    if (n)   /* tbl '' is no register: two sums per pair */
        rc = db_sums_add(d, change, "", 0, p, NULL, 0, n / DB_SUM, e);
    free(p);
    return rc;
}

int db_chain_start(db *d, mr_err *e)
{
    if (d->readonly)
        return 0;
    sqlite3_stmt *st = stmt_cached(d, "SELECT 1 FROM minreg_chain LIMIT 1");
    if (!st)
        return db_error(d, e, NULL);
    int chained = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (chained)
        return 0;
    if (db_begin(d, e) < 0)
        return -1;
    /* another clerk may have sealed it while we waited for the lock */
    chained = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (chained) {
        db_rollback(d);
        return 0;
    }
    /* a history: the seal is a change of its own, chained after it; none
     * (a new register): the chain starts at 0 with the rows as loaded */
    sqlite3_stmt *any = stmt_cached(d, "SELECT 1 FROM minreg_changes LIMIT 1");
    if (!any) {
        db_rollback(d);
        return db_error(d, e, NULL);
    }
    int history = sqlite3_step(any) == SQLITE_ROW;
    sqlite3_reset(any);
    int64_t change = history ? db_change_add(d, edit_now(), edit_who(), "seal", "",
                                             "history chained from here, with every row as it is",
                                             "", 0, e)
                             : 0;
    int64_t rows = 0;
    int rc = change >= 0 && (change > 0 || !history) ? 0 : -1;
    for (int i = 0; rc == 0 && i < d->s.ntables; i++)
        rc = sums_of(d, &d->s.tables[i], change, INT64_MIN, INT64_MAX, &rows, e);
    if (rc == 0 && history)
        rc = seal_undone(d, change, e);
    if (rc == 0 && !history) {
        unsigned char g[crypto_hash_sha256_BYTES];
        sqlite3_stmt *put = stmt_cached(d, "INSERT INTO minreg_chain (change_id, digest) VALUES (0, ?1)");
        rc = put && db_digest_change(d, 0, NULL, g) == 0 ? 0 : -1;
        if (rc == 0) {
            sqlite3_bind_blob(put, 1, g, sizeof g, SQLITE_STATIC);
            rc = sqlite3_step(put) == SQLITE_DONE ? 0 : -1;
            sqlite3_reset(put);
        }
        if (rc < 0)
            db_error(d, e, NULL);
    }
    if (rc == 0 && history && chain_from(d, 1) < 0)
        rc = db_error(d, e, NULL);
    if (rc < 0) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d, e);
}
