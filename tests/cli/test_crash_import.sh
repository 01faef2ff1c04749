#!/bin/sh
# kill -9 at random moments of a big import, and a full disk during one:
# afterwards the register passes integrity_check and holds exactly the rows
# it held before — or, when the import had committed, every row of it, with
# its audited change.  20 trials of 100,000 rows with MINREG_SOAK_FULL=1
# (as .ci/run does); 5 of 20,000 in make check.
. "$srcdir/tests/lib.sh"
if ! command -v cc >/dev/null; then ok "# SKIP no C compiler for the generator"; done_testing; exit 0; fi
cc -O2 -o "$T/gen" "$srcdir/tests/bench/gen.c" || { not_ok "build the generator"; done_testing; exit 1; }
if [ "${MINREG_SOAK_FULL:-}" = 1 ]; then N=100000 TRIALS=20; else N=20000 TRIALS=5; fi
"$T/gen" $N >"$T/p.csv"
# the register before: the bundled one with the blocks the permits link to
cp "$builddir/data/register.db" "$T/base.db"
"$T/gen" -t mining_blocks $N >"$T/b.csv"
"$MINREG" -f "$T/base.db" import mining_blocks "$T/b.csv" >/dev/null
is "the blocks the permits link to are imported" "$?" 0
count() { sqlite3 "$1" 'SELECT count(*) FROM mining_permits'; }
imports() { sqlite3 "$1" "SELECT count(*) FROM minreg_changes WHERE kind = 'import'"; }
base=$(count "$T/base.db") ibase=$(imports "$T/base.db")

i=1 committed=0 rolled=0
while [ $i -le $TRIALS ]; do
    cp "$T/base.db" "$T/k.db"
    "$MINREG" -f "$T/k.db" import mining_permits "$T/p.csv" >/dev/null 2>&1 &
    pid=$!
    # a seeded random moment: the point of the test is to land anywhere
    delay=$(awk -v s=$((4242 + i)) -v n=$N 'BEGIN { srand(s); printf "%.2f", rand() * n / 25000 }')
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    ic=$(sqlite3 "$T/k.db" 'PRAGMA integrity_check')
    rows=$(count "$T/k.db") chg=$(imports "$T/k.db")
    if [ "$ic" = ok ] && { { [ "$rows" -eq "$base" ] && [ "$chg" -eq "$ibase" ]; } ||
                          { [ "$rows" -eq $((base + N)) ] && [ "$chg" -eq $((ibase + 1)) ]; }; }; then
        ok "kill -9 after ${delay}s: integrity ok, $rows rows, $((chg - ibase)) new import change(s)"
    else
        not_ok "kill -9 after ${delay}s: integrity '$ic', $rows rows, $((chg - ibase)) new import changes"
    fi
    [ "$rows" -eq "$base" ] && rolled=$((rolled + 1)) || committed=$((committed + 1))
    i=$((i + 1))
done
echo "# $rolled rolled back, $committed committed"

# a full disk (a file size limit) during the import: exit 5, nothing written
cp "$T/base.db" "$T/f.db"
before=$(count "$T/f.db")
(ulimit -f 4096; "$MINREG" -f "$T/f.db" import mining_permits "$T/p.csv") >"$T/out" 2>"$T/err"
rc=$?
is "a file size limit during an import: exit 5" "$rc" 5
grep -qi 'disk\|full\|too large\|limit\|write' "$T/err"
is "... with a message saying the write failed" "$?" 0
is "... the register as it was" "$(count "$T/f.db") $(imports "$T/f.db")" "$before $ibase"
is "... and intact" "$(sqlite3 "$T/f.db" 'PRAGMA integrity_check')" ok
done_testing
