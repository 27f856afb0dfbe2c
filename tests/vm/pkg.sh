# SPDX-License-Identifier: GPL-2.0
# The modules DKMS built from the installed package, loaded by name the
# way a user does. Kernel command line: idxd_version=VERSION expected.
# shellcheck shell=sh
# Some helpers run only through check and wait_for, out of shellcheck's sight:
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 10
want=$(cmdline_arg idxd_version)

check "modprobe ims (DKMS build)" modprobe ims allow_guest=1
check "ims comes from updates/dkms" sh -c "modinfo -n ims | grep -q /updates/dkms/ims.ko"
check_eq "ims module version is the package version" "$want" \
	"$(cat /sys/module/ims/version)"
check "modprobe ims_edu on top of it" modprobe ims_edu
D=$(echo /sys/kernel/debug/ims_edu/0000:*)
check "create a slot-array domain" sh -c "echo 'create array 4' >$D/ctl"
check "allocate a vector" sh -c "echo 'alloc array any' >$D/ctl"
check "fire it" sh -c "echo 'fire array 0' >$D/ctl"
count_one() {
	grep -q "^array 0 .* count=1 " "$D/vectors"
}
check "its handler ran" wait_for 5 count_one
check "rmmod ims_edu ims" rmmod ims_edu ims
check_clean_dmesg
exit "$FAILED"
