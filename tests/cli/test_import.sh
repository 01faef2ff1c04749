#!/bin/sh
# CLI: import — encodings, delimiters, modes, validation reports, bad input,
# rejects, undo, progress on a terminal, Ctrl-C.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
FX=$srcdir/tests/fixtures
"$MINREG" tables >/dev/null   # the first write-open switches the file to WAL: compare bytes after that

fresh() { cp "$builddir/data/register.db" "$T/reg.db"; rm -f "$T/reg.db-wal" "$T/reg.db-shm"; "$MINREG" tables >/dev/null; }
rows() { "$MINREG" show "$1" --format tsv | tail -n +2 | wc -l | tr -d ' '; }

# fails DESC STATUS MESSAGE ARGS...: exit STATUS, MESSAGE on stderr, register unchanged
fails() {
    desc=$1 want_rc=$2 want=$3; shift 3
    cp "$T/reg.db" "$T/before.db"
    run_minreg "$@"
    if [ "$rc" -eq "$want_rc" ] && grep -qF -- "$want" "$T/err" && cmp -s "$T/reg.db" "$T/before.db" &&
        [ "$(sqlite3 "$T/reg.db" 'PRAGMA integrity_check')" = ok ]; then
        ok "$desc"
    else
        not_ok "$desc"; echo "#   status $rc (want $want_rc)"; sed 's/^/#   /' "$T/err" | head -5
    fi
}

# ---- every encoding and delimiter gives the same register ----
for f in blocks.csv blocks-bom-crlf.csv blocks-gb18030.csv blocks-utf16le.txt blocks-tab.tsv \
         blocks-tab-crlf.tsv blocks-semicolon.csv blocks-sep.csv blocks-ids.csv; do
    fresh
    run_minreg import a3 "$FX/import/$f"
    if [ "$rc" -ne 0 ]; then
        not_ok "$f imports"; sed 's/^/#   /' "$T/err"; continue
    fi
    "$MINREG" export a3 >"$T/out"
    matches_file "$f: 5 rows, exactly as the plain UTF-8 file gives them" import_blocks.csv
done
fresh
run_minreg import a3 "$FX/import/blocks-gb18030.csv"
is "GB18030 is detected and said" "$(head -1 "$T/out" | sed 's|.*: ||')" "GB18030, comma-separated, 5 rows"
is "... and the change is recorded" "$(tail -1 "$T/out")" "change 1 recorded: 5 added"
fresh
run_minreg import a3 "$FX/import/blocks-utf16le.txt"
is "UTF-16LE with BOM (Excel's Unicode text) is detected" "$(head -1 "$T/out" | sed 's|.*: ||')" "UTF-16LE, tab-separated, 5 rows"
fresh
run_minreg import a3 "$FX/import/blocks-semicolon.csv"
is "semicolons are detected" "$(head -1 "$T/out" | sed 's|.*: ||')" "UTF-8, semicolon-separated, 5 rows"
fresh
run_minreg import a3 "$FX/import/blocks-gb18030.csv" --encoding gbk
is "--encoding gbk reads GB18030" "$rc" 0
fresh
fails "--encoding utf-8 on a GB18030 file: invalid UTF-8 at its first byte" 3 \
    "blocks-gb18030.csv:1: invalid UTF-8 at byte offset 0 (0xc7)" import a3 "$FX/import/blocks-gb18030.csv" --encoding utf-8
# issue 15.8: the encoding is what the whole file is, and is said
fresh
printf 'code,name,minerals,area_km2\nG1,x,金矿,1\n' | iconv -f UTF-8 -t GB18030 >"$T/gb-ascii-head.csv"
run_minreg import a3 "$T/gb-ascii-head.csv"
is "GB18030 with an ASCII header and little after it: said to be GB18030" "$rc:$(head -1 "$T/out" | sed 's|.*: ||')" "0:GB18030, comma-separated, 1 row"
fresh
# 一业为之也习 and 石墨 in GB18030 are valid UTF-8 bytes (d2bb d2b5 ...); 金矿 is not
printf 'code,name,minerals,area_km2\nG1,一业为之也习,石墨,1\nG2,专业,金矿,2\n' | iconv -f UTF-8 -t GB18030 >"$T/gb-like-u8.csv"
run_minreg import a3 "$T/gb-like-u8.csv"
is "GB18030 whose first characters happen to be valid UTF-8: read as GB18030" "$rc:$(head -1 "$T/out" | sed 's|.*: ||')" "0:GB18030, comma-separated, 2 rows"
is "... the values as written" "$("$MINREG" show a3 --columns code,name,minerals --format tsv | tail -n +2 | tr '\t\n' ', ')" "G1,一业为之也习,石墨 G2,专业,金矿 "
fresh
{ printf 'code,name,minerals,area_km2\n'
  awk 'BEGIN { for (i = 1; i <= 12000; i++) printf "A%05d,一业为之也习,石墨,1\n", i }'
  printf 'Z1,专业,金矿,1\n'; } | iconv -f UTF-8 -t GB18030 >"$T/gb-late.csv"
