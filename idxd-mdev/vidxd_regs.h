/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register layout of the virtual DSA/IAX device: the DSA registers the
 * guest driver knows, where the virtual device puts its tables, and its
 * PCI configuration space.
 */
#ifndef _VIDXD_REGS_H
#define _VIDXD_REGS_H

#include <linux/bits.h>

/* --- BAR0: the DSA register file (offsets as on the real device) --- */
#define VIDXD_VERSION			0x00
#define VIDXD_GENCAP			0x10
#define   VIDXD_GENCAP_BLOCK_ON_FAULT	BIT_ULL(0)
#define   VIDXD_GENCAP_OVERLAP_COPY	BIT_ULL(1)
#define   VIDXD_GENCAP_CACHE_CTRL_MEM	BIT_ULL(2)
#define   VIDXD_GENCAP_CACHE_CTRL_CACHE	BIT_ULL(3)
#define   VIDXD_GENCAP_CMD_CAP		BIT_ULL(4)
#define   VIDXD_GENCAP_DEST_READBACK	BIT_ULL(8)
#define   VIDXD_GENCAP_DRAIN_READBACK	BIT_ULL(9)
#define   VIDXD_GENCAP_MAX_XFER_SHIFT	GENMASK_ULL(20, 16)
#define   VIDXD_GENCAP_MAX_BATCH_SHIFT	GENMASK_ULL(24, 21)
#define   VIDXD_GENCAP_MAX_IMS_MULT	GENMASK_ULL(30, 25)
#define   VIDXD_GENCAP_CONFIG_EN	BIT_ULL(31)
#define VIDXD_WQCAP			0x20
#define   VIDXD_WQCAP_TOTAL_WQ_SIZE	GENMASK_ULL(15, 0)
#define   VIDXD_WQCAP_NUM_WQS		GENMASK_ULL(23, 16)
#define   VIDXD_WQCAP_WQCFG_SIZE	GENMASK_ULL(27, 24)
#define   VIDXD_WQCAP_SHARED_MODE	BIT_ULL(48)
#define   VIDXD_WQCAP_DEDICATED_MODE	BIT_ULL(49)
#define VIDXD_GRPCAP			0x30
#define   VIDXD_GRPCAP_NUM_GROUPS	GENMASK_ULL(7, 0)
#define VIDXD_ENGCAP			0x38
#define   VIDXD_ENGCAP_NUM_ENGINES	GENMASK_ULL(7, 0)
#define VIDXD_OPCAP			0x40	/* 256 bits */
#define VIDXD_OPCAP_WORDS		4
#define VIDXD_TABLE			0x60	/* table offsets, 0x100 units */
#define   VIDXD_TABLE_GRPCFG		GENMASK_ULL(15, 0)
#define   VIDXD_TABLE_WQCFG		GENMASK_ULL(31, 16)
#define   VIDXD_TABLE_MSIX_PERM		GENMASK_ULL(47, 32)
#define   VIDXD_TABLE_IMS		GENMASK_ULL(63, 48)
#define VIDXD_TABLE_UNIT		0x100
#define VIDXD_GENCFG			0x80
#define   VIDXD_GENCFG_USER_INT_EN	BIT(12)
#define VIDXD_GENCTRL			0x88
#define   VIDXD_GENCTRL_SOFTERR_INT_EN	BIT(0)
#define   VIDXD_GENCTRL_HALT_INT_EN	BIT(1)
#define VIDXD_GENSTS			0x90
#define   VIDXD_GENSTS_STATE		GENMASK(1, 0)
#define     VIDXD_GENSTS_DISABLED	0
#define     VIDXD_GENSTS_ENABLED	1
#define     VIDXD_GENSTS_DRAIN		2
#define     VIDXD_GENSTS_HALT		3
#define   VIDXD_GENSTS_RESET_TYPE	GENMASK(3, 2)
#define     VIDXD_GENSTS_RESET_FLR	1
#define VIDXD_INTCAUSE			0x98
#define   VIDXD_INTCAUSE_ERR		BIT(0)
#define   VIDXD_INTCAUSE_CMD		BIT(1)
#define   VIDXD_INTCAUSE_HALT		BIT(4)
#define   VIDXD_INTCAUSE_HANDLE_REVOKED	BIT(31)
#define   VIDXD_INTCAUSE_W1C		(GENMASK(4, 0) | BIT(31))
#define VIDXD_CMD			0xa0
#define   VIDXD_CMD_OPERAND		GENMASK(19, 0)
#define   VIDXD_CMD_CODE		GENMASK(24, 20)
#define   VIDXD_CMD_INT_REQ		BIT(31)
#define VIDXD_CMDSTS			0xa8
#define   VIDXD_CMDSTS_ERR		GENMASK(7, 0)
#define   VIDXD_CMDSTS_RESULT		GENMASK(23, 8)
#define   VIDXD_CMDSTS_ACTIVE		BIT(31)
#define VIDXD_CMDCAP			0xb0
#define VIDXD_SWERR			0xc0	/* 4 x 64 bits */
#define   VIDXD_SWERR_VALID		BIT_ULL(0)
#define   VIDXD_SWERR_OVERFLOW		BIT_ULL(1)
#define   VIDXD_SWERR_ERROR		GENMASK_ULL(15, 8)
#define VIDXD_SWERR_WORDS		4

