#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# chroot-dkms.sh SUITE: our package on Debian SUITE (trixie or sid), the
# way its users install it: the .deb from scripts/build-deb.sh is
# apt-installed in scripts/chroot.sh's chroot of SUITE, whose DKMS builds
# the modules for the suite's newest kernel there, and then the example
# consumer the package ships, a DKMS package of its own. Prints the kernel,
# DKMS's status line and the modules' vermagic, and any compiler
# diagnostic; on failure, DKMS's make.log. Exits non-zero on a failed
# build, and on a build with diagnostics.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

suite=${1:?usage: chroot-dkms.sh trixie|sid}
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || exec sudo IDXD_CACHE="$IDXD_CACHE" "$0" "$@"

# The chroot must not change under the build: hold the suite's lock,
# which chroot.sh then leaves to us.
mkdir -p "$IDXD_CACHE/chroots"
exec 9>"$IDXD_CACHE/chroots/$suite.lock"
flock 9
export IDXD_CHROOT_LOCKED=$suite
kver=$("$top/scripts/chroot.sh" "$suite")
root=$(chroot_dir "$suite")
version=$(cat "$top/VERSION")
echo "# chroot-dkms.sh: $suite's newest kernel: $kver"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# A directory of the suite's own: other runs build the .deb at the same time.
deb=$("$top/scripts/build-deb.sh" "$IDXD_CACHE/chroots/deb-$suite" 2>"$log") || {
	cat "$log" >&2
	die "scripts/build-deb.sh failed"
}
trap 'rm -f "$log" "$root/tmp/${deb##*/}"' EXIT
cp "$deb" "$root/tmp/"

example=dsa-ims-example
example_version=$(example_version)

# Start from a chroot without the package (and DKMS's tree of it), nor
# the example consumer a run before added.
in_chroot "$suite" "$root" dkms remove -m "$example" -v "$example_version" \
	--all >/dev/null 2>&1 || true
rm -rf "$root/usr/src/$example-$example_version"
if in_chroot "$suite" "$root" dpkg-query -W idxd-mdev-dkms >/dev/null 2>&1 &&
	! in_chroot "$suite" "$root" apt-get purge -y -q idxd-mdev-dkms \
		>"$log" 2>&1; then
	cat "$log" >&2
	die "apt-get purge idxd-mdev-dkms failed in the $suite chroot"
fi
# The postinst runs DKMS for every kernel with headers: the chroot's.
status=0
in_chroot "$suite" "$root" apt-get install -y -q "/tmp/${deb##*/}" \
	>"$log" 2>&1 || status=$?
sed -n '/^Building for\|^Building module\|^Error\|^Consult\|^Installing/p' "$log"
line=$(in_chroot "$suite" "$root" dkms status -m idxd-mdev -v "$version" \
	-k "$kver" 2>&1)
echo "$line"

# DKMS keeps make.log in its build directory after a failure, in the
# kernel's directory after a success.
tree=$root/var/lib/dkms/idxd-mdev/$version
makelog=$tree/build/make.log
if [ "$status" -ne 0 ] || ! grep -q ': installed' <<<"$line"; then
	echo "# chroot-dkms.sh: apt-get install exited $status; its output:"
	sed 's/^/#   /' "$log" | tail -n 40
	if [ -f "$makelog" ]; then
		echo "# DKMS's make.log ($makelog):"
		sed 's/^/#   /' "$makelog"
	fi
	echo "not ok: DKMS on $suite ($kver)"
	exit 1
fi

# The example consumer of ims, as the package ships it: a DKMS package of
# its own, built against what idxd-mdev's build keeps for the kernel.
if ! in_chroot "$suite" "$root" dkms add \
	/usr/share/doc/idxd-mdev-dkms/examples/dsa-ims >"$log" 2>&1 ||
	! in_chroot "$suite" "$root" dkms install -m "$example" \
		-v "$example_version" -k "$kver" >>"$log" 2>&1; then
	echo "# chroot-dkms.sh: DKMS failed on the example consumer:"
	sed 's/^/#   /' "$log" | tail -n 40
	echo "not ok: DKMS on $suite ($kver)"
	exit 1
fi

for m in ims idxd_mdev dsa_ims; do
	ko=$(dkms_ko "$root" "$kver" "$m")
	[ -n "$ko" ] || die "DKMS installed no $m.ko for $kver"
	echo "$m: $(in_chroot "$suite" "$root" modinfo -F vermagic \
		"${ko#"$root"}")"
done
# A clean build says nothing.
for makelog in "$tree/$kver/x86_64/log/make.log" \
	"$root/var/lib/dkms/$example/$example_version/$kver/x86_64/log/make.log"; do
	[ -f "$makelog" ] || die "DKMS kept no $makelog"
	if grep -E "$BUILD_DIAG" "$makelog"; then
		echo "not ok: DKMS on $suite ($kver) built with diagnostics (above)"
		exit 1
	fi
done
echo "ok: DKMS on $suite ($kver)"
