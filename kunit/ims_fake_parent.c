// SPDX-License-Identifier: GPL-2.0
/*
 * The fake MSI parent domain of the IMS KUnit suites.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/irq.h>
#include <linux/slab.h>

#include "ims_fake_parent.h"

u32 ims_fake_addr(unsigned int cpu)
{
	return IMS_FAKE_MSI_BASE | cpu << 12;
}

static struct ims_fake_parent *ims_fake_of(struct irq_data *irqd)
{
	return irqd->domain->host_data;
}

static void ims_fake_compose(struct irq_data *irqd, struct msi_msg *msg)
{
	struct ims_fake_parent *fake = ims_fake_of(irqd);

	msg->address_lo = ims_fake_addr(fake->cpu[irqd->hwirq]);
	msg->address_hi = 0;
	msg->data = IMS_FAKE_VECTOR_BASE + irqd->hwirq;
}

static int ims_fake_set_affinity(struct irq_data *irqd,
				 const struct cpumask *mask, bool force)
{
	struct ims_fake_parent *fake = ims_fake_of(irqd);
	unsigned int cpu = cpumask_first_and(mask, cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	fake->cpu[irqd->hwirq] = cpu;
	irq_data_update_effective_affinity(irqd, cpumask_of(cpu));
	return fake->remapping ? IRQ_SET_MASK_OK_DONE : IRQ_SET_MASK_OK;
}

static void ims_fake_ack(struct irq_data *irqd)
{
	ims_fake_of(irqd)->acks++;
	/* As the x86 APIC does: complete a move deferred to this point. */
	irq_move_irq(irqd);
}

static int ims_fake_retrigger(struct irq_data *irqd)
{
	ims_fake_of(irqd)->retriggers++;
	/* Claim the resend was done in hardware, as the x86 APIC does. */
	return 1;
}

static int ims_fake_set_vcpu_affinity(struct irq_data *irqd, void *vcpu)
{
	ims_fake_of(irqd)->last_vcpu = vcpu;
	return 0;
}

static const struct irq_chip ims_fake_chip = {
	.name = "FAKE-PARENT",
	.irq_compose_msi_msg = ims_fake_compose,
	.irq_set_affinity = ims_fake_set_affinity,
	.irq_ack = ims_fake_ack,
	.irq_retrigger = ims_fake_retrigger,
	.irq_set_vcpu_affinity = ims_fake_set_vcpu_affinity,
};

static int ims_fake_alloc(struct irq_domain *domain, unsigned int virq,
			  unsigned int nr_irqs, void *arg)
{
	struct ims_fake_parent *fake = domain->host_data;
	msi_alloc_info_t *info = arg;
	int ret;

	if (fake->fail_alloc) {
		ret = fake->fail_alloc;
		fake->fail_alloc = 0;
		return ret;
	}
	fake->allocs++;
	fake->last_info = *info;
	fake->cpu[info->hwirq] = cpumask_first(cpu_online_mask);
	ret = irq_domain_set_hwirq_and_chip(domain, virq, info->hwirq,
					    &ims_fake_chip, fake);
	/*
	 * Like interrupt remapping, allow affinity changes right away; a test
	 * clears this to get the x86 vector domain's "at the next interrupt".
	 */
	irq_set_status_flags(virq, IRQ_MOVE_PCNTXT);
	return ret;
}

static void ims_fake_free(struct irq_domain *domain, unsigned int virq,
			  unsigned int nr_irqs)
{
	struct ims_fake_parent *fake = domain->host_data;

	fake->frees++;
	irq_domain_reset_irq_data(irq_domain_get_irq_data(domain, virq));
}

static int ims_fake_activate(struct irq_domain *domain, struct irq_data *irqd,
			     bool reserve)
{
	struct ims_fake_parent *fake = domain->host_data;

	fake->activates++;
	return 0;
}

static const struct irq_domain_ops ims_fake_ops = {
	.alloc = ims_fake_alloc,
	.free = ims_fake_free,
	.activate = ims_fake_activate,
};

/**
 * ims_fake_parent_create - Make a fake parent domain and a device
 * @test:	The test; failures to set up abort it.
 *
 * Context: Process context.
 * Return: The fake parent; ims_fake_parent_destroy() undoes it.
 */
struct ims_fake_parent *ims_fake_parent_create(struct kunit *test)
{
	struct ims_fake_parent *fake;
	struct fwnode_handle *fwnode;

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fake);
	fake->dev = root_device_register("ims_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(fake->dev));
	fwnode = irq_domain_alloc_named_fwnode("ims-kunit-parent");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fwnode);
	fake->domain = irq_domain_create_hierarchy(NULL, 0,
						   ARRAY_SIZE(fake->cpu),
						   fwnode, &ims_fake_ops,
						   fake);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fake->domain);
	return fake;
}

void ims_fake_parent_destroy(struct ims_fake_parent *fake)
{
	struct fwnode_handle *fwnode = fake->domain->fwnode;

	irq_domain_remove(fake->domain);
	irq_domain_free_fwnode(fwnode);
	root_device_unregister(fake->dev);
}

/**
 * ims_fake_domain_create - Make an IMS domain with slot array storage
 * @test:	The test.
 * @fake:	The parent.
 * @nr_slots:	Number of slots.
 * @slots:	Set to the storage: test memory, every slot masked as after
 *		a device reset.
 *
 * Context: Process context.
 * Return: The domain; the caller destroys it.
 */
struct ims_domain *ims_fake_domain_create(struct kunit *test,
					  struct ims_fake_parent *fake,
					  unsigned int nr_slots,
					  void __iomem **slots)
{
	struct ims_domain_info info = { .nr_slots = nr_slots };
	struct ims_domain *domain;
	unsigned int i;
	u32 *mem;

	mem = kunit_kzalloc(test, nr_slots * IMS_SLOT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
	for (i = 0; i < nr_slots; i++)
		mem[i * IMS_SLOT_SIZE / 4 + IMS_SLOT_CTRL / 4] = IMS_CTRL_MASK;
	*slots = (void __iomem __force *)mem;
	info.slots = *slots;
	domain = __ims_domain_create(fake->dev, fake->domain, &info);
	KUNIT_ASSERT_FALSE(test, IS_ERR(domain));
	return domain;
}
