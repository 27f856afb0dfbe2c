# SPDX-License-Identifier: GPL-2.0
# The end-to-end test, in L1 (vm.sh's "kvm" mode): clients nobody here
# wrote drive idxd_mdev. The DSA at 00:10.0 bound to idxd_mdev, instances
# made with Debian's mdevctl, Debian's qemu-system-x86_64 (in this image
# with its libraries, see e2etest.sh) starts KVM guests (L2: the same
# Debian kernel, /l2/vmlinuz, with /l2/initrd.gz, running e2e_guest.sh)
# with an instance as their vfio-pci device; in L2 the kernel's own idxd
# probes the virtual DSA and dmacopy copies through a dedicated kernel WQ.
# L2's results are printed here as "L2 RUN: ..." lines.
#
# Interrupts are accounted for at every hop: between L2's samples the
# instance's IMS count must rise by what KVM was sent (its kvm_msi_set_irq
# trace events: our eventfd signals), and L2 must take each of those,
# within what KVM injected (e2e_count.sh).
#
# Lives of the VMM: the guest reboots and copies again (the reset path);
# QEMU is killed with SIGKILL while the WQ is enabled; a new QEMU uses the
# instance again; libvirt (virsh) defines and starts the same guest. After
# each the instance holds no IMS vector, no DMA translation and no pinned
# page. Then two VMs on one function (e2e_pair= on the command line):
# "pasid", both copy at the same time; "refused", the second is refused
# with the pf mode's message.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh
# shellcheck source=tests/vm/e2e_count.sh
. /tests/e2e_count.sh

# L2's results, e2e_guest.sh's plan, are printed here too.
n_l2=$(sed -n 's/^plan \([0-9][0-9]*\)$/\1/p' /tests/e2e_guest.sh)
PAIR=$(cmdline_arg e2e_pair)
case "$PAIR" in
pasid) n_pair=$((17 + 2 * n_l2)) ;;
refused) n_pair=$((17 + n_l2)) ;;
*) n_pair=1 ;;
esac
plan $((58 + 4 * n_l2 + n_pair))

BDF=0000:00:10.0
TYPE=idxd_mdev-dsa-1dwq
U=6c1d7e2a-3b4c-4d5e-9f60-e2e000000001
U2=6c1d7e2a-3b4c-4d5e-9f60-e2e000000002
COPIES=500
# The two guests copy longer, so that L1 sees them at it together.
PAIR_COPIES=3000
# What the VMM's guest may take (seconds), its boot included: a life
# takes 15-40 s here.
L2_TIMEOUT=180

# ims_count UUID: the instance's completion vector's count, or "none".
ims_count() {
	awk -v n="idxd_mdev-$1-1" '$NF == n { c = $2 } END { print c == "" ? "none" : c }' \
		/proc/interrupts
}

# dbg NAME: the parent's debugfs file or instance directory NAME.
dbg() {
	echo "/sys/kernel/debug/idxd_mdev/$BDF/$1"
}

