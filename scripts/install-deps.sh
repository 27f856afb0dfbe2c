#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh: the Debian 12 packages the build, the tests and the
# demo need (with what building QEMU with our DSA model takes). Quick when
# they are all there already.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev dwarves python3
	rsync cpio xz-utils kmod ccache sparse busybox-static qemu-system-x86
	qemu-system-data seabios ipxe-qemu linux-source-6.1
	dkms dh-dkms debhelper dpkg-dev fakeroot lintian rpm rpmlint
	pkgconf python3-venv ninja-build meson libglib2.0-dev libpixman-1-dev
	zlib1g-dev libfdt-dev shellcheck mdevctl libvirt-daemon
	libvirt-daemon-driver-qemu libvirt-clients debootstrap curl
	debian-archive-keyring)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}" >&2
	as_root apt-get update >&2
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends "${missing[@]}" >&2
fi
