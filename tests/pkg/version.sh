#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# version.sh: VERSION is the one version. The build must fail, naming the
# file, when dkms.conf, debian/changelog or the RPM spec says otherwise.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

copy() {
	rm -rf "$work/src"
	mkdir -p "$work/src"
	(cd "$top" && git ls-files | tar -cf - -T -) | tar -xf - -C "$work/src"
}

copy
if make -s -C "$work/src" version-check >/dev/null 2>&1; then
	echo "ok [version] the tree agrees with VERSION"
else
	echo "not ok [version] the tree agrees with VERSION"
	failed=1
fi

for file in dkms.conf debian/changelog rpm/idxd-mdev-dkms.spec; do
	copy
	sed -i "0,/$(sed 's/\./\\./g' "$top/VERSION")/s//9.9.9/" "$work/src/$file"
	if make -C "$work/src" modules KDIR=/nonexistent >"$work/log" 2>&1; then
		echo "not ok [version] drift in $file fails the build: it did not"
		failed=1
	elif grep -q "^version .* disagrees with: $file$" "$work/log"; then
		echo "ok [version] drift in $file fails the build"
	else
		echo "not ok [version] drift in $file fails the build: wrong message"
		sed 's/^/#   /' "$work/log" | tail -n 3
		failed=1
	fi
done
exit "$failed"
