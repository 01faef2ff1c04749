#!/bin/sh
# Every action of the request table on every screen (issue 16): from a key
# script, each screen is reached with the cursor inside a list longer than
# the screen, the screen is dumped, the action's first key is pressed and
# the screen dumped again.  The two dumps must differ (the action acted, or
# the message line says why it did nothing), or the program ended (Q).
# The actions and their keys come from the binding table (--keys-roff), so
# a new action is tested on every screen without a line here.
. "$srcdir/tests/lib.sh"

# history needs changes: 20 mining permits imported (SYNTHETIC)
awk 'BEGIN { print "id,mine_name,minerals,area_km2,district"
    for (i = 5001; i <= 5020; i++) printf "%d,测试矿%d,金矿,1.%d,振安区\n", i, i, i % 10 }' >"$T/add.csv"
"$MINREG" -f "$T/reg.db" import mining_permits "$T/add.csv" >/dev/null 2>&1
# the map needs a boundary: permit 1's, and an overlapping neighbour (SYNTHETIC)
"$MINREG" -f "$T/reg.db" boundary mining_permits 1 "$srcdir/tests/fixtures/map/own.txt" >/dev/null 2>&1
"$MINREG" -f "$T/reg.db" boundary mining_permits 2 "$srcdir/tests/fixtures/map/overlap.txt" >/dev/null 2>&1
cp "$T/reg.db" "$T/base.db"

# screen name and the keys that reach it, the cursor inside the list
SCREENS='home|jjj
table|:min_scales<Enter>jjjj
record|:min_scales<Enter>jjjj<Enter>jj
form|:min_scales<Enter>jjjjejj
help|<F1>jjjjjjjjjjjj
history|Lkkkkkkkk
problems|Pjjj
grep|:grep 矿<Enter>jjj
summary|Rjjj
freq|:min_scales<Enter>Fjjj
text|Lkk<Enter>jjj
map|:mining_permits<Enter><Enter>MG<C-u>'

# The first key of each action, as the help screen shows it, in key-script
# syntax; one line an action: "KEY<TAB>help text".
"$MINREG" --keys-roff | awk '
    /^\.SH/ { exit }
    /^\.B / { k = substr($0, 4); sub(/ .*/, "", k); next }
    /^\.TP/ { next }
    k != "" {
        m["↑"] = "<Up>"; m["↓"] = "<Down>"; m["←"] = "<Left>"; m["→"] = "<Right>"
        m["PgUp"] = "<PgUp>"; m["PgDn"] = "<PgDn>"; m["Space"] = "<Space>"
        m["Enter"] = "<Enter>"; m["Esc"] = "<Esc>"; m["Home"] = "<Home>"; m["End"] = "<End>"
        m["Backspace"] = "<BS>"; m["F1"] = "<F1>"; m["<"] = "<lt>"; m["Tab"] = "<Tab>"; m["S-Tab"] = "<S-Tab>"
        key = (k in m) ? m[k] : (k ~ /^\^.$/) ? "<C-" tolower(substr(k, 2)) ">" : k
        gsub(/\\-/, "-"); gsub(/\\e/, "\\")
        printf "%s\t%s\n", key, $0; k = ""
    }' >"$T/actions"
nact=$(wc -l <"$T/actions")
[ "$nact" -ge 40 ]
is "the binding table gives a key for every action ($nact)" "$?" 0

# the dumps of one run, each without its "--- screen N" line
split_dumps() {
    awk -v d="$T/d" '/^--- screen [0-9]+:/ { n++; sub(/^--- screen [0-9]+: /, ""); } { print > (d n) }' "$1"
}

# The moves: every screen is a list, and each moves the cursor (or the
# window) from where the prefix left it; the others may say why not.
is_move() {
    case $1 in "<Up>"|"<Down>"|"<PgUp>"|"<PgDn>"|"<C-u>"|"<C-d>"|"<C-y>"|"<C-e>"|g|G) return 0;; esac
    return 1
}

tab=$(printf '\t')
while IFS='|' read -r screen prefix; do
    # the starting point: the screen shown, no message on its last line
    cp "$T/base.db" "$T/a.db"; rm -f "$T/a.db-wal" "$T/a.db-shm"
    printf '%s<dump>\n' "$prefix" >"$T/keys"
    "$MINREG" -f "$T/a.db" --script "$T/keys" --size 80x12 --today 2026-01-01 >"$T/out" 2>&1
    rm -f "$T/d1"; split_dumps "$T/out"
    title=$(sed -n 2p "$T/d1"); msg=$(sed -n 13p "$T/d1")
    if [ -n "$title" ] && [ -z "$msg" ]; then ok "$screen: reached ($title)"; else
        not_ok "$screen: reached with no message"; sed 's/^/#   /' "$T/out" | head -14; continue; fi
    while IFS="$tab" read -r key help; do
        cp "$T/base.db" "$T/a.db"; rm -f "$T/a.db-wal" "$T/a.db-shm"
        printf '%s<dump>%s<dump>\n' "$prefix" "$key" >"$T/keys"
        "$MINREG" -f "$T/a.db" --script "$T/keys" --size 80x12 --today 2026-01-01 >"$T/out" 2>"$T/err"
        st=$?
        rm -f "$T/d1" "$T/d2"; split_dumps "$T/out"
        [ -f "$T/d2" ] && sed 13d "$T/d2" >"$T/d2.body"
        if [ $st -ne 0 ]; then
            not_ok "$screen: $key ($help) exits $st"; sed 's/^/#   /' "$T/err" | head -5
        elif [ ! -f "$T/d2" ]; then
            ok "$screen: $key ($help): the program ended"
        elif is_move "$key" && sed 13d "$T/d1" | cmp -s - "$T/d2.body"; then
            # the same key does the same thing everywhere: a move moves
            not_ok "$screen: $key ($help) did not move: $(sed -n 13p "$T/d2")"
        elif ! cmp -s "$T/d1" "$T/d2"; then
            ok "$screen: $key ($help): $(sed -n 13p "$T/d2" | cut -c1-60)"
        elif [ "$key" = "<C-l>" ]; then
            ok "$screen: $key ($help): redrawn (a terminal's screen, not the dump's)"
        else
            not_ok "$screen: $key ($help) did nothing and said nothing"
            sed 's/^/#   /' "$T/d2"
        fi
    done <"$T/actions"
done <<EOF
$SCREENS
EOF
done_testing
