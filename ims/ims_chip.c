// SPDX-License-Identifier: GPL-2.0
/*
 * The irq_chip of IMS vectors: mask and unmask act on the slot, the rest
 * is the parent's (vector domain or interrupt remapping) business.
 */
#include <linux/irq.h>
#include <linux/msi.h>

#include "ims_internal.h"

static struct ims_vector *ims_irqd_vector(struct irq_data *irqd)
{
	return irq_data_get_irq_chip_data(irqd);
}

/**
 * ims_compose_msg - Ask the parent chain for the message of an interrupt
 * @irqd:	The IMS level irq data.
 * @msg:	Filled with the message.
 *
 * irq_chip_compose_msi_msg() would do this but is not exported: use the
 * nearest parent that composes messages, as it does.
 *
 * Context: Any; the vector must be activated.
 * Return: 0, or -ENODEV when no parent composes messages.
 */
int ims_compose_msg(struct irq_data *irqd, struct msi_msg *msg)
{
	struct irq_data *pos;

	for (pos = irqd->parent_data; pos; pos = pos->parent_data) {
		if (pos->chip && pos->chip->irq_compose_msi_msg) {
			memset(msg, 0, sizeof(*msg));
			pos->chip->irq_compose_msi_msg(pos, msg);
			return 0;
		}
	}
	return -ENODEV;
}

static void ims_irq_mask(struct irq_data *irqd)
{
	struct ims_vector *vec = ims_irqd_vector(irqd);

	vec->domain->ops->mask(vec->domain->data, vec->slot);
}

static void ims_irq_unmask(struct irq_data *irqd)
{
	struct ims_vector *vec = ims_irqd_vector(irqd);

	vec->domain->ops->unmask(vec->domain->data, vec->slot);
}

static void ims_irq_shutdown(struct irq_data *irqd)
{
	struct ims_vector *vec = ims_irqd_vector(irqd);

	vec->domain->ops->shutdown(vec->domain->data, vec->slot);
}

static int ims_irq_set_affinity(struct irq_data *irqd,
				const struct cpumask *mask, bool force)
{
	struct ims_vector *vec = ims_irqd_vector(irqd);
	struct ims_domain *domain = vec->domain;
	bool masked = irqd_irq_masked(irqd);
	struct msi_msg msg;
	int ret;

	ret = irq_chip_set_affinity_parent(irqd, mask, force);
	/* Remapping retargets in its table and reports OK_DONE. */
	if (ret < 0 || ret == IRQ_SET_MASK_OK_DONE)
		return ret;

	if (WARN_ON_ONCE(ims_compose_msg(irqd, &msg)))
		return -ENODEV;
	/*
	 * The slot is written one word at a time: mask it meanwhile, so the
	 * device cannot send a new address with an old vector. A device
	 * latches what it would have sent and sends it on unmask.
	 */
	if (!masked)
		domain->ops->mask(domain->data, vec->slot);
	domain->ops->write_msg(domain->data, vec->slot, &msg);
	if (!masked)
		domain->ops->unmask(domain->data, vec->slot);
	return ret;
}

/*
 * IRQCHIP_AFFINITY_PRE_STARTUP: set the affinity while the slot is still
 * masked at startup, rather than rewriting a live slot just after it.
 */
const struct irq_chip ims_irq_chip = {
	.name			= "IMS",
	.irq_mask		= ims_irq_mask,
	.irq_unmask		= ims_irq_unmask,
	.irq_shutdown		= ims_irq_shutdown,
	.irq_ack		= irq_chip_ack_parent,
	.irq_retrigger		= irq_chip_retrigger_hierarchy,
	.irq_set_affinity	= ims_irq_set_affinity,
	.irq_set_vcpu_affinity	= irq_chip_set_vcpu_affinity_parent,
	.flags			= IRQCHIP_SKIP_SET_WAKE |
				  IRQCHIP_AFFINITY_PRE_STARTUP,
};
