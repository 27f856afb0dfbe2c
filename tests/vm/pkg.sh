# SPDX-License-Identifier: GPL-2.0
# The modules DKMS built from the installed package, loaded by name the
# way a user does: ims, and next to it the example consumer DKMS built
# against it, on the DSA model; then idxd_mdev, binding the DSA model, and
# mdevctl making a mediated device of it. Kernel command line:
# idxd_version=VERSION expected.
# shellcheck shell=sh
# Some helpers run only through check and wait_for, out of shellcheck's sight:
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 24
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
check "rmmod ims_edu" rmmod ims_edu

# The example consumer: a completion interrupt through an IMS slot.
BDF=0000:00:10.0
E=/sys/kernel/debug/dsa_ims/$BDF
check "modprobe dsa_ims (DKMS build of the example)" modprobe dsa_ims
check "dsa_ims comes from updates/dkms" \
	sh -c "modinfo -n dsa_ims | grep -q /updates/dkms/dsa_ims.ko"
echo dsa_ims >/sys/bus/pci/devices/$BDF/driver_override
echo $BDF >/sys/bus/pci/drivers_probe
check "dsa_ims drives the DSA" test -e "$E/ctl"
check "a NOOP completes through IMS slot 0" sh -c \
	"echo 'alloc 0' >$E/ctl && echo 'request 0' >$E/ctl && echo 'submit 0' >$E/ctl"
irq_once() {
	grep -q "^slot 0 .* count=1 " "$E/slots"
}
check "its interrupt arrived" wait_for 5 irq_once
check "rmmod dsa_ims" rmmod dsa_ims
echo >/sys/bus/pci/devices/$BDF/driver_override

# The mediated device: modprobe, bind, mdevctl.
check "modprobe idxd_mdev (DKMS build)" modprobe idxd_mdev
check "idxd_mdev comes from updates/dkms" \
	sh -c "modinfo -n idxd_mdev | grep -q /updates/dkms/idxd_mdev.ko"
check_eq "idxd_mdev module version is the package version" "$want" \
	"$(cat /sys/module/idxd_mdev/version)"
check "idxd_mdev binds the DSA" bind_driver $BDF idxd_mdev
U=3e0a1b2c-4d5e-4f60-8172-8394a5b6c7d8
check "mdevctl start" mdevctl start -u $U -p $BDF -t idxd_mdev-dsa-1dwq
check "the mediated device exists" test -d /sys/bus/mdev/devices/$U
check "mdevctl stop" mdevctl stop -u $U
check "rmmod idxd_mdev ims" rmmod idxd_mdev ims
check_clean_dmesg
done_testing
