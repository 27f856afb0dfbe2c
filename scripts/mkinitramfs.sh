#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT KVER [--dir SUBDIR] KO...: a busybox initramfs for the
# test VM with tests/vm/ as /tests, tests/vm/init as /init and the given
# modules in /lib/modules/KVER/extra, or SUBDIR for those after --dir
# (indexed, so modprobe finds them by name).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:?usage: mkinitramfs.sh OUT KVER [--dir SUBDIR] KO...}
kver=${2:?}
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
bb=/bin/busybox
[ -x "$bb" ] || die "busybox-static is not installed"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,tests}
cp "$bb" "$stage/bin/busybox"
for applet in $("$bb" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$stage/bin/$applet"
done
install -m 0755 "$top/tests/vm/init" "$stage/init"
cp "$top"/tests/vm/*.sh "$stage/tests/"
dest=extra
while [ $# -gt 0 ]; do
	if [ "$1" = --dir ]; then
		dest=${2:?--dir needs a directory}
		shift 2
		continue
	fi
	mkdir -p "$stage/lib/modules/$kver/$dest"
	cp "$1" "$stage/lib/modules/$kver/$dest/"
	shift
done
touch "$stage/lib/modules/$kver/modules."{order,builtin,builtin.modinfo}
depmod -b "$stage" "$kver"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
