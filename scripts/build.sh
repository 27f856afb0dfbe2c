#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KVER: build every module, test modules included, for KVER in a
# copy of the tree of its own (kbuild builds in place, and each kernel
# needs its own objects and compat probes). Prints the copy's path. A
# kernel whose headers only a suite's chroot has (scripts/chroot.sh) is
# built there, by that suite's compiler, in a copy inside the chroot.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

kver=${1:?usage: build.sh KVER}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$IDXD_CACHE/build/$kver"
suite=
[ -e "/lib/modules/$kver/build/Makefile" ] || suite=$(chroot_suite "$kver")
if [ -n "$suite" ]; then
	inside=/var/tmp/idxd-mdev-build/$kver
	out=$(chroot_dir "$suite")$inside
fi

mkdir -p "$out"
# Build products are git-ignored: not copied, and kept in the copy so
# the next build is incremental. Files are compared by content and a
# changed one gets the time of the copy, not its own: a source older than
# the objects built from another checkout must still be rebuilt.
rsync -rlpD --checksum --delete --exclude=.git --filter=':- .gitignore' \
	"$top/" "$out/"
# EXTRA_MAKEFLAGS: more make arguments, split on blanks.
read -r -a extra <<<"${EXTRA_MAKEFLAGS:-}"
if [ -n "$suite" ]; then
	in_chroot "$suite" "$(chroot_dir "$suite")" make -C "$inside" \
		KVER="$kver" TESTS=y "${extra[@]}" >&2
else
	make -C "$out" KVER="$kver" TESTS=y "${extra[@]}" >&2
fi
echo "$out"
