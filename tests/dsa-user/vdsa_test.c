// SPDX-License-Identifier: GPL-2.0
/*
 * vdsa_test [OPTIONS] UUID PART...: drive one mediated device of idxd_mdev
 * (a virtual DSA, Documentation/vidxd-model.rst) through VFIO as a
 * guest's driver behind a VMM would, and check what it does. This
 * process is the VMM: a KVM VM (no vCPU) whose memory slots are the DMA
 * buffers at GPA == IOVA, the same buffers mapped in the VFIO container,
 * the group added to KVM's VFIO pseudo-device before the device opens.
 *
 * PARTs, run in the order given (each part but nokvm starts from what the
 * earlier ones left, and those that need an enabled device reset and
 * bring it up themselves):
 *   nokvm    the device refuses to open without KVM (ESRCH)
 *   info     VFIO_DEVICE_GET_INFO, the regions and their sparse-mmap
 *            capability, the IRQs; the config space and registers a guest
 *            driver probes
 *   abi      VFIO's refusals, each with its errno
 *   ops      the guest driver's bring-up, commands, and descriptors
 *            (MOVDIR64B to the portals) with completion records and
 *            interrupts on vector 1's eventfd
 *   moreops  the model's other operations through the portal: DRAIN,
 *            MEMMOVE overlapping, DUALCAST, COMPVAL, CRCGEN, COPY_CRC,
 *            BATCH, each with its completion interrupt
 *   confine  descriptors on memory outside the VM's slots fault and
 *            write nothing; after VFIO_IOMMU_UNMAP_DMA a buffer faults
 *   hostile  10^4 random config/BAR0 accesses, commands and descriptors,
 *            then VFIO_DEVICE_RESET, and the device works again
 *   req      wait for the request interrupt (the instance being removed
 *            while open); /tmp/vdsa-UUID.ready says when to remove it
 *   zap      the portal page stays mapped between descriptors, and a
 *            reset zaps it: the next access faults it in again (the
 *            instance's portal_faults in debugfs)
 *   resetbusy VFIO_DEVICE_RESET with descriptors queued on a slow WQ:
 *            the WQ stops, the queued work is dropped, the device works
 *            again
 *   hold     bring the device up, publish vector 1's interrupt handle in
 *            /tmp/vdsa-UUID.handle, wait as req does, and check that no
 *            completion interrupt came meanwhile
 *   peer     with VDSA_PEER=UUID of an instance in hold on the same
 *            parent: a descriptor naming that instance's handle fires
 *            nothing (INT_HANDLE_INVAL), neither there nor here
 *   swerr    a descriptor the device refuses (a misaligned completion
 *            record): the host's software error reaches this device's
 *            SWERR, naming its WQ 0, with vector 0; the WQ works on
 *   halt     wait (/tmp/vdsa-UUID.ready) for the parent to halt: the
 *            device halts too, with vector 0; a reset brings it back
 *   viommu   the container holds the VM's memory at other addresses than
 *            its GPAs (as behind a guest vIOMMU in translating mode):
 *            ENABLE_WQ is refused; mapped back at GPA == IOVA, it stays
 *            refused until the memslots change; then it works
 *   busy     instead of the VMM's open: the device refuses this VM
 *            (EBUSY: the parent's DMA belongs to another VM, pf mode)
 *
 * OPTIONS: --seed N (the data and the hostile part's randomness; two
 * processes on two instances use two seeds), --count (print the number of
 * result lines the PARTs print, and exit), --pci (UUID is the BDF of a
 * function bound to vfio-pci: to try this program on the QEMU DSA model,
 * whose WQ 0 it configures first; the checks of what only the virtual
 * device is or does fail there).
 *
 * Prints TAP result lines (tap.h); the exit status is the number of
 * failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dsa.h"
#include "kvm.h"
#include "tap.h"

/* The VM's memory: slots and DMA mappings (see open_instance()). */
#define MEM_SIZE	(4u << 20)		/* slot 0 and DMA */
#define MEM_IOVA	0x100000000ull
#define CANARY_SIZE	(64u << 10)		/* DMA only, in no slot */
#define CANARY_IOVA	0x180000000ull
#define SLOTONLY_SIZE	(64u << 10)		/* slot 1, not for DMA */
#define SLOTONLY_IOVA	0x1c0000000ull
#define UNMAP_SIZE	(64u << 10)		/* slot 2 and DMA, unmapped */
#define UNMAP_IOVA	0x1e0000000ull
#define NOWHERE_IOVA	0x300000000ull		/* in nothing at all */

/* Inside MEM: completion records (32 bytes each), buffers. */
#define CR_AREA		0x0
#define BUF_A		0x10000
#define BUF_B		0x30000
#define BUF_C		0x50000
#define BATCH_LIST	0x8000			/* moreops' batch */
#define SCRATCH		0x70000			/* the hostile part's */
#define SCRATCH_SIZE	0x10000

#define CANARY_BYTE	0x5a
#define TIMEOUT_MS	5000
#define QUIET_MS	200
#define HOSTILE_OPS	10000
#define REQ_WAIT_MS	60000

/* What the virtual device is (vidxd_regs.h, vidxd-model.rst). */
#define VIDXD_BAR0_SIZE		0x2000
#define VIDXD_BAR2_SIZE		0x2000
#define VIDXD_CFG_SIZE		0x1000
#define VIDXD_CAP_MSIX		0x40
#define VIDXD_CAP_PCIE		0x50
#define VIDXD_MSIX_PERM		0x300
#define VIDXD_GRPCFG		0x400
#define VIDXD_WQCFG		0x500
#define VIDXD_MSIX_TABLE	0x600
#define VIDXD_MSIX_PBA		0x700
#define VIDXD_NR_VECTORS	2
#define PORTAL_PAGE		0x1000

#define CMD_ERR_INVAL_INT_IDX	0x41
#define CMD_ERR_NO_HANDLE	0x42

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define REGION_OFFSET(i)	((uint64_t)(i) << 40)

static struct kvm_vm vm;
static struct dsa_dev dev;
static uint8_t *mem, *canary, *slotonly, *unmapbuf;
static bool unmapbuf_mapped, pci_mode;
static const char *name;		/* the UUID (or BDF with --pci) */
static unsigned int seed = 1;
static uint32_t handle;			/* vector 1's interrupt handle */
static uint32_t version0;		/* VERSION, read at open */
static uint64_t vec1_expected;		/* completion interrupts asked for */
static char tag[96];

static void set_tag(const char *part)
{
	/* A UUID's first group tells two instances apart; a BDF is short. */
	snprintf(tag, sizeof(tag), "vdsa %.*s %s", pci_mode ? 12 : 8, name,
		 part);
	tap_tag = tag;
}

static uint64_t iova(const volatile void *p)
{
	return MEM_IOVA + ((const volatile uint8_t *)p - mem);
}

static volatile struct dsa_completion_record *cr(unsigned int i)
{
	return (volatile struct dsa_completion_record *)(mem + CR_AREA +
							  i * 32);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t b)
{
	while (n--)
		if (*p++ != b)
			return false;
	return true;
}

/* ---- the device's registers and config space ----------------------- */

static uint32_t cmd_err(enum dsa_cmd c, uint32_t operand)
{
	return DSA_CMDSTS_ERR(dsa_cmd(&dev, c, operand));
}

static unsigned int cap_of(unsigned int id)
{
	unsigned int p = vfio_cfg_read(&dev.v, PCI_CAPABILITY_LIST, 1), n;

	for (n = 0; p && n < 48; n++) {
		if (vfio_cfg_read(&dev.v, p, 1) == id)
			return p;
		p = vfio_cfg_read(&dev.v, p + 1, 1) & ~3u;
	}
	return 0;
}

static uint64_t msix_entry(unsigned int vec)
{
	return VIDXD_MSIX_TABLE + vec * PCI_MSIX_ENTRY_SIZE;
}

static void msix_mask(unsigned int vec, bool masked)
{
	dsa_write(&dev, msix_entry(vec) + PCI_MSIX_ENTRY_VECTOR_CTRL, 4,
		  masked);
}

static unsigned int wq_state(void)
{
	return DSA_WQCFG_ENABLED(dsa_wqcfg_read(&dev, 0, DSA_WQCFG_STATE));
}

/* ---- descriptors ---------------------------------------------------- */

/* A descriptor with completion record #@rec, an interrupt if @irq. */
static void desc_init(struct dsa_hw_desc *d, uint8_t op, unsigned int rec,
		      bool irq)
{
	memset(d, 0, sizeof(*d));
	memset((void *)cr(rec), 0, 32);
	d->opcode = op;
	d->flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
	if (irq) {
		d->flags |= IDXD_OP_FLAG_RCI;
		d->int_handle = handle;
	}
	d->completion_addr = iova(cr(rec));
}

static void desc_xfer(struct dsa_hw_desc *d, uint8_t op, uint64_t src,
		      uint64_t dst, uint32_t size, bool irq)
{
	desc_init(d, op, 0, irq);
	d->src_addr = src;
	d->dst_addr = dst;
	d->xfer_size = size;
}

/* Submit with MOVDIR64B to portal page @page of WQ 0; wait for record. */
static int run_on(const struct dsa_hw_desc *d, unsigned int page,
		  unsigned int rec)
{
	dsa_movdir64b(dev.portals + page * PORTAL_PAGE, d);
	return dsa_wait(cr(rec), TIMEOUT_MS);
}

