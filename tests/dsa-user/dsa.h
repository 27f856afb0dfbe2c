/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A DSA driver in userspace, over VFIO: enough of one to configure groups
 * and dedicated WQs, run commands, program IMS slots and submit
 * descriptors. Descriptor and completion-record layouts come from the
 * kernel's UAPI <linux/idxd.h>; the registers are below.
 */
#ifndef DSA_USER_DSA_H
#define DSA_USER_DSA_H

#include <linux/idxd.h>
#include <stdbool.h>
#include <stdint.h>

#include "vfio.h"

#define BIT(n)		(1u << (n))
#define BIT_ULL(n)	(1ull << (n))

/* Bits @hi..@lo of @v. */
static inline uint64_t dsa_field(uint64_t v, unsigned int hi, unsigned int lo)
{
	return (v >> lo) & ((1ull << (hi - lo + 1)) - 1);
}

/* BAR0 registers. */
#define DSA_VERSION		0x00
#define DSA_GENCAP		0x10
#define   DSA_GENCAP_CMD_CAP		BIT_ULL(4)
#define   DSA_GENCAP_MAX_XFER_SHIFT(v)	dsa_field(v, 20, 16)
#define   DSA_GENCAP_MAX_BATCH_SHIFT(v)	dsa_field(v, 24, 21)
#define   DSA_GENCAP_IMS_MULT(v)	dsa_field(v, 30, 25)
#define   DSA_IMS_MULT_UNIT		256
#define DSA_WQCAP		0x20
#define   DSA_WQCAP_TOTAL_SIZE(v)	dsa_field(v, 15, 0)
#define   DSA_WQCAP_NUM_WQS(v)		dsa_field(v, 23, 16)
#define DSA_GRPCAP		0x30
#define   DSA_GRPCAP_NUM_GROUPS(v)	dsa_field(v, 7, 0)
#define DSA_ENGCAP		0x38
#define   DSA_ENGCAP_NUM_ENGINES(v)	dsa_field(v, 7, 0)
#define DSA_OPCAP		0x40
#define DSA_TABLE		0x60		/* offsets in 0x100 units */
#define   DSA_TABLE_GRPCFG(v)		dsa_field(v, 15, 0)
#define   DSA_TABLE_WQCFG(v)		dsa_field(v, 31, 16)
#define   DSA_TABLE_MSIX_PERM(v)	dsa_field(v, 47, 32)
#define   DSA_TABLE_IMS(v)		dsa_field(v, 63, 48)
#define   DSA_TABLE_UNIT		0x100
#define DSA_GENCFG		0x80
#define DSA_GENCTRL		0x88
#define   DSA_GENCTRL_SOFTERR	BIT(0)
#define   DSA_GENCTRL_HALT	BIT(1)
#define DSA_GENSTS		0x90
#define   DSA_GENSTS_STATE(v)	((v) & 3)
#define DSA_INTCAUSE		0x98
#define   DSA_INTC_ERR		BIT(0)
#define   DSA_INTC_CMD		BIT(1)
#define   DSA_INTC_HALT		BIT(4)
#define DSA_CMD			0xa0
#define   DSA_CMD_INT_REQ	BIT(31)
#define DSA_CMDSTS		0xa8
#define   DSA_CMDSTS_ERR(v)	((v) & 0xff)
#define   DSA_CMDSTS_RESULT(v)	(((v) >> 8) & 0xffff)
#define DSA_CMDCAP		0xb0
#define DSA_SWERR		0xc0
#define   DSA_SWERR_VALID	BIT_ULL(0)
#define   DSA_SWERR_OVERFLOW	BIT_ULL(1)
#define   DSA_SWERR_DESC_VALID	BIT_ULL(2)
#define   DSA_SWERR_WQ_VALID	BIT_ULL(3)
#define   DSA_SWERR_CODE(v)	(((v) >> 8) & 0xff)
#define   DSA_SWERR_WQ(v)	(((v) >> 16) & 0xff)
#define   DSA_SWERR_OP(v)	(((v) >> 32) & 0xff)
#define   DSA_SWERR_PASID(v)	(((v) >> 40) & 0xfffff)
#define DSA_SWERR_INFO		(DSA_SWERR + 8)		/* bits 63:32 */
#define DSA_SWERR_FAULT_ADDR	(DSA_SWERR + 16)

enum dsa_state { DSA_DISABLED, DSA_ENABLED, DSA_DRAIN, DSA_HALT };

enum dsa_cmd {
	DSA_CMD_ENABLE_DEVICE = 1, DSA_CMD_DISABLE_DEVICE, DSA_CMD_DRAIN_ALL,
	DSA_CMD_ABORT_ALL, DSA_CMD_RESET_DEVICE, DSA_CMD_ENABLE_WQ,
	DSA_CMD_DISABLE_WQ, DSA_CMD_DRAIN_WQ, DSA_CMD_ABORT_WQ,
	DSA_CMD_RESET_WQ, DSA_CMD_DRAIN_PASID, DSA_CMD_ABORT_PASID,
	DSA_CMD_REQUEST_INT_HANDLE, DSA_CMD_RELEASE_INT_HANDLE,
};