run_minreg import a3 "$T/gb-late.csv"
is "... also when the first 300 KB all look like UTF-8 (the whole file decides)" "$rc:$(head -1 "$T/out" | sed 's|.*: ||')" "0:GB18030, comma-separated, 12001 rows"
is "... every row in" "$(rows a3)" 12001
fresh
fails "... but --encoding utf-8 is obeyed: invalid UTF-8 where it is" 3 "gb-late.csv:12002: invalid UTF-8 at byte offset" \
    import a3 "$T/gb-late.csv" --encoding utf-8
printf 'code,name,minerals,area_km2\nU1,金矿区,金矿,1\nU2,\344\270,金矿,1\n' >"$T/u8-bad.csv"
fails "... and UTF-8 with a bad byte is still called invalid UTF-8" 3 "u8-bad.csv:3: invalid UTF-8 at byte offset" import a3 "$T/u8-bad.csv"
fails "--delimiter tab on a comma file: the header does not fit" 3 "the header does not fit exploration_blocks" \
    import a3 "$FX/import/blocks.csv" --delimiter tab
run_minreg import a3 "$FX/import/blocks-semicolon.csv" --delimiter ';'
is "--delimiter ';'" "$rc" 0
fresh
"$MINREG" import a3 - <"$FX/import/blocks.csv" >"$T/out" 2>"$T/err"
is "standard input as FILE -" "$(head -1 "$T/out")" "(standard input): UTF-8, comma-separated, 5 rows"
fails "unknown encodings are a usage error" 2 "unknown encoding 'latin1'" import a3 "$FX/import/blocks.csv" --encoding latin1

# ---- bad input: a clear message, a non-zero exit, the register unchanged ----
fresh
B=$FX/bad
fails "empty file" 3 "empty.csv: empty file: no header row" import a3 "$B/empty.csv"
fails "a header with no rows" 3 "header-only.csv: a header but no rows: nothing to import" import a3 "$B/header-only.csv"
fails "a stray quote: line and field" 3 "quote-stray.csv:3: field 2: malformed quotes" import a3 "$B/quote-stray.csv"
fails "text after a closing quote" 3 "quote-after.csv:2: field 2: malformed quotes" import a3 "$B/quote-after.csv"
fails "a quote never closed" 3 "quote-unclosed.csv:3: a quoted field is never closed" import a3 "$B/quote-unclosed.csv"
fails "ragged rows: each one named" 1 "ragged.csv:4: 5 fields, but the header has 4" import a3 "$B/ragged.csv"
grep -q 'ragged.csv:3: 3 fields, but the header has 4' "$T/err"
is "... the short row too" "$?" 0
fails "invalid UTF-8: line and byte offset" 3 "invalid-utf8.csv:3: invalid UTF-8 at byte offset 92 (0xff)" import a3 "$B/invalid-utf8.csv"
fails "GB18030 cut in the middle of a character" 3 "ends in the middle of a GB18030 character" import a3 "$B/gb18030-cut.csv"
fails "a BOM in the middle (two files joined)" 3 "mid-bom.csv:8: a byte order mark (U+FEFF) at byte offset 797, not at the start" import a3 "$B/mid-bom.csv"
fails "NUL bytes" 3 "nul.csv:3: a NUL byte at byte offset 86" import a3 "$B/nul.csv"
fails "a workbook named .csv is read as the workbook it is (this one damaged)" 3 "workbook.csv: not a readable .xlsx workbook" import a3 "$B/workbook.csv"
fails "unknown and repeated columns, before any row" 3 "unknown columns: '面基'; missing required columns: 面积(平方公里) (area_km2); column name appears twice (fields 2 and 5)" import a3 "$B/header.csv"
fails "missing required columns, all of them" 3 "missing required columns: 区块编号 (code), 勘查矿种 (minerals), 面积(平方公里) (area_km2)" import a3 "$B/header-missing.csv"
{ printf '区块编号,区块名称,勘查矿种,面积\nTK01,"'; head -c 1100000 /dev/zero | tr '\0' x; printf '",金矿,1\n'; } >"$T/big.csv"
fails "a field over 1 MiB" 3 "big.csv:2: field 2 is longer than 1048576 bytes" import a3 "$T/big.csv"
fails "a file that does not exist" 5 "nosuch.csv: No such file or directory" import a3 "$T/nosuch.csv"
fails "a directory" 5 "Is a directory" import a3 "$T"
cp "$FX/import/blocks.csv" "$T/locked.csv"; chmod 000 "$T/locked.csv"
if [ "$(id -u)" -ne 0 ]; then
    fails "a file that cannot be read" 5 "locked.csv: Permission denied" import a3 "$T/locked.csv"
