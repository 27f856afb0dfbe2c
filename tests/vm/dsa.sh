# SPDX-License-Identifier: GPL-2.0
# The QEMU model of a DSA, driven from userspace through vfio-pci by
# dsa_test (tests/dsa-user/): three functions, the second with slow
# engines, the third of the first generation (no CMDCAP).
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

# dsa_test prints 214 checks on 00:10.0 (the long batch included), 16 on
# the slow 00:11.0 and 195 on 00:12.0; this script 18, and dsa_test's exit
# status.
plan $((214 + 16 + 195 + 18 + 1))

FAST=0000:00:10.0
SLOW=0000:00:11.0
GEN1=0000:00:12.0

check "modprobe vfio_iommu_type1" modprobe vfio_iommu_type1
# vfio-pci refuses DSA/IAX functions (its device denylist) unless told.
check "modprobe vfio-pci disable_denylist=1" \
	modprobe vfio-pci disable_denylist=1
check "the kernel uses the vIOMMU" test -d /sys/class/iommu/dmar0

for bdf in $FAST $SLOW $GEN1; do
	d=/sys/bus/pci/devices/$bdf
	check_eq "$bdf: DSA vendor:device" "0x8086:0x0b25" \
		"$(cat "$d/vendor"):$(cat "$d/device")"
	check_eq "$bdf: class" "0x088000" "$(cat "$d/class")"
	echo vfio-pci >"$d/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe
	check_eq "$bdf: bound to vfio-pci" vfio-pci \
		"$(basename "$(readlink "$d/driver")")"
done

# Capabilities software finds by walking config space (lspci would do).
ecap() {
	od -A n -t x4 -j "$2" -N 4 "/sys/bus/pci/devices/$1/config" | tr -d ' '
}
check_eq "PASID capability at 0x100, next 0x110" 1101001b "$(ecap $FAST 256)"
check_eq "Scalable IOV DVSEC at 0x110, last" 00010023 "$(ecap $FAST 272)"
check_eq "Scalable IOV DVSEC: Intel, length 0x18" 01818086 "$(ecap $FAST 276)"
check_eq "Scalable IOV DVSEC: IMS supported" 00000001 "$(ecap $FAST 292)"

run_prog dsa_test dsa_test $FAST $SLOW $GEN1
dmesg_has "vIOMMU reported the device's bad DMA" "DMAR: \[DMA \(Read\|Write\)"
check_clean_dmesg
done_testing
