#!/bin/sh
# CLI: workbooks out (export -o FILE.xlsx, export --all) and CSV for Excel
# (show, check, report with -o FILE or --excel).  Every workbook minreg
# writes is read back by an independent reader, python3-openpyxl, and
# compared cell by cell with what `minreg show --format json` and the
# register's own description (read with Python's sqlite3) say: text codes
# stay text cells, numbers are numbers with the plan's decimals as their
# number format, dates are dates, the title row, the frozen header, the
# autofilter, the 合计 row, the page setup and the sheets of --all in the
# plan's order.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER
MINREG_NOW=2026-11-28T12:00:00Z; export MINREG_NOW

# Debian's python3 (the one python3-openpyxl is for), else the first on PATH
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    echo "ok 1 # SKIP python3-openpyxl is not installed (autogen.sh --deps installs it)"
    echo "1..1"
    exit 0
fi

# The checker: python3 xlsx_check.py MODE ARGS...; prints "PASS desc" or
# "FAIL desc: why" lines, which become TAP below.
cat >"$T/check.py" <<'EOF'
import datetime, json, sqlite3, sys
import openpyxl

out = []
def check(desc, cond, why=""):
    out.append(("PASS " if cond else "FAIL ") + desc + ("" if cond else ": " + str(why)))

