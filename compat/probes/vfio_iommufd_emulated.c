// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_VFIO_IOMMUFD_EMULATED
 *
 * v6.2, "vfio-iommufd: Support iommufd for emulated VFIO devices" (commit
 * 4741f2e94172, the iommufd series): vfio_device_ops gained
 * bind_iommufd/unbind_iommufd/attach_ioas, with helpers for devices whose
 * IOMMU is emulated (mdevs). Without iommufd in the kernel's
 * configuration the helpers are NULL, which is still what to set.
 */
#include <linux/vfio.h>

static const struct vfio_device_ops conftest_ops __used = {
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
};
