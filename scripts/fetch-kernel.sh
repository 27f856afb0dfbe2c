#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh SERIES|KVER...: make a Debian 12 kernel usable for the tests
# without installing it: install its headers package (for building modules),
# download and unpack its image package into the cache (for booting it in
# QEMU) and index its modules. Prints the resolved kernel version per line.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

fetch_one() {
	local kver=$1 dir tmp
	dir=$(kernel_dir "$kver")

	if [ ! -e "/lib/modules/$kver/build/Makefile" ]; then
		# 6.12 headers depend on the image: INITRD=No spares
		# building an initramfs nobody boots.
		as_root env INITRD=No DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends \
			"linux-headers-$kver" >&2
	fi
	if [ ! -e "$dir/.done" ]; then
		tmp=$(mktemp -d "$IDXD_CACHE/kernels/.tmp.XXXXXX")
		(cd "$tmp" && apt-get download "linux-image-$kver" >&2)
		dpkg -x "$tmp"/linux-image-*.deb "$tmp/root"
		rm -f "$tmp"/*.deb
		# The package ships no modules.dep: build the index ourselves.
		depmod -b "$tmp/root" "$kver"
		rm -rf "$dir"
		mv "$tmp/root" "$dir"
		rmdir "$tmp"
		touch "$dir/.done"
	fi
	echo "$kver"
}

[ $# -gt 0 ] || die "usage: $0 6.1|6.12|KVER..."
mkdir -p "$IDXD_CACHE/kernels"
for arg in "$@"; do
	case "$arg" in
	6.1 | 6.12)
		kver=$(newest_kver "$arg")
		[ -n "$kver" ] || die "apt knows no Debian $arg kernel (run apt-get update)"
		;;
	*) kver=$arg ;;
	esac
	fetch_one "$kver"
done
