/* xlsxin.c — .xlsx cells, streamed (see wbin.h).
 *
 * libzip opens the package; expat parses its parts.  workbook.xml, its
 * relationships, styles.xml and sharedStrings.xml are read whole (the
 * strings table bounded by WB_MAX_STRINGS); a sheet is parsed a chunk at a
 * time and the parser suspended at the end of every row, so one row is in
 * memory whatever the sheet's size.  Merged ranges come after the cells in
 * a sheet's XML: a first pass finds them by a plain search of the
 * inflated bytes, without parsing.  Every part's uncompressed bytes are
 * counted against WB_MAX_PART and WB_MAX_RATIO (a zip bomb), whatever its
 * header says.  No DOCTYPE is accepted: an entity (internal or external)
 * is never expanded, and expat has no handler that could fetch one.
 */
#include "config.h"
#include "wbin_int.h"

#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "i18n.h"

#define CHUNK (64 * 1024)
#define RATIO_FREE (16LL * 1024 * 1024)   /* parts up to this size are never a bomb */

typedef struct part {
    zip_file_t *f;
    const char *name;
    long long read, limit;
} part;

typedef struct xlsx {
    zip_t *z;
    char **targets;      /* per sheet: its part */
    int d1904;
    char *isdate;        /* per cell style (xf): a date format */
    int nxf;
    char *ss;            /* shared strings, each NUL-terminated */
    size_t *sso;
    long long nss;
    /* the sheet being read */
    part sp;
    XML_Parser p;
    char *chunk;
    int suspended, done, row_ready, in_data;
    mr_err err;          /* set by a handler that stopped the parser */
    /* the cell being read */
    int col, lastcol;
    long lastrow;
    char type[16];
    int style, has_f, has_v, in_v, in_is, in_t, in_rph;
    buf text;
} xlsx;

static const char *local(const char *n)
{
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

static const char *attr(const char **a, const char *name)
{
    for (; a && *a; a += 2)
        if (strcmp(local(a[0]), name) == 0)
            return a[1];
    return NULL;
}

static void damaged(wb *w, const char *why, mr_err *e)
{
    err_set(e, EXIT_DATA, _("%s: not a readable .xlsx workbook (the zip is damaged or cut short: %s)"),
            w->path, why);
}

/* ---- parts -------------------------------------------------------------- */

/* 1 open, 0 no such part, -1 an error */
static int part_open(wb *w, const char *name, part *pt, mr_err *e)
{
    xlsx *x = w->impl;
    memset(pt, 0, sizeof *pt);
    zip_int64_t i = zip_name_locate(x->z, name, ZIP_FL_NOCASE);
    if (i < 0)
        return 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->z, (zip_uint64_t)i, 0, &st) < 0) {
        damaged(w, zip_strerror(x->z), e);
        return -1;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        err_set(e, EXIT_DATA, _("%s: the workbook is encrypted (protected by a password): save it "
                                "without one first"), w->path);
        return -1;
    }
    long long comp = (st.valid & ZIP_STAT_COMP_SIZE) ? (long long)st.comp_size : 0;
    long long limit = comp * WB_MAX_RATIO;
    if (limit < RATIO_FREE)
        limit = RATIO_FREE;
    if (limit > WB_MAX_PART)
        limit = WB_MAX_PART;
    if ((st.valid & ZIP_STAT_SIZE) && (long long)st.size > limit) {
        err_set(e, EXIT_DATA, _("%s: %s would unpack to %lld bytes from %lld: refused as a zip "
                                "bomb (at most %lld bytes, and %d times its packed size)"),
                w->path, name, (long long)st.size, comp, (long long)WB_MAX_PART, WB_MAX_RATIO);
        return -1;
    }
    pt->f = zip_fopen_index(x->z, (zip_uint64_t)i, 0);
    if (!pt->f) {
        int ze = zip_error_code_zip(zip_get_error(x->z));
        if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
            err_set(e, EXIT_DATA, _("%s: the workbook is encrypted (protected by a password): save it "
                                    "without one first"), w->path);
        else
            damaged(w, zip_strerror(x->z), e);
        return -1;
    }
    pt->name = name;
    pt->limit = limit;
    return 1;
}

