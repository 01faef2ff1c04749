/* db_xchg_cset.c — the rows of an exchange file as session-extension
 * changesets (see db_xchg_int.h for the tables' shape).
 *
 * Writing: the changes to send are already in the history (the audit
 * trail and the runs of added rows), long after the session that could have
 * recorded them, so the changeset is written here in the extension's
 * documented format (sqlite.org/sessionintro.html, "changeset format"):
 * a table header 'T', the column count, a primary-key flag a column and the
 * name; then each change: its operation (SQLITE_INSERT, SQLITE_UPDATE,
 * SQLITE_DELETE), the indirect flag and its record(s) of values, each a
 * type byte and its bytes.  A session recording the same change on a
 * table of that shape gives the same bytes (tests/unit/test_xchg_cset.c).
 * Nothing is held but the changeset being written: the exporter cuts one a
 * few thousand rows.
 *
 * Reading: sqlite3changeset_start and its iterator, so a changeset the
 * extension would not read is refused.  The changes are not handed to
 * sqlite3changeset_apply: every register write goes through the change
 * object (change.c), and each change goes to the field-level merge instead
 * (db_xchg.c), which is the conflict handler a changeset's apply would call,
 * field by field rather than row by row.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "i18n.h"
#include "num.h"
#include "db_xchg_int.h"

/* ---- writing ------------------------------------------------------------ */

/* SQLite's varint: 7 bits a byte, most significant first, the high bit
 * set on every byte but the last (lengths here never need the 9-byte form). */
static void put_varint(buf *b, uint64_t v)
{
    unsigned char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (unsigned char)(v & 0x7f);
        v >>= 7;
    } while (v && n < 9);
    for (int i = n - 1; i >= 0; i--)
        buf_putc(b, (char)(tmp[i] | (i ? 0x80 : 0)));
}

static void put_undefined(buf *b)
{
    buf_putc(b, 0x00);
}

static void put_int(buf *b, int64_t v)
{
    uint64_t u = (uint64_t)v;
    buf_putc(b, SQLITE_INTEGER);
    for (int i = 7; i >= 0; i--)
        buf_putc(b, (char)((u >> (8 * i)) & 0xff));
}

static void put_text(buf *b, const char *s)
{
    if (!s) {
        buf_putc(b, SQLITE_NULL);
        return;
    }
    size_t n = strlen(s);
    buf_putc(b, SQLITE_TEXT);
    put_varint(b, n);
    buf_add(b, s, n);
}

static void header(cset_w *w, const table *t)
{
    if (w->t == t)
        return;
    w->t = t;
    buf_putc(&w->b, 'T');
    put_varint(&w->b, (uint64_t)t->ncols + 2);
    buf_putc(&w->b, 1);                     /* the rid: the primary key */
    for (int i = 0; i <= t->ncols; i++)
        buf_putc(&w->b, 0);
    buf_add(&w->b, t->id, strlen(t->id) + 1);
}

static void whole(cset_w *w, int op, const table *t, int64_t rid, char *const *vals)
{
    header(w, t);
    buf_putc(&w->b, (char)op);
    buf_putc(&w->b, 0);                     /* not indirect */
    put_int(&w->b, rid);
    for (int i = 0; i < t->ncols; i++)
        put_text(&w->b, vals ? vals[i] : NULL);
    put_text(&w->b, NULL);                  /* the boundary travels as an update */
    w->n++;
}

void cset_insert(cset_w *w, const table *t, int64_t rid, char *const *vals)
{
    whole(w, SQLITE_INSERT, t, rid, vals);
}

void cset_delete(cset_w *w, const table *t, int64_t rid, char *const *vals)
{
    whole(w, SQLITE_DELETE, t, rid, vals);
}

