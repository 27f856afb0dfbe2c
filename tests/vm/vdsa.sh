# SPDX-License-Identifier: GPL-2.0
# idxd_mdev's instances in the kvm VM (vm.sh's "kvm" mode), driven through
# VFIO by vdsa_test as a guest driver behind a minimal VMM (a KVM VM whose
# memory slots are the DMA buffers, at GPA == IOVA): every part on an
# instance of a second-generation parent; two instances of two parents
# (one of the first generation) at once from two processes; a reset with
# work queued on a slow WQ; two VMs on one parent: in pasid mode each
# copies in its own memory at the same IOVAs and cannot fire the other's
# interrupt, in pf mode (Debian's 6.1, and 6.12 with dma_mode=pf) the
# second VM is refused; an instance removed while open (the request
# interrupt), rmmod refused while one is open, a parent unbound under an
# open instance. Types, sysfs and mdevctl are mdev.sh's and mdevctl.sh's.
# shellcheck shell=sh
# Some helpers run only through check, out of shellcheck's sight:
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

FAST=0000:00:10.0
SLOW=0000:00:11.0
GEN1=0000:00:12.0
TYPE=idxd_mdev-dsa-1dwq
DRV=/sys/bus/pci/drivers/idxd_mdev
MDEVS=/sys/bus/mdev/devices
DBG=/sys/kernel/debug/idxd_mdev
U1=4f1d1a3e-0c2b-4e6a-9d1f-000000000001
U2=4f1d1a3e-0c2b-4e6a-9d1f-000000000002
U3=4f1d1a3e-0c2b-4e6a-9d1f-000000000003
U4=4f1d1a3e-0c2b-4e6a-9d1f-000000000004
U5=4f1d1a3e-0c2b-4e6a-9d1f-000000000005
U6=4f1d1a3e-0c2b-4e6a-9d1f-000000000006

# Debian's 6.1 has no PASID attach (compat/probes): DMA goes through the
# parent's requester ID there (pf mode); 6.12 gives each instance a PASID
# and is also run with dma_mode=pf.
case $(uname -r) in
6.1.*) MODES=pf ;;
*) MODES="pasid pf" ;;
esac

# vdsa_test says how many results its parts print; the rest is counted
# per section below.
n_all=$(vdsa_test --count "$U1" nokvm info abi ops moreops confine hostile zap swerr viommu)
n_halt=$(vdsa_test --count "$U3" halt)
n_ops=$(vdsa_test --count "$U2" ops moreops)
n_busyreset=$(vdsa_test --count "$U2" resetbusy)
n_hold=$(vdsa_test --count "$U4" hold)
n_peer=$(vdsa_test --count "$U5" peer)
n_busy=$(vdsa_test --count "$U5" busy)
n_req=$(vdsa_test --count "$U2" req)
n_pasid=$((2 * n_ops + n_peer + n_hold + n_busy + 13))
n_pf=$((n_busy + n_hold + 9))
n_modes=0
for m in $MODES; do
	if [ "$m" = pasid ]; then
		n_modes=$((n_modes + n_pasid))
	else
		n_modes=$((n_modes + n_pf))
	fi
done
plan $((7 + (n_all + 7) + (2 * n_ops + 5) + (n_busyreset + 3) + (n_halt + 6) +
	(1 + n_modes) + (n_req + 5) + (n_hold + 9) + 2))

types() {
	echo "/sys/bus/pci/devices/$1/mdev_supported_types/$TYPE"
}

create() {
	echo "$2" >"$(types "$1")/create"
}

remove() {
	echo 1 >"$MDEVS/$1/remove"
}

available() {
	cat "$(types "$1")/available_instances"
}

# dma_of BDF UUID FIELD: a line of the instance's debugfs dma state.
dma_of() {
	sed -n "s/^$3 //p" "$DBG/$1/$2/dma"
}

# check_rc NAME RC: a program run in the background ended with RC.
check_rc() {
	if [ "$2" -eq 0 ]; then ok "$1: exit 0"; else not_ok "$1" "exit $2"; fi
}

