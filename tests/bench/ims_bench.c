// SPDX-License-Identifier: GPL-2.0
/*
 * ims_bench: what allocating and freeing N interrupt vectors costs on one
 * DSA function, through the ims library on its IMS array and through the
 * PCI core's MSI-X on its MSI-X table (make bench). It binds only through
 * driver_override and measures in probe, then stays bound doing nothing.
 *
 * For each N, one round allocates N vectors and frees them again; the
 * round is made "rounds" times and the fastest is kept: on a machine busy
 * with other work the fastest round is the one least disturbed. IMS takes
 * N = 1 to the IMS array's size (the DSA model has 2048 slots), at any
 * slot ("ims") and at slots named ("ims-slot"), MSI-X N = 1 to the MSI-X
 * table's size ("msix"); each prints
 * "ims_bench: KIND n=N ns=T" (T: the fastest round's time).
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "../../ims/ims.h"
#include "../../idxd-mdev/dsa_regs.h"
#include "compat.h"

#define IMS_BENCH_DSA_DEVICE_ID	0x0b25

static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds per N, the fastest kept (default 5)");

/*
 * The N measured: every N up to 16 (the MSI-X tables of DSAs are that
 * small), then steps of 64 and the powers of two, so that a curve shows
 * whether the cost per vector stays flat up to 2048.
 */
static bool ims_bench_wanted(unsigned int n)
{
	return n <= 16 || n % 64 == 0 || is_power_of_2(n);
}

/*
 * Fastest of @rounds rounds of @n IMS vectors allocated, then freed; at
 * any slot (the library's search for the lowest free one), or at slots
 * 0 to @n - 1 named by the caller (@any false): the difference is what
 * the search costs.
 */
static int ims_bench_ims_n(struct ims_domain *ims, struct ims_map *maps,
			   unsigned int n, bool any, u64 *best)
{
	unsigned int r, i;
	int ret = 0;
	u64 t0, t;

	*best = U64_MAX;
	for (r = 0; r < rounds; r++) {
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++) {
			ret = ims_alloc_irq(ims, any ? IMS_ANY_SLOT : i, NULL,
					    NULL, &maps[i]);
			if (ret)
				break;
		}
		while (i--)
			ims_free_irq(ims, maps[i]);
		t = ktime_get_ns() - t0;
		if (ret)
			return ret;
		*best = min(*best, t);
	}
	return 0;
}

static int ims_bench_ims(struct pci_dev *pdev, void __iomem *regs)
{
	struct ims_domain_info info = { };
	struct ims_domain *ims;
	struct ims_map *maps;
	unsigned int n;
	int ret = 0;
	u64 best;

	info.nr_slots = FIELD_GET(DSA_GENCAP_MAX_IMS_MULT,
				  readq(regs + DSA_GENCAP)) * DSA_IMS_MULT_UNIT;
	info.slots = regs + FIELD_GET(DSA_TABLE_IMS, readq(regs + DSA_TABLE)) *
		     DSA_TABLE_UNIT;
	if (!info.nr_slots) {
		pci_err(pdev, "ims_bench: the function has no IMS\n");
		return -ENODEV;
	}
	maps = kcalloc(info.nr_slots, sizeof(*maps), GFP_KERNEL);
	if (!maps)
		return -ENOMEM;
	ims = ims_domain_create(pdev, &info);
	if (IS_ERR(ims)) {
		kfree(maps);
		return PTR_ERR(ims);
	}
	for (n = 1; n <= info.nr_slots; n++) {
		if (!ims_bench_wanted(n))
			continue;
		ret = ims_bench_ims_n(ims, maps, n, true, &best);
		if (ret)
			break;
		pr_info("ims_bench: ims n=%u ns=%llu\n", n, best);
		ret = ims_bench_ims_n(ims, maps, n, false, &best);
		if (ret)
			break;
		pr_info("ims_bench: ims-slot n=%u ns=%llu\n", n, best);
	}
	if (ret)
		pci_err(pdev, "ims_bench: %u IMS vectors: %d\n", n, ret);
	ims_domain_destroy(ims);
	kfree(maps);
	return ret;
}

static int ims_bench_msix(struct pci_dev *pdev)
{
	int max = pci_msix_vec_count(pdev);
	unsigned int r;
	int n, ret;
	u64 t0, t, best;

	if (max <= 0) {
		pci_err(pdev, "ims_bench: no MSI-X: %d\n", max);
		return max ? max : -ENODEV;
	}
	for (n = 1; n <= max; n++) {
		best = U64_MAX;
		for (r = 0; r < rounds; r++) {
			t0 = ktime_get_ns();
			ret = pci_alloc_irq_vectors(pdev, n, n, PCI_IRQ_MSIX);
			if (ret < 0) {
				pci_err(pdev, "ims_bench: %d MSI-X vectors: %d\n",
					n, ret);
				return ret;
			}
			pci_free_irq_vectors(pdev);
			t = ktime_get_ns() - t0;
			best = min(best, t);
		}
		pr_info("ims_bench: msix n=%d ns=%llu\n", n, best);
	}
	return 0;
}

static int ims_bench_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	/* driver_override matches any device: take only the DSA. */
	if (pdev->vendor != PCI_VENDOR_ID_INTEL || pdev->device != IMS_BENCH_DSA_DEVICE_ID)
		return -ENODEV;
	if (!rounds)
		return -EINVAL;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(DSA_BAR_REGS), KBUILD_MODNAME);
	if (ret)
		return ret;
	ret = ims_bench_ims(pdev, pcim_iomap_table(pdev)[DSA_BAR_REGS]);
	if (!ret)
		ret = ims_bench_msix(pdev);
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
