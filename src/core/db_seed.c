/* db_seed.c — CSV rows into a new register through the bulk inserter: the
 * seed tables db_create loads, before the register has a history. */
#include "load.h"
#include "db_write.h"

#include <stdlib.h>

#include "csvio.h"

int load_csv(db *d, const table *t, const char *path, int skip_comments, mr_err *e)
{
    mr_err pe = {0};
    csv_opts o = {.enc = ENC_UTF8, .delim = ',', .skip_comments = skip_comments};
    csv_reader *r = csvr_open(path, &o, e);
    if (!r)
        return -1;
    char **f;
    int nf, rc = -1;
    long line;
    inserter *ins = NULL;
    int *cis = NULL;
    int got = csvr_next(r, &f, &nf, &line, &pe);
    if (got <= 0) {
        if (got == 0)
            err_set(e, EXIT_DATA, "%s: empty file: no header row", path);
        else
            *e = pe;
        goto out;
    }
    cis = xmalloc(sizeof(int) * (size_t)nf);
    int ncols = nf;
    for (int i = 0; i < nf; i++) {
        cis[i] = table_col_any(t, f[i]);
        if (cis[i] < 0) {
            err_set(e, EXIT_DATA, "%s:%ld: column %d: '%s' is not a column of %s", path, line,
                    i + 1, f[i], t->id);
            goto out;
        }
    }
    ins = db_inserter_new(d, t, cis, ncols, e);
    if (!ins)
        goto out;
    while ((got = csvr_next(r, &f, &nf, &line, &pe)) == 1) {
        if (nf == 1 && !*f[0])
            continue;   /* blank line */
        if (nf != ncols) {
            err_set(e, EXIT_DATA, "%s:%ld: %d fields, the header has %d", path, line, nf, ncols);
            goto out;
        }
        mr_err ie = {0};
        if (db_insert(ins, (const char *const *)f, &ie) < 0) {
            err_set(e, EXIT_DATA, "%s:%ld: %s", path, line, ie.msg);
            goto out;
        }
    }
    if (got < 0) {
        *e = pe;
        goto out;
    }
    rc = 0;
out:
    db_inserter_free(ins);
    free(cis);
    csvr_close(r);
    return rc;
}