else
    ok "# SKIP root can read any file"
fi

# ---- invalid rows: every problem reported with line, column, value, reason ----
fails "invalid values: nothing is written (exit 1)" 1 "11 of 12 rows have problems; nothing was written" import a3 "$B/values.csv"
while IFS='|' read -r want; do
    grep -qF -- "$want" "$T/err" && ok "reported: $want" || { not_ok "reported: $want"; sed 's/^/#   /' "$T/err"; }
done <<'EOF'
values.csv:3: 面积(平方公里): '一点五' is not a number
values.csv:4: 面积(平方公里): must be greater than 0 (value '-2')
values.csv:5: 勘查阶段: '初查' is not one of: 预查, 普查, 详查, 勘探
values.csv:6: 所在重点勘查区: 'KZ123' is not a key exploration area code (KZ and 11 digits)
values.csv:7: 所在重点勘查区: 'KZ21069999999' is not in Key exploration areas
values.csv:8: 勘查矿种: '锡矿' is not in Minerals (value '金矿;锡矿')
values.csv:9: 区块编号: is required
values.csv:10: 区块编号: 'TK01' is already used by an earlier row of this file
values.csv:11: 投放截止年: '2021' is before 投放起始年
values.csv:12: 投放起始年: '21' is not a year (YYYY)
values.csv:13: 所在行政区: '火星区' is not in Districts
EOF
# a key the register already has: found by the insert itself, reported as
# the validator words it, beside a row with that and another problem
cp "$T/reg.db" "$T/keys.db"
printf '区块编号,区块名称,勘查矿种,面积\nTN01,甲,金矿,1\n' >"$T/tn01.csv"
"$MINREG" -f "$T/keys.db" import a3 "$T/tn01.csv" >/dev/null
printf '区块编号,区块名称,勘查矿种,面积\nTN02,甲,金矿,1\nTN01,乙,金矿,1\nTN01,丙,金矿,-1\n' >"$T/taken.csv"
MINREG_DB=$T/keys.db fails "a key already in the register: nothing is written" 1 "2 of 3 rows have problems" import a3 "$T/taken.csv"
is "... each such row says which value and why" "$(grep -c "区块编号: 'TN01' is already used by another row" "$T/err")" 2
grep -qF "taken.csv:4: 面积(平方公里): must be greater than 0 (value '-1')" "$T/err"
is "... and a row with more problems gets them all" "$?" 0
is "... the register still has only the row it had" "$(sqlite3 "$T/keys.db" "SELECT group_concat(code) FROM exploration_blocks")" TN01
{ echo '区块编号,区块名称,勘查矿种,面积'; i=1; while [ $i -le 150 ]; do echo "X$i,名,金矿,-$i"; i=$((i + 1)); done; } >"$T/many.csv"
fails "150 bad rows" 1 "150 of 150 rows have problems" import a3 "$T/many.csv"
is "... the first 100 are listed" "$(grep -c 'must be greater than 0' "$T/err")" 100
grep -q '^minreg: \.\.\. and 50 more problems$' "$T/err"
is "... then a count of the rest" "$?" 0
run_minreg import a3 "$FX/import/blocks.csv"
fails "rows already in the register: the message says what to do" 1 "5 rows are already in the register: --upsert updates them, --replace replaces the register's rows" import a3 "$FX/import/blocks.csv"

# ---- dry run ----
fresh
cp "$T/reg.db" "$T/before.db"
run_minreg import a3 "$FX/import/blocks.csv" --dry-run
is "--dry-run of a good file: exit 0" "$rc" 0
cmp -s "$T/reg.db" "$T/before.db"
is "... nothing written" "$?" 0
is "... and says what it would do" "$(tail -1 "$T/out")" "dry run: importing would make 5 added; nothing was written"
fails "--dry-run of a bad file reports and writes nothing" 1 "values.csv:3: 面积(平方公里)" import a3 "$B/values.csv" --dry-run

# ---- a usage message keeps its lines (escaped one by one, not as \n) ----
run_minreg import
is "import without arguments: usage, exit 2, on three lines" "$rc $(wc -l <"$T/err")" "2 3"
is "... none with an escaped line break" "$(grep -c 'dry-run]\\n' "$T/err")" 0
run_minreg export
is "export without arguments: usage on seven lines (CSV, --all, then GIS)" "$rc $(wc -l <"$T/err")" "2 7"

