#!/bin/sh
# CLI: record identity (rid).  Every register row keeps one identity that is
# never reused and survives dump, restore and VACUUM; a 序号 is an ordinary
# bounded value; registers of schema version 2 are migrated with their
# history intact (issue: edits that cannot land in the wrong place).
. "$srcdir/tests/lib.sh"
FX=$srcdir/tests/fixtures
dump() { sqlite3 "$1" .dump; }

# ---- a register made by the release before (schema 2), with a history ----
sqlite3 "$T/v2.db" <"$FX/v2/history.sql"
run_minreg -f "$T/v2.db" log --format csv
is "a version-2 register opens and migrates" "$rc" 0
# the columns schema 6 appended, empty in every row then: left out of the comparison
APP=$(sqlite3 "$T/v2.db" "SELECT group_concat(DISTINCT col) FROM minreg_roles WHERE role = 'appended'" | tr , '|')
grep -v '^[0-9]*,[^,]*,[^,]*,seal,' "$T/out" | sed -E "s/,\"\"($APP)\"\":null//g" >"$T/log.csv"
cmp -s "$T/log.csv" "$FX/v2/log.csv"
is "... its whole history reads as before, change by change" "$?" 0
is "... and ends with the change that starts its chain" \
   "$(tail -n 1 "$T/out" | cut -d, -f1,4)" "11,seal"
for t in a2 a11; do
    cols=$(sqlite3 "$T/v2.db" "SELECT group_concat(id) FROM (SELECT c.id FROM minreg_columns c
        JOIN minreg_tables t ON t.id = c.tbl WHERE t.alias = '$t' AND c.id NOT IN
        (SELECT col FROM minreg_roles WHERE tbl = c.tbl AND role = 'appended') ORDER BY c.ord)")
    "$MINREG" -f "$T/v2.db" show $t --columns "$cols" --format csv >"$T/$t.csv"
    cmp -s "$T/$t.csv" "$FX/v2/$t.csv"
    is "... register $t reads as before" "$?" 0
done
"$MINREG" init "$T/fresh.db" >/dev/null
q="SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
is "... its schema is now exactly a new register's" "$(sqlite3 "$T/v2.db" "$q" | md5sum)" "$(sqlite3 "$T/fresh.db" "$q" | md5sum)"
is "... at version 7" "$(sqlite3 "$T/v2.db" "SELECT value FROM minreg_meta WHERE key = 'schema_version'")" 7
run_minreg -f "$T/v2.db" verify
is "... and its history, undos and redos included, verifies against the chain" "$rc" 0
is "... integrity and links hold" "$(sqlite3 "$T/v2.db" "PRAGMA integrity_check; PRAGMA foreign_key_check")" ok
# change 5 set permit 12's remark; undoing it must change that row only
"$MINREG" -f "$T/v2.db" show a11 --format csv | grep -v '^12,' >"$T/others.before"
run_minreg -f "$T/v2.db" undo 5
is "an undo of a change made before the migration" "$rc" 0
is "... puts back the field of the row it changed" "$("$MINREG" -f "$T/v2.db" show a11 --where id=12 --columns remark --format tsv | tail -n 1)" "采矿权（第八章第三节 振安区矿业权表 序号7）"
"$MINREG" -f "$T/v2.db" show a11 --format csv | grep -v '^12,' >"$T/others.after"
cmp -s "$T/others.before" "$T/others.after"
is "... and no other row" "$?" 0
# row 2 was removed (change 8): a new row must not get its identity
"$MINREG" -f "$T/v2.db" add a11 mine_name=新矿 minerals=金矿 area_km2=1 district=振安区 >/dev/null
is "a new row after the migration gets an identity never used before" "$(sqlite3 "$T/v2.db" "SELECT rid FROM mining_permits WHERE mine_name = '新矿'")" 14
run_minreg -f "$T/v2.db" undo 8
is "... so the removed row can still come back" "$rc/$(sqlite3 "$T/v2.db" "SELECT rid, id FROM mining_permits WHERE rid = 2")" "0/2|2"
# a read-only open of a version-2 register does not migrate it
sqlite3 "$T/ro.db" <"$FX/v2/history.sql"
before=$(dump "$T/ro.db")
run_minreg -r -f "$T/ro.db" tables
after=$(dump "$T/ro.db")
is "a read-only open of a version-2 register: exit 4, nothing changed" "$rc/$([ "$before" = "$after" ] && echo same)" "4/same"

