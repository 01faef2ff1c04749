#!/bin/sh
# CLI: lists aligned by display width, and --ascii writing ASCII marks only.
. "$srcdir/tests/lib.sh"

# get m 金矿: the exploration permits that list gold, keys 1 .. 10: each
# label starts in the same column (keys right-aligned, as numbers are)
run_minreg get m 金矿
is "get: exit 0" "$rc" 0
cols=$(awk '/^  Exploration permits/ { on = 1; next } /^  [^ ]/ { on = 0 } on' "$T/out" |
    awk '{ match($0, /[^ 0-9]/); print RSTART }' | sort -u | tr '\n' ' ')
is "get: the referencing rows' labels start in one column" "$cols" "9 "
is "get: 9 and 10 right-aligned" "$(grep -c '^     9  \|^    10  ' "$T/out")" 2

# --ascii: no → ↳ — … · anywhere in the text output, the data itself kept
run_minreg --ascii get a11 3
is "--ascii get: exit 0" "$rc" 0
if LC_ALL=C grep -q '[^ -~]' "$T/out" && grep -q '→\|↳\|—\|…\|·' "$T/out"; then
    not_ok "--ascii get: ASCII marks only"; grep '→\|↳\|—\|…\|·' "$T/out" | sed 's/^/#   /'
else ok "--ascii get: ASCII marks only"; fi
grep -q '开采矿种 -> Minerals: 金矿' "$T/out"; is "--ascii get: -> for a link" "$?" 0
grep -q '^      `- Minimum mining scales: 金矿' "$T/out"; is "--ascii get: \`- for a link's link" "$?" 0
run_minreg --ascii show a2 --where 编号=KZ21060000003 --columns 名称 --format csv
is "--ascii: data in csv kept as it is (—)" "$(tail -1 "$T/out")" "辽宁宽甸县错草湾子—大石湖(国家级)"
run_minreg --ascii show a2 --where 编号=KZ21060000003 --columns 名称 --format tsv
is "--ascii: data in tsv kept as it is (—)" "$(tail -1 "$T/out")" "辽宁宽甸县错草湾子—大石湖(国家级)"
run_minreg --ascii --lang zh report summary
is "--ascii report: exit 0" "$rc" 0
if grep -q '→\|↳\|—\|…' "$T/out"; then
    not_ok "--ascii report: ASCII marks only (the table's cells)"; grep -n '→\|↳\|—\|…' "$T/out" | head -5 | sed 's/^/#   /'
else ok "--ascii report: ASCII marks only (the table's cells)"; fi

echo "1..$n"
