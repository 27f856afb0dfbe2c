# SPDX-License-Identifier: GPL-2.0
# Debian's mdevctl (a dynamically linked program, brought in with its
# libraries by mkinitramfs.sh --elf) manages idxd_mdev's instances on the
# QEMU DSA model: types, start, list, stop, define --auto (started again
# when the parent comes back, as its udev rule does it), undefine.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 27

U1=0b0e6b6a-1d5c-4c34-9f4e-5a3a1b2c3d4e
U2=5f1e2d3c-4b5a-4968-8776-655443322110
PARENT=0000:00:10.0
TYPE=idxd_mdev-dsa-1dwq
T=/sys/bus/pci/devices/$PARENT/mdev_supported_types/$TYPE


check "modprobe ims allow_guest=1" modprobe ims allow_guest=1
check "modprobe idxd_mdev" modprobe idxd_mdev
check "bind $PARENT" bind_driver "$PARENT" idxd_mdev

mdev "mdevctl types" types
check "lists the parent" grep -q "^$PARENT\$" /tmp/mdevctl.out
check "lists its type" grep -q "^ *$TYPE\$" /tmp/mdevctl.out
check "with 8 available" grep -q "^ *Available instances: 8\$" /tmp/mdevctl.out
check "and its name" grep -q "^ *Name: DSA, one dedicated WQ\$" /tmp/mdevctl.out

mdev "mdevctl start" start -u "$U1" -p "$PARENT" -t "$TYPE"
check "the instance exists" test -d "/sys/bus/mdev/devices/$U1"
check_eq "7 available" 7 "$(cat "$T/available_instances")"
mdev "mdevctl list" list
check_eq "lists it" "$U1 $PARENT $TYPE manual" "$(cat /tmp/mdevctl.out)"
mdev "mdevctl stop" stop -u "$U1"
check "the instance is gone" test ! -e "/sys/bus/mdev/devices/$U1"
check_eq "8 available" 8 "$(cat "$T/available_instances")"

mdev "mdevctl define --auto" define --auto -u "$U2" -p "$PARENT" -t "$TYPE"
check "the definition is a file in /etc/mdevctl.d" \
	test -f "/etc/mdevctl.d/$PARENT/$U2"
mdev "mdevctl list --defined" list --defined
check_eq "lists the definition" "$U2 $PARENT $TYPE auto" \
	"$(cat /tmp/mdevctl.out)"
# What the udev rule runs when the parent registers again.
check "rebind $PARENT" sh -c "echo $PARENT >/sys/bus/pci/drivers/idxd_mdev/unbind && echo $PARENT >/sys/bus/pci/drivers_probe"
mdev "mdevctl start-parent-mdevs" start-parent-mdevs "$PARENT"
check "the defined instance started" test -d "/sys/bus/mdev/devices/$U2"
mdev "mdevctl stop" stop -u "$U2"
mdev "mdevctl undefine" undefine -u "$U2"
check "its file is gone" test ! -e "/etc/mdevctl.d/$PARENT/$U2"
check_clean_dmesg
done_testing
