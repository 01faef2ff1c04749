/* test_lineedit.c — the prompt's editing without curses (src/tui/lineedit.c):
 * moves by whole characters (CJK, combining marks, bad bytes), the kills,
 * history, the common prefix of completions, and the layout of a long line
 * with the cursor in view and no wide character cut at either edge. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/core/text.h"
#include "../../src/tui/lineedit.h"
#include "tap.h"

/* type s at the cursor, one code point at a time, as the prompt does */
static void type(lineedit *le, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        le_insert(le, cp);
        i += (size_t)k;
    }
}

static void ops(lineedit *le, le_op op, int times)
{
    while (times-- > 0)
        le_do(le, op);
}

/* the line as shown in cols columns: markers '<' '>', the cursor as '|' */
static const char *shown(lineedit *le, int cols)
{
    static buf b;
    le_shown sh;
    le_layout(le, cols, &sh);
    buf_reset(&b);
    buf line = BUF_INIT;
    if (sh.more_left)
        buf_putc(&line, '<');
    buf_add(&line, le_text(le) + sh.from, sh.to - sh.from);
    buf_pad(&line, sh.pad);
    if (sh.more_right)
        buf_putc(&line, '>');
    /* the cursor: a '|' before the column it is on */
    const char *s = buf_str(&line);
    int col = 0;
    size_t i = 0, n = strlen(s);
    while (i < n && col < sh.cursor_col) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        char one[8] = {0};
        memcpy(one, s + i, (size_t)k);
        col += text_width(one);
        i += (size_t)k;
    }
    buf_add(&b, s, i);
    buf_putc(&b, '|');
    buf_puts(&b, s + i);
    /* the line is exactly cols columns, the cursor on one of them */
    if (text_width(buf_str(&line)) != cols || sh.cursor_col >= cols)
        buf_puts(&b, " (BAD WIDTH)");
    buf_free(&line);
    return buf_str(&b);
}

