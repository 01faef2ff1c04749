/* db_seed.c — CSV rows into a new register through the bulk inserter: the
 * seed tables db_create loads, before the register has a history. */
#include "load.h"
#include "db_int.h"
#include "db_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"

/* The '#' lines before the header of a seed file, into minreg_sources: the
 * clause the rows come from and the transcriber's notes, which would
 * otherwise be lost on load (a reader of a record sees them with it). */
static int seed_notes(db *d, const table *t, const char *path, mr_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;   /* csvr_open says why */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(d->h, "INSERT INTO minreg_sources (tbl, ord, note) VALUES (?1, ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK) {
        fclose(f);
        db_error(d, e, "minreg_sources");
        return -1;
    }
    char line[4096];
    int ord = 0, rc = 0, first = 1;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *s = line;
        if (first && strncmp(s, "\xef\xbb\xbf", 3) == 0)
            s += 3;
        first = 0;
        if (*s != '#')
            break;
        s++;
        while (*s == ' ')
            s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
            s[--n] = '\0';
        if (!n)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, ++ord);
        sqlite3_bind_text(st, 3, s, (int)n, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            db_error(d, e, "minreg_sources");
            rc = -1;
        }
    }
    sqlite3_finalize(st);
    fclose(f);
    return rc;
}

int load_csv(db *d, const table *t, const char *path, int skip_comments, mr_err *e)
{
    mr_err pe = {0};
    if (skip_comments && seed_notes(d, t, path, e) < 0)
        return -1;
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
