/* csvio.c — a pull reader over libcsv's push parser (see csvio.h).
 *
 * textin hands us UTF-8 chunks; we feed libcsv one physical line at a time
 * (at most SEG_MAX bytes), so when a callback fires we know which line we
 * are on: records get exact line numbers, blank lines and quoted newlines
 * included.  Fields are copied into one arena and records queued as offsets,
 * so reading a million rows allocates nothing per row; memory is bounded by
 * the longest record, and a field longer than max_field stops the read.
 */
#include "config.h"
#include "csvio.h"

#include <csv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "thread.h"

#define SEG_MAX 65536

typedef struct rec {
    int first, n;        /* fields fo[first .. first+n) */
    long line;
    int mark;            /* what the read-ahead check said (csvr_mark) */
} rec;

struct csv_reader {
    textin *in;
    struct csv_parser p;
    size_t max_field;
    char delim;
    int skip_comments;
    int raw_cells;       /* keep guarding apostrophes (csvio.h: Excel safety) */
    int header_seen;     /* a record was started: no more '#' notes or sep= line */
    const char *chunk;   /* decoded text from textin: chunk[cpos..clen) not yet fed */
    size_t clen, cpos;
    long line;           /* line of the text being fed */
    long rec_line;       /* line the record being built started on */
    int need_start;      /* the next non-blank line starts a record */
    int eof;
    int too_big;         /* field number of a field over max_field */
    int too_many;        /* a record with more than CSV_MAX_FIELDS fields */
    char *arena;         /* field bytes, each NUL-terminated */
    size_t alen, acap;
    size_t *fo;          /* field offsets into arena */
    int fo_n, fo_cap;
    int cur_first;       /* the record being built: fields fo[cur_first .. fo_n) */
    rec *q;              /* complete records not handed out yet */
    int qn, qcap, qpos;
    char **out;
    int out_cap;
    struct prefetch *pf; /* reading ahead on a thread of its own, or NULL */
    csvr_source src;     /* records from elsewhere (src.next set), and then in is NULL */
    char *src_path;
};

/* ---- reading ahead ----------------------------------------------------------
 * csvr_prefetch moves the reading (decoding, parsing) to a thread of its
 * own, which fills batches of records while the caller works on the ones
 * before: an import's inserts and the parsing of the next rows run on two
 * cores.  Records are copied into the batch; a batch ends early at the end
 * of the file or an error, which the reader then returns in its place. */
#define PF_BATCHES 4
#define PF_RECORDS 1024
#define PF_BYTES (256 * 1024)

typedef struct batch {
    char *arena;         /* field bytes, NUL-terminated */
    size_t alen, acap;
    size_t *fo;          /* field offsets */
    int fo_n, fo_cap;
    rec q[PF_RECORDS];
    int n;
    int end;             /* after the records: 1 more to come, 0 end of file, -1 error */
    mr_err err;          /* the error, when end is -1 */
    long long offset;    /* source bytes read when the batch was filled */
} batch;

struct prefetch {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t filled, emptied;
    batch b[PF_BATCHES];
    int head, full;      /* the batch being read by the caller; batches filled */
    int stop;            /* the caller is done: the thread stops */
    int pos;             /* next record of b[head] to hand out */
    int done;            /* the caller saw the end (or an error) */
    long long offset;
    char **out;          /* the caller's fields (the thread uses the reader's) */
    int out_cap;
    int mark;            /* of the record handed out last */
    csvr_check_fn check; /* run on the thread for each record, or NULL */
    void *check_arg;
};

/* Fields keep every byte: no trimming of spaces around them. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    csv_reader *r = data;
    if (r->fo_n - r->cur_first >= CSV_MAX_FIELDS) {
        r->too_many = 1;   /* a line of nothing but delimiters must not eat memory */
        return;
    }
    if (len > r->max_field) {
        if (!r->too_big)
            r->too_big = r->fo_n - r->cur_first + 1;   /* which field */
        len = 0;
    }
    if (!r->raw_cells && len) {
        size_t k = csv_cell_unguard(s, len);
        s = (char *)s + k;
        len -= k;
    }
    if (r->alen + len + 1 > r->acap) {
        while (r->alen + len + 1 > r->acap)
            r->acap = r->acap ? r->acap * 2 : 65536;
        r->arena = xrealloc(r->arena, r->acap);
    }
    if (len)
        memcpy(r->arena + r->alen, s, len);
    r->arena[r->alen + len] = '\0';
    if (r->fo_n == r->fo_cap) {
        r->fo_cap = r->fo_cap ? r->fo_cap * 2 : 64;
        r->fo = xrealloc(r->fo, sizeof *r->fo * (size_t)r->fo_cap);
    }
    r->fo[r->fo_n++] = r->alen;
    r->alen += len + 1;
}

