// SPDX-License-Identifier: GPL-2.0
/*
 * The command engine of the virtual device: the guest writes CMD, the
 * model checks the command against its state, asks the host to act on
 * the real WQ, and completes it with the hardware's status codes.
 */
#include <linux/bitfield.h>

#include "vidxd.h"

static u32 vidxd_state(struct vidxd *vidxd)
{
	return FIELD_GET(VIDXD_GENSTS_STATE, vidxd_load(vidxd->bar0, VIDXD_GENSTS, 4));
}

static void vidxd_set_state(struct vidxd *vidxd, u32 state, u32 reset_type)
{
	vidxd_store(vidxd->bar0, VIDXD_GENSTS, 4,
		  FIELD_PREP(VIDXD_GENSTS_STATE, state) |
		  FIELD_PREP(VIDXD_GENSTS_RESET_TYPE, reset_type));
}

static bool vidxd_wq_enabled(struct vidxd *vidxd)
{
	return FIELD_GET(VIDXD_WQCFG_WQ_STATE, vidxd_load(vidxd->bar0, VIDXD_WQCFG +
						    VIDXD_WQCFG_STATE, 4)) ==
	       VIDXD_WQ_STATE_ENABLED;
}

static void vidxd_set_wq_state(struct vidxd *vidxd, u32 state)
{
	u32 dw = vidxd_load(vidxd->bar0, VIDXD_WQCFG + VIDXD_WQCFG_STATE, 4);

	dw &= ~VIDXD_WQCFG_WQ_STATE;
	vidxd_store(vidxd->bar0, VIDXD_WQCFG + VIDXD_WQCFG_STATE, 4,
		  dw | FIELD_PREP(VIDXD_WQCFG_WQ_STATE, state));
}

static void vidxd_release_handles(struct vidxd *vidxd)
{
	unsigned int vector;

	lockdep_assert_held(&vidxd->lock);

	for_each_set_bit(vector, &vidxd->handles, VIDXD_NR_VECTORS)
		vidxd->ops->int_handle_release(vidxd->host, vector);
	vidxd->handles = 0;
}

/**
 * vidxd_quiesce - Stop the real WQ and give back the interrupt handles
 * @vidxd:	The device.
 *
 * Context: @vidxd->lock held; may sleep.
 */
void vidxd_quiesce(struct vidxd *vidxd)
{
	lockdep_assert_held(&vidxd->lock);

	if (vidxd_wq_enabled(vidxd)) {
		vidxd->ops->wq_reset(vidxd->host);
		vidxd_set_wq_state(vidxd, VIDXD_WQ_STATE_DISABLED);
	}
	vidxd_release_handles(vidxd);
}

/**
 * vidxd_halt - Halt the device after a fatal error
 * @vidxd:	The device.
 * @error:	The software error code to report.
 *
 * The WQ stops, GENSTS says HALT and that an FLR is needed, SWERR holds
 * @error, and vector 0 goes out if the guest enabled halt interrupts.
 *
 * Context: @vidxd->lock held; may sleep.
 */
void vidxd_halt(struct vidxd *vidxd, u8 error)
{
	lockdep_assert_held(&vidxd->lock);

	vidxd_quiesce(vidxd);
	vidxd_set_state(vidxd, VIDXD_GENSTS_HALT, VIDXD_GENSTS_RESET_FLR);
	vidxd_software_error(vidxd, error, true);
}

/* The guest's WQCFG as the host needs it; the host set it, it is valid. */
static void vidxd_wq_config(struct vidxd *vidxd, struct vidxd_wq_config *cfg)
{
	u32 mode = vidxd_load(vidxd->bar0, VIDXD_WQCFG + VIDXD_WQCFG_MODE_PRIO, 4);
	u32 xfer = vidxd_load(vidxd->bar0, VIDXD_WQCFG + VIDXD_WQCFG_XFER_BATCH, 4);

	cfg->size = vidxd_load(vidxd->bar0, VIDXD_WQCFG + VIDXD_WQCFG_SIZE, 2);
	cfg->priority = FIELD_GET(VIDXD_WQCFG_PRIORITY, mode);
	cfg->pasid_en = mode & VIDXD_WQCFG_PASID_EN;
	cfg->pasid = FIELD_GET(VIDXD_WQCFG_PASID, mode);
	cfg->max_xfer_shift = FIELD_GET(VIDXD_WQCFG_MAX_XFER_SHIFT, xfer);
	cfg->max_batch_shift = FIELD_GET(VIDXD_WQCFG_MAX_BATCH_SHIFT, xfer);
}

