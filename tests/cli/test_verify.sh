#!/bin/sh
# The chained history (minreg verify, check's R-HISTORY): each kind of
# tampering, made with the sqlite3 shell, is found and named; what minreg
# itself does (edits, imports, undo, redo, dump and restore, VACUUM) never is.
. "$srcdir/tests/lib.sh"
R=$T/r.db
"$MINREG" init "$R" >/dev/null
head_of() { sed -n 's/^head \([0-9a-f]\{64\}\) .*/\1/p' "$T/out"; }
# tamper SQL: run it on a copy of $R with the guards the trail has lifted
tamper() {
    cp "$R" "$T/t.db"
    sqlite3 "$T/t.db" "$1"
    run_minreg -r -f "$T/t.db" verify
}

run_minreg -f "$R" verify
is "a new register verifies" "$rc" 0
is "... with nothing found, and its head" "$(grep -c 'the history and every row are as the chain says' "$T/out")/$(head_of | wc -c)" 1/65
H0=$(head_of)

# what minreg does verifies
run_minreg -f "$R" set a11 1 remark=一 area_km2=2.5
printf '区块编号,区块名称,勘查矿种,面积\nV1,甲,金矿,1\nV2,乙,铁矿,2.25\n' >"$T/b.csv"
run_minreg -f "$R" import a3 "$T/b.csv"
run_minreg -f "$R" set a3 V1 name=甲2
run_minreg -f "$R" add a11 mine_name=新矿 minerals=金矿 area_km2=1.5 district=振安区
run_minreg -f "$R" rm a11 2
run_minreg -f "$R" undo
run_minreg -f "$R" redo
run_minreg -f "$R" undo 1
run_minreg -f "$R" verify
is "edits, an import, add, rm, undo, redo and undo N verify" "$rc" 0
H1=$(head_of)
sqlite3 "$R" .dump | sqlite3 "$T/restored.db"
run_minreg -r -f "$T/restored.db" verify
is "... and so does a dump restored, with the same head" "$rc/$(head_of)" "0/$H1"
cp "$R" "$T/vac.db"
sqlite3 "$T/vac.db" VACUUM
run_minreg -r -f "$T/vac.db" verify
is "... and a VACUUMed copy" "$rc/$(head_of)" "0/$H1"
run_minreg -f "$R" verify --head "$H0"
is "the head of the new register is still in the history" "$rc/$(grep -c "the head given is change 0's" "$T/out")" 0/1

# rows changed, added or removed outside minreg
tamper "UPDATE mining_permits SET area_km2 = 9 WHERE id = 3"
is "a seed row changed outside minreg: found, exit 1" "$rc" 1
is "... naming the row and the field" "$(grep -c "^verify: .* 3 Area: holds '9', not what change 0 wrote" "$T/out")" 1
tamper "UPDATE exploration_blocks SET area_km2 = 7 WHERE code = 'V2'"
is "an imported row changed outside minreg: the row and the field named" "$(grep -c "^verify: .* V2 Area: holds '7', not what change 2 wrote" "$T/out")" 1
tamper "UPDATE exploration_blocks SET name = 'forged' WHERE code = 'V1'"
is "a field an audited change set, changed after it: register, key and field named" \
   "$(grep -c "^verify: .* V1 .*: holds 'forged', but change 3 set it to '甲2'" "$T/out")" 1
tamper "UPDATE mining_permits SET remark = 'x' WHERE mine_name = '新矿'"
is "a row added by add, changed: the field named" \
   "$(grep -c "holds 'x', but change 4 added the row with nothing" "$T/out")" 1
tamper "INSERT INTO districts (code, name, short_name, level) VALUES ('219999', '假区', '假', '县')"
is "a row inserted outside minreg" "$(grep -c '219999: the row is not in the history' "$T/out")" 1
tamper "DELETE FROM mining_permits WHERE id = 4"
is "a row deleted outside minreg" "$(grep -c 'the row is gone, but no audited change deleted it' "$T/out")" 1

