#!/bin/sh
# The life of a permit (#19): `minreg event` records each event type and
# updates the permit in one audited change (undone as one), by the rules of
# minreg_event_types; get shows the timeline and finds a permit by a former
# 证号; `minreg expiring` and its 30-day boundary; the 统一社会信用代码 check.
. "$srcdir/tests/lib.sh"
R=$T/reg.db
q() { sqlite3 "$R" "$1"; }
NO1=C2106002016017130000001
NO2=C2106002026107130000002
NO3=C2106002027017130000003
run_minreg set a11 1 permit_no=$NO1 holder=甲公司 valid_from=2016-01-01 valid_to=2026-12-31
is "a permit with a number and a validity" "$rc" 0

# ---- 新立 only first; 延续 ----
run_minreg event a11 1 新立 --date 2016-01-01 --doc 丹自然资采〔2016〕1号
is "新立 as the first event" "$rc/$(q "SELECT type, date, doc, mining_permit, old_no FROM permit_events")/$(q "SELECT reg_type FROM mining_permits WHERE id = 1")" \
   "0/新立|2016-01-01|丹自然资采〔2016〕1号|1|$NO1/新立"
run_minreg event a11 1 新立 --date 2017-01-01
is "a second 新立 is refused (exit 1), nothing written" "$rc/$(q "SELECT count(*) FROM permit_events")/$(grep -c "first event" "$T/err")" 1/1/1
run_minreg event a11 1 延续 --date 2026-10-01
is "延续 without a new 有效期止: refused, naming it" "$rc/$(grep -c '需\|needs a new 有效期止 (valid_to=VALUE)' "$T/err")" 1/1
run_minreg event a11 1 延续 --date 2027-01-05 valid_to=2031-12-31
is "延续 dated after the validity ended: refused, the permit has lapsed" "$rc/$(grep -c 'lapsed' "$T/err")/$(q "SELECT valid_to FROM mining_permits WHERE id = 1")" 1/1/2026-12-31
run_minreg event a11 1 延续 --date 2026-10-01 valid_to=2026-06-30
is "延续 whose new 有效期止 does not extend: refused" "$rc/$(grep -c 'does not extend' "$T/err")" 1/1
run_minreg event a11 1 延续 --date 2026-10-01 --doc 丹自然资采延〔2026〕9号 valid_to=2031-12-31 permit_no=$NO2 -m 延续五年
is "延续: recorded in one change" "$rc/$(cat "$T/out")" "0/change $(q "SELECT max(id) FROM minreg_changes") recorded"
is "... the event keeps the numbers and validity before and after" \
   "$(q "SELECT old_no, new_no, old_valid_to, new_valid_to FROM permit_events WHERE type = '延续'")" "$NO1|$NO2|2026-12-31|2031-12-31"
is "... the permit has its new number, validity and 登记类型" \
   "$(q "SELECT permit_no, valid_to, reg_type FROM mining_permits WHERE id = 1")" "$NO2|2031-12-31|延续"
C=$(q "SELECT max(id) FROM minreg_changes")
is "... one change: the event added and three fields of the permit, audited" \
   "$(q "SELECT group_concat(tbl || ':' || op || ':' || coalesce(field, ''), ' ') FROM (SELECT * FROM minreg_audit WHERE change_id = $C ORDER BY id)")" \
   "permit_events:insert: mining_permits:update:permit_no mining_permits:update:valid_to mining_permits:update:reg_type"

# ---- a former number finds the permit ----
run_minreg get a11 $NO1
is "get by a former 证号 finds the permit" "$rc/$(grep -c "^序号 *1$" "$T/out")" 0/1
is "... and says which number is current" "$(cat "$T/err")" "minreg: $NO1 is a former number of mining_permits 1; its number now is $NO2"
is "... the timeline lists its events, oldest first" \
   "$(sed -n '/^Timeline:/,$p' "$T/out" | awk 'NR > 3 { print $1, $2 }' | tr '\n' ' ')" "2016-01-01 新立 2026-10-01 延续 "
run_minreg get a11 C2106002099017130000099
is "an unknown number: exit 1" "$rc/$(cat "$T/err")" "1/minreg: mining_permits: no row 'C2106002099017130000099'"

