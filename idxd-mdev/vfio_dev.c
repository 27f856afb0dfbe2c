// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO device of an instance, in vfio-pci's region layout: config
 * space and BAR0 are trapped and go to the vidxd model; BAR2 holds the
 * WQ's portals and is mmap only, each guest portal page mapped to the
 * host WQ's IMS portal page of the same kind, so that the interrupt
 * handles the guest gets are IMS slots. The portal mappings are inserted
 * on fault and zapped whenever the WQ is disabled or reset, so that a
 * mapping never outlives the state of the WQ it was made for.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <compat.h>

#include "mdev.h"

/* vfio-pci's layout: the region index in the top bits of the offset. */
#define IDXD_MDEV_OFFSET_SHIFT	40
#define IDXD_MDEV_OFFSET_MASK	(BIT_ULL(IDXD_MDEV_OFFSET_SHIFT) - 1)
#define IDXD_MDEV_INDEX(off)	((off) >> IDXD_MDEV_OFFSET_SHIFT)
#define IDXD_MDEV_INDEX_OFF(i)	((u64)(i) << IDXD_MDEV_OFFSET_SHIFT)

/* The portal pages of BAR2: unlimited, then limited. */
#define IDXD_MDEV_PORTAL_PAGES	(VIDXD_BAR2_SIZE / DSA_PORTAL_SIZE)

/**
 * struct idxd_mdev_vma - one portal mapping
 * @vma:	the mapping
 * @node:	in &idxd_mdev.vmas
 * @zap:	to be zapped by the running idxd_mdev_portal_zap()
 */
struct idxd_mdev_vma {
	struct vm_area_struct *vma;
	struct list_head node;
	bool zap;
};

static int idxd_mdev_init_dev(struct vfio_device *vdev)
{
	struct idxd_mdev *im = vdev_to_idxd_mdev(vdev);
	unsigned int v;

	mutex_init(&im->irq_lock);
	spin_lock_init(&im->trigger_lock);
	mutex_init(&im->vma_lock);
	INIT_LIST_HEAD(&im->vmas);
	mutex_init(&im->dma.lock);
	INIT_LIST_HEAD(&im->dma.pins);
	for (v = 0; v < VIDXD_NR_VECTORS; v++) {
		im->vectors[v].im = im;
		im->vectors[v].index = v;
	}
	return 0;
}

static void idxd_mdev_release_dev(struct vfio_device *vdev)
{
	struct idxd_mdev *im = vdev_to_idxd_mdev(vdev);

	mutex_destroy(&im->dma.lock);
	mutex_destroy(&im->vma_lock);
	mutex_destroy(&im->irq_lock);
	compat_vfio_free_device(vdev);
}

static int idxd_mdev_open_device(struct vfio_device *vdev)
{
	return idxd_mdev_dma_open(vdev_to_idxd_mdev(vdev));
}

/*
 * The user is gone: stop the real WQ before its DMA translation goes. If
 * the WQ cannot be stopped, the whole function is reset, which stops it
 * for sure (and halts the other instances, whose guests must reset).
 */
static void idxd_mdev_close_device(struct vfio_device *vdev)
{
	struct idxd_mdev *im = vdev_to_idxd_mdev(vdev);

	idxd_mdev_irq_close(im);
	if (vidxd_reset(&im->vidxd)) {
		dev_err(idxd_mdev_dev(im),
			"WQ %u does not stop: resetting %s\n", im->wq,
			pci_name(im->pf->pdev));
		pf_recover(im->pf);
		vidxd_reset(&im->vidxd);
	}
	idxd_mdev_dma_close(im);
}

/*
 * Split an access into naturally aligned pieces of at most @max bytes:
 * QEMU reads the whole config space in one go.
 */
static unsigned int idxd_mdev_piece(u64 off, size_t count, unsigned int max)
{
	unsigned int size = max;

	while (size > 1 && (off % size || count < size))
		size >>= 1;
	return size;
}

