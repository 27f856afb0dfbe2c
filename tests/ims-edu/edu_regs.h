/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registers of QEMU's "edu" teaching device (hw/misc/edu.c), PCI 1234:11e8.
 */
#ifndef _IMS_EDU_REGS_H
#define _IMS_EDU_REGS_H

#include <linux/bits.h>

#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

#define EDU_REG_ID		0x00
#define   EDU_ID_MAGIC		0xed
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define   EDU_DMA_RUN		BIT(0)
#define   EDU_DMA_TO_RAM	BIT(1)

/* The device's own DMA buffer, as addressed by the DMA engine. */
#define EDU_DMA_BUF		0x40000
#define EDU_DMA_BUF_SIZE	4096

#endif /* _IMS_EDU_REGS_H */