# ---- the 30-day rule: 29 days before is late (a warning), 30 and 31 are not ----
for d in 29 30 31; do
    cp "$R" "$T/w.db"
    day=$(date -u -d "2031-12-31 - $d days" +%F)
    run_minreg -f "$T/w.db" event a11 1 延续 --date $day valid_to=2036-12-31
    echo "$d:$rc:$(grep -c 'R-RENEWAL' "$T/err")"
    cp "$T/w.db" "$T/w$d.db"
done >"$T/w"
is "延续 filed 29 days before expiry warns (R-RENEWAL), 30 and 31 do not" "$(tr '\n' ' ' <"$T/w")" "29:0:1 30:0:0 31:0:0 "

# ---- 变更, 转让, 保留, 注销 ----
run_minreg event a11 1 变更 --date 2027-03-01 method=地下开采 permit_no=$NO3
is "变更: the fields changed listed in the event" "$rc/$(q "SELECT changes, old_no, new_no FROM permit_events WHERE type = '变更'")" \
   "0/开采方式: — → 地下开采|$NO2|$NO3"
run_minreg event a11 1 转让 --date 2027-04-01
is "转让 without a new holder: refused" "$rc/$(grep -c '采矿权人' "$T/err")" 1/1
run_minreg event a11 1 转让 --date 2027-04-01 holder=乙公司
is "转让: the holders before and after, the permit's holder, 登记类型 变更" \
   "$rc/$(q "SELECT old_holder, new_holder FROM permit_events WHERE type = '转让'")/$(q "SELECT holder, reg_type FROM mining_permits WHERE id = 1")" \
   "0/甲公司|乙公司/乙公司|变更"
run_minreg event a11 1 保留 --date 2027-05-01 --note 暂缓开发
is "保留" "$rc/$(q "SELECT note FROM permit_events WHERE type = '保留'")/$(q "SELECT reg_type FROM mining_permits WHERE id = 1")" "0/暂缓开发/保留"
run_minreg event a11 1 注销 --date 2027-06-01 --doc 丹自然资注〔2027〕2号
is "注销: status 关闭 and 登记类型 注销" "$rc/$(q "SELECT status, reg_type FROM mining_permits WHERE id = 1")" "0/关闭|注销"
run_minreg event a11 1 变更 --date 2027-07-01 method=露天开采
is "nothing after a 注销: refused" "$rc/$(grep -c 'cancelled' "$T/err")" 1/1
run_minreg undo
is "undo takes the 注销 back as one change: the event and the permit's fields" \
   "$rc/$(q "SELECT count(*) FROM permit_events WHERE type = '注销'")/$(q "SELECT coalesce(status, ''), reg_type FROM mining_permits WHERE id = 1")" "0/0/|保留"
run_minreg verify
is "the register with its events verifies" "$rc" 0

# ---- refusals ----
run_minreg event a11 1 合并 --date 2027-01-01
is "an unknown event type: exit 2, listing the types" "$rc/$(grep -c '新立, 延续, 变更, 转让, 保留, 注销' "$T/err")" 2/1
run_minreg event a11 1 变更
is "no --date: exit 2" "$rc" 2
run_minreg event a11 1 变更 --date 2027-13-01
is "a date that is not one: exit 2" "$rc" 2
run_minreg event a1 GK00000000001 变更 --date 2027-01-01
is "a register that is not a permit register: refused" "$rc/$(grep -c 'no registration events' "$T/err")" "2/1"
run_minreg event a11 999 变更 --date 2027-01-01
is "a permit that is not there: exit 1" "$rc" 1
run_minreg event a11 1 变更 --date 2027-01-01 nosuch=1
is "a column that is not there: exit 2" "$rc" 2
run_minreg -r event a11 1 变更 --date 2027-01-01 method=露天开采
is "read-only: exit 4" "$rc" 4
run_minreg event a11 1 变更 --date 2027-08-01 credit_code=91210600123456789X
is "a credit code with a wrong check character: refused, naming the right one" \
   "$rc/$(grep -c "check character should be E, not X" "$T/err")" 1/1
