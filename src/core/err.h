/* err.h — errors carry their context up to main, which alone prints them. */
#ifndef MINREG_ERR_H
#define MINREG_ERR_H

/* Exit codes (documented in minreg(1)). */
enum {
    EXIT_OK = 0,
    EXIT_NOTFOUND = 1,   /* not found, validation failed, check found errors */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_DATA = 3,       /* bad input file (CSV, schema) */
    EXIT_DB = 4,         /* register cannot be opened, is not minreg, too new, busy */
    EXIT_IO = 5,         /* file system error */
    EXIT_CONFLICT = 6,   /* the row was changed by someone else since it was read */
    EXIT_CANCELLED = 130, /* interrupted (Ctrl-C): 128 + SIGINT, as shells report it */
    EXIT_INTERNAL = 70
};

typedef struct mr_err {
    int  code;           /* one of the exit codes above; 0 = no error */
    char msg[1024];
} mr_err;

void err_set(mr_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void err_clear(mr_err *e);

#endif
