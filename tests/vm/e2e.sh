# SPDX-License-Identifier: GPL-2.0
# The end-to-end test, in L1 (vm.sh's "kvm" mode): clients nobody here
# wrote drive idxd_mdev. The DSA at 00:10.0 bound to idxd_mdev, an
# instance made with Debian's mdevctl, Debian's qemu-system-x86_64 (in
# this image with its libraries, see e2etest.sh) starts a KVM guest (L2:
# the same Debian kernel, /l2/vmlinuz, with /l2/initrd.gz, running
# e2e_guest.sh) with the instance as its vfio-pci device; in L2 the
# kernel's own idxd probes the virtual DSA and dmacopy copies through a
# dedicated kernel WQ. L2's results are printed here as "L2 RUN: ..."
# lines; the instance's IMS interrupt count, read here at L2's samples,
# must rise by what L2 counted on its completion vector. Three lives of
# the VMM: the guest reboots and copies again (the reset path); QEMU is
# killed with SIGKILL while the WQ is enabled; a new QEMU uses the
# instance again. After each the instance holds no IMS vector, no DMA
# translation and no pinned page.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

# L2's results, e2e_guest.sh's plan, are printed here too.
n_l2=$(sed -n 's/^plan \([0-9][0-9]*\)$/\1/p' /tests/e2e_guest.sh)
plan $((39 + 3 * n_l2))

BDF=0000:00:10.0
TYPE=idxd_mdev-dsa-1dwq
U=6c1d7e2a-3b4c-4d5e-9f60-e2e000000001
COPIES=500
# What the VMM's guest may take (seconds), its boot included.
L2_TIMEOUT=400

# ims_count: the instance's completion vector's count, or "none".
ims_count() {
	awk -v n="idxd_mdev-$U-1" '$NF == n { c = $2 } END { print c == "" ? "none" : c }' \
		/proc/interrupts
}

# --- L1: KVM, VFIO, idxd_mdev, the instance (12) -----------------------------
check_eq "one CPU" 1 "$(grep -c '^processor' /proc/cpuinfo)"
check "CPU has SVM" grep -q '^flags.* svm' /proc/cpuinfo
check "modprobe kvm_amd" modprobe kvm_amd
dmesg_has "kvm_amd uses nested paging" "Nested Paging enabled"
check "modprobe vfio_iommu_type1" modprobe vfio_iommu_type1
check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
check "$BDF: bound through driver_override" bind_idxd_mdev "$BDF"
mdev "mdevctl start" start -u "$U" -p "$BDF" -t "$TYPE"
check "the instance exists" test -d "/sys/bus/mdev/devices/$U"
mdev "mdevctl list" list
check_eq "mdevctl lists it" "$U $BDF $TYPE manual" \
	"$(cat /tmp/mdevctl.out)"


# run_l2 NAME MODE: one life of Debian's QEMU with the instance. MODE
# "reboot": L2 boots twice (told to reboot at its first "after" sample);
# "kill": QEMU is killed with SIGKILL at L2's first sample, while its WQ
# is enabled (held_checks run first); "once": one boot. L2's console is
# in /tmp/NAME.log, its samples in /tmp/NAME.samples ("SAMPLE L2COUNT
# L1COUNT"), QEMU's exit status in QRC (and why, if it was stopped here
# before its time).
run_l2() {
	_log=/tmp/$1.log
	_smp=/tmp/$1.samples
	_mode=$2
	_boots=1
	_reboot=-no-reboot
	if [ "$_mode" = reboot ]; then
		_boots=2
		_reboot=
	fi
	: >"$_smp"
	rm -f /tmp/l2.in
	mkfifo /tmp/l2.in
	echo "# $1: L2 starts at $(cut -d' ' -f1 /proc/uptime) s"
	# shellcheck disable=SC2086 # no -no-reboot is no argument
	timeout "$L2_TIMEOUT" qemu-system-x86_64 -enable-kvm \
		-cpu qemu64,+movdir64b -machine q35 -m 256 -smp 1 \
		-nodefaults -display none -serial stdio $_reboot \
		-kernel /l2/vmlinuz -initrd /l2/initrd.gz \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 mitigations=off idxd_test=e2e_guest e2e_copies=$COPIES" \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$U" \
		</tmp/l2.in >"$_log" 2>&1 &
	_qpid=$!
	exec 3>/tmp/l2.in
	_seen=0
	_told=no
	_killed=
	while kill -0 "$_qpid" 2>/dev/null; do
		_n=$(grep -c 'E2E-SAMPLE .* E2E-END' "$_log")
		while [ "$_seen" -lt "$_n" ]; do
			_seen=$((_seen + 1))
			_line=$(grep 'E2E-SAMPLE .* E2E-END' "$_log" |
				sed -n "${_seen}p" | tr -d '\r')
			_name=$(echo "$_line" | awk '{ print $2 }')
			echo "$_name $(echo "$_line" | awk '{ print $3 }') $(ims_count)" >>"$_smp"
			_answer=go
			if [ "$_mode" = reboot ] && [ "$_name" = after ] && [ "$_told" = no ]; then
				_answer=reboot
				_told=yes
			fi
			if [ "$_mode" = kill ]; then
				held_checks
				kill -9 "$_qpid"
				break 2
			fi
			echo "$_answer" >&3 2>/dev/null
		done
		# KVM_RUN failed (QEMU stops the guest and waits, for nothing
		# here), or a guest that boots more often than it should.
		if grep -q 'kvm run failed' "$_log"; then
			_killed="killed: $(grep -m1 'kvm run failed' "$_log" | tr -d '\r')"
		elif [ "$(grep -c IDXD-VM-START "$_log")" -gt "$_boots" ]; then
			_killed="killed: L2 booted more than $_boots time(s)"
		fi
		if [ -n "$_killed" ]; then
			kill "$_qpid"
			break
		fi
		usleep 200000
	done
	wait "$_qpid"
	QRC=$?
	[ -z "$_killed" ] || QRC="$QRC, $_killed"
	exec 3>&-
	echo "# $1: L2 ended at $(cut -d' ' -f1 /proc/uptime) s"
	# L2's console, its test's markers renamed so that no judge takes
	# them for this VM's.
	tr -d '\r' <"$_log" | sed 's/IDXD-VM-/L2-VM-/g; s/^/# L2 '"$1"'| /'
	sed 's/^/# sample '"$1"': /' "$_smp"
}

