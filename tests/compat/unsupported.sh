#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# unsupported.sh KVER: a kernel that lacks a required export must stop the
# build in the compat probes with one clear sentence, not in modpost. The
# kernel is KVER's real headers with __irq_domain_alloc_irqs taken out of
# Module.symvers, as on 5.15.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

kver=${1:?usage: unsupported.sh KVER}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$top/tests/compat/fake-kdir.sh" "$kver" "$work/kdir"

rsync -a --exclude=.git --filter=':- .gitignore' "$top/" "$work/src/"
if make -C "$work/src" KDIR="$work/kdir" >"$work/log" 2>&1; then
	echo "not ok [compat] build refused on a kernel without __irq_domain_alloc_irqs: it built"
	exit 1
fi
want="is not supported: it does not export __irq_domain_alloc_irqs"
sed -n "s/^/#   /; /^#   compat:/p" "$work/log"
if grep -q "^compat: kernel .*$want" "$work/log" && ! grep -q "modpost\|error:" "$work/log"; then
	echo "ok [compat] build refused on a kernel without __irq_domain_alloc_irqs"
else
	echo "not ok [compat] build refused on a kernel without __irq_domain_alloc_irqs: wrong message"
	sed 's/^/#   /' "$work/log" | tail -n 5
	exit 1
fi