/* Up to CHUNK bytes: their number, 0 at the end, -1 with e. */
static long part_read(wb *w, part *pt, char *b, mr_err *e)
{
    zip_int64_t n = zip_fread(pt->f, b, CHUNK);
    if (n < 0) {
        damaged(w, zip_file_strerror(pt->f), e);
        return -1;
    }
    pt->read += n;
    if (pt->read > pt->limit) {
        err_set(e, EXIT_DATA, _("%s: %s unpacks to more than %lld bytes: refused as a zip bomb"),
                w->path, pt->name, pt->limit);
        return -1;
    }
    return (long)n;
}

static void part_close(part *pt)
{
    if (pt->f)
        zip_fclose(pt->f);
    pt->f = NULL;
}

/* ---- XML ---------------------------------------------------------------- */

typedef struct ctx {
    wb *w;
    XML_Parser p;
    mr_err err;
    const char *part;
    void *data;
} ctx;

static void XMLCALL doctype_refused(void *arg, const XML_Char *name, const XML_Char *sysid,
                                    const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    ctx *c = arg;
    err_set(&c->err, EXIT_DATA, _("%s: %s has a DOCTYPE (entity declarations): refused, entities "
                                  "are never read"), c->w->path, c->part);
    XML_StopParser(c->p, XML_FALSE);
}

static XML_Parser parser_new(ctx *c)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        xmalloc((size_t)-1);   /* out of memory: the usual way out */
    c->p = p;
    XML_SetUserData(p, c);
    XML_SetStartDoctypeDeclHandler(p, doctype_refused);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    return p;
}

static void xml_failed(ctx *c, mr_err *e)
{
    if (c->err.code) {
        *e = c->err;
        return;
    }
    err_set(e, EXIT_DATA, _("%s: %s: bad XML at line %lu: %s"), c->w->path, c->part,
            (unsigned long)XML_GetCurrentLineNumber(c->p), XML_ErrorString(XML_GetErrorCode(c->p)));
}

/* Parse a whole part with the handlers set on c by setup.  1 done, 0 no
 * such part, -1 with e. */
static int parse_part(wb *w, const char *name, ctx *c, void (*setup)(XML_Parser), mr_err *e)
{
    part pt;
    int got = part_open(w, name, &pt, e);
    if (got <= 0)
        return got;
    c->w = w;
    c->part = name;
    XML_Parser p = parser_new(c);
    setup(p);
    char *b = xmalloc(CHUNK);
    int rc = 1;
    for (;;) {
        long n = part_read(w, &pt, b, e);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (XML_Parse(p, b, (int)n, n == 0) != XML_STATUS_OK) {
            xml_failed(c, e);
            rc = -1;
            break;
        }
        if (n == 0)
            break;
    }
    free(b);
    XML_ParserFree(p);
    part_close(&pt);
    return rc;
}

/* ---- workbook.xml and its relationships --------------------------------- */

typedef struct wbx {
    char **rid;          /* per sheet */
    int n;
    char **ids, **targets, *ss, *styles;
    int nrel;
} wbx;

static void XMLCALL wb_start(void *arg, const XML_Char *el, const XML_Char **a)
{
    ctx *c = arg;
    wbx *d = c->data;
    xlsx *x = c->w->impl;
    const char *n = local(el);
    if (strcmp(n, "workbookPr") == 0) {
        const char *v = attr(a, "date1904");
        x->d1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
    } else if (strcmp(n, "sheet") == 0) {
        const char *name = attr(a, "name"), *rid = attr(a, "id");
        if (!name || !rid)
            return;
        wb *w = c->w;
        w->names = xrealloc(w->names, sizeof(char *) * (size_t)(w->nsheets + 1));
        d->rid = xrealloc(d->rid, sizeof(char *) * (size_t)(w->nsheets + 1));
        w->names[w->nsheets] = xstrdup(name);
        d->rid[w->nsheets++] = xstrdup(rid);
    }
}

static void wb_setup(XML_Parser p) { XML_SetStartElementHandler(p, wb_start); }

/* "worksheets/sheet1.xml" (relative to xl/) or "/xl/..." as a part name */
static char *part_name(const char *target)
{
    buf b = BUF_INIT;
    if (target[0] == '/')
        buf_puts(&b, target + 1);
    else
        buf_printf(&b, "xl/%s", target);
    return buf_steal(&b);
}