static int run(const struct dsa_hw_desc *d)
{
	return run_on(d, 0, 0);
}

/*
 * Run a descriptor that asks for a completion interrupt, and check that
 * vector 1's eventfd counted it: one result line.
 */
static int run_irq_on(const struct dsa_hw_desc *d, unsigned int page,
		      const char *what)
{
	char n[128];
	int st;

	vec1_expected++;
	st = run_on(d, page, 0);
	snprintf(n, sizeof(n), "%s: completion interrupt on vector 1", what);
	tap_result(!vfio_irq_wait(&dev.v, 1, vec1_expected, TIMEOUT_MS), n,
		   "eventfd counted %llu, want %llu",
		   (unsigned long long)vfio_irq_count(&dev.v, 1),
		   (unsigned long long)vec1_expected);
	return st;
}

static int run_irq(const struct dsa_hw_desc *d, const char *what)
{
	return run_irq_on(d, 0, what);
}

/* ---- bring-up -------------------------------------------------------- */

/*
 * The QEMU model's function (--pci) has no configuration of its own: set
 * up WQ 0 as idxd_mdev's parent would (dedicated, priority 1, engine 0).
 */
static void pci_configure(void)
{
	dsa_group_config(&dev, 0, 0x1, 0x1);
	dsa_wq_config(&dev, 0, 16, 1);
}

struct step {
	bool verbose;
	char failed[160];	/* the first failed step when quiet */
};

static void step(struct step *s, bool ok, const char *what, const char *why)
{
	if (s->verbose)
		tap_result(ok, what, "%s", why);
	else if (!ok && !s->failed[0])
		snprintf(s->failed, sizeof(s->failed), "%s: %s", what, why);
}

/* A command as a step: it must complete without error. */
static uint32_t step_cmd(struct step *s, const char *what, enum dsa_cmd c,
			 uint32_t operand)
{
	uint32_t sts = dsa_cmd(&dev, c, operand);
	char why[64];

	snprintf(why, sizeof(why), "CMDSTS %#x", sts);
	step(s, !DSA_CMDSTS_ERR(sts), what, why);
	return sts;
}

/*
 * What a guest driver does from reset to a WQ taking descriptors: reset,
 * bus master, MSI-X on (config space, eventfds, table entries unmasked),
 * error interrupts on, ENABLE_DEVICE, an interrupt handle for vector 1,
 * ENABLE_WQ. Verbose: BRINGUP_CHECKS result lines; quiet: one.
 */
