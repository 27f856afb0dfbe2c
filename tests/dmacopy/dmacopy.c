// SPDX-License-Identifier: GPL-2.0
/*
 * dmacopy: a load-time check of a dmaengine memcpy channel (the tests use it
 * on the kernel's idxd driver bound to the QEMU DSA model). Copies buffers
 * of assorted sizes and offsets, waits for each completion callback, and
 * compares. Loading succeeds only if every copy did.
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#define DMACOPY_BUF_SIZE	(64 * 1024)

static unsigned int copies = 200;
module_param(copies, uint, 0444);
MODULE_PARM_DESC(copies, "number of copies to make (default 200)");

struct dmacopy_wait {
	struct completion done;
	enum dmaengine_tx_result result;
};

/* Drivers may report cookies out of order (idxd does): use the result. */
static void dmacopy_done(void *arg, const struct dmaengine_result *res)
{
	struct dmacopy_wait *wait = arg;

	wait->result = res ? res->result : DMA_TRANS_NOERROR;
	complete(&wait->done);
}

/* One copy of @len bytes from @src + @off to @dst + @off. */
static int dmacopy_one(struct dma_chan *chan, dma_addr_t src, dma_addr_t dst,
		       size_t off, size_t len)
{
	struct dmacopy_wait wait = { .result = DMA_TRANS_ABORTED };
	struct dma_async_tx_descriptor *tx;
	dma_cookie_t cookie;

	init_completion(&wait.done);

	tx = dmaengine_prep_dma_memcpy(chan, dst + off, src + off, len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx)
		return -ENOMEM;
	tx->callback_result = dmacopy_done;
	tx->callback_param = &wait;
	cookie = dmaengine_submit(tx);
	if (dma_submit_error(cookie))
		return -EIO;
	dma_async_issue_pending(chan);
	if (!wait_for_completion_timeout(&wait.done, msecs_to_jiffies(10000))) {
		dmaengine_terminate_sync(chan);
		return -ETIMEDOUT;
	}
	return wait.result == DMA_TRANS_NOERROR ? 0 : -EIO;
}

static int dmacopy_run(struct dma_chan *chan, u8 *src, u8 *dst)
{
	struct device *dev = chan->device->dev;
	dma_addr_t s, d;
	unsigned int i;
	int ret = 0;

	s = dma_map_single(dev, src, DMACOPY_BUF_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, s))
		return -ENOMEM;
	d = dma_map_single(dev, dst, DMACOPY_BUF_SIZE, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, d)) {
		ret = -ENOMEM;
		goto unmap_src;
	}

	for (i = 0; i < copies && !ret; i++) {
		size_t off = get_random_u32() % 4096;
		size_t len = 1 + get_random_u32() % (DMACOPY_BUF_SIZE - off);

		get_random_bytes(src + off, len);
		memset(dst, 0, DMACOPY_BUF_SIZE);
		dma_sync_single_for_device(dev, s, DMACOPY_BUF_SIZE,
					   DMA_TO_DEVICE);
		dma_sync_single_for_device(dev, d, DMACOPY_BUF_SIZE,
					   DMA_FROM_DEVICE);
		ret = dmacopy_one(chan, s, d, off, len);
		dma_sync_single_for_cpu(dev, d, DMACOPY_BUF_SIZE,
					DMA_FROM_DEVICE);
		if (ret)
			pr_err("dmacopy: %s: copy %u (%zu bytes at %zu) failed: %d\n",
			       dma_chan_name(chan), i, len, off, ret);
		else if (memcmp(src + off, dst + off, len) ||
			 (off && dst[off - 1]) ||
			 (off + len < DMACOPY_BUF_SIZE && dst[off + len]))
			ret = -EILSEQ;
		if (ret == -EILSEQ)
			pr_err("dmacopy: %s: copy %u (%zu bytes at %zu): wrong data\n",
			       dma_chan_name(chan), i, len, off);
	}
	if (!ret)
		pr_info("dmacopy: %s: %u copies, all verified\n",
			dma_chan_name(chan), copies);

	dma_unmap_single(dev, d, DMACOPY_BUF_SIZE, DMA_FROM_DEVICE);
unmap_src:
	dma_unmap_single(dev, s, DMACOPY_BUF_SIZE, DMA_TO_DEVICE);
	return ret;
}

static int __init dmacopy_init(void)
{
	struct dma_chan *chan;
	dma_cap_mask_t mask;
	u8 *src, *dst;
	int ret;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, NULL, NULL);
	if (!chan) {
		pr_err("dmacopy: no memcpy channel\n");
		return -ENODEV;
	}
	src = kmalloc(DMACOPY_BUF_SIZE, GFP_KERNEL);
	dst = kmalloc(DMACOPY_BUF_SIZE, GFP_KERNEL);
	ret = src && dst ? dmacopy_run(chan, src, dst) : -ENOMEM;
	kfree(dst);
	kfree(src);
	dma_release_channel(chan);
	return ret;
}

static void __exit dmacopy_exit(void)
{
}

module_init(dmacopy_init);
module_exit(dmacopy_exit);
MODULE_DESCRIPTION("Check a dmaengine memcpy channel (test module)");
MODULE_LICENSE("GPL");
