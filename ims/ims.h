/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IMS (Interrupt Message Store) irq domains for Scalable-IOV devices.
 *
 * A device with IMS keeps MSI address/data pairs in storage of its own (a
 * slot array in MMIO, or per-queue context memory) instead of the PCI MSI-X
 * table. This library gives such a device an irq domain on top of its MSI
 * parent (interrupt remapping when enabled, the x86 vector domain
 * otherwise), so that each slot becomes an ordinary Linux interrupt.
 *
 * Exported in symbol namespace IMS: MODULE_IMPORT_NS(IMS) to use it.
 * Documentation/ims-howto.rst shows a complete consumer.
 */
#ifndef _IMS_H
#define _IMS_H

#include <linux/bits.h>
#include <linux/types.h>

struct irq_affinity_desc;
struct msi_msg;
struct pci_dev;
struct ims_domain;

/*
 * The common slot array layout: 16 bytes per slot. The control word holds
 * the mask bit and the PASID that tags the interrupt; a device refuses to
 * send a slot's message for a descriptor of another PASID.
 */
#define IMS_SLOT_SIZE		16
#define IMS_SLOT_ADDR_LO	0x0
#define IMS_SLOT_ADDR_HI	0x4
#define IMS_SLOT_DATA		0x8
#define IMS_SLOT_CTRL		0xc
#define   IMS_CTRL_MASK		BIT(0)
#define   IMS_CTRL_PASID_EN	BIT(3)
#define   IMS_CTRL_PASID	GENMASK(31, 12)

/* PASIDs are 20 bits wide. */
#define IMS_PASID_MAX		GENMASK(19, 0)

/* Let ims_alloc_irq() pick the lowest free slot. */
#define IMS_ANY_SLOT		(-1)

/**
 * union ims_cookie - Per-vector data given to the storage when a slot is
 *		      allocated
 * @value:	For slot array storage: the PASID that tags the slot.
 *		For device-defined storage: what the device's ops want.
 * @ptr:	For device-defined storage: a pointer, if that suits better.
 */
union ims_cookie {
	u64 value;
	void *ptr;
};

/**
 * struct ims_storage_ops - Device-defined message storage
 * @prepare:	Optional: take @slot into use for a new vector and leave it
 *		masked. @cookie is the caller's cookie or %NULL. May sleep.
 *		Return 0 or a negative errno (the allocation then fails).
 * @write_msg:	Required: store @msg in @slot. Runs with the irq descriptor
 *		lock held and interrupts off: must not sleep.
 * @mask:	Required: stop @slot from sending its message. Atomic context.
 * @unmask:	Required: let @slot send its message again. Atomic context.
 * @shutdown:	Required: mask @slot and clear its message, when the vector
 *		is shut down or freed. Atomic context.
 *
 * Every callback gets the @data pointer given in &struct ims_domain_info.
 * The callbacks must make a change visible to the device before they
 * return (flush posted writes).
 */
struct ims_storage_ops {
	int (*prepare)(void *data, unsigned int slot,
		       const union ims_cookie *cookie);
	void (*write_msg)(void *data, unsigned int slot,
			  const struct msi_msg *msg);
	void (*mask)(void *data, unsigned int slot);
	void (*unmask)(void *data, unsigned int slot);
	void (*shutdown)(void *data, unsigned int slot);
};

/**
 * struct ims_domain_info - What ims_domain_create() needs to know
 * @nr_slots:	Required: number of slots in the storage.
 * @slots:	The common slot array layout (IMS_SLOT_*) at this MMIO
 *		address, @nr_slots entries. Set either this or @ops.
 * @ops:	Device-defined storage. Set either this or @slots.
 * @data:	Passed to every @ops callback.
 */
struct ims_domain_info {
	unsigned int nr_slots;
	void __iomem *slots;
	const struct ims_storage_ops *ops;
	void *data;
};

/**
 * struct ims_map - One allocated IMS vector
 * @slot:	The storage slot: the "interrupt handle" the device uses.
 * @virq:	The Linux interrupt number, for request_irq().
 */
struct ims_map {
	unsigned int slot;
	unsigned int virq;
};

struct ims_domain *ims_domain_create(struct pci_dev *pdev,
				     const struct ims_domain_info *info);
void ims_domain_destroy(struct ims_domain *domain);
int ims_alloc_irq(struct ims_domain *domain, int slot,
		  const union ims_cookie *cookie,
		  const struct irq_affinity_desc *affdesc, struct ims_map *map);
void ims_free_irq(struct ims_domain *domain, struct ims_map map);

#endif /* _IMS_H */
