// SPDX-License-Identifier: GPL-2.0
/*
 * ims_bench: what allocating and freeing N interrupt vectors costs on one
 * DSA function, through the ims library on its IMS array and through the
 * PCI core's MSI-X on its MSI-X table (make bench). It binds only through
 * driver_override and measures in probe, then stays bound doing nothing.
 *
 * For each N, N vectors are allocated and freed again, in "rounds" rounds
 * over all N, and the fastest time is kept: on a machine busy with other
 * work the fastest is the least disturbed. IMS takes N = 1 to the IMS
 * array's size (the DSA model has 2048 slots), at any slot ("ims") and at
 * slots named ("ims-slot"); MSI-X N = 1 to the MSI-X table's size
 * ("msix"). Each prints "ims_bench: KIND n=N ns=T" (T: the fastest time).
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>

#include "../../ims/ims.h"
#include "../../idxd-mdev/dsa_regs.h"
#include "compat.h"

#define IMS_BENCH_DSA_DEVICE_ID	0x0b25

static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds, the fastest kept for each N (default 5)");

enum ims_bench_kind {
	IMS_BENCH_ANY,		/* IMS, the library picks the slot */
	IMS_BENCH_NAMED,	/* IMS, slots 0 to N - 1 named by the caller */
	IMS_BENCH_MSIX,
	IMS_BENCH_KINDS
};

static const char * const ims_bench_names[IMS_BENCH_KINDS] = {
	"ims", "ims-slot", "msix"
};

struct ims_bench {
	struct pci_dev *pdev;
	struct ims_domain *ims;
	struct ims_map *maps;
	unsigned int max[IMS_BENCH_KINDS];	/* the largest N of each */
	u64 *best[IMS_BENCH_KINDS];		/* by N: the fastest round */
};

/*
 * The N measured: every N up to 16 (the MSI-X tables of DSAs are that
 * small), then steps of 64 and the powers of two, so that a curve shows
 * whether the cost per vector stays flat up to 2048.
 */
static bool ims_bench_wanted(unsigned int n)
{
	return n <= 16 || n % 64 == 0 || is_power_of_2(n);
}

/* @n vectors of @kind allocated, then freed: how long it took, in @ns. */
static int ims_bench_once(struct ims_bench *b, enum ims_bench_kind kind,
			  unsigned int n, u64 *ns)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;
	int ret = 0;

	if (kind == IMS_BENCH_MSIX) {
		ret = pci_alloc_irq_vectors(b->pdev, n, n, PCI_IRQ_MSIX);
		if (ret < 0)
			return ret;
		pci_free_irq_vectors(b->pdev);
		ret = 0;
	} else {
		for (i = 0; i < n; i++) {
			ret = ims_alloc_irq(b->ims, kind == IMS_BENCH_ANY ?
					    IMS_ANY_SLOT : i, NULL, NULL,
					    &b->maps[i]);
			if (ret)
				break;
		}
		while (i--)
			ims_free_irq(b->ims, b->maps[i]);
	}
	*ns = ktime_get_ns() - t0;
	return ret;
}

/*
 * Rounds over every kind and N, so that whatever else the machine does at
 * one moment slows one round of a few N, not every round of one N: the
 * fastest of the rounds is the undisturbed cost.
 */
static int ims_bench_run(struct ims_bench *b)
{
	unsigned int r, n;
	int kind, ret;
	u64 t;

	for (r = 0; r < rounds; r++) {
		for (kind = 0; kind < IMS_BENCH_KINDS; kind++) {
			for (n = 1; n <= b->max[kind]; n++) {
				if (!ims_bench_wanted(n))
					continue;
				ret = ims_bench_once(b, kind, n, &t);
				/*
				 * Freed irq descriptors go after an RCU grace
				 * period: let them go now, untimed, or the
				 * next measurement pays for this one's.
				 */
				rcu_barrier();
				if (ret) {
					pci_err(b->pdev, "ims_bench: %u vectors of %s: %d\n",
						n, ims_bench_names[kind], ret);
					return ret;
				}
				if (!r || t < b->best[kind][n])
					b->best[kind][n] = t;
			}
		}
	}
	for (kind = 0; kind < IMS_BENCH_KINDS; kind++)
		for (n = 1; n <= b->max[kind]; n++)
			if (ims_bench_wanted(n))
				pr_info("ims_bench: %s n=%u ns=%llu\n",
					ims_bench_names[kind], n,
					b->best[kind][n]);
	return 0;
}

static int ims_bench_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ims_domain_info info = { };
	struct device *dev = &pdev->dev;
	struct ims_bench b = { .pdev = pdev };
	void __iomem *regs;
	int kind, ret;

	/* driver_override matches any device: take only the DSA. */
	if (pdev->vendor != PCI_VENDOR_ID_INTEL ||
	    pdev->device != IMS_BENCH_DSA_DEVICE_ID)
		return -ENODEV;
	if (!rounds)
		return -EINVAL;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(DSA_BAR_REGS), KBUILD_MODNAME);
	if (ret)
		return ret;
	regs = pcim_iomap_table(pdev)[DSA_BAR_REGS];
	info.nr_slots = FIELD_GET(DSA_GENCAP_MAX_IMS_MULT,
				  readq(regs + DSA_GENCAP)) * DSA_IMS_MULT_UNIT;
	info.slots = regs + FIELD_GET(DSA_TABLE_IMS, readq(regs + DSA_TABLE)) *
		     DSA_TABLE_UNIT;
	ret = pci_msix_vec_count(pdev);
	if (!info.nr_slots || ret <= 0) {
		pci_err(pdev, "ims_bench: %u IMS slots, MSI-X table size %d\n",
			info.nr_slots, ret);
		return -ENODEV;
	}
	b.max[IMS_BENCH_ANY] = info.nr_slots;
	b.max[IMS_BENCH_NAMED] = info.nr_slots;
	b.max[IMS_BENCH_MSIX] = ret;
	for (kind = 0; kind < IMS_BENCH_KINDS; kind++) {
		b.best[kind] = devm_kcalloc(dev, b.max[kind] + 1,
					    sizeof(*b.best[kind]), GFP_KERNEL);
		if (!b.best[kind])
			return -ENOMEM;
	}
	b.maps = devm_kcalloc(dev, info.nr_slots, sizeof(*b.maps), GFP_KERNEL);
	if (!b.maps)
		return -ENOMEM;
	b.ims = ims_domain_create(pdev, &info);
	if (IS_ERR(b.ims))
		return PTR_ERR(b.ims);
	ret = ims_bench_run(&b);
	ims_domain_destroy(b.ims);
	if (!ret)
		pr_info("ims_bench: done\n");
	return ret;
}

static struct pci_driver ims_bench_driver = {
	.name		= "ims_bench",
	.probe		= ims_bench_probe,
};
module_pci_driver(ims_bench_driver);

MODULE_DESCRIPTION("IMS and MSI-X vector allocation costs for make bench (test module)");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(IMS_NS);
