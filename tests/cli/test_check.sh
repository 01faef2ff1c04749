#!/bin/sh
# CLI: check — the plan's rules over the register.  The bundled data's
# findings are pinned; then every rule gets a row that breaks it and one
# that does not, in a copy of the register changed with sqlite3.
. "$srcdir/tests/lib.sh"

TODAY=2026-01-01

# ---- the bundled register ---------------------------------------------------
run_minreg check --today $TODAY
is "bundled data: exit 1 (the plan's figures disagree)" "$rc" 1
matches_file "bundled data: findings pinned" check_bundled.txt
grep -q 'R-TOTAL-SUM .*national_areas .*955.7575 平方公里, the plan states 749.3' "$T/out"
is "national areas sum to 955.7575, the text says 749.3" "$?" 0
grep -q 'R-QUOTA-INDICATOR .*indicators .* 11 .*铁矿 add up to 0.026 .*states 0.02' "$T/out"
is "iron quotas add up to 0.026, 专栏一 says 0.02" "$?" 0
run_minreg --lang zh check --today $TODAY
matches_file "bundled data in Chinese" check_bundled_zh.txt
run_minreg check --today $TODAY --format csv
matches_file "bundled data as CSV" check_bundled.csv
run_minreg check --today $TODAY --format json
matches_file "bundled data as JSON" check_bundled.json
if command -v python3 >/dev/null 2>&1; then
    python3 -m json.tool "$T/out" >/dev/null 2>&1
    is "the JSON parses" "$?" 0
else
    ok "# SKIP python3 not available to parse the JSON"
fi

# registers named on the command line: only their findings
run_minreg check national_areas --today $TODAY
is "check national_areas: exit 1" "$rc" 1
is "... one finding" "$(grep -c '^error\|^warning' "$T/out")" 1
run_minreg check 附表7 --today $TODAY
is "check 附表7 (sand areas): exit 0" "$rc" 0
is "... says so" "$(cat "$T/out")" "No problems found."
run_minreg check quotas --today $TODAY --format csv
is "check quotas: the quota finding about 专栏一 is kept" "$(grep -c ',R-QUOTA-INDICATOR,' "$T/out")" 1
is "... but not the other registers' findings" "$(tail -n +2 "$T/out" | grep -vc ',R-QUOTA-')" 0

# the rule table
run_minreg check --rules
is "--rules: exit 0" "$rc" 0
is "--rules lists 38 rules" "$(grep -c '^R-' "$T/out")" 38
matches_file "--rules pinned" check_rules.txt
run_minreg check --rules --format csv
is "--rules --format csv: header and 38 rules" "$(wc -l <"$T/out")" 39

# usage errors
run_minreg check --today 2026-02-30
is "--today with an impossible date: exit 2" "$rc" 2
run_minreg check --format tsv
is "--format tsv: exit 2" "$rc" 2
run_minreg check nosuch
is "unknown register: exit 1" "$rc" 1
is "... named in the message" "$(grep -c "no register 'nosuch'" "$T/err")" 1

# ---- every rule: a row that breaks it and one that does not --------------------
# fresh: a new copy of the register; sql: change it; hits RULE [KEY] [TABLE...]:
# how many findings of RULE (for the row KEY when not "-") check prints.
fresh() { cp "$builddir/data/register.db" "$T/c.db"; }
sql() {   # a change that does not apply would make a "kept" test pass for nothing
    sqlite3 "$T/c.db" "$1" 2>"$T/sqlerr" || { not_ok "sqlite3: $1"; sed 's/^/#   /' "$T/sqlerr"; }
}
hits() {
    rule=$1 key=${2:--}
    shift; [ $# -gt 0 ] && shift
    "$MINREG" -f "$T/c.db" check --today $TODAY --format csv "$@" >"$T/out" 2>"$T/err"
    rc=$?
    awk -F, -v r="$rule" -v k="$key" '$2 == r && (k == "-" || $5 == k) { n++ } END { print n + 0 }' "$T/out"
}
breaks() { is "$1 broken: $3" "$(hits "$1" "$2")" "${4:-1}"; }
passes() { is "$1 kept: $3" "$(hits "$1" "$2")" 0; }
permit() {   # permit ID MINERALS METHOD SCALE UNIT CLASS [NAME] [VALID_FROM] [DISTRICT] [STATUS]
    sql "INSERT INTO mining_permits (id, mine_name, minerals, method, scale, scale_unit, size_class,
         area_km2, valid_from, district, status)
         VALUES ($1, '${7:-测试矿山}', '$2', NULLIF('$3',''), NULLIF('$4',''), NULLIF('$5',''),
                 NULLIF('$6',''), 0.5, NULLIF('${8:-}',''), NULLIF('${9:-}',''), NULLIF('${10:-}',''))"
}

