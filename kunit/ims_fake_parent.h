/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake MSI parent irq domain for the IMS KUnit suites: it composes
 * messages from a made-up vector and target CPU, and records what the IMS
 * domain asks of it.
 */
#ifndef _IMS_FAKE_PARENT_H
#define _IMS_FAKE_PARENT_H

#include <linux/device.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>

#include "ims_internal.h"

#define IMS_FAKE_MSI_BASE	0xfee00000
#define IMS_FAKE_VECTOR_BASE	0x40

/**
 * struct ims_fake_parent - The fake parent and its records
 * @domain:	The parent irq domain.
 * @dev:	A device to own IMS domains created on it.
 * @remapping:	Behave like interrupt remapping: affinity changes are done
 *		in the parent (IRQ_SET_MASK_OK_DONE), the message stays.
 * @fail_alloc:	Make the next allocation fail with this errno.
 * @allocs, @frees, @activates, @acks, @retriggers: call counts.
 * @last_info:	Copy of the allocation info of the last allocation.
 * @last_vcpu:	The vcpu_info of the last irq_set_vcpu_affinity() call.
 * @cpu:	Per hwirq, the CPU the fake vector targets.
 */
struct ims_fake_parent {
	struct irq_domain *domain;
	struct device *dev;
	bool remapping;
	int fail_alloc;
	int allocs, frees, activates, acks, retriggers;
	msi_alloc_info_t last_info;
	void *last_vcpu;
	unsigned int cpu[64];
};

struct kunit;
struct ims_fake_parent *ims_fake_parent_create(struct kunit *test);
void ims_fake_parent_destroy(struct ims_fake_parent *fake);
struct ims_domain *ims_fake_domain_create(struct kunit *test,
					  struct ims_fake_parent *fake,
					  unsigned int nr_slots,
					  void __iomem **slots);
u32 ims_fake_addr(unsigned int cpu);

#endif /* _IMS_FAKE_PARENT_H */
