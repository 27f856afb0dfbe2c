#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT KVER [--dir SUBDIR] [--kmod NAME] [--bin FILE]
# [--elf FILE] [--file SRC[:DEST]] [--mkdir DIR] [--test FILE] KO...: a
# busybox initramfs for the test VM with tests/vm/ as /tests,
# tests/vm/init as /init and the given modules in
# /lib/modules/KVER/extra, or SUBDIR for those after --dir (indexed, so
# modprobe finds them by name). --kmod adds module NAME of the Debian
# kernel itself, with what it depends on; --bin adds a (static) program
# to /bin; --elf adds a dynamically linked program of this machine at its
# own path, with the shared libraries and the loader it needs; --file
# adds a file of this machine (a symbolic link followed) at DEST, or at
# its own path (e.g. the firmware a program loads); --mkdir makes an
# empty directory (e.g. a configuration directory a program wants);
# --test adds a test script to /tests (the harness self-test's, kept out
# of tests/vm/ so that only it boots them).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

out=${1:?usage: mkinitramfs.sh OUT KVER [--dir SUBDIR] [--kmod NAME] [--bin FILE] [--elf FILE] [--file SRC[:DEST]] [--mkdir DIR] [--test FILE] KO...}
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

# add_elf FILE: FILE at its path, and what ldd says it loads (the loader
# included, which ldd lists by its path alone), at theirs. Symbolic links
# are followed: the image gets the files under the names FILE asks for.
add_elf() {
	local file=$1 lib
	[ -f "$file" ] || die "no program $file"
	case "$file" in /*) ;; *) die "--elf wants an absolute path: $file" ;; esac
	ldd "$file" >/dev/null 2>&1 || die "$file is not a dynamically linked program"
	for lib in "$file" $(ldd "$file" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }'); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
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
	--elf)
		add_elf "${2:?--elf needs a file}"
		shift 2
		continue
		;;
	--file)
		src=${2:?--file needs a file}
		dst=${src#*:}
		src=${src%%:*}
		[ -f "$src" ] || die "no file $src"
		case "$dst" in /*) ;; *) die "--file wants an absolute path: $dst" ;; esac
		mkdir -p "$stage$(dirname "$dst")"
		cp -L "$src" "$stage$dst"
		shift 2
		continue
		;;
	--mkdir)
		mkdir -p "$stage/${2:?--mkdir needs a directory}"
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
