#!/bin/sh
# CLI: import of workbooks (.xlsx, .xls) and the Excel habits in every
# import (issue 18).  The workbooks are made by an independent writer
# (python3-openpyxl, or part by part with zipfile: tests/fixtures/workbooks/make.py).
. "$srcdir/tests/lib.sh"
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW
"$MINREG" tables >/dev/null
fresh() { cp "$builddir/data/register.db" "$T/reg.db"; rm -f "$T/reg.db-wal" "$T/reg.db-shm"; "$MINREG" tables >/dev/null; }
permits() { "$MINREG" show exploration_permits --format csv | cut -d, -f1,2,4,5,7,8,9,13; }

# fails DESC STATUS MESSAGE ARGS...: exit STATUS, MESSAGE on stderr, register unchanged
fails() {
    desc=$1 want_rc=$2 want=$3; shift 3
    cp "$T/reg.db" "$T/before.db"
    run_minreg "$@"
    if [ "$rc" -eq "$want_rc" ] && grep -qF -- "$want" "$T/err" && cmp -s "$T/reg.db" "$T/before.db"; then
        ok "$desc"
    else
        not_ok "$desc"; echo "#   status $rc (want $want_rc)"; sed 's/^/#   /' "$T/err" | head -5
    fi
}

PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
W=$T/wb
mkdir -p "$W"
if [ -z "$PY" ] || ! "$PY" "$srcdir/tests/fixtures/workbooks/make.py" "$W"; then
    not_ok "python3-openpyxl (autogen.sh --deps installs it) makes the test workbooks"
    done_testing
    exit 0
fi

# ---- a county's sheet: title row, two-row merged header, dates, 合计 rows ----
fresh
run_minreg import exploration_permits "$W/permits.xlsx" --replace
is "a workbook imports (title row, merged two-row header)" "$rc" 0
is "... and says what it read" "$(head -1 "$T/out")" "$W/permits.xlsx: xlsx workbook, sheet 探矿权, 3 rows"
is "... total rows left out, with a note naming them" "$(sed -n 2p "$T/out")" \
    "$W/permits.xlsx: 2 total rows (合计/小计/总计) left out: rows 6, 8"
is "... the trailing space counted" "$(sed -n 3p "$T/out")" \
    "$W/permits.xlsx: 1 cell written the Excel way was read with spaces around them trimmed"
is "... one audited change" "$(tail -1 "$T/out")" "change 1 recorded: 3 added, 10 deleted"
permits >"$T/out"
matches_file "... cells as the sheet has them: dates from serials, merged header labels" xlsx_permits.csv
fresh
run_minreg import exploration_permits "$W/permits-1904.xlsx" --replace
permits >"$T/out"
matches_file "the 1904 date system gives the same dates" xlsx_permits.csv
run_minreg undo
is "undo takes the workbook import back" "$rc" 0

# ---- formulas with cached values, inline and rich strings, 年月日 formats ----
fresh
run_minreg import exploration_permits "$W/formulas.xlsx" --replace
is "formulas give their cached values" "$rc" 0
is "... rows" "$(permits | tail -2 | tr '\n' '|')" \
    "1,T21120080302000001,公式 区,金矿,3.75,2019-05-01,,|2,,第二,金矿,0.3,2019-05-02,,|"
fresh
run_minreg import exploration_permits "$W/formulas-1904.xlsx" --replace
is "date1904 in workbook.xml: serial 42124 is 2019-05-01" "$(permits | tail -1)" "1,,x,金矿,1,2019-05-01,,"
fresh
fails "a formula without a cached value: sheet!cell, exit 3" 3 \
    "no-cached.xlsx: Sheet1!D2: a formula without a saved value" import exploration_permits "$W/no-cached.xlsx" --replace
fails "an error value: sheet!cell, exit 3" 3 \
    "error-value.xlsx: Sheet1!C2: the cell holds the error value #N/A" import exploration_permits "$W/error-value.xlsx" --replace