# the history itself
tamper "DROP TRIGGER minreg_audit_no_update; UPDATE minreg_audit SET new = '3' WHERE change_id = 3"
is "an audit row altered: its change named" "$(grep -c '^verify: change 3 does not match its digest' "$T/out")" 1
tamper "DROP TRIGGER minreg_changes_no_update; UPDATE minreg_changes SET who = 'someone' WHERE id = 2"
is "a change's record altered" "$(grep -c '^verify: change 2 does not match its digest' "$T/out")" 1
tamper "INSERT INTO minreg_changes (at, who, kind, tbl, summary) VALUES ('1999-01-01T00:00:00Z', 'x', 'set', 'mining_permits', 'forged')"
is "a change inserted outside minreg" "$(grep -c 'has no digest: it was added to the history outside minreg' "$T/out")" 1
tamper "DROP TRIGGER minreg_audit_no_delete; DROP TRIGGER minreg_changes_no_delete;
        DELETE FROM minreg_audit WHERE change_id = 3; DELETE FROM minreg_changes WHERE id = 3"
is "a change removed" "$(grep -c '^verify: change 3 was removed from the history' "$T/out")" 1
tamper "UPDATE minreg_changes SET undone_by = NULL WHERE id = 1"
is "undone_by altered: the change named" "$(grep -c '^verify: change 1 is not marked undone, but the history says change' "$T/out")" 1
tamper "UPDATE minreg_changes SET undone_by = 2 WHERE id = 2"
is "... or set where nothing undid it" "$(grep -c '^verify: change 2 is marked undone by 2, but no change' "$T/out")" 1
tamper "DROP TRIGGER minreg_chain_no_update; UPDATE minreg_chain SET digest = zeroblob(32) WHERE change_id = 2"
is "a digest altered" "$(grep -c '^verify: change 2 does not match its digest' "$T/out")" 1

# a history cut short (its rows put back by hand) keeps no earlier head
cp "$R" "$T/cut.db"
was=$(sqlite3 "$T/cut.db" "SELECT ifnull(remark, '') FROM mining_permits WHERE id = 5")
run_minreg -f "$T/cut.db" set a11 5 remark=切
run_minreg -f "$T/cut.db" verify
H2=$(head_of)
last=$(sqlite3 "$T/cut.db" "SELECT max(id) FROM minreg_changes")
sqlite3 "$T/cut.db" "DROP TRIGGER minreg_audit_no_delete; DROP TRIGGER minreg_changes_no_delete;
    DROP TRIGGER minreg_chain_no_delete; DELETE FROM minreg_audit WHERE change_id = $last;
    DELETE FROM minreg_chain WHERE change_id = $last; DELETE FROM minreg_changes WHERE id = $last;
    UPDATE mining_permits SET remark = nullif('$was', '') WHERE id = 5"
run_minreg -r -f "$T/cut.db" verify
is "a history cut short, its row put back, is consistent in itself" "$rc" 0
run_minreg -r -f "$T/cut.db" verify --head "$H2"
is "... but verify --head with the head recorded before fails" "$rc" 1
is "... saying so" "$(grep -c "the head $H2 recorded earlier is not in this history" "$T/out")" 1
run_minreg -r -f "$T/cut.db" verify --head "$H1"
is "... while an older head is still found" "$rc" 0
run_minreg -f "$R" verify --head nothex
is "--head with something not a digest: exit 2" "$rc" 2

