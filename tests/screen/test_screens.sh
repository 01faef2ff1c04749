#!/bin/sh
# Screen tests: drive the real browser from key scripts (no terminal, no
# sleeps) and compare full screen dumps with the expected files.
. "$srcdir/tests/lib.sh"
KEYS=$srcdir/tests/screen/keys
SEXP=$srcdir/tests/screen/expected

# screen NAME SIZE [OPTIONS...]: run keys/NAME.keys at SIZE, compare with expected/NAME-SIZE[-tag].txt
screen() {
    name=$1 size=$2 tag=$3; shift 3
    out=$SEXP/$name-$size$tag.txt
    "$MINREG" --script "$KEYS/$name.keys" --size "$size" "$@" >"$T/screen" 2>"$T/err"
    st=$?
    if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
    if [ $st -eq 0 ] && cmp -s "$T/screen" "$out"; then ok "$name at $size$tag"; else
        not_ok "$name at $size$tag (exit $st)"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi
}

for size in 80x24 40x10 160x40; do
    screen home $size ""
    screen registers $size ""
    screen record $size ""
    screen follow $size ""
    screen sort $size ""
    screen help $size ""
    screen problems $size "" --today 2026-01-01
    screen summary $size ""
done
# the mouse wheel on every list screen (#16)
for size in 80x24 40x10; do
    screen wheel $size ""
    screen wheel $size -zh --lang zh
done
screen nextprev 80x24 ""
screen nextprev_lists 80x24 "" --today 2026-01-01
screen paging 80x12 ""
screen hscroll 80x24 ""
screen resize 80x24 ""
screen prompt 80x24 ""
# the prompt's line editor: editing in the middle, Home/End as PuTTY and
# xterm send them (decoded by curses under each TERM: the same screens),
# history, Tab completion (a file for :export and :import from the home
# folder), a long CJK value at 80 columns
for term in xterm xterm-256color screen linux; do
    TERM=$term screen prompt_edit 80x24 ""
done
mkdir -p "$HOME/exports" && : >"$HOME/permits-2026.csv"
screen prompt_tab 80x24 ""
rm -rf "$HOME/exports" "$HOME/permits-2026.csv"
screen prompt_long 80x24 ""
screen prompt_long 80x24 -wide --ambiguous wide
screen search 80x24 ""
screen filter 80x24 ""
# & with comparisons, ranges, empty cells and negation, errors; F, the
# frequency screen, and Enter on a value (#20)
for size in 80x24 40x10; do
    screen filter_cmp $size ""
    screen freq $size ""
    screen freq $size -zh --lang zh
done
MINREG_LANG=zh screen filter_cmp 80x24 -zh
# widths re-fitted when the rows change (another clerk's edit, a filter),
# and a wide screen's room used (#20)
for size in 80x24 200x12; do
    cp "$T/reg.db" "$T/widths.db"; rm -f "$T/widths.db-wal" "$T/widths.db-shm"
    screen widths $size "" -f "$T/widths.db"
done
screen home 80x24 -zh --lang zh
screen record 80x24 -zh --lang zh
screen help 80x24 -zh --lang zh
screen problems 80x24 -zh --lang zh --today 2026-01-01
screen summary 80x24 -zh --lang zh
screen keys 80x24 ""
screen help_half 80x24 ""
screen keys 80x24 -zh --lang zh
screen record 80x24 -ascii --ascii
screen sort 80x24 -ascii --ascii
screen ambiguous 80x24 -wide --ambiguous wide
screen mouse 80x24 "" --mouse
screen pending 80x24 ""
screen pending 80x24 -ascii --ascii
MINREG_LANG=zh screen follow 80x24 -zh
# G in a view not counted yet: 300 more mining permits (SYNTHETIC), more
# than the first page's 100 rows, so that nothing counts them on opening
cp "$T/reg.db" "$T/big0.db"
awk 'BEGIN { print "id,mine_name,minerals,area_km2,district"
    for (i = 5001; i <= 5300; i++) printf "%d,测试矿%d,金矿,1.%d,%s\n", i, i, i % 10, (i % 2 ? "振安区" : "元宝区") }' >"$T/big.csv"
