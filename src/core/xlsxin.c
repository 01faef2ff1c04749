/* xlsxin.c — .xlsx cells, streamed (see wbin.h).
 *
 * The package and the parts read whole are xlsxin_pkg.c's.  A sheet is
 * parsed a chunk at a time and the parser suspended at the end of every
 * row, so one row is in memory whatever the sheet's size.  Merged ranges
 * come after the cells in a sheet's XML: a first pass finds them by a
 * plain search of the inflated bytes, without parsing.
 */
#include "config.h"
#include "xlsxin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

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
    const char *n = xl_local(el);
    if (strcmp(n, "sheetData") == 0) {
        x->in_data = 1;
    } else if (!x->in_data) {
        return;
    } else if (strcmp(n, "row") == 0) {
        const char *r = xl_attr(a, "r");
        long row = r ? strtol(r, NULL, 10) : x->lastrow + 1;
        if (row <= x->lastrow)
            row = x->lastrow + 1;
        x->lastrow = row;
        x->lastcol = -1;
        wb_row_start(c->w, row);
    } else if (strcmp(n, "c") == 0) {
        const char *r = xl_attr(a, "r"), *t = xl_attr(a, "t"), *s = xl_attr(a, "s");
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
    const char *n = xl_local(el);
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
    if (xl_part_open(w, name, &pt, e) <= 0)
        return -1;
    enum { KEEP = 256 };
    char *b = xmalloc(CHUNK + KEEP + 1);
    size_t have = 0;
    int rc = 0;
    for (;;) {
        long n = xl_part_read(w, &pt, b + have, e);
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
    xl_part_close(&pt);
    return rc;
}

static void sheet_close(xlsx *x)
{
    if (x->p) {
        free(XML_GetUserData(x->p));
        XML_ParserFree(x->p);
    }
    x->p = NULL;
    xl_part_close(&x->sp);
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
    if (xl_part_open(w, x->targets[i], &x->sp, e) <= 0)
        return -1;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(x->z, x->targets[i], ZIP_FL_NOCASE, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
        w->size = (long long)st.size;
    ctx *c = xcalloc(1, sizeof *c);
    c->w = w;
    c->part = x->targets[i];
    x->p = xl_parser_new(c);
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
            xl_xml_failed(c, e);
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
        long n = xl_part_read(w, &x->sp, x->chunk, e);
        if (n < 0)
            return -1;
        enum XML_Status st = XML_Parse(x->p, x->chunk, (int)n, n == 0);
        if (st == XML_STATUS_SUSPENDED) {
            x->suspended = 1;
            return 1;
        }
        if (st == XML_STATUS_ERROR) {
            xl_xml_failed(c, e);
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
            xl_damaged(w, zip_error_strerror(&er), e);
        zip_error_fini(&er);
        wb_close(w);
        return NULL;
    }
    xlsx *x = xcalloc(1, sizeof *x);
    x->z = z;
    x->chunk = xmalloc(CHUNK);
    w->impl = x;
    w->ops = &xlsx_ops;
    if (xlsx_read_package(w, x, e) < 0) {
        wb_close(w);
        return NULL;
    }
    return w;
}
