/* csvio.c — a pull reader over libcsv's push parser.
 *
 * libcsv calls us back per field and per record; we queue complete records
 * and hand them out one by one, feeding it 64 KiB at a time, so memory stays
 * bounded by the longest record, not the file.
 */
#include "csvio.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

typedef struct rec {
    char **f;
    int n, cap;
    long line;
} rec;

struct csv_reader {
    FILE *fp;
    char *path;
    struct csv_parser p;
    rec *q;           /* queued complete records */
    int qn, qcap, qpos;
    rec cur;          /* record being built */
    rec out;          /* record handed out last */
    long line;        /* line the next record starts on */
    long cur_lines;   /* newlines inside the current record's fields */
    int eof;
    int skip_comments;
};

static void rec_clear(rec *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->f[i]);
    r->n = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    csv_reader *r = data;
    if (r->cur.n == r->cur.cap) {
        r->cur.cap = r->cur.cap ? r->cur.cap * 2 : 16;
        r->cur.f = xrealloc(r->cur.f, sizeof(char *) * (size_t)r->cur.cap);
    }
    char *v = xstrndup(s ? s : "", s ? len : 0);
    for (size_t i = 0; i < len; i++)
        if (v[i] == '\n')
            r->cur_lines++;
    r->cur.f[r->cur.n++] = v;
}

static void on_record(int c, void *data)
{
    csv_reader *r = data;
    (void)c;
    if (r->qn == r->qcap) {
        r->qcap = r->qcap ? r->qcap * 2 : 64;
        r->q = xrealloc(r->q, sizeof(rec) * (size_t)r->qcap);
    }
    r->cur.line = r->line;
    r->q[r->qn++] = r->cur;
    r->line += 1 + r->cur_lines;
    r->cur_lines = 0;
    memset(&r->cur, 0, sizeof r->cur);
}

csv_reader *csvr_open(const char *path, int skip_comments, char delim, mr_err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    csv_reader *r = xcalloc(1, sizeof *r);
    r->fp = fp;
    r->path = xstrdup(path);
    r->line = 1;
    r->skip_comments = skip_comments;
    csv_init(&r->p, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL);
    csv_set_delim(&r->p, (unsigned char)delim);
    return r;
}

const char *csvr_path(const csv_reader *r) { return r->path; }

static int fill(csv_reader *r, mr_err *e)
{
    char chunk[65536];
    size_t n = fread(chunk, 1, sizeof chunk, r->fp);
    size_t off = 0;
    if (r->skip_comments) {
        /* Skip whole '#' lines at the very start of the file. */
        while (off < n && chunk[off] == '#') {
            char *nl = memchr(chunk + off, '\n', n - off);
            if (!nl) {
                off = n;
                break;
            }
            off = (size_t)(nl - chunk) + 1;
            r->line++;
        }
        if (off < n || n < sizeof chunk)
            r->skip_comments = 0;
    }
    if (n > off && csv_parse(&r->p, chunk + off, n - off, on_field, on_record, r) != n - off) {
        err_set(e, EXIT_DATA, "%s:%ld: %s", r->path, r->line + r->cur_lines,
                csv_strerror(csv_error(&r->p)));
        return -1;
    }
    if (n < sizeof chunk) {
        if (ferror(r->fp)) {
            err_set(e, EXIT_IO, "%s: read error", r->path);
            return -1;
        }
        if (csv_fini(&r->p, on_field, on_record, r) != 0) {
            err_set(e, EXIT_DATA, "%s:%ld: %s", r->path, r->line,
                    csv_strerror(csv_error(&r->p)));
            return -1;
        }
        r->eof = 1;
    }
    return 0;
}

int csvr_next(csv_reader *r, char ***fields, int *nfields, long *line, mr_err *e)
{
    rec_clear(&r->out);
    while (r->qpos == r->qn) {
        r->qpos = r->qn = 0;
        if (r->eof)
            return 0;
        if (fill(r, e) < 0)
            return -1;
    }
    free(r->out.f);
    r->out = r->q[r->qpos++];
    *fields = r->out.f;
    *nfields = r->out.n;
    if (line)
        *line = r->out.line;
    return 1;
}

void csvr_close(csv_reader *r)
{
    if (!r)
        return;
    rec_clear(&r->out);
    free(r->out.f);
    for (int i = r->qpos; i < r->qn; i++) {
        rec_clear(&r->q[i]);
        free(r->q[i].f);
    }
    rec_clear(&r->cur);
    free(r->cur.f);
    free(r->q);
    csv_free(&r->p);
    fclose(r->fp);
    free(r->path);
    free(r);
}

void csv_write_field(FILE *f, const char *s, char delim)
{
    if (!s)
        return;
    if (!strchr(s, '"') && !strchr(s, delim) && !strchr(s, '\n') && !strchr(s, '\r')) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}
