/* test_filter.c — the filter syntax of --where and & (db_filter_parse):
 * what each form parses to, the errors a bad one gets, and the rows each
 * keeps in a register (numbers as numbers, dates as dates, empty cells,
 * negation, lists, empty cells last in a sort). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "core/db.h"
#include "core/freq.h"
#include "core/i18n.h"
#include "tap.h"
#include "testdb.h"

/* rowsrc_count and rowsrc_pos_of as one value, for is_int: -2 an error */
static int64_t count_of(rowsrc *r)
{
    int64_t n;
    return rowsrc_count(r, &n, NULL) == 0 ? n : -2;
}

static int64_t pos_of(rowsrc *r, int64_t rowid)
{
    int64_t pos;
    int got = rowsrc_pos_of(r, rowid, &pos, NULL);
    return got == DB_FOUND ? pos : got == DB_NOT_FOUND ? -1 : -2;
}

static const table *T;

/* Parse arg: its op, column id, values and negation as one string
 * ("LT valid_to 2024-01-01"), or "ERR: message". */
static char got[2048];
static const char *parsed(const char *arg)
{
    static const char *const names[] = {[DBF_EQ] = "EQ", [DBF_RX] = "RX", [DBF_LT] = "LT",
                                        [DBF_LE] = "LE", [DBF_GT] = "GT", [DBF_GE] = "GE",
                                        [DBF_RANGE] = "RANGE", [DBF_EMPTY] = "EMPTY"};
    db_filter f;
    mr_err e = {0};
    if (db_filter_parse(T, arg, &f, &e) < 0) {
        snprintf(got, sizeof got, "ERR: %s", e.msg);
        return got;
    }
    snprintf(got, sizeof got, "%s%s %s%s%s%s%s", f.neg ? "!" : "", names[f.op],
             f.ci >= 0 ? T->cols[f.ci].id : "*", f.value ? " " : "", f.value ? f.value : "",
             f.value2 ? " " : "", f.value2 ? f.value2 : "");
    db_filter_clear(&f);
    return got;
}

/* The 序号 of the rows a filter keeps, in order (sorted by sort, or rowid). */
static char keys[2048];
static const char *kept(db *d, const char *arg, const char *sort, int desc)
{
    db_filter f;
    mr_err e = {0};
    keys[0] = '\0';
    if (arg && db_filter_parse(T, arg, &f, &e) < 0) {
        snprintf(keys, sizeof keys, "ERR: %s", e.msg);
        return keys;
    }
    cursor *c = db_select(d, T, arg ? &f : NULL, arg ? 1 : 0, sort ? table_col_any(T, sort) : -1, desc, -1, &e);
    while (c && cursor_next(c) == 1) {
        size_t n = strlen(keys);
        snprintf(keys + n, sizeof keys - n, "%s%s", n ? " " : "", cursor_val(c, table_col(T, "id")));
    }
    cursor_free(c);
    if (arg)
        db_filter_clear(&f);
    return keys;
}

/* Rows put in by another connection, as another program would. */
static void add(const char *path, const char *sql)
{
    sqlite3 *h;
    int rc = sqlite3_open(path, &h);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    ok(rc == SQLITE_OK, "set up: %s", sqlite3_errmsg(h));
    sqlite3_close(h);
}

