# SPDX-License-Identifier: GPL-2.0
# The guest (L2) of the end-to-end test (e2e.sh runs it in L1 under
# Debian's QEMU with KVM): the kernel's own idxd driver on the virtual DSA
# of an idxd_mdev instance. Its group and WQ configuration is the host's
# (GENCAP.config_en is 0): idxd loads it read-only at probe and refuses
# sysfs writes of it; the WQ's type and name are still the user's. One
# dedicated kernel WQ is bound to dmaengine and the dmacopy module copies
# through it, each copy verified and completed by its interrupt.
#
# At "E2E-SAMPLE NAME COUNT E2E-END" on the console (COUNT: the guest's
# completion interrupts so far) L1 reads the instance's IMS interrupt
# count and answers with a line on the console: "go", or, at "after",
# "reboot" for a guest that is to reboot (and run again) when done.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

# e2e.sh counts these from this line: keep it a number.
plan 25

COPIES=$(cmdline_arg e2e_copies)
COPIES=${COPIES:-500}
DSA=/sys/bus/dsa

# The WQ's completion interrupts (not the device's own, "idxd-misc").
irqs() {
	grep idxd-portal /proc/interrupts | awk '{ n += $2 } END { print n + 0 }'
}

# l1_sample NAME: let L1 read its side now, and wait for its answer
# (in ANSWER).
l1_sample() {
	echo "E2E-SAMPLE $1 $(irqs) E2E-END"
	ANSWER=
	# busybox sh's read has -t.
	# shellcheck disable=SC3045
	read -r -t 300 ANSWER
	case "$ANSWER" in
	go | reboot) ok "L1 sampled the IMS count ($1)" ;;
	*) not_ok "L1 sampled the IMS count ($1)" "answer '$ANSWER'" ;;
	esac
}

check "CPU has MOVDIR64B (idxd needs it)" grep -q -w movdir64b /proc/cpuinfo
bdf=$(dsa_bdf)
check "a DSA (8086:0b25) on the guest's PCI bus" test -n "$bdf"
echo "# the virtual DSA is $bdf"
# Its debug messages say how it read the device.
check "modprobe idxd, debug messages on" modprobe idxd dyndbg=+p
check "idxd bound to $bdf" test -e "/sys/bus/pci/drivers/idxd/$bdf"
dmesg_has "idxd: device probed" "idxd $bdf: Intel(R) Accelerator Device"
dmesg_has "idxd loaded the read-only configuration" "Loading RO device config"
dev=$(idxd_dev "$bdf")
n=${dev#dsa}
wq=$DSA/devices/wq$n.0
check_eq "$dev: not configurable" 0 "$(cat "$DSA/devices/$dev/configurable")"
check_eq "$dev: one WQ" 1 "$(cat "$DSA/devices/$dev/max_work_queues")"
check_eq "wq$n.0: dedicated (loaded)" dedicated "$(cat "$wq/mode")"
check_eq "wq$n.0: in group 0 (loaded)" 0 "$(cat "$wq/group_id")"
size=$(cat "$wq/size")
check "wq$n.0: a size (loaded)" test "$size" -gt 0
echo "# $dev: $(cat "$DSA/devices/$dev/max_engines") engines, wq$n.0 size $size, priority $(cat "$wq/priority")"
expect_errno "wq$n.0: size not writable" "Operation not permitted" \
	"$wq/size" 1
expect_errno "wq$n.0: mode not writable" "Operation not permitted" \
	"$wq/mode" dedicated

# What is the user's: the WQ's type and name (and its driver on 6.12).
check "wq$n.0: type kernel, name dmaengine" wq_kernel_dmaengine "$wq"
# The dsa bus binds the device to idxd's device driver as it appears;
# with a configuration to write, that probe fails until the user wrote
# one, here there is none to write and it enables the device at once.
check "$dev bound to the idxd device driver when it appeared" \
	test -e "$DSA/drivers/idxd/$dev"
check_eq "$dev enabled" enabled "$(cat "$DSA/devices/$dev/state")"
check "bind wq$n.0 to the dmaengine driver" \
	sh -c "echo wq$n.0 >$DSA/drivers/dmaengine/bind"
check_eq "wq$n.0 enabled" enabled "$(cat "$wq/state")"
chan=$(basename "$(echo /sys/class/dma/dma*chan0)")
check "$dev: a dmaengine channel" test -e "/sys/class/dma/$chan"

l1_sample before
before=$(irqs)
check "dmacopy: $COPIES memcpys through the WQ, verified" \
	modprobe dmacopy copies="$COPIES"
dmesg_has "dmacopy: summary" "dmacopy: $chan: $COPIES copies, all verified"
after=$(irqs)
check "one completion interrupt per copy ($((after - before)))" \
	test "$((after - before))" -ge "$COPIES"
l1_sample after

dmesg | grep -E 'idxd|dmacopy' | sed 's/^/# dmesg: /'
check_clean_dmesg
if [ "$ANSWER" = reboot ]; then
	# What /init prints when a test ends: the reboot is this boot's end.
	echo "IDXD-VM-DONE rc=$FAILED"
	reboot -f
fi
done_testing
