/* textin.c — decoding an input file to UTF-8 (see textin.h).
 *
 * Source bytes are read with read(2) into `raw`; a chunk is either handed
 * out as is (UTF-8, after checking it) or transcoded with iconv into `out`.
 * An incomplete character at the end of a read stays in `raw` for the next
 * call.  Every chunk is scanned for NUL bytes and stray byte order marks;
 * the scan also validates pass-through UTF-8.  Errors name the line (counted
 * in the decoded text) and the byte offset in the file.
 */
#include "config.h"
#include "textin.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "i18n.h"

#define RAW_CHUNK (256 * 1024)
#define SNIFF_MIN 512          /* bytes after the first non-ASCII one to judge by */
#define NO_ICONV ((iconv_t)-1)
#define STOP_POLL_MS 100       /* how often a wait for a pipe asks whether to stop */

struct textin {
    int fd;
    char *path;
    text_enc enc;          /* ENC_AUTO while all bytes so far were ASCII */
    iconv_t cd;            /* NO_ICONV: UTF-8 passes through */
    unsigned char *raw;    /* raw[0..raw_len): source bytes from file offset raw_off */
    size_t raw_len, raw_used;
    long long raw_off;
    char *out;             /* transcoded text */
    size_t out_cap;
    long line;             /* line number of the next chunk's first byte */
    long long size;
    long long nread;       /* source bytes read in all */
    struct stat st;        /* the file as opened (a regular file: checked at the end) */
    const char *hook;      /* MINREG_TEST_CHANGE_INPUT, done after the first read */
    textin_stop_fn stop;   /* asked while a pipe keeps us waiting */
    void *stop_arg;
    int eof, started, at_start, bom, stdin_;
    int sniffed;           /* enc was judged from a sample (not forced, no BOM) */
    text_enc better;       /* judged UTF-8, found invalid, but all of it is GB18030 */
};

static const struct { const char *name; text_enc enc; } enc_names[] = {
    {"utf-8", ENC_UTF8}, {"utf8", ENC_UTF8},
    {"gb18030", ENC_GB18030}, {"gbk", ENC_GB18030}, {"gb2312", ENC_GB18030},
    {"cp936", ENC_GB18030},
    {"utf-16", ENC_UTF16LE}, {"utf16", ENC_UTF16LE}, {"utf-16le", ENC_UTF16LE},
    {"utf-16be", ENC_UTF16BE},
};

int text_enc_parse(const char *s, text_enc *out)
{
    for (size_t i = 0; i < sizeof enc_names / sizeof *enc_names; i++)
        if (strcasecmp(s, enc_names[i].name) == 0) {
            *out = enc_names[i].enc;
            return 1;
        }
    return 0;
}

const char *text_enc_name(text_enc enc)
{
    switch (enc) {
    case ENC_GB18030: return "GB18030";
    case ENC_UTF16LE: return "UTF-16LE";
    case ENC_UTF16BE: return "UTF-16BE";
    default: return "UTF-8";
    }
}

const char *text_enc_iconv(text_enc enc) { return text_enc_name(enc); }

static int stopped(const char *path, textin_stop_fn stop, void *arg, mr_err *e)
{
    if (!stop || !stop(arg))
        return 0;
    err_set(e, EXIT_CANCELLED, _("%s: cancelled while waiting for input"), path);
    return 1;
}

textin *textin_open(const char *path, text_enc enc, textin_stop_fn stop, void *stop_arg, mr_err *e)
{
    int stdin_ = strcmp(path, "-") == 0;
    int fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    /* a FIFO's open waits for a writer: a signal (Ctrl-C) ends the wait */
    while (fd < 0 && errno == EINTR) {
        if (stopped(path, stop, stop_arg, e))
            return NULL;
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        err_set(e, EXIT_IO, "%s: %s", path, strerror(EISDIR));
        close(fd);
        return NULL;
    }
    textin *in = xcalloc(1, sizeof *in);
    in->fd = fd;
    in->path = xstrdup(stdin_ ? _("(standard input)") : path);
    in->enc = enc;
    in->cd = NO_ICONV;
    in->raw = xmalloc(RAW_CHUNK);
    in->line = 1;
    in->at_start = 1;
    in->size = S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
    in->st = st;
    in->stdin_ = stdin_;
    in->stop = stop;
    in->stop_arg = stop_arg;
    in->hook = getenv("MINREG_TEST_CHANGE_INPUT");
    if (in->hook && !*in->hook)
        in->hook = NULL;
    return in;
}