# ---- several sheets ----
fails "the first sheet has no header: the sheets are listed" 3 \
    "the workbook's sheets: 1 说明, 2 数据 (choose one with --sheet NAME|N)" import exploration_permits "$W/two-sheets.xlsx" --replace
run_minreg import exploration_permits "$W/two-sheets.xlsx" --replace --sheet 数据 --dry-run
is "--sheet NAME" "$rc:$(head -1 "$T/out")" "0:$W/two-sheets.xlsx: xlsx workbook, sheet 数据, 3 rows"
run_minreg import exploration_permits "$W/two-sheets.xlsx" --replace --sheet 2 --dry-run
is "--sheet N" "$rc" 0
fails "--sheet that is not there" 3 "no sheet '9'; the workbook has: 1 说明, 2 数据" \
    import exploration_permits "$W/two-sheets.xlsx" --sheet 9

# ---- problems name sheet, row and column letter; rejects ----
fails "a bad value: Sheet1!E5" 1 "bad-value.xlsx: Sheet1!E5: 登记面积(平方公里): must be greater than 0" \
    import exploration_permits "$W/bad-value.xlsx" --replace
fails "--skip-bad with a rejects file named .csv for a workbook: refused, nothing written" 2 \
    "rej.csv: the rejects of a workbook are written as a workbook: name the rejects file .xlsx" \
    import exploration_permits "$W/bad-value.xlsx" --replace --skip-bad --rejects "$T/rej.csv"
is "... and no rejects file left" "$(ls "$T/rej.csv" 2>/dev/null)" ""
run_minreg import exploration_permits "$W/bad-value.xlsx" --replace --skip-bad --rejects "$T/rej.xlsx"
is "--skip-bad: the good rows in" "$rc:$(tail -2 "$T/out" | head -1)" "1:change 1 recorded: 2 added, 10 deleted"
# rows of a workbook as openpyxl reads them: tab-separated, None as ""
wbrows() {
    "$PY" -c 'import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
print("sheets:", ",".join(wb.sheetnames))
for r in wb.active.iter_rows(values_only=True):
    print("\t".join("" if v is None else str(v) for v in r).rstrip("\t"))' "$1"
}
wbrows "$T/rej.xlsx" >"$T/out"
matches_file "... the rejects are a workbook: its sheet's name, the header as sent, the reason naming the cell as Excel does" \
    xlsx_rejects.txt
fresh
run_minreg import exploration_permits "$W/shifted.xlsx" --replace
is "a header from column B, a sheet name Excel quotes: every cell named as Excel names it" \
    "$rc:$(sed 's/^minreg: [^ ]*xlsx: //' "$T/err" | tr '\n' '|')" \
    "1:'My Sheet'!F5: 登记面积(平方公里): must be greater than 0 (value '-2')|'My Sheet'!K6: a value right of the header's last column ('多余')|'My Sheet'!C7: 勘查许可证号: '0012' is not an exploration permit number (T or C and 22 digits; an old one T and 17 digits)|'My Sheet'!E7: 矿种: '不是矿' is not in Minerals|'My Sheet'!G7: 有效期起: '2019/13/1' is not a date (YYYY-MM-DD)|minreg: 3 of 4 rows have problems; nothing was written|"
run_minreg import exploration_permits "$W/shifted.xlsx" --replace --skip-bad --rejects "$T/shifted-rej.xlsx"
wbrows "$T/shifted-rej.xlsx" >"$T/out"
matches_file "... its rejects: a value right of the header kept after the reason, a code of digits as text" \
    xlsx_rejects_shifted.txt
"$PY" -c 'import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1]).active
print(ws.freeze_panes, ws["A2"].data_type, ws["B4"].data_type, ws["B4"].number_format, ws.auto_filter.ref)' \
    "$T/shifted-rej.xlsx" >"$T/out"
