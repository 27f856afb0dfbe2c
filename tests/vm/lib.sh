# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for tests that run inside the VM (busybox sh). A test declares
# its plan first ("plan N": the number of "ok"/"not ok" lines it prints,
# those of the programs it runs included), prints one "ok NAME" or
# "not ok NAME: why" line per check, and ends with "done_testing" (or
# exit "$FAILED"): its exit status is its number of failures. The host
# (vm_judge in scripts/judge.sh) reports "not ok" for fewer or more lines
# than planned, a non-zero exit status, or a VM that did not finish.

FAILED=0

# The machine of a guest (L2) that Debian's QEMU runs in a "kvm" boot:
# KVM, one CPU with MOVDIR64B (idxd's portals), q35, 256 MiB, its console
# on stdio, the kernel and initramfs of /l2. Words, used unquoted.
# shellcheck disable=SC2034 # for the tests that source this
L2_MACHINE="-enable-kvm -cpu qemu64,+movdir64b -machine q35 -m 256 -smp 1
	-nodefaults -display none -serial stdio
	-kernel /l2/vmlinuz -initrd /l2/initrd.gz"

# plan N: this script prints N result lines when it runs to its end.
plan() {
	echo "1..$1"
}

# done_testing: exit with the number of failed checks (at most 255).
done_testing() {
	exit $((FAILED > 255 ? 255 : FAILED))
}

ok() {
	echo "ok $1"
}

not_ok() {
	echo "not ok $1: $2"
	FAILED=$((FAILED + 1))
}

# check NAME COMMAND...: ok when COMMAND succeeds.
check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else not_ok "$_name" "failed: $*"; fi
}

# run_prog NAME PROGRAM ARGS...: run a program whose own "ok"/"not ok"
# lines count in the plan, and check how it ended: one more line, "ok
# NAME: exit 0", or "not ok NAME: exit N" / "not ok NAME: killed by
# signal S" (a shell reports death by signal S as status 128 + S).
run_prog() {
	_name=$1
	shift
	"$@"
	_rc=$?
	if [ "$_rc" -eq 0 ]; then
		ok "$_name: exit 0"
	elif [ "$_rc" -gt 128 ] && [ "$_rc" -le 192 ]; then
		# The shell reports a killing signal S as 128 + S (S <= 64).
		not_ok "$_name" "killed by signal $((_rc - 128))"
	else
		not_ok "$_name" "exit $_rc"
	fi
}

# bind_driver BDF DRIVER: bind the function to DRIVER through
# driver_override and drivers_probe, as for vfio-pci.
bind_driver() {
	echo "$2" >"/sys/bus/pci/devices/$1/driver_override" &&
		echo "$1" >/sys/bus/pci/drivers_probe &&
		test "$(basename "$(readlink "/sys/bus/pci/devices/$1/driver")")" = "$2"
}

# unbind_driver BDF: the function left without a driver, and without an
# override.
unbind_driver() {
	echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind" &&
		echo >"/sys/bus/pci/devices/$1/driver_override" &&
		test ! -e "/sys/bus/pci/devices/$1/driver"
}

# cfg_rd BDF OFFSET SIZE: a config-space register, in decimal.
cfg_rd() {
	od -An -tu"$3" -j"$2" -N"$3" "/sys/bus/pci/devices/$1/config" | tr -d ' '
}

# cfg_wr16 BDF OFFSET VALUE: write a 16-bit config-space register.
cfg_wr16() {
	# shellcheck disable=SC2059 # the octal escapes are the format
	printf "$(printf '\\%03o\\%03o' $(($3 & 255)) $(($3 >> 8)))" |
		dd of="/sys/bus/pci/devices/$1/config" bs=2 seek=$(($2 / 2)) \
			count=1 conv=notrunc 2>/dev/null
}

