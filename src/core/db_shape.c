/* db_shape.c — the boundaries records hold (boundary.h; data/schema.sql's
 * geo block): which registers have one, a record's shape, and its rings and
 * bounding box kept with it.  Part of the db module; written only through
 * the change object (chg_set_boundary), which audits the text. */
#include "config.h"

#include "db_int.h"

#include <stdlib.h>
#include <string.h>

#include "boundary.h"
#include "i18n.h"

static int fail(db *d, mr_err *e) { return db_error(d, e, NULL); }

int db_has_boundary(db *d, const char *tbl)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT 1 FROM minreg_boundary_tables WHERE tbl = ?1");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    int yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

char *db_shape_text(db *d, const char *tbl, int64_t rid)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT text FROM minreg_shapes WHERE tbl = ?1 AND rid = ?2");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, rid);
    char *t = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        t = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return t;
}

int db_shape_rids(db *d, const char *tbl, int64_t **out, int *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt_cached(d, "SELECT rid FROM minreg_shapes WHERE tbl = ?1 ORDER BY rid");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, sizeof **out * (size_t)cap);
        }
        (*out)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return 0;
}

static int shape_delete(db *d, int64_t id, mr_err *e)
{
    static const char *const q[] = {"DELETE FROM minreg_rings WHERE shape_id = ?1",
                                    "DELETE FROM minreg_shape_box WHERE id = ?1",
                                    "DELETE FROM minreg_shapes WHERE id = ?1"};
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st = stmt_cached(d, q[i]);
        if (!st)
            return fail(d, e);
        sqlite3_bind_int64(st, 1, id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return fail(d, e);
    }
    return 0;
}

int db_shape_put(db *d, const char *tbl, int64_t rid, const geo_shape *s, const char *text,
                 mr_err *e)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT id FROM minreg_shapes WHERE tbl = ?1 AND rid = ?2");
    if (!st)
        return fail(d, e);
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, rid);
    int64_t old = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (old && shape_delete(d, old, e) < 0)
        return -1;
    if (!s)
        return 0;
    st = stmt_cached(d, "INSERT INTO minreg_shapes (tbl, rid, system, zone, area_km2, text)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return fail(d, e);
    double area = s->nparcels ? geo_parcel_area(s, &s->parcels[0]) : -1;
    sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, rid);
    sqlite3_bind_text(st, 3, s->geodetic ? "CGCS2000 geodetic" : "CGCS2000 GK3", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, boundary_zone(s));
    if (area >= 0)
        sqlite3_bind_double(st, 5, area);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, text, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail(d, e);
    int64_t id = sqlite3_last_insert_rowid(d->h);
    st = stmt_cached(d, "INSERT INTO minreg_rings (shape_id, ring, hole, top, bottom, name, npts, points)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return fail(d, e);
    const geo_parcel *p = &s->parcels[0];
    buf pts = BUF_INIT;
    for (int ri = 0; ri < p->nrings; ri++) {
        const geo_ring *r = &p->rings[ri];
        buf_reset(&pts);
        for (int i = 0; i < r->n; i++) {
            const geo_point *q = &r->pts[i];
            if (i)
                buf_putc(&pts, ';');
            if (s->geodetic)
                buf_printf(&pts, "%.9f,%.9f", q->x, q->y);
            else if (q->zone)
                buf_printf(&pts, "%.2f,%d%09.2f", q->x, q->zone, q->y);
            else
                buf_printf(&pts, "%.2f,%.2f", q->x, q->y);
        }
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, ri + 1);
        sqlite3_bind_int(st, 3, r->hole != 0);
        if (r->has_elev) {
            sqlite3_bind_double(st, 4, r->top);
            sqlite3_bind_double(st, 5, r->bottom);
        } else {
            sqlite3_bind_null(st, 4);
            sqlite3_bind_null(st, 5);
        }
        if (r->name)
            sqlite3_bind_text(st, 6, r->name, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 6);
        sqlite3_bind_int(st, 7, r->n);
        sqlite3_bind_text(st, 8, buf_str(&pts), -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            buf_free(&pts);
            return fail(d, e);
        }
    }
    buf_free(&pts);
    double x0, x1, y0, y1;
    if (boundary_box(s, &x0, &x1, &y0, &y1) == 0) {
        st = stmt_cached(d, "INSERT INTO minreg_shape_box (id, min_lon, max_lon, min_lat, max_lat)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!st)
            return fail(d, e);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_double(st, 2, x0);
        sqlite3_bind_double(st, 3, x1);
        sqlite3_bind_double(st, 4, y0);
        sqlite3_bind_double(st, 5, y1);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return fail(d, e);
    }
    return 0;
}

