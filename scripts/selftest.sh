#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftest.sh: the harness self-test. Each judge of scripts/judge.sh that
# the suite relies on is fed deliberately broken runs, and must call each
# "not ok", naming what went wrong; and a good run, which it must call
# "ok" (a judge that always fails proves nothing). The broken runs: VMs
# (Debian 6.1, no IR) booting the scripts of tests/harness/vm/ (a program
# killed half way, a VM powering off early, a script exiting non-zero, and
# a kernel that crashes before the test on every boot, which vm_test boots
# again once and must then still call "not ok"),
# kunit.py parses of KUnit logs missing a suite, a case or every case, or
# showing a kernel warning, a module build with a modpost error, and the
# end-to-end test's interrupt accounting given lost and extra interrupts.
# Prints one "ok [harness] ..." line per assertion; the judges' own lines
# are shown only as "#" comments, so that the suite never counts them.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# expect NAME VERDICT STATUS OUT [PATTERN...]: the judge that printed OUT
# and returned STATUS gave VERDICT ("ok": status 0, no "not ok" line;
# "not ok": non-zero status, and a line matching each PATTERN (ERE)).
expect() {
	local name=$1 verdict=$2 status=$3 out=$4 pattern good=1
	shift 4
	if [ "$verdict" = ok ]; then
		if [ "$status" -ne 0 ] || grep -q '^not ok ' "$out"; then good=0; fi
	else
		if [ "$status" -eq 0 ] || ! grep -q '^not ok ' "$out"; then good=0; fi
		for pattern in "$@"; do
			grep -E -q -- "$pattern" "$out" || good=0
		done
	fi
	if [ "$good" = 1 ]; then
		echo "ok [harness] $name"
	else
		echo "not ok [harness] $name: want $verdict${*:+ matching: $*}, got status $status"
		failed=1
	fi
	awk '/^not ok |^#/ && n++ < 12 { print "#   " $0 }' "$out"
}

# --- vm_judge: real boots of tests/harness/vm/*.sh ---------------------
kver=$("$top/scripts/fetch-kernel.sh" 6.1)
# vm NAME: boot tests/harness/vm/NAME.sh, judge it into $work/NAME.out.
vm() {
	local status=0
	vm_boot "$kver" noir "$1" "$work/$1.log" "" \
		--test "$top/tests/harness/vm/$1.sh" >&2 || status=$?
	status_vm=0
	vm_judge "harness/$1" "$work/$1.log" "$status" >"$work/$1.out" || status_vm=$?
}
vm harness-good
expect "vm_judge: a run that keeps its plan is ok" ok "$status_vm" \
	"$work/harness-good.out"
vm harness-killed
expect "vm_judge: a program killed half way is not ok (signal, missing checks, rc)" \
	"not ok" "$status_vm" "$work/harness-killed.out" \
	'^not ok .*doomed: killed by signal 9' '^not ok .*planned 6, ran 5' \
	'^not ok .*rc=1'
vm harness-poweroff
expect "vm_judge: a VM powering off early is not ok (no IDXD-VM-DONE, missing checks)" \
	"not ok" "$status_vm" "$work/harness-poweroff.out" \
	'^not ok .*stopped early \(no IDXD-VM-DONE' '^not ok .*planned 4, ran 2'
vm harness-rc
expect "vm_judge: a script exiting non-zero after all its checks is not ok" \
	"not ok" "$status_vm" "$work/harness-rc.out" '^not ok .*exited rc=3'
# The good run's log as a VM stopped by timeout(1) would leave it, and
# as a kernel panic at the end of the test would.
grep -v 'IDXD-VM-DONE' "$work/harness-good.log" >"$work/timeout.log"
status_vm=0
vm_judge harness/timeout "$work/timeout.log" 124 >"$work/timeout.out" || status_vm=$?
expect "vm_judge: a VM stopped by the timeout is not ok" "not ok" "$status_vm" \
	"$work/timeout.out" '^not ok .*VM timed out'
sed '/IDXD-VM-DONE/i Kernel panic - not syncing: harness' "$work/harness-good.log" \
	>"$work/panic.log"
status_vm=0
vm_judge harness/panic "$work/panic.log" 0 >"$work/panic.out" || status_vm=$?
expect "vm_judge: a kernel panic is not ok" "not ok" "$status_vm" \
	"$work/panic.out" '^not ok .*kernel crashed: Kernel panic'
# A log this run did not write is never judged.
rm -f "$work/none.log"
status_vm=0
vm_judge harness/none "$work/none.log" 0 >"$work/none.out" || status_vm=$?
expect "vm_judge: no log is not ok" "not ok" "$status_vm" "$work/none.out" \
	'^not ok .*never started'