/* Commands (VIDXD_CMD_CODE). */
enum vidxd_cmd {
	VIDXD_CMD_ENABLE_DEVICE = 1,
	VIDXD_CMD_DISABLE_DEVICE,
	VIDXD_CMD_DRAIN_ALL,
	VIDXD_CMD_ABORT_ALL,
	VIDXD_CMD_RESET_DEVICE,
	VIDXD_CMD_ENABLE_WQ,
	VIDXD_CMD_DISABLE_WQ,
	VIDXD_CMD_DRAIN_WQ,
	VIDXD_CMD_ABORT_WQ,
	VIDXD_CMD_RESET_WQ,
	VIDXD_CMD_DRAIN_PASID,
	VIDXD_CMD_ABORT_PASID,
	VIDXD_CMD_REQUEST_INT_HANDLE,
	VIDXD_CMD_RELEASE_INT_HANDLE,
	VIDXD_CMD_MAX = VIDXD_CMD_RELEASE_INT_HANDLE,
};

/* WQ commands but ENABLE_WQ name their WQs as a bitmap of 16, + 16 * n. */
#define   VIDXD_CMD_WQ_BITMAP		GENMASK(15, 0)
#define   VIDXD_CMD_WQ_BLOCK		GENMASK(19, 16)
/* Interrupt handle commands: vector index or handle, and "IMS" flag. */
#define   VIDXD_CMD_INT_INDEX		GENMASK(15, 0)
#define   VIDXD_CMD_INT_HANDLE_IMS	BIT(16)

/* Command status codes (VIDXD_CMDSTS_ERR), as the hardware reports them. */
enum vidxd_cmdsts {
	VIDXD_CMDSTS_SUCCESS = 0x00,
	VIDXD_CMDSTS_INVAL_CMD = 0x01,
	VIDXD_CMDSTS_INVAL_WQIDX = 0x02,
	VIDXD_CMDSTS_HW_ERR = 0x03,
	VIDXD_CMDSTS_ERR_DEV_ENABLED = 0x10,
	VIDXD_CMDSTS_ERR_BUSMASTER_EN = 0x12,
	VIDXD_CMDSTS_ERR_DEV_NOTEN = 0x20,
	VIDXD_CMDSTS_ERR_WQ_ENABLED = 0x21,
	VIDXD_CMDSTS_ERR_DIS_DEV_EN = 0x31,
	VIDXD_CMDSTS_ERR_DEV_NOT_EN = 0x32,
	VIDXD_CMDSTS_ERR_INVAL_INT_IDX = 0x41,
	VIDXD_CMDSTS_ERR_NO_HANDLE = 0x42,
};

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
#define   VIDXD_MSIX_PERM_WMASK		(BIT(2) | BIT(3) | GENMASK(31, 12))
#define VIDXD_GRPCFG			0x400	/* one group */
#define   VIDXD_GRPCFG_WQS		0x00	/* 4 x 64-bit WQ bitmaps */
#define   VIDXD_GRPCFG_ENGINES		0x20
#define   VIDXD_GRPCFG_FLAGS		0x28
#define VIDXD_WQCFG			0x500	/* one WQ */
#define   VIDXD_WQCFG_SIZE		0x00	/* dword 0: bits 15:0 */
#define   VIDXD_WQCFG_MODE_PRIO		0x08	/* dword 2 */
#define     VIDXD_WQCFG_MODE_DEDICATED	BIT(0)
#define     VIDXD_WQCFG_PRIORITY	GENMASK(7, 4)
#define     VIDXD_WQCFG_PASID		GENMASK(27, 8)
#define     VIDXD_WQCFG_PASID_EN	BIT(28)
#define   VIDXD_WQCFG_XFER_BATCH	0x0c	/* dword 3 */
#define     VIDXD_WQCFG_MAX_XFER_SHIFT	GENMASK(4, 0)
#define     VIDXD_WQCFG_MAX_BATCH_SHIFT	GENMASK(8, 5)
#define   VIDXD_WQCFG_STATE		0x18	/* dword 6 */
#define     VIDXD_WQCFG_WQ_STATE	GENMASK(31, 30)
#define       VIDXD_WQ_STATE_DISABLED	0
#define       VIDXD_WQ_STATE_ENABLED	1
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
