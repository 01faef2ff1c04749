#!/bin/sh
# CLI: report summary — counts and areas per register, by district and by
# mineral, and 专栏一 beside the register's figures.
. "$srcdir/tests/lib.sh"

run_minreg report summary
is "report summary: exit 0" "$rc" 0
matches_file "text summary pinned" report_summary.txt
run_minreg --lang zh report summary
matches_file "Chinese summary pinned (aligned by display width)" report_summary_zh.txt
run_minreg report summary --format csv
matches_file "CSV summary pinned" report_summary.csv

# CSV for Excel: a byte order mark, CRLF line ends, quoting by RFC 4180
is "CSV starts with a UTF-8 byte order mark" "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" efbbbf
is "every CSV line ends in CRLF" "$(grep -c "$(printf '\r')\$" "$T/out")" "$(wc -l <"$T/out")"
tr -d '\r' <"$T/out" | sed '1s/^\xef\xbb\xbf//' >"$T/plain.csv"

# row ROW_PREFIX: the CSV line starting with it, fields after the prefix
row() { grep "^$1," "$T/plain.csv" | head -1 | cut -d, -f"$2"; }
is "registers: national areas 2 rows, 955.7575 km² against the stated 749.3" \
    "$(row "附表1,National planned mining areas" 3,5,6)" "2,955.7575,749.3"
is "registers: 10 mining permits of the 330 stated" "$(row '附表11,Mining permits at the base period' 3,4)" "10,330"
is "registers: the id last, for the command line" "$(row '附表11,Mining permits at the base period' 8)" "mining_permits"
# the groups name their register by its title, as a person reads it (#20)
is "by district: national areas in 凤城市 (both list it)" "$(row "National planned mining areas,凤城市" 3,4)" "2,955.7575"
is "by district: 宽甸县 counted from the list 凤城市;宽甸县" "$(row "National planned mining areas,宽甸县" 3,4)" "1,358.8516"
is "by district: the register's total counts each area once" "$(row "National planned mining areas,Total" 3,4)" "2,955.7575"
is "by district: sand areas in 凤城市" "$(row "Sand and gravel concentrated mining areas,凤城市" 3,4)" "10,8.3394"
is "by district: mining areas have no district" "$(row 'Key mining areas,(not given)' 3,4)" "2,284.1107"
is "by mineral: 5 boron key exploration areas" "$(row "Key exploration areas,硼矿" 3,4)" "5,2009.4894"
is "by mineral: 钽矿, the middle item of 铌矿;钽矿;稀土矿" "$(row "Key exploration areas,钽矿" 3,4)" "1,421.9491"
is "by mineral: the key exploration areas' total is 13, 3548.4861" "$(row "Key exploration areas,Total" 3,4)" "13,3548.4861"
# indicators' units hold commas (quoted): match whole lines
has() { grep -q "^$2" "$T/plain.csv"; is "$1" "$?" 0; }
has "专栏一: iron 0.02 beside the county quotas' 0.026" '11,铁矿年开采总量,"矿石, 亿吨(62%)",0.02,预期性,0.026,'
has "专栏一: magnesite 31 (约束性) beside 31" '12,菱镁矿年开采总量,"矿石, 万吨",31,约束性,31,'
has "专栏一: 320 mines beside the stated base-period 330" '10,矿山数量,个,320,预期性,330,'
has "专栏一: 12% beside the base-period 10.3%" '15,大中型矿山比例,%,12,预期性,10.3,'
has "专栏一: new reserves have no register figure" '2,新增硼矿产资源储量,"B₂O₃, 万吨",6,预期性,—,' 
grep -q 'A row listing several districts' "$T/out"
is "the CSV has no footnote (it would be read as data)" "$?" 1

# the register's own figures once it holds them
cp "$T/reg.db" "$T/c.db"
sqlite3 "$T/c.db" "UPDATE minreg_totals SET value = 10 WHERE tbl = 'mining_permits' AND measure = 'count' AND where_col = '';
    UPDATE mining_permits SET size_class = CASE WHEN id <= 3 THEN '中型' ELSE '小型' END, status = '生产';
    UPDATE mining_permits SET status = '关闭' WHERE id = 10;
    INSERT INTO mining_permits (id, mine_name, minerals, scale, scale_unit, area_km2, district)
    VALUES (11, '菱镁矿山', '菱镁矿', 22, '矿石, 万吨/年', 0.3, '宽甸县')"
"$MINREG" -f "$T/c.db" report summary --format csv | tr -d '\r' >"$T/plain.csv"
has "a complete register: 10 mines not closed (of 11 rows)" '10,矿山数量,个,320,预期性,10,'
has "... the share among mines with a size class: 3 of 9" '15,大中型矿山比例,%,12,预期性,33.3,' 
grep -q '^12,.*licensed production: 22 (mining permits: 1)' "$T/plain.csv"
is "a magnesite mine's licensed production beside its quota" "$?" 0

# an empty register
"$MINREG" init --empty "$T/empty.db" >/dev/null 2>&1
"$MINREG" -f "$T/empty.db" report summary >"$T/out" 2>"$T/err"
is "an empty register: exit 0" "$?" 0
is "... no groups to list" "$(grep -c 'Total  *[0-9]' "$T/out")" 0

# usage
run_minreg report
is "report without a name: exit 2" "$rc" 2
run_minreg report nosuch
is "unknown report: exit 2" "$rc" 2
run_minreg report summary --format json
is "report --format json: exit 2" "$rc" 2

# "Stated" only for what the plan's text states (#20): not a table's own rows
run_minreg report summary --format csv
is "min_scales: 26 rows, none stated (专栏六 only lists them)" "$(grep '^附表6,' "$T/out" | cut -d, -f3,4)" "26,"
is "sand_areas: nothing stated for the whole register" "$(grep '^附表7,' "$T/out" | cut -d, -f4)" ""
is "indicators: 15 rows, none stated" "$(grep '^专栏一,' "$T/out" | cut -d, -f3,4)" "15,"
is "mining_permits: 330 stated, in 第一章第一节" "$(grep '^附表11,' "$T/out" | cut -d, -f4,7)" "330,第一章第一节"
is "national_areas: 749.3 stated in 第四章第三节" "$(grep '^附表1,' "$T/out" | cut -d, -f6,7)" "749.3,第四章第三节"
run_minreg --lang zh report summary
is "in Chinese: the clause column" "$(sed -n 3p "$T/out" | grep -c '所述条款')" 1
done_testing
