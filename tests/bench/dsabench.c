// SPDX-License-Identifier: GPL-2.0
/*
 * dsabench: load-time measurements of a DSA as a guest's kernel sees it,
 * made the same way whether the DSA is an idxd_mdev instance or the whole
 * function passed through with vfio-pci, so that the two can be compared
 * (make bench). It uses the one dmaengine memcpy channel (the kernel's
 * idxd on a dedicated kernel WQ) and the PCI function behind it:
 *
 *   copy    dmaengine memcpys of copy_size bytes, one in flight: each waits
 *           for its completion interrupt (completions/s);
 *   stream  memcpys of stream_size bytes, depth in flight (throughput);
 *   irq     NOOP descriptors with a completion interrupt, one in flight
 *           (interrupt delivery: device -> host -> guest, and back);
 *   mmio    reads of BAR0's GENCAP register;
 *   cfg     reads of the first config-space dword.
 *
 * Each prints one line "dsabench: NAME n=N bytes=B ns=T" (B: bytes per
 * operation, 0 for none; T: the whole run's time): rates are worked out by
 * whoever reads it. Copied data is compared after each run, so a number
 * is printed only for work that was done right; loading fails otherwise.
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>

/* GENCAP, in every DSA's register file (BAR0). */
#define DSABENCH_GENCAP		0x10
#define DSABENCH_TIMEOUT_MS	10000

static unsigned int copies = 2000;
module_param(copies, uint, 0444);
MODULE_PARM_DESC(copies, "copy: memcpys, one in flight (default 2000)");
static unsigned int copy_size = 4096;
module_param(copy_size, uint, 0444);
MODULE_PARM_DESC(copy_size, "copy: bytes each (default 4096)");
static unsigned int streams = 400;
module_param(streams, uint, 0444);
MODULE_PARM_DESC(streams, "stream: memcpys (default 400)");
static unsigned int stream_size = 65536;
module_param(stream_size, uint, 0444);
MODULE_PARM_DESC(stream_size, "stream: bytes each (default 65536)");
static unsigned int depth = 8;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "stream: memcpys in flight (default 8)");
static unsigned int irqs = 2000;
module_param(irqs, uint, 0444);
MODULE_PARM_DESC(irqs, "irq: interrupting NOOPs, one in flight (default 2000)");
static unsigned int reads = 20000;
module_param(reads, uint, 0444);
MODULE_PARM_DESC(reads, "mmio, cfg: register reads each (default 20000)");

/* Completion of a group of descriptors: the last callback completes. */
struct dsabench_group {
	struct completion done;
	atomic_t pending;
	atomic_t errors;
};

static void dsabench_done(void *arg, const struct dmaengine_result *res)
{
	struct dsabench_group *grp = arg;

	if (res && res->result != DMA_TRANS_NOERROR)
		atomic_inc(&grp->errors);
	if (atomic_dec_and_test(&grp->pending))
		complete(&grp->done);
}

/*
 * Submit @n descriptors (memcpys of @len bytes from @src + i * @len to
 * @dst + i * @len, or NOOPs when @len is 0) and wait until all completed.
 */