# early NAME APPEND HOW PATTERN: a VM that never starts its test (APPEND
# makes it so on every boot) is booted again once by vm_test, said in a
# "#" line matching PATTERN, then not ok.
early() {
	local status_vm=0
	vm_test "$kver" noir harness-good "$2" \
		--test "$top/tests/harness/vm/harness-good.sh" >"$work/$1.out" ||
		status_vm=$?
	expect "vm_test: $3 before the test starts is retried once, then not ok" \
		"not ok" "$status_vm" "$work/$1.out" "$4" '^not ok .*never started'
	[ "$(grep -c 'booting again' "$work/$1.out")" = 1 ] || {
		echo "not ok [harness] vm_test: $3 booted more than twice"
		failed=1
	}
}

# A kernel that crashes before the test (no init to run).
early crash rdinit=/nonexistent "a crash" \
	'^# .*crashed before the test started: .*; booting again'
# A VM that hangs before the test (init sleeps instead of running it):
# vm.sh stops it after VM_START_TIMEOUT.
VM_START_TIMEOUT=10 early hang "rdinit=/bin/sleep -- 600" "a hang" \
	'^# .*hung before the test started; booting again'

# --- kunit_judge: kunit.py parse of generated KTAP logs ----------------
ksrc=$(linux_source 6.1)
# kunit CASE [KTAP-OPTION]: a log as Debian 6.1 prints it, every suite and
# case kunit/ declares passing, less what KTAP-OPTION leaves out; judged
# into $work/CASE.out.
kunit() {
	local name=$1
	shift
	python3 "$top/tests/harness/kunit-ktap.py" "$top/kunit" "$@" >"$work/$name.log"
	status_kunit=0
	kunit_judge "$ksrc" "$work/$name.log" "$work/$name.json" "$top/kunit" \
		>"$work/$name.out" || status_kunit=$?
}
kunit kunit-good
expect "kunit_judge: a run of every declared suite and case is ok" ok \
	"$status_kunit" "$work/kunit-good.out"
kunit kunit-suite --drop-suite
expect "kunit_judge: a run missing a suite is not ok" "not ok" \
	"$status_kunit" "$work/kunit-suite.out" '^not ok \[kunit\] missing suite [a-z_]+'
kunit kunit-case --drop-case
expect "kunit_judge: a run missing one case is not ok" "not ok" \
	"$status_kunit" "$work/kunit-case.out" \
	'^not ok \[kunit\] suite [a-z_]+: declared ([0-9]+) cases, ran [0-9]+'
kunit kunit-none --no-cases
expect "kunit_judge: a run of zero cases is not ok" "not ok" \
	"$status_kunit" "$work/kunit-none.out" '^not ok \[kunit\] no test case ran'
kunit kunit-skip --skip-case
expect "kunit_judge: a skipped case is not ok" "not ok" \
	"$status_kunit" "$work/kunit-skip.out" '^not ok \[kunit\] [a-z_.]+: SKIP'
kunit kunit-rename --rename-case
expect "kunit_judge: a case that ran under another name is not ok" "not ok" \
	"$status_kunit" "$work/kunit-rename.out" \
	'^not ok \[kunit\] [a-z_.]+: declared, did not run' \
	'^not ok \[kunit\] [a-z_.]+_renamed: ran, not declared'
kunit kunit-param --drop-param
expect "kunit_judge: a parameterized case missing a parameter is not ok" \
	"not ok" "$status_kunit" "$work/kunit-param.out" \
	'^not ok \[kunit\] [a-z_.]+: declared [0-9]+ parameters, ran [0-9]+'
# A kernel warning in the run's own log, every case passing.
python3 "$top/tests/harness/kunit-ktap.py" "$top/kunit" |
	sed '5a [    1.004500] WARNING: CPU: 0 PID: 1 at lib/harness.c:1 harness_warn+0x0/0x10' \
		>"$work/kunit-splat.log"
status_kunit=0
kunit_judge "$ksrc" "$work/kunit-splat.log" "$work/kunit-splat.json" "$top/kunit" \
	>"$work/kunit-splat.out" || status_kunit=$?
expect "kunit_judge: a kernel warning in the run's log is not ok" "not ok" \
	"$status_kunit" "$work/kunit-splat.out" '^not ok \[kunit\] kernel log clean: .*WARNING: CPU'

# --- build_judge: a module build against the 6.1 headers ---------------
# build NAME SOURCE: build a one-file module; judge it into $work/NAME.out.
build() {
	local dir="$work/$1" status=0
	mkdir -p "$dir"
	echo "obj-m := $1.o" >"$dir/Kbuild"
	cat >"$dir/$1.c"
	make -C "/lib/modules/$kver/build" M="$dir" modules >"$dir/make.log" 2>&1 ||
		status=$?
	echo "$status" >"$dir/make.status"
	status_build=0
	build_judge "$1" "$dir/make.log" "$status" >"$work/$1.out" || status_build=$?
}
build harness_good <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