static u32 vidxd_host_status(int ret)
{
	return ret ? VIDXD_CMDSTS_HW_ERR : VIDXD_CMDSTS_SUCCESS;
}

/* Operand of DISABLE/DRAIN/ABORT/RESET_WQ: does it name our WQ 0? */
static bool vidxd_names_wq(u32 operand)
{
	return !FIELD_GET(VIDXD_CMD_WQ_BLOCK, operand) &&
	       FIELD_GET(VIDXD_CMD_WQ_BITMAP, operand) == BIT(0);
}

static u32 vidxd_cmd_device(struct vidxd *vidxd, u32 code)
{
	u32 state = vidxd_state(vidxd);
	int ret = 0;

	switch (code) {
	case VIDXD_CMD_ENABLE_DEVICE:
		if (state == VIDXD_GENSTS_ENABLED)
			return VIDXD_CMDSTS_ERR_DEV_ENABLED;
		if (!vidxd_bus_master(vidxd))
			return VIDXD_CMDSTS_ERR_BUSMASTER_EN;
		vidxd_set_state(vidxd, VIDXD_GENSTS_ENABLED, 0);
		return VIDXD_CMDSTS_SUCCESS;
	case VIDXD_CMD_DISABLE_DEVICE:
		if (state != VIDXD_GENSTS_ENABLED)
			return VIDXD_CMDSTS_ERR_DIS_DEV_EN;
		if (vidxd_wq_enabled(vidxd)) {
			ret = vidxd->ops->wq_disable(vidxd->host);
			vidxd_set_wq_state(vidxd, VIDXD_WQ_STATE_DISABLED);
		}
		vidxd_set_state(vidxd, VIDXD_GENSTS_DISABLED, 0);
		return vidxd_host_status(ret);
	case VIDXD_CMD_DRAIN_ALL:
	case VIDXD_CMD_ABORT_ALL:
		if (state != VIDXD_GENSTS_ENABLED)
			return VIDXD_CMDSTS_ERR_DEV_NOT_EN;
		if (vidxd_wq_enabled(vidxd))
			ret = code == VIDXD_CMD_DRAIN_ALL ?
			      vidxd->ops->wq_drain(vidxd->host) :
			      vidxd->ops->wq_abort(vidxd->host);
		return vidxd_host_status(ret);
	}
	/* RESET_DEVICE: from any state, HALT included; MSI-X is kept. */
	vidxd_quiesce(vidxd);
	vidxd_bar0_regs_init(vidxd);
	return VIDXD_CMDSTS_SUCCESS;
}

static u32 vidxd_cmd_wq(struct vidxd *vidxd, u32 code, u32 operand)
{
	struct vidxd_wq_config cfg;
	int ret = 0;

	if (code == VIDXD_CMD_ENABLE_WQ) {
		if (operand >= VIDXD_NR_WQS)
			return VIDXD_CMDSTS_INVAL_WQIDX;
		if (vidxd_state(vidxd) != VIDXD_GENSTS_ENABLED)
			return VIDXD_CMDSTS_ERR_DEV_NOTEN;
		if (vidxd_wq_enabled(vidxd))
			return VIDXD_CMDSTS_ERR_WQ_ENABLED;
		vidxd_wq_config(vidxd, &cfg);
		ret = vidxd->ops->wq_enable(vidxd->host, &cfg);
		if (!ret)
			vidxd_set_wq_state(vidxd, VIDXD_WQ_STATE_ENABLED);
		return vidxd_host_status(ret);
	}

	if (!vidxd_names_wq(operand))
		return VIDXD_CMDSTS_INVAL_WQIDX;
	if (vidxd_state(vidxd) != VIDXD_GENSTS_ENABLED)
		return VIDXD_CMDSTS_ERR_DEV_NOT_EN;
	/* A disabled WQ has nothing to disable, drain, abort or reset. */
	if (!vidxd_wq_enabled(vidxd))
		return VIDXD_CMDSTS_SUCCESS;

	switch (code) {
	case VIDXD_CMD_DISABLE_WQ:
		ret = vidxd->ops->wq_disable(vidxd->host);
		vidxd_set_wq_state(vidxd, VIDXD_WQ_STATE_DISABLED);
		break;
	case VIDXD_CMD_DRAIN_WQ:
		ret = vidxd->ops->wq_drain(vidxd->host);
		break;
	case VIDXD_CMD_ABORT_WQ:
		ret = vidxd->ops->wq_abort(vidxd->host);
		break;
	case VIDXD_CMD_RESET_WQ:
		ret = vidxd->ops->wq_reset(vidxd->host);
		vidxd_set_wq_state(vidxd, VIDXD_WQ_STATE_DISABLED);
		break;
	}
	return vidxd_host_status(ret);
}