# R-REQUIRED
fresh; sql "UPDATE exploration_areas SET name = '' WHERE code = 'KZ21060000001'"
breaks R-REQUIRED KZ21060000001 "a key exploration area without a name"
fresh; sql "UPDATE exploration_areas SET name = '甲' WHERE code = 'KZ21060000001'"
passes R-REQUIRED KZ21060000001 "a one-character name"

# R-VALUE
fresh; sql "UPDATE mining_permits SET size_class = '巨型' WHERE id = 1"
breaks R-VALUE 1 "a mine size that is not 大型|中型|小型"
fresh; sql "UPDATE mining_permits SET size_class = '小型' WHERE id = 1"
passes R-VALUE 1 "小型"
fresh; sql "UPDATE exploration_permits SET valid_from = '2021-13-01' WHERE id = 2"
breaks R-VALUE 2 "a date with month 13"

# R-FORMAT: codes and permit numbers
fresh; sql "UPDATE national_areas SET code = 'GK2106000001' WHERE seq = 1"
breaks R-FORMAT GK2106000001 "a national area code one digit short"
fresh; sql "UPDATE national_areas SET code = 'GK21060000099' WHERE seq = 1"
passes R-FORMAT GK21060000099 "two letters and 11 digits"
fresh; sql "UPDATE exploration_permits SET permit_no = 'T2112345' WHERE id = 3"
breaks R-FORMAT 3 "an exploration permit number of 8 characters"
fresh; sql "UPDATE exploration_permits SET permit_no = 'T44120090302026433' WHERE id = 3"
passes R-FORMAT 3 "the old 18-character form"
fresh; sql "UPDATE mining_permits SET permit_no = 'C2106002020017120000001' WHERE id = 4"
passes R-FORMAT 4 "a 23-character mining permit number"

# R-AREA-POS
fresh; sql "UPDATE sand_areas SET area_km2 = 0 WHERE seq = 6"
breaks R-AREA-POS CS21060000006 "an area of 0"
fresh; sql "UPDATE sand_areas SET area_km2 = 0.0001 WHERE seq = 6"
passes R-AREA-POS CS21060000006 "an area of 0.0001"

# R-RANGE
fresh; sql "UPDATE exploration_areas SET permits_planned = -1 WHERE seq = 3"
breaks R-RANGE KZ21060000003 "-1 planned permits"
fresh; sql "UPDATE exploration_areas SET permits_planned = 0 WHERE seq = 3"
passes R-RANGE KZ21060000003 "0 planned permits"

# R-LINK
fresh; sql "UPDATE exploration_areas SET minerals = '金矿;紫金' WHERE seq = 2"
breaks R-LINK KZ21060000002 "a mineral not in the dictionary"
fresh; sql "UPDATE exploration_areas SET minerals = '金矿;铜矿' WHERE seq = 2"
passes R-LINK KZ21060000002 "two known minerals"

# R-ORDER
fresh; sql "UPDATE exploration_permits SET valid_from = '2021-05-01', valid_to = '2020-05-01' WHERE id = 5"
breaks R-ORDER 5 "valid to before valid from"
fresh; sql "UPDATE exploration_permits SET valid_from = '2021-05-01', valid_to = '2021-05-01' WHERE id = 5"
passes R-ORDER 5 "valid for one day"

