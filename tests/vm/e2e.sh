# SPDX-License-Identifier: GPL-2.0
# The end-to-end test, in L1 (vm.sh's "kvm" mode): clients nobody here
# wrote drive idxd_mdev. The DSA at 00:10.0 bound to idxd_mdev, an
# instance made with Debian's mdevctl, Debian's qemu-system-x86_64 (in
# this image with its libraries, e2etest.sh) starts a KVM guest (L2: the
# same Debian kernel, /l2/vmlinuz, with /l2/initrd.gz, running
# e2e_guest.sh) with the instance as its vfio-pci device; in L2 the
# kernel's own idxd probes the virtual DSA and dmacopy copies through a
# dedicated kernel WQ. L2's results are printed here as "L2: ..." lines;
# the instance's IMS interrupt count, read here at L2's two samples, must
# rise by what L2 counted on its completion vector; once QEMU is gone the
# instance holds no IMS vector and no pinned page.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

# L2's results, e2e_guest.sh's plan, are printed here too.
n_l2=$(sed -n 's/^plan \([0-9][0-9]*\)$/\1/p' /tests/e2e_guest.sh)
plan $((23 + n_l2))

BDF=0000:00:10.0
TYPE=idxd_mdev-dsa-1dwq
U=6c1d7e2a-3b4c-4d5e-9f60-e2e000000001
COPIES=500
L2LOG=/tmp/l2.log
# What the VMM's guest may take (seconds), its boot included.
L2_TIMEOUT=400

# ims_count: the instance's completion vector's count, or "none".
ims_count() {
	awk -v n="idxd_mdev-$U-1" '$NF == n { c = $2 } END { print c == "" ? "none" : c }' \
		/proc/interrupts
}

# mdev NAME ARGS...: mdevctl ARGS must exit 0.
mdev() {
	_name=$1
	shift
	if mdevctl "$@" >/tmp/mdevctl.out 2>&1; then
		ok "$_name"
	else
		not_ok "$_name" "mdevctl $* exited $?: $(cat /tmp/mdevctl.out)"
	fi
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
	"$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' /tmp/mdevctl.out | grep -v '^ *$')"

# --- L2 under Debian's QEMU with KVM (2 + L2's) ----------------------------
echo "# starting L2 at $(cut -d' ' -f1 /proc/uptime) s"
mkfifo /tmp/l2.in
# L2's console: its output in L2LOG, its input the fifo (the answers).
timeout "$L2_TIMEOUT" qemu-system-x86_64 -enable-kvm -cpu host -machine q35 \
	-m 256 -smp 1 -nodefaults -display none -serial stdio -no-reboot \
	-kernel /l2/vmlinuz -initrd /l2/initrd.gz \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=4 mitigations=off idxd_test=e2e_guest e2e_copies=$COPIES" \
	-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$U" \
	</tmp/l2.in >"$L2LOG" 2>&1 &
qpid=$!
exec 3>/tmp/l2.in
# An answer to a QEMU that just went must not kill this shell.
trap '' PIPE
seen=0
: >/tmp/samples
while kill -0 "$qpid" 2>/dev/null; do
	n=$(grep -c 'E2E-SAMPLE .* E2E-END' "$L2LOG")
	while [ "$seen" -lt "$n" ]; do
		seen=$((seen + 1))
		# "E2E-SAMPLE NAME L2COUNT E2E-END", then this side's count.
		echo "$(grep 'E2E-SAMPLE .* E2E-END' "$L2LOG" | sed -n "${seen}p" |
			tr -d '\r') $(ims_count)" >>/tmp/samples
		echo go >&3 2>/dev/null
	done
	# KVM_RUN failed: QEMU stops the guest and waits, for nothing here.
	if grep -q 'kvm run failed' "$L2LOG"; then
		kill "$qpid"
		break
	fi
	usleep 200000
done
wait "$qpid"
qrc=$?
exec 3>&-
echo "# L2 ended at $(cut -d' ' -f1 /proc/uptime) s"
# L2's console, its test's markers renamed so that no judge takes them
# for this VM's.
tr -d '\r' <"$L2LOG" | sed 's/IDXD-VM-/L2-VM-/g; s/^/# L2| /'
check_eq "QEMU (L2) exited 0" 0 "$qrc"
tr -d '\r' <"$L2LOG" >/tmp/l2.clean
# L2's result lines, as this VM's.
while read -r line; do
	case "$line" in
	"ok "*) echo "ok L2: ${line#ok }" ;;
	"not ok "*)
		echo "not ok L2: ${line#not ok }"
		FAILED=$((FAILED + 1))
		;;
	esac
done </tmp/l2.clean
l2_ran=$(grep -c -E '^(not )?ok ' /tmp/l2.clean)
l2_rc=$(sed -n 's/.*IDXD-VM-DONE rc=\([0-9]*\).*/\1/p' /tmp/l2.clean | head -n 1)
check_eq "L2 ran its plan and exited 0" "1..$n_l2 $n_l2 0" \
	"$(grep -E '^1\.\.[0-9]+$' /tmp/l2.clean) $l2_ran $l2_rc"

# --- the instance's interrupts and release (9) ------------------------------
sed 's/^/# sample: /' /tmp/samples
# sample NAME FIELD: FIELD 3 is L2's count, 5 this side's.
sample() {
	awk -v n="$1" -v f="$2" '$2 == n { print $f }' /tmp/samples
}
b1=$(sample before 5)
a1=$(sample after 5)
b2=$(sample before 3)
a2=$(sample after 3)
check "the instance's IMS vector existed at L2's samples" \
	sh -c "[ -n '$b1' ] && [ '$b1' != none ] && [ -n '$a1' ] && [ '$a1' != none ]"
d1=$((${a1:-0} - ${b1:-0}))
d2=$((${a2:-0} - ${b2:-0}))
check "the IMS count rose by $COPIES or more ($d1)" test "$d1" -ge "$COPIES"
check_eq "by as many as L2's completion interrupts" "$d2" "$d1"
check_eq "no IMS vector left once QEMU is gone" 0 \
	"$(grep -c "idxd_mdev-$U" /proc/interrupts)"
dma=/sys/kernel/debug/idxd_mdev/$BDF/$U/dma
check_eq "debugfs: no DMA translation once closed" none \
	"$(sed -n 's/^mode //p' "$dma")"
check_eq "debugfs: nothing pinned once closed" 0 \
	"$(sed -n 's/^pinned //p' "$dma")"
mdev "mdevctl stop" stop -u "$U"
check "the instance is gone" test ! -e "/sys/bus/mdev/devices/$U"

dmesg | grep -E 'idxd_mdev|vfio' | sed 's/^/# dmesg: /'
check_clean_dmesg
done_testing
