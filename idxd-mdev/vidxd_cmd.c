// SPDX-License-Identifier: GPL-2.0
/*
 * The command engine of the virtual device: the guest writes CMD, the
 * model checks the command against its state, asks the host to act on
 * the real WQ, and completes it with the hardware's status codes. Calls
 * into vidxd_core.c and vidxd_irq.c.
 */
#include "vidxd_priv.h"

/* The guest's WQCFG as the host needs it; the host set it, it is valid. */
static void vidxd_wq_config_locked(struct vidxd *vidxd,
				   struct vidxd_wq_config *cfg)
{
	const u8 *wqcfg = vidxd->bar0 + VIDXD_WQCFG;
	u32 mode = vidxd_load(wqcfg, DSA_WQCFG_MODE_PRIO, 4);
	u32 xfer = vidxd_load(wqcfg, DSA_WQCFG_XFER_BATCH, 4);

	lockdep_assert_held(&vidxd->lock);

	cfg->size = vidxd_load(vidxd->bar0, VIDXD_WQCFG + DSA_WQCFG_SIZE, 2);
	cfg->priority = FIELD_GET(DSA_WQCFG_PRIORITY, mode);
	cfg->pasid_en = mode & DSA_WQCFG_PASID_EN;
	cfg->pasid = FIELD_GET(DSA_WQCFG_PASID, mode);
	cfg->max_xfer_shift = FIELD_GET(DSA_WQCFG_MAX_XFER_SHIFT, xfer);
	cfg->max_batch_shift = FIELD_GET(DSA_WQCFG_MAX_BATCH_SHIFT, xfer);
}

static u32 vidxd_host_status(int ret)
{
	return ret ? DSA_CMDSTS_HW_ERR : DSA_CMDSTS_SUCCESS;
}

/*
 * Disable the real WQ, or reset it (abort, then disable). If the host
 * fails, the WQ may still run: it stays enabled and the device halts.
 */
static int vidxd_wq_stop_locked(struct vidxd *vidxd, bool reset)
{
	int ret;

	lockdep_assert_held(&vidxd->lock);

	ret = reset ? vidxd->ops->wq_reset(vidxd->host) :
		      vidxd->ops->wq_disable(vidxd->host);
	if (ret)
		vidxd_host_failed_locked(vidxd);
	else
		vidxd_set_wq_state_locked(vidxd, DSA_WQ_STATE_DISABLED);
	return ret;
}

/* Operand of DISABLE/DRAIN/ABORT/RESET_WQ: does it name our WQ 0? */
static bool vidxd_names_wq(u32 operand)
{
	return !FIELD_GET(DSA_CMD_WQ_BLOCK, operand) &&
	       FIELD_GET(DSA_CMD_WQ_BITMAP, operand) == BIT(0);
}

static u32 vidxd_cmd_device_locked(struct vidxd *vidxd, u32 code)
{
	u32 state = vidxd_state_locked(vidxd);
	int ret = 0;

	lockdep_assert_held(&vidxd->lock);

	switch (code) {
	case DSA_CMD_ENABLE_DEVICE:
		if (state == DSA_GENSTS_ENABLED)
			return DSA_CMDSTS_ERR_DEV_ENABLED;
		if (!vidxd_bus_master_locked(vidxd))
			return DSA_CMDSTS_ERR_BUSMASTER_EN;
		vidxd_set_state_locked(vidxd, DSA_GENSTS_ENABLED, 0);
		return DSA_CMDSTS_SUCCESS;
	case DSA_CMD_DISABLE_DEVICE:
		if (state != DSA_GENSTS_ENABLED)
			return DSA_CMDSTS_ERR_DIS_DEV_EN;
		if (vidxd_wq_enabled_locked(vidxd) &&
		    vidxd_wq_stop_locked(vidxd, false))
			return DSA_CMDSTS_HW_ERR;
		vidxd_set_state_locked(vidxd, DSA_GENSTS_DISABLED, 0);
		return DSA_CMDSTS_SUCCESS;
	case DSA_CMD_DRAIN_ALL:
	case DSA_CMD_ABORT_ALL:
		if (state != DSA_GENSTS_ENABLED)
			return DSA_CMDSTS_ERR_DEV_NOT_EN;
		if (vidxd_wq_enabled_locked(vidxd))
			ret = code == DSA_CMD_DRAIN_ALL ?
			      vidxd->ops->wq_drain(vidxd->host) :
			      vidxd->ops->wq_abort(vidxd->host);
		return vidxd_host_status(ret);
	}
	return vidxd_host_status(vidxd_device_reset_locked(vidxd));
}

