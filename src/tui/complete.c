/* complete.c — what Tab offers at a prompt, by the prompt's kind.
 *
 * Each source adds the candidates that start with the word before the
 * cursor (ASCII case ignored), each the whole replacement of that word with
 * what should follow it (a space after a command that takes an argument,
 * ':' after a filter's column, '/' after a folder).  The register's
 * description gives registers, columns and enumerations; the db layer gives
 * a linked register's values (db_select_like); no SQL here.
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/schema.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "tui/tui_int.h"

#define VALUES_MAX 200

static int ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static void offer(le_cands *out, const char *cand, const char *word, const char *suffix)
{
    if (!cand || !*cand || strncasecmp(cand, word, strlen(word)) != 0)
        return;
    buf b = BUF_INIT;
    buf_puts(&b, cand);
    buf_puts(&b, suffix);
    le_cands_add(out, buf_str(&b));
    buf_free(&b);
}

/* Registers by id and alias; by appendix and title too once the word is
 * Chinese (listing every name four times would hide the ids). */
static void offer_registers(le_cands *out, const char *word, const char *suffix)
{
    const schema *s = db_schema(tui_db());
    int zh = !ascii_only(word);
    for (int i = 0; i < s->ntables; i++) {
        const table *t = &s->tables[i];
        offer(out, t->id, word, suffix);
        offer(out, t->alias, word, suffix);
        if (zh) {
            offer(out, t->appendix, word, suffix);
            offer(out, t->title, word, suffix);
        }
    }
}

static void offer_columns(le_cands *out, const table *t, const char *word, const char *suffix)
{
    int zh = !ascii_only(word);
    for (int i = 0; t && i < t->ncols; i++) {
        offer(out, t->cols[i].id, word, suffix);
        if (zh)
            offer(out, t->cols[i].label, word, suffix);
    }
}

/* A regular expression's metacharacters, escaped: a completed value in a
 * filter matches itself. */
static const char rx_meta[] = "\\^$.|?*+()[]{}";

static void rx_quote(buf *out, const char *s)
{
    for (; *s; s++) {
        if (strchr(rx_meta, *s))
            buf_putc(out, '\\');
        buf_putc(out, *s);
    }
}

static char *rx_unquote(const char *s)
{
    buf b = BUF_INIT;
    for (; *s; s++) {
        if (*s == '\\' && s[1] && strchr(rx_meta, s[1]))
            s++;
        buf_putc(&b, *s);
    }
    buf_puts(&b, "");
    return buf_steal(&b);
}

static void offer_value(le_cands *out, const char *v, const char *word, int quote)
{
    if (!quote) {
        offer(out, v, word, "");
        return;
    }
    if (strncasecmp(v, word, strlen(word)) != 0)
        return;
    buf b = BUF_INIT;
    rx_quote(&b, v);
    le_cands_add(out, buf_str(&b));
    buf_free(&b);
}

/* The values column c may hold: its enumeration, or the linked register's
 * values (at most VALUES_MAX that contain the word). */
static void offer_values(le_cands *out, const column *c, const char *word, int quote)
{
    char *plain = quote ? rx_unquote(word) : xstrdup(word);
    if (*c->enum_s) {
        char *copy = xstrdup(c->enum_s), *save = NULL;
        for (char *x = strtok_r(copy, "|", &save); x; x = strtok_r(NULL, "|", &save))
            offer_value(out, x, plain, quote);
        free(copy);
    } else if (c->link_ti >= 0) {
        db *d = tui_db();
        const table *lt = &db_schema(d)->tables[c->link_ti];
        cursor *cu = db_select_like(d, lt, &c->link_ci, 1, plain, VALUES_MAX, NULL);
        while (cu && cursor_next(cu) == 1) {
            const char *v = cursor_val(cu, c->link_ci);
            if (v)
                offer_value(out, v, plain, quote);
        }
        cursor_free(cu);
    }
    free(plain);
}

/* Files and folders whose path starts with word ("~/" is the home folder,
 * as :import and :export read it); hidden ones only when asked for. */
