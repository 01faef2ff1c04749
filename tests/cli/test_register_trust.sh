#!/bin/sh
# A register from someone else (issue 15, item 4) and the open's messages and
# exit codes (item 8): the file's schema is compared with the one minreg
# makes, and anything else — a trigger, view, index or table minreg did not
# make, one that differs, one that is missing — opens it read-only, named;
# minreg's SQL functions cannot be called from the schema; the register
# description's values are bounded; files that are not registers are refused
# before SQLite reads them; a full file system still lets a register be read.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER

fresh() { rm -f "$T/h.db" "$T/h.db-wal" "$T/h.db-shm"; cp "$builddir/data/register.db" "$T/h.db"; }
q() { sqlite3 "$T/h.db" "$1"; }
plant() {   # plant SQL: put SQL in a fresh register, as someone else could
    fresh
    sqlite3 "$T/h.db" "$1" 2>"$T/sqlerr" || { not_ok "sqlite3: $1"; sed 's/^/#   /' "$T/sqlerr"; }
}
state() { q "SELECT count(*) FROM minreg_changes; SELECT group_concat(ifnull(remark, '-') || '/' || area_km2, ' ') FROM mining_permits" | tr '\n' ' '; }
tmo() { timeout -k 5 "$@"; }

# ---- the trigger of the issue: it fires on minreg's own write, changes
# another row and forges a change in the audit trail
plant "CREATE TRIGGER mp_touch AFTER UPDATE ON mining_permits BEGIN
         UPDATE mining_permits SET area_km2 = 999 WHERE id = 2;
         INSERT INTO minreg_changes (at, who, kind, tbl, summary)
         VALUES ('1999-01-01T00:00:00Z', 'nobody', 'set', 'mining_permits', 'forged');
       END"
before=$(state)
cp "$T/h.db" "$T/h.before"
run_minreg -f "$T/h.db" set a11 1 remark=x
is "a planted trigger: the write is refused (exit 4)" "$rc" 4
grep -q 'open read-only (it holds SQL minreg did not make: trigger "mp_touch" on mining_permits: not made by minreg): nothing was changed' "$T/err"
is "... naming the trigger" "$?" 0
is "... no row changed, no change forged" "$(state)" "$before"
cmp -s "$T/h.db" "$T/h.before"
is "... the file's bytes unchanged" "$?" 0
run_minreg -f "$T/h.db" show a11 --where id=2 --columns area_km2 --format tsv
is "... it can still be read" "$rc $(tail -1 "$T/out")" "0 $(sqlite3 "$T/h.before" 'SELECT area_km2 FROM mining_permits WHERE id = 2')"
is "... with a warning naming the trigger first" "$(cat "$T/err")" \
    "minreg: warning: $T/h.db holds SQL minreg did not make, so it is open read-only: trigger \"mp_touch\" on mining_permits: not made by minreg"
run_minreg -f "$T/h.db" check --format csv
is "... check exits 1" "$rc" 1
is "... reporting it as an error" "$(grep -c '^error,R-SCHEMA,minreg,,,,,"trigger ""mp_touch"" on mining_permits: not made by minreg' "$T/out")" 1
for cmd in "add a11 mine_name=x minerals=金矿 area_km2=1" "rm a11 1" "undo"; do
    run_minreg -f "$T/h.db" $cmd
    is "... $cmd refused too (exit 4)" "$rc" 4
done
printf '序号,矿山名称,开采矿种,矿区面积\n' >"$T/i.csv"
run_minreg -f "$T/h.db" import a11 "$T/i.csv"
is "... and an import (exit 4, the reason named)" "$rc/$(grep -c 'open read-only (it holds SQL minreg did not make' "$T/err")" 4/1
is "... nothing was changed by any of them" "$(state)" "$before"

# a runaway recursive query in a trigger: the write is refused at once
plant "CREATE TRIGGER mp_spin AFTER UPDATE ON mining_permits BEGIN
         SELECT count(*) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT i FROM r);
       END"
tmo 20 "$MINREG" -f "$T/h.db" set a11 1 remark=x >"$T/out" 2>"$T/err"
is "a runaway trigger: the write is refused, not run (exit 4)" "$?" 4

