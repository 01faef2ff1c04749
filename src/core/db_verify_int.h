/* db_verify_int.h — shared by db_verify.c (the rows) and db_verify_chain.c
 * (the chain of changes and undone_by) only. */
#ifndef MINREG_DB_VERIFY_INT_H
#define MINREG_DB_VERIFY_INT_H

#include <sodium.h>
#include <stdint.h>

#include "db_int.h"

#define DIGEST crypto_hash_sha256_BYTES

typedef struct {
    db *d;
    db_finding_fn fn;
    void *arg;
    db_verify_result *r;
    int stop;
} vctx;

/* Report a finding (unless the caller asked to stop). */
void vf_found(vctx *v, const char *tbl, const char *key, const char *field, int64_t change,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void vf_hex(const unsigned char *p, char out[2 * DIGEST + 1]);
int vf_unhex(const char *s, unsigned char out[DIGEST]);
/* Walk every change in order, recomputing the chain against want_head (may
 * be NULL); *seal gets the last sealed change.  0, or -1 (error in v). */
int vf_verify_chain(vctx *v, const unsigned char *want_head, int64_t *seal);

#endif