def meta(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    tables = con.execute("SELECT id, appendix, title FROM minreg_tables ORDER BY ord").fetchall()
    cols = {}
    for tbl, cid, label, typ, unit, scale in con.execute(
            "SELECT tbl, id, label, type, unit, scale FROM minreg_columns ORDER BY tbl, ord"):
        cols.setdefault(tbl, []).append(dict(id=cid, label=label, type=typ, unit=unit, scale=scale))
    totals = {}
    for tbl, col in con.execute(
            "SELECT tbl, col FROM minreg_totals WHERE measure = 'sum' AND where_col = ''"):
        totals.setdefault(tbl, set()).add(col)
    # the 合计 the plan prints per value of a column (the quotas' per mineral)
    for tbl, col, wc, wv, value in con.execute(
            "SELECT t.tbl, t.col, t.where_col, t.where_val, t.value FROM minreg_totals t"
            " JOIN minreg_tables r ON r.id = t.tbl WHERE t.measure = 'sum' AND t.where_col <> ''"
            " AND t.where_col <> r.key_col AND t.kind = 'text' AND t.with_tbl = ''"
            " AND instr(t.where_val, '|') = 0 ORDER BY t.rowid"):
        totals.setdefault(("group", tbl), []).append((wc, wv, col, value))
    return tables, cols, totals

def printed_title(appendix, title):
    if appendix.startswith("附表"):
        return appendix + " 辽宁省丹东市" + title
    return (appendix + " " + title) if appendix else title

def width(s):
    return sum(2 if ord(ch) >= 0x1100 and (0x2E80 <= ord(ch) <= 0xA4CF or 0xAC00 <= ord(ch) <= 0xD7A3
               or 0xF900 <= ord(ch) <= 0xFAFF or 0xFF00 <= ord(ch) <= 0xFF60 or 0x3000 <= ord(ch) <= 0x303F
               or 0x1100 <= ord(ch) <= 0x115F) else 1 for ch in s)

def want_cell(col, v):
    """What the cell of value v (from show --format json) must be: (value, type, format)."""
    if v is None or v == "":
        return (None, None, None)
    t = col["type"]
    if t in ("int", "year") and isinstance(v, (int, float)):
        return (v, "n", "0")
    if t == "dec" and isinstance(v, (int, float)):
        fmt = "General" if col["scale"] < 0 else ("0" if col["scale"] == 0 else "0." + "0" * col["scale"])
        return (v, "n", fmt)
    if t == "date":
        d = datetime.datetime.strptime(v, "%Y-%m-%d")
        return (d, "d", "yyyy-mm-dd")
    return (str(v), "s", "@")

def sheet_rows(ws):
    return [list(r) for r in ws.iter_rows()]

def check_sheet(name, sheets, tid, appendix, title, cols, rows, totals):
    """sheets: the worksheets the register is on, in order; rows: show's JSON rows."""
    data = []
    for k, ws in enumerate(sheets):
        r = sheet_rows(ws)
        check("%s sheet %d: the title as the plan prints it" % (name, k + 1),
              r[0][0].value == printed_title(appendix, title), r[0][0].value)
        heads = [c["label"] + ("(%s)" % c["unit"] if c["unit"] else "") for c in cols]
        check("%s sheet %d: the header, labels with units" % (name, k + 1),
              [c.value for c in r[1][:len(cols)]] == heads, [c.value for c in r[1]])
        check("%s sheet %d: the header is frozen" % (name, k + 1), ws.freeze_panes == "A3", ws.freeze_panes)
        check("%s sheet %d: title and header repeat on every page" % (name, k + 1),
              ws.print_title_rows == "$1:$2", ws.print_title_rows)
        check("%s sheet %d: A4 landscape, one page wide" % (name, k + 1),
              ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9 and
              ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToHeight) == 0 and
              int(ws.page_setup.fitToWidth or 1) == 1,
              (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
               ws.page_setup.fitToHeight))
        body = r[2:]
        groups = []
        if k == len(sheets) - 1:   # the 合计 per group, last
            for _ in totals.get(("group", tid), []):
                if body and any(c.value == "合计" for c in body[-1]):
                    groups.insert(0, body[-1])
                    body = body[:-1]
        if body and body[-1][0].value == "合计" or (body and any(c.value == "合计" for c in body[-1])):
            total_row, body = body[-1], body[:-1]
        else:
            total_row = None
        last = 2 + len(body)
        check("%s sheet %d: an autofilter over the header and rows" % (name, k + 1),
              ws.auto_filter.ref == "A2:%s%d" % (openpyxl.utils.get_column_letter(len(cols)), max(last, 2)),
              ws.auto_filter.ref)
        data.append((ws, body, total_row))
        if groups or totals.get(("group", tid)):
            want = totals.get(("group", tid), [])
            ids = [c["id"] for c in cols]
            bad = []
            if len(groups) != len(want):
                bad.append(("rows", len(groups), len(want)))
            for row, (wc, wv, col, value) in zip(groups, want):
                gi, si = ids.index(wc), ids.index(col)
                L = openpyxl.utils.get_column_letter
                f = '=SUMIF(%s3:%s%d,"%s",%s3:%s%d)' % (L(gi + 1), L(gi + 1), 2 + len(body), wv,
                                                        L(si + 1), L(si + 1), 2 + len(body))
                s = sum(js[col] for js in rows if js.get(wc) == wv and isinstance(js.get(col), (int, float)))
                if row[gi].value != wv or row[si].value != f or abs(s - value) > 1e-9:
                    bad.append((wv, row[gi].value, row[si].value, f, s, value))
            check("%s: a 合计 row per %s, summing %s as the plan states it" %
                  (name, "/".join(sorted({w[0] for w in want})), "/".join(sorted({w[2] for w in want}))),
                  not bad, bad[:3])
    got_rows = [row for _, body, _ in data for row in body]
    check("%s: every row, in order" % name, len(got_rows) == len(rows), (len(got_rows), len(rows)))
    bad = []
    for i, (row, js) in enumerate(zip(got_rows, rows)):
        for j, col in enumerate(cols):
            cell = row[j]
            wv, wt, wf = want_cell(col, js.get(col["id"]))
            if wv is None:
                if cell.value is not None:
                    bad.append((i, col["id"], cell.value))
                continue
            if cell.value != wv or cell.data_type != wt or cell.number_format != wf:
                bad.append((i, col["id"], cell.value, cell.data_type, cell.number_format, wv, wt, wf))
    check("%s: cell by cell: text as text, numbers with the plan's decimals, dates as dates" % name,
          not bad, bad[:3])
    # column widths: from the display width, CJK counting two
    ws0, body0, _ = data[0]
    for j, col in enumerate(cols[:6]):
        wmax = max([width(str(c[j].value)) for c in body0 if c[j].value is not None and col["type"] == "text"]
                   + [width(col["label"] + ("(%s)" % col["unit"] if col["unit"] else ""))])
        w = ws0.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width
        if not (min(wmax, 58) <= w <= 64):
            check("%s: column %s is as wide as its widest text" % (name, col["id"]), False, (w, wmax))
            break
    else:
        check("%s: columns as wide as their widest text (CJK counts two)" % name, True)
    summed = [j for j, c in enumerate(cols) if c["id"] in totals.get(tid, set())]
    total_row = data[-1][2]
    if summed:
        ok = total_row is not None
        why = "no 合计 row"
        if ok:
            for j in summed:
                s = sum(js[cols[j]["id"]] for js in rows if isinstance(js.get(cols[j]["id"]), (int, float)))
                v = total_row[j].value
                if len(sheets) == 1 and rows:
                    ok = ok and v == "=SUM(%s3:%s%d)" % ((openpyxl.utils.get_column_letter(j + 1),) * 2 + (2 + len(rows),))
                else:
                    ok = ok and abs(v - s) < 1e-6
                why = (v, s)
        check("%s: a 合计 row summing %s" % (name, ",".join(cols[j]["id"] for j in summed)), ok, why)
    else:
        check("%s: no 合计 row where the plan prints none" % name, total_row is None, total_row)
    return data