static void XMLCALL rel_start(void *arg, const XML_Char *el, const XML_Char **a)
{
    ctx *c = arg;
    wbx *d = c->data;
    if (strcmp(local(el), "Relationship") != 0)
        return;
    const char *id = attr(a, "Id"), *target = attr(a, "Target"), *type = attr(a, "Type");
    if (!id || !target)
        return;
    size_t tl = type ? strlen(type) : 0;
    if (type && tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0) {
        free(d->ss);
        d->ss = part_name(target);
    } else if (type && tl >= 7 && strcmp(type + tl - 7, "/styles") == 0) {
        free(d->styles);
        d->styles = part_name(target);
    }
    d->ids = xrealloc(d->ids, sizeof(char *) * (size_t)(d->nrel + 1));
    d->targets = xrealloc(d->targets, sizeof(char *) * (size_t)(d->nrel + 1));
    d->ids[d->nrel] = xstrdup(id);
    d->targets[d->nrel++] = part_name(target);
}

static void rel_setup(XML_Parser p) { XML_SetStartElementHandler(p, rel_start); }

/* ---- styles.xml: which cell styles are dates ------------------------------ */

typedef struct stx {
    int *fmt_ids;
    char *fmt_date;      /* per custom format */
    int nfmt;
    int in_xfs;
} stx;

static int builtin_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

/* Does a format code show a date or time?  Quoted text, escaped and
 * padding characters and [colour] sections do not count. */
static int code_is_date(const char *s)
{
    for (; *s; s++) {
        if (*s == '"') {
            while (s[1] && s[1] != '"')
                s++;
            if (s[1])
                s++;
        } else if (*s == '\\' || *s == '_' || *s == '*') {
            if (s[1])
                s++;
        } else if (*s == '[') {
            if (s[1] == 'h' || s[1] == 'm' || s[1] == 's' || s[1] == 'H' || s[1] == 'M' || s[1] == 'S')
                return 1;   /* [h]:mm elapsed time */
            while (s[1] && s[1] != ']')
                s++;
        } else if (strchr("ymdhsYMDHS", *s)) {
            return 1;
        } else if (*s == ';') {
            return 0;   /* the first section decides */
        }
    }
    return 0;
}

static void XMLCALL st_start(void *arg, const XML_Char *el, const XML_Char **a)
{
    ctx *c = arg;
    stx *d = c->data;
    xlsx *x = c->w->impl;
    const char *n = local(el);
    if (strcmp(n, "numFmt") == 0) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        if (!id || !code)
            return;
        d->fmt_ids = xrealloc(d->fmt_ids, sizeof(int) * (size_t)(d->nfmt + 1));
        d->fmt_date = xrealloc(d->fmt_date, (size_t)(d->nfmt + 1));
        d->fmt_ids[d->nfmt] = atoi(id);
        d->fmt_date[d->nfmt++] = (char)code_is_date(code);
    } else if (strcmp(n, "cellXfs") == 0) {
        d->in_xfs = 1;
    } else if (strcmp(n, "xf") == 0 && d->in_xfs) {
        const char *id = attr(a, "numFmtId");
        int fid = id ? atoi(id) : 0, date = builtin_date(fid);
        for (int i = 0; i < d->nfmt; i++)
            if (d->fmt_ids[i] == fid)
                date = d->fmt_date[i];
        if (x->nxf < 1000000) {
            x->isdate = xrealloc(x->isdate, (size_t)(x->nxf + 1));
            x->isdate[x->nxf++] = (char)date;
        }
    }
}

static void XMLCALL st_end(void *arg, const XML_Char *el)
{
    ctx *c = arg;
    stx *d = c->data;
    if (strcmp(local(el), "cellXfs") == 0)
        d->in_xfs = 0;
}

static void st_setup(XML_Parser p)
{
    XML_SetElementHandler(p, st_start, st_end);
}

/* ---- sharedStrings.xml ----------------------------------------------------- */

typedef struct ssx {
    buf all, cur;
    size_t *off;
    long long n, cap;
    int in_si, in_t, in_rph;
    const char *part;    /* its name in the zip, for messages */
    long long max;       /* bytes it may take in memory, offsets included */
} ssx;

/* Over the bound: the strings, the one being read and their offsets (so a
 * table of millions of empty strings is bounded too). */