#define BRINGUP_CHECKS	12
static void bring_up(bool verbose)
{
	struct step s = { .verbose = verbose };
	unsigned int msix = cap_of(PCI_CAP_ID_MSIX), vec;
	uint32_t ctl, sts;
	bool ok;

	step(&s, !vfio_reset(&dev.v), "VFIO_DEVICE_RESET", strerror(errno));
	step(&s, dsa_state(&dev) == DSA_DISABLED, "GENSTS: disabled",
	     "not disabled after reset");
	dsa_bus_master(&dev, true);
	step(&s, vfio_cfg_read(&dev.v, PCI_COMMAND, 2) & PCI_COMMAND_MASTER,
	     "bus master on", "PCI_COMMAND.MASTER reads 0");
	ctl = msix ? vfio_cfg_read(&dev.v, msix + PCI_MSIX_FLAGS, 2) : 0;
	vfio_cfg_write(&dev.v, msix + PCI_MSIX_FLAGS, 2,
		       (ctl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
	step(&s, msix && vfio_cfg_read(&dev.v, msix + PCI_MSIX_FLAGS, 2) &
	     PCI_MSIX_FLAGS_ENABLE, "MSI-X enabled in config space",
	     "no MSI-X capability, or its enable bit reads 0");
	vfio_msix_disable(&dev.v);
	step(&s, !vfio_msix_enable(&dev.v, VIDXD_NR_VECTORS),
	     "VFIO_DEVICE_SET_IRQS: eventfds on MSI-X vectors 0 and 1",
	     strerror(errno));
	ok = true;
	for (vec = 0; vec < VIDXD_NR_VECTORS; vec++) {
		dsa_write(&dev, msix_entry(vec), 8, 0xfee00000);
		dsa_write(&dev, msix_entry(vec) + 8, 4, 0x40 + vec);
		msix_mask(vec, false);
		ok = ok && !(dsa_read(&dev, msix_entry(vec) +
				      PCI_MSIX_ENTRY_VECTOR_CTRL, 4) & 1);
	}
	step(&s, ok, "MSI-X table: vectors 0 and 1 unmasked",
	     "a mask bit still reads 1");
	dsa_write(&dev, DSA_GENCTRL, 4, DSA_GENCTRL_SOFTERR | DSA_GENCTRL_HALT);
	step(&s, dsa_read(&dev, DSA_GENCTRL, 4) ==
	     (DSA_GENCTRL_SOFTERR | DSA_GENCTRL_HALT),
	     "GENCTRL: error and halt interrupts on", "GENCTRL did not take");
	/* After the table: the model has its WQCFG where vidxd's table is. */
	if (pci_mode)
		pci_configure();
	step_cmd(&s, "ENABLE_DEVICE", DSA_CMD_ENABLE_DEVICE, 0);
	step(&s, dsa_state(&dev) == DSA_ENABLED, "GENSTS: enabled",
	     "not enabled");
	sts = step_cmd(&s, "REQUEST_INT_HANDLE vector 1",
		       DSA_CMD_REQUEST_INT_HANDLE, 1);
	handle = DSA_CMDSTS_RESULT(sts);
	step_cmd(&s, "ENABLE_WQ 0", DSA_CMD_ENABLE_WQ, 0);
	step(&s, wq_state() == 1, "WQCFG: WQ 0 enabled", "not enabled");
	/* The eventfds are new: no interrupt asked for yet. */
	vec1_expected = 0;
	if (!verbose)
		tap_result(!s.failed[0], "device brought up", "%s",
			   s.failed);
}

/* ---- nokvm ----------------------------------------------------------- */

#define NOKVM_CHECKS	1
static void part_nokvm(void)
{
	struct vfio_dev v;

	CHECK_ERRNO("without KVM the device does not open: ESRCH", ESRCH,
		    pci_mode ? vfio_open_pci(&v, name, NULL, NULL) :
			       vfio_open_mdev(&v, name, NULL, NULL));
	if (v.device >= 0)
		vfio_close(&v);
}

/* ---- info ------------------------------------------------------------ */

/* The PCI device ID of the parent function (or of the function itself). */
static unsigned long parent_device_id(void)
{
	char path[PATH_MAX], buf[32] = "";
	FILE *f;

	if (pci_mode)
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device",
			 name);
	else
		snprintf(path, sizeof(path),
			 "/sys/bus/mdev/devices/%s/../device", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoul(buf, NULL, 16);
}

static void region_checks(void)
{
	static const unsigned int empty[] = {
		VFIO_PCI_BAR1_REGION_INDEX, VFIO_PCI_BAR3_REGION_INDEX,
		VFIO_PCI_BAR4_REGION_INDEX, VFIO_PCI_BAR5_REGION_INDEX,
		VFIO_PCI_ROM_REGION_INDEX,
	};
	struct vfio_region r;
	unsigned int i, bad = ~0u;
	char n[64];

	vfio_region_info(&dev.v, VFIO_PCI_CONFIG_REGION_INDEX, &r);
	CHECK_EQ("config region: 4 KiB", VIDXD_CFG_SIZE, r.size);
	CHECK_EQ("config region: read, write", VFIO_REGION_INFO_FLAG_READ |
		 VFIO_REGION_INFO_FLAG_WRITE, r.flags);
	vfio_region_info(&dev.v, VFIO_PCI_BAR0_REGION_INDEX, &r);
	CHECK_EQ("BAR0 region: 8 KiB", VIDXD_BAR0_SIZE, r.size);
	CHECK_EQ("BAR0 region: read, write (no mmap)",
		 VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		 r.flags);
	CHECK_OK("BAR2 region info (capabilities parsed)",
		 vfio_region_info(&dev.v, VFIO_PCI_BAR2_REGION_INDEX, &r));
	CHECK_EQ("BAR2 region: 8 KiB", VIDXD_BAR2_SIZE, r.size);
	CHECK_EQ("BAR2 region: mmap (read, write) and capabilities",
		 VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		 VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS,
		 r.flags);
	CHECK("BAR2 region: a sparse-mmap capability", r.sparse);
	CHECK_EQ("BAR2 sparse mmap: two areas", 2, r.nareas);
	CHECK("BAR2 sparse area 0: the unlimited portal {0, 0x1000}",
	      r.areas[0].offset == 0 && r.areas[0].size == PORTAL_PAGE);
	CHECK("BAR2 sparse area 1: the limited portal {0x1000, 0x1000}",
	      r.areas[1].offset == PORTAL_PAGE &&
	      r.areas[1].size == PORTAL_PAGE);
	for (i = 0; i < ARRAY_SIZE(empty); i++) {
		snprintf(n, sizeof(n), "region %u: size 0", empty[i]);
		vfio_region_info(&dev.v, empty[i], &r);
		CHECK_EQ(n, 0, r.size);
	}
	for (i = 0; i <= VFIO_PCI_CONFIG_REGION_INDEX; i++) {
		vfio_region_info(&dev.v, i, &r);
		if (r.offset != REGION_OFFSET(i) && bad == ~0u)
			bad = i;
	}
	tap_result(bad == ~0u, "every region at its index << 40",
		   "region %u is not", bad);
}

static int irq_info(unsigned int index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(dev.v.device, VFIO_DEVICE_GET_IRQ_INFO, info);
}

static void irq_checks(void)
{
	struct vfio_irq_info info;

	irq_info(VFIO_PCI_INTX_IRQ_INDEX, &info);
	CHECK_EQ("INTx: no interrupts", 0, info.count);
	irq_info(VFIO_PCI_MSI_IRQ_INDEX, &info);
	CHECK_EQ("MSI: no interrupts", 0, info.count);
	irq_info(VFIO_PCI_ERR_IRQ_INDEX, &info);
	CHECK_EQ("ERR: no interrupts", 0, info.count);
	irq_info(VFIO_PCI_MSIX_IRQ_INDEX, &info);
	CHECK_EQ("MSI-X: 2 vectors", 2, info.count);
	CHECK_EQ("MSI-X: eventfd, no resize", VFIO_IRQ_INFO_EVENTFD |
		 VFIO_IRQ_INFO_NORESIZE, info.flags);
	irq_info(VFIO_PCI_REQ_IRQ_INDEX, &info);
	CHECK_EQ("REQ: 1 interrupt", 1, info.count);
	CHECK("REQ: eventfd", info.flags & VFIO_IRQ_INFO_EVENTFD);
}

static void config_checks(void)
{
	unsigned int msix = cap_of(PCI_CAP_ID_MSIX);
	uint32_t table, pba;

	CHECK_EQ("config: Intel", 0x8086,
		 vfio_cfg_read(&dev.v, PCI_VENDOR_ID, 2));
	CHECK_EQ("config: the parent's device ID", parent_device_id(),
		 vfio_cfg_read(&dev.v, PCI_DEVICE_ID, 2));
	CHECK_EQ("config: class 0x088000", 0x088000,
		 vfio_cfg_read(&dev.v, PCI_CLASS_REVISION, 4) >> 8);
	vfio_cfg_write(&dev.v, PCI_VENDOR_ID, 2, 0xffff);
	CHECK_EQ("config: the vendor ID is read-only", 0x8086,
		 vfio_cfg_read(&dev.v, PCI_VENDOR_ID, 2));
	CHECK("config: a capability list",
	      vfio_cfg_read(&dev.v, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	CHECK_EQ("config: MSI-X capability at 0x40", VIDXD_CAP_MSIX, msix);
	CHECK_EQ("MSI-X: table of 2 vectors", VIDXD_NR_VECTORS - 1,
		 vfio_cfg_read(&dev.v, msix + PCI_MSIX_FLAGS, 2) &
		 PCI_MSIX_FLAGS_QSIZE);
	table = vfio_cfg_read(&dev.v, msix + PCI_MSIX_TABLE, 4);
	pba = vfio_cfg_read(&dev.v, msix + PCI_MSIX_PBA, 4);
	CHECK_EQ("MSI-X: table in BAR0 at 0x600", VIDXD_MSIX_TABLE, table);
	CHECK_EQ("MSI-X: PBA in BAR0 at 0x700", VIDXD_MSIX_PBA, pba);
	CHECK_EQ("config: PCI Express capability at 0x50", VIDXD_CAP_PCIE,
		 cap_of(PCI_CAP_ID_EXP));
	CHECK_EQ("config: no extended capabilities", 0,
		 vfio_cfg_read(&dev.v, 0x100, 4));
}

static void register_checks(void)
{
	uint64_t table;

	dsa_read_caps(&dev);
	table = dsa_read(&dev, DSA_TABLE, 8);
	CHECK("GENCAP: cmd_cap", dev.gencap & DSA_GENCAP_CMD_CAP);
	CHECK("GENCAP: no config_en (the host configures)",
	      !(dev.gencap & BIT_ULL(31)));
	CHECK_EQ("WQCAP: one WQ", 1, dev.num_wqs);
	CHECK("WQCAP: dedicated mode", dev.wqcap & BIT_ULL(49));
	CHECK_EQ("GRPCAP: one group", 1, dev.num_groups);
	CHECK_EQ("TABLE: GRPCFG 0x400, WQCFG 0x500, MSI-X permissions 0x300, no IMS",
		 (VIDXD_GRPCFG >> 8) | (VIDXD_WQCFG >> 8) << 16 |
		 (uint64_t)(VIDXD_MSIX_PERM >> 8) << 32,
		 table);
	CHECK_EQ("CMDCAP: commands 1..14", 0x7ffe, dev.cmdcap);
	CHECK_EQ("WQCFG: WQ 0 has the whole WQ size", dev.total_wq_size,
		 dsa_wqcfg_read(&dev, 0, DSA_WQCFG_SIZE) & 0xffff);
	CHECK("WQCFG: WQ 0 dedicated",
	      dsa_wqcfg_read(&dev, 0, DSA_WQCFG_MODE) & DSA_WQCFG_DEDICATED);
	CHECK_EQ("GENSTS: disabled", DSA_DISABLED, dsa_state(&dev));
}

#define INFO_CHECKS	50
static void part_info(void)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	CHECK_OK("VFIO_DEVICE_GET_INFO",
		 ioctl(dev.v.device, VFIO_DEVICE_GET_INFO, &info));
	CHECK_EQ("device flags: PCI, reset", VFIO_DEVICE_FLAGS_PCI |
		 VFIO_DEVICE_FLAGS_RESET, info.flags);
	CHECK_EQ("VFIO_PCI_NUM_REGIONS regions", VFIO_PCI_NUM_REGIONS,
		 info.num_regions);
	CHECK_EQ("VFIO_PCI_NUM_IRQS interrupt indexes", VFIO_PCI_NUM_IRQS,
		 info.num_irqs);
	region_checks();
	irq_checks();
	CHECK_OK("VFIO_DEVICE_RESET before probing", vfio_reset(&dev.v));
	config_checks();
	register_checks();
}

/* ---- abi ------------------------------------------------------------- */

static long dev_pread(unsigned int index, uint64_t off, size_t n)
{
	uint8_t buf[16];

	return pread(dev.v.device, buf, n, REGION_OFFSET(index) + off);
}

static long dev_pwrite(unsigned int index, uint64_t off, size_t n)
{
	uint8_t buf[16] = { 0 };

	return pwrite(dev.v.device, buf, n, REGION_OFFSET(index) + off);
}

/* mmap of @len bytes at @off in region @index; unmapped again. */
static long dev_mmap(unsigned int index, uint64_t off, size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags,
		       dev.v.device, REGION_OFFSET(index) + off);

	if (p == MAP_FAILED)
		return -1;
	munmap(p, len);
	return 0;
}

static long set_irqs(uint32_t argsz, uint32_t flags, uint32_t index,
		     uint32_t start, uint32_t count, int32_t fd)
{
	struct {
		struct vfio_irq_set set;
		int32_t fds[4];
	} b;
	unsigned int i;

	memset(&b, 0, sizeof(b));
	b.set.argsz = argsz;
	b.set.flags = flags;
	b.set.index = index;
	b.set.start = start;
	b.set.count = count;
	for (i = 0; i < 4; i++)
		b.fds[i] = fd;
	return ioctl(dev.v.device, VFIO_DEVICE_SET_IRQS, &b);
}

#define TRIGGER_EVENTFD	(VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER)
#define SET_ONE		(sizeof(struct vfio_irq_set) + sizeof(int32_t))
#define SET_TWO		(sizeof(struct vfio_irq_set) + 2 * sizeof(int32_t))

#define ABI_CHECKS	43
static void part_abi(void)
{
	struct vfio_device_info dinfo = { .argsz = 15 };
	struct vfio_region_info rinfo = { .argsz = 31 };
	struct vfio_irq_info iinfo = { .argsz = 15 };
	int efd = eventfd(0, EFD_CLOEXEC), null = open("/dev/null", O_RDWR);
	const unsigned int cfg = VFIO_PCI_CONFIG_REGION_INDEX;
	const unsigned int bar0 = VFIO_PCI_BAR0_REGION_INDEX;
	const unsigned int bar2 = VFIO_PCI_BAR2_REGION_INDEX;
	const unsigned int msix = VFIO_PCI_MSIX_IRQ_INDEX;
	long ret;

	CHECK_ERRNO("GET_INFO, argsz short: EINVAL", EINVAL,
		    ioctl(dev.v.device, VFIO_DEVICE_GET_INFO, &dinfo));
	CHECK_ERRNO("GET_REGION_INFO, argsz short: EINVAL", EINVAL,
		    ioctl(dev.v.device, VFIO_DEVICE_GET_REGION_INFO, &rinfo));
	rinfo.argsz = sizeof(rinfo);
	rinfo.index = VFIO_PCI_NUM_REGIONS;
	CHECK_ERRNO("GET_REGION_INFO, index 9: EINVAL", EINVAL,
		    ioctl(dev.v.device, VFIO_DEVICE_GET_REGION_INFO, &rinfo));
	rinfo.index = 0x7fffffff;
	CHECK_ERRNO("GET_REGION_INFO, index 0x7fffffff: EINVAL", EINVAL,
		    ioctl(dev.v.device, VFIO_DEVICE_GET_REGION_INFO, &rinfo));
	CHECK_ERRNO("GET_IRQ_INFO, argsz short: EINVAL", EINVAL,
		    ioctl(dev.v.device, VFIO_DEVICE_GET_IRQ_INFO, &iinfo));
	iinfo.argsz = sizeof(iinfo);
	iinfo.index = VFIO_PCI_NUM_IRQS;
	CHECK_ERRNO("GET_IRQ_INFO, index 5: EINVAL", EINVAL,
		    ioctl(dev.v.device, VFIO_DEVICE_GET_IRQ_INFO, &iinfo));
	CHECK_ERRNO("unknown device ioctl: ENOTTY", ENOTTY,
		    ioctl(dev.v.device, _IO(VFIO_TYPE, VFIO_BASE + 99)));

	CHECK_ERRNO("config read past the end: EINVAL", EINVAL,
		    dev_pread(cfg, VIDXD_CFG_SIZE, 4));
	CHECK_ERRNO("config read across the end: EINVAL", EINVAL,
		    dev_pread(cfg, VIDXD_CFG_SIZE - 2, 4));
	CHECK_ERRNO("config write past the end: EINVAL", EINVAL,
		    dev_pwrite(cfg, VIDXD_CFG_SIZE, 4));
	CHECK_ERRNO("BAR0 read past the end: EINVAL", EINVAL,
		    dev_pread(bar0, VIDXD_BAR0_SIZE, 4));
	CHECK_ERRNO("BAR0 write across the end: EINVAL", EINVAL,
		    dev_pwrite(bar0, VIDXD_BAR0_SIZE - 4, 8));
	CHECK_ERRNO("BAR0 misaligned read: EINVAL", EINVAL,
		    dev_pread(bar0, DSA_GENCAP + 1, 4));
	CHECK_ERRNO("BAR0 read of 3 bytes: EINVAL", EINVAL,
		    dev_pread(bar0, DSA_GENCAP, 3));
	CHECK_ERRNO("BAR0 read of 16 bytes: EINVAL", EINVAL,
		    dev_pread(bar0, DSA_GENCAP, 16));
	CHECK_ERRNO("BAR1 (none) read: EINVAL", EINVAL,
		    dev_pread(VFIO_PCI_BAR1_REGION_INDEX, 0, 4));
	CHECK_ERRNO("BAR2 read: EINVAL (mmap only)", EINVAL,
		    dev_pread(bar2, 0, 8));
	CHECK_ERRNO("BAR2 write: EINVAL (mmap only)", EINVAL,
		    dev_pwrite(bar2, 0, 8));
	CHECK_ERRNO("read at region index 9: EINVAL", EINVAL,
		    dev_pread(VFIO_PCI_NUM_REGIONS, 0, 4));

	CHECK_ERRNO("mmap of BAR0: EINVAL", EINVAL,
		    dev_mmap(bar0, 0, PORTAL_PAGE, MAP_SHARED));
	CHECK_ERRNO("mmap of config space: EINVAL", EINVAL,
		    dev_mmap(cfg, 0, PORTAL_PAGE, MAP_SHARED));
	CHECK_ERRNO("mmap of BAR2, MAP_PRIVATE: EINVAL", EINVAL,
		    dev_mmap(bar2, 0, PORTAL_PAGE, MAP_PRIVATE));
	CHECK_ERRNO("mmap of BAR2, larger than it: EINVAL", EINVAL,
		    dev_mmap(bar2, 0, 3 * PORTAL_PAGE, MAP_SHARED));
	CHECK_ERRNO("mmap of BAR2, past its end: EINVAL", EINVAL,
		    dev_mmap(bar2, VIDXD_BAR2_SIZE, PORTAL_PAGE, MAP_SHARED));
	CHECK_ERRNO("mmap of BAR2, across its end: EINVAL", EINVAL,
		    dev_mmap(bar2, PORTAL_PAGE, 2 * PORTAL_PAGE, MAP_SHARED));
	CHECK_OK("mmap of the limited portal alone",
		 dev_mmap(bar2, PORTAL_PAGE, PORTAL_PAGE, MAP_SHARED));

	CHECK_ERRNO("SET_IRQS, argsz short: EINVAL", EINVAL,
		    set_irqs(sizeof(struct vfio_irq_set) - 1, TRIGGER_EVENTFD,
			     msix, 0, 1, efd));
	CHECK_ERRNO("SET_IRQS, index 5: EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD, VFIO_PCI_NUM_IRQS, 0, 1,
			     efd));
	CHECK_ERRNO("SET_IRQS, INTx (none): EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD, VFIO_PCI_INTX_IRQ_INDEX,
			     0, 1, efd));
	CHECK_ERRNO("SET_IRQS, MSI (none): EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD, VFIO_PCI_MSI_IRQ_INDEX,
			     0, 1, efd));
	CHECK_ERRNO("SET_IRQS, MSI-X start 2: EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD, msix, 2, 1, efd));
	CHECK_ERRNO("SET_IRQS, MSI-X start 1, count 2: EINVAL", EINVAL,
		    set_irqs(SET_TWO, TRIGGER_EVENTFD, msix, 1, 2, efd));
	CHECK_ERRNO("SET_IRQS, MSI-X count 3: EINVAL", EINVAL,
		    set_irqs(SET_TWO + 4, TRIGGER_EVENTFD, msix, 0, 3, efd));
	CHECK_ERRNO("SET_IRQS, two data types: EINVAL", EINVAL,
		    set_irqs(SET_ONE, VFIO_IRQ_SET_DATA_NONE |
			     VFIO_IRQ_SET_DATA_BOOL |
			     VFIO_IRQ_SET_ACTION_TRIGGER, msix, 0, 1, efd));
	/* vfio-pci says ENOTTY (no handler for it), the common check EINVAL. */
	errno = 0;
	ret = set_irqs(SET_ONE, VFIO_IRQ_SET_DATA_NONE |
		       VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_TRIGGER,
		       msix, 0, 1, efd);
	tap_result(ret == -1 && (errno == EINVAL || errno == ENOTTY),
		   "SET_IRQS, two actions: EINVAL or ENOTTY",
		   "got %ld and %s", ret, strerrorname(errno));
	CHECK_ERRNO("SET_IRQS, an unknown flag: EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD | 1u << 6, msix, 0, 1,
			     efd));
	CHECK_ERRNO("SET_IRQS, 2 eventfds in room for 1: EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD, msix, 0, 2, efd));
	CHECK_ERRNO("SET_IRQS, a file that is no eventfd: EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD, msix, 0, 1, null));
	CHECK_ERRNO("SET_IRQS, REQ count 2: EINVAL", EINVAL,
		    set_irqs(SET_TWO, TRIGGER_EVENTFD, VFIO_PCI_REQ_IRQ_INDEX,
			     0, 2, efd));
	CHECK_ERRNO("SET_IRQS, ERR (none): EINVAL", EINVAL,
		    set_irqs(SET_ONE, TRIGGER_EVENTFD, VFIO_PCI_ERR_IRQ_INDEX,
			     0, 1, efd));
	CHECK_OK("SET_IRQS, MSI-X off (no data, count 0)",
		 set_irqs(sizeof(struct vfio_irq_set), VFIO_IRQ_SET_DATA_NONE |
			  VFIO_IRQ_SET_ACTION_TRIGGER, msix, 0, 0, -1));
	vfio_msix_disable(&dev.v);
	CHECK_OK("SET_IRQS, MSI-X eventfds on both vectors",
		 vfio_msix_enable(&dev.v, VIDXD_NR_VECTORS));
	CHECK_EQ("the device still answers: VERSION as at open", version0,
		 dsa_read(&dev, DSA_VERSION, 4));
	close(efd);
	close(null);
}

/* ---- ops ------------------------------------------------------------- */

static void ops_commands(void)
{
	uint64_t v0 = vfio_irq_count(&dev.v, 0);

	CHECK_EQ("REQUEST_INT_HANDLE vector 0: INVAL_INT_IDX",
		 CMD_ERR_INVAL_INT_IDX,
		 cmd_err(DSA_CMD_REQUEST_INT_HANDLE, 0));
	CHECK_EQ("REQUEST_INT_HANDLE of an IMS entry: NO_HANDLE",
		 CMD_ERR_NO_HANDLE, cmd_err(DSA_CMD_REQUEST_INT_HANDLE,
					    DSA_CMD_INT_HANDLE_IMS | 1));
	dsa_write(&dev, DSA_INTCAUSE, 4, ~0u);
	dsa_write(&dev, DSA_CMD, 4, DSA_CMD_INT_REQ |
		  (DSA_CMD_DRAIN_ALL << 20));
	CHECK("command with int_req: vector 0's eventfd",
	      !vfio_irq_wait(&dev.v, 0, v0 + 1, TIMEOUT_MS));
	CHECK("command with int_req: INTCAUSE.CMD",
	      dsa_read(&dev, DSA_INTCAUSE, 4) & DSA_INTC_CMD);
	dsa_write(&dev, DSA_INTCAUSE, 4, DSA_INTC_CMD);
	CHECK_EQ("INTCAUSE is write-1-to-clear", 0,
		 dsa_read(&dev, DSA_INTCAUSE, 4) & DSA_INTC_CMD);
}

static void ops_descriptors(void)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B, *c = mem + BUF_C;
	struct dsa_hw_desc d;
	uint8_t want[4096];
	int st;

	desc_init(&d, DSA_OPCODE_NOOP, 0, true);
	CHECK_EQ("NOOP: success", DSA_COMP_SUCCESS, run_irq(&d, "NOOP"));

	/* Unaligned, across pages. */
	dsa_fill_random(a, 8192, seed);
	memset(b, 0, 8192);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a + 3), iova(b + 5), 6000,
		  true);
	st = run_irq(&d, "MEMMOVE");
	CHECK_EQ("MEMMOVE: success", DSA_COMP_SUCCESS, st);
	CHECK("MEMMOVE: data", !memcmp(a + 3, b + 5, 6000) && !b[4] &&
	      !b[6005]);

	memset(c, 0, 4096 + 128);
	desc_init(&d, DSA_OPCODE_MEMFILL, 0, true);
	d.pattern = 0x0123456789abcdefull ^ seed;
	d.dst_addr = iova(c + 64);
	d.xfer_size = 4096;
	st = run_irq(&d, "MEMFILL");
	CHECK_EQ("MEMFILL: success", DSA_COMP_SUCCESS, st);
	for (st = 0; st < 4096; st += 8)
		memcpy(want + st, &d.pattern, 8);
	CHECK("MEMFILL: data", !memcmp(c + 64, want, 4096) && !c[63] &&
	      !c[64 + 4096]);

	memcpy(b, a, 4096);
	desc_xfer(&d, DSA_OPCODE_COMPARE, iova(a), iova(b), 4096, true);
	d.src2_addr = iova(b);
	st = run_irq(&d, "COMPARE, equal");
	CHECK_EQ("COMPARE, equal: success", DSA_COMP_SUCCESS, st);
	CHECK_EQ("COMPARE, equal: result 0", 0, cr(0)->result);
	b[1234] ^= 0xff;
	desc_xfer(&d, DSA_OPCODE_COMPARE, iova(a), iova(b), 4096, true);
	d.src2_addr = iova(b);
	st = run_irq(&d, "COMPARE, different");
	CHECK_EQ("COMPARE, different: success", DSA_COMP_SUCCESS, st);
	CHECK_EQ("COMPARE, different: result 1", 1, cr(0)->result);
	CHECK_EQ("COMPARE, different: at byte 1234", 1234,
		 cr(0)->bytes_completed);

	dsa_fill_random(a, 512, seed + 1);
	memset(b, 0, 512);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), iova(b), 512, true);
	st = run_irq_on(&d, 1, "limited portal: MEMMOVE");
	CHECK_EQ("limited portal: MEMMOVE: success", DSA_COMP_SUCCESS, st);
	CHECK("limited portal: MEMMOVE: data", !memcmp(a, b, 512));
}

