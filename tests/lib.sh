# lib.sh — helpers for the shell tests (sourced).  Prints TAP.
#
# Every test runs with an isolated HOME, C.UTF-8, a fixed language and its own
# copy of the bundled register, so tests never touch the user's files.
set -u
: "${srcdir:=.}" "${builddir:=$PWD}"
MINREG=$builddir/src/minreg
MINREG_DATA_DIR=$srcdir/data
export MINREG_DATA_DIR
T=$(mktemp -d "${TMPDIR:-/tmp}/minreg-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
HOME=$T/home; mkdir -p "$HOME"; export HOME
LC_ALL=C.UTF-8; export LC_ALL
MINREG_LANG=en; export MINREG_LANG
cp "$builddir/data/register.db" "$T/reg.db"
MINREG_DB=$T/reg.db; export MINREG_DB
EXPECTED=$srcdir/tests/cli/expected
n=0

ok()     { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }

# is DESC GOT WANT
is() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"; printf '#   got:  %s\n#   want: %s\n' "$2" "$3"; fi
}

# run_minreg ARGS... : runs minreg, stdout in $T/out, stderr in $T/err, status in $rc
run_minreg() {
    "$MINREG" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}

# matches_file DESC EXPECTED_NAME : compare $T/out with tests/cli/expected/NAME
# (MINREG_BLESS=1 writes the expected file instead).
matches_file() {
    if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/out" "$EXPECTED/$2"; fi
    if cmp -s "$T/out" "$EXPECTED/$2"; then ok "$1"; else
        not_ok "$1"; diff -u "$EXPECTED/$2" "$T/out" | head -30 | sed 's/^/#   /'; fi
}

# column sum of a TSV output ($T/out) column by header name, 4 decimals
tsv_sum() {
    awk -F '\t' -v col="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        { s += $c } END { printf "%.4f", s }' "$T/out"
}

tsv_rows() { echo $(( $(wc -l <"$T/out") - 1 )); }

done_testing() { echo "1..$n"; }
