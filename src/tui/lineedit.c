/* lineedit.c — a line and a cursor: edits, history, completion, layout.
 *
 * No curses here (see lineedit.h): prompt.c turns keys into these calls,
 * and the unit test calls them directly.  Lines are short (a value, a
 * pattern, a command), so positions are found by walking from the start.
 */
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/lineedit.h"

/* ---- characters ------------------------------------------------------------ */

/* Is cp a combining mark (drawn on the character before it)? */
static int combining(uint32_t cp)
{
    return cp && cp_width(cp) == 0 && !cp_is_format(cp);
}

/* The end of the character that starts at byte i (its combining marks too). */
static size_t char_next(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return len;
    uint32_t cp;
    int k = utf8_decode(s + i, len - i, &cp);
    i += k > 0 ? (size_t)k : 1;
    while (i < len) {
        k = utf8_decode(s + i, len - i, &cp);
        if (k <= 0 || !combining(cp))
            break;
        i += (size_t)k;
    }
    return i;
}

/* The start of the character that ends at byte i. */
static size_t char_prev(const char *s, size_t len, size_t i)
{
    size_t p = 0;
    for (size_t q = 0; q < i && q < len; q = char_next(s, len, q))
        p = q;
    return p;
}

/* The columns bytes [from, to) take on screen, as text_escape draws them. */
static int span_width(const char *s, size_t from, size_t to)
{
    if (to <= from)
        return 0;
    char small[64];
    char *tmp = to - from < sizeof small ? small : xmalloc(to - from + 1);
    memcpy(tmp, s + from, to - from);
    tmp[to - from] = '\0';
    int w = text_width(tmp);
    if (tmp != small)
        free(tmp);
    return w;
}

/* ---- the line ----------------------------------------------------------------- */

void le_init(lineedit *le, const char *initial)
{
    memset(le, 0, sizeof *le);
    le->hist_pos = -1;
    le_set(le, initial ? initial : "");
}

void le_free(lineedit *le)
{
    buf_free(&le->text);
    free(le->hist_draft);
    le->hist_draft = NULL;
}

const char *le_text(lineedit *le) { return buf_str(&le->text); }

void le_replace(lineedit *le, size_t from, size_t to, const char *s)
{
    buf *t = &le->text;
    if (to > t->len)
        to = t->len;
    if (from > to)
        from = to;
    buf nb = BUF_INIT;
    buf_add(&nb, buf_str(t), from);
    buf_puts(&nb, s);
    size_t cur = nb.len;
    buf_add(&nb, buf_str(t) + to, t->len - to);
    buf_puts(&nb, "");   /* NUL-terminated even when empty */
    buf_free(t);
    *t = nb;
    le->cur = cur;
}

void le_set(lineedit *le, const char *s) { le_replace(le, 0, le->text.len, s); }

void le_insert_str(lineedit *le, const char *s) { le_replace(le, le->cur, le->cur, s); }

void le_insert(lineedit *le, uint32_t cp)
{
    buf b = BUF_INIT;
    utf8_append(&b, cp);
    le_insert_str(le, buf_str(&b));
    buf_free(&b);
}

int le_do(lineedit *le, le_op op)
{
    const char *s = buf_str(&le->text);
    size_t len = le->text.len, cur = le->cur, p;
    switch (op) {
    case LE_LEFT:
        le->cur = char_prev(s, len, cur);
        return 0;
    case LE_RIGHT:
        le->cur = char_next(s, len, cur);
        return 0;
    case LE_HOME:
        le->cur = 0;
        return 0;
    case LE_END:
        le->cur = len;
        return 0;
    case LE_BACKSPACE:
        if (cur == 0)
            return 0;
        le_replace(le, char_prev(s, len, cur), cur, "");
        return 1;
    case LE_DELETE:
        if (cur >= len)
            return 0;
        le_replace(le, cur, char_next(s, len, cur), "");
        return 1;
    case LE_KILL_WORD:
        /* as a shell's ^W: the spaces before the cursor, then the word */
        p = cur;
        while (p > 0 && s[p - 1] == ' ')
            p--;
        while (p > 0 && s[p - 1] != ' ')
            p--;
        if (p == cur)
            return 0;
        le_replace(le, p, cur, "");
        return 1;
    case LE_KILL_START:
        if (cur == 0)
            return 0;
        le_replace(le, 0, cur, "");
        return 1;
    case LE_KILL_END:
        if (cur >= len)
            return 0;
        le_replace(le, cur, len, "");
        le->cur = cur;
        return 1;
    }
    return 0;
}

/* ---- history ------------------------------------------------------------------- */

void le_history_add(le_history *h, const char *line)
{
    if (!line || !*line || (h->n && strcmp(h->items[h->n - 1], line) == 0))
        return;
    if (h->n == LE_HISTORY_MAX) {
        free(h->items[0]);
        memmove(h->items, h->items + 1, sizeof(char *) * (size_t)(h->n - 1));
        h->n--;
    }
    h->items = xrealloc(h->items, sizeof(char *) * (size_t)(h->n + 1));
    h->items[h->n++] = xstrdup(line);
}

