/* xchg.h — the city's and the counties' registers kept in step by signed
 * change files (minreg exchange; db_xchg.c).
 *
 * A register that takes part is a site: its admin code (the city 210600, a
 * county 210624 ...), a role (city or county) and an Ed25519 key pair; the
 * secret key is REGISTER.key beside the file (mode 0600), never inside it.
 * New rows at a site get rids code * 10^9 + n, so rows made at two sites
 * never collide.
 *
 * A change file holds every change made at the site since the last one the
 * partner acknowledged (or since --since ID), each with its who, when and
 * chain digest, its rows as the audit trail records them, and the site's
 * acknowledgement of the partner's changes it has applied; the whole file
 * is signed.  Applying checks the signature against the partner's key, the
 * file's continuity with what was applied from that partner before, then
 * applies every change not yet applied, in one change (one transaction),
 * with the field-level merge: a field the partner changed from the value it
 * has here is set; one changed on both sides is a conflict (base, mine,
 * theirs) kept for `exchange resolve`; a row deleted on one side and changed
 * on the other is a conflict too.  A county's change to a row it does not
 * own (a register with a 所在行政区 column, the row naming another district;
 * any other register: the plan's own, the city's) is held as a conflict
 * wherever it arrives.  A refused file writes nothing.
 */
#ifndef MINREG_XCHG_H
#define MINREG_XCHG_H

#include <stdint.h>

#include "buf.h"
#include "db.h"

/* Make this register site `site` (an admin code, or a district's name or
 * short name) with role ("city", "county"; NULL: city for a code ending in
 * 00) and name (NULL: the district's); writes the key file and puts the
 * public key (hex) in pub. */
int xchg_init(db *d, const char *site, const char *role, const char *name, buf *pub, mr_err *e);
/* Register partner site with its public key (hex). */
int xchg_partner_add(db *d, const char *site, const char *role, const char *name, const char *pub,
                     mr_err *e);

typedef struct xchg_site {
    int code;
    char name[128], role[16], pub[80];
    int64_t acked, sent, applied;
    char sent_at[32], applied_at[32];
    int64_t waiting;     /* changes made here the partner has not acknowledged */
    int64_t conflicts;   /* open conflicts with its changes */
} xchg_site;
/* This register's site (0: it is one, 1: not a site). */
int xchg_self(db *d, xchg_site *s);
typedef void (*xchg_site_fn)(void *arg, const xchg_site *p);
int xchg_partners(db *d, xchg_site_fn fn, void *arg);

typedef struct xchg_stats {
    int64_t changes, rows, skipped, conflicts, from, to;
    char site[128];
} xchg_stats;
/* Write the change file for partner to path; since < 0: since what it acknowledged. */
int xchg_export(db *d, const char *partner, int64_t since, const char *path, xchg_stats *st,
                mr_err *e);
/* Apply a change file. */
int xchg_apply(db *d, const char *path, xchg_stats *st, mr_err *e);

typedef struct xchg_conflict {
    int64_t id, row_id, their_id;
    const char *site, *what, *tbl, *row_key, *field, *base, *mine, *theirs, *resolved, *made_at;
} xchg_conflict;
typedef void (*xchg_conflict_fn)(void *arg, const xchg_conflict *c);
/* The conflicts (all: the resolved ones too), oldest first. */
/* A conflict's kind (field, deleted_here, deleted_there, owner, duplicate)
 * in the clerk's words; an unknown kind as it is. */
const char *xchg_what_text(const char *what);
int xchg_conflicts(db *d, int all, xchg_conflict_fn fn, void *arg);
/* Resolve conflict id: how "mine", "theirs", or NULL with value (a field's
 * new value).  Audited as a change of its own, sent to the partner. */
int xchg_resolve(db *d, int64_t id, const char *how, const char *value, const char *comment,
                 mr_err *e);

#endif