static void ops_interrupts(void)
{
	struct dsa_hw_desc d;

	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	CHECK_EQ("NOOP without an interrupt: success", DSA_COMP_SUCCESS,
		 run(&d));
	usleep(QUIET_MS * 1000);
	CHECK_EQ("NOOP without an interrupt: none came", vec1_expected,
		 vfio_irq_count(&dev.v, 1));

	/* A masked vector keeps its message pending, in the PBA. */
	msix_mask(1, true);
	desc_init(&d, DSA_OPCODE_NOOP, 0, true);
	CHECK_EQ("vector 1 masked: NOOP completes", DSA_COMP_SUCCESS, run(&d));
	usleep(QUIET_MS * 1000);
	CHECK_EQ("vector 1 masked: no eventfd", vec1_expected,
		 vfio_irq_count(&dev.v, 1));
	CHECK("vector 1 masked: pending in the PBA",
	      dsa_read(&dev, VIDXD_MSIX_PBA, 8) & 2);
	msix_mask(1, false);
	vec1_expected++;
	CHECK("vector 1 unmasked: the pending interrupt comes",
	      !vfio_irq_wait(&dev.v, 1, vec1_expected, TIMEOUT_MS));
	CHECK_EQ("vector 1 unmasked: PBA clear", 0,
		 dsa_read(&dev, VIDXD_MSIX_PBA, 8) & 2);
	usleep(QUIET_MS * 1000);
	CHECK_EQ("vector 1's eventfd counted each completion interrupt once",
		 vec1_expected, vfio_irq_count(&dev.v, 1));
}