"$MINREG" -f "$T/big0.db" import mining_permits "$T/big.csv" >/dev/null
# each from the same file: end.keys has another clerk add a permit
big() { cp "$T/big0.db" "$T/big.db"; rm -f "$T/big.db-wal" "$T/big.db-shm"; }
big; screen end 80x12 "" -f "$T/big.db"
big; screen end 80x12 -ascii -f "$T/big.db" --ascii
big; screen endsearch 80x12 "" -f "$T/big.db"
big; screen endfilter 80x12 "" -f "$T/big.db"
# Esc on a slow filter (<cancel> in the key script) or on taking one off: the
# view, the status line and :export stay as they were; the scan split over
# threads too (chunks of 64 rowids)
big; screen cancel 80x12 "" -f "$T/big.db"
# (the browser writes for Excel: a BOM and CRLF line ends)
"$MINREG" -f "$T/big.db" export mining_permits --bom -o "$T/all.csv" >/dev/null 2>&1
tr -d '\r' <"$HOME/cancel.csv" | cmp -s - "$T/all.csv"
is "... :export after the cancelled filter writes every row, as shown" "$?" 0
rm -f "$HOME/cancel.csv"
big; MINREG_THREADS=2 MINREG_SCAN_CHUNK=64 screen cancel 80x12 "" -f "$T/big.db"
tr -d '\r' <"$HOME/cancel.csv" | cmp -s - "$T/all.csv"
is "... split over threads: the same" "$?" 0
big; screen widths_grow 80x12 "" -f "$T/big.db"
LC_ALL=C MINREG_LANG=zh screen home 80x24 -zhC   # Chinese chrome under plain C too

# the terminal types clerks use: same screens under each
for term in xterm-256color screen tmux-256color linux vt100; do
    TERM=$term "$MINREG" --script "$KEYS/record.keys" --size 80x24 >"$T/screen" 2>&1
    if cmp -s "$T/screen" "$SEXP/record-80x24.txt"; then ok "TERM=$term draws the same screens"
    else not_ok "TERM=$term draws the same screens"; fi
done

# every dump has exactly the screen's number of lines, none wider than the screen
"$MINREG" --script "$KEYS/registers.keys" --size 40x10 >"$T/screen"
is "narrow dumps: 10 lines each" "$(grep -c '^--- screen' "$T/screen")" 16
is "... 176 lines in all" "$(wc -l <"$T/screen")" 176
# the life of a permit (#19): the expiring count, :expiring, a timeline
cp "$T/reg.db" "$T/life.db"; rm -f "$T/life.db-wal" "$T/life.db-shm"
L() { MINREG_NOW=2026-01-01T08:00:00Z "$MINREG" -f "$T/life.db" "$@" >/dev/null 2>&1; }
L set a11 1 permit_no=C2106002016017130000001 holder=甲矿业有限公司 valid_from=2016-01-01 valid_to=2026-01-15 area_km2=1.5
L event a11 1 新立 --date 2016-01-01 --doc 丹自然资采〔2016〕1号
L event a11 1 转让 --date 2020-05-01 holder=乙矿业有限公司
L event a11 1 延续 --date 2025-12-31 --doc 丹自然资采延〔2025〕9号 valid_to=2026-02-20 permit_no=C2106002025127130000002
L set a11 2 valid_to=2026-03-01
L set a11 3 valid_to=2025-11-30
for lang in en zh; do
    screen life 80x24 "-$lang" -f "$T/life.db" --today 2026-01-01 --lang $lang