# check runs it as R-HISTORY
tamper "UPDATE mining_permits SET area_km2 = 9 WHERE id = 3"
run_minreg -r -f "$T/t.db" check --format csv
is "check reports it as R-HISTORY, an error" "$(grep -c '^error,R-HISTORY,' "$T/out")" 1
run_minreg -f "$R" check --format csv
is "... and nothing on an untouched register" "$(grep -c 'R-HISTORY' "$T/out")" 0
MINREG_LANG=zh run_minreg -r -f "$T/t.db" verify
is "... and verify says it in Chinese" "$(grep -c "^核验：.* 3 登记面积: 现为 '9'，与第 0 号修改写入的不同" "$T/out")" 1
# a row's sum is 8 bytes per row, in runs, and a byte for each of its fields
is "an import's rows have their sums" "$(sqlite3 "$R" "SELECT length(sums) FROM minreg_sums WHERE change_id = 2")" 16
is "... and their field bytes" "$(sqlite3 "$R" "SELECT length(sums) FROM minreg_fsums WHERE change_id = 2")" \
   "$((2 * $(sqlite3 "$R" "SELECT count(*) FROM minreg_columns WHERE tbl = 'exploration_blocks'")))"

# ---- a register made by the release before (schema 4, no field bytes) ----
sqlite3 "$T/v4.db" <"$srcdir/tests/fixtures/v4/history.sql"
V4HEAD=00c3a0103631b1cc42e0e9ae3f059911a0faed48d150cd644b9fa1715b1e389e
run_minreg -f "$T/v4.db" verify --head $V4HEAD
is "a schema-4 register migrates and verifies, its head kept" "$rc/$(head_of)" "0/$V4HEAD"
is "... at version 7" "$(sqlite3 "$T/v4.db" "SELECT value FROM minreg_meta WHERE key = 'schema_version'")" 7
cp "$T/v4.db" "$T/v4t.db"
sqlite3 "$T/v4t.db" "UPDATE exploration_blocks SET name = '伪造' WHERE code = 'V41'"
run_minreg -r -f "$T/v4t.db" verify
is "... a row its schema-4 import added, changed outside: the row named (no field bytes then)" \
   "$rc/$(grep -c '^verify: .* V41: its values differ from those change 1 wrote' "$T/out")" 1/1
printf '区块编号,区块名称,勘查矿种,面积\nV44,丁区块,金矿,4\n' >"$T/v4.csv"
run_minreg -f "$T/v4.db" import a3 "$T/v4.csv"
sqlite3 "$T/v4.db" "UPDATE exploration_blocks SET name = '伪造' WHERE code = 'V44'"
run_minreg -r -f "$T/v4.db" verify --head $V4HEAD
is "... one imported after the migration: the field named, the old head still found" \
   "$rc/$(grep -c "^verify: .* V44 Name: holds '伪造', not what change 6 wrote" "$T/out")/$(grep -c "the head given is change 5's" "$T/out")" 1/1/1
# ---- a register made by the release before (schema 5: imports with field bytes) ----
sqlite3 "$T/v5.db" <"$srcdir/tests/fixtures/v5/history.sql"
V5HEAD=fedd15d9d08f2c896a18461b453c50c300a07babc4e8f0ed1639c5077b33279d
run_minreg -f "$T/v5.db" verify --head $V5HEAD
is "a schema-5 register migrates to 7 and verifies, its head kept" "$rc/$(head_of)" "0/$V5HEAD"
is "... at version 7, the permits' new columns appended, the events register made" \
   "$(sqlite3 "$T/v5.db" "SELECT value FROM minreg_meta WHERE key = 'schema_version';
       SELECT count(*) FROM pragma_table_info('mining_permits') WHERE name IN ('credit_code', 'service_years');
       SELECT count(*) FROM minreg_columns WHERE tbl = 'permit_events'")" "7
2
17"
run_minreg -f "$T/v5.db" tables
is "... its schema is the one minreg makes (not read-only)" "$rc/$(grep -c 'read-only' "$T/err")" 0/0
run_minreg -f "$T/v5.db" set a11 101 econ_type=私营企业 credit_code=91210600123456789E
run_minreg -f "$T/v5.db" verify
is "... an appended column set on a row its schema-5 import added: still verifies" "$rc" 0
cp "$T/v5.db" "$T/v5t.db"
sqlite3 "$T/v5t.db" "UPDATE mining_permits SET econ_type = '伪造' WHERE id = 102"
run_minreg -r -f "$T/v5t.db" verify
is "... an appended column set outside minreg on such a row: found" \
   "$rc/$(grep -c '^verify: .* 102: its values differ from those change 3 wrote' "$T/out")" 1/1
