/* test_plan.c — units as the plan prints them, and the plan's figures as the
 * bundled register holds them (shared by checks and the summary report). */
#include "config.h"
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "tap.h"

static void units(void)
{
    unit_info a, b;
    ok(unit_parse("矿石, 万吨/年", &a), "parse 矿石, 万吨/年");
    is_str(a.measure, "矿石", "... measure");
    ok(a.dim == 't' && a.factor == 1e4, "... 10^4 tonnes");
    ok(unit_parse("矿石，亿吨（62%）", &a), "full-width punctuation (the quota table)");
    is_str(a.grade, "62%", "... grade");
    ok(a.dim == 't' && a.factor == 1e8, "... 10^8 tonnes");
    ok(unit_parse("矿石, 亿吨(62%)", &b) && unit_comparable(&a, &b),
       "专栏一's ASCII form is the same unit");
    ok(unit_parse("B₂O₃, 万吨", &a) && unit_parse("矿石，万吨", &b), "parse B₂O₃ and ore in 万吨");
    ok(!unit_comparable(&a, &b), "B₂O₃ is not ore: not comparable");
    ok(unit_parse("矿石, 万立方米/年", &a) && a.dim == 'v' && a.factor == 1e4, "万立方米 is a volume");
    ok(unit_parse("矿石, 万吨/年", &b) && !unit_comparable(&a, &b), "volume and mass: not comparable");
    ok(unit_parse("万吨/年", &a) && unit_comparable(&a, &b), "no measure given: comparable with ore");
    ok(unit_parse("矿石, 吨/年", &a) && a.factor == 1, "吨 is not read as 万吨");
    ok(!unit_parse("个", &a), "个 is no magnitude");
    ok(!unit_parse("", &a), "empty unit");

    char n[40];
    is_str(plan_num(955.7575000000001, n), "955.7575", "plan_num drops float noise");
    is_str(plan_num(0.009 + 0.017, n), "0.026", "0.009 + 0.017 = 0.026");
    is_str(plan_num(320, n), "320", "whole numbers without a point");
    is_str(plan_num(-0.0, n), "0", "no negative zero");
}

static void figures(db *d)
{
    plan_figure f;
    ok(plan_mines(d, &f) == 0 && f.known, "mine count known");
    ok(f.stated && f.value == 330, "10 of 330 permits entered: the stated 330 is used");
    is_int(f.rows, 10, "... the register's rows");
    ok(plan_large_share(d, &f) == 0 && f.known && f.stated, "large and medium share: stated");
    ok(f.value > 10.29 && f.value < 10.31, "(9 + 25) / 330 = 10.3%%");

    double sum;
    int64_t n;
    char *unit;
    ok(plan_quota_sum(d, "铁矿", &sum, &n, &unit) == 0 && n == 2, "two iron quotas");
    ok(sum > 0.025999 && sum < 0.026001, "... adding up to 0.026");
    is_str(unit, "矿石，亿吨（62%）", "... in the quota table's unit");
    plan_indicator ind;
    is_int(plan_quota_indicator(d, "铁矿", unit, &ind), 1, "iron's extraction indicator found");
    is_str(ind.name, "铁矿年开采总量", "... 铁矿年开采总量");
    ok(ind.value == 0.02, "... 0.02");
    plan_indicator_free(&ind);
    free(unit);
    ok(plan_quota_sum(d, "硼矿", &sum, &n, &unit) == 0 && sum == 450, "boron quotas add up to 450");
    is_int(plan_quota_indicator(d, "硼矿", unit, &ind), 1, "boron's indicator found");
    is_str(ind.seq, "13", "... the extraction total (13), not the B₂O₃ reserve indicator (2)");
    plan_indicator_free(&ind);
    free(unit);
    ok(plan_quota_sum(d, "滑石", &sum, &n, &unit) == 0, "talc quotas");
    is_int(plan_quota_indicator(d, "滑石", unit, &ind), 1, "滑石 quotas meet 滑石矿年开采总量 through indicators.mineral");
    plan_indicator_free(&ind);
    free(unit);
    is_int(plan_indicator_named(d, PLAN_IND_MINES, &ind), 1, "the mine-count indicator by name");
    ok(ind.value == 320, "... 320");
    plan_indicator_free(&ind);

    unit_info u;
    int np, unknown;
    unit_parse("矿石，万吨", &u);
    ok(plan_production(d, "金矿", NULL, &u, &sum, &np, &unknown) == 0, "gold production");
    ok(np == 0 && unknown == 4, "4 gold permits, none with a scale");
}

int main(void)
{
    units();
    const char *bd = getenv("builddir");
    buf path = BUF_INIT;
    buf_printf(&path, "%s/data/register.db", bd ? bd : ".");
    db *d = NULL;
    mr_err e = {0};
    ok(db_open(buf_str(&path), DB_READONLY, &d, &e) == 0, "open the bundled register: %s", e.msg);
    if (d)
        figures(d);
    db_close(d);
    buf_free(&path);
    return tap_done();
}
