# SPDX-License-Identifier: GPL-2.0
# idxd_mdev's mediated devices in the kvm VM (vm.sh's "kvm" mode): the
# type a DSA parent of each generation offers and its attributes; create
# and remove through sysfs and through Debian's mdevctl (start, list,
# stop, define --auto, undefine), available_instances exact throughout;
# vdsa_test drives an instance as a guest driver behind a minimal VMM
# (KVM VM, memory slots = DMA buffers), two instances of two parents at
# once from two processes, and one removed while open (the request
# interrupt); unbinding a parent takes its instances with it.
# shellcheck shell=sh
# Some helpers run only through check, out of shellcheck's sight:
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

FAST=0000:00:10.0
GEN1=0000:00:12.0
TYPE=idxd_mdev-dsa-1dwq
DRV=/sys/bus/pci/drivers/idxd_mdev
MDEVS=/sys/bus/mdev/devices
U1=4f1d1a3e-0c2b-4e6a-9d1f-000000000001
U2=4f1d1a3e-0c2b-4e6a-9d1f-000000000002
U3=4f1d1a3e-0c2b-4e6a-9d1f-000000000003
U4=4f1d1a3e-0c2b-4e6a-9d1f-000000000004
U5=4f1d1a3e-0c2b-4e6a-9d1f-000000000005
U6=4f1d1a3e-0c2b-4e6a-9d1f-000000000006

# vdsa_test says how many results its parts print; this script prints 82
# (its lines on the vdsa_test runs included).
plan $((82 + $(vdsa_test --count "$U1" nokvm info abi ops confine hostile) +
	2 * $(vdsa_test --count "$U2" ops) + $(vdsa_test --count "$U2" req)))

# types BDF: the type directory of a parent.
types() {
	echo "/sys/bus/pci/devices/$1/mdev_supported_types/$TYPE"
}

bind() {
	echo idxd_mdev >"/sys/bus/pci/devices/$1/driver_override" &&
		echo "$1" >/sys/bus/pci/drivers_probe &&
		test "$(basename "$(readlink "/sys/bus/pci/devices/$1/driver")")" = idxd_mdev
}

# create BDF UUID / remove UUID, through sysfs.
create() {
	echo "$2" >"$(types "$1")/create"
}

remove() {
	echo 1 >"$MDEVS/$1/remove"
}

available() {
	cat "$(types "$1")/available_instances"
}

# check_rc NAME RC: a program run in the background ended with RC.
check_rc() {
	if [ "$2" -eq 0 ]; then ok "$1: exit 0"; else not_ok "$1" "exit $2"; fi
}

# mdev NAME ARGS...: mdevctl ARGS exits 0; its output, without terminal
# escapes and blank lines, is kept in /tmp/mdevctl.out.
mdev() {
	_name=$1
	shift
	if mdevctl "$@" >/tmp/mdevctl.raw 2>&1; then
		ok "$_name"
	else
		not_ok "$_name" "mdevctl $* exited $?: $(cat /tmp/mdevctl.raw)"
	fi
	sed 's/\x1b\[[0-9;]*[A-Za-z]//g' /tmp/mdevctl.raw | grep -v '^ *$' \
		>/tmp/mdevctl.out
}

# --- modules and parents (6) -------------------------------------------
check "modprobe kvm_amd" modprobe kvm_amd
check "modprobe vfio_iommu_type1" modprobe vfio_iommu_type1
# The model's IMS table is emulated: the library may serve it in a guest.
check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
check "$FAST: bound through driver_override" bind $FAST
check "$GEN1: bound through driver_override" bind $GEN1

# --- the type of each parent (15) --------------------------------------
check_eq "$FAST: one type" "$TYPE" \
	"$(ls /sys/bus/pci/devices/$FAST/mdev_supported_types)"
for bdf in $FAST $GEN1; do
	t=$(types "$bdf")
	check "$bdf: type $TYPE" test -d "$t"
	check_eq "$bdf: device_api" vfio-pci "$(cat "$t/device_api")"
	check "$bdf: a name" test -n "$(cat "$t/name")"
	check "$bdf: a description" test -n "$(cat "$t/description")"
	check_eq "$bdf: 8 available instances (one per WQ)" 8 \
		"$(available "$bdf")"
	check_eq "$bdf: no instances yet" "" "$(ls "$t/devices")"
	check "$bdf: an mdev parent" test -e "/sys/class/mdev_bus/$bdf"
done

# --- create and remove through sysfs (16) ------------------------------
TF=$(types $FAST)
check "create $U1 on $FAST" create $FAST $U1
check "$U1 on the mdev bus" test -d "$MDEVS/$U1"
check_eq "$U1: its type" "$TYPE" \
	"$(basename "$(readlink "$MDEVS/$U1/mdev_type")")"
check_eq "$U1: its parent" "$FAST" \
	"$(basename "$(readlink -f "$MDEVS/$U1/..")")"
group=$(basename "$(readlink "$MDEVS/$U1/iommu_group")")
check "$U1: an IOMMU group, /dev/vfio/$group" test -c "/dev/vfio/$group"
check_eq "$FAST: 7 available" 7 "$(available $FAST)"
check_eq "$FAST: devices/ lists $U1" "$U1" "$(ls "$TF/devices")"
expect_errno "$U1 created again: EEXIST" "File exists" "$TF/create" $U1
expect_errno "create of no UUID: EINVAL" "Invalid argument" \
	"$TF/create" not-a-uuid
