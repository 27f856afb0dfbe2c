/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Library internals, shared by the library's files and its KUnit tests.
 */
#ifndef _IMS_INTERNAL_H
#define _IMS_INTERNAL_H

#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/mutex.h>

#include "ims.h"

/**
 * struct ims_vector - State of one slot
 * @domain:	The owning domain.
 * @slot:	Index of this slot.
 * @virq:	Linux interrupt number while allocated, 0 while free.
 */
struct ims_vector {
	struct ims_domain *domain;
	unsigned int slot;
	unsigned int virq;
};

/**
 * struct ims_domain - An IMS irq domain
 * @dev:	The device whose storage this is.
 * @irqdomain:	The irq domain, child of the device's MSI parent.
 * @ops:	Storage callbacks.
 * @data:	Their data.
 * @slot_array:	Set when the library provides the storage (@ops is then
 *		&ims_slot_array_ops and @data points here).
 * @msi_desc:	Identifies @dev to the parent: interrupt remapping takes the
 *		requester ID for the IRTE source check from it.
 * @lock:	Serializes allocation and freeing of slots (@vectors[].virq).
 * @nr_slots:	Number of slots.
 * @vectors:	One entry per slot.
 */
struct ims_domain {
	struct device *dev;
	struct irq_domain *irqdomain;
	const struct ims_storage_ops *ops;
	void *data;
	struct ims_slot_array *slot_array;
	struct msi_desc msi_desc;
	/* Serializes slot allocation and freeing: see @lock above. */
	struct mutex lock;
	unsigned int nr_slots;
	struct ims_vector vectors[];
};

/**
 * struct ims_slot_array - Library-provided storage in the common layout
 * @base:	MMIO address of slot 0.
 * @ctrl:	Per slot, the control word bits other than the mask bit (the
 *		PASID), set when the slot is prepared.
 */
struct ims_slot_array {
	void __iomem *base;
	u32 ctrl[];
};

extern const struct ims_storage_ops ims_slot_array_ops;
extern const struct irq_chip ims_irq_chip;
extern bool ims_allow_guest;

struct ims_domain *__ims_domain_create(struct device *dev,
				       struct irq_domain *parent,
				       const struct ims_domain_info *info);
struct irq_domain *ims_msi_parent(struct device *dev);
bool ims_platform_allowed(struct device *dev);
int ims_compose_msg(struct irq_data *irqd, struct msi_msg *msg);

#endif /* _IMS_INTERNAL_H */
