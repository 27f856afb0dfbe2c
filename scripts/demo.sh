#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: install what is needed, build against the newest Debian 6.12
# kernel, boot it in QEMU with interrupt remapping and an edu device, and
# show IMS vectors firing (tests/vm/demo.sh runs in the guest); then boot
# it again with our DSA model and KVM, and show a virtual DSA made with
# mdevctl and handed by Debian's QEMU to a guest whose own idxd copies
# through it (tests/vm/demo_mdev.sh, tests/vm/demo_guest.sh).
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

echo "building the DSA model into QEMU, the guest's image ..."
"$top/scripts/build-qemu.sh" >/dev/null
l2="$IDXD_CACHE/logs/demo-l2-$kver.cpio.gz"
"$top/scripts/mkinitramfs.sh" "$l2" "$kver" --kmod idxd \
	"$out/tests/dmacopy/dmacopy.ko"
vmm=$(l1_vmm_args "$kver")
mapfile -t vmm <<<"$vmm"
initrd="$IDXD_CACHE/logs/demo_mdev-$kver.cpio.gz"
log="$IDXD_CACHE/logs/demo_mdev-$kver.log"
"$top/scripts/mkinitramfs.sh" "$initrd" "$kver" "${vmm[@]}" \
	--file "$l2:/l2/initrd.gz" "$out/ims/ims.ko" "$out/idxd-mdev/idxd_mdev.ko"
echo "booting Debian $kver in QEMU (TCG, one EPYC CPU for KVM, our DSA model behind intel-iommu) ..."
"$top/scripts/vm.sh" "$kver" "$initrd" "$log" demo_mdev kvm || true
# Without the host kernel's console lines (KVM's notes on the guest).
tr -d '\r' <"$log" | sed -n '/IDXD-VM-START/,/IDXD-VM-DONE/p' |
	grep -v '^\[ *[0-9]*\.[0-9]*\] '
grep -q '^IDXD-VM-DONE rc=0' "$log" || die "the demo failed; full log: $log"
