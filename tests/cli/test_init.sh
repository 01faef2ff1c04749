#!/bin/sh
# CLI: creating registers, the default location, refusing what is not ours.
. "$srcdir/tests/lib.sh"
unset MINREG_DB

run_minreg init "$T/new.db"
is "init creates a register" "$rc" 0
run_minreg -f "$T/new.db" show exploration_areas --format tsv
is "... holding the plan's rows" "$(tsv_rows)" 13
mode=$(stat -c %a "$T/new.db")
case $mode in *0) ok "new register has no world permissions ($mode)";; *) not_ok "new register has no world permissions ($mode)";; esac
(umask 077; "$MINREG" init "$T/private.db")
is "... and follows the umask" "$(stat -c %a "$T/private.db")" 600
run_minreg init "$T/new.db"
is "init refuses to overwrite (exit 5)" "$rc" 5
is "... and says so" "$(grep -c 'already exists' "$T/err")" 1
run_minreg init "$T/empty.db" --empty
run_minreg -f "$T/empty.db" tables
is "init --empty: every register, no rows" "$(awk 'NR > 2 { s += $NF } END { print s + 0 }' "$T/out")" 0
is "... but the registers are there" "$(($(wc -l <"$T/out") - 2))" 17
run_minreg init "$T/nodir/x.db"
is "init into a missing folder fails" "$rc" 5
ls "$T/nodir" >/dev/null 2>&1
is "... leaving nothing behind" "$?" 2

# default location: $XDG_DATA_HOME, else ~/.local/share, created on first use
XDG_DATA_HOME=$T/xdg run_minreg tables
is "first use creates the default register under XDG_DATA_HOME" "$rc" 0
test -f "$T/xdg/minreg/register.db"
is "... at \$XDG_DATA_HOME/minreg/register.db" "$?" 0
is "... in a private folder" "$(stat -c %a "$T/xdg/minreg")" 700
run_minreg tables
test -f "$HOME/.local/share/minreg/register.db"
is "without XDG_DATA_HOME it goes to ~/.local/share/minreg" "$?" 0
MINREG_DB=$T/new.db run_minreg show a2 --format tsv
is "MINREG_DB chooses the register" "$(tsv_rows)" 13
MINREG_DB=$T/missing.db run_minreg tables
is "a missing MINREG_DB is not silently created (exit 4)" "$rc" 4

# files that are not registers
printf 'hello, this is not a database at all.............................................................' >"$T/text.db"
run_minreg -f "$T/text.db" tables
is "a file that is not SQLite: exit 4" "$rc" 4
is "... with a clear message" "$(cat "$T/err")" "minreg: $T/text.db: not an SQLite database (is it a register file?)"
sqlite3 "$T/other.db" 'CREATE TABLE t(x);'
run_minreg -f "$T/other.db" tables
is "an SQLite file that is not a register: exit 4" "$rc" 4
grep -q 'not a minreg register' "$T/err"
is "... says it is not a minreg register" "$?" 0
cp "$T/new.db" "$T/future.db"
sqlite3 "$T/future.db" "UPDATE minreg_meta SET value = '99' WHERE key = 'schema_version'"
run_minreg -f "$T/future.db" tables
is "a register from a newer minreg is refused (exit 4)" "$rc" 4
grep -q 'newer minreg (schema version 99' "$T/err"
is "... naming both versions" "$?" 0
# schema 6 undone (as a version-5 register was): its stated totals without
# kind or with_tbl, and no minreg_sources
UNDO_V6="DELETE FROM minreg_totals WHERE rowid > 31; DROP TABLE minreg_sources;
    ALTER TABLE minreg_totals DROP COLUMN with_tbl; ALTER TABLE minreg_totals DROP COLUMN kind;
    DROP TABLE minreg_shape_box; DROP TABLE minreg_rings; DROP TABLE minreg_shapes; DROP TABLE minreg_boundary_tables;"
cp "$T/new.db" "$T/v5.db"
sqlite3 "$T/v5.db" "$UNDO_V6 UPDATE minreg_meta SET value = '5' WHERE key = 'schema_version'"
run_minreg -f "$T/v5.db" tables
is "a version-5 register opens for writing" "$rc" 0
is "... migrated to version 7: the table counts told from the stated figures" \
   "$(sqlite3 "$T/v5.db" "SELECT value FROM minreg_meta WHERE key = 'schema_version';
      SELECT tbl || ' ' || value FROM minreg_totals WHERE kind = 'table' ORDER BY rowid;
      SELECT count(*) FROM minreg_totals WHERE with_tbl = 'exploration_permits'")" "7
min_scales 26.0
sand_areas 21.0
indicators 15.0
mining_permits 9.0
exploration_permits 6.0
districts 7.0
4"
is "... its minreg_totals made as a new register's" \
   "$(sqlite3 "$T/v5.db" "SELECT sql FROM sqlite_master WHERE name IN ('minreg_totals', 'minreg_sources') ORDER BY name")" \
   "$(sqlite3 "$T/new.db" "SELECT sql FROM sqlite_master WHERE name IN ('minreg_totals', 'minreg_sources') ORDER BY name")"
run_minreg -f "$T/v5.db" check --rules
is "... and trusted: not opened read-only" "$(grep -c 'read-only' "$T/err")" 0

# a version-1 register (before minreg_audit_added) is brought up to date on
# the first write-open, and left alone, with a message, by a read-only one
cp "$T/new.db" "$T/v1.db"
sqlite3 "$T/v1.db" "DROP TABLE minreg_audit_added; DROP TABLE minreg_seq; DROP TABLE minreg_chain;
    DROP TABLE minreg_sums; DROP TABLE minreg_fsums; $UNDO_V6 UPDATE minreg_meta SET value = '1' WHERE key = 'schema_version'"
run_minreg -r -f "$T/v1.db" tables
is "a version-1 register opened read-only: exit 4" "$rc" 4
is "... saying why" "$(cat "$T/err")" "minreg: $T/v1.db: schema version 1 needs migrating to 7, which a read-only open cannot do"
run_minreg -f "$T/v1.db" tables
is "a version-1 register opens for writing" "$rc" 0
is "... migrated to version 7, with the runs table and its guards" \
   "$(sqlite3 "$T/v1.db" "SELECT value FROM minreg_meta WHERE key = 'schema_version'; SELECT count(*) FROM sqlite_master WHERE tbl_name = 'minreg_audit_added'")" "7
5"
printf '区块编号,区块名称,勘查矿种,面积\nV1,甲,金矿,1\n' >"$T/v1.csv"
run_minreg -f "$T/v1.db" import a3 "$T/v1.csv"
is "... and imports into it are recorded as runs" "$(sqlite3 "$T/v1.db" "SELECT tbl, last_row - first_row + 1 FROM minreg_audit_added")" "exploration_blocks|1"
run_minreg -f "$T/nowhere.db" tables
is "-f with a missing file: exit 4" "$rc" 4
done_testing
