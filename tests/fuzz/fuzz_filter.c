/* fuzz_filter.c — the filter parsers and the matcher.
 *
 * The first line of the input is a filter argument (db_filter_parse's
 * syntax: "COL<V", "COL=A..B", "!COL=", "COL:REGEX", "REGEX" ...), the rest a
 * subject.  Any argument must either parse, into a filter whose parts fit
 * its operator, or be refused with a message, by both parsers; matching must
 * return 1, 0 or a clean error (match limits) — never crash or hang. */
#include "config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/rx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static column cols[4] = {
        {.id = "code", .label = "编号", .unit = "", .enum_s = "", .pattern = "", .link_tbl = "",
         .link_col = "", .range = "", .not_before = "", .link_ti = -1, .not_before_ci = -1},
        {.id = "area_km2", .label = "面积", .unit = "平方公里", .enum_s = "", .pattern = "",
         .link_tbl = "", .link_col = "", .range = "", .not_before = "", .link_ti = -1,
         .not_before_ci = -1, .type = COL_DEC},
        {.id = "valid_to", .label = "有效期止", .label_en = "Valid to", .unit = "", .enum_s = "",
         .pattern = "", .link_tbl = "", .link_col = "", .range = "", .not_before = "", .link_ti = -1,
         .not_before_ci = -1, .type = COL_DATE},
        {.id = "minerals", .label = "矿种", .unit = "", .enum_s = "", .pattern = "", .link_tbl = "",
         .link_col = "", .range = "", .not_before = "", .link_ti = -1, .not_before_ci = -1, .multi = 1},
    };
    static table t = {.id = "t", .cols = cols, .ncols = 4};
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char *nl = strchr(s, '\n');
    const char *subject = "";
    if (nl) {
        *nl = '\0';
        subject = nl + 1;
    }
    db_filter f;
    mr_err e = {0};
    if (db_filter_parse(&t, s, &f, &e) == 0) {
        if (f.op < DBF_EQ || f.op > DBF_EMPTY || f.ci < -1 || f.ci >= t.ncols || !f.text ||
            (f.ci < 0 && f.op != DBF_RX) || (f.op != DBF_EMPTY && !f.value) ||
            (f.op == DBF_RANGE) != (f.value2 != NULL))
            abort();
        buf b = BUF_INIT;
        db_filter_show(&t, &f, &b);   /* as typed */
        const char *typed = f.text;
        f.text = NULL;                /* written from its parts: any filter can be */
        db_filter_show(&t, &f, &b);
        f.text = typed;
        buf_free(&b);
        db_filter_clear(&f);
    } else if (!e.msg[0]) {
        abort();
    }
    memset(&e, 0, sizeof e);
    if (db_filter_parse_rx(&t, s, &f, &e) == 0) {
        if (f.ci < -1 || f.ci >= t.ncols || !f.value)
            abort();
        for (int flags = 0; flags <= RX_ROW; flags += RX_ROW) {
            rx *r = rx_compile(f.value, RX_SMARTCASE | flags, &e);
            if (!r)
                abort();   /* it parsed above: it must compile */
            size_t so = 0, eo = 0;
            int m = rx_search(r, subject, strlen(subject), &so, &eo, &e);
            if (m < -1 || m > 1 || (m == 1 && (so > eo || eo > strlen(subject))))
                abort();
            rx_free(r);
        }
    } else if (!e.msg[0]) {
        abort();   /* refused without saying why */
    }
    free(s);
    return 0;
}
