#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmtest.sh [SERIES...]: the VM integration tests, on the newest Debian
# kernel of each series (default: 6.1 and 6.12), each without and with
# interrupt remapping. Prints one "ok"/"not ok" line per check, prefixed
# with the kernel and mode, and exits non-zero if any failed or a VM
# crashed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	out=$("$top/scripts/build.sh" "$kver")
	for mode in noir ir; do
		vm_test "$kver" "$mode" ims_edu "" \
			"$out/ims/ims.ko" "$out/tests/ims-edu/ims_edu.ko" || failed=1
	done
done
exit "$failed"
