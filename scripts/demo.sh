#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: install what is needed, build against the newest Debian 6.12
# kernel, boot it in QEMU with interrupt remapping and an edu device, and
# show IMS vectors firing (tests/vm/demo.sh runs in the guest).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

"$top/scripts/install-deps.sh"
kver=$("$top/scripts/fetch-kernel.sh" "${DEMO_SERIES:-6.12}")
echo "building for $kver ..."
out=$("$top/scripts/build.sh" "$kver" 2>/dev/null)
mkdir -p "$IDXD_CACHE/logs"
initrd="$IDXD_CACHE/logs/demo-$kver.cpio.gz"
log="$IDXD_CACHE/logs/demo-$kver.log"
"$top/scripts/mkinitramfs.sh" "$initrd" "$kver" "$out/ims/ims.ko" \
	"$out/tests/ims-edu/ims_edu.ko"
echo "booting Debian $kver in QEMU (TCG, q35, 2 CPUs, intel-iommu intremap=on) ..."
"$top/scripts/vm.sh" "$kver" "$initrd" "$log" demo ir || true
tr -d '\r' <"$log" | sed -n '/IDXD-VM-START/,/IDXD-VM-DONE/p'
grep -q '^IDXD-VM-DONE rc=0' "$log" || die "the demo failed; full log: $log"