is "... the header frozen, numbers as numbers, codes as text cells, an autofilter" "$(cat "$T/out")" "A2 n s @ A1:I4"
# fixed in Excel and imported again: the reason column is left alone
"$PY" -c 'import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
ws["E2"] = 2; ws.delete_rows(3, 2); wb.save(sys.argv[2])' "$T/shifted-rej.xlsx" "$T/fixed.xlsx"
run_minreg import exploration_permits "$T/fixed.xlsx"
is "... fixed and imported as it is" "$rc:$(tail -1 "$T/out")" "0:change 2 recorded: 1 added"

# ---- .xls (FreeXL) ----
fresh
run_minreg import exploration_permits "$srcdir/tests/fixtures/workbooks/permits.xls" --replace
is ".xls imports" "$rc:$(sed -n 2p "$T/out" | sed 's|^[^ ]*: ||')" "0:1 total row (合计/小计/总计) left out: row 5"
is "... its cells" "$(permits | tail -2 | tr '\n' '|')" \
    "1,T21120080302000001,旧表金矿详查,金矿,3.25,2019-05-01,,元宝区|2,,旧表地热,地热,12,,,振兴区|"
run_minreg import exploration_permits "$srcdir/tests/fixtures/workbooks/permits.xls" --skip-bad --rejects "$T/xls-rej.xlsx"
wbrows "$T/xls-rej.xlsx" >"$T/out"
is ".xls rows already there, with --skip-bad: the rejects a workbook named after its sheet, each cell named" \
    "$rc:$(sed -n '1p;3p' "$T/out" | tr '\t\n' ',|')" \
    "1:sheets: 探矿权|1,T21120080302000001,旧表金矿详查,金矿,3.25,2019-05-01,元宝区,探矿权!A3: 序号: '1' is already used by another row; 探矿权!B3: 勘查许可证号: 'T21120080302000001' is already used by another row|"

# ---- bad input: exit 3, file (and sheet!cell), nothing written ----
fresh
fails "no header that fits" 3 "no-header.xlsx: sheet Sheet: no row among its first 30 names the columns of exploration_permits" \
    import exploration_permits "$W/no-header.xlsx"
fails "XML with an external entity: refused, never read" 3 \
    "xxe.xlsx: xl/worksheets/sheet1.xml has a DOCTYPE (entity declarations): refused" import exploration_permits "$W/xxe.xlsx"
fails "a zip bomb: refused by its sizes" 3 "refused as a zip bomb" import exploration_permits "$W/bomb.xlsx"
fails "bad XML in a sheet: the part named, nothing written" 3 \
    "bad-xml.xlsx: xl/worksheets/sheet1.xml: bad XML at line 1" import exploration_permits "$W/bad-xml.xlsx"
fails "a shared strings table that is not XML" 3 \
    "bad-sst.xlsx: xl/sharedStrings.xml: bad XML at line 1" import exploration_permits "$W/bad-sst.xlsx"
fails "a shared string index past the table: its sheet!cell" 3 \
    "bad-index.xlsx: Sheet1!B2: shared string 99999 is not in the workbook" import exploration_permits "$W/bad-index.xlsx"
# the shared strings table is read whole: bounded in bytes, offsets
# included (the bound lowered to 1 MB for the test; 64 MiB as shipped)
for f in sst-big sst-one sst-empty; do
    MINREG_WB_MAX_STRINGS=1000000; export MINREG_WB_MAX_STRINGS
    fails "an oversized shared strings table ($f): the file and the part, exit 3, nothing written" 3 \
        "$f.xlsx: xl/sharedStrings.xml: the shared strings table is over 1000000 bytes: refused" \
        import exploration_permits "$W/$f.xlsx" --replace
    unset MINREG_WB_MAX_STRINGS
done
fails "a shared strings table that unpacks 400-fold: a zip bomb, by its sizes" 3 \
    "sst-bomb.xlsx: xl/sharedStrings.xml would unpack to 71303423 bytes from" \
    import exploration_permits "$W/sst-bomb.xlsx" --replace
MINREG_WB_MAX_CELLS=20; export MINREG_WB_MAX_CELLS
fails "more cells than a sheet may have: the cell past the bound" 3 "cells.xlsx: Sheet1!C5: more than 20 cells: refused" \
    import exploration_permits "$W/cells.xlsx" --replace
