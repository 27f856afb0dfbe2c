// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_test vcpu: KVM works in this (test) VM: a VM whose memory is a
 * buffer of ours runs a few real-mode instructions on a vCPU, which store
 * to that memory and write a port; KVM has its VFIO pseudo-device.
 *
 * Prints TAP result lines (tap.h); the exit status is the number of
 * failures.
 */
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kvm.h"
#include "tap.h"

#define GUEST_MEM	0x10000
#define CODE_GPA	0x1000
#define DATA_GPA	0x2000
#define VCPU_PLAN	9

/*
 * mov $0x2000, %bx; movw $0xbeef, (%bx); mov $42, %al; out %al, $0x10;
 * hlt (16-bit code).
 */
static const unsigned char guest_code[] = {
	0xbb, 0x00, 0x20, 0xc7, 0x07, 0xef, 0xbe, 0xb0, 0x2a, 0xe6, 0x10,
	0xf4,
};

static void test_vcpu(void)
{
	struct kvm_create_device cd = {
		.type = KVM_DEV_TYPE_VFIO, .flags = KVM_CREATE_DEVICE_TEST,
	};
	struct kvm_vm_exit ex;
	struct kvm_vm k;
	uint8_t *mem;
	int opened;

	tap_plan(VCPU_PLAN);
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return;
	}
	memcpy(mem + CODE_GPA, guest_code, sizeof(guest_code));
	opened = !kvm_vm_open(&k);
	tap_result(opened, "/dev/kvm opened, KVM_CREATE_VM", "%s",
		   strerror(errno));
	if (!opened)
		return;
	CHECK_EQ("KVM_SET_USER_MEMORY_REGION: slot 0", 0,
		 kvm_vm_map(&k, mem, 0, GUEST_MEM));
	CHECK_OK("vCPU ran", kvm_vm_run_code(&k, CODE_GPA, 4, &ex));
	CHECK_EQ("one port write", 1, ex.io_exits);
	CHECK_EQ("to port 0x10, value 42", 0x10002a,
		 (uint32_t)ex.io_port << 16 | ex.io_value);
	CHECK_EQ("then HLT", KVM_EXIT_HLT, ex.reason);
	CHECK_EQ("the guest's store reached our buffer", 0xbeef,
		 *(uint16_t *)(mem + DATA_GPA));
	CHECK_OK("memory slot deleted", kvm_vm_unmap(&k, 0));
	CHECK_OK("KVM has the VFIO pseudo-device",
		 ioctl(k.vm, KVM_CREATE_DEVICE, &cd));
	kvm_vm_close(&k);
	munmap(mem, GUEST_MEM);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "vcpu")) {
		tap_tag = "kvm vcpu";
		test_vcpu();
		return tap_done();
	}
	fprintf(stderr, "usage: %s vcpu\n", argv[0]);
	return 2;
}
