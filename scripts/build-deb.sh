#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-deb.sh [DIR]: build the idxd-mdev-dkms .deb from the tracked files
# of this tree, in DIR (default build/deb/), which it empties first. Prints
# the path of the .deb.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$top/VERSION")
out=${1:-$top/build/deb}
rm -rf "$out"
mkdir -p "$out/idxd-mdev-$version"
(cd "$top" && git ls-files | tar -cf - -T -) | tar -xf - -C "$out/idxd-mdev-$version"
(cd "$out/idxd-mdev-$version" && dpkg-buildpackage -us -uc -b >&2)
echo "$out/idxd-mdev-dkms_${version}_all.deb"
