#!/bin/sh
# CLI: export — RFC 4180, numbers as stored, options, and export -> import ->
# export giving the same bytes for every register.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
FX=$srcdir/tests/fixtures

run_minreg export a2
is "export exits 0" "$rc" 0
"$MINREG" show a2 --format csv >"$T/show.csv"
cut -d, -f1-4,6- "$T/out" >"$T/out.rest"
cut -d, -f1-4,6- "$T/show.csv" >"$T/show.rest"
cmp -s "$T/out.rest" "$T/show.rest"
is "the same bytes as show --format csv but for the area (labels with units, values as stored)" "$?" 0
is "457.2456 leaves as 457.2456" "$(sed -n 2p "$T/out" | cut -d, -f5)" "457.2456"
is "199.879 leaves as the plan prints it, 199.8790 (the schema's scale)" "$(sed -n 5p "$T/out" | cut -d, -f5)" "199.8790"
is "... where show --format csv keeps it as stored" "$(sed -n 5p "$T/show.csv" | cut -d, -f5)" "199.879"
run_minreg export a2 --where 所在行政区=宽甸县 --columns code,area_km2 --header ids
is "--where, --columns, --header ids; 89.46 leaves as 89.4600" "$(head -2 "$T/out" | tr '\n' ' ')" "code,area_km2 KZ21060000010,89.4600 "
run_minreg export a2 --columns 编号 --sort 面积 --desc
is "--sort COL --desc" "$(sed -n 2p "$T/out")" "KZ21060000008"
run_minreg export quotas --where mineral=铁矿 --columns 矿产名称,开采控制量
is "0.009 stays 0.009" "$(tail -1 "$T/out")" "铁矿,0.017"
is "... and 0.017" "$(sed -n 2p "$T/out")" "铁矿,0.009"

# quoting, delimiter, CRLF, BOM, GB18030
run_minreg export sand_areas --columns code,scale_unit
is "RFC 4180: a comma in a value is quoted" "$(sed -n 2p "$T/out")" 'CS21060000001,"矿石,万立方米/年"'
run_minreg export a1 --delimiter ';' --columns code,minerals
is "--delimiter ';' quotes values holding ';'" "$(sed -n 2p "$T/out")" 'GK21060000001;"金矿;锌矿"'
run_minreg export a1 --delimiter tab --columns code,name
is "--delimiter tab" "$(sed -n 2p "$T/out")" "$(printf 'GK21060000001\t辽宁凤城白云-青城子')"
run_minreg export a1 --crlf --bom
is "--bom: a UTF-8 byte order mark first" "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" "efbbbf"
is "--crlf: every line ends CR LF" "$(grep -c "$(printf '\r')\$" "$T/out")" 3
"$MINREG" export a1 >"$T/utf8.csv"
run_minreg export a1 --encoding gb18030
iconv -f UTF-8 -t GB18030 "$T/utf8.csv" >"$T/want.csv"
cmp -s "$T/out" "$T/want.csv"
is "--encoding gb18030: what iconv makes of the UTF-8 export" "$?" 0
run_minreg export a1 --bom --encoding gb18030
is "--bom is for UTF-8 (exit 2)" "$rc" 2
run_minreg export a1 --encoding utf-16
is "export encodings: utf-8 or gb18030" "$rc" 2
run_minreg export a1 --where nosuch=1
is "an unknown column is a usage error" "$rc" 2

# -o FILE: written whole or not at all
run_minreg export a2 -o "$T/a2.csv"
is "-o FILE says how many rows" "$(cat "$T/out")" "13 rows written to $T/a2.csv"
is "... and writes them" "$(wc -l <"$T/a2.csv" | tr -d ' ')" 14
cp "$T/a2.csv" "$T/keep.csv"
run_minreg export a2 -o "$T/a2.csv" --sort nosuch
is "a failed export leaves the old file alone" "$(cmp -s "$T/a2.csv" "$T/keep.csv" && echo same)" same
run_minreg export a2 -o "$T/no/dir/a2.csv"
is "a folder that does not exist: exit 5" "$rc" 5
is "... and no temporary file left" "$(ls "$T" | grep -c tmp)" 0

