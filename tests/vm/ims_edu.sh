# SPDX-License-Identifier: GPL-2.0
# IMS library on a real (emulated) device: the ims_edu test driver keeps
# the storage, QEMU's edu DMA engine performs each slot's MSI write.
# Kernel command line: idxd_ir=on|off says whether QEMU has interrupt
# remapping, so the test can check the kernel agrees.
# shellcheck shell=sh
# Some helpers run only through check and wait_for, out of shellcheck's sight:
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 103
ir=$(cmdline_arg idxd_ir)

# get FILE KIND SLOT NAME: field NAME=... of the line for KIND SLOT.
get() {
	awk -v k="$2" -v s="$3" -v f="$4=" '$1 == k && $2 == s {
		for (i = 3; i <= NF; i++)
			if (index($i, f) == 1) print substr($i, length(f) + 1)
	}' "$D/$1"
}

field() {
	get vectors "$@"
}

slot_field() {
	get slots "$@"
}

ctl() {
	echo "$*" >"$D/ctl"
}

count_is() {
	[ "$(field "$1" "$2" count)" = "$3" ]
}

# fire KIND SLOT: the device sends the slot's message; wait for the count
# to move (up to 5 s, TCG is slow) and say whether it did.
fire() {
	_before=$(field "$1" "$2" count)
	ctl fire "$1" "$2" || return 1
	wait_for 5 count_is "$1" "$2" $((_before + 1))
}

proc_interrupts_count() {
	awk -v irq="$1:" '$1 == irq { print $2 + $3 }' /proc/interrupts
}

# --- interrupt remapping is what QEMU was told ---------------------------
if [ "$ir" = on ]; then
	dmesg_has "interrupt remapping enabled" "Enabled IRQ remapping"
else
	if dmesg | grep -q "Enabled IRQ remapping"; then
		not_ok "interrupt remapping disabled" "kernel enabled it"
	else
		ok "interrupt remapping disabled"
	fi
fi

# --- policy: refused under a hypervisor without the override -------------
check "modprobe ims" modprobe ims
check "modprobe ims_edu" modprobe ims_edu
D=$(echo /sys/kernel/debug/ims_edu/0000:*)
check "edu device bound" [ -e "$D/ctl" ]
expect_errno "refused under a hypervisor" "Operation not supported" \
	"$D/ctl" "create array 16"
dmesg_has "refusal explained in dmesg" "IMS: refused under a hypervisor"
rmmod ims_edu
rmmod ims
modprobe ims allow_guest=1
modprobe ims_edu
check_eq "override visible as parameter" Y \
	"$(cat /sys/module/ims/parameters/allow_guest)"

# --- domain creation, bad storage descriptions ----------------------------
check "create slot-array domain" ctl create array 16
expect_errno "zero slots refused" "Invalid argument" "$D/ctl" "create queue 0"
dmesg_has "zero slots explained" "IMS: a domain needs at least one slot"

# --- allocation ------------------------------------------------------------
check "alloc explicit slot 3" ctl alloc array 3
check "alloc any slot" ctl alloc array any
check_eq "any slot is the lowest free" 0 "$(field array 0 count)"
check "alloc any again" ctl alloc array any
check_eq "next any slot is 1" 0 "$(field array 1 count)"
expect_errno "taken slot is busy" "Device or resource busy" "$D/ctl" "alloc array 3"
dmesg_has "taken slot explained" "IMS: slot 3 is in use"
expect_errno "slot out of range" "Invalid argument" "$D/ctl" "alloc array 16"
dmesg_has "range explained" "IMS: slot 16 is out of range 0-15"

V3=$(field array 3 virq)
check "slot 3 in /proc/interrupts as IMS edge" \
	grep -q "^ *$V3:.* IMS *3-edge *ims-edu-array-3\$" /proc/interrupts

