/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, decided by the probes in compat/ (conftest.sh
 * writes compat_autoconf.h). Code outside compat/ uses only what is
 * defined here, never kernel version numbers.
 */
#ifndef _IMS_COMPAT_H
#define _IMS_COMPAT_H

#include <linux/eventfd.h>
#include <linux/irqdomain.h>
#include <linux/mm.h>
#include <linux/module.h>
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

#endif /* _IMS_COMPAT_H */
