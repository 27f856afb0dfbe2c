// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupts of an instance as VFIO offers them: the MSI-X index with
 * the model's vectors and the request index. Vector 0 is the model's own
 * (its events go to the eventfd directly); every vector from 1 on is
 * backed by an IMS slot of the parent, taken when the guest asks for an
 * interrupt handle and given back with it. The slot's interrupt raises
 * the model's vector, which signals the eventfd; with an irqbypass
 * producer for it, KVM can post it to the guest instead.
 *
 * As for a function given to vfio-pci, the host programs the device's
 * MSI-X table: a vector with an eventfd is unmasked in the model's table,
 * one without is masked. A VMM emulates the table its guest sees.
 */
#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <compat.h>

#include "mdev.h"

static unsigned int idxd_mdev_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return VIDXD_NR_VECTORS;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;
}

/**
 * idxd_mdev_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @im:		the instance
 * @arg:	the user's &struct vfio_irq_info
 *
 * Context: process (ioctl).
 * Return: 0, -EFAULT, or -EINVAL for a bad argsz or index.
 */
int idxd_mdev_irq_info(struct idxd_mdev *im, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	info.count = idxd_mdev_irq_count(info.index);
	info.flags = 0;
	if (info.count)
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/* The producer exists while the vector has both an eventfd and a slot. */
static void idxd_mdev_bypass_update_locked(struct idxd_mdev *im,
					   struct idxd_mdev_vector *vec)
{
	bool want = vec->trigger && vec->has_ims;
	int ret;

	lockdep_assert_held(&im->irq_lock);

	if (vec->bypass &&
	    (!want ||
	     compat_irq_bypass_producer_eventfd(&vec->producer) != vec->trigger)) {
		irq_bypass_unregister_producer(&vec->producer);
		vec->bypass = false;
	}
	if (!want || vec->bypass)
		return;
	ret = compat_irq_bypass_register_producer(&vec->producer, vec->trigger,
						  vec->ims.virq);
	/* Without it the interrupt still arrives, through the eventfd. */
	if (ret)
		dev_info(idxd_mdev_dev(im),
			 "vector %u: irq bypass unavailable (%d)\n",
			 vec->index, ret);
	vec->bypass = !ret;
}

/* Swap a trigger; the old one is returned for the caller to put. */
static struct eventfd_ctx *idxd_mdev_swap_trigger(struct idxd_mdev *im,
						  struct eventfd_ctx **slot,
						  struct eventfd_ctx *trigger)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&im->trigger_lock, flags);
	old = *slot;
	*slot = trigger;
	spin_unlock_irqrestore(&im->trigger_lock, flags);
	return old;
}

/* Give MSI-X vector @v the eventfd @trigger, or none (NULL). */
static void idxd_mdev_set_msix_trigger_locked(struct idxd_mdev *im,
					      unsigned int v,
					      struct eventfd_ctx *trigger)
{
	struct idxd_mdev_vector *vec = &im->vectors[v];
	struct eventfd_ctx *old;

	lockdep_assert_held(&im->irq_lock);

	old = idxd_mdev_swap_trigger(im, &vec->trigger, trigger);
	idxd_mdev_bypass_update_locked(im, vec);
	if (old)
		eventfd_ctx_put(old);
}

/* Every MSI-X vector without an eventfd. */
static void idxd_mdev_drop_msix_triggers(struct idxd_mdev *im)
{
	unsigned int v;

	mutex_lock(&im->irq_lock);
	for (v = 0; v < VIDXD_NR_VECTORS; v++)
		idxd_mdev_set_msix_trigger_locked(im, v, NULL);
	mutex_unlock(&im->irq_lock);
}

