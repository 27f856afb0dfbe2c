# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The judges: from what one run left behind (a VM's serial log, a build's
# output and exit status, a KUnit run's kernel output), print its "ok"/
# "not ok" lines, and "not ok" for every check that should have run and
# did not. The runners and the harness self-test (scripts/selftest.sh)
# share them, so the self-test proves the code the suite really uses.
# Sourced by lib.sh; defines functions only.

judge_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# qemu_err_log LOG: where vm.sh writes QEMU's own messages (stderr) of the
# run whose serial log is LOG.
qemu_err_log() {
	echo "${1%.log}.qemu-err"
}

# qemu_err_tail LOG: the last of QEMU's own messages of that run, as "#"
# lines (why a VM that stopped early stopped).
qemu_err_tail() {
	local err
	err=$(qemu_err_log "$1")
	[ -s "$err" ] || return 0
	echo "#   QEMU said ($err):"
	tail -n 5 "$err" | sed 's/^/#     /'
}

# vm_judge TAG LOG STATUS: one VM run, from its serial log LOG alone
# (STATUS: QEMU's exit status, 124 if timeout stopped it). Prints the
# run's result lines tagged [TAG], then a "not ok" for each broken
# promise: the test never started, declared no plan "1..N", printed
# another number of results than planned, did not finish (no
# IDXD-VM-DONE), exited non-zero, or the kernel crashed. Returns 1 if
# anything is not ok.
vm_judge() {
	local tag=$1 log=$2 status=$3 clean name planned ran done_rc crash rc=0
	clean=$(mktemp)
	# Serial consoles end lines with \r and the firmware leaves terminal
	# escapes before the first line of ours; a missing log judges as empty.
	if [ -f "$log" ]; then
		sed 's/\r$//; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[^[]//g' "$log" >"$clean"
	fi
	sed -n '/^\(not \)\?ok /s|^\(not \)\?ok |&['"$tag"'] |p' "$clean"
	if grep -q '^not ok ' "$clean"; then rc=1; fi
	name=$(sed -n 's/.*IDXD-VM-START \([^ ]*\).*/\1/p' "$clean" | head -n 1)
	if ! grep -q 'IDXD-VM-START' "$clean"; then
		echo "not ok [$tag] VM: the test never started (no IDXD-VM-START, QEMU status $status, log: $log)"
		tail -n 5 "$clean" | sed 's/^/#   /'
		qemu_err_tail "$log"
		rm -f "$clean"
		return 1
	fi
	name=${name:-VM}
	# (Safe under set -e: a missing line is a finding, not an error.)
	planned=$(grep -E '^1\.\.[0-9]+$' "$clean" | cut -c4- || true)
	ran=$(grep -c -E '^(not )?ok ' "$clean" || true)
	if [ -z "$planned" ]; then
		echo "not ok [$tag] $name: no plan (1..N line); ran $ran"
		rc=1
	elif [ "$(echo "$planned" | wc -l)" -ne 1 ]; then
		echo "not ok [$tag] $name: more than one plan: $(echo "$planned" | tr '\n' ' ')"
		rc=1
	elif [ "$planned" -ne "$ran" ]; then
		echo "not ok [$tag] $name: planned $planned, ran $ran"
		rc=1
	fi
	done_rc=$(sed -n 's/.*IDXD-VM-DONE rc=\([0-9]*\).*/\1/p' "$clean" | head -n 1)
	if [ -z "$done_rc" ]; then
		if [ "$status" -eq 124 ]; then
			echo "not ok [$tag] $name: VM timed out (no IDXD-VM-DONE; log: $log)"
		else
			echo "not ok [$tag] $name: VM stopped early (no IDXD-VM-DONE, QEMU status $status; log: $log)"
		fi
		tail -n 5 "$clean" | sed 's/^/#   /'
		qemu_err_tail "$log"
		rc=1
	elif [ "$done_rc" -ne 0 ]; then
		echo "not ok [$tag] $name: test script exited rc=$done_rc"
		rc=1
	fi
	crash=$(grep -E -m1 'Kernel panic|BUG:|Oops' "$clean" || true)
	if [ -n "$crash" ]; then
		echo "not ok [$tag] $name: kernel crashed: $crash (log: $log)"
		grep -E -m5 'Kernel panic|BUG:|Oops|RIP:' "$clean" | sed 's/^/#   /'
		rc=1
	fi
	rm -f "$clean"
	return "$rc"
}

# What a compiler, kbuild or modpost says when a build is not clean.
BUILD_DIAG='warning:|error:|ERROR:|WARNING:|: note:'

# build_judge NAME LOG STATUS: a build step is ok when make's exit STATUS
# is 0 and its output LOG holds no diagnostic. The status catches what a
# pattern misses (modpost's "ERROR:", "make: ***").
build_judge() {
	local name=$1 log=$2 status=$3
	if [ "$status" -eq 0 ] && ! grep -E -q "$BUILD_DIAG" "$log"; then
		echo "ok [lint] $name"
		return 0
	fi
	echo "not ok [lint] $name"
	{
		[ "$status" -eq 0 ] || echo "make: exit $status"
		grep -E "$BUILD_DIAG|\*\*\*" "$log" || tail -n 10 "$log"
	} | head -n 40 | sed 's/^/#   /'
	return 1
}

# kernel_splats: the first warning, oops or lockdep/KASAN/UBSAN report in
# the kernel output on stdin (KASAN and lockdep report without failing
# the test that triggered them).
kernel_splats() {
	grep -E -m1 'WARNING:|BUG:|Oops|possible circular|possible recursive|inconsistent lock|KASAN:|UBSAN:'
}

# kunit_judge KSRC LOG JSON TREE: one KUnit run from its own kernel output
# LOG: parsed by KSRC's kunit.py into JSON (written anew), each case
# reported, the suites and case counts the sources in TREE declare
# compared with what ran, and the kernel log checked for splats. Returns
# 1 if anything is not ok.
kunit_judge() {
	local ksrc=$1 log=$2 json=$3 tree=$4 splat rc=0
	rm -f "$json"
	# kunit.py's own verdict is redone case by case below; a JSON it
	# could not write is reported there.
	python3 "$ksrc/tools/testing/kunit/kunit.py" parse \
		--json="$(realpath -m "$json")" "$(realpath "$log")" >/dev/null 2>&1 || true
	python3 "$judge_dir/kunit-judge.py" "$json" "$tree" || rc=1
	splat=$(sed 's/\r$//' "$log" | kernel_splats || true)
	if [ -n "$splat" ]; then
		echo "not ok [kunit] kernel log clean: $splat"
		rc=1
	else
		echo "ok [kunit] kernel log clean (KASAN, lockdep)"
	fi
	return "$rc"
}
