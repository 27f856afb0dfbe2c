// SPDX-License-Identifier: GPL-2.0
/*
 * dsa_test BDF [SLOW-BDF [BDF...]]: drive a DSA PCI function bound to
 * vfio-pci as a driver would and check what it does: capabilities,
 * configuration and command errors, every supported operation with its
 * completion record and interrupt, IMS slots, faults, WQ states, software
 * errors, and on the first function a batch long enough to take many of
 * the engine's slices. SLOW-BDF is a second function whose engines take
 * long per descriptor (to fill a WQ). Further BDFs get the first one's
 * checks but the long batch; the generation each function advertises
 * decides what its interrupt-handle commands must do. Prints "ok NAME" /
 * "not ok NAME: why" per check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "dsa.h"

#define MEM_SIZE	(4u << 20)
#define MEM_IOVA	0x100000000ull
#define UNMAPPED_IOVA	0x200000000ull
#define TIMEOUT_MS	5000

/* The DMA area: completion records, doorbells, batch lists, buffers. */
#define CR_AREA		0x0
#define DOORBELLS	0x4000
#define BATCH_LIST	0x5000
#define BUF_A		0x10000
#define BUF_B		0x30000
#define BUF_C		0x50000
#define BUF_D		0x70000

/* The long batch: LONG_COUNT copies of 32 MiB, each with its record. */
#define BIG_SIZE	(64u << 20)
#define BIG_IOVA	0x300000000ull
#define LONG_COPY	(32u << 20)
#define LONG_COUNT	16
#define LONG_REC	128
#define LONG_LIMIT_MS	300000

static uint8_t *mem, *big;
static int failed;
static const char *bdf;
static const char *tag = "dsa";

