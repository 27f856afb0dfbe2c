# SPDX-License-Identifier: GPL-2.0
# idxd_mdev's parent driver on the QEMU DSA model, on a function of each
# generation: it binds only through driver_override and only to a DSA/IAX,
# resets and carves the function as Documentation/idxd-mdev.rst says,
# keeps descriptors off its MSI-X vectors, takes interrupt handles the way
# the generation wants, sees a halt on vector 0, attributes it to every WQ
# and recovers by reset, refuses a bad "wqs" parameter, and leaves nothing
# behind.
# shellcheck shell=sh
# Some helpers run only through check, out of shellcheck's sight:
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 62

DRV=/sys/bus/pci/drivers/idxd_mdev

# The model's IMS table is emulated: the library may serve it in a guest.
check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
check "idxd_mdev takes no DSA by itself" \
	test ! -e /sys/bus/pci/devices/0000:00:10.0/driver -a \
	! -e /sys/bus/pci/devices/0000:00:12.0/driver

# --- another device is refused ---------------------------------------------
edu=$(grep -l 0x11e8 /sys/bus/pci/devices/*/device | head -n 1)
edu=$(dirname "$edu")
echo idxd_mdev >"$edu/driver_override"
expect_errno "edu refused through bind" "No such device" "$DRV/bind" \
	"$(basename "$edu")"
check "edu stays unbound" test ! -e "$edu/driver"
dmesg_has "refusal explained" \
	"idxd_mdev $(basename "$edu"): not an Intel DSA or IAX (1234:11e8)"
echo >"$edu/driver_override"


# The documented policy on the model's 8 WQs, 4 groups, 4 engines, 128
# entries: 16 entries each, dedicated, priority 1; WQ i in group i % 4;
# engine g in group g.
CARVED="wq 0 size 16 mode 0x11
wq 1 size 16 mode 0x11
wq 2 size 16 mode 0x11
wq 3 size 16 mode 0x11
wq 4 size 16 mode 0x11
wq 5 size 16 mode 0x11
wq 6 size 16 mode 0x11
wq 7 size 16 mode 0x11
group 0 wqs 0x11 engines 0x1
group 1 wqs 0x22 engines 0x2
group 2 wqs 0x44 engines 0x4
group 3 wqs 0x88 engines 0x8"

# vector0 BDF: how often vector 0 fired, over every CPU.
vector0() {
	awk -v n="idxd_mdev-$1" '$NF == n {
		s = 0
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i
		print s
	}' /proc/interrupts
}

# function BDF GEN: probe, carving, the permission table, interrupt
# handles and a halt on one function.
function_checks() {
	bdf=$1
	gen=$2
	D=/sys/kernel/debug/idxd_mdev/$bdf
	check "$bdf: bound through driver_override" bind_driver "$bdf" idxd_mdev
	dmesg_has "$bdf: probe line" \
		"idxd_mdev $bdf: DSA generation $gen: 8 WQs in 4 groups, 2048 IMS slots"
	check_eq "$bdf: generation" "generation $gen" "$(head -n 1 "$D/config")"
	check_eq "$bdf: carved as documented" "$CARVED" \
		"$(tail -n +2 "$D/config")"
	check "$bdf: handle of IMS slot 7" sh -c "echo get 7 >$D/int_handle"
	dmesg_has "$bdf: slot 7's handle is 7" \
		"idxd_mdev $bdf: IMS slot 7: interrupt handle 7"
	expect_errno "$bdf: slot past the IMS table" "Invalid argument" \
		"$D/int_handle" "get 2048"
	check "$bdf: handle 7 given back" sh -c "echo put 7 >$D/int_handle"
	check_eq "$bdf: MSI-X permission table: IGNORE on all 9 vectors" \
		"9 9" "$(awk '{ n++ } $2 == "0x4" { i++ } END { print n, i }' \
			"$D/msix_perm")"

	# A software error on WQ 3, attributed to WQ 3 alone.
	check "$bdf: a bad descriptor on WQ 3" sh -c "echo 3 >$D/wq_error"
	check "$bdf: the error attributed to WQ 3" wait_for 5 \
		grep -q "^wq 3 errors 1 halts 0$" "$D/wqs"
	check_eq "$bdf: no other WQ charged" 7 "$(grep -c 'errors 0' "$D/wqs")"
	dmesg_has "$bdf: logged with its code (misaligned record)" \
		"idxd_mdev $bdf: WQ 3: software error 0x1b, no instance to tell"

	# A halt: bus mastering turned off under the enabled device.
	before=$(vector0 "$bdf")
	check "$bdf: bus mastering turned off (function masked)" pci_halt "$bdf"
	check "$bdf: recovered by reset" wait_for 10 sh -c \
		"dmesg | grep -q 'idxd_mdev $bdf: recovered by reset'"
	check "$bdf: the halt came on vector 0" \
		test "$(vector0 "$bdf")" -gt "$before"
	check_eq "$bdf: logged once, with the model's SWERR" 1 \
		"$(dmesg | grep -c "idxd_mdev $bdf: device halted (software error 0x51): halting every instance, resetting")"
	check_eq "$bdf: every WQ's owner told of it" \
		"8 8" "$(awk '{ n++ } $6 == 1 { h++ } END { print n, h }' \
			"$D/wqs")"
	check_eq "$bdf: device enabled again" 1 "$(cat "$D/state")"
	check_eq "$bdf: carved again after the reset" "$CARVED" \
		"$(tail -n +2 "$D/config")"
	check_eq "$bdf: permission table written again" "9 9" \
		"$(awk '{ n++ } $2 == "0x4" { i++ } END { print n, i }' \
			"$D/msix_perm")"
}

function_checks 0000:00:10.0 2
# Generation 2 releases through the device, which refuses a handle it
# never gave; generation 1 has nothing to release.
echo "put 4000" >/sys/kernel/debug/idxd_mdev/0000:00:10.0/int_handle
dmesg_has "gen 2: RELEASE_INT_HANDLE went to the device" \
	"idxd_mdev 0000:00:10.0: command 14 (operand 0x10fa0) failed: status 0x42"
function_checks 0000:00:12.0 1
echo "put 4000" >/sys/kernel/debug/idxd_mdev/0000:00:12.0/int_handle
check_eq "gen 1: no command for a handle" 1 \
	"$(dmesg | grep -c 'command 14 (operand 0x10fa0)')"
check_eq "gen 1: never a REQUEST_INT_HANDLE" 0 \
	"$(dmesg | grep -c 'idxd_mdev 0000:00:12.0: command 13')"

# --- the administrator's knob ----------------------------------------------
check "unbind 00:10.0" sh -c "echo 0000:00:10.0 >$DRV/unbind"
echo 9 >/sys/module/idxd_mdev/parameters/wqs
expect_errno "wqs=9 on 8 WQs refused" "Invalid argument" "$DRV/bind" \
	0000:00:10.0
dmesg_has "refusal explained" \
	"idxd_mdev 0000:00:10.0: cannot carve 9 WQs (wqs=9) from 8 WQs, 4 groups, 4 engines, 128 WQ entries"
check "00:10.0 unbound after the refusal" \
	test ! -e /sys/bus/pci/devices/0000:00:10.0/driver
echo 3 >/sys/module/idxd_mdev/parameters/wqs
check "wqs=3 binds" sh -c "echo 0000:00:10.0 >$DRV/bind"
check_eq "wqs=3: 3 WQs of 42/43 entries in 3 groups" "wq 0 size 43 mode 0x11
wq 1 size 43 mode 0x11
wq 2 size 42 mode 0x11
group 0 wqs 0x1 engines 0x9
group 1 wqs 0x2 engines 0x2
group 2 wqs 0x4 engines 0x4" \
	"$(tail -n +2 /sys/kernel/debug/idxd_mdev/0000:00:10.0/config)"
echo 0 >/sys/module/idxd_mdev/parameters/wqs

# --- unbind and unload leave nothing ---------------------------------------
check "unbind both" sh -c \
	"echo 0000:00:10.0 >$DRV/unbind && echo 0000:00:12.0 >$DRV/unbind"
check_eq "no idxd_mdev interrupts" 0 "$(grep -c idxd_mdev /proc/interrupts)"
check "rmmod idxd_mdev ims" rmmod idxd_mdev ims
check "the debugfs directory is gone" test ! -e /sys/kernel/debug/idxd_mdev
check_clean_dmesg
done_testing
