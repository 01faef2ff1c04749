#!/bin/sh
# test_layering.sh — the layering the build holds: src/core is a library
# with no curses in it (the CLI, the TUI and the unit tests link it), and
# Makefile.am compiles it without the curses flags.
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }

bad=$(grep -lE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*/)?(n?curses(w)?|ncursesw/[^>"]*|term|panel|menu|form)\.h[>"]' \
      "$srcdir"/src/core/*.c "$srcdir"/src/core/*.h 2>/dev/null)
if [ -z "$bad" ]; then ok "no src/core file includes a curses header"
else notok "src/core files include a curses header: $bad"; fi

if grep -E '^AM_CFLAGS[[:space:]]*=.*NCURSESW' "$srcdir/Makefile.am" >/dev/null; then
    notok "AM_CFLAGS (the core library's flags) has no curses flags"
else ok "AM_CFLAGS (the core library's flags) has no curses flags"; fi
if grep -E '^src_libminreg_a_CFLAGS.*NCURSESW' "$srcdir/Makefile.am" >/dev/null; then
    notok "src_libminreg_a_CFLAGS has no curses flags"
else ok "src_libminreg_a_CFLAGS has no curses flags"; fi
echo "1..$n"