# ---- every register: export -> import -> export gives the same bytes ----
# fill the registers the plan leaves empty, with awkward values
"$MINREG" import exploration_blocks "$FX/import/blocks.csv" >/dev/null &&
"$MINREG" import mining_blocks "$FX/import/mining_blocks.csv" >/dev/null &&
"$MINREG" import deposits "$FX/import/deposits.csv" >/dev/null &&
"$MINREG" import reserves "$FX/import/reserves.csv" >/dev/null
is "the four empty registers get rows" "$?" 0
"$MINREG" set a11 4 remark="$(printf 'tab\there, "quoted", comma\nnew line')" elev_top=-12.5 elev_bottom=-300 >/dev/null
# in link order: a register comes after those it links to
REGS="districts minerals block_summary national_areas exploration_areas mining_areas sand_areas
      exploration_blocks mining_blocks min_scales deposits reserves exploration_permits
      mining_permits indicators quotas"
for r in $REGS; do
    "$MINREG" export "$r" >"$T/$r.1.csv"
    nrows=$(tail -n +2 "$T/$r.1.csv" | wc -l)
    "$MINREG" import "$r" "$T/$r.1.csv" --replace >"$T/out" 2>"$T/err"
    st=$?
    "$MINREG" export "$r" >"$T/$r.2.csv"
    if [ $st -eq 0 ] && [ "$nrows" -gt 0 ] && cmp -s "$T/$r.1.csv" "$T/$r.2.csv"; then
        ok "$r: export, import --replace, export: same bytes"
    else
        not_ok "$r: export, import --replace, export: same bytes"; sed 's/^/#   /' "$T/err" | head -5
        diff "$T/$r.1.csv" "$T/$r.2.csv" | head -5 | sed 's/^/#   /'
    fi
done
# ... and into a new, empty register (in link order), through GB18030 and
# through tab/CRLF/BOM files
"$MINREG" init "$T/copy.db" --empty
"$MINREG" init "$T/copy2.db" --empty
for r in $REGS; do
    "$MINREG" export "$r" --encoding gb18030 -o "$T/$r.gb.csv" >/dev/null
    "$MINREG" export "$r" --delimiter tab --crlf --bom --header ids -o "$T/$r.tab.txt" >/dev/null
    "$MINREG" -f "$T/copy.db" import "$r" "$T/$r.gb.csv" >"$T/out" 2>"$T/err"
    st=$?
    "$MINREG" -f "$T/copy2.db" import "$r" "$T/$r.tab.txt" >>"$T/out" 2>>"$T/err"
    st=$((st + $?))
    "$MINREG" -f "$T/copy.db" export "$r" >"$T/$r.3.csv"
    "$MINREG" -f "$T/copy2.db" export "$r" >"$T/$r.4.csv"
    if [ $st -eq 0 ] && cmp -s "$T/$r.1.csv" "$T/$r.3.csv" && cmp -s "$T/$r.1.csv" "$T/$r.4.csv"; then
        ok "$r: into an empty register via GB18030 and via tab/CRLF/BOM: same bytes"
    else
        not_ok "$r: into an empty register: same bytes"; sed 's/^/#   /' "$T/err" | head -5
    fi
done
is "integrity_check of the copy" "$(sqlite3 "$T/copy.db" 'PRAGMA integrity_check')" ok

# ---- to a terminal: control characters escaped, never raw ----
if command -v script >/dev/null 2>&1; then
    "$MINREG" set a11 4 remark="$(printf 'bell\007 esc\033[31m')" >/dev/null
    script -qec "'$MINREG' export a11 --where id=4 --columns remark" "$T/log" >/dev/null 2>&1
    grep -q 'bell\\x07 esc\\e\[31m' "$T/log"
    is "on a terminal: controls are shown escaped" "$?" 0
    is "... never raw" "$(grep -c "$(printf '\033\\[31m')" "$T/log")" 0
    "$MINREG" export a11 --where id=4 --columns remark >"$T/raw.csv"
    grep -q "$(printf '\007')" "$T/raw.csv"
    is "into a file: the data exactly" "$?" 0
else
    ok "# SKIP script(1) not available"
fi
done_testing
