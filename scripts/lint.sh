#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh [SERIES...]: checkpatch --strict on every tracked C file,
# every shell script of scripts/ and tests/ through shellcheck, and a build
# with sparse (C=2) and W=1 against the newest Debian kernel of each
# series (default 6.1 and 6.12; trixie and sid build in their chroots,
# with their own gcc and sparse). --builds: those builds only. Zero
# findings and exit status 0 is the bar: one "ok" or "not ok" line per
# check, the findings after a "not ok".
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

# report NAME OUT STATUS: ok when the tool exited 0 and said nothing.
report() {
	local name=$1 out=$2 status=$3
	if [ "$status" -eq 0 ] && [ ! -s "$out" ]; then
		echo "ok [lint] $name"
	else
		echo "not ok [lint] $name"
		{
			[ "$status" -eq 0 ] || echo "exit $status"
			cat "$out"
		} | sed 's/^/#   /' | head -n 40
		failed=1
	fi
}

# lint_sources: checkpatch and shellcheck, on the tree's sources.
lint_sources() {
	local ksrc status
	ksrc=$(linux_source 6.1)
	# The compat probes are snippets for the compiler, not kernel code; the
	# QEMU model follows QEMU's style (build-qemu.sh --lint checks it).
	status=0
	git ls-files '*.c' '*.h' ':!compat/probes/' ':!tests/qemu-dsa/' \
		':!tests/dsa-user/' | xargs "$ksrc/scripts/checkpatch.pl" \
		--strict --no-tree --quiet --show-types -f >"$tmp" 2>&1 || status=$?
	report "checkpatch --strict" "$tmp" "$status"
	# Userspace: <stdint.h> types, and volatile for MMIO and polled memory.
	status=0
	git ls-files 'tests/dsa-user/*.[ch]' | xargs "$ksrc/scripts/checkpatch.pl" \
		--strict --no-tree --quiet --show-types \
		--ignore PREFER_KERNEL_TYPES,VOLATILE -f >"$tmp" 2>&1 || status=$?
	report "checkpatch --strict (userspace test driver)" "$tmp" "$status"

	# Every shell script: by name, or by a sh/bash shebang; the sourced ones
	# and the VM's busybox scripts name their shell in a directive. Run from
	# the top: "source=" directives name files from there.
	status=0
	git ls-files scripts tests .ci | while read -r f; do
		if [[ "$f" == *.sh ]] || head -n 1 "$f" | grep -q -E '^#!.*/(env )?(ba)?sh\b'; then
			echo "$f"
		fi
	done | xargs shellcheck -x >"$tmp" 2>&1 || status=$?
	report shellcheck "$tmp" "$status"
}

sources=1
if [ "${1:-}" = --builds ]; then
	sources=0
	shift
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cd "$top"
[ "$sources" = 0 ] || lint_sources

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	out=$(build_root "$kver" lint)
	mkdir -p "$out"
	rm -rf "$out/doc-example"
	rsync -a --delete --exclude=.git --filter=':- .gitignore' "$top/" "$out/"
	# The consumer example of the how-to is built too, so it cannot rot.
	mkdir -p "$out/doc-example"
	sed -n '/^  \/\/ SPDX/,/^  IMS_IMPORT_NS/s/^  //p' \
		Documentation/ims-howto.rst >"$out/doc-example/mydev.c"
	printf 'obj-m := mydev.o\nccflags-y := -I%s/../ims\n' "\$(src)" >"$out/doc-example/Kbuild"
	echo 'obj-m += doc-example/' >>"$out/Kbuild"
	kbuild_make "$kver" "$out" -s TESTS=y clean >/dev/null
	status=0
	kbuild_make "$kver" "$out" -s TESTS=y C=2 W=1 >"$tmp" 2>&1 || status=$?
	[ -f "$out/doc-example/mydev.ko" ] ||
		echo "error: the how-to's example did not build" >>"$tmp"
	build_judge "sparse C=2 + W=1 on $kver (with the how-to's example)" \
		"$tmp" "$status" || failed=1
done
exit "$failed"