static u32 vidxd_cmd_wq_locked(struct vidxd *vidxd, u32 code, u32 operand)
{
	struct vidxd_wq_config cfg;
	int ret = 0;

	lockdep_assert_held(&vidxd->lock);

	if (code == DSA_CMD_ENABLE_WQ) {
		if (operand >= VIDXD_NR_WQS)
			return DSA_CMDSTS_INVAL_WQIDX;
		if (vidxd_state_locked(vidxd) != DSA_GENSTS_ENABLED)
			return DSA_CMDSTS_ERR_DEV_NOTEN;
		if (vidxd_wq_enabled_locked(vidxd))
			return DSA_CMDSTS_ERR_WQ_ENABLED;
		vidxd_wq_config_locked(vidxd, &cfg);
		ret = vidxd->ops->wq_enable(vidxd->host, &cfg);
		if (!ret)
			vidxd_set_wq_state_locked(vidxd,
						  DSA_WQ_STATE_ENABLED);
		return vidxd_host_status(ret);
	}

	if (!vidxd_names_wq(operand))
		return DSA_CMDSTS_INVAL_WQIDX;
	if (vidxd_state_locked(vidxd) != DSA_GENSTS_ENABLED)
		return DSA_CMDSTS_ERR_DEV_NOT_EN;
	/* A disabled WQ has nothing to disable, drain, abort or reset. */
	if (!vidxd_wq_enabled_locked(vidxd))
		return DSA_CMDSTS_SUCCESS;

	switch (code) {
	case DSA_CMD_DISABLE_WQ:
		ret = vidxd_wq_stop_locked(vidxd, false);
		break;
	case DSA_CMD_DRAIN_WQ:
		ret = vidxd->ops->wq_drain(vidxd->host);
		break;
	case DSA_CMD_ABORT_WQ:
		ret = vidxd->ops->wq_abort(vidxd->host);
		break;
	case DSA_CMD_RESET_WQ:
		ret = vidxd_wq_stop_locked(vidxd, true);
		break;
	}
	return vidxd_host_status(ret);
}

/* DRAIN/ABORT_PASID: the WQ's descriptors carry that PASID or none. */
static u32 vidxd_cmd_pasid_locked(struct vidxd *vidxd, u32 code, u32 pasid)
{
	struct vidxd_wq_config cfg;

	lockdep_assert_held(&vidxd->lock);

	if (vidxd_state_locked(vidxd) != DSA_GENSTS_ENABLED)
		return DSA_CMDSTS_ERR_DEV_NOT_EN;
	vidxd_wq_config_locked(vidxd, &cfg);
	if (!vidxd_wq_enabled_locked(vidxd) || !cfg.pasid_en ||
	    cfg.pasid != pasid)
		return DSA_CMDSTS_SUCCESS;
	return vidxd_host_status(code == DSA_CMD_DRAIN_PASID ?
				 vidxd->ops->wq_drain(vidxd->host) :
				 vidxd->ops->wq_abort(vidxd->host));
}

