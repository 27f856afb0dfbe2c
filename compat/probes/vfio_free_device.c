// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_VFIO_FREE_DEVICE
 *
 * v6.1 had drivers free their VFIO device from their release op with
 * vfio_free_device(); v6.2, "vfio: Remove vfio_free_device" (the VFIO
 * core frees it after the release op, which became optional).
 */
#include <linux/vfio.h>

static void __used conftest_vfio_free_device(struct vfio_device *vdev)
{
	vfio_free_device(vdev);
}
