/* fuzz_csv.c — CSV import: encoding detection, parsing, header mapping and
 * validation, end to end.
 *
 * The first byte picks the register; the rest is the file.  Each input is
 * imported as a dry run into a register made once from the bundled data
 * ($MINREG_DATA_DIR, else $srcdir/data, else ./data): whatever the bytes,
 * the import must succeed, refuse the rows, or refuse the file with a
 * message — never crash, leak or change the register. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static db *reg;
static char dir[] = "/tmp/minreg-fuzz-csv-XXXXXX";

static void cleanup(void)
{
    char p[128];
    db_close(reg);
    const char *sfx[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/r.db%s", dir, sfx[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/in.csv", dir);
    unlink(p);
    rmdir(dir);
}

static int setup(void)
{
    const char *dd = getenv("MINREG_DATA_DIR");
    char data[4096];
    if (!dd || !*dd) {
        const char *s = getenv("srcdir");
        snprintf(data, sizeof data, "%s/data", s && *s ? s : ".");
        dd = data;
    }
    if (!mkdtemp(dir))
        return -1;
    char p[128];
    snprintf(p, sizeof p, "%s/r.db", dir);
    mr_err e = {0};
    if (db_create(p, dd, 0, &e) < 0 || db_open(p, 0, &reg, &e) < 0) {
        fprintf(stderr, "fuzz_csv: %s\n", e.msg);
        return -1;
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!reg && setup() < 0)
        abort();
    if (size < 1)
        return 0;
    const schema *s = db_schema(reg);
    const table *t = &s->tables[data[0] % s->ntables];
    char path[128];
    snprintf(path, sizeof path, "%s/in.csv", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    int64_t before, after;
    if (db_count(reg, t, NULL, 0, &before, NULL) < 0)
        abort();
    import_opts o;
    memset(&o, 0, sizeof o);
    o.mode = (import_mode)(data[0] / s->ntables % 3);
    o.dry_run = 1;
    import_result r;
    memset(&r, 0, sizeof r);
    mr_err e = {0};
    int rc = import_csv(reg, t, path, &o, &r, &e);
    if (rc == IMPORT_ERROR && !e.msg[0])
        abort();   /* refused without saying why */
    if (rc == IMPORT_INVALID && r.nproblems <= 0)
        abort();   /* invalid, but no problem reported */
    if (db_count(reg, t, NULL, 0, &after, NULL) < 0 || after != before)
        abort();   /* a dry run changed the register */
    import_result_free(&r);
    return 0;
}
