// SPDX-License-Identifier: GPL-2.0
/*
 * IMS irq domains: one per device storage, a child of the device's MSI
 * parent domain, with one hwirq per storage slot.
 */
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "ims_internal.h"
#include "compat.h"

/*
 * What the parent domain's alloc callback gets, and how our own alloc
 * callback finds the vector being allocated.
 */
struct ims_alloc_arg {
	msi_alloc_info_t parent_info;
	struct ims_vector *vec;
};

static int ims_domain_alloc(struct irq_domain *irqdomain, unsigned int virq,
			    unsigned int nr_irqs, void *data)
{
	struct ims_alloc_arg *arg = data;
	struct ims_vector *vec = arg->vec;
	int ret;

	/* ims_alloc_irq() allocates one vector at a time. */
	if (WARN_ON_ONCE(nr_irqs != 1))
		return -EINVAL;

	ret = irq_domain_alloc_irqs_parent(irqdomain, virq, 1,
					   &arg->parent_info);
	if (ret)
		return ret;

	irq_domain_set_info(irqdomain, virq, vec->slot, &ims_irq_chip, vec,
			    handle_edge_irq, NULL, "edge");
	return 0;
}

static int ims_domain_activate(struct irq_domain *irqdomain,
			       struct irq_data *irqd, bool reserve)
{
	struct ims_vector *vec = irq_data_get_irq_chip_data(irqd);
	struct msi_msg msg;
	int ret;

	/* The parents are active by now: their message is final. */
	ret = ims_compose_msg(irqd, &msg);
	if (WARN_ON_ONCE(ret))
		return ret;
	vec->domain->ops->write_msg(vec->domain->data, vec->slot, &msg);
	return 0;
}

static void ims_domain_deactivate(struct irq_domain *irqdomain,
				  struct irq_data *irqd)
{
	struct ims_vector *vec = irq_data_get_irq_chip_data(irqd);

	vec->domain->ops->shutdown(vec->domain->data, vec->slot);
}

static const struct irq_domain_ops ims_domain_ops = {
	.alloc		= ims_domain_alloc,
	.free		= irq_domain_free_irqs_common,
	.activate	= ims_domain_activate,
	.deactivate	= ims_domain_deactivate,
};

/**
 * ims_msi_parent - Find the domain an IMS domain of @dev must sit on
 * @dev:	The device.
 *
 * Since 6.2 the MSI domain of a PCI device is the MSI parent itself
 * (interrupt remapping or the x86 vector domain); before, it is a PCI/MSI
 * domain on top of that parent.
 *
 * Context: Process context.
 * Return: The parent domain, or %NULL if @dev has no MSI domain.
 */
struct irq_domain *ims_msi_parent(struct device *dev)
{
	struct irq_domain *msi = dev_get_msi_domain(dev);

	if (!msi || irq_domain_is_msi_parent(msi))
		return msi;
	return msi->parent;
}

