#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dsatest.sh [SERIES...]: the QEMU DSA model (tests/qemu-dsa/), built into
# Debian's QEMU, in a VM of the newest Debian kernel of each series
# (default: 6.1 and 6.12): driven through vfio-pci by
# tests/dsa-user/dsa_test, and by the kernel's own idxd driver (dmaengine
# memcpy checked by tests/dmacopy/), and the ims library on its IMS table
# through the example driver of examples/dsa-ims, and idxd_mdev's parent
# driver on a function of each generation.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

"$top/scripts/build-qemu.sh" --lint >/dev/null
echo "ok [qemu] Debian QEMU with the DSA model builds; the model is warning-free and in QEMU's style"
out=$(dsa_user_build)
trap 'rm -rf "$out"' EXIT
echo "ok [dsa-user] dsa_test builds"

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	build=$("$top/scripts/build.sh" "$kver")
	vm_test "$kver" dsa dsa "" --kmod vfio --kmod vfio_iommu_type1 \
		--kmod vfio-pci --bin "$out/dsa_test" || failed=1
	vm_test "$kver" dsa idxd "" --kmod idxd \
		"$build/tests/dmacopy/dmacopy.ko" || failed=1
	vm_test "$kver" dsa dsa_ims "" "$build/ims/ims.ko" \
		"$build/examples/dsa-ims/dsa_ims.ko" || failed=1
	vm_test "$kver" dsa pf "" --kmod vfio --kmod mdev --kmod irqbypass \
		"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" || failed=1
	vm_test "$kver" dsa mdev "" --kmod vfio --kmod mdev --kmod irqbypass \
		"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" || failed=1
	vm_test "$kver" dsa mdevctl "" --kmod vfio --kmod mdev --kmod irqbypass \
		--elf /usr/bin/mdevctl --mkdir /etc/mdevctl.d/scripts.d/callouts \
		--mkdir /etc/mdevctl.d/scripts.d/notifiers \
		"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" || failed=1
done
exit "$failed"
