#!/bin/sh
# bench.sh — minreg import/export against the sqlite3 shell, in the same run.
#
#   tests/bench/bench.sh [ROWS]         (default 1000000; from a built tree)
#
# Generates a synthetic mining-permit register (gen.c: deterministic,
# Chinese names, remarks with commas, quotes and line breaks), then times:
#   import:  minreg import mining_permits (full validation, one audited
#            transaction)  vs  sqlite3 .import of the same file into an
#            untyped table, and vs the same work in the sqlite3 shell (a
#            staging .import, then INSERT ... SELECT into the register's own
#            table with its keys, indexes and foreign keys: goal <= 0.9);
#   export:  minreg export mining_permits -o FILE  vs  sqlite3 -csv.
# Prints the times, the ratios (goals: import <= 1.0, export <= 0.5) and the
# peak RSS of each.  Not part of `make check`: it is a measurement, not a test.
# REPEAT=N takes the best of N runs of each (default 1).  Needs cc and sqlite3.
# Timing by /usr/bin/time -v when there is one, else by rusage.c (getrusage).
set -eu
ROWS=${1:-1000000}
REPEAT=${REPEAT:-1}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$PWD}
MINREG=$builddir/src/minreg
[ -x "$MINREG" ] || { echo "bench.sh: build minreg first (no $MINREG)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench.sh: needs the sqlite3 shell" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/minreg-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export LC_ALL=C.UTF-8 MINREG_LANG=en HOME="$W"
unset MINREG_DB

cc -O2 -o "$W/gen" "$srcdir/tests/bench/gen.c"
if [ -z "${TIMER:-}" ] && [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    TIMER=gnu
else
    TIMER=rusage   # (TIMER=rusage forces it)
    cc -O2 -o "$W/rusage" "$srcdir/tests/bench/rusage.c"
fi

# measure NAME COMMAND...: best wall time and its peak RSS into $W/NAME
measure() {
    name=$1; shift
    best=
    i=0
    while [ $i -lt "$REPEAT" ]; do
        [ -n "${SETUP:-}" ] && sh -c "$SETUP"
        if [ $TIMER = gnu ]; then
            /usr/bin/time -v -o "$W/t" "$@" >/dev/null 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
            t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
                    for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$W/t")
            kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$W/t")
        else
            "$W/rusage" "$@" >/dev/null 2>"$W/t" || { cat "$W/t" >&2; exit 1; }
            read -r t kb <<EOT
$(tail -1 "$W/t")
EOT
        fi
        if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; bkb=$kb; fi
        i=$((i + 1))
    done
    echo "$best $bkb" >"$W/$name"
}

echo "generating $ROWS mining permits ..."
"$W/gen" "$ROWS" >"$W/permits.csv"
# the register before: the bundled one plus the blocks the permits link to
cp "$builddir/data/register.db" "$W/base.db"
"$W/gen" -t mining_blocks "$ROWS" >"$W/blocks.csv"
"$MINREG" -f "$W/base.db" import mining_blocks "$W/blocks.csv" >/dev/null
size=$(wc -c <"$W/permits.csv")
cols=$(head -1 "$W/permits.csv" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%sc%d", (i > 1 ? ", " : ""), i }')

SETUP="cp '$W/base.db' '$W/reg.db'; rm -f '$W/reg.db-wal' '$W/reg.db-shm'" \
    measure imp "$MINREG" -f "$W/reg.db" import mining_permits "$W/permits.csv"
SETUP="rm -f '$W/raw.db'; sqlite3 '$W/raw.db' 'CREATE TABLE raw ($cols)'" \
    measure simp sqlite3 "$W/raw.db" ".import --csv --skip 1 $W/permits.csv raw"
# the same work in the sqlite3 shell: a staging .import, then INSERT ... SELECT
# into the register's own table (its types, keys, indexes and foreign keys;
# an empty cell NULL as minreg stores it), one transaction (#14's peer)
nc=$(head -1 "$W/permits.csv" | awk -F, '{ print NF }')
ids=$(sqlite3 "$W/base.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('mining_permits') WHERE cid BETWEEN 1 AND $nc")
sel=$(awk -v n="$nc" 'BEGIN { for (i = 1; i <= n; i++) printf "%sNULLIF(c%d, '"''"')", (i > 1 ? ", " : ""), i }')
cat >"$W/peer.sql" <<EOT
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TEMP TABLE raw ($cols);
.import --csv --skip 1 $W/permits.csv raw
INSERT INTO mining_permits ($ids) SELECT $sel FROM raw;
COMMIT;
EOT
SETUP="cp '$W/base.db' '$W/peer.db'; rm -f '$W/peer.db-wal' '$W/peer.db-shm'" \
    measure speer sh -c "sqlite3 '$W/peer.db' <'$W/peer.sql'"
p=$(sqlite3 "$W/peer.db" 'SELECT count(*) FROM mining_permits')
[ "$p" -eq $((ROWS + 10)) ] || { echo "bench.sh: the sqlite3 peer loaded $p rows, not $ROWS + 10" >&2; exit 1; }
n=$(sqlite3 "$W/raw.db" 'SELECT count(*) FROM raw')
m=$(sqlite3 "$W/reg.db" 'SELECT count(*) FROM mining_permits')
[ "$n" -eq "$ROWS" ] && [ "$m" -eq $((ROWS + 10)) ] ||
    { echo "bench.sh: row counts differ (sqlite3 $n, minreg $m - 10)" >&2; exit 1; }
SETUP= measure exp "$MINREG" -f "$W/reg.db" export mining_permits -o "$W/out.csv"
SETUP= measure sexp sh -c "sqlite3 -csv -header '$W/reg.db' 'SELECT * FROM mining_permits' >'$W/out2.csv'"

read -r ti ri <"$W/imp"; read -r tsi rsi <"$W/simp"; read -r tp rp <"$W/speer"
read -r te re <"$W/exp"; read -r tse rse <"$W/sexp"
awk -v rows="$ROWS" -v size="$size" -v ti="$ti" -v tsi="$tsi" -v te="$te" -v tse="$tse" \
    -v tp="$tp" -v rp="$rp" -v ri="$ri" -v rsi="$rsi" -v re="$re" -v rse="$rse" -v timer="$TIMER" -v rep="$REPEAT" 'BEGIN {
    printf "%d rows, %.1f MB of CSV; timer: %s, best of %d\n\n", rows, size / 1e6, timer, rep
    printf "%-44s %9s %12s\n", "", "seconds", "peak RSS MB"
    printf "%-44s %9.2f %12.1f\n", "minreg import (validated, audited)", ti, ri / 1024
    printf "%-44s %9.2f %12.1f\n", "sqlite3 .import into an untyped table", tsi, rsi / 1024
    printf "%-44s %9.2f %12.1f\n", "sqlite3 .import + INSERT into the register", tp, rp / 1024
    printf "%-44s %9.2f %12.1f\n", "minreg export -o FILE", te, re / 1024
    printf "%-44s %9.2f %12.1f\n", "sqlite3 -csv > FILE", tse, rse / 1024
    printf "\nimport ratio %.2f (goal <= 1.0)   export ratio %.2f (goal <= 0.5)\n", ti / tsi, te / tse
    printf "import against the same work in sqlite3 (.import + INSERT into the register): %.2f (goal <= 0.9)\n", ti / tp
    printf "minreg import %.0f rows/s, export %.0f rows/s\n", rows / ti, rows / te
}'
