/* prompt.c — reading a line on the message line: the search, filter and
 * ":" prompts and a form's field.
 *
 * The editing is lineedit.c's; here keys become its operations (one table,
 * below), each kind of prompt keeps a history for the session, Tab asks
 * complete.c for candidates, and the line is laid out in the columns after
 * the prompt's text, scrolled so the cursor is always in view.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

#define CTRL(c) ((c) & 0x1f)

/* The editing keys.  Emacs keys as in a shell, so that a terminal that
 * sends none of the arrows or Home/End still edits. */
static const struct { int is_key; uint32_t code; le_op op; } edit_keys[] = {
    {1, KEY_LEFT, LE_LEFT},   {0, CTRL('b'), LE_LEFT},
    {1, KEY_RIGHT, LE_RIGHT}, {0, CTRL('f'), LE_RIGHT},
    {1, KEY_HOME, LE_HOME},   {0, CTRL('a'), LE_HOME},
    {1, KEY_END, LE_END},     {0, CTRL('e'), LE_END},
    {1, KEY_BACKSPACE, LE_BACKSPACE}, {0, 127, LE_BACKSPACE}, {0, CTRL('h'), LE_BACKSPACE},
    {1, KEY_DC, LE_DELETE},
    {0, CTRL('w'), LE_KILL_WORD},
    {0, CTRL('u'), LE_KILL_START},
    {0, CTRL('k'), LE_KILL_END},
};

static int edit_op(int r, uint32_t ch, le_op *op)
{
    for (size_t i = 0; i < sizeof edit_keys / sizeof *edit_keys; i++)
        if (edit_keys[i].is_key == (r == IN_KEY) && edit_keys[i].code == ch) {
            *op = edit_keys[i].op;
            return 1;
        }
    return 0;
}

/* ---- histories: one per kind (a form's: one per column), for the session ---- */

static struct history {
    char *name;
    le_history h;
} *hists;
static int nhists;

static le_history *history_for(const prompt_spec *ps)
{
    static const char *const kinds[] = {
        [PROMPT_OTHER] = "other", [PROMPT_COMMAND] = "command", [PROMPT_SEARCH] = "search",
        [PROMPT_FILTER] = "filter", [PROMPT_VALUE] = "value",
    };
    buf name = BUF_INIT;
    buf_puts(&name, kinds[ps->kind]);
    if (ps->kind == PROMPT_VALUE && ps->t && ps->ci >= 0 && ps->ci < ps->t->ncols)
        buf_printf(&name, ":%s.%s", ps->t->id, ps->t->cols[ps->ci].id);
    for (int i = 0; i < nhists; i++)
        if (strcmp(hists[i].name, buf_str(&name)) == 0) {
            buf_free(&name);
            return &hists[i].h;
        }
    hists = xrealloc(hists, sizeof *hists * (size_t)(nhists + 1));
    hists[nhists].name = buf_steal(&name);
    memset(&hists[nhists].h, 0, sizeof hists[nhists].h);
    return &hists[nhists++].h;
}

void tui_prompt_histories_free(void)
{
    for (int i = 0; i < nhists; i++) {
        free(hists[i].name);
        le_history_free(&hists[i].h);
    }
    free(hists);
    hists = NULL;
    nhists = 0;
}

/* ---- drawing ------------------------------------------------------------------- */

/* The prompt line, COLS wide: the prompt's text (cut when it would leave
 * the line fewer than 8 columns), then the window on the line being edited;
 * *cx gets the cursor's column. */
static void lay_out(lineedit *le, const char *prefix, buf *line, int *cx)
{
    int cols = COLS > 1 ? COLS : 1, pw = text_width(prefix);
    buf_reset(line);
    if (pw > cols - 8) {
        int keep = cols - 8 > 0 ? cols - 8 : 0, used;
        size_t k = text_fit(prefix, keep, &used);
        buf_add(line, prefix, k);
        pw = used;
    } else {
        buf_puts(line, prefix);
    }
    le_shown sh;
    le_layout(le, cols - pw, &sh);
    const char *more = tui_ascii_glyphs() ? NULL : "…";
    if (sh.more_left)
        buf_puts(line, more ? more : "<");
    buf_add(line, le_text(le) + sh.from, sh.to - sh.from);
    buf_pad(line, sh.pad);
    if (sh.more_right)
        buf_puts(line, more ? more : ">");
    *cx = pw + sh.cursor_col;
}

/* ---- completion ---------------------------------------------------------------- */

typedef struct comp {
    le_cands c;       /* the candidates of the Tab that started the cycle */
    size_t from;      /* where the word they replace starts */
    int idx;          /* the one inserted last while cycling; -1 none yet */
    int active;       /* Tab again cycles through c */
} comp;

static void comp_reset(comp *cp)
{
    le_cands_free(&cp->c);
    cp->active = 0;
    cp->idx = -1;
}

