// SPDX-License-Identifier: GPL-2.0
/*
 * idxd_mdev: a VFIO mediated device for Intel DSA/IAX. Today the module
 * owns the parent functions (pf.c) and holds the virtual device model
 * (vidxd_*.c); it is built for tests only.
 */
#include <linux/module.h>

#include <compat.h>

#include "pf.h"

static int __init idxd_mdev_init(void)
{
	return pf_register();
}
module_init(idxd_mdev_init);

static void __exit idxd_mdev_exit(void)
{
	pf_unregister();
}
module_exit(idxd_mdev_exit);

MODULE_DESCRIPTION("VFIO mediated device for Intel DSA/IAX");
MODULE_LICENSE("GPL");
MODULE_VERSION(IDXD_MDEV_VERSION);
MODULE_IMPORT_NS(IMS_NS);
