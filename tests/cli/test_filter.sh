#!/bin/sh
# CLI: the filter syntax of --where (show, export, freq) — every form, its
# errors — and `minreg freq`.  Three permits get a number, expiry dates and a
# second mineral first; the others keep empty cells.
. "$srcdir/tests/lib.sh"

"$MINREG" set a11 1 permit_no=C2106002010077120000001 valid_to=2023-06-30 >/dev/null &&
"$MINREG" set a11 2 valid_to=2024-01-01 status=生产 >/dev/null &&
"$MINREG" set a11 3 valid_to=2021-12-31 minerals='金矿;银矿' >/dev/null
is "set up: three permits changed" "$?" 0

# keys WHERE...: the 序号 of the rows show keeps, in order, on one line
keys() {
    args=""
    run_minreg show a11 --format tsv --columns 序号 "$@"
    [ "$rc" = 0 ] || { echo "exit $rc: $(cat "$T/err")"; return; }
    tail -n +2 "$T/out" | tr '\n' ' ' | sed 's/ $//'
}

is "COL= : empty cells"                 "$(keys --where '采矿许可证号=')" "2 3 4 5 6 7 8 9 10"
is "COL!= : not empty"                  "$(keys --where '采矿许可证号!=')" "1"
is "COL!= by id"                        "$(keys --where 'permit_no!=')" "1"
is "COL<DATE: a year, before its first day" "$(keys --where '有效期止<2024')" "1 3"
is "COL<=DATE: up to a year's last day" "$(keys --where '有效期止<=2024')" "1 2 3"
is "COL>DATE"                           "$(keys --where '有效期止>2023-06-30')" "2"
is "COL>=DATE (a month)"                "$(keys --where '有效期止>=2023-06')" "1 2"
is "a range of dates"                   "$(keys --where '有效期止=2020-01-01..2023-12-31')" "1 3"
is "= a year"                           "$(keys --where '有效期止=2024')" "2"
is "a date the Excel way"               "$(keys --where '有效期止=2023/6/30')" "1"
is "numbers as numbers: > "             "$(keys --where '登记面积>1')" "2 3"
is "numbers: <= "                       "$(keys --where '登记面积<=0.0458')" "7 8 10"
is "a range of numbers"                 "$(keys --where '面积=0.1..0.5' 2>/dev/null || true)" \
    "exit 2: minreg: filter '面积=0.1..0.5': mining_permits has no column '面积' (columns: 序号, 采矿许可证号, 采矿权人, 矿山名称, 开采矿种, 开采方式, 生产规模, 规模单位, 矿山规模, 登记面积, 开采标高上限, 开采标高下限, 有效期起, 有效期止, 生产状态, 发证机关, 开采规划区块, 所在重点开采区, 所在行政区, 备注, 统一社会信用代码, 经济类型, 出让方式, 登记类型, 发证机关名称, 发证日期, 首次发证日期, 首次登记面积, 服务年限)"
is "a range of numbers (its label)"     "$(keys --where '登记面积=0.1..0.5')" "4 6 9"
is "by the English label, blanks around" "$(keys --where 'Area >= 1')" "2 3"
is "COL=VALUE as before"                "$(keys --where '生产状态=生产')" "2"
is "COL!=VALUE: the others, empty too"  "$(keys --where '生产状态!=生产')" "1 3 4 5 6 7 8 9 10"
is "a list column: = lists it"          "$(keys --where '开采矿种=银矿')" "3"
is "! in front of any filter"           "$(keys --where '!有效期止<2024')" "2 4 5 6 7 8 9 10"
is "!REGEX over every column, as less"  "$(keys --where '!金')" "5 6 7 8 9 10"
is "COL:REGEX as today"                 "$(keys --where '矿山名称:金帝|鑫利')" "1 6"
is "!COL:REGEX"                         "$(keys --where '!所在行政区:振安')" "1"
is "REGEX alone"                        "$(keys --where '元宝')" "1"
is "filters combine"                    "$(keys --where '有效期止!=' --where '登记面积>1')" "2 3"
is "with --grep"                        "$(keys --where '有效期止!=' --grep '银')" "3"
is "sort: empty last ascending"         "$(keys --where '序号<=4' --sort 有效期止)" "3 1 2 4"
is "sort: empty last descending"        "$(keys --where '序号<=4' --sort 有效期止 --desc)" "2 1 3 4"

