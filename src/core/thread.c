/* thread.c — a worker thread that takes no signals. */
#include "config.h"
#include "thread.h"

#include <signal.h>

int thread_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
    /* the new thread inherits the mask in force when it is made */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(th, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