static u32 vidxd_cmd_int_handle_locked(struct vidxd *vidxd, u32 code,
				       u32 operand, u32 *result)
{
	unsigned int vector, index = FIELD_GET(DSA_CMD_INT_INDEX, operand);
	int ret;

	lockdep_assert_held(&vidxd->lock);

	/* The guest has no IMS of its own: only MSI-X handles exist. */
	if (operand & DSA_CMD_INT_HANDLE_IMS)
		return DSA_CMDSTS_ERR_NO_HANDLE;

	if (code == DSA_CMD_REQUEST_INT_HANDLE) {
		if (!index || index >= VIDXD_NR_VECTORS)
			return DSA_CMDSTS_ERR_INVAL_INT_IDX;
		if (!(vidxd->handles & BIT(index))) {
			ret = vidxd->ops->int_handle_request(vidxd->host, index,
							     &vidxd->handle[index]);
			if (ret)
				return DSA_CMDSTS_ERR_NO_HANDLE;
			vidxd->handles |= BIT(index);
		}
		*result = vidxd->handle[index];
		return DSA_CMDSTS_SUCCESS;
	}

	/* RELEASE_INT_HANDLE names the handle, not the vector. */
	for_each_set_bit(vector, &vidxd->handles, VIDXD_NR_VECTORS) {
		if (vidxd->handle[vector] == index) {
			vidxd->ops->int_handle_release(vidxd->host, vector);
			vidxd->handles &= ~BIT(vector);
			return DSA_CMDSTS_SUCCESS;
		}
	}
	return DSA_CMDSTS_ERR_NO_HANDLE;
}

static bool vidxd_cmd_supported_locked(struct vidxd *vidxd, u32 code)
{
	lockdep_assert_held(&vidxd->lock);

	return code < 64 &&
	       vidxd_load(vidxd->bar0, DSA_CMDCAP, 8) & BIT_ULL(code);
}

/**
 * vidxd_do_command_locked - Run a command the guest wrote to CMD
 * @vidxd:	The device.
 * @cmd:	The CMD register value.
 *
 * Commands complete before this returns, and guest accesses take
 * @vidxd->lock too: no guest ever sees CMDSTS.active set, so a CMD write
 * never finds a command in flight. With CMD.int_req set, INTCAUSE.CMD is
 * set and vector 0 sent on completion.
 *
 * Context: @vidxd->lock held; may sleep (host ops).
 */
void vidxd_do_command_locked(struct vidxd *vidxd, u32 cmd)
{
	u32 code = FIELD_GET(DSA_CMD_CODE, cmd);
	u32 operand = FIELD_GET(DSA_CMD_OPERAND, cmd);
	u32 status, result = 0;

	lockdep_assert_held(&vidxd->lock);

	vidxd_store(vidxd->bar0, DSA_CMD, 4, cmd);

	if (!vidxd_cmd_supported_locked(vidxd, code))
		status = DSA_CMDSTS_INVAL_CMD;
	else if (vidxd_state_locked(vidxd) == DSA_GENSTS_HALT &&
		 code != DSA_CMD_RESET_DEVICE)
		status = DSA_CMDSTS_HW_ERR;
	else if (code <= DSA_CMD_RESET_DEVICE)
		status = vidxd_cmd_device_locked(vidxd, code);
	else if (code <= DSA_CMD_RESET_WQ)
		status = vidxd_cmd_wq_locked(vidxd, code, operand);
	else if (code <= DSA_CMD_ABORT_PASID)
		status = vidxd_cmd_pasid_locked(vidxd, code, operand);
	else
		status = vidxd_cmd_int_handle_locked(vidxd, code, operand,
						     &result);

	vidxd_store(vidxd->bar0, DSA_CMDSTS, 4,
		    FIELD_PREP(DSA_CMDSTS_ERR, status) |
		    FIELD_PREP(DSA_CMDSTS_RESULT, result));
	if (cmd & DSA_CMD_INT_REQ)
		vidxd_signal_cause_locked(vidxd, DSA_INTCAUSE_CMD);
}

/**
 * vidxd_revoke_handles - The host took the interrupt handles back
 * @vidxd:	The device.
 *
 * The guest learns it from INTCAUSE.HANDLE_REVOKED on vector 0 and asks
 * for new handles with REQUEST_INT_HANDLE.
 *
 * Context: Process context, not from a host op (takes @vidxd->lock).
 */
void vidxd_revoke_handles(struct vidxd *vidxd)
{
	mutex_lock(&vidxd->lock);
	vidxd->handles = 0;
	vidxd_signal_cause_locked(vidxd, DSA_INTCAUSE_HANDLE_REVOKED);
	mutex_unlock(&vidxd->lock);
}
