#!/bin/sh
# CLI: area FILE — a coordinate file's official areas and problems, without
# a register; exit 0 clean, 1 with problems, 3 unreadable.
. "$srcdir/tests/lib.sh"
G=$srcdir/tests/fixtures/geo

run_minreg area "$G/square_far.txt"
is "far square: exit 0" "$rc" 0
grep -q '^1       all .* 0\.9997$' "$T/out"
is "far square: the parcel's official area 0.9997 (the plane would say 1.0000)" "$?" 0
grep -q '^no problems$' "$T/out"
is "far square: no problems" "$?" 0

run_minreg area "$G/mine_multi.txt"
is "mine: exit 0" "$rc" 0
grep -q '保护矿柱  excluded' "$T/out"
is "mine: the pillar is an excluded ring" "$?" 0
grep -q '金藏采区  included       4  70–229.5 m' "$T/out"
is "mine: 金藏采区 with its elevations" "$?" 0
grep -q '^1       all .* 2\.0498$' "$T/out"
is "mine: 1.9998 + 0.2500 − 0.2000 = 2.0498" "$?" 0

# each problem: FILE:LINE: RULE: message [source]
for f in bowtie.txt:G-SELFX unclosed.txt:G-CLOSED wrong_zone.txt:G-ZONE swapped.csv:G-SWAP \
         precision.txt:G-PREC area_mismatch.txt:G-AREA; do
    file=${f%%:*} rule=${f#*:}
    run_minreg area "$G/$file"
    is "$file: exit 1" "$rc" 1
    grep -q "^$G/$file:[0-9]*: $rule: .*\[.*\]$" "$T/out"
    is "$file: $rule with its line and source" "$?" 0
done
run_minreg area "$G/wrong_zone.txt"
grep -q 'zone prefix 42 does not fit: the points fall at 127.39°E, outside Dandong; read in zone 41 they fall at 124.39°E' "$T/out"
is "wrong zone: says where the points fall and which zone fits" "$?" 0

# unreadable: the line and the reason, exit 3
run_minreg area "$G/bad_number.txt"
is "bad number: exit 3" "$rc" 3
is "bad number: the line and the reason" "$(cat "$T/err")" \
    "minreg: $G/bad_number.txt:3: Y '4161850O.00' is not a number"
run_minreg area "$T/nonexistent.txt"
is "missing file: exit 3" "$rc" 3
run_minreg area "$G/deg_dmmss.csv"
is "ambiguous degrees: exit 3" "$rc" 3
grep -q -- '--degrees' "$T/err"
is "ambiguous degrees: says to give --degrees" "$?" 0
run_minreg area --degrees dmmss "$G/deg_dmmss.csv"
is "--degrees dmmss: read" "$rc" 0
run_minreg area --degrees bogus "$G/deg_dmmss.csv"
is "--degrees bogus: usage" "$rc" 2
run_minreg area
is "no file: usage" "$rc" 2

# the formats: the same far square, the same area
for f in exchange.txt jtable.csv xy.txt; do
    run_minreg area --format csv "$G/$f"
    grep -q '^1,,.*,parcel,,,,0\.9997,' "$T/out"
    is "$f: parcel 1 is 0.9997 km²" "$?" 0
done

# CSV: a BOM, CRLF, two sections
run_minreg area --format csv "$G/wrong_zone.txt"
is "csv: BOM" "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" efbbbf
is "csv: every line CRLF" "$(grep -c "$(printf '\r')\$" "$T/out")" "$(wc -l <"$T/out")"
tr -d '\r' <"$T/out" | sed '1s/^\xef\xbb\xbf//' >"$T/plain.csv"
is "csv: the ring row" "$(sed -n 2p "$T/plain.csv")" "1,1,东部采区,included,4,120,-30,0.9997,"
is "csv: the problems' header" "$(sed -n 5p "$T/plain.csv")" "file,line,rule,parcel,ring,message,source"
grep -q "^$G/wrong_zone.txt,2,G-ZONE,1,1," "$T/plain.csv"
is "csv: the problem row" "$?" 0

# JSON: parses, and holds the areas and the problems
run_minreg area --format json "$G/mine_multi.txt"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["parcels"][0]; \
assert p["area_km2"]==2.0498 and [r["role"] for r in p["rings"]]==["included","included","excluded"] \
and p["rings"][0]["top"]==229.5 and d["problems"]==[]' "$T/out"
is "json: mine's parcel, rings and roles" "$?" 0
run_minreg area --format json "$G/bowtie.txt"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); \
assert [p["rule"] for p in d["problems"]]==["G-SELFX"] and d["problems"][0]["line"]==2' "$T/out"
is "json: bow-tie's problem" "$?" 0