# judge_l2 NAME BOOTS: L2's results of run NAME as this VM's ("L2 NAME:
# ..."), and a check that each of its BOOTS boots ran its plan and
# exited 0 (2 + BOOTS * (2 + L2's)).
judge_l2() {
	check_eq "$1: QEMU (L2) exited 0" 0 "$QRC"
	tr -d '\r' <"/tmp/$1.log" >/tmp/l2.clean
	while read -r _line; do
		case "$_line" in
		"ok "*) echo "ok L2 $1: ${_line#ok }" ;;
		"not ok "*)
			echo "not ok L2 $1: ${_line#not ok }"
			FAILED=$((FAILED + 1))
			;;
		esac
	done </tmp/l2.clean
	check_eq "$1: L2 ran its plan and exited 0, $2 time(s)" \
		"$2 $(($2 * n_l2)) $2" \
		"$(grep -c -x "1\.\.$n_l2" /tmp/l2.clean) $(grep -c -E '^(not )?ok ' /tmp/l2.clean) $(grep -c 'IDXD-VM-DONE rc=0' /tmp/l2.clean)"
	_k=1
	while [ "$_k" -le "$2" ]; do
		_b=$(awk -v k="$_k" '$1 == "before" && ++i == k' "/tmp/$1.samples")
		_a=$(awk -v k="$_k" '$1 == "after" && ++i == k' "/tmp/$1.samples")
		# "none" (no such vector) counts as 0.
		_d1=$(echo "$_b $_a" | awk '{ print $6 - $3 }')
		_d2=$(echo "$_b $_a" | awk '{ print $5 - $2 }')
		check "$1, boot $_k: the IMS count rose by $COPIES or more ($_d1)" \
			test "$_d1" -ge "$COPIES"
		check_eq "$1, boot $_k: by as many as L2's completion interrupts" \
			"$_d2" "$_d1"
		_k=$((_k + 1))
	done
}

DBG=/sys/kernel/debug/idxd_mdev/$BDF/$U

# released NAME: once QEMU is gone the instance holds no IMS vector, no
# DMA translation, no pinned page (3).
released() {
	check_eq "$1: no IMS vector left" 0 "$(grep -c "idxd_mdev-$U" /proc/interrupts)"
	check_eq "$1: debugfs: no DMA translation" none \
		"$(sed -n 's/^mode //p' "$DBG/dma")"
	check_eq "$1: debugfs: nothing pinned" 0 \
		"$(sed -n 's/^pinned //p' "$DBG/dma")"
}

# held_checks: at L2's first sample of the "kill" run, its WQ enabled and
# its copies about to start: what the instance holds for it (3).
held_checks() {
	check "kill: the instance has its IMS vector" grep -q '^vector 1 ' "$DBG/state"
	check "kill: debugfs: a DMA translation" \
		test "$(sed -n 's/^mode //p' "$DBG/dma")" != none
	check "kill: debugfs: the guest's memory pinned" \
		test "$(sed -n 's/^pinned //p' "$DBG/dma")" -gt 0
}

# An answer to a QEMU that just went must not kill this shell.
trap '' PIPE

# --- the guest reboots: the reset path (9 + 2 L2's) -------------------------
run_l2 reboot reboot
judge_l2 reboot 2
released reboot

# --- the VMM killed with SIGKILL while the WQ runs (8) ----------------------
run_l2 kill kill
check_eq "kill: QEMU died of SIGKILL" 137 "$QRC"
check "kill: no vector in debugfs" sh -c "! grep -q '^vector' $DBG/state"
released kill

# --- the instance in a new VM: it works again (7 + L2's) --------------------
run_l2 again once
judge_l2 again 1
released again

# --- the end (3) -------------------------------------------------------------
mdev "mdevctl stop" stop -u "$U"
check "the instance is gone" test ! -e "/sys/bus/mdev/devices/$U"
dmesg | grep -E 'idxd_mdev|vfio' | sed 's/^/# dmesg: /'
check_clean_dmesg
done_testing
