// SPDX-License-Identifier: GPL-2.0
/*
 * The mediated device types of a parent function and the life of their
 * instances: creating one takes a free carved WQ of the parent, builds
 * the virtual device on it and registers a VFIO device; removing it
 * waits for its user to close (the VFIO core sends the request interrupt
 * meanwhile), then gives the WQ back.
 *
 * One type per function: "dsa-1dwq" on a DSA, "iax-1dwq" on an IAX, one
 * dedicated WQ each. Its available_instances is the number of free WQs.
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "mdev.h"

/**
 * struct idxd_mdev_parent - the mdev parent made of a parent function
 * @parent:	the mdev core's parent
 * @type:	the one type
 * @types:	the type table mdev_register_parent() wants
 * @pf:		the parent function
 */
struct idxd_mdev_parent {
	struct mdev_parent parent;
	struct mdev_type type;
	struct mdev_type *types[1];
	struct pf_dev *pf;
};

static struct pf_dev *mtype_to_pf(struct mdev_type *mtype)
{
	return container_of(mtype->parent, struct idxd_mdev_parent, parent)->pf;
}

static unsigned int idxd_mdev_get_available(struct mdev_type *mtype)
{
	struct pf_dev *pf = mtype_to_pf(mtype);
	unsigned int i, free = 0;

	mutex_lock(&pf->owner_lock);
	for (i = 0; i < pf->carve.nr_wqs; i++)
		free += !pf->wqs[i].owner;
	mutex_unlock(&pf->owner_lock);
	return free;
}

/*
 * The carved WQs differ in size and in the engines their group shares:
 * an instance gets at least the smallest of each.
 */
static ssize_t idxd_mdev_show_description(struct mdev_type *mtype, char *buf)
{
	struct pf_dev *pf = mtype_to_pf(mtype);
	const struct pf_carve *c = &pf->carve;
	unsigned int i, size = U32_MAX, engines = U32_MAX;

	for (i = 0; i < c->nr_wqs; i++) {
		size = min_t(unsigned int, size, c->wq_size[i]);
		engines = min_t(unsigned int, engines,
				hweight64(c->group_engines[c->wq_group[i]]));
	}
	return sysfs_emit(buf,
			  "one dedicated WQ of %u entries or more, %u engine%s or more, operations %016llx %016llx %016llx %016llx\n",
			  size, engines, engines == 1 ? "" : "s",
			  pf->opcap[3], pf->opcap[2], pf->opcap[1],
			  pf->opcap[0]);
}

/* Claim a free WQ for @im; its events reach @im once it is routed. */
static int idxd_mdev_claim_wq(struct idxd_mdev *im)
{
	struct pf_dev *pf = im->pf;
	unsigned int i;

	mutex_lock(&pf->owner_lock);
	for (i = 0; i < pf->carve.nr_wqs; i++) {
		if (!pf->wqs[i].owner) {
			pf->wqs[i].owner = im;
			im->wq = i;
			mutex_unlock(&pf->owner_lock);
			return 0;
		}
	}
	mutex_unlock(&pf->owner_lock);
	return -ENOSPC;
}

/* The WQ's software errors and the device's halts go to @im's model. */
static void idxd_mdev_route_events(struct idxd_mdev *im)
{
	struct pf_wq *w = &im->pf->wqs[im->wq];

	mutex_lock(&im->pf->owner_lock);
	w->error = idxd_mdev_wq_error;
	w->halt = idxd_mdev_wq_halt;
	mutex_unlock(&im->pf->owner_lock);
}

static void idxd_mdev_release_wq(struct idxd_mdev *im)
{
	struct pf_wq *w = &im->pf->wqs[im->wq];

	mutex_lock(&im->pf->owner_lock);
	w->error = NULL;
	w->halt = NULL;
	w->owner = NULL;
	mutex_unlock(&im->pf->owner_lock);
}

