/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DSA/IAX register layout as the Intel DSA architecture specification
 * defines it, shared by the parent driver (the real function) and the
 * virtual device model (what the guest sees). Written for this project,
 * not taken from the in-tree idxd.
 */
#ifndef _IDXD_MDEV_DSA_REGS_H
#define _IDXD_MDEV_DSA_REGS_H

#include <linux/bits.h>

/* BAR0 holds the registers and tables, BAR2 the WQ portals. */
#define DSA_BAR_REGS			0
#define DSA_BAR_PORTALS			2

/* --- BAR0: the register file --- */
#define DSA_VERSION			0x00
#define DSA_GENCAP			0x10
#define   DSA_GENCAP_BLOCK_ON_FAULT	BIT_ULL(0)
#define   DSA_GENCAP_OVERLAP_COPY	BIT_ULL(1)
#define   DSA_GENCAP_CACHE_CTRL_MEM	BIT_ULL(2)
#define   DSA_GENCAP_CACHE_CTRL_CACHE	BIT_ULL(3)
#define   DSA_GENCAP_CMD_CAP		BIT_ULL(4)
#define   DSA_GENCAP_DEST_READBACK	BIT_ULL(8)
#define   DSA_GENCAP_DRAIN_READBACK	BIT_ULL(9)
#define   DSA_GENCAP_MAX_XFER_SHIFT	GENMASK_ULL(20, 16)
#define   DSA_GENCAP_MAX_BATCH_SHIFT	GENMASK_ULL(24, 21)
#define   DSA_GENCAP_MAX_IMS_MULT	GENMASK_ULL(30, 25)
#define   DSA_GENCAP_CONFIG_EN	BIT_ULL(31)
#define DSA_WQCAP			0x20
#define   DSA_WQCAP_TOTAL_WQ_SIZE	GENMASK_ULL(15, 0)
#define   DSA_WQCAP_NUM_WQS		GENMASK_ULL(23, 16)
#define   DSA_WQCAP_WQCFG_SIZE	GENMASK_ULL(27, 24)
#define   DSA_WQCAP_SHARED_MODE	BIT_ULL(48)
#define   DSA_WQCAP_DEDICATED_MODE	BIT_ULL(49)
#define DSA_GRPCAP			0x30
#define   DSA_GRPCAP_NUM_GROUPS	GENMASK_ULL(7, 0)
#define DSA_ENGCAP			0x38
#define   DSA_ENGCAP_NUM_ENGINES	GENMASK_ULL(7, 0)
#define DSA_OPCAP			0x40	/* 256 bits */
#define DSA_OPCAP_WORDS		4
#define DSA_TABLE			0x60	/* table offsets, 0x100 units */
#define   DSA_TABLE_GRPCFG		GENMASK_ULL(15, 0)
#define   DSA_TABLE_WQCFG		GENMASK_ULL(31, 16)
#define   DSA_TABLE_MSIX_PERM		GENMASK_ULL(47, 32)
#define   DSA_TABLE_IMS		GENMASK_ULL(63, 48)
#define DSA_TABLE_UNIT		0x100
#define DSA_GENCFG			0x80
#define   DSA_GENCFG_USER_INT_EN	BIT(12)
#define DSA_GENCTRL			0x88
#define   DSA_GENCTRL_SOFTERR_INT_EN	BIT(0)
#define   DSA_GENCTRL_HALT_INT_EN	BIT(1)
#define DSA_GENSTS			0x90
#define   DSA_GENSTS_STATE		GENMASK(1, 0)
#define     DSA_GENSTS_DISABLED	0
#define     DSA_GENSTS_ENABLED	1
#define     DSA_GENSTS_DRAIN		2
#define     DSA_GENSTS_HALT		3
#define   DSA_GENSTS_RESET_TYPE	GENMASK(3, 2)
#define     DSA_GENSTS_RESET_FLR	1
#define DSA_INTCAUSE			0x98
#define   DSA_INTCAUSE_ERR		BIT(0)
#define   DSA_INTCAUSE_CMD		BIT(1)
#define   DSA_INTCAUSE_HALT		BIT(4)
#define   DSA_INTCAUSE_HANDLE_REVOKED	BIT(31)
#define   DSA_INTCAUSE_W1C		(GENMASK(4, 0) | BIT(31))
#define DSA_CMD			0xa0
#define   DSA_CMD_OPERAND		GENMASK(19, 0)
#define   DSA_CMD_CODE		GENMASK(24, 20)
#define   DSA_CMD_INT_REQ		BIT(31)
#define DSA_CMDSTS			0xa8
#define   DSA_CMDSTS_ERR		GENMASK(7, 0)
#define   DSA_CMDSTS_RESULT		GENMASK(23, 8)
#define   DSA_CMDSTS_ACTIVE		BIT(31)
#define DSA_CMDCAP			0xb0
#define DSA_SWERR			0xc0	/* 4 x 64 bits */
#define   DSA_SWERR_VALID		BIT_ULL(0)
#define   DSA_SWERR_OVERFLOW		BIT_ULL(1)
#define   DSA_SWERR_ERROR		GENMASK_ULL(15, 8)
#define DSA_SWERR_WORDS		4