run_minreg event a11 1 变更 --date 2027-08-01 credit_code=91210600123456789E
is "... the right one is taken" "$rc/$(q "SELECT credit_code FROM mining_permits WHERE id = 1")" 0/91210600123456789E
run_minreg set a10 1 credit_code=9121060012345678I9
is "set checks the credit code too (I is not in its alphabet)" "$rc/$(grep -c 'is not a unified social credit code (18 digits and capital letters other than I O S V Z)' "$T/err")" 1/1

# ---- what expires: --today, --within, the 30-day window ----
run_minreg set a11 2 valid_to=2026-01-30
run_minreg set a11 3 valid_to=2026-01-31
run_minreg set a11 4 valid_to=2026-02-01
run_minreg set a11 5 valid_to=2025-12-01
run_minreg set a10 1 valid_from=2020-01-01 valid_to=2026-03-31
run_minreg expiring --today 2026-01-01 --format csv
is "expiring: 29 days left is to file now, 30 and 31 due, past is expired, ordered by date" \
   "$(cut -d, -f1,2,7,8,9 "$T/out" | tr '\n' ' ')" \
   "Register,Key,Valid to,Days left,State a11,5,2025-12-01,-31,expired: no extension or cancellation recorded a11,2,2026-01-30,29,file the extension now a11,3,2026-01-31,30,due a11,4,2026-02-01,31,due a10,1,2026-03-31,89,due "
run_minreg expiring --today 2026-01-01 --within 30 --format json
is "--within 30, as JSON" "$rc/$(grep -c '"key": ' "$T/out")/$(grep -c '"days": 89' "$T/out")" 0/3/0
run_minreg expiring --today 2026-01-01
is "as text, with a count" "$rc/$(tail -n 1 "$T/out")" \
   "0/5 permit(s) expiring within 90 days of 2026-01-01, expired, or to file their extension now (30 days before expiry)"
run_minreg expiring --today 2026-02-30
is "a --today that is not a date: exit 2" "$rc" 2
run_minreg expiring --within x
is "a --within that is not a number: exit 2" "$rc" 2
run_minreg event a11 5 注销 --date 2025-12-15
run_minreg expiring --today 2026-01-01 --format csv
is "a cancelled permit no longer expires" "$(grep -c '^a11,5,' "$T/out")" 0
MINREG_LANG=zh run_minreg expiring --today 2026-01-01 --format csv
is "in Chinese" "$(head -n 1 "$T/out" | cut -d, -f1-3)" "登记簿,键,许可证号"
# ---- check: R-RENEWAL, a warning with the rule's clause ----
run_minreg -f "$T/w29.db" check --today 2031-12-02 --format csv
is "check: a 延续 filed 29 days before expiry is reported late" \
   "$(grep -c '^warning,R-RENEWAL,[^,]*,permit_events,.*filed later than 30 days' "$T/out")" 1
run_minreg -f "$T/w30.db" check --today 2031-12-02 --format csv
is "... one filed 30 days before is not" "$(grep -c '^warning,R-RENEWAL,[^,]*,permit_events,' "$T/out")" 0
run_minreg check --today 2026-01-01 --format csv
is "check: expired with no 延续 or 注销, and inside the 30 days, as warnings" \
   "$(grep '^warning,R-RENEWAL,[^,]*,mining_permits,' "$T/out" | cut -d, -f5 | tr '\n' ' ')" "2 "
run_minreg check --rules
is "... the rule is listed with its clause" "$(grep -c 'R-RENEWAL.*第七条' "$T/out")" 1
# ---- report yearly: the year's events per type and district ----
run_minreg report yearly --year 2027 --format csv
is "report yearly: the year's events by type (in the types' order) and district" \
   "$(sed -n '2,4p;5p' "$T/out" | tr '\n' ' ')" "Event,District,Events 变更,元宝区,2 转让,元宝区,1 保留,元宝区,1 "
run_minreg report yearly --year 2027
is "... as text, with the totals" "$rc/$(tail -n 1 "$T/out")" "0/4 event(s) in 2027; 19 permit(s) without their 年度信息; 0 of 0 block(s) due for release not held"
run_minreg report yearly --year 1999 --format csv
is "... a year without events: the title and header alone" "$rc/$(sed -n '3p' "$T/out")" "0/\"年度信息 not recorded as filed in 1999 (for 1998, due 1999-03-31; an event 年报 records one)\""
run_minreg report yearly
is "... without --year: exit 2" "$rc" 2
run_minreg report summary --year 2027
is "... --year with summary: exit 2" "$rc" 2
run_minreg expiring --format xml
is "expiring --format xml: exit 2" "$rc" 2

