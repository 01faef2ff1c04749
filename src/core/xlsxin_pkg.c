/* xlsxin_pkg.c — an .xlsx package's parts and the parts read whole.
 *
 * libzip opens the package; expat parses its parts.  workbook.xml, its
 * relationships, styles.xml and sharedStrings.xml are read whole (the
 * strings table bounded by WB_MAX_STRINGS).  Every part's uncompressed
 * bytes are counted against WB_MAX_PART and WB_MAX_RATIO (a zip bomb),
 * whatever its header says.  No DOCTYPE is accepted: an entity (internal
 * or external) is never expanded, and expat has no handler that could
 * fetch one.  The sheets are read in xlsxin.c.
 */
#include "config.h"
#include "xlsxin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

const char *xl_local(const char *n)
{
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

const char *xl_attr(const char **a, const char *name)
{
    for (; a && *a; a += 2)
        if (strcmp(xl_local(a[0]), name) == 0)
            return a[1];
    return NULL;
}

void xl_damaged(wb *w, const char *why, mr_err *e)
{
    err_set(e, EXIT_DATA, _("%s: not a readable .xlsx workbook (the zip is damaged or cut short: %s)"),
            w->path, why);
}

/* ---- parts -------------------------------------------------------------- */

/* 1 open, 0 no such part, -1 an error */
int xl_part_open(wb *w, const char *name, part *pt, mr_err *e)
{
    xlsx *x = w->impl;
    memset(pt, 0, sizeof *pt);
    zip_int64_t i = zip_name_locate(x->z, name, ZIP_FL_NOCASE);
    if (i < 0)
        return 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->z, (zip_uint64_t)i, 0, &st) < 0) {
        xl_damaged(w, zip_strerror(x->z), e);
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
            xl_damaged(w, zip_strerror(x->z), e);
        return -1;
    }
    pt->name = name;
    pt->limit = limit;
    return 1;
}

/* Up to CHUNK bytes: their number, 0 at the end, -1 with e. */
long xl_part_read(wb *w, part *pt, char *b, mr_err *e)
{
    zip_int64_t n = zip_fread(pt->f, b, CHUNK);
    if (n < 0) {
        xl_damaged(w, zip_file_strerror(pt->f), e);
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

void xl_part_close(part *pt)
{
    if (pt->f)
        zip_fclose(pt->f);
    pt->f = NULL;
}

/* ---- XML ---------------------------------------------------------------- */


static void XMLCALL doctype_refused(void *arg, const XML_Char *name, const XML_Char *sysid,
                                    const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    ctx *c = arg;
    err_set(&c->err, EXIT_DATA, _("%s: %s has a DOCTYPE (entity declarations): refused, entities "
                                  "are never read"), c->w->path, c->part);
    XML_StopParser(c->p, XML_FALSE);
}

XML_Parser xl_parser_new(ctx *c)
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

void xl_xml_failed(ctx *c, mr_err *e)
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
    int got = xl_part_open(w, name, &pt, e);
    if (got <= 0)
        return got;
    c->w = w;
    c->part = name;
    XML_Parser p = xl_parser_new(c);
    setup(p);
    char *b = xmalloc(CHUNK);
    int rc = 1;
    for (;;) {
        long n = xl_part_read(w, &pt, b, e);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (XML_Parse(p, b, (int)n, n == 0) != XML_STATUS_OK) {
            xl_xml_failed(c, e);
            rc = -1;
            break;
        }
        if (n == 0)
            break;
    }
    free(b);
    XML_ParserFree(p);
    xl_part_close(&pt);
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
    const char *n = xl_local(el);
    if (strcmp(n, "workbookPr") == 0) {
        const char *v = xl_attr(a, "date1904");
        x->d1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
    } else if (strcmp(n, "sheet") == 0) {
        const char *name = xl_attr(a, "name"), *rid = xl_attr(a, "id");
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
    if (strcmp(xl_local(el), "Relationship") != 0)
        return;
    const char *id = xl_attr(a, "Id"), *target = xl_attr(a, "Target"), *type = xl_attr(a, "Type");
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
    const char *n = xl_local(el);
    if (strcmp(n, "numFmt") == 0) {
        const char *id = xl_attr(a, "numFmtId"), *code = xl_attr(a, "formatCode");
        if (!id || !code)
            return;
        d->fmt_ids = xrealloc(d->fmt_ids, sizeof(int) * (size_t)(d->nfmt + 1));
        d->fmt_date = xrealloc(d->fmt_date, (size_t)(d->nfmt + 1));
        d->fmt_ids[d->nfmt] = atoi(id);
        d->fmt_date[d->nfmt++] = (char)code_is_date(code);
    } else if (strcmp(n, "cellXfs") == 0) {
        d->in_xfs = 1;
    } else if (strcmp(n, "xf") == 0 && d->in_xfs) {
        const char *id = xl_attr(a, "numFmtId");
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
    if (strcmp(xl_local(el), "cellXfs") == 0)
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
    const char *n = xl_local(el);
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
    const char *n = xl_local(el);
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

/* workbook.xml, its relationships, styles.xml and sharedStrings.xml into x
 * (the sheets' names into w).  0, or -1 with e. */
int xlsx_read_package(wb *w, xlsx *x, mr_err *e)
{
    int rc = -1;
    wbx d = {0};
    ctx c = {.data = &d};
    int got = parse_part(w, "xl/workbook.xml", &c, wb_setup, e);
    if (got == 0)
        err_set(e, EXIT_DATA, _("%s: not an .xlsx workbook (it has no xl/workbook.xml)"), w->path);
    if (got <= 0)
        goto done;
    memset(&c, 0, sizeof c);
    c.data = &d;
    if (parse_part(w, "xl/_rels/workbook.xml.rels", &c, rel_setup, e) < 0)
        goto done;
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
        goto done;
    ssx sx = {.part = d.ss ? d.ss : "xl/sharedStrings.xml", .max = wb_max_strings()};
    memset(&c, 0, sizeof c);
    c.data = &sx;
    got = parse_part(w, sx.part, &c, ss_setup, e);
    buf_free(&sx.cur);
    x->ss = sx.all.s ? sx.all.s : xstrdup("");
    x->sso = sx.off;
    x->nss = sx.n;
    if (got < 0)
        goto done;
    rc = 0;
done:
    wbx_free(&d, w->nsheets);
    return rc;
}
