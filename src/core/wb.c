/* wb.c — what the two workbook readers share (see wbin.h): rows made
 * dense, merged cells filled, sheets chosen, numbers and dates as text. */
#include "config.h"
#include "wbin_int.h"

#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

int wb_sniff(const char *path)
{
    struct stat st;
    /* a regular file only: opening a FIFO to look would take its writer */
    if (strcmp(path, "-") == 0 || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0;
    unsigned char m[4];
    ssize_t n = read(fd, m, 4);
    close(fd);
    static const unsigned char zip[] = {'P', 'K', 3, 4}, ole[] = {0xD0, 0xCF, 0x11, 0xE0};
    return n == 4 && (memcmp(m, zip, 4) == 0 || memcmp(m, ole, 4) == 0);
}

wb *wb_open(const char *path, mr_err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err_set(e, EXIT_IO, "%s: %m", path);
        return NULL;
    }
    unsigned char m[4] = {0};
    ssize_t n = read(fd, m, 4);
    close(fd);
    if (n == 4 && m[0] == 0xD0 && m[1] == 0xCF)
        return wb_open_xls(path, e);
    return wb_open_xlsx(path, e);
}

const char *wb_kind(const wb *w) { return w->kind; }
int wb_nsheets(const wb *w) { return w->nsheets; }
const char *wb_sheet_name(const wb *w, int i) { return w->names[i]; }
long long wb_offset(const wb *w) { return w->ops->offset(w); }
long long wb_size(const wb *w) { return w->size; }
void wb_fill_across_to(wb *w, long last_row) { w->across_to = last_row; }

void wb_col_name(int col, char out[4])
{
    char tmp[4];
    int n = 0;
    col++;
    while (col > 0 && n < 3) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static long long bound(const char *env, long long max)
{
    const char *v = getenv(env);
    long long n = v ? atoll(v) : 0;
    return n > 0 && n < max ? n : max;
}

long long wb_max_strings(void) { return bound("MINREG_WB_MAX_STRINGS", WB_MAX_STRINGS); }
long long wb_max_cells(void) { return bound("MINREG_WB_MAX_CELLS", WB_MAX_CELLS); }

void wb_cell_ref(const char *sheet, long row, int col, buf *out)
{
    /* Excel quotes a name with anything but letters, digits, '_', '.' and
     * characters beyond ASCII, or one starting with a digit */
    int quote = !*sheet || (*sheet >= '0' && *sheet <= '9');
    for (const unsigned char *p = (const unsigned char *)sheet; *p && !quote; p++)
        quote = *p < 0x80 && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                               (*p >= '0' && *p <= '9') || *p == '_' || *p == '.');
    if (quote) {
        buf_putc(out, '\'');
        for (const char *p = sheet; *p; p++) {
            if (*p == '\'')
                buf_putc(out, '\'');
            buf_putc(out, *p);
        }
        buf_putc(out, '\'');
    } else {
        buf_puts(out, sheet);
    }
    if (col < 0) {
        buf_printf(out, "!%ld:%ld", row, row);
        return;
    }
    char c[4];
    wb_col_name(col, c);
    buf_printf(out, "!%s%ld", c, row);
}

void wb_where(const wb *w, long row, int col, char *out, size_t n)
{
    buf b = BUF_INIT;
    wb_cell_ref(w->sheet >= 0 ? w->names[w->sheet] : "?", row, col, &b);
    snprintf(out, n, "%s", buf_str(&b));
    buf_free(&b);
}

int wb_sheet_find(const wb *w, const char *sel, mr_err *e)
{
    if (w->nsheets == 0) {
        err_set(e, EXIT_DATA, _("%s: the workbook has no sheets"), w->path);
        return -1;
    }
    if (!sel)
        return 0;
    for (int i = 0; i < w->nsheets; i++)
        if (strcmp(w->names[i], sel) == 0)
            return i;
    char *end;
    long k = strtol(sel, &end, 10);
    if (*sel && !*end && k >= 1 && k <= w->nsheets)
        return (int)k - 1;
    buf l = BUF_INIT;
    for (int i = 0; i < w->nsheets; i++)
        buf_printf(&l, "%s%d %s", i ? ", " : "", i + 1, w->names[i]);
    err_set(e, EXIT_DATA, _("%s: no sheet '%s'; the workbook has: %s"), w->path, sel, buf_str(&l));
    buf_free(&l);
    return -1;
}

