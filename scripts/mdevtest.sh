#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mdevtest.sh [SERIES...]: idxd_mdev's mediated devices (tests/vm/mdev.sh)
# in the kvm VM (vm.sh's "kvm" mode, where KVM runs), on the newest Debian
# kernel of each series (default: 6.1 and 6.12): types, create/remove by
# sysfs and by mdevctl, and tests/dsa-user/vdsa_test driving instances as
# a guest driver behind a minimal VMM. Not part of "make check" yet: the
# VFIO side of idxd_mdev is still being written.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
failed=0

out="$IDXD_CACHE/dsa-user"
mkdir -p "$out"
make -s -B -C "$top/tests/dsa-user" O="$out" >&2
echo "ok [dsa-user] vdsa_test builds"

[ $# -gt 0 ] || set -- 6.1 6.12
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	build=$("$top/scripts/build.sh" "$kver")
	vm_test "$kver" kvm mdev "" --kmod kvm_amd --kmod vfio \
		--kmod vfio_iommu_type1 --kmod mdev \
		--elf /usr/bin/mdevctl \
		--mkdir /etc/mdevctl.d/scripts.d/callouts \
		--mkdir /etc/mdevctl.d/scripts.d/notifiers \
		--bin "$out/vdsa_test" \
		"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" || failed=1
done
exit "$failed"
