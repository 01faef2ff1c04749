/* text.c — UTF-8 widths, fitting and escaping (see text.h). */
#include "text.h"

#include <stdio.h>
#include <string.h>

typedef struct { uint32_t lo, hi; } range;

/* East Asian Wide (W) and Fullwidth (F) ranges plus emoji presentation
 * (Unicode 15), condensed. */
static const range wide[] = {
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
    {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615},
    {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
    {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE},
    {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
    {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
    {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755},
    {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}, {0x2E80, 0x303E},
    {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
    {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
    {0x1F200, 0x1F202}, {0x1F210, 0x1F23B}, {0x1F240, 0x1F248},
    {0x1F250, 0x1F251}, {0x1F260, 0x1F265}, {0x1F300, 0x1F320},
    {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393},
    {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0},
    {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440},
    {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E},
    {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596},
    {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5},
    {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7},
    {0x1F6DC, 0x1F6DF}, {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC},
    {0x1F7E0, 0x1F7EB}, {0x1F7F0, 0x1F7F0}, {0x1F90C, 0x1F93A},
    {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Zero-width: combining marks, joiners, variation selectors. */
static const range zero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},
    {0x05C1, 0x05C2}, {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC}, {0x06DF, 0x06E4},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF}, {0x200B, 0x200D}, {0x2060, 0x2064}, {0x20D0, 0x20FF},
    {0x302A, 0x302D}, {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0x1F3FB, 0x1F3FF}, {0xE0000, 0xE0FFF},
};

/* East Asian Ambiguous (A), the parts seen in Chinese text and tables. */
static const range ambiguous[] = {
    {0x00A1, 0x00A1}, {0x00A4, 0x00A4}, {0x00A7, 0x00A8}, {0x00AA, 0x00AA},
    {0x00AD, 0x00AE}, {0x00B0, 0x00B4}, {0x00B6, 0x00BA}, {0x00BC, 0x00BF},
    {0x00C6, 0x00C6}, {0x00D0, 0x00D0}, {0x00D7, 0x00D8}, {0x00DE, 0x00E1},
    {0x00E6, 0x00E6}, {0x00E8, 0x00EA}, {0x00EC, 0x00ED}, {0x00F0, 0x00F0},
    {0x00F2, 0x00F3}, {0x00F7, 0x00FA}, {0x00FC, 0x00FC}, {0x00FE, 0x00FE},
    {0x0101, 0x0101}, {0x0111, 0x0111}, {0x0113, 0x0113}, {0x011B, 0x011B},
    {0x012B, 0x012B}, {0x0144, 0x0144}, {0x014D, 0x014D}, {0x016B, 0x016B},
    {0x01CE, 0x01CE}, {0x01D0, 0x01D0}, {0x01D2, 0x01D2}, {0x01D4, 0x01D4},
    {0x01D6, 0x01D6}, {0x01D8, 0x01D8}, {0x01DA, 0x01DA}, {0x01DC, 0x01DC},
    {0x0251, 0x0251}, {0x0261, 0x0261}, {0x02C4, 0x02C4}, {0x02C7, 0x02C7},
    {0x02C9, 0x02CB}, {0x02CD, 0x02CD}, {0x02D0, 0x02D0}, {0x02D8, 0x02DB},
    {0x02DD, 0x02DD}, {0x02DF, 0x02DF}, {0x0391, 0x03A9}, {0x03B1, 0x03C9},
    {0x0401, 0x0401}, {0x0410, 0x044F}, {0x0451, 0x0451}, {0x2010, 0x2010},
    {0x2013, 0x2016}, {0x2018, 0x2019}, {0x201C, 0x201D}, {0x2020, 0x2022},
    {0x2024, 0x2027}, {0x2030, 0x2030}, {0x2032, 0x2033}, {0x2035, 0x2035},
    {0x203B, 0x203B}, {0x203E, 0x203E}, {0x2074, 0x2074}, {0x207F, 0x207F},
    {0x2081, 0x2084}, {0x20AC, 0x20AC}, {0x2103, 0x2103}, {0x2105, 0x2105},
    {0x2109, 0x2109}, {0x2113, 0x2113}, {0x2116, 0x2116}, {0x2121, 0x2122},
    {0x2126, 0x2126}, {0x212B, 0x212B}, {0x2153, 0x2154}, {0x215B, 0x215E},
    {0x2160, 0x216B}, {0x2170, 0x2179}, {0x2189, 0x2189}, {0x2190, 0x2199},
    {0x21B8, 0x21B9}, {0x21D2, 0x21D2}, {0x21D4, 0x21D4}, {0x21E7, 0x21E7},
    {0x2200, 0x2200}, {0x2202, 0x2203}, {0x2207, 0x2208}, {0x220B, 0x220B},
    {0x220F, 0x220F}, {0x2211, 0x2211}, {0x2215, 0x2215}, {0x221A, 0x221A},
    {0x221D, 0x2220}, {0x2223, 0x2223}, {0x2225, 0x2225}, {0x2227, 0x222C},
    {0x222E, 0x222E}, {0x2234, 0x2237}, {0x223C, 0x223D}, {0x2248, 0x2248},
    {0x224C, 0x224C}, {0x2252, 0x2252}, {0x2260, 0x2261}, {0x2264, 0x2267},
    {0x226A, 0x226B}, {0x226E, 0x226F}, {0x2282, 0x2283}, {0x2286, 0x2287},
    {0x2295, 0x2295}, {0x2299, 0x2299}, {0x22A5, 0x22A5}, {0x22BF, 0x22BF},
    {0x2312, 0x2312}, {0x2460, 0x24E9}, {0x24EB, 0x254B}, {0x2550, 0x2573},
    {0x2580, 0x258F}, {0x2592, 0x2595}, {0x25A0, 0x25A1}, {0x25A3, 0x25A9},
    {0x25B2, 0x25B3}, {0x25B6, 0x25B7}, {0x25BC, 0x25BD}, {0x25C0, 0x25C1},
    {0x25C6, 0x25C8}, {0x25CB, 0x25CB}, {0x25CE, 0x25D1}, {0x25E2, 0x25E5},
    {0x25EF, 0x25EF}, {0x2605, 0x2606}, {0x2609, 0x2609}, {0x260E, 0x260F},
    {0x261C, 0x261C}, {0x261E, 0x261E}, {0x2640, 0x2640}, {0x2642, 0x2642},
    {0x2660, 0x2661}, {0x2663, 0x2665}, {0x2667, 0x266A}, {0x266C, 0x266D},
    {0x266F, 0x266F}, {0x273D, 0x273D}, {0x2776, 0x277F}, {0x2B56, 0x2B59},
    {0x3248, 0x324F}, {0xE000, 0xF8FF}, {0xFFFD, 0xFFFD},
};

static int amb_wide;

void text_set_ambiguous_wide(int w) { amb_wide = w != 0; }
int text_ambiguous_wide(void) { return amb_wide; }

/* --ascii: the marks minreg draws with, each East Asian Ambiguous (two
 * columns wide in PuTTY with a CJK font, so they break alignment), shown as
 * ASCII wherever they appear, on screen and in the CLI's text output. */
static int ascii_only;
void text_set_ascii(int on) { ascii_only = on; }
int text_ascii(void) { return ascii_only; }

static const char *ascii_glyph(uint32_t cp)
{
    if (!ascii_only || (cp < 0x2000 && cp != 0xB7))
        return NULL;
    switch (cp) {
    case 0x00B7: return "|";     /* · */
    case 0x2192: return "->";    /* → */
    case 0x21B3: return "`-";    /* ↳ */
    case 0x2014: return "--";    /* — */
    case 0x2013: return "-";     /* – */
    case 0x2026: return "...";   /* … */
    case 0x2502: return "|";     /* │ */
    case 0x2500: return "-";     /* ─ */
    case 0x25B2: return "^";     /* ▲ */
    case 0x25BC: return "v";     /* ▼ */
    case 0x25BE: return "v";     /* ▾ */
    case 0x2205: return "-";     /* ∅ */
    case 0x201C: case 0x201D: return "\"";   /* “ ” */
    case 0x2018: case 0x2019: return "'";     /* ‘ ’ */
    default: return NULL;
    }
}

static int in_ranges(uint32_t cp, const range *r, size_t n)
{
    size_t lo = 0, hi = n;
    if (cp < r[0].lo || cp > r[n - 1].hi)
        return 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Unicode format characters (general category Cf, Unicode 15) and the
 * Hangul fillers U+115F, U+1160, U+3164, U+FFA0: invisible, or drawn as
 * nothing, so 金矿 and 金矿 followed by U+200B look the same.  They include
 * the bidi marks, overrides and isolates. */
static const range format[] = {
    {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C}, {0x06DD, 0x06DD},
    {0x070F, 0x070F}, {0x0890, 0x0891}, {0x08E2, 0x08E2}, {0x115F, 0x1160},
    {0x180E, 0x180E}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
    {0x2066, 0x206F}, {0x3164, 0x3164}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0},
    {0xFFF9, 0xFFFB}, {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F},
    {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
};

int cp_is_format(uint32_t cp)
{
    if (cp < 0xAD || (cp > 0x206F && cp < 0x3164) || (cp > 0x3164 && cp < 0xFEFF))
        return 0;   /* ASCII, Latin, and the CJK blocks: the common cases */
    return in_ranges(cp, format, NELEM(format));
}

/* Characters that must never reach the terminal raw: controls, format
 * characters (bidi marks among them), line and paragraph separators, and
 * surrogates. */
static int cp_unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
           cp == 0x2029 || (cp >= 0xD800 && cp <= 0xDFFF) || cp_is_format(cp);
}

int text_find_format(const char *s, size_t n, uint32_t *cp)
{
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0xC2) {   /* ASCII, or invalid: never a format character */
            i++;
            continue;
        }
        int k = utf8_decode(s + i, n - i, cp);
        if (k < 0) {
            i++;
            continue;
        }
        if (cp_is_format(*cp))
            return 1;
        i += (size_t)k;
    }
    return 0;
}

int cp_width(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)   /* the common cases first: ASCII, CJK */
        return 1;
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return 2;
    if (cp_unsafe(cp))
        return -1;
    if (cp < 0x300)
        return (cp >= 0xA1 && amb_wide && in_ranges(cp, ambiguous, NELEM(ambiguous))) ? 2 : 1;
    if (in_ranges(cp, zero, NELEM(zero)))
        return 0;
    if (in_ranges(cp, wide, NELEM(wide)))
        return 2;
    if (amb_wide && in_ranges(cp, ambiguous, NELEM(ambiguous)))
        return 2;
    return 1;
}

int utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return -1;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    int len;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0) {
        len = 2; c = u[0] & 0x1F; min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3; c = u[0] & 0x0F; min = 0x800;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4; c = u[0] & 0x07; min = 0x10000;
    } else {
        return -1;
    }
    if ((size_t)len > n)
        return -1;
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    return len;
}

