#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh KVER INITRD LOG TEST [ir] [-- APPEND...]: boot the unpacked Debian
# kernel KVER in QEMU (TCG, q35, 2 CPUs) with an edu device, run /tests/
# TEST.sh and write the serial console to LOG. "ir" adds an Intel vIOMMU
# with interrupt remapping. APPEND goes to the kernel command line. Exit
# status: QEMU's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=${1:?usage: vm.sh KVER INITRD LOG TEST [ir] [-- APPEND...]}
initrd=${2:?}
log=${3:?}
test=${4:?}
shift 4
ir=off
if [ "${1:-}" = ir ]; then
	ir=on
	shift
fi
[ "${1:-}" = -- ] && shift

kernel="$(kernel_dir "$kver")/boot/vmlinuz-$kver"
[ -f "$kernel" ] || die "no kernel image $kernel (scripts/fetch-kernel.sh $kver)"

args=(-accel tcg -machine q35 -m 1024 -smp 2 -nographic -no-reboot -nic none
	-kernel "$kernel" -initrd "$initrd")
# The vIOMMU must exist before the devices it translates.
[ "$ir" = on ] && args+=(-device intel-iommu,intremap=on)
args+=(-device edu,dma_mask=0xffffffff)
args+=(-append "console=ttyS0 panic=-1 oops=panic loglevel=4 idxd_test=$test idxd_ir=$ir $*")

timeout "${VM_TIMEOUT:-600}" qemu-system-x86_64 "${args[@]}" </dev/null >"$log" 2>&1
