#!/bin/sh
# CLI: overlaps [TABLE [KEY]] (pairs with their official overlap area,
# largest first) and near TABLE KEY --within METRES, over the boundaries
# the records hold (R*Tree candidates, GEOS overlay).
. "$srcdir/tests/lib.sh"
G=$srcdir/tests/fixtures/geo
"$MINREG" tables >/dev/null
set_b() { "$MINREG" boundary "$1" "$2" "$G/$3" >/dev/null 2>&1; }
# the far square (1 km², 117.5–118.5 km east of 123°E), a square 500 m east
# of it (so they share 500 m × 1000 m), one 200 m beyond that, and one near
# the central meridian, far from all
set_b a11 4 square_far.txt
set_b a11 5 square_east.txt
set_b a11 6 square_apart.txt
set_b a10 1 square_cm.txt

run_minreg overlaps
is "overlaps: exit 0" "$rc" 0
# the shared 500 m × 1000 m, computed officially as a file of its own: 0.4998
# (plane 0.5 less y²/R² = (118.25 km / 6371 km)² ≈ 3.4·10⁻⁴ of it)
is "area of the shared part as a file" "$("$MINREG" area --format csv "$G/overlap_part.txt" | grep ',parcel,' | cut -d, -f8)" 0.4998
grep -q '^mining_permits  4    mining_permits     5  *0\.4998$' "$T/out"
is "... the one pair, with that area" "$?" 0
is "... and only it" "$(tail -n 1 "$T/out")" "1 overlapping pairs"
run_minreg overlaps a11 6
is "a record overlapping nothing: none" "$rc/$(tail -n 1 "$T/out")" "0/0 overlapping pairs"
run_minreg overlaps mining_permits 5 --format csv
is "csv: the pair from the record's side" "$(sed -n 2p "$T/out" | tr -d '\r')" "mining_permits,5,mining_permits,4,0.4998"
run_minreg overlaps --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==1 and d[0]["overlap_km2"]==0.4998, d' "$T/out"
is "json: one pair, 0.4998" "$?" 0
# a bigger overlap comes first: a copy of the far square on a block
"$MINREG" add a5 code=KB01 name=测试区块 minerals=金矿 area_km2=1 >/dev/null 2>&1 || true
if "$MINREG" boundary a5 KB01 "$G/square_far.txt" >/dev/null 2>&1; then
    run_minreg overlaps
    is "largest first: the block over the whole square, then the permits' share" \
       "$(sed -n 3p "$T/out" | awk '{print $NF}')/$(sed -n 4p "$T/out" | awk '{print $NF}')" "0.9997/0.4998"
    run_minreg overlaps mining_blocks
    is "one register's pairs: the block against both permits" "$(tail -n 1 "$T/out")" "2 overlapping pairs"
fi

# The zones' projections need no proj.db (geo_area.c): PROJ is not to look
# for it, which cost ~25M instructions a run.  A proj.db in PROJ_DATA that
# is a FIFO makes a run that opens it wait for a writer that never comes.
mkdir "$T/projdata" && mkfifo "$T/projdata/proj.db"
PROJ_DATA=$T/projdata PROJ_LIB=$T/projdata timeout 20 "$MINREG" overlaps mining_permits 5 --format csv >"$T/out" 2>"$T/err"
is "one record's overlaps never open proj.db (exit $?)" "$(tr -d '\r' <"$T/out" | grep -c '^mining_permits,5,mining_permits,4,0.4998$')" 1
PROJ_DATA=$T/projdata PROJ_LIB=$T/projdata timeout 20 "$MINREG" area --format csv "$G/overlap_part.txt" >"$T/out" 2>"$T/err"
is "nor does area (exit $?)" "$(grep ',parcel,' "$T/out" | cut -d, -f8)" 0.4998

# ---- near ----
run_minreg near a11 5 --within 250
is "near 250 m: the square 200 m away and the overlapping one" "$rc/$(awk 'NR>2 && $1=="mining_permits" {print $2 ":" $3}' "$T/out" | tr '\n' ' ')" "0/4:0.00 6:200.00 "
run_minreg near a11 5 --within 150 --format csv
is "near 150 m: only the one that overlaps" "$(sed 1d "$T/out" | tr -d '\r' | grep mining_permits)" "mining_permits,4,0.00"
run_minreg near a11 5
is "near without --within: usage" "$rc" 2
run_minreg near a11 7 --within 10
is "a record without a boundary: exit 1" "$rc" 1
run_minreg overlaps minerals
is "a register without boundaries: usage" "$rc" 2
done_testing
