// SPDX-License-Identifier: GPL-2.0
/*
 * The command engine of a parent function (CMD/CMDSTS), and the interrupt
 * handles built on it.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/iopoll.h>

#include "pf.h"

#define PF_CMD_TIMEOUT_US	1000000

/**
 * pf_cmd_locked() - pf_cmd() with pf->cmd_lock held
 * @pf:		the parent function
 * @cmd:	the command
 * @operand:	its operand
 * @result:	CMDSTS's result field, if not NULL
 *
 * For a sequence of commands and register writes no other command may
 * come between.
 * Context: process, pf->cmd_lock held; sleeps up to a second.
 * Return: as pf_cmd().
 */
int pf_cmd_locked(struct pf_dev *pf, enum dsa_cmd cmd, u32 operand,
		  u32 *result)
{
	u32 sts;
	int ret;

	lockdep_assert_held(&pf->cmd_lock);

	iowrite32(FIELD_PREP(DSA_CMD_CODE, cmd) |
		  FIELD_PREP(DSA_CMD_OPERAND, operand), pf->regs + DSA_CMD);
	ret = readl_poll_timeout(pf->regs + DSA_CMDSTS, sts,
				 !(sts & DSA_CMDSTS_ACTIVE), 10,
				 PF_CMD_TIMEOUT_US);
	if (ret) {
		dev_err(&pf->pdev->dev, "command %u (operand %#x) timed out\n",
			cmd, operand);
		return ret;
	}
	if (FIELD_GET(DSA_CMDSTS_ERR, sts)) {
		dev_err(&pf->pdev->dev,
			"command %u (operand %#x) failed: status %#lx\n",
			cmd, operand, FIELD_GET(DSA_CMDSTS_ERR, sts));
		return -EIO;
	}
	if (result)
		*result = FIELD_GET(DSA_CMDSTS_RESULT, sts);
	if (cmd == DSA_CMD_RESET_DEVICE)
		pf->resets++;
	return 0;
}

/**
 * pf_cmd() - run one command of the device and wait for it
 * @pf:		the parent function
 * @cmd:	the command
 * @operand:	its operand
 * @result:	CMDSTS's result field, if not NULL
 *
 * Logs one line on failure, with the status the device reported.
 * Context: process; takes pf->cmd_lock and sleeps up to a second.
 * Return: 0, -ETIMEDOUT, or -EIO when the device reported an error.
 */
int pf_cmd(struct pf_dev *pf, enum dsa_cmd cmd, u32 operand, u32 *result)
{
	int ret;

	mutex_lock(&pf->cmd_lock);
	ret = pf_cmd_locked(pf, cmd, operand, result);
	mutex_unlock(&pf->cmd_lock);
	return ret;
}

/**
 * pf_wq_cmd() - run a WQ command on one WQ
 * @pf:		the parent function
 * @cmd:	ENABLE_WQ, DISABLE_WQ, DRAIN_WQ, ABORT_WQ or RESET_WQ
 * @wq:		the WQ
 *
 * Context: process; may sleep.
 * Return: as pf_cmd().
 */
int pf_wq_cmd(struct pf_dev *pf, enum dsa_cmd cmd, unsigned int wq)
{
	/* ENABLE_WQ names its WQ by index, the others by a bitmap of 16. */
	u32 operand = cmd == DSA_CMD_ENABLE_WQ ? wq :
		      FIELD_PREP(DSA_CMD_WQ_BITMAP, BIT(wq % 16)) |
		      FIELD_PREP(DSA_CMD_WQ_BLOCK, wq / 16);

	return pf_cmd(pf, cmd, operand, NULL);
}

/**
 * pf_wq_enable() - configure a WQ's mode word and enable it
 * @pf:		the parent function
 * @wq:		the WQ, disabled
 * @mode:	its WQCFG mode word (dedicated, priority, PASID)
 *
 * One section under pf->cmd_lock: a reset and reconfiguration of the
 * device (pf_configure()) cannot come between the write and the enable,
 * so the WQ never runs with another mode word than @mode.
 * Context: process; may sleep.
 * Return: as pf_cmd().
 */
int pf_wq_enable(struct pf_dev *pf, unsigned int wq, u32 mode)
{
	int ret;

	mutex_lock(&pf->cmd_lock);
	iowrite32(mode, pf_wqcfg(pf, wq) + DSA_WQCFG_MODE_PRIO);
	ret = pf_cmd_locked(pf, DSA_CMD_ENABLE_WQ, wq, NULL);
	mutex_unlock(&pf->cmd_lock);
	return ret;
}

/**
 * pf_wq_enabled() - whether the device says a WQ is enabled
 * @pf:		the parent function
 * @wq:		the WQ
 *
 * Context: any.
 * Return: true if WQCFG's state is enabled.
 */
bool pf_wq_enabled(struct pf_dev *pf, unsigned int wq)
{
	return FIELD_GET(DSA_WQCFG_WQ_STATE,
			 ioread32(pf_wqcfg(pf, wq) + DSA_WQCFG_STATE)) ==
	       DSA_WQ_STATE_ENABLED;
}

/**
 * pf_int_handle_get() - the interrupt handle of an IMS slot
 * @pf:		the parent function
 * @slot:	the IMS slot
 * @handle:	the handle descriptors name to fire @slot
 * @epoch:	the device reset the handle belongs to, for
 *		pf_int_handle_put()
 *
 * On a second-generation device (REQUEST_INT_HANDLE in CMDCAP) the device
 * hands out the handle; on the first the slot index is the handle.
 * Context: process; may sleep.
 * Return: 0, -EINVAL for a slot past the IMS table, or pf_cmd()'s error.
 */
int pf_int_handle_get(struct pf_dev *pf, unsigned int slot, u32 *handle,
		      unsigned int *epoch)
{
	int ret = 0;

	if (slot >= pf->nr_ims)
		return -EINVAL;
	mutex_lock(&pf->cmd_lock);
	*epoch = pf->resets;
	if (pf->gen < 2)
		*handle = slot;
	else
		ret = pf_cmd_locked(pf, DSA_CMD_REQUEST_INT_HANDLE,
				    FIELD_PREP(DSA_CMD_INT_INDEX, slot) |
				    DSA_CMD_INT_HANDLE_IMS, handle);
	mutex_unlock(&pf->cmd_lock);
	return ret;
}

/**
 * pf_int_handle_put() - give back a handle pf_int_handle_get() returned
 * @pf:		the parent function
 * @handle:	the handle
 * @epoch:	what pf_int_handle_get() said
 *
 * Releases it through the device on the second generation, unless a
 * device reset since took every handle back; nothing to do on the first.
 * A failure is logged by pf_cmd().
 * Context: process; may sleep.
 */
void pf_int_handle_put(struct pf_dev *pf, u32 handle, unsigned int epoch)
{
	if (pf->gen < 2)
		return;
	mutex_lock(&pf->cmd_lock);
	if (epoch == pf->resets)
		pf_cmd_locked(pf, DSA_CMD_RELEASE_INT_HANDLE,
			      FIELD_PREP(DSA_CMD_INT_INDEX, handle) |
			      DSA_CMD_INT_HANDLE_IMS, NULL);
	mutex_unlock(&pf->cmd_lock);
}
