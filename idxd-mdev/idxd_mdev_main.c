// SPDX-License-Identifier: GPL-2.0
/*
 * idxd_mdev: a VFIO mediated device for Intel DSA/IAX. The module owns
 * the parent functions (pf*.c) and makes each carved WQ of theirs a
 * mediated device (mdev_types.c) that VFIO gives to a VM (vfio_*.c,
 * host.c, dma.c) as the virtual device of the vidxd model (vidxd_*.c).
 */
#include <linux/module.h>

#include <compat.h>

#include "mdev.h"

static int __init idxd_mdev_init(void)
{
	int ret;

	ret = idxd_mdev_driver_register();
	if (ret)
		return ret;
	ret = pf_register();
	if (ret)
		idxd_mdev_driver_unregister();
	return ret;
}
module_init(idxd_mdev_init);

/* Unbinding every parent removes its instances before the driver goes. */
static void __exit idxd_mdev_exit(void)
{
	pf_unregister();
	idxd_mdev_driver_unregister();
}
module_exit(idxd_mdev_exit);

MODULE_DESCRIPTION("VFIO mediated device for Intel DSA/IAX");
MODULE_LICENSE("GPL");
MODULE_VERSION(IDXD_MDEV_VERSION);
MODULE_IMPORT_NS(IMS_NS);