# cap_of BDF ID: the offset of capability ID in config space.
cap_of() {
	_p=$(cfg_rd "$1" 52 1)
	while [ "$_p" -ne 0 ]; do
		if [ "$(cfg_rd "$1" "$_p" 1)" -eq "$2" ]; then
			echo "$_p"
			return
		fi
		_p=$(cfg_rd "$1" $((_p + 1)) 1)
	done
}

# pci_halt BDF: turn bus mastering off under the enabled device, which halts
# it. A function without bus mastering cannot send its MSI-X message, so
# the function is masked meanwhile (MSI-X Function Mask): the halt's
# message waits as pending, and comes on vector 0 when bus mastering is
# back and the mask cleared, as the driver would see it on hardware once
# mastering returned.
pci_halt() {
	_msix=$(cap_of "$1" 17)
	_ctl=$(cfg_rd "$1" $((_msix + 2)) 2)
	_cmd=$(cfg_rd "$1" 4 2)
	cfg_wr16 "$1" $((_msix + 2)) $((_ctl | 0x4000)) &&
		cfg_wr16 "$1" 4 $((_cmd & ~4)) &&
		cfg_wr16 "$1" 4 "$_cmd" &&
		cfg_wr16 "$1" $((_msix + 2)) "$_ctl"
}

# mdev NAME ARGS...: mdevctl ARGS must exit 0; its output, without
# terminal escapes and blank lines, is kept in /tmp/mdevctl.out.
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

# dsa_bdf: the address of the DSA (8086:0b25) on the PCI bus, or nothing.
dsa_bdf() {
	for _d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$_d/vendor")" = 0x8086 ] && [ "$(cat "$_d/device")" = 0x0b25 ]; then
			basename "$_d"
		fi
	done
}

# idxd_dev BDF: the name idxd gave the device of function BDF (dsaN).
idxd_dev() {
	for _d in "/sys/bus/pci/devices/$1"/dsa*; do
		[ -e "$_d" ] && basename "$_d"
	done
}

# wq_kernel_dmaengine WQDIR: the idxd WQ at WQDIR (sysfs) made a kernel
# WQ for dmaengine, ready to bind: its type and name, and its driver
# where the kernel asks for one (6.12's driver_name).
wq_kernel_dmaengine() {
	echo kernel >"$1/type" && echo dmaengine >"$1/name" || return
	[ ! -e "$1/driver_name" ] || echo dmaengine >"$1/driver_name"
}

# cmdline_arg NAME: the value of NAME=VALUE on the kernel command line.
cmdline_arg() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p"
}

# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want '$2', got '$3'"; fi
}

# expect_errno NAME ERRTEXT FILE LINE: writing LINE to FILE must fail with
# the errno whose strerror() text is ERRTEXT.
expect_errno() {
	if echo "$4" >"$3" 2>/tmp/errno.out; then
		not_ok "$1" "'$4' succeeded, want '$2'"
	elif grep -q "$2" /tmp/errno.out; then
		ok "$1"
	else
		not_ok "$1" "want '$2', got '$(cat /tmp/errno.out)'"
	fi
}

# dmesg_has NAME PATTERN: the kernel log has a line matching PATTERN.
dmesg_has() {
	if dmesg | grep -q "$2"; then ok "$1"; else not_ok "$1" "no '$2' in dmesg"; fi
}

# wait_for SECONDS COMMAND...: poll COMMAND every 50 ms until it succeeds.
wait_for() {
	_n=$(($1 * 20))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		usleep 50000
		_n=$((_n - 1))
	done
	return 1
}

# No kernel warning, oops or lockdep report during the test.
check_clean_dmesg() {
	if dmesg | grep -E -q 'WARNING:|BUG:|Oops|possible circular|UBSAN|KASAN'; then
		not_ok "kernel log clean" "$(dmesg | grep -E -m1 'WARNING:|BUG:|Oops|possible circular|UBSAN|KASAN')"
	else
		ok "kernel log clean"
	fi
}
