#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fake-kdir.sh KVER OUT: make OUT a kernel build tree that is KVER's real
# headers except that Module.symvers lacks __irq_domain_alloc_irqs, as on
# 5.15: the kernel the library cannot support.
set -euo pipefail
kver=${1:?usage: fake-kdir.sh KVER OUT}
out=${2:?}
real=$(readlink -f "/lib/modules/$kver/build")
mkdir -p "$out"
for f in "$real"/* "$real"/.config; do
	ln -sfn "$f" "$out/"
done
rm -f "$out/Module.symvers"
grep -v "	__irq_domain_alloc_irqs	" "$real/Module.symvers" >"$out/Module.symvers"