# qemu_threads: each thread of each QEMU (L2's VMM) with its state and
# CPU time in ticks, as "#" lines: twice, a stuck guest's vCPU shows
# whether it spins or sleeps.
qemu_threads() {
	for _p in $(pidof qemu-system-x86_64); do
		for _t in /proc/"$_p"/task/*; do
			echo "# L1: QEMU $_p thread $(cat "$_t/comm"): state, utime, stime:" \
				"$(cut -d')' -f2 "$_t/stat" | awk '{ print $1, $12, $13 }')"
		done
	done
}

# host_counts UUID: what L1 counts at a sample of an instance's VM, as
# "IMS MSIS INJ SIG0 SIG1": the completion vector's IMS count, KVM's MSIs
# and injections since the last call (kvm_window), and how often the
# instance signalled each vector's eventfd (cumulative, from debugfs).
host_counts() {
	echo "$(ims_count "$1") $(kvm_window)" \
		"$(sed -n 's/^signals //p' "$(dbg "$1")/state")"
}

# --- L1: KVM, VFIO, idxd_mdev, the instance, KVM tracing (14) -------------
# L1's clock on the console every 30 s: a VM timed out while these went
# on had a stuck guest; without them, L1 itself stopped.
while sleep 30; do
	echo "# L1 alive at $(cut -d' ' -f1 /proc/uptime) s"
done &
heartbeat=$!
check_eq "one CPU" 1 "$(grep -c '^processor' /proc/cpuinfo)"
check "CPU has SVM" grep -q '^flags.* svm' /proc/cpuinfo
check "modprobe kvm_amd" modprobe kvm_amd
dmesg_has "kvm_amd uses nested paging" "Nested Paging enabled"
check "modprobe vfio_iommu_type1" modprobe vfio_iommu_type1
check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
check "$BDF: bound through driver_override" bind_driver "$BDF" idxd_mdev
mdev "mdevctl start" start -u "$U" -p "$BDF" -t "$TYPE"
check "the instance exists" test -d "/sys/bus/mdev/devices/$U"
mdev "mdevctl list" list
check_eq "mdevctl lists it" "$U $BDF $TYPE manual" \
	"$(cat /tmp/mdevctl.out)"
# KVM's MSIs and its injections into L2.
check "tracefs mounted" mount -t tracefs nodev "$TRACE"
check "KVM's trace events on" sh -c "echo 8192 >$TRACE/buffer_size_kb &&
	echo 1 >$TRACE/events/kvm/kvm_msi_set_irq/enable &&
	echo 1 >$TRACE/events/kvm/kvm_inj_virq/enable"

# l2_start NAME UUID COPIES [reboot]: Debian's QEMU in the background
# (L2_PID) with instance UUID, L2 making COPIES copies; "reboot": the
# guest may reboot, otherwise QEMU ends when it does. L2's console is in
# /tmp/NAME.log, its input the fifo /tmp/NAME.in, for the caller to open.
l2_start() {
	_reboot=-no-reboot
	[ "$4" = reboot ] && _reboot=
	# An earlier run's samples must not be taken for this one's.
	: >"/tmp/$1.log"
	rm -f "/tmp/$1.in"
	mkfifo "/tmp/$1.in"
	echo "# $1: L2 starts at $(cut -d' ' -f1 /proc/uptime) s"
	# shellcheck disable=SC2086 # words; no -no-reboot is no argument
	timeout "$L2_TIMEOUT" qemu-system-x86_64 $L2_MACHINE $_reboot \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 mitigations=off idxd_test=e2e_guest e2e_copies=$3" \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$2" \
		<"/tmp/$1.in" >"/tmp/$1.log" 2>&1 &
	L2_PID=$!
}

# l2_sample NAME K: L2's Kth sample so far as "SAMPLE COUNT", or nothing.
l2_sample() {
	tr -d '\r' <"/tmp/$1.log" |
		sed -n 's/.*E2E-SAMPLE \([a-z]*\) \([0-9]*\) E2E-END.*/\1 \2/p' |
		sed -n "$2p"
}

# l2_wait NAME K: wait (up to L2_TIMEOUT) for L2's Kth sample.
l2_wait() {
	_n=$((L2_TIMEOUT * 5))
	while [ "$_n" -gt 0 ] && [ -z "$(l2_sample "$1" "$2")" ]; do
		usleep 200000
		_n=$((_n - 1))
	done
}

# l2_stuck NAME BOOTS: why QEMU must be stopped, if it must: KVM_RUN
# failed (QEMU stops the guest and waits, for nothing here), or the guest
# booted more often than it should.
l2_stuck() {
	if grep -q 'kvm run failed' "/tmp/$1.log"; then
		echo "killed: $(grep -m1 'kvm run failed' "/tmp/$1.log" | tr -d '\r')"
	elif [ "$(grep -c IDXD-VM-START "/tmp/$1.log")" -gt "$2" ]; then
		echo "killed: L2 booted more than $2 time(s)"
	fi
}

# l2_show NAME: L2's console, its test's markers renamed so that no judge
# takes them for this VM's, and L1's samples of it.
l2_show() {
	echo "# $1: L2 ended at $(cut -d' ' -f1 /proc/uptime) s"
	tr -d '\r' <"/tmp/$1.log" | sed 's/IDXD-VM-/L2-VM-/g; s/^/# L2 '"$1"'| /'
	sed 's/^/# sample '"$1"': /' "/tmp/$1.samples"
}