# --- message format --------------------------------------------------------
addr=$(field array 3 addr)
data=$(field array 3 data)
check "slot 3 holds an MSI address" [ $((addr & 0xfff00000)) -eq $((0xfee00000)) ]
if [ "$ir" = on ]; then
	# Remappable format: bit 4 set, the IRTE handle in bits 19:5 and 2.
	check "remappable format under IR" [ $((addr & 0x10)) -ne 0 ]
	check_eq "remappable data is 0 (subhandle)" 0 $((data))
else
	check "compatibility format without IR" [ $((addr & 0x10)) -eq 0 ]
	check "data holds a device vector" [ $((data & 0xff)) -ge 32 ]
fi
check_eq "slot unmasked after request_irq" 0 $(($(field array 3 ctrl) & 1))

# --- delivery: right handler -----------------------------------------------
check "slot 3 fires" fire array 3
check_eq "slot 0 handler untouched" 0 "$(field array 0 count)"
check_eq "slot 1 handler untouched" 0 "$(field array 1 count)"
check_eq "/proc/interrupts counted it" 1 "$(proc_interrupts_count "$V3")"
check "slot 0 fires" fire array 0
check_eq "slot 3 handler untouched by slot 0" 1 "$(field array 3 count)"

# --- delivery: right CPU, across affinity changes --------------------------
# Without remapping, x86 moves an interrupt when it next arrives (in its
# ack), not when the affinity is written: fire once to complete the move.
for cpu in 1 0 1; do
	msg_before="$(field array 3 addr) $(field array 3 data)"
	echo "$cpu" >"/proc/irq/$V3/smp_affinity_list"
	check "fires while moving to cpu$cpu" fire array 3
	check_eq "effective affinity cpu$cpu" "$cpu" \
		"$(cat "/proc/irq/$V3/effective_affinity_list")"
	msg_after="$(field array 3 addr) $(field array 3 data)"
	if [ "$ir" = on ]; then
		check_eq "IR keeps the slot message on move to cpu$cpu" \
			"$msg_before" "$msg_after"
	else
		# Address bit 2 selects logical (flat: one bit per CPU) or
		# physical (APIC ID = CPU number under QEMU) destination mode.
		addr=$(field array 3 addr)
		want=$cpu
		[ $((addr & 4)) -ne 0 ] && want=$((1 << cpu))
		check_eq "destination ID is cpu$cpu" "$want" \
			$(((addr >> 12) & 0xff))
	fi
	check "fires after move to cpu$cpu" fire array 3
	check_eq "handler ran on cpu$cpu" "$cpu" "$(field array 3 cpu)"
done

check "alloc slot 7 with affinity cpu1" ctl alloc array 7 cpu=1
V7=$(field array 7 virq)
check_eq "slot 7 effective affinity cpu1" 1 \
	"$(cat "/proc/irq/$V7/effective_affinity_list")"
check "slot 7 fires" fire array 7
check_eq "slot 7 handler ran on cpu1" 1 "$(field array 7 cpu)"
expect_errno "affinity to offline cpu refused" "Invalid argument" \
	"$D/ctl" "alloc array 8 cpu=64"

# --- PASID cookie -----------------------------------------------------------
check "alloc slot 5 with PASID 0x1234" ctl alloc array 5 pasid=0x1234
check_eq "ctrl holds PASID and PASID-enable, unmasked" $((0x1234008)) \
	$(($(field array 5 ctrl)))
check "PASID-tagged slot fires" fire array 5
check "mask PASID-tagged slot" ctl mask array 5
check_eq "mask keeps the PASID bits" $((0x1234009)) $(($(field array 5 ctrl)))
check "unmask PASID-tagged slot" ctl enable array 5
expect_errno "PASID wider than 20 bits refused" "Invalid argument" \
	"$D/ctl" "alloc array 6 pasid=0x100000"
dmesg_has "PASID refusal explained" "IMS: slot 6 refused its cookie"
check_eq "refused slot left in its reset state" "0 0 1" \
	"$(($(slot_field array 6 addr))) $(($(slot_field array 6 data))) $(($(slot_field array 6 ctrl)))"

