/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI driver owning a DSA/IAX function for idxd_mdev: the parent of
 * the mediated devices. The vidxd model never includes this header.
 */
#ifndef _IDXD_MDEV_PF_H
#define _IDXD_MDEV_PF_H

#include <linux/mutex.h>
#include <linux/pci.h>

#include "pf_carve.h"
#include "pf_regs.h"

/**
 * struct pf_dev - one DSA/IAX function owned by idxd_mdev
 * @pdev:		the function
 * @regs:		BAR0
 * @gen:		1 (the IMS slot is the interrupt handle) or 2
 *			(CMDCAP has REQUEST_INT_HANDLE)
 * @cmdcap:		CMDCAP, 0 on a device without GENCAP.cmd_cap
 * @gencap:		GENCAP
 * @nr_ims:		IMS slots
 * @grpcfg:		the GRPCFG table
 * @wqcfg:		the WQCFG table
 * @wqcfg_stride:	bytes per WQCFG entry
 * @carve:		the carved configuration written at probe
 * @cmd_lock:		serializes the commands of CMD/CMDSTS
 * @debugfs:		the function's debugfs directory
 */
struct pf_dev {
	struct pci_dev *pdev;
	void __iomem *regs;
	unsigned int gen;
	u32 cmdcap;
	u64 gencap;
	unsigned int nr_ims;
	void __iomem *grpcfg;
	void __iomem *wqcfg;
	unsigned int wqcfg_stride;
	struct pf_carve carve;
	struct mutex cmd_lock;
	struct dentry *debugfs;
};

int pf_cmd(struct pf_dev *pf, enum pf_cmd cmd, u32 operand, u32 *result);
int pf_int_handle_get(struct pf_dev *pf, unsigned int slot, u32 *handle);
void pf_int_handle_put(struct pf_dev *pf, u32 handle);

int pf_register(void);
void pf_unregister(void);

#endif /* _IDXD_MDEV_PF_H */