int main(void)
{
    lineedit le;

    /* ---- editing in the middle ---- */
    le_init(&le, "abc");
    is_int(le.cur, 3, "the cursor starts at the end of the initial text");
    ops(&le, LE_LEFT, 2);
    type(&le, "X");
    is_str(le_text(&le), "aXbc", "← ← then typing inserts in the middle");
    le_do(&le, LE_HOME);
    type(&le, ">");
    is_str(le_text(&le), ">aXbc", "Home, then typing inserts at the start");
    le_do(&le, LE_END);
    type(&le, "<");
    is_str(le_text(&le), ">aXbc<", "End, then typing appends");
    le_do(&le, LE_HOME);
    le_do(&le, LE_DELETE);
    is_str(le_text(&le), "aXbc<", "Del at the start deletes the first character");
    ok(le_do(&le, LE_BACKSPACE) == 0 && le.cur == 0, "Backspace at the start: nothing, reported as no change");
    ops(&le, LE_RIGHT, 2);
    ok(le_do(&le, LE_BACKSPACE) == 1, "Backspace in the middle changes the text");
    is_str(le_text(&le), "abc<", "... deleting the character before the cursor");
    le_do(&le, LE_KILL_END);
    is_str(le_text(&le), "a", "^K deletes from the cursor to the end");
    ok(le_do(&le, LE_KILL_END) == 0, "^K at the end: no change");
    le_set(&le, "sort area_km2 desc");
    ops(&le, LE_LEFT, 5);
    le_do(&le, LE_KILL_WORD);
    is_str(le_text(&le), "sort  desc", "^W deletes the word before the cursor");
    le_do(&le, LE_KILL_WORD);
    is_str(le_text(&le), " desc", "^W again: the spaces, then the word before them");
    le_set(&le, "abc def");
    ops(&le, LE_LEFT, 3);
    le_do(&le, LE_KILL_START);
    is_str(le_text(&le), "def", "^U deletes everything before the cursor");
    is_int(le.cur, 0, "... leaving the cursor at the start");
    le_free(&le);

    /* ---- whole characters ---- */
    le_init(&le, "金矿Ab");
    ops(&le, LE_LEFT, 3);
    is_int(le.cur, 3, "← over ASCII and a CJK character: by whole characters (byte 3)");
    le_do(&le, LE_BACKSPACE);
    is_str(le_text(&le), "矿Ab", "Backspace deletes all three bytes of 金");
    le_do(&le, LE_DELETE);
    is_str(le_text(&le), "Ab", "Del deletes all three bytes of 矿");
    le_set(&le, "e\xcc\x81x");   /* e + combining acute */
    le_do(&le, LE_LEFT);
    le_do(&le, LE_LEFT);
    is_int(le.cur, 0, "a letter and its combining accent are one character for the cursor");
    le_do(&le, LE_DELETE);
    is_str(le_text(&le), "x", "... and Del deletes both");
    le_set(&le, "a\xff" "b");
    le_do(&le, LE_LEFT);
    le_do(&le, LE_BACKSPACE);
    is_str(le_text(&le), "ab", "an invalid byte is one character of its own");
    le_free(&le);

    /* ---- history ---- */
    le_history h = {0};
    le_history_add(&h, "a11");
    le_history_add(&h, "");
    le_history_add(&h, "sort area");
    le_history_add(&h, "sort area");
    is_int(h.n, 2, "history keeps neither empty lines nor the newest again");
    le_init(&le, "half typed");
    ok(le_history_step(&le, &h, -1) == 1, "↑ recalls");
    is_str(le_text(&le), "sort area", "... the newest first");
    le_history_step(&le, &h, -1);
    is_str(le_text(&le), "a11", "↑ again: the one before");
    ok(le_history_step(&le, &h, -1) == 0, "↑ at the oldest: nothing");
    is_int(le.cur, 3, "... the cursor at the end of the recalled line");
    le_history_step(&le, &h, 1);
    le_history_step(&le, &h, 1);
    is_str(le_text(&le), "half typed", "↓ past the newest gives back the line being typed");
    ok(le_history_step(&le, &h, 1) == 0, "↓ then: nothing");
    le_free(&le);
    for (int i = 0; i < LE_HISTORY_MAX + 5; i++) {
        char x[16];
        snprintf(x, sizeof x, "%d", i);
        le_history_add(&h, x);
    }
    is_int(h.n, LE_HISTORY_MAX, "history is bounded");
    is_str(h.items[0], "5", "... the oldest dropped first");
    le_history_free(&h);

    /* ---- the common prefix of completions ---- */
    le_cands c = {0};
    le_cands_add(&c, "a11");
    le_cands_add(&c, "a12");
    le_cands_add(&c, "a11");
    is_int(c.n, 2, "a candidate is listed once");
    is_int(le_cands_common(&c), 2, "a11 and a12 share 'a1'");
    le_cands_free(&c);
    le_cands_add(&c, "金矿");
    le_cands_add(&c, "金石");   /* 矿 e7 9f bf and 石 e7 9f b3 share two bytes */
    is_int(le_cands_common(&c), 3, "金矿 and 金石 share 金 only, never half of a character");
    le_cands_free(&c);

    /* ---- layout ---- */
    le_init(&le, "short");
    is_str(shown(&le, 10), "short|     ", "a short line: shown whole, the cursor after it");
    le_set(&le, "0123456789abcdef");
    is_str(shown(&le, 10), "<89abcdef| ", "a long line, the cursor at the end: scrolled, a marker on the left");
    ops(&le, LE_LEFT, 10);
    is_str(shown(&le, 10), "<|6789abcd>", "← to the window's left edge: scrolled back one at a time");
    le_do(&le, LE_HOME);
    is_str(shown(&le, 10), "|012345678>", "Home: the start, a marker on the right");
    ops(&le, LE_RIGHT, 9);
    is_str(shown(&le, 10), "<2345678|9>", "→ past the right edge: scrolled as little as shows the cursor");
    /* CJK: each character 2 columns; 10 columns hold the marker and 4 */
    le_set(&le, "辽宁省丹东市振安区");
    is_str(shown(&le, 10), "<市振安区| ", "CJK at the end: whole characters, and the cell after them for the cursor");
    le_do(&le, LE_HOME);
    is_str(shown(&le, 10), "|辽宁省丹 >", "CJK from the start: 丹 fits, 东 would be cut, so a space and the marker");
    ops(&le, LE_RIGHT, 4);
    is_str(shown(&le, 10), "<宁省丹|东>", "→ onto 东: it comes in whole, 辽 goes whole");
    le_set(&le, "ab辽宁省丹东");
    ops(&le, LE_LEFT, 3);
    is_str(shown(&le, 9), "<辽宁|省 >", "odd widths: no character cut at either edge (a space where 丹 would be cut)");
    le_set(&le, "a\x1b[2Jb");
    is_str(shown(&le, 20), "a\x1b[2Jb|             ", "a control character counts as its escape (\\e: 2 columns)");
    le_free(&le);

    return tap_done();
}