/* Commands (DSA_CMD_CODE). */
enum dsa_cmd {
	DSA_CMD_ENABLE_DEVICE = 1,
	DSA_CMD_DISABLE_DEVICE,
	DSA_CMD_DRAIN_ALL,
	DSA_CMD_ABORT_ALL,
	DSA_CMD_RESET_DEVICE,
	DSA_CMD_ENABLE_WQ,
	DSA_CMD_DISABLE_WQ,
	DSA_CMD_DRAIN_WQ,
	DSA_CMD_ABORT_WQ,
	DSA_CMD_RESET_WQ,
	DSA_CMD_DRAIN_PASID,
	DSA_CMD_ABORT_PASID,
	DSA_CMD_REQUEST_INT_HANDLE,
	DSA_CMD_RELEASE_INT_HANDLE,
	DSA_CMD_MAX = DSA_CMD_RELEASE_INT_HANDLE,
};

/* WQ commands but ENABLE_WQ name their WQs as a bitmap of 16, + 16 * n. */
#define   DSA_CMD_WQ_BITMAP		GENMASK(15, 0)
#define   DSA_CMD_WQ_BLOCK		GENMASK(19, 16)
/* Interrupt handle commands: vector index or handle, and "IMS" flag. */
#define   DSA_CMD_INT_INDEX		GENMASK(15, 0)
#define   DSA_CMD_INT_HANDLE_IMS	BIT(16)

/* Command status codes (DSA_CMDSTS_ERR), as the hardware reports them. */
enum dsa_cmdsts {
	DSA_CMDSTS_SUCCESS = 0x00,
	DSA_CMDSTS_INVAL_CMD = 0x01,
	DSA_CMDSTS_INVAL_WQIDX = 0x02,
	DSA_CMDSTS_HW_ERR = 0x03,
	DSA_CMDSTS_ERR_DEV_ENABLED = 0x10,
	DSA_CMDSTS_ERR_BUSMASTER_EN = 0x12,
	DSA_CMDSTS_ERR_DEV_NOTEN = 0x20,
	DSA_CMDSTS_ERR_WQ_ENABLED = 0x21,
	DSA_CMDSTS_ERR_DIS_DEV_EN = 0x31,
	DSA_CMDSTS_ERR_DEV_NOT_EN = 0x32,
	DSA_CMDSTS_ERR_INVAL_INT_IDX = 0x41,
	DSA_CMDSTS_ERR_NO_HANDLE = 0x42,
};

/* SWERR, first word, beyond the error code. */
#define   DSA_SWERR_WQ_IDX_VALID	BIT_ULL(3)
#define   DSA_SWERR_WQ_IDX		GENMASK_ULL(23, 16)
#define   DSA_SWERR_OPERATION		GENMASK_ULL(39, 32)
#define   DSA_SWERR_PASID		GENMASK_ULL(59, 40)

/* GENCAP's IMS multiplier counts slots in these units. */
#define DSA_IMS_MULT_UNIT		256

/* MSI-X permission table: 8 bytes per vector. */
#define DSA_MSIX_PERM_STRIDE		8
#define   DSA_MSIX_PERM_IGNORE		BIT(2)

/* GRPCFG: 64 bytes per group. */
#define DSA_GRPCFG_STRIDE		0x40
#define   DSA_GRPCFG_WQS		0x00	/* 4 x 64-bit WQ bitmaps */
#define   DSA_GRPCFG_ENGINES		0x20
#define   DSA_GRPCFG_FLAGS		0x28

/* WQCFG: 32 << WQCAP.wqcfg_size bytes per WQ. */
#define DSA_WQCFG_UNIT_SHIFT		5
#define   DSA_WQCFG_SIZE		0x00	/* dword 0: bits 15:0 */
#define   DSA_WQCFG_THRESHOLD		0x04	/* dword 1 */
#define   DSA_WQCFG_MODE_PRIO		0x08	/* dword 2 */
#define     DSA_WQCFG_MODE_DEDICATED	BIT(0)
#define     DSA_WQCFG_PRIORITY		GENMASK(7, 4)
#define     DSA_WQCFG_PASID		GENMASK(27, 8)
#define     DSA_WQCFG_PASID_EN		BIT(28)
#define   DSA_WQCFG_XFER_BATCH		0x0c	/* dword 3 */
#define     DSA_WQCFG_MAX_XFER_SHIFT	GENMASK(4, 0)
#define     DSA_WQCFG_MAX_BATCH_SHIFT	GENMASK(8, 5)
#define   DSA_WQCFG_STATE		0x18	/* dword 6 */
#define     DSA_WQCFG_WQ_STATE		GENMASK(31, 30)
#define       DSA_WQ_STATE_DISABLED	0
#define       DSA_WQ_STATE_ENABLED	1

/*
 * BAR2: four 4 KiB portal pages per WQ. Bit 0 of the page index selects
 * the limited portal, bit 1 the one whose interrupt handles are IMS slots.
 */
#define DSA_PORTAL_SIZE			0x1000
#define DSA_PORTALS_PER_WQ		4
#define   DSA_PORTAL_LIMITED		BIT(0)
#define   DSA_PORTAL_IMS		BIT(1)

#endif /* _IDXD_MDEV_DSA_REGS_H */