# R-TOTAL-ROWS: fewer rows than stated, or a stated sum with no rows
fresh; sql "DELETE FROM sand_areas WHERE seq = 21"
is "R-TOTAL-ROWS broken: 20 of the 21 sand areas of 专栏八" "$(hits R-TOTAL-ROWS - sand_areas)" 1
grep -q "the plan's table lists 21 个, the register holds 20" "$T/out"
is "... says how many are missing, and that the plan's table lists them (not its text)" "$?" 0
fresh; sql "DELETE FROM quotas WHERE mineral = '硼矿'"
is "R-TOTAL-ROWS broken: no 硼矿 quotas while the plan states their total" \
    "$(hits R-TOTAL-ROWS - quotas)" 1
fresh
is "R-TOTAL-ROWS kept: all 21 sand areas" "$(hits R-TOTAL-ROWS - sand_areas)" 0

# R-TOTAL-COUNT
fresh; sql "INSERT INTO sand_areas (seq, code, name, area_km2, minerals) VALUES (22, 'CS21060000022', '测试区', 0.5, '建筑用花岗岩')"
is "R-TOTAL-COUNT broken: a 22nd sand area" "$(hits R-TOTAL-COUNT - sand_areas)" 1
fresh
is "R-TOTAL-COUNT kept: 21 sand areas" "$(hits R-TOTAL-COUNT - sand_areas)" 0

# R-TOTAL-SUM: compared only over complete rows
fresh; sql "UPDATE national_areas SET area_km2 = 152.3941 WHERE seq = 2"
passes R-TOTAL-SUM - "national areas adding up to the stated 749.3"
fresh; sql "UPDATE quotas SET amount = 200 WHERE mineral = '硼矿' AND district = '宽甸县'"
is "R-TOTAL-SUM broken: 硼矿 quotas adding up to 463, not 450" "$(hits R-TOTAL-SUM - quotas)" 1
fresh
is "R-TOTAL-SUM kept: 10 of 330 mining permits are not compared with the stated area" \
    "$(hits R-TOTAL-SUM - mining_permits)" 0

# R-BLOCK-SUMMARY: 51 blocks entered as the summary says, then one moved
blocks="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
  INSERT INTO exploration_blocks (code, name, minerals, category, area_km2)
  SELECT 'B' || b.seq || '-' || n.i, '区块', '金矿', b.category, b.area_km2 / b.block_count
  FROM block_summary b JOIN n ON n.i <= b.block_count"
fresh; sql "$blocks"
is "R-BLOCK-SUMMARY kept: 51 blocks by category as 第五章第四节 states" "$(hits R-BLOCK-SUMMARY)" 0
is "... and R-TOTAL-ROWS no longer says the 51 are missing" \
    "$(grep -c 'the plan states 51 个' "$T/out")" 0
fresh; sql "$blocks"; sql "UPDATE exploration_blocks SET category = '能源矿产' WHERE code = 'B7-1'"
breaks R-BLOCK-SUMMARY - "one block moved from 建材 to 能源" 2
fresh; sql "$blocks"; sql "UPDATE exploration_blocks SET area_km2 = area_km2 + 1 WHERE code = 'B1-1'"
breaks R-BLOCK-SUMMARY 能源矿产 "能源 blocks covering 1 km² more than stated"
fresh; sql "INSERT INTO exploration_blocks (code, name, minerals, category, area_km2) VALUES ('X1', '区块', '地热', '水气矿产', 1)"
is "R-BLOCK-SUMMARY kept: 1 of 2 水气 blocks entered is not yet a contradiction" "$(hits R-BLOCK-SUMMARY)" 0
sql "INSERT INTO exploration_blocks (code, name, minerals, category, area_km2) VALUES ('X2', '区块', '地热', '水气矿产', 1), ('X3', '区块', '地热', '水气矿产', 1)"
breaks R-BLOCK-SUMMARY 水气矿产 "3 水气 blocks where the summary states 2"

