#!/bin/sh
# CLI: get — one record, its links out and the rows linking to it.
. "$srcdir/tests/lib.sh"

run_minreg get exploration_areas KZ21060000009
is "get by code exits 0" "$rc" 0
matches_file "key area with a multi-valued mineral link and a district link" get_kz9.txt
run_minreg get minerals 金矿
matches_file "a mineral with every register that references it" get_gold.txt
run_minreg get a11 4
matches_file "a mining permit by row id: links to mineral, its minimum scale, district" get_permit.txt
run_minreg get districts 宽甸县
is "get by another unique column (short name)" "$(head -1 "$T/out")" "Districts (districts)  210624  宽甸满族自治县"
run_minreg get districts 210624
is "... and by key" "$(head -1 "$T/out")" "Districts (districts)  210624  宽甸满族自治县"
grep -q 'Key exploration areas (exploration_areas) 所在行政区: 4' "$T/out"
is "宽甸县 is referenced by 4 key exploration areas" "$?" 0
run_minreg get national_areas GK21060000002
grep -q '所在行政区 → Districts: 宽甸县 = 210624 宽甸满族自治县' "$T/out"
is "national area links each of its two districts" "$?" 0
run_minreg get exploration_areas KZ99999999999
is "unknown key exits 1" "$rc" 1
is "... with a message naming it" "$(cat "$T/err")" "minreg: exploration_areas: no row 'KZ99999999999'"
run_minreg get exploration_areas
is "missing KEY exits 2" "$rc" 2

# a record's source: the seed file's notes kept on load (#20)
run_minreg get sand_areas CS21060000019
is "a record names where it comes from (the seed's 来源 line)" \
   "$(sed -n '/^Source:/{n;p}' "$T/out")" "  附表7 / 专栏八 丹东市砂石土类矿产集中开采区表（第六章第六节）"
grep -q '^  序号19 在原文中折成两行（名称、主要矿产、单位被截断），已合并$' "$T/out"
is "... with the transcription note about its own row (序号19)" "$?" 0
run_minreg get sand_areas CS21060000001
is "... and not another row's note" "$(grep -c '序号19' "$T/out")" 0
grep -q '^  stated (第八章第三节): 区块编号为 CS21060000001，面积为 0.8213 平方公里$' "$T/out"
is "... the figures the plan states about the row, with their clause" "$?" 0
grep -q '^  stated (第八章第三节): 最低开采规模 20 万立方米/年$' "$T/out"
is "... both of them" "$?" 0
run_minreg --lang zh get national_areas GK21060000001
grep -q '^来源：$' "$T/out"
is "in Chinese: 来源" "$?" 0
is "... said once: the seed's note under it without its own 来源:" "$(grep -c '来源' "$T/out")" 1
grep -q '^  注: 两行面积之和为 955.7575 平方公里，而第四章第三节正文称总面积 749.3 平方公里；按原表照录$' "$T/out"
is "... the 749.3 note shown with every national area" "$?" 0
run_minreg --lang zh get sand_areas CS21060000001
grep -q '^  规划所述（第八章第三节）：区块编号为 CS21060000001，面积为 0.8213 平方公里$' "$T/out"
is "... the stated figures in Chinese" "$?" 0
is "every seed file's notes are kept: one register's count" \
   "$(sqlite3 "$builddir/data/register.db" "SELECT count(*) FROM minreg_sources WHERE tbl = 'min_scales'")" "$(grep -c "^#" "$srcdir/data/seed/min_scales.csv")"
done_testing