# --- masking: the device latches, the unmask delivers ----------------------
check "mask slot 3" ctl mask array 3
check_eq "mask bit set in the slot" 1 $(($(field array 3 ctrl) & 1))
before=$(field array 3 count)
ctl fire array 3
usleep 500000
check_eq "masked slot does not fire" "$before" "$(field array 3 count)"
check_eq "device holds it pending" 1 "$(field array 3 pending)"
check "unmask delivers the pending interrupt" ctl enable array 3
check "pending interrupt handled" wait_for 5 count_is array 3 $((before + 1))
check_eq "mask bit clear after unmask" 0 $(($(field array 3 ctrl) & 1))
check_eq "nothing left pending" 0 "$(field array 3 pending)"

# --- lazy disable: the core masks on arrival, retriggers on enable ---------
check "disable slot 0 (lazy)" ctl disable array 0
check_eq "lazy disable leaves the slot unmasked" 0 $(($(field array 0 ctrl) & 1))
before=$(field array 0 count)
ctl fire array 0
usleep 500000
check_eq "disabled interrupt not handled" "$before" "$(field array 0 count)"
check_eq "core masked the slot on arrival" 1 $(($(field array 0 ctrl) & 1))
check "enable slot 0" ctl enable array 0
check "core retriggered it through the parent" \
	wait_for 5 count_is array 0 $((before + 1))
check_eq "slot 0 unmasked again" 0 $(($(field array 0 ctrl) & 1))

# --- exhaustion --------------------------------------------------------------
n=0
while ctl alloc array any 2>/dev/null; do n=$((n + 1)); done
check_eq "alloc any until full" 11 "$n"
expect_errno "full domain" "No space left on device" "$D/ctl" "alloc array any"
dmesg_has "full domain explained" "IMS: all 16 slots are in use"

# --- free ---------------------------------------------------------------------
check "free slot 3" ctl free array 3
check_eq "freed slot masked and zeroed" "0 0 1" \
	"$(($(slot_field array 3 addr))) $(($(slot_field array 3 data))) $(($(slot_field array 3 ctrl)))"
check "freed irq gone from /proc/interrupts" \
	sh -c "! grep -q ims-edu-array-3 /proc/interrupts"
check "freed slot allocatable again" ctl alloc array 3
check "reallocated slot fires" fire array 3
expect_errno "free of an unallocated slot" "No such file or directory" \
	"$D/ctl" "free queue 1"

# --- device-defined (queue context) storage --------------------------------
check "create queue-storage domain" ctl create queue 4
check "alloc queue vector" ctl alloc queue any
# Without IR the startup affinity setting changes the message once more;
# with IR the remapping entry changes instead.
if [ "$ir" = on ]; then writes=1; else writes=2; fi
check_eq "queue: prepare, message written at activation, unmasked" \
	"prepare=1 write_msg=$writes mask=0 unmask=1 shutdown=0" "$(cat "$D/storage")"
check "queue vector fires" fire queue 0
check "queue: mask" ctl mask queue 0
ctl fire queue 0
usleep 500000
check_eq "queue: masked context holds it pending" 1 "$(field queue 0 pending)"
check "queue: unmask delivers" ctl enable queue 0
check "queue: pending interrupt handled" wait_for 5 count_is queue 0 2
check "queue: free" ctl free queue 0
check "queue: free shut the context down" \
	grep -q "shutdown=[1-9]" "$D/storage"

# --- destroy with live vectors -----------------------------------------------
check "destroy domain with live vectors" ctl destroy array
dmesg_has "destroy reports the live vectors" "IMS: destroyed with 16 vectors allocated"
check "no array vectors left in /proc/interrupts" \
	sh -c "! grep -q ims-edu-array /proc/interrupts"
check "recreate after destroy" ctl create array 4
check "alloc after recreate" ctl alloc array any
check "fires after recreate" fire array 0

# --- teardown leaves nothing behind ------------------------------------------
check "rmmod ims_edu" rmmod ims_edu
check "no IMS interrupts left" sh -c "! grep -q ' IMS ' /proc/interrupts"
check "rmmod ims" rmmod ims
check_clean_dmesg
done_testing
