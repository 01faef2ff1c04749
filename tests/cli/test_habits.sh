#!/bin/sh
# CLI habits (#20): --help on every command, the global options anywhere on
# the line, and add printing the key it made.
. "$srcdir/tests/lib.sh"

# --help on every command, without a register, in both languages
for cmd in tables show get freq grep add set rm log undo redo report check verify import export init area; do
    MINREG_DB="$T/none/nowhere.db" run_minreg "$cmd" --help
    is "$cmd --help: exit 0" "$rc" 0
    is "... a usage on stdout naming the command" "$(grep -q "minreg $cmd" "$T/out" && echo yes)" yes
    is "... nothing on stderr" "$(cat "$T/err")" ""
done
run_minreg import --help
is "import --help: its whole usage" "$(head -1 "$T/out")" "usage: minreg import TABLE FILE [--replace|--upsert] [--dry-run]"
grep -q 'may come before or' "$T/out"
is "... and where the global options go" "$?" 0
run_minreg --lang zh add --help
is "add --help in Chinese" "$(head -1 "$T/out")" "用法：minreg add —— 新增记录：add 登记簿 列=值... [-m 备注]"
run_minreg set a11 4 remark=x -- --help
is "after --, --help is an argument, not a request for help" "$(grep -c '^usage' "$T/out")" 0

# global options anywhere
cp "$T/reg.db" "$T/other.db"
sqlite3 "$T/other.db" "UPDATE mining_permits SET mine_name = '另一个登记簿' WHERE id = 1"
run_minreg show a11 --lang zh --limit 1
is "show a11 --lang zh: accepted after the command (#20)" "$rc" 0
run_minreg get a11 1 --lang zh
is "get a11 1 --lang zh: in Chinese" "$(grep -c '^来源：$' "$T/out")" 1
run_minreg get a11 1 --lang=en
is "--lang=en after the command" "$(grep -c '^Source:$' "$T/out")" 1
run_minreg get a11 1 -f "$T/other.db"
is "-f FILE after the command opens that register" "$(head -1 "$T/out" | grep -c '另一个登记簿')" 1
run_minreg get a11 1 --file="$T/other.db" --lang zh
is "--file=FILE and --lang together, after the arguments" "$(grep -c '^来源：$' "$T/out")/$(head -1 "$T/out" | grep -c '另一个登记簿')" "1/1"
run_minreg set a11 1 remark=x --read-only -f "$T/other.db"
is "--read-only after the command: the write is refused (exit 4)" "$rc" 4
is "... nothing written" "$(sqlite3 "$T/other.db" "SELECT ifnull(remark, '') FROM mining_permits WHERE id = 1")" "采矿权（专栏九 序号2）"
run_minreg check -r
is "check -r is still check's --rules, not --read-only" "$(grep -c '^R-TOTAL-ROWS' "$T/out")" 1
run_minreg --lang zh get a11 1
is "before the command as ever" "$(grep -c '^来源：$' "$T/out")" 1
run_minreg show a11 --ascii --limit 1
is "--ascii after the command" "$rc" 0

# add prints the key it made
run_minreg add mining_permits mine_name=新矿 minerals=金矿 area_km2=1.5 district=振安区
is "add: the key the register assigned, then the change" "$(cat "$T/out")" "added mining_permits 11
change 1 recorded"
run_minreg --lang zh add exploration_blocks code=B1 name=乙 minerals=金矿 area_km2=1
is "... the key given, in Chinese" "$(cat "$T/out")" "已新增 exploration_blocks B1
已记录修改 2"
run_minreg get a11 11
is "... and the key names the new record" "$(head -1 "$T/out" | grep -c '新矿')" 1
done_testing
