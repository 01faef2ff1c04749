#!/bin/sh
# test_exchange.sh — minreg exchange: the city (210600) and a county
# (宽甸县, 210624) kept in step by signed change files; the field-level
# merge, conflicts and their resolution, ownership, replays, gaps, tampering,
# a wrong key, a file cut short, a partner restored from an old backup, and a
# randomised two-site run that must converge.
. "$srcdir/tests/lib.sh"

C=$T/city.db K=$T/kd.db
cp "$T/reg.db" "$C"; cp "$T/reg.db" "$K"
q() { sqlite3 "$1" "$2"; }

# ---- sites and partners
run_minreg -f "$C" exchange init 210600
is "init: the city becomes a site" "$rc" 0
CPUB=$(tail -1 "$T/out")
is "... printing a 64-digit public key" "$(printf %s "$CPUB" | tr -d '0-9a-f' | wc -c) ${#CPUB}" "0 64"
is "... its secret key beside the register, mode 0600" "$(stat -c %a "$C.key")" 600
is "... never inside the register" "$(q "$C" "SELECT count(*) FROM minreg_site WHERE pubkey = '$CPUB'")" 1
run_minreg -f "$K" exchange init 宽甸县
is "init by a district's short name" "$rc $(q "$K" 'SELECT code, role FROM minreg_site')" "0 210624|county"
KPUB=$(tail -1 "$T/out")
run_minreg -f "$K" exchange init 210624
is "init twice is refused (exit 2)" "$rc" 2
run_minreg -f "$C" exchange partner 宽甸县 "$KPUB"
is "partner: the county at the city" "$rc" 0
run_minreg -f "$K" exchange partner add 210600 "$CPUB"
is "partner add: the city at the county" "$rc" 0
run_minreg -f "$K" exchange partner 210681 1234
is "a malformed key is refused (exit 2)" "$rc" 2

# ---- site-ranged identities
run_minreg -f "$K" add a11 id=1001 mine_name=宽甸一号 minerals=金矿 area_km2=1.5 district=宽甸县
run_minreg -f "$C" add a11 id=2001 mine_name=市一号 minerals=铜矿 area_km2=2 district=振安区
is "a county's new row: rid 210624 * 10^9 + 1" "$(q "$K" 'SELECT rid FROM mining_permits WHERE id = 1001')" 210624000000001
is "the city's: 210600 * 10^9 + 1" "$(q "$C" 'SELECT rid FROM mining_permits WHERE id = 2001')" 210600000000001

# ---- both ways
run_minreg -f "$K" set a11 1001 remark=县备注
run_minreg -f "$C" set a11 2 remark=市改
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k1.x"
is "export: the county's file" "$rc" 0
is "... signed" "$(tail -1 "$T/k1.x" | cut -f1)" sig
before=$(q "$C" 'SELECT count(*) FROM minreg_changes')
run_minreg -f "$C" exchange apply "$T/k1.x"
is "apply at the city" "$rc" 0
is "... the county's row is there with its rid and remark" \
   "$(q "$C" 'SELECT rid, remark FROM mining_permits WHERE id = 1001')" "210624000000001|县备注"
