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
#include "num.h"

/* What a value broke: checks report each kind under its own rule. */
typedef enum vissue_kind {
    VI_REQUIRED = 1,     /* empty but required (0: no issue) */
    VI_TYPE,             /* not a number, date or year */
    VI_RANGE,            /* outside the column's range (areas > 0) */
    VI_ENUM,             /* not one of the allowed values */
    VI_PATTERN,          /* does not have the form of a code or permit number */
    VI_LINK,             /* refers to a row that does not exist */
    VI_UNIQUE,           /* the same value is in another row */
    VI_ORDER,            /* before the column it may not precede (valid_to < valid_from) */
    VI_INVISIBLE         /* a key, unique or linked value holding an invisible format
                          * character (U+200B ...): it would look like another value */
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
 * row.  Up to max issues go into out; returns how many there were, or -1
 * when a lookup (a link target, a used value) failed: validator_error
 * says why (a damaged file as such), and the row is neither good nor bad.
 * Link targets in other registers are remembered once found: a validator
 * lives for one change, during which those registers do not change. */
int validator_row(validator *v, const char *const *vals, int64_t self_rowid, vissue *out, int max);

/* For a bulk insert: a new row's uniqueness is not looked up beforehand
 * but left to the insert's UNIQUE constraints (an index probe the insert
 * makes anyway).  After such an insert fails, validator_row with deferral
 * off says which value and why, as it would have.  A row with other
 * problems is still checked in full. */
void validator_defer_unique(validator *v, int on);

/* Why validator_row or validator_value returned -1 (or why
 * validator_new_ahead could not read a link's targets): the lookup's error
 * into e.  Returns -1. */
int validator_error(const validator *v, mr_err *e);

/* A validator for another thread: it never touches the database (link
 * targets in other registers, when few enough, are read into memory now).
 * validator_clean says whether a new row passes every check it can make
 * alone: 1 means validator_row would find nothing but a used value (left to
 * the insert); 0 means "ask validator_row" (a problem, or a link it cannot
 * decide).  One validator per thread. */
validator *validator_new_ahead(db *d, const table *t);
int validator_clean(validator *v, const char *const *vals);

/* Check one value alone (type, enum, pattern, range, links): 0 ok, 1 with
 * the message in out, or -1 when a link's lookup failed (out holds the
 * error's message too; validator_error gives the record). */
int validator_value(validator *v, int ci, const char *val, vissue *out);

/* Is s a valid value of the type?  (Also used to normalise input.) */
int value_is_int(const char *s);
int value_is_dec(const char *s);
/* Does the whole number s fit 64 bits (SQLite's INTEGER)? */
int value_int_fits(const char *s);
/* Do a and b hold the same value of column c (numbers by value: 1.5 and
 * 1.50; NULL and "" alike)? */
int value_same(const column *c, const char *a, const char *b);
int value_is_date(const char *s);
/* A unified social credit code (GB 32100-2015): credit_code_check gives
 * the check character its first 17 call for (0: not 18 characters of the
 * code's alphabet); credit_code_ok, whether the 18th is that one. */
char credit_code_check(const char *s);
int credit_code_ok(const char *s);

/* A number as the register stores and gives it back, so that what is
 * compared, written and audited is what is there: whole numbers without
 * '+' or leading zeros ("+007" is 7), decimals as num_format writes them
 * ("1." and "+1.50" are 1 and 1.5; more than 17 digits are rounded as the
 * REAL is).  Anything else (text, dates, a value the validator refuses) is
 * s itself.  out: NUM_MAX bytes, used when the text changes.  Every writer
 * (set, add, forms through edit.c, import) normalises before comparing. */
const char *value_normal(const column *c, const char *s, char *out);
/* The same for a whole row: ncols new strings (NULL stays NULL). */
char **values_normal(const table *t, const char *const *vals);
void values_free(const table *t, char **v);

#endif
