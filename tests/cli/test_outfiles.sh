#!/bin/sh
# Output files (exports, rejects files, the browser's :export): never the
# open register or its -wal/-shm/-journal, whatever name reaches it; devices,
# FIFOs, sockets and descriptors written in place, never replaced; regular
# files through an unpredictable temporary (mkstemp) in their folder, synced
# and renamed, keeping their mode, never world-writable.  And CSV/TSV cells
# a spreadsheet would run as formulas are guarded with an apostrophe, which
# an import takes off again (export -> import stays byte-exact).
# Issue 15, items 1, 2, 3 and 6.  Each check here fails on the code before.
. "$srcdir/tests/lib.sh"
R=$T/r.db
cp "$T/reg.db" "$R"
"$MINREG" -f "$R" set a11 4 remark=before >/dev/null   # WAL mode: -wal and -shm exist while open
cp "$R" "$T/r.before"
same_register() { cmp -s "$R" "$T/r.before" && echo same || echo changed; }
refused="is the open register or one of its files (-wal, -shm, -journal): output cannot be written there; nothing was written"

# ---- 1. never the register ---------------------------------------------------
run_minreg -f "$R" export a11 -o "$R"
is "export -o the register itself: refused, exit 2" "$rc" 2
is "... saying why" "$(cat "$T/err")" "minreg: $R $refused"
is "... the register's bytes unchanged" "$(same_register)" same
is "... and it still opens" "$("$MINREG" -f "$R" show a11 --format tsv | tail -n +2 | wc -l | tr -d ' ')" 10
ln -s r.db "$T/link.db"
run_minreg -f "$R" export a11 -o "$T/link.db"
is "... through a symbolic link: refused" "$rc/$(same_register)" 2/same
is "... the link left as it was" "$(readlink "$T/link.db")" r.db
ln "$R" "$T/hard.db"
run_minreg -f "$R" export a11 -o "$T/hard.db"
is "... through a hard link: refused" "$rc/$(same_register)" 2/same
rm -f "$T/hard.db"
mkdir -p "$T/sub"
(cd "$T/sub" && "$MINREG" -f ../r.db export a11 -o ./../r.db >/dev/null 2>&1; echo $? >"$T/rc")
is "... as ./../r.db from another folder: refused" "$(cat "$T/rc")/$(same_register)" 2/same
(cd "$T" && "$MINREG" -f r.db export a11 -o "$T/./r.db" >/dev/null 2>&1; echo $? >"$T/rc")
is "... a relative register and an absolute output: refused" "$(cat "$T/rc")/$(same_register)" 2/same
run_minreg -f "$R" export a11 -o "/proc/self/fd/3" 3<"$R"
is "... as /proc/self/fd/N open on it: refused" "$rc/$(same_register)" 2/same
for s in wal shm journal; do
    [ -e "$R-$s" ] && there=there || there="not there"
    run_minreg -f "$R" export a11 -o "$R-$s"
    is "... its -$s ($there now): refused" "$rc" 2
done
is "... no -journal made by the refusals" "$(ls "$T" | grep -c 'r.db-journal')" 0
is "... the register still unchanged" "$(same_register)" same
"$MINREG" -f "$R" export a11 >>"$R" 2>"$T/err"
is "... standard output appended to the register: refused" "$?/$(same_register)" 2/same
is "... saying why" "$(cat "$T/err")" "minreg: standard output $refused"
printf '序号,矿山名称,开采矿种,登记面积(平方公里)\n900,好矿,金矿,1.5\n901,坏矿,金矿,-3\n' >"$T/two.csv"
run_minreg -f "$R" import a11 "$T/two.csv" --skip-bad --rejects "$R"
is "import --rejects the register: refused" "$rc/$(same_register)" 2/same
is "... and the good row not written either" \
    "$("$MINREG" -f "$R" show a11 --where id=900 --format tsv | tail -n +2 | wc -l | tr -d ' ')" 0
run_minreg -f "$R" import a11 "$T/two.csv" --skip-bad --rejects "$R-wal"
is "import --rejects the register's -wal: refused" "$rc/$(same_register)" 2/same
# the browser's :export
printf ':a11<Enter>:export %s<Enter><dump>\n' "$R" >"$T/k.keys"
"$MINREG" -f "$R" --script "$T/k.keys" --size 200x12 >"$T/screen" 2>"$T/err"
is ":export onto the register: the script runs" "$?" 0
grep -q "$refused" "$T/screen"
is "... the message line says why" "$?" 0
is "... the register's bytes unchanged" "$(same_register)" same
printf ':a11<Enter>:export %s<Enter><dump>\n' "$T/link.db" >"$T/k.keys"
"$MINREG" -f "$R" --script "$T/k.keys" --size 200x12 >"$T/screen" 2>"$T/err"
is ":export onto a link to it: refused too" "$(grep -c "$refused" "$T/screen")/$(same_register)" 1/same

