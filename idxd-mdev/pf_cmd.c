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

static int pf_cmd_locked(struct pf_dev *pf, enum dsa_cmd cmd, u32 operand,
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
 * pf_int_handle_get() - the interrupt handle of an IMS slot
 * @pf:		the parent function
 * @slot:	the IMS slot
 * @handle:	the handle descriptors name to fire @slot
 *
 * On a second-generation device (REQUEST_INT_HANDLE in CMDCAP) the device
 * hands out the handle; on the first the slot index is the handle.
 * Context: process; may sleep.
 * Return: 0, -EINVAL for a slot past the IMS table, or pf_cmd()'s error.
 */
int pf_int_handle_get(struct pf_dev *pf, unsigned int slot, u32 *handle)
{
	if (slot >= pf->nr_ims)
		return -EINVAL;
	if (pf->gen < 2) {
		*handle = slot;
		return 0;
	}
	return pf_cmd(pf, DSA_CMD_REQUEST_INT_HANDLE,
		      FIELD_PREP(DSA_CMD_INT_INDEX, slot) | DSA_CMD_INT_HANDLE_IMS,
		      handle);
}

/**
 * pf_int_handle_put() - give back a handle pf_int_handle_get() returned
 * @pf:		the parent function
 * @handle:	the handle
 *
 * Releases it through the device on the second generation; nothing to do
 * on the first. A failure is logged by pf_cmd().
 * Context: process; may sleep.
 */
void pf_int_handle_put(struct pf_dev *pf, u32 handle)
{
	if (pf->gen < 2)
		return;
	pf_cmd(pf, DSA_CMD_RELEASE_INT_HANDLE,
	       FIELD_PREP(DSA_CMD_INT_INDEX, handle) | DSA_CMD_INT_HANDLE_IMS, NULL);
}