#define OPS_CHECKS	(BRINGUP_CHECKS + 35)
static void part_ops(void)
{
	bring_up(true);
	ops_commands();
	ops_descriptors();
	ops_interrupts();
	CHECK_EQ("DISABLE_WQ 0", 0, cmd_err(DSA_CMD_DISABLE_WQ, 1));
	CHECK_EQ("WQCFG: WQ 0 disabled", 0, wq_state());
	CHECK_EQ("DISABLE_DEVICE", 0, cmd_err(DSA_CMD_DISABLE_DEVICE, 0));
	CHECK_EQ("GENSTS: disabled", DSA_DISABLED, dsa_state(&dev));
}

/* ---- confine --------------------------------------------------------- */

#define FAULT_READ	DSA_COMP_PAGE_FAULT_NOBOF
#define FAULT_WRITE	(DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE)
#define HALF		(32u << 10)

#define CONFINE_CHECKS	17
static void part_confine(void)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	uint8_t saved[HALF];
	struct dsa_hw_desc d;

	bring_up(false);
	/* First halves: what nothing may write; second: what none may read. */
	memset(canary, CANARY_BYTE, HALF);
	dsa_fill_random(canary + HALF, HALF, seed + 2);
	memset(slotonly, CANARY_BYTE, HALF);
	dsa_fill_random(slotonly + HALF, HALF, seed + 3);
	dsa_fill_random(a, 4096, seed + 4);

	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), CANARY_IOVA, 4096, false);
	CHECK_EQ("MEMMOVE to DMA-mapped memory in no slot: write fault",
		 FAULT_WRITE, run(&d));
	CHECK("... and nothing written there",
	      all_bytes(canary, HALF, CANARY_BYTE));
	memset(b, 0, 4096);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, CANARY_IOVA + HALF, iova(b), 4096,
		  false);
	CHECK_EQ("MEMMOVE from DMA-mapped memory in no slot: read fault",
		 FAULT_READ, run(&d));
	CHECK("... and nothing of it copied", all_bytes(b, 4096, 0));

	desc_init(&d, DSA_OPCODE_MEMFILL, 0, false);
	d.pattern = ~0ull;
	d.dst_addr = SLOTONLY_IOVA;
	d.xfer_size = 4096;
	CHECK_EQ("MEMFILL of a slot not DMA-mapped: write fault", FAULT_WRITE,
		 run(&d));
	CHECK("... and nothing written there",
	      all_bytes(slotonly, HALF, CANARY_BYTE));
	memset(b, 0, 4096);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, SLOTONLY_IOVA + HALF, iova(b), 4096,
		  false);
	CHECK_EQ("MEMMOVE from a slot not DMA-mapped: read fault", FAULT_READ,
		 run(&d));
	CHECK("... and nothing of it copied", all_bytes(b, 4096, 0));

	desc_init(&d, DSA_OPCODE_MEMFILL, 0, false);
	d.pattern = ~0ull;
	d.dst_addr = NOWHERE_IOVA;
	d.xfer_size = 64;
	CHECK_EQ("MEMFILL of an address in nothing: write fault", FAULT_WRITE,
		 run(&d));

	/* The completion record itself outside the slots. */
	memcpy(saved, canary, HALF);
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	d.completion_addr = CANARY_IOVA + 0x1000;
	dsa_movdir64b(dev.portals, &d);
	usleep(QUIET_MS * 1000);
	CHECK("completion record in no slot: nothing written",
	      !memcmp(saved, canary, HALF));
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	CHECK_EQ("the WQ still works after it", DSA_COMP_SUCCESS, run(&d));

	/* A buffer unmapped from the container while still a memory slot. */
	if (!unmapbuf_mapped)
		unmapbuf_mapped = !vfio_dma_map(&dev.v, unmapbuf, UNMAP_IOVA,
						UNMAP_SIZE);
	dsa_fill_random(a, 4096, seed + 5);
	memset(unmapbuf, 0, 4096);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), UNMAP_IOVA, 4096, false);
	CHECK_EQ("MEMMOVE to a DMA-mapped slot: success", DSA_COMP_SUCCESS,
		 run(&d));
	CHECK("MEMMOVE to a DMA-mapped slot: data",
	      !memcmp(a, unmapbuf, 4096));
	CHECK_OK("VFIO_IOMMU_UNMAP_DMA of that slot's buffer",
		 vfio_dma_unmap(&dev.v, UNMAP_IOVA, UNMAP_SIZE));
	unmapbuf_mapped = false;
	memcpy(saved, unmapbuf, 4096);
	dsa_fill_random(a, 4096, seed + 6);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), UNMAP_IOVA, 4096, false);
	CHECK_EQ("MEMMOVE to it after the unmap: write fault", FAULT_WRITE,
		 run(&d));
	CHECK("... and nothing written there", !memcmp(saved, unmapbuf, 4096));
}