# ---- 2. devices, FIFOs, sockets and descriptors: written in place ----------
mkfifo "$T/fifo"
# (bounded: a FIFO replaced by a file would leave its reader waiting)
(timeout 30 cat "$T/fifo" >"$T/fifo.out") &
reader=$!
run_minreg -f "$R" export a11 -o "$T/fifo"
wait "$reader"
is "export into a FIFO: exit 0" "$rc" 0
is "... its reader gets the rows" "$(wc -l <"$T/fifo.out" | tr -d ' ')" 11
[ -p "$T/fifo" ] && kind=fifo || kind="not a fifo"
is "... and the FIFO is still a FIFO" "$kind" fifo
"$MINREG" -f "$R" export a11 -o /proc/self/fd/1 2>"$T/err" | cat >"$T/fd.out"
is "export -o /proc/self/fd/1 into a pipe: the rows arrive" "$(wc -l <"$T/fd.out" | tr -d ' ')" 11
is "... exactly what -o - writes (no 'rows written' line among them)" \
    "$("$MINREG" -f "$R" export a11 | cmp -s - "$T/fd.out" && echo same)" same
is "... and nothing on standard error" "$(cat "$T/err")" ""
ln -s /proc/self/fd/1 "$T/stdout"   # what /dev/stdout is
"$MINREG" -f "$R" export a11 -o "$T/stdout" 2>"$T/err" | cat >"$T/fd.out"
is "export -o a link to /proc/self/fd/1: the rows arrive" "$(wc -l <"$T/fd.out" | tr -d ' ')" 11
is "... and the link is still a link" "$(readlink "$T/stdout")" /proc/self/fd/1
is "... no temporary left beside it" "$(ls "$T" | grep -c '^stdout.')" 0
if command -v python3 >/dev/null 2>&1; then
    python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)   # a socket replaced by a file would never be connected to
s.bind(sys.argv[1]); s.listen(1)
open(sys.argv[1] + ".ready", "w").close()
try:
    c, _ = s.accept()
except socket.timeout:
    sys.exit(1)
