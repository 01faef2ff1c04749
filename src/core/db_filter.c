/* db_filter.c — filters: parsing "COL:REGEX" arguments and writing a filter list
 * as a WHERE clause with its bound parameters.
 * Part of the db module (db_int.h).
 */
#include "config.h"
#include "db.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "db_int.h"
#include "i18n.h"
#include "load.h"
#include "rx.h"

int db_filter_parse_rx(const table *t, const char *arg, db_filter *f, mr_err *e)
{
    f->op = DBF_RX;
    f->ci = -1;
    f->value = arg;
    const char *colon = strchr(arg, ':');
    if (colon && colon > arg) {
        char *col = xstrndup(arg, (size_t)(colon - arg));
        int ci = table_col_any(t, col);
        free(col);
        if (ci >= 0) {
            f->ci = ci;
            f->value = colon + 1;
        }
    }
    rx *r = rx_compile(f->value, RX_SMARTCASE, e);
    if (!r)
        return -1;
    rx_free(r);
    return 0;
}

/* ---- errors ------------------------------------------------------------- */

/* ---- queries -------------------------------------------------------------- */

/* "mr_rowmatch(?n, c1, c2, ...)": a pattern over the whole row (see
 * sql_rowmatch). */
void put_any_rx(buf *q, const table *t, const char *alias, int param)
{
    buf_printf(q, "mr_rowmatch(?%d", param);
    for (int j = 0; j < t->ncols; j++) {
        buf_printf(q, ", %s%s", alias ? alias : "", alias ? "." : "");
        put_ident(q, t->cols[j].id);
    }
    buf_puts(q, ")");
}

void put_where(buf *q, const table *t, const db_filter *f, int nf)
{
    for (int i = 0; i < nf; i++) {
        buf_puts(q, i ? " AND " : " WHERE ");
        if (f[i].op == DBF_RX) {
            if (f[i].ci < 0) {
                put_any_rx(q, t, NULL, i + 1);
            } else {
                put_ident(q, t->cols[f[i].ci].id);
                buf_printf(q, " REGEXP ?%d", i + 1);
            }
            continue;
        }
        const column *c = &t->cols[f[i].ci];
        if (c->multi) {
            buf_puts(q, "instr(';' || ");
            put_ident(q, c->id);
            buf_printf(q, " || ';', ';' || ?%d || ';') > 0", i + 1);
        } else {
            put_ident(q, c->id);
            buf_printf(q, " = ?%d", i + 1);
        }
    }
}

void bind_filters(sqlite3_stmt *st, const db_filter *f, int nf)
{
    for (int i = 0; i < nf; i++)
        sqlite3_bind_text(st, i + 1, f[i].value, -1, SQLITE_TRANSIENT);
}
