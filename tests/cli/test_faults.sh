#!/bin/sh
# Faults: a full disk (a file size limit, and a small tmpfs), a read-only
# file, folder and file system, a damaged register.  Each must give a clear
# message and a non-zero exit, and lose nothing: what was committed before
# is all there, the file passes integrity_check, refused writes leave its
# bytes as they were.
#
# Covered elsewhere: a register locked by another writer past the busy
# timeout (test_edit.sh), a file that is not SQLite, an SQLite file that is
# not a register, a register from a newer schema version (test_init.sh).
# A full disk during an import: test_crash_import.sh.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER

# counts FILE: rows of every register and of the audit trail, one line
counts() {
    printf '%sc %sa' "$(sqlite3 "$1" 'SELECT count(*) FROM minreg_changes')" \
        "$(sqlite3 "$1" 'SELECT count(*) FROM minreg_audit')"
    for t in $(sqlite3 "$1" 'SELECT id FROM minreg_tables ORDER BY ord'); do
        printf ' %s=%s' "$t" "$(sqlite3 "$1" "SELECT count(*) FROM \"$t\"")"
    done
}
integrity() { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1; }
add_permit() {   # add_permit FILE NAME [LIMIT_BYTES]: one audited add, limited
    if [ -n "${3:-}" ]; then set -- "$1" "$2" prlimit --fsize="$3"; else set -- "$1" "$2"; fi
    f=$1 name=$2; shift 2
    "$@" "$MINREG" -f "$f" add mining_permits mine_name="$name" minerals=金矿 area_km2=1.5 \
        district=振安区 >"$T/out" 2>"$T/err"
}

# ---- disk full: a file size limit (RLIMIT_FSIZE), crossed in the middle of a write
if command -v prlimit >/dev/null 2>&1; then
    prlimit --fsize=100000 "$MINREG" init "$T/big.db" >"$T/out" 2>"$T/err"
    rc=$?
    is "init past a file size limit: exit 5 (not killed by SIGXFSZ)" "$rc" 5
    is "... saying which file and why" "$(cat "$T/err")" \
        "minreg: $T/big.db: cannot write: disk I/O error (a file size limit of 100000 bytes is set: ulimit -f)"
    is "... leaving nothing behind" "$(ls "$T" | grep -c big)" 0

    # a register grown until an add crosses the limit: every add before it
    # is there and audited, the failed one left no trace, the file is sound
    cp "$T/reg.db" "$T/full.db"
    before=$(counts "$T/full.db")
    limit=$(($(wc -c <"$T/full.db") + 65536))
    i=0
    while [ $i -lt 400 ] && add_permit "$T/full.db" "full-$i" $limit; do i=$((i + 1)); done
    rc=$(add_permit "$T/full.db" "full-x" $limit; echo $?)
    if [ $i -gt 0 ] && [ $i -lt 400 ]; then ok "an add crosses the limit after $i adds"; else
        not_ok "an add crosses the limit (i=$i)"; fi
    is "... exit 5, and again on the next try" "$rc" 5
    grep -q 'could not write the change, nothing was written: disk I/O error (a file size limit of' "$T/err"
    is "... saying nothing was written and why" "$?" 0
    is "... the file passes integrity_check" "$(integrity "$T/full.db")" ok
    is "... every add before it is there, none after" \
        "$(sqlite3 "$T/full.db" "SELECT count(*) FROM mining_permits WHERE mine_name LIKE 'full-%'")" $i
    is "... each audited once" \
        "$(sqlite3 "$T/full.db" "SELECT count(*) FROM minreg_changes WHERE kind = 'add'")" $i
    want=$(echo "$before" | sed "s/^0c 0a/${i}c ${i}a/; s/mining_permits=10/mining_permits=$((10 + i))/")
    is "... no other register changed" "$(counts "$T/full.db")" "$want"
    add_permit "$T/full.db" "after"
    is "with the limit lifted, the register takes writes again" "$?" 0
    is "... and is sound" "$(integrity "$T/full.db")" ok
else
    ok "# SKIP prlimit(1) not available"
fi