/* What the instance's host side holds, for tests and administrators. */
static int idxd_mdev_state_show(struct seq_file *m, void *unused)
{
	struct idxd_mdev *im = m->private;
	u64 signals[VIDXD_NR_VECTORS];
	unsigned long flags;
	unsigned int v;

	seq_printf(m, "wq %u\n", im->wq);
	seq_printf(m, "portal_faults %lu\n", READ_ONCE(im->portal_faults));
	/* The eventfd signals per vector: what the VMM was sent. */
	spin_lock_irqsave(&im->trigger_lock, flags);
	for (v = 0; v < VIDXD_NR_VECTORS; v++)
		signals[v] = im->vectors[v].signals;
	spin_unlock_irqrestore(&im->trigger_lock, flags);
	seq_puts(m, "signals");
	for (v = 0; v < VIDXD_NR_VECTORS; v++)
		seq_printf(m, " %llu", signals[v]);
	seq_putc(m, '\n');
	mutex_lock(&im->irq_lock);
	for (v = 1; v < VIDXD_NR_VECTORS; v++) {
		struct idxd_mdev_vector *vec = &im->vectors[v];

		if (vec->has_ims)
			seq_printf(m, "vector %u slot %u handle %u irq %u%s\n",
				   v, vec->ims.slot, vec->handle,
				   vec->ims.virq, vec->bypass ? " bypass" : "");
	}
	mutex_unlock(&im->irq_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(idxd_mdev_state);

static int idxd_mdev_dma_state_show(struct seq_file *m, void *unused)
{
	idxd_mdev_dma_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(idxd_mdev_dma_state);

static int idxd_mdev_probe(struct mdev_device *mdev)
{
	struct pf_dev *pf = mtype_to_pf(mdev->type);
	struct vidxd_caps caps;
	struct idxd_mdev *im;
	int ret;

	im = vfio_alloc_device(idxd_mdev, vdev, &mdev->dev,
			       &idxd_mdev_vfio_ops);
	if (IS_ERR(im))
		return PTR_ERR(im);
	im->mdev = mdev;
	im->pf = pf;
	ret = idxd_mdev_claim_wq(im);
	if (ret) {
		dev_err(&mdev->dev, "%s: every WQ has an instance already\n",
			pci_name(pf->pdev));
		goto out_put_device;
	}
	idxd_mdev_caps(im, &caps);
	ret = vidxd_init(&im->vidxd, &caps, &idxd_mdev_host_ops, im);
	if (ret) {
		dev_err(&mdev->dev, "virtual device of WQ %u: %d\n", im->wq,
			ret);
		goto out_release_wq;
	}
	idxd_mdev_route_events(im);
	ret = vfio_register_emulated_iommu_dev(&im->vdev);
	if (ret) {
		dev_err(&mdev->dev, "VFIO device registration: %d\n", ret);
		goto out_release_wq;
	}
	dev_set_drvdata(&mdev->dev, im);

	im->debugfs = debugfs_create_dir(dev_name(&mdev->dev), pf->debugfs);
	debugfs_create_file("state", 0400, im->debugfs, im,
			    &idxd_mdev_state_fops);
	debugfs_create_file("dma", 0400, im->debugfs, im,
			    &idxd_mdev_dma_state_fops);
	dev_info(&mdev->dev, "WQ %u of %s\n", im->wq, pci_name(pf->pdev));
	return 0;

out_release_wq:
	idxd_mdev_release_wq(im);
out_put_device:
	vfio_put_device(&im->vdev);
	return ret;
}

static void idxd_mdev_remove(struct mdev_device *mdev)
{
	struct idxd_mdev *im = dev_get_drvdata(&mdev->dev);

	debugfs_remove_recursive(im->debugfs);
	/* Returns once the user closed; the core asks it to by .request. */
	vfio_unregister_group_dev(&im->vdev);
	idxd_mdev_release_wq(im);
	vfio_put_device(&im->vdev);
}

static struct mdev_driver idxd_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "idxd_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
	.probe = idxd_mdev_probe,
	.remove = idxd_mdev_remove,
	.get_available = idxd_mdev_get_available,
	.show_description = idxd_mdev_show_description,
};

/**
 * idxd_mdev_parent_register() - offer a parent function's WQs as mdevs
 * @pf:		the parent function, probed and configured
 *
 * Context: process (the parent's probe); may sleep.
 * Return: 0, -ENOMEM or mdev_register_parent()'s error.
 */
int idxd_mdev_parent_register(struct pf_dev *pf)
{
	struct idxd_mdev_parent *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->pf = pf;
	p->type.sysfs_name = pf->is_iax ? "iax-1dwq" : "dsa-1dwq";
	p->type.pretty_name = pf->is_iax ? "IAX, one dedicated WQ" :
					   "DSA, one dedicated WQ";
	p->types[0] = &p->type;
	ret = mdev_register_parent(&p->parent, &pf->pdev->dev,
				   &idxd_mdev_driver, p->types,
				   ARRAY_SIZE(p->types));
	if (ret) {
		dev_err(&pf->pdev->dev, "mdev parent registration: %d\n", ret);
		kfree(p);
		return ret;
	}
	pf->mdev_parent = p;
	return 0;
}

/**
 * idxd_mdev_parent_unregister() - remove every instance and the types
 * @pf:		the parent function
 *
 * Each instance's removal waits for its user to close the device.
 * Context: process (the parent's remove); sleeps.
 */
void idxd_mdev_parent_unregister(struct pf_dev *pf)
{
	mdev_unregister_parent(&pf->mdev_parent->parent);
	kfree(pf->mdev_parent);
	pf->mdev_parent = NULL;
}

/**
 * idxd_mdev_driver_register() - register the driver of the instances
 *
 * Context: module init.
 * Return: 0 or mdev_register_driver()'s error.
 */
int idxd_mdev_driver_register(void)
{
	return mdev_register_driver(&idxd_mdev_driver);
}

/**
 * idxd_mdev_driver_unregister() - undo idxd_mdev_driver_register()
 *
 * Context: module exit, every parent gone.
 */
void idxd_mdev_driver_unregister(void)
{
	mdev_unregister_driver(&idxd_mdev_driver);
}