c.settimeout(30)
with open(sys.argv[2], "wb") as f:
    while True:
        b = c.recv(65536)
        if not b: break
        f.write(b)' "$T/sock" "$T/sock.out" &
    srv=$!
    i=0; while [ ! -e "$T/sock.ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    run_minreg -f "$R" export a11 -o "$T/sock"
    wait "$srv"
    is "export into a Unix socket: exit 0" "$rc" 0
    is "... the listener gets the rows" "$(wc -l <"$T/sock.out" | tr -d ' ')" 11
    [ -S "$T/sock" ] && kind=socket || kind="not a socket"
    is "... and the socket is still a socket" "$kind" socket
else
    ok "# SKIP python3 (to listen on a Unix socket) not available"
fi
# Device nodes: never on the machine's own /dev (as root, an export that
# replaced /dev/null would break it).  In a private mount namespace: as
# root, a tmpfs with real device nodes made by mknod; otherwise (a user
# namespace cannot mknod) /dev/full and /dev/null bind-mounted onto files.
mkdir -p "$T/dev"
cat >"$T/devices.sh" <<'EOS'
M=$1 D=$2 R=$3 how=$4
if [ "$how" = mknod ]; then
    mount -t tmpfs tmpfs "$D" && mknod "$D/full" c 1 7 && mknod "$D/null" c 1 3 || exit 9
else
    : >"$D/full"; : >"$D/null"
    mount --bind /dev/full "$D/full" && mount --bind /dev/null "$D/null" || exit 9
fi
for d in full null; do
    "$M" -f "$R" export a11 -o "$D/$d" >"$D.$d.out" 2>"$D.$d.err"
    echo $? >"$D.$d.rc"
    stat -c %F "$D/$d" >"$D.$d.kind"
done
"$M" -f "$R" import a11 "${R%/*}/two.csv" --dry-run --skip-bad --rejects "$D/full" >/dev/null 2>"$D.rej.err"
echo $? >"$D.rej.rc"
stat -c %F "$D/full" >"$D.rej.kind"
ls -a "$D" | grep -c tmp >"$D.leftover"
EOS
how=""
if [ "$(id -u)" -eq 0 ] && unshare -m sh -c 'mount -t tmpfs tmpfs "$0" && mknod "$0/x" c 1 3' "$T/dev" 2>/dev/null; then
    how=mknod; ns="unshare -m"
elif unshare -rm sh -c ': >"$0/x" && mount --bind /dev/null "$0/x"' "$T/dev" 2>/dev/null; then
    how=bind; ns="unshare -rm"
fi
rm -f "$T/dev/x"
if [ -n "$how" ]; then
    $ns sh "$T/devices.sh" "$MINREG" "$T/dev" "$R" "$how"
    is "export -o /dev/full ($how in a mount namespace): exit 5" "$(cat "$T/dev.full.rc")" 5
    is "... saying the device is full" "$(cat "$T/dev.full.err")" \
        "minreg: $T/dev/full: No space left on device"
    is "... and it is still a device" "$(cat "$T/dev.full.kind")" "character special file"
    is "export -o /dev/null: exit 0" "$(cat "$T/dev.null.rc")" 0
    is "... and it is still a device" "$(cat "$T/dev.null.kind")" "character special file"
    is "import --rejects /dev/full: exit 5" "$(cat "$T/dev.rej.rc")" 5
    is "... and it is still a device" "$(cat "$T/dev.rej.kind")" "character special file"
    is "no temporary was made beside the devices" "$(cat "$T/dev.leftover")" 0
else
    ok "# SKIP cannot make a private mount namespace here (unshare -m / -rm)"
fi

# ---- 3. the temporary: unpredictable, beside the file, synced; the mode -----
echo "not to be touched" >"$T/victim"
# exec keeps the PID: the old name (FILE.tmpPID) is known in advance
sh -c 'ln -s "$1/victim" "$1/planted.csv.tmp$$"; exec "$2" -f "$3" export a11 -o "$1/planted.csv"' \
    sh "$T" "$MINREG" "$R" >/dev/null 2>"$T/err"
is "a link planted at the old temporary name: the export works" "$?" 0
is "... the link's target is not written" "$(cat "$T/victim")" "not to be touched"
is "... and the export is a regular file with the rows" \
    "$(stat -c %F "$T/planted.csv") $(wc -l <"$T/planted.csv" | tr -d ' ')" "regular file 11"
rm -f "$T"/planted.csv.tmp*
(umask 000; "$MINREG" -f "$R" export a11 -o "$T/new.csv") >/dev/null 2>&1
is "a new export with umask 000 is not world-writable (0664)" "$(stat -c %a "$T/new.csv")" 664
(umask 022; "$MINREG" -f "$R" export a11 -o "$T/new2.csv") >/dev/null 2>&1
is "... with umask 022: 0644" "$(stat -c %a "$T/new2.csv")" 644
echo old >"$T/kept.csv"; chmod 0640 "$T/kept.csv"
(umask 000; "$MINREG" -f "$R" export a11 -o "$T/kept.csv") >/dev/null 2>&1
is "an existing file keeps its mode (0640)" "$(stat -c %a "$T/kept.csv") $(wc -l <"$T/kept.csv" | tr -d ' ')" "640 11"
echo old >"$T/open.csv"; chmod 0666 "$T/open.csv"
"$MINREG" -f "$R" export a11 -o "$T/open.csv" >/dev/null 2>&1
is "... but never writable by others (0666 -> 0664)" "$(stat -c %a "$T/open.csv")" 664
(umask 000; "$MINREG" -f "$R" import a11 "$T/two.csv" --dry-run --skip-bad --rejects "$T/rej.csv") >/dev/null 2>&1
is "a rejects file with umask 000: 0664" "$(stat -c %a "$T/rej.csv")" 664
ln -s kept.csv "$T/to-kept.csv"
"$MINREG" -f "$R" export a11 --where id=1 -o "$T/to-kept.csv" >/dev/null 2>&1
is "a symbolic link at the name is replaced, not followed" \
    "$(stat -c %F "$T/to-kept.csv") $(wc -l <"$T/kept.csv" | tr -d ' ')" "regular file 11"
mkdir "$T/adir"
run_minreg -f "$R" export a11 -o "$T/adir"
is "a folder is refused, exit 5" "$rc $(cat "$T/err")" "5 minreg: $T/adir: Is a directory"
is "no temporary is ever left behind" "$(ls "$T" | grep '\.tmp')" ""
if [ "${MINREG_VALGRIND:-}" != 1 ] && strace -f -o /dev/null true 2>/dev/null; then
    strace -f -qq -o "$T/trace" -e trace=openat,fsync,rename \
        "$MINREG" -f "$R" export a11 -o "$T/traced.csv" >/dev/null 2>&1
    tmpname=$(grep 'openat(.*traced.csv.tmp.*O_EXCL' "$T/trace" | sed 's/^[^"]*"\([^"]*\)".*/\1/' | head -1)
    case $tmpname in
    "$T"/traced.csv.tmp??????) ok "the temporary is made with O_EXCL, in the file's folder, with a random name";;
    *) not_ok "the temporary is made with O_EXCL, in the file's folder, with a random name"
       grep 'traced' "$T/trace" | sed 's/^/#   /';;
    esac
    order=$(grep -E '^[0-9]+ +(fsync|rename)\(' "$T/trace" | sed 's/^[0-9]* *\([a-z]*\)(.*/\1/' | tr '\n' ' ')
    is "... synced before it is renamed into place (then its folder)" "$order" "fsync rename fsync "
