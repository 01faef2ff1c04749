/* test_text.c — display width, fitting and escaping. */
#include "config.h"
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tap.h"

static char *cell(const char *s, int cols, int right)
{
    buf b = BUF_INIT;
    text_cell(&b, s, cols, right);
    return buf_steal(&b);
}

static void cell_is(const char *s, int cols, int right, const char *want, const char *desc)
{
    char *got = cell(s, cols, right);
    is_str(got, want, "%s", desc);
    is_int(text_width(got), cols, "%s: exactly %d columns", desc, cols);
    free(got);
}

static char *esc(const char *s)
{
    buf b = BUF_INIT;
    text_escape(&b, s, strlen(s));
    return buf_steal(&b);
}

int main(void)
{
    /* widths */
    is_int(text_width("abc"), 3, "ASCII is 1 column each");
    is_int(text_width("丹东市"), 6, "CJK is 2 columns each");
    is_int(text_width("面积(平方公里)"), 14, "mixed CJK and ASCII");
    is_int(text_width("ｱ"), 1, "halfwidth katakana is 1");
    is_int(text_width("ＡＢ"), 4, "fullwidth latin is 2");
    is_int(text_width("😀"), 2, "emoji is 2");
    is_int(text_width("e\xcc\x81"), 1, "combining acute adds 0");
    is_int(text_width("“”·①×"), 5, "ambiguous characters narrow by default");
    text_set_ambiguous_wide(1);
    is_int(text_width("“”·①×"), 10, "ambiguous characters wide when asked");
    is_int(text_width("丹东"), 4, "CJK stays 2 when ambiguous is wide");
    text_set_ambiguous_wide(0);
    is_int(text_width("km²"), 3, "superscript two is narrow by default");

    /* escaping */
    char *e;
    e = esc("a\x1b[31mred\x1b[0m");
    is_str(e, "a\\e[31mred\\e[0m", "ESC sequences are shown escaped");
    free(e);
    e = esc("x\ny\tz\r");
    is_str(e, "x\\ny\\tz\\r", "newline, tab and CR are escaped");
    free(e);
    e = esc("\xc2\x9b" "2J");
    is_str(e, "\\u009b2J", "C1 CSI is escaped");
    free(e);
    e = esc("abc\xe2\x80\xae" "cba");
    is_str(e, "abc\\u202ecba", "bidi override U+202E is escaped");
    free(e);
    e = esc("\xe2\x81\xa6x\xe2\x80\x8f");
    is_str(e, "\\u2066x\\u200f", "bidi isolate and RLM are escaped");
    free(e);
    e = esc("ok\xff\xfe");
    is_str(e, "ok\\xff\\xfe", "invalid UTF-8 bytes are shown as \\xHH");
    free(e);
    e = esc("\x07\x7f");
    is_str(e, "\\x07\\x7f", "BEL and DEL are escaped");
    free(e);
    e = esc("丹东 “ok”");
    is_str(e, "丹东 “ok”", "ordinary text passes unchanged");
    free(e);
    is_int(text_width("\x1b"), 2, "width counts the escape as shown");

    /* Unicode format characters (Cf) and the Hangul fillers: invisible, so
     * shown escaped; each listed in issue 15 item 7, one at a time */
    static const struct { const char *s, *want; } fmt[] = {
        {"金矿\xe2\x80\x8b", "金矿\\u200b"},           /* ZERO WIDTH SPACE */
        {"a\xe2\x80\x8c" "b\xe2\x80\x8d" "c", "a\\u200cb\\u200dc"},   /* ZWNJ, ZWJ */
        {"\xe2\x81\xa0", "\\u2060"},                  /* WORD JOINER */
        {"\xef\xbb\xbf" "x", "\\ufeffx"},                /* BOM / ZWNBSP */
        {"soft\xc2\xad" "hyphen", "soft\\u00adhyphen"},  /* SOFT HYPHEN */
        {"\xd8\x80\xd8\x85", "\\u0600\\u0605"},          /* Arabic number signs */
        {"\xd8\x9c\xdb\x9d", "\\u061c\\u06dd"},          /* ALM, end of ayah */
        {"\xe2\x81\xaa\xe2\x81\xaf", "\\u206a\\u206f"},  /* deprecated format controls */
        {"\xef\xbf\xb9\xef\xbf\xbb", "\\ufff9\\ufffb"},  /* interlinear annotation */
        {"\xf3\xa0\x80\x81\xf3\xa0\x81\x81\xf3\xa0\x81\xbf", "\\U000e0001\\U000e0041\\U000e007f"},  /* tags */
        {"\xe1\x85\x9f\xe1\x85\xa0\xe3\x85\xa4\xef\xbe\xa0", "\\u115f\\u1160\\u3164\\uffa0"},  /* Hangul fillers */
    };
    for (size_t i = 0; i < sizeof fmt / sizeof *fmt; i++) {
        e = esc(fmt[i].s);
        is_str(e, fmt[i].want, "format character shown escaped: %s", fmt[i].want);
        is_int(text_width(fmt[i].s), text_width(e),
               "... and measured as shown (%s)", fmt[i].want);
        is_int(text_safe_run(fmt[i].s, strlen(fmt[i].s)) < strlen(fmt[i].s), 1,
               "... and never in a run passed on raw (%s)", fmt[i].want);
        free(e);
    }
    uint32_t cp = 0;
    ok(text_find_format("金矿\xe2\x80\x8b", strlen("金矿\xe2\x80\x8b"), &cp) && cp == 0x200B,
       "text_find_format finds U+200B after 金矿");
    ok(!text_find_format("金矿 “ok” ①·km²\xff", strlen("金矿 “ok” ①·km²\xff"), &cp),
       "... and nothing in ordinary text (nor in an invalid byte)");
    ok(cp_is_format(0xAD) && cp_is_format(0x200E) && cp_is_format(0xE0020) && !cp_is_format(0x2028) &&
       !cp_is_format(0xFE0F) && !cp_is_format(0x4E00) && !cp_is_format('a'),
       "cp_is_format: Cf and fillers yes; separators, variation selectors, CJK, ASCII no");
    e = esc("丹东\xe2\x80\xa8");
    is_str(e, "丹东\\u2028", "a line separator is still escaped");
    free(e);

    size_t off = 99;
    ok(utf8_valid("丹东", strlen("丹东"), &off), "valid UTF-8 is valid");
    ok(!utf8_valid("ab\xe4\xb8", 4, &off) && off == 2, "truncated sequence found at its offset");
    ok(!utf8_valid("\xed\xa0\x80", 3, &off), "UTF-8 surrogates are invalid");
    ok(!utf8_valid("\xc0\xaf", 2, &off), "overlong encodings are invalid");

    /* fitting */
    int used;
    is_int(text_fit("丹东市", 5, &used), 6, "fit 5 columns of 丹东市 takes two characters");
    is_int(used, 4, "... using 4 columns, never half a character");
    cell_is("abc", 6, 0, "abc   ", "short text is padded on the right");
    cell_is("42", 6, 1, "    42", "numbers are right-aligned");
    cell_is("丹东市振安区", 7, 0, "丹东市…", "truncation shows a marker");
    cell_is("丹东市振安区", 8, 0, "丹东市… ", "marker and padding fill an odd gap");
    cell_is("abcdef", 1, 0, "…", "one column shows only the marker");
    cell_is("丹东", 2, 0, "… ", "a wide character never splits");
    text_set_ambiguous_wide(1);
    cell_is("abc", 1, 0, "a", "below a wide marker's width the text is cut");
    text_set_ambiguous_wide(0);
    cell_is("a\x1b" "b", 4, 0, "a\\eb", "escapes are fitted like text");

    /* the same text at 40, 80 and 200 columns */
    const char *line = "辽宁凤城赛马镇-宽甸双山子镇(省级) “铌矿;钽矿;稀土矿”·① 😀 421.9491 km² ";
    char big[2048] = "";
    while (strlen(big) + strlen(line) < sizeof big)
        strcat(big, line);
    int widths[] = {40, 80, 200};
    for (int amb = 0; amb < 2; amb++) {
        text_set_ambiguous_wide(amb);
        for (int i = 0; i < 3; i++) {
            char *c = cell(big, widths[i], 0);
            is_int(text_width(c), widths[i], "mixed text fits %d columns exactly (ambiguous %s)",
                   widths[i], amb ? "wide" : "narrow");
            ok(utf8_valid(c, strlen(c), NULL), "... and stays valid UTF-8 (%d)", widths[i]);
            free(c);
        }
    }
    text_set_ambiguous_wide(0);
    return tap_done();
}
