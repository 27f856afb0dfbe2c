#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2etest.sh [SERIES...]: the end-to-end test on the newest Debian kernel
# of each series (default: 6.1 and 6.12). vm.sh's "kvm" mode (L1: our
# modules on the DSA model, KVM on TCG's SVM) runs tests/vm/e2e.sh:
# Debian's mdevctl makes an instance of idxd_mdev and Debian's
# qemu-system-x86_64 hands it to a KVM guest (L2: the same kernel, its
# own idxd, tests/dmacopy, tests/vm/e2e_guest.sh). L1's image carries that
# QEMU with its libraries and firmware, L2's kernel and L2's initramfs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

# Debian's QEMU for L1: the program, what it loads, the firmware of a
# q35 machine booting a kernel (SeaBIOS, and the option ROMs QEMU adds).
qemu=(--elf /usr/bin/qemu-system-x86_64
	--file /usr/share/seabios/bios-256k.bin
	--file /usr/share/qemu/kvmvapic.bin
	--file /usr/share/qemu/linuxboot_dma.bin)
for f in "${qemu[@]}"; do
	case "$f" in /*) [ -e "$f" ] || die "$f missing (apt-get install qemu-system-x86)" ;; esac
done

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	build=$("$top/scripts/build.sh" "$kver")
	l2="$IDXD_CACHE/logs/e2e-l2-$kver.cpio.gz"
	mkdir -p "$(dirname "$l2")"
	"$top/scripts/mkinitramfs.sh" "$l2" "$kver" --kmod idxd \
		"$build/tests/dmacopy/dmacopy.ko"
	vm_test "$kver" kvm e2e "" --kmod kvm_amd --kmod vfio \
		--kmod vfio_iommu_type1 --kmod mdev --kmod irqbypass \
		"${qemu[@]}" \
		--file "$(kernel_dir "$kver")/boot/vmlinuz-$kver:/l2/vmlinuz" \
		--file "$l2:/l2/initrd.gz" \
		--elf /usr/bin/mdevctl --mkdir /etc/mdevctl.d/scripts.d/callouts \
		--mkdir /etc/mdevctl.d/scripts.d/notifiers \
		"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" || failed=1
done
exit "$failed"
