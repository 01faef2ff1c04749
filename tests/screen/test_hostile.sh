#!/bin/sh
# Browser terminal safety: every screen (registers, a register, a record, its
# history, search, grep results, problems, summary, a form, links in, help)
# over a register full of escape sequences, C1 controls, bidi overrides and
# invalid UTF-8 (tests/fixtures/hostile.sql) and audited edits carrying them.
# Driven twice: from a key script (screen dumps: the text on the screen), and
# in a real pseudo-terminal (the bytes the terminal gets, where ncurses adds
# its own escape sequences, so there the data's payload is looked for).
. "$srcdir/tests/lib.sh"
KEYS=$srcdir/tests/screen/keys/hostile.keys
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW

sqlite3 -bail "$T/reg.db" <"$srcdir/tests/fixtures/hostile.sql"
is "the hostile fixture applies" "$?" 0
hv=$(printf 'pwnS\033]0;set-title\007\302\233T\342\200\256U\033[2J')
USER=$hv "$MINREG" set a2 KZ21060000001 permits_planned=2 -m "$hv" >/dev/null
is "an audited edit by a hostile clerk name with a hostile comment" "$?" 0
edit='pwnS\e]0;set-title\x07\u009bT\u202eU\e[2J'
osc='pwnA\e]0;pwned-title\x07B'
bidi='pwnO\u202eevil\u202d\u2066\u2067'
utf8='pwnQ\x9b2J\x9d0;x\xc0\xaf'

# screen N: the text of dump N in $T/out
screen() { awk -v n="$1" '/^--- screen /{ s = ($3 == n ":") } s' "$T/out"; }
# on DESC N STRING: dump N shows STRING
on() {
    if screen "$2" | grep -qF -- "$3"; then ok "$1"; else
        not_ok "$1"; screen "$2" | head -12 | sed 's/^/#   /'; fi
}

for size in 80x24 200x50; do
    "$MINREG" --script "$KEYS" --size "$size" --today 2026-01-01 >"$T/out" 2>"$T/err"
    is "$size: the browser runs over the hostile register" "$?" 0
    is "$size: 15 screens drawn" "$(grep -c '^--- screen' "$T/out")" 15
    is "$size: no unsafe byte on any screen" "$(unsafe_bytes "$T/out")" 0
    is "$size: nothing on stderr" "$(unsafe_bytes "$T/err")$(wc -c <"$T/err")" 00
done
# what each screen showed, at 200x50 (all of it fits)
on "registers: the hostile title, escaped" 1 "$osc"
on "register: names escaped" 2 "$utf8"
on "register: a hostile column label escaped" 2 "备注pwnO\\u202e"
on "record: fields escaped" 3 "$bidi"
on "history: the clerk's name and comment escaped" 4 "$edit"
on "search finds the row past invalid UTF-8" 5 "row 2/13"
on "grep results escaped" 6 "$utf8"
on "problems: quoted values escaped" 7 'pwnE\e]8;;http://evil.example/'
on "summary: a hostile district escaped" 9 "$bidi"
on "summary: a hostile mineral escaped" 10 'pwnC\e]52'
on "record: hostile links escaped" 11 'pwnK\x08\x08\r\x7f\n'
on "form: the values being edited escaped" 12 "$utf8"
on "links in: a hostile district's record escaped" 13 "$bidi"
on "problems: a key holding U+200B, escaped and named" 7 "'金矿\\u200b' holds the invisible character U+200B"
on "summary: the look-alike mineral 金矿 + U+200B escaped" 10 '金矿\u200b'
on "record: format characters and Hangul fillers escaped" 11 'U\u200b\u200c\u200d\u2060\ufeff\u00ad\u0600\u06dd\u206a\ufff9\U000e0001\U000e0041\u115f\u3164\uffa0V'
on "help drawn" 15 "this help"

# the same keys in a pseudo-terminal, at 200x50
if ! command -v script >/dev/null 2>&1; then
    ok "# SKIP script(1) not available"; done_testing; exit 0
fi
TERM=xterm-256color COLUMNS=200 LINES=50; export TERM COLUMNS LINES
# the key script as keystrokes: <Enter> a carriage return, <F1> its xterm
# sequence, comments and dumps dropped; Q quits at the end
f1=$(printf '\033OP')
keys=$(sed -e '/^#/d' -e 's/<dump>//g' -e 's/<Enter>/\r/g' -e "s/<F1>/$f1/g" "$KEYS" | tr -d '\n')
printf '%sQ' "$keys" | timeout 60 script -qec "exec $MINREG --today 2026-01-01" "$T/log" >/dev/null 2>&1
is "pty: the browser runs every screen and quits" "$?" 0
grep -q 'this help' "$T/log"
is "pty: ... it got to the last screen (help)" "$?" 0
# the terminal may get ncurses' own CSI sequences, but nothing a payload
# carries: no OSC, DCS, APC, PM or SOS introducer, no BEL, no C1, no bidi
# control, no invalid UTF-8
od -An -tu1 -v "$T/log" | tr -s ' \n' '\n\n' | grep . | awk '
    { b[NR] = $1 + 0 }
    END { for (i = 1; i <= NR; i++) {
            if (b[i] == 7) n["BEL"]++
            if (b[i] == 27 && (b[i+1] == 93 || b[i+1] == 80 || b[i+1] == 95 || b[i+1] == 94 || b[i+1] == 88)) n["ESC " sprintf("%c", b[i+1])]++ }
          for (k in n) print k, n[k] }' >"$T/intro"
is "pty: no OSC/DCS/APC/PM/SOS introducer or BEL reached the terminal" "$(cat "$T/intro")" ""
# the rest of the byte check, ignoring the C0 controls ncurses itself uses
tr -d '\033\r\n\b\t\017\016' <"$T/log" >"$T/out"
is "pty: no C1, bidi control or invalid UTF-8 reached the terminal" "$(unsafe_bytes "$T/out")" 0
for s in "$osc" "$edit" 'pwnE\e]8;;http://evil.example/' 'pwnG\e[2J\e[31;1m'; do
    grep -qF -- "$s" "$T/log"
    is "pty: shown escaped: $s" "$?" 0
done
done_testing
