// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's DMA translation of an idxd_mdev instance.
 *
 * The guest's descriptors carry guest physical addresses (it has no
 * vIOMMU, or one in pass-through mode), so the WQ's DMA must translate
 * GPA to host page for exactly the memory the VMM gave the VM. The VFIO
 * container is the authority on that memory: every translation made here
 * comes from vfio_pin_pages() of the instance, so a wrong guess costs the
 * guest a DMA fault and never reaches memory outside its container. The
 * guesses are KVM's memslots of address space 0, as IOVA == GPA, which is
 * how QEMU's VFIO listener maps guest RAM (GVT-g and vfio-ap assume the
 * same). They are read with the inline helpers of <linux/kvm_host.h>
 * under kvm->srcu; the only KVM exports used are kvm_get_kvm_safe() and
 * kvm_put_kvm(), through symbol_get() as VFIO does, so that the module
 * loads without kvm.ko.
 *
 * Where the translation lives (module parameter dma_mode):
 *  - pasid mode, where the kernel can attach a domain to a PASID: a
 *    paging domain of the instance's own on a global PASID of the parent,
 *    which the WQ uses. Instances of different VMs may share a parent.
 *  - pf mode (any kernel, dma_mode=pf): one domain on the parent's
 *    requester ID, shared by all its open pf-mode instances, which must
 *    therefore belong to one VM. The domain maps an IOVA while at least
 *    one instance pins it, and never a page that another instance's pin
 *    of the same IOVA contradicts.
 *
 * A translation is torn down by the container alone: .dma_unmap unmaps,
 * then unpins, before it returns, and the range is not pinned again
 * before the memslots change. A change of the memslots is noticed from
 * their generation at the next sync (WQ enable, commands).
 *
 * The pins are VFIO's, and so is their accounting: type1 charges them to
 * the VMM's RLIMIT_MEMLOCK when no IOMMU-backed device shares the
 * container (an mdev-only VM), iommufd to its user likewise; nothing is
 * charged here.
 */
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/iommu.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vfio.h>
#include <linux/xarray.h>

#include <compat.h>

#include "mdev.h"

/* Pages of a chunk, the unit of the pins' bookkeeping. */
#define DMA_CHUNK_PAGES		VFIO_PIN_PAGES_MAX_ENTRIES

/* idxd_mdev_dma.generation when the next sync must scan the memslots. */
#define DMA_GENERATION_NONE	(~0ULL)

/* An entry of pf_dev.dma_maps: the page frame mapped, how many pin it. */
#define DMA_MAP_USERS		GENMASK(7, 0)
#define DMA_MAP_PFN		GENMASK(62, 8)

enum dma_mode {
	DMA_MODE_AUTO,
	DMA_MODE_PF,
};

static const char * const dma_mode_names[] = {
	[DMA_MODE_AUTO] = "auto",
	[DMA_MODE_PF] = "pf",
};

static int dma_mode = DMA_MODE_AUTO;

static int dma_mode_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(dma_mode_names, val);

	if (mode < 0)
		return mode;
	WRITE_ONCE(*(int *)kp->arg, mode);
	return 0;
}

static int dma_mode_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n",
			 dma_mode_names[READ_ONCE(*(int *)kp->arg)]);
}

static const struct kernel_param_ops dma_mode_ops = {
	.set = dma_mode_set,
	.get = dma_mode_get,
};

module_param_cb(dma_mode, &dma_mode_ops, &dma_mode, 0644);
__MODULE_PARM_TYPE(dma_mode, "string");
MODULE_PARM_DESC(dma_mode,
		 "where an instance opened after it is set translates its guest's DMA: auto (a PASID of its own where the kernel can attach one, else as pf) or pf (the function's requester ID: one VM per function)");

/*
 * The pins of one aligned window of DMA_CHUNK_PAGES IOVA pages. A page is
 * set in @pinned while the instance pins it and the domain maps it (pf
 * mode: for this instance and maybe others).
 */
struct dma_chunk {
	struct list_head node;	/* in idxd_mdev_dma.pins, by @index */
	unsigned long index;
	DECLARE_BITMAP(pinned, DMA_CHUNK_PAGES);
};

/*
 * IOVA pages the container unmapped, at memslot generation @generation:
 * not pinned again before the memslots change. Type1 notifies .dma_unmap
 * with its lock dropped and retries (then BUG()s) while pins remain in
 * the range; pinning it again from a command in that window would make
 * it retry. A VMM that puts memory back changes the memslots too (QEMU's
 * listeners do both), and the next scan pins it.
 */
struct dma_fence {
	struct list_head node;	/* in idxd_mdev_dma.fences */
	u64 first, last;
	u64 generation;
};

/* A memslot, as copied out of KVM's SRCU section. */
struct dma_slot {
	u64 base_gfn;
	u64 npages;
	u32 flags;
};

static u64 dma_chunk_iova(const struct dma_chunk *c, unsigned int page)
{
	return ((u64)c->index * DMA_CHUNK_PAGES + page) << PAGE_SHIFT;
}

/*
 * Pages per iommu_map() call: fewer than the domain's smallest page size
 * above PAGE_SIZE. Every IOVA is then mapped by a PAGE_SIZE entry, and any
 * page range can be unmapped exactly: an IOMMU driver asked to unmap part
 * of a larger entry unmaps all of it, neighbours included.
 */
