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
trap 'rm -f "$results"' EXIT

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
run kunit "$top/scripts/kunit.sh"

tally