void utf8_append(buf *out, uint32_t cp)
{
    char mb[4];
    int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (int i = n - 1; i > 0; i--) {
        mb[i] = (char)(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    mb[0] = (char)(n == 1 ? cp : ((n == 2 ? 0xC0u : n == 3 ? 0xE0u : 0xF0u) | cp));
    buf_add(out, mb, (size_t)n);
}

void utf8_chop(buf *out)
{
    if (!out->len)
        return;
    do
        out->len--;
    while (out->len && ((unsigned char)out->s[out->len] & 0xC0) == 0x80);
    out->s[out->len] = '\0';
}

int utf8_valid(const char *s, size_t n, size_t *bad_off)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k < 0) {
            if (bad_off)
                *bad_off = i;
            return 0;
        }
        i += (size_t)k;
    }
    return 1;
}

#define ESC_MAX 12   /* the longest escape, "\U000e0041", and its NUL */

/* One step through s: the bytes taken (at least one).  esc gets what is
 * shown for them when they must not reach the terminal raw (an invalid byte,
 * a control, a format character such as a bidi mark), "" when they are shown as they are (*cp is then
 * their code point).  text_escape writes the steps, text_width measures them. */
static int escape_step(const char *s, size_t n, char esc[ESC_MAX], uint32_t *cp)
{
    int k = utf8_decode(s, n, cp);
    if (k < 0) {
        snprintf(esc, ESC_MAX, "\\x%02x", (unsigned char)*s);
        return 1;
    }
    esc[0] = '\0';
    const char *a = ascii_glyph(*cp);
    if (a) {
        strcpy(esc, a);
        return k;
    }
    if (cp_unsafe(*cp)) {
        switch (*cp) {
        case '\n': strcpy(esc, "\\n"); break;
        case '\r': strcpy(esc, "\\r"); break;
        case '\t': strcpy(esc, "\\t"); break;
        case 0x1B: strcpy(esc, "\\e"); break;
        default:   /* the tags (U+E0001 ...) are past U+FFFF: \U and 8 digits */
            snprintf(esc, ESC_MAX, *cp < 0x80 ? "\\x%02x" : *cp < 0x10000 ? "\\u%04x" : "\\U%08x",
                     (unsigned)*cp);
        }
    }
    return k;
}

