#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh KVER INITRD LOG TEST [ir] [dsa] [kvm] [-- APPEND...]: boot the
# unpacked Debian kernel KVER in QEMU (TCG, q35, 2 CPUs) with an edu device,
# run /tests/TEST.sh and write the serial console to LOG. "ir" adds an
# Intel vIOMMU with interrupt remapping. "dsa" runs our QEMU build
# (build-qemu.sh) with models of a DSA at 00:10.0, with slow engines at
# 00:11.0 and of the first generation (no CMDCAP: interrupt handles are
# indexes) at 00:12.0, behind a vIOMMU the kernel uses. "kvm" is "dsa" on
# an AMD CPU model whose SVM with nested paging TCG emulates, so that KVM
# (kvm_amd) runs inside the VM: one CPU (TCG does not keep the code KVM
# patches at VM creation coherent across vCPUs) and 2 GiB. APPEND goes to
# the kernel command line. Exit status: QEMU's.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

kver=${1:?usage: vm.sh KVER INITRD LOG TEST [ir] [dsa] [kvm] [-- APPEND...]}
initrd=${2:?}
log=${3:?}
test=${4:?}
shift 4
ir=off
dsa=off
kvm=off
while [ $# -gt 0 ]; do
	case "$1" in
	ir) ir=on ;;
	dsa) dsa=on ;;
	kvm)
		dsa=on
		kvm=on
		;;
	--)
		shift
		break
		;;
	*) die "unknown option '$1'" ;;
	esac
	shift
done
qemu="qemu-system-x86_64"

kernel="$(kernel_dir "$kver")/boot/vmlinuz-$kver"
[ -f "$kernel" ] || die "no kernel image $kernel (scripts/fetch-kernel.sh $kver)"

mem=1024
cpus=2
if [ "$kvm" = on ]; then
	mem=2048
	cpus=1
fi
args=(-accel tcg -machine q35 -m "$mem" -smp "$cpus" -nographic -no-reboot
	-nic none -kernel "$kernel" -initrd "$initrd")
# The vIOMMU must exist before the devices it translates.
append=
iommu="intel-iommu,intremap=on"
if [ "$dsa" = on ]; then
	qemu=$("$(dirname "$0")/build-qemu.sh")
	ir=on
	append="intel_iommu=on"
	# Scalable mode with PASIDs: the model's PASID-tagged DMA reaches it.
	iommu+=",x-scalable-mode=on,x-pasid-mode=on"
	# Portals take MOVDIR64B (our TCG patch). For KVM in the guest: an
	# AMD model with SVM and nested paging.
	if [ "$kvm" = on ]; then
		args+=(-cpu "EPYC,+movdir64b")
		# The EPYC model is a Zen CPU without the SRSO microcode, of
		# which the kernel warns at boot: no mitigations in this VM.
		append+=" mitigations=off"
	else
		args+=(-cpu "qemu64,+movdir64b")
	fi
fi
[ "$ir" = on ] && args+=(-device "$iommu")
args+=(-device "edu,dma_mask=0xffffffff")
[ "$dsa" = on ] && args+=(-device "idxd-dsa,addr=10.0"
	-device "idxd-dsa,addr=11.0,x-engine-delay-us=500000"
	-device "idxd-dsa,addr=12.0,generation=1")
args+=(-append "console=ttyS0 panic=-1 oops=panic loglevel=4 idxd_test=$test idxd_ir=$ir $append $*")

# A VM that has not reached the test after VM_START_TIMEOUT seconds hung
# in early boot, before any of our code ran (seen now and then under
# TCG): it is stopped, with status 125, and vm_test boots it again.
# QEMU's own messages go to a file of their own: written into the serial
# log they could land inside a result line.
err=$(qemu_err_log "$log")
timeout "${VM_TIMEOUT:-600}" "$qemu" "${args[@]}" </dev/null >"$log" 2>"$err" &
qemu_pid=$!
start=$SECONDS
while kill -0 "$qemu_pid" 2>/dev/null && ! grep -qs IDXD-VM-START "$log"; do
	if [ $((SECONDS - start)) -ge "${VM_START_TIMEOUT:-180}" ]; then
		kill "$qemu_pid"
		wait "$qemu_pid" || true
		exit 125
	fi
	sleep 1
done
status=0
wait "$qemu_pid" || status=$?
exit "$status"