#define DSA_CMD_INT_HANDLE_IMS	BIT(16)

/* GRPCFG: 64 bytes per group. */
#define DSA_GRPCFG_STRIDE	64
#define DSA_GRPCFG_ENGINES	32

/* WQCFG: 32 bytes per WQ, in dwords. */
#define DSA_WQCFG_STRIDE	32
#define DSA_WQCFG_SIZE		0
#define DSA_WQCFG_THRESH	1
#define DSA_WQCFG_MODE		2
#define   DSA_WQCFG_DEDICATED	BIT(0)
#define   DSA_WQCFG_PRIO(p)	((uint32_t)(p) << 4)
#define   DSA_WQCFG_PASID(p)	((uint32_t)(p) << 8)
#define   DSA_WQCFG_PASID_EN	BIT(28)
#define DSA_WQCFG_SHIFTS	3
#define DSA_WQCFG_STATE		6
#define   DSA_WQCFG_OCCUPANCY(v) ((v) & 0xffff)
#define   DSA_WQCFG_ENABLED(v)	(((v) >> 30) & 3)

/* MSI-X permission table: 8 bytes per vector. */
#define DSA_MSIX_PERM_STRIDE	8
#define   DSA_MSIX_PERM_IGNORE	BIT(2)

/* IMS slot: address, data, control. */
#define DSA_IMS_SLOT		16
#define DSA_IMS_DATA		8
#define DSA_IMS_CTRL		12
#define DSA_IMS_CTRL_MASK	BIT(0)
#define DSA_IMS_CTRL_PASID_EN	BIT(3)
#define DSA_IMS_CTRL_PASID(p)	((uint32_t)(p) << 12)

/* Portal pages of a WQ. */
enum dsa_portal {
	DSA_PORTAL_MSIX = 0, DSA_PORTAL_MSIX_LIMITED,
	DSA_PORTAL_IMS, DSA_PORTAL_IMS_LIMITED,
};

/* Software error codes seen in SWERR. */
#define DSA_SWERR_CODE_PCI_CONFIG	0x51
#define DSA_SWERR_CODE_WQ_FULL		0x53
#define DSA_SWERR_CODE_TORN		0xf0

struct dsa_dev {
	struct vfio_dev v;
	uint64_t gencap, wqcap, cmdcap, opcap;
	unsigned int num_wqs, total_wq_size, num_groups, num_engines;
	unsigned int ims_entries, max_xfer_shift, max_batch_shift;
	/* 1: no CMDCAP, handles are indexes; 2: CMDCAP, handles requested */
	unsigned int generation;
	uint64_t grpcfg, wqcfg, msix_perm, ims;	/* table offsets in BAR0 */
	volatile uint8_t *portals;
	size_t portals_len;
};

int dsa_open(struct dsa_dev *d, const char *bdf);
int dsa_open_hook(struct dsa_dev *d, const char *bdf, vfio_group_hook hook,
		  void *arg);
void dsa_close(struct dsa_dev *d);
void dsa_read_caps(struct dsa_dev *d);

uint64_t dsa_read(struct dsa_dev *d, uint64_t off, unsigned int size);
void dsa_write(struct dsa_dev *d, uint64_t off, unsigned int size,
	       uint64_t val);
void dsa_bus_master(struct dsa_dev *d, bool on);

uint32_t dsa_cmd(struct dsa_dev *d, enum dsa_cmd cmd, uint32_t operand);
unsigned int dsa_state(struct dsa_dev *d);
uint64_t dsa_swerr(struct dsa_dev *d);
void dsa_swerr_clear(struct dsa_dev *d);

void dsa_group_config(struct dsa_dev *d, unsigned int group, uint64_t wqs,
		      uint64_t engines);
void dsa_wq_config(struct dsa_dev *d, unsigned int wq, unsigned int size,
		   unsigned int prio);
uint32_t dsa_wqcfg_read(struct dsa_dev *d, unsigned int wq, unsigned int dw);
void dsa_wqcfg_write(struct dsa_dev *d, unsigned int wq, unsigned int dw,
		     uint32_t val);

void dsa_ims_set(struct dsa_dev *d, unsigned int slot, uint64_t addr,
		 uint32_t data, uint32_t ctrl);
void dsa_ims_ctrl(struct dsa_dev *d, unsigned int slot, uint32_t ctrl);

void dsa_submit(struct dsa_dev *d, unsigned int wq, enum dsa_portal portal,
		const struct dsa_hw_desc *desc);
void dsa_movdir64b(volatile void *portal, const void *desc);

void dsa_fill_random(uint8_t *p, size_t n, unsigned int seed);
uint32_t dsa_ref_crc32c(uint32_t seed, const uint8_t *p, size_t n);
void dsa_submit_movdir64b(struct dsa_dev *d, unsigned int wq,
			  enum dsa_portal portal,
			  const struct dsa_hw_desc *desc);
int dsa_wait(volatile struct dsa_completion_record *cr, int timeout_ms);

#endif