static void on_record(int c, void *data)
{
    csv_reader *r = data;
    (void)c;
    if (r->qn == r->qcap) {
        r->qcap = r->qcap ? r->qcap * 2 : 16;
        r->q = xrealloc(r->q, sizeof *r->q * (size_t)r->qcap);
    }
    r->q[r->qn++] = (rec){r->cur_first, r->fo_n - r->cur_first, r->rec_line, 0};
    r->cur_first = r->fo_n;
    r->need_start = 1;
}

char csv_delim_parse(const char *s)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0)
        return '\t';
    if (strlen(s) == 1 && s[0] != '"' && s[0] != '\n' && s[0] != '\r' && (unsigned char)s[0] < 0x80)
        return s[0];
    return 0;
}

const char *csv_delim_name(char delim)
{
    switch (delim) {
    case ',': return _("comma");
    case '\t': return _("tab");
    case ';': return _("semicolon");
    case '|': return _("vertical bar");
    default: return _("other");
    }
}

csv_reader *csvr_open(const char *path, const csv_opts *o, mr_err *e)
{
    csv_opts def = {0};
    if (!o)
        o = &def;
    textin *in = textin_open(path, o->enc, o->stop, o->stop_arg, e);
    if (!in)
        return NULL;
    csv_reader *r = xcalloc(1, sizeof *r);
    r->in = in;
    r->max_field = o->max_field ? o->max_field : CSV_MAX_FIELD;
    r->delim = o->delim;
    r->skip_comments = o->skip_comments;
    r->raw_cells = o->raw_cells;
    r->line = 1;
    r->need_start = 1;
    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL);
    csv_set_space_func(&r->p, no_space);
    if (r->delim)
        csv_set_delim(&r->p, (unsigned char)r->delim);
    return r;
}

csv_reader *csvr_from_source(const char *path, const csvr_source *src)
{
    csv_reader *r = xcalloc(1, sizeof *r);
    r->src = *src;
    r->src_path = xstrdup(path);
    r->delim = ',';
    return r;
}

static long long in_offset(const csv_reader *r)
{
    return r->src.next ? r->src.offset(r->src.arg) : textin_offset(r->in);
}

const char *csvr_path(const csv_reader *r) { return r->in ? textin_path(r->in) : r->src_path; }
char csvr_delim(const csv_reader *r) { return r->delim; }
text_enc csvr_encoding(const csv_reader *r) { return r->in ? textin_encoding(r->in) : ENC_UTF8; }
int csvr_had_bom(const csv_reader *r) { return r->in ? textin_had_bom(r->in) : 0; }
long long csvr_offset(const csv_reader *r) { return r->pf ? r->pf->offset : in_offset(r); }
long long csvr_size(const csv_reader *r) { return r->in ? textin_size(r->in) : r->src.size; }
/* (the read-ahead thread, if any, stopped reading once it met the end) */
int csvr_unchanged(const csv_reader *r, mr_err *e) { return r->in ? textin_unchanged(r->in, e) : 0; }
text_enc csvr_better_encoding(const csv_reader *r)
{
    return r->in ? textin_better_encoding(r->in) : ENC_AUTO;
}

/* The delimiter of a header line: whichever of comma, tab and semicolon
 * occurs most often outside quotes (comma when none does). */
