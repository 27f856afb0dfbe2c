#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmtest.sh [SERIES...]: the VM integration tests, on the newest Debian
# kernel of each series (default: 6.1 and 6.12), each without and with
# interrupt remapping. Prints one "ok"/"not ok" line per check, prefixed
# with the kernel and mode, and exits non-zero if any failed or a VM
# crashed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
logs="$IDXD_CACHE/logs"
mkdir -p "$logs"
failed=0

# run_vm KVER MODE TEST KO...: boot, and turn the console log into results.
run_vm() {
	local kver=$1 mode=$2 test=$3 tag log initrd
	shift 3
	tag="$kver/$mode"
	log="$logs/$test-$kver-$mode.log"
	initrd="$logs/$test-$kver.cpio.gz"
	"$top/scripts/mkinitramfs.sh" "$initrd" "$kver" "$@"
	"$top/scripts/vm.sh" "$kver" "$initrd" "$log" "$test" \
		$([ "$mode" = ir ] && echo ir) || true

	sed -n 's/\r$//; /^\(not \)\?ok /s|^\(not \)\?ok |&['"$tag"'] |p' "$log"
	if grep -q 'not ok ' "$log"; then
		failed=1
	fi
	if ! grep -q '^IDXD-VM-DONE' "$log" ||
		grep -q -E 'Kernel panic|BUG:|Oops' "$log"; then
		echo "not ok [$tag] $test: VM crashed or timed out (log: $log)"
		grep -E -m5 'Kernel panic|BUG:|Oops|RIP:' "$log" || tail -n 5 "$log"
		failed=1
	fi
}

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	out=$("$top/scripts/build.sh" "$kver")
	for mode in noir ir; do
		run_vm "$kver" "$mode" ims_edu \
			"$out/ims/ims.ko" "$out/tests/ims-edu/ims_edu.ko"
	done
done
exit "$failed"
