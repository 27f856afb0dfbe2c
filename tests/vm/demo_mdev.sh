# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# "make demo", second part: a virtual DSA made with mdevctl and used
# through VFIO by a minimal VMM (tests/dsa-user/vdsa_test: a KVM VM whose
# memory is its DMA buffers, the guest's driver in userspace), narrated.
set -e
say() {
	echo
	echo "### $*"
}
BDF=0000:00:10.0
U=d5a0e7c1-2b3c-4d5e-8f90-a1b2c3d4e5f6

say "modprobe kvm_amd idxd_mdev; bind the DSA at $BDF to idxd_mdev"
modprobe kvm_amd
modprobe vfio_iommu_type1
modprobe ims allow_guest=1
modprobe idxd_mdev
echo idxd_mdev >/sys/bus/pci/devices/$BDF/driver_override
echo $BDF >/sys/bus/pci/drivers_probe
dmesg | grep "idxd_mdev $BDF" | tail -n 2

say "mdevctl types: each carved WQ of the function can become a virtual DSA"
mdevctl types

say "mdevctl start: one virtual DSA"
mdevctl start -u $U -p $BDF -t idxd_mdev-dsa-1dwq
mdevctl list

say "a VMM opens it through VFIO and its guest driver copies memory"
say "(registers trapped and emulated; descriptors MOVDIR64B'd straight to the WQ's portal)"
vdsa_test $U ops req >/tmp/vdsa.out 2>&1 &
vmm=$!
n=0
while [ ! -e /tmp/vdsa-$U.ready ] && [ $n -lt 600 ]; do
	usleep 100000
	n=$((n + 1))
done
sed -n 's/^ok [0-9]* - vdsa [0-9a-f]* ops: /  ok  /p' /tmp/vdsa.out |
	grep -E "ENABLE_DEVICE|REQUEST_INT_HANDLE|ENABLE_WQ|MEMMOVE|FILL" | head -n 12
echo "  $(grep -c '^ok' /tmp/vdsa.out) checks passed, $(grep -c '^not ok' /tmp/vdsa.out) failed"

say "the host's view while the VMM holds it: its WQ, IMS vector, DMA translation"
cat /sys/kernel/debug/idxd_mdev/$BDF/$U/state
cat /sys/kernel/debug/idxd_mdev/$BDF/$U/dma
grep -E "CPU0|IMS" /proc/interrupts || true

say "mdevctl stop: the VMM gets the request interrupt, closes, the virtual DSA goes"
mdevctl stop -u $U
wait $vmm || true
grep "request interrupt" /tmp/vdsa.out | sed 's/^ok [0-9]* - /  ok  /'
echo "available instances: $(cat /sys/bus/pci/devices/$BDF/mdev_supported_types/idxd_mdev-dsa-1dwq/available_instances)"