static char detect_delim(const char *s, size_t n)
{
    static const char cand[] = {',', '\t', ';'};
    size_t count[3] = {0, 0, 0};
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            for (int k = 0; k < 3; k++)
                count[k] += s[i] == cand[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (count[k] > count[best])
            best = k;
    return cand[best];
}

/* Is s[0..n) only a line ending? */
static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Before the header: '#' notes (seed files), Excel's "sep=;" line, and
 * the delimiter.  Returns 1 when the line was consumed. */
static int before_header(csv_reader *r, const char *s, size_t n)
{
    if (r->skip_comments && n && s[0] == '#')
        return 1;
    if (n >= 5 && strncmp(s, "sep=", 4) == 0 && blank(s + 5, n - 5) && !r->delim) {
        r->delim = s[4];
        csv_set_delim(&r->p, (unsigned char)r->delim);
        return 1;
    }
    if (!r->delim) {
        r->delim = detect_delim(s, n);
        csv_set_delim(&r->p, (unsigned char)r->delim);
    }
    r->header_seen = 1;
    return 0;
}

static int parse_error(csv_reader *r, mr_err *e)
{
    err_set(e, EXIT_DATA,
            _("%s:%ld: field %d: malformed quotes: a quote inside an unquoted field, or text "
              "after a closing quote (a quote in a field is written \"\")"),
            csvr_path(r), r->line, r->fo_n - r->cur_first + 1);
    return -1;
}

static int too_big(csv_reader *r, mr_err *e)
{
    err_set(e, EXIT_DATA, _("%s:%ld: field %d is longer than %zu bytes (is a closing quote missing?)"),
            csvr_path(r), r->rec_line, r->too_big ? r->too_big : r->fo_n - r->cur_first + 1,
            r->max_field);
    return -1;
}

/* Feed libcsv the next line (or SEG_MAX bytes of it). */
static int feed(csv_reader *r, mr_err *e)
{
    if (r->cpos == r->clen) {
        long n = textin_read(r->in, &r->chunk, e);
        if (n < 0)
            return -1;
        if (n == 0) {
            r->eof = 1;
            if (csv_fini(&r->p, on_field, on_record, r) != 0) {
                err_set(e, EXIT_DATA, _("%s:%ld: a quoted field is never closed (its closing quote is missing)"),
                        csvr_path(r), r->rec_line);
                return -1;
            }
            return r->too_big ? too_big(r, e) : 0;
        }
        r->clen = (size_t)n;
        r->cpos = 0;
    }
    const char *s = r->chunk + r->cpos;
    size_t n = r->clen - r->cpos;
    if (n > SEG_MAX)
        n = SEG_MAX;
    const char *nl = memchr(s, '\n', n);
    if (nl)
        n = (size_t)(nl - s) + 1;
    r->cpos += n;
    if (r->need_start && !blank(s, n)) {
        if (!r->header_seen && before_header(r, s, n)) {
            r->line += nl != NULL;
            return 0;
        }
        r->rec_line = r->line;
        r->need_start = 0;
    }
    if (csv_parse(&r->p, s, n, on_field, on_record, r) != n)
        return parse_error(r, e);
    if (r->too_big || csv_get_buffer_size(&r->p) > r->max_field + SEG_MAX)
        return too_big(r, e);
    if (r->too_many) {
        err_set(e, EXIT_DATA, _("%s:%ld: more than %d fields in one record"), csvr_path(r),
                r->rec_line, CSV_MAX_FIELDS);
        return -1;
    }
    r->line += nl != NULL;
    return 0;
}

/* Drop the records handed out: keep only the one being built. */
static void compact(csv_reader *r)
{
    size_t base = r->cur_first < r->fo_n ? r->fo[r->cur_first] : r->alen;
    if (r->alen > base)
        memmove(r->arena, r->arena + base, r->alen - base);
    r->alen -= base;
    int k = r->fo_n - r->cur_first;
    for (int i = 0; i < k; i++)
        r->fo[i] = r->fo[r->cur_first + i] - base;
    r->fo_n = k;
    r->cur_first = 0;
    r->qn = r->qpos = 0;
}

static int next_record(csv_reader *r, char ***fields, int *nfields, long *line, mr_err *e)
{
    if (r->src.next) {
        long l = 0;
        int got = r->src.next(r->src.arg, fields, nfields, &l, e);
        if (line)
            *line = l;
        return got;
    }
    if (r->qpos == r->qn) {
        compact(r);
        while (r->qn == 0) {
            if (r->eof)
                return 0;
            if (feed(r, e) < 0)
                return -1;
        }
    }
    const rec *x = &r->q[r->qpos++];
    if (x->n > r->out_cap) {
        r->out_cap = x->n * 2;
        r->out = xrealloc(r->out, sizeof(char *) * (size_t)r->out_cap);
    }
    for (int i = 0; i < x->n; i++)
        r->out[i] = r->arena + r->fo[x->first + i];
    *fields = r->out;
    *nfields = x->n;
    if (line)
        *line = x->line;
    return 1;
}

static void batch_add(batch *b, char **f, int nf, long line, int mark)
{
    size_t need = 0;
    for (int i = 0; i < nf; i++)
        need += strlen(f[i]) + 1;
    if (b->alen + need > b->acap) {
        while (b->alen + need > b->acap)
            b->acap = b->acap ? b->acap * 2 : PF_BYTES;
        b->arena = xrealloc(b->arena, b->acap);
    }
    if (b->fo_n + nf > b->fo_cap) {
        while (b->fo_n + nf > b->fo_cap)
            b->fo_cap = b->fo_cap ? b->fo_cap * 2 : 4096;
        b->fo = xrealloc(b->fo, sizeof *b->fo * (size_t)b->fo_cap);
    }
    b->q[b->n++] = (rec){b->fo_n, nf, line, mark};
    for (int i = 0; i < nf; i++) {
        size_t len = strlen(f[i]) + 1;
        memcpy(b->arena + b->alen, f[i], len);
        b->fo[b->fo_n++] = b->alen;
        b->alen += len;
    }
}

static void *prefetch_main(void *arg)
{
    csv_reader *r = arg;
    struct prefetch *pf = r->pf;
    int slot = 0, end = 1;
    while (end == 1) {
        pthread_mutex_lock(&pf->mu);
        while (pf->full == PF_BATCHES && !pf->stop)
            pthread_cond_wait(&pf->emptied, &pf->mu);
        int stop = pf->stop;
        pthread_mutex_unlock(&pf->mu);
        if (stop)
            break;
        /* b[slot] is the thread's until it is counted in full */
        batch *b = &pf->b[slot];
        b->n = b->fo_n = 0;
        b->alen = 0;
        err_clear(&b->err);
        while (b->n < PF_RECORDS && b->alen < PF_BYTES) {
            char **f;
            int nf;
            long line;
            end = next_record(r, &f, &nf, &line, &b->err);
            if (end != 1)
                break;
            batch_add(b, f, nf, line, pf->check ? pf->check(pf->check_arg, f, nf) : 0);
        }
        b->end = end;
        b->offset = in_offset(r);
        pthread_mutex_lock(&pf->mu);
        pf->full++;
        pthread_cond_signal(&pf->filled);
        pthread_mutex_unlock(&pf->mu);
        slot = (slot + 1) % PF_BATCHES;
    }
    return NULL;
}

int csvr_prefetch(csv_reader *r, csvr_check_fn check, void *arg)
{
    if (r->pf)
        return 0;
    struct prefetch *pf = xcalloc(1, sizeof *pf);
    pf->check = check;
    pf->check_arg = arg;
    pthread_mutex_init(&pf->mu, NULL);
    pthread_cond_init(&pf->filled, NULL);
    pthread_cond_init(&pf->emptied, NULL);
    r->pf = pf;
    if (thread_start(&pf->th, prefetch_main, r) != 0) {
        r->pf = NULL;   /* no thread: read as before */
        pthread_mutex_destroy(&pf->mu);
        pthread_cond_destroy(&pf->filled);
        pthread_cond_destroy(&pf->emptied);
        free(pf);
        return -1;
    }
    return 0;
}

static int prefetched(csv_reader *r, char ***fields, int *nfields, long *line, mr_err *e)
{
    struct prefetch *pf = r->pf;
    if (pf->done)
        return 0;
    pthread_mutex_lock(&pf->mu);
    while (pf->full == 0)
        pthread_cond_wait(&pf->filled, &pf->mu);
    pthread_mutex_unlock(&pf->mu);
    batch *b = &pf->b[pf->head];
    while (pf->pos == b->n && b->end == 1) {   /* on to the next batch */
        pthread_mutex_lock(&pf->mu);
        pf->full--;
        pthread_cond_signal(&pf->emptied);
        while (pf->full == 0)
            pthread_cond_wait(&pf->filled, &pf->mu);
        pthread_mutex_unlock(&pf->mu);
        pf->head = (pf->head + 1) % PF_BATCHES;
        pf->pos = 0;
        b = &pf->b[pf->head];
    }
    pf->offset = b->offset;
    if (pf->pos == b->n) {
        pf->done = 1;
        if (b->end < 0)
            *e = b->err;
        return b->end;
    }
    const rec *x = &b->q[pf->pos++];
    pf->mark = x->mark;
    if (x->n > pf->out_cap) {
        pf->out_cap = x->n * 2;
        pf->out = xrealloc(pf->out, sizeof(char *) * (size_t)pf->out_cap);
    }
    for (int i = 0; i < x->n; i++)
        pf->out[i] = b->arena + b->fo[x->first + i];
    *fields = pf->out;
    *nfields = x->n;
    if (line)
        *line = x->line;
    return 1;
}

int csvr_next(csv_reader *r, char ***fields, int *nfields, long *line, mr_err *e)
{
    return r->pf ? prefetched(r, fields, nfields, line, e) : next_record(r, fields, nfields, line, e);
}

int csvr_mark(const csv_reader *r) { return r->pf ? r->pf->mark : 0; }

static void prefetch_stop(csv_reader *r)
{
    struct prefetch *pf = r->pf;
    pthread_mutex_lock(&pf->mu);
    pf->stop = 1;
    pthread_cond_signal(&pf->emptied);
    pthread_mutex_unlock(&pf->mu);
    pthread_join(pf->th, NULL);
    for (int i = 0; i < PF_BATCHES; i++) {
        free(pf->b[i].arena);
        free(pf->b[i].fo);
    }
    pthread_mutex_destroy(&pf->mu);
    pthread_cond_destroy(&pf->filled);
    pthread_cond_destroy(&pf->emptied);
    free(pf->out);
    free(pf);
    r->pf = NULL;
}

void csvr_close(csv_reader *r)
{
    if (!r)
        return;
    if (r->pf)
        prefetch_stop(r);
    if (r->src.next) {
        if (r->src.close)
            r->src.close(r->src.arg);
        free(r->src_path);
        free(r->out);
        free(r);
        return;
    }
    csv_free(&r->p);
    textin_close(r->in);
    free(r->arena);
    free(r->fo);
    free(r->q);
    free(r->out);
    free(r);
}