static unsigned int dma_max_run(const struct iommu_domain *domain)
{
	unsigned long larger = domain->pgsize_bitmap & ~((PAGE_SIZE << 1) - 1);

	if (!larger)
		return DMA_CHUNK_PAGES;
	return min_t(unsigned long, DMA_CHUNK_PAGES,
		     (1UL << __ffs(larger)) / PAGE_SIZE - 1);
}

/* Unmap the pages set in @which, of @n at @iova. */
static void dma_unmap_runs(struct iommu_domain *domain, u64 iova,
			   const unsigned long *which, unsigned int n)
{
	unsigned int b, e;
	size_t len;

	for_each_set_bitrange(b, e, which, n) {
		len = (size_t)(e - b) << PAGE_SHIFT;
		WARN_ON_ONCE(iommu_unmap(domain, iova + ((u64)b << PAGE_SHIFT),
					 len) != len);
	}
}

/*
 * Map the pages set in @which, of @n pinned at @iova, each physically
 * contiguous run in as few calls as dma_max_run() allows. On failure,
 * nothing of them stays mapped.
 */
static int dma_map_runs(struct iommu_domain *domain, u64 iova,
			struct page **pages, const unsigned long *which,
			unsigned int n, int prot)
{
	unsigned int max = dma_max_run(domain);
	unsigned int b, e, i, len;
	phys_addr_t phys;
	int ret;

	for_each_set_bitrange(b, e, which, n) {
		for (i = b; i < e; i += len) {
			phys = page_to_phys(pages[i]);
			for (len = 1; i + len < e && len < max; len++)
				if (page_to_phys(pages[i + len]) !=
				    phys + ((phys_addr_t)len << PAGE_SHIFT))
					break;
			ret = compat_iommu_map(domain,
					       iova + ((u64)i << PAGE_SHIFT),
					       phys, (size_t)len << PAGE_SHIFT,
					       prot | IOMMU_CACHE,
					       GFP_KERNEL_ACCOUNT);
			if (ret) {
				dma_unmap_runs(domain, iova, which, i);
				return ret;
			}
		}
	}
	return 0;
}

static unsigned long dma_map_entry_pfn(void *entry)
{
	return FIELD_GET(DMA_MAP_PFN, xa_to_value(entry));
}

/*
 * pf mode: drop the instance's use of the pages set in @which, of @n at
 * @iova, and set in @unmap those no instance pins any longer. Replacing an
 * entry allocates nothing, so this cannot fail.
 */
static void dma_release_pf_locked(struct pf_dev *pf, u64 iova,
				  const unsigned long *which, unsigned int n,
				  unsigned long *unmap)
{
	unsigned long index = iova >> PAGE_SHIFT;
	unsigned long v;
	unsigned int i;

	lockdep_assert_held(&pf->dma_lock);
	for_each_set_bit(i, which, n) {
		v = xa_to_value(xa_load(&pf->dma_maps, index + i));
		if (FIELD_GET(DMA_MAP_USERS, v) > 1) {
			xa_store(&pf->dma_maps, index + i, xa_mk_value(v - 1),
				 GFP_KERNEL);
		} else {
			xa_erase(&pf->dma_maps, index + i);
			__set_bit(i, unmap);
		}
	}
}

/*
 * pf mode: account the instance's pins of @n pages at @iova to the shared
 * domain. Sets in @map the pages it must map now (no instance pinned
 * them) and in @refused those mapped to another page: another instance of
 * the VM pinned that IOVA to a different page, which only a VMM changing
 * the container behind VFIO's back causes; rather than let the DMA reach
 * either, the page stays out of this instance's pins.
 */
static int dma_claim_pf_locked(struct pf_dev *pf, u64 iova,
			       struct page **pages, unsigned int n,
			       unsigned long *map, unsigned long *refused)
{
	DECLARE_BITMAP(claimed, DMA_CHUNK_PAGES);
	unsigned long index = iova >> PAGE_SHIFT;
	unsigned long pfn;
	unsigned int i;
	void *entry;
	int ret;

	lockdep_assert_held(&pf->dma_lock);
	for (i = 0; i < n; i++) {
		pfn = page_to_pfn(pages[i]);
		entry = xa_load(&pf->dma_maps, index + i);
		if (!entry) {
			entry = xa_mk_value(FIELD_PREP(DMA_MAP_PFN, pfn) |
					    FIELD_PREP(DMA_MAP_USERS, 1));
			ret = xa_err(xa_store(&pf->dma_maps, index + i, entry,
					      GFP_KERNEL));
			if (ret)
				goto out_release;
			__set_bit(i, map);
		} else if (dma_map_entry_pfn(entry) != pfn) {
			__set_bit(i, refused);
		} else {
			xa_store(&pf->dma_maps, index + i,
				 xa_mk_value(xa_to_value(entry) + 1), GFP_KERNEL);
		}
	}
	return 0;

out_release:
	bitmap_complement(claimed, refused, i);
	dma_release_pf_locked(pf, iova, claimed, i, map);
	return ret;
}

/*
 * pf mode: map the pages just pinned at @iova that no instance maps yet
 * into the parent's domain; set in @refused those it refuses.
 */
