#!/bin/sh
# Files: a register and the -wal and -shm files beside it never get world
# permissions, whatever the umask (the register's own mode on init is also
# tested in test_init.sh); and minreg never runs a shell or another program
# (so no data can reach a command line): no system(), popen(), exec*(),
# posix_spawn(), fork() or wordexp() in the sources nor in the binary.
. "$srcdir/tests/lib.sh"
USER=clerk; export USER

world() { stat -c %a "$1" | grep -q '[1-7]$' && echo "world $(stat -c %a "$1")" || echo none; }

(umask 000; "$MINREG" init "$T/open.db") >/dev/null 2>&1
is "init with umask 000: no world permissions on the register" "$(world "$T/open.db")" none
is "... it is 0660 (owner and group)" "$(stat -c %a "$T/open.db")" 660

# -wal and -shm exist while a register is open and are removed when the
# last connection closes: kill a write at its first unlink (strace), which
# leaves both behind as a crash would, and look at them
if [ "${MINREG_VALGRIND:-}" = 1 ]; then
    ok "# SKIP under valgrind the injected fault would hit valgrind's own files"
elif strace -f -o /dev/null -e inject=unlink:signal=KILL:when=1 true 2>/dev/null; then
    # (a first write turns the register to WAL mode; in WAL mode the first
    # unlink of a write is the -shm's at close)
    (umask 000; "$MINREG" -f "$T/open.db" set a11 5 remark=y) >/dev/null 2>&1
    ( umask 000; strace -f -qq -o /dev/null -e trace=unlink -e inject=unlink:signal=KILL:when=1 \
        "$MINREG" -f "$T/open.db" set a11 4 remark=x >/dev/null 2>&1; : ) 2>/dev/null
    for f in wal shm; do
        if [ -e "$T/open.db-$f" ]; then
            is "-$f made by a write with umask 000: no world permissions" "$(world "$T/open.db-$f")" none
        else
            not_ok "-$f made by a write with umask 000 is there to look at"
        fi
    done
    is "... and the write it made is whole (committed before the close)" \
        "$("$MINREG" -f "$T/open.db" show a11 --where id=4 --columns remark --format tsv | tail -1)" x
    (umask 077; "$MINREG" init "$T/private.db" && "$MINREG" -f "$T/private.db" set a11 5 remark=y &&
        strace -f -qq -o /dev/null -e trace=unlink \
        -e inject=unlink:signal=KILL:when=1 "$MINREG" -f "$T/private.db" set a11 4 remark=x; : ) >/dev/null 2>&1
    is "with umask 077 the -wal and -shm are the owner's only" \
        "$(stat -c %a "$T/private.db" "$T/private.db-wal" "$T/private.db-shm" 2>&1 | tr '\n' ' ')" "600 600 600 "
else
    ok "# SKIP strace with fault injection is not available"
fi

# no program is ever run: not in the sources...
hits=$(grep -rnE '\b(system|popen|execl|execlp|execle|execv|execvp|execvpe|fexecve|posix_spawnp?|wordexp|fork|vfork)[[:space:]]*\(' \
    "$srcdir/src" --include='*.c' --include='*.h')
is "no system/popen/exec*/posix_spawn/fork/wordexp call in src/" "$hits" ""
# ...nor linked into the binary (a call hidden behind a macro or a helper)
# (a sanitizer runtime linked in imports fork and exec for its symbolizer)
if command -v nm >/dev/null 2>&1 && nm -D "$MINREG" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
    ok "# SKIP the binary links a sanitizer runtime"
elif command -v nm >/dev/null 2>&1; then
    syms=$(nm -D "$MINREG" 2>/dev/null | awk '$1 == "U" { print $2 } $2 == "U" { print $3 }' |
        sed 's/@.*//' | grep -xE 'system|popen|execl|execlp|execle|execv|execvp|execvpe|fexecve|posix_spawnp?|wordexp|fork|vfork')
    is "the binary imports none of them" "$syms" ""
else
    ok "# SKIP nm not available"
fi
done_testing