# ---- --skip-bad --rejects: good rows in, bad rows out with reasons, fixable ----
fails "--skip-bad needs --rejects" 2 "--skip-bad and --rejects FILE go together" import a3 "$B/values.csv" --skip-bad
cp "$B/values.csv" "$T/values.csv"
fails "the rejects file cannot be the input" 2 "cannot be the file being imported" import a3 "$T/values.csv" --skip-bad --rejects "$T/values.csv"
run_minreg import a3 "$B/values.csv" --skip-bad --rejects "$T/rejects.csv"
is "--skip-bad: exit 1 while rows were rejected" "$rc" 1
is "... the good row is in" "$(rows a3)" 1
grep -q '^11 rows rejected, written with their reasons to ' "$T/out"
is "... and the count of rejects said" "$?" 0
is "... rejects: a BOM, the header and a reason column" "$(head -1 "$T/rejects.csv")" "$(printf '\357\273\277区块编号,区块名称,勘查矿种,面积(平方公里),所在重点勘查区,勘查阶段,投放起始年,投放截止年,所在行政区,导入问题\r')"
is "... one line per rejected row" "$(grep -c . "$T/rejects.csv")" 12
grep -qF "TK03,面积为负,金矿,-2,,,,,,line 4: 面积(平方公里): must be greater than 0" "$T/rejects.csv"
is "... each row as it was, with why" "$?" 0
run_minreg import a3 "$T/rejects.csv"
is "the rejects file imports as it is (its reason column ignored) and fails the same way" "$(grep -c 'have problems' "$T/err")" 1
sed -e 's/,面积为负,金矿,-2,/,面积为负,金矿,2,/' -e 's/,阶段不对,金矿,1,,初查,/,阶段不对,金矿,1,,普查,/' "$T/rejects.csv" >"$T/fixed.csv"
run_minreg import a3 "$T/fixed.csv" --skip-bad --rejects "$T/rejects2.csv"
is "fixed rows go in on the next try" "$(rows a3)" 3
is "... the rest are rejected again" "$(grep -c . "$T/rejects2.csv")" 10
# a row with an extra column: its reason stays under the reason's header,
# the extra value after it (issue 20)
printf '区块编号,区块名称,勘查矿种,面积(平方公里)\nTX01,多一列,金矿,1.5,多出来的\nTX02,好的,金矿,2\n' >"$T/extra.csv"
run_minreg import a3 "$T/extra.csv" --skip-bad --rejects "$T/rejects3.csv"
is "an extra column: the good row goes in, the long one is rejected" "$rc $(grep -c . "$T/rejects3.csv")" "1 2"
is "... the header: the file's columns, then the reason" "$(head -1 "$T/rejects3.csv" | tr -d '\r')" "$(printf '\357\273\277区块编号,区块名称,勘查矿种,面积(平方公里),导入问题')"
row=$(sed -n 2p "$T/rejects3.csv" | tr -d '\r')
case $row in 'TX01,多一列,金矿,1.5,"line 2: '*'",多出来的') r=0;; *) r=1;; esac
is "... the row: its fields, its reason under the reason header, the extra value after it ($row)" "$r" 0

# ---- undo takes the whole import back ----
fresh
"$MINREG" export a3 >"$T/before.csv"
run_minreg import a3 "$FX/import/blocks.csv" -m "附表3 from the county"
"$MINREG" export a3 >"$T/imported.csv"
run_minreg log --format tsv
is "the import is one change with an audit row per row" "$(cut -f1,4,7 "$T/out" | tail -n +2 | sort -u | tr '\n' ' ')" "1	import	(row added) "
is "... five of them" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 5
is "... with the comment" "$(tail -1 "$T/out" | cut -f10)" "附表3 from the county"
run_minreg undo
is "undo says what it undid, then records it" "$(sed -n '1p;2p;$p' "$T/out")" "undone: change 1 by clerk at 2026-11-28 12:00: 勘查规划区块表 <- blocks.csv (append) — 附表3 from the county
  勘查规划区块表 TK01: row added
change 2 recorded"
"$MINREG" export a3 >"$T/after.csv"
cmp -s "$T/before.csv" "$T/after.csv"
is "... the register is as before" "$?" 0
run_minreg redo
"$MINREG" export a3 >"$T/redone.csv"
cmp -s "$T/imported.csv" "$T/redone.csv"
is "redo puts the rows back as they were imported" "$?" 0

# ---- the rows an import adds are one run, read back as they were added ----
cp "$T/reg.db" "$T/keep.db"   # the --upsert tests below go on from here
fresh
"$MINREG" export a3 >"$T/pre.csv"
run_minreg import a3 "$FX/import/blocks.csv"
"$MINREG" export a3 >"$T/imported.csv"
is "five rows added: one run in the audit, no audit row each" \
   "$(sqlite3 "$T/reg.db" "SELECT count(*), sum(last_row - first_row + 1) FROM minreg_audit_added; SELECT count(*) FROM minreg_audit")" "1|5