cp "$T/v5.db" "$T/v5t.db"
sqlite3 "$T/v5t.db" "UPDATE mining_permits SET holder = '伪造' WHERE id = 102"
run_minreg -r -f "$T/v5t.db" verify
is "... an old column changed outside: its field named from the schema-5 field bytes" \
   "$rc/$(grep -c "^verify: .* 102 Holder: holds '伪造', not what change 3 wrote" "$T/out")" 1/1
# ---- a register made by the current release (schema 6: events recorded) ----
sqlite3 "$T/v6.db" <"$srcdir/tests/fixtures/v6/history.sql"
V6HEAD=3166d702312b588d3ede501e77cc4108ceb68d64b5a1501f2724fbb54f9660b0
run_minreg -r -f "$T/v6.db" tables
is "a schema-6 register opened read-only is left alone, saying so" \
   "$rc/$(grep -c 'schema version 6 needs migrating to 7' "$T/err")" 4/1
run_minreg -f "$T/v6.db" verify --head $V6HEAD
is "a schema-6 register migrates to 7 and verifies, its head kept" "$rc/$(head_of)" "0/$V6HEAD"
is "... at version 7: the first area and 投放 roles, the 年报 type, its events and rows kept" \
   "$(sqlite3 "$T/v6.db" "SELECT value FROM minreg_meta WHERE key = 'schema_version';
       SELECT group_concat(tbl || '.' || col || ':' || role, ' ') FROM (SELECT * FROM minreg_roles
        WHERE role IN ('first_area', 'cut:25', 'release_from', 'release_to') ORDER BY tbl, col, role);
       SELECT enum FROM minreg_columns WHERE tbl = 'permit_events' AND id = 'type';
       SELECT count(*) FROM permit_events; SELECT count(*) FROM minreg_changes")" "7
exploration_blocks.year_from:release_from exploration_blocks.year_to:release_to exploration_permits.first_area:cut:25 exploration_permits.first_area:first_area mining_blocks.year_from:release_from mining_blocks.year_to:release_to mining_permits.first_area:first_area
新立|延续|变更|转让|保留|注销|年报
3
9"
is "... the 变更 type may change any of the permit's fields ('any' in its sets: the event form offers them all), the 注销 ends the permit's life ('ends')" \
   "$(sqlite3 "$T/v6.db" "SELECT type || ':' || sets FROM minreg_event_types WHERE sets <> '' ORDER BY ord")" "变更:any
注销:status=关闭;ends
年报:annual"
run_minreg -f "$T/v6.db" tables
is "... its schema is the one minreg makes (not read-only)" "$rc/$(grep -c 'read-only' "$T/err")" 0/0
run_minreg -f "$T/v6.db" get a11 C2106002016017130000001
is "... a permit found by the number its schema-6 延续 replaced" "$rc/$(grep -c 'its number now is C2106002026107130000002' "$T/err")" 0/1
run_minreg -f "$T/v6.db" event a10 1 延续 --date 2026-12-01 valid_to=2031-12-31 permit_no=T2106002026127110000002
is "... an exploration 延续 that keeps the whole area: recorded, with the 25% rule's warning" \
   "$rc/$(grep -c 'rule cuts 25% of the first area 4.0000 at each extension, to at most 3.0000' "$T/err")/$(sqlite3 "$T/v6.db" "SELECT first_area FROM exploration_permits WHERE id = 1")" "0/1/4.0"
run_minreg -f "$T/v6.db" verify --head $V6HEAD
is "... and the register still verifies from the old head" "$rc" 0
done_testing
