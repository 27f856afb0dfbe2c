// SPDX-License-Identifier: GPL-2.0
/*
 * idxd_mdev: a VFIO mediated device for Intel DSA/IAX. This file will hold
 * the module's entry points; for now the module is the virtual device
 * model (vidxd_*.c) and is built for tests only.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("VFIO mediated device for Intel DSA/IAX");
MODULE_LICENSE("GPL");
MODULE_VERSION(IDXD_MDEV_VERSION);
