// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters and the platform policy of the IMS library.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <asm/cpufeature.h>

#include "ims_internal.h"

bool ims_allow_guest;
module_param_named(allow_guest, ims_allow_guest, bool, 0444);
MODULE_PARM_DESC(allow_guest,
		 "Allow IMS domains under a hypervisor; only for emulated devices (default: no)");

/**
 * ims_platform_allowed - May @dev use IMS on this platform?
 * @dev:	The device, for the message when the answer is no.
 *
 * On bare metal, yes. Under a hypervisor, only with allow_guest=1: a
 * passed-through device writes its stored messages straight to the
 * platform, and the hypervisor, which never saw them, cannot remap them to
 * the guest's vectors. An emulated device is fine: the hypervisor reads
 * the storage itself. The kernel's own PCI/IMS (6.2-6.9) refused the same
 * way.
 *
 * Context: Any.
 * Return: Whether IMS is allowed.
 */
bool ims_platform_allowed(struct device *dev)
{
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR) || ims_allow_guest)
		return true;
	dev_err(dev, "IMS: refused under a hypervisor; load ims with allow_guest=1 for an emulated device\n");
	return false;
}

MODULE_DESCRIPTION("IMS (Interrupt Message Store) irq domains for Scalable-IOV devices");
MODULE_LICENSE("GPL");
MODULE_VERSION(IDXD_MDEV_VERSION);
