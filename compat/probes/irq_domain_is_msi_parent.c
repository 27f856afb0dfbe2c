// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_IRQ_DOMAIN_MSI_PARENT
 *
 * v6.2, "genirq/irqdomain: Provide IRQ_DOMAIN_FLAG_MSI_PARENT" (the per
 * device MSI domain series): a PCI device's MSI domain became the MSI
 * *parent* (interrupt remapping or the x86 vector domain) instead of a
 * global PCI/MSI domain sitting on top of it.
 */
#include <linux/irqdomain.h>

static bool __used conftest_irq_domain_is_msi_parent(struct irq_domain *d)
{
	return irq_domain_is_msi_parent(d);
}
