/* i18n.h — gettext wrappers.  The interface language is chosen by
 * i18n_init() from --lang, $MINREG_LANG or the locale; it works under
 * C.UTF-8 too (through $LANGUAGE, which glibc honours outside plain "C"). */
#ifndef MINREG_I18N_H
#define MINREG_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define _n(s, p, n) ngettext(s, p, (unsigned long)(n))   /* "1 row", "2 rows" */
#else
#define _(s) (s)
#define _n(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* lang: "zh", "en", or NULL/"" for the environment's choice.
 * localedir: where the message catalogs are installed. */
void i18n_init(const char *lang, const char *localedir);
int  i18n_is_zh(void);   /* is the interface Chinese? */

#endif
