#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: install what is needed, build against the newest Debian 6.12
# kernel, boot it in QEMU with interrupt remapping and an edu device, and
# show IMS vectors firing (tests/vm/demo.sh runs in the guest); then boot
# it again with our DSA model and KVM, and show a virtual DSA made with
# mdevctl and used through VFIO (tests/vm/demo_mdev.sh).
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

echo "building the DSA model into QEMU and the minimal VMM ..."
"$top/scripts/build-qemu.sh" >/dev/null
make -s -C "$top/tests/dsa-user" O="$IDXD_CACHE/dsa-user" >&2
initrd="$IDXD_CACHE/logs/demo_mdev-$kver.cpio.gz"
log="$IDXD_CACHE/logs/demo_mdev-$kver.log"
"$top/scripts/mkinitramfs.sh" "$initrd" "$kver" --kmod kvm_amd --kmod vfio \
	--kmod vfio_iommu_type1 --kmod mdev --kmod irqbypass \
	--elf /usr/bin/mdevctl --mkdir /etc/mdevctl.d/scripts.d/callouts \
	--mkdir /etc/mdevctl.d/scripts.d/notifiers \
	--bin "$IDXD_CACHE/dsa-user/vdsa_test" "$out/ims/ims.ko" \
	"$out/idxd-mdev/idxd_mdev.ko"
echo "booting Debian $kver in QEMU (TCG, one EPYC CPU for KVM, our DSA model behind intel-iommu) ..."
"$top/scripts/vm.sh" "$kver" "$initrd" "$log" demo_mdev kvm || true
tr -d '\r' <"$log" | sed -n '/IDXD-VM-START/,/IDXD-VM-DONE/p'
grep -q '^IDXD-VM-DONE rc=0' "$log" || die "the demo failed; full log: $log"
