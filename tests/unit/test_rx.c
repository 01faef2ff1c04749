/* test_rx.c — PCRE2 patterns: the literal prefilter (rx_may_match) only ever
 * names strings every match contains, and the row search gives the same
 * answers with it as without. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/rx.h"
#include "tap.h"

/* the prefilter's answer for subject S: 1 may match, 0 cannot, -1 no literal */
static int pre(const char *pattern, int flags, const char *s)
{
    mr_err e = {0};
    rx *r = rx_compile(pattern, flags, &e);
    if (!r)
        return -2;
    int m = rx_has_literal(r) ? rx_may_match(r, s, strlen(s)) : -1;
    rx_free(r);
    return m;
}

/* the prefilter over a row in parts (its text values) */
static int pre_parts(const char *pattern, const char *a, const char *b)
{
    mr_err e = {0};
    rx *r = rx_compile(pattern, RX_SMARTCASE | RX_ROW, &e);
    if (!r)
        return -2;
    const char *s[2] = {a, b};
    size_t n[2] = {a ? strlen(a) : 0, b ? strlen(b) : 0};
    int m = rx_may_match_parts(r, s, n, 2);
    rx_free(r);
    return m;
}

static int search(const char *pattern, int flags, const char *s)
{
    mr_err e = {0};
    rx *r = rx_compile(pattern, flags, &e);
    int m = r ? rx_search(r, s, strlen(s), NULL, NULL, &e) : -2;
    rx_free(r);
    return m;
}

/* Random patterns and subjects from pieces that exercise the reading of
 * literals (quantifiers, classes, escapes, case): whenever the pattern
 * matches, the prefilter must have said it may, over the whole subject and
 * over its newline-separated parts.  Returns the number of violations. */
static int prefilter_sound(int rounds, int *tried)
{
    static const char *const pp[] = {"矿", "山", "a", "k", "s", "K", ".", "\\d", "\\w", "[",
                                     "]", "^", "$", "*", "+", "?", "{", "}", ",", "0", "1", "2",
                                     "(", ")", "\\", "-", "\\n", "[a矿]", "{0,2}", "{1}", "x",
                                     "\\.", "\\Q", "\\E", "(?#c)", "(?i)", "\\b", "\\K",
                                     "\\x{77ff}", "\\p{Han}", "[[:alpha:]]", "(?:", "|"};
    static const char *const sp[] = {"矿", "山", "a", "A", "k", "K", "\xe2\x84\xaa", "s",
                                     "\xc5\xbf", "1", "2", "\n", "x", "-", ",", "{", "}", "."};
    unsigned long seed = 12345;
    int bad = 0;
    *tried = 0;
    for (int i = 0; i < rounds; i++) {
        char pat[128] = "", sub[128] = "";
        int np = 1 + (int)((seed = seed * 6364136223846793005UL + 1442695040888963407UL) >> 33) % 8;
        for (int j = 0; j < np; j++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            strcat(pat, pp[(seed >> 33) % (sizeof pp / sizeof *pp)]);
        }
        int ns = (int)((seed = seed * 6364136223846793005UL + 1442695040888963407UL) >> 33) % 10;
        for (int j = 0; j < ns; j++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            strcat(sub, sp[(seed >> 33) % (sizeof sp / sizeof *sp)]);
        }
        int flags = (seed >> 40) & 1 ? RX_SMARTCASE | RX_ROW : RX_ROW;
        mr_err e = {0};
        rx *r = rx_compile(pat, flags, &e);
        if (!r)
            continue;
        if (rx_search(r, sub, strlen(sub), NULL, NULL, &e) == 1) {
            ++*tried;
            const char *parts[16];
            size_t lens[16];
            int n = 0;
            for (const char *q = sub;; n++) {
                const char *nl = strchr(q, '\n');
                parts[n] = q;
                lens[n] = nl ? (size_t)(nl - q) : strlen(q);
                if (!nl)
                    break;
                q = nl + 1;
            }
            if (!rx_may_match(r, sub, strlen(sub)) || !rx_may_match_parts(r, parts, lens, n + 1)) {
                if (bad++ < 5)
                    printf("# prefilter refused a match: pattern '%s', subject '%s'\n", pat, sub);
            }
        }
        rx_free(r);
    }
    return bad;
}

