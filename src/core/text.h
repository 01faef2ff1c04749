/* text.h — UTF-8 display width, fitting to N columns, escaping of controls.
 *
 * Every byte that reaches a terminal goes through text_escape (or text_cell,
 * which calls it): C0/C1 controls, DEL, Unicode format characters (category
 * Cf: bidi marks, zero-width spaces and joiners, U+FEFF, soft hyphens, the
 * tags U+E0001..E007F) and the Hangul fillers, line and paragraph separators
 * and invalid UTF-8 become visible escapes such as \e, \n, \x01, \u202e,
 * \u200b, \U000e0041, \xff.  Widths are computed
 * from our own tables, not the C library's, so output is the same in every
 * locale: East Asian Wide/Fullwidth and emoji count 2, combining marks 0,
 * East Asian Ambiguous (“”·①× …) 1 or 2 as text_set_ambiguous_wide() says.
 */
#ifndef MINREG_TEXT_H
#define MINREG_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

void text_set_ambiguous_wide(int wide);
int  text_ambiguous_wide(void);
/* --ascii: → ↳ — … · │ ▲ ▼ ▾ ∅ “” ‘’ come out of text_escape (so text_cell,
 * text_width and every screen) as -> `- -- ... | | ^ v v - " ', and a cut
 * field ends in ~ instead of …; data written to files is not touched. */
void text_set_ascii(int on);
int  text_ascii(void);

/* Decode one code point from s (n bytes available).  Returns the bytes used
 * (1..4); on invalid or truncated UTF-8 returns -1 (skip one byte). */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Append code point cp to out as UTF-8. */
void utf8_append(buf *out, uint32_t cp);

/* Remove the last character (all its bytes) from out. */
void utf8_chop(buf *out);

/* Is the whole string valid UTF-8?  If not, *bad_off gets the byte offset. */
int utf8_valid(const char *s, size_t n, size_t *bad_off);

/* Columns a code point takes; controls and other escaped points return -1. */
int cp_width(uint32_t cp);

/* Is cp a format character (category Cf) or a Hangul filler: invisible, so
 * that two strings that differ by one look the same?  Shown escaped. */
int cp_is_format(uint32_t cp);
/* Does s (n bytes) hold one?  The first goes into *cp. */
int text_find_format(const char *s, size_t n, uint32_t *cp);

/* Append s to out with every unsafe character escaped. */
void text_escape(buf *out, const char *s, size_t n);
/* The length of the longest prefix of s that text_escape passes unchanged. */
size_t text_safe_run(const char *s, size_t n);

/* Display width of s as text_escape would render it. */
int text_width(const char *s);

/* Bytes of the already-safe string s that fit in cols columns without
 * splitting a character; *used (may be NULL) gets their width. */
size_t text_fit(const char *s, int cols, int *used);

/* Append s, escaped, as a field exactly cols columns wide: padded with
 * spaces (right-aligned when right != 0) or truncated with a marker "…".
 * Returns the number of columns written (always cols when cols >= 0). */
int text_cell(buf *out, const char *s, int cols, int right);

#endif