is "... as one change of the history" "$(q "$C" 'SELECT count(*) FROM minreg_changes') $(q "$C" "SELECT kind FROM minreg_changes ORDER BY id DESC LIMIT 1")" "$((before + 1)) import"
is "... that keeps each change's origin" "$(q "$C" 'SELECT site, their_id, kind FROM minreg_xchg_origin ORDER BY their_id' | tr '\n' ' ')" "210624|1|add 210624|2|set "
sum1=$(q "$C" 'SELECT count(*) FROM minreg_changes; SELECT count(*) FROM minreg_audit; SELECT group_concat(remark) FROM mining_permits')
run_minreg -f "$C" exchange apply "$T/k1.x"
is "applying the same file twice: exit 0, nothing new" "$rc $(grep -c 'nothing new' "$T/out")" "0 1"
is "... nothing written" "$(q "$C" 'SELECT count(*) FROM minreg_changes; SELECT count(*) FROM minreg_audit; SELECT group_concat(remark) FROM mining_permits')" "$sum1"
run_minreg -f "$C" exchange export --to 210624 -o "$T/c1.x"
run_minreg -f "$K" exchange apply "$T/c1.x"
is "the city's file at the county" "$rc $(q "$K" 'SELECT remark FROM mining_permits WHERE id = 2') $(q "$K" 'SELECT rid FROM mining_permits WHERE id = 2001')" "0 市改 210600000000001"
is "... its own change, sent back, changes nothing" "$(q "$K" 'SELECT remark FROM mining_permits WHERE id = 1001')" 县备注
run_minreg -f "$C" verify
is "the city verifies" "$rc" 0
run_minreg -f "$K" verify
is "the county verifies" "$rc" 0
dump() { q "$1" 'SELECT * FROM mining_permits ORDER BY rid'; }
is "the two registers agree" "$(dump "$C" | md5sum)" "$(dump "$K" | md5sum)"

# ---- the field-level merge
run_minreg -f "$C" set a11 1001 scale=5
run_minreg -f "$K" set a11 1001 holder=县矿业公司
run_minreg -f "$C" set a11 1001 remark=市说
run_minreg -f "$K" set a11 1001 remark=县说
run_minreg -f "$K" exchange export --to 210600 -o "$T/k2.x"
run_minreg -f "$C" exchange apply "$T/k2.x"
is "fields changed on one side merge; one changed on both is a conflict" \
   "$rc $(q "$C" "SELECT scale, holder, remark FROM mining_permits WHERE id = 1001") $(q "$C" 'SELECT what, field, base, mine, theirs FROM minreg_xchg_conflicts WHERE resolved IS NULL')" \
   "0 5.0|县矿业公司|市说 field|remark|县备注|市说|县说"
run_minreg -f "$C" exchange conflicts
is "exchange conflicts lists it" "$(grep -c 'changed on both sides' "$T/out")" 1
run_minreg -f "$C" exchange export --to 210600 -o "$T/x" 2>/dev/null
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c2.x"
run_minreg -f "$K" exchange apply "$T/c2.x"
is "... and at the county, the other way round" "$(q "$K" 'SELECT scale, holder, remark FROM mining_permits WHERE id = 1001') $(q "$K" 'SELECT mine, theirs FROM minreg_xchg_conflicts WHERE resolved IS NULL')" "5.0|县矿业公司|县说 县说|市说"
cid=$(q "$C" 'SELECT id FROM minreg_xchg_conflicts WHERE resolved IS NULL')
run_minreg -f "$C" exchange resolve "$cid" 市县共商 -m 电话商定
is "resolve with a value: written and audited" "$rc $(q "$C" 'SELECT remark FROM mining_permits WHERE id = 1001') $(q "$C" "SELECT comment FROM minreg_changes ORDER BY id DESC LIMIT 1")" "0 市县共商 电话商定"
run_minreg -f "$C" exchange resolve "$cid" mine
is "... once (exit 2)" "$rc" 2
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c3.x"
run_minreg -f "$K" exchange apply "$T/c3.x"
is "the resolution travels: the county takes it, its conflict agreed" \
   "$(q "$K" 'SELECT remark FROM mining_permits WHERE id = 1001') $(q "$K" 'SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL') $(q "$K" "SELECT resolved FROM minreg_xchg_conflicts")" "市县共商 0 agreed"
is "... and the registers agree" "$(dump "$C" | md5sum)" "$(dump "$K" | md5sum)"

