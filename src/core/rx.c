/* rx.c — PCRE2 wrapper (see rx.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "config.h"
#include "rx.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "text.h"

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

/* A literal every match contains, and how it is looked for. */
typedef struct rx_lit {
    char *s;
    size_t n;
    int caseless;       /* its ASCII letters match in either case */
    size_t at;          /* the byte of it looked for first */
} rx_lit;

#define RX_MAXLIT 4

struct rx {
    rx_lit lit[RX_MAXLIT];   /* required literals, in pattern order */
    int nlit;
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mc;
};

/* Smart case: caseless unless the pattern has an upper-case letter. */
static int has_upper(const char *p)
{
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {   /* \D, \W, \S, \P{..} are not letters to match */
            p++;
            continue;
        }
        if (*p >= 'A' && *p <= 'Z')
            return 1;
    }
    return 0;
}

/* Code points a caseless pattern matches only as themselves (no case), or
 * ASCII letters it matches in either ASCII case and nothing else.  Not k
 * and s: Unicode folds the Kelvin sign K and the long s ſ with them. */
static int caseless_ok(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) != 'k' && (cp | 0x20) != 's';
    return (cp >= 0x2E80 && cp < 0xA640) || (cp >= 0xAC00 && cp < 0xD7B0) ||
           (cp >= 0xF900 && cp < 0xFB00) || cp >= 0x20000;
}

/* Does the literal hold a character no formatted number has?  A row's
 * numbers are not looked at before the pattern runs (see db.c), so a
 * literal of digits alone could be in one of them, unseen.  Caseless, "inf"
 * is in SQLite's text of an infinity ("Inf"). */
static int not_numeric(const char *p, size_t n, int caseless)
{
    for (size_t i = 0; i < n; i++) {
        char c = caseless && p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] | 0x20) : p[i];
        if (!strchr(caseless ? "0123456789.+-einfa" : "0123456789.+-eEInfNa", c))
            return 1;
    }
    return 0;
}

/* The end of the character class opening at p ('['), past its ']', or NULL
 * when it is one we do not follow (a POSIX name, an unfinished class). */
static const char *class_end(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;   /* a ']' first is a member */
    for (; *p && *p != ']'; p++) {
        if (*p == '[')
            return NULL;
        if (*p == '\\' && !*++p)
            return NULL;
    }
    return *p ? p + 1 : NULL;
}

/* How many times at least the item before a quantifier at p must occur:
 * *qlen gets the quantifier's length (0: none there); -1 when p holds a
 * brace that is not a quantifier we read. */
static int quant_min(const char *p, size_t *qlen)
{
    const char *q = p;
    int min = 1;
    if (*q == '*' || *q == '?') {
        min = 0;
        q++;
    } else if (*q == '+') {
        q++;
    } else if (*q == '{') {
        char *end;
        long lo = strtol(q + 1, &end, 10);
        if (end == q + 1 || !strchr(",}", *end))
            return -1;
        while (*end >= '0' && *end <= '9')
            end++;
        if (*end == ',')
            for (end++; *end >= '0' && *end <= '9'; end++)
                ;
        if (*end != '}')
            return -1;
        min = lo > 0;
        q = end + 1;
    }
    if (q > p && (*q == '?' || *q == '+'))
        q++;   /* lazy or possessive: the same count */
    *qlen = (size_t)(q - p);
    return min;
}

