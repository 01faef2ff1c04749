/* rx.h — PCRE2 regular expressions: UTF and Unicode properties on, compiled
 * once and JIT-compiled, with match limits so a runaway pattern stops with a
 * message instead of hanging. */
#ifndef MINREG_RX_H
#define MINREG_RX_H

#include <stddef.h>

#include "err.h"

typedef struct rx rx;

/* RX_ROW: the subject is a row's columns joined by newlines: ^ and $ match at
 * each column, . crosses them. */
enum { RX_CASELESS = 1, RX_SMARTCASE = 2, RX_ROW = 4 };

/* Compile; on a bad pattern e gets PCRE2's message and the offset. */
rx *rx_compile(const char *pattern, int flags, mr_err *e);
/* 1: matches, 0: does not, -1: stopped (match limit, bad UTF-8) with e filled.
 * so and eo (may be NULL) get the first match's byte range. */
int rx_search(rx *r, const char *s, size_t n, size_t *so, size_t *eo, mr_err *e);
void rx_free(rx *r);
/* A quick test before the pattern runs: 0 when s cannot hold a match because
 * it lacks a literal every match contains (rx.c, set_literals), 1 when it
 * may.  rx_has_literal: whether the pattern has such a literal at all. */
int rx_may_match(const rx *r, const char *s, size_t n);
int rx_has_literal(const rx *r);
/* The same for a subject in parts (a row's text values) that the pattern
 * sees joined by newlines: no literal holds a newline, so each one lies
 * within a part.  NULL parts are skipped. */
int rx_may_match_parts(const rx *r, const char *const *s, const size_t *n, int nparts);

#endif