static int ss_over(ctx *c, ssx *d)
{
    long long used = (long long)(d->all.len + d->cur.len) + d->n * (long long)(sizeof(size_t) + 1);
    if (used <= d->max)
        return 0;
    err_set(&c->err, EXIT_DATA, _("%s: %s: the shared strings table is over %lld bytes: refused"),
            c->w->path, d->part, d->max);
    XML_StopParser(c->p, XML_FALSE);
    return 1;
}

static void XMLCALL ss_start(void *arg, const XML_Char *el, const XML_Char **a)
{
    (void)a;
    ctx *c = arg;
    ssx *d = c->data;
    const char *n = local(el);
    if (strcmp(n, "si") == 0) {
        d->in_si = 1;
        buf_reset(&d->cur);
    } else if (strcmp(n, "t") == 0) {
        d->in_t = 1;
    } else if (strcmp(n, "rPh") == 0) {
        d->in_rph = 1;
    }
}

static void XMLCALL ss_end(void *arg, const XML_Char *el)
{
    ctx *c = arg;
    ssx *d = c->data;
    const char *n = local(el);
    if (strcmp(n, "t") == 0) {
        d->in_t = 0;
    } else if (strcmp(n, "rPh") == 0) {
        d->in_rph = 0;
    } else if (strcmp(n, "si") == 0) {
        d->in_si = 0;
        if (ss_over(c, d))
            return;
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 1024;
            d->off = xrealloc(d->off, sizeof(size_t) * (size_t)d->cap);
        }
        d->off[d->n++] = d->all.len;
        buf_add(&d->all, d->cur.s ? d->cur.s : "", d->cur.len);
        buf_putc(&d->all, '\0');
    }
}

static void XMLCALL ss_text(void *arg, const XML_Char *s, int len)
{
    ctx *c = arg;
    ssx *d = c->data;
    if (d->in_si && d->in_t && !d->in_rph) {
        buf_add(&d->cur, s, (size_t)len);
        ss_over(c, d);   /* one string as big as the bound is refused as it grows */
    }
}

static void ss_setup(XML_Parser p)
{
    XML_SetElementHandler(p, ss_start, ss_end);
    XML_SetCharacterDataHandler(p, ss_text);
}

/* ---- the sheet ------------------------------------------------------------- */

static int col_of(const char *ref, long *row)
{
    int col = 0, n = 0;
    const char *p = ref;
    while (*p >= 'A' && *p <= 'Z' && n < 4) {
        col = col * 26 + (*p - 'A' + 1);
        p++, n++;
    }
    if (row)
        *row = strtol(p, NULL, 10);
    return n ? col - 1 : -1;
}

/* Stop at the cell being read: "f.xlsx: Sheet1!C7: what" */
static void sheet_fail(ctx *c, const char *what)
{
    xlsx *x = c->w->impl;
    char where[300];
    wb_where(c->w, x->lastrow, x->col, where, sizeof where);
    err_set(&c->err, EXIT_DATA, "%s: %s: %s", c->w->path, where, what);
    XML_StopParser(c->p, XML_FALSE);
}

static void XMLCALL sh_start(void *arg, const XML_Char *el, const XML_Char **a)
{
    ctx *c = arg;
    xlsx *x = c->w->impl;
    const char *n = local(el);
    if (strcmp(n, "sheetData") == 0) {
        x->in_data = 1;
    } else if (!x->in_data) {
        return;
    } else if (strcmp(n, "row") == 0) {
        const char *r = attr(a, "r");
        long row = r ? strtol(r, NULL, 10) : x->lastrow + 1;
        if (row <= x->lastrow)
            row = x->lastrow + 1;
        x->lastrow = row;
        x->lastcol = -1;
        wb_row_start(c->w, row);
    } else if (strcmp(n, "c") == 0) {
        const char *r = attr(a, "r"), *t = attr(a, "t"), *s = attr(a, "s");
        int col = r ? col_of(r, NULL) : x->lastcol + 1;
        if (col < 0 || col <= x->lastcol)
            col = x->lastcol + 1;
        x->col = x->lastcol = col;
        if (col >= WB_MAX_COLS) {
            sheet_fail(c, _("more than 16384 columns"));
            return;
        }
        snprintf(x->type, sizeof x->type, "%s", t ? t : "n");
        x->style = s ? atoi(s) : 0;
        x->has_f = x->has_v = x->in_v = x->in_is = x->in_t = x->in_rph = 0;
        buf_reset(&x->text);
        if (++c->w->cells > c->w->max_cells) {
            char m[128];
            snprintf(m, sizeof m, _("more than %lld cells: refused"), c->w->max_cells);
            sheet_fail(c, m);
        }
    } else if (strcmp(n, "f") == 0) {
        x->has_f = 1;
    } else if (strcmp(n, "v") == 0) {
        x->in_v = x->has_v = 1;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = x->has_v = 1;
    } else if (strcmp(n, "t") == 0) {
        x->in_t = 1;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = 1;
    }
}