static int dsabench_group(struct dma_chan *chan, dma_addr_t src,
			  dma_addr_t dst, size_t len, unsigned int n)
{
	struct dsabench_group grp;
	struct dma_async_tx_descriptor *tx;
	unsigned int i;

	init_completion(&grp.done);
	atomic_set(&grp.pending, n);
	atomic_set(&grp.errors, 0);
	for (i = 0; i < n; i++) {
		if (len)
			tx = dmaengine_prep_dma_memcpy(chan, dst + i * len,
						       src + i * len, len,
						       DMA_PREP_INTERRUPT |
						       DMA_CTRL_ACK);
		else
			/* dmaengine has no wrapper for this one. */
			tx = chan->device->device_prep_dma_interrupt(chan,
					DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		/* Those submitted must still complete before @grp goes. */
		if (!tx)
			break;
		tx->callback_result = dsabench_done;
		tx->callback_param = &grp;
		if (dma_submit_error(dmaengine_submit(tx)))
			break;
	}
	dma_async_issue_pending(chan);
	if (i < n && atomic_sub_and_test(n - i, &grp.pending))
		complete(&grp.done);
	if (!wait_for_completion_timeout(&grp.done,
					 msecs_to_jiffies(DSABENCH_TIMEOUT_MS))) {
		dmaengine_terminate_sync(chan);
		return -ETIMEDOUT;
	}
	if (i < n)
		return -ENOMEM;
	return atomic_read(&grp.errors) ? -EIO : 0;
}

static void dsabench_report(const char *name, unsigned int n, size_t bytes,
			    u64 ns)
{
	pr_info("dsabench: %s n=%u bytes=%zu ns=%llu\n", name, n, bytes, ns);
}

/*
 * @rounds groups of @per descriptors of @len bytes each through
 * @src/@dst (coherent buffers of @per * @len bytes; NOOPs if @len is 0);
 * the copies are checked at the end.
 */
static int dsabench_run(const char *name, struct dma_chan *chan, u8 *src,
			dma_addr_t s, u8 *dst, dma_addr_t d, size_t len,
			unsigned int per, unsigned int rounds)
{
	unsigned int i;
	u64 t0;
	int ret = 0;

	if (len) {
		get_random_bytes(src, per * len);
		memset(dst, 0, per * len);
	}
	t0 = ktime_get_ns();
	for (i = 0; i < rounds && !ret; i++)
		ret = dsabench_group(chan, s, d, len, per);
	if (ret) {
		pr_err("dsabench: %s: group %u of %u failed: %d\n", name, i,
		       rounds, ret);
		return ret;
	}
	dsabench_report(name, per * rounds, len, ktime_get_ns() - t0);
	if (len && memcmp(src, dst, per * len)) {
		pr_err("dsabench: %s: wrong data\n", name);
		return -EILSEQ;
	}
	return 0;
}

static int dsabench_dma(struct dma_chan *chan)
{
	struct device *dev = chan->device->dev;
	size_t len = max_t(size_t, copy_size, (size_t)stream_size * depth);
	dma_addr_t s, d;
	u8 *src, *dst;
	int ret = -ENOMEM;

	src = dma_alloc_coherent(dev, len, &s, GFP_KERNEL);
	dst = dma_alloc_coherent(dev, len, &d, GFP_KERNEL);
	if (src && dst)
		ret = dsabench_run("copy", chan, src, s, dst, d, copy_size, 1,
				   copies);
	if (!ret)
		ret = dsabench_run("stream", chan, src, s, dst, d, stream_size,
				   depth, streams / depth);
	if (!ret)
		ret = dsabench_run("irq", chan, NULL, 0, NULL, 0, 0, 1, irqs);
	if (dst)
		dma_free_coherent(dev, len, dst, d);
	if (src)
		dma_free_coherent(dev, len, src, s);
	return ret;
}

/*
 * Register reads of the function itself. BAR0 is mapped a second time
 * (idxd has it): a mapping needs no claim on the region. A read of all
 * ones is a device that is gone, and no measurement.
 */
static int dsabench_regs(struct pci_dev *pdev)
{
	void __iomem *regs;
	unsigned int i;
	u32 val = 0;
	u64 t0;

	regs = ioremap(pci_resource_start(pdev, 0), PAGE_SIZE);
	if (!regs)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (i = 0; i < reads && val != U32_MAX; i++)
		val = ioread32(regs + DSABENCH_GENCAP);
	if (val != U32_MAX)
		dsabench_report("mmio", reads, 0, ktime_get_ns() - t0);
	iounmap(regs);
	if (val == U32_MAX)
		goto gone;

	t0 = ktime_get_ns();
	for (i = 0; i < reads && val != U32_MAX; i++)
		pci_read_config_dword(pdev, PCI_VENDOR_ID, &val);
	if (val == U32_MAX)
		goto gone;
	dsabench_report("cfg", reads, 0, ktime_get_ns() - t0);
	return 0;
gone:
	pr_err("dsabench: %s: register reads return all ones\n",
	       pci_name(pdev));
	return -ENODEV;
}

static int __init dsabench_init(void)
{
	struct dma_chan *chan;
	dma_cap_mask_t mask;
	int ret;

	if (!copies || !copy_size || !stream_size || !depth ||
	    streams < depth || !irqs || !reads)
		return -EINVAL;
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	dma_cap_set(DMA_INTERRUPT, mask);
	chan = dma_request_channel(mask, NULL, NULL);
	if (!chan) {
		pr_err("dsabench: no memcpy channel with interrupts\n");
		return -ENODEV;
	}
	if (!dev_is_pci(chan->device->dev)) {
		pr_err("dsabench: %s is not a PCI function's\n",
		       dma_chan_name(chan));
		ret = -ENODEV;
	} else {
		pr_info("dsabench: %s of %s\n", dma_chan_name(chan),
			dev_name(chan->device->dev));
		ret = dsabench_dma(chan);
		if (!ret)
			ret = dsabench_regs(to_pci_dev(chan->device->dev));
	}
	dma_release_channel(chan);
	return ret;
}

static void __exit dsabench_exit(void)
{
}

module_init(dsabench_init);
module_exit(dsabench_exit);
MODULE_DESCRIPTION("Guest-side DSA measurements for make bench (test module)");
MODULE_LICENSE("GPL");
