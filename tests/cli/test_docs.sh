#!/bin/sh
# The documentation says what the program does: the man page's key list is
# the action table's, every command is documented, the README's commands run.
. "$srcdir/tests/lib.sh"
MAN=$srcdir/man/minreg.1

sed -n '/^\.\\" keys-begin/,/^\.\\" keys-end/p' "$MAN" | sed '1d;$d' >"$T/man-keys"
"$MINREG" --keys-roff >"$T/keys"
if cmp -s "$T/man-keys" "$T/keys"; then ok "man page KEYS = the action table"; else
    not_ok "man page KEYS = the action table (make update-man-keys)"; diff "$T/man-keys" "$T/keys" | head | sed 's/^/#   /'; fi
for cmd in $("$MINREG" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }'); do
    grep -q "^\.B $cmd\b\|^\.B $cmd$\|^\.B $cmd \\\\" "$MAN"
    is "man page documents '$cmd'" "$?" 0
done
grep -q -- '<!-- test-command -->' "$srcdir/README.md"
is "README marks its test command for .ci/run" "$?" 0
# one word for "change" in the Chinese interface (#20): 修改, never 变更
is "zh_CN.po: 修改 for change, no 变更 in any translation" \
   "$(awk '/^msgstr/ { m = 1 } /^msgid/ { m = 0 } m && /变更/' "$srcdir/po/zh_CN.po" | wc -l)" 0
done_testing
