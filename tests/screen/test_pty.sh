#!/bin/sh
# The browser in a real pseudo-terminal (util-linux script(1)): it starts,
# draws, and leaves the terminal as it found it — on Q, and when the link
# drops (SIGHUP) or it is told to stop (SIGTERM, SIGINT).
. "$srcdir/tests/lib.sh"
if ! command -v script >/dev/null 2>&1; then
    ok "# SKIP script(1) not available"; done_testing; exit 0
fi
TERM=xterm-256color; export TERM
smcup=$(printf '\033[?1049h') rmcup=$(printf '\033[?1049l')

# restored LOG: did the program leave the alternate screen after entering it?
restored() {
    awk -v on="$smcup" -v off="$rmcup" '{ s = s $0 "\n" } END {
        i = index(s, on); if (!i) { print "no"; exit }
        rest = substr(s, i); print (index(rest, off) ? "yes" : "no") }' "$1"
}

printf 'jj\rqQ' | timeout 30 script -qec "exec $MINREG" "$T/log" >/dev/null 2>&1
is "starts, draws and quits with Q: exit 0" "$?" 0
grep -q 'Key exploration areas' "$T/log"
is "... it drew the register list in the terminal" "$?" 0
is "... and restored the terminal (left the alternate screen)" "$(restored "$T/log")" yes

# The browser in a terminal that stays open: script(1) reads the keys from a
# fifo held open on fd 3 and logs as it goes (-f).  "exec" makes minreg
# script's own child whatever shell script starts for -c ($SHELL may be
# unset, and dash forks for its last command): it is the process signalled.
# Every wait is bounded, so a browser that ignores a signal fails the test
# instead of hanging the suite.
start_pty() {
    rm -f "$T/fifo" "$T/log"
    mkfifo "$T/fifo"
    script -fqec "exec $MINREG" "$T/log" <"$T/fifo" >/dev/null 2>&1 &
    sp=$!
    exec 3>"$T/fifo"
    mp="" i=0
    while [ $i -lt 200 ] && [ -z "$mp" ]; do
        mp=$(pgrep -P "$sp" -x minreg) || sleep 0.05
        i=$((i + 1))
    done
}
# wait_log STRING: wait (at most 10 s) until the terminal has shown STRING
wait_log() {
    i=0
    while [ $i -lt 200 ] && ! grep -q "$1" "$T/log" 2>/dev/null; do
        sleep 0.05; i=$((i + 1))
    done
    grep -q "$1" "$T/log"
}
# running: is script still running (not a zombie waiting to be collected)?
running() {
    case $(ps -o stat= -p "$sp" 2>/dev/null) in ''|Z*) return 1 ;; esac
}
# stop_pty SECONDS: wait for script to end, its status in $st; after SECONDS
# it and the browser are killed (status 137 then, never a hang)
stop_pty() {
    i=0
    while [ $i -lt $(($1 * 20)) ] && running; do sleep 0.05; i=$((i + 1)); done
    running && kill -9 "$mp" "$sp" 2>/dev/null
    wait "$sp"
    st=$?
    exec 3>&-
}

# signals: wait for the first screen, then signal the browser
for sig in HUP TERM INT; do
    start_pty
    wait_log 'registers'
    is "SIG$sig: the browser is up and drew its first screen" "$?" 0
    [ -n "$mp" ] && kill -$sig "$mp"
    stop_pty 20
    case $sig in HUP) want=129;; TERM) want=143;; INT) want=130;; esac
    is "SIG$sig: exits with status $want" "$st" "$want"
    is "SIG$sig: the terminal is restored" "$(restored "$T/log")" yes