else
    ok "# SKIP strace not available (or under valgrind)"
fi

# ---- 6. cells a spreadsheet would run -----------------------------------------
C=$T/c.db
cp "$T/reg.db" "$C"
set_remark() { "$MINREG" -f "$C" set a11 "$1" "remark=$2" >/dev/null; }
set_remark 1 '=HYPERLINK("http://x","y")'
set_remark 2 "@SUM(1+1)*cmd|' /C calc'!A0"
set_remark 3 '+1+cmd'
set_remark 4 '-2+3'
set_remark 5 "$(printf '\t=1')"
set_remark 6 "$(printf '\r=1')"
set_remark 7 "'=already"
set_remark 8 "''@twice"
set_remark 9 "'plain"
"$MINREG" -f "$C" set a11 10 remark=-abc elev_bottom=-1.5 elev_top=+2 >/dev/null
"$MINREG" -f "$C" export a11 --header ids --columns id,remark,elev_top,elev_bottom -o "$T/x.csv" >/dev/null
printf '%s\n' 'id,remark,elev_top,elev_bottom' \
    "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",," \
    "2,'@SUM(1+1)*cmd|' /C calc'!A0,," \
    "3,'+1+cmd,," "4,'-2+3,," "5,'$(printf '\t')=1,," "6,\"'$(printf '\r')=1\",," \
    "7,''=already,," "8,'''@twice,," "9,'plain,," "10,'-abc,2,-1.5" >"$T/x.want"
cmp -s "$T/x.csv" "$T/x.want"
is "export: = + - @ TAB CR cells get an apostrophe, valid numbers in number columns do not" "$?" 0
[ -f "$T/x.want" ] && ! cmp -s "$T/x.csv" "$T/x.want" && diff "$T/x.want" "$T/x.csv" | cat -A | sed 's/^/#   /'
"$MINREG" -f "$C" export a11 --header ids --columns id,remark --raw-cells -o "$T/raw.csv" >/dev/null
is "export --raw-cells: the cells as they are" "$(sed -n 2p "$T/raw.csv")" '1,"=HYPERLINK(""http://x"",""y"")"'
# the round trip: export -> import -> export, byte for byte
"$MINREG" -f "$C" export a11 -o "$T/all.csv" >/dev/null
cp "$C" "$T/c2.db"
"$MINREG" -f "$T/c2.db" import a11 "$T/all.csv" --replace >/dev/null 2>&1
is "export -> import: every value back as it was (apostrophes, TAB, CR included)" \
    "$(sqlite3 "$T/c2.db" 'SELECT group_concat(quote(remark), "|") FROM mining_permits')" \
    "$(sqlite3 "$C" 'SELECT group_concat(quote(remark), "|") FROM mining_permits')"
"$MINREG" -f "$T/c2.db" export a11 -o "$T/all2.csv" >/dev/null
cmp -s "$T/all.csv" "$T/all2.csv"
is "... and export again gives the same bytes" "$?" 0
"$MINREG" -f "$C" export a11 --raw-cells -o "$T/allraw.csv" >/dev/null
cp "$C" "$T/c3.db"
"$MINREG" -f "$T/c3.db" import a11 "$T/allraw.csv" --replace --raw-cells >/dev/null 2>&1
is "export --raw-cells -> import --raw-cells round-trips too" \
    "$(sqlite3 "$T/c3.db" 'SELECT group_concat(quote(remark), "|") FROM mining_permits')" \
    "$(sqlite3 "$C" 'SELECT group_concat(quote(remark), "|") FROM mining_permits')"
