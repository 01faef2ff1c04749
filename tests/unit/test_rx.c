/* test_rx.c — PCRE2 patterns: the literal prefilter (rx_literal) only ever
 * names a string every match contains, and the row search gives the same
 * answers with it as without. */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/rx.h"
#include "tap.h"

/* the literal of PATTERN compiled with FLAGS, or "(none)" */
static const char *lit(const char *pattern, int flags)
{
    static char out[256];
    mr_err e = {0};
    rx *r = rx_compile(pattern, flags, &e);
    if (!r)
        return "(bad)";
    size_t n;
    const char *l = rx_literal(r, &n);
    snprintf(out, sizeof out, "%.*s", l ? (int)n : 6, l ? l : "(none)");
    rx_free(r);
    return out;
}

static int search(const char *pattern, int flags, const char *s)
{
    mr_err e = {0};
    rx *r = rx_compile(pattern, flags, &e);
    int m = r ? rx_search(r, s, strlen(s), NULL, NULL, &e) : -2;
    rx_free(r);
    return m;
}

int main(void)
{
    int row = RX_SMARTCASE | RX_ROW;
    is_str(lit("整合方案.{0,12}第1\\d条", row), "整合方案", "leading CJK run up to the first metacharacter");
    is_str(lit("^KZ\\d+", row), "KZ", "after ^, case-sensitive (upper case in it)");
    is_str(lit("硼矿.*宽甸", row), "硼矿", "run before .*");
    is_str(lit("宽甸县?", row), "宽甸", "a last character that may be absent is left out");
    is_str(lit("宽甸县*", row), "宽甸", "... x*");
    is_str(lit("宽甸县{0,2}", row), "宽甸", "... x{0,n}");
    is_str(lit("宽甸县+", row), "宽甸县", "x+ keeps it: at least one");
    is_str(lit("宽甸|凤城", row), "(none)", "alternation: none");
    is_str(lit("(宽甸)", row), "(none)", "a group first: none");
    is_str(lit("457.2456", row), "(none)", "digits only: a formatted number could hold it");
    is_str(lit("2021-07", row), "(none)", "a date's digits and dash: none");
    is_str(lit("gold", row), "(none)", "caseless (smart case) with letters: none");
    is_str(lit("Gold", row), "Gold", "case-sensitive letters: kept");
    is_str(lit("矿区", RX_CASELESS | RX_ROW), "矿区", "caseless CJK: no case to vary");
    is_str(lit("矿k", RX_CASELESS | RX_ROW), "矿", "caseless: stops before a letter");
    is_str(lit("x\\.b", RX_ROW), "x", "an escape ends the run");

    /* the prefilter decides nothing on its own: same answers either way */
    is_int(search("整合方案.{0,12}第1\\d条", row, "整合方案\n第17条"), 1, "a match across columns");
    is_int(search("整合方案.{0,12}第1\\d条", row, "整合\n方案第17条"), 0, "literal split by a column: no match");
    is_int(search("宽甸县?", row, "宽甸满族自治县"), 1, "optional last character");
    is_int(search("Gold", row, "gold"), 0, "case-sensitive");
    return tap_done();
}
