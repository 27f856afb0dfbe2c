// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_test vcpu: KVM works in this (test) VM: a VM whose memory is a
 * buffer of ours runs a few real-mode instructions on a vCPU, which store
 * to that memory and write a port; KVM has its VFIO pseudo-device.
 *
 * kvm_test dsa BDF: the minimal VMM with a VFIO device, as a VMM sets one
 * up: the DMA buffers are the VM's memory slots at GPA == IOVA, the
 * device's group is added to KVM's VFIO pseudo-device before the device
 * is opened, and a DSA function bound to vfio-pci then copies memory,
 * its descriptors written with MOVDIR64B and with 8-byte stores, their
 * completions interrupting through an MSI-X eventfd.
 *
 * Prints TAP result lines (tap.h); the exit status is the number of
 * failures.
 */
#include <linux/kvm.h>
#include <linux/vfio.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dsa.h"
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

/* The DMA buffers of "dsa": one memory slot, mapped for DMA alike. */
#define MEM_SIZE	BIT(20)
#define MEM_IOVA	0x100000000ull
#define CR_OFF		0x0
#define SRC_OFF		0x10000
#define DST_OFF		0x30000
#define COPY_SIZE	10000
#define TIMEOUT_MS	5000
#define DSA_PLAN	22

static struct kvm_vm vm;
static int hook_calls;

/* The group hook: what QEMU does with a VFIO group before the device. */
static int add_to_kvm(void *arg, int group_fd)
{
	(void)arg;
	hook_calls++;
	return kvm_vm_vfio_add(&vm, group_fd);
}

/* A memmove of COPY_SIZE bytes, written with MOVDIR64B or not. */
static void memmove_check(struct dsa_dev *d, uint8_t *mem, bool movdir64b,
			  unsigned int seed)
{
	volatile struct dsa_completion_record *cr = (void *)(mem + CR_OFF);
	uint64_t before = vfio_irq_count(&d->v, 1);
	const char *how = movdir64b ? "MOVDIR64B" : "8-byte stores";
	struct dsa_hw_desc desc;
	char name[96];
	unsigned int i;

	for (i = 0; i < COPY_SIZE; i++)
		mem[SRC_OFF + i] = seed + i * 7;
	memset(mem + DST_OFF, 0, COPY_SIZE);
	memset((void *)cr, 0, 32);
	memset(&desc, 0, sizeof(desc));
	desc.opcode = DSA_OPCODE_MEMMOVE;
	desc.flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI;
	desc.int_handle = 1;
	desc.completion_addr = MEM_IOVA + CR_OFF;
	desc.src_addr = MEM_IOVA + SRC_OFF;
	desc.dst_addr = MEM_IOVA + DST_OFF;
	desc.xfer_size = COPY_SIZE;
	if (movdir64b)
		dsa_submit_movdir64b(d, 0, DSA_PORTAL_MSIX, &desc);
	else
		dsa_submit(d, 0, DSA_PORTAL_MSIX, &desc);
	snprintf(name, sizeof(name), "memmove (%s): success", how);
	CHECK_EQ(name, DSA_COMP_SUCCESS, dsa_wait(cr, TIMEOUT_MS));
	snprintf(name, sizeof(name), "memmove (%s): data", how);
	CHECK(name, !memcmp(mem + SRC_OFF, mem + DST_OFF, COPY_SIZE));
	snprintf(name, sizeof(name), "memmove (%s): completion interrupt", how);
	CHECK(name, !vfio_irq_wait(&d->v, 1, before + 1, TIMEOUT_MS));
}

static void test_dsa(const char *bdf)
{
	struct vfio_region r;
	struct dsa_dev d;
	uint8_t *mem;
	int ok, fd;

	tap_plan(DSA_PLAN);
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return;
	}
	ok = !kvm_vm_open(&vm);
	tap_result(ok, "KVM_CREATE_VM", "%s", strerror(errno));
	if (!ok)
		return;
	CHECK_EQ("the DMA buffer is memory slot 0, at GPA == IOVA", 0,
		 kvm_vm_map(&vm, mem, MEM_IOVA, MEM_SIZE));
	ok = !dsa_open_hook(&d, bdf, add_to_kvm, NULL);
	tap_result(ok, "opened through vfio-pci, group added to KVM first",
		   "%s", strerror(errno));
	if (!ok)
		return;
	CHECK_EQ("the group hook ran once", 1, hook_calls);
	CHECK_ERRNO("the group added again: EEXIST", EEXIST,
		    kvm_vm_vfio_add(&vm, d.v.group));
	CHECK_ERRNO("a file that is no VFIO group: EINVAL", EINVAL,
		    kvm_vm_vfio_add(&vm, vm.kvm));
	/* vfio-pci describes the BAR holding the MSI-X table with a cap. */
	CHECK_OK("BAR0 region info with its capabilities",
		 vfio_region_info(&d.v, VFIO_PCI_BAR0_REGION_INDEX, &r));
	CHECK("BAR0: one capability (MSI-X mappable), no sparse mmap",
	      r.flags & VFIO_REGION_INFO_FLAG_CAPS && r.ncaps == 1 &&
	      !r.sparse);
	CHECK_OK("VFIO_IOMMU_MAP_DMA of the memory slot's buffer",
		 vfio_dma_map(&d.v, mem, MEM_IOVA, MEM_SIZE));

	dsa_group_config(&d, 0, 0x1, 0x1);
	dsa_wq_config(&d, 0, 16, 1);
	CHECK_EQ("ENABLE_DEVICE", 0,
		 DSA_CMDSTS_ERR(dsa_cmd(&d, DSA_CMD_ENABLE_DEVICE, 0)));
	CHECK_EQ("ENABLE_WQ 0", 0,
		 DSA_CMDSTS_ERR(dsa_cmd(&d, DSA_CMD_ENABLE_WQ, 0)));
	memmove_check(&d, mem, false, 3);
	memmove_check(&d, mem, true, 5);
	CHECK_EQ("DISABLE_DEVICE", 0,
		 DSA_CMDSTS_ERR(dsa_cmd(&d, DSA_CMD_DISABLE_DEVICE, 0)));
	CHECK_OK("VFIO_IOMMU_UNMAP_DMA",
		 vfio_dma_unmap(&d.v, MEM_IOVA, MEM_SIZE));
	fd = dup(d.v.group);
	dsa_close(&d);
	CHECK_OK("KVM_DEV_VFIO_GROUP_DEL", kvm_vm_vfio_del(&vm, fd));
	CHECK_ERRNO("deleted twice: ENOENT", ENOENT,
		    kvm_vm_vfio_del(&vm, fd));
	close(fd);
	CHECK_OK("memory slot deleted", kvm_vm_unmap(&vm, MEM_IOVA));
	kvm_vm_close(&vm);
	munmap(mem, MEM_SIZE);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "dsa")) {
		tap_tag = "kvm dsa";
		test_dsa(argv[2]);
		return tap_done();
	}
	if (argc == 2 && !strcmp(argv[1], "vcpu")) {
		tap_tag = "kvm vcpu";
		test_vcpu();
		return tap_done();
	}
	fprintf(stderr, "usage: %s vcpu | dsa BDF\n", argv[0]);
	return 2;
}