int db_shape_verify(db *d, db_shape_fn fn, void *arg)
{
    /* each shape against the last audited text of its record's boundary,
     * and each record whose last audited boundary is a text, against its
     * shape: what differs was changed outside minreg */
    sqlite3_stmt *st = NULL;
    const char *q =
        "SELECT s.tbl, s.rid, s.text, a.new, a.change_id FROM minreg_shapes s"
        " LEFT JOIN minreg_audit a ON a.id = (SELECT max(id) FROM minreg_audit"
        "  WHERE tbl = s.tbl AND row_id = s.rid AND field = '" BOUNDARY_FIELD "')"
        " WHERE a.new IS NULL OR a.new IS NOT s.text"
        " UNION ALL"
        " SELECT a.tbl, a.row_id, NULL, a.new, a.change_id FROM minreg_audit a"
        " WHERE a.field = '" BOUNDARY_FIELD "' AND a.new IS NOT NULL"
        "  AND a.id = (SELECT max(id) FROM minreg_audit b WHERE b.tbl = a.tbl AND b.row_id = a.row_id"
        "   AND b.field = '" BOUNDARY_FIELD "')"
        "  AND NOT EXISTS (SELECT 1 FROM minreg_shapes s WHERE s.tbl = a.tbl AND s.rid = a.row_id)";
    if (sqlite3_prepare_v2(d->h, q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        fn(arg, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
           sqlite3_column_type(st, 2) != SQLITE_NULL, sqlite3_column_type(st, 3) != SQLITE_NULL,
           sqlite3_column_int64(st, 4));
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

char *db_shape_text_id(db *d, int64_t id, char **tbl, int64_t *rid)
{
    sqlite3_stmt *st = stmt_cached(d, "SELECT text, tbl, rid FROM minreg_shapes WHERE id = ?1");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    char *t = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        t = xstrdup((const char *)sqlite3_column_text(st, 0));
        if (tbl)
            *tbl = xstrdup((const char *)sqlite3_column_text(st, 1));
        if (rid)
            *rid = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return t;
}

int db_shape_candidates(db *d, const char *tbl, int64_t rid, double pad_lon, double pad_lat,
                        db_pair_fn fn, void *arg)
{
    /* the R*Tree finds the boxes that meet each box (grown by the pads);
     * with a record, every other shape near it; with a register, each pair
     * once (both in it: the lower id first) */
    sqlite3_stmt *st = NULL;
    const char *q =
        "SELECT a.id, b.id FROM minreg_shapes a CROSS JOIN minreg_shape_box ab"
        " CROSS JOIN minreg_shape_box bb CROSS JOIN minreg_shapes b"
        " WHERE (?1 IS NULL OR a.tbl = ?1) AND (?2 IS NULL OR a.rid = ?2) AND ab.id = a.id"
        " AND bb.min_lon <= ab.max_lon + ?3 AND bb.max_lon >= ab.min_lon - ?3"
        " AND bb.min_lat <= ab.max_lat + ?4 AND bb.max_lat >= ab.min_lat - ?4"
        " AND b.id = bb.id AND b.id != a.id"
        " AND (?2 IS NOT NULL OR b.id > a.id OR (?1 IS NOT NULL AND b.tbl != ?1))"
        " ORDER BY a.id, b.id";
    /* one record's: its shape found by (tbl, rid) through their index
     * first (the general form's "?2 IS NULL OR" would scan every shape:
     * 80 ms at 100,000 permits, before the R*Tree is asked) */
    const char *one =
        "SELECT a.id, b.id FROM minreg_shapes a CROSS JOIN minreg_shape_box ab"
        " CROSS JOIN minreg_shape_box bb CROSS JOIN minreg_shapes b"
        " WHERE a.tbl = ?1 AND a.rid = ?2 AND ab.id = a.id"
        " AND bb.min_lon <= ab.max_lon + ?3 AND bb.max_lon >= ab.min_lon - ?3"
        " AND bb.min_lat <= ab.max_lat + ?4 AND bb.max_lat >= ab.min_lat - ?4"
        " AND b.id = bb.id AND b.id != a.id"
        " ORDER BY a.id, b.id";
    if (sqlite3_prepare_v2(d->h, tbl && rid > 0 ? one : q, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (tbl)
        sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
    if (rid > 0)
        sqlite3_bind_int64(st, 2, rid);
    sqlite3_bind_double(st, 3, pad_lon);
    sqlite3_bind_double(st, 4, pad_lat);
    int rc = 0;
    while (rc == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(arg, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
    int ok = rc == SQLITE_DONE || rc == 0;
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}
