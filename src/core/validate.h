/* validate.h — the one validation path: forms, the CLI and CSV import.
 *
 * Every rule comes from the schema: type, required, enumeration, pattern,
 * range, not-before ordering, link targets and uniqueness.  Messages name
 * the field by its label and are in the interface language.
 */
#ifndef MINREG_VALIDATE_H
#define MINREG_VALIDATE_H

#include <stdint.h>

#include "db.h"

/* What a value broke: checks report each kind under its own rule. */
typedef enum vissue_kind {
    VI_REQUIRED = 1,     /* empty but required (0: no issue) */
    VI_TYPE,             /* not a number, date or year */
    VI_RANGE,            /* outside the column's range (areas > 0) */
    VI_ENUM,             /* not one of the allowed values */
    VI_PATTERN,          /* does not have the form of a code or permit number */
    VI_LINK,             /* refers to a row that does not exist */
    VI_UNIQUE,           /* the same value is in another row */
    VI_ORDER             /* before the column it may not precede (valid_to < valid_from) */
} vissue_kind;

typedef struct vissue {
    int ci;              /* the column at fault */
    vissue_kind kind;
    char msg[512];       /* "面积(平方公里): must be greater than 0" */
} vissue;

typedef struct validator validator;

validator *validator_new(db *d, const table *t);
void validator_free(validator *v);

/* Check one record: vals[ci] for every column (NULL or "" = empty).
 * self_rowid: the row being edited (uniqueness ignores it), or -1 for a new
 * row.  Up to max issues go into out; returns how many there were.
 * Link targets in other registers are remembered once found: a validator
 * lives for one change, during which those registers do not change. */
int validator_row(validator *v, const char *const *vals, int64_t self_rowid, vissue *out, int max);

/* For a bulk insert: a new row's uniqueness is not looked up beforehand
 * but left to the insert's UNIQUE constraints (an index probe the insert
 * makes anyway).  After such an insert fails, validator_row with deferral
 * off says which value and why, as it would have.  A row with other
 * problems is still checked in full. */
void validator_defer_unique(validator *v, int on);

/* A validator for another thread: it never touches the database (link
 * targets in other registers, when few enough, are read into memory now).
 * validator_clean says whether a new row passes every check it can make
 * alone: 1 means validator_row would find nothing but a used value (left to
 * the insert); 0 means "ask validator_row" (a problem, or a link it cannot
 * decide).  One validator per thread. */
validator *validator_new_ahead(db *d, const table *t);
int validator_clean(validator *v, const char *const *vals);

/* Check one value alone (type, enum, pattern, range, links): 0 ok, else 1
 * with the message in out. */
int validator_value(validator *v, int ci, const char *val, vissue *out);

/* Is s a valid value of the type?  (Also used to normalise input.) */
int value_is_int(const char *s);
int value_is_dec(const char *s);
/* Do a and b hold the same value of column c (numbers by value: 1.5 and
 * 1.50; NULL and "" alike)? */
int value_same(const column *c, const char *a, const char *b);
int value_is_date(const char *s);

#endif
