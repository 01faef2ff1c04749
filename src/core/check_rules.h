/* check_rules.h — what rule functions share (private to the core).
 *
 * check.c runs the rules and keeps the findings; check_fields.c holds the
 * rules about fields and stated totals, check_plan.c those about the plan's
 * policies (quotas, minimum scales, minerals, permits, targets).
 */
#ifndef MINREG_CHECK_RULES_H
#define MINREG_CHECK_RULES_H

#include <stdio.h>

#include "buf.h"
#include "check.h"
#include "validate.h"

/* A field rule's arg: the kinds of validation issue it reports, as a mask
 * of FIELD(kind); R-AREA-POS and R-RANGE split VI_RANGE between area
 * columns (FIELD_AREA) and the others. */
#define FIELD(kind) (1 << (kind))
enum { FIELD_AREA = 0x10000 };

struct check_ctx {
    db *d;
    const schema *s;
    const check_opts *o;
    check_result *res;
    unsigned char *want;     /* per register: findings about it are kept */
    mr_err *e;
    int failed;
    /* the validation pass, run once for all field rules */
    int validated;
    struct vfound {
        int ti, ci;
        vissue_kind kind;
        int64_t rowid;
        char *key, *msg;    /* the message copied: a vissue holds 512 bytes */
    } *vf;
    int nvf, capvf;
    /* when findings stream (check_opts.emit), the validation issues go to
     * a temporary file instead, read back by each field rule: memory stays
     * bounded however many rows have issues */
    FILE *vf_file;
    /* 专栏六, read once for all mines (check_scale.c) */
    struct scale_row *scales;
    int nscales, scales_loaded;
    /* the boundaries, read once for the R-GEO-* rules (geo_rules.c) */
    struct geo_state *geo;
};

/* Are findings about t (or also about also, may be NULL) kept? */
int ctx_wants(const check_ctx *c, const table *t, const table *also);
/* Does the rule look at register t (its `tables` list, or all when empty)? */
int ctx_rule_has(const check_rule *r, const table *t);
/* Add a finding.  rowid -1 and key NULL: about the register as a whole.
 * src: the clause, when more precise than the rule's (NULL: the rule's). */
void ctx_add(check_ctx *c, const check_rule *r, const table *t, int64_t rowid, const char *key,
             int ci, const table *also, const char *src, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* Add a finding about row rowid of t and another record, row other_rowid
 * of other (the neighbour it overlaps, lies outside or is too near to:
 * the record Enter opens on the Problems screen), with the rule's clause. */
void ctx_add_other(check_ctx *c, const check_rule *r, const table *t, int64_t rowid, const char *key,
                   int ci, const table *other, int64_t other_rowid, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* The key of the row under cur, as `show` prints it. */
void ctx_row_key(const table *t, cursor *cur, buf *out);
/* A read failed: remember it (the run then returns -1). */
void ctx_fail(check_ctx *c, const table *t, const char *what);
/* The register named id in the schema, or NULL. */
const table *ctx_table(const check_ctx *c, const char *id);

/* ---- rules (check_fields.c) ---- */
void rule_fields(check_ctx *c, const check_rule *r);
void rule_total_rows(check_ctx *c, const check_rule *r);
void rule_total_count(check_ctx *c, const check_rule *r);
void rule_total_sum(check_ctx *c, const check_rule *r);
void rule_block_summary(check_ctx *c, const check_rule *r);
void rule_area_permits(check_ctx *c, const check_rule *r);
void rule_area_planned(check_ctx *c, const check_rule *r);
void check_fields_free(check_ctx *c);

/* ---- rules (check_plan.c) ---- */
void rule_quota_indicator(check_ctx *c, const check_rule *r);
void rule_quota_binding(check_ctx *c, const check_rule *r);
void rule_min_scale(check_ctx *c, const check_rule *r);
void rule_scale_forbidden(check_ctx *c, const check_rule *r);
void rule_scale_unit(check_ctx *c, const check_rule *r);
void rule_renewal(check_ctx *c, const check_rule *r);   /* check_plan.c, over life.c */
void check_scale_free(check_ctx *c);
void rule_mineral_policy(check_ctx *c, const check_rule *r);
void rule_expired(check_ctx *c, const check_rule *r);
void rule_target_mines(check_ctx *c, const check_rule *r);
void rule_target_share(check_ctx *c, const check_rule *r);

/* rule_mineral_policy's arg: which policy of the minerals dictionary. */
enum { POLICY_MINE_FORBIDDEN, POLICY_MINE_RESTRICTED, POLICY_EXPLORE_RESTRICTED };

#endif
