#!/bin/sh
# xlsx_out.sh — .xlsx export of N mining permits (default 1,000,000) beside
# openpyxl's write-only mode writing the same rows, and beside minreg's CSV
# export of them.  Not part of `make check`.
#
#   tests/bench/xlsx_out.sh [ROWS]
#
# From a built tree (tests/bench/run has the conventions: the data is
# tests/bench/gen.c's, synthetic and deterministic; times from rusage.c).
# The peer reads the rows from the same register with Python's sqlite3 and
# writes them with openpyxl (python3-openpyxl) in write-only mode with the
# same cell types minreg writes: text as text, numbers as numbers, dates as
# datetimes.  Each figure is one run (a run of the peer at a million rows
# takes minutes); besides wall seconds it prints user CPU seconds (the
# machine may be shared: CPU time moves less with other jobs than wall time)
# and the peak RSS.  Goals (issue #18): ratio <= 0.2, peak RSS <= 32 MB.
set -eu
N=${1:-1000000}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$PWD}
MINREG=$builddir/src/minreg
[ -x "$MINREG" ] || { echo "xlsx_out.sh: build minreg first (no $MINREG)" >&2; exit 2; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$PY" -c 'import openpyxl' || { echo "xlsx_out.sh: needs python3-openpyxl" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/minreg-xlsx.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export LC_ALL=C.UTF-8 MINREG_LANG=en HOME="$W"
unset MINREG_DB
cc -O2 -o "$W/gen" "$srcdir/tests/bench/gen.c"
cc -O2 -o "$W/rusage" "$srcdir/tests/bench/rusage.c"

cp "$builddir/data/register.db" "$W/reg.db"
for b in mining_blocks exploration_blocks; do
    "$W/gen" -t $b "$N" >"$W/blocks.csv"
    "$MINREG" -f "$W/reg.db" import $b "$W/blocks.csv" >/dev/null
done
"$W/gen" "$N" >"$W/p.csv"
"$MINREG" -f "$W/reg.db" import mining_permits "$W/p.csv" >/dev/null

cat >"$W/peer.py" <<'EOF'
import datetime, sqlite3, sys
from openpyxl import Workbook
db, out = sys.argv[1:3]
con = sqlite3.connect(db)
cols = con.execute("SELECT id, type FROM minreg_columns WHERE tbl = 'mining_permits' ORDER BY ord").fetchall()
wb = Workbook(write_only=True)
ws = wb.create_sheet("附表11")
ws.append(["附表11 辽宁省丹东市规划基期采矿权现状表"])
ws.append([c for c, _ in cols])
dates = [i for i, (_, t) in enumerate(cols) if t == "date"]
sql = "SELECT %s FROM mining_permits ORDER BY rid" % ", ".join(c for c, _ in cols)
for row in con.execute(sql):
    if dates:
        row = list(row)
        for i in dates:
            if row[i]:
                row[i] = datetime.datetime.strptime(row[i], "%Y-%m-%d")
    ws.append(row)
wb.save(out)
EOF

# m NAME CMD...: wall seconds and peak RSS (rusage.c), user CPU seconds (the
# shell's `times` for its children) into $W/NAME as "wall rss_kb user"
m() {
    name=$1; shift
    "$W/rusage" sh -c '"$@" >/dev/null; times' sh "$@" >"$W/times" 2>"$W/err" ||
        { echo "xlsx_out.sh: $name failed:" >&2; cat "$W/err" >&2; exit 1; }
    user=$(sed -n 2p "$W/times" | awk '{ split($1, a, "m"); sub("s", "", a[2]); print a[1] * 60 + a[2] }')
    echo "$(tail -n 1 "$W/err") $user" >"$W/$name"
}
m xlsx "$MINREG" -f "$W/reg.db" export mining_permits -o "$W/out.xlsx"
m csv "$MINREG" -f "$W/reg.db" export mining_permits -o "$W/out.csv"
m peer "$PY" "$W/peer.py" "$W/reg.db" "$W/peer.xlsx"

f() { cut -d' ' -f"$2" "$W/$1"; }
mb() { awk '{ printf "%.1f", $2 / 1024 }' "$W/$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
row() { printf '%-44s %9s %9s %9s %8s\n' "$@"; }
echo "== $N mining permits: workbook $(wc -c <"$W/out.xlsx" | awk '{ printf "%.1f MB", $1 / 1e6 }')," \
    "openpyxl's $(wc -c <"$W/peer.xlsx" | awk '{ printf "%.1f MB", $1 / 1e6 }')," \
    "CSV $(wc -c <"$W/out.csv" | awk '{ printf "%.1f MB", $1 / 1e6 }')"
row "" "wall s" "user s" "RSS MB" ""
row "minreg export -o F.xlsx" "$(f xlsx 1)" "$(f xlsx 3)" "$(mb xlsx)" "<=32 MB"
row "openpyxl write-only, the same rows" "$(f peer 1)" "$(f peer 3)" "$(mb peer)" ""
row "minreg export -o F.csv (the same rows)" "$(f csv 1)" "$(f csv 3)" "$(mb csv)" ""
row "ratio xlsx / openpyxl, wall (goal <= 0.2)" "$(ratio "$(f xlsx 1)" "$(f peer 1)")" "" "" ""
row "ratio xlsx / openpyxl, user CPU" "" "$(ratio "$(f xlsx 3)" "$(f peer 3)")" "" ""
