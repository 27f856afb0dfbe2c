# SPDX-License-Identifier: GPL-2.0
# idxd_mdev's mediated devices on the QEMU DSA model, through sysfs: the
# type each parent offers and its attributes, available_instances exact
# through creation and removal, a creation refused when every WQ is
# taken, and unbind and rmmod with instances alive.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 34

DRV=/sys/bus/pci/drivers/idxd_mdev


# uuid N: a fixed UUID per instance number.
uuid() {
	printf '8f0c3a52-1d2e-4b6a-9c1f-%012x\n' "$1"
}

check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
check "bind 00:10.0" bind_driver 0000:00:10.0 idxd_mdev
check "bind 00:12.0" bind_driver 0000:00:12.0 idxd_mdev

T=/sys/bus/pci/devices/0000:00:10.0/mdev_supported_types/idxd_mdev-dsa-1dwq
check "00:10.0 offers dsa-1dwq" test -d "$T"
check_eq "its name" "DSA, one dedicated WQ" "$(cat "$T/name")"
check_eq "its device_api" "vfio-pci" "$(cat "$T/device_api")"
check "its description: 16 entries, 1 engine, the operations" grep -E -q \
	'^one dedicated WQ of 16 entries or more, 1 engine or more, operations( [0-9a-f]{16}){4}$' \
	"$T/description"
check_eq "8 available" 8 "$(cat "$T/available_instances")"

check "create an instance" sh -c "echo $(uuid 1) >$T/create"
M=/sys/bus/mdev/devices/$(uuid 1)
check "it is an mdev" test -d "$M"
check "it has an IOMMU group" test -e "$M/iommu_group"
check_eq "7 available" 7 "$(cat "$T/available_instances")"
check "listed under the type" test -e "$T/devices/$(uuid 1)"
dmesg_has "it took WQ 0" "idxd_mdev $(uuid 1): WQ 0 of 0000:00:10.0"
check_eq "its debugfs state names WQ 0" "wq 0" \
	"$(head -n 1 "/sys/kernel/debug/idxd_mdev/0000:00:10.0/$(uuid 1)/state")"

i=2
while [ "$i" -le 8 ]; do
	uuid "$i" >"$T/create" || break
	i=$((i + 1))
done
check_eq "8 instances in all" 9 "$i"
check_eq "0 available" 0 "$(cat "$T/available_instances")"
expect_errno "a ninth refused" "No space left on device" "$T/create" \
	"$(uuid 9)"
dmesg_has "refusal explained" \
	"idxd_mdev $(uuid 9): 0000:00:10.0: every WQ has an instance already"
check "no ninth device" test ! -e "/sys/bus/mdev/devices/$(uuid 9)"

check "remove the first" sh -c "echo 1 >$M/remove"
check "it is gone" test ! -e "$M"
check_eq "1 available" 1 "$(cat "$T/available_instances")"
check "create again" sh -c "echo $(uuid 1) >$T/create"
dmesg_has "and WQ 0 is free again" "idxd_mdev $(uuid 1): WQ 0 of 0000:00:10.0"

T12=/sys/bus/pci/devices/0000:00:12.0/mdev_supported_types/idxd_mdev-dsa-1dwq
check "00:12.0 (generation 1) offers dsa-1dwq" sh -c "echo $(uuid 17) >$T12/create"

check "unbind 00:10.0 with 8 instances" sh -c "echo 0000:00:10.0 >$DRV/unbind"
check_eq "its instances are gone" 1 "$(find /sys/bus/mdev/devices -mindepth 1 -maxdepth 1 | wc -l)"
check "rmmod with 00:12.0's instance alive" rmmod idxd_mdev
check "the last instance is gone" test ! -e "/sys/bus/mdev/devices/$(uuid 17)"
check "rmmod ims" rmmod ims
check_eq "no idxd_mdev interrupts" 0 "$(grep -c idxd_mdev /proc/interrupts)"
check_clean_dmesg
done_testing
