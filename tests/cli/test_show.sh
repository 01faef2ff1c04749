#!/bin/sh
# CLI: show — every table the plan prints, pinned to the plan's figures.
. "$srcdir/tests/lib.sh"

# count TABLE WANT_ROWS [COLUMN_HEADER WANT_SUM]
pin() {
    run_minreg show "$1" --format tsv
    is "$1: exits 0" "$rc" 0
    is "$1: $2 rows" "$(tsv_rows)" "$2"
    if [ $# -ge 4 ]; then is "$1: $3 sums to $4" "$(tsv_sum "$3")" "$4"; fi
}
pin national_areas 2 '面积(平方公里)' 955.7575           # text says 749.3: kept as printed
pin exploration_areas 13 '面积(平方公里)' 3548.4861      # 第五章第三节
pin exploration_areas 13 '已设矿权数量(个)' 48.0000
pin exploration_areas 13 '拟设矿权数量(个)' 13.0000
pin mining_areas 2 '面积(平方公里)' 284.1107             # 第六章第三节
pin mining_areas 2 '已设采矿权数量(个)' 11.0000
pin min_scales 26
pin sand_areas 21 '面积(平方公里)' 13.9516
pin sand_areas 21 '拟设采矿权(个)' 21.0000
pin exploration_permits 10 '登记面积(平方公里)' 46.8200
pin mining_permits 10 '登记面积(平方公里)' 9.6069
pin indicators 15
pin quotas 9 '开采控制量' 539.0260                        # 0.026 + 31 + 450 + 58
pin block_summary 8 '区块数量(个)' 51.0000               # 第五章第四节: 51 blocks
pin block_summary 8 '区块面积(平方公里)' 146.6364
pin districts 7
pin exploration_blocks 0
pin mining_blocks 0
pin deposits 0
pin reserves 0

# --where, per county quotas, per district permits (第八章)
run_minreg show quotas --where mineral=铁矿 --format tsv
is "iron quotas per county sum to 0.026 (专栏一 says 0.02)" "$(tsv_sum '开采控制量')" 0.0260
for d in 元宝区:1 振兴区:3 振安区:6; do
    run_minreg show exploration_permits --where district="${d%:*}" --format tsv
    is "exploration permits in ${d%:*}: ${d#*:}" "$(tsv_rows)" "${d#*:}"
done
run_minreg show mining_permits --where 所在行政区=振安区 --format tsv
is "--where takes a Chinese label: 9 mining permits in 振安区" "$(tsv_rows)" 9
run_minreg show exploration_areas --where minerals=硼矿 --format tsv
is "--where on a multi-valued column matches an item" "$(tsv_rows)" 5
run_minreg show exploration_areas --where minerals=钽矿 --format tsv
is "... including a middle item of 铌矿;钽矿;稀土矿" "$(tsv_rows)" 1

# names of registers
for name in a2 A2 附表2 '附表 2' 矿产资源重点勘查区表 辽宁省丹东市矿产资源重点勘查区表; do
    run_minreg show "$name" --format tsv
    is "register named '$name'" "$(tsv_rows)" 13
done
run_minreg show 专栏一 --format tsv
is "专栏一 names the indicators" "$(tsv_rows)" 15

# text output, aligned by display width
run_minreg show exploration_areas
matches_file "text table of 附表2 aligned for CJK" show_a2.txt
run_minreg show min_scales --columns 序号,矿种名称,开采规模单位,大型,中型,小型,small_rule --limit 18
matches_file "专栏六 with × stored as 禁止新建" show_a6.txt
run_minreg show national_areas --format csv
matches_file "CSV output" show_a1.csv
run_minreg show national_areas --format json
matches_file "JSON output" show_a1.json
run_minreg show sand_areas --sort area_km2 --desc --limit 3 --columns code,area_km2 --format tsv
is "--sort --desc --limit" "$(tail -n +2 "$T/out" | cut -f1 | tr '\n' ' ')" "CS21060000015 CS21060000018 CS21060000005 "
run_minreg show exploration_areas --limit 0 --format tsv
is "--limit 0 prints the header only" "$(tsv_rows)" 0

# errors
run_minreg show nosuch
is "unknown register exits 1" "$rc" 1
is "... and lists the registers" "$(grep -c 'exploration_areas' "$T/err")" 1
run_minreg show exploration_areas --where bogus=1
is "unknown column exits 2" "$rc" 2
run_minreg show exploration_areas --format xml
is "unknown format exits 2" "$rc" 2
run_minreg show
is "missing TABLE exits 2" "$rc" 2
run_minreg show exploration_areas --limit x
is "bad --limit exits 2" "$rc" 2
done_testing