/* Keep p[0..n) as a required literal of r if it is worth looking for. */
static void add_literal(rx *r, const char *p, size_t n, int caseless)
{
    if (n == 0 || r->nlit == RX_MAXLIT || !not_numeric(p, n, caseless))
        return;
    rx_lit *l = &r->lit[r->nlit++];
    l->s = xmalloc(n + 1);
    memcpy(l->s, p, n);
    l->s[n] = '\0';
    l->n = n;
    /* the byte looked for first is a UTF-8 continuation byte when there is
     * one; a literal without ASCII letters is matched exactly even in a
     * caseless pattern */
    for (size_t i = n; i-- > 0;) {
        unsigned char c = (unsigned char)p[i];
        if ((c & 0xC0) == 0x80)
            l->at = i;
        if (caseless && (c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            l->caseless = 1;
    }
}

/* The literals every match contains: the runs of plain characters of the
 * pattern's top level, read left to right until something we do not follow
 * (a group, an escape other than a one-letter class, a POSIX class), less a
 * character a quantifier allows to be absent (or may: one before a group or
 * an escape that ends the reading).  None when the pattern has an
 * alternation anywhere (conservative: a | in a class or escaped is rare).
 * A literal of characters a formatted number can hold is dropped (see
 * not_numeric).  Caseless, a character that folds with more than its ASCII
 * other case ends a run (caseless_ok). */
static void set_literals(rx *r, const char *p, int caseless)
{
    if (strchr(p, '|'))
        return;
    const char *run = p;   /* the current run of plain characters */
    while (*p) {
        const char *item = p, *next;
        int plain = 0;
        uint32_t cp;
        if (*p == '\\') {
            if (!p[1] || !strchr("dDwWsShHvVbBRXN", p[1]) || (p[1] == 'N' && p[2] == '{'))
                goto opaque;
            next = p + 2;
        } else if (*p == '[') {
            if (!(next = class_end(p)))
                break;
        } else if (*p == '.' || *p == '^' || *p == '$') {
            next = p + 1;
        } else if (*p == '(') {
            goto opaque;
        } else if (strchr(")|*+?{}", *p) || (unsigned char)*p < 0x20) {
            break;   /* a quantifier with nothing before it, a newline */
        } else {
            int k = utf8_decode(p, strlen(p), &cp);
            if (k <= 0)
                break;
            next = p + k;
            plain = !caseless || caseless_ok(cp);
        }
        size_t qlen;
        int min = quant_min(next, &qlen);
        if (min < 0)
            break;
        if (!plain) {
            add_literal(r, run, (size_t)(item - run), caseless);
            run = next + qlen;
        } else if (qlen) {
            /* x*, x? and x{0,n} may leave x out; x+ and x{n,} keep one x,
             * but what follows it need not be next to the run */
            add_literal(r, run, (size_t)((min ? next : item) - run), caseless);
            run = next + qlen;
        }
        p = next + qlen;
    }
    add_literal(r, run, (size_t)(p - run), caseless);
    return;
opaque:
    /* a group or an escape we do not read may be nothing at all (\E, a
     * comment (?#...)) and leave a quantifier after it to the character
     * before: that one is not required */
    if (p > run) {
        const char *last = p - 1;
        while (last > run && ((unsigned char)*last & 0xC0) == 0x80)
            last--;
        add_literal(r, run, (size_t)(last - run), caseless);
    }
}

/* memmem with ASCII letters matched in either case */
static const char *find_caseless(const char *h, size_t n, const char *lit, size_t m)
{
    unsigned char a = (unsigned char)lit[0], b = a;
    if ((a | 0x20) >= 'a' && (a | 0x20) <= 'z')
        a |= 0x20, b = (unsigned char)(a & ~0x20);
    for (size_t i = 0; i + m <= n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c != a && c != b)
            continue;
        size_t j = 1;
        while (j < m) {
            unsigned char x = (unsigned char)h[i + j], y = (unsigned char)lit[j];
            if (x != y && !((x | 0x20) == (y | 0x20) && (y | 0x20) >= 'a' && (y | 0x20) <= 'z'))
                break;
            j++;
        }
        if (j == m)
            return h + i;
    }
    return NULL;
}

/* Does s hold l? */
static int lit_in(const rx_lit *l, const char *s, size_t n)
{
    if (l->caseless)
        return find_caseless(s, n, l->s, l->n) != NULL;
    /* memchr for one byte of the literal, then compare: the byte is a UTF-8
     * continuation byte when there is one (the lead bytes of CJK are in
     * nearly every character; a continuation byte is in one of ~60), which
     * beats memmem's set-up on the short values of a row */
    size_t at = l->at, m = l->n;
    if (n < m)
        return 0;
    const char *end = s + n - (m - at - 1), *q = s + at;
    while (q < end && (q = memchr(q, l->s[at], (size_t)(end - q))) != NULL) {
        if (memcmp(q - at, l->s, m) == 0)
            return 1;
        q++;
    }
    return 0;
}

int rx_may_match(const rx *r, const char *s, size_t n)
{
    for (int i = 0; i < r->nlit; i++)
        if (!lit_in(&r->lit[i], s, n))
            return 0;
    return 1;
}

int rx_may_match_parts(const rx *r, const char *const *s, const size_t *n, int nparts)
{
    for (int i = 0; i < r->nlit; i++) {
        int seen = 0;
        for (int j = 0; j < nparts && !seen; j++)
            seen = s[j] && lit_in(&r->lit[i], s[j], n[j]);
        if (!seen)
            return 0;
    }
    return 1;
}

int rx_has_literal(const rx *r) { return r->nlit > 0; }


/* PCRE2's own messages are English; those a clerk's typo meets, in the
 * interface language (the rest as PCRE2 words them). */
static const char *const pcre_words[] = {
    N_("missing closing parenthesis"),
    N_("unmatched closing parenthesis"),
    N_("missing terminating ] for character class"),
    N_("quantifier does not follow a repeatable item"),
    N_("numbers out of order in {} quantifier"),
    N_("\\ at end of pattern"),
    N_("\\c at end of pattern"),
    N_("number too big in {} quantifier"),
    N_("range out of order in character class"),
    N_("unrecognized character after (? or (?-"),
    N_("unknown property after \\P or \\p"),
    N_("syntax error in subpattern name (missing terminator?)"),
    N_("two named subpatterns have the same name (PCRE2_DUPNAMES not set)"),
    N_("lookbehind assertion is not fixed length"),
    N_("\\k is not followed by a braced, angle-bracketed, or quoted name"),
    N_("match limit exceeded"),
    N_("matching depth limit exceeded"),
};

static const char *pcre_message(int code, PCRE2_UCHAR *msg, size_t n)
{
    pcre2_get_error_message(code, msg, n);
    for (size_t i = 0; i < sizeof pcre_words / sizeof *pcre_words; i++)
        if (strcmp((const char *)msg, pcre_words[i]) == 0)
            return _(pcre_words[i]);
    return (const char *)msg;
}

rx *rx_compile(const char *pattern, int flags, mr_err *e)
{
    /* MATCH_INVALID_UTF: a register may hold invalid UTF-8 (a file written
     * by another tool); such bytes never match, but the rest of the row
     * still can, instead of the whole search failing with a UTF-8 error. */
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if ((flags & RX_CASELESS) || ((flags & RX_SMARTCASE) && !has_upper(pattern)))
        opts |= PCRE2_CASELESS;
    if (flags & RX_ROW)
        opts |= PCRE2_MULTILINE | PCRE2_DOTALL;
    int errcode;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &errcode,
                                     &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        err_set(e, EXIT_USAGE, _("bad pattern '%s' at offset %zu: %s"), pattern, (size_t)off,
                pcre_message(errcode, msg, sizeof msg));
        return NULL;
    }
    /* JIT, falling back to the interpreter if unavailable.  MINREG_NO_JIT
     * turns it off: valgrind cannot follow JIT-compiled code (its vector
     * loads look like reads past the subject), so valgrind runs set it. */
    const char *nojit = getenv("MINREG_NO_JIT");
    if (!nojit || !*nojit)
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    rx *r = xcalloc(1, sizeof *r);
    /* after ^ (at a column's start, or the row's) */
    set_literals(r, pattern + (*pattern == '^'), (opts & PCRE2_CASELESS) != 0);
    r->code = code;
    r->md = pcre2_match_data_create_from_pattern(code, NULL);
    r->mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(r->mc, MATCH_LIMIT);
    pcre2_set_depth_limit(r->mc, DEPTH_LIMIT);
    return r;
}

int rx_search(rx *r, const char *s, size_t n, size_t *so, size_t *eo, mr_err *e)
{
    int rc = pcre2_match(r->code, (PCRE2_SPTR)s, n, 0, 0, r->md, r->mc);
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
        if (so)
            *so = ov[0];
        if (eo)
            *eo = ov[1];
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    PCRE2_UCHAR msg[256];
    const char *why = pcre_message(rc, msg, sizeof msg);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
        err_set(e, EXIT_NOTFOUND, _("pattern stopped: too much backtracking (%s)"), why);
    else
        err_set(e, EXIT_NOTFOUND, _("pattern match failed: %s"), why);
    return -1;
}

void rx_free(rx *r)
{
    if (!r)
        return;
    pcre2_match_context_free(r->mc);
    pcre2_match_data_free(r->md);
    pcre2_code_free(r->code);
    for (int i = 0; i < r->nlit; i++)
        free(r->lit[i].s);
    free(r);
}
