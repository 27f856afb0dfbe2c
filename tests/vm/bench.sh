# SPDX-License-Identifier: GPL-2.0
# make bench, in L1 (vm.sh's "kvm" mode): the measurements behind
# scripts/bench.sh's report, all on the DSA model at 00:10.0, one after
# the other:
#   1. ims_bench: IMS vs MSI-X vector allocate+free on the function;
#   2. mdev_bench (idxd_mdev bound): instance create/open/close/remove
#      cycles, and kernel memory with 1..all instances open;
#   3. a KVM guest (L2: the same kernel, Debian's QEMU) whose idxd uses an
#      idxd_mdev instance, then one whose idxd has the whole function
#      through vfio-pci, each running dsabench (bench_guest.sh), repeated
#      bench_rounds times (default 1), alternating.
# bench_parts=alloc: the first alone (scripts/bench.sh boots so once more,
# with interrupt remapping off, to see what remapping adds to the cost).
# Measurements are printed as "BENCH ..." lines for scripts/bench.sh; the
# checks say whether each step was made.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

ROUNDS=$(cmdline_arg bench_rounds)
ROUNDS=${ROUNDS:-1}
PARTS=$(cmdline_arg bench_parts)
N_INST=3
if [ "$PARTS" = alloc ]; then
	ROUNDS=0
	N_INST=0
fi
# 7 here, 3 for ims_bench, 3 for mdev_bench, 10 per round of guests, 1.
plan $((7 + 3 + N_INST + 10 * ROUNDS + 1))

BDF=0000:00:10.0
TYPE=idxd_mdev-dsa-1dwq
U=6c1d7e2a-3b4c-4d5e-9f60-be0000000100
# What a guest may take (seconds), its boot included.
L2_TIMEOUT=600

# --- L1 (7) ------------------------------------------------------------------
check_eq "one CPU" 1 "$(grep -c '^processor' /proc/cpuinfo)"
check "modprobe kvm_amd" modprobe kvm_amd
check "modprobe vfio_iommu_type1" modprobe vfio_iommu_type1
# vfio-pci refuses DSA/IAX functions (its device denylist) unless told.
check "modprobe vfio-pci disable_denylist=1" modprobe vfio-pci disable_denylist=1
check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
check "modprobe ims_bench" modprobe ims_bench

# --- IMS vs MSI-X allocation (3) ---------------------------------------------
# ims_bench measures in its probe.
check "$BDF: bound to ims_bench, measured" bind_driver "$BDF" ims_bench
dmesg_has "ims_bench: done" "ims_bench: done"
dmesg | sed -n 's/.*ims_bench: \(ims\|ims-slot\|msix\) \(n=[0-9]* ns=[0-9]*\)$/BENCH alloc \1 \2/p'
check "$BDF: unbound from ims_bench" unbind_driver "$BDF"

# --- instances (3) -----------------------------------------------------------
if [ "$N_INST" -gt 0 ]; then
	check "$BDF: bound to idxd_mdev" bind_driver "$BDF" idxd_mdev
	check "mdev_bench: cycles and memory" sh -c \
		"mdev_bench $BDF $TYPE 5 >/tmp/mdev_bench.out"
	sed -n 's/^mdev_bench: /BENCH mdev /p' /tmp/mdev_bench.out
	check "$BDF: unbound from idxd_mdev" unbind_driver "$BDF"
fi

# run_l2 SIDE DEVICE APPEND: a KVM guest with vfio-pci device DEVICE runs
# bench_guest.sh with bench_side=SIDE and APPEND on its command line; its
# console in /tmp/SIDE.log, QEMU's exit status in QRC.
run_l2() {
	echo "# $1: L2 starts at $(cut -d' ' -f1 /proc/uptime) s"
	# shellcheck disable=SC2086 # words
	timeout "$L2_TIMEOUT" qemu-system-x86_64 $L2_MACHINE -no-reboot \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 mitigations=off idxd_test=bench_guest bench_side=$1 $3" \
		-device "$2" </dev/null >"/tmp/$1.log" 2>&1
	QRC=$?
	echo "# $1: L2 ended at $(cut -d' ' -f1 /proc/uptime) s"
	# L2's console as comments, its markers renamed so that no judge
	# takes them for this VM's; its measurements as this VM's.
	tr -d '\r' <"/tmp/$1.log" >"/tmp/$1.clean"
	sed 's/IDXD-VM-/L2-VM-/g; s/^/# L2 '"$1"'| /' "/tmp/$1.clean"
	grep '^BENCH guest ' "/tmp/$1.clean"
}

# judge_l2 SIDE: QEMU exited 0 and L2 ran its plan and exited 0 (2).
judge_l2() {
	check_eq "$1: QEMU (L2) exited 0" 0 "$QRC"
	_n=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "/tmp/$1.clean")
	check_eq "$1: L2 ran its plan and exited 0" "${_n:-no plan} 0 1" \
		"$(grep -c -E '^ok ' "/tmp/$1.clean") $(grep -c '^not ok ' "/tmp/$1.clean") $(grep -c 'IDXD-VM-DONE rc=0' "/tmp/$1.clean")"
}

# --- the guests, ROUNDS times (10 each) --------------------------------------
r=1
while [ "$r" -le "$ROUNDS" ]; do
	check "round $r: $BDF bound to idxd_mdev" bind_driver "$BDF" idxd_mdev
	check "round $r: an instance" sh -c \
		"echo $U >/sys/bus/pci/devices/$BDF/mdev_supported_types/$TYPE/create"
	run_l2 mdev "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$U" ""
	judge_l2 mdev
	# The guest on the whole function gets the WQ the instance's guest
	# had: as many entries, as many engines.
	wq=$(sed -n 's/^BENCH guest mdev wq //p' /tmp/mdev.clean)
	check "round $r: the instance removed" sh -c \
		"echo 1 >/sys/bus/mdev/devices/$U/remove"
	check "round $r: $BDF unbound from idxd_mdev" unbind_driver "$BDF"
	check "round $r: $BDF bound to vfio-pci" bind_driver "$BDF" vfio-pci
	run_l2 vfio "vfio-pci,host=$BDF" \
		"$(echo "$wq" | sed 's/\([a-z]*\)=/bench_wq_\1=/g')"
	judge_l2 vfio
	check "round $r: $BDF unbound from vfio-pci" unbind_driver "$BDF"
	r=$((r + 1))
done

dmesg | grep -E 'idxd_mdev|vfio|ims' | sed 's/^/# dmesg: /'
check_clean_dmesg
done_testing
