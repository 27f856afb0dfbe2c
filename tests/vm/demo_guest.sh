# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# "make demo", the guest (L2, started by Debian's QEMU in demo_mdev.sh):
# the kernel's own idxd on the virtual DSA, one dedicated kernel WQ on
# dmaengine, verified copies, narrated. At "DEMO-HOST-VIEW" the host
# prints its side and answers with a line on the console.
set -e
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh
say() {
	echo
	echo "### guest: $*"
}
COPIES=200
DSA=/sys/bus/dsa

say "a DSA on the guest's PCI bus, as any passed-through device would be"
bdf=$(dsa_bdf)
echo "  $bdf: vendor 8086 device 0b25 class $(cat "/sys/bus/pci/devices/$bdf/class")"

say "modprobe idxd: the kernel's own driver probes it"
modprobe idxd
dmesg | grep -E "idxd $bdf" | sed 's/^/  /'
dev=$(idxd_dev "$bdf")
wq=$DSA/devices/wq${dev#dsa}.0
echo "  $dev: $(cat "$DSA/devices/$dev/max_work_queues") WQ, $(cat "$DSA/devices/$dev/max_engines") engine(s), configurable $(cat "$DSA/devices/$dev/configurable") (the host configured it)"
echo "  $(basename "$wq"): $(cat "$wq/mode"), size $(cat "$wq/size")"

say "the WQ becomes a kernel dmaengine channel (type and name are the guest's)"
wq_kernel_dmaengine "$wq"
basename "$wq" >"$DSA/drivers/dmaengine/bind"
echo "  $(basename "$wq"): $(cat "$wq/state"); channel $(basename "$(echo /sys/class/dma/dma*chan0)")"

say "dmacopy: $COPIES memcpys through the WQ, each verified, each completed by its interrupt"
modprobe dmacopy copies=$COPIES
dmesg | grep 'dmacopy: dma' | sed 's/^/  /'
grep -E 'CPU0|idxd' /proc/interrupts | sed 's/^/  /'

echo DEMO-HOST-VIEW
# busybox sh's read has -t.
# shellcheck disable=SC3045
read -r -t 120 _answer || true
say "done; powering off"
