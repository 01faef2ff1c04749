/* xlsxin_int.h — shared by xlsxin.c (the sheets) and xlsxin_pkg.c (the
 * package: its parts, the XML parser, workbook.xml, its relationships,
 * styles.xml and sharedStrings.xml) only. */
#ifndef MINREG_XLSXIN_INT_H
#define MINREG_XLSXIN_INT_H

#include <expat.h>
#include <zip.h>

#include "wbin_int.h"

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

/* What an expat handler gets: the workbook, the parser, the error that
 * stopped it, the part's name and the reader's own data. */
typedef struct ctx {
    wb *w;
    XML_Parser p;
    mr_err err;
    const char *part;
    void *data;
} ctx;

/* An element's or attribute's name without its namespace prefix. */
const char *xl_local(const char *n);
/* The value of attribute name in a, or NULL. */
const char *xl_attr(const char **a, const char *name);
/* e: the workbook is damaged, why. */
void xl_damaged(wb *w, const char *why, mr_err *e);
/* Open part name of the package, bounded against a zip bomb: 1, 0 when the
 * package has no such part, -1 with e. */
int xl_part_open(wb *w, const char *name, part *pt, mr_err *e);
/* Up to CHUNK bytes into b: their number, 0 at the end, -1 with e. */
long xl_part_read(wb *w, part *pt, char *b, mr_err *e);
void xl_part_close(part *pt);
/* A parser for c that refuses a DOCTYPE and never reads an entity. */
XML_Parser xl_parser_new(ctx *c);
/* e from the handler's error on c, or expat's with the line. */
void xl_xml_failed(ctx *c, mr_err *e);
int xlsx_read_package(wb *w, xlsx *x, mr_err *e);

#endif