static ssize_t idxd_mdev_cfg_rw(struct idxd_mdev *im, char __user *ubuf,
				size_t count, u64 off, bool write)
{
	size_t done = 0;
	unsigned int size;
	u32 val;
	int ret;

	if (off >= VIDXD_CFG_SIZE || count > VIDXD_CFG_SIZE - off)
		return -EINVAL;
	while (done < count) {
		size = idxd_mdev_piece(off + done, count - done, 4);
		if (write) {
			val = 0;
			if (copy_from_user(&val, ubuf + done, size))
				return -EFAULT;
			ret = vidxd_cfg_write(&im->vidxd, off + done, size, val);
		} else {
			ret = vidxd_cfg_read(&im->vidxd, off + done, size, &val);
			if (!ret && copy_to_user(ubuf + done, &val, size))
				return -EFAULT;
		}
		if (ret)
			return ret;
		done += size;
	}
	return count;
}

/* BAR0 is a register file: one naturally aligned access of 1-8 bytes. */
static ssize_t idxd_mdev_bar0_rw(struct idxd_mdev *im, char __user *ubuf,
				 size_t count, u64 off, bool write)
{
	u64 val = 0;
	int ret;

	if (off >= VIDXD_BAR0_SIZE || count > VIDXD_BAR0_SIZE - off ||
	    count > sizeof(val) || !is_power_of_2(count) || off % count)
		return -EINVAL;
	if (write) {
		if (copy_from_user(&val, ubuf, count))
			return -EFAULT;
		/* Every command sees the guest's memory as it is now. */
		if (off <= DSA_CMD + 3 && off + count > DSA_CMD)
			idxd_mdev_dma_sync(im);
		ret = vidxd_mmio_write(&im->vidxd, off, count, val);
	} else {
		ret = vidxd_mmio_read(&im->vidxd, off, count, &val);
		if (!ret && copy_to_user(ubuf, &val, count))
			return -EFAULT;
	}
	return ret ? ret : count;
}

