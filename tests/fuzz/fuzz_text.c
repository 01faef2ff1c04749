/* fuzz_text.c — the display-width and escaping functions.
 *
 * Invariants, for any bytes: the escaped text is valid UTF-8 with no control
 * character, C1 control or bidi mark left; a cell of N columns is exactly N
 * columns wide, in both ambiguous-width modes.  A violation aborts, which
 * libFuzzer and the replay driver both report. */
#include "config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe(const char *s, size_t n)
{
    size_t i = 0;
    if (!utf8_valid(s, n, NULL))
        abort();
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k < 0 || cp_width(cp) < 0)   /* cp_width < 0: a character that must be escaped */
            abort();
        i += (size_t)k;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';   /* the functions take C strings: stop at the first NUL */
    for (int amb = 0; amb < 2; amb++) {
        text_set_ambiguous_wide(amb);
        buf e = BUF_INIT;
        text_escape(&e, s, strlen(s));
        check_safe(buf_str(&e), e.len);
        /* the width is that of what the terminal gets: the escaped text */
        if (text_width(s) < 0 || text_width(s) != text_width(buf_str(&e)))
            abort();
        static const int widths[] = {0, 1, 2, 3, 7, 40, 80, 200};
        for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
            buf c = BUF_INIT;
            text_cell(&c, s, widths[w], (int)(w & 1));
            check_safe(buf_str(&c), c.len);
            if (text_width(buf_str(&c)) != widths[w])
                abort();
            buf_free(&c);
        }
        int used;
        size_t k = text_fit(buf_str(&e), 10, &used);
        if (k > e.len || used > 10)
            abort();
        buf_free(&e);
    }
    text_set_ambiguous_wide(0);
    free(s);
    return 0;
}
