#!/bin/sh
# CLI: undo and redo check what they revert, say what they undid, and take
# only the clerk's own change by default; links hold on every write path.
# Every refusal leaves the file's .dump exactly as it was.
. "$srcdir/tests/lib.sh"
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
unset SSH_CLIENT
val() { "$MINREG" show "$1" --where "$2" --columns "$3" --format tsv | tail -n 1; }
snap() { sqlite3 "$T/reg.db" .dump >"$T/snap"; }
same() { sqlite3 "$T/reg.db" .dump | cmp -s - "$T/snap" && echo same || echo changed; }

# ---- undo scope: my own latest change, whoever changed what since --------
USER=a "$MINREG" set a11 3 remark=甲的备注 -m 核对 >/dev/null
USER=b "$MINREG" set a11 4 remark=乙的备注 >/dev/null
USER=a run_minreg undo
is "undo takes the clerk's own latest change, not a newer one of another's" "$rc/$(val a11 id=3 remark)/$(val a11 id=4 remark)" "0/采矿权（第八章第三节 振安区矿业权表 序号8）/乙的备注"
is "... and says what it undid: who, when, what, each field old → new" "$(cat "$T/out")" "undone: change 1 by a at 2026-11-28 12:00: 规划基期采矿权现状表 3: 备注 — 核对
  规划基期采矿权现状表 3, 备注: '采矿权（第八章第三节 振安区矿业权表 序号8）' → '甲的备注'
change 3 recorded"
snap
USER=c run_minreg undo
is "a clerk with no change of their own: nothing to undo (exit 1)" "$rc/$(same)" "1/same"
grep -q 'nothing of yours (c) to undo; undo N undoes change N' "$T/err"
is "... saying how to undo another's" "$?" 0
USER=a SSH_CLIENT="10.0.0.9 5000 22" run_minreg redo
is "redo takes the clerk's own undo, from any address" "$rc/$(val a11 id=3 remark)" "0/甲的备注"
USER=c run_minreg undo 2
is "undo N undoes anyone's change" "$rc/$(val a11 id=4 remark)" "0/采矿权（第八章第三节 振安区矿业权表 序号9）"

# ---- undo checks each row before writing (exit 6, nothing written) -------
"$MINREG" set a11 5 area_km2=0.08 >/dev/null   # change 6
sqlite3 "$T/reg.db" "UPDATE mining_permits SET area_km2 = 0.09 WHERE id = 5"
snap
run_minreg undo 6
is "undo of a field changed since outside minreg: refused, exit 6" "$rc/$(same)" "6/same"
grep -q "cannot undo change 6: mining_permits 5 area_km2 holds '0.09', not '0.08'" "$T/err"
is "... naming the field and both values" "$?" 0
sqlite3 "$T/reg.db" "UPDATE mining_permits SET area_km2 = 0.08, id = 50 WHERE id = 5"
snap
run_minreg undo 6
is "undo of a row whose key was changed outside minreg: refused" "$rc/$(same)" "6/same"
grep -q "the row it changed in mining_permits is now 50, not 5" "$T/err"
is "... naming both keys" "$?" 0
sqlite3 "$T/reg.db" "UPDATE mining_permits SET id = 5 WHERE id = 50; DELETE FROM mining_permits WHERE id = 6"
snap
"$MINREG" set a11 6 remark=x >/dev/null 2>&1
run_minreg undo 6
is "undo still works on a row that is as the change left it" "$rc/$(val a11 id=5 area_km2)" "0/0.0702"
# a removed row whose key another row has taken since
"$MINREG" rm a2 KZ21060000013 >/dev/null                     # change 8
"$MINREG" set a2 KZ21060000012 code=KZ21060000013 >/dev/null  # change 9
snap
run_minreg undo 8
is "undo of a removal whose key another row now has: refused, exit 6" "$rc/$(same)" "6/same"
grep -q "another row of exploration_areas now has the key KZ21060000013" "$T/err"
is "... saying so, not a raw UNIQUE constraint" "$?" 0
# a later change to the same row is named
"$MINREG" set a11 7 remark=一 >/dev/null    # change 10
"$MINREG" set a11 7 remark=二 >/dev/null    # change 11
snap
run_minreg undo 10
is "undo of a change a later one overwrote: refused, exit 6" "$rc/$(same)" "6/same"
grep -q "change 11 later changed mining_permits 7 remark" "$T/err"
is "... naming the later change" "$?" 0

# ---- links on every path ---------------------------------------------------
snap
run_minreg set d 210604 short_name=振安
is "renaming a value other rows link to is refused (exit 1)" "$rc/$(same)" "1/same"
# 15 rows: permit 6 was removed outside minreg above
grep -q "cannot change 简称 from '振安区', 15 other rows link to it: sand_areas CS21060000001" "$T/err"
is "... naming the rows" "$?" 0
run_minreg rm d 210604
is "removing it is refused too" "$rc/$(same)" "1/same"
run_minreg set m 金矿 name=黄金矿
is "renaming a mineral: refused with the links, not a foreign-key error" "$rc/$(same)" "1/same"
run_minreg set d 210604 short_name=振安 --cascade
is "--cascade renames it and the rows linking to it, in one change" "$rc/$(val a11 id=4 district)/$(val a7 code=CS21060000001 district)" "0/振安/振安"
is "... each linking row audited" "$("$MINREG" log --format tsv | awk -F '\t' '$1 == 12' | wc -l | tr -d ' ')" 16
run_minreg undo
is "... and undone as one" "$rc/$(val a11 id=4 district)" "0/振安区"
run_minreg set m 金矿 name=黄金矿 --cascade
is "a mineral renamed with --cascade: multi-valued lists and keyed registers follow" "$rc/$(val a11 id=1 minerals)/$(val a6 mineral=黄金矿 mineral)/$(sqlite3 "$T/reg.db" 'PRAGMA foreign_key_check')" "0/黄金矿/黄金矿/"
"$MINREG" undo >/dev/null
run_minreg rm m 金矿 --cascade
is "rm --cascade where a link is required: refused" "$rc" 1
grep -q "is required, so the link to '金矿' cannot be cleared" "$T/err"
is "... saying which row" "$?" 0
# undo of an add that a later row links to
"$MINREG" add m name=钨矿X category=金属矿产 >/dev/null
add=$("$MINREG" log --format tsv | tail -n 1 | cut -f1)
"$MINREG" add a11 mine_name=w minerals=钨矿X area_km2=1 district=振安区 >/dev/null
snap
run_minreg undo "$add"
is "undo of an add that a later row links to: refused, exit 6" "$rc/$(same)" "6/same"
grep -q "it would remove minerals 钨矿X, and 1 other rows link to it now: mining_permits 11" "$T/err"
is "... listing the linking rows" "$?" 0

done_testing
