#!/bin/sh
# CLI: control characters, escape sequences and bidi marks never reach the
# terminal raw, whether stdout is a terminal or not.
. "$srcdir/tests/lib.sh"

esc=$(printf '\033')
sqlite3 "$T/reg.db" "UPDATE exploration_areas SET remark = 'A' || char(27) || ']0;pwned' || char(7) || 'B' || char(10) || 'C' || char(155) || '2J' || char(8238) || 'evil' WHERE code = 'KZ21060000001'"

raw_bytes() {   # count ESC, BEL, C1 CSI (c2 9b) and U+202E (e2 80 ae) in $T/out
    od -An -tx1 -v "$T/out" | tr -s ' \n' '\n\n' | awk '
        { b[NR] = $1 }
        END { n = 0; for (i = 1; i <= NR; i++) {
            if (b[i] == "1b" || b[i] == "07") n++;
            if (b[i] == "c2" && b[i+1] == "9b") n++;
            if (b[i] == "e2" && b[i+1] == "80" && b[i+2] == "ae") n++ }
          print n }'
}
for fmt in text tsv; do
    run_minreg show exploration_areas --format $fmt
    is "show --format $fmt: no raw control bytes" "$(raw_bytes)" 0
    grep -q 'A\\e]0;pwned\\x07B\\nC\\u009b2J\\u202eevil' "$T/out"
    is "show --format $fmt: shown escaped" "$?" 0
done
run_minreg get exploration_areas KZ21060000001
is "get: no raw control bytes" "$(raw_bytes)" 0
run_minreg show exploration_areas --format json
is "json: no raw control bytes" "$(raw_bytes)" 0
grep -q 'A\\u001b]0;pwned\\u0007B\\nC\\u009b2J\\u202eevil' "$T/out"
is "json carries them as \\u escapes" "$?" 0
run_minreg show exploration_areas --format csv
is "csv to a file keeps the data exactly (for export)" "$(grep -c "$esc" "$T/out")" 1
if command -v script >/dev/null 2>&1; then
    script -qec "$MINREG show exploration_areas --format csv" /dev/null >"$T/out" 2>&1
    is "csv to a terminal: no raw control bytes" "$(raw_bytes)" 0
else
    ok "# SKIP script(1) not available"
fi
run_minreg get exploration_areas "$(printf 'KZ\033[2J')"
is "an unknown key with escapes: exit 1" "$rc" 1
is "... the error message is escaped too" "$(grep -c "$esc" "$T/err")" 0
done_testing
