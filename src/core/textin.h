/* textin.h — a file's bytes as UTF-8 text, whatever Excel or WPS saved it as.
 *
 * Clerks' files come from Chinese Windows: UTF-8 with or without a BOM,
 * GB18030/GBK ("ANSI"), or UTF-16LE with a BOM ("Unicode text").  textin
 * detects which (or takes --encoding), transcodes with iconv *before* any
 * CSV parsing — a GBK trailing byte can be 0x22 or 0x2C, so parsing first
 * would split characters — and hands out valid UTF-8 a chunk at a time.
 *
 * It refuses, naming the line and the byte offset in the file: invalid UTF-8
 * (or invalid GB18030/UTF-16), NUL bytes, and a byte order mark after the
 * start (two files joined together).  A leading BOM is dropped.
 */
#ifndef MINREG_TEXTIN_H
#define MINREG_TEXTIN_H

#include "err.h"

typedef enum { ENC_AUTO, ENC_UTF8, ENC_GB18030, ENC_UTF16LE, ENC_UTF16BE } text_enc;

/* "utf-8", "gb18030" (also "gbk", "gb2312", "cp936"), "utf-16" (LE unless
 * the file's BOM says BE), "utf-16le", "utf-16be"; case-insensitive. */
int text_enc_parse(const char *s, text_enc *out);
const char *text_enc_name(text_enc enc);   /* "UTF-8", "GB18030", "UTF-16LE", ... */
const char *text_enc_iconv(text_enc enc);  /* the iconv name */

typedef struct textin textin;

/* Asked while a pipe, FIFO or terminal keeps us waiting (at least every
 * 100 ms, and when a signal interrupts the wait): nonzero stops the read
 * with EXIT_CANCELLED.  A regular file never waits, and is not asked. */
typedef int (*textin_stop_fn)(void *arg);

/* Open path ("-" = standard input).  enc: ENC_AUTO to detect.  stop may be
 * NULL (then an interrupted wait goes on waiting). */
textin *textin_open(const char *path, text_enc enc, textin_stop_fn stop, void *stop_arg, mr_err *e);

/* The next chunk of UTF-8 text (valid until the next call): its length,
 * 0 at the end, -1 on an error (e says file:line and byte offset). */
long textin_read(textin *in, const char **data, mr_err *e);

/* The encoding in use: what was forced, detected, or (for a file that is
 * all ASCII so far) UTF-8. */
text_enc textin_encoding(const textin *in);
int textin_had_bom(const textin *in);
const char *textin_path(const textin *in);
long long textin_offset(const textin *in);   /* source bytes consumed so far */
long long textin_size(const textin *in);     /* -1 when unknown (a pipe) */
/* After the last read: is a regular file still the one opened — same
 * device and inode (by its name too), size and modification time — and
 * were exactly its bytes read?  0 if so (and always for a pipe or FIFO,
 * where nothing can be checked); -1 with e (EXIT_DATA) naming the file if
 * it changed while it was read. */
int textin_unchanged(const textin *in, mr_err *e);
/* After an "invalid UTF-8" error in a file whose encoding was judged from
 * its start: ENC_GB18030 when the whole file (read again) is valid GB18030,
 * so reading it again as that will work; else ENC_AUTO. */
text_enc textin_better_encoding(const textin *in);
void textin_close(textin *in);

#endif
