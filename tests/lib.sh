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
unset XDG_STATE_HOME   # drafts of forms go under $HOME/.local/state/minreg
LC_ALL=C.UTF-8; export LC_ALL
TZ=UTC; export TZ   # times are shown in local time
MINREG_LANG=en; export MINREG_LANG
cp "$builddir/data/register.db" "$T/reg.db"
# MINREG_VALGRIND=1: every minreg runs under valgrind; an error or a definite
# leak makes it exit 99, which fails the assertion that checks its status.
# MINREG_VALGRIND_EVERY=N (with MINREG_VALGRIND=1): only every Nth minreg of
# a test script runs under valgrind, the first included, the rest natively
# (.ci/run uses it to keep the run short; ASan runs the whole suite).
if [ "${MINREG_VALGRIND:-}" = 1 ]; then
    echo 0 >"$T/vg-count"
    cat >"$T/minreg-vg" <<EOT
#!/bin/sh
every=\${MINREG_VALGRIND_EVERY:-1}
c=\$(cat "$T/vg-count" 2>/dev/null)
case \$c in ''|*[!0-9]*) c=0;; esac   # two minregs at once may race: harmless
echo \$((c + 1)) >"$T/vg-count"
if [ \$((c % every)) -ne 0 ]; then exec "$builddir/src/minreg" "\$@"; fi
MINREG_NO_JIT=1 exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
    --show-leak-kinds=definite "$builddir/src/minreg" "\$@"
EOT
    chmod +x "$T/minreg-vg"
    MINREG=$T/minreg-vg
fi
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
    if [ "$rc" = 99 ] && [ "${MINREG_VALGRIND:-}" = 1 ]; then
        not_ok "valgrind: errors or leaks in: minreg $*"; sed 's/^/#   /' "$T/err" | head -20
    fi
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

# unsafe_bytes FILE [CR_OK]: how many bytes or characters in FILE could act on
# a terminal: C0 controls but newline and tab (and carriage return when CR_OK
# is 1: CSV line ends, a pty's output), DEL, C1 controls (U+0080..U+009F),
# Unicode format characters (category Cf: bidi marks, overrides and isolates,
# zero-width spaces and joiners, U+FEFF, soft hyphens, tags U+E0001..E007F)
# and the Hangul fillers, line and paragraph separators, and every byte of invalid UTF-8
# (overlong, surrogate, truncated, stray 0x80..0xff: a lone 0x9b is an 8-bit
# CSI to a terminal that is not in UTF-8 mode).  UNSAFE_VERBOSE=1 lists them.
unsafe_bytes() {
    od -An -tu1 -v "$1" | tr -s ' \n' '\n\n' | grep . | awk -v cr="${2:-0}" -v verbose="${UNSAFE_VERBOSE:-0}" '
    { b[NR] = $1 + 0 }
    # Unicode format characters (category Cf: bidi marks among them) and the
    # Hangul fillers, as src/core/text.c lists them
    function format(cp) {
        return cp == 173 || (cp >= 1536 && cp <= 1541) || cp == 1564 || cp == 1757 || cp == 1807 ||
            cp == 2192 || cp == 2193 || cp == 2274 || cp == 4447 || cp == 4448 || cp == 6158 ||
            (cp >= 8203 && cp <= 8207) || (cp >= 8234 && cp <= 8238) || (cp >= 8288 && cp <= 8292) ||
            (cp >= 8294 && cp <= 8303) || cp == 12644 || cp == 65279 || cp == 65440 ||
            (cp >= 65529 && cp <= 65531) || cp == 69821 || cp == 69837 || (cp >= 78896 && cp <= 78911) ||
            (cp >= 113824 && cp <= 113827) || (cp >= 119155 && cp <= 119162) || cp == 917505 ||
            (cp >= 917536 && cp <= 917631)
    }
    function bad(what) { n++; if (verbose) printf "# unsafe: %s at byte %d\n", what, i > "/dev/stderr" }
    END {
        n = 0; i = 1
        while (i <= NR) {
            c = b[i]
            if (c < 128) {
                if ((c < 32 && c != 10 && c != 9 && !(c == 13 && cr)) || c == 127) bad(sprintf("control 0x%02x", c))
                i++; continue
            }
            len = c >= 194 && c <= 223 ? 2 : c >= 224 && c <= 239 ? 3 : c >= 240 && c <= 244 ? 4 : 0
            good = len > 0 && i + len - 1 <= NR
            for (k = 1; good && k < len; k++) if (b[i + k] < 128 || b[i + k] > 191) good = 0
            if (good && c == 224 && b[i + 1] < 160) good = 0    # overlong
            if (good && c == 237 && b[i + 1] > 159) good = 0    # surrogate
            if (good && c == 240 && b[i + 1] < 144) good = 0    # overlong
            if (good && c == 244 && b[i + 1] > 143) good = 0    # past U+10FFFF
            if (!good) { bad(sprintf("invalid UTF-8 0x%02x", c)); i++; continue }
            cp = len == 2 ? (c - 192) * 64 + b[i + 1] - 128 : \
                 len == 3 ? ((c - 224) * 64 + b[i + 1] - 128) * 64 + b[i + 2] - 128 : \
                 (((c - 240) * 64 + b[i + 1] - 128) * 64 + b[i + 2] - 128) * 64 + b[i + 3] - 128
            if ((cp >= 128 && cp <= 159) || (cp >= 8232 && cp <= 8233) || format(cp)) bad(sprintf("U+%04X", cp))
            i += len
        }
        print n
    }'
}