void cset_update(cset_w *w, const table *t, int64_t rid, int ci, const char *old, const char *new_)
{
    header(w, t);
    buf_putc(&w->b, SQLITE_UPDATE);
    buf_putc(&w->b, 0);
    /* old: the key and the field; new: the field */
    put_int(&w->b, rid);
    for (int i = 0; i <= t->ncols; i++)
        if (i == ci)
            put_text(&w->b, old);
        else
            put_undefined(&w->b);
    put_undefined(&w->b);
    for (int i = 0; i <= t->ncols; i++)
        if (i == ci)
            put_text(&w->b, new_);
        else
            put_undefined(&w->b);
    w->n++;
}

void cset_reset(cset_w *w)
{
    buf_reset(&w->b);
    w->t = NULL;
    w->n = 0;
}

void cset_free(cset_w *w)
{
    buf_free(&w->b);
    w->t = NULL;
    w->n = 0;
}

/* ---- reading ------------------------------------------------------------ */

static int bad(mr_err *e, const char *what)
{
    err_set(e, EXIT_DATA, _("a changeset in the change file is damaged (%s)"), what);
    return -1;
}

/* v as text into *out (NULL for SQL NULL); 0, or -1 for another type. */
static int text_of(sqlite3_value *v, char **out)
{
    *out = NULL;
    if (!v)
        return -1;
    int ty = sqlite3_value_type(v);
    if (ty == SQLITE_NULL)
        return 0;
    if (ty != SQLITE_TEXT)
        return -1;
    const unsigned char *s = sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v);
    if (!s || (int)strlen((const char *)s) != n)
        return -1;   /* a NUL inside: never written by minreg */
    *out = xstrdup((const char *)s);
    return 0;
}

static void free_vals(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* SQLite's varint at *p (before end) into *v; 0, or -1 past the end. */
static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    *v = 0;
    for (int i = 0; i < 9; i++) {
        if (*p >= end)
            return -1;
        unsigned char c = *(*p)++;
        if (i == 8) {
            *v = (*v << 8) | c;
            return 0;
        }
        *v = (*v << 7) | (c & 0x7f);
        if (!(c & 0x80))
            return 0;
    }
    return 0;
}

/* Is blob a whole changeset, every header and value inside its bytes?
 * Checked before the extension's iterator sees it: SQLite 3.40's
 * sqlite3changeset_next never returns on some changesets cut short (one
 * ending after its 'T'). */
static int well_formed(const unsigned char *p, const unsigned char *end)
{
    uint64_t ncol = 0;
    while (p < end) {
        unsigned char op = *p++;
        if (op == 'T') {
            if (get_varint(&p, end, &ncol) < 0 || ncol == 0 || ncol > 100000 ||
                (uint64_t)(end - p) < ncol)
                return 0;
            p += ncol;
            const unsigned char *z = memchr(p, 0, (size_t)(end - p));
            if (!z || z == p)
                return 0;
            p = z + 1;
            continue;
        }
        if (!ncol || (op != SQLITE_INSERT && op != SQLITE_DELETE && op != SQLITE_UPDATE) || p >= end)
            return 0;
        p++;   /* indirect */
        for (int rec = 0; rec < (op == SQLITE_UPDATE ? 2 : 1); rec++)
            for (uint64_t i = 0; i < ncol; i++) {
                if (p >= end)
                    return 0;
                unsigned char ty = *p++;
                uint64_t len = 0;
                if (ty == SQLITE_INTEGER || ty == SQLITE_FLOAT)
                    len = 8;
                else if (ty == SQLITE_TEXT || ty == SQLITE_BLOB) {
                    if (get_varint(&p, end, &len) < 0)
                        return 0;
                } else if (ty != 0 && ty != SQLITE_NULL)
                    return 0;
                if ((uint64_t)(end - p) < len)
                    return 0;
                p += len;
            }
    }
    return 1;
}