# ops_at_once WHAT UUID1 UUID2: vdsa_test's operations on both instances
# from two processes at the same time (their seeds differ), and how each
# ended.
ops_at_once() {
	vdsa_test --seed 2 "$2" ops moreops &
	_p1=$!
	vdsa_test --seed 3 "$3" ops moreops &
	_p2=$!
	wait $_p1
	check_rc "$1vdsa_test $2 (with $3 at once)" $?
	wait $_p2
	check_rc "$1vdsa_test $3 (with $2 at once)" $?
}

# hold_start UUID: vdsa_test holds the instance open, its device up,
# until the request interrupt; HOLD is its process.
hold_start() {
	rm -f "/tmp/vdsa-$1.ready"
	vdsa_test --seed 7 "$1" hold &
	HOLD=$!
	check "vdsa_test holds $1 open" wait_for 60 test -e "/tmp/vdsa-$1.ready"
}

# --- modules and parents (7) ---------------------------------------------
check "modprobe kvm_amd" modprobe kvm_amd
check "modprobe vfio_iommu_type1" modprobe vfio_iommu_type1
# The model's IMS table is emulated: the library may serve it in a guest.
check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
for bdf in $FAST $SLOW $GEN1; do
	check "$bdf: bound through driver_override" bind_driver "$bdf" idxd_mdev
done

# --- a guest driver on one instance (1 + vdsa_test's, 4) -------------------
check "create $U1 on $FAST" create $FAST $U1
run_prog "vdsa_test $U1" vdsa_test $U1 nokvm info abi ops moreops confine hostile \
	zap swerr viommu
dmesg_has "a container without the VM's memory at its GPAs refused" \
	"idxd_mdev $U1: none of the VM's memory is in the VFIO container at IOVA == GPA"
D=$DBG/$FAST/$U1
check_eq "debugfs: closed, no DMA translation" none "$(dma_of $FAST $U1 mode)"
check_eq "debugfs: nothing pinned once closed" 0 "$(dma_of $FAST $U1 pinned)"
check "debugfs: no IMS vector once closed" sh -c "! grep -q '^vector' $D/state"
check_eq "no IMS interrupt left" 0 "$(grep -c 'IMS.*idxd_mdev' /proc/interrupts)"

# --- two instances of two parents, two processes (3, vdsa_test's) ---------
check "create $U2 on $FAST" create $FAST $U2
check "create $U3 on $GEN1 (first generation)" create $GEN1 $U3
# pf mode: one VM per parent, so the two parents differ.
ops_at_once "" $U2 $U3
check "remove $U3" remove $U3

# --- a reset with work queued on a slow WQ (2, vdsa_test's, 1) -------------
check "create $U6 on $SLOW" create $SLOW $U6
run_prog "vdsa_test $U6 resetbusy" vdsa_test $U6 resetbusy
check "remove $U6" remove $U6

# --- the parent halts under an open instance (6, vdsa_test's) -------------
check "create $U3 on $GEN1" create $GEN1 $U3
rm -f "/tmp/vdsa-$U3.ready"
vdsa_test $U3 halt &
p3=$!
check "vdsa_test holds $U3 open, its WQ enabled" \
	wait_for 60 test -e "/tmp/vdsa-$U3.ready"
check "$GEN1: bus mastering turned off (function masked)" pci_halt $GEN1
wait $p3
check_rc "vdsa_test $U3 halt" $?
dmesg_has "$GEN1: halted, every instance told, recovered" \
	"idxd_mdev $GEN1: recovered by reset"
check "remove $U3" remove $U3