0"
run_minreg log a3 --format tsv
cut -f6,9 "$T/out" | tail -n +2 >"$T/as-added"
is "... the log shows each row with its values" "$(cut -f1 "$T/as-added" | tr '\n' ' ')" "TK01 TK02 TK03 TK04 TK05 "
"$MINREG" set a3 TK02 area_km2=9 >/dev/null
"$MINREG" set a3 TK02 stage=勘探 >/dev/null
"$MINREG" rm a3 TK03 >/dev/null
run_minreg log a3 TK02 --format tsv
is "a row changed since: its history starts with the row as added" "$(sed -n 2p "$T/out" | cut -f6,9)" "$(grep '^TK02' "$T/as-added")"
is "... then each change" "$(tail -n +3 "$T/out" | cut -f7,8,9 | tr '\n' ' ')" "$(printf 'area_km2\t3.5\t9 stage\t详查\t勘探 ')"
run_minreg log a3 TK03 --format tsv
is "a row deleted since: found by its key, as added, then deleted" "$(tail -n +2 "$T/out" | cut -f6,7 | tr '\n' ' ')" "$(printf 'TK03\t(row added) TK03\t(row deleted) ')"
is "... with the values it was added with" "$(sed -n 2p "$T/out" | cut -f6,9)" "$(grep '^TK03' "$T/as-added")"
run_minreg undo 1
is "undo of the import is refused while later changes stand" "$(cat "$T/err")" "minreg: cannot undo change 1: change 2 later changed exploration_blocks TK02; undo that first"
"$MINREG" undo >/dev/null && "$MINREG" undo >/dev/null && "$MINREG" undo >/dev/null
run_minreg undo 1
is "... and done once they are undone" "$rc" 0
"$MINREG" export a3 >"$T/after.csv"
cmp -s "$T/pre.csv" "$T/after.csv"
is "... the register is as before the import" "$?" 0
run_minreg redo
"$MINREG" export a3 >"$T/redone.csv"
cmp -s "$T/imported.csv" "$T/redone.csv"
is "... and redo brings the rows back as they were imported" "$?" 0

# rows with ids: the 序号 is an ordinary value, not the row's identity; each
# import's rows get new identities in file order, one run per import
fresh
printf '序号,矿山名称,开采矿种,登记面积(平方公里)\n503,丙,金矿,1\n501,甲,金矿,1\n502,乙,金矿,1\n' >"$T/ids.csv"
run_minreg import mining_permits "$T/ids.csv"
printf '序号,矿山名称,开采矿种,登记面积(平方公里)\n601,丁,金矿,1\n' >"$T/one.csv"
run_minreg import mining_permits "$T/one.csv"
printf '序号,矿山名称,开采矿种,登记面积(平方公里)\n600,戊,金矿,1\n602,己,金矿,1\n599,庚,金矿,1\n' >"$T/around.csv"
run_minreg import mining_permits "$T/around.csv"
is "runs are exact: one per import, whatever the row numbers" \
   "$(sqlite3 "$T/reg.db" "SELECT group_concat(change_id || ':' || first_row || '-' || last_row, ' ') FROM minreg_audit_added")" \
   "1:11-13 2:14-14 3:15-17"
run_minreg log mining_permits --format tsv
is "... and the log lists each row of each, in the order added" "$(tail -n +2 "$T/out" | cut -f1,6 | tr '\t\n' ': ')" "1:503 1:501 1:502 2:601 3:600 3:602 3:599 "
# a row removed keeps its identity: a later import does not take its place,
# so undoing the removal brings it back beside the new row
fresh
run_minreg import a3 "$FX/import/blocks.csv"
"$MINREG" rm a3 TK05 >/dev/null
printf '区块编号,区块名称,勘查矿种,面积\nTK06,甲,金矿,1\n' >"$T/tk06.csv"
run_minreg import a3 "$T/tk06.csv"
is "... a new row never takes a removed row's identity" "$(sqlite3 "$T/reg.db" "SELECT rid FROM exploration_blocks WHERE code = 'TK06'")" 6
run_minreg undo 2
is "undoing a removal after a later import brings the row back" "$rc/$(sqlite3 "$T/reg.db" "SELECT group_concat(rid || code, ' ') FROM exploration_blocks WHERE code IN ('TK05', 'TK06')")" "0/5TK05 6TK06"
# a row renamed since: found by the key it was added with; a year changed
# since is given back as the number it was
"$MINREG" set a3 TK01 code=TKX >/dev/null
run_minreg log a3 TK01 --format tsv
is "a row renamed since is found by the key it was imported with" "$(tail -n +2 "$T/out" | cut -f1,4,6,7)" "$(printf '1\timport\tTK01\t(row added)')"
"$MINREG" set a3 TK02 year_from=2023 >/dev/null
run_minreg log a3 TK02 --format json
grep -q '\\"year_from\\":2022,' "$T/out"
is "... a year as added is a number, as the row held it" "$?" 0
cp "$T/keep.db" "$T/reg.db"