int cset_each(const schema *s, const void *blob, int n, cset_fn fn, void *arg, mr_err *e)
{
    sqlite3_changeset_iter *it = NULL;
    if (n < 0 || !well_formed(blob, (const unsigned char *)blob + n))
        return bad(e, "cut short");
    if (sqlite3changeset_start(&it, n, (void *)blob) != SQLITE_OK)
        return bad(e, "start");
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3changeset_next(it)) == SQLITE_ROW) {
        const char *tab = NULL;
        int ncol = 0, op = 0, indirect = 0;
        unsigned char *pk = NULL;
        int npk = 0;
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &indirect) != SQLITE_OK ||
            sqlite3changeset_pk(it, &pk, &npk) != SQLITE_OK) {
            rc = bad(e, "op");
            break;
        }
        const table *t = tab ? schema_table(s, tab) : NULL;
        if (!t) {
            err_set(e, EXIT_DATA, _("the change file names a register this one does not have: %s"),
                    tab ? tab : "(none)");
            rc = -1;
            break;
        }
        if (ncol != t->ncols + 2 || !pk[0]) {
            err_set(e, EXIT_DATA,
                    _("the change file's register %s has %d columns, this one's %d: the two "
                      "registers' schemas differ"),
                    t->id, ncol - 2, t->ncols);
            rc = -1;
            break;
        }
        for (int i = 1; i < ncol; i++)
            if (pk[i]) {
                rc = bad(e, "key");
                break;
            }
        if (rc)
            break;
        sqlite3_value *v = NULL;
        int got = op == SQLITE_INSERT ? sqlite3changeset_new(it, 0, &v) : sqlite3changeset_old(it, 0, &v);
        if (got != SQLITE_OK || !v || sqlite3_value_type(v) != SQLITE_INTEGER) {
            rc = bad(e, "rid");
            break;
        }
        cset_change c = {.op = op == SQLITE_INSERT ? CSET_INSERT : op == SQLITE_DELETE ? CSET_DELETE
                                                                                        : CSET_UPDATE,
                         .t = t, .rid = sqlite3_value_int64(v)};
        if (op == SQLITE_INSERT || op == SQLITE_DELETE) {
            char **vals = xcalloc((size_t)ncol, sizeof *vals);
            for (int i = 1; rc == 0 && i < ncol; i++) {
                v = NULL;
                got = op == SQLITE_INSERT ? sqlite3changeset_new(it, i, &v)
                                          : sqlite3changeset_old(it, i, &v);
                if (got != SQLITE_OK || text_of(v, &vals[i - 1]) < 0)
                    rc = bad(e, "value");
            }
            if (rc == 0) {
                c.vals = vals;
                c.boundary = vals[t->ncols];
                rc = fn(arg, &c, e);
            }
            free_vals(vals, ncol);
        } else if (op == SQLITE_UPDATE) {
            int fields = 0;
            for (int i = 1; rc == 0 && i < ncol; i++) {
                sqlite3_value *ov = NULL, *nv = NULL;
                if (sqlite3changeset_new(it, i, &nv) != SQLITE_OK ||
                    sqlite3changeset_old(it, i, &ov) != SQLITE_OK) {
                    rc = bad(e, "update");
                    break;
                }
                if (!nv)
                    continue;   /* not changed */
                char *o = NULL, *nw = NULL;
                if (!ov || text_of(ov, &o) < 0 || text_of(nv, &nw) < 0) {
                    free(o);
                    rc = bad(e, "value");
                    break;
                }
                c.ci = i - 1;
                c.old = o;
                c.new_ = nw;
                fields++;
                rc = fn(arg, &c, e);
                free(o);
                free(nw);
            }
            if (rc == 0 && !fields)
                rc = bad(e, "update without a field");
        } else {
            rc = bad(e, "op");
        }
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bad(e, "truncated");
    sqlite3changeset_finalize(it);
    return rc;
}

/* ---- JSON --------------------------------------------------------------- */

static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v * 16 + (unsigned)d;
    }
    return 0;
}

static void put_utf8(buf *b, unsigned c)
{
    if (c < 0x80)
        buf_putc(b, (char)c);
    else if (c < 0x800)
        buf_putc(b, (char)(0xc0 | c >> 6)), buf_putc(b, (char)(0x80 | (c & 0x3f)));
    else if (c < 0x10000)
        buf_putc(b, (char)(0xe0 | c >> 12)), buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f))),
            buf_putc(b, (char)(0x80 | (c & 0x3f)));
    else
        buf_putc(b, (char)(0xf0 | c >> 18)), buf_putc(b, (char)(0x80 | ((c >> 12) & 0x3f))),
            buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f))), buf_putc(b, (char)(0x80 | (c & 0x3f)));
}

