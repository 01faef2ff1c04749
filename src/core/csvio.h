/* csvio.h — reading CSV records with libcsv, one record at a time. */
#ifndef MINREG_CSVIO_H
#define MINREG_CSVIO_H

#include <stdio.h>

#include "err.h"

typedef struct csv_reader csv_reader;

/* Open path for reading.  skip_comments: leading lines that begin with '#'
 * (the seed files' source notes) are skipped.  delim: ',' normally. */
csv_reader *csvr_open(const char *path, int skip_comments, char delim, mr_err *e);

/* Next record: 1 and fields set (owned by the reader, valid until the next
 * call), 0 at end of file, -1 on a parse error (e filled with file:line). */
int csvr_next(csv_reader *r, char ***fields, int *nfields, long *line, mr_err *e);

const char *csvr_path(const csv_reader *r);
void csvr_close(csv_reader *r);

/* Write one field with RFC 4180 quoting (quotes only when needed). */
void csv_write_field(FILE *f, const char *s, char delim);

#endif