static int ims_check_info(struct device *dev,
			  const struct ims_domain_info *info)
{
	const struct ims_storage_ops *ops = info->ops;

	if (!info->nr_slots) {
		dev_err(dev, "IMS: a domain needs at least one slot\n");
		return -EINVAL;
	}
	if (!info->slots == !ops) {
		dev_err(dev, "IMS: give either a slot array or storage ops\n");
		return -EINVAL;
	}
	if (ops && (!ops->write_msg || !ops->mask || !ops->unmask ||
		    !ops->shutdown)) {
		dev_err(dev, "IMS: storage ops lack a required callback\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * Give a slot back to the storage: release clears what prepare set (the
 * PASID tag); storage without release keeps nothing beyond the message.
 */
static void ims_release_slot(struct ims_domain *domain, unsigned int slot)
{
	if (domain->ops->release)
		domain->ops->release(domain->data, slot);
	else
		domain->ops->shutdown(domain->data, slot);
}

static void ims_free_vector_locked(struct ims_domain *domain,
				   struct ims_vector *vec)
{
	lockdep_assert_held(&domain->lock);

	irq_dispose_mapping(vec->virq);
	vec->virq = 0;
	ims_release_slot(domain, vec->slot);
}

/**
 * __ims_domain_create - Create an IMS domain on a given parent domain
 * @dev:	The device that owns the storage.
 * @parent:	The parent irq domain.
 * @info:	Storage description.
 *
 * The part of ims_domain_create() that does not depend on the platform:
 * the KUnit tests use it with a fake parent.
 *
 * Context: Process context, may sleep.
 * Return: The domain or an ERR_PTR().
 */
struct ims_domain *__ims_domain_create(struct device *dev,
				       struct irq_domain *parent,
				       const struct ims_domain_info *info)
{
	struct fwnode_handle *fwnode;
	struct ims_domain *domain;
	unsigned int i;
	char *name;
	int ret;

	ret = ims_check_info(dev, info);
	if (ret)
		return ERR_PTR(ret);

	domain = kzalloc(struct_size(domain, vectors, info->nr_slots),
			 GFP_KERNEL);
	if (!domain)
		return ERR_PTR(-ENOMEM);
	domain->dev = dev;
	domain->nr_slots = info->nr_slots;
	domain->msi_desc.dev = dev;
	mutex_init(&domain->lock);
	for (i = 0; i < info->nr_slots; i++) {
		domain->vectors[i].domain = domain;
		domain->vectors[i].slot = i;
	}

	if (info->slots) {
		domain->slot_array = kzalloc(struct_size(domain->slot_array,
							 ctrl, info->nr_slots),
					     GFP_KERNEL);
		if (!domain->slot_array) {
			ret = -ENOMEM;
			goto out_free_domain;
		}
		domain->slot_array->base = info->slots;
		domain->ops = &ims_slot_array_ops;
		domain->data = domain->slot_array;
	} else {
		domain->ops = info->ops;
		domain->data = info->data;
	}

	name = kasprintf(GFP_KERNEL, "IMS-%s", dev_name(dev));
	if (!name) {
		ret = -ENOMEM;
		goto out_free_slot_array;
	}
	fwnode = irq_domain_alloc_named_fwnode(name);
	kfree(name);
	if (!fwnode) {
		ret = -ENOMEM;
		goto out_free_slot_array;
	}

	domain->irqdomain = irq_domain_create_hierarchy(parent, 0,
							info->nr_slots, fwnode,
							&ims_domain_ops,
							domain);
	if (!domain->irqdomain) {
		ret = -ENOMEM;
		goto out_free_fwnode;
	}
	return domain;

out_free_fwnode:
	irq_domain_free_fwnode(fwnode);
out_free_slot_array:
	kfree(domain->slot_array);
out_free_domain:
	mutex_destroy(&domain->lock);
	kfree(domain);
	return ERR_PTR(ret);
}

/* Documented in ims.h. */
struct ims_domain *ims_domain_create(struct pci_dev *pdev,
				     const struct ims_domain_info *info)
{
	struct irq_domain *parent;

	if (!ims_platform_allowed(&pdev->dev))
		return ERR_PTR(-EOPNOTSUPP);

	parent = ims_msi_parent(&pdev->dev);
	if (!parent) {
		dev_err(&pdev->dev, "IMS: device has no MSI parent domain\n");
		return ERR_PTR(-ENODEV);
	}
	return __ims_domain_create(&pdev->dev, parent, info);
}
EXPORT_SYMBOL_NS_GPL(ims_domain_create, IMS_NS);

/* Documented in ims.h. */
void ims_domain_destroy(struct ims_domain *domain)
{
	struct fwnode_handle *fwnode;
	unsigned int i, live = 0;

	if (IS_ERR_OR_NULL(domain))
		return;

	mutex_lock(&domain->lock);
	for (i = 0; i < domain->nr_slots; i++) {
		if (domain->vectors[i].virq) {
			ims_free_vector_locked(domain, &domain->vectors[i]);
			live++;
		}
	}
	mutex_unlock(&domain->lock);
	if (live)
		dev_warn(domain->dev, "IMS: destroyed with %u vectors allocated\n",
			 live);

	fwnode = domain->irqdomain->fwnode;
	irq_domain_remove(domain->irqdomain);
	irq_domain_free_fwnode(fwnode);
	kfree(domain->slot_array);
	mutex_destroy(&domain->lock);
	kfree(domain);
}
EXPORT_SYMBOL_NS_GPL(ims_domain_destroy, IMS_NS);

static int ims_reserve_slot_locked(struct ims_domain *domain, int slot)
{
	unsigned int i;

	lockdep_assert_held(&domain->lock);

	if (slot == IMS_ANY_SLOT) {
		for (i = 0; i < domain->nr_slots; i++) {
			if (!domain->vectors[i].virq)
				return i;
		}
		dev_err(domain->dev, "IMS: all %u slots are in use\n",
			domain->nr_slots);
		return -ENOSPC;
	}
	if (slot < 0 || slot >= domain->nr_slots) {
		dev_err(domain->dev, "IMS: slot %d is out of range 0-%u\n",
			slot, domain->nr_slots - 1);
		return -EINVAL;
	}
	if (domain->vectors[slot].virq) {
		dev_err(domain->dev, "IMS: slot %d is in use\n", slot);
		return -EBUSY;
	}
	return slot;
}

/* Documented in ims.h. */
int ims_alloc_irq(struct ims_domain *domain, int slot,
		  const union ims_cookie *cookie,
		  const struct irq_affinity_desc *affdesc, struct ims_map *map)
{
	struct ims_alloc_arg arg = { };
	struct ims_vector *vec;
	int ret, virq;

	mutex_lock(&domain->lock);
	ret = ims_reserve_slot_locked(domain, slot);
	if (ret < 0)
		goto out_unlock;
	vec = &domain->vectors[ret];

	if (domain->ops->prepare) {
		ret = domain->ops->prepare(domain->data, vec->slot, cookie);
		if (ret) {
			dev_err(domain->dev, "IMS: slot %u refused its cookie: %d\n",
				vec->slot, ret);
			goto out_unlock;
		}
	}

	/*
	 * To the parent this looks like an MSI-X vector of the device: the
	 * x86 vector domain takes any type, interrupt remapping wants a PCI
	 * type and the device (through the descriptor) for the IRTE.
	 */
	arg.parent_info.type = X86_IRQ_ALLOC_TYPE_PCI_MSIX;
	arg.parent_info.desc = &domain->msi_desc;
	arg.parent_info.hwirq = vec->slot;
	arg.vec = vec;

	virq = __irq_domain_alloc_irqs(domain->irqdomain, -1, 1,
				       dev_to_node(domain->dev), &arg, false,
				       affdesc);
	if (virq <= 0) {
		ret = virq ? virq : -ENOSPC;
		dev_err(domain->dev, "IMS: no interrupt for slot %u: %d\n",
			vec->slot, ret);
		goto out_release_slot;
	}
	vec->virq = virq;
	map->slot = vec->slot;
	map->virq = virq;
	mutex_unlock(&domain->lock);
	return 0;

out_release_slot:
	ims_release_slot(domain, vec->slot);
out_unlock:
	mutex_unlock(&domain->lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(ims_alloc_irq, IMS_NS);

/* Documented in ims.h. */
void ims_free_irq(struct ims_domain *domain, struct ims_map map)
{
	mutex_lock(&domain->lock);
	if (map.slot >= domain->nr_slots ||
	    domain->vectors[map.slot].virq != map.virq || !map.virq) {
		dev_err(domain->dev, "IMS: no vector %u at slot %u to free\n",
			map.virq, map.slot);
		goto out_unlock;
	}
	ims_free_vector_locked(domain, &domain->vectors[map.slot]);
out_unlock:
	mutex_unlock(&domain->lock);
}
EXPORT_SYMBOL_NS_GPL(ims_free_irq, IMS_NS);