# ---- deleted on one side, changed on the other
run_minreg -f "$C" add a11 id=2002 mine_name=市二号 minerals=铜矿 area_km2=2 district=宽甸县
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c4.x"; run_minreg -f "$K" exchange apply "$T/c4.x"
run_minreg -f "$C" rm a11 2002
run_minreg -f "$K" set a11 2002 remark=县还在用
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k3.x"; run_minreg -f "$C" exchange apply "$T/k3.x"
is "changed there, deleted here: a conflict, never a silent loss" "$(q "$C" "SELECT what, field IS NULL, theirs LIKE '%县还在用%' FROM minreg_xchg_conflicts WHERE resolved IS NULL")" "deleted_here|1|1"
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c5.x"; run_minreg -f "$K" exchange apply "$T/c5.x"
is "... and deleted there, changed here: the row kept, a conflict" "$(q "$K" 'SELECT remark FROM mining_permits WHERE id = 2002') $(q "$K" "SELECT what FROM minreg_xchg_conflicts WHERE resolved IS NULL")" "县还在用 deleted_there"
cid=$(q "$C" 'SELECT id FROM minreg_xchg_conflicts WHERE resolved IS NULL')
run_minreg -f "$C" exchange resolve "$cid" theirs
is "resolve theirs: the row is back, with the county's change" "$rc $(q "$C" 'SELECT rid, remark FROM mining_permits WHERE id = 2002')" "0 210600000000002|县还在用"
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c6.x"; run_minreg -f "$K" exchange apply "$T/c6.x"
is "... agreed at the county" "$(q "$K" 'SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL') $(dump "$C" | md5sum)" "0 $(dump "$K" | md5sum)"

# ---- ownership: a county changes only its own rows (src/core/site.h)
nk=$(q "$K" 'SELECT count(*) FROM minreg_changes')
run_minreg -f "$K" set a11 2 remark=县改市的行
is "a county cannot change a row of another district (exit 1, nothing written)" \
   "$rc $(q "$K" 'SELECT remark FROM mining_permits WHERE id = 2') $(q "$K" 'SELECT count(*) FROM minreg_changes')" "1 市改 $nk"
is "... and says whose row it is" "$(grep -c "宽甸满族自治县's register (site 210624): it writes only the rows of .* whose 所在行政区 is 宽甸县" "$T/err")" 1
run_minreg -f "$K" set a11 1001 district=振安区
is "... nor move its own row out of its district" "$rc $(q "$K" 'SELECT district FROM mining_permits WHERE id = 1001')" "1 宽甸县"
run_minreg -f "$K" rm a11 2
is "... nor delete another's row" "$rc $(q "$K" 'SELECT count(*) FROM mining_permits WHERE id = 2')" "1 1"
run_minreg -f "$K" add a11 id=3001 mine_name=越界 minerals=金矿 area_km2=1 district=振安区
is "... nor add one in another district" "$rc $(q "$K" 'SELECT count(*) FROM mining_permits WHERE id = 3001')" "1 0"
run_minreg -f "$K" set a2 KZ21060000005 area_km2=1.5
is "... nor change the plan's own tables (the city's)" "$rc $(grep -c "are the city's; they arrive here by exchange" "$T/err")" "1 1"
run_minreg -f "$K" --lang zh set a11 2 remark=县改市的行
is "... said in Chinese too" "$(grep -c '只能修改' "$T/err")" 1
printf 'id,mine_name,minerals,area_km2,district\n3002,县内,金矿,1,宽甸县\n3003,县外,金矿,1,凤城市\n' >"$T/own.csv"
run_minreg -f "$K" import a11 "$T/own.csv"
is "an import at a county rejects the rows that are not its own, naming the line" \
   "$rc $(q "$K" 'SELECT group_concat(id) FROM mining_permits WHERE id IN (3002, 3003)') $(grep -c "own.csv:3: .*所在行政区 is 宽甸县.*凤城市" "$T/err")" "1  1"
run_minreg -f "$K" import a11 "$T/own.csv" --replace
is "... and --replace is refused at a county" "$rc $(grep -c 'replaced at the city only' "$T/err") $(q "$K" 'SELECT count(*) FROM mining_permits WHERE id = 2')" "1 1 1"
run_minreg -f "$K" event a11 1001 年报 --date 2026-03-01
is "a county records an event on its own permit" "$rc" 0
run_minreg -f "$K" event a11 2 年报 --date 2026-03-01
is "... but not on another's" "$rc" 1
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/kev.x"; run_minreg -f "$C" exchange apply "$T/kev.x"
is "the county's event follows its permit: applied at the city, no conflict" \
   "$rc $(q "$C" "SELECT count(*) FROM permit_events WHERE mining_permit = 1001 AND type = '年报'") $(q "$C" "SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL")" "0 1 0"
