# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Result lines of the host-side packaging tests, and their VM boot. Source
# after scripts/lib.sh, having set TAG; defines $tmp (a scratch file whose
# tail explains a failure) and $failed.

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

# pkg_boot KVER PREFIX EDU-KO DKMS-KO...: boot KVER on the DSA model
# with the modules DKMS built (ims, the example consumer, idxd_mdev)
# loaded by name as a user loads them, and the test driver EDU-KO
# (tests/vm/pkg.sh); its result lines say "PREFIX [KVER/pkg]".
# shellcheck disable=SC2154 # lib_dir: set by scripts/lib.sh
pkg_boot() {
	local kver=$1 prefix=$2 edu=$3
	shift 3
	vm_test "$kver" dsa pkg "idxd_version=$(cat "$lib_dir/../VERSION")" \
		--kmod vfio --kmod mdev --kmod irqbypass --elf /usr/bin/mdevctl \
		--mkdir /etc/mdevctl.d/scripts.d/callouts \
		--mkdir /etc/mdevctl.d/scripts.d/notifiers \
		--dir updates/dkms "$@" --dir extra "$edu" |
		sed "s/^\(not \)\?ok \[/&$prefix /" || failed=1
}

# check NAME COMMAND...: ok when COMMAND succeeds; its output explains.
check() {
	local name=$1
	shift
	if "$@" >"$tmp" 2>&1; then ok "$name"; else not_ok "$name"; fi
}
