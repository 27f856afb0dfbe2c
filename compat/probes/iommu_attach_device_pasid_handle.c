// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_IOMMU_ATTACH_DEVICE_PASID_HANDLE
 *
 * v6.11, "iommu: Introduce domain attachment handle": the PASID attach
 * takes a struct iommu_attach_handle (NULL allowed) through which the
 * core finds the domain's fault handler.
 */
#include <linux/iommu.h>

static int __used
conftest_iommu_attach_device_pasid_handle(struct iommu_domain *d,
					  struct device *dev)
{
	return iommu_attach_device_pasid(d, dev, 1, NULL);
}