# errors: exit 2, which filter, which part, why
bad() {   # DESC FILTER WANT_MESSAGE
    run_minreg show a11 --where "$2"
    is "$1: exit 2" "$rc" 2
    is "$1: says why" "$(cat "$T/err")" "minreg: $3"
}
bad "not a number"   '登记面积>abc'     "filter '登记面积>abc': 登记面积: 'abc' is not a number"
bad "not a date"     '有效期止<2024-13' "filter '有效期止<2024-13': 有效期止: '2024-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
bad "no value"       '登记面积>='       "filter '登记面积>=': '>=' wants a value after it"
bad "half a range"   '登记面积=..5'     "filter '登记面积=..5': a range wants FROM..TO (both ends), not '..5'"
bad "range backwards" '有效期止=2024..2020' "filter '有效期止=2024..2020': the range 2024..2020 is empty: its start is after its end"
bad "a lone !"       '生产状态!生产'    "filter '生产状态!生产': '!' after a column wants '=' (COL!=VALUE), or goes in front (!COL=VALUE)"
bad "nothing"        '!'                "filter '!': nothing to filter by"
run_minreg show a11 --where '矿山名称:('
is "a bad pattern: exit 2" "$rc" 2
case $(cat "$T/err") in "minreg: filter '矿山名称:(': "*offset*) ok "a bad pattern: PCRE2's message and offset" ;;
    *) not_ok "a bad pattern: PCRE2's message and offset"; sed 's/^/#   /' "$T/err" ;; esac
MINREG_LANG=zh run_minreg show a11 --where '登记面积>abc'
is "in Chinese too" "$(cat "$T/err")" "minreg: 筛选条件 '登记面积>abc'：登记面积：'abc' 不是数字"

# export takes the same filters
run_minreg export a11 --columns 序号 --where '有效期止<2024'
is "export --where: exit 0" "$rc" 0
is "export --where: the rows" "$(tail -n +2 "$T/out" | tr -d '\r' | tr '\n' ' ')" "1 3 "

# ---- freq ----
run_minreg freq a11 开采矿种
is "freq: exit 0" "$rc" 0
matches_file "freq: minerals, each item of a list counted, area summed" freq_minerals.txt
run_minreg freq a11 生产状态 --format csv
is "freq csv: empty as '', most rows first" "$(cat "$T/out")" "生产状态,Rows,Share,登记面积(平方公里)
,9,90.0,8.3203
生产,1,10.0,1.2866"
run_minreg freq a11 所在行政区 --where '登记面积>1' --format json
is "freq json with --where" "$(cat "$T/out")" '[
 {"value":"振安区", "rows":2, "share":100.0, "area":7.7856}
]'
run_minreg freq a11 采矿许可证号 --format tsv
is "freq tsv: (empty) counted" "$(cat "$T/out")" "采矿许可证号	Rows	Share	登记面积(平方公里)
	9	90.0	8.6154
C2106002010077120000001	1	10.0	0.9915"
MINREG_LANG=zh run_minreg freq m 矿产类别
is "freq: a register without an area column: exit 0" "$rc" 0
is "... no area column" "$(head -1 "$T/out" | sed 's/  */ /g')" "矿产类别 行数 占比"
run_minreg freq a11 nosuch
is "freq: unknown column: exit 2" "$rc" 2
is "... says so" "$(cat "$T/err")" "minreg: mining_permits has no column 'nosuch'"
run_minreg freq a11
is "freq: no column: usage, exit 2" "$rc" 2

echo "1..$n"
