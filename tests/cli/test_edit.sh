#!/bin/sh
# CLI: add / set / rm / undo / redo / log — validation, audit, conflicts.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
unset SSH_CLIENT

field() {   # field TABLE KEY COLUMN: the stored value
    "$MINREG" show "$1" --where "$(key_col "$1")=$2" --columns "$3" --format tsv | tail -n +2
}
key_col() { case $1 in a11|mining_permits|exploration_permits) echo id;; *) echo code;; esac; }

# set: one field, audited
run_minreg set a11 4 area_km2=0.31 -m "remeasured"
is "set exits 0" "$rc" 0
is "set reports the change" "$(cat "$T/out")" "change 1 recorded"
is "the value is written" "$(field a11 4 area_km2)" "0.31"
run_minreg log a11 4 --format tsv
is "log: who, when, old and new, comment" "$(tail -1 "$T/out")" "$(printf '1\t2026-11-28T12:00:00Z\tclerk\tset\tmining_permits\t4\tarea_km2\t0.3035\t0.31\tremeasured')"
SSH_CLIENT='10.1.2.3 51234 22' run_minreg set a11 4 remark=x
run_minreg log --format tsv
is "the SSH client address is recorded with the user" "$(tail -1 "$T/out" | cut -f3)" "clerk@10.1.2.3"

# validation: nothing is written, every rule names the field by its label
bad() {   # bad DESC MESSAGE ARGS...
    desc=$1 want=$2; shift 2
    cp "$T/reg.db" "$T/before.db"
    run_minreg "$@"
    if [ "$rc" -eq 1 ] && grep -qF -- "$want" "$T/err" && cmp -s "$T/reg.db" "$T/before.db"; then
        ok "$desc"; else not_ok "$desc"; sed 's/^/#   /' "$T/err"; fi
}
bad "area must be > 0" "登记面积(平方公里): must be greater than 0" set a11 4 area_km2=-1
bad "area must be a number" "登记面积(平方公里): 'abc' is not a number" set a11 4 area_km2=abc
bad "no exponent notation for decimals" "'1e3' is not a number" set a11 4 area_km2=1e3
bad "enumeration" "开采方式: '空中开采' is not one of: 露天开采, 地下开采, 露天-地下联合开采" set a11 4 method=空中开采
bad "dates must be dates" "有效期起: '2021-02-30' is not a date (YYYY-MM-DD)" set a11 4 valid_from=2021-02-30
bad "dates ordered" "有效期止: '2020-01-01' is before 有效期起" set a11 4 valid_from=2021-01-01 valid_to=2020-01-01
bad "permit number pattern" "采矿许可证号: 'C123' is not a mining permit number (C and 22 digits)" set a11 4 permit_no=C123
bad "link target exists (mineral)" "开采矿种: '金子' is not in" set a11 4 minerals=金子
bad "each item of a multi-valued link" "开采矿种: '锡矿' is not in" set a11 4 minerals='金矿;锡矿'
bad "empty list items" "empty item in the list" set a11 4 minerals='金矿;'
bad "link target exists (district)" "所在行政区: '火星区' is not in" set a11 4 district=火星区
bad "required fields" "矿山名称: is required" set a11 4 mine_name=
bad "whole numbers" "已设矿权数量(个): '1.5' is not a whole number" set a2 KZ21060000001 permits_existing=1.5
# the pattern in the clerk's words, in either language (the schema's
# minreg_meta 'pattern:' rows); a pattern without them is said as it is
run_minreg --lang zh set a11 4 permit_no=C123
is "permit number pattern in Chinese" "$rc/$(grep -c '采矿许可证号: “C123”不是C 加 22 位数字的采矿许可证号' "$T/err")" 1/1
cp "$T/reg.db" "$T/kept.db"
sqlite3 "$T/reg.db" "DELETE FROM minreg_meta WHERE key LIKE 'pattern%:^C%'"
run_minreg set a11 4 permit_no=C123
is "... without a description: the pattern itself" "$rc/$(grep -c "'C123' does not have the form ^C" "$T/err")" 1/1
mv "$T/kept.db" "$T/reg.db"
bad "code pattern" "编号: 'KZ1' is not a key exploration area code (KZ and 11 digits)" set a2 KZ21060000001 code=KZ1
bad "uniqueness" "'KZ21060000002' is already used by another row" set a2 KZ21060000001 code=KZ21060000002
bad "a row number is positive" "序号: must be between 1 and 999999999" set mining_permits 4 id=-1
bad "a row number is not zero" "序号: must be between 1 and 999999999" set mining_permits 4 id=0
bad "a row number is bounded" "序号: must be between 1 and 999999999" add mining_permits id=9223372036854775807 mine_name=x minerals=金矿 area_km2=1 district=振安区
bad "years in range" "投放起始年: must be between 1900 and 2100" add exploration_blocks code=B1 name=b minerals=金矿 area_km2=1 year_from=1800
run_minreg add mining_permits nosuch=1
is "an unknown column is a usage error (exit 2)" "$rc" 2