/* ---- hostile --------------------------------------------------------- */

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	/* xorshift64 */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* One random access; returns the errno of a refusal, 0 if none. */
static int hostile_one(void)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	uint64_t r = rnd(), val = rnd(), off;
	unsigned int kind = r & 7, size;
	bool write = r & 8;
	struct dsa_hw_desc d;
	long ret;

	size = sizes[(r >> 4) & 3];
	if (kind <= 2) {		/* config space, 1 to 4 bytes */
		if (size == 8)
			size = 4;
		off = (r >> 8) % VIDXD_CFG_SIZE & ~(uint64_t)(size - 1);
		ret = write ? pwrite(dev.v.device, &val, size,
				     REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) + off) :
			      pread(dev.v.device, &val, size,
				    REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) + off);
	} else if (kind <= 5) {		/* BAR0, misaligned 1 in 16 */
		off = (r >> 8) % VIDXD_BAR0_SIZE;
		if ((r >> 32) & 15)
			off &= ~(uint64_t)(size - 1);
		ret = write ? pwrite(dev.v.device, &val, size,
				     REGION_OFFSET(VFIO_PCI_BAR0_REGION_INDEX) + off) :
			      pread(dev.v.device, &val, size,
				    REGION_OFFSET(VFIO_PCI_BAR0_REGION_INDEX) + off);
	} else if (kind == 6) {		/* a command, any code, any operand */
		val = ((r >> 8) & 0xf) << 20 | ((r >> 12) & 0xfffff) |
		      ((r >> 40) & 1) << 31;
		size = 4;
		ret = pwrite(dev.v.device, &val, 4,
			     REGION_OFFSET(VFIO_PCI_BAR0_REGION_INDEX) +
			     DSA_CMD);
	} else {			/* a random descriptor, on scratch */
		uint64_t w[8];
		unsigned int i;

		for (i = 0; i < 8; i++)
			w[i] = rnd();
		memcpy(&d, w, sizeof(d));
		d.completion_addr = iova(cr(32 + (r >> 8) % 32));
		d.src_addr = MEM_IOVA + SCRATCH + (d.src_addr % SCRATCH_SIZE);
		d.dst_addr = MEM_IOVA + SCRATCH + (d.dst_addr % SCRATCH_SIZE);
		d.xfer_size &= 0xfff;
		dsa_movdir64b(dev.portals + ((r >> 8) & 1) * PORTAL_PAGE, &d);
		return 0;
	}
	if (ret == (long)size)
		return 0;
	return ret < 0 ? errno : EIO;
}

#define HOSTILE_CHECKS	12
static void part_hostile(void)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	unsigned int i, other = 0, first = 0, msix;
	struct dsa_hw_desc d;
	int e, st;

	bring_up(false);
	rnd_state = 0x9e3779b97f4a7c15ull * (seed + 1);
	for (i = 0; i < HOSTILE_OPS; i++) {
		e = hostile_one();
		if (e && e != EINVAL && !other++)
			first = e;
	}
	tap_result(!other, "10000 random accesses: every refusal EINVAL",
		   "%u were refused otherwise, the first with %s", other,
		   strerrorname(first));
	CHECK_OK("VFIO_DEVICE_RESET", vfio_reset(&dev.v));
	msix = cap_of(PCI_CAP_ID_MSIX);
	CHECK_EQ("after reset: GENSTS disabled", DSA_DISABLED,
		 dsa_state(&dev));
	CHECK_EQ("after reset: PCI command 0", 0,
		 vfio_cfg_read(&dev.v, PCI_COMMAND, 2));
	CHECK_EQ("after reset: MSI-X off", 0,
		 vfio_cfg_read(&dev.v, msix + PCI_MSIX_FLAGS, 2) &
		 (PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL));
	CHECK_EQ("after reset: both vectors masked", 0x101,
		 (dsa_read(&dev, msix_entry(0) + PCI_MSIX_ENTRY_VECTOR_CTRL,
			   4) & 1) |
		 (dsa_read(&dev, msix_entry(1) + PCI_MSIX_ENTRY_VECTOR_CTRL,
			   4) & 1) << 8);
	CHECK_EQ("after reset: WQ 0 disabled", 0, wq_state());
	bring_up(false);
	dsa_fill_random(a, 4096, seed + 7);
	memset(b, 0, 4096);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), iova(b), 4096, true);
	st = run_irq(&d, "after reset: MEMMOVE");
	CHECK_EQ("after reset: MEMMOVE: success", DSA_COMP_SUCCESS, st);
	CHECK("after reset: MEMMOVE: data", !memcmp(a, b, 4096));
}

/* ---- req ------------------------------------------------------------- */

#define REQ_CHECKS	2
static void part_req(void)
{
	char path[PATH_MAX];
	int fd;

	CHECK_OK("VFIO_DEVICE_SET_IRQS: an eventfd on REQ",
		 vfio_req_enable(&dev.v));
	snprintf(path, sizeof(path), "/tmp/vdsa-%s.ready", name);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	CHECK("the request interrupt came (the instance is being removed)",
	      !vfio_req_wait(&dev.v, 1, REQ_WAIT_MS));
	unlink(path);
}

/* ---- moreops ---------------------------------------------------------- */

static void moreops_copies(void)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B, *c = mem + BUF_C;
	uint8_t want[8192];
	struct dsa_hw_desc d;

	desc_init(&d, DSA_OPCODE_DRAIN, 0, true);
	CHECK_EQ("DRAIN: success", DSA_COMP_SUCCESS, run_irq(&d, "DRAIN"));

	dsa_fill_random(a, 8192, seed + 10);
	memcpy(want, a, 8192);
	memmove(want + 100, want, 5000);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), iova(a + 100), 5000, true);
	CHECK_EQ("MEMMOVE overlapping: success", DSA_COMP_SUCCESS,
		 run_irq(&d, "MEMMOVE overlapping"));
	CHECK("MEMMOVE overlapping: as memmove(), copied backwards",
	      !memcmp(want, a, 8192) && cr(0)->result == 1);

	dsa_fill_random(a, 8192, seed + 11);
	memset(b, 0, 8192);
	memset(c, 0, 8192);
	desc_xfer(&d, DSA_OPCODE_DUALCAST, iova(a), iova(b + 16), 5000, true);
	d.dest2 = iova(c + 16);
	CHECK_EQ("DUALCAST: success", DSA_COMP_SUCCESS,
		 run_irq(&d, "DUALCAST"));
	CHECK("DUALCAST: both copies", !memcmp(a, b + 16, 5000) &&
	      !memcmp(a, c + 16, 5000));
}

static void moreops_checks(void)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	struct dsa_hw_desc d;
	unsigned int i;

	for (i = 0; i < 4096; i++)
		a[i] = (uint8_t)(0x1122334455667788ull >> (8 * (i % 8)));
	a[1234] = 0;
	desc_init(&d, DSA_OPCODE_COMPVAL, 0, true);
	d.src_addr = iova(a);
	d.comp_pattern = 0x1122334455667788ull;
	d.xfer_size = 4096;
	CHECK_EQ("COMPVAL: success", DSA_COMP_SUCCESS, run_irq(&d, "COMPVAL"));
	CHECK_EQ("COMPVAL: the first difference", 1234,
		 cr(0)->result ? cr(0)->bytes_completed : ~0u);

	dsa_fill_random(a, 10000, seed + 12);
	desc_init(&d, DSA_OPCODE_CRCGEN, 0, true);
	d.src_addr = iova(a + 1);
	d.xfer_size = 9999;
	d.crc_seed = 0x12345678;
	CHECK_EQ("CRCGEN: success", DSA_COMP_SUCCESS, run_irq(&d, "CRCGEN"));
	CHECK_EQ("CRCGEN: CRC-32C", dsa_ref_crc32c(0x12345678, a + 1, 9999),
		 (uint32_t)cr(0)->crc_val);

	memset(b, 0, 10000);
	desc_xfer(&d, DSA_OPCODE_COPY_CRC, iova(a), iova(b + 7), 7777, true);
	CHECK_EQ("COPY_CRC: success", DSA_COMP_SUCCESS,
		 run_irq(&d, "COPY_CRC"));
	CHECK("COPY_CRC: copy and CRC-32C", !memcmp(a, b + 7, 7777) &&
	      (uint32_t)cr(0)->crc_val == dsa_ref_crc32c(0, a, 7777));
}

/* A batch of a copy, a fill and a fenced compare, each with a record. */
static void moreops_batch(void)
{
	struct dsa_hw_desc *list = (struct dsa_hw_desc *)(mem + BATCH_LIST);
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	struct dsa_hw_desc d;
	unsigned int i;

	dsa_fill_random(a, 4096, seed + 13);
	memset(b, 0, 8192);
	desc_init(&list[0], DSA_OPCODE_MEMMOVE, 1, false);
	list[0].src_addr = iova(a);
	list[0].dst_addr = iova(b);
	list[0].xfer_size = 4096;
	desc_init(&list[1], DSA_OPCODE_MEMFILL, 2, false);
	list[1].pattern = 0x5a5a5a5a5a5a5a5aull;
	list[1].dst_addr = iova(b + 4096);
	list[1].xfer_size = 100;
	desc_init(&list[2], DSA_OPCODE_COMPARE, 3, false);
	list[2].flags |= IDXD_OP_FLAG_FENCE;
	list[2].src_addr = iova(a);
	list[2].src2_addr = iova(b);
	list[2].xfer_size = 4096;
	desc_init(&d, DSA_OPCODE_BATCH, 0, true);
	d.desc_list_addr = iova(list);
	d.desc_count = 3;
	CHECK_EQ("BATCH of 3: success", DSA_COMP_SUCCESS, run_irq(&d, "BATCH"));
	for (i = 1; i <= 3; i++)
		if (cr(i)->status != DSA_COMP_SUCCESS)
			break;
	CHECK_EQ("BATCH: every member's completion record", 4, i);
	CHECK("BATCH: in order (the fenced compare saw the copy)",
	      !memcmp(a, b, 4096) && cr(3)->result == 0 && b[4096] == 0x5a);
}

