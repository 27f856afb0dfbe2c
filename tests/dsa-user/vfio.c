// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO plumbing for a userspace PCI driver: container, group, device,
 * region access, DMA mappings and MSI-X eventfds (the type1 IOMMU API,
 * which both Debian kernels have).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vfio.h"

static int vfio_group_of(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	char *slash;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		fprintf(stderr, "vfio: %s has no IOMMU group: %s\n", bdf,
			strerror(errno));
		return -1;
	}
	link[n] = '\0';
	slash = strrchr(link, '/');
	return atoi(slash ? slash + 1 : link);
}

static int vfio_regions(struct vfio_dev *v)
{
	unsigned int i;

	for (i = 0; i <= VFIO_PCI_CONFIG_REGION_INDEX; i++) {
		struct vfio_region_info info = {
			.argsz = sizeof(info), .index = i,
		};

		if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &info))
			return -1;
		v->region_off[i] = info.offset;
		v->region_size[i] = info.size;
	}
	return 0;
}

int vfio_open(struct vfio_dev *v, const char *bdf)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int group, i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < VFIO_MAX_IRQS; i++)
		v->efd[i] = -1;
	v->container = -1;
	v->group = -1;
	v->device = -1;

	group = vfio_group_of(bdf);
	if (group < 0)
		return -1;
	v->container = open("/dev/vfio/vfio", O_RDWR);
	if (v->container < 0 ||
	    ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    !ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU))
		goto fail;
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	v->group = open(path, O_RDWR);
	if (v->group < 0 ||
	    ioctl(v->group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE) ||
	    ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) ||
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		goto fail;
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (v->device < 0 || vfio_regions(v))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "vfio: cannot open %s (group %d): %s\n", bdf, group,
		strerror(errno));
	vfio_close(v);
	return -1;
}

void vfio_close(struct vfio_dev *v)
{
	vfio_msix_disable(v);
	if (v->device >= 0)
		close(v->device);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	v->container = -1;
	v->group = -1;
	v->device = -1;
}

int vfio_reset(struct vfio_dev *v)
{
	return ioctl(v->device, VFIO_DEVICE_RESET);
}

static uint64_t vfio_read(struct vfio_dev *v, int index, uint64_t off,
			  unsigned int size)
{
	uint64_t val = 0;

	if (pread(v->device, &val, size, v->region_off[index] + off) !=
	    (ssize_t)size)
		return ~0ULL;
	return val;
}

static int vfio_write(struct vfio_dev *v, int index, uint64_t off,
		      unsigned int size, uint64_t val)
{
	if (pwrite(v->device, &val, size, v->region_off[index] + off) !=
	    (ssize_t)size)
		return -1;
	return 0;
}

uint32_t vfio_cfg_read(struct vfio_dev *v, unsigned int off, unsigned int size)
{
	return vfio_read(v, VFIO_PCI_CONFIG_REGION_INDEX, off, size);
}

int vfio_cfg_write(struct vfio_dev *v, unsigned int off, unsigned int size,
		   uint32_t val)
{
	return vfio_write(v, VFIO_PCI_CONFIG_REGION_INDEX, off, size, val);
}

uint64_t vfio_bar_read(struct vfio_dev *v, int bar, uint64_t off,
		       unsigned int size)
{
	return vfio_read(v, VFIO_PCI_BAR0_REGION_INDEX + bar, off, size);
}

int vfio_bar_write(struct vfio_dev *v, int bar, uint64_t off,
		   unsigned int size, uint64_t val)
{
	return vfio_write(v, VFIO_PCI_BAR0_REGION_INDEX + bar, off, size, val);
}

void *vfio_bar_mmap(struct vfio_dev *v, int bar, size_t *len)
{
	int index = VFIO_PCI_BAR0_REGION_INDEX + bar;
	void *p;

	*len = v->region_size[index];
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, v->device,
		 v->region_off[index]);
	return p == MAP_FAILED ? NULL : p;
}

int vfio_dma_map(struct vfio_dev *v, void *va, uint64_t iova, size_t len)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = len,
	};

	return ioctl(v->container, VFIO_IOMMU_MAP_DMA, &map);
}

int vfio_dma_unmap(struct vfio_dev *v, uint64_t iova, size_t len)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = len,
	};

	return ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
}

int vfio_msix_enable(struct vfio_dev *v, int nvec)
{
	size_t sz = sizeof(struct vfio_irq_set) + nvec * sizeof(int32_t);
	struct vfio_irq_set *set;
	int i, ret;

	if (nvec > VFIO_MAX_IRQS)
		return -1;
	set = calloc(1, sz);
	if (!set)
		return -1;
	v->nirqs = nvec;
	for (i = 0; i < nvec; i++) {
		v->efd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		v->irq_count[i] = 0;
		((int32_t *)set->data)[i] = v->efd[i];
		if (v->efd[i] < 0) {
			free(set);
			vfio_msix_disable(v);
			return -1;
		}
	}
	set->argsz = sz;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSIX_IRQ_INDEX;
	set->start = 0;
	set->count = nvec;
	ret = ioctl(v->device, VFIO_DEVICE_SET_IRQS, set);
	free(set);
	return ret;
}

void vfio_msix_disable(struct vfio_dev *v)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSIX_IRQ_INDEX,
	};
	int i;

	if (!v->nirqs)
		return;
	ioctl(v->device, VFIO_DEVICE_SET_IRQS, &set);
	for (i = 0; i < v->nirqs; i++) {
		close(v->efd[i]);
		v->efd[i] = -1;
	}
	v->nirqs = 0;
}

/* Interrupts seen on @vec since MSI-X was enabled. */
uint64_t vfio_irq_count(struct vfio_dev *v, int vec)
{
	uint64_t n;

	if (vec < v->nirqs && read(v->efd[vec], &n, sizeof(n)) == sizeof(n))
		v->irq_count[vec] += n;
	return v->irq_count[vec];
}

/* Wait until @vec has fired @count times in all; 0 if it has. */
int vfio_irq_wait(struct vfio_dev *v, int vec, uint64_t count, int timeout_ms)
{
	struct pollfd pfd = { .fd = v->efd[vec], .events = POLLIN };
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (vfio_irq_count(v, vec) < count) {
		int left;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 +
				     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return -1;
		poll(&pfd, 1, left);
	}
	return 0;
}
