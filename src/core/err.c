/* err.c — filling error records. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

void err_set(mr_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->code = code;
}

void err_clear(mr_err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = '\0';
    }
}
