#!/bin/sh
# test_exchange_relay.sh — the city relays: a change made in one county
# (宽甸县, 210624) reaches another (凤城市, 210682) through the city, with its
# origin kept, and is not sent back as new; the city's own tables go down
# to both; a boundary travels with its record.
. "$srcdir/tests/lib.sh"

C=$T/city.db K=$T/kd.db F=$T/fc.db
cp "$T/reg.db" "$C"; cp "$T/reg.db" "$K"; cp "$T/reg.db" "$F"
q() { sqlite3 "$1" "$2"; }
ncs() { grep -c '^C	' "$1"; }

CPUB=$("$MINREG" -f "$C" exchange init 210600 | tail -1)
KPUB=$("$MINREG" -f "$K" exchange init 宽甸县 | tail -1)
FPUB=$("$MINREG" -f "$F" exchange init 凤城市 | tail -1)
"$MINREG" -f "$C" exchange partner 宽甸县 "$KPUB" >/dev/null
"$MINREG" -f "$C" exchange partner 凤城市 "$FPUB" >/dev/null
"$MINREG" -f "$K" exchange partner 210600 "$CPUB" >/dev/null
"$MINREG" -f "$F" exchange partner 210600 "$CPUB" >/dev/null
is "three sites, the city partner of both counties" "$(q "$C" 'SELECT count(*) FROM minreg_partners')" 2

# ---- 宽甸县's new permit, its boundary and a remark: to the city
run_minreg -f "$K" add a11 id=1001 mine_name=宽甸一号 minerals=金矿 area_km2=1.5 district=宽甸县
run_minreg -f "$K" boundary a11 1001 "$srcdir/tests/fixtures/geo/mine_multi.txt" -m 附图
is "the county sets the new permit's boundary" "$rc" 0
run_minreg -f "$K" set a11 1001 remark=县备注
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k1.x"
is "the county's file: three changes" "$rc $(ncs "$T/k1.x")" "0 3"
run_minreg -f "$C" exchange apply "$T/k1.x"
is "the city applies it" "$rc $(q "$C" 'SELECT remark FROM mining_permits WHERE id = 1001')" "0 县备注"
is "... the boundary with it" "$("$MINREG" -f "$C" boundary a11 1001 --format wkt | md5sum)" \
   "$("$MINREG" -f "$K" boundary a11 1001 --format wkt | md5sum)"

# ---- on to 凤城市, through the city
run_minreg -f "$C" exchange export --to 凤城市 -o "$T/c1.x"
is "the city's file to 凤城市 carries 宽甸县's changes" "$rc $(ncs "$T/c1.x") $(grep -c '^O	210624	' "$T/c1.x")" "0 1 3"
run_minreg -f "$F" exchange apply "$T/c1.x"
is "凤城市 has 宽甸县's permit, with its rid" "$rc $(q "$F" 'SELECT rid, remark FROM mining_permits WHERE id = 1001')" \
   "0 210624000000001|县备注"
is "... and its boundary" "$("$MINREG" -f "$F" boundary a11 1001 --format wkt | md5sum)" \
   "$("$MINREG" -f "$K" boundary a11 1001 --format wkt | md5sum)"
is "... each change's origin kept: 宽甸县's who, when and digest" \
   "$(q "$F" 'SELECT site, their_id, kind FROM minreg_xchg_origin WHERE site = 210624 ORDER BY their_id' | tr '\n' ' ')" \
   "210624|1|add 210624|2|set 210624|3|set "
is "... the digests those of 宽甸县's chain" \
   "$(q "$F" 'SELECT digest FROM minreg_xchg_origin WHERE site = 210624 ORDER BY their_id' | tr '\n' ' ')" \
   "$(q "$K" 'SELECT lower(hex(digest)) FROM minreg_chain WHERE change_id BETWEEN 1 AND 3 ORDER BY change_id' | tr '\n' ' ')"

# ---- not sent back as new
run_minreg -f "$F" exchange export --to 丹东市 -o "$T/f0.x"
is "凤城市 does not send them back to the city as its own" "$rc $(ncs "$T/f0.x")" "0 0"
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c0.x"
is "the city does not send 宽甸县's changes back to it" "$rc $(ncs "$T/c0.x")" "0 0"

# ---- the other way: 凤城市's change reaches 宽甸县
run_minreg -f "$F" add a11 id=3001 mine_name=凤城一号 minerals=铜矿 area_km2=2 district=凤城市
run_minreg -f "$F" exchange export --to 丹东市 -o "$T/f1.x"
run_minreg -f "$C" exchange apply "$T/f1.x"
run_minreg -f "$C" exchange apply "$T/f0.x"
is "a file applied out of turn after a newer one changes nothing" "$rc" 0
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c2.x"
is "the city's file to 宽甸县: 凤城市's change only" "$(ncs "$T/c2.x") $(grep -c '^O	210682	' "$T/c2.x") $(grep -c '^O	210624	' "$T/c2.x")" "1 1 0"
run_minreg -f "$K" exchange apply "$T/c2.x"
is "宽甸县 has 凤城市's permit" "$rc $(q "$K" 'SELECT rid FROM mining_permits WHERE id = 3001')" "0 210682000000001"

# ---- the city's own tables go down to both
run_minreg -f "$C" set quotas 1 amount=0.011 -m 市调整
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c3.x"
run_minreg -f "$C" exchange export --to 凤城市 -o "$T/c4.x"
run_minreg -f "$K" exchange apply "$T/c3.x"
run_minreg -f "$F" exchange apply "$T/c4.x"
is "the city's quota reaches both counties" \
   "$(q "$K" 'SELECT amount FROM quotas WHERE id = 1') $(q "$F" 'SELECT amount FROM quotas WHERE id = 1')" "0.011 0.011"
run_minreg -f "$F" exchange export --to 丹东市 -o "$T/f2.x"
run_minreg -f "$C" exchange apply "$T/f2.x"
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k2.x"
run_minreg -f "$C" exchange apply "$T/k2.x"
is "... and is not sent back up" "$(ncs "$T/f2.x") $(ncs "$T/k2.x")" "0 0"

# ---- all three agree and verify
rows() { q "$1" 'SELECT rid, id, mine_name, district, area_km2, remark FROM mining_permits ORDER BY rid; SELECT rid, amount FROM quotas ORDER BY rid' | md5sum; }
is "the city and 宽甸县 agree on every row" "$(rows "$K")" "$(rows "$C")"
is "the city and 凤城市 agree on every row" "$(rows "$F")" "$(rows "$C")"
for s in city kd fc; do
    run_minreg -f "$T/$s.db" verify
    is "$s.db verifies" "$rc" 0
done
is "no conflict is open anywhere" "$(for s in "$C" "$K" "$F"; do q "$s" 'SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL'; done | tr '\n' ' ')" "0 0 0 "
done_testing
