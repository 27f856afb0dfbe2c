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
out=$(build_root "$kver" build)

mkdir -p "$out"
# One build of a copy at a time.
exec 9>"$out.lock"
flock 9
# Build products are git-ignored: not copied, and kept in the copy so
# the next build is incremental. Files are compared by content and a
# changed one gets the time of the copy, not its own: a source older than
# the objects built from another checkout must still be rebuilt.
rsync -rlpD --checksum --delete --exclude=.git --filter=':- .gitignore' \
	"$top/" "$out/"
# EXTRA_MAKEFLAGS: more make arguments, split on blanks.
read -r -a extra <<<"${EXTRA_MAKEFLAGS:-}"
kbuild_make "$kver" "$out" TESTS=y "${extra[@]}" >&2
echo "$out"
