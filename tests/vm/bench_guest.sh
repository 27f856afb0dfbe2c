# SPDX-License-Identifier: GPL-2.0
# make bench's guest (L2; bench.sh runs it in L1 under Debian's QEMU with
# KVM): the kernel's own idxd on a DSA that is either an idxd_mdev
# instance (bench_side=mdev) or the whole function through vfio-pci
# (bench_side=vfio), one dedicated kernel WQ bound to dmaengine, and
# dsabench's measurements on it, printed as "BENCH guest SIDE ..." lines.
# The instance's WQ is the host's; on the whole function this guest
# configures one as accel-config would, with the entries and engines of
# bench_wq_size and bench_wq_engines (what the instance's guest had), so
# that both sides copy through the same WQ.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 9

SIDE=$(cmdline_arg bench_side)
DSA=/sys/bus/dsa

# The WQ's completion interrupts (not the device's own, "idxd-misc").
irqs() {
	grep idxd-portal /proc/interrupts | awk '{ n += $2 } END { print n + 0 }'
}

bdf=$(dsa_bdf)
check "$SIDE: a DSA (8086:0b25) on the guest's PCI bus" test -n "$bdf"
check "modprobe idxd" modprobe idxd
check "idxd bound to $bdf" test -e "/sys/bus/pci/drivers/idxd/$bdf"
dev=$(idxd_dev "$bdf")
n=${dev#dsa}
wq=$DSA/devices/wq$n.0

if [ "$SIDE" = vfio ]; then
	e=0
	while [ "$e" -lt "$(cmdline_arg bench_wq_engines)" ]; do
		echo 0 >"$DSA/devices/engine$n.$e/group_id"
		e=$((e + 1))
	done
	echo 0 >"$wq/group_id"
	echo dedicated >"$wq/mode"
	cmdline_arg bench_wq_size >"$wq/size"
	echo 10 >"$wq/priority"
fi
wq_kernel_dmaengine "$wq"
# An instance's device was enabled when it appeared (nothing to
# configure); the whole function's once configured.
if [ "$SIDE" = vfio ]; then
	check "$dev: enabled" sh -c "echo $dev >$DSA/drivers/idxd/bind"
else
	check_eq "$dev: enabled" enabled "$(cat "$DSA/devices/$dev/state")"
fi
check "wq$n.0: bound to dmaengine" \
	sh -c "echo wq$n.0 >$DSA/drivers/dmaengine/bind"
# Engines of the WQ's group: the instance's device has only those.
eng=0
for d in "$DSA/devices/engine$n".*; do
	[ "$(cat "$d/group_id")" = 0 ] && eng=$((eng + 1))
done
echo "BENCH guest $SIDE wq size=$(cat "$wq/size") engines=$eng"

before=$(irqs)
check "dsabench" modprobe dsabench
after=$(irqs)
dmesg_has "dsabench: measured" "dsabench: cfg n="
dmesg | sed -n 's/.*dsabench: \(copy\|stream\|irq\|mmio\|cfg\) \(n=[0-9]* bytes=[0-9]* ns=[0-9]*\)$/BENCH guest '"$SIDE"' \1 \2/p'
echo "BENCH guest $SIDE interrupts n=$((after - before))"
check "interrupts counted" test "$((after - before))" -gt 0
check_clean_dmesg
done_testing