# add: surrogate key assigned, audited as a whole row
run_minreg add mining_permits mine_name=新矿 minerals=金矿 area_km2=1.5 district=振安区 permit_no=C2106002021017110012345
is "add exits 0" "$rc" 0
is "the new row got the next id" "$(field a11 11 mine_name)" "新矿"
run_minreg add mining_permits mine_name=新矿2 minerals=金矿 area_km2=1.5 permit_no=C2106002021017110012345
is "a permit number is unique" "$(grep -c 'already used by another row' "$T/err")" 1

# rm: refused while others link to the row, listing them
run_minreg rm districts 振安区
is "deleting a linked row is refused" "$rc" 1
grep -q 'cannot delete 210604, 17 other rows link to it: sand_areas CS21060000001, exploration_permits 5' "$T/err"
is "... naming the rows that link to it" "$?" 0
run_minreg rm a11 11 -m "entered by mistake"
is "rm exits 0" "$rc" 0
run_minreg get a11 11
is "... the row is gone" "$rc" 1
run_minreg log a11 11 --format tsv
is "log finds a deleted row by its key" "$(tail -n +2 "$T/out" | cut -f4 | tr '\n' ' ')" "add rm "
run_minreg log a11 99
is "log of a key that never was: exit 1" "$rc" 1

# undo / redo
run_minreg undo
is "undo the last change (the delete)" "$(field a11 11 mine_name)" "新矿"
run_minreg undo
is "undo again (the add)" "$(field a11 11 mine_name)" ""
run_minreg redo
is "redo puts the add back" "$(field a11 11 mine_name)" "新矿"
run_minreg log --format tsv
is "undo and redo are themselves audited" "$(cut -f4 "$T/out" | grep -c -E '^(undo|redo) ')" 3
run_minreg set a11 4 area_km2=0.5
run_minreg undo 1
is "undo of an old change whose field changed later is refused (exit 6)" "$rc" 6
grep -q 'later changed mining_permits 4 area_km2; undo that first' "$T/err"
is "... explaining the conflict" "$?" 0
run_minreg undo 2
is "undo of an old change to another field works" "$rc" 0
is "... restoring that field" "$(field a11 4 remark)" "采矿权（第八章第三节 振安区矿业权表 序号9）"

# the audit trail cannot be edited
sqlite3 "$T/reg.db" "UPDATE minreg_audit SET new = 'forged'" 2>"$T/err"
is "audit rows cannot be changed, even with sqlite3" "$(grep -c 'cannot be changed' "$T/err")" 1

# read-only
run_minreg -r set a11 4 area_km2=0.6
is "-r refuses writes (exit 4)" "$rc" 4
grep -q 'read-only' "$T/err"
is "... saying why" "$?" 0
cp "$T/reg.db" "$T/ro.db"; chmod a-w "$T/ro.db"
if [ "$(id -u)" -ne 0 ]; then
    run_minreg -f "$T/ro.db" set a11 4 area_km2=0.6
    is "a file that is not writable opens read-only" "$rc" 4
else
    ok "# SKIP root can write read-only files"
fi

# two clerks at once: --expect makes a read-modify-write safe; no lost update
run_minreg set a11 5 scale=1
worker() {
    i=0
    while [ $i -lt 40 ]; do
        cur=$("$MINREG" show a11 --where id=5 --columns scale --format tsv | tail -1)
        if "$MINREG" set a11 5 scale=$((cur + 1)) --expect scale="$cur" >/dev/null 2>&1; then
            i=$((i + 1))
        fi
    done
}
worker & p1=$!
worker & p2=$!
wait $p1 $p2
is "two writers x 40 increments: no lost update" "$(field a11 5 scale)" 81
run_minreg log a11 5 --format tsv
is "... and exactly 81 audited changes of the field" "$(tail -n +2 "$T/out" | wc -l)" 81
run_minreg set a11 5 scale=1 --expect scale=3
is "a stale --expect is a conflict (exit 6)" "$rc" 6
# --expect keeps its meaning beside the merge: a stale expected column that
# the command does not set is a conflict too, and nothing is written
before=$(field a11 5 remark)
run_minreg set a11 5 remark=脚本 --expect area_km2=999
is "a stale --expect on a column not set is a conflict (exit 6)" "$rc" 6
is "... nothing written" "$(field a11 5 remark)" "$before"
run_minreg log a11 5 --format tsv
is "... nor audited" "$(tail -n +2 "$T/out" | cut -f7 | grep -c remark)" 0
# another writer holding the register: minreg waits (busy timeout), then writes.
# locked: wait (bounded) until the background writer holds the lock.  The
# probe holds it for an instant itself: the writer has a busy timeout
# (.timeout) so that instant cannot make it fail.
locked() {
    i=0
    while [ $i -lt 200 ]; do
        sqlite3 "$T/reg.db" "BEGIN IMMEDIATE; ROLLBACK;" 2>&1 | grep -q locked && return 0
        i=$((i + 1)); sleep 0.05
    done
    return 1
}
sqlite3 -cmd ".timeout 5000" "$T/reg.db" "BEGIN IMMEDIATE; UPDATE districts SET level = level;" ".shell sleep 1" "COMMIT;" >/dev/null &
lock=$!
locked
is "(the other writer holds the lock)" "$?" 0
run_minreg set a11 4 remark=waited
wait $lock
is "a write waits for another writer's lock, then succeeds" "$rc" 0
# this time the holder keeps the lock until minreg has given up (the file
# $T/release appears), however slowly minreg starts (under valgrind it can
# take seconds), with a bound of 120 s so a broken test cannot hang
rm -f "$T/release"
sqlite3 -cmd ".timeout 5000" "$T/reg.db" "BEGIN IMMEDIATE; UPDATE districts SET level = level;" \
    ".shell i=0; while [ ! -f '$T/release' ] && [ \$i -lt 1200 ]; do sleep 0.1; i=\$((i + 1)); done" \
    "COMMIT;" >/dev/null &
