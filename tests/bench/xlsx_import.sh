#!/bin/sh
# xlsx_import.sh — minreg's .xlsx import against openpyxl's read-only load
# of the same workbook, beside minreg's CSV import of the same rows.
#
#   tests/bench/xlsx_import.sh [ROWS]     (default 100000; from a built tree)
#
# gen.c makes ROWS mining permits (CSV); python3-openpyxl's write-only mode
# turns them into a workbook (numbers as numbers, the rest as strings).
# Timed: minreg import mining_permits FILE.xlsx (every row validated, one
# audited change); python3 reading every cell of the workbook with
# openpyxl.load_workbook(read_only=True) (the peer: reading only, nothing
# checked or stored); minreg import of the CSV.  Goal: xlsx import <= 0.3x
# the peer, peak RSS <= 32 MB.  Not part of `make check`.
set -eu
ROWS=${1:-100000}
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$PWD}
MINREG=$builddir/src/minreg
[ -x "$MINREG" ] || { echo "xlsx_import.sh: build minreg first (no $MINREG)" >&2; exit 2; }
PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "xlsx_import.sh: needs python3-openpyxl" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "xlsx_import.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/minreg-xbench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
export LC_ALL=C.UTF-8 MINREG_LANG=en HOME="$W"
unset MINREG_DB

cc -O2 -o "$W/gen" "$srcdir/tests/bench/gen.c"
"$W/gen" "$ROWS" >"$W/permits.csv"
cp "$builddir/data/register.db" "$W/base.db"
"$W/gen" -t mining_blocks "$ROWS" >"$W/blocks.csv"
"$MINREG" -f "$W/base.db" import mining_blocks "$W/blocks.csv" >/dev/null
"$PY" - "$W/permits.csv" "$W/permits.xlsx" <<'EOF'
import csv, sys, openpyxl
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("permits")
def cell(v):
    try:
        return float(v) if v and v.strip() == v and not v.startswith("0") or v == "0" else v
    except ValueError:
        return v
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for i, row in enumerate(csv.reader(f)):
        ws.append(row if i == 0 else [cell(v) for v in row])
wb.save(sys.argv[2])
EOF
cat >"$W/peer.py" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for row in wb.active.iter_rows(values_only=True):
    n += 1
print(n)
EOF

# measure NAME COMMAND...: wall seconds and peak RSS (KB) into $W/NAME
measure() {
    name=$1; shift
    /usr/bin/time -v -o "$W/t" "$@" >"$W/$name.out" 2>"$W/err" || { cat "$W/err" >&2; exit 1; }
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
            for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$W/t")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$W/t")
    echo "$t $kb" >"$W/$name"
}
fresh() { cp "$W/base.db" "$W/reg.db"; rm -f "$W/reg.db-wal" "$W/reg.db-shm"; }

fresh
measure xlsx "$MINREG" -f "$W/reg.db" import mining_permits "$W/permits.xlsx"
m=$(sqlite3 "$W/reg.db" 'SELECT count(*) FROM mining_permits' 2>/dev/null || echo '?')
measure peer "$PY" "$W/peer.py" "$W/permits.xlsx"
fresh
measure csv "$MINREG" -f "$W/reg.db" import mining_permits "$W/permits.csv"
read -r tx rx <"$W/xlsx"; read -r tp rp <"$W/peer"; read -r tc rc <"$W/csv"
awk -v rows="$ROWS" -v xs="$(wc -c <"$W/permits.xlsx")" -v cs="$(wc -c <"$W/permits.csv")" \
    -v tx="$tx" -v rx="$rx" -v tp="$tp" -v rp="$rp" -v tc="$tc" -v rc="$rc" -v m="$m" 'BEGIN {
    printf "%d rows: %.1f MB .xlsx, %.1f MB CSV; rows in the register after the xlsx import: %s\n\n",
        rows, xs / 1e6, cs / 1e6, m
    printf "%-52s %9s %12s\n", "", "seconds", "peak RSS MB"
    printf "%-52s %9.2f %12.1f\n", "minreg import FILE.xlsx (validated, audited)", tx, rx / 1024
    printf "%-52s %9.2f %12.1f\n", "openpyxl load_workbook(read_only=True), every cell", tp, rp / 1024
    printf "%-52s %9.2f %12.1f\n", "minreg import FILE.csv (the same rows)", tc, rc / 1024
    printf "\nxlsx import / openpyxl read-only: %.2f (goal <= 0.3); peak RSS %.1f MB (goal <= 32)\n",
        tx / tp, rx / 1024
}'
