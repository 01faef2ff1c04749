/* i18n.c — picking the interface language (see i18n.h). */
#include "config.h"
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static int zh;

int i18n_is_zh(void) { return zh; }

static int starts_zh(const char *s) { return s && strncmp(s, "zh", 2) == 0; }

void i18n_init(const char *lang, const char *localedir)
{
    if (!lang || !*lang)
        lang = getenv("MINREG_LANG");
    if (!lang || !*lang) {
        const char *v = getenv("LANGUAGE");
        if (!v || !*v)
            v = getenv("LC_ALL");
        if (!v || !*v)
            v = getenv("LC_MESSAGES");
        if (!v || !*v)
            v = getenv("LANG");
        zh = starts_zh(v);
    } else {
        zh = starts_zh(lang);
    }
#ifdef ENABLE_NLS
    /* gettext picks the catalog from $LANGUAGE when the locale is not plain
     * "C"; under C/POSIX we move to C.UTF-8 so a Chinese interface works on
     * machines with no zh_CN locale installed. */
    const char *cur = setlocale(LC_MESSAGES, NULL);
    if (zh && cur && (strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0))
        setlocale(LC_MESSAGES, "C.UTF-8");
    setenv("LANGUAGE", zh ? "zh_CN" : "en", 1);
    bindtextdomain(PACKAGE, localedir);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#else
    (void)localedir;
#endif
}