# ---- --upsert and --replace ----
sed -e 's/^五龙億达金矿区块,TK02,金矿;银矿,3.5,/五龙億达金矿区块,TK02,金矿;银矿,4.5,/' "$FX/import/blocks.csv" >"$T/up.csv"
echo '新区块,TK06,金矿,1,,,,,,,,,' >>"$T/up.csv"
run_minreg import a3 "$T/up.csv" --upsert
is "--upsert: changed rows updated, new ones added" "$(tail -1 "$T/out")" "change 4 recorded: 1 added, 1 updated, 4 unchanged"
run_minreg log a3 TK02 --format tsv
is "... the update is audited field by field" "$(tail -1 "$T/out" | cut -f4,7,8,9)" "$(printf 'import\tarea_km2\t3.5\t4.5')"
cp "$T/reg.db" "$T/before.db"
run_minreg undo
"$MINREG" export a3 >"$T/after.csv"
is "undo of an upsert puts back the updated row and removes the added one" "$(diff "$T/after.csv" "$T/redone.csv" && echo same)" same
cp "$T/before.db" "$T/reg.db"
printf '区块编号,区块名称,勘查矿种,面积\nTK02,甲,金矿,1\nTK02,乙,金矿,2\nTK07,丙,金矿,1\nTK07,丁,金矿,1\n' >"$T/twice.csv"
fails "--upsert: a key twice in the file is an error, not a silent last-one-wins" 1 "twice.csv:3: 区块编号: 'TK02' is on an earlier line of this file too" import a3 "$T/twice.csv" --upsert
grep -qF "twice.csv:5: 区块编号: 'TK07' is on an earlier line of this file too" "$T/err"
is "... also for a key the file itself adds" "$?" 0
printf '区块名称,勘查矿种,面积\n甲,金矿,1\n' >"$T/nokey.csv"
fails "--upsert needs the key column" 3 "missing the key column (--upsert needs it): 区块编号 (code)" import a3 "$T/nokey.csv" --upsert
# issue 14.8: --upsert with only some columns updates those, the rest stay
cp "$T/reg.db" "$T/pre-part.db"; rm -f "$T/reg.db-wal"
"$MINREG" export a3 >"$T/up-before.csv"
printf '区块编号,面积（平方公里）\nTK02,7.25\nTK03,0.0001\n' >"$T/part.csv"
run_minreg import a3 "$T/part.csv" --upsert
is "--upsert with only the key and one column is accepted" "$rc:$(tail -1 "$T/out")" "0:change 5 recorded: 0 added, 1 updated, 1 unchanged"
"$MINREG" export a3 >"$T/up-after.csv"
is "... only that column of that row changed; the columns the file lacks kept their values" \
    "$(diff "$T/up-before.csv" "$T/up-after.csv" | grep '^[<>]')" \
    "$(printf '< TK02,五龙億达金矿区块,KZ21060000002,金矿;银矿,贵金属矿产,详查,4.5000,2022,2024,省级,振安区,,\n> TK02,五龙億达金矿区块,KZ21060000002,金矿;银矿,贵金属矿产,详查,7.2500,2022,2024,省级,振安区,,')"
run_minreg log --format tsv
is "... the audit records only the field that changed" "$(awk -F'\t' '$1 == 5 { print $6, $7, $8, $9 }' "$T/out")" "TK02 area_km2 4.5 7.25"
printf '区块编号,面积\nTK02,8\nTK77,2\n' >"$T/partnew.csv"
fails "--upsert of some columns: a new row lacking a required column is a row error naming line and column" 1 \
    "partnew.csv:3: 区块名称: is required, and the file has no such column" import a3 "$T/partnew.csv" --upsert
grep -qF "partnew.csv:3: 勘查矿种: is required, and the file has no such column" "$T/err"
is "... each such column named" "$?" 0
printf '区块编号,区块名称,勘查矿种,面积\nTK02,甲,金矿,8\nTK77,,金矿,2\n' >"$T/partnew2.csv"
fails "... a new row with the column but no value: is required, as ever" 1 "partnew2.csv:3: 区块名称: is required" import a3 "$T/partnew2.csv" --upsert
printf '区块编号,区块名称,勘查矿种,面积\nTK02,甲,金矿,8\nTK77,新,金矿,2\n' >"$T/partnew3.csv"
run_minreg import a3 "$T/partnew3.csv" --upsert
is "... and with the required columns a new row is added" "$rc:$(tail -1 "$T/out")" "0:change 6 recorded: 1 added, 1 updated, 0 unchanged"
cp "$T/pre-part.db" "$T/reg.db"; rm -f "$T/reg.db-wal" "$T/reg.db-shm"
printf '区块编号,区块名称,勘查矿种,面积\nR1,甲,金矿,1\nR2,乙,铁矿,2\n' >"$T/two.csv"
run_minreg import a3 "$T/two.csv" --replace
is "--replace: the register's rows replaced" "$(tail -1 "$T/out")" "change 5 recorded: 2 added, 6 deleted"
is "... only the file's rows remain" "$("$MINREG" show a3 --columns code --format tsv | tail -n +2 | tr '\n' ' ')" "R1 R2 "
"$MINREG" export minerals | grep -v '^金矿,' >"$T/minerals.csv"
fails "--replace refused when other registers would lose their link targets" 1 "rows of mining_permits (开采矿种) link to '金矿', which would no longer be in minerals" import minerals "$T/minerals.csv" --replace
fails "... and named as such" 1 "other rows would lose what they link to; nothing was written" import minerals "$T/minerals.csv" --replace

