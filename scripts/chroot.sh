#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# chroot.sh SUITE: Debian SUITE (trixie or sid) as its users have it, to
# build our DKMS package in: a minbase chroot debootstrapped from
# deb.debian.org, with the suite's gcc, make, dkms, kmod and sparse and the
# newest linux-headers-*-amd64 the suite has (resolved by apt-cache inside
# the chroot, never written down: sid's moves often). Prints the ABI name
# of that kernel. The host's own apt sources are never touched.
#
# The chroot is $IDXD_CACHE/chroots/SUITE-VERSION, VERSION being that of
# the headers package; chroots/SUITE points at the current one. A run
# first compares the Date of the suite's InRelease files (a few hundred
# kB) with the one the chroot was made from: unchanged, it does nothing
# more. Changed, apt-get update in the chroot tells whether the newest
# headers are still the ones installed; only a new kernel makes a new
# chroot (its packages mostly from the suite's package cache,
# chroots/debs-SUITE), and the old one goes.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

suite=${1:?usage: chroot.sh trixie|sid}
mirror=http://deb.debian.org/debian
# One "URI DIST" per line: the lines of the chroot's sources.list. A
# stable release's kernels come through its security suite.
case "$suite" in
trixie)
	sources="$mirror trixie
$mirror trixie-updates
http://deb.debian.org/debian-security trixie-security"
	;;
sid) sources="$mirror sid" ;;
*) die "unknown suite '$suite' (want trixie or sid)" ;;
esac
# What a user has who builds DKMS modules, and sparse for lint.sh; the
# headers come on top.
pkgs=(gcc make dkms kmod sparse)
# A flavour's headers only: not -common, -cloud-amd64 or -rt-amd64.
headers_re='^linux-headers-[0-9][^-]*(-[0-9]+)?-amd64$'

[ "$(id -u)" -eq 0 ] || exec sudo IDXD_CACHE="$IDXD_CACHE" "$0" "$@"
command -v debootstrap >/dev/null ||
	die "debootstrap missing (apt-get install debootstrap)"

base="$IDXD_CACHE/chroots"
cur=$(chroot_dir "$suite")
debs="$base/debs-$suite"
mkdir -p "$debs/partial"
# One run per suite at a time; chroot-dkms.sh holds the lock for us while
# it uses the chroot.
if [ "${IDXD_CHROOT_LOCKED:-}" != "$suite" ]; then
	exec 9>"$base/$suite.lock"
	flock 9
fi
# What a killed run left half made (nothing else uses it: we hold the lock).
for old in "$base/.new-$suite".*/; do
	[ -d "$old" ] && rm -rf --one-file-system "${old%/}"
done

# archive_stamp: the state of the archive that matters here: each
# suite's InRelease Date, and the package list. Says so on stderr when a
# suite's Release has expired (a mirror that lags behind: see prepare).
archive_stamp() {
	local uri dist release date until
	while read -r uri dist; do
		release=$(curl -fsS --retry 3 "$uri/dists/$dist/InRelease") || return
		date=$(sed -n 's/^Date: //p' <<<"$release")
		[ -n "$date" ] || return
		until=$(sed -n 's/^Valid-Until: //p' <<<"$release")
		if [ -n "$until" ] &&
			[ "$(date -d "$until" +%s)" -lt "$(date +%s)" ]; then
			echo "# chroot.sh: $dist's Release expired on $until; used anyway (signatures are still checked)" >&2
		fi
		echo "$dist $date"
	done <<<"$sources"
	echo "packages: ${pkgs[*]}"
}

# newest_headers ROOT: the newest headers package of the suite apt knows.
newest_headers() {
	in_chroot "$suite" "$1" apt-cache search --names-only "$headers_re" |
		awk '{print $1}' | sort -V | tail -n 1
}