mode = sys.argv[1]
if mode == "one":      # one.xlsx reg.db table rows.json [sheets...]
    path, db, tid, js = sys.argv[2:6]
    tables, cols, totals = meta(db)
    wb = openpyxl.load_workbook(path)
    (appendix, title), = [(a, t) for i, a, t in tables if i == tid]
    rows = json.load(open(js))
    check_sheet(tid, [wb[n] for n in wb.sheetnames], tid, appendix, title, cols[tid], rows, totals)
    values = openpyxl.load_workbook(path, data_only=True)
    last = values[values.sheetnames[-1]]
    print("TOTAL", [c.value for c in list(last.iter_rows())[-1]])
    p = wb.properties
    check("document properties: title and subject",
          p.title == printed_title(appendix, title) and p.subject.startswith("丹东市矿产资源总体规划") and p.creator,
          (p.title, p.subject, p.creator))
elif mode == "all":    # all.xlsx reg.db dir-of-json findings.json findings-sheet-name
    path, db, d, fjs, fname = sys.argv[2:7]
    tables, cols, totals = meta(db)
    wb = openpyxl.load_workbook(path)
    want = [(a if a else t) for i, a, t in tables] + [fname]
    check("--all: one sheet per register in the plan's order, then the findings",
          wb.sheetnames == want, wb.sheetnames)
    for (tid, a, t), name in zip(tables, want):
        check_sheet(tid, [wb[name]], tid, a, t, cols[tid], json.load(open("%s/%s.json" % (d, tid))), totals)
    fs = sheet_rows(wb[fname])
    findings = json.load(open(fjs))
    check("findings sheet: one row per finding of check", len(fs) - 2 == len(findings), (len(fs) - 2, len(findings)))
    check("findings sheet: rule and message of each, as check says",
          [(r[1].value, r[6].value) for r in fs[2:]] == [(f["rule"], f["message"]) for f in findings],
          [(r[1].value, r[6].value) for r in fs[2:4]])
    check("findings sheet: its header frozen, filtered",
          wb[fname].freeze_panes == "A3" and wb[fname].auto_filter.ref.startswith("A2:G"), wb[fname].auto_filter.ref)
elif mode == "cell":   # file.xlsx sheet cell: prints value|type|format
    wb = openpyxl.load_workbook(open(sys.argv[2], "rb"))   # (any name)
    c = wb[sys.argv[3]][sys.argv[4]]
    print("%s|%s|%s" % (c.value, c.data_type, c.number_format))
    sys.exit(0)
elif mode == "sheets":
    wb = openpyxl.load_workbook(sys.argv[2])
    print("|".join(wb.sheetnames))
    sys.exit(0)
for line in out:
    print(line)
EOF

# PASS/FAIL lines from the checker as TAP
tap() {
    while IFS= read -r line; do
        case $line in
        PASS\ *) ok "${line#PASS }" ;;
        FAIL\ *) not_ok "${line#FAIL }" ;;
        TOTAL\ *) echo "# ${line}" ;;
        *) not_ok "checker: $line" ;;
        esac
    done
}

# a permit with a date, a formula-looking name and a control character;
# a district code of digits (must stay text, leading zeros and all)
"$MINREG" add a10 project='=HYPERLINK("http://x","y")' minerals=金矿 area_km2=1.5 valid_from=2019-05-01 \
    valid_to=2024-05-01 remark="$(printf 'a\tb')" >/dev/null
"$MINREG" add a11 mine_name='+1' minerals=金矿 area_km2=0.5 valid_from=2020-01-02 >/dev/null