# ---- dump, restore and VACUUM keep identities (the issue's case 4) --------
"$MINREG" set a2 KZ21060000005 area_km2=1.5 >/dev/null
"$MINREG" rm a2 KZ21060000002 >/dev/null
sqlite3 "$T/reg.db" .dump | sqlite3 "$T/r2.db"
run_minreg -f "$T/r2.db" undo 1
is "undo after a dump and restore" "$rc" 0
is "... restores the row it names" "$("$MINREG" -f "$T/r2.db" show a2 --where code=KZ21060000005 --columns area_km2 --format tsv | tail -n 1)" "182.1304"
is "... and leaves the next row alone" "$("$MINREG" -f "$T/r2.db" show a2 --where code=KZ21060000006 --columns area_km2 --format tsv | tail -n 1)" "215.3696"
sqlite3 "$T/r2.db" VACUUM
run_minreg -f "$T/r2.db" undo 2
is "undo after VACUUM brings the removed row back under its identity" "$rc/$(sqlite3 "$T/r2.db" "SELECT rid FROM exploration_areas WHERE code = 'KZ21060000002'")" "0/2"

# ---- a removed row's identity is never given to another (case 1) ----------
last=$(sqlite3 "$T/reg.db" "SELECT max(rid) FROM exploration_areas")
"$MINREG" add a2 code=KZ21060000098 name=乙 minerals=金矿 area_km2=1 >/dev/null
r98=$(sqlite3 "$T/reg.db" "SELECT rid FROM exploration_areas WHERE code = 'KZ21060000098'")
"$MINREG" rm a2 KZ21060000098 >/dev/null
"$MINREG" add a2 code=KZ21060000097 name=丙 minerals=金矿 area_km2=1 >/dev/null
r97=$(sqlite3 "$T/reg.db" "SELECT rid FROM exploration_areas WHERE code = 'KZ21060000097'")
is "the last row removed, then a row added: a new identity" "$r98 $r97" "$((last + 1)) $((last + 2))"

# ---- a 序号 is an ordinary, bounded value (case 3) -------------------------
before=$(dump "$T/reg.db")
same_dump() { if [ "$(dump "$T/reg.db")" = "$before" ]; then echo same; else echo changed; fi; }
run_minreg add a11 id=-1 mine_name=x minerals=金矿 area_km2=1 district=振安区
is "add with 序号 -1 is refused" "$rc/$(same_dump)" "1/same"
grep -q '序号: must be between 1 and 999999999' "$T/err"
is "... saying what a 序号 may be" "$?" 0
run_minreg add a11 id=0 mine_name=x minerals=金矿 area_km2=1 district=振安区
is "add with 序号 0 is refused" "$rc/$(same_dump)" "1/same"
run_minreg rm a11 -- -1
is "rm of 序号 -1 finds nothing and changes nothing" "$rc/$(same_dump)" "1/same"
for v in -5 0 9223372036854775807; do
    printf '序号,矿山名称,开采矿种,登记面积(平方公里)\n%s,甲,金矿,1\n' "$v" >"$T/bad.csv"
    run_minreg import a11 "$T/bad.csv"
    is "import with 序号 $v is refused, nothing written" "$rc/$(same_dump)" "1/same"
done
# a 序号 can be changed like any value; the row keeps its identity and history
rid4=$(sqlite3 "$T/reg.db" "SELECT rid FROM mining_permits WHERE id = 4")
run_minreg set a11 4 id=40
is "a 序号 can be renumbered" "$rc/$(sqlite3 "$T/reg.db" "SELECT rid FROM mining_permits WHERE id = 40")" "0/$rid4"
run_minreg add a11 mine_name=新 minerals=金矿 area_km2=1 district=振安区
is "... and an empty 序号 is the highest plus one" "$(sqlite3 "$T/reg.db" "SELECT id FROM mining_permits WHERE mine_name = '新'")" 41
run_minreg undo
run_minreg undo
is "... undone, the row has its old number again" "$rc/$(sqlite3 "$T/reg.db" "SELECT rid FROM mining_permits WHERE id = 4")" "0/$rid4"

done_testing
