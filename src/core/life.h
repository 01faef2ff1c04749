/* life.h — the life of a permit: its registration events, its timeline,
 * its former numbers, and what expires.
 *
 * Generic over the schema: the events register is the one with an
 * 'event_type' column (minreg_roles), a permit register is one an
 * 'event_of' column links to, and what an event does is a row of
 * minreg_event_types.  No C names a register or a column.
 */
#ifndef MINREG_LIFE_H
#define MINREG_LIFE_H

#include <stdint.h>

#include "buf.h"
#include "db.h"
#include "edit.h"

/* The events register, or NULL (a file without one). */
const table *life_events(const schema *s);
/* The events register's column linking to permit register t, or -1 (t
 * has no events). */
int life_event_col(const schema *s, const table *t);

typedef struct life_event_in {
    const table *permit;        /* the permit register */
    int64_t rowid;              /* the permit */
    const char *type;           /* 新立, 延续, ... (minreg_event_types) */
    const char *date, *doc, *note;
    const char *const *sets;    /* permit->ncols new values (NULL: unchanged) */
    const char *comment;
} life_event_in;

/* Record an event and apply it to the permit in one audited change: the
 * event row (with the permit's values before and after, by the 'was:' and
 * 'now:' roles, and the other fields it changed) and the permit's fields
 * (the ones given, the 登记类型 the type leaves, what it sets).  Refused
 * (EDIT_REFUSED, e filled, nothing written) where the rules say: a type
 * not known, a new value the type needs not given, a cancelled permit, a
 * 新立 after other events, an extension dated after the validity it
 * extends or not extending it.  Warnings (a late extension) go to warn,
 * one a line.  Invalid values: EDIT_INVALID with r->issues. */
int life_event(db *d, const life_event_in *in, edit_result *r, buf *warn, mr_err *e);

/* A row of the events register given whole (`add ev`, `import ev`, the
 * browser's add on it): the permit its event_of column names, its type,
 * date, document and note, and each now:ROLE value as the permit's new
 * ROLE, recorded as life_event records one — the same rules, the event
 * and the permit's update together; a was: value given must be what the
 * permit holds.  In change w when w is given (an import: no change entry
 * recorded here), else in a change of its own with comment.  r->rowid: the
 * event row added. */
struct chg;
int life_event_row(db *d, struct chg *w, const char *const *vals, const char *comment,
                   edit_result *r, buf *warn, mr_err *e);

/* A row of the events register changed whole (`set ev`, the browser's
 * form on it), now -> merged: its document, note and changes as written
 * may change; what the event did to its permit (its type, date, permit,
 * the values before and after) may not — the rules judged those when it
 * was recorded.  0, or -1 (EDIT_REFUSED, e filled). */
int life_event_set_check(const table *ev, const char *const *now, const char *const *merged,
                         edit_result *r, mr_err *e);

/* The events of permit rowid of t, oldest first, each to fn with the
 * events register, the event's rid and its row.  The count, or -1 (e filled). */
typedef void (*life_event_fn)(void *arg, const table *ev, int64_t rid, const char *const *vals);
int life_timeline(db *d, const table *t, int64_t rowid, life_event_fn fn, void *arg, mr_err *e);

/* What an event changed, one line: each 'now:' value, the other fields
 * changed, the note, and the number before when a new one was given. */
void life_event_summary(const table *ev, const char *const *vals, buf *out);

/* A permit of t found by a number it held before (an event's 'was:number'):
 * DB_FOUND with *rowid, DB_NOT_FOUND, DB_ERROR (e filled). */
int life_find_former(db *d, const table *t, const char *number, int64_t *rowid, mr_err *e);

/* Is regtype (a permit's 登记类型) the one a permit's life ends with: the
 * regtype of an event type whose sets say 'ends' (注销)? */
int life_cancelled(const schema *s, const char *regtype);

/* Days from date a to date b (YYYY-MM-DD); 0 with *ok 0 when either is not
 * a date. */
long life_days(const char *a, const char *b, int *ok);

/* What expires, as of today, within days: a permit whose expiry is set
 * and whose 登记类型 is not 注销, state LIFE_EXPIRED (past it), LIFE_FILE_NOW
 * (inside the extension's filing window: the type that gives a new expiry,
 * its `days`) or LIFE_DUE (within days). */
enum { LIFE_EXPIRED = 1, LIFE_FILE_NOW, LIFE_DUE };
typedef struct life_due {
    const table *t;
    int64_t rowid;
    char *key, *number, *name, *holder, *district, *expiry, *last_event;
    long days;          /* to the expiry; negative: past it */
    int state;
} life_due;
/* Every permit register's such permits, by expiry date then register and
 * key, into *out (count returned; -1 with e filled). */
int life_expiring(db *d, const char *today, long days, life_due **out, mr_err *e);
void life_due_free(life_due *v, int n);

/* The year's events (their date in year, YYYY) per type and district (of
 * the permit, by its 'district' role; "" when it has none), in the order of
 * minreg_event_types then district. */
typedef struct life_count {
    char *type, *district;
    int64_t n;
} life_count;
int life_yearly(db *d, const char *year, life_count **out, mr_err *e);
void life_count_free(life_count *v, int n);
/* The yearly work (life_yearly.c).  The type of event that files the
 * 年度信息 (sets 'annual'): 1 with *type, else 0 (a register without one). */
int life_annual_type(const schema *s, const char **type);
/* The permits whose 年度信息 for the year before `year` (filed in `year`,
 * by its 31 March) is not recorded: in force in that year, not cancelled,
 * with no annual event dated in `year`.  Their expiry field holds the due
 * date.  The count, or -1 (e filled). */
int life_unfiled(db *d, const char *year, life_due **out, mr_err *e);
/* The planning blocks due for release (投放) in year: release_from <= year
 * <= release_to (release_to empty: release_from), and the permits that
 * hold each (a permit register's column linking to it). */
typedef struct life_block {
    const table *t;
    int64_t rowid;
    char *key, *name, *district;
    int from, to;
    char *held;        /* "a10 1 (T21...)"; NULL: none */
    int nheld;
} life_block;
int life_release(db *d, const char *year, life_block **out, mr_err *e);
void life_block_free(life_block *v, int n);
/* A permit's mining areas (life_areas.c): each ring of its boundary, when
 * any ring has an elevation or a name (a mine's 采区), in order, to fn.
 * The count (0: no boundary, or none with them), or -1 (e filled). */
typedef struct life_area {
    int ring, hole;
    const char *name;      /* NULL: none */
    int has_elev;
    double top, bottom;    /* 起标高, 止标高, metres */
    int npts;
} life_area;
typedef void (*life_area_fn)(void *arg, const life_area *a);
int life_areas(db *d, const table *t, int64_t rowid, life_area_fn fn, void *arg, mr_err *e);
/* The filing window of the type that gives a new expiry (30), 0 if none. */
int life_filing_days(const schema *s);
/* "expired", "file the extension now", "due" in the interface language. */
const char *life_state_name(int state);

#endif
