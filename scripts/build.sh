#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KVER: build every module, test modules included, for KVER in a
# copy of the tree of its own (kbuild builds in place, and each kernel
# needs its own objects and compat probes). Prints the copy's path.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

kver=${1:?usage: build.sh KVER}
top=$(cd "$(dirname "$0")/.." && pwd)
out="$IDXD_CACHE/build/$kver"

mkdir -p "$out"
# Build products are git-ignored: not copied, and kept in the copy so
# the next build is incremental. Files are compared by content and a
# changed one gets the time of the copy, not its own: a source older than
# the objects built from another checkout must still be rebuilt.
rsync -rlpD --checksum --delete --exclude=.git --filter=':- .gitignore' \
	"$top/" "$out/"
# EXTRA_MAKEFLAGS: more make arguments, split on blanks.
read -r -a extra <<<"${EXTRA_MAKEFLAGS:-}"
make -C "$out" KVER="$kver" TESTS=y "${extra[@]}" >&2
echo "$out"
