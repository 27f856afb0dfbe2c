// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_VFIO_DETACH_IOAS
 *
 * v6.6, "vfio-iommufd: Add detach_ioas support for emulated VFIO devices"
 * (the vfio cdev series): vfio_device_ops.detach_ioas, which the VFIO
 * core insists on next to the other iommufd ops when iommufd is built.
 */
#include <linux/vfio.h>

static const struct vfio_device_ops conftest_ops __used = {
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
};