/* How many bytes at the start of s need no escaping: the common run of
 * printable ASCII and well-formed safe UTF-8 is passed on in one piece
 * rather than a code point at a time. */
size_t text_safe_run(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] >= 0x20 && u[i] < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k < 0 || cp_unsafe(cp) || ascii_glyph(cp))
            break;
        i += (size_t)k;
    }
    return i;
}

void text_escape(buf *out, const char *s, size_t n)
{
    char esc[ESC_MAX];
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t run = text_safe_run(s + i, n - i);
        buf_add(out, s + i, run);
        if ((i += run) == n)
            break;
        int k = escape_step(s + i, n - i, esc, &cp);
        buf_puts(out, esc);   /* not safe: escape_step wrote its escape */
        i += (size_t)k;
    }
}

/* Width of a string known to be safe (escaped). */
static int safe_width(const char *s, size_t n)
{
    int w = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k < 0) {
            w++;
            i++;
            continue;
        }
        int cw = cp_width(cp);
        w += cw < 0 ? 1 : cw;
        i += (size_t)k;
    }
    return w;
}

/* The width of text_escape's output, without writing it: an escape is
 * ASCII, as wide as it is long. */
int text_width(const char *s)
{
    size_t n = strlen(s);
    int w = 0;
    char esc[ESC_MAX];
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        int k = escape_step(s + i, n - i, esc, &cp);
        if (esc[0]) {
            w += (int)strlen(esc);
        } else {
            int cw = cp_width(cp);
            w += cw < 0 ? 1 : cw;
        }
        i += (size_t)k;
    }
    return w;
}