# R-AREA-PERMITS: 已设矿权数量 vs permits linked by key_area
fresh
breaks R-AREA-PERMITS KZ21060000007 "专栏三 states 1 permit in KZ…07, none linked"
sql "UPDATE exploration_permits SET key_area = 'KZ21060000007' WHERE id = 1"
passes R-AREA-PERMITS KZ21060000007 "the one permit linked"
sql "UPDATE mining_permits SET key_area = 'CZ21060000001' WHERE id IN (1, 2, 3)"
breaks R-AREA-PERMITS CZ21060000001 "3 of 专栏七's 4 mining permits linked"
sql "UPDATE mining_permits SET key_area = 'CZ21060000001' WHERE id IN (1, 2, 3, 4)"
passes R-AREA-PERMITS CZ21060000001 "all 4 linked"

# R-AREA-PLANNED: no more permits than existing + planned
fresh; sql "UPDATE exploration_permits SET key_area = 'KZ21060000013' WHERE id = 8"
passes R-AREA-PLANNED KZ21060000013 "1 permit where 0 exist and 1 is planned"
sql "UPDATE exploration_permits SET key_area = 'KZ21060000013' WHERE id IN (8, 9)"
breaks R-AREA-PLANNED KZ21060000013 "2 permits where 0 exist and 1 is planned"

# R-QUOTA-INDICATOR: county quotas vs 专栏一
fresh
breaks R-QUOTA-INDICATOR 11 "iron quotas 0.026 vs 0.02"
is "... 硼矿's reserve indicator (B₂O₃) is not taken for its extraction total" \
    "$(hits R-QUOTA-INDICATOR 2)" 0
sql "UPDATE indicators SET value = 0.026 WHERE seq = 11"
passes R-QUOTA-INDICATOR 11 "专栏一 corrected to 0.026"
fresh; sql "UPDATE quotas SET amount = 50 WHERE mineral = '滑石' AND district = '宽甸县'"
breaks R-QUOTA-INDICATOR 14 "滑石 quotas 59 vs 滑石矿年开采总量 58 (linked by indicators.mineral)"

# R-QUOTA-BINDING: 菱镁矿 is 约束性
fresh; sql "UPDATE quotas SET amount = 25 WHERE mineral = '菱镁矿' AND district = '宽甸县'"
breaks R-QUOTA-BINDING 12 "菱镁矿 county quotas 35 above the binding 31"
is "... reported once, as the error, not also as R-QUOTA-INDICATOR" "$(hits R-QUOTA-INDICATOR 12)" 0
fresh; sql "UPDATE quotas SET amount = 20 WHERE mineral = '菱镁矿' AND district = '宽甸县'"
passes R-QUOTA-BINDING 12 "菱镁矿 county quotas 30, within 31"
fresh; permit 101 菱镁矿 地下开采 22 '矿石, 万吨/年' 中型 '' '' 宽甸县
breaks R-QUOTA-BINDING 3 "a 宽甸县 magnesite mine licensed for 22 where the county quota is 21"
fresh; permit 101 菱镁矿 地下开采 20 '矿石, 万吨/年' 中型 '' '' 宽甸县
passes R-QUOTA-BINDING 3 "licensed for 20"
fresh; permit 101 菱镁矿 地下开采 30 '矿石, 万吨/年' 中型 '' '' 宽甸县 关闭
passes R-QUOTA-BINDING 3 "a closed mine licensed for 30"
fresh; permit 101 菱镁矿 地下开采 20 '矿石, 万吨/年' 中型 '' '' 宽甸县
permit 102 菱镁矿 地下开采 12 '矿石, 万吨/年' 中型 '' '' 凤城市
breaks R-QUOTA-BINDING 12 "32 licensed city-wide where 专栏一 binds 31"

