#!/bin/sh
# CLI: regular expressions (PCRE2) in `grep` and `show --grep`, pinned to the
# bundled data.
. "$srcdir/tests/lib.sh"

run_minreg grep '硼矿.*宽甸' --format tsv
is "硼矿.*宽甸: a pattern across the columns of a row" "$(cut -f1,2 "$T/out" | tr '\t\n' ': ')" "national_areas:GK21060000002 quotas:5 "
is "... exit 0" "$rc" 0
run_minreg grep '^KZ\d+$' --format tsv
is "^KZ\\d+\$ anchors at each column: the 13 key exploration areas" "$(cut -f1 "$T/out" | sort | uniq -c | awk '{print $2 "=" $1}')" "exploration_areas=13"
run_minreg grep '^CS210600000(0[1-9]|1\d)$' sand_areas --format tsv
is "a register named: CS...01 to CS...19" "$(wc -l <"$T/out")" 19
run_minreg grep '\p{Han}{2}满族自治县' --format tsv
is "Unicode properties: \\p{Han}" "$(cut -f1 "$T/out" | sort -u | tr '\n' ' ')" "districts sand_areas "
run_minreg grep 'kz21060000013'
is "smart case: lower case matches any case" "$rc" 0
run_minreg grep 'Kz21060000013'
is "... an upper-case letter makes it exact" "$rc" 1
run_minreg grep '钼矿山'
is "nothing found: exit 1 (like grep)" "$rc" 1
run_minreg grep '金矿' exploration_permits
matches_file "text output grouped by register with counts" grep_gold.txt

run_minreg show exploration_areas --grep 'minerals:^硼矿$' --columns code --format tsv
is "show --grep COL:REGEX" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "KZ21060000004 KZ21060000005 KZ21060000006 KZ21060000007 KZ21060000008 "
run_minreg show exploration_areas --grep '凤城' --grep '省级' --columns code --format tsv
is "show --grep twice: both must match" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "KZ21060000008 KZ21060000009 "
run_minreg show exploration_areas --grep '所在行政区:宽甸' --where minerals=饰面用花岗岩 --format tsv
is "--grep combines with --where" "$(tsv_rows)" 2

# bad patterns: PCRE2's message and the offset, exit 2, never a crash
run_minreg grep 'x('
is "a bad pattern exits 2" "$rc" 2
is "... with PCRE2's message and the offset" "$(cat "$T/err")" "minreg: bad pattern 'x(' at offset 2: missing closing parenthesis"
run_minreg --lang zh grep 'x('
is "... in Chinese (#20): the message and PCRE2's reason" "$(cat "$T/err")" "minreg: 正则表达式“x(”在第 2 字节处有误：缺少右括号 )"
MINREG_LANG=zh run_minreg grep '[ab'
is "... MINREG_LANG=zh: a character class left open" "$(cat "$T/err")" "minreg: 正则表达式“[ab”在第 3 字节处有误：字符类缺少结尾的 ]"
run_minreg show a2 --grep '名称:[z-a]'
is "a bad pattern in show --grep exits 2" "$rc" 2
grep -q 'range out of order' "$T/err"
is "... naming the problem" "$?" 0

# runaway backtracking is stopped by the match limit, with a message
sqlite3 "$T/reg.db" "UPDATE exploration_areas SET remark = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' WHERE code = 'KZ21060000001'"
run_minreg show a2 --grep 'remark:^(a|a?)+$'
is "catastrophic backtracking stops (exit 1)" "$rc" 1
grep -q 'too much backtracking' "$T/err"
is "... saying so" "$?" 0

# The literal prefilter (a row without the pattern's leading literal in any
# text value is passed over) changes no answer: a match that crosses
# columns, text stored in a column declared REAL, a number's digits.
sqlite3 "$T/reg.db" "UPDATE mining_permits SET remark = '整合方案见', district = '东港市' WHERE id = 1;
    UPDATE mining_permits SET area_km2 = '龘龘区段' WHERE id = 2"
run_minreg show mining_permits --grep '东港市\n整合方案' --columns id --format tsv
is "prefilter: a match across two columns is found" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "1 "
run_minreg show mining_permits --grep '龘龘区' --columns id --format tsv
is "... text in a REAL column is looked at" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "2 "
run_minreg show a11 --grep '0.3035' --columns id --format tsv
is "... a number's digits: no prefilter, found in the REAL column" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "4 "
# Every literal of the pattern is looked for, each in any text value: the
# row's values in the pattern's order across columns match; a row lacking
# the second literal, or holding it only in a number, does not.
sqlite3 "$T/reg.db" "UPDATE mining_permits SET district = '整合方案', remark = '第15条' WHERE id = 3;
    UPDATE mining_permits SET remark = '整合方案第25条' WHERE id = 4;
    UPDATE mining_permits SET remark = '整合方案第', area_km2 = 15 WHERE id = 5"
run_minreg show mining_permits --grep '整合方案.{0,12}第1\d条' --columns id --format tsv
is "prefilter: the second literal in a later column is found" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "3 "
sqlite3 "$T/reg.db" "UPDATE mining_permits SET scale = 1e999 WHERE id = 6"
run_minreg show mining_permits --grep 'inf' --columns id --format tsv
is "... caseless inf is no literal: an infinity's text is Inf" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "6 "

# A row's numbers are matched as SQLite writes them (101.0 for a whole REAL),
# whether minreg formats them itself or SQLite does.
for v in 101 -206 0 -0.0 7.5 999999999999999 1e15 -123456789012345 0.1 1e-7; do
    sqlite3 "$T/reg.db" "UPDATE mining_permits SET elev_top = $v WHERE id = 7"
    txt=$(sqlite3 "$T/reg.db" "SELECT CAST(elev_top AS TEXT) FROM mining_permits WHERE id = 7" | sed 's/[.+]/\\&/g')
    run_minreg show mining_permits --grep "^$txt\$" --columns id --format tsv
    is "a REAL's text: $v as ^$txt\$" "$(tail -n +2 "$T/out" | grep -c '^7$')" 1
done
run_minreg show mining_permits --grep '^7$\n' --columns id --format tsv
is "an integer's text (the id)" "$(tail -n +2 "$T/out" | tr '\n' ' ')" "7 "

# A scan split over threads (chunks of one rowid here, to split the bundled
# tables) writes the same bytes as one thread: formats, descending order,
# `grep`, and the same error and exit status.
split_same() {   # DESC ARGS...
    desc=$1; shift
    MINREG_THREADS=1 "$MINREG" "$@" >"$T/one" 2>"$T/one.err"; rc1=$?
    MINREG_THREADS=3 MINREG_SCAN_CHUNK=1 "$MINREG" "$@" >"$T/split" 2>"$T/split.err"; rc2=$?
    if cmp -s "$T/one" "$T/split" && cmp -s "$T/one.err" "$T/split.err" && [ "$rc1" = "$rc2" ]
    then ok "threads: $desc"; else not_ok "threads: $desc ($rc1 vs $rc2)"; diff "$T/one" "$T/split" | head -5 | sed 's/^/#   /'; fi
}
split_same "show --grep, tsv" show mining_permits --grep '整合方案|矿' --format tsv
split_same "... json, numbers and nulls" show mining_permits --grep '\d' --format json
split_same "... csv, descending" show a2 --grep 'KZ' --desc --format csv
split_same "... text (two passes)" show quotas --grep '.'
split_same "... a column's pattern" show a2 --grep 'remark:a' --format tsv
split_same "... the match limit's error" show a2 --grep 'remark:^(a|a?)+$'
split_same "grep over every register" grep '矿' --format tsv
done_testing
