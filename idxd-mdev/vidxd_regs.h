/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register layout of the virtual DSA/IAX device beyond the architectural
 * one (dsa_regs.h): where the virtual device puts its tables, its own
 * software error codes, and its PCI configuration space.
 */
#ifndef _VIDXD_REGS_H
#define _VIDXD_REGS_H

#include <linux/bits.h>

#include "dsa_regs.h"

/*
 * Software error codes the virtual device itself reports in SWERR, with
 * the device halted: a PCI configuration error (bus mastering turned off
 * under an enabled device; the value Intel's vdcm used), and the host
 * failing to stop the real WQ (the model's own: the specification's 0x53
 * means a full WQ; 0xf0 and up are the models' own, as the QEMU model's
 * torn descriptor 0xf0).
 */
#define VIDXD_SWERR_PCI_CFG		0x51
#define VIDXD_SWERR_HOST_WQ		0xf1

/* --- BAR0: where the virtual device puts its tables --- */
#define VIDXD_BAR0_SIZE			0x2000
#define VIDXD_MSIX_PERM			0x300	/* 8 bytes per vector */
#define   VIDXD_MSIX_PERM_WMASK		(DSA_MSIX_PERM_IGNORE | BIT(3) | \
					 GENMASK(31, 12))
#define VIDXD_GRPCFG			0x400	/* one group */
#define VIDXD_WQCFG			0x500	/* one WQ */
#define VIDXD_MSIX_TABLE		0x600	/* 16 bytes per vector */
#define VIDXD_MSIX_PBA			0x700

/* One dedicated WQ; vector 0 for the device, vector 1 for completions. */
#define VIDXD_NR_WQS			1
#define VIDXD_NR_VECTORS		2

/* --- BAR2: the WQ portals (unlimited and limited) --- */
#define VIDXD_BAR2_SIZE			0x2000

/* --- PCI configuration space --- */
#define VIDXD_CFG_SIZE			0x1000
#define VIDXD_CAP_MSIX			0x40
#define VIDXD_CAP_PCIE			0x50

#endif /* _VIDXD_REGS_H */
