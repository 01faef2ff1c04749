/* validate.c — checking records against the schema (see validate.h). */
#include "config.h"
#include "validate.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "num.h"
#include "rx.h"
#include "text.h"

/* Link targets found, per column: an open-addressing set of strings,
 * grown by doubling up to SEEN_MAX.  An import checks the same minerals and
 * districts, and a few thousand blocks, a million times. */
#define SEEN_MAX 65536

typedef struct seen {
    char **slot;      /* cap slots, NULL = empty */
    unsigned cap;
    int n;
} seen;

/* Range bounds of a numeric column, read once. */
typedef struct bounds {
    int kind;         /* 0 none, 1 ">=lo", 2 ">lo", 3 "lo..hi" */
    double lo, hi;
} bounds;

struct validator {
    db *d;
    const table *t;
    rx **rx;          /* per column: compiled pattern or NULL */
    int *unique;      /* per column: key or UNIQUE */
    seen *found;      /* per column: link targets known to exist */
    bounds *range;    /* per column */
    int defer_unique; /* new rows: uniqueness left to the insert (see .h) */
    int ahead;        /* validator_new_ahead: never touches the database */
    int unsure;       /* ahead: a link it could not decide without it */
    mr_err err;       /* a lookup that failed (err.code != 0): validator_error */
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void seen_put(seen *st, char *val)
{
    unsigned i = hash(val) & (st->cap - 1);
    while (st->slot[i])
        i = (i + 1) & (st->cap - 1);
    st->slot[i] = val;
    st->n++;
}

/* Is val known to exist?  add: remember that it does. */
static int seen_has(seen *st, const char *val, int add)
{
    if (!st->slot) {
        if (!add)
            return 0;
        st->cap = 256;
        st->slot = xcalloc(st->cap, sizeof(char *));
    }
    unsigned i = hash(val) & (st->cap - 1);
    while (st->slot[i]) {
        if (strcmp(st->slot[i], val) == 0)
            return 1;
        i = (i + 1) & (st->cap - 1);
    }
    if (!add || st->n >= SEEN_MAX)
        return 0;
    if ((unsigned)(st->n + 1) * 2 > st->cap) {   /* at most half full: probes stay short */
        seen old = *st;
        st->cap *= 2;
        st->slot = xcalloc(st->cap, sizeof(char *));
        st->n = 0;
        for (unsigned k = 0; k < old.cap; k++)
            if (old.slot[k])
                seen_put(st, old.slot[k]);
        free(old.slot);
    }
    seen_put(st, xstrdup(val));
    return 0;
}

validator *validator_new(db *d, const table *t)
{
    validator *v = xcalloc(1, sizeof *v);
    v->d = d;
    v->t = t;
    v->rx = xcalloc((size_t)t->ncols, sizeof(rx *));
    v->unique = xcalloc((size_t)t->ncols, sizeof(int));
    v->found = xcalloc((size_t)t->ncols, sizeof(seen));
    v->range = xcalloc((size_t)t->ncols, sizeof(bounds));
    for (int i = 0; i < t->ncols; i++) {
        const char *r = t->cols[i].range, *dots = strstr(r, "..");
        bounds *b = &v->range[i];
        if (strncmp(r, ">=", 2) == 0)
            *b = (bounds){1, atof(r + 2), 0};
        else if (r[0] == '>')
            *b = (bounds){2, atof(r + 1), 0};
        else if (dots)
            *b = (bounds){3, atof(r), atof(dots + 2)};
        if (*t->cols[i].pattern)
            v->rx[i] = rx_compile(t->cols[i].pattern, 0, NULL);
        int u = db_is_unique_col(d, t, i, v->err.code ? NULL : &v->err);
        v->unique[i] = u != DB_NOT_FOUND;   /* not known (v->err says why): checked as unique */
    }
    return v;
}

static int check_row(validator *v, const char *const *vals, int64_t self_rowid, vissue *out, int max,
                     int unique);

static void preload(void *arg, const char *val)
{
    seen_has(arg, val, 1);
}

validator *validator_new_ahead(db *d, const table *t)
{
    validator *v = validator_new(d, t);
    const schema *s = db_schema(d);
    v->ahead = 1;
    v->defer_unique = 1;
    for (int ci = 0; ci < t->ncols; ci++) {
        const column *c = &t->cols[ci];
        if (c->link_ti < 0 || &s->tables[c->link_ti] == t)
            continue;   /* rows of this register may change as it goes */
        const table *lt = &s->tables[c->link_ti];
        seen all = {0};
        int64_t n;
        int rc = db_col_values(d, lt, c->link_ci, SEEN_MAX, preload, &all, &n, &v->err);
        if (rc == DB_FOUND) {
            v->found[ci] = all;
        } else {
            for (unsigned k = 0; all.slot && k < all.cap; k++)
                free(all.slot[k]);
            free(all.slot);
        }
    }
    return v;
}

int validator_clean(validator *v, const char *const *vals)
{
    vissue iss[4];
    v->unsure = 0;
    int n = check_row(v, vals, -1, iss, 4, 0);   /* never -1: it makes no lookup */
    return n == 0 && !v->unsure;
}

void validator_free(validator *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->t->ncols; i++) {
        rx_free(v->rx[i]);
        for (unsigned k = 0; v->found[i].slot && k < v->found[i].cap; k++)
            free(v->found[i].slot[k]);
        free(v->found[i].slot);
    }
    free(v->found);
    free(v->range);
    free(v->rx);
    free(v->unique);
    free(v);
}