static void cell_done(ctx *c)
{
    wb *w = c->w;
    xlsx *x = w->impl;
    const char *v = buf_str(&x->text);
    const char *t = x->type;
    if (!x->has_v && x->has_f) {
        sheet_fail(c, _("a formula without a saved value: open the workbook in Excel or "
                              "WPS and save it again, or enter the value"));
        return;
    }
    if (!x->has_v)
        return;
    if (strcmp(t, "s") == 0) {
        char *end;
        long long k = strtoll(v, &end, 10);
        if (end == v || *end || k < 0 || k >= x->nss) {
            char m[300];
            snprintf(m, sizeof m, _("shared string %.40s is not in the workbook"), v);
            sheet_fail(c, m);
            return;
        }
        const char *s = x->ss + x->sso[k];
        wb_cell(w, x->col, s, strlen(s));
    } else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
        wb_cell(w, x->col, v, x->text.len);
    } else if (strcmp(t, "b") == 0) {
        const char *b = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
        wb_cell(w, x->col, b, strlen(b));
    } else if (strcmp(t, "e") == 0) {
        char m[300];
        snprintf(m, sizeof m, _("the cell holds the error value %.40s"), v);
        sheet_fail(c, m);
    } else if (strcmp(t, "d") == 0) {   /* an ISO 8601 date */
        char d[32];
        size_t n = strlen(v);
        snprintf(d, sizeof d, "%.*s", (int)(n > 19 ? 19 : n), v);
        if (strlen(d) == 19 && strcmp(d + 10, "T00:00:00") == 0)
            d[10] = '\0';
        else if (strlen(d) > 10 && d[10] == 'T')
            d[10] = ' ';
        wb_cell(w, x->col, d, strlen(d));
    } else {
        if (!*v)
            return;
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end) {
            char m[300];
            snprintf(m, sizeof m, _("'%.40s' is not a number"), v);
            sheet_fail(c, m);
            return;
        }
        char out[64];
        if (x->style >= 0 && x->style < x->nxf && x->isdate[x->style])
            wb_date_text(d, x->d1904, out);
        else
            wb_num_text(d, out);
        wb_cell(w, x->col, out, strlen(out));
    }
}

static void XMLCALL sh_end(void *arg, const XML_Char *el)
{
    ctx *c = arg;
    xlsx *x = c->w->impl;
    const char *n = local(el);
    if (!x->in_data)
        return;
    if (strcmp(n, "sheetData") == 0) {
        x->in_data = 0;
    } else if (strcmp(n, "c") == 0) {
        cell_done(c);
    } else if (strcmp(n, "v") == 0) {
        x->in_v = 0;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = 0;
    } else if (strcmp(n, "t") == 0) {
        x->in_t = 0;
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph = 0;
    } else if (strcmp(n, "row") == 0) {
        x->row_ready = 1;
        XML_StopParser(c->p, XML_TRUE);   /* suspended: one row at a time */
    }
}

static void XMLCALL sh_text(void *arg, const XML_Char *s, int len)
{
    ctx *c = arg;
    xlsx *x = c->w->impl;
    if (x->in_v || (x->in_is && x->in_t && !x->in_rph))
        buf_add(&x->text, s, (size_t)len);
}