# a county register written past the rule (an older minreg, or by hand):
# the city still holds what the county may not send
q "$K" "UPDATE minreg_site SET role = 'city'"
run_minreg -f "$K" set a11 2 remark=县改市的行
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k4.x"; run_minreg -f "$C" exchange apply "$T/k4.x"
is "a county's change to a row of another district is held for the city" "$(q "$C" 'SELECT remark FROM mining_permits WHERE id = 2') $(q "$C" "SELECT what, theirs FROM minreg_xchg_conflicts WHERE resolved IS NULL")" "市改 owner|县改市的行"
run_minreg -f "$K" set a11 1001 district=振安区
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k5.x"; run_minreg -f "$C" exchange apply "$T/k5.x"
q "$K" "UPDATE minreg_site SET role = 'county'"
is "... and so is moving its row to another district" "$(q "$C" 'SELECT district FROM mining_permits WHERE id = 1001') $(q "$C" "SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL AND what = 'owner'")" "宽甸县 2"
# the :exchange screen: partners and open conflicts; Enter opens the
# conflict, Enter there its record
printf ':exchange<Enter><dump>j<dump><Enter><Enter><dump>q<dump>\n' >"$T/x.keys"
"$MINREG" -f "$C" --script "$T/x.keys" --size 160x24 >"$T/screen" 2>"$T/err"
is ":exchange: exit 0" "$?" 0
sed -n '/^--- screen 1/,/^--- screen 2/p' "$T/screen" >"$T/s1"
is "... titled with the site" "$(grep -c '^minreg — exchange: site 丹东市 (210600, city)' "$T/s1")" 1
is "... the partner, with what waits and its conflicts" "$(grep -c '^  宽甸满族自治县  210624  county  sent .*; 2 conflicts' "$T/s1")" 1
is "... each open conflict: register, key, field, what" "$(grep -c "Mining permits.*  2  .*备注.*not the sender's row · Mine: 市改 · Theirs: 县改市的行" "$T/s1")" 1
is "... the status says how to resolve" "$(grep -c '1 partners, 2 open conflicts  Enter: the conflict (t theirs, m mine, e edit)' "$T/s1")" 1
sed -n '/^--- screen 3/,/^--- screen 4/p' "$T/screen" >"$T/s3"
is "... Enter on a conflict, then Enter, opens its record" "$(grep -c '^minreg — 附表11 Mining permits at the base period · 2 ' "$T/s3")" 1
for id in $(q "$C" 'SELECT id FROM minreg_xchg_conflicts WHERE resolved IS NULL'); do
    "$MINREG" -f "$C" exchange resolve "$id" mine >/dev/null
done
run_minreg -f "$C" exchange export --to 宽甸县 -o "$T/c7.x"; run_minreg -f "$K" exchange apply "$T/c7.x"
is "the city keeps its own: the county takes it back" "$(q "$K" 'SELECT remark FROM mining_permits WHERE id = 2') $(q "$K" 'SELECT district FROM mining_permits WHERE id = 1001')" "市改 宽甸县"

