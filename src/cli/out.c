/* out.c — aligned text tables, JSON strings and safe printing for the CLI. */
#include "config.h"
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/outfile.h"
#include "core/text.h"

int out_format_parse(const char *s, out_format *f)
{
    static const char *const names[] = {"text", "csv", "tsv", "json"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (out_format)i;
            return 1;
        }
    return 0;
}

struct text_table {
    int ncols;
    char **cells;
    size_t n, cap;
    int *right;
};

text_table *tt_new(int ncols)
{
    text_table *t = xcalloc(1, sizeof *t);
    t->ncols = ncols;
    t->right = xcalloc((size_t)ncols, sizeof(int));
    return t;
}

void tt_align_right(text_table *t, int col) { t->right[col] = 1; }

void tt_add(text_table *t, const char *cell)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->cells = xrealloc(t->cells, sizeof(char *) * t->cap);
    }
    t->cells[t->n++] = xstrdup(cell ? cell : "");
}

void tt_print(text_table *t, FILE *f, int header_rule)
{
    int *w = xcalloc((size_t)t->ncols, sizeof(int));
    for (size_t i = 0; i < t->n; i++) {
        int cw = text_width(t->cells[i]);
        if (cw > w[i % (size_t)t->ncols])
            w[i % (size_t)t->ncols] = cw;
    }
    buf line = BUF_INIT;
    size_t rows = t->n / (size_t)t->ncols;
    for (size_t r = 0; r < rows; r++) {
        buf_reset(&line);
        for (int c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * (size_t)t->ncols + (size_t)c];
            int last = c == t->ncols - 1;
            if (c)
                buf_puts(&line, "  ");
            /* header cells are left-aligned; the last column is not padded */
            if (last && !(t->right[c] && !(header_rule && r == 0)))
                text_escape(&line, cell, strlen(cell));
            else
                text_cell(&line, cell, w[c], t->right[c] && !(header_rule && r == 0));
        }
        while (line.len && line.s[line.len - 1] == ' ')
            line.s[--line.len] = '\0';
        fprintf(f, "%s\n", buf_str(&line));
        if (header_rule && r == 0) {
            buf_reset(&line);
            for (int c = 0; c < t->ncols; c++) {
                if (c)
                    buf_puts(&line, "  ");
                for (int k = 0; k < w[c]; k++)
                    buf_putc(&line, '-');
            }
            fprintf(f, "%s\n", buf_str(&line));
        }
    }
    buf_free(&line);
    free(w);
}

int tt_width(const text_table *t)
{
    int *w = xcalloc((size_t)t->ncols, sizeof(int)), sum = 0;
    for (size_t i = 0; i < t->n; i++) {
        int cw = text_width(t->cells[i]);
        if (cw > w[i % (size_t)t->ncols])
            w[i % (size_t)t->ncols] = cw;
    }
    for (int c = 0; c < t->ncols; c++)
        sum += w[c] + (c ? 2 : 0);
    free(w);
    return sum;
}

size_t tt_rows(const text_table *t) { return t->n / (size_t)t->ncols; }

const char *tt_cell(const text_table *t, size_t row, int col)
{
    return t->cells[row * (size_t)t->ncols + (size_t)col];
}

int out_term_cols(void)
{
    struct winsize ws;
    if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col < 20)
        return 0;
    return ws.ws_col;
}

void tt_free(text_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->right);
    free(t);
}