static void merges_reset(wb *w)
{
    for (int i = 0; i < w->nmg; i++)
        free(w->mg[i].val);
    free(w->mg);
    free(w->act);
    w->mg = NULL;
    w->act = NULL;
    w->nmg = w->capmg = w->mg_next = w->nact = 0;
}

static int merge_cmp(const void *a, const void *b)
{
    const wb_merge *x = a, *y = b;
    return x->r0 < y->r0 ? -1 : x->r0 > y->r0;
}

void wb_merge_add(wb *w, long r0, int c0, long r1, int c1)
{
    if (r1 < r0 || c1 < c0 || c0 < 0 || c1 >= WB_MAX_COLS)
        return;
    if (w->nmg == w->capmg) {
        w->capmg = w->capmg ? w->capmg * 2 : 16;
        w->mg = xrealloc(w->mg, sizeof *w->mg * (size_t)w->capmg);
    }
    w->mg[w->nmg++] = (wb_merge){r0, r1, c0, c1, NULL};
}

int wb_sheet_open(wb *w, int i, mr_err *e)
{
    merges_reset(w);
    w->sheet = i;
    w->cells = 0;
    w->across_to = LONG_MAX;
    if (w->ops->sheet_open(w, i, e) < 0)
        return -1;
    if (w->nmg) {
        qsort(w->mg, (size_t)w->nmg, sizeof *w->mg, merge_cmp);
        w->act = xmalloc(sizeof(int) * (size_t)w->nmg);
    }
    return 0;
}

void wb_row_start(wb *w, long row)
{
    w->row = row;
    w->nc = 0;
    buf_reset(&w->arena);
}

void wb_cell(wb *w, int col, const char *s, size_t len)
{
    if (w->nc == w->capc) {
        w->capc = w->capc ? w->capc * 2 : 64;
        w->ccol = xrealloc(w->ccol, sizeof(int) * (size_t)w->capc);
        w->coff = xrealloc(w->coff, sizeof(size_t) * (size_t)w->capc);
    }
    w->ccol[w->nc] = col;
    w->coff[w->nc] = w->arena.len;
    w->nc++;
    buf_add(&w->arena, s, len);
    buf_putc(&w->arena, '\0');
}

static char empty_cell[1];

int wb_row(wb *w, char ***cells, int *n, long *row, mr_err *e)
{
    for (;;) {
        int got = w->ops->row(w, e);
        if (got <= 0)
            return got;
        /* the merges that reach this row */
        int across = w->row <= w->across_to;
        while (w->mg_next < w->nmg && w->mg[w->mg_next].r0 <= w->row)
            w->act[w->nact++] = w->mg_next++;
        int k = 0;
        for (int i = 0; i < w->nact; i++)
            if (w->mg[w->act[i]].r1 >= w->row)
                w->act[k++] = w->act[i];
        w->nact = k;
        int width = 0;
        for (int i = 0; i < w->nc; i++)
            if (w->ccol[i] + 1 > width)
                width = w->ccol[i] + 1;
        for (int i = 0; i < w->nact; i++) {
            const wb_merge *m = &w->mg[w->act[i]];
            int last = across ? m->c1 : m->c0;
            if (last + 1 > width && m->val)
                width = last + 1;
        }
        if (width > w->outcap) {
            w->outcap = width * 2;
            w->out = xrealloc(w->out, sizeof(char *) * (size_t)w->outcap);
        }
        for (int i = 0; i < width; i++)
            w->out[i] = empty_cell;
        for (int i = 0; i < w->nc; i++)
            if (w->out[w->ccol[i]] == empty_cell)
                w->out[w->ccol[i]] = w->arena.s + w->coff[i];
        for (int i = 0; i < w->nact; i++) {
            wb_merge *m = &w->mg[w->act[i]];
            if (m->r0 == w->row) {   /* the top-left cell's value, for the rest */
                if (!m->val && m->c0 < width && w->out[m->c0][0])
                    m->val = xstrdup(w->out[m->c0]);
                if (!across || !m->val)
                    continue;
                for (int c = m->c0 + 1; c <= m->c1 && c < width; c++)
                    if (!w->out[c][0])
                        w->out[c] = m->val;
                continue;
            }
            if (!m->val)
                continue;
            int last = across ? m->c1 : m->c0;
            for (int c = m->c0; c <= last && c < width; c++)
                if (!w->out[c][0])
                    w->out[c] = m->val;
        }
        int any = 0;
        for (int i = 0; i < width && !any; i++)
            any = w->out[i][0] != '\0';
        if (!any)
            continue;
        *cells = w->out;
        *n = width;
        *row = w->row;
        return 1;
    }
}