# ---- rows of the file linking to each other; multi-column uniqueness ----
"$MINREG" init "$T/empty.db" --empty
printf '行政区代码,名称,简称,级别,上级\n210602,元宝区,元宝区,市辖区,210600\n210600,丹东市,丹东,地级市,\n' >"$T/d.csv"
"$MINREG" -f "$T/empty.db" import districts "$T/d.csv" >"$T/out" 2>"$T/err"
is "a row may link to a row later in the same file" "$?" 0
printf '行政区代码,名称,简称,级别,上级\n210603,振兴区,振兴区,市辖区,219999\n' >"$T/d2.csv"
"$MINREG" -f "$T/empty.db" import districts "$T/d2.csv" >"$T/out" 2>"$T/err"
is "... but it must be somewhere" "$(grep -c "d2.csv:2: 上级: '219999' is not in districts, nor anywhere in the file" "$T/err")" 1
printf '矿产名称,计量单位,县（市）,开采控制量,备注\n铁矿,亿吨,宽甸县,1,预期性\n' >"$T/q.csv"
fails "a UNIQUE over two columns (mineral + county), by label" 1 "矿产名称 + 县（市）: this combination is already used by another row" import quotas "$T/q.csv"

# ---- Excel's trailing empty columns; a value under no header ----
fresh
printf '区块编号,区块名称,勘查矿种,面积,,\r\nT1,甲,金矿,1,,\r\n' >"$T/trail.csv"
run_minreg import a3 "$T/trail.csv"
is "trailing empty columns (Excel) are ignored" "$rc" 0
printf '区块编号,区块名称,勘查矿种,面积,,\nT2,甲,金矿,1,,x\n' >"$T/trail2.csv"
fails "... but a value under no header is refused" 1 "trail2.csv:2: field 6 has a value but no column name in the header" import a3 "$T/trail2.csv"

# ---- read-only ----
fails "-r: import refused (exit 4)" 4 "read-only" -r import a3 "$FX/import/blocks.csv"

# ---- Ctrl-C cancels and rolls back ----
fresh
mkfifo "$T/fifo"
"$MINREG" import a3 "$T/fifo" >"$T/out" 2>"$T/err" &
pid=$!
exec 3>"$T/fifo"   # returns once minreg has opened it (its handler is set by then)
printf '区块编号,区块名称,勘查矿种,面积\n' >&3
i=0; while [ $i -lt 5000 ]; do echo "C$i,名,金矿,1"; i=$((i + 1)); done >&3
kill -INT $pid
# in a subshell: once minreg has gone, writing to the FIFO raises SIGPIPE
( i=0; while [ $i -lt 5000 ]; do echo "D$i,名,金矿,1"; i=$((i + 1)); done ) >&3 2>/dev/null
exec 3>&-
wait $pid
is "Ctrl-C: exit 130" "$?" 130
is "... saying so" "$(cat "$T/err")" "minreg: cancelled: nothing was written"
is "... nothing written" "$(rows a3)" 0
# issue 15.8: Ctrl-C while the FIFO gives nothing at all (minreg waits in a
# read, asking every 100 ms whether to stop): cancelled, not "empty file"
fresh
"$MINREG" import a3 "$T/fifo" >"$T/out" 2>"$T/err" &
pid=$!
exec 3>"$T/fifo"
kill -INT $pid
exec 3>&-   # (then an import that missed the signal ends, as "empty file")
wait $pid
is "Ctrl-C on an import from an empty FIFO: exit 130" "$?" 130
is "... saying so" "$(cat "$T/err")" "minreg: cancelled: nothing was written"
is "... nothing written" "$(rows a3)" 0

# ---- issue 14.9: a file changed while it is imported is not imported in part ----
# (MINREG_TEST_CHANGE_INPUT changes it after the first 256 KiB read, so the
# rows before the cut are in and checked, as in a real cut mid-import)
fresh
awk 'BEGIN { print "区块编号,区块名称,勘查矿种,面积,备注"
             for (i = 1; i <= 20000; i++) printf "T%05d,名%d,金矿,1.5,一段较长的备注文字 %d\n", i, i, i }' >"$T/big.csv"
cp "$T/big.csv" "$T/cut.csv"
size=$(wc -c <"$T/cut.csv" | tr -d ' ')
MINREG_TEST_CHANGE_INPUT=truncate:400000 fails "a file truncated while it is imported: exit 3, nothing written" 3 \
    "cut.csv: the file changed while it was being imported (its size went from $size to 400000 bytes): nothing was written" \
    import a3 "$T/cut.csv"