void out_json_string(FILE *f, const char *s)
{
    putc('"', f);
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k < 0) {
            fputs("\\ufffd", f);   /* invalid UTF-8 cannot be carried in JSON */
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\')
            fprintf(f, "\\%c", (int)cp);
        else if (cp == '\n')
            fputs("\\n", f);
        else if (cp == '\t')
            fputs("\\t", f);
        else if (cp == '\r')
            fputs("\\r", f);
        else if (cp_width(cp) < 0 && cp >= 0x10000)   /* a tag: as its UTF-16 surrogates */
            fprintf(f, "\\u%04x\\u%04x", (unsigned)(0xD800 + ((cp - 0x10000) >> 10)),
                    (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        else if (cp_width(cp) < 0)
            fprintf(f, "\\u%04x", (unsigned)cp);
        else
            fwrite(s + i, 1, (size_t)k, f);
        i += (size_t)k;
    }
    putc('"', f);
}

/* Is s a number as JSON writes one (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?)
 * and finite as a double?  "inf", "nan", "0x1p3", "+1", "1.", ".5", "1e999"
 * and text or a BLOB held in a number column are not. */
static int json_number_ok(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (*p == '.') {
        if (*++p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        if (*++p == '+' || *p == '-')
            p++;
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0' && isfinite(strtod(s, NULL));
}

void out_json_number(FILE *f, const char *s)
{
    if (json_number_ok(s))
        fputs(s, f);
    else
        out_json_string(f, s);   /* not a finite number: a string, so the JSON stays valid */
}

/* Is f a terminal?  Asked once for standard output (a cell is written
 * per row and column). */
static int is_tty(FILE *f)
{
    static int out = -1;
    if (f != stdout)
        return isatty(fileno(f));
    if (out < 0)
        out = isatty(STDOUT_FILENO);
    return out;
}

void out_cell(FILE *f, out_format fmt, const char *s, int flags)
{
    if (!s)
        return;
    int guard = !(flags & CELL_RAW) && csv_cell_guarded(s, flags & CELL_NUMERIC);
    if (fmt == FMT_CSV && !is_tty(f)) {   /* exact, for other tools */
        csv_write_cell(f, s, ',', guard);
        return;
    }
    if (guard)
        putc('\'', f);
    /* a data cell: escaped, but its characters as they are, --ascii or not */
    int ascii = text_ascii();
    text_set_ascii(0);
    out_safe(f, s);
    text_set_ascii(ascii);
}

/* The safe runs go out as they are; only what needs an escape is copied
 * (a field is written per row and column: no buffer per call). */
void out_safe(FILE *f, const char *s)
{
    size_t n = strlen(s), run = text_safe_run(s, n);
    if (run == n) {
        fwrite(s, 1, n, f);
        return;
    }
    buf b = BUF_INIT;
    text_escape(&b, s, n);
    fwrite(b.s, 1, b.len, f);
    buf_free(&b);
}

/* ---- -o FILE and CSV for Excel ---------------------------------------------- */

int cli_excel;
static outfile *redirect;
static int saved_stdout = -1;

int cli_out_open(db *d, const char *path, mr_err *e)
{
    fflush(stdout);
    if (!(redirect = outfile_open(path, db_path(d), e)))
        return -1;
    saved_stdout = dup(STDOUT_FILENO);
    if (saved_stdout < 0 || dup2(outfile_fd(redirect), STDOUT_FILENO) < 0) {
        err_set(e, EXIT_IO, "%s: %s", outfile_name(redirect), strerror(errno));
        if (saved_stdout >= 0)
            close(saved_stdout);
        saved_stdout = -1;
        outfile_abort(redirect);
        redirect = NULL;
        return -1;
    }
    return 0;
}

int cli_out_close(int ok, mr_err *e)
{
    if (!redirect)
        return ok ? 0 : -1;
    int bad = fflush(stdout) != 0 || ferror(stdout), err = errno;
    dup2(saved_stdout, STDOUT_FILENO);
    close(saved_stdout);
    saved_stdout = -1;
    clearerr(stdout);
    outfile *f = redirect;
    redirect = NULL;
    if (!ok) {
        outfile_abort(f);
        return -1;
    }
    if (bad) {
        err_set(e, EXIT_IO, "%s: %s", outfile_name(f), strerror(err ? err : EIO));
        outfile_abort(f);
        return -1;
    }
    return outfile_commit(f, e);
}

void out_eol(FILE *f) { fputs(cli_excel ? "\r\n" : "\n", f); }

void out_bom(FILE *f)
{
    if (cli_excel)
        fputs("\xef\xbb\xbf", f);
}

void cli_col_header(const column *c, buf *out)
{
    if (!cli_excel || i18n_is_zh()) {
        col_header(c, out);
        return;
    }
    buf_puts(out, c->label_en);
    if (*c->unit)
        buf_printf(out, "(%s)", c->unit);
}
