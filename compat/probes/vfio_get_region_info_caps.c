// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_VFIO_GET_REGION_INFO_CAPS
 *
 * v6.19, "vfio: Require drivers to implement get_region_info" (commit
 * f97859503859) and "vfio: Add get_region_info_caps op" (commit
 * 775f726a742a), one series: the VFIO core answers
 * VFIO_DEVICE_GET_REGION_INFO itself, with the user copies and the
 * capability chain, and asks the driver's get_region_info_caps op for
 * the region; the driver's ioctl no longer sees the request (without
 * the op the core fails it with EINVAL). This compiles without error on
 * older kernels too, so nothing but the probe tells.
 */
#include <linux/vfio.h>

static int conftest_get_region_info_caps(struct vfio_device *vdev,
					 struct vfio_region_info *info,
					 struct vfio_info_cap *caps)
{
	return 0;
}

static const struct vfio_device_ops conftest_ops __used = {
	.get_region_info_caps = conftest_get_region_info_caps,
};