# ---- refusals: nothing written, a clear message, exit 3
state() { q "$1" 'SELECT count(*) FROM minreg_changes; SELECT count(*) FROM minreg_audit; SELECT * FROM minreg_partners; SELECT count(*) FROM minreg_xchg_conflicts' | md5sum; }
run_minreg -f "$K" set a11 1001 remark=第八次
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k6.x"
s0=$(state "$C")
# the value inside the change's changeset (base64 of the session format)
# changed, the rest as it was
cs=$(grep '^S	' "$T/k6.x" | head -1 | cut -f2)
is "the rows travel as a session-extension changeset" "$(printf %s "$cs" | base64 -d | LC_ALL=C grep -c 第八次)" 1
bad=$(printf %s "$cs" | base64 -d | LC_ALL=C sed 's/第八次/第九次/' | base64 -w0)
LC_ALL=C awk -v cs="$cs" -v bad="$bad" '$0 == "S\t" cs { print "S\t" bad; next } { print }' "$T/k6.x" >"$T/bad.x"
is "... tampered with (the same length)" "$(wc -c <"$T/bad.x") $(cmp -s "$T/k6.x" "$T/bad.x"; echo $?)" "$(wc -c <"$T/k6.x") 1"
run_minreg -f "$C" exchange apply "$T/bad.x"
is "a tampered file is refused (exit 3)" "$rc $(grep -c 'signature does not verify' "$T/err")" "3 1"
is "... nothing written" "$(state "$C")" "$s0"
head -c 400 "$T/k6.x" >"$T/cut.x"
run_minreg -f "$C" exchange apply "$T/cut.x"
is "a file cut short is refused" "$rc $(grep -c 'not signed, or was cut short' "$T/err")" "3 1"
grep -v '^sig' "$T/k6.x" >"$T/unsigned.x"
run_minreg -f "$C" exchange apply "$T/unsigned.x"
is "an unsigned file is refused" "$rc" 3
printf 'name,x\n' >"$T/csv.x"
run_minreg -f "$C" exchange apply "$T/csv.x"
is "a file that is not a change file is refused" "$rc $(grep -c 'not a minreg change file' "$T/err")" "3 1"
# a third site, not a partner; then one that signs with the wrong key
cp "$T/reg.db" "$T/df.db"
"$MINREG" -f "$T/df.db" exchange init 凤城市 >/dev/null
"$MINREG" -f "$T/df.db" exchange partner 210600 "$CPUB" >/dev/null
"$MINREG" -f "$T/df.db" set a11 3 remark=凤城 >/dev/null
"$MINREG" -f "$T/df.db" exchange export --to 210600 -o "$T/df.x" 2>/dev/null
run_minreg -f "$C" exchange apply "$T/df.x"
is "a file from a site that is not a partner is refused" "$rc $(grep -c 'not a partner of this register' "$T/err")" "3 1"
sed "s/^from\t210682/from\t210624/" "$T/df.x" >"$T/wrongkey.x"
run_minreg -f "$C" exchange apply "$T/wrongkey.x"
is "a file signed with another key than the partner's is refused" "$rc $(grep -c 'signature does not verify' "$T/err")" "3 1"
run_minreg -f "$K" exchange apply "$T/df.x"
is "a file for another site is refused" "$rc" 3
is "... nothing written by any refusal" "$(state "$C")" "$s0"
# a gap: the next file sent with --since past what was applied
run_minreg -f "$K" set a11 1001 remark=第十次
run_minreg -f "$K" exchange export --to 丹东市 --since "$(q "$K" 'SELECT max(id) FROM minreg_changes')" -o "$T/gap.x"
run_minreg -f "$K" exchange export --to 丹东市 --since "$(($(q "$K" 'SELECT max(id) FROM minreg_changes') - 1))" -o "$T/gap.x"
run_minreg -f "$C" exchange apply "$T/gap.x"
is "a file that skips one names the missing range" "$rc $(grep -c 'are missing' "$T/err")" "3 1"
is "... nothing written" "$(state "$C")" "$s0"
run_minreg -f "$C" exchange apply "$T/k6.x"
run_minreg -f "$C" exchange apply "$T/gap.x"
is "in order, both apply" "$rc $(q "$C" 'SELECT remark FROM mining_permits WHERE id = 1001')" "0 第十次"
# the county restored from an old backup: its history is not the one applied
cp "$K" "$T/kd-now.db"
cp "$T/kd-now.db" "$T/kd-old.db"
q "$T/kd-old.db" 'SELECT 1' >/dev/null
run_minreg -f "$K" set a11 1001 remark=备份前
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k7.x"; run_minreg -f "$C" exchange apply "$T/k7.x"
cp "$T/kd-old.db" "$K"
run_minreg -f "$K" set a11 1001 remark=备份后
run_minreg -f "$K" exchange export --to 丹东市 -o "$T/k8.x"
s0=$(state "$C")
run_minreg -f "$C" exchange apply "$T/k8.x"
is "a partner restored from an old backup is refused" "$rc $(grep -c 'restored from an old backup' "$T/err")" "3 1"
is "... nothing written" "$(state "$C")" "$s0"
cp "$T/kd-now.db" "$K"   # the county's register as it was, for what follows
"$MINREG" -f "$K" set a11 1001 remark=备份前 >/dev/null

