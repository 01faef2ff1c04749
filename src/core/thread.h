/* thread.h — a worker thread that takes no signals. */
#ifndef MINREG_THREAD_H
#define MINREG_THREAD_H

#include <pthread.h>

/* pthread_create with every signal blocked in the new thread: Ctrl-C,
 * SIGHUP and SIGWINCH go to the caller's thread, whose handlers and loops
 * expect them (the import's reader, the scan's workers).  0 or an errno. */
int thread_start(pthread_t *th, void *(*fn)(void *), void *arg);

#endif