# ---- disk full for real: a tmpfs 100 KiB larger than the register (a
# private mount namespace, through a user namespace when not root); SQLite
# gets ENOSPC
mkdir -p "$T/small"
SMALL=$(( $(wc -c <"$T/reg.db") / 1024 + 100 ))k
if unshare -rm sh -c 'mount -t tmpfs -o size=$1 tmpfs "$0"' "$T/small" "$SMALL" 2>/dev/null; then
    # everything runs inside the namespace: the tmpfs exists only there
    unshare -rm sh -c '
        M=$1 T=$2
        mount -t tmpfs -o size=$3 tmpfs "$T/small" || exit 9
        cp "$T/reg.db" "$T/small/r.db"
        i=0
        while [ $i -lt 400 ] && "$M" -f "$T/small/r.db" add mining_permits mine_name="full-$i" \
            minerals=金矿 area_km2=1.5 >/dev/null 2>"$T/enospc.err"; do i=$((i + 1)); done
        "$M" -f "$T/small/r.db" set a11 4 remark=over >/dev/null 2>>"$T/enospc.err"
        echo "$i $? $(sqlite3 "$T/small/r.db" "PRAGMA integrity_check;
            SELECT count(*) FROM mining_permits WHERE mine_name LIKE '"'"'full-%'"'"';
            SELECT count(*) FROM minreg_changes;
            SELECT remark = '"'"'over'"'"' FROM mining_permits WHERE id = 4" | tr "\n" " ")"
    ' sh "$MINREG" "$T" "$SMALL" >"$T/enospc.out" 2>&1
    read -r i st integ nrows nchanges over <"$T/enospc.out"
    if [ "${i:-0}" -lt 400 ]; then ok "a full file system stops an add after ${i:-?} adds"; else
        not_ok "a full file system stops an add"; sed 's/^/#   /' "$T/enospc.out"; fi
    is "... a set on the full disk exits 5" "${st:-}" 5
    is "... saying the disk is full" "$(grep -c 'nothing was written: database or disk is full' "$T/enospc.err")" 2
    is "... the file passes integrity_check" "${integ:-}" ok
    is "... every add before it is there and audited, the set is not" "${nrows:-}/${nchanges:-}/${over:-}" "$i/$i/0"
else
    ok "# SKIP cannot mount a tmpfs in a user namespace here"
fi

