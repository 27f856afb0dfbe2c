/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registers of a physical DSA/IAX function that the parent driver uses,
 * from the Intel DSA architecture specification; written for this driver,
 * not taken from the in-tree idxd.
 */
#ifndef _IDXD_MDEV_PF_REGS_H
#define _IDXD_MDEV_PF_REGS_H

#include <linux/bits.h>

#define PF_BAR_REGS			0
#define PF_BAR_PORTALS			2

#define PF_GENCAP			0x10
#define   PF_GENCAP_CMD_CAP		BIT_ULL(4)
#define   PF_GENCAP_MAX_XFER_SHIFT	GENMASK_ULL(20, 16)
#define   PF_GENCAP_MAX_BATCH_SHIFT	GENMASK_ULL(24, 21)
#define   PF_GENCAP_MAX_IMS_MULT	GENMASK_ULL(30, 25)
#define PF_IMS_MULT_UNIT		256
#define PF_WQCAP			0x20
#define   PF_WQCAP_TOTAL_WQ_SIZE	GENMASK_ULL(15, 0)
#define   PF_WQCAP_NUM_WQS		GENMASK_ULL(23, 16)
#define   PF_WQCAP_WQCFG_SIZE		GENMASK_ULL(27, 24)
#define   PF_WQCAP_DEDICATED_MODE	BIT_ULL(49)
#define PF_GRPCAP			0x30
#define   PF_GRPCAP_NUM_GROUPS		GENMASK_ULL(7, 0)
#define PF_ENGCAP			0x38
#define   PF_ENGCAP_NUM_ENGINES		GENMASK_ULL(7, 0)
#define PF_TABLE			0x60	/* table offsets, 0x100 units */
#define   PF_TABLE_GRPCFG		GENMASK_ULL(15, 0)
#define   PF_TABLE_WQCFG		GENMASK_ULL(31, 16)
#define   PF_TABLE_MSIX_PERM		GENMASK_ULL(47, 32)
#define   PF_TABLE_IMS			GENMASK_ULL(63, 48)
#define PF_TABLE_UNIT			0x100
#define PF_GENCTRL			0x88
#define   PF_GENCTRL_SOFTERR_INT_EN	BIT(0)
#define   PF_GENCTRL_HALT_INT_EN	BIT(1)
#define PF_GENSTS			0x90
#define   PF_GENSTS_STATE		GENMASK(1, 0)
#define     PF_GENSTS_HALT		3
#define PF_INTCAUSE			0x98
#define   PF_INTCAUSE_ERR		BIT(0)
#define   PF_INTCAUSE_HALT		BIT(4)
#define PF_CMD				0xa0
#define   PF_CMD_OPERAND		GENMASK(19, 0)
#define   PF_CMD_CODE			GENMASK(24, 20)
#define PF_CMDSTS			0xa8
#define   PF_CMDSTS_ERR			GENMASK(7, 0)
#define   PF_CMDSTS_RESULT		GENMASK(23, 8)
#define   PF_CMDSTS_ACTIVE		BIT(31)
#define PF_CMDCAP			0xb0
#define PF_SWERR			0xc0	/* 4 x 64 bits */
#define   PF_SWERR_VALID		BIT_ULL(0)
#define   PF_SWERR_OVERFLOW		BIT_ULL(1)
#define   PF_SWERR_WQ_IDX_VALID		BIT_ULL(3)
#define   PF_SWERR_ERROR		GENMASK_ULL(15, 8)
#define   PF_SWERR_WQ_IDX		GENMASK_ULL(23, 16)
#define PF_SWERR_WORDS			4

/* MSI-X permission table: 8 bytes per vector. */
#define PF_MSIX_PERM_STRIDE		8
#define   PF_MSIX_PERM_IGNORE		BIT(2)

/* Commands (PF_CMD_CODE); CMDCAP has bit n set when command n exists. */
enum pf_cmd {
	PF_CMD_ENABLE_DEVICE = 1,
	PF_CMD_DISABLE_DEVICE = 2,
	PF_CMD_RESET_DEVICE = 5,
	PF_CMD_ENABLE_WQ = 6,
	PF_CMD_DISABLE_WQ = 7,
	PF_CMD_REQUEST_INT_HANDLE = 13,
	PF_CMD_RELEASE_INT_HANDLE = 14,
};

/* WQ commands but ENABLE_WQ (an index) name WQs as 16-bit bitmaps. */
#define   PF_CMD_WQ_BITMAP		GENMASK(15, 0)
#define   PF_CMD_WQ_BLOCK		GENMASK(19, 16)

/* Interrupt handle commands: the IMS slot or handle, and "IMS" flag. */
#define   PF_CMD_INT_INDEX		GENMASK(15, 0)
#define   PF_CMD_INT_IMS		BIT(16)

/* BAR2: four 4 KiB portal pages per WQ, the unlimited one first. */
#define PF_PORTAL_SIZE			0x1000
#define PF_PORTALS_PER_WQ		4

/* GRPCFG: 64 bytes per group. */
#define PF_GRPCFG_STRIDE		0x40
#define   PF_GRPCFG_WQS			0x00	/* 4 x 64-bit WQ bitmaps */
#define   PF_GRPCFG_ENGINES		0x20
#define   PF_GRPCFG_FLAGS		0x28

/* WQCFG: 32 << WQCAP.wqcfg_size bytes per WQ. */
#define PF_WQCFG_UNIT_SHIFT		5
#define   PF_WQCFG_SIZE			0x00
#define   PF_WQCFG_THRESHOLD		0x04
#define   PF_WQCFG_MODE_PRIO		0x08
#define     PF_WQCFG_DEDICATED		BIT(0)
#define     PF_WQCFG_PRIORITY		GENMASK(7, 4)
#define   PF_WQCFG_XFER_BATCH		0x0c
#define     PF_WQCFG_MAX_XFER_SHIFT	GENMASK(4, 0)
#define     PF_WQCFG_MAX_BATCH_SHIFT	GENMASK(8, 5)

#endif /* _IDXD_MDEV_PF_REGS_H */
