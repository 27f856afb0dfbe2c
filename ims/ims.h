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
 * Exported in symbol namespace IMS: IMS_IMPORT_NS() to use it. The
 * functions are documented here, where users read them;
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
 * @prepare:	Optional: take @slot into use for a new vector: apply what
 *		@cookie asks for (for example a PASID tag) and leave the slot
 *		masked with no message. @cookie is the caller's cookie or
 *		%NULL. May sleep. Return 0 or a negative errno (the
 *		allocation then fails).
 * @write_msg:	Required: store @msg in @slot. Runs with the irq descriptor
 *		lock held and interrupts off: must not sleep.
 * @mask:	Required: stop @slot from sending its message. Atomic context.
 * @unmask:	Required: let @slot send its message again. Atomic context.
 * @shutdown:	Required: mask @slot and clear its message, when the vector
 *		is shut down (free_irq()) or deactivated. The vector is still
 *		allocated: keep what @prepare set. A PASID tag in particular
 *		must stay, or the device would accept (and latch) work of any
 *		PASID for the slot. Atomic context.
 * @release:	@slot is given back (ims_free_irq(), ims_domain_destroy(),
 *		or an allocation that failed after @prepare): undo @prepare
 *		and leave the slot masked with no message. Required when
 *		@prepare sets anything @shutdown keeps (a tag); storage
 *		without it gets @shutdown instead. May sleep.
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
	void (*release)(void *data, unsigned int slot);
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

/**
 * ims_domain_create() - Create an IMS irq domain for a device's storage
 * @pdev:	The PCI device that owns the storage.
 * @info:	Storage description; not referenced after the call.
 *
 * The domain is a child of @pdev's MSI parent domain: interrupt remapping
 * when it is enabled (the remapping entry then checks @pdev's requester
 * ID), the x86 vector domain otherwise. Its interrupts show up in
 * /proc/interrupts with the chip name "IMS". @pdev's MSI or MSI-X need
 * not be enabled, before or after: the domain uses neither.
 *
 * Under a hypervisor this fails unless the ims module was loaded with
 * allow_guest=1: a hypervisor that passed the device through cannot see
 * messages written into device-specific storage, so they would not be
 * remapped for the guest. Only emulated devices can be served there.
 *
 * Context: Process context, may sleep.
 * Return: The domain, or an ERR_PTR(): -EINVAL for a bad @info,
 * -EOPNOTSUPP under a hypervisor without the override, -ENODEV when @pdev
 * has no MSI domain, -ENOMEM. Each failure but -ENOMEM logs one line
 * naming its cause.
 */
struct ims_domain *ims_domain_create(struct pci_dev *pdev,
				     const struct ims_domain_info *info);

/**
 * ims_domain_destroy() - Destroy an IMS domain
 * @domain:	The domain; %NULL or an ERR_PTR() is ignored.
 *
 * Vectors still allocated are freed (with one warning naming how many) and
 * their slots released: their handlers must already be gone, freeing a
 * vector under a requested interrupt is a bug in the caller as it is for
 * any irq domain. The device must have stopped using every slot.
 *
 * Context: Process context, may sleep.
 */
void ims_domain_destroy(struct ims_domain *domain);

/**
 * ims_alloc_irq() - Allocate an IMS vector
 * @domain:	The domain.
 * @slot:	The slot to use, or %IMS_ANY_SLOT for the lowest free one.
 * @cookie:	Optional (%NULL): per-vector data for the storage. For slot
 *		array storage, the PASID the slot is tagged with until
 *		ims_free_irq().
 * @affdesc:	Optional (%NULL): the CPUs the interrupt should go to.
 * @map:	Filled with the slot and the Linux interrupt number.
 *
 * The slot starts out masked; request_irq() on @map->virq activates it
 * (writes the message) and unmasks it. free_irq() masks it and clears the
 * message but keeps its tag; only ims_free_irq() gives the slot back.
 *
 * Context: Process context, may sleep.
 * Return: 0, or -EINVAL (slot out of range, or a cookie the storage
 * refuses), -EBUSY (slot in use), -ENOSPC (no free slot), -ENOMEM, an
 * error of the storage's @prepare, or an error passed up from the parent
 * domain (for example -ENOSPC when the CPUs or the interrupt remapping
 * table have no free vector). Each failure but -ENOMEM logs one line.
 */
int ims_alloc_irq(struct ims_domain *domain, int slot,
		  const union ims_cookie *cookie,
		  const struct irq_affinity_desc *affdesc, struct ims_map *map);

/**
 * ims_free_irq() - Free an IMS vector and give its slot back
 * @domain:	The domain.
 * @map:	What ims_alloc_irq() returned; free_irq() must have been
 *		called for @map.virq, and the device must have stopped using
 *		the slot (a masked slot still latches what the device sends).
 *
 * The slot is left masked, its message and its tag cleared. A @map that
 * does not describe an allocated vector of @domain is reported and ignored.
 *
 * Context: Process context, may sleep.
 */
void ims_free_irq(struct ims_domain *domain, struct ims_map map);

/*
 * IMS_IMPORT_NS() - import namespace IMS, in a module that uses this API.
 *
 * MODULE_IMPORT_NS() takes a bare identifier (IMS) up to 6.12 and a string
 * ("IMS") since 6.13 ("module: Convert symbol namespace to string
 * literal"), and a consumer built by DKMS for both has no probe to tell it
 * which. Both expand to this module info tag, which reads the same on all.
 */
#define IMS_IMPORT_NS() MODULE_INFO(import_ns, "IMS")

#endif /* _IMS_H */
