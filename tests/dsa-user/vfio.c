// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO plumbing for a userspace PCI driver: container, group, device
 * (of vfio-pci or a mediated device), region information and access, DMA
 * mappings, MSI-X and request eventfds (the type1 IOMMU API, which both
 * Debian kernels have).
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

/* The IOMMU group of the device whose sysfs directory is @dev. */
static int vfio_group_of(const char *dev)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	char *slash;

	snprintf(path, sizeof(path), "%s/iommu_group", dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		fprintf(stderr, "vfio: %s has no IOMMU group: %s\n", dev,
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

/*
 * The type1 IOMMU, version 2 if the container takes it for this group,
 * else version 1 (an emulated IOMMU group of a mediated device may be
 * offered either).
 */
static int vfio_try_iommu(struct vfio_dev *v, int type)
{
	if (ioctl(v->container, VFIO_CHECK_EXTENSION, type) <= 0 ||
	    ioctl(v->container, VFIO_SET_IOMMU, type))
		return -1;
	v->iommu_type = type;
	return 0;
}

static int vfio_set_iommu(struct vfio_dev *v)
{
	if (!vfio_try_iommu(v, VFIO_TYPE1v2_IOMMU))
		return 0;
	return vfio_try_iommu(v, VFIO_TYPE1_IOMMU);
}

/*
 * Open the device @name (what VFIO_GROUP_GET_DEVICE_FD wants: a BDF or a
 * UUID) whose sysfs directory is @dev: its group into a new container,
 * the type1 IOMMU, @hook (if any), then the device.
 */
static int vfio_open_dev(struct vfio_dev *v, const char *dev,
			 const char *name, vfio_group_hook hook, void *arg)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	const char *step;
	char path[64];
	int i, err;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < VFIO_MAX_IRQS; i++)
		v->efd[i] = -1;
	v->req_efd = -1;
	v->container = -1;
	v->group = -1;
	v->device = -1;

	v->group_no = vfio_group_of(dev);
	if (v->group_no < 0)
		return -1;
	step = "container";
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		goto fail;
	step = "API version";
	errno = EPROTO;
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		goto fail;
	step = "group";
	snprintf(path, sizeof(path), "/dev/vfio/%d", v->group_no);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0 || ioctl(v->group, VFIO_GROUP_GET_STATUS, &status))
		goto fail;
	step = "group viable";
	errno = EBUSY;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		goto fail;
	step = "VFIO_GROUP_SET_CONTAINER";
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		goto fail;
	step = "VFIO_SET_IOMMU";
	if (vfio_set_iommu(v))
		goto fail;
	step = "the group hook";
	if (hook && hook(arg, v->group))
		goto fail;
	step = "VFIO_GROUP_GET_DEVICE_FD";
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (v->device < 0)
		goto fail;
	step = "VFIO_DEVICE_GET_REGION_INFO";
	if (vfio_regions(v))
		goto fail;
	return 0;
fail:
	err = errno;
	fprintf(stderr, "vfio: cannot open %s (group %d): %s: %s\n", name,
		v->group_no, step, strerror(err));
	vfio_close(v);
	errno = err;
	return -1;
}

int vfio_open_pci(struct vfio_dev *v, const char *bdf, vfio_group_hook hook,
		  void *arg)
{
	char dev[PATH_MAX];

	snprintf(dev, sizeof(dev), "/sys/bus/pci/devices/%s", bdf);
	return vfio_open_dev(v, dev, bdf, hook, arg);
}

int vfio_open(struct vfio_dev *v, const char *bdf)
{
	return vfio_open_pci(v, bdf, NULL, NULL);
}

int vfio_open_mdev(struct vfio_dev *v, const char *uuid,
		   vfio_group_hook hook, void *arg)
{
	char dev[PATH_MAX];

	snprintf(dev, sizeof(dev), "/sys/bus/mdev/devices/%s", uuid);
	return vfio_open_dev(v, dev, uuid, hook, arg);
}