static ssize_t idxd_mdev_rw(struct idxd_mdev *im, char __user *ubuf,
			    size_t count, loff_t *ppos, bool write)
{
	u64 pos = *ppos, off = pos & IDXD_MDEV_OFFSET_MASK;
	ssize_t ret;

	switch (IDXD_MDEV_INDEX(pos)) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = idxd_mdev_cfg_rw(im, ubuf, count, off, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		ret = idxd_mdev_bar0_rw(im, ubuf, count, off, write);
		break;
	default:
		/* BAR2 is mmap only; the other regions are empty. */
		return -EINVAL;
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t idxd_mdev_read(struct vfio_device *vdev, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	return idxd_mdev_rw(vdev_to_idxd_mdev(vdev), ubuf, count, ppos, false);
}

static ssize_t idxd_mdev_write(struct vfio_device *vdev,
			       const char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	return idxd_mdev_rw(vdev_to_idxd_mdev(vdev), (char __user *)ubuf,
			    count, ppos, true);
}

static int idxd_mdev_get_info(unsigned long arg)
{
	struct vfio_device_info info;
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

/* BAR2's mmap areas: the unlimited portal page, then the limited one. */
static int idxd_mdev_add_sparse(struct vfio_info_cap *caps)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	size_t size = struct_size(sparse, areas, IDXD_MDEV_PORTAL_PAGES);
	unsigned int i;
	int ret;

	sparse = kzalloc(size, GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;
	sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	sparse->header.version = 1;
	sparse->nr_areas = IDXD_MDEV_PORTAL_PAGES;
	for (i = 0; i < IDXD_MDEV_PORTAL_PAGES; i++) {
		sparse->areas[i].offset = i * DSA_PORTAL_SIZE;
		sparse->areas[i].size = DSA_PORTAL_SIZE;
	}
	ret = vfio_info_add_capability(caps, &sparse->header, size);
	kfree(sparse);
	return ret;
}

/*
 * What region info->index is (offset, size, flags), its capabilities in
 * @caps: the get_region_info_caps op, called by the VFIO core (6.19 on)
 * or by our ioctl (compat_vfio_get_region_info()), either of which copies
 * from and to the user.
 */
static int idxd_mdev_region_info(struct vfio_device *vdev,
				 struct vfio_region_info *info,
				 struct vfio_info_cap *caps)
{
	if (info->index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info->offset = IDXD_MDEV_INDEX_OFF(info->index);
	info->flags = 0;
	info->size = 0;
	info->cap_offset = 0;
	switch (info->index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->size = VIDXD_CFG_SIZE;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		info->size = VIDXD_BAR0_SIZE;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		/*
		 * READ and WRITE say what the mapping allows (QEMU maps the
		 * areas with that protection); read() and write() still
		 * refuse: a portal takes whole descriptors only.
		 */
		info->size = VIDXD_BAR2_SIZE;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE |
			      VFIO_REGION_INFO_FLAG_MMAP;
		return idxd_mdev_add_sparse(caps);
	}
	return 0;
}

static int idxd_mdev_reset(struct idxd_mdev *im)
{
	int ret = vidxd_reset(&im->vidxd);

	idxd_mdev_portal_zap(im);
	return ret ? -EIO : 0;
}

static long idxd_mdev_ioctl(struct vfio_device *vdev, unsigned int cmd,
			    unsigned long arg)
{
	struct idxd_mdev *im = vdev_to_idxd_mdev(vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return idxd_mdev_get_info(arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return compat_vfio_get_region_info(vdev, arg,
						   idxd_mdev_region_info);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return idxd_mdev_irq_info(im, arg);
	case VFIO_DEVICE_SET_IRQS:
		return idxd_mdev_set_irqs(im, arg);
	case VFIO_DEVICE_RESET:
		return idxd_mdev_reset(im);
	}
	return -ENOTTY;
}

static void idxd_mdev_vma_add(struct idxd_mdev *im, struct idxd_mdev_vma *v,
			      struct vm_area_struct *vma)
{
	v->vma = vma;
	mutex_lock(&im->vma_lock);
	list_add(&v->node, &im->vmas);
	mutex_unlock(&im->vma_lock);
}

/* A copy of a mapping: a split, or a move by mremap(). */
static void idxd_mdev_vma_open(struct vm_area_struct *vma)
{
	struct idxd_mdev *im = vma->vm_private_data;
	struct idxd_mdev_vma *v = kzalloc(sizeof(*v), GFP_KERNEL);

	/*
	 * Without an entry the mapping could not be zapped: keep it empty
	 * (it faults, and the fault handler refuses an unknown mapping).
	 */
	if (!v) {
		zap_special_vma_range(vma, vma->vm_start,
				      vma->vm_end - vma->vm_start);
		vma->vm_private_data = NULL;
		return;
	}
	idxd_mdev_vma_add(im, v, vma);
}

static void idxd_mdev_vma_close(struct vm_area_struct *vma)
{
	struct idxd_mdev *im = vma->vm_private_data;
	struct idxd_mdev_vma *v;

	if (!im)
		return;
	mutex_lock(&im->vma_lock);
	list_for_each_entry(v, &im->vmas, node) {
		if (v->vma == vma) {
			list_del(&v->node);
			kfree(v);
			break;
		}
	}
	mutex_unlock(&im->vma_lock);
}

static vm_fault_t idxd_mdev_vma_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct idxd_mdev *im = vma->vm_private_data;
	unsigned long page;
	vm_fault_t ret;

	if (!im)
		return VM_FAULT_SIGBUS;
	page = ((vma->vm_pgoff << PAGE_SHIFT) & IDXD_MDEV_OFFSET_MASK) /
	       DSA_PORTAL_SIZE + (vmf->address - vma->vm_start) / PAGE_SIZE;
	mutex_lock(&im->vma_lock);
	ret = vmf_insert_pfn(vma, vmf->address,
			     PHYS_PFN(pf_ims_portal(im->pf, im->wq)) + page);
	im->portal_faults++;
	mutex_unlock(&im->vma_lock);
	return ret;
}

static const struct vm_operations_struct idxd_mdev_vm_ops = {
	.open = idxd_mdev_vma_open,
	.close = idxd_mdev_vma_close,
	.fault = idxd_mdev_vma_fault,
};

static int idxd_mdev_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct idxd_mdev *im = vdev_to_idxd_mdev(vdev);
	u64 pos = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 off = pos & IDXD_MDEV_OFFSET_MASK;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct idxd_mdev_vma *v;

	BUILD_BUG_ON(PAGE_SIZE != DSA_PORTAL_SIZE);
	if (IDXD_MDEV_INDEX(pos) != VFIO_PCI_BAR2_REGION_INDEX)
		return -EINVAL;
	/* A private copy of a portal would be a page of memory, not a portal. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (off >= VIDXD_BAR2_SIZE || len > VIDXD_BAR2_SIZE - off)
		return -EINVAL;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP |
		     VM_DONTCOPY);
	vma->vm_private_data = im;
	vma->vm_ops = &idxd_mdev_vm_ops;
	idxd_mdev_vma_add(im, v, vma);
	return 0;
}

/* Zap the marked mappings of @mm; the caller holds its mmap lock. */
static void idxd_mdev_zap_mm(struct idxd_mdev *im, struct mm_struct *mm)
{
	struct idxd_mdev_vma *v;

	mutex_lock(&im->vma_lock);
	list_for_each_entry(v, &im->vmas, node) {
		if (v->zap && v->vma->vm_mm == mm) {
			zap_special_vma_range(v->vma, v->vma->vm_start,
					      v->vma->vm_end -
					      v->vma->vm_start);
			v->zap = false;
		}
	}
	mutex_unlock(&im->vma_lock);
}

/**
 * idxd_mdev_portal_zap() - take every portal page out of its mappings
 * @im:		the instance
 *
 * The next access faults, and the fault handler maps the page again.
 * Zapping needs each mapping's mmap lock, which is taken outside
 * @im->vma_lock: the mappings are marked first, then their processes are
 * visited one at a time. A process that is exiting loses its mappings
 * anyway.
 *
 * Context: process; takes mmap locks, so never with @im->vma_lock held.
 */
void idxd_mdev_portal_zap(struct idxd_mdev *im)
{
	struct idxd_mdev_vma *v;
	struct mm_struct *mm;

	mutex_lock(&im->vma_lock);
	list_for_each_entry(v, &im->vmas, node)
		v->zap = true;
	mutex_unlock(&im->vma_lock);

	for (;;) {
		mm = NULL;
		mutex_lock(&im->vma_lock);
		list_for_each_entry(v, &im->vmas, node) {
			if (!v->zap)
				continue;
			if (mmget_not_zero(v->vma->vm_mm)) {
				mm = v->vma->vm_mm;
				break;
			}
			v->zap = false;
		}
		mutex_unlock(&im->vma_lock);
		if (!mm)
			return;
		mmap_read_lock(mm);
		idxd_mdev_zap_mm(im, mm);
		mmap_read_unlock(mm);
		mmput(mm);
	}
}

const struct vfio_device_ops idxd_mdev_vfio_ops = {
	.name = "idxd-mdev",
	.init = idxd_mdev_init_dev,
	.release = idxd_mdev_release_dev,
	.open_device = idxd_mdev_open_device,
	.close_device = idxd_mdev_close_device,
	.read = idxd_mdev_read,
	.write = idxd_mdev_write,
	.ioctl = idxd_mdev_ioctl,
#ifdef HAVE_VFIO_GET_REGION_INFO_CAPS
	.get_region_info_caps = idxd_mdev_region_info,
#endif
	.mmap = idxd_mdev_mmap,
	.request = idxd_mdev_request,
	.dma_unmap = idxd_mdev_dma_unmap,
#ifdef HAVE_VFIO_IOMMUFD_EMULATED
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
#endif
#ifdef HAVE_VFIO_DETACH_IOAS
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};