int main(void)
{
    i18n_init("en", NULL);
    testdb td;
    db *d = testdb_open(&td, "filter", 1, "an empty register");
    if (!d)
        return tap_done();
    T = schema_table(db_schema(d), "mining_permits");

    /* ---- the forms ---- */
    is_str(parsed("宽甸"), "RX * 宽甸", "a word: a pattern over every column");
    is_str(parsed("!宽甸"), "!RX * 宽甸", "!word: negated, as in less");
    is_str(parsed("矿山名称:^宽甸"), "RX mine_name ^宽甸", "COL:REGEX");
    is_str(parsed("!矿山名称:宽甸"), "!RX mine_name 宽甸", "!COL:REGEX");
    is_str(parsed("采矿许可证号="), "EMPTY permit_no", "COL= is empty");
    is_str(parsed("采矿许可证号!="), "!EMPTY permit_no", "COL!= is not empty");
    is_str(parsed("status=生产"), "EQ status 生产", "COL=VALUE by id");
    is_str(parsed("Status!=生产"), "!EQ status 生产", "COL!=VALUE by English label");
    is_str(parsed("登记面积>0.5"), "GT area_km2 0.5", ">");
    is_str(parsed("登记面积 >= 0.5"), "GE area_km2 0.5", ">= with blanks around it");
    is_str(parsed("登记面积(平方公里)<1"), "LT area_km2 1", "< by the header with the unit");
    is_str(parsed("area_km2<=１"), "LE area_km2 1", "<= with a full-width digit");
    is_str(parsed("登记面积=1..5"), "RANGE area_km2 1 5", "a range of numbers");
    is_str(parsed("有效期止=2020-01-01..2023-12-31"), "RANGE valid_to 2020-01-01 2023-12-31", "a range of dates");
    is_str(parsed("有效期止=2020..2023"), "RANGE valid_to 2020-01-01 2023-12-31", "a range of years");
    is_str(parsed("有效期止<2024"), "LT valid_to 2024-01-01", "before a year: before its first day");
    is_str(parsed("有效期止<=2023"), "LE valid_to 2023-12-31", "up to a year: to its last day");
    is_str(parsed("有效期止>2023-02"), "GT valid_to 2023-02-28", "after a month: after its last day");
    is_str(parsed("有效期止>=2024-2"), "GE valid_to 2024-02-01", "from a month");
    is_str(parsed("有效期止=2024-02"), "RANGE valid_to 2024-02-01 2024-02-29", "= a month: its days (leap year)");
    is_str(parsed("有效期止=2024-03-05"), "EQ valid_to 2024-03-05", "= a date");
    is_str(parsed("有效期止<2024/3/5"), "LT valid_to 2024-03-05", "a date the Excel way");
    is_str(parsed("!有效期止<2024"), "!LT valid_to 2024-01-01", "any filter negated");
    is_str(parsed("开采矿种=金矿"), "EQ minerals 金矿", "a list column: = lists it");
    is_str(parsed("备注=a..b"), "EQ remark a..b", "a text column: .. is text");

    /* ---- errors: which part, why ---- */
    is_str(parsed("矿山=1"), "ERR: filter '矿山=1': mining_permits has no column '矿山' (columns: 序号, 采矿许可证号, 采矿权人, 矿山名称, 开采矿种, 开采方式, 生产规模, 规模单位, 矿山规模, 登记面积, 开采标高上限, 开采标高下限, 有效期起, 有效期止, 生产状态, 发证机关, 开采规划区块, 所在重点开采区, 所在行政区, 备注, 统一社会信用代码, 经济类型, 出让方式, 登记类型, 发证机关名称, 发证日期, 首次发证日期, 首次登记面积, 服务年限)",
           "an unknown column");
    is_str(parsed("登记面积>abc"), "ERR: filter '登记面积>abc': 登记面积: 'abc' is not a number", "not a number");
    is_str(parsed("有效期止<2024-13"), "ERR: filter '有效期止<2024-13': 有效期止: '2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
           "not a date");
    is_str(parsed("登记面积<"), "ERR: filter '登记面积<': '<' wants a value after it", "no value");
    is_str(parsed("登记面积=1.."), "ERR: filter '登记面积=1..': a range wants FROM..TO (both ends), not '1..'", "half a range");
    is_str(parsed("登记面积=5..1"), "ERR: filter '登记面积=5..1': the range 5..1 is empty: its start is after its end",
           "a range backwards");
    is_str(parsed("登记面积!5"), "ERR: filter '登记面积!5': '!' after a column wants '=' (COL!=VALUE), or goes in front (!COL=VALUE)",
           "a lone ! after the column");
    is_str(parsed("!"), "ERR: filter '!': nothing to filter by", "nothing after !");
    ok(strncmp(parsed("矿山名称:("), "ERR: filter '矿山名称:(': ", 27) == 0 && strstr(got, "offset"),
       "a bad pattern: PCRE2's message and the offset (%s)", got);

    /* ---- the rows kept ---- */
    add(td.path, "INSERT INTO mining_permits (id, permit_no, mine_name, minerals, area_km2, valid_to, status, remark) VALUES"
           " (1, 'C1', '甲', '金矿', 0.5, '2023-12-31', '生产', NULL),"
           " (2, NULL, '乙', '金矿;银矿', 2, '2024-01-01', '', 'x'),"
           " (3, '', '丙', '铁矿', 10, NULL, '停产', NULL),"
           " (4, 'C4', '宽甸丁', '银矿', 1, '2022-06-30', '生产', NULL)");
    is_str(kept(d, "采矿许可证号=", NULL, 0), "2 3", "empty: NULL and ''");
    is_str(kept(d, "采矿许可证号!=", NULL, 0), "1 4", "not empty");
    is_str(kept(d, "登记面积>1", NULL, 0), "2 3", "numbers as numbers: 10 > 1 (as text '10' < '2')");
    is_str(kept(d, "登记面积=1..2", NULL, 0), "2 4", "a range, both ends in");
    is_str(kept(d, "有效期止<2024", NULL, 0), "1 4", "before 2024: no empty date");
    is_str(kept(d, "!有效期止<2024", NULL, 0), "2 3", "negated: the rest, the empty date too");
    is_str(kept(d, "有效期止=2022..2023", NULL, 0), "1 4", "years as a range of dates");
    is_str(kept(d, "生产状态!=生产", NULL, 0), "2 3", "!=: the others, empty ones too");
    is_str(kept(d, "开采矿种=银矿", NULL, 0), "2 4", "a list lists it");
    is_str(kept(d, "!宽甸", NULL, 0), "1 2 3", "a negated pattern over every column");
    is_str(kept(d, NULL, "有效期止", 0), "4 1 2 3", "sorted: empty last ascending");
    is_str(kept(d, NULL, "有效期止", 1), "2 1 4 3", "... and descending");
    is_str(kept(d, NULL, "采矿许可证号", 1), "4 1 3 2", "NULL and '' both last");

    /* keyset paging with filters that take two parameters (a range) and
     * none (empty): the page's own parameters come after theirs */
    db_filter fs[2];
    mr_err e = {0};
    ok(db_filter_parse(T, "登记面积=0.5..10", &fs[0], &e) == 0, "a range: %s", e.msg);
    ok(db_filter_parse(T, "采矿许可证号!=", &fs[1], &e) == 0, "a filter without a value");
    rowsrc *r = db_rowsrc_new(d, T, fs, 2, -1, 0, NULL, NULL, &e);
    ok(r != NULL, "a view with them: %s", e.msg);
    if (r) {
        cursor *c = rowsrc_page(r, -1, 5, &e);   /* the last row, read from the end */
        ok(c && cursor_next(c) == 1 && strcmp(cursor_val(c, table_col(T, "id")), "4") == 0,
           "the last page from the end: permit 4");
        cursor_free(c);
        c = rowsrc_page(r, 1, 5, &e);
        ok(c && cursor_next(c) == 1 && strcmp(cursor_val(c, table_col(T, "id")), "4") == 0 && cursor_next(c) == 0,
           "the second row from the start: permit 4, and no more");
        cursor_free(c);
        is_int(count_of(r), 2, "counted: permits 1 and 4");
        is_int(pos_of(r, 4), 1, "permit 4 (rowid 4) is at position 1");
        is_int(rowsrc_find(r, -1, 1, "宽甸", NULL, NULL, &e), 1, "a search finds it there");
        db_rowsrc_free(r);
    }
    r = db_rowsrc_new(d, T, fs, 2, table_col(T, "valid_to"), 1, NULL, NULL, &e);
    ok(r != NULL, "... sorted by a column: %s", e.msg);
    if (r) {
        cursor *c = rowsrc_page(r, 0, 5, &e);
        ok(c && cursor_next(c) == 1 && strcmp(cursor_val(c, table_col(T, "id")), "1") == 0,
           "sorted descending: 2023-12-31 before 2022-06-30");
        cursor_free(c);
        db_rowsrc_free(r);
    }
    db_filter_clear(&fs[0]);
    db_filter_clear(&fs[1]);
    is_int(testdb_count(d, T, fs, 0), 4, "(the register holds 4)");

    /* freq: list items counted each, ties by value, empty as "", a max */
    freq fq;
    ok(freq_build(d, T, table_col(T, "minerals"), NULL, 0, -1, &fq, &e) == 0, "freq: %s", e.msg);
    is_int(fq.n, 3, "freq: three minerals");
    if (fq.n == 3) {
        is_str(fq.r[0].value, "金矿", "freq: 金矿 first (2 rows, before 银矿 by value)");
        is_int(fq.r[0].rows, 2, "freq: 金矿 in 2 rows");
        ok(fq.r[1].area > 2.99 && fq.r[1].area < 3.01, "freq: 银矿's area, 2 + 1");
        is_str(fq.r[2].value, "铁矿", "freq: 铁矿 last (1 row)");
    }
    is_int(fq.total, 4, "freq: of 4 rows");
    freq_free(&fq);
    ok(freq_build(d, T, table_col(T, "minerals"), NULL, 0, 1, &fq, &e) == 0 && fq.n == 1 && fq.more,
       "freq with a max of 1: one value, and more");
    freq_free(&fq);
    ok(freq_build(d, T, table_col(T, "permit_no"), NULL, 0, -1, &fq, &e) == 0 && fq.n == 3 &&
       strcmp(fq.r[0].value, "") == 0 && fq.r[0].rows == 2, "freq: NULL and '' are one empty value");
    freq_free(&fq);

    testdb_close(&td);
    return tap_done();
}
