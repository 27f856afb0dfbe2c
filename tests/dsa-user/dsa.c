// SPDX-License-Identifier: GPL-2.0
/*
 * A DSA driver in userspace: what the kernel's idxd does to bring a DSA
 * up, done over VFIO. Registers go through the VFIO region (pread/pwrite),
 * descriptors through the mmapped portals.
 */
#include <linux/pci_regs.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dsa.h"

#define DSA_PORTAL_PAGE	0x1000
#define DSA_PORTALS_WQ	4

uint64_t dsa_read(struct dsa_dev *d, uint64_t off, unsigned int size)
{
	return vfio_bar_read(&d->v, 0, off, size);
}

void dsa_write(struct dsa_dev *d, uint64_t off, unsigned int size,
	       uint64_t val)
{
	vfio_bar_write(&d->v, 0, off, size, val);
}

void dsa_bus_master(struct dsa_dev *d, bool on)
{
	uint32_t cmd = vfio_cfg_read(&d->v, PCI_COMMAND, 2);

	cmd |= PCI_COMMAND_MEMORY;
	if (on)
		cmd |= PCI_COMMAND_MASTER;
	else
		cmd &= ~PCI_COMMAND_MASTER;
	vfio_cfg_write(&d->v, PCI_COMMAND, 2, cmd);
}

void dsa_read_caps(struct dsa_dev *d)
{
	uint64_t table = dsa_read(d, DSA_TABLE, 8);

	d->gencap = dsa_read(d, DSA_GENCAP, 8);
	d->wqcap = dsa_read(d, DSA_WQCAP, 8);
	d->generation = d->gencap & DSA_GENCAP_CMD_CAP ? 2 : 1;
	d->cmdcap = dsa_read(d, DSA_CMDCAP, 8);
	d->opcap = dsa_read(d, DSA_OPCAP, 8);
	d->total_wq_size = DSA_WQCAP_TOTAL_SIZE(d->wqcap);
	d->num_wqs = DSA_WQCAP_NUM_WQS(d->wqcap);
	d->num_groups = DSA_GRPCAP_NUM_GROUPS(dsa_read(d, DSA_GRPCAP, 8));
	d->num_engines = DSA_ENGCAP_NUM_ENGINES(dsa_read(d, DSA_ENGCAP, 8));
	d->max_xfer_shift = DSA_GENCAP_MAX_XFER_SHIFT(d->gencap);
	d->max_batch_shift = DSA_GENCAP_MAX_BATCH_SHIFT(d->gencap);
	d->ims_entries = DSA_GENCAP_IMS_MULT(d->gencap) * DSA_IMS_MULT_UNIT;
	d->grpcfg = DSA_TABLE_GRPCFG(table) * DSA_TABLE_UNIT;
	d->wqcfg = DSA_TABLE_WQCFG(table) * DSA_TABLE_UNIT;
	d->msix_perm = DSA_TABLE_MSIX_PERM(table) * DSA_TABLE_UNIT;
	d->ims = DSA_TABLE_IMS(table) * DSA_TABLE_UNIT;
}

int dsa_open(struct dsa_dev *d, const char *bdf)
{
	return dsa_open_hook(d, bdf, NULL, NULL);
}

/* dsa_open, calling @hook on the VFIO group before the device opens. */
int dsa_open_hook(struct dsa_dev *d, const char *bdf, vfio_group_hook hook,
		  void *arg)
{
	memset(d, 0, sizeof(*d));
	if (vfio_open_pci(&d->v, bdf, hook, arg))
		return -1;
	if (vfio_reset(&d->v)) {
		fprintf(stderr, "dsa: %s: function reset failed\n", bdf);
		goto fail;
	}
	dsa_bus_master(d, true);
	dsa_read_caps(d);
	d->portals = vfio_bar_mmap(&d->v, 2, &d->portals_len);
	if (!d->portals) {
		fprintf(stderr, "dsa: %s: cannot map the portals\n", bdf);
		goto fail;
	}
	if (vfio_msix_enable(&d->v, d->num_wqs + 1)) {
		fprintf(stderr, "dsa: %s: cannot enable MSI-X\n", bdf);
		goto fail;
	}
	/* Errors and halts interrupt on vector 0, as idxd asks for. */
	dsa_write(d, DSA_GENCTRL, 4, DSA_GENCTRL_SOFTERR | DSA_GENCTRL_HALT);
	return 0;
fail:
	vfio_close(&d->v);
	return -1;
}

void dsa_close(struct dsa_dev *d)
{
	vfio_close(&d->v);
}

/* Commands finish while the CMD write is in flight; wait anyway. */
uint32_t dsa_cmd(struct dsa_dev *d, enum dsa_cmd cmd, uint32_t operand)
{
	uint32_t sts;
	int i;

	dsa_write(d, DSA_CMD, 4, ((uint32_t)cmd << 20) | operand);
	for (i = 0; i < 1000; i++) {
		sts = dsa_read(d, DSA_CMDSTS, 4);
		if (!(sts & BIT(31)))
			return sts;
	}
	return sts;
}