static int __init harness_init(void)
{
	return 0;
}
module_init(harness_init);
MODULE_DESCRIPTION("harness self-test: a module that builds cleanly");
MODULE_LICENSE("GPL");
EOF
expect "build_judge: a clean module build is ok" ok "$status_build" \
	"$work/harness_good.out"
build harness_modpost <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

void harness_undefined_symbol(void);

static int __init harness_init(void)
{
	harness_undefined_symbol();
	return 0;
}
module_init(harness_init);
MODULE_DESCRIPTION("harness self-test: a module calling what nobody exports");
MODULE_LICENSE("GPL");
EOF
expect "build_judge: a build with a modpost error is not ok" "not ok" \
	"$status_build" "$work/harness_modpost.out" 'ERROR: modpost: .*harness_undefined_symbol'
# The same build, its diagnostics hidden from the pattern: make's exit
# status alone must fail it.
grep -v -E "$BUILD_DIAG" "$work/harness_modpost/make.log" \
	>"$work/hidden.log" || true
status_build=0
build_judge harness_modpost "$work/hidden.log" \
	"$(cat "$work/harness_modpost/make.status")" >"$work/hidden.out" || status_build=$?
expect "build_judge: a failed make whose output shows no diagnostic is not ok" \
	"not ok" "$status_build" "$work/hidden.out" 'make: exit [1-9]'

# --- the end-to-end test's interrupt accounting (tests/vm/e2e_count.sh) --
# acct NAME CODE: CODE in busybox sh, as in the VM, with the VM tests'
# library and e2e_count.sh, its trace a file of this run; its output in
# $work/NAME.out, its status (its failed checks) in status_acct.
acct() {
	status_acct=0
	TRACE=$work/trace busybox sh -c ". '$top/tests/vm/lib.sh'
		. '$top/tests/vm/e2e_count.sh'
		$2
		exit \$FAILED" >"$work/$1.out" 2>&1 || status_acct=$?
}
mkdir -p "$work/trace"
# kvm_window: as the two kernels print KVM's events. 2 MSIs of vector 38,
# 3 injections of it (one again), one of the timer's: "2 3", trace empty.
for fmt in "IRQ 0x26|IRQ 0x26 [reinjected]|IRQ 0xec" "irq 38|irq 38|irq 236"; do
	{
		echo " qemu-system-x86-245 [000] d..1. 9.1: kvm_msi_set_irq: dst 0 vec 38 (Fixed|physical|edge)"
		echo " qemu-system-x86-245 [000] d..1. 9.2: kvm_msi_set_irq: dst 0 vec 38 (Fixed|physical|edge)"
		echo "$fmt" | tr '|' '\n' | sed 's/^/ CPU 0\/KVM-250 [000] d..1. 9.3: kvm_inj_virq: /'
		echo " CPU 0/KVM-250 [000] d..1. 9.4: kvm_inj_virq: ${fmt%%|*}"
	} >"$work/trace/trace"
	acct window kvm_window
	if [ "$(cat "$work/window.out")" = "2 3" ] && [ ! -s "$work/trace/trace" ]; then
		echo "ok [harness] kvm_window: KVM's MSIs and injections counted (${fmt%%|*})"
	else
		echo "not ok [harness] kvm_window (${fmt%%|*}): want '2 3' and an empty trace, got '$(cat "$work/window.out")'"
		failed=1
	fi
done
acct counted "l2_counted boot 500 500 503"
expect "l2_counted: L2 took what KVM was sent is ok" ok "$status_acct" \
	"$work/counted.out"
acct lost "l2_counted boot 499 500 503"
expect "l2_counted: L2 took fewer than KVM was sent is not ok" "not ok" \
	"$status_acct" "$work/lost.out" 'L2 took 499, KVM was sent 500'
acct extra "l2_counted boot 504 500 503"
expect "l2_counted: L2 took more than KVM injected is not ok" "not ok" \
	"$status_acct" "$work/extra.out" 'L2 took 504, KVM was sent 500 and injected 503'
acct drain "msis_counted boot 500 1 500 501"
expect "msis_counted: a command completion on vector 0 besides the copies is ok" ok \
	"$status_acct" "$work/drain.out"
acct stray "msis_counted boot 500 0 500 501"
expect "msis_counted: an MSI to KVM without a signal is not ok" "not ok" \
	"$status_acct" "$work/stray.out" 'IMS 500, signals 0 \+ 500, MSIs 501'
acct unsignalled "msis_counted boot 500 0 499 499"
expect "msis_counted: an IMS interrupt without a signal is not ok" "not ok" \
	"$status_acct" "$work/unsignalled.out" 'IMS 500, signals 0 \+ 499, MSIs 499'
exit "$failed"
