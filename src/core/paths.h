/* paths.h — where the bundled data and the default register live. */
#ifndef MINREG_PATHS_H
#define MINREG_PATHS_H

#include "err.h"

/* The directory holding schema.sql and seed/: $MINREG_DATA_DIR, the
 * installed $(pkgdatadir), or ../data beside an uninstalled binary. */
const char *paths_datadir(void);

/* Where the message catalogs are: $MINREG_LOCALEDIR, ../locale beside an
 * uninstalled binary, or the installed $(localedir). */
const char *paths_localedir(void);

/* The register to open: explicit (-f), else $MINREG_DB, else
 * $XDG_DATA_HOME/minreg/register.db (~/.local/share/...).  *is_default is
 * set when the last one was chosen (it may be created on first use). */
char *paths_register(const char *explicit_path, int *is_default);

/* Make sure the default register exists: create its folder (mode 0700) and
 * the file from the bundled data. */
int paths_ensure_default(const char *path, mr_err *e);

#endif
