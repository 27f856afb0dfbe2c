#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2etest.sh [SERIES...]: the end-to-end test on the newest Debian kernel
# of each series (default: 6.1 and 6.12). vm.sh's "kvm" mode (L1: our
# modules on the DSA model, KVM on TCG's SVM) runs tests/vm/e2e.sh:
# Debian's mdevctl makes an instance of idxd_mdev and Debian's
# qemu-system-x86_64 hands it to a KVM guest (L2: the same kernel, its
# own idxd, tests/dmacopy, tests/vm/e2e_guest.sh). L1's image carries that
# QEMU with its libraries and firmware, Debian's libvirtd and virsh (the
# same guest as a libvirt domain), L2's kernel and L2's initramfs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	build=$("$top/scripts/build.sh" "$kver")
	l2="$IDXD_CACHE/logs/e2e-l2-$kver.cpio.gz"
	mkdir -p "$(dirname "$l2")"
	"$top/scripts/mkinitramfs.sh" "$l2" "$kver" --kmod idxd \
		"$build/tests/dmacopy/dmacopy.ko"
	vmm=$(l1_vmm_args "$kver" && l1_libvirt_args)
	mapfile -t vmm <<<"$vmm"
	# Two VMs on one function: each with a PASID of its own where the
	# kernel can attach a domain to one (6.12), else (6.1) the function's
	# one domain, and the second VM is refused.
	pair=pasid
	[ "$series" != 6.1 ] || pair=refused
	vm_test "$kver" kvm e2e "e2e_pair=$pair" "${vmm[@]}" --file "$l2:/l2/initrd.gz" \
		"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" || failed=1
done
exit "$failed"