done
# a dropped link with a form open: nothing half-written, the file intact
start_pty
wait_log 'registers'   # keys only once the terminal is in cbreak mode (^U, \r raw)
printf ':a11\rjjjejjjjjjjjj\r\025-1\r' >&3    # a form open, a field changed, not saved
wait_log 'greater than 0'   # the value entered and checked: drawn once, after the rest
is "a form open, a field changed (the dropped-link test)" "$?" 0
[ -n "$mp" ] && kill -HUP "$mp"
stop_pty 20
is "SIGHUP with a form open: exit 129" "$st" 129
is "... the terminal is restored" "$(restored "$T/log")" yes
is "... nothing was written" "$("$MINREG" log --format tsv | tail -n +2 | wc -l)" 0
is "... the file passes integrity_check" "$(sqlite3 "$T/reg.db" 'PRAGMA integrity_check')" ok
# ... and what was typed is kept as a draft, for this register file and
# record, mode 0600 in a folder 0700 (written by the loop after the signal)
state=$HOME/.local/state/minreg
d=$(ls "$state"/*.draft 2>/dev/null)
is "... the form's input was kept as a draft of permit 4" "$(basename "${d:-none}" | sed 's/^[0-9a-f]*\.//')" mining_permits.4.draft
is "... mode 0600" "$(stat -c %a "$d" 2>/dev/null)" 600
is "... in a folder 0700" "$(stat -c %a "$state" 2>/dev/null)" 700
grep -q '^mine	area_km2	-1$' "$d" 2>/dev/null
is "... holding the value typed" "$?" 0
# SIGTERM while a value is half typed (its prompt open): kept as typed
rm -rf "$state"
start_pty
wait_log 'registers'   # keys only once the terminal is in cbreak mode (^U, \r raw)
printf ':a11\rjjjeGkkkkkkkkk\r\025备注草稿' >&3    # the remark's prompt open, not entered
wait_log '稿'   # typed last, drawn last
is "a value half typed (the SIGTERM test)" "$?" 0
[ -n "$mp" ] && kill -TERM "$mp"
stop_pty 20
is "SIGTERM with a form open: exit 143" "$st" 143
is "... the terminal is restored" "$(restored "$T/log")" yes
d=$(ls "$state"/*.draft 2>/dev/null)
grep -q '^mine	remark	备注草稿$' "$d" 2>/dev/null
is "... the half-typed value is in the draft" "$?" 0
is "... mode 0600" "$(stat -c %a "$d" 2>/dev/null)" 600
is "... nothing was written" "$("$MINREG" log --format tsv | tail -n +2 | wc -l)" 0
# the next time the clerk opens permit 4 the draft is offered; r recovers it
start_pty
wait_log 'registers'   # keys only once the terminal is in cbreak mode (^U, \r raw)
printf ':a11\rjjje' >&3
wait_log 'Draft of this record'
is "... offered when the record is opened again" "$?" 0
printf 'r' >&3
wait_log 'draft recovered'
is "... r recovers it" "$?" 0
printf 'wQ' >&3
stop_pty 20
is "... w saves it: exit 0" "$st" 0
is "... the recovered value is saved" "$("$MINREG" show a11 --where id=4 --columns remark --format tsv | tail -1)" 备注草稿
is "... and its draft is gone" "$(ls "$state" | wc -l)" 0
rm -f "$T/reg.db-wal" "$T/reg.db-shm"; cp "$builddir/data/register.db" "$T/reg.db"   # as it was
# a dropped link while a save is waiting for another writer's lock: the
# save is given up at once (it must not go through later, unseen), nothing
# is written, and the other writer's change is kept.  Deterministic: the
# other writer holds the lock until told, the browser says it is waiting
# before the hangup is sent, and the lock is released only after it exits.
# (.timeout: the probe that waits for the lock holds it for an instant too.)
rm -f "$T/release"
sqlite3 "$T/reg.db" 'PRAGMA journal_mode = WAL' >/dev/null   # as any register once written
printf 'i=0; while [ ! -e "%s" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done\n' \
    "$T/release" >"$T/hold.sh"
sqlite3 "$T/reg.db" ".timeout 10000" "BEGIN IMMEDIATE; UPDATE districts SET level = '地级' WHERE code = '210600';" \
    ".shell sh $T/hold.sh" "COMMIT;" >/dev/null 2>&1 &
holder=$!
i=0
while [ $i -lt 200 ] && ! sqlite3 "$T/reg.db" "BEGIN IMMEDIATE; ROLLBACK;" 2>&1 | grep -q locked; do
    sleep 0.05; i=$((i + 1))
done
start_pty
wait_log 'registers'   # keys only once the terminal is in cbreak mode (^U, \r raw)
printf ':a11\rjjjejjjjjjjjj\r\0250.5\rw' >&3    # change a field and save
wait_log "waiting for another clerk"
is "save during another writer's lock: the browser says it is waiting" "$?" 0
[ -n "$mp" ] && kill -HUP "$mp"
i=0
while [ $i -lt 60 ] && running; do sleep 0.05; i=$((i + 1)); done
running
is "... SIGHUP: it stops waiting and exits while the lock is still held" "$?" 1
touch "$T/release"
stop_pty 20
wait $holder
is "... exit 129" "$st" 129
is "... the terminal is restored" "$(restored "$T/log")" yes
is "... the save was not written" "$("$MINREG" show a11 --where id=4 --columns area_km2 --format tsv | tail -1)" 0.3035
is "... nor audited" "$("$MINREG" log --format tsv | tail -n +2 | wc -l)" 0
is "... the other writer's change is there" "$(sqlite3 "$T/reg.db" "SELECT level FROM districts WHERE code = '210600'")" 地级
is "... the file passes integrity_check" "$(sqlite3 "$T/reg.db" 'PRAGMA integrity_check')" ok
# counts are idle work: at a real terminal the first screen shows them as
# "…" and, with no key pressed, fills them in (310 permits: the 10 bundled
# and 300 more, SYNTHETIC); G in the table before its count reads the last
# page from the end, and the count then gives its row number
cp "$T/reg.db" "$T/big.db"
d1=$(sqlite3 "$T/big.db" 'SELECT district FROM mining_permits ORDER BY id LIMIT 1')
awk -v d="$d1" 'BEGIN { print "id,mine_name,minerals,area_km2,district"
    for (i = 5001; i <= 5300; i++) printf "%d,测试矿%d,金矿,1.5,%s\n", i, i, d }' >"$T/big.csv"
"$MINREG" -f "$T/big.db" import mining_permits "$T/big.csv" >/dev/null
nd=$(sqlite3 "$T/big.db" "SELECT count(*) FROM mining_permits WHERE district = '$d1'")
MINREG_DB=$T/big.db; export MINREG_DB
start_pty
wait_log '310'
is "idle counts at a terminal: the home screen's count of 310 permits is filled in, no key pressed" "$?" 0
grep -q '…' "$T/log"
is "... after showing it pending (…)" "$?" 0
printf ':a11\r$hhhhhhhhhh=0G' >&3   # (ten columns left of the last: the district) = on the first permit's district: a view not counted yet; G
wait_log '测试矿5300'
is "... G in a view not counted yet shows its last row" "$?" 0
wait_log "$nd/$nd"
is "... and then its number ($nd/$nd), counted while no key was pressed" "$?" 0
printf 'Q' >&3
stop_pty 20
is "... Q: exit 0" "$st" 0
MINREG_DB=$T/reg.db; export MINREG_DB

# hostile data never reaches the terminal raw: open the register and the record
sqlite3 "$T/reg.db" "UPDATE exploration_areas SET name = 'A' || char(27) || ']0;pwned' || char(7) || 'B' || char(155) || '2J' || char(8238) || 'evil' WHERE code = 'KZ21060000001'"
printf ':a2\r/pwned\r\rQ' | timeout 30 script -qec "exec $MINREG" "$T/log" >/dev/null 2>&1
is "hostile data: the browser runs and quits" "$?" 0
raw=$(od -An -tx1 -v "$T/log" | tr -s ' \n' '\n\n' | awk '
    { b[NR] = $1 }
    END { n = 0; for (i = 1; i <= NR; i++) {
        if (b[i] == "07") n++;                                          # BEL (ends an OSC)
        if (b[i] == "1b" && b[i+1] == "5d") n++;                        # ESC ] (OSC)
        if (b[i] == "c2" && b[i+1] == "9b") n++;                        # C1 CSI
        if (b[i] == "e2" && b[i+1] == "80" && b[i+2] == "ae") n++ }     # RLO
      print n }')
is "... no OSC, BEL, C1 or bidi override reached the terminal" "$raw" 0
grep -q 'A\\e\]0;pwned\\x07B' "$T/log"
is "... the name was shown escaped" "$?" 0
# PuTTY's default sequences under TERM=xterm (whose description has other
# ones): End (\e[4~) and F1 (\e[11~) on the register list neither quit nor
# read as Esc and letters; F1 opens help; Home (\e[1~) in a table moves to
# the first row instead of going back to the register list
TERM=xterm; export TERM
start_pty
wait_log 'registers'
printf '\033[4~\033[11~' >&3
wait_log 'keys and commands'
is "PuTTY F1 (\\e[11~) after End (\\e[4~) on the register list opens help" "$?" 0
running
is "... and the browser is still running" "$?" 0
printf 'q:a11\rG\033[1~' >&3
printf '\033[2~\033[3~\033[5~\033[6~\033[7~\033[8~\033[24~\033[[A' >&3
printf 'qQ' >&3
stop_pty 20
is "Home, Ins, Del, PgUp, PgDn, rxvt Home/End, F12, console F1 in a table, then q Q: exit 0 (nothing quit early)" "$st" 0
grep -q 'Mining permits at the base period' "$T/log"
is "... the table was open" "$?" 0
# ... and at a prompt: ← as a terminal in the cursor keys' normal mode
# sends it (\e[D, which TERM=xterm's description does not have) moves the
# cursor instead of cancelling, so ":2", ←, "a" is ":a2" and opens 附表2;
# PuTTY's Home (\e[1~) and End (\e[4~) edit too: ":" "xploration_permits",
# Home, "e", End is ":exploration_permits".  Which register opened: the
# rows :export writes from it.
# wait_file FILE: wait (at most 10 s) until FILE is there
wait_file() {
    i=0
    while [ $i -lt 200 ] && [ ! -s "$1" ]; do sleep 0.05; i=$((i + 1)); done
}
start_pty
wait_log 'registers'
printf ':2\033[Da\r:export ~/a.csv\r' >&3
wait_file "$HOME/a.csv"
grep -q 'KZ21060000001' "$HOME/a.csv" 2>/dev/null
is "a prompt under TERM=xterm: ESC [ D moves left (:2 <- a opens a2)" "$?" 0
printf 'H:xploration_permits\033[1~e\033[4~\r:export ~/b.csv\r' >&3
wait_file "$HOME/b.csv"
grep -q '于家堡地区金矿详查' "$HOME/b.csv" 2>/dev/null
is "... PuTTY's Home and End edit the line (:exploration_permits opens)" "$?" 0
printf 'Q' >&3
stop_pty 20
is "... Q: exit 0" "$st" 0
rm -f "$HOME/a.csv" "$HOME/b.csv"
TERM=xterm-256color; export TERM
done_testing