# ---- rows of permit_events added by add, import or a form: applied as `event` does ----
R2=$T/add.db
cp "$T/w30.db" "$R2"
q2() { sqlite3 "$R2" "$1"; }
run_minreg -f "$R2" add ev mining_permit=1 type=变更 date=2032-01-10 new_holder=丙公司
is "add ev: the event applied to its permit (its holder), in one change" \
   "$rc/$(q2 "SELECT holder, reg_type FROM mining_permits WHERE id = 1")/$(q2 "SELECT old_holder, new_holder FROM permit_events ORDER BY id DESC LIMIT 1")" \
   "0/丙公司|变更/甲公司|丙公司"
C=$(q2 "SELECT max(id) FROM minreg_changes")
is "... audited as minreg event's: the event added and the permit's fields" \
   "$(q2 "SELECT group_concat(tbl || ':' || op || ':' || coalesce(field, ''), ' ') FROM (SELECT * FROM minreg_audit WHERE change_id = $C ORDER BY id)")" \
   "permit_events:insert: mining_permits:update:holder mining_permits:update:reg_type"
run_minreg -f "$R2" undo
is "... undo takes both back" "$rc/$(q2 "SELECT holder FROM mining_permits WHERE id = 1")/$(q2 "SELECT count(*) FROM permit_events WHERE date = '2032-01-10'")" "0/甲公司/0"
run_minreg -f "$R2" add ev mining_permit=1 type=延续 date=2032-01-10
is "add ev refused as minreg event refuses it (a 延续 without a new validity)" "$rc/$(grep -c 'needs a new' "$T/err")" 1/1
run_minreg -f "$R2" add ev mining_permit=1 type=转让 date=2032-01-10 old_holder=某公司 new_holder=丙公司
is "... a former value that is not the permit's: refused, pointing to minreg event" \
   "$rc/$(grep -c "原矿业权人: '某公司', but the permit holds '甲公司'.*minreg event" "$T/err")" 1/1
run_minreg -f "$R2" add ev type=保留 date=2032-01-10
is "... an event that names no permit: refused" "$rc/$(grep -c 'an event names its permit' "$T/err")" 1/1
printf 'mining_permit,type,date,doc,new_holder,new_no,new_valid_to\n1,转让,2032-02-01,丹转〔2032〕1号,丁公司,,\n1,延续,2036-11-01,丹延〔2036〕2号,,C2106002036117130000009,2041-12-31\n2,保留,2032-03-01,,,,\n' >"$T/ev.csv"
run_minreg -f "$R2" import ev "$T/ev.csv"
is "import ev: a county's event list applied in order, in one change" \
   "$rc/$(q2 "SELECT holder, permit_no, valid_to, reg_type FROM mining_permits WHERE id = 1")/$(q2 "SELECT reg_type FROM mining_permits WHERE id = 2")/$(grep -c '^3 events applied to their permits' "$T/out")" \
   "0/丁公司|C2106002036117130000009|2041-12-31|延续/保留/1"
run_minreg -f "$R2" verify
is "... the register verifies" "$rc" 0
run_minreg -f "$R2" undo
is "... undo takes the whole import back, a field it changed twice included" \
   "$rc/$(q2 "SELECT holder, valid_to, reg_type FROM mining_permits WHERE id = 1")/$(q2 "SELECT coalesce(reg_type, '') FROM mining_permits WHERE id = 2")" \
   "0/甲公司|2036-12-31|延续/"
printf 'mining_permit,type,date,new_valid_to\n1,延续,2036-11-01,2041-12-31\n1,延续,2042-01-05,2046-12-31\n' >"$T/ev2.csv"
run_minreg -f "$R2" import ev "$T/ev2.csv"
is "import ev: a row the rules refuse (a lapsed permit) fails the import, nothing written" \
   "$rc/$(grep -c ':3: .*lapsed' "$T/err")/$(q2 "SELECT valid_to FROM mining_permits WHERE id = 1")" "1/1/2036-12-31"