size_t text_fit(const char *s, int cols, int *used)
{
    size_t i = 0, n = strlen(s);
    int w = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        int cw = 1;
        if (k < 0)
            k = 1;
        else if ((cw = cp_width(cp)) < 0)
            cw = 1;
        if (w + cw > cols)
            break;
        w += cw;
        i += (size_t)k;
    }
    /* Keep zero-width marks that follow the last character we kept. */
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k < 0 || cp_width(cp) != 0)
            break;
        i += (size_t)k;
    }
    if (used)
        *used = w;
    return i;
}

#define MARKER (ascii_only ? "~" : "\xE2\x80\xA6") /* …, or tig's ~ */

int text_cell(buf *out, const char *s, int cols, int right)
{
    if (cols <= 0)
        return 0;
    buf e = BUF_INIT;
    text_escape(&e, s, strlen(s));
    const char *es = buf_str(&e);
    int w = safe_width(es, e.len);
    if (w <= cols) {
        if (right)
            buf_pad(out, cols - w);
        buf_add(out, es, e.len);
        if (!right)
            buf_pad(out, cols - w);
    } else {
        int mw = safe_width(MARKER, strlen(MARKER));
        if (cols < mw) {
            int used;
            size_t k = text_fit(es, cols, &used);
            buf_add(out, es, k);
            buf_pad(out, cols - used);
        } else {
            int used;
            size_t k = text_fit(es, cols - mw, &used);
            buf_add(out, es, k);
            buf_puts(out, MARKER);
            buf_pad(out, cols - mw - used);
        }
    }
    buf_free(&e);
    return cols;
}
