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

int value_is_int(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int value_is_dec(const char *s)
{
    /* plain decimal notation: digits, one point, optional sign (no 1e5, inf, hex) */
    int digits = 0, point = 0;
    if (*s == '-' || *s == '+')
        s++;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s == '.' && !point)
            point = 1;
        else
            return 0;
    }
    return digits > 0;
}

/* Is s a whole number within SQLite's INTEGER (64 bits)?  A longer one
 * would be stored as a REAL, rounded. */
static int int_fits(const char *s)
{
    if (strlen(s + (*s == '-' || *s == '+')) <= 18)
        return 1;
    errno = 0;
    char *end;
    (void)strtoll(s, &end, 10);
    return errno != ERANGE && !*end;
}

/* Already canonical: what the register would give back?  A cheap look
 * (an import makes it for every number of a million rows), so few values
 * are converted: an optional '-', digits without a leading zero, and for a
 * decimal a fraction without trailing zeros, 15 significant digits at most. */
static int canonical(col_type type, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (*p == '-')
        p++;
    if (*p == '0' && p[1] != '.')
        return !p[1] && p == (const unsigned char *)s;   /* "0", not "-0" or "01" */
    const unsigned char *d = p;
    while ((unsigned)(*p - '0') < 10)
        p++;
    size_t ilen = (size_t)(p - d);
    if (!*p)
        return ilen && ilen <= (type == COL_INT ? 18 : 15);
    if (type == COL_INT || *p != '.' || !ilen || ilen > 15)
        return 0;                      /* +1, .5, or not a number */
    const unsigned char *f = ++p;
    while ((unsigned)(*p - '0') < 10)
        p++;
    if (*p || p == f || p[-1] == '0')
        return 0;                      /* 1. or 1.50 */
    size_t sig = ilen + (size_t)(p - f);
    if (*d == '0') {                   /* 0.000…: below 1e-10 num_format writes an exponent */
        const unsigned char *q = f;
        while (*q == '0')
            q++;
        if (q - f >= 9)
            return 0;
        sig = (size_t)(p - q);
    }
    return sig <= 15;
}

const char *value_normal(const column *c, const char *s, char *out)
{
    if (!s || !*s || (c->type != COL_INT && c->type != COL_DEC) || canonical(c->type, s))
        return s;
    if (c->type == COL_INT) {
        if (!value_is_int(s) || !int_fits(s))
            return s;                  /* refused by the validator as it is */
        snprintf(out, NUM_MAX, "%lld", strtoll(s, NULL, 10));
        return out;
    }
    if (!value_is_dec(s))
        return s;
    double x = strtod(s, NULL);
    if (!isfinite(x))
        return s;
    num_format(x == 0 ? 0.0 : x, out);   /* -0 is 0 */
    return strchr(out, 'e') ? s : out;   /* beyond 1e21 or below 1e-10: as typed */
}

char **values_normal(const table *t, const char *const *vals)
{
    char **v = xcalloc((size_t)t->ncols, sizeof(char *));
    char num[NUM_MAX];
    for (int i = 0; i < t->ncols; i++)
        if (vals[i])
            v[i] = xstrdup(value_normal(&t->cols[i], vals[i], num));
    return v;
}

void values_free(const table *t, char **v)
{
    for (int i = 0; v && i < t->ncols; i++)
        free(v[i]);
    free(v);
}

/* n ASCII digits at s, their value in *v */
static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* GB 32100-2015: 18 characters from the 31 below; the 18th is the check
 * character, 31 - (sum of value x weight over the first 17) mod 31. */
static const char credit_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

char credit_code_check(const char *s)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (!s || strlen(s) != 18)
        return 0;
    int sum = 0;
    for (int i = 0; i < 18; i++) {
        const char *p = s[i] ? strchr(credit_chars, s[i]) : NULL;
        if (!p)
            return 0;
        if (i < 17)
            sum += (int)(p - credit_chars) * w[i];
    }
    int c = 31 - sum % 31;
    return credit_chars[c == 31 ? 0 : c];
}

int credit_code_ok(const char *s)
{
    char c = credit_code_check(s);
    return c && s[17] == c;
}

int value_is_date(const char *s)
{
    int y, m, d;   /* YYYY-MM-DD, digits only: no signs or blanks inside */
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
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
        if (!int_fits(val)) {
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

int value_same(const column *c, const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    if (!b || !*b)
        return 0;
    if ((c->type == COL_DEC || c->type == COL_INT) && value_is_dec(a) && value_is_dec(b))
        return strtod(a, NULL) == strtod(b, NULL);
    return strcmp(a, b) == 0;
}
