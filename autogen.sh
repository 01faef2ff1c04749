#!/bin/sh
# autogen.sh — prepare a fresh checkout for ./configure.
#
#   ./autogen.sh          regenerate the build system (autoreconf -fi)
#   ./autogen.sh --deps   first install the Debian/Ubuntu packages minreg needs
#                         (apt-get, as root or through sudo), then regenerate
#   ./autogen.sh --bench-deps   the same plus what tests/bench/run compares
#                         with and measures by (VisiData, GNU time, valgrind,
#                         the SpatiaLite CLI)
#
# The package list below is the single list of build dependencies; .ci/run and
# the README's quick start both come through here, so a bare machine needs
# nothing installed by hand.
set -e

DEPS="build-essential autoconf automake gettext pkg-config
      libncurses-dev libsqlite3-dev libcsv-dev libpcre2-dev libsodium-dev libxlsxwriter-dev
      libzip-dev libexpat1-dev libfreexl-dev python3-openpyxl libproj-dev libgeos-dev
      sqlite3 tmux procps clang libclang-rt-14-dev strace valgrind"
BENCH_DEPS="visidata time spatialite-bin"

missing() {
    for p in $DEPS; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q 'install ok installed' || printf '%s ' "$p"
    done
}

if [ "$1" = "--bench-deps" ]; then
    DEPS="$DEPS $BENCH_DEPS"
    set -- --deps
fi
if [ "$1" = "--deps" ]; then
    shift
    need=$(missing)
    if [ -n "$need" ]; then
        echo "autogen.sh: installing: $need"
        if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # shellcheck disable=SC2086
        $SUDO env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends $need
    fi
fi

cd "$(dirname "$0")"
autoreconf -fi
