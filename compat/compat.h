/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, decided by the probes in compat/ (conftest.sh
 * writes compat_autoconf.h). Code outside compat/ uses only what is
 * defined here, never kernel version numbers.
 */
#ifndef _IMS_COMPAT_H
#define _IMS_COMPAT_H

#include <linux/err.h>
#include <linux/eventfd.h>
#include <linux/iommu.h>
#include <linux/irqbypass.h>
#include <linux/irqdomain.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "compat_autoconf.h"

/*
 * The symbol namespace as the kernel's EXPORT_SYMBOL_NS_GPL() and
 * MODULE_IMPORT_NS() want it: an identifier up to 6.12, a string after.
 */
#ifdef HAVE_SYMBOL_NS_IDENTIFIER
#define IMS_NS IMS
#else
#define IMS_NS "IMS"
#endif

#ifndef HAVE_IRQ_DOMAIN_MSI_PARENT
/* Before 6.2 no domain is an MSI parent: PCI/MSI domains sit above one. */
static inline bool irq_domain_is_msi_parent(struct irq_domain *domain)
{
	return false;
}
#endif

/* Signal an eventfd once: the count argument went in 6.8. */
static inline void compat_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef HAVE_EVENTFD_SIGNAL_NO_COUNT
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

#ifndef HAVE_VM_FLAGS_SET
/* Before 6.3 drivers changed vm_flags directly. */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

#ifndef HAVE_ZAP_SPECIAL_VMA_RANGE
/* Before 7.1 the zap of a driver's VM_PFNMAP range had this name. */
static inline void zap_special_vma_range(struct vm_area_struct *vma,
					 unsigned long address,
					 unsigned long size)
{
	zap_vma_ptes(vma, address, size);
}
#endif

/*
 * An irq bypass producer for the interrupt @irq that signals @eventfd:
 * since 6.17 both are arguments of the registration, before they were
 * fields the producer filled in.
 */
static inline int
compat_irq_bypass_register_producer(struct irq_bypass_producer *producer,
				    struct eventfd_ctx *eventfd, int irq)
{
#ifdef HAVE_IRQ_BYPASS_REGISTER_PRODUCER_EVENTFD
	return irq_bypass_register_producer(producer, eventfd, irq);
#else
	producer->token = eventfd;
	producer->irq = irq;
	return irq_bypass_register_producer(producer);
#endif
}

/* The eventfd a registered producer was registered with. */
static inline struct eventfd_ctx *
compat_irq_bypass_producer_eventfd(const struct irq_bypass_producer *producer)
{
#ifdef HAVE_IRQ_BYPASS_REGISTER_PRODUCER_EVENTFD
	return producer->eventfd;
#else
	return producer->token;
#endif
}

/*
 * 6.1's VFIO core leaves freeing the device to the driver's release op;
 * later ones free it themselves after that op.
 */
static inline void compat_vfio_free_device(struct vfio_device *vdev)
{
#ifdef HAVE_VFIO_FREE_DEVICE
	vfio_free_device(vdev);
#endif
}

typedef int (*compat_region_info_fn)(struct vfio_device *vdev,
				     struct vfio_region_info *info,
				     struct vfio_info_cap *caps);

/*
 * VFIO_DEVICE_GET_REGION_INFO in the driver's ioctl: @get (the driver's
 * get_region_info_caps op) describes region info->index and its
 * capabilities, the rest is what the VFIO core does since 6.19, which
 * then answers the request itself and never passes it to the ioctl.
 */
static inline long compat_vfio_get_region_info(struct vfio_device *vdev,
					       unsigned long arg,
					       compat_region_info_fn get)
{
#ifdef HAVE_VFIO_GET_REGION_INFO_CAPS
	return -ENOTTY;
#else
	struct vfio_region_info __user *uinfo = (void __user *)arg;
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = { };
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, uinfo, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = get(vdev, &info, &caps);
	if (ret) {
		kfree(caps.buf);
		return ret;
	}
	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			/* Too small for the chain: say how much is. */
			info.argsz = sizeof(info) + caps.size;
			info.cap_offset = 0;
		} else {
			vfio_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(uinfo + 1, caps.buf, caps.size)) {
				kfree(caps.buf);
				return -EFAULT;
			}
			info.cap_offset = sizeof(info);
		}
		kfree(caps.buf);
	}
	return copy_to_user(uinfo, &info, minsz) ? -EFAULT : 0;
#endif
}

#ifndef HAVE_IOMMU_PAGING_DOMAIN_ALLOC
/* Before 6.11 a paging domain is allocated for the device's bus. */
static inline struct iommu_domain *iommu_paging_domain_alloc(struct device *dev)
{
	struct iommu_domain *domain = iommu_domain_alloc(dev->bus);

	return domain ? domain : ERR_PTR(-ENODEV);
}
#endif

/* iommu_map() as 6.3 has it: before, the core chose GFP_KERNEL itself. */
static inline int compat_iommu_map(struct iommu_domain *domain,
				   unsigned long iova, phys_addr_t paddr,
				   size_t size, int prot, gfp_t gfp)
{
#ifdef HAVE_IOMMU_MAP_GFP
	return iommu_map(domain, iova, paddr, size, prot, gfp);
#else
	return iommu_map(domain, iova, paddr, size, prot);
#endif
}

/*
 * A paging domain of the driver's own on one PASID of a device: the
 * PASID attach (three arguments from 6.2, an attach handle from 6.11)
 * and the global PASID allocator (6.6) are both needed.
 */
#if (defined(HAVE_IOMMU_ATTACH_DEVICE_PASID) || \
	defined(HAVE_IOMMU_ATTACH_DEVICE_PASID_HANDLE)) && \
	defined(HAVE_IOMMU_ALLOC_GLOBAL_PASID)
#define HAVE_IOMMU_PASID_DOMAIN 1

static inline int compat_iommu_attach_device_pasid(struct iommu_domain *domain,
						   struct device *dev,
						   ioasid_t pasid)
{
#ifdef HAVE_IOMMU_ATTACH_DEVICE_PASID_HANDLE
	return iommu_attach_device_pasid(domain, dev, pasid, NULL);
#else
	return iommu_attach_device_pasid(domain, dev, pasid);
#endif
}
#endif

#endif /* _IMS_COMPAT_H */