static void offer_files(le_cands *out, const char *word)
{
    const char *slash = strrchr(word, '/');
    size_t dirlen = slash ? (size_t)(slash - word) + 1 : 0;
    const char *base = word + dirlen;
    buf dir = BUF_INIT;
    const char *home = getenv("HOME");
    if (strncmp(word, "~/", 2) == 0 && home) {
        buf_puts(&dir, home);
        buf_add(&dir, word + 1, dirlen - 1);
    } else {
        buf_add(&dir, word, dirlen);
    }
    DIR *dh = opendir(dir.len ? buf_str(&dir) : ".");
    struct dirent *de;
    buf b = BUF_INIT, full = BUF_INIT;
    while (dh && (de = readdir(dh))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            (de->d_name[0] == '.' && base[0] != '.') || strncmp(de->d_name, base, strlen(base)) != 0)
            continue;
        buf_reset(&full);
        buf_printf(&full, "%s%s", buf_str(&dir), de->d_name);
        struct stat st;
        int isdir = stat(buf_str(&full), &st) == 0 && S_ISDIR(st.st_mode);
        buf_reset(&b);
        buf_add(&b, word, dirlen);
        buf_puts(&b, de->d_name);
        if (isdir)
            buf_putc(&b, '/');
        le_cands_add(out, buf_str(&b));
    }
    if (dh)
        closedir(dh);
    buf_free(&b);
    buf_free(&full);
    buf_free(&dir);
}

/* A filter, [COL:]REGEX, from byte 0 of arg: a column before a ':', then
 * that column's values, quoted for the expression. */
/* A filter (db_filter_parse): [!]COL, then after its operator (:, =, !=,
 * <, <=, >, >=) the column's values — quoted after ':', which takes a
 * pattern. */
static void complete_filter(const table *t, const char *arg, size_t *from, le_cands *out)
{
    size_t lead = *arg == '!' ? 1 : 0;
    const char *p = arg + lead;
    size_t k = strcspn(p, "=<>!:");
    if (p[k] && t) {
        char *col = xstrndup(p, k);
        int ci = table_col_any(t, col);
        free(col);
        if (ci >= 0) {
            const char *v = p + k + 1;
            if (p[k] != ':' && *v == '=')
                v++;
            *from = (size_t)(v - arg);
            offer_values(out, &t->cols[ci], v, p[k] == ':');
            return;
        }
    }
    *from = lead;
    offer_columns(out, t, p, ":");
}

static const table *top_table(void)
{
    view *v = view_top();
    return v && v->ops->table ? v->ops->table(v) : NULL;
}

/* ":" line: the command word, then what that command takes. */
static void complete_command(const char *line, size_t *from, le_cands *out)
{
    size_t lead = strspn(line, " ");
    const char *w = line + lead, *sp = strchr(w, ' ');
    if (!sp) {
        *from = lead;
        for (int i = 0; i < tui_ncommands; i++) {
            const char *suffix = *tui_commands[i].args ? " " : "";
            offer(out, tui_commands[i].name, w, suffix);
            offer(out, tui_commands[i].alias, w, suffix);
        }
        /* an action named as a command is the command (run_command
         * tries the commands first) */
        for (int i = 0; i < nactions; i++)
            if (actions[i].req != REQ_PROMPT && !command_find(actions[i].name))
                offer(out, actions[i].name, w, "");
        offer_registers(out, w, "");
        return;
    }
    size_t cmdlen = (size_t)(sp - w);
    const char *arg = sp + strspn(sp, " ");
    size_t base = (size_t)(arg - line);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "%.*s", (int)(cmdlen < sizeof cmd ? cmdlen : sizeof cmd - 1), w);
    const tui_command *c = command_find(cmd);
    *from = base;
    if (!c)
        return;
    if (strcmp(c->name, "goto") == 0) {
        offer_registers(out, arg, "");
    } else if (strcmp(c->name, "import") == 0 || strcmp(c->name, "export") == 0) {
        offer_files(out, arg);
    } else if (strcmp(c->name, "filter") == 0) {
        size_t f = 0;
        complete_filter(top_table(), arg, &f, out);
        *from = base + f;
    } else if (strcmp(c->name, "sort") == 0) {
        const char *sp2 = strchr(arg, ' ');
        if (!sp2) {
            offer_columns(out, top_table(), arg, " ");
            offer(out, "none", arg, "");
        } else {
            const char *a2 = sp2 + strspn(sp2, " ");
            *from = (size_t)(a2 - line);
            offer(out, "desc", a2, "");
        }
    }
}

void complete_candidates(const prompt_spec *ps, const char *line, size_t *from, le_cands *out)
{
    *from = 0;
    switch (ps->kind) {
    case PROMPT_COMMAND:
        complete_command(line, from, out);
        break;
    case PROMPT_FILTER:
        complete_filter(ps->t, line, from, out);
        break;
    case PROMPT_VALUE: {
        if (!ps->t || ps->ci < 0 || ps->ci >= ps->t->ncols)
            break;
        const column *c = &ps->t->cols[ps->ci];
        if (c->multi) {   /* the item after the last ';' */
            const char *semi = strrchr(line, ';');
            *from = semi ? (size_t)(semi + 1 - line) : 0;
            *from += strspn(line + *from, " ");
        }
        offer_values(out, c, line + *from, 0);
        break;
    }
    case PROMPT_SEARCH:
    case PROMPT_OTHER:
        break;
    }
}
