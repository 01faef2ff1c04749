#!/bin/sh
# exchange.sh — a change file of ROWS added rows: export at the city and
# apply at a county, against a CSV import of the same rows.
#
#   tests/bench/exchange.sh [ROWS]     (default 100000; from a built tree)
#
# gen.c makes ROWS mining permits (and the blocks they link to, loaded into
# both registers first).  Timed: minreg import mining_permits FILE.csv into
# the county's register (the peer); at the city, after the same import,
# minreg exchange export --to the county; at the county, minreg exchange
# apply of that file (signature, continuity, every row merged and written
# through the change object, one change).  Prints the times, the ratio
# (export + apply) / import (goal in issue 21: <= 2) and the peak RSS of
# each (goal: <= 32 MB).  Not part of `make check`.  Needs cc and GNU time.
set -eu
ROWS=${1:-100000}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$PWD}
MINREG=$builddir/src/minreg
[ -x "$MINREG" ] || { echo "exchange.sh: build minreg first (no $MINREG)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "exchange.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/minreg-xchg-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export LC_ALL=C.UTF-8 MINREG_LANG=en HOME="$W"
unset MINREG_DB

cc -O2 -o "$W/gen" "$srcdir/tests/bench/gen.c"
"$W/gen" "$ROWS" >"$W/permits.csv"
"$W/gen" -t mining_blocks "$ROWS" >"$W/blocks.csv"
cp "$builddir/data/register.db" "$W/base.db"
"$MINREG" -f "$W/base.db" import mining_blocks "$W/blocks.csv" >/dev/null
cp "$W/base.db" "$W/city.db"; cp "$W/base.db" "$W/county.db"; cp "$W/base.db" "$W/peer.db"
"$MINREG" -f "$W/city.db" exchange init 210600 | tail -1 >"$W/city.pub"
"$MINREG" -f "$W/county.db" exchange init 210624 | tail -1 >"$W/county.pub"
"$MINREG" -f "$W/city.db" exchange partner 210624 "$(cat "$W/county.pub")" >/dev/null
"$MINREG" -f "$W/county.db" exchange partner 210600 "$(cat "$W/city.pub")" >/dev/null
# (the file also carries the blocks' import, found there already at the county)
"$MINREG" -f "$W/city.db" import mining_permits "$W/permits.csv" >/dev/null

# measure NAME COMMAND...: wall seconds and peak RSS (kB) into $W/NAME
measure() {
    name=$1; shift
    /usr/bin/time -v -o "$W/t" "$@" >/dev/null 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
            for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$W/t")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$W/t")
    echo "$t $kb" >"$W/$name"
}
measure import "$MINREG" -f "$W/peer.db" import mining_permits "$W/permits.csv"
measure export "$MINREG" -f "$W/city.db" exchange export --to 210624 -o "$W/c.x"
measure apply "$MINREG" -f "$W/county.db" exchange apply "$W/c.x"
got=$(sqlite3 "$W/county.db" 'SELECT count(*) FROM mining_permits' 2>/dev/null || echo "?")
read -r ti ki <"$W/import"; read -r te ke <"$W/export"; read -r ta ka <"$W/apply"
printf 'rows %s (at the county after apply: %s), change file %s bytes\n' "$ROWS" "$got" "$(wc -c <"$W/c.x")"
printf '%-28s %8s s  %7s kB\n' "csv import (peer)" "$ti" "$ki" "exchange export" "$te" "$ke" "exchange apply" "$ta" "$ka"
awk -v i="$ti" -v e="$te" -v a="$ta" 'BEGIN { printf "ratio (export + apply) / import: %.2f  (goal <= 2)\n", (e + a) / i }'
