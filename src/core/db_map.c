/* db_map.c — what the map screen asks of the register: the shapes whose
 * bounding boxes meet the view, through the R*Tree and never more than a
 * bound of them (a view zoomed out over 100,000 permits reads `max` rows,
 * not all), and a record's shape id.  Part of the db module. */
#include "config.h"

#include "db_int.h"

#include <stdio.h>
#include <string.h>

int db_shapes_in_box(db *d, double min_lon, double max_lon, double min_lat, double max_lat,
                     int64_t skip_id, db_shape_ref *out, int max, int *more, mr_err *e)
{
    /* the R*Tree answers the box; no ORDER BY, so it stops after max + 1
     * rows (the caller orders what it shows) */
    sqlite3_stmt *st = stmt_cached(d, "SELECT b.id, s.tbl, s.rid FROM minreg_shape_box b"
                                      " JOIN minreg_shapes s ON s.id = b.id"
                                      " WHERE b.min_lon <= ?2 AND b.max_lon >= ?1"
                                      " AND b.min_lat <= ?4 AND b.max_lat >= ?3 AND b.id != ?5"
                                      " LIMIT ?6");
    if (!st)
        return db_error(d, e, NULL);
    sqlite3_bind_double(st, 1, min_lon);
    sqlite3_bind_double(st, 2, max_lon);
    sqlite3_bind_double(st, 3, min_lat);
    sqlite3_bind_double(st, 4, max_lat);
    sqlite3_bind_int64(st, 5, skip_id);
    sqlite3_bind_int(st, 6, max + 1);
    int n = 0, rc;
    *more = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == max) {
            *more = 1;
            continue;
        }
        out[n].id = sqlite3_column_int64(st, 0);
        snprintf(out[n].tbl, sizeof out[n].tbl, "%s", (const char *)sqlite3_column_text(st, 1));
        out[n].rid = sqlite3_column_int64(st, 2);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_error(d, e, NULL);
    return n;
}

int db_shape_id(db *d, const char *tbl, int64_t rid, int64_t *id, mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT id FROM minreg_shapes WHERE tbl = ?1 AND rid = ?2");
    if (!st)
        return db_error(d, e, NULL);
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, rid);
    int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
    if (found)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (!found && rc != SQLITE_DONE)
        return db_error(d, e, NULL);
    return found;
}
