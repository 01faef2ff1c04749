#!/bin/sh
# Every screen state at 40x10, in both languages (#20): the key scripts the
# other screen tests run at 80x24 only, each on a fresh register at 40x10
# with --lang en and zh, compared with expected/NAME-40x10[-zh].txt.  And
# for every dump of this suite: each screen has its rows, none wider than
# the screen (by display width, CJK two columns), no U+FFFD and no escape
# character (python3 measures, where it is there).  The scripts with their
# own setups (a hostile register, a permit's life, a resize) and the draft
# chains are left to their suites; those run the 40x10 ones they have.
. "$srcdir/tests/lib.sh"
KEYS=$srcdir/tests/screen/keys
SEXP=$srcdir/tests/screen/expected
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
XDG_STATE_HOME=$T/state; export XDG_STATE_HOME
unset SSH_CLIENT
PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import unicodedata' 2>/dev/null; then PY=$p; break; fi
done

# fits FILE: every screen of the dump as high and no wider than it says
fits() {
    [ -n "$PY" ] || return 0
    "$PY" - "$1" <<'EOF'
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
screens = []
for line in open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n"):
    m = re.match(r"--- screen \d+: (\d+)x(\d+)", line)
    if m:
        screens.append((line, int(m.group(1)), int(m.group(2)), []))
    elif screens:
        screens[-1][3].append(line)   # (a simulated clerk's output may follow a screen)
bad = 0
for head, w, h, lines in screens:
    if len(lines) < h:
        print("#   %s: %d rows" % (head, len(lines))); bad = 1
    for i, l in enumerate(lines[:h]):
        if width(l) > w or "\ufffd" in l or "\x1b" in l:
            print("#   %s row %d: %s" % (head, i + 1, l)); bad = 1
sys.exit(bad)
EOF
}

# small NAME [EXIT [OPTIONS...]]
small() {
    name=$1 want=${2:-0}; shift; [ $# -gt 0 ] && shift
    for lang in en zh; do
        tag=; [ $lang = zh ] && tag=-zh
        cp "${BASE:-$builddir/data/register.db}" "$T/reg.db"; rm -f "$T/reg.db-wal" "$T/reg.db-shm"
        rm -rf "$T/state"
        "$MINREG" --lang $lang --script "$KEYS/$name.keys" --size 40x10 "$@" >"$T/screen" 2>"$T/err"
        st=$?
        out=$SEXP/$name-40x10$tag.txt
        if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
        if [ $st -eq "$want" ] && cmp -s "$T/screen" "$out"; then ok "$name 40x10$tag"; else
            not_ok "$name 40x10$tag (exit $st)"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi
    done
}


for name in filter search hscroll nextprev prompt prompt_edit prompt_long keys help_half pending \
    widths form_add form_edit form_pick form_cascade form_invisible form_conflict form_merge \
    form_recheck form_deleted form_readonly undo_scope form_refuse; do
    case $name in
    form_readonly) small $name 0 -r ;;
    *) small $name ;;
    esac
done
small form_quit 130
small problems 0 --today 2026-01-01
small nextprev_lists 0 --today 2026-01-01
small mouse 0 --mouse
small ambiguous 0 --ambiguous wide
small paging
mkdir -p "$HOME/exports" && : >"$HOME/permits-2026.csv"
small prompt_tab
rm -rf "$HOME/exports" "$HOME/permits-2026.csv"
# the long lists: 300 more mining permits (SYNTHETIC), as test_screens.sh has them
awk 'BEGIN { print "id,mine_name,minerals,area_km2,district"
    for (i = 5001; i <= 5300; i++) printf "%d,测试矿%d,金矿,1.%d,%s\n", i, i, i % 10, (i % 2 ? "振安区" : "元宝区") }' >"$T/big.csv"
cp "$builddir/data/register.db" "$T/big0.db"
"$MINREG" -f "$T/big0.db" import mining_permits "$T/big.csv" >/dev/null
for name in end endsearch endfilter cancel widths_grow; do
    BASE=$T/big0.db small $name
done
rm -f "$HOME/cancel.csv"

# every 40x10 dump there is, this suite's and the others', fits its screen
for f in "$SEXP"/*-40x10*.txt; do
    if fits "$f" >"$T/fits"; then ok "$(basename "$f" .txt): every screen fits"; else
        not_ok "$(basename "$f" .txt): every screen fits"; cat "$T/fits"; fi
done
done_testing
