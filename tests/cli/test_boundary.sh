#!/bin/sh
# CLI: boundary TABLE KEY FILE sets a record's boundary as one audited
# change (undo, redo, verify hold; a malformed file writes nothing), and
# boundary TABLE KEY prints it in each format.
. "$srcdir/tests/lib.sh"
G=$srcdir/tests/fixtures/geo
MINREG_NOW=2026-12-03T12:00:00Z; export MINREG_NOW
USER=clerk; export USER
unset SSH_CLIENT
changes() { sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_changes"; }
snap() { sqlite3 "$T/reg.db" .dump >"$T/snap"; }
same() { sqlite3 "$T/reg.db" .dump | cmp -s - "$T/snap" && echo same || echo changed; }
"$MINREG" tables >/dev/null   # makes the register

# ---- set ----
run_minreg boundary a11 4 "$G/mine_multi.txt" -m 采矿许可证附图
is "set: exit 0, one change" "$rc/$(cat "$T/out")" "0/change 1 recorded"
is "... recorded as set of mining_permits 4 with the clerk's comment" \
   "$(sqlite3 "$T/reg.db" "SELECT kind, tbl, summary, comment FROM minreg_changes WHERE id = 1")" \
   "set|mining_permits|mining_permits 4 boundary|采矿许可证附图"
is "... audited as field @boundary, old none" \
   "$(sqlite3 "$T/reg.db" "SELECT op, field, row_key, old IS NULL, substr(new, 1, 12) FROM minreg_audit WHERE change_id = 1")" \
   "update|@boundary|4|1|CGCS2000 GK3"
# the side tables: three rings, the pillar excluded, elevations, zone 41,
# the official area (1.9998 + 0.2500 − 0.2000, as test_area has it)
is "shape: zone 41, official area 2.0498 km²" \
   "$(sqlite3 "$T/reg.db" "SELECT tbl, zone, system, round(area_km2, 4) FROM minreg_shapes")" \
   "mining_permits|41|CGCS2000 GK3|2.0498"
is "rings: roles, elevations, names, points" \
   "$(sqlite3 "$T/reg.db" "SELECT ring, hole, top, bottom, name, npts FROM minreg_rings ORDER BY ring")" \
   "1|0|229.5|70.0|金藏采区|4
2|0|180.0|90.0|北采区|4
3|1|229.5|70.0|保护矿柱|4"
# 41 560000 is 60 km east of 123°E: about 123.70°E, 40.18°N
is "R*Tree box in degrees, found by a query around it" \
   "$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_shape_box WHERE max_lon >= 123.7 AND min_lon <= 123.71 AND max_lat >= 40.19 AND min_lat <= 40.2")" 1
is "... and not by one beside it" \
   "$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_shape_box WHERE min_lon > 123.8")" 0

# ---- print ----
run_minreg boundary a11 4
is "print: the point list, three '*' lines" "$rc/$(grep -c '^\*,' "$T/out")" "0/3"
grep -q '^\*,229.5,70,保护矿柱,-1,' "$T/out"
is "... the excluded ring with its elevations and flag -1" "$?" 0
cp "$T/out" "$T/printed.txt"
run_minreg area --format csv "$T/printed.txt"
grep -q '^1,,.*,parcel,,,,2\.0498,' "$T/out"
is "... which reads back to the same area" "$?" 0
run_minreg boundary a11 4 --format exchange
grep -q '^15,2.0498,,,面,,,@' "$T/out" && grep -q '^带号=41' "$T/out"
is "exchange: the parcel's header with its area, 带号=41" "$?" 0
run_minreg boundary a11 4 --format wkt
is "wkt: one MULTIPOLYGON, easting first" "$(cut -c1-39 "$T/out")" "MULTIPOLYGON (((41560000.00 4450000.00,"
run_minreg boundary a11 4 --format geojson
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); \
g=[f["geometry"] for f in d["features"]] if "features" in d else [d.get("geometry", d)]; \
assert g[0]["type"]=="MultiPolygon", g[0]["type"]; assert len(g[0]["coordinates"])==2' "$T/out"
is "geojson: a MultiPolygon of two polygons (the pillar a hole)" "$?" 0
run_minreg boundary a11 4 --format bogus
is "--format bogus: usage" "$rc" 2

# ---- the same again, bad files, wrong registers ----
run_minreg boundary a11 4 "$G/mine_multi.txt"
is "the same boundary again: no change" "$rc/$(cat "$T/out")/$(changes)" "0/no change: the boundary is the same/1"
snap
run_minreg boundary a11 4 "$G/bad_number.txt"
is "malformed file: exit 3" "$rc" 3
is "... its line and the reason, nothing written" "$(cat "$T/err")" \
   "minreg: $G/bad_number.txt:3: Y '4161850O.00' is not a number; nothing was written"