# --- two VMs on one parent ------------------------------------------------
check "create $U4 on $FAST" create $FAST $U4
for mode in $MODES; do
	echo "$mode" | sed 's/pasid/auto/' >/sys/module/idxd_mdev/parameters/dma_mode
	check "create $U5 on $FAST ($mode mode)" create $FAST $U5
	if [ "$mode" = pasid ]; then
		# Overlapping IOVAs: both VMs' memory is at the same addresses.
		ops_at_once "pasid, same IOVAs: " $U4 $U5
		hold_start $U4
		check_eq "pasid: $U4 in pasid mode" pasid "$(dma_of $FAST $U4 mode)"
		irqs=$(awk "/$U4/ { print \$2 }" /proc/interrupts)
		VDSA_PEER=$U4 run_prog "pasid: vdsa_test $U5 peer" \
			vdsa_test --seed 5 $U5 peer
		check_eq "pasid: $U4's IMS vector did not fire" "$irqs" \
			"$(awk "/$U4/ { print \$2 }" /proc/interrupts)"
		# One mode per function while instances are open: pf
		# mode's untagged slots could be named by a PASID's WQ.
		echo pf >/sys/module/idxd_mdev/parameters/dma_mode
		run_prog "pasid: a pf-mode open beside it refused" \
			vdsa_test $U5 busy
		dmesg_has "pasid: the refusal explained" \
			"idxd_mdev $U5: the open instances of $FAST are in pasid mode"
		echo auto >/sys/module/idxd_mdev/parameters/dma_mode
		check "pasid: remove $U5" remove $U5
		check "pasid: $U4 released (request interrupt)" remove $U4
		wait $HOLD
		check_rc "pasid: vdsa_test $U4 hold" $?
		check "create $U4 on $FAST again" create $FAST $U4
	else
		hold_start $U4
		check_eq "pf: $U4 in pf mode" pf "$(dma_of $FAST $U4 mode)"
		run_prog "pf: vdsa_test $U5 busy" vdsa_test $U5 busy
		dmesg_has "pf: the refusal explained" \
			"idxd_mdev $U5: .*another VM"
		check "pf: remove $U5" remove $U5
		check "pf: $U4 released (request interrupt)" remove $U4
		wait $HOLD
		check_rc "pf: vdsa_test $U4 hold" $?
		check "create $U4 on $FAST again" create $FAST $U4
	fi
done
echo auto >/sys/module/idxd_mdev/parameters/dma_mode

# --- removed while open: the request interrupt (5, vdsa_test's) ------------
rm -f "/tmp/vdsa-$U2.ready"
vdsa_test $U2 req &
p2=$!
check "vdsa_test holds $U2 open" wait_for 60 test -e "/tmp/vdsa-$U2.ready"
check "debugfs: a DMA translation while open" \
	test "$(dma_of $FAST $U2 mode)" != none
check "remove $U2 while open (returns once it is closed)" remove $U2
wait $p2
check_rc "vdsa_test $U2 req" $?
check "$U2 gone" test ! -e "$MDEVS/$U2"

# --- rmmod refused, a parent unbound, while open (9, vdsa_test's) --------
check "remove $U1" remove $U1
hold_start $U4
check "debugfs: the guest's memory pinned while its WQ is enabled" \
	test "$(dma_of $FAST $U4 pinned)" -gt 0
check "rmmod idxd_mdev refused while $U4 is open" sh -c "! rmmod idxd_mdev 2>/dev/null"
check "unbind $FAST with $U4 open (returns once it is closed)" \
	sh -c "echo $FAST >$DRV/unbind"
wait $HOLD
check_rc "vdsa_test $U4 hold, until the parent went" $?
check "$U4 went with its parent" test ! -e "$MDEVS/$U4"
check "$FAST: no types left" test ! -e "/sys/bus/pci/devices/$FAST/mdev_supported_types"
check_eq "$FAST unbound" "" "$(readlink /sys/bus/pci/devices/$FAST/driver)"

# --- the end (2) -----------------------------------------------------------
check "unbind the others, rmmod idxd_mdev ims" sh -c \
	"echo $SLOW >$DRV/unbind && echo $GEN1 >$DRV/unbind && rmmod idxd_mdev ims"
check_clean_dmesg
done_testing