/* DRAIN/ABORT_PASID: the WQ's descriptors carry that PASID or none. */
static u32 vidxd_cmd_pasid(struct vidxd *vidxd, u32 code, u32 pasid)
{
	struct vidxd_wq_config cfg;

	if (vidxd_state(vidxd) != VIDXD_GENSTS_ENABLED)
		return VIDXD_CMDSTS_ERR_DEV_NOT_EN;
	vidxd_wq_config(vidxd, &cfg);
	if (!vidxd_wq_enabled(vidxd) || !cfg.pasid_en || cfg.pasid != pasid)
		return VIDXD_CMDSTS_SUCCESS;
	return vidxd_host_status(code == VIDXD_CMD_DRAIN_PASID ?
				 vidxd->ops->wq_drain(vidxd->host) :
				 vidxd->ops->wq_abort(vidxd->host));
}

static u32 vidxd_cmd_int_handle(struct vidxd *vidxd, u32 code, u32 operand,
				u32 *result)
{
	unsigned int vector, index = FIELD_GET(VIDXD_CMD_INT_INDEX, operand);
	int ret;

	/* The guest has no IMS of its own: only MSI-X handles exist. */
	if (operand & VIDXD_CMD_INT_HANDLE_IMS)
		return VIDXD_CMDSTS_ERR_NO_HANDLE;

	if (code == VIDXD_CMD_REQUEST_INT_HANDLE) {
		if (!index || index >= VIDXD_NR_VECTORS)
			return VIDXD_CMDSTS_ERR_INVAL_INT_IDX;
		if (!(vidxd->handles & BIT(index))) {
			ret = vidxd->ops->int_handle_request(vidxd->host, index,
							     &vidxd->handle[index]);
			if (ret)
				return VIDXD_CMDSTS_ERR_NO_HANDLE;
			vidxd->handles |= BIT(index);
		}
		*result = vidxd->handle[index];
		return VIDXD_CMDSTS_SUCCESS;
	}

	/* RELEASE_INT_HANDLE names the handle, not the vector. */
	for_each_set_bit(vector, &vidxd->handles, VIDXD_NR_VECTORS) {
		if (vidxd->handle[vector] == index) {
			vidxd->ops->int_handle_release(vidxd->host, vector);
			vidxd->handles &= ~BIT(vector);
			return VIDXD_CMDSTS_SUCCESS;
		}
	}
	return VIDXD_CMDSTS_ERR_NO_HANDLE;
}

static bool vidxd_cmd_supported(struct vidxd *vidxd, u32 code)
{
	return code < 64 && vidxd_load(vidxd->bar0, VIDXD_CMDCAP, 8) & BIT_ULL(code);
}

/**
 * vidxd_do_command - Run a command the guest wrote to CMD
 * @vidxd:	The device.
 * @cmd:	The CMD register value.
 *
 * Commands complete before this returns: CMDSTS is active only meanwhile,
 * which no guest access can see (they take @vidxd->lock too). With
 * CMD.int_req set, INTCAUSE.CMD is set and vector 0 sent on completion.
 *
 * Context: @vidxd->lock held; may sleep (host ops).
 */
