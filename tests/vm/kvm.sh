# SPDX-License-Identifier: GPL-2.0
# KVM inside the test VM (vm.sh's "kvm" mode): one AMD CPU whose SVM and
# nested paging TCG emulates, with MOVDIR64B for the DSA portals, behind
# the interrupt-remapping vIOMMU. kvm_amd loads, /dev/kvm appears, and
# kvm_test runs real-mode code on a vCPU of a VM whose memory is its own.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

# kvm_test vcpu prints 9 checks; this script 8, and its exit status.
plan $((9 + 8 + 1))

check_eq "one CPU" 1 "$(grep -c '^processor' /proc/cpuinfo)"
check "CPU has SVM" grep -q '^flags.* svm' /proc/cpuinfo
check "CPU has MOVDIR64B" grep -q '^flags.* movdir64b' /proc/cpuinfo
dmesg_has "interrupt remapping on" "DMAR-IR: Enabled IRQ remapping"
check "modprobe kvm_amd" modprobe kvm_amd
dmesg_has "kvm_amd uses nested paging" "Nested Paging enabled"
check "/dev/kvm" test -c /dev/kvm
run_prog kvm_test kvm_test vcpu
check_clean_dmesg
done_testing
