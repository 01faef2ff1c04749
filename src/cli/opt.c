/* opt.c — option parsing whose errors are ours: getopt_long with opterr = 0.
 *
 * getopt prints its own messages ("unrecognized option '--…'") with the
 * option as typed, bytes and all: `minreg --$'\e]0;x\a'` would set the
 * terminal's title.  Here getopt says nothing; the message is ours, in the
 * interface language, and goes out escaped through cli_error like every
 * other.
 */
#include "config.h"
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/text.h"

void cli_error_lines(const char *msg, int keep_lines)
{
    char *copy = xstrdup(msg), *line = copy, *nl;
    fputs("minreg: ", stderr);
    while (keep_lines && (nl = strchr(line, '\n'))) {
        *nl = '\0';
        out_safe(stderr, line);
        fputc('\n', stderr);
        line = nl + 1;
    }
    out_safe(stderr, line);
    fputc('\n', stderr);
    free(copy);
}

void cli_error(const char *fmt, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cli_error_lines(buf_str(&b), 0);
    buf_free(&b);
}

/* The long option arg names ("--name" or "--name=value"): its name, and how
 * many of opts it is a prefix of (getopt takes unambiguous abbreviations). */
static int long_matches(const struct option *opts, const char *arg, buf *name)
{
    const char *eq = strchr(arg, '=');
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    buf_add(name, arg, n);
    int hits = 0;
    for (; opts && opts->name; opts++) {
        if (strncmp(opts->name, arg, n) == 0 && opts->name[n] == '\0')
            return 1;   /* exactly its name: never ambiguous */
        if (strncmp(opts->name, arg, n) == 0)
            hits++;
    }
    return hits;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    /* ':' after any '+': a missing argument returns ':', not '?' */
    buf so = BUF_INIT;
    if (*shortopts == '+' || *shortopts == '-')
        buf_putc(&so, *shortopts++);
    buf_putc(&so, ':');
    buf_puts(&so, shortopts);
    opterr = 0;
    int prev = optind;
    int o = getopt_long(argc, argv, buf_str(&so), longopts, NULL);
    buf_free(&so);
    if (o != '?' && o != ':')
        return o;
    /* the element getopt stopped at: the one it stepped past, or (within a
     * cluster such as -rX) the one it is still in */
    const char *arg = optind > prev && optind - 1 < argc ? argv[optind - 1]
                      : prev < argc                      ? argv[prev]
                                                         : "";
    buf name = BUF_INIT;
    int islong = strncmp(arg, "--", 2) == 0 && arg[2];
    int hits = islong ? long_matches(longopts, arg + 2, &name) : 0;
    if (o == ':' && islong)
        cli_error(_("option '--%s' requires an argument"), buf_str(&name));
    else if (o == ':')
        cli_error(_("option requires an argument -- '%c'"), optopt);
    else if (islong && hits > 1)
        cli_error(_("option '--%s' is ambiguous"), buf_str(&name));
    else if (islong && hits == 1 && strchr(arg, '='))
        cli_error(_("option '--%s' doesn't allow an argument"), buf_str(&name));
    else if (islong)
        cli_error(_("unrecognized option '--%s'"), buf_str(&name));
    else
        cli_error(_("invalid option -- '%c'"), optopt);
    buf_free(&name);
    return '?';
}