/* The merged ranges: <mergeCell ref="A1:C2"/>, found without parsing. */
static int find_merges(wb *w, const char *name, mr_err *e)
{
    part pt;
    if (part_open(w, name, &pt, e) <= 0)
        return -1;
    enum { KEEP = 256 };
    char *b = xmalloc(CHUNK + KEEP + 1);
    size_t have = 0;
    int rc = 0;
    for (;;) {
        long n = part_read(w, &pt, b + have, e);
        if (n < 0) {
            rc = -1;
            break;
        }
        have += (size_t)n;
        /* what is left from done on waits for the next chunk */
        size_t done = n == 0 ? have : have > KEEP ? have - KEEP : 0;
        char *p = b;
        while ((p = memmem(p, have - (size_t)(p - b), "mergeCell ", 10)) != NULL) {
            char *end = memchr(p, '>', have - (size_t)(p - b));
            if (!end && n) {   /* cut by the chunk's end */
                done = (size_t)(p - b);
                break;
            }
            if (!end)
                break;
            char *ref = memmem(p, (size_t)(end - p), "ref=\"", 5);
            char *q = ref ? memchr(ref + 5, '"', (size_t)(end - ref - 5)) : NULL;
            if (q) {
                char r[40];
                snprintf(r, sizeof r, "%.*s", (int)(q - ref - 5 < 39 ? q - ref - 5 : 39), ref + 5);
                char *colon = strchr(r, ':');
                long r0, r1;
                if (colon) {
                    *colon = '\0';
                    int c0 = col_of(r, &r0), c1 = col_of(colon + 1, &r1);
                    if (c0 >= 0 && c1 >= 0 && r0 > 0)
                        wb_merge_add(w, r0, c0, r1, c1);
                }
            }
            p = end;
            if ((size_t)(p - b) > done)
                done = (size_t)(p - b);
        }
        if (n == 0)
            break;
        if (have - done > KEEP)   /* no element is that long */
            done = have - KEEP;
        memmove(b, b + done, have - done);
        have -= done;
    }
    free(b);
    part_close(&pt);
    return rc;
}

static void sheet_close(xlsx *x)
{
    if (x->p) {
        free(XML_GetUserData(x->p));
        XML_ParserFree(x->p);
    }
    x->p = NULL;
    part_close(&x->sp);
}