# ---- one register ----
for tid in exploration_areas exploration_permits mining_permits quotas districts; do
    run_minreg export "$tid" -o "$T/$tid.xlsx"
    is "export $tid -o FILE.xlsx exits 0" "$rc" 0
    "$MINREG" show "$tid" --format json >"$T/$tid.json"
    "$PY" "$T/check.py" one "$T/$tid.xlsx" "$T/reg.db" "$tid" "$T/$tid.json" >"$T/res" 2>&1
    tap <"$T/res"
done
run_minreg export a2 -o "$T/a2.xlsx"
is "-o FILE.xlsx says how many rows" "$(cat "$T/out")" "13 rows written to $T/a2.xlsx"
is "199.879 is the number 199.879 shown as 199.8790" \
    "$("$PY" "$T/check.py" cell "$T/a2.xlsx" 附表2 E6)" "199.879|n|0.0000"
is "a code is a text cell" "$("$PY" "$T/check.py" cell "$T/a2.xlsx" 附表2 B3)" "KZ21060000001|s|@"
is "a formula-looking name is text, never a formula" \
    "$("$PY" "$T/check.py" cell "$T/exploration_permits.xlsx" 附表10 D13)" '=HYPERLINK("http://x","y")|s|@'
is "a date is a date" "$("$PY" "$T/check.py" cell "$T/exploration_permits.xlsx" 附表10 H13)" \
    "2019-05-01 00:00:00|d|yyyy-mm-dd"
is "a district code of digits stays text" "$("$PY" "$T/check.py" cell "$T/districts.xlsx" 行政区 A3)" "210600|s|@"

# --format xlsx whatever the name; a view (--where, --columns)
run_minreg export a2 --format xlsx -o "$T/a2.bin" --where 所在行政区=宽甸县 --columns code,area_km2
is "--format xlsx writes a workbook to any name" "$(head -c 2 "$T/a2.bin")" "PK"
is "... with the view's rows and columns" "$("$PY" "$T/check.py" cell "$T/a2.bin" 附表2 B3)" "89.46|n|0.0000"
# to a pipe: written in place (no temporary, no rename)
"$MINREG" export a1 --format xlsx | cat >"$T/pipe.xlsx"
is "to a pipe: the same workbook" "$("$PY" "$T/check.py" cell "$T/pipe.xlsx" 附表1 A1)" \
    "附表1 辽宁省丹东市国家规划矿区表|s|General"

# the browser's :export FILE.xlsx: the view as a workbook, filter and all
printf ':exploration_areas<Enter>:export %s<Enter>' "$T/tui.xlsx" >"$T/k.keys"
"$MINREG" --script "$T/k.keys" --size 100x24 >"$T/screen" 2>"$T/err"
is "the browser's :export FILE.xlsx runs" "$?" 0
"$PY" "$T/check.py" one "$T/tui.xlsx" "$T/reg.db" exploration_areas "$T/exploration_areas.json" >"$T/res" 2>&1
tap <"$T/res"
printf ':exploration_areas<Enter>&宽甸<Enter>:export %s<Enter>' "$T/tui2.xlsx" >"$T/k.keys"
"$MINREG" --script "$T/k.keys" --size 100x24 >"$T/screen" 2>"$T/err"
is "... of the filtered view: its rows only" "$("$PY" "$T/check.py" cell "$T/tui2.xlsx" 附表2 B3)/$("$PY" "$T/check.py" cell "$T/tui2.xlsx" 附表2 B4)" \
    "KZ21060000003|s|@/KZ21060000004|s|@"

# ---- the whole register ----
run_minreg export --all -o "$T/all.xlsx"
is "export --all -o FILE.xlsx exits 0" "$rc" 0
mkdir "$T/js"
"$PY" -c '
import sqlite3, sys
for (t,) in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM minreg_tables ORDER BY ord"): print(t)' "$T/reg.db" |
    while read -r tid; do "$MINREG" show "$tid" --format json >"$T/js/$tid.json"; done
is "the registers to compare with" "$(ls "$T/js" | wc -l | tr -d ' ')" 17
"$MINREG" check --format json >"$T/findings.json"
"$PY" "$T/check.py" all "$T/all.xlsx" "$T/reg.db" "$T/js" "$T/findings.json" Findings >"$T/res" 2>&1
tap <"$T/res"
MINREG_LANG=zh "$MINREG" export --all -o "$T/all_zh.xlsx" >/dev/null
is "in Chinese the findings sheet is 检查结果" \
    "$("$PY" "$T/check.py" sheets "$T/all_zh.xlsx" | tr '|' '\n' | tail -1)" "检查结果"