static int dma_map_shared(struct idxd_mdev *im, u64 iova, struct page **pages,
			  unsigned int n, int prot, unsigned long *refused)
{
	DECLARE_BITMAP(claimed, DMA_CHUNK_PAGES);
	DECLARE_BITMAP(map, DMA_CHUNK_PAGES);
	struct pf_dev *pf = im->pf;
	int ret;

	bitmap_zero(map, DMA_CHUNK_PAGES);
	mutex_lock(&pf->dma_lock);
	ret = dma_claim_pf_locked(pf, iova, pages, n, map, refused);
	if (!ret) {
		ret = dma_map_runs(pf->dma_domain, iova, pages, map, n, prot);
		if (ret) {
			bitmap_complement(claimed, refused, n);
			dma_release_pf_locked(pf, iova, claimed, n, map);
		}
	}
	mutex_unlock(&pf->dma_lock);
	return ret;
}

/*
 * Unpin the pages set in @which, of @n at @iova, one by one as they were
 * pinned: iommufd takes back exactly the ranges it pinned (type1 would
 * take any).
 */
static void dma_unpin_pages(struct idxd_mdev *im, u64 iova,
			    const unsigned long *which, unsigned int n)
{
	unsigned int i;

	for_each_set_bit(i, which, n)
		vfio_unpin_pages(&im->vdev, iova + ((u64)i << PAGE_SHIFT), 1);
}

/*
 * Map @n pages of @c from @first, just pinned with @prot, and record them.
 * On failure none of them stays mapped or pinned.
 */
static int dma_map_pinned_locked(struct idxd_mdev *im, struct dma_chunk *c,
				 unsigned int first, unsigned int n, int prot,
				 struct page **pages)
{
	DECLARE_BITMAP(refused, DMA_CHUNK_PAGES);
	u64 iova = dma_chunk_iova(c, first);
	unsigned int b, e;
	int ret;

	lockdep_assert_held(&im->dma.lock);
	bitmap_zero(refused, DMA_CHUNK_PAGES);
	if (im->dma.pasid_mode) {
		DECLARE_BITMAP(all, DMA_CHUNK_PAGES);

		bitmap_fill(all, n);
		ret = dma_map_runs(im->dma.domain, iova, pages, all, n, prot);
	} else {
		ret = dma_map_shared(im, iova, pages, n, prot, refused);
	}
	if (ret) {
		DECLARE_BITMAP(all, DMA_CHUNK_PAGES);

		bitmap_fill(all, n);
		dma_unpin_pages(im, iova, all, n);
		return ret;
	}

	for_each_clear_bitrange(b, e, refused, n) {
		bitmap_set(c->pinned, first + b, e - b);
		im->dma.nr_pinned += e - b;
	}
	if (bitmap_empty(refused, n))
		return 0;
	dev_warn_ratelimited(idxd_mdev_dev(im), "IOVA %#llx: %u pages pinned to pages other than another instance maps there: left unmapped\n",
			     iova, bitmap_weight(refused, n));
	dma_unpin_pages(im, iova, refused, n);
	return 0;
}

/*
 * Pin and map @n pages of @c from @first, a page at a time (see
 * dma_unpin_pages()). A page VFIO refuses to pin is outside the container
 * (device memory, a BAR, guest_memfd) or not writable as asked: the
 * device may not reach it, which is no failure. Running out of memory,
 * RLIMIT_MEMLOCK included, is one.
 */
static int dma_pin_run_locked(struct idxd_mdev *im, struct dma_chunk *c,
			      unsigned int first, unsigned int n, int prot,
			      struct page **pages)
{
	DECLARE_BITMAP(pinned, DMA_CHUNK_PAGES);
	u64 iova = dma_chunk_iova(c, first);
	unsigned int i, b, e;
	int ret = 0;

	lockdep_assert_held(&im->dma.lock);
	bitmap_zero(pinned, DMA_CHUNK_PAGES);
	for (i = 0; i < n; i++) {
		ret = vfio_pin_pages(&im->vdev, iova + ((u64)i << PAGE_SHIFT),
				     1, prot, &pages[i]);
		if (ret == -ENOMEM)
			break;
		if (ret < 0) {
			dev_dbg(idxd_mdev_dev(im), "IOVA %#llx not pinnable (%d)\n",
				iova + ((u64)i << PAGE_SHIFT), ret);
			ret = 0;
			continue;
		}
		ret = 0;
		__set_bit(i, pinned);
	}
	if (ret) {
		dma_unpin_pages(im, iova, pinned, n);
		return ret;
	}
	for_each_set_bitrange(b, e, pinned, n) {
		ret = dma_map_pinned_locked(im, c, first + b, e - b, prot,
					    pages + b);
		if (ret) {
			/* What was mapped stays recorded; the rest goes. */
			bitmap_clear(pinned, 0, e);
			dma_unpin_pages(im, iova, pinned, n);
			return ret;
		}
	}
	return 0;
}

/* Pin and map the pages of [first, first + n) of @c not pinned yet. */
static int dma_fill_chunk_locked(struct idxd_mdev *im, struct dma_chunk *c,
				 unsigned int first, unsigned int n, int prot,
				 struct page **pages)
{
	unsigned int b = first, e;
	int ret;

