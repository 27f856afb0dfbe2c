// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_bench PARENT TYPE ROUNDS: what idxd_mdev's instances cost on the
 * function PARENT (a PCI name), with type TYPE (make bench).
 *
 * Memory first, while the kernel's caches have not yet grown for them:
 * instances are created and opened one by one, all of them the type
 * offers, and after each /proc/meminfo is read ("mdev_bench: memory k=K
 * slab_kib=S unreclaim_kib=U avail_kib=A", deltas from before the first);
 * then all are closed and removed.
 *
 * Then cycles: for K = 1 to all, K instances are created, opened, closed
 * and removed, each step timed over the K instances; of ROUNDS rounds the
 * fastest is printed ("mdev_bench: cycle k=K create=NS open=NS close=NS
 * remove=NS"), the rounds each going over every K.
 *
 * Opening is what a VMM does: the instance's group into a container of
 * its own, the group added to a KVM VM (one VM for all; an instance needs
 * one to open), the device file. Closing undoes it in the reverse order.
 * Exit status 0 only when every step of every round worked.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../dsa-user/kvm.h"
#include "../dsa-user/vfio.h"

#define MAX_INSTANCES	64

struct meminfo {
	long slab, unreclaim, avail;	/* kiB */
};

static const char *parent, *type;
static struct kvm_vm vm;
static struct vfio_dev devs[MAX_INSTANCES];

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = strlen(text);
	int ok;

	if (fd < 0) {
		fprintf(stderr, "mdev_bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = write(fd, text, len) == len;
	if (!ok)
		fprintf(stderr, "mdev_bench: writing '%s' to %s: %s\n", text,
			path, strerror(errno));
	close(fd);
	return ok ? 0 : -1;
}

static void uuid_of(unsigned int i, char *buf, size_t len)
{
	snprintf(buf, len, "6c1d7e2a-3b4c-4d5e-9f60-be%010x", i);
}

static int create_instance(unsigned int i)
{
	char path[256], uuid[40];

	uuid_of(i, uuid, sizeof(uuid));
	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/mdev_supported_types/%s/create",
		 parent, type);
	return write_file(path, uuid);
}

static int remove_instance(unsigned int i)
{
	char path[256], uuid[40];

	uuid_of(i, uuid, sizeof(uuid));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	return write_file(path, "1");
}

static int add_to_vm(void *arg, int group_fd)
{
	(void)arg;
	return kvm_vm_vfio_add(&vm, group_fd);
}

static int open_instance(unsigned int i)
{
	char uuid[40];

	uuid_of(i, uuid, sizeof(uuid));
	return vfio_open_mdev(&devs[i], uuid, add_to_vm, NULL);
}

static void close_instance(unsigned int i)
{
	kvm_vm_vfio_del(&vm, devs[i].group);
	vfio_close(&devs[i]);
}

static int read_meminfo(struct meminfo *m)
{
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Slab: %ld", &m->slab) == 1 ||
		    sscanf(line, "SUnreclaim: %ld", &m->unreclaim) == 1 ||
		    sscanf(line, "MemAvailable: %ld", &m->avail) == 1)
			found++;
	}
	fclose(f);
	return found == 3 ? 0 : -1;
}

/* The type's free instances: how many a function offers with none made. */
static int available(void)
{
	char path[256];
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path),
		 "/sys/bus/pci/devices/%s/mdev_supported_types/%s/available_instances",
		 parent, type);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%d", &n) != 1)
		n = -1;
	if (f)
		fclose(f);
	return n;
}

static int measure_memory(unsigned int max)
{
	unsigned int made = 0, opened = 0;
	struct meminfo base, m;
	int ret;

	ret = read_meminfo(&base);
	while (!ret && made < max) {
		ret = create_instance(made);
		if (ret)
			break;
		made++;
		ret = open_instance(opened);
		if (ret)
			break;
		opened++;
		ret = read_meminfo(&m);
		if (!ret)
			printf("mdev_bench: memory k=%u slab_kib=%ld %s=%ld %s=%ld\n",
			       opened, m.slab - base.slab, "unreclaim_kib",
			       m.unreclaim - base.unreclaim, "avail_kib",
			       base.avail - m.avail);
	}
	while (opened-- > 0)
		close_instance(opened);
	while (made-- > 0)
		if (remove_instance(made))
			ret = -1;
	return ret;
}

/* One round of @k instances; the step times are added to @ns. */
static int cycle(unsigned int k, unsigned long long ns[4])
{
	unsigned int i;
	unsigned long long t;

	t = now_ns();
	for (i = 0; i < k; i++)
		if (create_instance(i))
			goto remove;
	ns[0] = now_ns() - t;
	t = now_ns();
	for (i = 0; i < k; i++)
		if (open_instance(i))
			goto close;
	ns[1] = now_ns() - t;
	t = now_ns();
	while (i-- > 0)
		close_instance(i);
	ns[2] = now_ns() - t;
	t = now_ns();
	for (i = 0; i < k; i++)
		if (remove_instance(i))
			return -1;
	ns[3] = now_ns() - t;
	return 0;
close:
	while (i-- > 0)
		close_instance(i);
	i = k;
remove:
	while (i-- > 0)
		remove_instance(i);
	return -1;
}

int main(int argc, char **argv)
{
	static unsigned long long best[MAX_INSTANCES + 1][4];
	unsigned long long ns[4];
	unsigned int k, r, rounds;
	int max;

	if (argc != 4 || atoi(argv[3]) <= 0) {
		fprintf(stderr, "usage: mdev_bench PARENT TYPE ROUNDS\n");
		return 2;
	}
	parent = argv[1];
	type = argv[2];
	rounds = atoi(argv[3]);
	max = available();
	if (max <= 0 || max > MAX_INSTANCES) {
		fprintf(stderr, "mdev_bench: %s offers %d instances of %s\n",
			parent, max, type);
		return 1;
	}
	if (kvm_vm_open(&vm)) {
		fprintf(stderr, "mdev_bench: no KVM VM: %s\n", strerror(errno));
		return 1;
	}
	if (measure_memory(max)) {
		fprintf(stderr, "mdev_bench: the memory measurement failed\n");
		return 1;
	}
	/*
	 * Rounds over every K, so that a moment the machine is busy elsewhere
	 * slows one round of a few K, not every round of one K.
	 */
	for (r = 0; r < rounds; r++) {
		for (k = 1; k <= (unsigned int)max; k++) {
			if (cycle(k, ns)) {
				fprintf(stderr, "mdev_bench: cycle of %u instances failed\n",
					k);
				return 1;
			}
			if (!r || ns[0] + ns[1] + ns[2] + ns[3] <
			    best[k][0] + best[k][1] + best[k][2] + best[k][3])
				memcpy(best[k], ns, sizeof(ns));
		}
	}
	for (k = 1; k <= (unsigned int)max; k++)
		printf("mdev_bench: cycle k=%u create=%llu open=%llu close=%llu remove=%llu\n",
		       k, best[k][0], best[k][1], best[k][2], best[k][3]);
	kvm_vm_close(&vm);
	return 0;
}
