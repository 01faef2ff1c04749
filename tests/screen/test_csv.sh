#!/bin/sh
# The table screen's :import FILE and :export FILE, from a key script: the
# message line says what happened; an export is the view as shown (filters
# and sort), ready for Excel (BOM, CRLF).
. "$srcdir/tests/lib.sh"
S=$(cd "$srcdir" && pwd)   # srcdir may be relative, and the files are named relative to $T
MINREG_DATA_DIR=$S/data
cd "$T" || exit 1
cp "$S/tests/fixtures/import/blocks.csv" "$S/tests/fixtures/bad/values.csv" .
cat >k.keys <<'KEYS'
:a3<Enter>:import blocks.csv<Enter><dump>:sort 面积 desc<Enter>:export sorted.csv<Enter><dump>
:import values.csv<Enter><dump>q:import<Enter><dump>
:districts<Enter><Enter>jjjjjjj<Enter>:export filtered.csv<Enter><dump>
KEYS
"$MINREG" --script k.keys --size 100x12 >screen 2>"$T/err"
is "the script runs" "$?" 0
msg() { awk -v n="$1" '/^--- screen / { s++ } s == n { last = $0 } END { print last }' screen; }
is ":import FILE: the change on the message line" "$(msg 1)" "change 1 recorded: 5 rows added from blocks.csv"
is "... and the rows on the screen" "$(sed -n '/screen 1:/,/screen 2:/p' screen | grep -c '^TK0')" 5
is ":export FILE says how many rows" "$(msg 2)" "5 rows written to sorted.csv"
"$MINREG" export a3 --sort 面积 --desc --bom --crlf >want.csv
cmp -s sorted.csv want.csv
is "... in the view's order, with BOM and CRLF" "$?" 0
is ":import of a bad file: the import screen, the count of bad rows" \
    "$(sed -n '/screen 3:/,/screen 4:/p' screen | grep -c '^12 of 12 rows have problems  nothing written yet  w: write…  q: cancel$')" 1
is "... a problem a line: line, column, value, reason" \
    "$(sed -n '/screen 3:/,/screen 4:/p' screen | grep -c "^   2  区块编号 *TK01 *区块编号: 'TK01' is already used")" 1
is "... and nothing written" "$("$MINREG" show a3 --format tsv | tail -n +2 | wc -l | tr -d ' ')" 5
is ":import without a file: usage" "$(msg 4)" "usage: :import FILE"
"$MINREG" export a2 --where 所在行政区=丹东 --bom --crlf >want2.csv
cmp -s filtered.csv want2.csv
is ":export of a filtered list writes just its rows" "$?" 0
# the import screen at 80x24 and 40x10 in both languages: the problems,
# the question, cancel, the good rows written with a rejects file (#20)
SEXP=$S/tests/screen/expected
for size in 80x24 40x10; do
    for lang in en zh; do
        tag=; [ $lang = zh ] && tag=-zh
        cp "$builddir/data/register.db" imp.db; rm -f imp.db-wal imp.db-shm values-rejects.csv
        "$MINREG" -f imp.db --lang $lang --script "$S/tests/screen/keys/import.keys" --size $size >screen 2>"$T/err"
        out=$SEXP/import-$size$tag.txt
        if [ "${MINREG_BLESS:-}" = 1 ]; then cp screen "$out"; fi
        if cmp -s screen "$out"; then ok "import screen at $size$tag"; else
            not_ok "import screen at $size$tag"; diff -u "$out" screen | head -40 | sed 's/^/#   /'; fi
        is "... the good row written, the bad ones in the rejects file ($size$tag)" \
            "$("$MINREG" -f imp.db show a3 --format tsv | tail -n +2 | wc -l | tr -d ' ') $(grep -c . values-rejects.csv)" "1 12"
    done
done
# a workbook: problems by cell, the rejects a workbook (#18)
PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ] && mkdir -p "$T/wb" && "$PY" "$S/tests/fixtures/workbooks/make.py" "$T/wb" 2>/dev/null; then
    cp "$T/wb/shifted.xlsx" .
    for size in 80x24 40x10; do
        for lang in en zh; do
            tag=; [ $lang = zh ] && tag=-zh
            cp "$builddir/data/register.db" imp.db; rm -f imp.db-wal imp.db-shm shifted-rejects.xlsx
            "$MINREG" -f imp.db --lang $lang --script "$S/tests/screen/keys/import_wb.keys" --size $size >screen 2>"$T/err"
            out=$SEXP/import_wb-$size$tag.txt
            if [ "${MINREG_BLESS:-}" = 1 ]; then cp screen "$out"; fi
            if cmp -s screen "$out"; then ok "workbook import screen at $size$tag"; else
                not_ok "workbook import screen at $size$tag"; diff -u "$out" screen | head -40 | sed 's/^/#   /'; fi
            is "... the good row written, the rejects a workbook of 3 rows and the header ($size$tag)" \
                "$("$MINREG" -f imp.db show a10 --format tsv | tail -n +2 | wc -l | tr -d ' ') $("$PY" -c 'import openpyxl, sys
print(openpyxl.load_workbook(sys.argv[1]).active.max_row)' shifted-rejects.xlsx 2>&1)" "11 4"
        done
    done
else
    not_ok "python3-openpyxl (autogen.sh --deps installs it) makes the test workbooks"
fi
printf ':a3<Enter>:import blocks.csv<Enter><dump>\n' >ro.keys
"$MINREG" -r --script ro.keys --size 100x12 >screen 2>"$T/err"
is ":import on a read-only register is refused" "$(msg 1)" "the register is open read-only"
done_testing