fill="1 2 3 4 5 6 7"
check "7 more instances" sh -c "for i in $fill; do
	echo 00000000-0000-4000-8000-00000000000\$i >$TF/create || exit 1
done"
check_eq "$FAST: none available" 0 "$(available $FAST)"
check "a ninth instance refused" sh -c \
	"! echo 00000000-0000-4000-8000-000000000009 >$TF/create 2>/dev/null"
check_eq "$FAST: 8 instances" 8 \
	"$(find "$TF/devices/" -mindepth 1 -maxdepth 1 | wc -l)"
check_eq "$GEN1: still 8 available" 8 "$(available $GEN1)"
check "the 7 removed" sh -c "for i in $fill; do
	echo 1 >$MDEVS/00000000-0000-4000-8000-00000000000\$i/remove || exit 1
done"
check_eq "$FAST: 7 available again" 7 "$(available $FAST)"

# --- a guest driver on $U1 (5, and vdsa_test's) --------------------------
run_prog "vdsa_test $U1" vdsa_test $U1 nokvm info abi ops confine hostile
D=/sys/kernel/debug/idxd_mdev/$FAST/$U1
check "debugfs: $U1's dma" test -f "$D/dma"
check "debugfs: DMA through a PASID or the parent's domain" \
	grep -Eq '^mode (pasid|pf)$' "$D/dma"
check "debugfs: portal pages were faulted in" \
	test "$(cat "$D/portal_faults")" -gt 0
check_eq "debugfs: nothing pinned once closed" 0 \
	"$(sed -n 's/^pinned //p' "$D/dma")"

# --- two instances of two parents, two processes (4, and vdsa_test's) ----
check "create $U2 on $FAST" create $FAST $U2
check "create $U3 on $GEN1" create $GEN1 $U3
vdsa_test --seed 2 $U2 ops &
p2=$!
vdsa_test --seed 3 $U3 ops &
p3=$!
wait $p2
check_rc "vdsa_test $U2 (with $U3 at once)" $?
wait $p3
check_rc "vdsa_test $U3 (with $U2 at once)" $?

# --- removed while open: the request interrupt (5, and vdsa_test's) ------
rm -f "/tmp/vdsa-$U2.ready"
vdsa_test $U2 req &
p2=$!
check "vdsa_test holds $U2 open" wait_for 30 test -e "/tmp/vdsa-$U2.ready"
check "debugfs: the guest's memory pinned while open" test \
	"$(sed -n 's/^pinned //p' "/sys/kernel/debug/idxd_mdev/$FAST/$U2/dma")" \
	-gt 0
check "remove $U2 while open (returns once it is closed)" remove $U2
wait $p2
check_rc "vdsa_test $U2 req" $?
check "$U2 gone" test ! -e "$MDEVS/$U2"

# --- remove the rest (4) -----------------------------------------------
check "remove $U1" remove $U1
check "remove $U3" remove $U3
check_eq "$FAST: 8 available" 8 "$(available $FAST)"
check_eq "$GEN1: 8 available" 8 "$(available $GEN1)"

# --- mdevctl (20) ---------------------------------------------------------
mdev "mdevctl types" types
check_eq "mdevctl types: the type of both parents" 2 \
	"$(grep -c "$TYPE" /tmp/mdevctl.out)"
check_eq "mdevctl types: 8 available on both" 2 \
	"$(grep -c 'Available instances: 8' /tmp/mdevctl.out)"
mdev "mdevctl start $U4" start -u $U4 -p $FAST -t $TYPE
check "$U4 exists" test -d "$MDEVS/$U4"
mdev "mdevctl list" list
check "mdevctl list: $U4" grep -q "^$U4 $FAST $TYPE" /tmp/mdevctl.out
check_eq "$FAST: 7 available with $U4" 7 "$(available $FAST)"
mdev "mdevctl stop $U4" stop -u $U4
check "$U4 gone" test ! -e "$MDEVS/$U4"
mdev "mdevctl define --auto $U5" define --auto -u $U5 -p $GEN1 -t $TYPE
mdev "mdevctl list --defined" list --defined
check_eq "mdevctl list --defined: $U5, auto" "$U5 $GEN1 $TYPE auto" \
	"$(cat /tmp/mdevctl.out)"
check "defined, not started" test ! -e "$MDEVS/$U5"
mdev "mdevctl start $U5 (defined)" start -u $U5
check "$U5 exists" test -d "$MDEVS/$U5"
mdev "mdevctl stop $U5" stop -u $U5
mdev "mdevctl undefine $U5" undefine -u $U5
mdev "mdevctl list --defined, after" list --defined
check_eq "nothing defined" "" "$(cat /tmp/mdevctl.out)"

# --- a parent unbound under its instance (4) -----------------------------
check "create $U6 on $GEN1" create $GEN1 $U6
check "unbind $GEN1 with $U6 on it" sh -c "echo $GEN1 >$DRV/unbind"
check "$U6 went with its parent" test ! -e "$MDEVS/$U6"
check "$GEN1: no types left" \
	test ! -e /sys/bus/pci/devices/$GEN1/mdev_supported_types

# --- the end (3) -----------------------------------------------------------
check "unbind $FAST" sh -c "echo $FAST >$DRV/unbind"
check "rmmod idxd_mdev ims" rmmod idxd_mdev ims
check_clean_dmesg
done_testing
