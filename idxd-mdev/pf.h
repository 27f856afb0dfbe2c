/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI driver owning a DSA/IAX function for idxd_mdev: the parent of
 * the mediated devices. The vidxd model never includes this header.
 */
#ifndef _IDXD_MDEV_PF_H
#define _IDXD_MDEV_PF_H

#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/xarray.h>

#include "pf_carve.h"
#include "dsa_regs.h"

struct ims_domain;
struct idxd_mdev_parent;
struct iommu_domain;
struct kvm;

/* Every carved WQ has this priority. */
#define PF_WQ_PRIORITY		1

/**
 * struct pf_wq - a carved WQ, as the parent attributes events to it
 * @error:	the owner's hook for a software error on this WQ (SWERR's
 *		four words); NULL while no instance owns the WQ
 * @halt:	the owner's hook after the device halted and was reset
 *		(SWERR's four words at the halt); NULL likewise
 * @owner:	what the hooks get: the instance that owns the WQ, or NULL
 * @errors:	software errors attributed to this WQ
 * @halts:	device halts this WQ's owner was told of
 *
 * @error, @halt and @owner change under &pf_dev.owner_lock, which the
 * vector 0 thread holds while it calls a hook; the counters are the
 * thread's own.
 */
struct pf_wq {
	void (*error)(void *owner, const u64 *swerr);
	void (*halt)(void *owner, const u64 *swerr);
	void *owner;
	unsigned int errors;
	unsigned int halts;
};

/**
 * struct pf_dev - one DSA/IAX function owned by idxd_mdev
 * @pdev:		the function
 * @regs:		BAR0
 * @portals:		BAR2
 * @is_iax:		an IAX (else a DSA)
 * @gen:		1 (the IMS slot is the interrupt handle) or 2
 *			(CMDCAP has REQUEST_INT_HANDLE)
 * @cmdcap:		CMDCAP, 0 on a device without GENCAP.cmd_cap
 * @gencap:		GENCAP
 * @opcap:		OPCAP
 * @version:		VERSION
 * @nr_ims:		IMS slots
 * @grpcfg:		the GRPCFG table
 * @wqcfg:		the WQCFG table
 * @wqcfg_stride:	bytes per WQCFG entry
 * @carve:		the carved configuration written at probe
 * @wqs:		the carved WQs, @carve.nr_wqs of them
 * @nr_vectors:	the function's MSI-X table size
 * @irq_name:		vector 0's name in /proc/interrupts
 * @ims:		the IMS domain on the function's IMS table
 * @cmd_lock:		serializes the commands of CMD/CMDSTS
 * @resets:		device resets so far; an interrupt handle taken
 *			before the last one is void (under @cmd_lock)
 * @owner_lock:	serializes the WQs' owners (&struct pf_wq)
 * @recover_lock:	one reset and reconfiguration of the device at a time
 * @mdev_parent:	the mdev parent made of this function
 * @debugfs:		the function's debugfs directory
 * @dma_lock:		serializes the @dma_ fields (owned by dma.c)
 * @dma_domain:	the domain on the function's requester ID while
 *			instances in pf DMA mode are open, shared by them
 * @dma_kvm:		the VM all those instances belong to
 * @dma_users:		how many they are
 * @dma_pasid_users:	open instances in pasid DMA mode; the parent's open
 *			instances all use one mode
 * @dma_maps:		what @dma_domain maps, by IOVA page: the page's frame
 *			and how many of the instances pin it there
 */
struct pf_dev {
	struct pci_dev *pdev;
	void __iomem *regs;
	void __iomem *portals;
	bool is_iax;
	unsigned int gen;
	u32 cmdcap;
	u64 gencap;
	u64 opcap[DSA_OPCAP_WORDS];
	u32 version;
	unsigned int nr_ims;
	void __iomem *grpcfg;
	void __iomem *wqcfg;
	unsigned int wqcfg_stride;
	struct pf_carve carve;
	struct pf_wq wqs[PF_CARVE_MAX_WQS];
	unsigned int nr_vectors;
	char irq_name[32];
	struct ims_domain *ims;
	struct mutex cmd_lock;	/* CMD/CMDSTS: one command at a time */
	unsigned int resets;
	struct mutex owner_lock;	/* see @owner_lock above */
	struct mutex recover_lock;	/* see @recover_lock above */
	struct idxd_mdev_parent *mdev_parent;
	struct dentry *debugfs;

	/* owned by dma.c */
	struct mutex dma_lock;	/* see above */
	struct iommu_domain *dma_domain;
	struct kvm *dma_kvm;
	unsigned int dma_users;
	unsigned int dma_pasid_users;
	struct xarray dma_maps;
};

int pf_cmd(struct pf_dev *pf, enum dsa_cmd cmd, u32 operand, u32 *result);
int pf_cmd_locked(struct pf_dev *pf, enum dsa_cmd cmd, u32 operand,
		  u32 *result);
int pf_wq_enable(struct pf_dev *pf, unsigned int wq, u32 mode);
int pf_int_handle_get(struct pf_dev *pf, unsigned int slot, u32 *handle,
		      unsigned int *epoch);
void pf_int_handle_put(struct pf_dev *pf, u32 handle, unsigned int epoch);
int pf_wq_cmd(struct pf_dev *pf, enum dsa_cmd cmd, unsigned int wq);
bool pf_wq_enabled(struct pf_dev *pf, unsigned int wq);
void __iomem *pf_wqcfg(struct pf_dev *pf, unsigned int wq);
phys_addr_t pf_ims_portal(struct pf_dev *pf, unsigned int wq);

int pf_configure(struct pf_dev *pf);

int pf_irq_setup(struct pf_dev *pf);
void pf_irq_teardown(struct pf_dev *pf);
void pf_irq_enable_events(struct pf_dev *pf);
void pf_recover(struct pf_dev *pf);

int pf_register(void);
void pf_unregister(void);

#endif /* _IDXD_MDEV_PF_H */
