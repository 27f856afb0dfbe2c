# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Result lines of the host-side packaging tests. Source after setting TAG;
# defines $tmp (a scratch file whose tail explains a failure) and $failed.

# shellcheck disable=SC2034 # read by the scripts that source this
failed=0
tmp=$(mktemp)

ok() {
	echo "ok [$TAG] $1"
}

not_ok() {
	echo "not ok [$TAG] $1"
	[ -s "$tmp" ] && sed 's/^/#   /' "$tmp" | tail -n 15
	failed=1
}

# check NAME COMMAND...: ok when COMMAND succeeds; its output explains.
check() {
	local name=$1
	shift
	if "$@" >"$tmp" 2>&1; then ok "$name"; else not_ok "$name"; fi
}