void le_history_free(le_history *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->items[i]);
    free(h->items);
    h->items = NULL;
    h->n = 0;
}

int le_history_step(lineedit *le, const le_history *h, int dir)
{
    int pos = le->hist_pos;
    if (pos >= h->n)
        pos = -1;   /* (the history was cut meanwhile) */
    if (dir < 0) {
        if (h->n == 0 || pos == 0)
            return 0;
        if (pos < 0) {
            free(le->hist_draft);
            le->hist_draft = xstrdup(le_text(le));
            pos = h->n;
        }
        le->hist_pos = pos - 1;
        le_set(le, h->items[le->hist_pos]);
        return 1;
    }
    if (pos < 0)
        return 0;
    if (pos + 1 < h->n) {
        le->hist_pos = pos + 1;
        le_set(le, h->items[le->hist_pos]);
    } else {
        le->hist_pos = -1;   /* back to the line that was being typed */
        le_set(le, le->hist_draft ? le->hist_draft : "");
        free(le->hist_draft);
        le->hist_draft = NULL;
    }
    return 1;
}

/* ---- completion ------------------------------------------------------------------ */

void le_cands_add(le_cands *c, const char *s)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->v[i], s) == 0)
            return;
    c->v = xrealloc(c->v, sizeof(char *) * (size_t)(c->n + 1));
    c->v[c->n++] = xstrdup(s);
}

void le_cands_free(le_cands *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

size_t le_cands_common(const le_cands *c)
{
    if (c->n == 0)
        return 0;
    const char *a = c->v[0];
    size_t k = strlen(a);
    for (int i = 1; i < c->n; i++) {
        size_t j = 0;
        while (j < k && c->v[i][j] == a[j])
            j++;
        k = j;
    }
    /* two characters may share their first bytes (矿 and 石): cut at a
     * boundary of a's characters */
    size_t len = strlen(a), p = 0;
    while (p < k) {
        size_t q = char_next(a, len, p);
        if (q > k)
            break;
        p = q;
    }
    return p;
}

/* ---- layout ------------------------------------------------------------------------ */

/* The columns of characters i up to (not counting) j. */
static int span(const int *w, int i, int j)
{
    int sum = 0;
    for (int k = i; k < j; k++)
        sum += w[k];
    return sum;
}

void le_layout(lineedit *le, int cols, le_shown *out)
{
    const char *s = buf_str(&le->text);
    size_t len = le->text.len;
    if (cols < 3)
        cols = 3;
    /* the characters: their starts b[0..n-1] (b[n] = len) and widths */
    int n = 0, cap = 16;
    size_t *b = xmalloc(sizeof *b * (size_t)(cap + 1));
    int *w = xmalloc(sizeof *w * (size_t)(cap + 1));
    for (size_t i = 0; i < len;) {
        size_t j = char_next(s, len, i);
        if (n == cap) {
            cap *= 2;
            b = xrealloc(b, sizeof *b * (size_t)(cap + 1));
            w = xrealloc(w, sizeof *w * (size_t)(cap + 1));
        }
        b[n] = i;
        w[n] = span_width(s, i, j);
        n++;
        i = j;
    }
    b[n] = len;
    w[n] = 1;   /* the cell after the end, where the cursor waits */
    int c = 0;
    while (c < n && b[c] < le->cur)
        c++;
    int st = 0;
    while (st < n && b[st + 1] <= le->scroll)
        st++;
    if (st > c)
        st = c;   /* the cursor went left of the window: it starts there */
    int rest = span(w, c + 1, n), cw = w[c] > 0 ? w[c] : 1;
    /* Move the start right until the cursor's cell is in view: a window
     * from st shows a marker column on the left when st > 0, and one on
     * the right when what follows the cursor does not all fit. */
    for (; st < c; st++) {
        int u = (st > 0) + span(w, st, c) + cw;
        if (u + (c < n && u + rest > cols) <= cols)
            break;
    }
    /* the line's end in view with room before it: show more of its start */
    while (st > 0 && (st - 1 > 0) + span(w, st - 1, n) + (c == n) <= cols)
        st--;
    int lm = st > 0, to = n, used = span(w, st, n);
    out->more_right = 0;
    if (lm + used + (c == n) > cols) {
        int avail = cols - lm - 1;
        to = st;
        used = 0;
        while (to < n && used + w[to] <= avail)
            used += w[to++];
        out->more_right = 1;
    }
    out->from = b[st];
    out->to = b[to];
    out->more_left = lm;
    out->cursor_col = lm + span(w, st, c);
    out->pad = cols - lm - used - out->more_right;
    if (out->pad < 0)
        out->pad = 0;
    le->scroll = b[st];
    free(b);
    free(w);
}
