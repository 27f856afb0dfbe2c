# SPDX-License-Identifier: GPL-2.0
# The ims library on the QEMU DSA model, through the example driver of
# examples/dsa-ims: completion interrupts arrive through IMS slots, and a
# slot tagged with a PASID keeps its tag from free_irq() until
# ims_free_irq(), so work of another PASID can neither fire nor latch it.
# shellcheck shell=sh
# Some helpers run only through check and wait_for, out of shellcheck's sight:
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 59

BDF=0000:00:10.0
dev=/sys/bus/pci/devices/$BDF
D=/sys/kernel/debug/dsa_ims/$BDF

ctl() {
	echo "$*" >"$D/ctl"
}

# slot_field SLOT NAME: field NAME=... of the slot's line in "slots".
slot_field() {
	awk -v s="$1" -v f="$2=" '$1 == "slot" && $2 == s {
		for (i = 3; i <= NF; i++)
			if (index($i, f) == 1) print substr($i, length(f) + 1)
	}' "$D/slots"
}

# status NAME: field NAME=... of the last submission.
status() {
	sed -n "s/.*$1=\([^ ]*\).*/\1/p" "$D/status"
}

# ctrl_of SLOT: the slot's control word as the device holds it.
ctrl_of() {
	awk -v s="$1" '$1 == s { print $2 }' "$D/ctrl"
}

count_is() {
	[ "$(slot_field "$1" count)" = "$2" ]
}

check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe dsa_ims" modprobe dsa_ims
check "dsa_ims takes no device by itself" test ! -e "$dev/driver"

# --- binding: only through driver_override, only a DSA --------------------
edu=$(grep -l 0x11e8 /sys/bus/pci/devices/*/device | head -n 1)
check "QEMU's edu device is there to be refused" test -n "$edu"
edu=$(dirname "$edu")
echo dsa_ims >"$edu/driver_override"
basename "$edu" >/sys/bus/pci/drivers_probe 2>/dev/null
check "another device is refused" test ! -e "$edu/driver"
dmesg_has "refusal explained" "dsa_ims $(basename "$edu"): not an Intel DSA (1234:11e8)"
echo >"$edu/driver_override"

echo dsa_ims >"$dev/driver_override"
echo "$BDF" >/sys/bus/pci/drivers_probe
check_eq "the DSA is bound through driver_override" dsa_ims \
	"$(basename "$(readlink "$dev/driver")")"
dmesg_has "probe: WQ enabled, slots from GENCAP" \
	"dsa_ims $BDF: WQ 0 enabled, 2048 IMS slots"

# --- an untagged slot: the completion interrupt arrives through IMS -------
check "alloc slot 6" ctl alloc 6
check_eq "slot 6: masked until requested" 0x1 "$(slot_field 6 ctrl)"
check "request slot 6" ctl request 6
check_eq "slot 6: unmasked, no PASID" 0x0 "$(slot_field 6 ctrl)"
check "NOOP naming slot 6" ctl submit 6
check_eq "NOOP completed" 0x1 "$(status completion)"
check "slot 6's handler ran once" wait_for 5 count_is 6 1

# --- a slot tagged with PASID 7, and a WQ without a PASID -----------------
check "alloc slot 5 for PASID 7" ctl alloc 5 7
check_eq "slot 5: PASID 7, enabled, masked" 0x7009 "$(slot_field 5 ctrl)"
check "request slot 5" ctl request 5
check_eq "slot 5: PASID 7, unmasked" 0x7008 "$(slot_field 5 ctrl)"
check "NOOP naming slot 5" ctl submit 5
check_eq "the device refuses the handle (INT_HANDLE_INVAL)" 0x19 \
	"$(status completion)"
check_eq "SWERR reports it" 0x19 "$(status swerr_error)"

# free_irq(): the vector stays allocated, and so does the tag.
check "free_irq slot 5" ctl free_irq 5
check_eq "slot 5 after free_irq: still PASID 7, masked" 0x7009 \
	"$(slot_field 5 ctrl)"
check "NOOP naming slot 5 after free_irq" ctl submit 5
check_eq "still refused, so nothing is latched" 0x19 "$(status completion)"
check "request slot 5 again" ctl request 5
sleep 1
check_eq "no stale interrupt delivered on request" 0 "$(slot_field 5 count)"
check_eq "slot 6 untouched" 1 "$(slot_field 6 count)"

# ims_free_irq(): the slot is given back; reused untagged it works.
check "free_irq slot 5 again" ctl free_irq 5
check "free slot 5" ctl free 5
check_eq "slot 5 gone" "" "$(slot_field 5 ctrl)"
check_eq "slot 5 given back: masked, untagged in the device" 0x1 \
	"$(ctrl_of 5)"
check_eq "slot 6 still live in the device" 0x0 "$(ctrl_of 6)"
check "alloc slot 5 without a PASID" ctl alloc 5
check "request slot 5" ctl request 5
check "NOOP naming slot 5" ctl submit 5
check_eq "NOOP completed" 0x1 "$(status completion)"
check "slot 5's handler ran once" wait_for 5 count_is 5 1

# --- bad input: errno and one line -----------------------------------------
expect_errno "slot out of range" "Invalid argument" "$D/ctl" "alloc 5000"
dmesg_has "out of range explained" "IMS: slot 5000 is out of range 0-2047"
expect_errno "slot in use" "Device or resource busy" "$D/ctl" "alloc 6"
expect_errno "PASID wider than 20 bits" "Invalid argument" "$D/ctl" \
	"alloc 3 1048576"
dmesg_has "PASID refusal explained" "IMS: slot 3 refused its cookie: -22"
expect_errno "request of a free slot" "No such file or directory" \
	"$D/ctl" "request 9"
dmesg_has "free slot explained" "dsa_ims $BDF: slot 9 is not allocated"
expect_errno "slot past an int" "Invalid argument" "$D/ctl" "alloc 4294967295"
dmesg_has "bad slot explained" "dsa_ims $BDF: bad slot '4294967295' (0-2047)"
expect_errno "submit past the table" "Invalid argument" "$D/ctl" "submit 2048"
expect_errno "PASID that is not a number" "Invalid argument" "$D/ctl" \
	"alloc 3 0x10zz"
dmesg_has "bad PASID explained" "dsa_ims $BDF: bad PASID '0x10zz'"
expect_errno "PASID to a command that takes none" "Invalid argument" \
	"$D/ctl" "request 6 7"
expect_errno "unknown command" "Invalid argument" "$D/ctl" "frob 9"
dmesg_has "unknown command explained" "dsa_ims $BDF: unknown command 'frob'"
check_eq "nothing allocated by the refused commands" "5 6" \
	"$(awk '$1 == "slot" { printf "%s%s", sep, $2; sep = " " }' "$D/slots")"

# --- unbind and unload leave nothing ---------------------------------------
check "unbind" sh -c "echo $BDF >/sys/bus/pci/drivers/dsa_ims/unbind"
check_eq "no dsa_ims interrupts left" 0 \
	"$(grep -c "dsa_ims-" /proc/interrupts)"
check "rmmod dsa_ims ims" rmmod dsa_ims ims
check_clean_dmesg
done_testing
