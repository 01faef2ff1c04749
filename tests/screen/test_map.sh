#!/bin/sh
# The map screen (issue 17): a record's boundary with its neighbours and
# overlaps, keys to zoom, pan and select, at 80x24 and a small size, in
# UTF-8 (braille) and ASCII.  The boundaries are hand-made fixtures
# (tests/fixtures/map, SYNTHETIC: zone 41 near 41618 km easting), set
# through `minreg boundary` like a clerk's; the bundled register has none.
. "$srcdir/tests/lib.sh"
KEYS=$srcdir/tests/screen/keys
SEXP=$srcdir/tests/screen/expected
FIX=$srcdir/tests/fixtures/map

# screen NAME SIZE TAG [OPTIONS...]: as in test_screens.sh
screen() {
    name=$1 size=$2 tag=$3; shift 3
    out=$SEXP/$name-$size$tag.txt
    "$MINREG" --script "$KEYS/$name.keys" --size "$size" "$@" >"$T/screen" 2>"$T/err"
    st=$?
    if [ "${MINREG_BLESS:-}" = 1 ]; then cp "$T/screen" "$out"; fi
    if [ $st -eq 0 ] && cmp -s "$T/screen" "$out"; then ok "$name at $size$tag"; else
        not_ok "$name at $size$tag (exit $st)"; diff -u "$out" "$T/screen" | head -40 | sed 's/^/#   /'; fi
}

# permit 1: an L of two rings, one of them excluded; permit 2 overlaps it
# (0.25 km²), exploration permit 1 is near, permit 3 lies 10 km off
set_boundary() {
    run_minreg boundary "$1" "$2" "$FIX/$3"
    is "boundary $1 $2 $3" "$rc" 0
}
set_boundary mining_permits 1 own.txt
set_boundary mining_permits 2 overlap.txt
set_boundary exploration_permits 1 near.txt
set_boundary mining_permits 3 far.txt

for size in 80x24 40x12; do
    screen map $size ""
    screen map $size -ascii --ascii
done
screen map 80x24 -zh --lang zh
screen map 80x24 -wide --ambiguous wide
screen map_none 80x24 ""
# Enter with no neighbour selected opens the one the record overlaps
screen map_enter 80x24 ""
# the overlaps as findings: Enter on one opens the neighbour
screen overlaps 80x24 ""
screen overlaps 40x12 -ascii --ascii
# the overlaps as check findings (R-GEO-OVERLAP): Enter opens the other record
screen problems_geo 80x24 "" --today 2026-01-01
screen problems_geo 80x24 -zh --lang zh --today 2026-01-01

# another clerk removes the overlapping neighbour's boundary: the map,
# drawn again, no longer shows it (the data version moved)
printf ':mining_permits<Enter><Enter>M<other boundary mining_permits 2 --remove><C-l><dump>\n' >"$T/k"
"$MINREG" --script "$T/k" --size 80x24 >"$T/out" 2>&1
grep -q '0 overlap' "$T/out"
is "another clerk's change: the map read again" "$?" 0
# ... and removes the record's own: the map says so, Enter opens nothing
printf ':mining_permits<Enter><Enter>M<other boundary mining_permits 1 --remove><C-l><dump><Enter><Tab><dump>\n' >"$T/k"
"$MINREG" --script "$T/k" --size 80x24 >"$T/out" 2>&1
st=$?
grep -q 'no map: mining_permits 1 ' "$T/out"
is "the record's boundary removed by another clerk: the map says so (exit $st)" "$?$st" 00
done_testing