void vfio_close(struct vfio_dev *v)
{
	vfio_msix_disable(v);
	vfio_req_disable(v);
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

/*
 * VFIO_DEVICE_GET_REGION_INFO of region @index, asked again with the size
 * the kernel wants if the capabilities do not fit; the sparse-mmap
 * capability's areas are copied out.
 */
int vfio_region_info(struct vfio_dev *v, unsigned int index,
		     struct vfio_region *r)
{
	struct vfio_region_info *info;
	uint32_t argsz = sizeof(*info), next;
	int err;

	memset(r, 0, sizeof(*r));
	for (;;) {
		info = calloc(1, argsz);
		if (!info)
			return -1;
		info->argsz = argsz;
		info->index = index;
		if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, info)) {
			err = errno;
			free(info);
			errno = err;
			return -1;
		}
		if (info->argsz <= argsz)
			break;
		argsz = info->argsz;
		free(info);
	}
	r->flags = info->flags;
	r->size = info->size;
	r->offset = info->offset;
	next = info->flags & VFIO_REGION_INFO_FLAG_CAPS ? info->cap_offset : 0;
	/* A chain that leaves the buffer or loops is reported as broken. */
	while (next) {
		struct vfio_info_cap_header *h;

		if (next < sizeof(*info) || next + sizeof(*h) > argsz ||
		    r->ncaps > 16) {
			free(info);
			errno = EPROTO;
			return -1;
		}
		h = (struct vfio_info_cap_header *)((char *)info + next);
		r->ncaps++;
		if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			struct vfio_region_info_cap_sparse_mmap *sp =
				(void *)h;
			unsigned int i;

			if (next + sizeof(*sp) +
			    sp->nr_areas * sizeof(sp->areas[0]) > argsz) {
				free(info);
				errno = EPROTO;
				return -1;
			}
			r->sparse = true;
			r->nareas = sp->nr_areas;
			for (i = 0; i < sp->nr_areas && i < VFIO_MAX_AREAS;
			     i++) {
				r->areas[i].offset = sp->areas[i].offset;
				r->areas[i].size = sp->areas[i].size;
			}
		}
		next = h->next;
	}
	free(info);
	return 0;
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

/* Add what eventfd @fd counted since last read to *@acc. */
static uint64_t efd_count(int fd, uint64_t *acc)
{
	uint64_t n;

	if (fd >= 0 && read(fd, &n, sizeof(n)) == sizeof(n))
		*acc += n;
	return *acc;
}

/* Wait until eventfd @fd has counted @count in all; 0 if it has. */
static int efd_wait(int fd, uint64_t *acc, uint64_t count, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (efd_count(fd, acc) < count) {
		int left;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 +
				     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || fd < 0)
			return -1;
		poll(&pfd, 1, left);
	}
	return 0;
}

/* Interrupts seen on @vec since MSI-X was enabled. */
uint64_t vfio_irq_count(struct vfio_dev *v, int vec)
{
	if (vec >= v->nirqs)
		return v->irq_count[vec];
	return efd_count(v->efd[vec], &v->irq_count[vec]);
}

/* Wait until @vec has fired @count times in all; 0 if it has. */
int vfio_irq_wait(struct vfio_dev *v, int vec, uint64_t count, int timeout_ms)
{
	return efd_wait(vec < v->nirqs ? v->efd[vec] : -1, &v->irq_count[vec],
			count, timeout_ms);
}

/* An eventfd for the request interrupt (the device is being removed). */
int vfio_req_enable(struct vfio_dev *v)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} s = {
		.set = {
			.argsz = sizeof(s),
			.flags = VFIO_IRQ_SET_DATA_EVENTFD |
				 VFIO_IRQ_SET_ACTION_TRIGGER,
			.index = VFIO_PCI_REQ_IRQ_INDEX,
			.count = 1,
		},
	};
	int err;

	vfio_req_disable(v);
	s.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s.fd < 0)
		return -1;
	if (ioctl(v->device, VFIO_DEVICE_SET_IRQS, &s)) {
		err = errno;
		close(s.fd);
		errno = err;
		return -1;
	}
	v->req_efd = s.fd;
	v->req_count = 0;
	return 0;
}

void vfio_req_disable(struct vfio_dev *v)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_REQ_IRQ_INDEX,
	};

	if (v->req_efd < 0)
		return;
	ioctl(v->device, VFIO_DEVICE_SET_IRQS, &set);
	close(v->req_efd);
	v->req_efd = -1;
}

uint64_t vfio_req_count(struct vfio_dev *v)
{
	return efd_count(v->req_efd, &v->req_count);
}

int vfio_req_wait(struct vfio_dev *v, uint64_t count, int timeout_ms)
{
	return efd_wait(v->req_efd, &v->req_count, count, timeout_ms);
}