# --to: written in another format and read back to the same area
run_minreg area --to exchange "$G/mine_multi.txt"
is "--to exchange: exit 0" "$rc" 0
cp "$T/out" "$T/mine.exchange.txt"
run_minreg area --format csv "$T/mine.exchange.txt"
grep -q '^1,,.*,parcel,,,,2\.0498,2\.0498' "$T/out"
is "exchange written and read back: 2.0498, its header's area the same" "$?" 0
run_minreg area --to wkt "$G/square_far.txt"
is "--to wkt" "$(cat "$T/out")" \
    "MULTIPOLYGON (((41617500.00 4450000.00, 41618500.00 4450000.00, 41618500.00 4451000.00, 41617500.00 4451000.00, 41617500.00 4450000.00)))"
run_minreg area --to geojson "$G/square_far.txt"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); g=d["features"][0]["geometry"]; \
assert g["type"]=="MultiPolygon" and 124.3<g["coordinates"][0][0][0][0]<124.5' "$T/out"
is "--to geojson: longitude first" "$?" 0
run_minreg area --to pointlist "$G/exchange.txt"
is "--to pointlist with two parcels: refused" "$rc" 3

# --registered, --zone
run_minreg area --registered 1.0000 "$G/square_far.txt"
is "--registered 1.0000 on the far square: exit 1" "$rc" 1
grep -q 'G-AREA: parcel 1: the official area is 0.9997 km², the registered 面积 1.0000 km²' "$T/out"
is "--registered: the difference said" "$?" 0
printf 'J1,4450000.00,617500.00\nJ2,4450000.00,618500.00\nJ3,4451000.00,618500.00\nJ4,4451000.00,617500.00\n' >"$T/nz.csv"
run_minreg area "$T/nz.csv"
grep -q 'G-NOZONE' "$T/out"
is "no zone: G-NOZONE" "$?" 0
run_minreg area --zone 41 "$T/nz.csv"
is "--zone 41: exit 0" "$rc" 0

# the synthetic generator: deterministic, both zones, its bow-ties caught
GEN=$builddir/tests/bench/geo_gen
"$GEN" 300 >"$T/syn1.txt" && "$GEN" 300 >"$T/syn2.txt"
cmp -s "$T/syn1.txt" "$T/syn2.txt"
is "geo_gen: the same bytes every run" "$?" 0
run_minreg area --format json "$T/syn1.txt"
is "geo_gen 300: problems, exit 1" "$rc" 1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); ps=d["parcels"]; \
rules=sorted(set(p["rule"] for p in d["problems"])); \
bow=[p["parcel"] for p in d["problems"] if p["rule"]=="G-SELFX"]; \
assert len(ps)==300, len(ps); assert rules==["G-SELFX"], rules; assert bow==[50,100,150,200,250,300], bow; \
assert sum(1 for p in ps if len(p["rings"])==3)==7 and all(p["area_km2"]>0 for p in ps if p["parcel"] % 50)' "$T/out"
is "geo_gen 300: 300 parcels, the six bow-ties the only problems, mines with holes" "$?" 0
is "geo_gen: parcels in both zones" "$(grep -c ',42[0-9]\{6\}\.' "$T/syn1.txt" | awk '{print ($1 > 0)}')$(grep -c ',41[0-9]\{6\}\.' "$T/syn1.txt" | awk '{print ($1 > 0)}')" 11

# a point list whose points are named J1…: the names are no header (fuzz_geo)
run_minreg area --to pointlist "$G/jtable.csv"
cp "$T/out" "$T/named.txt"
is "J table as a point list: the points keep their names" "$(grep -c '^J[1-4],' "$T/named.txt")" 4
run_minreg area --format csv "$T/named.txt"
grep -q '^1,,.*,parcel,,,,0\.9997,' "$T/out"
is "J-named point list: read back whole, 0.9997 km²" "$?" 0
# an easting without its prefix cannot be 7 digits; a prefix is 2 digits
printf '4450000.00,1532000.00;4450000.00,1533000.00;4451000.00,1533000.00\n' >"$T/y7.txt"
run_minreg area --zone 41 "$T/y7.txt"
is "7-digit easting without prefix: exit 3" "$rc" 3
grep -q "1:.*Y '1532000.00' is no easting" "$T/err"
is "7-digit easting: the line and the reason" "$?" 0
run_minreg area --zone 8 "$G/xy.txt"
is "--zone 8: usage (a prefix is 2 digits)" "$rc" 2

# Chinese
run_minreg --lang zh area "$G/wrong_zone.txt"
grep -q '带号\|分带\|不符' "$T/out"
is "zh: the problem in Chinese" "$?" 0
done_testing
