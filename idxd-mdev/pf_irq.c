// SPDX-License-Identifier: GPL-2.0
/*
 * Vector 0 of a parent function: the device's own events. A software
 * error on a WQ goes to the WQ's owner; a halt goes to every owner and is
 * recovered by resetting and reconfiguring the device.
 */
#include <linux/bitfield.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>

#include "pf.h"
#include "pf_event.h"

/**
 * pf_irq_enable_events() - let the device raise vector 0, and keep
 * descriptors off every MSI-X vector
 * @pf:		the parent function
 *
 * A reset clears both GENCTRL and the permission table: call it after one.
 * Context: any.
 */
void pf_irq_enable_events(struct pf_dev *pf)
{
	u64 table = readq(pf->regs + DSA_TABLE);
	void __iomem *perm = pf->regs + FIELD_GET(DSA_TABLE_MSIX_PERM, table) *
			     DSA_TABLE_UNIT;
	unsigned int i;

	/*
	 * Completion interrupts of the host go through IMS only: a
	 * descriptor naming an MSI-X vector must fire nothing.
	 */
	for (i = 0; i < pf->nr_vectors; i++)
		iowrite32(DSA_MSIX_PERM_IGNORE, perm + i * DSA_MSIX_PERM_STRIDE);
	iowrite32(DSA_GENCTRL_SOFTERR_INT_EN | DSA_GENCTRL_HALT_INT_EN,
		  pf->regs + DSA_GENCTRL);
}

static void pf_wq_error(struct pf_dev *pf, unsigned int wq, const u64 *swerr)
{
	struct pf_wq *w = &pf->wqs[wq];

	w->errors++;
	mutex_lock(&pf->owner_lock);
	if (w->error)
		w->error(w->owner, swerr);
	else
		dev_warn(&pf->pdev->dev,
			 "WQ %u: software error %#llx, no instance to tell\n",
			 wq, FIELD_GET(DSA_SWERR_ERROR, swerr[0]));
	mutex_unlock(&pf->owner_lock);
}

/*
 * The device is reset first: then every WQ is disabled and every
 * interrupt handle void, and the instances, told next, find nothing of
 * theirs running.
 */
static void pf_reset_all(struct pf_dev *pf, const u64 *swerr)
{
	unsigned int i;

	mutex_lock(&pf->recover_lock);
	/* Whoever turned bus mastering off, the device needs it back. */
	pci_set_master(pf->pdev);
	if (!pf_configure(pf))
		dev_info(&pf->pdev->dev, "recovered by reset\n");
	mutex_lock(&pf->owner_lock);
	for (i = 0; i < pf->carve.nr_wqs; i++) {
		pf->wqs[i].halts++;
		if (pf->wqs[i].halt)
			pf->wqs[i].halt(pf->wqs[i].owner, swerr);
	}
	mutex_unlock(&pf->owner_lock);
	mutex_unlock(&pf->recover_lock);
}

static void pf_halted(struct pf_dev *pf, const u64 *swerr)
{
	dev_err(&pf->pdev->dev,
		"device halted (software error %#llx): halting every instance, resetting\n",
		swerr[0] & DSA_SWERR_VALID ?
		FIELD_GET(DSA_SWERR_ERROR, swerr[0]) : 0);
	pf_reset_all(pf, swerr);
}

/**
 * pf_recover() - reset the function and halt every instance
 * @pf:		the parent function
 *
 * For a WQ that does not stop when told to: the reset stops it for sure.
 * The instances learn it as from a device halt.
 * Context: process, holding no instance's model lock; sleeps.
 */
void pf_recover(struct pf_dev *pf)
{
	static const u64 no_swerr[DSA_SWERR_WORDS];

	pf_reset_all(pf, no_swerr);
}

static irqreturn_t pf_irq_thread(int irq, void *data)
{
	struct pf_dev *pf = data;
	u64 swerr[DSA_SWERR_WORDS];
	struct pf_event ev;
	unsigned int i;
	u32 cause;

	cause = ioread32(pf->regs + DSA_INTCAUSE);
	if (!cause)
		return IRQ_NONE;
	iowrite32(cause, pf->regs + DSA_INTCAUSE);
	for (i = 0; i < DSA_SWERR_WORDS; i++)
		swerr[i] = readq(pf->regs + DSA_SWERR + i * 8);
	if (swerr[0] & DSA_SWERR_VALID)
		writeq(DSA_SWERR_VALID | DSA_SWERR_OVERFLOW,
		       pf->regs + DSA_SWERR);

	ev = pf_event_decode(cause, ioread32(pf->regs + DSA_GENSTS), swerr,
			     pf->carve.nr_wqs);
	switch (ev.kind) {
	case PF_EVENT_HALT:
		pf_halted(pf, swerr);
		break;
	case PF_EVENT_WQ_ERROR:
		pf_wq_error(pf, ev.wq, swerr);
		break;
	case PF_EVENT_STRAY_ERROR:
		dev_err(&pf->pdev->dev, "software error %#llx on no WQ of ours\n",
			FIELD_GET(DSA_SWERR_ERROR, swerr[0]));
		break;
	case PF_EVENT_NONE:
		break;
	}
	return IRQ_HANDLED;
}

/**
 * pf_irq_setup() - take MSI-X vector 0 for the device's own events
 * @pf:		the parent function
 *
 * Only vector 0 is allocated: the host's completion interrupts go through
 * IMS. Events reach it once pf_irq_enable_events() ran.
 * Context: process; may sleep.
 * Return: 0 or a negative errno.
 */
int pf_irq_setup(struct pf_dev *pf)
{
	struct pci_dev *pdev = pf->pdev;
	int ret;

	ret = pci_msix_vec_count(pdev);
	if (ret < 1) {
		dev_err(&pdev->dev, "the function has no MSI-X\n");
		return ret < 0 ? ret : -ENODEV;
	}
	pf->nr_vectors = ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(&pdev->dev, "MSI-X vector 0: %d\n", ret);
		return ret;
	}
	snprintf(pf->irq_name, sizeof(pf->irq_name), "idxd_mdev-%s",
		 pci_name(pdev));
	ret = request_threaded_irq(pci_irq_vector(pdev, 0), NULL,
				   pf_irq_thread, IRQF_ONESHOT, pf->irq_name,
				   pf);
	if (ret) {
		dev_err(&pdev->dev, "request of vector 0: %d\n", ret);
		goto out_free_vectors;
	}
	return 0;

out_free_vectors:
	pci_free_irq_vectors(pdev);
	return ret;
}

/**
 * pf_irq_teardown() - undo pf_irq_setup()
 * @pf:		the parent function, its device already reset
 *
 * Context: process; waits for a running vector 0 thread.
 */
void pf_irq_teardown(struct pf_dev *pf)
{
	free_irq(pci_irq_vector(pf->pdev, 0), pf);
	pci_free_irq_vectors(pf->pdev);
}
