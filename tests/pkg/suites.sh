#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suites.sh SUITE...: the package on newer Debian suites (trixie, sid) as
# their users have it, through scripts/chroot.sh and
# scripts/chroot-dkms.sh. For each SUITE: the chroot names an amd64
# kernel of the suite; a second look at an unchanged archive is quick and
# names the same one; no mount is left behind; the .deb apt-installs and
# DKMS builds both modules for that kernel, and the example consumer
# after them, without a diagnostic, with that kernel's vermagic and the
# dependencies they have on Debian 12; the kernel boots with them and
# loads them by name (tests/vm/pkg.sh); apt remove takes them away
# again. Prints "ok"/"not ok" lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -gt 0 ] || die "usage: suites.sh trixie|sid..."
TAG=suites
# shellcheck source=tests/pkg/lib.sh
. "$top/tests/pkg/lib.sh"
trap 'rm -f "$tmp"' EXIT
example_version=$(example_version)

# no_mounts: nothing is mounted under the chroots, as this machine sees it.
# shellcheck disable=SC2317 # called through check
no_mounts() {
	! findmnt -rn -o TARGET | grep -F "$IDXD_CACHE/chroots"
}

for suite in "$@"; do
	if kver=$("$top/scripts/chroot.sh" "$suite" 2>"$tmp") &&
		[[ "$kver" =~ ^[0-9]+\.[0-9]+.*-amd64$ ]]; then
		ok "$suite: chroot with the headers of $kver"
	else
		not_ok "$suite: chroot with the headers of an amd64 kernel (got '${kver:-}')"
		continue
	fi
	start=$(date +%s)
	again=$("$top/scripts/chroot.sh" "$suite" 2>"$tmp")
	took=$(($(date +%s) - start))
	if [ "$again" = "$kver" ] && [ "$took" -le 10 ]; then
		ok "$suite: the cached chroot again, in ${took}s"
	else
		echo "got '$again' in ${took}s" >>"$tmp"
		not_ok "$suite: the cached chroot again, quickly"
	fi
	check "$suite: no mount left under the chroots" no_mounts

	root=$(chroot_dir "$suite")
	if "$top/scripts/chroot-dkms.sh" "$suite" >"$tmp" 2>&1 &&
		grep -q "^ok: DKMS on $suite" "$tmp"; then
		ok "$suite: apt install of the .deb, DKMS builds for $kver"
	else
		not_ok "$suite: apt install of the .deb, DKMS builds for $kver"
		continue
	fi
	ko=$(dkms_ko "$root" "$kver" ims)
	mko=$(dkms_ko "$root" "$kver" idxd_mdev)
	exko=$(dkms_ko "$root" "$kver" dsa_ims)
	for m in "$ko" "$mko"; do
		check "$suite: $(basename "$m") for $kver has its vermagic" \
			sh -c "modinfo -F vermagic '$m' | grep -q '^$kver '"
	done
	check "$suite: idxd_mdev.ko depends on ims and VFIO, not KVM" \
		sh -c "modinfo -F depends '$mko' | tr , '\n' | sort | tr '\n' ' ' | grep -qx 'ims irqbypass mdev vfio '"
	check "$suite: the example consumer dsa_ims.ko depends on ims" \
		sh -c "modinfo -F depends '$exko' | grep -qx ims"

	# The kernel boots with what DKMS built in the chroot, loaded by
	# name as its users load them (tests/vm/pkg.sh, as for bookworm's
	# kernels in deb.sh); the test driver comes from the test build.
	if ! "$top/scripts/fetch-kernel.sh" "$suite" >/dev/null 2>"$tmp" ||
		! out=$("$top/scripts/build.sh" "$kver" 2>"$tmp"); then
		not_ok "$suite: the image of $kver and the test build for it"
		continue
	fi
	pkg_boot "$kver" dkms "$out/tests/ims-edu/ims_edu.ko" \
		"$ko" "$exko" "$mko"

	check "$suite: dkms remove the example" in_chroot "$suite" "$root" \
		dkms remove -m dsa-ims-example -v "$example_version" --all
	check "$suite: apt remove" in_chroot "$suite" "$root" \
		apt-get remove -y -q idxd-mdev-dkms
	check "$suite: the modules are gone for $kver" \
		sh -c "! ls '$root/lib/modules/$kver/updates/dkms/' 2>/dev/null | grep -q ."
	check "$suite: no mount left under the chroots" no_mounts
done
exit "$failed"