lock=$!
locked
is "(the other writer holds the lock again)" "$?" 0
run_minreg set a11 4 remark=gave-up
cp "$T/err" "$T/err_en"; rc_en=$rc
run_minreg --lang zh set a11 4 remark=gave-up
touch "$T/release"
wait $lock
is "a lock held past the busy timeout: exit 4" "$rc_en" 4
grep -q "another clerk's write held the register" "$T/err_en"
is "... saying so" "$?" 0
is "... in Chinese too (#20)" "$(grep -c '他人的写入占用登记簿超过 [0-9]* 秒；未写入任何内容，请重试' "$T/err")" 1
is "... nothing written" "$(field a11 4 remark)" waited
is "integrity_check after all this" "$(sqlite3 "$T/reg.db" 'PRAGMA integrity_check')" ok

# log fits a terminal (#20): an added row summarised, a long value cut;
# --format gives them whole
cp "$T/reg.db" "$T/log.db"
"$MINREG" -f "$T/log.db" add a11 id=777 mine_name=测试矿 minerals=金矿 area_km2=1 >/dev/null
long=一段很长很长很长很长很长很长很长很长的备注文字用来看日志是否截断
"$MINREG" -f "$T/log.db" set a11 777 remark=$long >/dev/null
"$MINREG" -f "$T/log.db" log a11 777 >"$T/log.txt"
is "log: the added row summarised" "$(grep -c '(row added) *(the whole row: --format tsv)' "$T/log.txt")" 1
is "... a long value cut" "$(grep -c '一段很长很长很长很长很长很长…' "$T/log.txt")" 1
wide=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/log.txt")
[ "$wide" -le 160 ]
is "... no line longer than 160 characters ($wide)" "$?" 0
"$MINREG" -f "$T/log.db" log a11 777 --format tsv >"$T/log.tsv"
is "... --format tsv gives the row whole" "$(grep -c '"mine_name":"测试矿"' "$T/log.tsv")" 1
is "... and the value whole" "$(grep -c "$long" "$T/log.tsv")" 1
# a terminal narrower than the table (--width stands for it): each change a
# line with its fields under it, every line within the width, escaped
"$MINREG" -f "$T/log.db" set a11 777 area_km2=2 remark="$(printf 'x\033[31my')" -m 'two at once' >/dev/null
"$MINREG" -f "$T/log.db" log a11 777 --width 80 >"$T/log80.txt"
wide=$(LC_ALL=C.UTF-8 wc -L <"$T/log80.txt")
is "log --width 80: no line wider than 80 columns" "$([ "$wide" -le 80 ] && echo ok || echo "$wide")" ok
is "... the table became blocks, one per change" "$(grep -c '^Change [0-9]' "$T/log80.txt")" 3
is "... a change's fields under it" "$(grep -c '^  mining_permits 777  area_km2: 1 → 2$' "$T/log80.txt")" 1
is "... the comment on the change's line" "$(grep -c '^Change [0-9]* .*set  “two at once”$' "$T/log80.txt")" 1
is "... an escape sequence shown escaped" "$(grep -c 'remark: .* → x\\e\[31my$' "$T/log80.txt")" 1
is "... no raw escape byte" "$(grep -c "$(printf '\033')" "$T/log80.txt")" 0
is "... the long value cut within the line" "$(grep -c '→ 一段很长' "$T/log80.txt")" 1
"$MINREG" -f "$T/log.db" --ascii log a11 777 --width 40 >"$T/log40.txt"
wide=$(LC_ALL=C.UTF-8 wc -L <"$T/log40.txt")
is "... --width 40: within 40" "$([ "$wide" -le 40 ] && echo ok || echo "$wide")" ok
is "... --ascii: ASCII arrows" "$(grep -c ' -> ' "$T/log40.txt")" 2
"$MINREG" -f "$T/log.db" log a11 777 --width 0 >"$T/log0.txt"
is "... --width 0 keeps the table" "$(sed -n 2p "$T/log0.txt" | cut -c1-6)" "------"
"$MINREG" -f "$T/log.db" log --width 7 >/dev/null 2>&1
is "... --width under 20: usage error" "$?" 2
done_testing