void vidxd_do_command(struct vidxd *vidxd, u32 cmd)
{
	u32 code = FIELD_GET(VIDXD_CMD_CODE, cmd), operand = FIELD_GET(VIDXD_CMD_OPERAND, cmd);
	u32 status, result = 0;

	lockdep_assert_held(&vidxd->lock);

	if (vidxd_load(vidxd->bar0, VIDXD_CMDSTS, 4) & VIDXD_CMDSTS_ACTIVE) {
		vidxd_software_error(vidxd, VIDXD_SWERR_CMD_REG, false);
		return;
	}
	vidxd_store(vidxd->bar0, VIDXD_CMD, 4, cmd);
	vidxd_store(vidxd->bar0, VIDXD_CMDSTS, 4, VIDXD_CMDSTS_ACTIVE);

	if (!vidxd_cmd_supported(vidxd, code))
		status = VIDXD_CMDSTS_INVAL_CMD;
	else if (vidxd_state(vidxd) == VIDXD_GENSTS_HALT &&
		 code != VIDXD_CMD_RESET_DEVICE)
		status = VIDXD_CMDSTS_HW_ERR;
	else if (code <= VIDXD_CMD_RESET_DEVICE)
		status = vidxd_cmd_device(vidxd, code);
	else if (code <= VIDXD_CMD_RESET_WQ)
		status = vidxd_cmd_wq(vidxd, code, operand);
	else if (code <= VIDXD_CMD_ABORT_PASID)
		status = vidxd_cmd_pasid(vidxd, code, operand);
	else
		status = vidxd_cmd_int_handle(vidxd, code, operand, &result);

	vidxd_store(vidxd->bar0, VIDXD_CMDSTS, 4, FIELD_PREP(VIDXD_CMDSTS_ERR, status) |
		  FIELD_PREP(VIDXD_CMDSTS_RESULT, result));
	if (cmd & VIDXD_CMD_INT_REQ)
		vidxd_signal_cause(vidxd, VIDXD_INTCAUSE_CMD);
}

/**
 * vidxd_revoke_handles - The host took the interrupt handles back
 * @vidxd:	The device.
 *
 * The guest learns it from INTCAUSE.HANDLE_REVOKED on vector 0 and asks
 * for new handles with REQUEST_INT_HANDLE.
 *
 * Context: Process context.
 */
void vidxd_revoke_handles(struct vidxd *vidxd)
{
	mutex_lock(&vidxd->lock);
	vidxd->handles = 0;
	vidxd_signal_cause(vidxd, VIDXD_INTCAUSE_HANDLE_REVOKED);
	mutex_unlock(&vidxd->lock);
}

/**
 * vidxd_init - Make a virtual device
 * @vidxd:	Storage for it.
 * @caps:	What to make it from.
 * @ops:	The host side; every callback is required.
 * @host:	Passed to @ops.
 *
 * Context: Process context.
 * Return: 0, or -EINVAL if @caps or @ops cannot make a device.
 */
int vidxd_init(struct vidxd *vidxd, const struct vidxd_caps *caps,
	       const struct vidxd_host_ops *ops, void *host)
{
	if (!caps->wq_size || !caps->num_engines || caps->num_engines > 64 ||
	    !ops->wq_enable || !ops->wq_disable || !ops->wq_drain ||
	    !ops->wq_abort || !ops->wq_reset || !ops->int_handle_request ||
	    !ops->int_handle_release || !ops->signal)
		return -EINVAL;

	memset(vidxd, 0, sizeof(*vidxd));
	vidxd->caps = *caps;
	vidxd->ops = ops;
	vidxd->host = host;
	mutex_init(&vidxd->lock);
	spin_lock_init(&vidxd->irq_lock);
	vidxd_cfg_init(vidxd);
	vidxd_bar0_init(vidxd);
	return 0;
}

/**
 * vidxd_function_reset - FLR: back to the state after vidxd_init()
 * @vidxd:	The device.
 *
 * Context: @vidxd->lock held; may sleep.
 */
void vidxd_function_reset(struct vidxd *vidxd)
{
	lockdep_assert_held(&vidxd->lock);

	vidxd_quiesce(vidxd);
	vidxd_cfg_init(vidxd);
	vidxd_bar0_init(vidxd);
}

/**
 * vidxd_reset - Reset the whole function (VFIO_DEVICE_RESET, close)
 * @vidxd:	The device.
 *
 * As an FLR: the real WQ is stopped, handles are released, config space
 * and BAR0 return to their initial values.
 *
 * Context: Process context, may sleep.
 */
void vidxd_reset(struct vidxd *vidxd)
{
	mutex_lock(&vidxd->lock);
	vidxd_function_reset(vidxd);
	mutex_unlock(&vidxd->lock);
}
