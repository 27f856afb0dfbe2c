// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_IOMMU_ATTACH_DEVICE_PASID
 *
 * v6.2, "iommu: Add attach/detach_dev_pasid iommu interfaces": a domain
 * can be attached to one PASID of a device, with three arguments. v6.11
 * added a fourth (see iommu_attach_device_pasid_handle.c), so this probe
 * is true on 6.2 to 6.10 only.
 */
#include <linux/iommu.h>

static int __used conftest_iommu_attach_device_pasid(struct iommu_domain *d,
						     struct device *dev)
{
	return iommu_attach_device_pasid(d, dev, 1);
}