is "... with a Chinese header" "$("$PY" "$T/check.py" cell "$T/all_zh.xlsx" 检查结果 A2)" "级别|s|General"

# ---- more rows than a sheet holds ----
# MINREG_XLSX_SHEET_ROWS lowers the rows a sheet holds (title and header
# included; Excel's 1,048,576 otherwise) so that the overflow is testable.
MINREG_XLSX_SHEET_ROWS=5 run_minreg export a10 -o "$T/over.xlsx"
is "an overflowing register is still written (exit 0)" "$rc" 0
is "the sheets it goes on" "$("$PY" "$T/check.py" sheets "$T/over.xlsx")" "附表10|附表10 (2)|附表10 (3)|附表10 (4)"
is "the program says so" "$(grep -c 'more rows than a sheet holds' "$T/err")" 3
grep -q "row 4 on is on sheet '附表10 (2)'" "$T/err"
is "... naming the row and the sheet" "$?" 0
"$MINREG" show a10 --format json >"$T/a10.json"
"$PY" - "$T/check.py" "$T/over.xlsx" "$T/reg.db" "$T/a10.json" >"$T/res" 2>&1 <<'EOF'
import sys, json, importlib.util
sys.argv = [sys.argv[1], "none"] + sys.argv[2:]
spec = importlib.util.spec_from_file_location("chk", sys.argv[0])
chk = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chk)
path, db, js = sys.argv[2:5]
tables, cols, totals = chk.meta(db)
wb = chk.openpyxl.load_workbook(path)
(a, t), = [(a, t) for i, a, t in tables if i == "exploration_permits"]
chk.check_sheet("overflow", [wb[n] for n in wb.sheetnames], "exploration_permits", a, t,
                cols["exploration_permits"], json.load(open(js)), totals)
for line in chk.out: print(line)
EOF
tap <"$T/res"
MINREG_XLSX_SHEET_ROWS=15 run_minreg export a2 -o "$T/over2.xlsx"
is "a full last sheet (13 rows on 15): the 合计 row goes on a sheet of its own" \
    "$("$PY" "$T/check.py" sheets "$T/over2.xlsx")" "附表2|附表2 (2)"
is "... as the number that sums every row" "$("$PY" "$T/check.py" cell "$T/over2.xlsx" '附表2 (2)' A3)/$("$PY" "$T/check.py" cell "$T/over2.xlsx" '附表2 (2)' E3)" "合计|s|General/3548.4861|n|0.0000"

# ---- usage and output safety ----
run_minreg export --all -o "$T/all.csv"
is "--all is a workbook only (exit 2)" "$rc" 2
run_minreg export a1 --bom -o "$T/x.xlsx"
is "--bom is for CSV, not a workbook (exit 2)" "$rc" 2
cp "$T/reg.db" "$T/reg.before"
run_minreg export a1 -o "$T/reg.db" --format xlsx
is "a workbook onto the open register is refused (exit 2)" "$rc" 2
cmp -s "$T/reg.db" "$T/reg.before"
is "... and the register is untouched" "$?" 0
ln -s reg.db "$T/link.xlsx"
run_minreg export --all -o "$T/link.xlsx"
is "... also by a link ending in .xlsx" "$rc" 2
cp "$T/a2.xlsx" "$T/keep.xlsx"
run_minreg export a2 -o "$T/a2.xlsx" --sort nosuch
is "a failed export leaves the old workbook" "$(cmp -s "$T/a2.xlsx" "$T/keep.xlsx" && echo same)" same
mkdir "$T/scratch"
TMPDIR=$T/scratch run_minreg export a2 -o /dev/full --format xlsx
is "a write error is reported (/dev/full: exit 5)" "$rc" 5
TMPDIR=$T/scratch run_minreg export --all -o "$T/all2.xlsx"
is "no scratch workbook is left behind (\$TMPDIR)" "$rc/$(ls -A "$T/scratch" | wc -l | tr -d ' ')" "0/0"
run_minreg export a2 -o "$T/nodir/a2.xlsx"
is "a folder that does not exist: exit 5" "$rc" 5

# ---- CSV exports: the plan's decimals, never a digit lost ----
"$MINREG" set a2 KZ21060000004 area_km2=199.87901 >/dev/null
run_minreg export a2 --columns code,area_km2
is "a value with more decimals than the plan prints leaves whole" "$(sed -n 5p "$T/out")" "KZ21060000004,199.87901"
"$MINREG" set a2 KZ21060000004 area_km2=199.879 >/dev/null