# ---- read-only file, folder and file system
# unpriv CMD...: run CMD where file modes apply.  Root ignores them, so as
# root CMD runs in a user namespace as uid 1000, to which root's files
# belong (their modes then apply); returns 125 when that is not possible.
unpriv() {
    if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
    unshare --user --map-user=1000 --map-group=1000 "$@"
}
run_unpriv() { unpriv "$MINREG" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
if unpriv sh -c 'test "$(id -u)" -ne 0' 2>/dev/null; then
    # a file that is not writable (-r itself is tested in test_edit.sh)
    cp "$T/reg.db" "$T/ro.db"
    chmod 0440 "$T/ro.db"
    cp "$T/ro.db" "$T/ro.before"
    run_unpriv -f "$T/ro.db" set a11 4 remark=x
    is "a file that is not writable: a write exits 4" "$rc" 4
    is "... saying why" "$(cat "$T/err")" \
        "minreg: $T/ro.db is open read-only (the file is not writable): nothing was changed"
    cmp -s "$T/ro.db" "$T/ro.before"
    is "... the file's bytes unchanged" "$?" 0
    run_unpriv -f "$T/ro.db" show a11 --format tsv
    is "... it can still be read" "$rc/$(tsv_rows)" 0/10
    is "... leaving no -wal or -shm" "$(ls "$T" | grep -c 'ro.db-')" 0

    # a writable file in a folder that is not: WAL needs to create the -wal
    # and -shm files beside it.  A fresh register (rollback-journal mode) and
    # one that was written before (WAL mode, which even a read needs -shm for)
    mkdir "$T/rodir"
    "$MINREG" init "$T/rodir/fresh.db" >/dev/null 2>&1
    cp "$T/reg.db" "$T/rodir/wal.db"
    "$MINREG" -f "$T/rodir/wal.db" set a11 4 remark=before >/dev/null
    is "(the second register is in WAL mode)" "$(sqlite3 "$T/rodir/wal.db" 'PRAGMA journal_mode')" wal
    chmod 0555 "$T/rodir"
    for f in fresh wal; do
        cp "$T/rodir/$f.db" "$T/$f.before"
        run_unpriv -f "$T/rodir/$f.db" set a11 4 remark=x
        is "read-only folder ($f): a write exits 4" "$rc" 4
        is "... saying why" "$(cat "$T/err")" \
            "minreg: $T/rodir/$f.db is open read-only (its folder is not writable, and a write needs to create the -wal and -shm files beside it): nothing was changed"
        cmp -s "$T/rodir/$f.db" "$T/$f.before"
        is "... the file's bytes unchanged" "$?" 0
        run_unpriv -f "$T/rodir/$f.db" show a11 --where id=4 --columns remark --format tsv
        is "... it can still be read" "$rc $(tail -1 "$T/out")" \
            "0 $(sqlite3 "$T/$f.before" 'SELECT remark FROM mining_permits WHERE id = 4')"
        run_unpriv -f "$T/rodir/$f.db" log --format tsv
        is "... with its audit trail" "$rc" 0
    done
    chmod 0755 "$T/rodir"
else
    ok "# SKIP cannot drop root's file permission override here (no user namespace)"
fi
# a read-only file system (a read-only bind mount in a private namespace):
# root cannot write there either
mkdir -p "$T/rofs"
cp "$T/reg.db" "$T/rofs/r.db"
"$MINREG" -f "$T/rofs/r.db" set a11 4 remark=before >/dev/null
cp "$T/rofs/r.db" "$T/rofs.before"
if unshare -rm sh -c 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0"' "$T/rofs" 2>/dev/null; then
    unshare -rm sh -c 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" &&
        "$@" -f "$0/r.db" set a11 4 remark=x >/dev/null 2>"$0.err"; echo $? >"$0.rc1"
        "$@" -f "$0/r.db" show a11 --where id=4 --columns remark --format tsv >"$0.out" 2>&1; echo $? >"$0.rc2"' \
        "$T/rofs" "$MINREG" 2>/dev/null
    is "a read-only file system: a write exits 4" "$(cat "$T/rofs.rc1")" 4
    grep -q 'open read-only (the file is not writable): nothing was changed' "$T/rofs.err"
    is "... saying why" "$?" 0
    is "... a WAL-mode register there can still be read" "$(cat "$T/rofs.rc2") $(tail -1 "$T/rofs.out")" "0 before"
    cmp -s "$T/rofs/r.db" "$T/rofs.before"
    is "... the file's bytes unchanged" "$?" 0
else
    ok "# SKIP cannot make a read-only bind mount here"
fi

# ---- damaged registers: a truncated file, a page of garbage in a register
# (the file in WAL mode first, so a writer's open changes no header byte)
head -c 100000 "$T/reg.db" >"$T/trunc.db"
cp "$T/trunc.db" "$T/trunc.before"
for cmd in tables "show a11" "set a11 4 remark=x"; do
    run_minreg -f "$T/trunc.db" $cmd
    is "a truncated register: $cmd exits 4" "$rc" 4
    is "... saying the file is damaged" "$(grep -c 'the register file is damaged' "$T/err")" 1
done
cmp -s "$T/trunc.db" "$T/trunc.before"
is "... the file's bytes unchanged" "$?" 0
cp "$T/reg.db" "$T/bad.db"
sqlite3 "$T/bad.db" 'PRAGMA journal_mode = WAL' >/dev/null
page=$(sqlite3 "$T/bad.db" "SELECT rootpage FROM sqlite_master WHERE name = 'national_areas'")
head -c 4096 /dev/zero | tr '\0' '\377' | dd of="$T/bad.db" bs=4096 seek=$((page - 1)) conv=notrunc 2>/dev/null
cp "$T/bad.db" "$T/bad.before"
# (report summary: its areas' total, db_sum, says the damage too, not "cannot read")
for cmd in "show a1" "get a1 GK21060000001" "set a1 GK21060000001 remark=x" "grep 金" "check" \
    "report summary" "add a1 code=GK21069999999 name=某矿区 minerals=金矿 area_km2=1.5"; do
    run_minreg -f "$T/bad.db" $cmd
    is "a damaged register: $cmd exits 4" "$rc" 4
    is "... saying the file is damaged (not 'no row' or a bad pattern)" \
        "$(cat "$T/err")" "minreg: $T/bad.db: the register file is damaged (SQLite found a malformed page): what was read may be incomplete; restore it from a backup"
done
cmp -s "$T/bad.db" "$T/bad.before"
is "... the file's bytes unchanged" "$?" 0
run_minreg -f "$T/bad.db" show a2 --format tsv
is "the undamaged registers of a damaged file can still be read" "$rc/$(tsv_rows)" 0/13
done_testing
