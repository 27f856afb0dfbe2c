# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# "make demo": the IMS library at work on the edu device, narrated.
set -e
say() {
	echo
	echo "### $*"
}

say "modprobe ims allow_guest=1 (QEMU's edu is emulated, so IMS may run in this guest)"
modprobe ims allow_guest=1
modprobe ims_edu
D=$(echo /sys/kernel/debug/ims_edu/0000:*)
dmesg | grep -E "DMAR-IR|ims" | tail -n 3 || true

say "an IMS domain of 8 slots, storage in memory the driver owns; 4 vectors"
echo "create array 8" >"$D/ctl"
echo "alloc array any cpu=0" >"$D/ctl"
echo "alloc array any cpu=1" >"$D/ctl"
echo "alloc array 5 pasid=0x42" >"$D/ctl"
echo "alloc array any" >"$D/ctl"
grep -E "CPU0|IMS" /proc/interrupts

say "each slot: its message (written by the library) and its control word"
cat "$D/vectors"

say "the edu DMA engine writes each slot's data to its address: 3 times per slot"
for slot in 0 1 5 2; do
	for _ in 1 2 3; do echo "fire array $slot" >"$D/ctl"; done
done
sleep 1
grep -E "CPU0|IMS" /proc/interrupts
cat "$D/vectors"

say "masked slot 1: the device holds the interrupt pending until unmasked"
echo "mask array 1" >"$D/ctl"
echo "fire array 1" >"$D/ctl"
grep "^array 1 " "$D/vectors"
echo "enable array 1" >"$D/ctl"
sleep 1
grep "^array 1 " "$D/vectors"

say "free slot 1: it ends masked (ctrl bit 0) and zeroed"
echo "free array 1" >"$D/ctl"
grep "^array 1 " "$D/slots"

say "unload: no IMS interrupt left"
rmmod ims_edu
rmmod ims
echo "IMS lines in /proc/interrupts: $(grep -c IMS /proc/interrupts)"
