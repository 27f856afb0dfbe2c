#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-rpm.sh: build the source and noarch RPMs from the tarball of
# "make dist", in build/rpm/. Prints the path of the noarch RPM. Debian
# has no RPM database of build dependencies, hence --nodeps.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$top/VERSION")
tarball="$top/build/idxd-mdev-$version.tar.gz"
[ -f "$tarball" ] || die "$tarball missing: run make dist"
out="$top/build/rpm"
rm -rf "$out"
mkdir -p "$out/SOURCES" "$out/SPECS"
cp "$tarball" "$out/SOURCES/"
cp "$top/rpm/idxd-mdev-dkms.spec" "$out/SPECS/"
rpmbuild --define "_topdir $out" --nodeps -ba "$out/SPECS/idxd-mdev-dkms.spec" >&2
ls "$out"/RPMS/noarch/idxd-mdev-dkms-"$version"-*.noarch.rpm