run_minreg -f "$R2" import ev "$T/ev.csv" --upsert
is "import ev --upsert: refused (events are only added)" "$rc/$(grep -c 'only added' "$T/err")" 2/1

# ---- set on an event row: what the event did to its permit is not changed there ----
E=$(q2 "SELECT id FROM permit_events WHERE type = '延续' ORDER BY id DESC LIMIT 1")
run_minreg -f "$R2" set ev $E type=注销
is "set ev type=: refused (the rules judged the event as recorded), nothing written" \
   "$rc/$(grep -c "permit_events: an event's 登记事项 is what it did to its permit.*minreg event" "$T/err")/$(q2 "SELECT type FROM permit_events WHERE id = $E")" "1/1/延续"
run_minreg -f "$R2" set ev $E date=2040-01-01
is "... set ev date= (after the validity it extended): refused" "$rc/$(grep -c "登记日期 is what it did" "$T/err")" 1/1
run_minreg -f "$R2" set ev $E new_valid_to=2099-12-31
is "... set ev of a value after: refused, the permit unchanged" \
   "$rc/$(q2 "SELECT new_valid_to FROM permit_events WHERE id = $E")/$(q2 "SELECT valid_to FROM mining_permits WHERE id = 1")" "1/2036-12-31/2036-12-31"
run_minreg -f "$R2" set ev $E note=补录文号 doc=丹延〔2031〕7号
is "... its note and document are set as on any row" \
   "$rc/$(q2 "SELECT note, doc FROM permit_events WHERE id = $E")" "0/补录文号|丹延〔2031〕7号"
run_minreg -f "$R2" rm ev $E
is "rm ev: refused (the permit it changed would keep the change), nothing written" \
   "$rc/$(grep -c "permit_events $E: an event is part of its permit's history.*minreg log permit_events $E" "$T/err")/$(q2 "SELECT count(*) FROM permit_events WHERE id = $E")/$(q2 "SELECT valid_to FROM mining_permits WHERE id = 1")" \
   "1/1/1/2036-12-31"
run_minreg -f "$R2" --lang zh rm ev $E
is "... in Chinese" "$rc/$(grep -c '登记事项是其许可证历史的一部分' "$T/err")" 1/1
run_minreg -f "$R2" event a11 2 注销 --date 2032-04-01
run_minreg -f "$R2" add ev mining_permit=2 type=延续 date=2032-05-01 new_valid_to=2040-12-31
is "add ev on a cancelled permit: refused with minreg event's message" \
   "$rc/$(grep -c 'the permit is cancelled (登记类型 注销): nothing can be recorded after it' "$T/err")" 1/1
run_minreg -f "$R2" undo

# ---- the exploration 延续 rule: the first area kept, a cut under 25% warned ----
run_minreg -f "$R2" set a10 2 permit_no=T2106002020017110000002 area_km2=8 valid_from=2020-01-01 valid_to=2025-12-31
run_minreg -f "$R2" event a10 2 延续 --date 2025-10-01 valid_to=2030-12-31 area_km2=7
is "an exploration 延续 that cuts less than 25% of the first area: recorded, warned" \
   "$rc/$(grep -c 'rule cuts 25% of the first area 8.0000 at each extension, to at most 6.0000' "$T/err")/$(q2 "SELECT first_area, area_km2 FROM exploration_permits WHERE id = 2")" "0/1/8.0|7.0"
run_minreg -f "$R2" event a10 2 延续 --date 2030-10-01 valid_to=2035-12-31 area_km2=5
is "... the next one cut by 2 of the first 8: no warning, the first area kept" \
   "$rc/$(grep -c 'rule cuts' "$T/err")/$(q2 "SELECT first_area, area_km2 FROM exploration_permits WHERE id = 2")" "0/0/8.0|5.0"
run_minreg -f "$R2" get a10 2
is "... the timeline shows the first area and the new ones as the record does (to the column's scale)" \
   "$(sed -n '/^Timeline:/,$p' "$T/out" | awk 'NR > 3' | sed 's/  */ /g' | tr '\n' '|')" \
   "2025-10-01 延续 新有效期止 2030-12-31; 新面积 7.0000; 首次登记面积: — → 8.0000|2030-10-01 延续 新有效期止 2035-12-31; 新面积 5.0000|"

