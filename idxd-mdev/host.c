// SPDX-License-Identifier: GPL-2.0
/*
 * The model's host side: what the virtual device is made of, and its
 * WQ commands carried out on the real WQ the instance owns. The guest's
 * WQ configuration is the host's (read-only to the guest); what the
 * guest cannot see is where its DMA goes: the WQ is given the instance's
 * PASID in pasid mode, none in pf mode (dma.c).
 */
#include <linux/bitfield.h>
#include <linux/bitops.h>

#include "mdev.h"
#include "pf_event.h"

/**
 * idxd_mdev_caps() - what the virtual device of an instance is made of
 * @im:		the instance, its WQ claimed
 * @caps:	filled in
 *
 * Context: any.
 */
void idxd_mdev_caps(struct idxd_mdev *im, struct vidxd_caps *caps)
{
	const struct pf_dev *pf = im->pf;
	const struct pf_carve *c = &pf->carve;
	unsigned int i;

	caps->device_id = pf->pdev->device;
	caps->version = pf->version;
	caps->gencap = pf->gencap;
	for (i = 0; i < DSA_OPCAP_WORDS; i++)
		caps->opcap[i] = pf->opcap[i];
	caps->wq_size = c->wq_size[im->wq];
	caps->wq_priority = PF_WQ_PRIORITY;
	caps->num_engines = hweight64(c->group_engines[c->wq_group[im->wq]]);
}

static int idxd_mdev_wq_enable(void *host, const struct vidxd_wq_config *cfg)
{
	struct idxd_mdev *im = host;
	struct pf_dev *pf = im->pf;
	u32 mode;
	int ret;

	ret = idxd_mdev_dma_sync(im);
	if (ret)
		return ret;
	/* Where the WQ's DMA goes is the host's choice, not the guest's. */
	mode = DSA_WQCFG_MODE_DEDICATED |
	       FIELD_PREP(DSA_WQCFG_PRIORITY, PF_WQ_PRIORITY);
	if (im->dma.pasid_mode)
		mode |= DSA_WQCFG_PASID_EN |
			FIELD_PREP(DSA_WQCFG_PASID, im->dma.pasid);
	return pf_wq_enable(pf, im->wq, mode);
}

/*
 * Disable the real WQ, aborting its work first for a reset; one the
 * device disabled already (a reset of the whole function) needs nothing.
 * Not RESET_WQ: it also clears the WQ's configuration, whose size the
 * device takes only while it is disabled, so the WQ could not be enabled
 * again without disabling every instance's. The portal mappings go
 * either way: the next access maps the portal of the WQ as it is now.
 */
static int idxd_mdev_wq_stop(struct idxd_mdev *im, bool abort)
{
	int ret = 0;

	if (pf_wq_enabled(im->pf, im->wq)) {
		if (abort)
			ret = pf_wq_cmd(im->pf, DSA_CMD_ABORT_WQ, im->wq);
		if (!ret)
			ret = pf_wq_cmd(im->pf, DSA_CMD_DISABLE_WQ, im->wq);
	}
	idxd_mdev_portal_zap(im);
	return ret;
}

static int idxd_mdev_wq_disable(void *host)
{
	return idxd_mdev_wq_stop(host, false);
}

static int idxd_mdev_wq_reset(void *host)
{
	return idxd_mdev_wq_stop(host, true);
}

static int idxd_mdev_wq_drain(void *host)
{
	struct idxd_mdev *im = host;

	return pf_wq_cmd(im->pf, DSA_CMD_DRAIN_WQ, im->wq);
}

static int idxd_mdev_wq_abort(void *host)
{
	struct idxd_mdev *im = host;

	return pf_wq_cmd(im->pf, DSA_CMD_ABORT_WQ, im->wq);
}

static int idxd_mdev_int_handle_request(void *host, unsigned int vector,
					u32 *handle)
{
	return idxd_mdev_ims_request(host, vector, handle);
}

static void idxd_mdev_int_handle_release(void *host, unsigned int vector)
{
	idxd_mdev_ims_release(host, vector);
}

static void idxd_mdev_signal_op(void *host, unsigned int vector)
{
	idxd_mdev_signal(host, vector);
}

const struct vidxd_host_ops idxd_mdev_host_ops = {
	.wq_enable = idxd_mdev_wq_enable,
	.wq_disable = idxd_mdev_wq_disable,
	.wq_drain = idxd_mdev_wq_drain,
	.wq_abort = idxd_mdev_wq_abort,
	.wq_reset = idxd_mdev_wq_reset,
	.int_handle_request = idxd_mdev_int_handle_request,
	.int_handle_release = idxd_mdev_int_handle_release,
	.signal = idxd_mdev_signal_op,
};

/**
 * idxd_mdev_wq_error() - the parent saw a software error on our WQ
 * @owner:	the instance
 * @swerr:	SWERR's four words
 *
 * The guest sees it in its own SWERR, naming its WQ 0 and no PASID.
 * Context: the parent's vector 0 thread.
 */
void idxd_mdev_wq_error(void *owner, const u64 *swerr)
{
	struct idxd_mdev *im = owner;
	u64 guest[DSA_SWERR_WORDS];

	pf_event_guest_swerr(swerr, guest);
	vidxd_report_error(&im->vidxd, guest);
}

/**
 * idxd_mdev_wq_halt() - the parent halted and was reset
 * @owner:	the instance
 * @swerr:	SWERR's four words at the halt
 *
 * Its WQ and interrupt handles are gone: the virtual device halts too,
 * with the device's error, or the model's "host WQ" error where the host
 * reset the device itself, and its guest resets it.
 * Context: the parent's vector 0 thread, or pf_recover().
 */
void idxd_mdev_wq_halt(void *owner, const u64 *swerr)
{
	struct idxd_mdev *im = owner;

	vidxd_halt(&im->vidxd, swerr[0] & DSA_SWERR_VALID ?
			       FIELD_GET(DSA_SWERR_ERROR, swerr[0]) :
			       VIDXD_SWERR_HOST_WQ);
}
