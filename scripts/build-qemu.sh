#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-qemu.sh [--lint]: Debian 12's QEMU with our DSA device model
# (tests/qemu-dsa/) added, built for x86_64 only. Prints the path of
# qemu-system-x86_64. --lint also recompiles the model's files with QEMU's
# warning flags and -Werror and runs QEMU's checkpatch.pl on them, and
# fails if either finds anything.
#
# The source is Debian's qemu package for bookworm, fetched with apt-get
# source. The model's files are copied into hw/misc/ and its Kconfig,
# meson and trace-events fragments appended to the files there. The build
# tree lives in the cache, keyed by the source version; the binary is
# reused while neither the source version nor the model changes, and
# ccache makes a rebuild of a fresh tree cheap.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
model="$top/tests/qemu-dsa"
base="$IDXD_CACHE/qemu"
srclist=/etc/apt/sources.list.d/idxd-mdev-src.sources

# Debian machines often carry no deb-src lines: add one for the default
# suite, so that apt-get source can fetch Debian's (patched) QEMU.
ensure_deb_src() {
	apt-get source --print-uris -qq qemu/bookworm >/dev/null 2>&1 && return
	as_root tee "$srclist" >/dev/null <<-EOF
		Types: deb-src
		URIs: http://deb.debian.org/debian
		Suites: bookworm bookworm-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	as_root apt-get update -qq >&2
}

# The version apt-get source would fetch now; it moves with updates and
# old versions leave the archive, so it is never written down.
source_version() {
	apt-get source --print-uris -qq qemu/bookworm |
		sed -n "s/.* qemu_\([^ ]*\)\.dsc .*/\1/p"
}

# overlay FILE FRAGMENT: FILE becomes its pristine content plus FRAGMENT.
# It is rewritten only when that changes, so ninja rebuilds nothing else.
overlay() {
	local file=$1 fragment=$2 new
	[ -f "$file.idxd-orig" ] || cp "$file" "$file.idxd-orig"
	new=$(mktemp)
	cat "$file.idxd-orig" "$fragment" >"$new"
	if cmp -s "$new" "$file"; then rm -f "$new"; else mv "$new" "$file"; fi
}

# apply_patch SRC PATCH: the files PATCH touches become their pristine
# content with PATCH applied, again rewritten only when that changes.
apply_patch() {
	local src=$1 patch=$2 tmp f files
	files=$(sed -n 's|^+++ b/||p' "$patch")
	tmp=$(mktemp -d)
	for f in $files; do
		[ -f "$src/$f.idxd-orig" ] || cp "$src/$f" "$src/$f.idxd-orig"
		mkdir -p "$tmp/$(dirname "$f")"
		cp "$src/$f.idxd-orig" "$tmp/$f"
	done
	patch -s -p1 -d "$tmp" <"$patch" || die "$patch does not apply"
	for f in $files; do
		cmp -s "$tmp/$f" "$src/$f" || cp "$tmp/$f" "$src/$f"
	done
	rm -rf "$tmp"
}

# install_model SRC: copy the model's sources in, touching only what changed.
install_model() {
	local src=$1 f
	for f in "$model"/*.c "$model"/*.h; do
		cmp -s "$f" "$src/hw/misc/${f##*/}" || cp "$f" "$src/hw/misc/"
	done
	overlay "$src/hw/misc/Kconfig" "$model/Kconfig"
	overlay "$src/hw/misc/meson.build" "$model/meson.build"
	overlay "$src/hw/misc/trace-events" "$model/trace-events"
	for f in "$model"/*.patch; do
		apply_patch "$src" "$f"
	done
}

# lint SRC: compile the model as the build does, warnings as errors, and
# hold it to QEMU's coding style.
lint() {
	local cmds cmd found
	cmds=$(ninja -C "$1/build" -t commands qemu-system-x86_64 |
		grep -e ' -c \.\./hw/misc/idxd-dsa') ||
		die "no compile command for the DSA model"
	while read -r cmd; do
		(cd "$1/build" && eval "$cmd -Werror -fsyntax-only") >&2 ||
			die "the DSA model does not build warning-free"
	done <<<"$cmds"
	# The patches are ours, not submissions: they carry no sign-off.
	found=$("$1/scripts/checkpatch.pl" --no-tree --terse -f "$model"/*.[ch];
		"$1/scripts/checkpatch.pl" --no-tree --terse "$model"/*.patch) || true
	found=$(grep -e ': ERROR: ' -e ': WARNING: ' <<<"$found" |
		grep -v 'Missing Signed-off-by') || true
	if [ -n "$found" ]; then
		echo "$found" >&2
		die "the DSA model is not in QEMU's style"
	fi
}

lint=0
[ "${1:-}" = --lint ] && lint=1
# One build at a time: tests of other kernels may ask at the same time.
mkdir -p "$base"
exec 9>"$base/.lock"
flock 9
ensure_deb_src
version=$(source_version)
[ -n "$version" ] || die "apt-get source knows no qemu for bookworm"
key="$version-$(cat "$model"/* "$0" | sha256sum | cut -c1-16)"
dir="$base/$version"
out="$base/bin/$key/qemu-system-x86_64"
if [ -x "$out" ]; then
	[ "$lint" = 0 ] || lint "$dir/src"
	echo "$out"
	exit 0
fi

if [ ! -e "$dir/.unpacked" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && apt-get source -qq "qemu/bookworm" >&2)
	mv "$dir"/qemu-*/ "$dir/src"
	rm -f "$dir"/qemu_*
	touch "$dir/.unpacked"
fi
src="$dir/src"
# The model must be in place before the first configure: a new Kconfig
# symbol in a built tree regenerates a header every object includes.
install_model "$src"

export CCACHE_DIR="$IDXD_CACHE/ccache"
export CCACHE_BASEDIR="$src"
if [ ! -e "$src/build/.configured" ]; then
	rm -rf "$src/build"
	mkdir -p "$src/build"
	(cd "$src/build" && ../configure --cc="ccache gcc" \
		--target-list=x86_64-softmmu --without-default-features \
		--enable-tcg --enable-fdt=system --disable-docs \
		--disable-tools --disable-user \
		--firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu \
		>&2)
	touch "$src/build/.configured"
fi
ninja -C "$src/build" -j"$(nproc)" qemu-system-x86_64 >&2
[ "$lint" = 0 ] || lint "$src"

rm -rf "${base:?}/bin"
mkdir -p "$(dirname "$out")"
cp "$src/build/qemu-system-x86_64" "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