fails "... and in an .xls sheet" 3 "permits.xls: sheet 探矿权 has more than 20 cells: refused" \
    import exploration_permits "$srcdir/tests/fixtures/workbooks/permits.xls" --replace
unset MINREG_WB_MAX_CELLS
fails "a truncated zip" 3 "truncated.xlsx: not a readable .xlsx workbook" import exploration_permits "$W/truncated.xlsx"
fails "a corrupt zip" 3 "corrupt.xlsx: not a readable .xlsx workbook" import exploration_permits "$W/corrupt.xlsx"
if command -v zip >/dev/null 2>&1; then
    mkdir -p "$T/z" && (cd "$T/z" && "$PY" -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(".")' "$W/formulas.xlsx" &&
        zip -q -r -P secret "$T/enc.xlsx" . )
    fails "a password-protected zip" 3 "enc.xlsx: the workbook is encrypted" import exploration_permits "$T/enc.xlsx"
fi
cp "$T/reg.db" "$T/before.db"
"$MINREG" import exploration_permits - <"$W/permits.xlsx" >"$T/out" 2>"$T/err"; rc=$?
is "a workbook on standard input: read from its file only" "$rc:$(grep -c 'import reads a workbook from its file' "$T/err")" "3:1"
# Office's own protection: an OLE2 file with an EncryptedPackage stream (a
# header and the stream's name are what is looked at)
printf '\320\317\021\340\241\261\032\341' >"$T/office-enc.xlsx"
printf 'E\000n\000c\000r\000y\000p\000t\000e\000d\000P\000a\000c\000k\000a\000g\000e\000' >>"$T/office-enc.xlsx"
fails "an Office-encrypted workbook" 3 "office-enc.xlsx: the workbook is encrypted" import exploration_permits "$T/office-enc.xlsx"

# ---- Excel habits in a CSV: counted, or refused with --strict ----
printf '序号,勘查许可证号,项目名称,矿种,登记面积(平方公里),有效期起,有效期止,所在行政区\n1,Ｔ21120080302000001,甲,金矿,１２．５,2019/5/1,2019-5-1,　元宝区\n2,,乙,金矿, 1.5 ,2019.5.1,2019年5月1日,振兴区\302\240\n3,,丙,金矿,＋2,20190501,43586,宽甸县\n4,,丁,金矿,2,2019/5/1 0:00,,宽甸县\n' >"$T/habits.csv"
fresh
run_minreg import exploration_permits "$T/habits.csv" --replace
is "Excel habits accepted" "$rc" 0
is "... and each kind counted" "$(sed -n 2,4p "$T/out" | sed 's|.*: ||' | tr '\n' '|')" \
    "3 cells written the Excel way were read with spaces around them trimmed|3 cells written the Excel way were read with full-width digits or signs made plain|7 cells written the Excel way were read with dates written the Excel way made YYYY-MM-DD|"
is "... as the register writes them" "$(permits | tail -4 | tr '\n' '|')" \
    "1,T21120080302000001,甲,金矿,12.5,2019-05-01,2019-05-01,元宝区|2,,乙,金矿,1.5,2019-05-01,2019-05-01,振兴区|3,,丙,金矿,2,2019-05-01,2019-05-01,宽甸县|4,,丁,金矿,2,2019-05-01,,宽甸县|"
fresh
fails "--strict refuses them: file, line, column, reason" 1 \
    "habits.csv:3: 有效期止: '2019年5月1日' is written the Excel way (the register's form is '2019-05-01'): --strict refuses it" \
    import exploration_permits "$T/habits.csv" --replace --strict
is "... every such cell said" "$(grep -c 'refuses it' "$T/err")" 13
printf '序号,项目名称,矿种,登记面积(平方公里),有效期起\n1,甲,金矿,1,2019/13/1\n' >"$T/nodate.csv"
fails "a date that is none stays as written, for the validator" 1 "'2019/13/1' is not a date (YYYY-MM-DD)" \
    import exploration_permits "$T/nodate.csv" --replace

done_testing
