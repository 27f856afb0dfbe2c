#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the whole test suite, as "make check" and CI run it. Every
# part prints "ok ..."/"not ok ..." lines; the last line is the tally,
# "N passed, N failed, N skipped". Exits non-zero if anything failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

results=$(mktemp)
newest_out=$(mktemp)
trap 'rm -f "$results" "$newest_out"' EXIT

# run NAME CMD...: run one part; a part that fails without saying which
# check failed still counts as one failure.
run() {
	local name=$1 rc start=$SECONDS part
	shift
	part=$(mktemp)
	echo "=== $name"
	"$@" >"$part" 2>&1
	rc=$?
	grep -E '^(not )?ok |^#' "$part"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$part"; then
		echo "not ok $name: exit $rc"
		tail -n 20 "$part" | sed 's/^/#   /'
		echo "not ok $name: exit $rc" >>"$part"
	fi
	grep -E '^(not )?ok ' "$part" >>"$results"
	rm -f "$part"
	echo "=== $name: $((SECONDS - start)) s"
}

tally() {
	local skipped passed failed
	skipped=$(grep -c '^ok .*# SKIP' "$results")
	passed=$(($(grep -c '^ok ' "$results") - skipped))
	failed=$(grep -c '^not ok ' "$results")
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

# setup: nothing else can run without it.
setup() {
	"$top/scripts/install-deps.sh" &&
		"$top/scripts/fetch-kernel.sh" 6.1 6.12 >/dev/null &&
		echo "ok [setup] packages and Debian kernels $(newest_kver 6.1) $(newest_kver 6.12)"
}
run setup setup
grep -q '^ok \[setup\]' "$results" || { tally; exit 1; }
k61=$(newest_kver 6.1)
k612=$(newest_kver 6.12)

# setup_newest: chroots of Debian 13 (trixie) and unstable (sid) with
# their newest kernels' headers, and those kernels' images.
setup_newest() {
	local kvers
	kvers=$("$top/scripts/fetch-kernel.sh" trixie sid) &&
		echo "ok [setup] chroots and kernels of trixie and sid: $(tr '\n' ' ' <<<"$kvers")"
}

# newest: the newest kernels of trixie and sid, built as their users
# build (in those suites' chroots), through the same VM tests as
# bookworm's two; and the KUnit suites, which make the two lanes about
# as long. It runs at the same time as the parts of bookworm's kernels: a
# part runs one VM at a time, which keeps about one CPU busy, and the
# machine has two. Its lines come after theirs.
newest() {
	run kunit "$top/scripts/kunit.sh"
	run setup-newest setup_newest
	grep -q '^ok \[setup\] chroots' "$results" || return
	run lint-newest "$top/scripts/lint.sh" --builds trixie sid
	run suites "$top/tests/pkg/suites.sh" trixie sid
	run vm-newest "$top/scripts/vmtest.sh" trixie sid
	run dsa-model-newest "$top/scripts/dsatest.sh" trixie sid
	run kvm-newest "$top/scripts/kvmtest.sh" trixie sid
	run e2e-newest "$top/scripts/e2etest.sh" trixie sid
}
newest >"$newest_out" 2>&1 &
newest_pid=$!

# The judges below first prove they turn broken runs into "not ok".
run harness "$top/scripts/selftest.sh"
run lint "$top/scripts/lint.sh" 6.1 6.12
run compat-6.1 "$top/tests/compat/unsupported.sh" "$k61"
run compat-6.12 "$top/tests/compat/unsupported.sh" "$k612"
run vm "$top/scripts/vmtest.sh" 6.1 6.12
run dsa-model "$top/scripts/dsatest.sh" 6.1 6.12
run kvm "$top/scripts/kvmtest.sh" 6.1 6.12
run e2e "$top/scripts/e2etest.sh" 6.1 6.12
run version "$top/tests/pkg/version.sh"
run deb "$top/tests/pkg/deb.sh" "$k61" "$k612"
run rpm "$top/tests/pkg/rpm.sh"

wait "$newest_pid"
cat "$newest_out"
tally
