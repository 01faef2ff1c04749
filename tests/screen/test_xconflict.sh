#!/bin/sh
# test_xconflict.sh — exchange conflicts resolved in the browser: from
# :exchange, each conflict as base / theirs / mine at 80x24 (CJK aligned),
# t takes theirs, m keeps mine, e edits; each resolution audited as the CLI's
# `exchange resolve` is, and carried to the county by the next file.
. "$srcdir/tests/lib.sh"
KEYS=$srcdir/tests/screen/keys
SEXP=$srcdir/tests/screen/expected
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
unset SSH_CLIENT
XDG_STATE_HOME=$T/state; export XDG_STATE_HOME

C=$T/city.db K=$T/kd.db
cp "$T/reg.db" "$C"; cp "$T/reg.db" "$K"
q() { sqlite3 "$1" "$2"; }
CPUB=$("$MINREG" -f "$C" exchange init 210600 | tail -1)
KPUB=$("$MINREG" -f "$K" exchange init 宽甸县 | tail -1)
"$MINREG" -f "$C" exchange partner 宽甸县 "$KPUB" >/dev/null
"$MINREG" -f "$K" exchange partner 210600 "$CPUB" >/dev/null
# three rows of the county's, known to both
"$MINREG" -f "$K" add a11 id=1001 mine_name=宽甸一号 minerals=金矿 area_km2=1.5 district=宽甸县 >/dev/null
"$MINREG" -f "$K" add a11 id=1002 mine_name=宽甸二号 minerals=金矿 area_km2=2.5 district=宽甸县 >/dev/null
"$MINREG" -f "$K" add a11 id=1003 mine_name=宽甸三号 minerals=铜矿 area_km2=0.5 district=宽甸县 >/dev/null
"$MINREG" -f "$K" exchange export --to 210600 -o "$T/k1.x" >/dev/null
"$MINREG" -f "$C" exchange apply "$T/k1.x" >/dev/null
"$MINREG" -f "$C" exchange export --to 宽甸县 -o "$T/c1.x" >/dev/null
"$MINREG" -f "$K" exchange apply "$T/c1.x" >/dev/null
# both sides change: a field, a row deleted there and changed here, a name
"$MINREG" -f "$K" set a11 1001 remark=县里核实 >/dev/null
"$MINREG" -f "$C" set a11 1001 remark=市里复核 >/dev/null
"$MINREG" -f "$K" rm a11 1002 >/dev/null
"$MINREG" -f "$C" set a11 1002 remark=市里还在用 >/dev/null
"$MINREG" -f "$K" set a11 1003 mine_name=宽甸三号井 >/dev/null
"$MINREG" -f "$C" set a11 1003 mine_name=宽甸县三号矿 >/dev/null
"$MINREG" -f "$K" exchange export --to 210600 -o "$T/k2.x" >/dev/null
run_minreg -f "$C" exchange apply "$T/k2.x"
is "three conflicts open at the city" "$(q "$C" 'SELECT what FROM minreg_xchg_conflicts WHERE resolved IS NULL ORDER BY id' | tr '\n' ' ')" "field deleted_there field "

name=xconflict size=80x24
"$MINREG" -f "$C" --script "$KEYS/$name.keys" --size $size >"$T/screen" 2>"$T/err"
st=$?
out=$SEXP/$name-$size.txt
if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
if [ $st -eq 0 ] && cmp -s "$T/screen" "$out"; then ok "$name $size"; else
    not_ok "$name $size (exit $st)"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi

is "every conflict resolved: theirs, mine, the value typed" \
   "$(q "$C" 'SELECT resolved FROM minreg_xchg_conflicts ORDER BY id' | tr '\n' ' ')" "theirs mine value "
is "... the rows as resolved" "$(q "$C" 'SELECT id, remark, mine_name FROM mining_permits WHERE id > 1000 ORDER BY id' | tr '\n' ' ')" \
   "1001|县里核实|宽甸一号 1002|市里还在用|宽甸二号 1003||宽甸县长甸镇河口村北山铁矿（二号井田扩界后） "
is "... each an audited change of its own, as exchange resolve makes" \
   "$(q "$C" "SELECT count(*) FROM minreg_changes WHERE summary LIKE 'exchange conflict % resolved: %'")" 3
run_minreg -f "$C" verify
is "the city verifies" "$rc" 0
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c2.x"
run_minreg -f "$K" exchange apply "$T/c2.x"
rows() { q "$1" 'SELECT rid, remark, mine_name FROM mining_permits ORDER BY rid' | md5sum; }
is "the county takes the resolutions: both agree" "$(rows "$K")" "$(rows "$C")"
is "... no conflict open at either" "$(q "$C" 'SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL') $(q "$K" 'SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL')" "0 0"
done_testing
