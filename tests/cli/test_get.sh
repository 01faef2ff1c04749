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
done_testing
