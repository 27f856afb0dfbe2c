#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh [SERIES...]: checkpatch --strict on every tracked C file, and a
# build with sparse (C=2) and W=1 against the newest Debian kernel of each
# series (default 6.1 and 6.12). Zero findings is the bar: one "ok" or
# "not ok" line per check, the findings after a "not ok".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

report() {
	local name=$1 out=$2
	if [ -s "$out" ]; then
		echo "not ok [lint] $name"
		sed 's/^/#   /' "$out" | head -n 40
		failed=1
	else
		echo "ok [lint] $name"
	fi
}

ksrc=$(linux_source 6.1)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cd "$top"
# The compat probes are snippets for the compiler, not kernel code; the
# QEMU model follows QEMU's style (build-qemu.sh --lint checks it).
git ls-files '*.c' '*.h' ':!compat/probes/' ':!tests/qemu-dsa/' \
	':!tests/dsa-user/' | xargs "$ksrc/scripts/checkpatch.pl" \
	--strict --no-tree --quiet --show-types -f >"$tmp" 2>&1 || true
report "checkpatch --strict" "$tmp"
# Userspace: <stdint.h> types, and volatile for MMIO and polled memory.
git ls-files 'tests/dsa-user/*.[ch]' | xargs "$ksrc/scripts/checkpatch.pl" \
	--strict --no-tree --quiet --show-types \
	--ignore PREFER_KERNEL_TYPES,VOLATILE -f >"$tmp" 2>&1 || true
report "checkpatch --strict (userspace test driver)" "$tmp"

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	out="$IDXD_CACHE/lint/$kver"
	mkdir -p "$out"
	rm -rf "$out/doc-example"
	rsync -a --delete --exclude=.git --filter=':- .gitignore' "$top/" "$out/"
	# The consumer example of the how-to is built too, so it cannot rot.
	mkdir -p "$out/doc-example"
	sed -n '/^  \/\/ SPDX/,/^  MODULE_IMPORT_NS/s/^  //p' \
		Documentation/ims-howto.rst >"$out/doc-example/mydev.c"
	printf 'obj-m := mydev.o\nccflags-y := -I$(src)/../ims\n' >"$out/doc-example/Kbuild"
	echo 'obj-m += doc-example/' >>"$out/Kbuild"
	make -s -C "$out" KVER="$kver" TESTS=y clean >/dev/null
	make -s -C "$out" KVER="$kver" TESTS=y C=2 W=1 2>&1 |
		grep -E 'warning|error|: note:' >"$tmp" || true
	[ -f "$out/doc-example/mydev.ko" ] || echo "doc example did not build" >>"$tmp"
	report "sparse C=2 + W=1 on $kver (with the how-to's example)" "$tmp"
done
exit "$failed"