/* A JSON string at *p (after its opening quote) into b; 0, or -1. */
static int json_string(const char **p, buf *b)
{
    const char *s = *p;
    while (*s && *s != '"') {
        if (*s != '\\') {
            buf_putc(b, *s++);
            continue;
        }
        s++;
        unsigned c;
        switch (*s) {
        case '"': case '\\': case '/': buf_putc(b, *s); break;
        case 'b': buf_putc(b, '\b'); break;
        case 'f': buf_putc(b, '\f'); break;
        case 'n': buf_putc(b, '\n'); break;
        case 'r': buf_putc(b, '\r'); break;
        case 't': buf_putc(b, '\t'); break;
        case 'u':
            if (hex4(s + 1, &c) < 0)
                return -1;
            s += 4;
            if (c >= 0xd800 && c < 0xdc00) {
                unsigned lo;
                if (s[1] != '\\' || s[2] != 'u' || hex4(s + 3, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
                    return -1;
                c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                s += 6;
            }
            if (!c)
                return -1;
            put_utf8(b, c);
            break;
        default:
            return -1;
        }
        s++;
    }
    if (*s != '"')
        return -1;
    *p = s + 1;
    return 0;
}

char **cset_json_values(const table *t, const char *json)
{
    char **v = xcalloc((size_t)t->ncols, sizeof *v);
    const char *p = json;
    buf k = BUF_INIT, val = BUF_INIT;
    int ok = p && *p++ == '{';
    for (int i = 0; ok && i < t->ncols; i++) {
        buf_reset(&k);
        buf_reset(&val);
        if (i && *p++ != ',')
            ok = 0;
        else if (*p++ != '"' || json_string(&p, &k) < 0 || strcmp(buf_str(&k), t->cols[i].id) != 0 ||
                 *p++ != ':')
            ok = 0;
        else if (*p == '"') {
            p++;
            if (json_string(&p, &val) < 0)
                ok = 0;
            else
                v[i] = buf_steal(&val);
        } else if (!strncmp(p, "null", 4)) {
            p += 4;
        } else {
            const char *q = p;
            int real = 0;
            while (*q && strchr("+-0123456789.eE", *q))
                real |= *q == '.' || *q == 'e' || *q == 'E', q++;
            if (q == p) {
                ok = 0;
            } else if (real) {
                /* as db_json_values gives it: the canonical text of the double */
                char num[NUM_MAX];
                char *tmp = xstrdup(p);
                tmp[q - p] = 0;
                num_format(strtod(tmp, NULL), num);
                free(tmp);
                v[i] = xstrdup(num);
            } else {
                v[i] = xmalloc((size_t)(q - p) + 1);
                memcpy(v[i], p, (size_t)(q - p));
                v[i][q - p] = 0;
            }
            p = q;
        }
    }
    ok = ok && p[0] == '}' && p[1] == 0;
    buf_free(&k);
    buf_free(&val);
    if (!ok) {
        free_vals(v, t->ncols);
        return NULL;
    }
    return v;
}


static void json_str(buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == '"' || *p == '\\')
            buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            buf_printf(b, "\\u%04x", *p);
        else
            buf_putc(b, (char)*p);
    buf_putc(b, '"');
}

void cset_json(const table *t, char *const *vals, buf *out)
{
    buf_putc(out, '{');
    for (int i = 0; i < t->ncols; i++) {
        if (i)
            buf_putc(out, ',');
        json_str(out, t->cols[i].id);
        buf_putc(out, ':');
        if (vals[i])
            json_str(out, vals[i]);
        else
            buf_puts(out, "null");
    }
    buf_putc(out, '}');
}
