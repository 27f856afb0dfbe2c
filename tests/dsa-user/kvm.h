/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal VMM: a KVM VM whose memory slots are buffers of this process
 * (guest physical address = the IOVA they have in a VFIO container), and
 * KVM's VFIO pseudo-device, to which VFIO groups are added as QEMU adds
 * them. A vCPU only for the self-test of KVM itself (kvm_test).
 */
#ifndef DSA_USER_KVM_H
#define DSA_USER_KVM_H

#include <stddef.h>
#include <stdint.h>

#define KVM_VM_MAX_SLOTS	16

struct kvm_vm {
	int kvm;		/* /dev/kvm */
	int vm;			/* KVM_CREATE_VM */
	int vfio_dev;		/* KVM_DEV_TYPE_VFIO, created on first use */
	uint64_t slot_gpa[KVM_VM_MAX_SLOTS];
	uint64_t slot_size[KVM_VM_MAX_SLOTS];	/* 0: free */
};

int kvm_vm_open(struct kvm_vm *k);
void kvm_vm_close(struct kvm_vm *k);

/* A memory slot of @len bytes at @va, seen at @gpa; returns its number. */
int kvm_vm_map(struct kvm_vm *k, void *va, uint64_t gpa, size_t len);
/* Delete the slot that starts at @gpa. */
int kvm_vm_unmap(struct kvm_vm *k, uint64_t gpa);

/* KVM_DEV_VFIO_GROUP_ADD / _DEL of an open VFIO group file. */
int kvm_vm_vfio_add(struct kvm_vm *k, int group_fd);
int kvm_vm_vfio_del(struct kvm_vm *k, int group_fd);

/* What a vCPU run of real-mode code ended with (kvm_vm_run_code). */
struct kvm_vm_exit {
	uint32_t reason;	/* KVM_EXIT_* of the last exit */
	uint16_t io_port;	/* of the last KVM_EXIT_IO */
	uint8_t io_value;	/* first byte it wrote */
	unsigned int io_exits;
};

/*
 * Create a vCPU in real mode at @gpa (inside a slot) and run it until it
 * exits for anything but port I/O, at most @max_exits times.
 */
int kvm_vm_run_code(struct kvm_vm *k, uint64_t gpa, unsigned int max_exits,
		    struct kvm_vm_exit *out);

#endif
