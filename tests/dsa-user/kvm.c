// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal VMM over /dev/kvm: what QEMU does that a VFIO device driver
 * in the host can see, i.e. the VM's memory slots and the VFIO groups
 * added to KVM's VFIO pseudo-device. Functions return 0 (or a count) on
 * success and -1 with errno set on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm.h"

int kvm_vm_open(struct kvm_vm *k)
{
	int ver, err;

	memset(k, 0, sizeof(*k));
	k->vm = -1;
	k->vfio_dev = -1;
	k->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->kvm < 0)
		return -1;
	ver = ioctl(k->kvm, KVM_GET_API_VERSION, 0);
	if (ver != KVM_API_VERSION) {
		err = ver < 0 ? errno : EPROTO;
		goto fail;
	}
	k->vm = ioctl(k->kvm, KVM_CREATE_VM, 0);
	if (k->vm < 0) {
		err = errno;
		goto fail;
	}
	return 0;
fail:
	kvm_vm_close(k);
	errno = err;
	return -1;
}

void kvm_vm_close(struct kvm_vm *k)
{
	if (k->vfio_dev >= 0)
		close(k->vfio_dev);
	if (k->vm >= 0)
		close(k->vm);
	if (k->kvm >= 0)
		close(k->kvm);
	k->vfio_dev = -1;
	k->vm = -1;
	k->kvm = -1;
}

static int kvm_vm_slot(struct kvm_vm *k, unsigned int slot, void *va,
		       uint64_t gpa, uint64_t len)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = len,
		.userspace_addr = (uintptr_t)va,
	};

	return ioctl(k->vm, KVM_SET_USER_MEMORY_REGION, &r);
}

int kvm_vm_map(struct kvm_vm *k, void *va, uint64_t gpa, size_t len)
{
	unsigned int i;

	for (i = 0; i < KVM_VM_MAX_SLOTS; i++)
		if (!k->slot_size[i])
			break;
	if (i == KVM_VM_MAX_SLOTS) {
		errno = ENOSPC;
		return -1;
	}
	if (kvm_vm_slot(k, i, va, gpa, len))
		return -1;
	k->slot_gpa[i] = gpa;
	k->slot_size[i] = len;
	return i;
}

int kvm_vm_unmap(struct kvm_vm *k, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < KVM_VM_MAX_SLOTS; i++) {
		if (!k->slot_size[i] || k->slot_gpa[i] != gpa)
			continue;
		/* A slot of size 0 deletes it. */
		if (kvm_vm_slot(k, i, NULL, gpa, 0))
			return -1;
		k->slot_size[i] = 0;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

static int kvm_vm_vfio_attr(struct kvm_vm *k, int group_fd, uint64_t attr)
{
	int32_t fd = group_fd;
	struct kvm_device_attr a = {
		.group = KVM_DEV_VFIO_GROUP,
		.attr = attr,
		.addr = (uintptr_t)&fd,
	};

	if (k->vfio_dev < 0) {
		struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };

		if (ioctl(k->vm, KVM_CREATE_DEVICE, &cd))
			return -1;
		k->vfio_dev = cd.fd;
	}
	return ioctl(k->vfio_dev, KVM_SET_DEVICE_ATTR, &a);
}

int kvm_vm_vfio_add(struct kvm_vm *k, int group_fd)
{
	return kvm_vm_vfio_attr(k, group_fd, KVM_DEV_VFIO_GROUP_ADD);
}

int kvm_vm_vfio_del(struct kvm_vm *k, int group_fd)
{
	return kvm_vm_vfio_attr(k, group_fd, KVM_DEV_VFIO_GROUP_DEL);
}

int kvm_vm_run_code(struct kvm_vm *k, uint64_t gpa, unsigned int max_exits,
		    struct kvm_vm_exit *out)
{
	struct kvm_regs regs = { .rip = gpa & 0xffff, .rflags = 2 };
	struct kvm_sregs sregs;
	struct kvm_run *run = MAP_FAILED;
	int cpu, size, ret = -1, err = 0;

	memset(out, 0, sizeof(*out));
	cpu = ioctl(k->vm, KVM_CREATE_VCPU, 0);
	if (cpu < 0)
		return -1;
	size = ioctl(k->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size > 0)
		run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, cpu,
			   0);
	if (size <= 0 || run == MAP_FAILED)
		goto out;
	/* Real mode: CS based at the code's 64 KiB segment. */
	if (ioctl(cpu, KVM_GET_SREGS, &sregs))
		goto out;
	sregs.cs.base = gpa & ~0xffffull;
	sregs.cs.selector = gpa >> 4 & 0xf000;
	sregs.ds = sregs.cs;
	sregs.ds.type = 3;
	if (ioctl(cpu, KVM_SET_SREGS, &sregs) || ioctl(cpu, KVM_SET_REGS, &regs))
		goto out;
	while (max_exits--) {
		if (ioctl(cpu, KVM_RUN, 0))
			goto out;
		out->reason = run->exit_reason;
		if (run->exit_reason != KVM_EXIT_IO) {
			ret = 0;
			goto out;
		}
		out->io_exits++;
		out->io_port = run->io.port;
		if (run->io.direction == KVM_EXIT_IO_OUT)
			out->io_value = *((uint8_t *)run + run->io.data_offset);
	}
	ret = 0;
out:
	if (ret)
		err = errno;
	if (run != MAP_FAILED)
		munmap(run, size);
	close(cpu);
	errno = err;
	return ret;
}
