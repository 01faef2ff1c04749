/* csvio.h — CSV in and out.
 *
 * Reading: a pull reader over libcsv, fed UTF-8 by textin (so any encoding
 * Excel or WPS writes is transcoded before parsing), that hands out one
 * record at a time with the line it starts on.  Strict RFC 4180: a stray
 * quote, text after a closing quote or a quote never closed is an error
 * naming the line and field; so is a field over the size limit.
 *
 * Writing: RFC 4180 with quotes only where needed, optional BOM, CRLF and
 * GB18030 output, into a file opened by outfile.h (a temporary renamed into
 * place on success, or a device or pipe written in place).
 *
 * Excel safety: a spreadsheet runs a cell that begins with = + - @ (and
 * TAB or CR, which it skips first) as a formula: =HYPERLINK(...) or
 * @SUM(1+1)*cmd|' /C calc'!A0 from a register would act on the clerk's
 * machine.  So CSV and TSV output guards such a text cell with an apostrophe
 * in front, which Excel and WPS show as a text cell and do not print.  The
 * rule, exact both ways so that export -> import gives back every byte:
 *   - a cell that, after any apostrophes it begins with, begins with one of
 *     = + - @ TAB CR gets one more apostrophe in front ("=1" -> "'=1",
 *     "'=1" -> "''=1"); a valid number in a number column is left alone
 *     ("-1.5"), and so is every other cell;
 *   - reading, a cell of that form with at least one apostrophe loses one.
 * raw_cells turns both off (the --raw-cells option).
 */
#ifndef MINREG_CSVIO_H
#define MINREG_CSVIO_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "textin.h"

#define CSV_MAX_FIELD (1024 * 1024)   /* a longer field is an error, not a memory hog */
#define CSV_MAX_FIELDS 16384          /* fields in a record (Excel's column limit) */

typedef struct csv_opts {
    text_enc enc;        /* ENC_AUTO: detect */
    char delim;          /* 0: detect among comma, tab and semicolon */
    int skip_comments;   /* leading lines that begin with '#' are notes (the seed files) */
    size_t max_field;    /* 0: CSV_MAX_FIELD */
    int raw_cells;       /* keep a guarding apostrophe (see Excel safety above) */
    textin_stop_fn stop; /* asked while a pipe keeps the reader waiting (textin.h), or NULL */
    void *stop_arg;
} csv_opts;

typedef struct csv_reader csv_reader;

/* Open path ("-" = standard input).  o may be NULL for the defaults. */
csv_reader *csvr_open(const char *path, const csv_opts *o, mr_err *e);

/* Next record: 1 and fields set (owned by the reader, valid until the next
 * call), 0 at end of file, -1 on an error (e filled with file:line).
 * Blank lines are skipped; *line is the line the record starts on. */
int csvr_next(csv_reader *r, char ***fields, int *nfields, long *line, mr_err *e);

/* Read ahead on a thread of its own from now on (csvr_next is unchanged,
 * and the reader is used by one thread as before).  Fields from before the
 * call become invalid.  check, when not NULL, runs on that thread for each
 * record read, and what it returns is csvr_mark once the record is handed
 * out: work on a row done ahead, on the second core.  -1 if no thread
 * could be started: reading goes on without one (and marks are 0). */
typedef int (*csvr_check_fn)(void *arg, char **fields, int nfields);
int csvr_prefetch(csv_reader *r, csvr_check_fn check, void *arg);
int csvr_mark(const csv_reader *r);   /* of the record csvr_next gave last */

/* A reader over records that come from elsewhere (a workbook's rows,
 * import_wb.c): next as csvr_next, offset for progress; close is called
 * by csvr_close.  Encoding UTF-8, delimiter comma, never a BOM. */
typedef struct csvr_source {
    void *arg;
    int (*next)(void *arg, char ***fields, int *nfields, long *line, mr_err *e);
    long long (*offset)(void *arg);
    long long size;      /* -1 when unknown */
    void (*close)(void *arg);
} csvr_source;
csv_reader *csvr_from_source(const char *path, const csvr_source *src);

const char *csvr_path(const csv_reader *r);
char csvr_delim(const csv_reader *r);          /* known once a record was read */
text_enc csvr_encoding(const csv_reader *r);
int csvr_had_bom(const csv_reader *r);
long long csvr_offset(const csv_reader *r);    /* bytes of the file read so far */
long long csvr_size(const csv_reader *r);      /* -1 when unknown */
/* Once every record was read: textin_unchanged (the file was not changed
 * while it was read; see textin.h). */
int csvr_unchanged(const csv_reader *r, mr_err *e);
/* After a read error: textin_better_encoding. */
text_enc csvr_better_encoding(const csv_reader *r);
void csvr_close(csv_reader *r);

/* "," ";" "tab" or "\t" (also a literal tab): the delimiter, or 0. */
char csv_delim_parse(const char *s);
const char *csv_delim_name(char delim);        /* "comma", "tab", "semicolon", ... */

/* Write one field to f with RFC 4180 quoting (quotes only when needed). */
void csv_write_field(FILE *f, const char *s, char delim);
/* The same, with an apostrophe in front inside the quotes when guard is set. */
void csv_write_cell(FILE *f, const char *s, char delim, int guard);

/* Does the cell s take the guarding apostrophe?  numeric: it is in a
 * number column (a valid number there is left alone).  NULL: no. */
int csv_cell_guarded(const char *s, int numeric);
/* A decimal number as Excel reads one: [+-]digits[.digits][e[+-]digits]. */
int csv_is_number(const char *s);
/* Bytes to drop from the front of a cell read (s[0..len)): 1 for a guarded
 * cell, else 0. */
size_t csv_cell_unguard(const char *s, size_t len);

/* ---- the writer (csvout.c) ---- */
typedef struct csvw_opts {
    char delim;          /* 0: comma */
    int crlf;            /* end records with CRLF (Excel's way) instead of LF */
    int bom;             /* start with a UTF-8 byte order mark */
    text_enc enc;        /* ENC_UTF8 (or ENC_AUTO) or ENC_GB18030 */
    int escape;          /* a terminal reads it: escape control characters (also set
                            by itself when the output turns out to be a terminal) */
    int raw_cells;       /* no guarding apostrophes (see Excel safety above) */
    const char *reg;     /* the open register: the output may not be it (outfile.h) */
} csvw_opts;

typedef struct csv_writer csv_writer;

/* path NULL or "-": standard output.  A regular file is written to a
 * temporary beside it that csvw_close renames over it, so a failed or
 * cancelled write never leaves half a file; a device, FIFO or descriptor
 * is written in place (outfile.h has the rules). */
csv_writer *csvw_open(const char *path, const csvw_opts *o, mr_err *e);
/* Field i (0-based) of every record is in a number column. */
void csvw_numeric(csv_writer *w, int i, int numeric);
void csvw_field(csv_writer *w, const char *s);   /* NULL: empty */
void csvw_end(csv_writer *w);                    /* end of record */
int csvw_close(csv_writer *w, mr_err *e);        /* 0, or -1 with e (the file is dropped) */
void csvw_abort(csv_writer *w);                  /* drop the temporary file (NULL: nothing) */

#endif
