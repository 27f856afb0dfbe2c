# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# "make demo", second part: a virtual DSA made with mdevctl, handed to a
# KVM guest by Debian's QEMU, used by the guest's own idxd (demo_guest.sh
# in the guest), narrated from both sides.
set -e
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh
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

say "Debian's qemu-system-x86_64 gives it to a KVM guest: -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$U"
say "(registers trapped and emulated here; the guest's descriptors go straight to the WQ's portal)"
rm -f /tmp/guest.in
mkfifo /tmp/guest.in
: >/tmp/guest.log
# shellcheck disable=SC2086 # words
qemu-system-x86_64 $L2_MACHINE -no-reboot \
	-append "console=ttyS0 panic=-1 quiet idxd_test=demo_guest" \
	-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$U" \
	</tmp/guest.in >/tmp/guest.log 2>&1 &
vmm=$!
exec 3>/tmp/guest.in
# The guest's narration, as it comes, up to its question for the host.
shown=0
while kill -0 $vmm 2>/dev/null && ! grep -q DEMO-HOST-VIEW /tmp/guest.log; do
	n=$(wc -l </tmp/guest.log)
	if [ "$n" -gt "$shown" ]; then
		tr -d '\r' </tmp/guest.log | sed -n "$((shown + 1)),${n}p" |
			grep -E '^(###|  )|^$' || true
		shown=$n
	fi
	usleep 200000
done
tr -d '\r' </tmp/guest.log | sed -n "$((shown + 1)),\$p" | grep -E '^(###|  )|^$' || true

say "the host's view while the guest holds it: mdevctl, the instance's WQ, IMS vector and DMA translation"
mdevctl list
cat /sys/kernel/debug/idxd_mdev/$BDF/$U/state
cat /sys/kernel/debug/idxd_mdev/$BDF/$U/dma
grep -E "CPU0|IMS" /proc/interrupts || true
echo go >&3
wait $vmm || true
exec 3>&-
tr -d '\r' </tmp/guest.log | sed -n '/DEMO-HOST-VIEW/,$p' | grep -E '^###' || true
grep -q 'IDXD-VM-DONE rc=0' /tmp/guest.log

say "mdevctl stop: the virtual DSA goes, its WQ is free again"
mdevctl stop -u $U
echo "available instances: $(cat /sys/bus/pci/devices/$BDF/mdev_supported_types/idxd_mdev-dsa-1dwq/available_instances)"