void textin_close(textin *in)
{
    if (!in)
        return;
    if (in->cd != NO_ICONV)
        iconv_close(in->cd);
    if (in->fd != STDIN_FILENO)
        close(in->fd);
    free(in->raw);
    free(in->out);
    free(in->path);
    free(in);
}

text_enc textin_encoding(const textin *in) { return in->enc == ENC_AUTO ? ENC_UTF8 : in->enc; }
int textin_had_bom(const textin *in) { return in->bom; }
const char *textin_path(const textin *in) { return in->path; }
long long textin_offset(const textin *in) { return in->raw_off + (long long)in->raw_used; }
long long textin_size(const textin *in) { return in->size; }

/* Length of the UTF-8 character at s: 1..4, 0 when n cuts a valid start
 * short, -1 when invalid (overlong, surrogate, beyond U+10FFFF, bad byte). */
static int u8len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    int len;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07, min = 0x10000;
    else
        return -1;
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return 0;
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    return len;
}

enum { SCAN_OK, SCAN_UTF8, SCAN_NUL, SCAN_BOM };

/* Scan UTF-8 text s[0..n).  Returns the length of the prefix made of whole
 * characters (a character cut by the end of the buffer is left for the next
 * read unless final); on a problem *what and *bad say what and where. */
static size_t scan(const unsigned char *s, size_t n, int final, int *what, size_t *bad)
{
    size_t i = 0;
    *what = SCAN_OK;
    while (i < n) {
        /* ASCII fast path, 8 bytes at a time: no high bit and no zero byte */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if ((v & 0x8080808080808080ULL) ||
                ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (s[i] == 0) {
            *what = SCAN_NUL, *bad = i;
            return i;
        }
        int k = u8len(s + i, n - i);
        if (k == 0 && !final)
            return i;
        if (k <= 0) {
            *what = SCAN_UTF8, *bad = i;
            return i;
        }
        if (k == 3 && s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF) {
            *what = SCAN_BOM, *bad = i;
            return i;
        }
        i += (size_t)k;
    }
    return n;
}

static long count_lines(const char *s, size_t n)
{
    long k = 0;
    const char *end = s + n;
    while (s < end && (s = memchr(s, '\n', (size_t)(end - s)))) {
        k++;
        s++;
    }
    return k;
}

/* GB18030 or UTF-8?  s starts at the first non-ASCII byte.  Text that is
 * valid UTF-8 — or mostly UTF-8 with a fault, which is then reported as
 * such — is UTF-8; otherwise, if it decodes as GB18030, it is GB18030. */
static text_enc sniff(const unsigned char *s, size_t n)
{
    size_t i = 0;
    int multibyte = 0;
    while (i < n) {
        int k = u8len(s + i, n - i);
        if (k == 0)
            break;
        if (k < 0) {
            if (multibyte >= 4)
                return ENC_UTF8;
            iconv_t cd = iconv_open("UTF-8", "GB18030");
            if (cd == NO_ICONV)
                return ENC_UTF8;
            char tmp[1024];
            char *ip = (char *)s;
            size_t il = n;
            int okgb = 1;
            while (il > 0) {
                char *op = tmp;
                size_t ol = sizeof tmp;
                if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG) {
                    /* a character cut by the end of what we have is still
                     * GB18030 (a file cut short is reported as such later) */
                    okgb = errno == EINVAL;
                    break;
                }
            }
            iconv_close(cd);
            return okgb ? ENC_GB18030 : ENC_UTF8;
        }
        if (k > 1)
            multibyte++;
        i += (size_t)k;
    }
    return ENC_UTF8;
}

static int start_iconv(textin *in, mr_err *e)
{
    if (in->enc == ENC_UTF8 || in->enc == ENC_AUTO)
        return 0;
    in->cd = iconv_open("UTF-8", text_enc_iconv(in->enc));
    if (in->cd == NO_ICONV) {
        err_set(e, EXIT_INTERNAL, _("%s: cannot convert from %s: %s"), in->path,
                text_enc_name(in->enc), strerror(errno));
        return -1;
    }
    in->out_cap = 2 * RAW_CHUNK + 16;   /* UTF-16 and GB18030 grow at most 1.5x */
    in->out = xmalloc(in->out_cap);
    return 0;
}

