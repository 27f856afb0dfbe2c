#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms-post-build.sh KERNELVER ARCH: DKMS runs this in its build directory
# after building for KERNELVER. It keeps what out-of-tree users of ims
# build against, next to the modules DKMS saved for that kernel
# (/var/lib/dkms/idxd-mdev/VERSION/KERNELVER/ARCH, reachable as
# /var/lib/dkms/idxd-mdev/kernel-KERNELVER-ARCH once installed): the
# exports (Module.symvers) and the public header (include/ims.h). DKMS
# deletes the build directory afterwards, and these files with the rest
# when the module is removed for that kernel.
set -eu
dest=../${1:?usage: dkms-post-build.sh KERNELVER ARCH}/${2:?}
[ -d "$dest" ] || {
	echo "dkms-post-build.sh: no DKMS build directory $dest" >&2
	exit 1
}
cp Module.symvers "$dest/Module.symvers"
mkdir -p "$dest/include"
cp ims/ims.h "$dest/include/ims.h"
