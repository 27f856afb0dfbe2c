#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rpm.sh: "make dist", rpmbuild -ba of the spec from that tarball, rpmlint
# of the packages and the spec, and a check that the payload is exactly
# the DKMS source tree (what "make install-src" installs) and the example
# consumer as documentation. Installing the
# RPM cannot be tested on Debian.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

version=$(cat "$top/VERSION")
TAG=rpm
# shellcheck source=tests/pkg/lib.sh
. "$top/tests/pkg/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$tmp" "$work"' EXIT

if make -C "$top" dist >"$tmp" 2>&1 &&
	rpm=$("$top/scripts/build-rpm.sh" 2>"$tmp"); then
	ok "rpmbuild -ba from the make dist tarball"
else
	not_ok "rpmbuild -ba from the make dist tarball"
	exit 1
fi

if rpmlint -c "$top/rpm/rpmlint.toml" "$rpm" "$top"/build/rpm/SRPMS/*.src.rpm \
	"$top/rpm/idxd-mdev-dkms.spec" >"$tmp" 2>&1 &&
	grep -q " 0 errors, 0 warnings" "$tmp"; then
	ok "rpmlint clean"
else
	not_ok "rpmlint clean"
fi

dest=/usr/src/idxd-mdev-$version
rpm -qlp "$rpm" 2>/dev/null | sort >"$work/got"
# The documentation directory is named as the distribution's rpm macros say
# (Fedora: NAME, Debian's rpm: NAME-VERSION).
doc=$(grep -m1 -E "^/usr/share/doc/idxd-mdev-dkms(-$version)?$" "$work/got")
doc=${doc:-/usr/share/doc/idxd-mdev-dkms}
make -s -C "$top" install-src DESTDIR="$work$dest" >/dev/null
mkdir -p "$work$doc"
(cd "$top" && git ls-files examples | cpio -pdm --quiet "$work$doc")
(cd "$work" && find ".$dest" ".$doc" | sed 's/^\.//' | sort) >"$work/want"
if diff -u "$work/want" "$work/got" >"$tmp"; then
	ok "payload is the DKMS source tree and the example consumer"
else
	not_ok "payload is the DKMS source tree and the example consumer"
fi

# DKMS runs the post-build step only if it is executable, and says no more.
if rpm -qlvp "$rpm" 2>/dev/null |
	grep -q -E '^-rwxr-xr-x .*/scripts/dkms-post-build\.sh$'; then
	ok "the DKMS post-build step is executable"
else
	not_ok "the DKMS post-build step is executable"
fi

rpm -qp --scripts "$rpm" >"$tmp" 2>&1
if grep -q "dkms add -m idxd-mdev -v $version --rpm_safe_upgrade" "$tmp" &&
	grep -q "dkms install -m idxd-mdev -v $version" "$tmp" &&
	grep -q "dkms remove -m idxd-mdev -v $version --all --rpm_safe_upgrade" "$tmp"; then
	ok "scriptlets add/build/install and remove with dkms"
else
	not_ok "scriptlets add/build/install and remove with dkms"
fi
rpm -qp --requires "$rpm" >"$tmp" 2>&1
if grep -qx "dkms" "$tmp" && grep -qx "kernel-devel" "$tmp"; then
	ok "requires dkms and kernel-devel"
else
	not_ok "requires dkms and kernel-devel"
fi
exit "$failed"