/* The file offset of the character at decoded offset off of the current
 * transcoded chunk: convert again into a buffer exactly off bytes long, so
 * iconv stops there.  Only used to report an error. */
static long long map_offset(textin *in, size_t off)
{
    if (in->cd == NO_ICONV)
        return in->raw_off + (long long)off;
    iconv_t cd = iconv_open("UTF-8", text_enc_iconv(in->enc));
    if (cd == NO_ICONV)
        return in->raw_off;
    char *tmp = xmalloc(off + 1), *ip = (char *)in->raw, *op = tmp;
    size_t il = in->raw_len, ol = off;
    iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    free(tmp);
    return in->raw_off + (long long)(ip - (char *)in->raw);
}

static void scan_error(textin *in, const char *text, int what, size_t at, mr_err *e)
{
    long line = in->line + count_lines(text, at);
    long long off = map_offset(in, at);
    unsigned char byte = (unsigned char)text[at];
    switch (what) {
    case SCAN_NUL:
        err_set(e, EXIT_DATA, _("%s:%ld: a NUL byte at byte offset %lld: this is not a text file"),
                in->path, line, off);
        break;
    case SCAN_BOM:
        err_set(e, EXIT_DATA,
                _("%s:%ld: a byte order mark (U+FEFF) at byte offset %lld, not at the start: "
                  "were two files joined together?"), in->path, line, off);
        break;
    default:
        err_set(e, EXIT_DATA,
                _("%s:%ld: invalid UTF-8 at byte offset %lld (0x%02x); if the file is in "
                  "another encoding, say which with --encoding"), in->path, line, off, byte);
    }
}

/* Refuse spreadsheet workbooks by their signature: a clear hint beats
 * "invalid UTF-8 at byte 2". */
static int workbook(textin *in, mr_err *e)
{
    static const unsigned char zip[] = {'P', 'K', 3, 4}, ole[] = {0xD0, 0xCF, 0x11, 0xE0};
    if (in->raw_len >= 4 && (memcmp(in->raw, zip, 4) == 0 || memcmp(in->raw, ole, 4) == 0)) {
        err_set(e, EXIT_DATA, _("%s: this is a spreadsheet workbook (.xlsx/.xls), not CSV: "
                                "import reads a workbook from its file, not from a pipe"), in->path);
        return 1;
    }
    return 0;
}

/* A test hook: change the file while it is read, deterministically, after
 * the first read ($MINREG_TEST_CHANGE_INPUT: "truncate:BYTES" cuts it
 * there, "touch" moves its modification time a second on). */
static void test_change(textin *in)
{
    const char *h = in->hook;
    in->hook = NULL;   /* once */
    if (strncmp(h, "truncate:", 9) == 0) {
        if (truncate(in->path, (off_t)strtoll(h + 9, NULL, 10)) != 0)
            fprintf(stderr, "MINREG_TEST_CHANGE_INPUT: %s: %s\n", in->path, strerror(errno));
    } else if (strcmp(h, "touch") == 0) {
        struct timespec ts[2] = {in->st.st_atim, in->st.st_mtim};
        ts[1].tv_sec += 1;
        if (utimensat(AT_FDCWD, in->path, ts, 0) != 0)
            fprintf(stderr, "MINREG_TEST_CHANGE_INPUT: %s: %s\n", in->path, strerror(errno));
    }
}

int textin_unchanged(const textin *in, mr_err *e)
{
    if (!S_ISREG(in->st.st_mode))
        return 0;   /* a pipe or FIFO: what was read is all there is to know */
    struct stat now, at;
    char why[160];
    why[0] = '\0';
    if (fstat(in->fd, &now) != 0) {
        err_set(e, EXIT_IO, "%s: %s", in->path, strerror(errno));
        return -1;
    }
    if (!in->stdin_ && (stat(in->path, &at) != 0 || at.st_dev != in->st.st_dev ||
                        at.st_ino != in->st.st_ino))
        snprintf(why, sizeof why, "%s", _("another file is in its place now"));
    else if (now.st_size != in->st.st_size)
        snprintf(why, sizeof why, _("its size went from %lld to %lld bytes"),
                 (long long)in->st.st_size, (long long)now.st_size);
    else if (now.st_mtim.tv_sec != in->st.st_mtim.tv_sec ||
             now.st_mtim.tv_nsec != in->st.st_mtim.tv_nsec)
        snprintf(why, sizeof why, "%s", _("it was modified"));
    else if (in->eof && in->nread != (long long)in->st.st_size)
        snprintf(why, sizeof why, _("%lld of its %lld bytes were read"), in->nread,
                 (long long)in->st.st_size);
    if (!why[0])
        return 0;
    err_set(e, EXIT_DATA, _("%s: the file changed while it was being imported (%s): nothing was "
                            "written; import it again once it is complete"), in->path, why);
    return -1;
}

