# SPDX-License-Identifier: GPL-2.0
#
# idxd-mdev: IMS irq-domain library and DSA mediated device, out of tree.
#
#   make [KVER=...|KDIR=...]   probe the kernel, build the modules in place
#   make check                 the whole test suite (Debian 12, 13 and unstable kernels)
#   make demo                  boot a VM and show IMS interrupts firing
#   make bench                 mdev vs vfio-pci, IMS vs MSI-X: build/bench/report.md
#   make lint                  checkpatch, sparse and W=1 on both kernels
#   make kunit                 the KUnit suites through kunit.py
#   make dist | deb | rpm      source tarball, Debian and RPM DKMS packages
#   make clean
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
COMPAT_H := compat/compat_autoconf.h
VERSION := $(shell cat VERSION)

# What DKMS builds from: the files the packages install into /usr/src.
DKMS_FILES := Makefile Kbuild VERSION dkms.conf LICENSE scripts/dkms-post-build.sh \
	compat/conftest.sh compat/exports.list compat/compat.h \
	$(wildcard compat/probes/*.c) \
	ims/Kbuild $(filter-out %.mod.c,$(wildcard ims/*.c ims/*.h)) \
	idxd-mdev/Kbuild $(filter-out %.mod.c,$(wildcard idxd-mdev/*.c idxd-mdev/*.h))

all: modules

modules: version-check compat
	$(MAKE) -C $(KDIR) M=$(CURDIR) TESTS=$(TESTS) modules

# VERSION is the one version; MODULE_VERSION is made from it, the files
# below must repeat it (those not shipped in the DKMS tree when present).
version-check:
	@bad=; \
	grep -q '^PACKAGE_VERSION="$(VERSION)"$$' dkms.conf || bad="$$bad dkms.conf"; \
	[ ! -f debian/changelog ] || head -n 1 debian/changelog | \
		grep -q '^idxd-mdev ($(VERSION))' || bad="$$bad debian/changelog"; \
	[ ! -f rpm/idxd-mdev-dkms.spec ] || grep -q '^Version: *$(VERSION)$$' \
		rpm/idxd-mdev-dkms.spec || bad="$$bad rpm/idxd-mdev-dkms.spec"; \
	if [ -n "$$bad" ]; then \
		echo "version $(VERSION) (from VERSION) disagrees with:$$bad" >&2; \
		exit 1; \
	fi

# The script itself decides whether the kernel or the probes changed.
compat:
	@compat/conftest.sh $(KDIR) $(COMPAT_H)

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) TESTS=y clean 2>/dev/null || true
	rm -f $(COMPAT_H)

install-src: version-check
	install -d $(DESTDIR)
	cp -p --parents $(DKMS_FILES) $(DESTDIR)/

dist: version-check
	mkdir -p build
	git ls-files | tar -czf build/idxd-mdev-$(VERSION).tar.gz \
		--transform 's,^,idxd-mdev-$(VERSION)/,' -T -

deb: version-check
	scripts/build-deb.sh

rpm: dist
	scripts/build-rpm.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

lint:
	scripts/lint.sh

kunit:
	scripts/kunit.sh

.PHONY: all modules version-check compat modules_install install-src dist deb rpm \
	clean check demo bench lint kunit
