#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT KVER [--dir SUBDIR] [--kmod NAME] [--bin FILE]
# [--test FILE] KO...: a busybox initramfs for the test VM with tests/vm/
# as /tests, tests/vm/init as /init and the given modules in
# /lib/modules/KVER/extra, or SUBDIR for those after --dir (indexed, so
# modprobe finds them by name). --kmod adds module NAME of the Debian
# kernel itself, with what it depends on; --bin adds a program to /bin;
# --test adds a test script to /tests (the harness self-test's, kept out
# of tests/vm/ so that only it boots them).
set -euo pipefail
# shellcheck source=scripts/lib.sh
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
kmods="$(kernel_dir "$kver")/lib/modules/$kver"

# add_kmod NAME: the kernel's module NAME and its dependencies, uncompressed
# (busybox modprobe reads plain .ko files only).
add_kmod() {
	local path dep
	path=$(awk -F: -v n="$1" '{ m = $1; sub(".*/", "", m); sub("[.]ko.*", "", m);
		gsub("-", "_", m); x = n; gsub("-", "_", x) } m == x { print; exit }' \
		"$kmods/modules.dep")
	[ -n "$path" ] || die "kernel $kver has no module $1"
	for dep in ${path%%:*} ${path#*:}; do
		mkdir -p "$stage/lib/modules/$kver/$(dirname "$dep")"
		case "$dep" in
		*.xz) xz -dc "$kmods/$dep" >"$stage/lib/modules/$kver/${dep%.xz}" ;;
		*) cp "$kmods/$dep" "$stage/lib/modules/$kver/$dep" ;;
		esac
	done
}

dest=extra
while [ $# -gt 0 ]; do
	case "$1" in
	--dir)
		dest=${2:?--dir needs a directory}
		shift 2
		continue
		;;
	--kmod)
		add_kmod "${2:?--kmod needs a module name}"
		shift 2
		continue
		;;
	--bin)
		cp "${2:?--bin needs a file}" "$stage/bin/"
		shift 2
		continue
		;;
	--test)
		cp "${2:?--test needs a file}" "$stage/tests/"
		shift 2
		continue
		;;
	esac
	mkdir -p "$stage/lib/modules/$kver/$dest"
	cp "$1" "$stage/lib/modules/$kver/$dest/"
	shift
done
mkdir -p "$stage/lib/modules/$kver"
touch "$stage/lib/modules/$kver/modules."{order,builtin,builtin.modinfo}
depmod -b "$stage" "$kver"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