/* A pipe, FIFO or terminal: wait until it has input (or its writer is
 * gone), asking stop every STOP_POLL_MS, so Ctrl-C on an import from a
 * FIFO nobody writes to cancels it.  -1 with e when stopped. */
static int wait_input(textin *in, mr_err *e)
{
    for (;;) {
        if (stopped(in->path, in->stop, in->stop_arg, e))
            return -1;
        struct pollfd p = {.fd = in->fd, .events = POLLIN};
        int k = poll(&p, 1, STOP_POLL_MS);
        if (k > 0 || (k < 0 && errno != EINTR))   /* input, its end, or an error read reports */
            return stopped(in->path, in->stop, in->stop_arg, e) ? -1 : 0;   /* (a signal came first) */
    }
}

/* Read more source bytes; -1 on a read error. */
static int fill(textin *in, mr_err *e)
{
    if (in->raw_used) {
        memmove(in->raw, in->raw + in->raw_used, in->raw_len - in->raw_used);
        in->raw_len -= in->raw_used;
        in->raw_off += (long long)in->raw_used;
        in->raw_used = 0;
    }
    while (!in->eof && in->raw_len < RAW_CHUNK) {
        if (in->stop && !S_ISREG(in->st.st_mode) && wait_input(in, e) < 0)
            return -1;
        ssize_t n = read(in->fd, in->raw + in->raw_len, RAW_CHUNK - in->raw_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err_set(e, EXIT_IO, "%s: %s", in->path, strerror(errno));
            return -1;
        }
        if (n == 0)
            in->eof = 1;
        in->raw_len += (size_t)n;
        in->nread += n;
        if (n > 0 && in->hook)
            test_change(in);
        break;   /* one read: a pipe hands out what it has */
    }
    return 0;
}

/* The first bytes: a byte order mark decides the encoding. */
static int start(textin *in, mr_err *e)
{
    const unsigned char *r = in->raw;
    if (workbook(in, e))
        return -1;
    if (in->raw_len >= 3 && r[0] == 0xEF && r[1] == 0xBB && r[2] == 0xBF) {
        in->bom = 1;
        if (in->enc == ENC_AUTO)
            in->enc = ENC_UTF8;
    } else if (in->raw_len >= 2 && ((r[0] == 0xFF && r[1] == 0xFE) || (r[0] == 0xFE && r[1] == 0xFF))) {
        in->bom = 1;
        if (in->enc == ENC_AUTO || in->enc == ENC_UTF16LE || in->enc == ENC_UTF16BE)
            in->enc = r[0] == 0xFF ? ENC_UTF16LE : ENC_UTF16BE;
    } else if (in->raw_len >= 4 && r[0] == 0x84 && r[1] == 0x31 && r[2] == 0x95 && r[3] == 0x33) {
        in->bom = 1;
        if (in->enc == ENC_AUTO)
            in->enc = ENC_GB18030;
    }
    return start_iconv(in, e);
}

/* A file judged UTF-8 by its first multibyte characters (GB18030 text
 * can look like UTF-8 for a while) turned out not to be: is the whole of
 * it valid GB18030?  Read it again from the start to see; only a regular
 * file can be.  The caller then reads it again as GB18030
 * (textin_better_encoding). */