# import takes off only the apostrophe an export adds
printf '序号,矿山名称,开采矿种,登记面积(平方公里),备注\n901,甲,金矿,1,%s\n902,乙,金矿,1,%s\n903,丙,金矿,1,%s\n904,丁,金矿,1,%s\n' "'=1+1" "'abc" "''=x" "'" >"$T/hand.csv"
cp "$T/reg.db" "$T/h.db"
"$MINREG" -f "$T/h.db" import a11 "$T/hand.csv" >/dev/null 2>&1
is "import: '= loses its apostrophe, 'abc and ' keep theirs, ''=x loses one" \
    "$(sqlite3 "$T/h.db" 'SELECT group_concat(remark, "|") FROM mining_permits WHERE id > 900')" \
    "=1+1|'abc|'=x|'"
cp "$T/reg.db" "$T/h.db"
"$MINREG" -f "$T/h.db" import a11 "$T/hand.csv" --raw-cells >/dev/null 2>&1
is "import --raw-cells keeps them all" \
    "$(sqlite3 "$T/h.db" 'SELECT group_concat(remark, "|") FROM mining_permits WHERE id > 900')" \
    "'=1+1|'abc|''=x|'"
# every other CSV and TSV output
"$MINREG" -f "$C" show a11 --columns id,remark,elev_bottom --format csv --where id=1 >"$T/out"
is "show --format csv: guarded" "$(tail -1 "$T/out")" "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
"$MINREG" -f "$C" show a11 --columns id,remark,elev_bottom --format tsv --where id=10 >"$T/out"
is "show --format tsv: guarded, the number left alone" "$(tail -1 "$T/out")" "$(printf "10\t'-abc\t-1.5")"
"$MINREG" -f "$C" show a11 --columns id,remark --format csv --where id=2 --raw-cells >"$T/out"
is "show --raw-cells: raw" "$(tail -1 "$T/out")" "2,@SUM(1+1)*cmd|' /C calc'!A0"
"$MINREG" -f "$C" log a11 1 --format csv >"$T/out"
grep -q ",\"'=HYPERLINK" "$T/out"
is "log --format csv: guarded" "$?" 0
"$MINREG" -f "$C" grep HYPERLINK --format tsv >"$T/out"
is "grep --format tsv: guarded" "$(cut -f 4 "$T/out")" "'=HYPERLINK(\"http://x\",\"y\")"
cp "$T/reg.db" "$T/k.db"
sqlite3 "$T/k.db" "UPDATE exploration_areas SET code = '=1+1' WHERE rowid = (SELECT min(rowid) FROM exploration_areas);
    UPDATE mining_permits SET district = '@cmd' WHERE id = 2"
"$MINREG" -f "$T/k.db" check a2 --format csv >"$T/out"
is "check --format csv: a key cell guarded" "$(grep -c "^error,R-FORMAT,[^,]*,exploration_areas,'=1+1," "$T/out")" 1
"$MINREG" -f "$T/k.db" report summary --format csv >"$T/out"
is "report summary --format csv: a district cell guarded" "$(grep -c "^Mining permits at the base period,'@cmd," "$T/out")" 1
# the rejects file: guarded cells, fixed and imported back as they were
printf '序号,矿山名称,开采矿种,开采标高下限(米),登记面积(平方公里),备注\n905,=BAD(),金矿,-1.5,-3,@x\n' >"$T/bad.csv"
cp "$T/reg.db" "$T/j.db"
"$MINREG" -f "$T/j.db" import a11 "$T/bad.csv" --skip-bad --rejects "$T/rej2.csv" >/dev/null 2>&1
is "rejects file: text guarded, the valid number left alone" \
    "$(sed -n 2p "$T/rej2.csv" | cut -d, -f1-6)" "905,'=BAD(),金矿,-1.5,-3,'@x"
sed 's/,-3,/,3,/' "$T/rej2.csv" >"$T/fixed.csv"
"$MINREG" -f "$T/j.db" import a11 "$T/fixed.csv" >/dev/null 2>&1
is "... fixed and imported: the values as they were in the first file" \
    "$(sqlite3 "$T/j.db" "SELECT mine_name || '|' || remark || '|' || elev_bottom FROM mining_permits WHERE id = 905")" \
    "=BAD()|@x|-1.5"
# the browser's :export is guarded the same way
printf ':a11<Enter>:export %s<Enter><dump>\n' "$T/tui.csv" >"$T/k.keys"
"$MINREG" -f "$C" --script "$T/k.keys" --size 200x12 >/dev/null 2>&1
grep -q "^1,.*,\"'=HYPERLINK" "$T/tui.csv"
is ":export: guarded" "$?" 0
done_testing