# every other kind of object minreg did not make, and ones that differ or are missing
for case in \
    'view "v_all"~CREATE VIEW v_all AS SELECT * FROM mining_permits' \
    'index "mp_name" on mining_permits: not made~CREATE INDEX mp_name ON mining_permits(mine_name)' \
    'table "extra": not made~CREATE TABLE extra(x)' \
    'table "mining_permits": differs~ALTER TABLE mining_permits ADD COLUMN evil TEXT DEFAULT 1' \
    'trigger "minreg_audit_no_update" on minreg_audit: missing~DROP TRIGGER minreg_audit_no_update' \
    'trigger "minreg_changes_no_update" on minreg_changes: differs~DROP TRIGGER minreg_changes_no_update; CREATE TRIGGER minreg_changes_no_update BEFORE UPDATE OF id ON minreg_changes BEGIN SELECT 1; END' \
    'index "minreg_audit_row" on minreg_audit: missing~DROP INDEX minreg_audit_row'; do
    what=${case%%~*} sql=${case#*~}
    plant "$sql"
    run_minreg -f "$T/h.db" set a11 1 remark=x
    is "$what: a write is refused (exit 4)" "$rc" 4
    is "... naming it" "$(grep -c "is open read-only (it holds SQL minreg did not make: $what" "$T/err")" 1
done

# what SQLite itself makes, a rename round trip (SQLite rewrites the SQL
# with quotes) and a migrated register are minreg's schema still
for case in \
    'statistics (sqlite_stat1)~ANALYZE' \
    'a table renamed and back~ALTER TABLE districts RENAME TO d_tmp; ALTER TABLE d_tmp RENAME TO districts' \
    'a version-1 register, migrated on open~DROP TABLE minreg_audit_added; UPDATE minreg_meta SET value = '"'1'"' WHERE key = '"'schema_version'"; do
XX "$rc $(cat "$T/err")" "0 "
done

# minreg's functions cannot be called from a schema, even from one minreg
# takes as its own (a schema.sql of a different installation)
mkdir -p "$T/data2"
cp -r "$srcdir/data/seed" "$T/data2/"
{ cat "$srcdir/data/schema.sql"; echo "CREATE TRIGGER mp_rx AFTER UPDATE ON mining_permits WHEN regexp('x', NEW.remark) BEGIN SELECT 1; END;"; } >"$T/data2/schema.sql"
MINREG_DATA_DIR=$T/data2 "$MINREG" init "$T/rx.db" >/dev/null 2>&1
MINREG_DATA_DIR=$T/data2 run_minreg -f "$T/rx.db" set a11 1 remark=x
is "a trigger calling regexp(): the write fails (exit 4), nothing written" \
    "$rc $(sqlite3 "$T/rx.db" 'SELECT count(*) FROM minreg_changes; SELECT ifnull(remark, 0) = '"'x'"' FROM mining_permits WHERE id = 1' | tr '\n' ' ')" "4 0 0 "
grep -q 'unsafe use of regexp()' "$T/err"
is "... SQLite refusing the unsafe use of minreg's function" "$?" 0

# ---- the register description is bounded where it is read
for case in \
    "scale 2147483647~UPDATE minreg_columns SET scale = 2147483647~column national_areas.seq has 2147483647 decimals" \
    "scale -5~UPDATE minreg_columns SET scale = -5 WHERE tbl = 'mining_permits' AND id = 'area_km2'~column mining_permits.area_km2 has -5 decimals" \
    "a 5000-byte pattern~UPDATE minreg_columns SET pattern = printf('%.5000c', 'a') WHERE tbl = 'mining_permits' AND id = 'permit_no'~column mining_permits.permit_no has 5000 bytes in its pattern" \
    "an enum of 1000 values~UPDATE minreg_columns SET enum = (SELECT group_concat(value, '|') FROM generate_series(1, 1000)) WHERE tbl = 'mining_permits' AND id = 'method'~column mining_permits.method has 1000 allowed values" \
    "a 2000-byte label~UPDATE minreg_columns SET label = printf('%.2000c', 'x') WHERE tbl = 'mining_permits' AND id = 'remark'~column mining_permits.remark has 2000 bytes in its label"; do
    what=${case%%~*} rest=${case#*~}
    sql=${rest%%~*} msg=${rest#*~}
    plant "$sql"
    tmo 20 "$MINREG" -f "$T/h.db" show a11 --limit 1 >"$T/out" 2>"$T/err"
    rc=$?
    is "$what: refused (exit 4), at once" "$rc" 4
    is "... naming the value and its bound" "$(grep -c "out of bounds: $msg .*(at most" "$T/err")" 1
done

# ---- files that are not registers
tmo 20 "$MINREG" -f /dev/zero tables >"$T/out" 2>"$T/err"
is "-f /dev/zero: refused (exit 4)" "$?" 4
is "... as not a register" "$(cat "$T/err")" "minreg: /dev/zero: not a register file (a character device)"
mkfifo "$T/fifo" 2>/dev/null && {
    tmo 20 "$MINREG" -f "$T/fifo" tables >"$T/out" 2>"$T/err"
    is "-f FIFO: refused without waiting for a writer (exit 4)" "$?/$(cat "$T/err")" \
        "4/minreg: $T/fifo: not a register file (a FIFO)"
}
run_minreg -f "$T" tables
is "-f FOLDER: refused (exit 4)" "$rc/$(cat "$T/err")" "4/minreg: $T: not a register file (a folder)"
: >"$T/empty.db"
run_minreg -f "$T/empty.db" tables
is "an empty file: refused (exit 4)" "$rc/$(cat "$T/err")" "4/minreg: $T/empty.db: an empty file, not a register"

# ---- log --since: a date or a UTC time, nothing else
fresh
"$MINREG" -f "$T/h.db" set a11 1 remark=x >/dev/null
for bad in garbage 2026-13-01 2026-01-01x 2026-01-01T25:00 2026-01-01T10; do
    run_minreg -f "$T/h.db" log --since "$bad"
    is "log --since $bad: exit 2" "$rc" 2
done
is "... naming the form wanted" "$(cat "$T/err")" \
    "minreg: --since wants a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM[:SS], not '2026-01-01T10'"
for good in 2000-01-01 2000-01-01T10:00 2000-01-01T10:00:00Z; do
    run_minreg -f "$T/h.db" log --since "$good" --format tsv
    is "log --since $good: the change" "$rc $(tsv_rows)" "0 1"
done
run_minreg -f "$T/h.db" log --since 2999-01-01 --format tsv
is "log --since a later day: none" "$rc $(tsv_rows)" "0 0"

# ---- a full file system: the register can still be read; writes exit 5
mkdir -p "$T/small"
if unshare -rm sh -c 'mount -t tmpfs -o size=1m tmpfs "$0"' "$T/small" 2>/dev/null; then
    fresh
    "$MINREG" -f "$T/h.db" set a11 4 remark=before >/dev/null   # WAL mode now, one change to undo
    unshare -rm sh -c '
        M=$1 T=$2
        mount -t tmpfs -o size=1m tmpfs "$T/small" || exit 9
        cp "$T/h.db" "$T/small/r.db"
        dd if=/dev/zero of="$T/small/fill" bs=4096 2>/dev/null
        for c in "tables" "show a11 --where id=4 --columns remark --format tsv" "log --format tsv" "check a11 --format csv" "undo" "set a11 4 remark=x"; do
            "$M" -f "$T/small/r.db" $c >"$T/full.out" 2>"$T/full.err"
            echo "$? $(tail -1 "$T/full.out" | cut -c1-30) | $(tail -1 "$T/full.err")"
        done
        rm -f "$T/small/fill"
        echo "after $(sqlite3 "$T/small/r.db" "PRAGMA integrity_check; SELECT count(*) FROM minreg_changes; SELECT remark FROM mining_permits WHERE id = 4" | tr "\n" " ")"
    ' sh "$MINREG" "$T" >"$T/full.txt" 2>&1
    warn="minreg: warning: $T/small/r.db is open read-only: the file system is full: no room for the -wal and -shm files a write needs"
    ro="minreg: $T/small/r.db is open read-only (the file system is full: no room for the -wal and -shm files a write needs): nothing was changed"
    is "a full file system: tables works" "$(sed -n 1p "$T/full.txt" | cut -c1-2)" "0 "
    is "... show reads the row, with a warning saying why it is read-only" "$(sed -n 2p "$T/full.txt")" "0 before | $warn"
    is "... log reads the trail" "$(sed -n 3p "$T/full.txt" | cut -c1-2)" "0 "
    is "... check runs (quick_check too)" "$(sed -n 4p "$T/full.txt" | cut -d' ' -f1)" 0
    is "... undo exits 5, saying why" "$(sed -n 5p "$T/full.txt")" "5  | $ro"
    is "... set exits 5" "$(sed -n 6p "$T/full.txt" | cut -c1-2)" "5 "
    is "... the register intact, nothing changed" "$(sed -n 7p "$T/full.txt")" "after ok 1 before "
else
    ok "# SKIP cannot mount a tmpfs in a user namespace here"
fi
# ---- a long write stopped by a signal: within moments, rolled back.  The
# undo of a 30,000-row import runs for seconds; the browser catches SIGTERM,
# SIGHUP and Ctrl-C (the db's progress handler asks it while any statement
# runs), the CLI is stopped by them
if command -v cc >/dev/null 2>&1 && cc -O2 -o "$T/gen" "$srcdir/tests/bench/gen.c" 2>/dev/null; then
    "$T/gen" -t mining_blocks 30000 >"$T/b.csv"
    "$T/gen" 30000 >"$T/p.csv"
    rm -f "$T/big.db"
    "$MINREG" init "$T/big.db" >/dev/null 2>&1
    "$MINREG" -f "$T/big.db" import mining_blocks "$T/b.csv" >/dev/null 2>&1
    "$MINREG" -f "$T/big.db" import mining_permits "$T/p.csv" >/dev/null 2>&1
    ms() { echo $(($(date +%s%N) / 1000000)); }
    # timings and signal delivery are measured on the program itself:
    # under valgrind (MINREG_VALGRIND=1) a signal waits for valgrind's
    # scheduler and the undo runs 50 times slower, so "within a second"
    # would measure valgrind; memory errors here are ASan's to find
    M=$builddir/src/minreg
    printf 'u<dump>y\n' >"$T/undo.keys"
    dflt=
    env --default-signal=INT true 2>/dev/null && dflt="env --default-signal=INT"
    for how in "browser TERM 143" "browser HUP 129" "browser INT 0" "cli INT 130" "cli TERM 143"; do
        set -- $how
        cp "$T/big.db" "$T/u.db"
        if [ "$1" = browser ]; then
            "$M" -f "$T/u.db" --script "$T/undo.keys" --size 80x24 >"$T/u.out" 2>"$T/u.err" &
        else
            # a background job of a script ignores SIGINT; a clerk's ^C
            # reaches a foreground minreg with its default action
            $dflt "$M" -f "$T/u.db" undo >"$T/u.out" 2>"$T/u.err" &
        fi
        pid=$!
        # signal it once the undo has begun: the browser's dump of its
        # question is written just before the answer starts the undo (a
        # loaded machine may take long to get there); the command, once up
        i=0
        if [ "$1" = browser ]; then
            until grep -q 'Undo this change' "$T/u.out" 2>/dev/null || [ $i -ge 600 ] ||
                  ! kill -0 $pid 2>/dev/null; do
                sleep 0.05; i=$((i + 1))
            done
        fi
        sleep 0.3
        t0=$(ms); kill -s "$2" $pid; wait $pid; st=$?; t1=$(ms)
        is "$1: undo of 30,000 rows, SIG$2 while it runs: exit $3" "$st" "$3"
        if [ $((t1 - t0)) -lt 1000 ]; then ok "... within $((t1 - t0)) ms"; else
            not_ok "... within a second (took $((t1 - t0)) ms)"; fi
        is "... rolled back: every row there, no undo recorded, the file sound" \
            "$(sqlite3 "$T/u.db" "SELECT count(*) FROM mining_permits; SELECT count(*) FROM minreg_changes; PRAGMA integrity_check" | tr '\n' ' ')" \
            "30010 2 ok "
    done
else
    ok "# SKIP no C compiler for the generator"
fi
done_testing
