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
# one write path: the writes of register rows and of the audit trail
# (db_write.h) are used by the db layer and the change object only
inc=$(grep -lE '#[[:space:]]*include[[:space:]]*"db_(write|int)\.h"' \
      "$srcdir"/src/*/*.c "$srcdir"/src/*/*.h "$srcdir"/src/*.c 2>/dev/null |
      grep -vE '/src/core/(db_[a-z_]+\.[ch]|db\.c|change\.c)$')
if [ -z "$inc" ]; then ok "only the db layer and change.c include db_write.h / db_int.h"
else notok "outside the db layer and change.c, these include db_write.h or db_int.h: $inc"; fi
writers='db_row_insert|db_row_update|db_row_delete|db_audit_rows|db_audit_add|db_audit_added|db_delete_all|db_change_add|db_change_set_undone|db_sums_add|db_sums_rows|db_inserter_new|db_insert'
use=$(grep -lwE "($writers)" "$srcdir"/src/*/*.c "$srcdir"/src/*/*.h "$srcdir"/src/*.c \
      2>/dev/null |
      grep -vE '/src/core/(db_[a-z_]+\.[ch]|db\.[ch]|change\.c)$')
if [ -z "$use" ]; then ok "no module outside the db layer and change.c writes rows or audit rows"
else notok "these write rows or audit rows past the change object: $use"; fi
echo "1..$n"