done
# wide enough for the whole timeline: the first area as the record shows it
screen life 160x40 "-en" -f "$T/life.db" --today 2026-01-01
# the event form (#19): every event type from a permit's record (E and
# :event TYPE), the timeline after each, a refusal, an unknown type
for lang in en zh; do
    cp "$T/reg.db" "$T/ev.db"; rm -f "$T/ev.db-wal" "$T/ev.db-shm"
    MINREG_NOW=2026-01-01T08:00:00Z "$MINREG" -f "$T/ev.db" set a11 1 permit_no=C2106002016017130000001 \
        holder=甲矿业有限公司 valid_from=2016-01-01 valid_to=2026-12-31 >/dev/null 2>&1
    screen eventform 80x24 "-$lang" -f "$T/ev.db" --today 2026-09-01 --lang $lang
    is "... the form recorded six events and the permit's updates, one change each ($lang)" \
       "$(sqlite3 "$T/ev.db" "SELECT group_concat(type, ' ') FROM (SELECT type FROM permit_events ORDER BY id);
          SELECT permit_no, holder, method, reg_type, status FROM mining_permits WHERE id = 1;
          SELECT count(*) FROM minreg_changes WHERE summary LIKE 'permit_events:%'")" \
       "新立 延续 变更 转让 保留 注销
C2106002026107130000002|乙矿业有限公司|地下开采|注销|关闭
6"
    "$MINREG" -f "$T/ev.db" verify >/dev/null 2>&1
    is "... and the register verifies ($lang)" "$?" 0
done
# the same form at 40x10: the pick list and the form scroll, every type recorded
cp "$T/reg.db" "$T/ev.db"; rm -f "$T/ev.db-wal" "$T/ev.db-shm"
MINREG_NOW=2026-01-01T08:00:00Z "$MINREG" -f "$T/ev.db" set a11 1 permit_no=C2106002016017130000001 \
    holder=甲矿业有限公司 valid_from=2016-01-01 valid_to=2026-12-31 >/dev/null 2>&1
screen eventform 40x10 "-en" -f "$T/ev.db" --today 2026-09-01
is "... at 40x10 too: six events, the permit updated, one change each" \
   "$(sqlite3 "$T/ev.db" "SELECT group_concat(type, ' ') FROM (SELECT type FROM permit_events ORDER BY id);
      SELECT permit_no, holder, method, reg_type, status FROM mining_permits WHERE id = 1;
      SELECT count(*) FROM minreg_changes WHERE summary LIKE 'permit_events:%'")" \
   "新立 延续 变更 转让 保留 注销
C2106002026107130000002|乙矿业有限公司|地下开采|注销|关闭
6"
# a mine's 采区 with their elevations, from its boundary (#19)
cp "$T/reg.db" "$T/ar.db"; rm -f "$T/ar.db-wal" "$T/ar.db-shm"
MINREG_NOW=2026-01-01T08:00:00Z "$MINREG" -f "$T/ar.db" boundary a11 1 "$srcdir/tests/fixtures/geo/mine_multi.txt" >/dev/null 2>&1
MINREG_NOW=2026-01-01T08:00:00Z "$MINREG" -f "$T/ar.db" event a11 1 新立 --date 2016-01-01 >/dev/null 2>&1
for lang in en zh; do
    screen areas 80x24 "-$lang" -f "$T/ar.db" --lang $lang
done
# the events register's own form: a row added there is applied to its permit
cp "$T/reg.db" "$T/ea.db"; rm -f "$T/ea.db-wal" "$T/ea.db-shm"
MINREG_NOW=2026-01-01T08:00:00Z "$MINREG" -f "$T/ea.db" set a11 1 permit_no=C2106002016017130000001 \
    holder=甲矿业有限公司 valid_from=2016-01-01 valid_to=2026-12-31 >/dev/null 2>&1
screen evadd 80x24 "" -f "$T/ea.db" --today 2026-09-01
is "... the permit's holder changed with the event, the refused one not written, the late 延续 recorded (warned)" \
   "$(sqlite3 "$T/ea.db" "SELECT holder, reg_type, valid_to FROM mining_permits WHERE id = 1; SELECT count(*) FROM permit_events")" \
   "乙矿业有限公司|延续|2031-12-31
2"
is "... the form's save shows the event rules' warning (R-RENEWAL)" \
   "$(grep -c '^saved: change 3 recorded; warning: mining_permits 1: filed 11 days before' "$T/screen")" 1
done_testing