static void result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("ok %s: %s\n", tag, name);
		return;
	}
	failed++;
	printf("not ok %s: %s: ", tag, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define CHECK_EQ(name, want, got) do {					\
	unsigned long long _w = (want), _g = (got);			\
	result(_w == _g, name, "want %#llx, got %#llx", _w, _g);	\
} while (0)

#define CHECK(name, cond) result(!!(cond), name, "%s is false", #cond)

static uint64_t iova(const volatile void *p)
{
	return MEM_IOVA + ((const volatile uint8_t *)p - mem);
}

static volatile struct dsa_completion_record *cr(unsigned int i)
{
	return (volatile struct dsa_completion_record *)(mem + CR_AREA +
							  i * 32);
}

/* A descriptor asking for a completion record (#@rec) and interrupt. */
static void desc_init(struct dsa_hw_desc *d, uint8_t op, unsigned int rec,
		      uint16_t handle)
{
	memset(d, 0, sizeof(*d));
	memset((void *)cr(rec), 0, 32);
	d->opcode = op;
	d->flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
	if (handle) {
		d->flags |= IDXD_OP_FLAG_RCI;
		d->int_handle = handle;
	}
	d->completion_addr = iova(cr(rec));
}

/* An operation from @src to @dst (or on @src and @src2), record #0. */
static void desc_xfer(struct dsa_hw_desc *d, uint8_t op, uint64_t src,
		      uint64_t dst, uint32_t size)
{
	desc_init(d, op, 0, 0);
	d->src_addr = src;
	d->dst_addr = dst;
	d->xfer_size = size;
}

static int run(struct dsa_dev *dev, unsigned int wq, enum dsa_portal portal,
	       const struct dsa_hw_desc *d, unsigned int rec)
{
	dsa_submit(dev, wq, portal, d);
	return dsa_wait(cr(rec), TIMEOUT_MS);
}

/* Run on WQ 0 with an MSI-X interrupt on vector 1; check it fired. */
static int run_irq(struct dsa_dev *dev, struct dsa_hw_desc *d,
		   unsigned int rec, const char *name)
{
	uint64_t before = vfio_irq_count(&dev->v, 1);
	char what[128];
	int status;

	d->flags |= IDXD_OP_FLAG_RCI;
	d->int_handle = 1;
	status = run(dev, 0, DSA_PORTAL_MSIX, d, rec);
	snprintf(what, sizeof(what), "%s: completion interrupt", name);
	result(!vfio_irq_wait(&dev->v, 1, before + 1, TIMEOUT_MS), what,
	       "vector 1 did not fire");
	return status;
}

static uint32_t cmd_err(struct dsa_dev *dev, enum dsa_cmd c, uint32_t op)
{
	return DSA_CMDSTS_ERR(dsa_cmd(dev, c, op));
}

static void test_caps(struct dsa_dev *dev)
{
	CHECK_EQ("VERSION is 1.0", 0x100, dsa_read(dev, DSA_VERSION, 8));
	CHECK_EQ("WQCAP: 8 WQs", 8, dev->num_wqs);
	CHECK_EQ("WQCAP: total WQ size 128", 128, dev->total_wq_size);
	CHECK("WQCAP: dedicated mode", dev->wqcap & BIT_ULL(49));
	CHECK_EQ("GRPCAP: 4 groups", 4, dev->num_groups);
	CHECK_EQ("ENGCAP: 4 engines", 4, dev->num_engines);
	CHECK_EQ("GENCAP: 2048 IMS entries", 2048, dev->ims_entries);
	CHECK("GENCAP: config_en", dev->gencap & BIT_ULL(31));
	CHECK_EQ("OPCAP: the implemented operations",
		 (1 << DSA_OPCODE_NOOP) | (1 << DSA_OPCODE_BATCH) |
		 (1 << DSA_OPCODE_DRAIN) | (1 << DSA_OPCODE_MEMMOVE) |
		 (1 << DSA_OPCODE_MEMFILL) | (1 << DSA_OPCODE_COMPARE) |
		 (1 << DSA_OPCODE_COMPVAL) | (1 << DSA_OPCODE_DUALCAST) |
		 (1 << DSA_OPCODE_CRCGEN) | (1 << DSA_OPCODE_COPY_CRC),
		 dev->opcap);
	if (dev->generation == 2) {
		CHECK("GENCAP: cmd_cap", dev->gencap & DSA_GENCAP_CMD_CAP);
		CHECK_EQ("CMDCAP: commands 1..14", 0x7ffe, dev->cmdcap);
	} else {
		CHECK("generation 1: GENCAP without cmd_cap",
		      !(dev->gencap & DSA_GENCAP_CMD_CAP));
		CHECK_EQ("generation 1: CMDCAP reserved, reads 0", 0,
			 dev->cmdcap);
	}
	CHECK_EQ("GENSTS: disabled after reset", DSA_DISABLED, dsa_state(dev));
	CHECK("tables in BAR0", dev->grpcfg && dev->wqcfg && dev->msix_perm &&
	      dev->ims);
}

/*
 * The PASID capability's enable bit, written through sysfs: vfio-pci does
 * not let userspace enable PASID, the host kernel (as root) can.
 */
static int pasid_enable(bool on)
{
	char path[96];
	uint16_t ctrl = on;
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -1;
	ret = pwrite(fd, &ctrl, 2, 0x106) == 2 ? 0 : -1;
	close(fd);
	return ret;
}

/* Groups 0 and 1; WQs 0-2 in group 0, WQ 3 in group 1. */
static void configure(struct dsa_dev *dev)
{
	unsigned int wq;

	dsa_group_config(dev, 0, 0x7, 0x3);
	dsa_group_config(dev, 1, 0x8, 0x4);
	for (wq = 0; wq < 4; wq++)
		dsa_wq_config(dev, wq, wq < 2 ? 16 : 8, 1);
}

static void test_config_errors(struct dsa_dev *dev)
{
	dsa_bus_master(dev, false);
	CHECK_EQ("ENABLE_DEVICE without bus mastering: BUSMASTER_EN", 0x12,
		 cmd_err(dev, DSA_CMD_ENABLE_DEVICE, 0));
	dsa_bus_master(dev, true);

	dsa_group_config(dev, 0, 0x3, 0x1);
	dsa_wq_config(dev, 0, 100, 1);
	dsa_wq_config(dev, 1, 100, 1);
	CHECK_EQ("ENABLE_DEVICE, WQ sizes over the total: WQ_SIZE_ERANGE",
		 0x14, cmd_err(dev, DSA_CMD_ENABLE_DEVICE, 0));
	dsa_wq_config(dev, 1, 0, 0);
	dsa_group_config(dev, 0, 0x1, 0x0);
	CHECK_EQ("ENABLE_DEVICE, group with WQs but no engine: GRP_CONFIG",
		 0x15, cmd_err(dev, DSA_CMD_ENABLE_DEVICE, 0));
	dsa_group_config(dev, 0, 0, 0);
	dsa_wq_config(dev, 0, 0, 0);
	CHECK_EQ("GENSTS: still disabled", DSA_DISABLED, dsa_state(dev));
}

static void test_enable(struct dsa_dev *dev)
{
	uint32_t mode;
	unsigned int wq;

	configure(dev);
	dsa_wqcfg_write(dev, 2, DSA_WQCFG_MODE, DSA_WQCFG_DEDICATED);
	CHECK_EQ("ENABLE_DEVICE", 0, cmd_err(dev, DSA_CMD_ENABLE_DEVICE, 0));
	CHECK_EQ("GENSTS: enabled", DSA_ENABLED, dsa_state(dev));
	CHECK_EQ("ENABLE_DEVICE twice: DEV_ENABLED", 0x10,
		 cmd_err(dev, DSA_CMD_ENABLE_DEVICE, 0));
	dsa_group_config(dev, 0, 0xff, 0xf);
	CHECK_EQ("GRPCFG read-only while enabled", 0x7,
		 dsa_read(dev, dev->grpcfg, 8));
	dsa_write(dev, DSA_GENCFG, 4, BIT(12));
	CHECK_EQ("GENCFG read-only while enabled", 0,
		 dsa_read(dev, DSA_GENCFG, 4));

	CHECK_EQ("ENABLE_WQ of a WQ past the last: INVAL_WQIDX", 0x02,
		 cmd_err(dev, DSA_CMD_ENABLE_WQ, 9));
	CHECK_EQ("ENABLE_WQ with the largest operand: INVAL_WQIDX", 0x02,
		 cmd_err(dev, DSA_CMD_ENABLE_WQ, 0xfffff));
	CHECK_EQ("ENABLE_WQ of an unconfigured WQ: WQ_SIZE", 0x22,
		 cmd_err(dev, DSA_CMD_ENABLE_WQ, 5));
	CHECK_EQ("ENABLE_WQ with priority 0: WQ_PRIOR", 0x23,
		 cmd_err(dev, DSA_CMD_ENABLE_WQ, 2));
	dsa_wqcfg_write(dev, 2, DSA_WQCFG_MODE, DSA_WQCFG_PRIO(1));
	CHECK_EQ("ENABLE_WQ of a shared WQ: WQ_MODE", 0x24,
		 cmd_err(dev, DSA_CMD_ENABLE_WQ, 2));
	mode = DSA_WQCFG_DEDICATED | DSA_WQCFG_PRIO(1);
	dsa_wqcfg_write(dev, 2, DSA_WQCFG_MODE, mode | DSA_WQCFG_PASID_EN);
	/* A scalable-mode IOMMU driver may have enabled it: turn it off. */
	CHECK_EQ("PASID capability disabled through sysfs", 0,
		 pasid_enable(false));
	CHECK_EQ("ENABLE_WQ with PASID but PASID capability off: PASID_EN",
		 0x26, cmd_err(dev, DSA_CMD_ENABLE_WQ, 2));
	dsa_wqcfg_write(dev, 2, DSA_WQCFG_MODE, mode);
	for (wq = 0; wq < 4; wq++) {
		char name[64];

		snprintf(name, sizeof(name), "ENABLE_WQ %u", wq);
		CHECK_EQ(name, 0, cmd_err(dev, DSA_CMD_ENABLE_WQ, wq));
	}
	CHECK_EQ("WQCFG: WQ 0 enabled", 1,
		 DSA_WQCFG_ENABLED(dsa_wqcfg_read(dev, 0, DSA_WQCFG_STATE)));
	CHECK_EQ("ENABLE_WQ twice: WQ_ENABLED", 0x21,
		 cmd_err(dev, DSA_CMD_ENABLE_WQ, 0));
	dsa_wqcfg_write(dev, 0, DSA_WQCFG_SIZE, 3);
	CHECK_EQ("WQCFG size read-only while enabled", 16,
		 dsa_wqcfg_read(dev, 0, DSA_WQCFG_SIZE) & 0xffff);
	CHECK_EQ("unsupported command: INVAL_CMD", 0x01,
		 cmd_err(dev, 15, 0));
}

/*
 * Without the interrupt-handle commands, the handle in a descriptor is the
 * vector or slot index itself (every other check uses them so too).
 */
static void test_gen1_handles(struct dsa_dev *dev)
{
	uint64_t before = vfio_irq_count(&dev->v, 3);
	struct dsa_hw_desc d;

	CHECK_EQ("generation 1: REQUEST_INT_HANDLE MSI-X: INVAL_CMD", 0x01,
		 cmd_err(dev, DSA_CMD_REQUEST_INT_HANDLE, 3));
	CHECK_EQ("generation 1: REQUEST_INT_HANDLE IMS: INVAL_CMD", 0x01,
		 cmd_err(dev, DSA_CMD_REQUEST_INT_HANDLE,
			 DSA_CMD_INT_HANDLE_IMS | 700));
	CHECK_EQ("generation 1: RELEASE_INT_HANDLE: INVAL_CMD", 0x01,
		 cmd_err(dev, DSA_CMD_RELEASE_INT_HANDLE, 3));
	desc_init(&d, DSA_OPCODE_NOOP, 0, 3);
	run(dev, 0, DSA_PORTAL_MSIX, &d, 0);
	CHECK("generation 1: handle 3 is vector 3",
	      !vfio_irq_wait(&dev->v, 3, before + 1, TIMEOUT_MS));
}

/* Handles requested by command: the model's are the indexes. */
static void test_gen2_handles(struct dsa_dev *dev)
{
	uint32_t sts;

	sts = dsa_cmd(dev, DSA_CMD_REQUEST_INT_HANDLE, 3);
	CHECK_EQ("REQUEST_INT_HANDLE MSI-X 3: handle 3", 3 << 8, sts);
	sts = dsa_cmd(dev, DSA_CMD_REQUEST_INT_HANDLE,
		      DSA_CMD_INT_HANDLE_IMS | 700);
	CHECK_EQ("REQUEST_INT_HANDLE IMS 700: handle 700", 700 << 8, sts);
	CHECK_EQ("REQUEST_INT_HANDLE past the vectors: INVAL_INT_IDX", 0x41,
		 cmd_err(dev, DSA_CMD_REQUEST_INT_HANDLE, 40));
	CHECK_EQ("RELEASE_INT_HANDLE", 0,
		 cmd_err(dev, DSA_CMD_RELEASE_INT_HANDLE, 3));
}

static void test_commands(struct dsa_dev *dev)
{
	uint64_t before = vfio_irq_count(&dev->v, 0);

	if (dev->generation == 1)
		test_gen1_handles(dev);
	else
		test_gen2_handles(dev);

	dsa_write(dev, DSA_INTCAUSE, 4, ~0u);
	dsa_write(dev, DSA_CMD, 4, DSA_CMD_INT_REQ | (DSA_CMD_DRAIN_ALL << 20));
	CHECK("command with int_req: vector 0",
	      !vfio_irq_wait(&dev->v, 0, before + 1, TIMEOUT_MS));
	CHECK("command with int_req: INTCAUSE.CMD",
	      dsa_read(dev, DSA_INTCAUSE, 4) & DSA_INTC_CMD);
	dsa_write(dev, DSA_INTCAUSE, 4, DSA_INTC_CMD);
	CHECK_EQ("INTCAUSE is write-1-to-clear", 0,
		 dsa_read(dev, DSA_INTCAUSE, 4) & DSA_INTC_CMD);
}

static void test_copy_ops(struct dsa_dev *dev)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B, *c = mem + BUF_C;
	uint8_t want[8192];
	struct dsa_hw_desc d;
	unsigned int i;
	int st;

	desc_init(&d, DSA_OPCODE_NOOP, 0, 0);
	CHECK_EQ("NOOP: success", DSA_COMP_SUCCESS, run_irq(dev, &d, 0, "NOOP"));
	desc_init(&d, DSA_OPCODE_DRAIN, 0, 0);
	CHECK_EQ("DRAIN: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "DRAIN"));

	/* Unaligned, across pages. */
	dsa_fill_random(a, 8192, 1);
	memset(b, 0, 8192);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a + 3), iova(b + 5), 6000);
	st = run_irq(dev, &d, 0, "MEMMOVE");
	CHECK_EQ("MEMMOVE: success", DSA_COMP_SUCCESS, st);
	CHECK("MEMMOVE: data copied", !memcmp(a + 3, b + 5, 6000));
	CHECK("MEMMOVE: nothing written past the end", !b[6005] && !b[4]);

	/* Overlapping, destination above the source: copied backwards. */
	dsa_fill_random(a, 8192, 2);
	memcpy(want, a, 8192);
	memmove(want + 100, want, 5000);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), iova(a + 100), 5000);
	CHECK_EQ("MEMMOVE overlapping upwards: success", DSA_COMP_SUCCESS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK("MEMMOVE overlapping upwards: as memmove()",
	      !memcmp(want, a, 8192));
	CHECK_EQ("MEMMOVE overlapping upwards: result 1 (backwards)", 1,
		 cr(0)->result);
	memmove(want, want + 100, 5000);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a + 100), iova(a), 5000);
	CHECK_EQ("MEMMOVE overlapping downwards: success", DSA_COMP_SUCCESS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK("MEMMOVE overlapping downwards: as memmove()",
	      !memcmp(want, a, 8192));

	memset(b, 0, 8192);
	desc_init(&d, DSA_OPCODE_MEMFILL, 0, 0);
	d.pattern = 0x0123456789abcdefull;
	d.dst_addr = iova(b + 3);
	d.xfer_size = 4099;
	CHECK_EQ("MEMFILL: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "MEMFILL"));
	for (i = 0; i < 4099; i++)
		if (b[3 + i] != (uint8_t)(d.pattern >> (8 * (i % 8))))
			break;
	CHECK_EQ("MEMFILL: pattern from the first byte on", 4099, i);
	CHECK("MEMFILL: nothing written outside", !b[2] && !b[4102]);

	dsa_fill_random(a, 8192, 3);
	memset(b, 0, 8192);
	memset(c, 0, 8192);
	desc_init(&d, DSA_OPCODE_DUALCAST, 0, 0);
	d.src_addr = iova(a);
	d.dst_addr = iova(b + 16);
	d.dest2 = iova(c + 16);
	d.xfer_size = 5000;
	CHECK_EQ("DUALCAST: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "DUALCAST"));
	CHECK("DUALCAST: both copies", !memcmp(a, b + 16, 5000) &&
	      !memcmp(a, c + 16, 5000));
	d.dest2 = iova(c + 24);
	memset((void *)cr(0), 0, 32);
	CHECK_EQ("DUALCAST, destinations differ in bits 11:0: DCAST_ERR",
		 DSA_COMP_DCAST_ERR, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
}

static void test_compare_ops(struct dsa_dev *dev)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	struct dsa_hw_desc d;
	unsigned int i;

	dsa_fill_random(a, 8192, 4);
	memcpy(b, a, 8192);
	desc_xfer(&d, DSA_OPCODE_COMPARE, iova(a), iova(b), 8000);
	CHECK_EQ("COMPARE equal: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "COMPARE"));
	CHECK_EQ("COMPARE equal: result 0", 0, cr(0)->result);
	b[5555] ^= 1;
	desc_xfer(&d, DSA_OPCODE_COMPARE, iova(a), iova(b), 8000);
	CHECK_EQ("COMPARE different: success", DSA_COMP_SUCCESS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK_EQ("COMPARE different: result 1", 1, cr(0)->result);
	CHECK_EQ("COMPARE different: offset of the first difference", 5555,
		 cr(0)->bytes_completed);
	desc_xfer(&d, DSA_OPCODE_COMPARE, iova(a), iova(b), 8000);
	d.flags |= IDXD_OP_FLAG_CR;
	d.expected_res = 0;
	CHECK_EQ("COMPARE, check result, unexpected: SUCCESS_PRED",
		 DSA_COMP_SUCCESS_PRED, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	desc_xfer(&d, DSA_OPCODE_COMPARE, iova(a), iova(b), 8);
	d.flags &= ~IDXD_OP_FLAG_RCR;
	CHECK_EQ("COMPARE without RCR: INVALID_FLAGS", DSA_COMP_INVALID_FLAGS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));

	for (i = 0; i < 4096; i++)
		a[i] = (uint8_t)(0x1122334455667788ull >> (8 * (i % 8)));
	desc_init(&d, DSA_OPCODE_COMPVAL, 0, 0);
	d.src_addr = iova(a);
	d.comp_pattern = 0x1122334455667788ull;
	d.xfer_size = 4096;
	CHECK_EQ("COMPVAL equal: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "COMPVAL"));
	CHECK_EQ("COMPVAL equal: result 0", 0, cr(0)->result);
	a[1234] = 0;
	desc_init(&d, DSA_OPCODE_COMPVAL, 0, 0);
	d.src_addr = iova(a);
	d.comp_pattern = 0x1122334455667788ull;
	d.xfer_size = 4096;
	CHECK_EQ("COMPVAL different: success", DSA_COMP_SUCCESS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK_EQ("COMPVAL different: result 1 at the difference", 1234,
		 cr(0)->result ? cr(0)->bytes_completed : ~0u);
}

static void test_crc_ops(struct dsa_dev *dev)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	struct dsa_hw_desc d;

	CHECK_EQ("reference CRC-32C of \"123456789\"", 0xe3069283,
		 dsa_ref_crc32c(0, (const uint8_t *)"123456789", 9));
	memcpy(a, "123456789", 9);
	desc_init(&d, DSA_OPCODE_CRCGEN, 0, 0);
	d.src_addr = iova(a);
	d.xfer_size = 9;
	CHECK_EQ("CRCGEN: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "CRCGEN"));
	CHECK_EQ("CRCGEN \"123456789\": the CRC-32C check value", 0xe3069283,
		 (uint32_t)cr(0)->crc_val);

	dsa_fill_random(a, 10000, 5);
	desc_init(&d, DSA_OPCODE_CRCGEN, 0, 0);
	d.src_addr = iova(a + 1);
	d.xfer_size = 9999;
	d.crc_seed = 0x12345678;
	run(dev, 0, DSA_PORTAL_MSIX, &d, 0);
	CHECK_EQ("CRCGEN with a seed, across pages",
		 dsa_ref_crc32c(0x12345678, a + 1, 9999), (uint32_t)cr(0)->crc_val);

	memset(b, 0, 10000);
	desc_xfer(&d, DSA_OPCODE_COPY_CRC, iova(a), iova(b + 7), 7777);
	d.crc_seed = 0xffffffff;
	CHECK_EQ("COPY_CRC: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "COPY_CRC"));
	CHECK("COPY_CRC: data copied", !memcmp(a, b + 7, 7777));
	CHECK_EQ("COPY_CRC: CRC", dsa_ref_crc32c(0xffffffff, a, 7777),
		 (uint32_t)cr(0)->crc_val);
	desc_xfer(&d, DSA_OPCODE_COPY_CRC, iova(a), iova(a + 64), 128);
	CHECK_EQ("COPY_CRC overlapping: OVERLAP_BUFFERS",
		 DSA_COMP_OVERLAP_BUFFERS, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
}

static void test_batch(struct dsa_dev *dev)
{
	struct dsa_hw_desc *list = (struct dsa_hw_desc *)(mem + BATCH_LIST);
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	struct dsa_hw_desc d;
	unsigned int i;

	dsa_fill_random(a, 4096, 6);
	memset(b, 0, 8192);
	desc_init(&list[0], DSA_OPCODE_MEMMOVE, 1, 0);
	list[0].src_addr = iova(a);
	list[0].dst_addr = iova(b);
	list[0].xfer_size = 4096;
	desc_init(&list[1], DSA_OPCODE_MEMFILL, 2, 0);
	list[1].pattern = 0x5a5a5a5a5a5a5a5aull;
	list[1].dst_addr = iova(b + 4096);
	list[1].xfer_size = 100;
	desc_init(&list[2], DSA_OPCODE_COMPARE, 3, 0);
	list[2].flags |= IDXD_OP_FLAG_FENCE;
	list[2].src_addr = iova(a);
	list[2].src2_addr = iova(b);
	list[2].xfer_size = 4096;
	desc_init(&list[3], DSA_OPCODE_NOOP, 4, 0);
	desc_init(&d, DSA_OPCODE_BATCH, 0, 0);
	d.desc_list_addr = iova(list);
	d.desc_count = 4;
	CHECK_EQ("BATCH of 4: success", DSA_COMP_SUCCESS,
		 run_irq(dev, &d, 0, "BATCH"));
	CHECK_EQ("BATCH: 4 descriptors processed", 4, cr(0)->bytes_completed);
	for (i = 1; i <= 4; i++)
		if (cr(i)->status != DSA_COMP_SUCCESS)
			break;
	CHECK_EQ("BATCH: every member's completion record", 5, i);
	CHECK("BATCH: members ran in order (fenced compare saw the copy)",
	      !memcmp(a, b, 4096) && cr(3)->result == 0 && b[4096] == 0x5a);

	desc_init(&list[1], 0x30, 2, 0);
	desc_init(&list[2], DSA_OPCODE_NOOP, 3, 0);
	list[2].flags |= IDXD_OP_FLAG_FENCE;
	desc_init(&list[3], DSA_OPCODE_BATCH, 4, 0);
	desc_init(&d, DSA_OPCODE_BATCH, 0, 0);
	d.desc_list_addr = iova(list);
	d.desc_count = 4;
	CHECK_EQ("BATCH with a failing member: BATCH_FAIL", DSA_COMP_BATCH_FAIL,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK_EQ("BATCH: bad member opcode: BAD_OPCODE", DSA_COMP_BAD_OPCODE,
		 cr(2)->status);
	CHECK_EQ("BATCH: fence after a failure stops the batch", 2,
		 cr(0)->bytes_completed);
	CHECK_EQ("BATCH: fenced member not run", 0, cr(3)->status);

	desc_init(&list[0], DSA_OPCODE_NOOP, 1, 0);
	desc_init(&list[1], DSA_OPCODE_BATCH, 2, 0);
	desc_init(&d, DSA_OPCODE_BATCH, 0, 0);
	d.desc_list_addr = iova(list);
	d.desc_count = 2;
	run(dev, 0, DSA_PORTAL_MSIX, &d, 0);
	CHECK_EQ("BATCH inside a batch: BAD_OPCODE", DSA_COMP_BAD_OPCODE,
		 cr(2)->status);
	desc_init(&d, DSA_OPCODE_BATCH, 0, 0);
	d.desc_list_addr = iova(list);
	d.desc_count = 1;
	CHECK_EQ("BATCH of 1: DESC_CNT_ERANGE", DSA_COMP_DESC_CNT_ERANGE,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	desc_init(&d, DSA_OPCODE_BATCH, 0, 0);
	d.desc_list_addr = iova(list) + 32;
	d.desc_count = 2;
	CHECK_EQ("BATCH list not 64-byte aligned: DESCLIST_ALIGN",
		 DSA_COMP_DESCLIST_ALIGN, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	desc_init(&d, DSA_OPCODE_BATCH, 0, 0);
	d.desc_list_addr = UNMAPPED_IOVA;
	d.desc_count = 2;
	CHECK_EQ("BATCH list unmapped: BATCH_PAGE_FAULT",
		 DSA_COMP_BATCH_PAGE_FAULT, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
}

/* SWERR holds an error: check its code, WQ and PASID (if >= 0), clear it. */
static void check_swerr_pasid(struct dsa_dev *dev, const char *name,
			      unsigned int code, int wq, int pasid)
{
	uint64_t e = dsa_swerr(dev);
	char what[160];

	if (pasid >= 0) {
		snprintf(what, sizeof(what), "%s: SWERR names PASID %d", name,
			 pasid);
		CHECK_EQ(what, pasid, DSA_SWERR_PASID(e));
	}

	snprintf(what, sizeof(what), "%s: SWERR code", name);
	CHECK_EQ(what, code, (e & DSA_SWERR_VALID) ? DSA_SWERR_CODE(e) : 0);
	if (wq >= 0) {
		snprintf(what, sizeof(what), "%s: SWERR names WQ %d", name, wq);
		CHECK_EQ(what, 0x100 | wq, (e & DSA_SWERR_WQ_VALID) ?
			 0x100 | DSA_SWERR_WQ(e) : 0);
	}
	snprintf(what, sizeof(what), "%s: INTCAUSE.ERR", name);
	CHECK(what, dsa_read(dev, DSA_INTCAUSE, 4) & DSA_INTC_ERR);
	dsa_swerr_clear(dev);
}

static void check_swerr(struct dsa_dev *dev, const char *name, unsigned int code,
			int wq)
{
	check_swerr_pasid(dev, name, code, wq, -1);
}

/* Two software errors: a misaligned completion record address... */
static void submit_misaligned_record(struct dsa_dev *dev)
{
	struct dsa_hw_desc d;

	desc_init(&d, DSA_OPCODE_NOOP, 0, 0);
	d.completion_addr += 8;
	dsa_submit(dev, 0, DSA_PORTAL_MSIX, &d);
}

/* ...and a page fault with no completion record to report it in. */
static void submit_fault_without_record(struct dsa_dev *dev)
{
	struct dsa_hw_desc d;

	desc_init(&d, DSA_OPCODE_MEMFILL, 0, 0);
	d.flags &= ~(IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR);
	d.dst_addr = UNMAPPED_IOVA;
	d.xfer_size = 64;
	dsa_submit(dev, 0, DSA_PORTAL_MSIX, &d);
}

static void test_errors(struct dsa_dev *dev)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	uint64_t end = MEM_IOVA + MEM_SIZE;
	struct dsa_hw_desc d;
	uint64_t v0;

	desc_init(&d, 0x30, 0, 0);
	CHECK_EQ("unsupported opcode: BAD_OPCODE", DSA_COMP_BAD_OPCODE,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	desc_init(&d, DSA_OPCODE_NOOP, 0, 0);
	d.flags |= IDXD_OP_FLAG_BOF;
	CHECK_EQ("block on fault, not supported: INVALID_FLAGS",
		 DSA_COMP_INVALID_FLAGS, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK_EQ("INVALID_FLAGS: the flag in the record", IDXD_OP_FLAG_BOF,
		 cr(0)->invalid_flags);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), iova(b), 0xffffffff);
	CHECK_EQ("transfer over the maximum: XFER_ERANGE", DSA_COMP_XFER_ERANGE,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));

	desc_xfer(&d, DSA_OPCODE_MEMMOVE, end - 100, iova(b), 300);
	CHECK_EQ("source runs into unmapped memory: PAGE_FAULT_NOBOF",
		 DSA_COMP_PAGE_FAULT_NOBOF, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK_EQ("page fault: bytes completed before it", 100,
		 cr(0)->bytes_completed);
	CHECK_EQ("page fault: fault address", end, cr(0)->fault_addr);
	desc_init(&d, DSA_OPCODE_MEMFILL, 0, 0);
	d.dst_addr = UNMAPPED_IOVA + 8;
	d.xfer_size = 64;
	CHECK_EQ("destination unmapped: PAGE_FAULT_NOBOF | write",
		 DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));

	/* No record to report in: SWERR does, and vector 0 says so. */
	v0 = vfio_irq_count(&dev->v, 0);
	memset(b, 0, 64);
	desc_init(&d, DSA_OPCODE_MEMFILL, 0, 0);
	d.completion_addr = UNMAPPED_IOVA;
	d.pattern = ~0ull;
	d.dst_addr = iova(b);
	d.xfer_size = 64;
	dsa_submit(dev, 0, DSA_PORTAL_MSIX, &d);
	CHECK("completion record unmapped: vector 0",
	      !vfio_irq_wait(&dev->v, 0, v0 + 1, TIMEOUT_MS));
	check_swerr(dev, "completion record unmapped", DSA_COMP_CRA_XLAT, 0);
	CHECK("completion record unmapped: descriptor not run", !b[0]);
	submit_misaligned_record(dev);
	CHECK("misaligned completion record: vector 0",
	      !vfio_irq_wait(&dev->v, 0, v0 + 2, TIMEOUT_MS));
	check_swerr(dev, "misaligned completion record", DSA_COMP_CRA_ALIGN, 0);
	submit_fault_without_record(dev);
	CHECK("page fault without a record: vector 0",
	      !vfio_irq_wait(&dev->v, 0, v0 + 3, TIMEOUT_MS));
	CHECK_EQ("page fault without a record: SWERR fault address",
		 UNMAPPED_IOVA, dsa_read(dev, DSA_SWERR_FAULT_ADDR, 8));
	check_swerr(dev, "page fault without a record",
		    DSA_COMP_PAGE_FAULT_NOBOF, 0);

	/* A second error before the first is cleared: only OVERFLOW. */
	submit_misaligned_record(dev);
	submit_fault_without_record(dev);
	CHECK("second error: vector 0 for the first",
	      !vfio_irq_wait(&dev->v, 0, v0 + 4, TIMEOUT_MS));
	usleep(100000);
	CHECK("second error before the first is cleared: OVERFLOW",
	      dsa_swerr(dev) & DSA_SWERR_OVERFLOW);
	check_swerr(dev, "second error: the first one kept",
		    DSA_COMP_CRA_ALIGN, 0);

	/* The MSI-X permission table's ignore bit silences a vector. */
	dsa_write(dev, dev->msix_perm + 2 * DSA_MSIX_PERM_STRIDE, 4,
		  DSA_MSIX_PERM_IGNORE);
	v0 = vfio_irq_count(&dev->v, 2);
	desc_init(&d, DSA_OPCODE_NOOP, 0, 2);
	CHECK_EQ("MSI-X vector with ignore set: completes", DSA_COMP_SUCCESS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	usleep(100000);
	CHECK_EQ("MSI-X vector with ignore set: no interrupt", v0,
		 vfio_irq_count(&dev->v, 2));
	dsa_write(dev, dev->msix_perm + 2 * DSA_MSIX_PERM_STRIDE, 4, 0);
	desc_init(&d, DSA_OPCODE_NOOP, 0, 2);
	run(dev, 0, DSA_PORTAL_MSIX, &d, 0);
	CHECK("MSI-X vector 2 without ignore: interrupt",
	      !vfio_irq_wait(&dev->v, 2, v0 + 1, TIMEOUT_MS));

	v0 = vfio_irq_count(&dev->v, 1);
	desc_init(&d, DSA_OPCODE_NOOP, 0, 20);
	CHECK_EQ("MSI-X handle past the vectors: INT_HANDLE_INVAL",
		 DSA_COMP_INT_HANDLE_INVAL, run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	check_swerr(dev, "invalid interrupt handle", DSA_COMP_INT_HANDLE_INVAL,
		    0);
	CHECK_EQ("SWERR info: the handle", 20,
		 dsa_read(dev, DSA_SWERR_INFO, 8) >> 32);
	dsa_swerr_clear(dev);
}

static void test_ims(struct dsa_dev *dev)
{
	volatile uint32_t *bell = (volatile uint32_t *)(mem + DOORBELLS);
	struct dsa_hw_desc d;
	unsigned int i;
	uint64_t v0;

	for (i = 0; i < 8; i++)
		bell[i] = 0;
	/* The slot's message: a DMA write the test can see in memory. */
	dsa_ims_set(dev, 5, iova(&bell[0]), 0xabc00005, 0);
	desc_init(&d, DSA_OPCODE_NOOP, 0, 5);
	CHECK_EQ("IMS portal, slot 5: success", DSA_COMP_SUCCESS,
		 run(dev, 1, DSA_PORTAL_IMS, &d, 0));
	for (i = 0; i < 1000 && bell[0] != 0xabc00005; i++)
		usleep(1000);
	CHECK_EQ("IMS slot 5: its message written", 0xabc00005, bell[0]);

	dsa_ims_set(dev, 6, iova(&bell[1]), 0xabc00006,
		    DSA_IMS_CTRL_MASK);
	desc_init(&d, DSA_OPCODE_NOOP, 0, 6);
	run(dev, 1, DSA_PORTAL_IMS, &d, 0);
	usleep(100000);
	CHECK_EQ("IMS slot masked: no message", 0, bell[1]);
	dsa_ims_ctrl(dev, 6, 0);
	CHECK_EQ("IMS slot unmasked: the pending message", 0xabc00006, bell[1]);
	bell[1] = 0;
	dsa_ims_ctrl(dev, 6, DSA_IMS_CTRL_MASK);
	dsa_ims_ctrl(dev, 6, 0);
	CHECK_EQ("IMS slot unmasked again: nothing pending", 0, bell[1]);

	v0 = vfio_irq_count(&dev->v, 0);
	dsa_ims_set(dev, 7, iova(&bell[2]), 0xabc00007,
		    DSA_IMS_CTRL_PASID_EN | DSA_IMS_CTRL_PASID(9));
	desc_init(&d, DSA_OPCODE_NOOP, 0, 7);
	CHECK_EQ("IMS slot for PASID 9, WQ without PASID: INT_HANDLE_INVAL",
		 DSA_COMP_INT_HANDLE_INVAL, run(dev, 1, DSA_PORTAL_IMS, &d, 0));
	CHECK_EQ("IMS slot for another PASID: no message", 0, bell[2]);
	desc_init(&d, DSA_OPCODE_NOOP, 0, 2048);
	CHECK_EQ("IMS handle past the table: INT_HANDLE_INVAL",
		 DSA_COMP_INT_HANDLE_INVAL, run(dev, 1, DSA_PORTAL_IMS, &d, 0));
	/*
	 * The first error's vector 0 (the second only overflows SWERR): wait
	 * for it here, or it arrives during the next test and is counted as
	 * one of that test's.
	 */
	CHECK("invalid IMS handles: vector 0",
	      !vfio_irq_wait(&dev->v, 0, v0 + 1, TIMEOUT_MS));
	dsa_swerr_clear(dev);
}

/*
 * WQ 2 on PASID 9, for which the guest's IOMMU has no tables: the WQ's DMA
 * carries the PASID and fails to translate, while IMS messages (which are
 * not tagged) arrive; an IMS slot tied to PASID 9 fires for the WQ's work,
 * one tied to PASID 10 does not.
 */
static void test_pasid(struct dsa_dev *dev)
{
	volatile uint32_t *bell = (volatile uint32_t *)(mem + DOORBELLS);
	uint32_t mode = DSA_WQCFG_DEDICATED | DSA_WQCFG_PRIO(1) |
			DSA_WQCFG_PASID_EN | DSA_WQCFG_PASID(9);
	uint64_t v0 = vfio_irq_count(&dev->v, 0);
	uint8_t *b = mem + BUF_B;
	struct dsa_hw_desc d;
	unsigned int i;

	CHECK_EQ("DISABLE_WQ 2", 0, cmd_err(dev, DSA_CMD_DISABLE_WQ, 1 << 2));
	CHECK_EQ("PASID capability enabled through sysfs", 0,
		 pasid_enable(true));
	dsa_wqcfg_write(dev, 2, DSA_WQCFG_MODE, mode);
	CHECK_EQ("ENABLE_WQ on PASID 9", 0, cmd_err(dev, DSA_CMD_ENABLE_WQ, 2));

	bell[4] = 0;
	bell[5] = 0;
	dsa_ims_set(dev, 9, iova(&bell[4]), 0xabc00009,
		    DSA_IMS_CTRL_PASID_EN | DSA_IMS_CTRL_PASID(9));
	dsa_ims_set(dev, 10, iova(&bell[5]), 0xabc0000a,
		    DSA_IMS_CTRL_PASID_EN | DSA_IMS_CTRL_PASID(10));
	/* No completion records: they would be in PASID 9's space. */
	desc_init(&d, DSA_OPCODE_NOOP, 0, 9);
	d.flags &= ~(IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR);
	dsa_submit(dev, 2, DSA_PORTAL_IMS, &d);
	for (i = 0; i < 1000 && bell[4] != 0xabc00009; i++)
		usleep(1000);
	CHECK_EQ("PASID 9 work, IMS slot for PASID 9: its message", 0xabc00009,
		 bell[4]);
	desc_init(&d, DSA_OPCODE_NOOP, 0, 10);
	d.flags &= ~(IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR);
	dsa_submit(dev, 2, DSA_PORTAL_IMS, &d);
	CHECK("PASID 9 work, IMS slot for PASID 10: vector 0",
	      !vfio_irq_wait(&dev->v, 0, v0 + 1, TIMEOUT_MS));
	check_swerr_pasid(dev, "IMS slot for another PASID",
			  DSA_COMP_INT_HANDLE_INVAL, 2, 9);
	CHECK_EQ("IMS slot for another PASID: no message", 0, bell[5]);

	memset(b, 0, 64);
	desc_init(&d, DSA_OPCODE_MEMFILL, 0, 0);
	d.pattern = ~0ull;
	d.dst_addr = iova(b);
	d.xfer_size = 64;
	dsa_submit(dev, 2, DSA_PORTAL_MSIX, &d);
	CHECK("PASID 9 DMA: vector 0",
	      !vfio_irq_wait(&dev->v, 0, v0 + 2, TIMEOUT_MS));
	check_swerr_pasid(dev, "PASID 9 DMA: completion record not translated",
			  DSA_COMP_CRA_XLAT, 2, 9);
	CHECK("PASID 9 DMA: nothing written", !b[0] && !cr(0)->status);
	CHECK_EQ("DRAIN_PASID 9", 0, cmd_err(dev, DSA_CMD_DRAIN_PASID, 9));
	CHECK_EQ("ABORT_PASID 9", 0, cmd_err(dev, DSA_CMD_ABORT_PASID, 9));

	CHECK_EQ("DISABLE_WQ 2 (PASID)", 0,
		 cmd_err(dev, DSA_CMD_DISABLE_WQ, 1 << 2));
	pasid_enable(false);
}

static void test_wq_states(struct dsa_dev *dev)
{
	volatile uint64_t *portal;
	struct dsa_hw_desc d;
	uint8_t *b = mem + BUF_B;
	int i;

	CHECK_EQ("DISABLE_WQ 3", 0, cmd_err(dev, DSA_CMD_DISABLE_WQ, 1 << 3));
	CHECK_EQ("DISABLE_WQ of a disabled WQ: WQ not enabled", 0x32,
		 cmd_err(dev, DSA_CMD_DISABLE_WQ, 1 << 3));
	desc_init(&d, DSA_OPCODE_NOOP, 0, 0);
	dsa_submit(dev, 3, DSA_PORTAL_MSIX, &d);
	usleep(200000);
	CHECK_EQ("descriptor to a disabled WQ: discarded", 0, cr(0)->status);
	CHECK_EQ("descriptor to a disabled WQ: no software error", 0,
		 dsa_swerr(dev) & DSA_SWERR_VALID);

	/* Half a descriptor, then a whole one: the half is reported. */
	portal = (volatile uint64_t *)(dev->portals);
	for (i = 0; i < 4; i++)
		portal[i] = 0;
	memset(b, 0, 64);
	desc_init(&d, DSA_OPCODE_MEMFILL, 0, 0);
	d.pattern = 0x77;
	d.dst_addr = iova(b);
	d.xfer_size = 1;
	CHECK_EQ("descriptor after a torn one: runs", DSA_COMP_SUCCESS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 0));
	CHECK_EQ("descriptor after a torn one: its data", 0x77, b[0]);
	check_swerr(dev, "torn descriptor", DSA_SWERR_CODE_TORN, 0);

	CHECK_EQ("RESET_WQ 1", 0, cmd_err(dev, DSA_CMD_RESET_WQ, 1 << 1));
	CHECK_EQ("RESET_WQ: WQCFG back to reset values", 0,
		 dsa_wqcfg_read(dev, 1, DSA_WQCFG_SIZE) |
		 dsa_wqcfg_read(dev, 1, DSA_WQCFG_MODE));
}

/* Two CPUs submitting to one portal at once: no torn descriptor runs. */
struct racer {
	struct dsa_dev *dev;
	int cpu;
	unsigned int first;
	bool pinned;
};

#define RACE_PER_CPU	48

/* Each descriptor fills its own length: 1 to 64 bytes. */
static unsigned int race_len(unsigned int n)
{
	return 1 + (n * 37) % 64;
}

static void *race(void *arg)
{
	struct racer *r = arg;
	struct dsa_hw_desc d;
	cpu_set_t set;
	unsigned int i;

	CPU_ZERO(&set);
	CPU_SET(r->cpu, &set);
	r->pinned = !sched_setaffinity(0, sizeof(set), &set);
	for (i = 0; i < RACE_PER_CPU; i++) {
		unsigned int n = r->first + i;

		/* Every qword differs from the other CPU's descriptors. */
		desc_init(&d, DSA_OPCODE_MEMFILL, 8 + n, 0);
		d.pattern = 0x0101010101010101ull * (n + 1);
		d.dst_addr = iova(mem + BUF_D + n * 64);
		d.xfer_size = race_len(n);
		d.int_handle = n;
		d.crc_seed = n;
		d.seed_addr = n;
		dsa_submit(r->dev, 0, DSA_PORTAL_MSIX, &d);
	}
	return NULL;
}

static void test_race(struct dsa_dev *dev)
{
	struct racer r[2] = { { dev, 0, 0, false }, { dev, 1, RACE_PER_CPU, false } };
	pthread_t t[2];
	unsigned int n, good = 0, lost = 0, bad = 0, k;

	memset(mem + BUF_D, 0, 2 * RACE_PER_CPU * 64);
	dsa_swerr_clear(dev);
	pthread_create(&t[0], NULL, race, &r[0]);
	pthread_create(&t[1], NULL, race, &r[1]);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	usleep(500000);
	for (n = 0; n < 2 * RACE_PER_CPU; n++) {
		uint8_t *p = mem + BUF_D + n * 64;

		if (!cr(8 + n)->status) {
			lost++;
			continue;
		}
		for (k = 0; k < 64 && p[k] == (uint8_t)(n + 1); k++)
			;
		if (cr(8 + n)->status == DSA_COMP_SUCCESS && k == race_len(n) &&
		    (k == 64 || !p[k]))
			good++;
		else
			bad++;
	}
	printf("# race: %u ran, %u refused (torn or WQ full)\n", good, lost);
	CHECK("two CPUs on one portal: each thread on its own CPU",
	      r[0].pinned && r[1].pinned);
	CHECK_EQ("two CPUs on one portal: no corrupted descriptor ran", 0, bad);
	CHECK("two CPUs on one portal: descriptors ran", good > 0);
	CHECK("two CPUs on one portal: every refusal reported",
	      !lost || (dsa_swerr(dev) & DSA_SWERR_VALID));
	dsa_swerr_clear(dev);
}

/*
 * Bus mastering off halts an enabled device. Its halt interrupt is an MSI
 * write, which a function without bus mastering cannot make: software
 * finds the halt in GENSTS and INTCAUSE.
 */
static void test_halt(struct dsa_dev *dev)
{
	/* The cause is recorded even with its interrupt disabled. */
	dsa_write(dev, DSA_GENCTRL, 4, DSA_GENCTRL_SOFTERR);
	dsa_bus_master(dev, false);
	CHECK_EQ("bus mastering off while enabled: HALT", DSA_HALT,
		 dsa_state(dev));
	CHECK("halt: INTCAUSE.HALT", dsa_read(dev, DSA_INTCAUSE, 4) &
	      DSA_INTC_HALT);
	check_swerr(dev, "halt", DSA_SWERR_CODE_PCI_CONFIG, -1);
	CHECK_EQ("halted: commands fail with HW_ERR", 0x03,
		 cmd_err(dev, DSA_CMD_ENABLE_WQ, 0));
	dsa_bus_master(dev, true);
	CHECK_EQ("halted: RESET_DEVICE", 0,
		 cmd_err(dev, DSA_CMD_RESET_DEVICE, 0));
	CHECK_EQ("after RESET_DEVICE: disabled", DSA_DISABLED, dsa_state(dev));
	CHECK_EQ("after RESET_DEVICE: WQCFG cleared", 0,
		 dsa_wqcfg_read(dev, 0, DSA_WQCFG_SIZE));
}

/* A function-level reset (VFIO_DEVICE_RESET) returns everything. */
static void test_flr(struct dsa_dev *dev)
{
	uint64_t slot = dev->ims + 3 * DSA_IMS_SLOT;

	configure(dev);
	CHECK_EQ("before FLR: ENABLE_DEVICE", 0,
		 cmd_err(dev, DSA_CMD_ENABLE_DEVICE, 0));
	CHECK_EQ("before FLR: ENABLE_WQ 0", 0, cmd_err(dev, DSA_CMD_ENABLE_WQ, 0));
	dsa_ims_set(dev, 3, MEM_IOVA, 0x1234, 0);
	CHECK_EQ("VFIO_DEVICE_RESET", 0, vfio_reset(&dev->v));
	CHECK_EQ("after FLR: disabled", DSA_DISABLED, dsa_state(dev));
	CHECK_EQ("after FLR: WQCFG cleared", 0,
		 dsa_wqcfg_read(dev, 0, DSA_WQCFG_SIZE) |
		 dsa_wqcfg_read(dev, 0, DSA_WQCFG_STATE));
	CHECK_EQ("after FLR: GRPCFG cleared", 0, dsa_read(dev, dev->grpcfg, 8));
	CHECK_EQ("after FLR: IMS slot cleared and masked", DSA_IMS_CTRL_MASK,
		 dsa_read(dev, slot + DSA_IMS_CTRL, 4) |
		 (dsa_read(dev, slot + DSA_IMS_DATA, 4) ? 0x100 : 0));
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The long batch on WQ 0: 512 MiB copied, 32 MiB at a time, in place. */
static void long_batch_submit(struct dsa_dev *dev)
{
	struct dsa_hw_desc *list = (struct dsa_hw_desc *)(mem + BATCH_LIST);
	struct dsa_hw_desc d;
	unsigned int i;

	for (i = 0; i < LONG_COUNT; i++) {
		desc_init(&list[i], DSA_OPCODE_MEMMOVE, LONG_REC + i, 0);
		list[i].src_addr = BIG_IOVA;
		list[i].dst_addr = BIG_IOVA + LONG_COPY;
		list[i].xfer_size = LONG_COPY;
	}
	memset(big + LONG_COPY, 0, LONG_COPY);
	desc_init(&d, DSA_OPCODE_BATCH, 1, 0);
	d.desc_list_addr = iova(list);
	d.desc_count = LONG_COUNT;
	dsa_submit(dev, 0, DSA_PORTAL_MSIX, &d);
}

static unsigned int long_members_done(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < LONG_COUNT; i++)
		n += cr(LONG_REC + i)->status == DSA_COMP_SUCCESS;
	return n;
}

/* Wait for the first member; false if it never completes. */
static bool long_batch_started(void)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!cr(LONG_REC)->status && ms_since(&t0) < LONG_LIMIT_MS)
		usleep(1000);
	return cr(LONG_REC)->status;
}

/*
 * The engine works in slices: while a batch of 512 MiB runs, the guest's
 * timers keep firing (each usleep() below needs one) and the guest sees
 * the batch partly done. Drain waits for the descriptor in flight; abort
 * and reset abandon it: no record for it or the batch, the members done
 * before keep theirs, and the WQ's next descriptor runs at once.
 */
static void test_long(struct dsa_dev *dev)
{
	uint64_t *w = (uint64_t *)big;
	unsigned int ticks = 0, partial = 0, done, n;
	struct dsa_hw_desc d;
	struct timespec t0;
	long full, after;
	size_t i;

	for (i = 0; i < LONG_COPY / 8; i++)
		w[i] = (i + 1) * 0x9e3779b97f4a7c15ull;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long_batch_submit(dev);
	while (!cr(1)->status && ms_since(&t0) < LONG_LIMIT_MS) {
		usleep(1000);
		ticks++;
		n = long_members_done();
		if (n && n < LONG_COUNT && !cr(1)->status)
			partial++;
	}
	full = ms_since(&t0);
	printf("# long batch: 512 MiB in %ld ms; %u timer wakeups meanwhile, ",
	       full, ticks);
	printf("%u seeing it partly done\n", partial);
	CHECK_EQ("long batch: success", DSA_COMP_SUCCESS, cr(1)->status);
	CHECK_EQ("long batch: every member's record", LONG_COUNT,
		 long_members_done());
	CHECK("long batch: data copied",
	      !memcmp(big, big + LONG_COPY, LONG_COPY));
	CHECK("long batch: the guest's timers fired while it ran", ticks >= 10);
	CHECK("long batch: the guest saw it partly done", partial > 0);

	long_batch_submit(dev);
	CHECK("drain mid-batch: the batch under way", long_batch_started());
	CHECK_EQ("DRAIN_WQ mid-batch", 0, cmd_err(dev, DSA_CMD_DRAIN_WQ, 1));
	CHECK_EQ("DRAIN_WQ mid-batch: the batch done when it returns",
		 DSA_COMP_SUCCESS, cr(1)->status);

	long_batch_submit(dev);
	CHECK("abort mid-batch: the batch under way", long_batch_started());
	CHECK_EQ("ABORT_WQ mid-batch", 0, cmd_err(dev, DSA_CMD_ABORT_WQ, 1));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	done = long_members_done();
	desc_init(&d, DSA_OPCODE_NOOP, 2, 0);
	CHECK_EQ("after ABORT_WQ: the next descriptor runs", DSA_COMP_SUCCESS,
		 run(dev, 0, DSA_PORTAL_MSIX, &d, 2));
	after = ms_since(&t0);
	printf("# abort: %u of %u members done, next descriptor after %ld ms\n",
	       done, LONG_COUNT, after);
	/* Generous: the abort is proven by the records, not by the clock. */
	CHECK("after ABORT_WQ: the next descriptor sooner than a whole batch",
	      after < full);
	CHECK_EQ("aborted batch: no completion record", 0, cr(1)->status);
	CHECK("aborted batch: stopped mid-way", done && done < LONG_COUNT);
	usleep(200000);
	CHECK_EQ("aborted batch: no member completes after the abort", done,
		 long_members_done());

	/* A reset abandons it too (and leaves WQ 0 unconfigured). */
	long_batch_submit(dev);
	CHECK("reset mid-batch: the batch under way", long_batch_started());
	CHECK_EQ("RESET_WQ mid-batch", 0, cmd_err(dev, DSA_CMD_RESET_WQ, 1));
	done = long_members_done();
	usleep(200000);
	CHECK("RESET_WQ mid-batch: no record, no member completes after it",
	      !cr(1)->status && done < LONG_COUNT &&
	      long_members_done() == done);
}

/* The slow device: one descriptor per 500 ms, so a WQ can fill. */
static void test_slow(struct dsa_dev *dev)
{
	struct dsa_hw_desc d;
	unsigned int i, done;
	uint32_t occ;

	dsa_group_config(dev, 0, 0x1, 0x1);
	dsa_wq_config(dev, 0, 4, 1);
	CHECK_EQ("slow: ENABLE_DEVICE", 0, cmd_err(dev, DSA_CMD_ENABLE_DEVICE, 0));
	CHECK_EQ("slow: ENABLE_WQ", 0, cmd_err(dev, DSA_CMD_ENABLE_WQ, 0));

	for (i = 0; i < 5; i++) {
		desc_init(&d, DSA_OPCODE_NOOP, i, 0);
		dsa_submit(dev, 0, DSA_PORTAL_MSIX, &d);
	}
	occ = DSA_WQCFG_OCCUPANCY(dsa_wqcfg_read(dev, 0, DSA_WQCFG_STATE));
	for (i = 0, done = 0; i < 5; i++)
		done += !!cr(i)->status;
	CHECK_EQ("WQ of 4: occupancy + completed", 4, occ + done);
	CHECK_EQ("WQ full: SWERR names the operation", 0x100 | DSA_OPCODE_NOOP,
		 (dsa_swerr(dev) & DSA_SWERR_DESC_VALID ? 0x100 : 0) |
		 DSA_SWERR_OP(dsa_swerr(dev)));
	check_swerr(dev, "fifth descriptor to a WQ of 4", DSA_SWERR_CODE_WQ_FULL,
		    0);
	for (i = 0; i < 4; i++)
		dsa_wait(cr(i), TIMEOUT_MS);
	for (i = 0, done = 0; i < 4; i++)
		done += cr(i)->status == DSA_COMP_SUCCESS;
	CHECK_EQ("WQ of 4: the four accepted complete", 4, done);
	CHECK_EQ("WQ full: the rejected one never does", 0, cr(4)->status);

	for (i = 0; i < 3; i++) {
		desc_init(&d, DSA_OPCODE_NOOP, i, 0);
		dsa_submit(dev, 0, DSA_PORTAL_MSIX, &d);
	}
	CHECK_EQ("DRAIN_WQ", 0, cmd_err(dev, DSA_CMD_DRAIN_WQ, 1));
	for (i = 0, done = 0; i < 3; i++)
		done += cr(i)->status == DSA_COMP_SUCCESS;
	CHECK_EQ("DRAIN_WQ: all queued complete when it returns", 3, done);

	for (i = 0; i < 3; i++) {
		desc_init(&d, DSA_OPCODE_NOOP, i, 0);
		dsa_submit(dev, 0, DSA_PORTAL_MSIX, &d);
	}
	CHECK_EQ("ABORT_WQ", 0, cmd_err(dev, DSA_CMD_ABORT_WQ, 1));
	CHECK_EQ("ABORT_WQ: occupancy 0", 0,
		 DSA_WQCFG_OCCUPANCY(dsa_wqcfg_read(dev, 0, DSA_WQCFG_STATE)));
	usleep(300000);
	CHECK_EQ("ABORT_WQ: the last queued never completes", 0, cr(2)->status);
	CHECK_EQ("slow: DISABLE_DEVICE", 0,
		 cmd_err(dev, DSA_CMD_DISABLE_DEVICE, 0));
	CHECK_EQ("DISABLE_DEVICE: WQ disabled", 0,
		 DSA_WQCFG_ENABLED(dsa_wqcfg_read(dev, 0, DSA_WQCFG_STATE)));
}

/* Every check but the slow device's; @with_long: the long batch too. */
static int test_device(const char *b, bool with_long)
{
	struct dsa_dev dev;

	bdf = b;
	if (dsa_open(&dev, b)) {
		printf("not ok %s: open %s\n", tag, b);
		return -1;
	}
	if (vfio_dma_map(&dev.v, mem, MEM_IOVA, MEM_SIZE) ||
	    (with_long && vfio_dma_map(&dev.v, big, BIG_IOVA, BIG_SIZE))) {
		printf("not ok %s: VFIO_IOMMU_MAP_DMA: %s\n", tag,
		       strerror(errno));
		return -1;
	}
	test_caps(&dev);
	test_config_errors(&dev);
	test_enable(&dev);
	test_commands(&dev);
	test_copy_ops(&dev);
	test_compare_ops(&dev);
	test_crc_ops(&dev);
	test_batch(&dev);
	test_errors(&dev);
	test_ims(&dev);
	test_pasid(&dev);
	test_wq_states(&dev);
	test_race(&dev);
	if (with_long)
		test_long(&dev);
	test_halt(&dev);
	test_flr(&dev);
	if (with_long)
		CHECK_EQ("VFIO_IOMMU_UNMAP_DMA of the long batch's buffers", 0,
			 vfio_dma_unmap(&dev.v, BIG_IOVA, BIG_SIZE));
	CHECK_EQ("VFIO_IOMMU_UNMAP_DMA", 0,
		 vfio_dma_unmap(&dev.v, MEM_IOVA, MEM_SIZE));
	dsa_close(&dev);
	return 0;
}

int main(int argc, char **argv)
{
	struct dsa_dev slow;
	char name[64];
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s BDF [SLOW-BDF [BDF...]]\n", argv[0]);
		return 2;
	}
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	big = mmap(NULL, BIG_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED || big == MAP_FAILED) {
		printf("not ok dsa: memory for DMA\n");
		return 1;
	}
	if (test_device(argv[1], true))
		return 1;

	if (argc > 2) {
		bdf = argv[2];
		if (dsa_open(&slow, argv[2]) ||
		    vfio_dma_map(&slow.v, mem, MEM_IOVA, MEM_SIZE)) {
			printf("not ok dsa: open %s\n", argv[2]);
			return 1;
		}
		test_slow(&slow);
		dsa_close(&slow);
	}
	for (i = 3; i < argc; i++) {
		snprintf(name, sizeof(name), "dsa %s", argv[i]);
		tag = name;
		if (test_device(argv[i], false))
			return 1;
	}
	return failed ? 1 : 0;
}