/* Tab: one candidate is inserted whole; several, their common start; when
 * that adds nothing they are listed on the status line, and each Tab after
 * that puts the next in.  Returns 1 if the text changed. */
static int complete(lineedit *le, const prompt_spec *ps, comp *cp, int *said)
{
    if (cp->active && cp->c.n > 1) {
        cp->idx = (cp->idx + 1) % cp->c.n;
        le_replace(le, cp->from, le->cur, cp->c.v[cp->idx]);
        return 1;
    }
    comp_reset(cp);
    char *head = xstrndup(le_text(le), le->cur);
    complete_candidates(ps, head, &cp->from, &cp->c);
    free(head);
    size_t wlen = le->cur - cp->from;
    if (cp->c.n == 0) {
        tui_message("%s", _("nothing to complete"));
        *said = 1;
        return 0;
    }
    if (cp->c.n == 1) {
        le_replace(le, cp->from, le->cur, cp->c.v[0]);
        comp_reset(cp);
        return 1;
    }
    size_t k = le_cands_common(&cp->c);
    if (k > wlen) {
        char *pre = xstrndup(cp->c.v[0], k);
        le_replace(le, cp->from, le->cur, pre);
        free(pre);
        return 1;
    }
    buf m = BUF_INIT;
    for (int i = 0; i < cp->c.n; i++)
        buf_printf(&m, "%s%s", i ? "  " : "", cp->c.v[i]);
    tui_message("%s", buf_str(&m));
    buf_free(&m);
    *said = 1;
    cp->active = 1;
    return 0;
}

/* ---- the prompt ---------------------------------------------------------------- */

int tui_prompt_ask(const char *prefix, const char *initial, buf *out, const prompt_spec *ps)
{
    lineedit le;
    le_init(&le, initial);
    le_history *h = history_for(ps);
    comp cp = {.idx = -1};
    buf line = BUF_INIT;
    int rc = 0, said = 0;   /* said: the message line is ours (Tab's list) */
    for (;;) {
        int cx;
        lay_out(&le, prefix, &line, &cx);
        T.prompt = buf_str(&line);   /* drawn by tui_draw_all, so redraws and dumps show it */
        T.prompt_cx = cx;
        tui_draw_all();
        if (!T.o.script) {
            curs_set(1);
            move(LINES - 1, cx < COLS ? cx : COLS - 1);
            refresh();
        }
        uint32_t ch;
        int r = tui_next_input(&ch);
        if (!T.o.script)
            curs_set(0);
        if (r == IN_EOF || r == IN_SIGNAL) {
            T.running = 0;
            break;
        }
        if (r == IN_KEY && ch == KEY_RESIZE)
            continue;
        if ((r == IN_CHAR && (ch == '\r' || ch == '\n')) || (r == IN_KEY && ch == KEY_ENTER)) {
            rc = 1;
            break;
        }
        if (r == IN_CHAR && (ch == 27 || ch == 3))
            break;
        if (said) {   /* the list Tab showed goes with the next key */
            buf_reset(&T.msg);
            T.msg_error = 0;
            said = 0;
        }
        int edited = 0;
        le_op op;
        if (r == IN_CHAR && ch == '\t') {
            edited = complete(&le, ps, &cp, &said);
        } else {
            comp_reset(&cp);
            if (edit_op(r, ch, &op))
                edited = le_do(&le, op);
            else if (r == IN_KEY && (ch == KEY_UP || ch == KEY_DOWN))
                edited = le_history_step(&le, h, ch == KEY_UP ? -1 : 1);
            else if (r == IN_CHAR && ch >= 0x20 && ch != 0x7f) {
                le_insert(&le, ch);
                edited = 1;
            }
        }
        if (edited && ps->changed) {
            if (!said) {
                buf_reset(&T.msg);
                T.msg_error = 0;
            }
            ps->changed(le_text(&le), ps->arg);
        }
    }
    /* what was typed, also when cut short (a form keeps it as a draft) */
    buf_reset(out);
    buf_puts(out, le_text(&le));
    if (rc)
        le_history_add(h, le_text(&le));
    T.prompt = NULL;
    comp_reset(&cp);
    le_free(&le);
    buf_free(&line);
    return rc;
}

int tui_prompt(const char *prefix, const char *initial, buf *out)
{
    prompt_spec ps = {.kind = PROMPT_OTHER};
    return tui_prompt_ask(prefix, initial, out, &ps);
}

int tui_prompt_live(const char *prefix, const char *initial, buf *out,
                    void (*changed)(const char *text, void *arg), void *arg)
{
    prompt_spec ps = {.kind = PROMPT_SEARCH, .changed = changed, .arg = arg};
    return tui_prompt_ask(prefix, initial, out, &ps);
}