# ---- the :exchange status and the CLI's usage
run_minreg -f "$C" exchange
is "exchange alone: the site and its partners" "$rc $(grep -c '^Site: 丹东市 (210600, city)' "$T/out") $(grep -c '^宽甸满族自治县 *210624 *county' "$T/out")" "0 1 1"
run_minreg -f "$T/reg.db" exchange export --to 210624 -o "$T/x.x"
is "export from a register that is no site: exit 2, saying so" "$rc $(grep -c 'not an exchange site yet' "$T/err")" "2 1"
run_minreg -f "$C" exchange frobnicate
is "an unknown sub-command: exit 2" "$rc" 2

# ---- randomised: random edits at both sites, exchanges both ways, rounds
cp "$T/reg.db" "$T/rc.db"; cp "$T/reg.db" "$T/rk.db"
RC=$T/rc.db RK=$T/rk.db
"$MINREG" -f "$RC" exchange init 210600 | tail -1 >"$T/rc.pub"
"$MINREG" -f "$RK" exchange init 210624 | tail -1 >"$T/rk.pub"
"$MINREG" -f "$RC" exchange partner 210624 "$(cat "$T/rk.pub")" >/dev/null
"$MINREG" -f "$RK" exchange partner 210600 "$(cat "$T/rc.pub")" >/dev/null
seed=${MINREG_XCHG_SEED:-$(date +%s)}
echo "# exchange random seed $seed (MINREG_XCHG_SEED=$seed to repeat)"
# ops SITE ROUND: minreg commands for one site's turn
ops() {
    ids=$(q "$1" "SELECT group_concat(id, ' ') FROM mining_permits")
    kids=$(q "$1" "SELECT group_concat(id, ' ') FROM mining_permits WHERE district = '宽甸县'")
    awk -v seed="$(( (seed % 100000) * 100 + $2 * 10 + ${#3} ))" -v site="$3" -v ids="$ids" -v kids="$kids" -v r="$2" 'BEGIN {
        srand(seed); na = split(ids, a, " "); nk = split(kids, k, " ")
        for (i = 1; i <= 6; i++) {
            x = rand()
            pick = (site == "kd" && nk > 0 && rand() < 0.85) ? k[1 + int(rand() * nk)] : a[1 + int(rand() * na)]
            if (x < 0.45)      printf "set a11 %s remark=%s%d_%d\n", pick, site, r, i
            else if (x < 0.65) printf "set a11 %s scale=%d\n", pick, 1 + int(rand() * 99)
            else if (x < 0.80) printf "add a11 id=%d mine_name=%s%d_%d minerals=金矿 area_km2=%d district=宽甸县\n", (site == "kd" ? 5000 : 7000) + r * 10 + i, site, r, i, 1 + int(rand() * 9)
            else if (x < 0.88) printf "rm a11 %s\n", pick
            else               printf "set a11 %s holder=%s%d\n", pick, site, r
        }
    }'
}
edits() {
    ops "$1" "$2" "$3" | while read -r line; do
        # shellcheck disable=SC2086
        "$MINREG" -f "$1" $line >/dev/null 2>&1
    done
}
conv_ok=1 verify_ok=1
masked() {   # the rows outside any open conflict at either site
    q "$1" "ATTACH '$RC' AS c; ATTACH '$RK' AS k;
            SELECT * FROM main.mining_permits WHERE rid NOT IN
              (SELECT row_id FROM c.minreg_xchg_conflicts WHERE resolved IS NULL
               UNION SELECT row_id FROM k.minreg_xchg_conflicts WHERE resolved IS NULL) ORDER BY rid"
}
for r in 1 2 3 4 5; do
    edits "$RC" "$r" c
    edits "$RK" "$r" kd
    if [ $((seed % 2)) = 0 ]; then order="c k"; else order="k c"; fi
    for s in $order; do
        if [ "$s" = c ]; then src=$RC dst=$RK to=210624; else src=$RK dst=$RC to=210600; fi
        "$MINREG" -f "$src" exchange export --to $to -o "$T/r.x" 2>/dev/null || conv_ok=0
        "$MINREG" -f "$dst" exchange apply "$T/r.x" >/dev/null || conv_ok=0
    done
    # the one that sent first takes the other's file (with its ack) too
    s=${order%% *}
    if [ "$s" = c ]; then src=$RK dst=$RC to=210600; else src=$RC dst=$RK to=210624; fi
    "$MINREG" -f "$src" exchange export --to $to -o "$T/r.x" 2>/dev/null || conv_ok=0
    "$MINREG" -f "$dst" exchange apply "$T/r.x" >/dev/null || conv_ok=0
    [ "$(masked "$RC" | md5sum)" = "$(masked "$RK" | md5sum)" ] || { conv_ok=0; echo "# round $r: the rows outside conflicts differ"; }
