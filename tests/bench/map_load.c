/* map_load.c — the map benchmark's boundaries (tests/bench/map.sh): the
 * parcels of geo_gen's exchange file (SYNTHETIC) set, in one change, as
 * the boundaries of records 1..N of a register, record i getting parcel i
 * through the change object as `minreg boundary` would (100,000 runs of
 * the CLI would time process start-up, not the map).
 *
 *   map_load REGISTER TABLE FILE
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/boundary.h"
#include "core/change.h"
#include "core/db.h"
#include "core/geo.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: map_load REGISTER TABLE FILE\n");
        return 2;
    }
    mr_err e = {0};
    db *d;
    geo_shape s;
    geo_read_opts ro = {0};
    if (db_open(argv[1], 0, &d, &e) < 0 || geo_read(argv[3], &ro, &s, &e) < 0) {
        fprintf(stderr, "map_load: %s\n", e.msg);
        return 1;
    }
    const table *t = schema_table(db_schema(d), argv[2]);
    chg *c = t ? chg_begin(d, &e) : NULL;
    if (!c || chg_record(c, "set", t->id, "map benchmark boundaries", NULL, 0, &e) < 0) {
        fprintf(stderr, "map_load: %s\n", t ? e.msg : "no such register");
        return 1;
    }
    buf text = BUF_INIT, key = BUF_INIT;
    int n = 0;
    for (int i = 0; i < s.nparcels; i++) {
        geo_shape one = s;   /* the file's header, one parcel */
        one.parcels = &s.parcels[i];
        one.nparcels = one.cap = 1;
        buf_reset(&text);
        buf_reset(&key);
        buf_printf(&key, "%d", i + 1);
        if (boundary_encode(&one, &text, &e) < 0 ||
            chg_set_boundary(c, t, i + 1, buf_str(&key), buf_str(&text), &e) < 0) {
            fprintf(stderr, "map_load: parcel %d: %s\n", i + 1, e.msg);
            chg_abort(c);
            return 1;
        }
        n++;
    }
    if (chg_commit(c, &e) < 0) {
        fprintf(stderr, "map_load: %s\n", e.msg);
        return 1;
    }
    printf("%d boundaries set\n", n);
    buf_free(&text);
    buf_free(&key);
    geo_shape_free(&s);
    db_close(d);
    return 0;
}