static int enum_has(const char *list, const char *val)
{
    size_t n = strlen(val);
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, val, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static void issue(vissue *out, const column *c, int ci, vissue_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void issue(vissue *out, const column *c, int ci, vissue_kind kind, const char *fmt, ...)
{
    buf h = BUF_INIT;
    col_header(c, &h);
    buf_puts(&h, ": ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&h, fmt, ap);
    va_end(ap);
    out->ci = ci;
    out->kind = kind;
    snprintf(out->msg, sizeof out->msg, "%s", buf_str(&h));
    buf_free(&h);
}

/* Range ">0", ">=0" or "A..B" (bounds read once): 0 when x is inside,
 * else an issue. */
static int range_check(const validator *v, const column *c, int ci, double x, vissue *out)
{
    const bounds *b = &v->range[ci];
    const char *r = c->range, *dots = strstr(r, "..");
    if (b->kind == 1) {
        if (x >= b->lo)
            return 0;
        issue(out, c, ci, VI_RANGE, _("must be at least %s"), r + 2);
    } else if (b->kind == 2) {
        if (x > b->lo)
            return 0;
        issue(out, c, ci, VI_RANGE, _("must be greater than %s"), r + 1);
    } else if (b->kind == 3) {
        if (x >= b->lo && x <= b->hi)
            return 0;
        issue(out, c, ci, VI_RANGE, _("must be between %.*s and %s"), (int)(dots - r), r, dots + 2);
    } else {
        return 0;
    }
    return 1;
}

/* One item (of a possibly multi-valued field). */
static int check_item(validator *v, int ci, const char *val, vissue *out)
{
    const column *c = &v->t->cols[ci];
    switch (c->type) {
    case COL_INT:
        if (!value_is_int(val)) {
            issue(out, c, ci, VI_TYPE, _("'%s' is not a whole number"), val);
            return 1;
        }
        if (!value_int_fits(val)) {
            issue(out, c, ci, VI_RANGE, _("'%s' is too large for a whole number (at most "
                                          "9223372036854775807 either way)"), val);
            return 1;
        }
        break;
    case COL_YEAR:
        if (!value_is_int(val) || strlen(val) != 4) {
            issue(out, c, ci, VI_TYPE, _("'%s' is not a year (YYYY)"), val);
            return 1;
        }
        break;
    case COL_DEC:
        if (!value_is_dec(val)) {
            issue(out, c, ci, VI_TYPE, _("'%s' is not a number"), val);
            return 1;
        }
        break;
    case COL_DATE:
        if (!value_is_date(val)) {
            issue(out, c, ci, VI_TYPE, _("'%s' is not a date (YYYY-MM-DD)"), val);
            return 1;
        }
        break;
    case COL_TEXT:
        break;
    }
    if (c->type != COL_TEXT && c->type != COL_DATE && v->range[ci].kind &&
        range_check(v, c, ci, atof(val), out))
        return 1;
    if (*c->enum_s && !enum_has(c->enum_s, val)) {
        buf list = BUF_INIT;
        for (const char *p = c->enum_s; *p; p++)
            buf_puts(&list, *p == '|' ? ", " : (char[]){*p, 0});
        issue(out, c, ci, VI_ENUM, _("'%s' is not one of: %s"), val, buf_str(&list));
        buf_free(&list);
        return 1;
    }
    if (v->rx[ci]) {
        int m = rx_search(v->rx[ci], val, strlen(val), NULL, NULL, NULL);
        if (m != 1) {
            /* in the clerk's words where the schema has them (minreg_meta) */
            const char *say = i18n_is_zh() ? c->pattern_text : c->pattern_text_en;
            if (!say)
                say = i18n_is_zh() ? c->pattern_text_en : c->pattern_text;
            if (say)
                issue(out, c, ci, VI_PATTERN, _("'%s' is not %s"), val, say);
            else
                issue(out, c, ci, VI_PATTERN, _("'%s' does not have the form %s"), val, c->pattern);
            return 1;
        }
    }
    if (c->roles && list_has(c->roles, "credit") && !credit_code_ok(val)) {
        char want = credit_code_check(val);
        if (want)
            issue(out, c, ci, VI_PATTERN,
                  _("'%s': its check character should be %c, not %c (GB 32100-2015): a typo?"),
                  val, want, val[17]);
        else
            issue(out, c, ci, VI_PATTERN,
                  _("'%s' is not a unified social credit code (18 characters of 0-9 A-H J-N P-R T U "
                    "W-Y, GB 32100-2015)"), val);
        return 1;
    }
    if (c->link_ti >= 0) {
        const schema *s = db_schema(v->d);
        const table *lt = &s->tables[c->link_ti];
        /* only other registers' rows are remembered: this one's may change */
        int other = lt != v->t;
        int64_t r;
        if (other && seen_has(&v->found[ci], val, 0))
            return 0;
        if (v->ahead) {   /* not known to exist: the database decides, later */
            v->unsure = 1;
            return 0;
        }
        int rc = db_find_by(v->d, lt, c->link_ci, val, &r, &v->err);
        if (rc == DB_ERROR) {   /* the lookup failed: said as such, not as "not in" */
            snprintf(out->msg, sizeof out->msg, "%.500s", v->err.msg);
            out->ci = ci;
            out->kind = 0;
            return -1;
        }
        if (rc == DB_FOUND) {
            if (other)
                seen_has(&v->found[ci], val, 1);
        } else {
            issue(out, c, ci, VI_LINK, _("'%s' is not in %s"), val, i18n_is_zh() ? lt->title : lt->title_en);
            return 1;
        }
    }
    return 0;
}

/* A key, a unique value or a link names a row: one that holds an
 * invisible format character (金矿 and a U+200B) would be a second row that
 * looks like the first, or a link that looks right and is not.  Other text
 * may hold them (shown escaped). */
static int check_invisible(validator *v, int ci, const char *val, vissue *out)
{
    const column *c = &v->t->cols[ci];
    uint32_t cp;
    if ((ci != v->t->key_ci && !v->unique[ci] && c->link_ti < 0) ||
        !text_find_format(val, strlen(val), &cp))
        return 0;
    issue(out, c, ci, VI_INVISIBLE,
          _("'%s' holds the invisible character U+%04X, which a key, a unique value or a link "
            "may not hold"),
          val, (unsigned)cp);
    return 1;
}

int validator_value(validator *v, int ci, const char *val, vissue *out)
{
    if (!val || !*val)
        return 0;
    if (check_invisible(v, ci, val, out))
        return 1;
    if (!v->t->cols[ci].multi)
        return check_item(v, ci, val, out);
    char *copy = xstrdup(val);
    int bad = 0;
    char *p = copy;
    for (;;) {
        char *semi = strchr(p, ';');
        if (semi)
            *semi = '\0';
        if (!*p) {
            issue(out, &v->t->cols[ci], ci, VI_TYPE, _("empty item in the list '%s'"), val);
            bad = 1;
            break;
        }
        if ((bad = check_item(v, ci, p, out)) != 0)
            break;
        if (!semi)
            break;
        p = semi + 1;
    }
    free(copy);
    return bad;
}

void validator_defer_unique(validator *v, int on) { v->defer_unique = on; }

int validator_row(validator *v, const char *const *vals, int64_t self_rowid, vissue *out, int max)
{
    if (!v->defer_unique || self_rowid >= 0)
        return check_row(v, vals, self_rowid, out, max, 1);
    int n = check_row(v, vals, self_rowid, out, max, 0);
    /* a row rejected anyway gets the whole report, in the usual order */
    return n > 0 ? check_row(v, vals, self_rowid, out, max, 1) : n;
}

int validator_error(const validator *v, mr_err *e)
{
    if (e)
        *e = v->err;
    return -1;
}

static int check_row(validator *v, const char *const *vals, int64_t self_rowid, vissue *out, int max,
                     int unique)
{
    const table *t = v->t;
    int n = 0;
    vissue tmp;
    for (int ci = 0; ci < t->ncols; ci++) {
        const column *c = &t->cols[ci];
        const char *val = vals[ci];
        vissue *slot = n < max ? &out[n] : &tmp;
        if (!val || !*val) {
            if (c->required) {
                issue(slot, c, ci, VI_REQUIRED, "%s", _("is required"));
                n++;
            }
            continue;
        }
        int bad = validator_value(v, ci, val, slot);
        if (bad < 0)
            return -1;
        if (bad) {
            n++;
            continue;
        }
        int used = unique && v->unique[ci] ? db_exists_other(v->d, t, ci, val, self_rowid, &v->err)
                                           : DB_NOT_FOUND;
        if (used == DB_ERROR)
            return -1;
        if (used == DB_FOUND) {
            issue(slot, c, ci, VI_UNIQUE, _("'%s' is already used by another row"), val);
            n++;
            continue;
        }
        if (c->not_before_ci >= 0) {
            const char *other = vals[c->not_before_ci];
            const column *oc = &t->cols[c->not_before_ci];
            if (other && *other && strcmp(val, other) < 0 &&
                (c->type == COL_DATE || atof(val) < atof(other))) {
                issue(slot, c, ci, VI_ORDER, _("'%s' is before %s"), val, oc->label);
                n++;
            }
        }
    }
    return n;
}