# R-MIN-SCALE: 专栏六, with the second rules of its notes
t_scale() {   # WANT DESC permit-args...
    want=$1 desc=$2; shift 2
    fresh; permit 101 "$@"
    if [ "$want" = breaks ]; then breaks R-MIN-SCALE 101 "$desc"; else passes R-MIN-SCALE 101 "$desc"; fi
}
t_scale breaks "underground iron, small, 5 < 10" 铁矿 地下开采 5 '矿石, 万吨/年' 小型
t_scale passes "underground iron, small, 20 >= 10" 铁矿 地下开采 20 '矿石, 万吨/年' 小型
t_scale breaks "open-pit iron, small, 20 < 30 (second rule)" 铁矿 露天开采 20 '矿石, 万吨/年' 小型
t_scale passes "iron with no method, small, 20: the lower minimum (10)" 铁矿 '' 20 '矿石, 万吨/年' 小型
t_scale breaks "open-pit rock gold, medium, 8 < 9" 金矿 露天开采 8 '矿石, 万吨/年' 中型
t_scale passes "underground rock gold, medium, 8 >= 6" 金矿 地下开采 8 '矿石, 万吨/年' 中型
t_scale breaks "cryptocrystalline graphite counted as ore, small, 4 < 5" 石墨 地下开采 4 '矿石, 万吨/年' 小型
t_scale passes "crystalline graphite counted as mineral, small, 0.4 >= 0.3" 石墨 地下开采 0.4 '石墨, 万吨/年' 小型
t_scale breaks "cement limestone, small, 25 < 30" 石灰岩 露天开采 25 '矿石, 万吨/年' 小型 丹东水泥厂石灰岩矿
t_scale passes "other limestone, small, 25 >= 20" 石灰岩 露天开采 25 '矿石, 万吨/年' 小型 丹东石灰岩矿
t_scale breaks "copper with no size class, 2 < the small minimum 3" 铜矿 地下开采 2 '矿石, 万吨/年' ''
t_scale passes "copper in tonnes: 50000 t = 5 万吨 >= 3" 铜矿 地下开采 50000 '矿石, 吨/年' 小型
t_scale breaks "copper in tonnes: 20000 t = 2 万吨 < 3" 铜矿 地下开采 20000 '矿石, 吨/年' 小型
t_scale passes "a mineral 专栏六 does not list (花岗岩)" 花岗岩 露天开采 0.1 '矿石, 万立方米/年' 小型
fresh; sql "INSERT INTO mining_blocks (code, name, minerals, method, scale, scale_unit, size_class, area_km2)
            VALUES ('MB1', '测试区块', '铜矿', '地下开采', 20, '矿石, 万吨/年', '中型', 1)"
breaks R-MIN-SCALE MB1 "a mining block planned at 20 for a medium copper mine (30)"

# R-SCALE-FORBIDDEN: "×" classes, for new mines
fresh; sql "INSERT INTO mining_blocks (code, name, minerals, method, scale, size_class, area_km2)
            VALUES ('MB2', '砂石区块', '建筑用砂石', '露天开采', 30, '小型', 1)"
breaks R-SCALE-FORBIDDEN MB2 "a block for a small sand-and-gravel mine"
fresh; sql "INSERT INTO mining_blocks (code, name, minerals, method, scale, size_class, area_km2)
            VALUES ('MB2', '砂石区块', '建筑用砂石', '露天开采', 30, '中型', 1)"
passes R-SCALE-FORBIDDEN MB2 "a block for a medium one"
fresh; permit 101 金矿 露天开采 5 '矿石, 万吨/年' 小型 '' 2022-03-01
breaks R-SCALE-FORBIDDEN 101 "a small open-pit gold mine granted in 2022"
fresh; permit 101 金矿 露天开采 5 '矿石, 万吨/年' 小型 '' 2019-03-01
passes R-SCALE-FORBIDDEN 101 "one granted before the plan (an existing mine)"
fresh; permit 101 金矿 地下开采 5 '矿石, 万吨/年' 小型 '' 2022-03-01
passes R-SCALE-FORBIDDEN 101 "a small underground gold mine granted in 2022"