# l2_serve NAME MODE PID: answer L2's samples while PID (QEMU, or what
# reads its console) lives. MODE "reboot": L2 boots twice (told to reboot
# at its first "after" sample); "kill": QEMU is killed with SIGKILL at
# L2's first sample, while its WQ is enabled (held_checks run first);
# "once": one boot. At each sample /tmp/NAME.samples gets "SAMPLE
# L2COUNT IMSCOUNT MSIS INJ SIG0 SIG1" (host_counts). L2's input must be
# open on fd 3. Leaves in L2_KILLED why PID was stopped here before its
# time, if it was.
l2_serve() {
	_boots=1
	[ "$2" = reboot ] && _boots=2
	: >"/tmp/$1.samples"
	_seen=0
	_told=no
	L2_KILLED=
	_end=$(($(cut -d. -f1 /proc/uptime) + L2_TIMEOUT))
	kvm_window >/dev/null
	while kill -0 "$3" 2>/dev/null; do
		while _s=$(l2_sample "$1" $((_seen + 1))) && [ -n "$_s" ]; do
			_seen=$((_seen + 1))
			echo "$_s $(host_counts "$U")" >>"/tmp/$1.samples"
			_answer=go
			if [ "$2" = reboot ] && [ "${_s% *}" = after ] && [ "$_told" = no ]; then
				_answer=reboot
				_told=yes
			fi
			if [ "$2" = kill ]; then
				held_checks
				kill -9 "$3"
				return
			fi
			echo "$_answer" >&3 2>/dev/null
		done
		L2_KILLED=$(l2_stuck "$1" "$_boots")
		if [ "$(cut -d. -f1 /proc/uptime)" -ge "$_end" ]; then
			L2_KILLED="killed: not done after $L2_TIMEOUT s"
			qemu_threads
			sleep 2
			qemu_threads
		fi
		if [ -n "$L2_KILLED" ]; then
			kill "$3"
			return
		fi
		usleep 200000
	done
}

# run_l2 NAME MODE: one life of Debian's QEMU with instance U (MODE: see
# l2_serve). QEMU's exit status is left in QRC (and why, if it was
# stopped here before its time).
run_l2() {
	l2_start "$1" "$U" "$COPIES" "$2"
	_qpid=$L2_PID
	exec 3>"/tmp/$1.in"
	l2_serve "$1" "$2" "$_qpid"
	wait "$_qpid"
	QRC=$?
	[ -z "$L2_KILLED" ] || QRC="$QRC, $L2_KILLED"
	exec 3>&-
	l2_show "$1"
}

# judge_l2 NAME BOOTS COPIES [INJ]: L2's results of run NAME as this
# VM's ("L2 NAME: ..."), a check that each of its BOOTS boots ran its plan
# and exited 0, and for each boot the interrupts between its samples: the
# IMS count rose by COPIES or more, the instance signalled vector 1 once
# per IMS interrupt and KVM was sent one MSI per signal of either vector
# (msis_counted), L2 counted each once (l2_counted). In a pair (INJ given:
# KVM's injections in both VMs' copy time) two VMs share the trace, so
# there are no MSI counts.
# 2 + BOOTS * (3, or 2 in a pair) + BOOTS * L2's.
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
		_ims=$(echo "$_b $_a" | awk '{ n = NF / 2; print $(n + 3) - $3 }')
		_l2=$(echo "$_b $_a" | awk '{ n = NF / 2; print $(n + 2) - $2 }')
		# Signals of vector 0 (the device's own: command completions,
		# errors) and of vector 1 (the WQ's completions).
		_sig=$(echo "$_b $_a" | awk '{ n = NF / 2; print $(n + 6) - $6, $(n + 7) - $7 }')
		check "$1, boot $_k: the IMS count rose by $3 or more ($_ims)" \
			test "$_ims" -ge "$3"
		if [ -n "${4:-}" ]; then
			l2_counted "$1, boot $_k" "$_l2" "$_ims" "$4"
		else
			msis_counted "$1, boot $_k" "$_ims" "${_sig% *}" "${_sig#* }" \
				"$(echo "$_a" | awk '{ print $4 }')"
			l2_counted "$1, boot $_k" "$_l2" "$_ims" \
				"$(echo "$_a" | awk '{ print $5 }')"
		fi
		_k=$((_k + 1))
	done
}