done
is "random rounds: every exchange applied, the rows outside recorded conflicts agree" "$conv_ok" 1
opened=$(q "$RC" 'SELECT count(*) FROM minreg_xchg_conflicts')
echo "# $opened conflicts at the city, $(q "$RK" 'SELECT count(*) FROM minreg_xchg_conflicts') at the county"
# the city settles every open conflict its way, the county takes the rest
for id in $(q "$RC" 'SELECT id FROM minreg_xchg_conflicts WHERE resolved IS NULL'); do
    "$MINREG" -f "$RC" exchange resolve "$id" mine >/dev/null || { conv_ok=0; echo "# resolve $id mine at the city failed"; }
done
"$MINREG" -f "$RC" exchange export --to 210624 -o "$T/r.x" 2>/dev/null
"$MINREG" -f "$RK" exchange apply "$T/r.x" >/dev/null || conv_ok=0
for id in $(q "$RK" 'SELECT id FROM minreg_xchg_conflicts WHERE resolved IS NULL'); do
    "$MINREG" -f "$RK" exchange resolve "$id" theirs >/dev/null || { conv_ok=0; echo "# resolve $id theirs at the county failed"; }
done
"$MINREG" -f "$RK" exchange export --to 210600 -o "$T/r.x" 2>/dev/null
"$MINREG" -f "$RC" exchange apply "$T/r.x" >/dev/null || conv_ok=0
is "... once resolved, every row agrees and no conflict is open" \
   "$conv_ok $(dump "$RC" | md5sum) $(q "$RC" 'SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL') $(q "$RK" 'SELECT count(*) FROM minreg_xchg_conflicts WHERE resolved IS NULL')" \
   "1 $(dump "$RK" | md5sum) 0 0"
"$MINREG" -f "$RC" verify >/dev/null 2>&1 || verify_ok=0
"$MINREG" -f "$RK" verify >/dev/null 2>&1 || verify_ok=0
is "... and both registers verify" "$verify_ok" 1
# every value of every row is explained by the union of the histories: a
# row's rid is in some audit row or run at either site, or was there at init
unexplained=$(q "$RC" "ATTACH '$RK' AS k; ATTACH '$T/reg.db' AS i;
    SELECT count(*) FROM main.mining_permits m WHERE rid NOT IN (SELECT rid FROM i.mining_permits)
      AND NOT EXISTS (SELECT 1 FROM main.minreg_audit a WHERE a.tbl = 'mining_permits' AND a.row_id = m.rid)
      AND NOT EXISTS (SELECT 1 FROM k.minreg_audit a WHERE a.tbl = 'mining_permits' AND a.row_id = m.rid)")
is "... and every row's origin is in the histories" "$unexplained" 0
[ -n "${XCHG_KEEP:-}" ] && cp "$RC" "$RK" "$XCHG_KEEP"/
echo "1..$n"