static int whole_gb18030(const textin *in)
{
    if (!S_ISREG(in->st.st_mode))
        return 0;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == NO_ICONV)
        return 0;
    char *raw = xmalloc(RAW_CHUNK), *out = xmalloc(2 * RAW_CHUNK);
    size_t have = 0;
    off_t off = 0;
    int ok = 1;
    for (;;) {
        ssize_t n = pread(in->fd, raw + have, RAW_CHUNK - have, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ok = 0;
            break;
        }
        off += n;
        have += (size_t)n;
        if (have == 0)
            break;
        char *ip = raw, *op = out;
        size_t il = have, ol = 2 * RAW_CHUNK;
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG &&
            (errno != EINVAL || n == 0)) {
            ok = 0;   /* invalid, or cut short at the end */
            break;
        }
        memmove(raw, ip, il);
        have = il;
        if (n == 0)
            break;
    }
    free(raw);
    free(out);
    iconv_close(cd);
    return ok;
}

text_enc textin_better_encoding(const textin *in) { return in->better; }

/* Hand out text[skip..len) after scanning it; 0 if there was nothing yet. */
static long deliver(textin *in, const char *text, size_t len, int final, const char **data,
                    mr_err *e)
{
    int what;
    size_t bad, skip = 0;
    if (in->at_start && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        skip = 3;   /* the leading BOM (any encoding's, decoded) is not text */
        in->bom = 1;
    }
    size_t ok = scan((const unsigned char *)text + skip, len - skip, final, &what, &bad);
    if (what == SCAN_UTF8 && in->sniffed && in->cd == NO_ICONV && whole_gb18030(in))
        in->better = ENC_GB18030;
    if (what != SCAN_OK) {
        scan_error(in, text, what, skip + bad, e);
        return -1;
    }
    if (in->cd == NO_ICONV)
        in->raw_used = skip + ok;   /* the rest (a cut character) waits for more */
    if (ok == 0 && !(skip && in->cd == NO_ICONV))
        return 0;
    in->at_start = 0;
    *data = text + skip;
    in->line += count_lines(text + skip, ok);
    return (long)ok;
}

long textin_read(textin *in, const char **data, mr_err *e)
{
    for (;;) {
        if (fill(in, e) < 0)
            return -1;
        if (in->raw_len == 0)
            return 0;
        if (!in->started) {
            if (!in->eof && in->raw_len < 4)
                continue;   /* a BOM or a workbook signature needs 4 bytes */
            in->started = 1;
            if (start(in, e) < 0)
                return -1;
        }
        if (in->enc == ENC_AUTO) {
            size_t p = 0;
            while (p < in->raw_len && in->raw[p] < 0x80)
                p++;
            if (p == in->raw_len || (p > 0 && in->raw_len - p < SNIFF_MIN && !in->eof)) {
                long n = deliver(in, (char *)in->raw, p, 1, data, e);   /* ASCII so far */
                if (n != 0)
                    return n;
                continue;
            }
            if (in->raw_len - p < SNIFF_MIN && !in->eof && in->raw_len < RAW_CHUNK)
                continue;   /* read more before judging */
            in->enc = sniff(in->raw + p, in->raw_len - p);
            in->sniffed = 1;
            if (start_iconv(in, e) < 0)
                return -1;
            if (in->cd != NO_ICONV && p > 0) {
                long n = deliver(in, (char *)in->raw, p, 1, data, e);   /* ASCII before it */
                in->raw_used = p;
                if (n != 0)
                    return n;
                continue;
            }
        }
        if (in->cd == NO_ICONV) {
            long n = deliver(in, (char *)in->raw, in->raw_len, in->eof, data, e);
            if (n != 0 || in->eof)
                return n;
            continue;
        }
        char *ip = (char *)in->raw, *op = in->out;
        size_t il = in->raw_len, ol = in->out_cap;
        if (iconv(in->cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG &&
            (errno != EINVAL || in->eof)) {
            long line = in->line + count_lines(in->out, (size_t)(op - in->out));
            long long off = in->raw_off + (long long)(ip - (char *)in->raw);
            if (errno == EINVAL)
                err_set(e, EXIT_DATA, _("%s:%ld: the file ends in the middle of a %s character"),
                        in->path, line, text_enc_name(in->enc));
            else
                err_set(e, EXIT_DATA, _("%s:%ld: not valid %s at byte offset %lld (0x%02x); "
                                        "say the file's encoding with --encoding"),
                        in->path, line, text_enc_name(in->enc), off, (unsigned char)*ip);
            return -1;
        }
        in->raw_used = (size_t)(ip - (char *)in->raw);
        long n = deliver(in, in->out, (size_t)(op - in->out), 1, data, e);
        if (n != 0 || (in->eof && in->raw_used == in->raw_len))
            return n;
    }
}