unsigned int dsa_state(struct dsa_dev *d)
{
	return DSA_GENSTS_STATE(dsa_read(d, DSA_GENSTS, 4));
}

uint64_t dsa_swerr(struct dsa_dev *d)
{
	return dsa_read(d, DSA_SWERR, 8);
}

void dsa_swerr_clear(struct dsa_dev *d)
{
	dsa_write(d, DSA_SWERR, 8, DSA_SWERR_VALID | DSA_SWERR_OVERFLOW);
	dsa_write(d, DSA_INTCAUSE, 4, dsa_read(d, DSA_INTCAUSE, 4));
}

void dsa_group_config(struct dsa_dev *d, unsigned int group, uint64_t wqs,
		      uint64_t engines)
{
	uint64_t g = d->grpcfg + group * DSA_GRPCFG_STRIDE;

	dsa_write(d, g, 8, wqs);
	dsa_write(d, g + DSA_GRPCFG_ENGINES, 8, engines);
}

uint32_t dsa_wqcfg_read(struct dsa_dev *d, unsigned int wq, unsigned int dw)
{
	return dsa_read(d, d->wqcfg + wq * DSA_WQCFG_STRIDE + dw * 4, 4);
}

void dsa_wqcfg_write(struct dsa_dev *d, unsigned int wq, unsigned int dw,
		     uint32_t val)
{
	dsa_write(d, d->wqcfg + wq * DSA_WQCFG_STRIDE + dw * 4, 4, val);
}

/* A dedicated WQ with the device's transfer and batch limits. */
void dsa_wq_config(struct dsa_dev *d, unsigned int wq, unsigned int size,
		   unsigned int prio)
{
	dsa_wqcfg_write(d, wq, DSA_WQCFG_SIZE, size);
	dsa_wqcfg_write(d, wq, DSA_WQCFG_THRESH, 0);
	dsa_wqcfg_write(d, wq, DSA_WQCFG_MODE,
			DSA_WQCFG_DEDICATED | DSA_WQCFG_PRIO(prio));
	dsa_wqcfg_write(d, wq, DSA_WQCFG_SHIFTS,
			d->max_xfer_shift | (d->max_batch_shift << 5));
}

void dsa_ims_set(struct dsa_dev *d, unsigned int slot, uint64_t addr,
		 uint32_t data, uint32_t ctrl)
{
	uint64_t e = d->ims + slot * DSA_IMS_SLOT;

	dsa_write(d, e + DSA_IMS_CTRL, 4, ctrl | DSA_IMS_CTRL_MASK);
	dsa_write(d, e, 8, addr);
	dsa_write(d, e + DSA_IMS_DATA, 4, data);
	dsa_write(d, e + DSA_IMS_CTRL, 4, ctrl);
}

void dsa_ims_ctrl(struct dsa_dev *d, unsigned int slot, uint32_t ctrl)
{
	dsa_write(d, d->ims + slot * DSA_IMS_SLOT + DSA_IMS_CTRL, 4, ctrl);
}

/*
 * Without MOVDIR64B: eight ordered 8-byte stores to the portal, which the
 * device assembles into one descriptor.
 */
void dsa_submit(struct dsa_dev *d, unsigned int wq, enum dsa_portal portal,
		const struct dsa_hw_desc *desc)
{
	volatile uint64_t *dst = (volatile uint64_t *)(d->portals +
		(wq * DSA_PORTALS_WQ + portal) * DSA_PORTAL_PAGE);
	uint64_t src[8];
	int i;

	memcpy(src, desc, sizeof(src));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < 8; i++)
		dst[i] = src[i];
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * MOVDIR64B: one 64-byte store of the descriptor to the portal, which
 * the device sees whole (written as bytes: assemblers before binutils
 * 2.31 do not know the mnemonic). movdir64b (%rdx), %rax.
 */
void dsa_movdir64b(volatile void *portal, const void *desc)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
		     : : "a" (portal), "d" (desc) : "memory");
}

/* Submit with MOVDIR64B, as the kernel's idxd does. */
void dsa_submit_movdir64b(struct dsa_dev *d, unsigned int wq,
			  enum dsa_portal portal,
			  const struct dsa_hw_desc *desc)
{
	dsa_movdir64b(d->portals + (wq * DSA_PORTALS_WQ + portal) *
		      DSA_PORTAL_PAGE, desc);
}

/* The completion status, or -1 if none was written within @timeout_ms. */
int dsa_wait(volatile struct dsa_completion_record *cr, int timeout_ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (cr->status)
			return cr->status;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms)
			return -1;
	}
}

/* Bytes of a linear congruential sequence from @seed: test data. */
void dsa_fill_random(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

/* CRC-32C, bit by bit: seed and result inverted, as DSA does. */
uint32_t dsa_ref_crc32c(uint32_t seed, const uint8_t *p, size_t n)
{
	uint32_t c = ~seed;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & -(c & 1));
	}
	return ~c;
}