# released NAME UUID: once QEMU is gone the instance holds no IMS vector,
# no DMA translation, no pinned page (3).
released() {
	check_eq "$1: no IMS vector left" 0 "$(grep -c "idxd_mdev-$2" /proc/interrupts)"
	check_eq "$1: debugfs: no DMA translation" none \
		"$(sed -n 's/^mode //p' "$(dbg "$2")/dma")"
	check_eq "$1: debugfs: nothing pinned" 0 \
		"$(sed -n 's/^pinned //p' "$(dbg "$2")/dma")"
}

# held_checks: at L2's first sample of the "kill" run, its WQ enabled and
# its copies about to start: what the instance holds for it (3).
held_checks() {
	check "kill: the instance has its IMS vector" grep -q '^vector 1 ' "$(dbg "$U")/state"
	check "kill: debugfs: a DMA translation" \
		test "$(sed -n 's/^mode //p' "$(dbg "$U")/dma")" != none
	check "kill: debugfs: the guest's memory pinned" \
		test "$(sed -n 's/^pinned //p' "$(dbg "$U")/dma")" -gt 0
}

# virsh: the management stack's client. vsh ARGS...: virsh on the local
# system instance.
vsh() {
	virsh -c qemu:///system "$@"
}

# libvirt_up: Debian's libvirtd, set up for this image: QEMU runs as root
# without namespaces, cgroups or a security driver (the image has none to
# give), its output goes to a file (no virtlogd). The QEMU driver looks
# up its built-in user before it reads qemu.conf: /etc/passwd has it (1).
libvirt_up() {
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
		'libvirt-qemu:x:64055:108::/var/lib/libvirt:/bin/false' >/etc/passwd
	printf '%s\n' 'root:x:0:' 'kvm:x:108:' 'libvirt-qemu:x:64055:' >/etc/group
	cat >/etc/libvirt/qemu.conf <<-EOF
		user = "root"
		group = "root"
		dynamic_ownership = 0
		remember_owner = 0
		security_driver = "none"
		cgroup_controllers = [ ]
		namespaces = [ ]
		stdio_handler = "file"
	EOF
	mkdir -p /run
	[ -e /var/run ] || ln -s /run /var/run
	libvirtd >/tmp/libvirtd.log 2>&1 &
	check "libvirtd started" wait_for 120 test -S /run/libvirt/libvirt-sock
}

# The guest of run_l2 as a libvirt domain: the instance as a
# <hostdev type='mdev'>, the console a pipe (/tmp/virsh.in, .out).
cat >/tmp/e2e-l2.xml <<EOF
<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>e2e-l2</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>/l2/vmlinuz</kernel>
    <initrd>/l2/initrd.gz</initrd>
    <cmdline>console=ttyS0 panic=-1 oops=panic loglevel=4 mitigations=off idxd_test=e2e_guest e2e_copies=$COPIES</cmdline>
  </os>
  <features><acpi/></features>
  <on_reboot>destroy</on_reboot>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
    <serial type='pipe'><source path='/tmp/virsh'/></serial>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source><address uuid='$U'/></source>
    </hostdev>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-cpu'/>
    <qemu:arg value='qemu64,+movdir64b'/>
  </qemu:commandline>
</domain>
EOF

