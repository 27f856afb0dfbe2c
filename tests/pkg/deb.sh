#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh KVER...: the user's path on Debian. Build the .deb, lintian it,
# apt install it (DKMS must build and install the modules for every KVER,
# whose headers are installed), boot each KVER with the modules DKMS
# installed and modprobe them by name, then apt remove it and check DKMS
# removed them. Prints "ok"/"not ok" lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -gt 0 ] || die "usage: deb.sh KVER..."
version=$(cat "$top/VERSION")
TAG=deb
# shellcheck source=tests/pkg/lib.sh
. "$top/tests/pkg/lib.sh"
trap 'rm -f "$tmp"' EXIT

if deb=$("$top/scripts/build-deb.sh" 2>"$tmp"); then
	ok "dpkg-buildpackage"
else
	not_ok "dpkg-buildpackage"
	exit 1
fi

lintian --fail-on error,warning "$(dirname "$deb")"/*.changes 2>&1 |
	grep -v 'running with root privileges' >"$tmp"
if [ -s "$tmp" ]; then not_ok "lintian clean"; else ok "lintian clean"; fi

# Start from a machine without the package.
as_root apt-get purge -y idxd-mdev-dkms >/dev/null 2>&1
check "apt install the .deb" as_root env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y "$deb"

# The example consumer of ims, as the package ships it: its own DKMS
# package that builds after idxd-mdev (BUILD_DEPENDS), against the
# Module.symvers and ims.h idxd-mdev's build keeps for each kernel.
example=dsa-ims-example
example_version=$(example_version)
example_src=/usr/share/doc/idxd-mdev-dkms/examples/dsa-ims
check "the package ships the example consumer" test -f "$example_src/dkms.conf"
as_root dkms remove -m "$example" -v "$example_version" --all >/dev/null 2>&1
as_root rm -rf "/usr/src/$example-$example_version"
check "dkms add the example" as_root dkms add "$example_src"

for kver in "$@"; do
	check "dkms status: installed for $kver" \
		sh -c "dkms status -m idxd-mdev -v $version -k $kver | grep -q ': installed'"
	# Compressed as the kernel's own modules are (xz on 6.12).
	ko=$(dkms_ko "" "$kver" ims)
	check "ims.ko installed for $kver" test -n "$ko"
	check "ims.ko for $kver has version $version" \
		sh -c "modinfo -F version $ko | grep -qx $version"
	mko=$(dkms_ko "" "$kver" idxd_mdev)
	check "idxd_mdev.ko installed for $kver" test -n "$mko"
	# KVM only through symbol_get(): the module loads without kvm.ko.
	check "idxd_mdev.ko for $kver depends on ims and VFIO, not KVM" \
		sh -c "modinfo -F depends $mko | tr , '\n' | sort | tr '\n' ' ' | grep -qx 'ims irqbypass mdev vfio '"
	kept=/var/lib/dkms/idxd-mdev/kernel-$kver-x86_64
	check "Module.symvers for $kver kept for consumers" \
		grep -q "ims_alloc_irq.*IMS" "$kept/Module.symvers"
	check "ims.h for $kver kept for consumers" \
		cmp "$top/ims/ims.h" "$kept/include/ims.h"
	check "dkms install the example for $kver" \
		as_root dkms install -m "$example" -v "$example_version" -k "$kver"
	exko=$(dkms_ko "" "$kver" dsa_ims)
	check "dsa_ims.ko for $kver depends on ims" \
		sh -c "modinfo -F depends $exko | grep -qx ims"
	# The test driver is not packaged: it comes from the test build.
	out=$("$top/scripts/build.sh" "$kver" 2>"$tmp")
	if [ -n "$ko" ] && [ -n "$exko" ] && [ -n "$mko" ]; then
		pkg_boot "$kver" deb "$out/tests/ims-edu/ims_edu.ko" \
			"$ko" "$exko" "$mko"
	fi
done

# A new kernel: DKMS builds every package for it, the example after
# idxd-mdev although it sorts first, because it names it in BUILD_DEPENDS.
as_root dkms remove -m "$example" -v "$example_version" -k "$1" >/dev/null 2>&1
as_root dkms remove -m idxd-mdev -v "$version" -k "$1" >/dev/null 2>&1
check "dkms autoinstall for $1 builds idxd-mdev, then the example" \
	as_root dkms autoinstall -k "$1"
check "the example is installed for $1 again" \
	sh -c "dkms status -m $example -k $1 | grep -q ': installed'"
check "dkms remove the example" \
	as_root dkms remove -m "$example" -v "$example_version" --all

# DKMS on kernels it cannot serve: one outside BUILD_EXCLUSIVE_KERNEL is
# skipped by dkms itself; one inside whose headers lack a required export
# fails in the compat probes with one sentence.
fake_kver=5.15.0-0-idxdfake
as_root mkdir -p "/lib/modules/$fake_kver"
as_root ln -sfn "/lib/modules/$1/build" "/lib/modules/$fake_kver/build"
if as_root dkms build -m idxd-mdev -v "$version" -k "$fake_kver" >"$tmp" 2>&1; then
	not_ok "dkms skips a 5.15 kernel"
elif grep -q "BUILD_EXCLUSIVE" "$tmp"; then
	ok "dkms skips a 5.15 kernel"
else
	not_ok "dkms skips a 5.15 kernel"
fi
as_root rm -rf "/lib/modules/$fake_kver"

fake_kver=6.1.0-0-idxdfake
as_root mkdir -p "/lib/modules/$fake_kver"
as_root "$top/tests/compat/fake-kdir.sh" "$1" "/lib/modules/$fake_kver/build"
as_root dkms build -m idxd-mdev -v "$version" -k "$fake_kver" >"$tmp" 2>&1
makelog=$(sed -n 's/^Consult \(.*make.log\) for more information.*/\1/p' "$tmp")
if [ -n "$makelog" ] && grep -q "^compat: kernel .* is not supported: it does not export __irq_domain_alloc_irqs" "$makelog"; then
	ok "dkms build on a kernel lacking an export stops with the compat sentence"
else
	[ -n "$makelog" ] && cat "$makelog" >>"$tmp"
	not_ok "dkms build on a kernel lacking an export stops with the compat sentence"
fi
as_root dkms remove -m idxd-mdev -v "$version" -k "$fake_kver" >/dev/null 2>&1
as_root rm -rf "/lib/modules/$fake_kver"

check "apt remove" as_root env DEBIAN_FRONTEND=noninteractive \
	apt-get remove -y idxd-mdev-dkms
check "dkms forgot idxd-mdev" sh -c "! dkms status -m idxd-mdev | grep -q ."
check "nothing kept for consumers is left behind" \
	sh -c "! ls -d /var/lib/dkms/idxd-mdev/*/ 2>/dev/null | grep -q ."
for kver in "$@"; do
	check "ims.ko removed for $kver" \
		sh -c "! ls /lib/modules/$kver/updates/dkms/ims.ko* 2>/dev/null"
	check "idxd_mdev.ko removed for $kver" \
		sh -c "! ls /lib/modules/$kver/updates/dkms/idxd_mdev.ko* 2>/dev/null"
done
exit "$failed"
