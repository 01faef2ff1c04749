#!/bin/sh
# Soak: two writer processes each make N read-modify-write increments of
# one counter with --expect (retrying on a conflict), while a reader loops
# over show and get.  No update may be lost, the audit trail must hold
# exactly 2N changes of the counter, the file must pass integrity_check,
# and the reader must never fail nor see the counter go back.
# N = 150 in make check; MINREG_SOAK_FULL=1: N = 1000.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER
N=150
[ "${MINREG_SOAK_FULL:-}" = 1 ] && N=1000

"$MINREG" set a11 5 scale=1 -m start >/dev/null
start=$(sqlite3 "$T/reg.db" 'SELECT max(id) FROM minreg_changes')

cat >"$T/writer.sh" <<'EOF'
# writer.sh MINREG N NAME: N increments; prints "conflicts busy other" at the end
M=$1 n=$2 name=$3 done=0 conflicts=0 busy=0 other=0
nl='
'
while [ $done -lt "$n" ]; do
    cur=$("$M" show a11 --where id=5 --columns scale --format tsv)
    cur=${cur##*$nl}   # the value under the header
    "$M" set a11 5 scale=$((cur + 1)) --expect scale="$cur" -m "$name" >/dev/null 2>"$name.err"
    case $? in
    0) done=$((done + 1)) ;;
    6) conflicts=$((conflicts + 1)) ;;   # the other writer was first: read again
    4) busy=$((busy + 1)) ;;             # waited past the busy timeout
    *) other=$((other + 1)); cat "$name.err" >>"$name.log" ;;
    esac
done
echo "$conflicts $busy $other"
EOF
cat >"$T/reader.sh" <<'EOF'
# reader.sh MINREG STOPFILE: show and get until STOPFILE exists; prints
# "reads failures backwards"
M=$1 stop=$2 reads=0 failed=0 back=0 last=0
nl='
'
while [ ! -e "$stop" ]; do
    v=$("$M" show a11 --where id=5 --columns scale --format tsv 2>>"$stop.err") || failed=$((failed + 1))
    v=${v##*$nl}
    [ "$v" -lt "$last" ] 2>/dev/null && back=$((back + 1))
    last=$v
    "$M" get a11 5 >/dev/null 2>>"$stop.err" || failed=$((failed + 1))
    reads=$((reads + 2))
done
echo "$reads $failed $back"
EOF
t0=$(date +%s)
sh "$T/reader.sh" "$MINREG" "$T/stop" >"$T/r.out" &
rp=$!
sh "$T/writer.sh" "$MINREG" $N "$T/w1" >"$T/w1.out" &
w1=$!
sh "$T/writer.sh" "$MINREG" $N "$T/w2" >"$T/w2.out" &
w2=$!
wait $w1 $w2
touch "$T/stop"
wait $rp
t1=$(date +%s)
read -r c1 b1 o1 <"$T/w1.out"
read -r c2 b2 o2 <"$T/w2.out"
read -r reads rfail back <"$T/r.out"
echo "# $((2 * N)) increments in $((t1 - t0)) s; conflicts retried: $c1 + $c2; busy timeouts: $b1 + $b2; reads: $reads"

is "two writers x $N increments: no lost update" \
    "$("$MINREG" show a11 --where id=5 --columns scale --format tsv | tail -1)" $((1 + 2 * N))
is "... the audit trail holds exactly $((2 * N)) changes" \
    "$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_changes WHERE id > $start")" $((2 * N))
is "... each a change of the counter, $N by each writer" \
    "$(sqlite3 "$T/reg.db" "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM minreg_changes c
        JOIN minreg_audit a ON a.change_id = c.id
        WHERE c.id > $start AND a.tbl = 'mining_permits' AND a.row_id = 5 AND a.field = 'scale'
        GROUP BY c.comment ORDER BY c.comment)")" "$N $N"
is "... every change of the counter went up by one from the value before" \
    "$(sqlite3 "$T/reg.db" "SELECT count(*) FROM minreg_audit WHERE tbl = 'mining_permits' AND row_id = 5
        AND field = 'scale' AND change_id > $start AND CAST(new AS INTEGER) != CAST(old AS INTEGER) + 1")" 0
is "... the writers failed in no other way" "${o1:-?} ${o2:-?}" "0 0"
is "... integrity_check" "$(sqlite3 "$T/reg.db" 'PRAGMA integrity_check')" ok
if [ "${reads:-0}" -gt 0 ]; then ok "the reader read throughout ($reads reads)"; else not_ok "the reader read"; fi
is "... and never failed" "${rfail:-?}" 0
[ -s "$T/stop.err" ] && sed 's/^/#   /' "$T/stop.err" | head -5
is "... nor saw the counter go back" "${back:-?}" 0
done_testing