	for_each_clear_bitrange_from(b, e, c->pinned, first + n) {
		ret = dma_pin_run_locked(im, c, b, e - b, prot, pages);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The chunk of @index, made if missing. @pos is a cursor: the list entry
 * after which @index belongs (the list head first); lookups in increasing
 * order walk the sorted list once.
 */
static struct dma_chunk *dma_chunk_get_locked(struct idxd_mdev *im,
					      struct list_head **pos,
					      unsigned long index)
{
	struct dma_chunk *c;

	lockdep_assert_held(&im->dma.lock);
	while ((*pos)->next != &im->dma.pins) {
		c = list_entry((*pos)->next, struct dma_chunk, node);
		if (c->index == index)
			return c;
		if (c->index > index)
			break;
		*pos = &c->node;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	c->index = index;
	list_add(&c->node, *pos);
	return c;
}

static void dma_chunk_put_locked(struct idxd_mdev *im, struct dma_chunk *c)
{
	lockdep_assert_held(&im->dma.lock);
	if (!bitmap_empty(c->pinned, DMA_CHUNK_PAGES))
		return;
	list_del(&c->node);
	kfree(c);
}

/*
 * The end of the pages from @gfn up to @end that no fence covers: @gfn
 * itself if one covers @gfn, after moving @gfn past it.
 */
static u64 dma_unfenced_locked(struct idxd_mdev *im, u64 *gfn, u64 end)
{
	struct dma_fence *f;
	bool moved;

	lockdep_assert_held(&im->dma.lock);
	if (im->dma.fence_all != DMA_GENERATION_NONE) {
		*gfn = end;
		return end;
	}
	do {
		moved = false;
		list_for_each_entry(f, &im->dma.fences, node) {
			if (f->first <= *gfn && *gfn <= f->last) {
				*gfn = f->last == U64_MAX ? end :
				       min(f->last + 1, end);
				moved = true;
			}
		}
	} while (moved && *gfn < end);
	list_for_each_entry(f, &im->dma.fences, node)
		if (f->first > *gfn && f->first < end)
			end = f->first;
	return end;
}

/* Pin and map every page of @slot not pinned yet, nor fenced. */
static int dma_pin_slot_locked(struct idxd_mdev *im,
			       const struct dma_slot *slot,
			       struct list_head **pos, struct page **pages)
{
	int prot = slot->flags & KVM_MEM_READONLY ? IOMMU_READ :
						    IOMMU_READ | IOMMU_WRITE;
	u64 gfn = slot->base_gfn, end = slot->base_gfn + slot->npages;
	struct dma_chunk *c;
	unsigned int first, n;
	u64 stop;
	int ret;

	for (; gfn < end; gfn += n) {
		stop = dma_unfenced_locked(im, &gfn, end);
		if (gfn >= end)
			break;
		first = gfn % DMA_CHUNK_PAGES;
		n = min_t(u64, stop - gfn, DMA_CHUNK_PAGES - first);
		c = dma_chunk_get_locked(im, pos, gfn / DMA_CHUNK_PAGES);
		if (!c)
			return -ENOMEM;
		ret = dma_fill_chunk_locked(im, c, first, n, prot, pages);
		dma_chunk_put_locked(im, c);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Unmap, then unpin, the pages of [first, first + n) of @c that the
 * instance pins: the device must not reach a page VFIO may let go of.
 */
static void dma_drop_locked(struct idxd_mdev *im, struct dma_chunk *c,
			    unsigned int first, unsigned int n)
{
	DECLARE_BITMAP(unmap, DMA_CHUNK_PAGES);
	DECLARE_BITMAP(which, DMA_CHUNK_PAGES);
	u64 iova = dma_chunk_iova(c, 0);

	lockdep_assert_held(&im->dma.lock);
	bitmap_zero(which, DMA_CHUNK_PAGES);
	bitmap_set(which, first, n);
	if (!bitmap_and(which, which, c->pinned, DMA_CHUNK_PAGES))
		return;

	if (im->dma.pasid_mode) {
		dma_unmap_runs(im->dma.domain, iova, which, DMA_CHUNK_PAGES);
	} else {
		/* Held across the unmap: a new pin must not map it first. */
		mutex_lock(&im->pf->dma_lock);
		bitmap_zero(unmap, DMA_CHUNK_PAGES);
		dma_release_pf_locked(im->pf, iova, which, DMA_CHUNK_PAGES,
				      unmap);
		dma_unmap_runs(im->dma.domain, iova, unmap, DMA_CHUNK_PAGES);
		mutex_unlock(&im->pf->dma_lock);
	}

	dma_unpin_pages(im, iova, which, DMA_CHUNK_PAGES);
	bitmap_andnot(c->pinned, c->pinned, which, DMA_CHUNK_PAGES);
	im->dma.nr_pinned -= bitmap_weight(which, DMA_CHUNK_PAGES);
}

static u64 dma_generation(struct kvm *kvm)
{
	u64 generation;
	int idx;

	idx = srcu_read_lock(&kvm->srcu);
	generation = kvm_memslots(kvm)->generation;
	srcu_read_unlock(&kvm->srcu, idx);
	return generation;
}

static int dma_slot_cmp(const void *a, const void *b)
{
	const struct dma_slot *x = a, *y = b;

	if (x->base_gfn != y->base_gfn)
		return x->base_gfn < y->base_gfn ? -1 : 1;
	return 0;
}

/*
 * Copy the memslots of address space 0 (device DMA never sees SMM's) and
 * their generation, sorted by GFN. The copy is pinned after kvm->srcu is
 * left: pinning faults pages in and may wait on the VMM's mm, which must
 * not hold up KVM's memslot updates (synchronize_srcu()).
 */
static struct dma_slot *dma_copy_slots(struct kvm *kvm, unsigned int *nr,
				       u64 *generation)
{
	struct kvm_memory_slot *slot;
	struct kvm_memslots *slots;
	struct dma_slot *copy;
	unsigned int n = 0;
	int idx, bkt;

	idx = srcu_read_lock(&kvm->srcu);
	slots = kvm_memslots(kvm);
	kvm_for_each_memslot(slot, bkt, slots)
		n++;
	copy = kvmalloc_array(n, sizeof(*copy), GFP_KERNEL);
	if (copy) {
		n = 0;
		kvm_for_each_memslot(slot, bkt, slots) {
			/* Being deleted or moved: the next generation tells. */
			if (slot->flags & KVM_MEMSLOT_INVALID)
				continue;
			copy[n].base_gfn = slot->base_gfn;
			copy[n].npages = slot->npages;
			copy[n].flags = slot->flags;
			n++;
		}
		*generation = slots->generation;
	}
	srcu_read_unlock(&kvm->srcu, idx);
	if (!copy)
		return NULL;
	sort(copy, n, sizeof(*copy), dma_slot_cmp, NULL);
	*nr = n;
	return copy;
}

/* The fences of other memslot generations than @generation go. */
static void dma_drop_fences_locked(struct idxd_mdev *im, u64 generation)
{
	struct dma_fence *f, *next;

	lockdep_assert_held(&im->dma.lock);
	list_for_each_entry_safe(f, next, &im->dma.fences, node) {
		if (f->generation != generation) {
			list_del(&f->node);
			kfree(f);
		}
	}
	if (im->dma.fence_all != generation)
		im->dma.fence_all = DMA_GENERATION_NONE;
}

static int dma_sync_locked(struct idxd_mdev *im)
{
	struct list_head *pos = &im->dma.pins;
	struct dma_slot *slots;
	struct page **pages;
	unsigned int nr, i;
	u64 generation;
	int ret = 0;

	lockdep_assert_held(&im->dma.lock);
	if (dma_generation(im->kvm) == im->dma.generation)
		goto out_check;

	slots = dma_copy_slots(im->kvm, &nr, &generation);
	if (!slots)
		return -ENOMEM;
	pages = kmalloc_array(DMA_CHUNK_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		ret = -ENOMEM;
		goto out_free_slots;
	}
	dma_drop_fences_locked(im, generation);
	for (i = 0; i < nr && !ret; i++)
		ret = dma_pin_slot_locked(im, &slots[i], &pos, pages);
	if (!ret) {
		im->dma.generation = generation;
		im->dma.nr_slots = nr;
	}
	kfree(pages);
out_free_slots:
	kvfree(slots);
	if (ret)
		return ret;
out_check:
	/*
	 * Memory in the VM but none of it in the container at its GPA: the
	 * container holds other addresses, as behind a guest's vIOMMU in
	 * translating mode. Nothing the guest names could be reached.
	 */
	return im->dma.nr_slots && !im->dma.nr_pinned ? -EFAULT : 0;
}

/**
 * idxd_mdev_dma_sync() - map the guest's memory as KVM's memslots now are
 * @im:		an open instance
 *
 * When the memslot generation differs from the one last mapped, pins
 * through VFIO and maps into the instance's domain every page of every
 * memslot of address space 0 not pinned yet, at IOVA == GPA, but for the
 * ranges the container unmapped at the same generation; read-only
 * memslots are mapped read-only. Pages VFIO does not pin (outside the
 * container) are skipped. Pages already pinned stay; only .dma_unmap
 * removes pages. Fails when the VM has memory but nothing is pinned.
 * Pinning may fault the VMM's pages in: the caller must not hold a lock
 * that the VMM's page faults, or the portal's fault handler under the
 * mmap lock, may take.
 *
 * Called before the guest's WQ is enabled and on each trapped command.
 * Logs its own failure.
 *
 * Context: process; may sleep. Takes @im->dma.lock, and in pf mode the
 * parent's dma_lock inside it; may be called with the model's lock held.
 * Return: 0; -ENOMEM, the VMM's RLIMIT_MEMLOCK included; -EFAULT when the
 * VM has memory but the container holds none of it at IOVA == GPA (a
 * guest vIOMMU in translating mode); or iommu_map()'s error, the run that
 * failed left neither mapped nor pinned.
 */
int idxd_mdev_dma_sync(struct idxd_mdev *im)
{
	int ret;

	mutex_lock(&im->dma.lock);
	ret = dma_sync_locked(im);
	mutex_unlock(&im->dma.lock);
	/* Rate-limited: every command the guest writes asks again. */
	if (ret == -EFAULT)
		dev_err_ratelimited(idxd_mdev_dev(im),
				    "none of the VM's memory is in the VFIO container at IOVA == GPA (a guest vIOMMU in translating mode?): its DMA cannot be confined to it\n");
	else if (ret)
		dev_err_ratelimited(idxd_mdev_dev(im),
				    "cannot map the guest's memory for DMA (%d)\n",
				    ret);
	return ret;
}

/* Fence [first, last]; without memory for that, every page. */
static void dma_fence_locked(struct idxd_mdev *im, u64 first, u64 last)
{
	struct dma_fence *f = kmalloc(sizeof(*f), GFP_KERNEL);
	u64 generation = dma_generation(im->kvm);

	lockdep_assert_held(&im->dma.lock);
	if (!f) {
		im->dma.fence_all = generation;
		return;
	}
	f->first = first;
	f->last = last;
	f->generation = generation;
	list_add(&f->node, &im->dma.fences);
}

/**
 * idxd_mdev_dma_unmap() - the VFIO .dma_unmap op
 * @vdev:	the instance's VFIO device
 * @iova:	the first IOVA the container unmaps
 * @length:	bytes from @iova
 *
 * Unmaps from the domain, then unpins, every page the instance pins in
 * the range (pf mode: the shared domain keeps a page another instance
 * still pins), splitting pinned ranges as needed, and fences the range:
 * it is not pinned again before the memslots change (see struct
 * dma_fence).
 *
 * Context: process; may sleep. Called by the container from any thread,
 * before open_device and after close_device too (type1 holds its device
 * list lock, not the lock pinning takes). Takes @im->dma.lock, and in pf
 * mode the parent's dma_lock inside it.
 */
void idxd_mdev_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct idxd_mdev *im = vdev_to_idxd_mdev(vdev);
	u64 first = iova >> PAGE_SHIFT, last, base;
	struct dma_chunk *c, *next;
	unsigned int from, to;

	if (!length)
		return;
	last = iova + length - 1 < iova ? U64_MAX >> PAGE_SHIFT :
					  (iova + length - 1) >> PAGE_SHIFT;

	mutex_lock(&im->dma.lock);
	/* VFIO may call before open_device, when nothing is set up yet. */
	if (!im->kvm)
		goto out_unlock;
	list_for_each_entry_safe(c, next, &im->dma.pins, node) {
		base = (u64)c->index * DMA_CHUNK_PAGES;
		if (base > last)
			break;
		if (base + DMA_CHUNK_PAGES <= first)
			continue;
		from = max(first, base) - base;
		to = min_t(u64, last + 1, base + DMA_CHUNK_PAGES) - base;
		dma_drop_locked(im, c, from, to - from);
		dma_chunk_put_locked(im, c);
	}
	dma_fence_locked(im, first, last);
out_unlock:
	mutex_unlock(&im->dma.lock);
}

/*
 * Take a reference on the VM the VMM opened the device for, with
 * kvm_get_kvm_safe() and kvm_put_kvm() only, through symbol_get().
 * @put_kvm keeps kvm.ko's kvm_put_kvm() until dma_put_kvm().
 */
static struct kvm *dma_get_kvm(struct idxd_mdev *im,
			       void (**put_kvm)(struct kvm *kvm))
{
	struct kvm *kvm = im->vdev.kvm;
	bool (*get_kvm)(struct kvm *kvm);
	bool held = false;

	if (!kvm) {
		dev_err(idxd_mdev_dev(im), "no KVM: the VMM must add the VFIO group to KVM's VFIO device before opening the device\n");
		return ERR_PTR(-ESRCH);
	}
	get_kvm = symbol_get(kvm_get_kvm_safe);
	*put_kvm = symbol_get(kvm_put_kvm);
	if (get_kvm && *put_kvm)
		held = get_kvm(kvm);
	if (get_kvm)
		symbol_put(kvm_get_kvm_safe);
	if (!held) {
		if (*put_kvm)
			symbol_put(kvm_put_kvm);
		dev_err(idxd_mdev_dev(im), "cannot hold the VM: it is going away\n");
		return ERR_PTR(-ESRCH);
	}
	return kvm;
}

static void dma_put_kvm(struct kvm *kvm, void (*put_kvm)(struct kvm *kvm))
{
	put_kvm(kvm);
	symbol_put(kvm_put_kvm);
}

#ifdef HAVE_IOMMU_PASID_DOMAIN
static bool dma_use_pasid(void)
{
	return READ_ONCE(dma_mode) == DMA_MODE_AUTO;
}

/* A paging domain of the instance's own on a global PASID of the parent. */
static int dma_open_pasid_locked(struct idxd_mdev *im)
{
	struct device *dev = &im->pf->pdev->dev;
	struct iommu_domain *domain;
	const char *hint = "";
	ioasid_t pasid;
	int ret;

	lockdep_assert_held(&im->dma.lock);
	domain = iommu_paging_domain_alloc(dev);
	if (IS_ERR(domain)) {
		dev_err(idxd_mdev_dev(im), "cannot allocate an IOMMU domain for %s (%ld)\n",
			pci_name(im->pf->pdev), PTR_ERR(domain));
		return PTR_ERR(domain);
	}
	pasid = iommu_alloc_global_pasid(dev);
	if (pasid == IOMMU_PASID_INVALID) {
		dev_err(idxd_mdev_dev(im), "%s has no PASID to give (no PASID support, or none left); set idxd_mdev's dma_mode=pf\n",
			pci_name(im->pf->pdev));
		ret = -EOPNOTSUPP;
		goto out_free_domain;
	}
	ret = compat_iommu_attach_device_pasid(domain, dev, pasid);
	if (ret) {
		/* What the IOMMU drivers say when they cannot at all. */
		if (ret == -EOPNOTSUPP || ret == -EINVAL)
			hint = ": no per-PASID domain here; set idxd_mdev's dma_mode=pf";
		dev_err(idxd_mdev_dev(im), "cannot attach a domain to PASID %u of %s (%d)%s\n",
			pasid, pci_name(im->pf->pdev), ret, hint);
		goto out_free_pasid;
	}
	im->dma.pasid_mode = true;
	im->dma.pasid = pasid;
	im->dma.domain = domain;
	return 0;

out_free_pasid:
	iommu_free_global_pasid(pasid);
out_free_domain:
	iommu_domain_free(domain);
	return ret;
}

static void dma_close_pasid_locked(struct idxd_mdev *im)
{
	lockdep_assert_held(&im->dma.lock);
	iommu_detach_device_pasid(im->dma.domain, &im->pf->pdev->dev,
				  im->dma.pasid);
	iommu_free_global_pasid(im->dma.pasid);
	iommu_domain_free(im->dma.domain);
}
#else
/* The kernel cannot attach a domain to a PASID: pf mode only. */
static bool dma_use_pasid(void)
{
	return false;
}

static int dma_open_pasid_locked(struct idxd_mdev *im)
{
	return -EOPNOTSUPP;
}

static void dma_close_pasid_locked(struct idxd_mdev *im)
{
}
#endif

/* pf mode: the first instance attaches the shared domain to the parent. */
static int dma_attach_pf_locked(struct idxd_mdev *im)
{
	struct pf_dev *pf = im->pf;
	struct iommu_domain *domain;
	int ret;

	lockdep_assert_held(&pf->dma_lock);
	domain = iommu_paging_domain_alloc(&pf->pdev->dev);
	if (IS_ERR(domain)) {
		dev_err(idxd_mdev_dev(im), "cannot allocate an IOMMU domain for %s (%ld)\n",
			pci_name(pf->pdev), PTR_ERR(domain));
		return PTR_ERR(domain);
	}
	ret = iommu_attach_device(domain, &pf->pdev->dev);
	if (ret) {
		dev_err(idxd_mdev_dev(im), "cannot attach a domain to %s (%d): its IOMMU group must hold it alone\n",
			pci_name(pf->pdev), ret);
		iommu_domain_free(domain);
		return ret;
	}
	pf->dma_domain = domain;
	pf->dma_kvm = im->kvm;
	return 0;
}

static int dma_open_pf_locked(struct idxd_mdev *im)
{
	struct pf_dev *pf = im->pf;
	int ret = 0;

	lockdep_assert_held(&im->dma.lock);
	/* An entry counts the instances pinning its page. */
	BUILD_BUG_ON(FIELD_MAX(DMA_MAP_USERS) < PF_CARVE_MAX_WQS);

	mutex_lock(&pf->dma_lock);
	if (pf->dma_pasid_users) {
		dev_err(idxd_mdev_dev(im), "the open instances of %s are in pasid mode: dma_mode=pf applies once they are closed\n",
			pci_name(pf->pdev));
		ret = -EBUSY;
	} else if (!pf->dma_users) {
		ret = dma_attach_pf_locked(im);
	} else if (pf->dma_kvm != im->kvm) {
		dev_err(idxd_mdev_dev(im), "the DMA of %s already belongs to another VM: dma_mode=pf gives one VM per function\n",
			pci_name(pf->pdev));
		ret = -EBUSY;
	}
	if (!ret) {
		pf->dma_users++;
		im->dma.pasid_mode = false;
		im->dma.domain = pf->dma_domain;
	}
	mutex_unlock(&pf->dma_lock);
	return ret;
}

static void dma_close_pf_locked(struct idxd_mdev *im)
{
	struct pf_dev *pf = im->pf;

	lockdep_assert_held(&im->dma.lock);
	mutex_lock(&pf->dma_lock);
	if (!--pf->dma_users) {
		iommu_detach_device(pf->dma_domain, &pf->pdev->dev);
		iommu_domain_free(pf->dma_domain);
		WARN_ON(!xa_empty(&pf->dma_maps));
		pf->dma_domain = NULL;
		pf->dma_kvm = NULL;
	}
	mutex_unlock(&pf->dma_lock);
}

/*
 * pasid mode, counted on the parent: its open instances all use one mode,
 * so that none has IMS slots untagged (pf mode) where another VM's WQ
 * carries a PASID and could name them.
 */
static int dma_open_pasid_mode_locked(struct idxd_mdev *im)
{
	struct pf_dev *pf = im->pf;
	int ret = 0;

	lockdep_assert_held(&im->dma.lock);
	mutex_lock(&pf->dma_lock);
	if (pf->dma_users) {
		dev_err(idxd_mdev_dev(im), "the open instances of %s are in pf mode: pasid mode applies once they are closed\n",
			pci_name(pf->pdev));
		ret = -EBUSY;
	} else {
		pf->dma_pasid_users++;
	}
	mutex_unlock(&pf->dma_lock);
	if (ret)
		return ret;
	ret = dma_open_pasid_locked(im);
	if (ret) {
		mutex_lock(&pf->dma_lock);
		pf->dma_pasid_users--;
		mutex_unlock(&pf->dma_lock);
	}
	return ret;
}

static void dma_close_pasid_mode_locked(struct idxd_mdev *im)
{
	lockdep_assert_held(&im->dma.lock);
	dma_close_pasid_locked(im);
	mutex_lock(&im->pf->dma_lock);
	im->pf->dma_pasid_users--;
	mutex_unlock(&im->pf->dma_lock);
}

/**
 * idxd_mdev_dma_open() - hold the user's VM and set up the translation
 * @im:		the instance, being opened
 *
 * Takes a reference on the VM the VMM added the device's group (or file)
 * to, and sets up the domain the WQ's DMA will go through: in pasid mode a
 * domain of the instance's own on a new global PASID of the parent
 * (@im->dma.pasid_mode, @im->dma.pasid); in pf mode the parent's shared
 * requester ID domain, which the first instance attaches and which only
 * instances of the same VM may share. Maps nothing yet: see
 * idxd_mdev_dma_sync(). @im->dma.lock must have been initialised with
 * the instance.
 *
 * Context: process, the VFIO open_device op; may sleep. Takes
 * @im->dma.lock, and in pf mode the parent's dma_lock inside it.
 * Return: 0; -ESRCH without a VM; -EBUSY when the parent's DMA belongs to
 * another VM (pf mode) or its open instances use the other mode;
 * -EOPNOTSUPP when the parent has no PASID for it
 * (pasid mode); or the IOMMU's error. Each failure is logged once.
 */
int idxd_mdev_dma_open(struct idxd_mdev *im)
{
	void (*put_kvm)(struct kvm *kvm);
	struct kvm *kvm;
	int ret;

	kvm = dma_get_kvm(im, &put_kvm);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);

	mutex_lock(&im->dma.lock);
	INIT_LIST_HEAD(&im->dma.pins);
	INIT_LIST_HEAD(&im->dma.fences);
	im->dma.nr_pinned = 0;
	im->dma.nr_slots = 0;
	im->dma.generation = DMA_GENERATION_NONE;
	im->dma.fence_all = DMA_GENERATION_NONE;
	im->kvm = kvm;
	if (dma_use_pasid())
		ret = dma_open_pasid_mode_locked(im);
	else
		ret = dma_open_pf_locked(im);
	if (ret)
		im->kvm = NULL;
	else
		im->dma.put_kvm = put_kvm;
	mutex_unlock(&im->dma.lock);

	if (ret)
		dma_put_kvm(kvm, put_kvm);
	return ret;
}

/**
 * idxd_mdev_dma_close() - undo idxd_mdev_dma_open() and every mapping
 * @im:		an open instance
 *
 * Unmaps and unpins every page, detaches and frees the instance's domain
 * and PASID (pf mode: the last instance of the parent detaches the shared
 * domain) and drops the VM. The WQ must no longer run.
 *
 * Context: process, the VFIO close_device op; may sleep. Takes
 * @im->dma.lock, and in pf mode the parent's dma_lock inside it.
 */
void idxd_mdev_dma_close(struct idxd_mdev *im)
{
	void (*put_kvm)(struct kvm *kvm);
	struct dma_chunk *c, *next;
	struct kvm *kvm;

	mutex_lock(&im->dma.lock);
	list_for_each_entry_safe(c, next, &im->dma.pins, node) {
		dma_drop_locked(im, c, 0, DMA_CHUNK_PAGES);
		dma_chunk_put_locked(im, c);
	}
	dma_drop_fences_locked(im, DMA_GENERATION_NONE);
	if (im->dma.pasid_mode)
		dma_close_pasid_mode_locked(im);
	else
		dma_close_pf_locked(im);
	im->dma.domain = NULL;
	kvm = im->kvm;
	put_kvm = im->dma.put_kvm;
	im->kvm = NULL;
	im->dma.put_kvm = NULL;
	mutex_unlock(&im->dma.lock);

	/* Outside the lock: the last reference destroys the VM. */
	dma_put_kvm(kvm, put_kvm);
}

/**
 * idxd_mdev_dma_show() - the translation's state, for debugfs
 * @im:		the instance
 * @m:		where to print
 *
 * Prints "mode pasid", "mode pf" or "mode none" (not open); in pasid mode
 * "pasid N"; then "pinned N" (pages) and "generation N" (the memslot
 * generation mapped, or "none" when the next sync scans again).
 *
 * Context: process; may sleep. Takes @im->dma.lock.
 */
void idxd_mdev_dma_show(struct idxd_mdev *im, struct seq_file *m)
{
	mutex_lock(&im->dma.lock);
	if (!im->kvm)
		seq_puts(m, "mode none\n");
	else if (im->dma.pasid_mode)
		seq_printf(m, "mode pasid\npasid %u\n", im->dma.pasid);
	else
		seq_puts(m, "mode pf\n");
	seq_printf(m, "pinned %lu\n", im->dma.nr_pinned);
	if (!im->kvm || im->dma.generation == DMA_GENERATION_NONE)
		seq_puts(m, "generation none\n");
	else
		seq_printf(m, "generation %llu\n", im->dma.generation);
	mutex_unlock(&im->dma.lock);
}