int main(void)
{
    int row = RX_SMARTCASE | RX_ROW;
    is_int(pre("整合方案.{0,12}第1\\d条", row, "见整合方案第17条"), 1, "leading CJK literal present");
    is_int(pre("整合方案.{0,12}第1\\d条", row, "整合方 第17条"), 0, "... absent: passed over");
    is_int(pre("^KZ\\d+", row, "KZ21"), 1, "after ^, case-sensitive (upper case in it)");
    is_int(pre("^KZ\\d+", row, "kz21"), 0, "... so kz does not count");
    is_int(pre("宽甸县?", row, "宽甸"), 1, "a last character that may be absent is not required");
    is_int(pre("宽甸县*", row, "宽甸"), 1, "... x*");
    is_int(pre("宽甸县{0,2}", row, "宽甸"), 1, "... x{0,n}");
    is_int(pre("宽甸县+", row, "宽甸"), 0, "x+ is required at least once");
    is_int(pre("宽甸|凤城", row, ""), -1, "alternation: no literal");
    is_int(pre("(宽甸)", row, ""), -1, "a group first: no literal");
    is_int(pre("457.2456", row, ""), -1, "digits only: a formatted number could hold it");
    is_int(pre("2021-07", row, ""), -1, "a date's digits and dash: no literal");
    is_int(pre("inf", row, ""), -1, "caseless inf: an infinity's text (Inf), no literal");
    is_int(pre("Inf", row, ""), -1, "... nor Inf");
    is_int(pre("inf", RX_ROW, "x"), 0, "case-sensitive inf is not Inf: a literal");
    is_int(pre("gold", row, "GOLD mine"), 1, "caseless (smart case): ASCII letters in either case");
    is_int(pre("gold", row, "gol d"), 0, "... and absent");
    is_int(pre("Gold", row, "GOLD"), 0, "case-sensitive letters: exact");
    is_int(pre("矿k", RX_CASELESS | RX_ROW, "矿K"), 1, "caseless: the literal stops before k (the Kelvin sign folds with it)");
    is_int(pre("矿k", RX_CASELESS | RX_ROW, "K"), 0, "... but keeps what comes before");
    is_int(pre("so", RX_CASELESS | RX_ROW, "\xc5\xbfO"), 1, "caseless s (the long s folds with it) is not looked for, o is");
    is_int(pre("x\\.b", RX_ROW, "x"), -1, "an escape ends the reading, less the character before it (x\\E? leaves x out)");
    is_int(pre("xy\\E?", RX_ROW, "x"), 1, "... so xy\\E? requires x alone");

    /* every literal of the top level is required, not only the first */
    is_int(pre("整合方案.{0,12}第1\\d条", row, "见整合方案第27条"), 0, "the second literal (第1) absent: passed over");
    is_int(pre("整合方案.{0,12}第1\\d条", row, "整合方案第1"), 0, "... the third (条 after \\d) too");
    is_int(pre("整合方案.{0,12}第1\\d条", row, "第17条 整合方案"), 1, "the literals in any order may match (the pattern decides)");
    is_int(pre("矿[甲乙]山区", row, "矿甲山区"), 1, "a class between two literals");
    is_int(pre("矿[甲乙]山区", row, "矿甲山"), 0, "... the second one absent");
    is_int(pre("矿[]乙]山区", row, "矿]山区"), 1, "a ] first in a class is a member");
    is_int(pre("宽甸县?满族", row, "宽甸满族"), 1, "x? between two literals: neither keeps x");
    is_int(pre("宽甸+满族", row, "宽甸甸满族"), 1, "x+: x ends the first literal");
    is_int(pre("宽甸+满族", row, "宽满族"), 0, "... and is required");
    is_int(pre("矿{2}山", row, "矿矿山"), 1, "x{2} keeps x, ends the run");
    is_int(pre("矿{0,3}山", row, "山"), 1, "x{0,n} leaves it out");
    is_int(pre("矿{,3}山", row, ""), -1, "a brace that is no quantifier ends the reading (and 矿 may be optional)");
    is_int(pre("整合方案(第\\d+条)", row, "整合方案"), 1, "a group ends the reading: only what came before");
    is_int(pre("整合\\x{65b9}案", row, "整合"), 1, "so does an escape other than a one-letter class");
    is_int(pre("第\\d+条.*2021", row, "第3条"), 1, "digits alone are dropped, the other literals kept");
    is_int(pre("矿$.^山", row, "矿"), 0, "anchors end a run; both sides required");
    is_int(pre("矿k山", RX_CASELESS | RX_ROW, "矿K"), 0, "caseless: a k ends a run, the literal after it is required");
    is_int(pre("矿k山", RX_CASELESS | RX_ROW, "矿\xe2\x84\xaa山"), 1, "... and k itself is not looked for");
    is_int(pre_parts("整合方案.{0,12}第1\\d条", "整合方案", "第17条"), 1, "a row in parts: each literal in some part");
    is_int(pre_parts("整合方案.{0,12}第1\\d条", "整合方案", "第27条"), 0, "... one missing from all");
    is_int(pre_parts("整合方案.{0,12}第1\\d条", NULL, "整合方案第17条"), 1, "... a NULL part is skipped");

    /* the prefilter decides nothing on its own: same answers either way */
    is_int(search("整合方案.{0,12}第1\\d条", row, "整合方案\n第17条"), 1, "a match across columns");
    is_int(search("整合方案.{0,12}第1\\d条", row, "整合\n方案第17条"), 0, "literal split by a column: no match");
    is_int(search("宽甸县?", row, "宽甸满族自治县"), 1, "optional last character");
    is_int(search("Gold", row, "gold"), 0, "case-sensitive");
    is_int(search("kelvin", row, "\xe2\x84\xaa" "elvin"), 1, "caseless k matches the Kelvin sign (why k has no literal)");
    is_int(search("gold", row, "GoLd"), 1, "caseless ASCII");
    is_int(search("宽甸+满族", row, "宽甸甸满族"), 1, "x+ as read");
    is_int(search("矿[]乙]山区", row, "矿]山区"), 1, "] first in a class");
    is_int(search("矿k山", RX_CASELESS | RX_ROW, "矿\xe2\x84\xaa山"), 1, "caseless k and the Kelvin sign");
    int tried = 0, bad = prefilter_sound(200000, &tried);
    is_int(bad, 0, "random patterns: the prefilter never refuses a match (%d matches tried)", tried);
    return tap_done();
}
