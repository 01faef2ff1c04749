/* check.h — the plan's rules as checks over the register.
 *
 * One table of rules (check.c): each has an id, a severity, the clause of
 * the plan it comes from, a description in Chinese and English, and the
 * function that looks for rows breaking it.  A run collects findings, each
 * naming its rule, its register and, when there is one, the offending row
 * and column, with a message in the interface language.  The CLI prints
 * them; the TUI lists them and opens the row.  No output here.
 */
#ifndef MINREG_CHECK_H
#define MINREG_CHECK_H

#include <stdint.h>

#include "db.h"
#include "err.h"

/* SEV_INFO: a figure shown beside another for a reader (the base year
 * beside the 2025 target), not a fault; it never changes the exit status. */
typedef enum check_severity { SEV_ERROR, SEV_WARNING, SEV_INFO } check_severity;

typedef struct check_ctx check_ctx;
typedef struct check_rule check_rule;
typedef void (*check_fn)(check_ctx *c, const check_rule *r);

struct check_rule {
    const char *id;          /* "R-AREA-POS" */
    check_severity sev;
    const char *source;      /* clause of the plan: "专栏六", "第四章第一节二" */
    const char *desc_zh, *desc_en;
    check_fn fn;
    int arg;                 /* parameter for functions shared by rules */
    const char *tables;      /* registers it looks at, comma-separated ("" = by schema) */
};

extern const check_rule check_rules[];
extern const int ncheck_rules;

const char *check_rule_desc(const check_rule *r);        /* interface language */
const char *check_severity_name(check_severity s);       /* "error"/"错误", "info"/"提示" */
const char *check_severity_id(check_severity s);         /* "error"/"warning"/"info" */
const check_rule *check_rule_find(const char *id);

typedef struct finding {
    const check_rule *rule;
    int ti;             /* the register (index in the schema); -1: the file itself */
    int64_t rowid;      /* the offending row, or -1: the register as a whole */
    char *key;          /* that row's key as shown ("" for none) */
    int ci;             /* the column at fault, or -1 */
    int also_ti;        /* another register the finding is about, or -1 */
    int64_t also_rowid; /* the record of it the finding is about (the neighbour
                           a boundary overlaps), or -1: none in particular */
    const char *source; /* the clause: the rule's, or a more precise one */
    char *msg;
} finding;

typedef struct check_result {
    finding *f;
    int n, cap;
    int errors, warnings, infos;
} check_result;

typedef void (*check_emit_fn)(void *arg, const finding *f);

typedef struct check_opts {
    const char *today;             /* YYYY-MM-DD: permits valid to before it have expired */
    const table *const *tables;    /* only findings about these registers; NULL: all */
    int ntables;
    /* the file itself, before the rules (R-INTEGRITY): 0 not looked at,
     * 1 PRAGMA quick_check, 2 PRAGMA integrity_check; and (R-SCHEMA) the
     * objects of its schema minreg did not make.  Their findings have
     * ti = -1: about the file, not a register. */
    int integrity, schema;
    /* Set: each finding goes to emit as it is found, valid during the call
     * only, and is not kept (out->n stays 0; the counts are kept), so a run
     * over millions of findings holds a bounded amount of memory. */
    check_emit_fn emit;
    void *emit_arg;
} check_opts;

/* Run every rule.  Returns 0, or -1 with e filled when the register could
 * not be read (the findings so far stay in out). */
int check_run(db *d, const check_opts *o, check_result *out, mr_err *e);
void check_result_free(check_result *r);

/* Today's local date as YYYY-MM-DD. */
void check_today(char out[11]);

#endif