cp "$T/big.csv" "$T/cut.csv"
MINREG_TEST_CHANGE_INPUT=truncate:400001 fails "... also when the cut falls inside a character (not called invalid UTF-8)" 3 \
    "cut.csv: the file changed while it was being imported (its size went from $size to 400001 bytes)" import a3 "$T/cut.csv"
cp "$T/big.csv" "$T/cut.csv"
MINREG_TEST_CHANGE_INPUT=touch fails "... and a file rewritten (its time changed) while it is imported" 3 \
    "cut.csv: the file changed while it was being imported (it was modified)" import a3 "$T/cut.csv"
cp "$T/big.csv" "$T/cut.csv"
MINREG_TEST_CHANGE_INPUT=truncate:400000 fails "... --upsert too" 3 "the file changed while it was being imported" \
    import a3 "$T/cut.csv" --upsert
run_minreg import a3 "$T/big.csv"
is "the same file left alone imports" "$rc:$(tail -1 "$T/out")" "0:change 1 recorded: 20000 added"
fresh
"$MINREG" import a3 - <"$T/big.csv" >"$T/out" 2>"$T/err"
is "... and from a pipe (where it cannot be checked) as before" "$?:$(tail -1 "$T/out")" "0:change 1 recorded: 20000 added"

# ---- the progress bar: on a terminal only ----
if command -v script >/dev/null 2>&1; then
    fresh
    MINREG_PROGRESS_AFTER_MS=0 script -qec "'$MINREG' import a3 '$FX/import/blocks.csv'" "$T/log" >/dev/null 2>&1
    grep -q 'rows/s' "$T/log"
    is "on a terminal the bar shows rows and rows/s" "$?" 0
    grep -q '\[#*-*\] *[0-9]*%' "$T/log"
    is "... with a bar and a percentage" "$?" 0
    fresh
    MINREG_PROGRESS_AFTER_MS=0 "$MINREG" import a3 "$FX/import/blocks.csv" >/dev/null 2>"$T/err"
    is "not on a pipe" "$(grep -c 'rows/s' "$T/err")" 0
else
    ok "# SKIP script(1) not available"
fi
# ---- issue 15.8: numbers as stored, compared and audited as stored ----
fresh
run_minreg set a11 1 area_km2=+0.99150
is "set: '+0.99150' over 0.9915 is no change" "$(cat "$T/out")" "no change: the values are the same"
run_minreg set a11 1 area_km2=1.
run_minreg set a11 1 area_km2=+1
run_minreg set a11 2 area_km2=1.2345678901234567891
run_minreg log --format tsv
is "... '1.' is audited as 1, '+1' over it is no change, 17 digits are kept" \
    "$(tail -n +2 "$T/out" | cut -f6-9 | tr '\t\n' ' |')" "1 area_km2 0.9915 1|2 area_km2 1.2866 1.2345678901234567|"
run_minreg add a3 code=N1 name=甲 minerals=金矿 area_km2=+07.50 year_from=2024
"$MINREG" show a3 --columns code,area_km2 --format tsv >"$T/out"
is "add: '+07.50' is stored and shown as 7.5" "$(tail -1 "$T/out")" "$(printf 'N1\t7.5')"
fails "a whole number beyond 64 bits is refused, not rounded into a REAL" 1 "is too large for a whole number" \
    set a11 1 id=99999999999999999999
printf '区块编号,区块名称,勘查矿种,面积,投放起始年\nN1,甲,金矿,7.500,2024\nN2,乙,金矿,3.14159265358979323,2024\n' >"$T/nums.csv"
run_minreg import a3 "$T/nums.csv" --upsert
is "import --upsert: '7.500' over 7.5 is unchanged" "$rc:$(tail -1 "$T/out")" "0:change 4 recorded: 1 added, 0 updated, 1 unchanged"
"$MINREG" export a3 >"$T/exp1.csv"
grep -q ',3.141592653589793,' "$T/exp1.csv"
is "export writes a REAL typed with 18 digits as the 16 that give it back" "$?" 0
sqlite3 "$T/reg.db" "UPDATE exploration_blocks SET area_km2 = 0.1 + 0.2 WHERE code = 'N1'"
"$MINREG" export a3 >"$T/exp2.csv"
grep -q ',0.30000000000000004,' "$T/exp2.csv"
is "... and a REAL with 17 significant digits with all 17 (was rounded to 15: 0.3)" "$?" 0
run_minreg import a3 "$T/exp2.csv" --upsert
is "export -> import --upsert changes nothing" "$rc:$(tail -1 "$T/out")" "0:no change: every row is already there as it is"
"$MINREG" export a3 >"$T/exp3.csv"
cmp -s "$T/exp2.csv" "$T/exp3.csv"
is "... and exports the same bytes again" "$?" 0

done_testing
