/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few DSA registers the example driver uses (Intel DSA architecture
 * specification): capabilities, configuration tables, commands and the
 * layout of the portals in BAR 2.
 */
#ifndef _DSA_IMS_REGS_H
#define _DSA_IMS_REGS_H

#include <linux/bits.h>

#define DSA_IMS_BAR_REGS		0
#define DSA_IMS_BAR_PORTALS		2

#define DSA_REG_GENCAP			0x10
#define   DSA_GENCAP_MAX_XFER_SHIFT	GENMASK_ULL(20, 16)
#define   DSA_GENCAP_MAX_BATCH_SHIFT	GENMASK_ULL(24, 21)
/* IMS slots, in units of DSA_IMS_SLOTS_UNIT. */
#define   DSA_GENCAP_IMS_MULT		GENMASK_ULL(30, 25)
#define   DSA_IMS_SLOTS_UNIT		256

/* Where the tables are in BAR 0, in units of DSA_TABLE_UNIT. */
#define DSA_REG_TABLE			0x60
#define   DSA_TABLE_GRPCFG		GENMASK_ULL(15, 0)
#define   DSA_TABLE_WQCFG		GENMASK_ULL(31, 16)
#define   DSA_TABLE_IMS			GENMASK_ULL(63, 48)
#define   DSA_TABLE_UNIT		0x100

#define DSA_REG_CMD			0xa0
#define   DSA_CMD_OPERAND		GENMASK(19, 0)
#define   DSA_CMD_CODE			GENMASK(24, 20)
#define DSA_REG_CMDSTS			0xa8
#define   DSA_CMDSTS_ERR		GENMASK(7, 0)
#define   DSA_CMDSTS_ACTIVE		BIT(31)

enum dsa_ims_cmd {
	DSA_CMD_ENABLE_DEVICE = 1,
	DSA_CMD_DISABLE_DEVICE = 2,
	DSA_CMD_RESET_DEVICE = 5,
	DSA_CMD_ENABLE_WQ = 6,
};

/* Software error: the first qword; VALID and OVERFLOW are write-1-to-clear. */
#define DSA_REG_SWERR			0xc0
#define   DSA_SWERR_VALID		BIT_ULL(0)
#define   DSA_SWERR_OVERFLOW		BIT_ULL(1)
#define   DSA_SWERR_ERROR		GENMASK_ULL(15, 8)

/* GRPCFG: per group, a WQ bitmap (4 qwords) then an engine bitmap. */
#define DSA_GRPCFG_WQS			0x00
#define DSA_GRPCFG_ENGINES		0x20

/* WQCFG: per WQ, 8 dwords. */
#define DSA_WQCFG_STRIDE		0x20
#define DSA_WQCFG_SIZE			0x00
#define DSA_WQCFG_MODE			0x08
#define   DSA_WQCFG_DEDICATED		BIT(0)
#define   DSA_WQCFG_PRIORITY		GENMASK(7, 4)
#define DSA_WQCFG_SHIFTS		0x0c
#define   DSA_WQCFG_MAX_XFER_SHIFT	GENMASK(4, 0)
#define   DSA_WQCFG_MAX_BATCH_SHIFT	GENMASK(8, 5)

/*
 * Four portal pages per WQ: unlimited and limited, with MSI-X and with IMS
 * interrupt handles. A descriptor written to an IMS page names an IMS slot
 * in its interrupt handle.
 */
#define DSA_PORTAL_SIZE			0x1000
#define DSA_PORTALS_PER_WQ		4
#define DSA_PORTAL_IMS			2

#endif /* _DSA_IMS_REGS_H */