# R-SCALE-UNIT
fresh; permit 101 铜矿 地下开采 5 '矿石, 万立方米/年' 小型
breaks R-SCALE-UNIT 101 "copper in cubic metres"
fresh; permit 101 铜矿 地下开采 5 '万吨/年' 小型
passes R-SCALE-UNIT 101 "copper in 万吨/年"

# R-MINE-FORBIDDEN / R-MINE-RESTRICTED / R-EXPLORE-RESTRICTED (第四章第一节二)
fresh; permit 101 蓝石棉 露天开采 '' '' ''
breaks R-MINE-FORBIDDEN 101 "a mining permit for blue asbestos"
fresh; sql "INSERT INTO exploration_blocks (code, name, minerals, area_km2) VALUES ('EB1', '粘土区块', '金矿;可耕地的砖瓦用粘土', 1)"
breaks R-MINE-FORBIDDEN EB1 "a block listing brick clay on arable land among its minerals"
fresh; permit 101 金矿 地下开采 '' '' ''
passes R-MINE-FORBIDDEN 101 "a gold mine"
fresh; permit 101 砂金 露天开采 '' '' ''
breaks R-MINE-RESTRICTED 101 "a placer gold mine"
fresh; sql "UPDATE exploration_permits SET minerals = '砂金' WHERE id = 6"
passes R-MINE-RESTRICTED 6 "exploring for placer gold (only mining is restricted)"
fresh; sql "UPDATE exploration_permits SET minerals = '菱镁矿' WHERE id = 6"
breaks R-EXPLORE-RESTRICTED 6 "an exploration permit for magnesite"
fresh; permit 101 菱镁矿 地下开采 '' '' ''
passes R-EXPLORE-RESTRICTED 101 "a magnesite mine (only exploration is restricted)"

# R-EXPIRED
fresh; sql "UPDATE exploration_permits SET valid_from = '2020-01-01', valid_to = '2025-12-31' WHERE id = 7"
breaks R-EXPIRED 7 "valid to the day before --today"
fresh; sql "UPDATE exploration_permits SET valid_from = '2020-01-01', valid_to = '$TODAY' WHERE id = 7"
passes R-EXPIRED 7 "valid to --today itself"
fresh; sql "UPDATE mining_permits SET valid_to = '2020-01-01', status = '关闭' WHERE id = 7"
passes R-EXPIRED 7 "a closed mine's permit"

# R-RENEWAL (the 30 days before expiry of 第七条; the events' side in test_life)
D29=$(date -u -d "$TODAY + 29 days" +%F) D30=$(date -u -d "$TODAY + 30 days" +%F)
fresh; sql "UPDATE mining_permits SET valid_from = '2020-01-01', valid_to = '$D29' WHERE id = 7"
breaks R-RENEWAL 7 "29 days left and no extension filed"
fresh; sql "UPDATE mining_permits SET valid_from = '2020-01-01', valid_to = '$D30' WHERE id = 7"
passes R-RENEWAL 7 "30 days left: still in time"
fresh; sql "UPDATE mining_permits SET valid_from = '2020-01-01', valid_to = '2020-06-01', reg_type = '注销' WHERE id = 7"
passes R-RENEWAL 7 "a cancelled (注销) permit past its validity"
fresh; sql "UPDATE mining_permits SET valid_from = '2020-01-01', valid_to = '2020-06-01' WHERE id = 7"
breaks R-RENEWAL 7 "expired with no 延续 or 注销 recorded"

# findings quote the data: shown escaped, never raw
fresh; sql "UPDATE mining_permits SET size_class = '小' || char(27) || '[2J' WHERE id = 2"
"$MINREG" -f "$T/c.db" check mining_permits --today $TODAY >"$T/out"
# (the rule's finding; R-HISTORY quotes it too, as the sqlite3 edit it is)
is "a value with an escape sequence is shown escaped" "$(grep '小\\e\[2J' "$T/out" | grep -vc 'changed outside minreg')" 1
is "... and never raw" "$(grep -c "$(printf '\033')" "$T/out")" 0