# ---- the year's work: 年度信息 (年报 events), blocks due for release ----
run_minreg -f "$R2" event a11 2 年报 --date 2027-03-20 --note 2026年度
B1=TK21060000101 B2=TK21060000102
run_minreg -f "$R2" add a3 code=$B1 name=甲区块 minerals=金矿 area_km2=2.5 year_from=2027 year_to=2028
run_minreg -f "$R2" add a3 code=$B2 name=乙区块 minerals=金矿 area_km2=8 year_from=2026 year_to=2027
run_minreg -f "$R2" add a3 code=TK21060000103 name=丙区块 minerals=金矿 area_km2=1 year_from=2029 year_to=2030
run_minreg -f "$R2" set a10 2 block=$B2
run_minreg -f "$R2" report yearly --year 2027 --format csv
is "report yearly: a permit whose 年报 is recorded is not listed, one without is" \
   "$(grep -c '^a11,2,' "$T/out")/$(grep -c '^a11,3,.*2027-03-31$' "$T/out")" 0/1
is "... the blocks due for release in 2027, held or not (not one due later)" \
   "$(grep -c "^a3,$B1,.*,2027–2028,(not held: to release)$" "$T/out")/$(grep -c "^a3,$B2,.*,2026–2027,a10 2 (T2106002020017110000002)$" "$T/out")/$(grep -c TK21060000103 "$T/out")" 1/1/0
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if "$PY" -c 'import openpyxl' 2>/dev/null; then
    run_minreg -f "$R2" report yearly --year 2027 --format xlsx -o "$T/y.xlsx"
    run_minreg -f "$R2" expiring --today 2036-12-02 --format xlsx -o "$T/x.xlsx"
    cat >"$T/rb.py" <<'EOF'
import openpyxl, sys
y = openpyxl.load_workbook(sys.argv[1]); x = openpyxl.load_workbook(sys.argv[2])
out = [",".join(ws.title for ws in y)]
ev = y["Events"]; out.append("%s|%s|%r" % (ev["A2"].value, ev["A3"].value, ev["C3"].value))
an = y["Annual filings"]; out.append("%s" % any(r[1].value == "3" and r[6].value.year == 2027 for r in an.iter_rows(min_row=3)))
rl = y["Release"]; out.append(str(sorted(r[5].value.startswith("a10 2") for r in rl.iter_rows(min_row=3))))
ws = x["Expiring"]; r = [[c.value for c in row] for row in ws.iter_rows(min_row=3) if row[0].value == "a11" and row[1].value == "1"][0]
out.append("%s|%s|%r|%s|%s" % (ws["A2"].value, r[1], r[7], r[6].date(), ws.freeze_panes))
print(" ".join(out))
EOF
    is "report yearly and expiring --format xlsx, read back by openpyxl" "$rc/$("$PY" "$T/rb.py" "$T/y.xlsx" "$T/x.xlsx" 2>&1)" \
       "0/Events,Annual filings,Release Event|年报|1 True [False, True] Register|1|29|2036-12-31|A3"
else
    ok "report yearly and expiring --format xlsx # SKIP python3-openpyxl is not installed"
fi
run_minreg -f "$R2" expiring --format xlsx
is "... a workbook into a file or pipe (not a terminal)" "$rc/$(head -c 2 "$T/out")" "0/PK"

# ---- a mine's 采区: each ring's name and elevations in get ----
run_minreg -f "$R2" boundary a11 1 "$srcdir/tests/fixtures/geo/mine_multi.txt"
run_minreg -f "$R2" get a11 1
is "get: the mining areas (采区) of the boundary with their top and bottom elevations" \
   "$rc/$(sed -n '/^Mining areas (采区)/,/^$/p' "$T/out" | awk 'NR > 3 && NF { print $1, $2, $3, $4 }' | tr '\n' ' ')" \
   "0/1 金藏采区 229.50 70.00 2 北采区 180.00 90.00 3 保护矿柱 229.50 70.00 "
done_testing
