#!/bin/sh
# CLI: tables, help, version, language.
. "$srcdir/tests/lib.sh"

run_minreg tables
is "tables exits 0" "$rc" 0
matches_file "tables lists every register with appendix, title and rows" tables_en.txt
run_minreg --lang zh tables
matches_file "tables in Chinese" tables_zh.txt
MINREG_LANG=zh run_minreg tables
matches_file "MINREG_LANG=zh chooses Chinese" tables_zh.txt
LC_ALL=C MINREG_LANG=zh run_minreg tables
matches_file "Chinese works under plain C locale" tables_zh.txt
run_minreg --help
is "--help exits 0" "$rc" 0
is "--help names every command" "$(grep -cE '^  (tables|show|get|init) ' "$T/out")" 4
run_minreg --version
is "--version" "$(cat "$T/out")" "minreg 0.1.0"
run_minreg frobnicate
is "unknown command exits 2" "$rc" 2
run_minreg --bogus
is "unknown option exits 2" "$rc" 2
done_testing