# prepare ROOT: the suite's sources and the host's resolver, and no
# service started by a package's maintainer scripts.
prepare() {
	local uri dist
	while read -r uri dist; do
		echo "deb $uri $dist main"
	done <<<"$sources" >"$1/etc/apt/sources.list"
	cp /etc/resolv.conf "$1/etc/resolv.conf"
	# A mirror that lags behind serves a Release past its Valid-Until
	# (sid's lasts a week): apt would refuse the whole suite. These
	# chroots only build, from signed indexes still; accept it.
	echo 'Acquire::Check-Valid-Until "false";' \
		>"$1/etc/apt/apt.conf.d/99idxd-valid-until"
	printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
	chmod 755 "$1/usr/sbin/policy-rc.d"
}

# install ROOT HEADERS: the suite's updates, the package list and
# HEADERS, nothing recommended, then the package cache pruned. The headers
# depend on the kernel image: INITRD=No spares making an initramfs nobody
# boots.
install() {
	in_chroot "$suite" "$1" apt-get dist-upgrade -y -q >&2
	in_chroot "$suite" "$1" env INITRD=No apt-get install -y -q \
		--no-install-recommends "${pkgs[@]}" "$2" >&2
	# The package cache keeps what the archive still has, no more.
	in_chroot "$suite" "$1" apt-get autoclean -q >&2
}

stamp=$(archive_stamp) || stamp=
if [ -e "$cur/.idxd-kver" ]; then
	kver=$(cat "$cur/.idxd-kver")
	if [ -z "$stamp" ]; then
		echo "# chroot.sh: $suite's archive unreachable; using the cached chroot" >&2
		echo "$kver"
		exit 0
	fi
	if [ "$stamp" = "$(cat "$cur/.idxd-archive")" ]; then
		echo "$kver"
		exit 0
	fi
	prepare "$cur"
	in_chroot "$suite" "$cur" apt-get update -q >&2
	headers=$(newest_headers "$cur")
	[ -n "$headers" ] || die "$suite has no package matching $headers_re"
	if [ "$headers" = "linux-headers-$kver" ]; then
		# Same kernel: the chroot stays, with the package list.
		install "$cur" "$headers"
		echo "$stamp" >"$cur/.idxd-archive"
		echo "$kver"
		exit 0
	fi
	echo "# chroot.sh: $suite has moved on to $headers; making a new chroot" >&2
fi
[ -n "$stamp" ] || die "cannot read $suite's InRelease from deb.debian.org"

tmp=$(mktemp -d "$base/.new-$suite.XXXXXX")
# The chroot's / : mktemp made it 0700, which locks apt's _apt user out.
chmod 755 "$tmp"
# --one-file-system: should a mount ever outlive its namespace, rm never
# goes through it into the host's files.
trap 'rm -rf --one-file-system "$tmp"' EXIT
# debootstrap mounts /proc and /sys in the target: in a namespace of its
# own, those mounts die with it.
unshare --mount --propagation private -- debootstrap --variant=minbase \
	--cache-dir="$debs" "$suite" "$tmp" "$mirror" >&2
prepare "$tmp"
in_chroot "$suite" "$tmp" apt-get update -q >&2
headers=$(newest_headers "$tmp")
[ -n "$headers" ] || die "$suite has no package matching $headers_re"
install "$tmp" "$headers"
kver=${headers#linux-headers-}
[ -f "$tmp/lib/modules/$kver/build/Makefile" ] ||
	die "$headers installed no /lib/modules/$kver/build"
# shellcheck disable=SC2016 # dpkg-query's field
version=$(in_chroot "$suite" "$tmp" dpkg-query -W -f='${Version}' "$headers")
echo "$kver" >"$tmp/.idxd-kver"
echo "$stamp" >"$tmp/.idxd-archive"

key="$suite-${version//:/_}"
rm -rf --one-file-system "${base:?}/$key"
mv "$tmp" "$base/$key"
trap - EXIT
ln -sfn "$key" "$cur"
# Older chroots of the suite are of kernels the suite no longer has.
for old in "$base/$suite"-*/; do
	old=${old%/}
	[ "$old" = "$base/$key" ] || rm -rf --one-file-system "$old"
done
echo "# chroot.sh: $suite chroot $base/$key" >&2
echo "$kver"