/* The host programs the model's MSI-X table: unmasked with an eventfd. */
static void idxd_mdev_program_msix(struct idxd_mdev *im, unsigned int v,
				   bool unmask)
{
	vidxd_mmio_write(&im->vidxd, VIDXD_MSIX_TABLE +
			 PCI_MSIX_ENTRY_SIZE * v + PCI_MSIX_ENTRY_VECTOR_CTRL,
			 4, unmask ? 0 : PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static int idxd_mdev_set_msix(struct idxd_mdev *im, struct vfio_irq_set *hdr,
			      const void *data)
{
	u32 type = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	unsigned int i, v;
	int ret = 0;

	if (type == VFIO_IRQ_SET_DATA_EVENTFD) {
		struct eventfd_ctx *triggers[VIDXD_NR_VECTORS] = { };
		const s32 *fds = data;

		/* All or nothing: every eventfd is looked up first. */
		for (i = 0; i < hdr->count && !ret; i++) {
			if (fds[i] < 0)
				continue;
			triggers[i] = eventfd_ctx_fdget(fds[i]);
			if (IS_ERR(triggers[i])) {
				ret = PTR_ERR(triggers[i]);
				triggers[i] = NULL;
			}
		}
		if (ret) {
			for (i = 0; i < hdr->count; i++)
				if (triggers[i])
					eventfd_ctx_put(triggers[i]);
			return ret;
		}
		mutex_lock(&im->irq_lock);
		for (i = 0; i < hdr->count; i++)
			idxd_mdev_set_msix_trigger_locked(im, hdr->start + i,
							  triggers[i]);
		mutex_unlock(&im->irq_lock);
		/* Outside irq_lock: the model's lock is taken before it. */
		for (i = 0; i < hdr->count; i++)
			idxd_mdev_program_msix(im, hdr->start + i, fds[i] >= 0);
		return 0;
	}

	/* DATA_NONE with count 0 disables the index, as in vfio-pci. */
	if (type == VFIO_IRQ_SET_DATA_NONE && !hdr->count) {
		idxd_mdev_drop_msix_triggers(im);
		for (v = 0; v < VIDXD_NR_VECTORS; v++)
			idxd_mdev_program_msix(im, v, false);
		return 0;
	}

	/* Fire the vectors from userspace, as the device would. */
	for (i = 0; i < hdr->count; i++)
		if (type == VFIO_IRQ_SET_DATA_NONE || ((const u8 *)data)[i])
			vidxd_raise(&im->vidxd, hdr->start + i);
	return 0;
}

static int idxd_mdev_set_req(struct idxd_mdev *im, struct vfio_irq_set *hdr,
			     const void *data)
{
	u32 type = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	struct eventfd_ctx *trigger = NULL, *old;
	unsigned long flags;
	s32 fd;

	if (type == VFIO_IRQ_SET_DATA_EVENTFD || !hdr->count) {
		fd = type == VFIO_IRQ_SET_DATA_EVENTFD ? *(const s32 *)data : -1;
		if (fd >= 0) {
			trigger = eventfd_ctx_fdget(fd);
			if (IS_ERR(trigger))
				return PTR_ERR(trigger);
		}
		old = idxd_mdev_swap_trigger(im, &im->req_trigger, trigger);
		if (old)
			eventfd_ctx_put(old);
		return 0;
	}
	if (type == VFIO_IRQ_SET_DATA_NONE || *(const u8 *)data) {
		spin_lock_irqsave(&im->trigger_lock, flags);
		if (im->req_trigger)
			compat_eventfd_signal(im->req_trigger);
		spin_unlock_irqrestore(&im->trigger_lock, flags);
	}
	return 0;
}

/**
 * idxd_mdev_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @im:		the instance
 * @arg:	the user's &struct vfio_irq_set and its data
 *
 * MSI-X: eventfds per vector (-1 removes one), DATA_NONE with count 0
 * removes all, DATA_NONE/DATA_BOOL fire vectors. Request: one eventfd.
 * Only the trigger action exists; INTx, MSI and error have no interrupts.
 * Context: process (ioctl); may sleep.
 * Return: 0, -EFAULT, -ENOMEM, -EINVAL for a bad header, index, range,
 * action or data type, or -EBADF for a bad eventfd.
 */
int idxd_mdev_set_irqs(struct idxd_mdev *im, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, (void __user *)arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 idxd_mdev_irq_count(hdr.index),
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	/* Only the trigger action exists, and one action at a time. */
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	if (data_size) {
		data = memdup_user((void __user *)(arg + minsz), data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	switch (hdr.index) {
	case VFIO_PCI_MSIX_IRQ_INDEX:
		ret = idxd_mdev_set_msix(im, &hdr, data);
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		ret = idxd_mdev_set_req(im, &hdr, data);
		break;
	default:
		ret = -EINVAL;
	}
	kfree(data);
	return ret;
}

/**
 * idxd_mdev_irq_close() - drop every eventfd, at close
 * @im:		the instance
 *
 * Context: process; may sleep.
 */
void idxd_mdev_irq_close(struct idxd_mdev *im)
{
	struct eventfd_ctx *old;

	idxd_mdev_drop_msix_triggers(im);
	old = idxd_mdev_swap_trigger(im, &im->req_trigger, NULL);
	if (old)
		eventfd_ctx_put(old);
}

static irqreturn_t idxd_mdev_ims_handler(int irq, void *data)
{
	struct idxd_mdev_vector *vec = data;

	vidxd_raise(&vec->im->vidxd, vec->index);
	return IRQ_HANDLED;
}

/**
 * idxd_mdev_ims_request() - back guest vector @vector with an IMS slot
 * @im:		the instance
 * @vector:	the guest's vector, 1 and up
 * @handle:	the interrupt handle the guest's descriptors are to name
 *
 * The slot is tagged with the instance's PASID where its WQ has one, so
 * that no other WQ's descriptor can fire it.
 * Context: the model's host op (its lock held); may sleep.
 * Return: 0 or the error of the IMS allocation, request_irq() or the
 * device's REQUEST_INT_HANDLE.
 */
int idxd_mdev_ims_request(struct idxd_mdev *im, unsigned int vector,
			  u32 *handle)
{
	struct idxd_mdev_vector *vec = &im->vectors[vector];
	union ims_cookie tag = { .value = im->dma.pasid };
	struct pf_dev *pf = im->pf;
	int ret;

	mutex_lock(&im->irq_lock);
	/* The model asks once per handle it holds. */
	if (WARN_ON(vec->has_ims)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = ims_alloc_irq(pf->ims, IMS_ANY_SLOT,
			    im->dma.pasid_mode ? &tag : NULL, NULL, &vec->ims);
	if (ret)
		goto out_unlock;
	snprintf(vec->name, sizeof(vec->name), "idxd_mdev-%s-%u",
		 dev_name(idxd_mdev_dev(im)), vector);
	ret = request_irq(vec->ims.virq, idxd_mdev_ims_handler, 0, vec->name,
			  vec);
	if (ret)
		goto out_free_ims;
	ret = pf_int_handle_get(pf, vec->ims.slot, &vec->handle, &vec->epoch);
	if (ret)
		goto out_free_irq;
	vec->has_ims = true;
	idxd_mdev_bypass_update_locked(im, vec);
	*handle = vec->handle;
	mutex_unlock(&im->irq_lock);
	return 0;

out_free_irq:
	free_irq(vec->ims.virq, vec);
out_free_ims:
	ims_free_irq(pf->ims, vec->ims);
out_unlock:
	mutex_unlock(&im->irq_lock);
	dev_err(idxd_mdev_dev(im), "no interrupt handle for vector %u: %d\n",
		vector, ret);
	return ret;
}

/**
 * idxd_mdev_ims_release() - give back the IMS slot of guest vector @vector
 * @im:		the instance
 * @vector:	the guest's vector
 *
 * The model calls it once the WQ is stopped, or when the guest releases
 * the handle.
 * Context: the model's host op (its lock held); may sleep.
 */
void idxd_mdev_ims_release(struct idxd_mdev *im, unsigned int vector)
{
	struct idxd_mdev_vector *vec = &im->vectors[vector];

	mutex_lock(&im->irq_lock);
	if (vec->has_ims) {
		vec->has_ims = false;
		idxd_mdev_bypass_update_locked(im, vec);
		pf_int_handle_put(im->pf, vec->handle, vec->epoch);
		free_irq(vec->ims.virq, vec);
		ims_free_irq(im->pf->ims, vec->ims);
	}
	mutex_unlock(&im->irq_lock);
}

/**
 * idxd_mdev_signal() - the model sends guest vector @vector
 * @im:		the instance
 * @vector:	the vector
 *
 * Context: the model's signal op: its irq_lock held, interrupts off.
 */
void idxd_mdev_signal(struct idxd_mdev *im, unsigned int vector)
{
	struct idxd_mdev_vector *vec = &im->vectors[vector];

	spin_lock(&im->trigger_lock);
	if (vec->trigger) {
		compat_eventfd_signal(vec->trigger);
		vec->signals++;
	}
	spin_unlock(&im->trigger_lock);
}

/**
 * idxd_mdev_request() - the VFIO core asks the user to give the device up
 * @vdev:	the instance's VFIO device
 * @count:	how often it asked so far
 *
 * Called while the instance is being removed and its user still has it
 * open; the core asks again until the user closes it.
 * Context: process.
 */
void idxd_mdev_request(struct vfio_device *vdev, unsigned int count)
{
	struct idxd_mdev *im = vdev_to_idxd_mdev(vdev);
	unsigned long flags;

	spin_lock_irqsave(&im->trigger_lock, flags);
	if (im->req_trigger) {
		if (!count)
			dev_notice(idxd_mdev_dev(im),
				   "asking the user to release the device\n");
		compat_eventfd_signal(im->req_trigger);
	} else if (!count) {
		dev_notice(idxd_mdev_dev(im),
			   "in use and no request interrupt: waiting for the user to close it\n");
	}
	spin_unlock_irqrestore(&im->trigger_lock, flags);
}
