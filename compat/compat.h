/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, decided by the probes in compat/ (conftest.sh
 * writes compat_autoconf.h). Code outside compat/ uses only what is
 * defined here, never kernel version numbers.
 */
#ifndef _IMS_COMPAT_H
#define _IMS_COMPAT_H

#include <linux/irqdomain.h>
#include <linux/module.h>

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

#endif /* _IMS_COMPAT_H */