is "... the file as it was" "$(same)" same
run_minreg boundary a11 4 "$T/nonexistent.txt"
is "missing file: exit 3, nothing written" "$rc/$(same)" "3/same"
run_minreg boundary minerals 金矿 "$G/square_far.txt"
is "a register that holds no boundary: usage, nothing written" "$rc/$(same)" "2/same"
grep -q 'minerals: its records hold no boundary' "$T/err"
is "... saying so" "$?" 0
run_minreg boundary a11 99999 "$G/square_far.txt"
is "no such record: exit 1" "$rc/$(same)" "1/same"
run_minreg boundary a10 1
is "a record without a boundary: exit 1" "$rc" 1
grep -q 'exploration_permits 1 has no boundary' "$T/err"
is "... saying so" "$?" 0
# a shape with problems is kept, with the problems said (check reports them)
run_minreg boundary a10 1 "$G/bowtie.txt"
is "a bow-tie: set, exit 0" "$rc" 0
grep -q "warning: $G/bowtie.txt:[0-9]*: G-SELFX" "$T/err"
is "... with a warning naming the rule" "$?" 0
run_minreg -r boundary a11 4 "$G/square_far.txt"
is "read-only: refused" "$([ "$rc" -ne 0 ] && echo refused)" refused

# ---- change, undo, redo, verify ----
run_minreg boundary a11 4 "$G/square_far.txt"
is "changed to the far square: change 3" "$rc/$(cat "$T/out")" "0/change 3 recorded"
is "... one shape for the record, its rings replaced" \
   "$(sqlite3 "$T/reg.db" "SELECT count(*), sum(npts) FROM minreg_rings r JOIN minreg_shapes s ON s.id = r.shape_id WHERE s.tbl = 'mining_permits'")" "1|4"
run_minreg undo
is "undo: the mine's boundary back" "$rc/$(sqlite3 "$T/reg.db" "SELECT round(area_km2, 4) FROM minreg_shapes WHERE tbl = 'mining_permits'")" "0/2.0498"
run_minreg redo
is "redo: the far square again" "$rc/$(sqlite3 "$T/reg.db" "SELECT round(area_km2, 4) FROM minreg_shapes WHERE tbl = 'mining_permits'")" "0/0.9997"
run_minreg boundary a11 4 --remove
is "--remove: a change" "$rc/$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_shapes WHERE tbl = 'mining_permits'")" "0/0"
run_minreg undo
is "... undone: back" "$rc/$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_shapes WHERE tbl = 'mining_permits'")" "0/1"
run_minreg verify
is "verify: the history and the boundaries hold" "$rc" 0
# a record removed takes its boundary with it; its undo brings both back
run_minreg rm a11 4
is "rm: the row and its boundary gone" "$rc/$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_shapes WHERE tbl = 'mining_permits'")" "0/0"
run_minreg undo
is "... undone: both back" "$rc/$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_shapes s JOIN mining_permits p ON p.rid = s.rid WHERE s.tbl = 'mining_permits'")" "0/1"
run_minreg verify
is "verify after rm and its undo" "$rc" 0
run_minreg log a11 4
grep -q '@boundary' "$T/out"
is "log: the boundary changes listed" "$?" 0

# ---- written outside minreg: verify names the record ----
cp "$T/reg.db" "$T/t.db"
sqlite3 "$T/t.db" "UPDATE minreg_shapes SET text = replace(text, '4450000.00', '4450001.00') WHERE tbl = 'mining_permits'"
run_minreg -r -f "$T/t.db" verify
is "a boundary changed outside minreg: verify exit 1" "$rc" 1
grep -q 'mining_permits\|Mining permits' "$T/out" && grep -q '4 @boundary: the boundary is not the one change' "$T/out"
is "... naming the record and the change" "$?" 0
cp "$T/reg.db" "$T/t2.db"
sqlite3 "$T/t2.db" "DELETE FROM minreg_rings; DELETE FROM minreg_shape_box; DELETE FROM minreg_shapes WHERE tbl = 'mining_permits'"
run_minreg -r -f "$T/t2.db" verify
grep -q 'set a boundary the record no longer has' "$T/out"
is "a boundary removed outside minreg: named" "$rc/$?" "1/0"
# a change whose undo would overwrite a boundary changed outside minreg
run_minreg -f "$T/t.db" undo
is "undo over a boundary changed outside minreg: a conflict" "$rc" 6

# Chinese
run_minreg --lang zh boundary minerals 金矿
grep -q '不含界' "$T/err" || grep -q '边界' "$T/err"
is "zh: the refusal in Chinese" "$?" 0
done_testing
