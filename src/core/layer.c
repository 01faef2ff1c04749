/* layer.c — importing and removing restriction layers (layer.h): the
 * file read whole and checked first (layer_read), then written in one
 * transaction with who imported it, when, and the file's SHA-256. */
#include "config.h"

#include "core/layer.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/boundary.h"
#include "core/db_geo.h"
#include "core/edit.h"
#include "core/i18n.h"

static int file_sha256(const char *path, char out[65], mr_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, EXIT_IO, _("%s: cannot open: %s"), path, strerror(errno));
        return -1;
    }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char chunk[65536], h[crypto_hash_sha256_BYTES];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        crypto_hash_sha256_update(&st, chunk, n);
    fclose(f);
    crypto_hash_sha256_final(&st, h);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
    return 0;
}

int layer_import(db *d, const char *name, const char *path, const char *crs, int replace,
                 int64_t *n, mr_err *e)
{
    *n = 0;
    if (!*name) {
        err_set(e, EXIT_USAGE, "%s", _("a layer needs a name"));
        return -1;
    }
    int ex = db_layer_exists(d, name, e);
    if (ex == DB_ERROR)
        return -1;
    if (ex == DB_FOUND && !replace) {
        err_set(e, EXIT_USAGE, _("layer %s exists (--replace replaces it, layer rm removes it)"), name);
        return -1;
    }
    layer_data L;
    if (layer_read(path, crs, &L, e) < 0)
        return -1;
    char sha[65];
    buf text = BUF_INIT;
    int rc = -1;
    if (file_sha256(path, sha, e) < 0)
        goto out;
    char cname[24];
    layer_crs_name(&L.crs, cname);
    db_layer row = {.name = (char *)name, .format = (char *)L.format, .crs = cname,
                    .source = (char *)path, .sha256 = sha, .features = L.n,
                    .at = (char *)edit_now(), .by = (char *)edit_who()};
    if (db_begin(d, e) < 0)
        goto out;
    if ((ex == DB_FOUND && db_layer_delete(d, name, e) < 0) || db_layer_put(d, &row, e) < 0)
        goto abort;
    for (int i = 0; i < L.n; i++) {
        layer_feat *f = &L.v[i];
        buf_reset(&text);
        if (boundary_encode(&f->s, &text, e) < 0)
            goto abort;
        double box[4];
        int has_box = boundary_box(&f->s, &box[0], &box[1], &box[2], &box[3]) == 0;
        if (!has_box) {
            err_set(e, EXIT_DATA, _("%s: feature %d: its points cannot be brought to degrees"), path, f->fid);
            goto abort;
        }
        double km2 = geo_parcel_area(&f->s, &f->s.parcels[0]);
        if (db_layer_feature_put(d, name, f->fid, f->label, km2, buf_str(&text), has_box, box, e) < 0)
            goto abort;
    }
    if (db_commit(d, e) < 0)
        goto out;
    *n = L.n;
    rc = 0;
    goto out;
abort:
    db_rollback(d);
out:
    buf_free(&text);
    layer_data_free(&L);
    return rc;
}

int layer_remove(db *d, const char *name, mr_err *e)
{
    int ex = db_layer_exists(d, name, e);
    if (ex != DB_FOUND)
        return ex;
    if (db_begin(d, e) < 0)
        return DB_ERROR;
    if (db_layer_delete(d, name, e) < 0) {
        db_rollback(d);
        return DB_ERROR;
    }
    return db_commit(d, e) < 0 ? DB_ERROR : DB_FOUND;
}
