#!/bin/sh
# Screen tests for editing: forms, validation messages, pick lists, delete
# refused, conflicts, undo/redo, history, read-only.  Each script runs on a
# fresh copy of the register; the audit trail is checked after.
. "$srcdir/tests/lib.sh"
KEYS=$srcdir/tests/screen/keys
SEXP=$srcdir/tests/screen/expected
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
unset SSH_CLIENT

form() {   # form NAME [OPTIONS]: fresh register, run keys/NAME.keys, compare
    name=$1; shift
    cp "$builddir/data/register.db" "$T/reg.db"
    "$MINREG" --script "$KEYS/$name.keys" --size 80x24 "$@" >"$T/screen" 2>"$T/err"
    st=$?
    out=$SEXP/$name-80x24.txt
    if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
    if [ $st -eq 0 ] && cmp -s "$T/screen" "$out"; then ok "$name"; else
        not_ok "$name (exit $st)"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi
}
value() { "$MINREG" show a11 --where id="$1" --columns "$2" --format tsv | tail -1; }

form form_edit
is "form_edit: the saved value, undone and redone" "$(value 4 area_km2)" 0.31
run_minreg log --format tsv
is "form_edit: set, undo, redo in the audit trail" "$(tail -n +2 "$T/out" | cut -f4 | tr '\n' ' ')" "set undo 1 (undone by 3) redo 2 "
form form_pick
is "form_pick: the enumeration value was saved" "$(value 4 method)" 地下开采
is "form_pick: the district picked from the list was saved" "$(value 4 district)" 凤城市
form form_add
is "form_add: the new record exists" "$(value 11 mine_name)" 新建矿山
is "form_add: its area" "$(value 11 area_km2)" 1.25
is "form_add: the duplicate was deleted and the delete undone" "$(value 12 mine_name)" 新建矿山
form undo_scope
run_minreg log --format tsv
is "undo_scope: my change undone, the other clerk's kept" "$(tail -n +2 "$T/out" | cut -f3,4,6 | tr '\t\n' ', ')" "clerk,set (undone by 3),4 other,set,5 clerk,undo 1,4 "
is "undo_scope: the other clerk's remark stands" "$(value 5 remark)" 另一位办事员的备注
form form_refuse
is "form_refuse: nothing was deleted" "$("$MINREG" show districts --format tsv | tail -n +2 | wc -l)" 7
form form_invisible
is "form_invisible: the look-alike 金矿 was not added" \
    "$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minerals WHERE name LIKE '金矿%'")" 1
form form_conflict
is "form_conflict: mine saved over theirs, then theirs taken" "$(value 4 area_km2)" 0.7
run_minreg log a11 4 --format tsv
is "form_conflict: every change audited, the other clerk's too" "$(tail -n +2 "$T/out" | cut -f9 | tr '\n' ' ')" "0.4 0.5 0.7 "
form form_readonly -r
run_minreg log --format tsv
is "form_readonly: nothing written" "$(tail -n +2 "$T/out" | wc -l)" 0
done_testing