# virsh_life: the guest of run_l2 defined and started by virsh; its end
# is libvirt's too: the guest powers off, libvirt ends QEMU, the domain is
# "shut off (shutdown)" (QRC 0) (13 + L2's).
virsh_life() {
	check "virsh: libvirtd answers" vsh version
	check "virsh define: the instance as <hostdev type='mdev'>" \
		vsh define /tmp/e2e-l2.xml
	check "virsh: libvirt gives QEMU the instance" sh -c \
		"virsh -c qemu:///system domxml-to-native qemu-argv --domain e2e-l2 | grep -q '/sys/bus/mdev/devices/$U'"
	: >/tmp/virsh.log
	rm -f /tmp/virsh.in /tmp/virsh.out
	mkfifo /tmp/virsh.in /tmp/virsh.out
	echo "# virsh: L2 starts at $(cut -d' ' -f1 /proc/uptime) s"
	# Reads L2's console until QEMU, its only writer, has gone.
	cat /tmp/virsh.out >/tmp/virsh.log &
	_cat=$!
	if vsh start e2e-l2 >/tmp/virsh.start 2>&1; then
		ok "virsh start"
		exec 3>/tmp/virsh.in
		l2_serve virsh once "$_cat"
		[ -z "$L2_KILLED" ] || vsh destroy e2e-l2
	else
		not_ok "virsh start" "$(cat /tmp/virsh.start)"
		kill "$_cat"
	fi
	wait "$_cat"
	exec 3>&-
	# QEMU has gone; libvirt may still be handling its end.
	wait_for 60 sh -c "virsh -c qemu:///system domstate e2e-l2 | grep -q 'shut off'"
	QRC=$(vsh domstate --reason e2e-l2 2>&1)
	[ "$QRC" != "shut off (shutdown)" ] || QRC=0
	[ -z "$L2_KILLED" ] || QRC="$QRC, $L2_KILLED"
	l2_show virsh
	sed 's/^/# qemu log| /' /var/log/libvirt/qemu/e2e-l2.log
	judge_l2 virsh 1 "$COPIES"
	check "virsh undefine" vsh undefine e2e-l2
	released virsh "$U"
}

# run_pair: two QEMUs at once, "pa" with instance U and "pb" with U2, each
# guest making PAIR_COPIES copies. Both are told to start copying when
# both are ready; while both copy, L1 samples both IMS counts every 200 ms
# into /tmp/pair.progress. QRC_A and QRC_B are their exit statuses,
# PAIR_INJ KVM's injections from the start of the copies to the end.
run_pair() {
	: >/tmp/pa.samples
	: >/tmp/pb.samples
	: >/tmp/pair.progress
	l2_start pa "$U" "$PAIR_COPIES"
	_pa=$L2_PID
	exec 3>/tmp/pa.in
	l2_start pb "$U2" "$PAIR_COPIES"
	_pb=$L2_PID
	exec 4>/tmp/pb.in
	_killed=
	_copying=0
	PAIR_INJ=0
	while kill -0 "$_pa" 2>/dev/null || kill -0 "$_pb" 2>/dev/null; do
		for _g in pa pb; do
			_u=$U
			[ "$_g" = pb ] && _u=$U2
			_seen=$(wc -l <"/tmp/$_g.samples")
			_s=$(l2_sample "$_g" $((_seen + 1)))
			[ -n "$_s" ] || continue
			echo "$_s $(ims_count "$_u")" >>"/tmp/$_g.samples"
			case "$_s" in
			before*)
				if [ "$(cat /tmp/pa.samples /tmp/pb.samples | wc -l)" -eq 2 ]; then
					kvm_window >/dev/null
					echo go >&3 2>/dev/null
					echo go >&4 2>/dev/null
					_copying=2
				fi
				;;
			after*)
				_copying=$((_copying - 1))
				[ "$_copying" -eq 0 ] && PAIR_INJ=$(kvm_window | cut -d' ' -f2)
				if [ "$_g" = pa ]; then
					echo go >&3 2>/dev/null
				else
					echo go >&4 2>/dev/null
				fi
				;;
			esac
		done
		[ "$_copying" -eq 2 ] &&
			echo "$(ims_count "$U") $(ims_count "$U2")" >>/tmp/pair.progress
		_killed="$(l2_stuck pa 1)$(l2_stuck pb 1)"
		if [ -n "$_killed" ]; then
			kill "$_pa" "$_pb" 2>/dev/null
			break
		fi
		usleep 200000
	done
	wait "$_pa"
	QRC_A=$?
	wait "$_pb"
	QRC_B=$?
	[ -z "$_killed" ] || QRC_A="$QRC_A, $_killed"
	exec 3>&- 4>&-
	l2_show pa
	l2_show pb
	sed 's/^/# progress (pa pb): /' /tmp/pair.progress
}