# R-TARGET-MINES / R-TARGET-SHARE (专栏一): the 2020 base year beside the 2025
# target is information with both figures, never a fault
sev() { awk -F, -v r="$1" '$2 == r { print $1 }' "$T/out"; }
fresh
breaks R-TARGET-MINES 10 "330 mines at the base period (第一章第一节) beside 320"
is "... as information" "$(sev R-TARGET-MINES)" info
grep -q 'base year 2020: 330 mines (第一章第一节; the register holds 10 mining permits); target for 2025: 320 (预期性)' "$T/out"
is "... with both figures" "$?" 0
breaks R-TARGET-SHARE 15 "10.3% large and medium at the base period, beside 12%"
is "... as information" "$(sev R-TARGET-SHARE)" info
grep -q 'base year 2020: large and medium mines 10.3% (第一章第一节); target for 2025: 12% (预期性)' "$T/out"
is "... with both figures" "$?" 0
"$MINREG" -f "$T/c.db" check indicators --today $TODAY >"$T/out" 2>&1
is "information alone does not fail check" "$?" 0
is "... and is counted apart" "$(tail -1 "$T/out")" "Errors: 0, warnings: 1, information: 2"
MINREG_LANG=zh "$MINREG" -f "$T/c.db" check indicators --today $TODAY >"$T/out" 2>&1
is "... in Chinese" "$(grep -c '^提示  R-TARGET-MINES .*2020 年基期：矿山 330 个（第一章第一节；登记簿中有采矿权 10 个）；2025 年目标：320 个（预期性）' "$T/out")" 1
is "... counted in Chinese" "$(tail -1 "$T/out")" "错误 0 个，警告 1 个，提示 2 个"
complete="UPDATE minreg_totals SET value = 10 WHERE tbl = 'mining_permits' AND measure = 'count' AND where_col = ''"
fresh; sql "UPDATE indicators SET name = '矿山个数' WHERE seq = 10"
passes R-TARGET-MINES 10 "no 矿山数量 indicator: nothing to set beside"
fresh; sql "$complete"; sql "UPDATE indicators SET value = 5 WHERE seq = 10"
breaks R-TARGET-MINES 10 "10 mines in a complete register, target 5"
grep -q 'the register: 10 mines (not closed); target for 2025: 5 (预期性)' "$T/out"
is "... counted from the register" "$?" 0
fresh; sql "$complete"; sql "UPDATE mining_permits SET size_class = CASE WHEN id <= 2 THEN '中型' ELSE '小型' END"
breaks R-TARGET-SHARE 15 "2 medium of 10 mines: 20%"
grep -q 'the register: large and medium mines 20.0% of the mines with a size class; target for 2025: 12% (预期性)' "$T/out"
is "... counted from the register" "$?" 0
fresh; sql "$complete"
passes R-TARGET-SHARE 15 "no size classes entered: no share to compare"

# stated figures the plan's text gives (第五章第四节, 第八章)
fresh
sql "INSERT INTO exploration_blocks (code, name, minerals, area_km2, authority) VALUES
     ('B1', '甲', '金矿', 1, '省级'), ('B2', '乙', '金矿', 1, '部级')"