void wb_close(wb *w)
{
    if (!w)
        return;
    if (w->ops)
        w->ops->close(w);
    merges_reset(w);
    for (int i = 0; i < w->nsheets; i++)
        free(w->names[i]);
    free(w->names);
    free(w->ccol);
    free(w->coff);
    free(w->out);
    buf_free(&w->arena);
    free(w->path);
    free(w);
}

/* ---- values as text ---- */

static void civil(long z, int *y, unsigned *m, unsigned *d)
{
    /* days since 1970-01-01 to a date (Howard Hinnant's algorithm) */
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

void wb_date_text(double v, int d1904, char out[32])
{
    long days = (long)floor(v);
    double frac = v - (double)days;
    long secs = lround(frac * 86400.0);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
    }
    long unix_days;
    if (d1904)
        unix_days = days - 24107;            /* 1904-01-01 is day 0 */
    else if (days < 60)
        unix_days = days - 25568;            /* 1900-01-01 is day 1 (before the fake 29 Feb) */
    else
        unix_days = days - 25569;            /* 1899-12-30 + days */
    int y;
    unsigned m, d;
    if (!d1904 && days == 60) {              /* Lotus's 1900-02-29, which never was */
        snprintf(out, 32, "1900-02-29");
        return;
    }
    civil(unix_days, &y, &m, &d);
    if (secs)
        snprintf(out, 32, "%04d-%02u-%02u %02d:%02d:%02d", y % 10000, m % 13, d % 32,
                 (int)(secs / 3600) % 24, (int)(secs / 60 % 60), (int)(secs % 60));
    else
        snprintf(out, 32, "%04d-%02u-%02u", y % 10000, m % 13, d % 32);
}

void wb_num_text(double v, char out[64])
{
    if (!isfinite(v)) {
        snprintf(out, 64, "%s", "#NUM!");
        return;
    }
    if (v == 0) {
        snprintf(out, 64, "0");
        return;
    }
    /* 15 significant digits, as Excel shows a number; then fixed notation */
    char t[64];
    snprintf(t, sizeof t, "%.14e", v);
    int ex = atoi(strchr(t, 'e') + 1);
    if (ex >= 15 && ex < 60) {   /* the 15 digits, then zeros: 1.23456789012346e+18 */
        char *o = out;
        if (v < 0)
            *o++ = '-';
        const char *m = t + (v < 0);
        *o++ = m[0];
        for (int i = 0; i < ex; i++)
            *o++ = i < 14 ? m[2 + i] : '0';
        *o = '\0';
        return;
    }
    int dec = 14 - ex;
    if (dec < 0)
        dec = 0;
    if (dec > 40)
        dec = 40;
    snprintf(out, 64, "%.*f", dec, v);
    if (strchr(out, '.')) {
        size_t n = strlen(out);
        while (out[n - 1] == '0')
            out[--n] = '\0';
        if (out[n - 1] == '.')
            out[--n] = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, 64, "0");
}