# ---- CSV for Excel: show, check, report with -o FILE or --excel ----
crlf_lines() { tr -cd '\r' <"$1" | wc -c | tr -d ' '; }
MINREG_LANG=zh run_minreg show a2 --format csv -o "$T/show.csv"
is "show --format csv -o FILE exits 0" "$rc" 0
is "... starts with a UTF-8 byte order mark" "$(head -c 3 "$T/show.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
is "... every line ends CR LF" "$(crlf_lines "$T/show.csv")" "$(wc -l <"$T/show.csv" | tr -d ' ')"
is "... the header in Chinese, with units" "$(head -1 "$T/show.csv" | tail -c +4 | cut -d, -f5 | tr -d '\r')" "面积(平方公里)"
is "... the plan's decimals" "$(sed -n 5p "$T/show.csv" | cut -d, -f5)" "199.8790"
run_minreg show a2 --format csv --excel
is "show --excel: the English header for Excel in English" "$(head -1 "$T/out" | tail -c +4 | cut -d, -f1-3)" "No.,Code,Name"
is "... with a BOM and CR LF" "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')/$(crlf_lines "$T/out")" "efbbbf/14"
run_minreg show a2 --format csv
is "show --format csv to a pipe stays plain (no BOM, LF)" "$(head -c 7 "$T/out")/$(crlf_lines "$T/out")" "序号,/0"
MINREG_LANG=zh run_minreg check --format csv -o "$T/check.csv"
is "check --format csv -o FILE: exit 1 with errors, the file written" "$rc/$(test -s "$T/check.csv" && echo yes)" "1/yes"
is "... BOM, a Chinese header" "$(head -1 "$T/check.csv" | od -An -tx1 | tr -d ' \n' | head -c 6)/$(head -1 "$T/check.csv" | tail -c +4 | cut -d, -f1,2)" "efbbbf/级别,规则"
is "... severities in Chinese" "$(sed -n 2p "$T/check.csv" | cut -d, -f1)" "警告"
is "... CR LF" "$(crlf_lines "$T/check.csv")" "$(wc -l <"$T/check.csv" | tr -d ' ')"
run_minreg check --format csv
is "check --format csv to a pipe: the ids, as before" "$(head -1 "$T/out")" "severity,rule,source,register,key,rowid,column,message"
MINREG_LANG=zh run_minreg report summary --format csv -o "$T/report.csv"
is "report summary -o FILE: BOM and CR LF" \
    "$(head -c 3 "$T/report.csv" | od -An -tx1 | tr -d ' ')/$(test "$(crlf_lines "$T/report.csv")" -eq "$(wc -l <"$T/report.csv")" && echo crlf)" \
    "efbbbf/crlf"
cp "$T/reg.db" "$T/reg.before"
run_minreg show a2 --format csv -o "$T/reg.db"
is "show -o onto the register is refused (exit 2)" "$rc" 2
cmp -s "$T/reg.db" "$T/reg.before"
is "... and the register is untouched" "$?" 0
run_minreg check --format csv -o /dev/full
is "check -o /dev/full: exit 5" "$rc" 5

# export -> import -> export: minreg reads its own workbooks (libxlsxwriter's
# zips leave sizes to data descriptors), the 合计 rows are left out, and the
# rows come back as they left (#18)
cp "$T/reg.db" "$T/rt.db"
for tid in quotas national_areas exploration_areas; do
    run_minreg -f "$T/rt.db" export $tid --format csv -o "$T/rt-before.csv"
    run_minreg -f "$T/rt.db" export $tid -o "$T/rt.xlsx"
    run_minreg -f "$T/rt.db" import $tid "$T/rt.xlsx" --replace
    is "$tid: its own workbook imports (exit 0)" "$rc" 0
    case $tid in
    quotas) is "... the 合计 row of each mineral left out, and said so" \
               "$(grep -c '4 total rows (合计/小计/总计) left out: rows 12, 13, 14, 15' "$T/out")" 1 ;;
    esac
    run_minreg -f "$T/rt.db" export $tid --format csv -o "$T/rt-after.csv"
    cmp -s "$T/rt-before.csv" "$T/rt-after.csv"
    is "... and the rows come back as they left" "$?" 0
done

done_testing
