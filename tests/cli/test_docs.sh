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
# every source with messages is in po/POTFILES, and every message has its
# Chinese (a message missing from zh_CN.po reaches a Chinese clerk in English)
missing=$(cd "$srcdir" && grep -l '_(' src/*/*.c src/main.c | while read -r f; do
    grep -qx "$f" po/POTFILES || echo "$f"; done)
is "po/POTFILES lists every source with messages" "$missing" ""
if command -v xgettext >/dev/null && command -v msgmerge >/dev/null && command -v msgattrib >/dev/null; then
    (cd "$srcdir" && xgettext --keyword=_ --keyword=N_ --keyword=_n:1,2 --from-code=UTF-8 \
        --package-name=minreg -o "$T/minreg.pot" -f po/POTFILES) 2>/dev/null
    msgmerge -q --no-fuzzy-matching "$srcdir/po/zh_CN.po" "$T/minreg.pot" -o "$T/merged.po"
    # (with the header entry, when there are any)
    untranslated=$(msgattrib --untranslated --no-obsolete "$T/merged.po" | grep -c '^msgid')
    [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
    is "zh_CN.po translates every message" "$untranslated" 0
else
    ok "zh_CN.po translates every message # SKIP needs gettext's xgettext, msgmerge, msgattrib"
fi
done_testing
