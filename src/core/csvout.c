/* csvout.c — writing CSV (see csvio.h).
 *
 * Fields are appended to one buffer and written with write(2) in large
 * blocks, always at a field boundary so the buffer holds whole UTF-8
 * characters when it is transcoded to GB18030.  The file is opened by
 * outfile.c: a regular file is written beside its final name and renamed
 * into place only when everything was written; a device, FIFO or
 * descriptor is written in place.  Text cells that a spreadsheet would run
 * as formulas get a guarding apostrophe (csvio.h: Excel safety).
 */
#include "config.h"
#include "csvio.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "i18n.h"
#include "outfile.h"
#include "text.h"

#define FLUSH_AT (256 * 1024)

struct csv_writer {
    int fd;
    outfile *out;
    csvw_opts o;
    iconv_t cd;            /* (iconv_t)-1 for UTF-8 */
    buf b, conv, esc;
    int first;             /* next field is the first of its record */
    int fi;                /* index of the next field in its record */
    unsigned char *numeric;   /* per field index: in a number column */
    int nnumeric;
    int err;               /* errno of the first failed write */
    int bad_text;          /* text that cannot be transcoded */
    char special[5];       /* what makes a field need quotes: delimiter, quote, CR, LF */
};

/* Room for n more bytes in w->b: fields are copied in with memcpy, not
 * byte by byte (an export writes hundreds of megabytes). */
static char *room(csv_writer *w, size_t n)
{
    if (w->b.len + n + 1 > w->b.cap) {
        size_t cap = w->b.cap ? w->b.cap : FLUSH_AT * 2;
        while (cap < w->b.len + n + 1)
            cap *= 2;
        w->b.s = xrealloc(w->b.s, cap);
        w->b.cap = cap;
    }
    return w->b.s + w->b.len;
}

csv_writer *csvw_open(const char *path, const csvw_opts *o, mr_err *e)
{
    csv_writer *w = xcalloc(1, sizeof *w);
    w->o = *o;
    w->o.reg = NULL;   /* not kept: only outfile_open needs it */
    if (!w->o.delim)
        w->o.delim = ',';
    w->first = 1;
    w->cd = (iconv_t)-1;
    if (w->o.enc == ENC_GB18030) {
        w->cd = iconv_open("GB18030", "UTF-8");
        if (w->cd == (iconv_t)-1) {
            err_set(e, EXIT_INTERNAL, _("cannot convert to GB18030: %s"), strerror(errno));
            free(w);
            return NULL;
        }
    }
    if (!(w->out = outfile_open(path, o->reg, e))) {
        if (w->cd != (iconv_t)-1)
            iconv_close(w->cd);
        free(w);
        return NULL;
    }
    w->fd = outfile_fd(w->out);
    if (isatty(w->fd))   /* -o /dev/tty, /dev/stdout: a terminal all the same */
        w->o.escape = 1;
    w->special[0] = w->o.delim;
    memcpy(w->special + 1, "\"\r\n", 4);
    if (w->o.bom)
        buf_add(&w->b, "\xEF\xBB\xBF", 3);
    return w;
}

void csvw_numeric(csv_writer *w, int i, int numeric)
{
    if (i < 0)
        return;
    if (i >= w->nnumeric) {
        int n = i + 16;
        w->numeric = xrealloc(w->numeric, (size_t)n);
        memset(w->numeric + w->nnumeric, 0, (size_t)(n - w->nnumeric));
        w->nnumeric = n;
    }
    w->numeric[i] = numeric != 0;
}

static void write_all(csv_writer *w, const char *s, size_t n)
{
    while (n && !w->err) {
        ssize_t k = write(w->fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            w->err = errno;
            break;
        }
        s += k;
        n -= (size_t)k;
    }
}

static void flush(csv_writer *w)
{
    if (!w->b.len)
        return;
    if (w->cd == (iconv_t)-1) {
        write_all(w, w->b.s, w->b.len);
    } else {
        buf_reset(&w->conv);
        char *ip = w->b.s;
        size_t il = w->b.len;
        while (il && !w->bad_text) {
            char tmp[16384], *op = tmp;
            size_t ol = sizeof tmp;
            if (iconv(w->cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG)
                w->bad_text = 1;   /* invalid UTF-8 in the register */
            buf_add(&w->conv, tmp, (size_t)(op - tmp));
        }
        write_all(w, w->conv.s, w->conv.len);
    }
    buf_reset(&w->b);
}

void csvw_field(csv_writer *w, const char *s)
{
    if (!w->first)
        *room(w, 1) = w->o.delim, w->b.len++;
    w->first = 0;
    int fi = w->fi++;
    if (!s || !*s)
        return;
    int guard = !w->o.raw_cells &&
                csv_cell_guarded(s, fi < w->nnumeric && w->numeric[fi]);
    if (w->o.escape) {   /* a terminal: never raw control characters */
        buf_reset(&w->esc);
        text_escape(&w->esc, s, strlen(s));
        s = buf_str(&w->esc);
    }
    size_t n = strlen(s), plain = strcspn(s, w->special);
    if (plain == n) {
        char *o = room(w, n + 1);
        if (guard)
            *o++ = '\'', w->b.len++;
        memcpy(o, s, n);
        w->b.len += n;
    } else {
        char *o = room(w, 2 * n + 3), *start = o;
        *o++ = '"';
        if (guard)
            *o++ = '\'';
        for (const char *q; (q = strchr(s, '"')); s = q + 1) {
            memcpy(o, s, (size_t)(q - s) + 1);
            o += q - s + 1;
            *o++ = '"';
        }
        size_t rest = strlen(s);
        memcpy(o, s, rest);
        o += rest;
        *o++ = '"';
        w->b.len += (size_t)(o - start);
    }
    if (w->b.len >= FLUSH_AT)
        flush(w);
}

void csvw_end(csv_writer *w)
{
    char *o = room(w, 2);
    if (w->o.crlf)
        *o++ = '\r';
    *o++ = '\n';
    w->b.len = (size_t)(o - w->b.s);
    w->first = 1;
    w->fi = 0;
    if (w->b.len >= FLUSH_AT)
        flush(w);
}

static void release(csv_writer *w)
{
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    buf_free(&w->b);
    buf_free(&w->conv);
    buf_free(&w->esc);
    free(w->numeric);
    free(w);
}

void csvw_abort(csv_writer *w)
{
    if (!w)
        return;
    outfile_abort(w->out);
    release(w);
}

int csvw_close(csv_writer *w, mr_err *e)
{
    flush(w);
    const char *name = outfile_name(w->out);
    int rc = 0;
    if (w->bad_text) {
        err_set(e, EXIT_DATA, _("%s: the register holds text that is not valid UTF-8 and cannot "
                                "be written as GB18030; export it as UTF-8"), name);
        rc = -1;
    } else if (w->err) {
        err_set(e, EXIT_IO, "%s: %s", name, strerror(w->err));
        rc = -1;
    }
    /* a failed write never replaces a good file with half of one */
    if (rc < 0)
        outfile_abort(w->out);
    else
        rc = outfile_commit(w->out, e);
    release(w);
    return rc;
}