static int xlsx_sheet_open(wb *w, int i, mr_err *e)
{
    xlsx *x = w->impl;
    sheet_close(x);
    if (find_merges(w, x->targets[i], e) < 0) {
        if (!e->code)
            err_set(e, EXIT_DATA, _("%s: sheet %s is missing from the workbook"), w->path, w->names[i]);
        return -1;
    }
    if (part_open(w, x->targets[i], &x->sp, e) <= 0)
        return -1;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(x->z, x->targets[i], ZIP_FL_NOCASE, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
        w->size = (long long)st.size;
    ctx *c = xcalloc(1, sizeof *c);
    c->w = w;
    c->part = x->targets[i];
    x->p = parser_new(c);
    XML_SetElementHandler(x->p, sh_start, sh_end);
    XML_SetCharacterDataHandler(x->p, sh_text);
    x->suspended = x->done = x->row_ready = x->in_data = 0;
    x->lastrow = 0;
    x->lastcol = -1;
    return 0;
}

static int xlsx_row(wb *w, mr_err *e)
{
    xlsx *x = w->impl;
    if (x->done || !x->p)
        return 0;
    ctx *c = XML_GetUserData(x->p);
    x->row_ready = 0;
    if (x->suspended) {
        x->suspended = 0;
        enum XML_Status st = XML_ResumeParser(x->p);
        if (st == XML_STATUS_SUSPENDED) {
            x->suspended = 1;
            return 1;
        }
        if (st == XML_STATUS_ERROR) {
            xml_failed(c, e);
            return -1;
        }
        XML_ParsingStatus ps;
        XML_GetParsingStatus(x->p, &ps);
        if (ps.parsing == XML_FINISHED) {
            x->done = 1;
            return 0;
        }
    }
    for (;;) {
        long n = part_read(w, &x->sp, x->chunk, e);
        if (n < 0)
            return -1;
        enum XML_Status st = XML_Parse(x->p, x->chunk, (int)n, n == 0);
        if (st == XML_STATUS_SUSPENDED) {
            x->suspended = 1;
            return 1;
        }
        if (st == XML_STATUS_ERROR) {
            xml_failed(c, e);
            return -1;
        }
        if (n == 0) {
            x->done = 1;
            return 0;
        }
    }
}

static long long xlsx_offset(const wb *w)
{
    const xlsx *x = w->impl;
    return x->sp.read;
}

static void xlsx_close(wb *w)
{
    xlsx *x = w->impl;
    if (!x)
        return;
    sheet_close(x);
    if (x->z)
        zip_discard(x->z);
    for (int i = 0; i < w->nsheets; i++)
        free(x->targets ? x->targets[i] : NULL);
    free(x->targets);
    free(x->isdate);
    free(x->ss);
    free(x->sso);
    free(x->chunk);
    buf_free(&x->text);
    free(x);
    w->impl = NULL;
}

static const struct wb_ops xlsx_ops = {xlsx_sheet_open, xlsx_row, xlsx_offset, xlsx_close};

static void wbx_free(wbx *d, int n)
{
    for (int i = 0; i < n; i++)
        free(d->rid[i]);
    free(d->rid);
    for (int i = 0; i < d->nrel; i++) {
        free(d->ids[i]);
        free(d->targets[i]);
    }
    free(d->ids);
    free(d->targets);
    free(d->ss);
    free(d->styles);
}

wb *wb_open_xlsx(const char *path, mr_err *e)
{
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    /* libxlsxwriter's (minizip's) local headers leave sizes to a data
     * descriptor, which ZIP_CHECKCONS calls inconsistent: Excel and openpyxl
     * read such files, and so must minreg read its own exports.  The
     * central directory is then trusted; each part's CRC is still checked
     * as it is read, and its uncompressed size bounded as always. */
    if (!z && ze == ZIP_ER_INCONS)
        z = zip_open(path, ZIP_RDONLY, &ze);
    wb *w = xcalloc(1, sizeof *w);
    w->max_cells = wb_max_cells();
    w->path = xstrdup(path);
    w->kind = "xlsx";
    w->sheet = -1;
    w->size = -1;
    if (!z) {
        zip_error_t er;
        zip_error_init_with_code(&er, ze);
        if (ze == ZIP_ER_NOZIP)
            err_set(e, EXIT_DATA, _("%s: not a readable .xlsx workbook (it has no zip directory: the file is damaged or "
                                    "cut short)"), path);
        else
            damaged(w, zip_error_strerror(&er), e);
        zip_error_fini(&er);
        wb_close(w);
        return NULL;
    }
    xlsx *x = xcalloc(1, sizeof *x);
    x->z = z;
    x->chunk = xmalloc(CHUNK);
    w->impl = x;
    w->ops = &xlsx_ops;
    wbx d = {0};
    ctx c = {.data = &d};
    int got = parse_part(w, "xl/workbook.xml", &c, wb_setup, e);
    if (got == 0)
        err_set(e, EXIT_DATA, _("%s: not an .xlsx workbook (it has no xl/workbook.xml)"), path);
    if (got <= 0)
        goto fail;
    memset(&c, 0, sizeof c);
    c.data = &d;
    if (parse_part(w, "xl/_rels/workbook.xml.rels", &c, rel_setup, e) < 0)
        goto fail;
    x->targets = xcalloc((size_t)w->nsheets + 1, sizeof(char *));
    for (int i = 0; i < w->nsheets; i++) {
        for (int k = 0; k < d.nrel && !x->targets[i]; k++)
            if (strcmp(d.ids[k], d.rid[i]) == 0)
                x->targets[i] = xstrdup(d.targets[k]);
        if (!x->targets[i]) {
            buf b = BUF_INIT;
            buf_printf(&b, "xl/worksheets/sheet%d.xml", i + 1);
            x->targets[i] = buf_steal(&b);
        }
    }
    stx sd = {0};
    memset(&c, 0, sizeof c);
    c.data = &sd;
    got = parse_part(w, d.styles ? d.styles : "xl/styles.xml", &c, st_setup, e);
    free(sd.fmt_ids);
    free(sd.fmt_date);
    if (got < 0)
        goto fail;
    ssx sx = {.part = d.ss ? d.ss : "xl/sharedStrings.xml", .max = wb_max_strings()};
    memset(&c, 0, sizeof c);
    c.data = &sx;
    got = parse_part(w, sx.part, &c, ss_setup, e);
    buf_free(&sx.cur);
    x->ss = sx.all.s ? sx.all.s : xstrdup("");
    x->sso = sx.off;
    x->nss = sx.n;
    if (got < 0)
        goto fail;
    wbx_free(&d, w->nsheets);
    return w;
fail:
    wbx_free(&d, w->nsheets);
    wb_close(w);
    return NULL;
}
