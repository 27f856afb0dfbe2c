/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One mediated device of idxd_mdev: a VFIO device made of one carved WQ
 * of a parent function (pf.h) and the virtual device model (vidxd.h).
 * Shared by the VFIO side's files: mdev_types.c (types, create/remove),
 * vfio_dev.c (the VFIO device), vfio_irq.c (eventfds, IMS-backed vectors),
 * host.c (the model's host ops on the real WQ) and dma.c (the guest's DMA
 * translation). The model never includes this header.
 */
#ifndef _IDXD_MDEV_MDEV_H
#define _IDXD_MDEV_MDEV_H

#include <linux/irqbypass.h>
#include <linux/list.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>

#include <ims.h>

#include "pf.h"
#include "vidxd.h"

struct eventfd_ctx;
struct kvm;
struct seq_file;

/**
 * struct idxd_mdev_vector - one guest MSI-X vector, as the host backs it
 * @im:		the instance
 * @index:	the vector
 * @trigger:	the eventfd VFIO_DEVICE_SET_IRQS gave, or NULL
 * @signals:	how often the model signalled @trigger (under the
 *		instance's trigger_lock), for debugfs
 * @ims:	the IMS vector behind it (vectors from 1), valid if @has_ims
 * @has_ims:	whether the guest holds an interrupt handle for it
 * @handle:	that handle, as the device knows it
 * @epoch:	the parent's reset the handle belongs to
 * @producer:	the irqbypass producer, registered while @trigger and the
 *		IMS vector both exist
 * @bypass:	whether @producer is registered
 * @name:	the IMS interrupt's name in /proc/interrupts
 */
struct idxd_mdev_vector {
	struct idxd_mdev *im;
	unsigned int index;
	struct eventfd_ctx *trigger;
	u64 signals;
	struct ims_map ims;
	bool has_ims;
	u32 handle;
	unsigned int epoch;
	struct irq_bypass_producer producer;
	bool bypass;
	char name[64];
};

/**
 * struct idxd_mdev_dma - the guest's DMA translation (dma.c)
 * @lock:	serializes everything below against .dma_unmap; initialised
 *		with the instance, the rest by idxd_mdev_dma_open()
 * @pasid_mode:	the WQ's DMA goes through @domain at @pasid (else through
 *		the parent's requester ID domain, shared per VM)
 * @domain:	the domain mapping the guest's pages: the instance's own
 *		(pasid mode) or the parent's shared one (pf mode)
 * @pasid:	its PASID (pasid mode)
 * @generation:	the KVM memslot generation last mapped; ~0 before the first
 * @pins:	the pinned ranges (dma.c's own list)
 * @nr_pinned:	pages pinned
 * @nr_slots:	the memslots of the last scan
 * @fences:	IOVA ranges the container unmapped, not pinned again before
 *		the memslots change (dma.c's own list)
 * @fence_all:	the memslot generation at which every page is fenced (no
 *		memory for a fence), or ~0
 * @put_kvm:	kvm_put_kvm(), as symbol_get() gave it, while @kvm is held
 */
struct idxd_mdev_dma {
	struct mutex lock;	/* see above */
	bool pasid_mode;
	struct iommu_domain *domain;
	u32 pasid;
	u64 generation;
	struct list_head pins;
	unsigned long nr_pinned;
	unsigned int nr_slots;
	struct list_head fences;
	u64 fence_all;
	void (*put_kvm)(struct kvm *kvm);
};

/**
 * struct idxd_mdev - one mediated device
 * @vdev:	the VFIO device; first, as vfio_alloc_device() wants
 * @mdev:	the mediated device it is made for
 * @pf:		the parent function
 * @wq:		the parent's WQ this instance owns
 * @vidxd:	the virtual device the guest sees
 * @kvm:	the VM of the user, between open and close (a reference)
 * @irq_lock:	serializes SET_IRQS and the interrupt handle host ops: the
 *		vectors' IMS state and producers. Taken with @vidxd.lock held
 *		(host ops) or alone; never takes @vidxd.lock itself.
 * @trigger_lock: protects the @vectors' triggers and @req_trigger for the
 *		model's signal op (interrupts off, under the model's irq_lock)
 * @vectors:	the guest's MSI-X vectors
 * @req_trigger: the eventfd of VFIO_PCI_REQ_IRQ_INDEX, or NULL
 * @vma_lock:	protects @vmas and @portal_faults; taken inside the mmap
 *		lock (fault, close)
 * @vmas:	the portal mappings (struct idxd_mdev_vma)
 * @portal_faults: portal pages inserted by the fault handler (debugfs)
 * @dma:	the guest's DMA translation
 * @debugfs:	the instance's debugfs directory
 */
struct idxd_mdev {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	struct pf_dev *pf;
	unsigned int wq;
	struct vidxd vidxd;
	struct kvm *kvm;
	struct mutex irq_lock;	/* see above */
	spinlock_t trigger_lock;	/* see above */
	struct idxd_mdev_vector vectors[VIDXD_NR_VECTORS];
	struct eventfd_ctx *req_trigger;
	struct mutex vma_lock;	/* see above */
	struct list_head vmas;
	unsigned long portal_faults;
	struct idxd_mdev_dma dma;
	struct dentry *debugfs;
};

static inline struct idxd_mdev *vdev_to_idxd_mdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct idxd_mdev, vdev);
}

static inline struct device *idxd_mdev_dev(struct idxd_mdev *im)
{
	return &im->mdev->dev;
}

/* mdev_types.c */
int idxd_mdev_parent_register(struct pf_dev *pf);
void idxd_mdev_parent_unregister(struct pf_dev *pf);
int idxd_mdev_driver_register(void);
void idxd_mdev_driver_unregister(void);

/* vfio_dev.c */
extern const struct vfio_device_ops idxd_mdev_vfio_ops;
void idxd_mdev_portal_zap(struct idxd_mdev *im);

/* vfio_irq.c */
int idxd_mdev_irq_info(struct idxd_mdev *im, unsigned long arg);
int idxd_mdev_set_irqs(struct idxd_mdev *im, unsigned long arg);
void idxd_mdev_irq_close(struct idxd_mdev *im);
int idxd_mdev_ims_request(struct idxd_mdev *im, unsigned int vector,
			  u32 *handle);
void idxd_mdev_ims_release(struct idxd_mdev *im, unsigned int vector);
void idxd_mdev_signal(struct idxd_mdev *im, unsigned int vector);
void idxd_mdev_request(struct vfio_device *vdev, unsigned int count);

/* host.c */
extern const struct vidxd_host_ops idxd_mdev_host_ops;
void idxd_mdev_caps(struct idxd_mdev *im, struct vidxd_caps *caps);
void idxd_mdev_wq_error(void *owner, const u64 *swerr);
void idxd_mdev_wq_halt(void *owner, const u64 *swerr);

/* dma.c */
int idxd_mdev_dma_open(struct idxd_mdev *im);
void idxd_mdev_dma_close(struct idxd_mdev *im);
int idxd_mdev_dma_sync(struct idxd_mdev *im);
void idxd_mdev_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length);
void idxd_mdev_dma_show(struct idxd_mdev *im, struct seq_file *m);

#endif /* _IDXD_MDEV_MDEV_H */
