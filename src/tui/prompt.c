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

/* What a key does in a prompt: one of lineedit's edits, or the prompt's own. */
enum {
    PK_OLDER = LE_KILL_END + 1,   /* the history, one older */
    PK_NEWER,                      /* ... one newer */
    PK_COMPLETE,                   /* Tab */
    PK_ACCEPT,                     /* Enter */
    PK_CANCEL,                     /* Esc, ^C */
};

/* The prompt's keys: the one table that recognises them and that the help
 * screen lists.  Emacs keys as in a shell, so that a terminal that sends
 * none of the arrows or Home/End still edits. */
static const struct pkey { int is_key; uint32_t code; const char *name; int act; } prompt_keys[] = {
    {1, KEY_LEFT, "←", LE_LEFT},   {0, CTRL('b'), "^B", LE_LEFT},
    {1, KEY_RIGHT, "→", LE_RIGHT}, {0, CTRL('f'), "^F", LE_RIGHT},
    {1, KEY_HOME, "Home", LE_HOME}, {0, CTRL('a'), "^A", LE_HOME},
    {1, KEY_END, "End", LE_END},    {0, CTRL('e'), "^E", LE_END},
    {1, KEY_BACKSPACE, "Backspace", LE_BACKSPACE}, {0, 127, NULL, LE_BACKSPACE},
    {0, CTRL('h'), "^H", LE_BACKSPACE},
    {1, KEY_DC, "Del", LE_DELETE},
    {0, CTRL('w'), "^W", LE_KILL_WORD},
    {0, CTRL('u'), "^U", LE_KILL_START},
    {0, CTRL('k'), "^K", LE_KILL_END},
    {1, KEY_UP, "↑", PK_OLDER},
    {1, KEY_DOWN, "↓", PK_NEWER},
    {0, '\t', "Tab", PK_COMPLETE},
    {0, '\r', "Enter", PK_ACCEPT}, {0, '\n', NULL, PK_ACCEPT}, {1, KEY_ENTER, NULL, PK_ACCEPT},
    {0, 27, "Esc", PK_CANCEL}, {0, 3, "^C", PK_CANCEL},
};

/* What each does, in the order help lists them. */
static const struct { int act; const char *help; } prompt_acts[] = {
    {LE_LEFT, N_("prompt: cursor one character left")},
    {LE_RIGHT, N_("prompt: cursor one character right")},
    {LE_HOME, N_("prompt: cursor to the start")},
    {LE_END, N_("prompt: cursor to the end")},
    {LE_BACKSPACE, N_("prompt: delete the character before the cursor")},
    {LE_DELETE, N_("prompt: delete the character under the cursor")},
    {LE_KILL_WORD, N_("prompt: delete the word before the cursor")},
    {LE_KILL_START, N_("prompt: delete everything before the cursor")},
    {LE_KILL_END, N_("prompt: delete everything from the cursor on")},
    {PK_OLDER, N_("prompt: the line typed before (this session, this kind of prompt)")},
    {PK_NEWER, N_("prompt: the line typed after it")},
    {PK_COMPLETE, N_("prompt: complete a register, column, value or file (again: the next)")},
    {PK_ACCEPT, N_("prompt: done")},
    {PK_CANCEL, N_("prompt: cancel")},
};

const int prompt_nkeys = sizeof prompt_acts / sizeof *prompt_acts;

void prompt_key_help(int i, buf *keys, const char **help)
{
    int n = 0;
    for (size_t k = 0; k < sizeof prompt_keys / sizeof *prompt_keys; k++)
        if (prompt_keys[k].act == prompt_acts[i].act && prompt_keys[k].name)
            buf_printf(keys, "%s%s", n++ ? " " : "", prompt_keys[k].name);
    *help = _(prompt_acts[i].help);
}

/* The prompt key r/ch is (IN_KEY or IN_CHAR), or -1. */
static int prompt_act(int r, uint32_t ch)
{
    for (size_t i = 0; i < sizeof prompt_keys / sizeof *prompt_keys; i++)
        if (prompt_keys[i].is_key == (r == IN_KEY) && prompt_keys[i].code == ch)
            return prompt_keys[i].act;
    return -1;
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
        int act = r == IN_KEY || r == IN_CHAR ? prompt_act(r, ch) : -1;
        if (act == PK_ACCEPT) {
            rc = 1;
            break;
        }
        if (act == PK_CANCEL)
            break;
        if (said) {   /* the list Tab showed goes with the next key */
            buf_reset(&T.msg);
            T.msg_error = 0;
            said = 0;
        }
        int edited = 0;
        if (act == PK_COMPLETE) {
            edited = complete(&le, ps, &cp, &said);
        } else {
            comp_reset(&cp);
            if (act >= 0 && act <= LE_KILL_END)
                edited = le_do(&le, (le_op)act);
            else if (act == PK_OLDER || act == PK_NEWER)
                edited = le_history_step(&le, h, act == PK_OLDER ? -1 : 1);
            else if (act < 0 && r == IN_CHAR && ch >= 0x20 && ch != 0x7f) {
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
