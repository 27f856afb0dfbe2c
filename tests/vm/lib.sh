# SPDX-License-Identifier: GPL-2.0
# Helpers for tests that run inside the VM (busybox sh). A test prints one
# "ok NAME" or "not ok NAME: why" line per check; the host counts them.

FAILED=0

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

# plan N: the number of checks this test prints.
plan() {
	echo "1..$1"
}