# pair_pasid: two instances of the function in two VMs, copying at once,
# each guest verifying its own copies (17 + 2 L2's).
pair_pasid() {
	mdev "pair: mdevctl start a second instance" start -u "$U2" -p "$BDF" -t "$TYPE"
	run_pair
	QRC=$QRC_A
	judge_l2 pa 1 "$PAIR_COPIES" "$PAIR_INJ"
	QRC=$QRC_B
	judge_l2 pb 1 "$PAIR_COPIES" "$PAIR_INJ"
	# Both counts rose between two samples: the guests copied together.
	# shellcheck disable=SC2016 # awk's fields
	check "pair: both IMS counts rose within one 200 ms sample" awk '
		NR > 1 && $1 > a && $2 > b { both = 1 }
		{ a = $1; b = $2 }
		END { exit !both }' /tmp/pair.progress
	released pair-a "$U"
	released pair-b "$U2"
	mdev "pair: mdevctl stop the second instance" stop -u "$U2"
}

# pair_refused: the function's DMA is translated by its requester ID (pf
# mode): while a VM holds an instance, another VM's QEMU cannot open the
# second instance, and says why; the first VM copies on (17 + L2's).
pair_refused() {
	mdev "pair: mdevctl start a second instance" start -u "$U2" -p "$BDF" -t "$TYPE"
	: >/tmp/pa.samples
	l2_start pa "$U" "$COPIES"
	_pa=$L2_PID
	exec 3>/tmp/pa.in
	l2_wait pa 1
	check_eq "pair: the first VM holds the function's DMA" pf \
		"$(sed -n 's/^mode //p' "$(dbg "$U")/dma")"
	l2_start pb "$U2" "$COPIES"
	exec 4>/tmp/pb.in
	wait "$L2_PID"
	_rc=$?
	check "pair: the second VM's QEMU failed ($_rc)" test "$_rc" -ne 0
	exec 4>&-
	tr -d '\r' <"/tmp/pb.log" | sed 's/^/# L2 pb| /'
	check "pair: QEMU says the device is busy" grep -q 'Device or resource busy' /tmp/pb.log
	dmesg_has "pair: idxd_mdev says why" "already belongs to another VM: dma_mode=pf gives one VM per function"
	released pair-b "$U2"
	_s=$(l2_sample pa 1)
	echo "$_s $(host_counts "$U")" >>/tmp/pa.samples
	echo go >&3
	l2_wait pa 2
	_s=$(l2_sample pa 2)
	echo "$_s $(host_counts "$U")" >>/tmp/pa.samples
	echo go >&3
	wait "$_pa"
	QRC=$?
	exec 3>&-
	l2_show pa
	judge_l2 pa 1 "$COPIES"
	released pair-a "$U"
	mdev "pair: mdevctl stop the second instance" stop -u "$U2"
}

# An answer to a QEMU that just went must not kill this shell.
trap '' PIPE

# --- the guest reboots: the reset path (11 + 2 L2's) ------------------------
run_l2 reboot reboot
judge_l2 reboot 2 "$COPIES"
released reboot "$U"

# --- the VMM killed with SIGKILL while the WQ runs (8) ----------------------
run_l2 kill kill
check_eq "kill: QEMU died of SIGKILL" 137 "$QRC"
check "kill: no vector in debugfs" sh -c "! grep -q '^vector' $(dbg "$U")/state"
released kill "$U"

# --- the instance in a new VM: it works again (8 + L2's) --------------------
run_l2 again once
judge_l2 again 1 "$COPIES"
released again "$U"

# --- the same guest, defined and started by libvirt's virsh (14 + L2's) ---
libvirt_up
virsh_life

# --- two VMs on one function ---------------------------------------------------
case "$PAIR" in
pasid) pair_pasid ;;
refused) pair_refused ;;
*) not_ok "two VMs" "e2e_pair=pasid|refused missing from the command line" ;;
esac

# --- the end (3) -------------------------------------------------------------
mdev "mdevctl stop" stop -u "$U"
check "the instance is gone" test ! -e "/sys/bus/mdev/devices/$U"
dmesg | grep -E 'idxd_mdev|vfio' | sed 's/^/# dmesg: /'
kill "$heartbeat"
check_clean_dmesg
done_testing