hits R-TOTAL-ROWS - exploration_blocks >/dev/null
grep -q '出让登记权限 = 部级 or 省级: rows not entered: the plan states 10 个, the register holds 2' "$T/out"
is "R-TOTAL-ROWS: 2 of the 10 省级以上 blocks (部级 or 省级) entered" "$?" 0
fresh; sql "UPDATE sand_areas SET area_km2 = 0.8312 WHERE code = 'CS21060000001'"
# (the bundled data has one R-TOTAL-SUM: national_areas' 749.3)
breaks R-TOTAL-SUM - "CS21060000001 is 0.8213 km² (第八章第三节), not 0.8312" 2
grep -q '编号 = CS21060000001: 面积 of the 1 rows adds up to 0.8312 平方公里, the plan states 0.8213 平方公里' "$T/out"
is "... naming the row and both figures" "$?" 0
fresh; sql "UPDATE sand_areas SET min_scale = 10 WHERE code = 'CS21060000001'"
breaks R-TOTAL-SUM - "CS21060000001's minimum scale is 20 (第八章第三节), not 10" 2
fresh
hits R-TOTAL-SUM - >/dev/null
is "R-TOTAL-SUM kept: the bundled CS21060000001 as the plan states it" "$(grep -c CS21060000001 "$T/out")" 0
passes R-TOTAL-COUNT - "振安区: 15 矿业权 of 地热、金矿、花岗岩; 振兴区: 3, all 探矿权"
fresh; sql "UPDATE mining_permits SET minerals = '铜矿' WHERE id = 2"
breaks R-TOTAL-COUNT - "a 4th mineral among 振安区's permits (the plan: 3)"
grep -q 'mining_permits + exploration_permits: 所在行政区 = 振安区: 开采矿种: 4 different (.*铜矿.*), the plan states 3 (涉及地热、金矿及花岗岩 3 个矿产种类)' "$T/out"
is "... naming the minerals found" "$?" 0
fresh; sql "UPDATE mining_permits SET district = '振兴区' WHERE id = 2"
hits R-TOTAL-COUNT - >/dev/null
is "a 采矿权 in 振兴区 (the plan: all 探矿权), and 振兴区's 矿业权 4, not 3" \
   "$(grep -c '所在行政区 = 振兴区: the register holds' "$T/out")" 2
grep -q 'mining_permits + exploration_permits: 所在行政区 = 振兴区: the register holds 4 rows, the plan states 3 处' "$T/out"
is "... the 矿业权 counted over both registers" "$?" 0

# R-INTEGRITY: PRAGMA quick_check first.  A -wal left from another register
# (here: the same register grown by 100 pages, then its header rewritten in
# WAL mode) makes this one 100 pages longer, none of them used
fresh; cp "$T/c.db" "$T/other.db"
sqlite3 "$T/other.db" "CREATE TABLE pad(x); INSERT INTO pad SELECT randomblob(3500) FROM generate_series(1, 100)"
sql "PRAGMA journal_mode = WAL" >/dev/null
printf 'PRAGMA journal_mode = WAL;\nPRAGMA wal_autocheckpoint = 0;\nPRAGMA user_version = 7;\n.system cp "%s" "%s"\n' \
    "$T/other.db-wal" "$T/c.db-wal" | sqlite3 "$T/other.db" >/dev/null
breaks R-INTEGRITY - "a stale -wal from another file: every page never used" 100
rm -f "$T/c.db-wal" "$T/c.db-shm"; fresh
passes R-INTEGRITY - "a sound file"

# R-SCHEMA: an object minreg did not make (the register then opens read-only)
fresh; sql "CREATE TRIGGER planted AFTER UPDATE ON mining_permits BEGIN SELECT 1; END"
breaks R-SCHEMA - "a trigger minreg did not make"
fresh; sql "CREATE INDEX mining_permits_name ON mining_permits(mine_name)"
breaks R-SCHEMA - "an index minreg did not make"
fresh
passes R-SCHEMA - "the schema minreg made"

# R-HISTORY: what verify finds (tests/cli/test_verify.sh has each kind)
fresh; sql "UPDATE mining_permits SET remark = 'edited in sqlite3' WHERE id = 2"
breaks R-HISTORY - "a row changed outside minreg"
fresh
passes R-HISTORY - "a register only minreg wrote"

# every rule of the table has been exercised above, both ways (the R-GEO
# rules, over boundaries, in test_georules.sh)
for r in $("$MINREG" check --rules --format csv | tail -n +2 | cut -d, -f1); do
    grep -q -e "breaks $r " -e "\"$r broken" "$0" "$srcdir/tests/cli/test_georules.sh"
    is "rule $r has a test that breaks it" "$?" 0
    grep -q -e "passes $r " -e "\"$r kept" "$0" "$srcdir/tests/cli/test_georules.sh"
    is "rule $r has a test that keeps it" "$?" 0
done
done_testing