#define MOREOPS_CHECKS	(1 + 2 + 3 + 3 + 3 + 3 + 3 + 4 + 1)
static void part_moreops(void)
{
	bring_up(false);
	moreops_copies();
	moreops_checks();
	moreops_batch();
	CHECK_EQ("vector 1 counted every completion interrupt", vec1_expected,
		 vfio_irq_count(&dev.v, 1));
}

/* ---- zap, resetbusy --------------------------------------------------- */

/* The instance's portal_faults, from its debugfs state. */
static long instance_portal_faults(void)
{
	char path[PATH_MAX], parent[PATH_MAX], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/..", name);
	if (!realpath(path, parent))
		return -1;
	snprintf(path, sizeof(path), "/sys/kernel/debug/idxd_mdev/%s/%s/state",
		 strrchr(parent, '/') + 1, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "portal_faults %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

#define ZAP_CHECKS	6
static void part_zap(void)
{
	struct dsa_hw_desc d;
	long before;

	bring_up(false);
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	CHECK_EQ("NOOP: success", DSA_COMP_SUCCESS, run(&d));
	before = instance_portal_faults();
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	run(&d);
	CHECK_EQ("a second NOOP: the portal page stayed mapped", before,
		 instance_portal_faults());
	bring_up(false);
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	CHECK_EQ("after the reset: NOOP: success", DSA_COMP_SUCCESS, run(&d));
	CHECK_EQ("the reset zapped the page: faulted in again", before + 1,
		 instance_portal_faults());
}

/* Descriptors queued behind each other on a slow WQ, then a reset. */
#define RESETBUSY_DESCS	4
#define RESETBUSY_CHECKS	7
static void part_resetbusy(void)
{
	uint8_t *a = mem + BUF_A, *b = mem + BUF_B;
	struct dsa_hw_desc d;
	unsigned int i, done = 0;

	bring_up(false);
	dsa_fill_random(a, 4096, seed);
	for (i = 1; i <= RESETBUSY_DESCS; i++) {
		desc_init(&d, DSA_OPCODE_MEMMOVE, i, false);
		d.src_addr = iova(a);
		d.dst_addr = iova(b);
		d.xfer_size = 4096;
		dsa_movdir64b(dev.portals, &d);
	}
	CHECK_OK("VFIO_DEVICE_RESET with the WQ busy", vfio_reset(&dev.v));
	CHECK_EQ("WQCFG: WQ 0 disabled", 0, wq_state());
	usleep(QUIET_MS * 1000);
	for (i = 1; i <= RESETBUSY_DESCS; i++)
		done += cr(i)->status == DSA_COMP_SUCCESS;
	tap_result(done < RESETBUSY_DESCS, "queued work dropped",
		   "all %u descriptors completed", done);
	bring_up(false);
	memset(b, 0, 4096);
	desc_xfer(&d, DSA_OPCODE_MEMMOVE, iova(a), iova(b), 4096, false);
	CHECK_EQ("after the reset: MEMMOVE: success", DSA_COMP_SUCCESS,
		 run(&d));
	CHECK("after the reset: MEMMOVE: data", !memcmp(a, b, 4096));
}

/* ---- swerr, halt ------------------------------------------------------ */

#define SWERR_CODE_RECORD_ALIGN	0x1b

#define SWERR_CHECKS	7
static void part_swerr(void)
{
	uint64_t before, swerr;
	struct dsa_hw_desc d;

	bring_up(false);
	dsa_swerr_clear(&dev);
	before = vfio_irq_count(&dev.v, 0);
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	d.completion_addr = iova(cr(0)) + 1;
	dsa_movdir64b(dev.portals, &d);
	CHECK("the error came on vector 0",
	      !vfio_irq_wait(&dev.v, 0, before + 1, TIMEOUT_MS));
	swerr = dsa_swerr(&dev);
	CHECK_EQ("SWERR: valid, misaligned completion record",
		 SWERR_CODE_RECORD_ALIGN,
		 swerr & DSA_SWERR_VALID ? DSA_SWERR_CODE(swerr) : 0);
	CHECK("SWERR: names WQ 0", swerr & DSA_SWERR_WQ_VALID &&
	      DSA_SWERR_WQ(swerr) == 0);
	CHECK("INTCAUSE: error", dsa_read(&dev, DSA_INTCAUSE, 4) &
	      DSA_INTC_ERR);
	dsa_swerr_clear(&dev);
	CHECK_EQ("SWERR cleared", 0, dsa_swerr(&dev) & DSA_SWERR_VALID);
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	CHECK_EQ("the WQ works on: NOOP: success", DSA_COMP_SUCCESS, run(&d));
}

#define HALT_WAIT_MS	60000
#define HALT_CHECKS	(1 + 5 + 2)
static void part_halt(void)
{
	char path[PATH_MAX];
	struct dsa_hw_desc d;
	uint64_t before;
	int ms, fd;

	bring_up(false);
	before = vfio_irq_count(&dev.v, 0);
	snprintf(path, sizeof(path), "/tmp/vdsa-%s.ready", name);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	for (ms = 0; ms < HALT_WAIT_MS && dsa_state(&dev) != DSA_HALT;
	     ms += 50)
		usleep(50000);
	unlink(path);
	CHECK_EQ("GENSTS: halted with the parent", DSA_HALT, dsa_state(&dev));
	CHECK("the halt came on vector 0",
	      !vfio_irq_wait(&dev.v, 0, before + 1, TIMEOUT_MS));
	CHECK("INTCAUSE: halt", dsa_read(&dev, DSA_INTCAUSE, 4) &
	      DSA_INTC_HALT);
	CHECK_EQ("SWERR: the parent's error (bus mastering off)",
		 DSA_SWERR_CODE_PCI_CONFIG, DSA_SWERR_CODE(dsa_swerr(&dev)));
	CHECK_EQ("WQCFG: WQ 0 disabled", 0, wq_state());
	bring_up(false);
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	CHECK_EQ("after a reset: NOOP: success", DSA_COMP_SUCCESS, run(&d));
}

/* ---- viommu ---------------------------------------------------------- */

/* Where a guest's vIOMMU could have put the memory: far from its GPAs. */
#define VIOMMU_SHIFT	BIT_ULL(40)

static int map_all(uint64_t shift)
{
	return vfio_dma_map(&dev.v, mem, MEM_IOVA + shift, MEM_SIZE) |
	       vfio_dma_map(&dev.v, canary, CANARY_IOVA + shift, CANARY_SIZE);
}

static int unmap_all(uint64_t shift)
{
	return vfio_dma_unmap(&dev.v, MEM_IOVA + shift, MEM_SIZE) |
	       vfio_dma_unmap(&dev.v, CANARY_IOVA + shift, CANARY_SIZE);
}

#define VIOMMU_CHECKS	8
/* From reset to ENABLE_WQ, without interrupts: ENABLE_WQ's error. */
static uint32_t enable_wq_err(void)
{
	vfio_reset(&dev.v);
	dsa_bus_master(&dev, true);
	cmd_err(DSA_CMD_ENABLE_DEVICE, 0);
	return cmd_err(DSA_CMD_ENABLE_WQ, 0);
}

static void part_viommu(void)
{
	struct dsa_hw_desc d;

	CHECK_OK("the VM's memory moved to other IOVAs in the container",
		 unmap_all(0) | map_all(VIOMMU_SHIFT));
	CHECK_EQ("ENABLE_WQ refused: HW_ERR", 3, enable_wq_err());
	CHECK_EQ("GENSTS: still enabled (only the WQ was refused)",
		 DSA_ENABLED, dsa_state(&dev));
	CHECK_OK("the VM's memory back at GPA == IOVA",
		 unmap_all(VIOMMU_SHIFT) | map_all(0));
	/*
	 * What the container unmapped stays unpinned until the memslots
	 * change, as they do when a VMM puts memory back.
	 */
	CHECK_EQ("ENABLE_WQ still refused: the memslots did not change", 3,
		 enable_wq_err());
	CHECK_OK("its memory slot replaced", kvm_vm_unmap(&vm, MEM_IOVA) |
		 (kvm_vm_map(&vm, mem, MEM_IOVA, MEM_SIZE) < 0));
	bring_up(false);
	desc_init(&d, DSA_OPCODE_NOOP, 0, false);
	CHECK_EQ("then NOOP: success", DSA_COMP_SUCCESS, run(&d));
}

/* ---- hold, peer, busy: instances of one parent in two VMs ------------ */

static void handle_path(char *path, size_t n, const char *uuid)
{
	snprintf(path, n, "/tmp/vdsa-%s.handle", uuid);
}

#define HOLD_CHECKS	(3 + REQ_CHECKS)
static void part_req(void);
static void part_hold(void)
{
	char path[PATH_MAX];
	FILE *f;
	bool ok;

	bring_up(false);
	handle_path(path, sizeof(path), name);
	f = fopen(path, "w");
	ok = f && fprintf(f, "%u\n", handle) > 0;
	if (f)
		ok = !fclose(f) && ok;
	CHECK("vector 1's interrupt handle published", ok);
	part_req();
	CHECK_EQ("no completion interrupt came meanwhile", 0,
		 vfio_irq_count(&dev.v, 1));
	unlink(path);
}

#define PEER_CHECKS	4
static void part_peer(void)
{
	const char *peer = getenv("VDSA_PEER");
	unsigned int theirs = ~0u;
	char path[PATH_MAX];
	struct dsa_hw_desc d;
	FILE *f;

	bring_up(false);
	handle_path(path, sizeof(path), peer ? peer : "");
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%u", &theirs) != 1)
			theirs = ~0u;
		fclose(f);
	}
	tap_result(theirs != ~0u, "the peer's interrupt handle read",
		   "no handle in %s", path);
	desc_init(&d, DSA_OPCODE_NOOP, 0, true);
	d.int_handle = theirs;
	CHECK_EQ("NOOP naming the peer's handle: INT_HANDLE_INVAL",
		 DSA_COMP_INT_HANDLE_INVAL, run(&d) & 0x3f);
	usleep(QUIET_MS * 1000);
	CHECK_EQ("and no interrupt here", 0, vfio_irq_count(&dev.v, 1));
}

static struct kvm_vm busy_vm;

static int busy_hook(void *arg, int group_fd)
{
	(void)arg;
	return kvm_vm_vfio_add(&busy_vm, group_fd);
}

#define BUSY_CHECKS	2
static void part_busy(void)
{
	struct vfio_dev v;

	CHECK_OK("a KVM VM of its own", kvm_vm_open(&busy_vm));
	CHECK_ERRNO("the device refuses a second VM: EBUSY", EBUSY,
		    vfio_open_mdev(&v, name, busy_hook, NULL));
	if (v.device >= 0)
		vfio_close(&v);
	kvm_vm_close(&busy_vm);
}

/* ---- the instance ---------------------------------------------------- */

static int dma_mapped;		/* 1: mapped before the open, -1: failed */

/*
 * Between the container and the device, as QEMU goes: the group into
 * KVM, then the guest's memory mapped for DMA (QEMU's VFIO listener maps
 * it as soon as the container has its IOMMU), and only then the device
 * opens, so that a driver that looks at the mappings when it opens finds
 * them. A failed mapping is reported by open_instance().
 */
static int vmm_hook(void *arg, int group_fd)
{
	int err;

	(void)arg;
	if (kvm_vm_vfio_add(&vm, group_fd))
		return -1;
	dma_mapped = !vfio_dma_map(&dev.v, mem, MEM_IOVA, MEM_SIZE) &&
		     !vfio_dma_map(&dev.v, canary, CANARY_IOVA, CANARY_SIZE) &&
		     !vfio_dma_map(&dev.v, unmapbuf, UNMAP_IOVA, UNMAP_SIZE) ?
		     1 : -1;
	if (dma_mapped < 0) {
		err = errno;
		fprintf(stderr, "vdsa_test: VFIO_IOMMU_MAP_DMA: %s\n",
			strerror(err));
		errno = err;
	}
	return 0;
}

static void *buffer(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * The VMM's part: the VM and its memory slots, the device opened with its
 * group in KVM, the DMA mappings, the portals mapped.
 */
#define OPEN_CHECKS	4
static int open_instance(void)
{
	bool ok;
	int err;

	mem = buffer(MEM_SIZE);
	canary = buffer(CANARY_SIZE);
	slotonly = buffer(SLOTONLY_SIZE);
	unmapbuf = buffer(UNMAP_SIZE);
	ok = mem && canary && slotonly && unmapbuf && !kvm_vm_open(&vm) &&
	     kvm_vm_map(&vm, mem, MEM_IOVA, MEM_SIZE) >= 0 &&
	     kvm_vm_map(&vm, slotonly, SLOTONLY_IOVA, SLOTONLY_SIZE) >= 0 &&
	     kvm_vm_map(&vm, unmapbuf, UNMAP_IOVA, UNMAP_SIZE) >= 0;
	tap_result(ok, "a KVM VM with 3 memory slots", "%s", strerror(errno));
	if (!ok)
		return -1;
	ok = !(pci_mode ? vfio_open_pci(&dev.v, name, vmm_hook, NULL) :
			  vfio_open_mdev(&dev.v, name, vmm_hook, NULL));
	err = errno;
	tap_result(ok, "opened, its group in KVM first", "%s", strerror(err));
	if (!ok)
		return -1;
	ok = dma_mapped > 0;
	unmapbuf_mapped = ok;
	tap_result(ok, "VFIO_IOMMU_MAP_DMA of 2 slots and a canary, before the open",
		   "%s", dma_mapped ? "failed (see above)" : "the hook did not run");
	dev.portals = mmap(NULL, VIDXD_BAR2_SIZE, PROT_READ | PROT_WRITE,
			   MAP_SHARED, dev.v.device,
			   REGION_OFFSET(VFIO_PCI_BAR2_REGION_INDEX));
	ok = dev.portals != MAP_FAILED;
	tap_result(ok, "BAR2 (both portals) mmapped", "%s", strerror(errno));
	if (!ok)
		return -1;
	dev.portals_len = VIDXD_BAR2_SIZE;
	dsa_read_caps(&dev);
	version0 = dsa_read(&dev, DSA_VERSION, 4);
	return 0;
}

#define CLOSE_CHECKS	2
static void close_instance(void)
{
	int group = dup(dev.v.group);

	CHECK_OK("VFIO_IOMMU_UNMAP_DMA",
		 vfio_dma_unmap(&dev.v, MEM_IOVA, MEM_SIZE) |
		 vfio_dma_unmap(&dev.v, CANARY_IOVA, CANARY_SIZE) |
		 (unmapbuf_mapped ?
		  vfio_dma_unmap(&dev.v, UNMAP_IOVA, UNMAP_SIZE) : 0));
	munmap((void *)dev.portals, VIDXD_BAR2_SIZE);
	vfio_close(&dev.v);
	CHECK_OK("KVM_DEV_VFIO_GROUP_DEL", kvm_vm_vfio_del(&vm, group));
	close(group);
	kvm_vm_close(&vm);
}

/* ---- main ------------------------------------------------------------ */

static const struct part {
	const char *name;
	void (*run)(void);
	unsigned int checks;
} parts[] = {
	{ "nokvm", part_nokvm, NOKVM_CHECKS },
	{ "info", part_info, INFO_CHECKS },
	{ "abi", part_abi, ABI_CHECKS },
	{ "ops", part_ops, OPS_CHECKS },
	{ "moreops", part_moreops, MOREOPS_CHECKS },
	{ "confine", part_confine, CONFINE_CHECKS },
	{ "hostile", part_hostile, HOSTILE_CHECKS },
	{ "req", part_req, REQ_CHECKS },
	{ "zap", part_zap, ZAP_CHECKS },
	{ "resetbusy", part_resetbusy, RESETBUSY_CHECKS },
	{ "hold", part_hold, HOLD_CHECKS },
	{ "peer", part_peer, PEER_CHECKS },
	{ "swerr", part_swerr, SWERR_CHECKS },
	{ "halt", part_halt, HALT_CHECKS },
	{ "viommu", part_viommu, VIOMMU_CHECKS },
	{ "busy", part_busy, BUSY_CHECKS },
};

#define NPARTS	ARRAY_SIZE(parts)

static const struct part *find_part(const char *n)
{
	unsigned int i;

	for (i = 0; i < NPARTS; i++)
		if (!strcmp(parts[i].name, n))
			return &parts[i];
	return NULL;
}

static int bad_args(const char *prog)
{
	unsigned int i;

	fprintf(stderr, "usage: %s [--seed N] [--count] [--pci] UUID PART...\nPARTs:",
		prog);
	for (i = 0; i < NPARTS; i++)
		fprintf(stderr, " %s", parts[i].name);
	fprintf(stderr, "\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int total = OPEN_CHECKS + CLOSE_CHECKS;
	const struct part *nokvm = NULL, *busy = NULL;
	bool count_only = false;
	int i, first;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count"))
			count_only = true;
		else if (!strcmp(argv[i], "--pci"))
			pci_mode = true;
		else
			return bad_args(argv[0]);
	}
	if (i + 1 >= argc)
		return bad_args(argv[0]);
	name = argv[i++];
	first = i;
	for (; i < argc; i++) {
		const struct part *p = find_part(argv[i]);

		if (!p)
			return bad_args(argv[0]);
		total += p->checks;
		if (p->run == part_nokvm)
			nokvm = p;
		if (p->run == part_busy)
			busy = p;
	}
	/* busy stands for the VMM's own open, and goes alone. */
	if (busy && argc - first != 1)
		return bad_args(argv[0]);
	if (busy)
		total = busy->checks;
	if (count_only) {
		printf("%u\n", total);
		return 0;
	}
	set_tag("plan");
	tap_plan(total);
	/* Before the VMM opens it: it must refuse a user without KVM. */
	if (nokvm) {
		set_tag(nokvm->name);
		nokvm->run();
	}
	if (busy) {
		set_tag(busy->name);
		busy->run();
		return tap_done();
	}
	set_tag("open");
	if (open_instance())
		return tap_done();
	for (i = first; i < argc; i++) {
		const struct part *p = find_part(argv[i]);

		if (p == nokvm)
			continue;
		set_tag(p->name);
		p->run();
	}
	set_tag("close");
	close_instance();
	return tap_done();
}
