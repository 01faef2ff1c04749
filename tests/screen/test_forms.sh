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

# A form's drafts go to the test's own state folder.
XDG_STATE_HOME=$T/state; export XDG_STATE_HOME
form() {   # form NAME [OPTIONS]: fresh register, run keys/NAME.keys, compare
    cp "$builddir/data/register.db" "$T/reg.db"
    form_on "$@"
}
# form_on NAME [OPTIONS]: the same on the register as it is; $SIZE (default
# 80x24) and $WANT_EXIT (default 0) for the run
form_on() {
    name=$1; shift
    size=${SIZE:-80x24}
    "$MINREG" --script "$KEYS/$name.keys" --size "$size" "$@" >"$T/screen" 2>"$T/err"
    st=$?
    out=$SEXP/$name-$size.txt
    if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
    if [ $st -eq "${WANT_EXIT:-0}" ] && cmp -s "$T/screen" "$out"; then ok "$name $size"; else
        not_ok "$name $size (exit $st)"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi
}
value() { "$MINREG" show a11 --where id="$1" --columns "$2" --format tsv | tail -1; }

form form_edit
is "form_edit: the saved value, undone and redone" "$(value 4 area_km2)" 0.31
run_minreg log --format tsv
is "form_edit: set, undo, redo in the audit trail" "$(tail -n +2 "$T/out" | cut -f4 | tr '\n' ' ')" "set undo 1 (undone by 3) redo 2 "
# the history screen at 80x24 and 40x10 in both languages, times in
# Shanghai's zone (#20)
for SIZE in 80x24 40x10; do
    for lang in en zh; do
        tag=; [ $lang = zh ] && tag=-zh
        cp "$builddir/data/register.db" "$T/reg.db"
        TZ=Asia/Shanghai "$MINREG" --lang $lang --script "$KEYS/history.keys" --size $SIZE >"$T/screen" 2>"$T/err"
        out=$SEXP/history-$SIZE$tag.txt
        if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
        if cmp -s "$T/screen" "$out"; then ok "history $SIZE$tag"; else
            not_ok "history $SIZE$tag"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi
        is "... u undid the change ($SIZE$tag)" "$(value 4 area_km2)" 0.3035
    done
done
SIZE=
# each_size NAME [CHECK]: keys/NAME.keys at 80x24 and 40x10, in English and
# Chinese, each on a fresh register; CHECK (a function) after each run
each_size() {
    for SIZE in 80x24 40x10; do
        for lang in en zh; do
            tag=; [ $lang = zh ] && tag=-zh
            cp "$builddir/data/register.db" "$T/reg.db"
            "$MINREG" --lang $lang --script "$KEYS/$1.keys" --size $SIZE >"$T/screen" 2>"$T/err"
            out=$SEXP/$1-$SIZE$tag.txt
            if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
            if cmp -s "$T/screen" "$out"; then ok "$1 $SIZE$tag"; else
                not_ok "$1 $SIZE$tag"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi
            [ -z "${2:-}" ] || $2
        done
    done
    SIZE=
}
# W: a comment on the change, in the log (#20)
comment_saved() {
    run_minreg log --format tsv
    is "... saved once, with its comment ($SIZE$tag)" "$(value 4 area_km2)|$(tail -n +2 "$T/out" | cut -f4 | tr '\n' ' ')|$(grep -c 县局来函更正面积 "$T/out")" "0.31|set |1"
}
each_size form_comment comment_saved
# a pattern in the clerk's words (minreg_meta), nothing written
pattern_refused() {
    is "... the bad permit number not written ($SIZE$tag)" "$(value 4 permit_no)" ""
}
each_size form_pattern pattern_refused
each_size form_pickbox
multi_saved() {
    is "... 金矿 and 银矿 set, in the order marked ($SIZE$tag)" "$(value 4 minerals)" "金矿;银矿"
}
each_size form_multipick multi_saved
each_size form_resize
SIZE=
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
form form_cascade
is "form_cascade: the district renamed" "$("$MINREG" show districts --where code=210604 --columns short_name --format tsv | tail -1)" 振安新区
is "form_cascade: the permits that named it follow" "$(value 1 district),$(sqlite3 "$T/reg.db" "SELECT count(*) FROM mining_permits WHERE district = '振安区'")" "$(sqlite3 "$builddir/data/register.db" "SELECT CASE WHEN district = '振安区' THEN '振安新区' ELSE district END FROM mining_permits WHERE id = 1"),0"
is "form_cascade: one change, the rename and the linking rows" "$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_changes"),$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_audit WHERE change_id = (SELECT max(id) FROM minreg_changes)")" "1,17"
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

