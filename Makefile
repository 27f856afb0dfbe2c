# SPDX-License-Identifier: GPL-2.0
#
# idxd-mdev: IMS irq-domain library and DSA mediated device, out of tree.
#
#   make [KVER=...|KDIR=...]   probe the kernel, build the modules in place
#   make check                 the whole test suite (both Debian kernels)
#   make demo                  boot a VM and show IMS interrupts firing
#   make lint                  checkpatch, sparse and W=1 on both kernels
#   make kunit                 the KUnit suites through kunit.py
#   make clean
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
COMPAT_H := compat/compat_autoconf.h

all: modules

modules: compat
	$(MAKE) -C $(KDIR) M=$(CURDIR) TESTS=$(TESTS) modules

# The script itself decides whether the kernel or the probes changed.
compat:
	@compat/conftest.sh $(KDIR) $(COMPAT_H)

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) TESTS=y clean 2>/dev/null || true
	rm -f $(COMPAT_H)

check:
	scripts/check.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

kunit:
	scripts/kunit.sh

.PHONY: all modules compat modules_install clean check demo lint kunit
