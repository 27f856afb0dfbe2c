#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh SERIES|SUITE|KVER...: make a Debian 12 kernel usable for
# the tests without installing it: install its headers package (for
# building modules), download and unpack its image package into the cache
# (for booting it in QEMU) and index its modules. Prints the resolved
# kernel version per line. A SUITE (trixie or sid) is the newest kernel of
# that suite: its headers are in the suite's chroot (scripts/chroot.sh),
# and its image comes from there too, never from this machine's sources.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# kernel_packages SUITE KVER: linux-image-KVER and the packages of that
# kernel it depends on, which are named after its ABI too (sid splits the
# image into linux-base-, linux-binary- and linux-modules-KVER).
kernel_packages() {
	local suite=$1 kver=$2 root p d want todo next
	root=$(chroot_dir "$suite")
	want=("linux-image-$kver")
	todo=("${want[@]}")
	while [ ${#todo[@]} -gt 0 ]; do
		next=()
		for p in "${todo[@]}"; do
			for d in $(in_chroot "$suite" "$root" apt-cache depends \
				--no-recommends --no-suggests "$p" |
				awk -v k="-$kver" '$1 ~ /Depends:$/ &&
					substr($2, length($2) - length(k) + 1) == k { print $2 }'); do
				[[ " ${want[*]} " == *" $d "* ]] && continue
				want+=("$d")
				next+=("$d")
			done
		done
		todo=("${next[@]}")
	done
	echo "${want[@]}"
}

# download_image KVER SUITE DIR: KVER's image package(s) into DIR, from
# the suite's chroot, whose apt knows the suite.
download_image() {
	local kver=$1 suite=$2 dir=$3 root pkgs
	root=$(chroot_dir "$suite")
	read -r -a pkgs <<<"$(kernel_packages "$suite" "$kver")"
	rm -rf "$root/tmp/image"
	# Writable by apt's _apt user, which downloads.
	mkdir -m 777 "$root/tmp/image"
	# shellcheck disable=SC2016 # the inner shell's $@
	in_chroot "$suite" "$root" sh -c 'cd /tmp/image && apt-get download "$@"' \
		sh "${pkgs[@]}" >&2
	mv "$root"/tmp/image/*.deb "$dir/"
	rmdir "$root/tmp/image"
}

# fetch_one KVER [SUITE]
fetch_one() {
	local kver=$1 suite=${2:-} dir tmp deb
	dir=$(kernel_dir "$kver")

	if [ -z "$suite" ] && [ ! -e "/lib/modules/$kver/build/Makefile" ]; then
		# 6.12 headers depend on the image: INITRD=No spares
		# building an initramfs nobody boots.
		as_root env INITRD=No DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends \
			"linux-headers-$kver" >&2
	fi
	if [ ! -e "$dir/.done" ]; then
		tmp=$(mktemp -d "$IDXD_CACHE/kernels/.tmp.XXXXXX")
		if [ -n "$suite" ]; then
			download_image "$kver" "$suite" "$tmp"
		else
			(cd "$tmp" && apt-get download "linux-image-$kver" >&2)
		fi
		for deb in "$tmp"/*.deb; do
			dpkg -x "$deb" "$tmp/root"
		done
		# Since trixie (merged /usr) the modules ship in
		# /usr/lib/modules: /lib is the link such a system has.
		if [ -d "$tmp/root/usr/lib/modules" ] && [ ! -e "$tmp/root/lib" ]; then
			ln -s usr/lib "$tmp/root/lib"
		fi
		# sid ships the kernel as /usr/lib/modules/KVER/vmlinuz, and
		# its maintainer scripts put it in /boot, where vm.sh looks.
		if [ ! -e "$tmp/root/boot/vmlinuz-$kver" ] &&
			[ -f "$tmp/root/lib/modules/$kver/vmlinuz" ]; then
			mkdir -p "$tmp/root/boot"
			ln -s "../lib/modules/$kver/vmlinuz" \
				"$tmp/root/boot/vmlinuz-$kver"
		fi
		rm -f "$tmp"/*.deb
		# The package ships no modules.dep: build the index ourselves.
		depmod -b "$tmp/root" "$kver"
		rm -rf "$dir"
		mv "$tmp/root" "$dir"
		rmdir "$tmp"
		touch "$dir/.done"
	fi
	# The suite's older kernels: it has moved on from them.
	if [ -n "$suite" ]; then
		echo "$suite" >"$dir/.suite"
		for old in "$IDXD_CACHE"/kernels/*/.suite; do
			if [ "$(dirname "$old")" != "$dir" ] &&
				[ "$(cat "$old")" = "$suite" ]; then
				rm -rf "$(dirname "$old")"
			fi
		done
	fi
	echo "$kver"
}

[ $# -gt 0 ] || die "usage: $0 6.1|6.12|trixie|sid|KVER..."
mkdir -p "$IDXD_CACHE/kernels"
for arg in "$@"; do
	suite=
	case "$arg" in
	6.1 | 6.12)
		kver=$(newest_kver "$arg")
		[ -n "$kver" ] || die "apt knows no Debian $arg kernel (run apt-get update)"
		;;
	trixie | sid)
		kver=$("$lib_dir/chroot.sh" "$arg")
		suite=$arg
		;;
	*) kver=$arg ;;
	esac
	fetch_one "$kver" "$suite"
done