# ---- field-level merge: a second clerk (<other ...>) changes the row while
# the form is open
log_of() { run_minreg log a11 "$1" --format tsv; tail -n +2 "$T/out" | cut -f"$2" | tr '\n' ' '; }
form form_merge
is "form_merge: my area is written" "$(value 4 area_km2)" 0.5
is "... the other clerk's remark is kept, not reverted" "$(value 4 remark)" 复核
is "... the audit records only the field I wrote" "$(log_of 4 7,10 | tr '\t' :)" "remark:by-the-other-clerk area_km2: "
form form_both
is "form_both: area kept mine" "$(value 4 area_km2)" 0.5
is "... remark took theirs" "$(value 4 remark)" 他的备注
is "... the save wrote the area only" "$(log_of 4 1,7 | tr '\t' :)" "1:area_km2 1:remark 2:area_km2 "
SIZE=40x10 form form_both
form form_recheck
is "form_recheck: the save after continuing was checked again; mine then kept" "$(value 4 area_km2)" 0.5
is "... B's two changes and mine, all audited" "$(log_of 4 9)" "0.4 0.9 0.5 "
form form_deleted
is "form_deleted: B's record in the place of the deleted one is untouched" \
    "$(value 10 mine_name) $(value 10 area_km2)" "其他矿 1"
is "... mine was added as a new record" "$(value 11 mine_name) $(value 11 area_km2)" "丹东恒绪矿业有限公司 2.5"
is "... permit 9, deleted, was not brought back" "$("$MINREG" show a11 --where id=9 --format tsv | tail -n +2 | wc -l)" 0
run_minreg log --format tsv
is "... the audit: B's rm and add, my add, B's rm" "$(tail -n +2 "$T/out" | cut -f4,6 | tr '\t\n' ': ')" "rm:10 add:10 add:11 rm:9 "

# ---- nothing typed is lost
WANT_EXIT=130 form form_quit
run_minreg log --format tsv
is "form_quit: Q, :q and Ctrl-C asked; nothing written" "$(tail -n +2 "$T/out" | wc -l)" 0
drafts() { ls "$T/state/minreg" 2>/dev/null | tr '\n' ' '; }
perms() { stat -c %a "$1"; }
WANT_EXIT=129 form form_draft_hup
is "form_draft_hup: SIGHUP kept one draft, for this register file and record" "$(drafts | sed 's/^[0-9a-f]*\.//')" "mining_permits.4.draft "
d=$(ls "$T/state/minreg"/*.draft)
is "... mode 0600" "$(perms "$d")" 600
is "... in a folder 0700" "$(perms "$T/state/minreg")" 700
grep -q '^mine	remark	未保存的备注$' "$d"
is "... with the field being typed when the link dropped" "$?" 0
run_minreg log --format tsv
is "... nothing was written to the register" "$(tail -n +2 "$T/out" | wc -l)" 0
run_minreg set a11 4 holder=某公司 -m meanwhile
form_on form_draft_offer
is "form_draft_offer: the recovered draft was saved" "$(value 4 area_km2) $(value 4 remark)" "0.5 未保存的备注"
is "... what B changed meanwhile was kept" "$(value 4 holder)" 某公司
is "... and the draft is gone once saved" "$(drafts)" ""
cp "$builddir/data/register.db" "$T/reg.db"
WANT_EXIT=129 form_on form_draft_hup
SIZE=40x10 form_on form_draft_discard
is "form_draft_discard: d removed the draft" "$(drafts)" ""
is "... and wrote nothing" "$(value 4 area_km2)" 0.3035
WANT_EXIT=143 form form_draft_new
is "form_draft_new: SIGTERM kept a draft of the new record" "$(drafts | sed 's/^[0-9a-f]*\.//')" "mining_permits.new.draft "
form_on form_draft_new_offer
is "form_draft_new_offer: the next add form offered it; recovered and saved" "$(value 11 mine_name) $(value 11 area_km2)" "草稿矿山 1.5"
is "... the draft is gone" "$(drafts)" ""
done_testing
