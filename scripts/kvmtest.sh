#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kvmtest.sh [SERIES...]: KVM inside the test VM (vm.sh's "kvm" mode), on
# the newest Debian kernel of each series (default: 6.1 and 6.12): kvm_amd
# on TCG's SVM, a vCPU of tests/dsa-user/kvm_test running and its minimal
# VMM driving the DSA model through vfio-pci (tests/vm/kvm.sh); then
# idxd_mdev's instances driven through VFIO by tests/dsa-user/vdsa_test
# as a guest driver behind that VMM (tests/vm/vdsa.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

out=$(dsa_user_build)
trap 'rm -rf "$out"' EXIT
echo "ok [dsa-user] kvm_test and vdsa_test build"

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	build=$("$top/scripts/build.sh" "$kver")
	vm_test "$kver" kvm kvm "" --kmod kvm_amd --kmod vfio \
		--kmod vfio_iommu_type1 --kmod vfio-pci \
		--bin "$out/kvm_test" --bin "$out/vdsa_test" || failed=1
	vm_test "$kver" kvm vdsa "" --kmod kvm_amd --kmod vfio \
		--kmod vfio_iommu_type1 --kmod mdev --kmod irqbypass \
		--bin "$out/vdsa_test" \
		"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" || failed=1
done
exit "$failed"
