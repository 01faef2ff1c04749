/* rx.c — PCRE2 wrapper (see rx.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rx.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct rx {
    char *lit;          /* a literal every match contains, or NULL */
    size_t nlit;
    int lit_caseless;   /* its ASCII letters match in either case */
    size_t lit_at;      /* the byte of it looked for first */
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

/* The literal a pattern starts with (after ^) as far as every match must
 * contain it: plain characters up to the first metacharacter, less the last
 * one when a quantifier that allows zero follows.  None when the pattern has
 * an alternation anywhere (conservative: a | in a class or escaped is rare),
 * or when it holds nothing but characters a formatted number can hold (a
 * row's numbers are not looked at before the pattern runs; see db.c). */
static char *required_literal(const char *p, int caseless, size_t *len)
{
    if (strchr(p, '|'))
        return NULL;
    if (*p == '^')
        p++;
    const char *end = p, *last = p;
    while (*end && !strchr("\\.[]()|*+?{}^$", *end) && (unsigned char)*end >= 0x20) {
        uint32_t cp;
        int k = utf8_decode(end, strlen(end), &cp);
        if (k <= 0 || (caseless && !caseless_ok(cp)))
            break;
        last = end;
        end += k;
    }
    if (end > p && *end && strchr("*?{", *end))
        end = last;   /* x*, x? and x{0,n} may leave the last one out */
    int plain = 0;
    for (const char *q = p; q < end; q++)
        if (!strchr("0123456789.+-eEInfNa", *q))
            plain = 1;
    if (!plain)
        return NULL;
    *len = (size_t)(end - p);
    char *lit = xmalloc(*len + 1);
    memcpy(lit, p, *len);
    lit[*len] = '\0';
    return lit;
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

/* r's literal, how it is looked for: the byte searched first is a UTF-8
 * continuation byte when there is one; a literal without ASCII letters is
 * matched exactly even in a caseless pattern. */
static void set_literal(rx *r, const char *pattern, int caseless)
{
    r->lit = required_literal(pattern, caseless, &r->nlit);
    for (size_t i = r->nlit; i-- > 0;) {
        unsigned char c = (unsigned char)r->lit[i];
        if ((c & 0xC0) == 0x80)
            r->lit_at = i;
        if (caseless && (c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            r->lit_caseless = 1;
    }
}

int rx_may_match(const rx *r, const char *s, size_t n)
{
    if (!r->lit)
        return 1;
    if (r->lit_caseless)
        return find_caseless(s, n, r->lit, r->nlit) != NULL;
    /* memchr for one byte of the literal, then compare: the byte is a UTF-8
     * continuation byte when there is one (the lead bytes of CJK are in
     * nearly every character; a continuation byte is in one of ~60), which
     * beats memmem's set-up on the short values of a row */
    size_t at = r->lit_at, m = r->nlit;
    if (n < m)
        return 0;
    const char *end = s + n - (m - at - 1), *q = s + at;
    while (q < end && (q = memchr(q, r->lit[at], (size_t)(end - q))) != NULL) {
        if (memcmp(q - at, r->lit, m) == 0)
            return 1;
        q++;
    }
    return 0;
}

int rx_has_literal(const rx *r) { return r->lit != NULL; }

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
        pcre2_get_error_message(errcode, msg, sizeof msg);
        err_set(e, EXIT_USAGE, "bad pattern '%s' at offset %zu: %s", pattern, (size_t)off,
                (const char *)msg);
        return NULL;
    }
    /* JIT, falling back to the interpreter if unavailable.  MINREG_NO_JIT
     * turns it off: valgrind cannot follow JIT-compiled code (its vector
     * loads look like reads past the subject), so valgrind runs set it. */
    const char *nojit = getenv("MINREG_NO_JIT");
    if (!nojit || !*nojit)
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    rx *r = xcalloc(1, sizeof *r);
    set_literal(r, pattern, (opts & PCRE2_CASELESS) != 0);
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
    pcre2_get_error_message(rc, msg, sizeof msg);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
        err_set(e, EXIT_NOTFOUND, "pattern stopped: too much backtracking (%s)", (const char *)msg);
    else
        err_set(e, EXIT_NOTFOUND, "pattern match failed: %s", (const char *)msg);
    return -1;
}

void rx_free(rx *r)
{
    if (!r)
        return;
    pcre2_match_context_free(r->mc);
    pcre2_match_data_free(r->md);
    pcre2_code_free(r->code);
    free(r->lit);
    free(r);
}
