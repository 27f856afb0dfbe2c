# SPDX-License-Identifier: GPL-2.0
# KVM inside the test VM (vm.sh's "kvm" mode): one AMD CPU whose SVM and
# nested paging TCG emulates, with MOVDIR64B for the DSA portals, behind
# the interrupt-remapping vIOMMU. kvm_amd loads, /dev/kvm appears, and
# kvm_test runs real-mode code on a vCPU of a VM whose memory is its own;
# then, as the minimal VMM of the mediated device's tests, it opens the
# DSA at 00:10.0 through vfio-pci with the group added to its VM (whose
# memory slots are the DMA buffers) and copies memory with it. vdsa_test
# sets up its VM on that function and gets the request interrupt when
# the function is unbound under it.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

# kvm_test prints 9 checks for "vcpu", 22 for "dsa", vdsa_test 8; this
# script 13, and their exit status three times.
plan $((9 + 22 + 8 + 13 + 3))

FAST=0000:00:10.0

check_eq "one CPU" 1 "$(grep -c '^processor' /proc/cpuinfo)"
check "CPU has SVM" grep -q '^flags.* svm' /proc/cpuinfo
check "CPU has MOVDIR64B" grep -q '^flags.* movdir64b' /proc/cpuinfo
dmesg_has "interrupt remapping on" "DMAR-IR: Enabled IRQ remapping"
check "modprobe kvm_amd" modprobe kvm_amd
dmesg_has "kvm_amd uses nested paging" "Nested Paging enabled"
check "/dev/kvm" test -c /dev/kvm
run_prog "kvm_test vcpu" kvm_test vcpu

check "modprobe vfio_iommu_type1" modprobe vfio_iommu_type1
# vfio-pci refuses DSA/IAX functions (its device denylist) unless told.
check "modprobe vfio-pci disable_denylist=1" \
	modprobe vfio-pci disable_denylist=1
echo vfio-pci >/sys/bus/pci/devices/$FAST/driver_override
echo $FAST >/sys/bus/pci/drivers_probe
check_eq "$FAST bound to vfio-pci" vfio-pci \
	"$(basename "$(readlink /sys/bus/pci/devices/$FAST/driver)")"
run_prog "kvm_test dsa" kvm_test dsa $FAST

# vdsa_test's VMM (its memory slots, DMA mappings, portals) and its wait
# for the request interrupt, which vfio-pci sends when the function is
# unbound while open.
rm -f "/tmp/vdsa-$FAST.ready"
vdsa_test --pci $FAST req &
pid=$!
check "vdsa_test holds $FAST open" wait_for 30 test -e "/tmp/vdsa-$FAST.ready"
check "$FAST unbound from vfio-pci while open (returns once closed)" \
	sh -c "echo $FAST >/sys/bus/pci/drivers/vfio-pci/unbind"
wait $pid
rc=$?
if [ $rc -eq 0 ]; then ok "vdsa_test req: exit 0"; else not_ok "vdsa_test req" "exit $rc"; fi
check_clean_dmesg
done_testing
