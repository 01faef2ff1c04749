/* paths.c — locating data and registers (see paths.h). */
#include "config.h"
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "db.h"

/* dir/probe readable? */
static int has_file(const char *dir, const char *probe)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", dir, probe);
    int ok = access(buf_str(&b), R_OK) == 0;
    buf_free(&b);
    return ok;
}

/* A folder beside an uninstalled binary: src/minreg in a build tree finds
 * ../<name>; a libtool wrapper's src/.libs/minreg finds ../../<name>.  The
 * folder counts only if it holds probe.  Result in out (PATH_MAX). */
static int beside_exe(const char *name, const char *probe, char *out)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    const char *up[] = {"..", "../.."};
    for (size_t i = 0; i < 2; i++) {
        char cand[PATH_MAX + 64];
        snprintf(cand, sizeof cand, "%s/%s/%s", exe, up[i], name);
        if (has_file(cand, probe) && realpath(cand, out))
            return 1;
    }
    return 0;
}

const char *paths_datadir(void)
{
    static char found[PATH_MAX];
    const char *env = getenv("MINREG_DATA_DIR");
    if (env && *env)
        return env;
    if (found[0] || beside_exe("data", "schema.sql", found))
        return found;
    return MINREG_PKGDATADIR;
}

const char *paths_localedir(void)
{
    static char found[PATH_MAX];
    const char *env = getenv("MINREG_LOCALEDIR");
    if (env && *env)
        return env;
    if (found[0] || beside_exe("locale", "zh_CN/LC_MESSAGES/" PACKAGE ".mo", found))
        return found;
    return LOCALEDIR;
}

char *paths_register(const char *explicit_path, int *is_default)
{
    *is_default = 0;
    if (explicit_path && *explicit_path)
        return xstrdup(explicit_path);
    const char *env = getenv("MINREG_DB");
    if (env && *env)
        return xstrdup(env);
    *is_default = 1;
    buf b = BUF_INIT;
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg == '/')
        buf_printf(&b, "%s/minreg/register.db", xdg);
    else {
        const char *home = getenv("HOME");
        buf_printf(&b, "%s/.local/share/minreg/register.db", home && *home ? home : ".");
    }
    return buf_steal(&b);
}

/* mkdir -p for the folders above path. */
static int make_parents(const char *path, mr_err *e)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            err_set(e, EXIT_IO, "%s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

int paths_ensure_default(const char *path, mr_err *e)
{
    if (access(path, F_OK) == 0)
        return 0;
    if (make_parents(path, e) < 0)
        return -1;
    return db_create(path, paths_datadir(), 0, e);
}
