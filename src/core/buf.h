/* buf.h — a growable byte buffer, always NUL-terminated. */
#ifndef MINREG_BUF_H
#define MINREG_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char  *s;    /* contents, NUL-terminated once anything was added */
    size_t len;  /* bytes used, not counting the NUL */
    size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

void buf_add(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_pad(buf *b, int n);              /* n spaces */
void buf_reset(buf *b);                   /* empty, keep memory */
const char *buf_str(buf *b);              /* "" when empty */
char *buf_steal(buf *b);                  /* caller frees; b is emptied */
void buf_free(buf *b);

/* Allocation that never returns NULL: on exhaustion the process restores the
 * terminal (through the registered hook) and exits. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void xalloc_set_die_hook(void (*hook)(void));

#endif
