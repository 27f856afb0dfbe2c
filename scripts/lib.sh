# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's scripts. Source it; it defines functions only.

IDXD_CACHE=${IDXD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/idxd-mdev}
lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/judge.sh
. "$lib_dir/judge.sh"

die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# newest_kver SERIES: the newest Debian 12 amd64 kernel ABI name of a series
# ("6.1" or "6.12") that apt knows. ABI names move with security updates, so
# they are never written down anywhere in the tree.
newest_kver() {
	local re
	case "$1" in
	6.1) re='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
	6.12) re='^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
	*) die "unknown kernel series '$1' (want 6.1 or 6.12)" ;;
	esac
	apt-cache search --names-only "$re" | awk '{print $1}' |
		sed 's/^linux-image-//' | sort -V | tail -n 1
}

# kernel_dir KVER: where the unpacked image of KVER lives.
kernel_dir() {
	echo "$IDXD_CACHE/kernels/$1"
}

# linux_source SERIES: an unpacked Debian linux-source-SERIES tree in the
# cache (for checkpatch and kunit.py), keyed by the package version.
linux_source() {
	local series=$1 tarball version base
	tarball=/usr/src/linux-source-$series.tar.xz
	[ -f "$tarball" ] || die "$tarball missing (apt-get install linux-source-$series)"
	version=$(dpkg-query -W -f='${Version}' "linux-source-$series")
	base="$IDXD_CACHE/kunit/$version"
	mkdir -p "$IDXD_CACHE/kunit"
	# lint.sh and kunit.sh may ask at the same time (check.sh's lanes).
	(
		flock 9
		if [ ! -e "$base/linux-source-$series/.unpacked" ]; then
			rm -rf "$base"
			mkdir -p "$base"
			tar -xJf "$tarball" -C "$base"
			touch "$base/linux-source-$series/.unpacked"
		fi
	) 9>"$IDXD_CACHE/kunit/.lock" || die "cannot unpack $tarball"
	echo "$base/linux-source-$series"
}

# example_version: the DKMS version of the example consumer of ims
# (examples/dsa-ims, DKMS name dsa-ims-example), which the package ships.
example_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' \
		"$lib_dir/../examples/dsa-ims/dkms.conf"
}

# dkms_ko ROOT KVER MODULE: the MODULE.ko DKMS installed for KVER on the
# system at ROOT ("" for this machine), compressed or not; nothing if
# there is none.
dkms_ko() {
	find "$1/lib/modules/$2/updates/dkms" -name "$3.ko*" 2>/dev/null | head -n 1
}

# dsa_user_build: tests/dsa-user (the userspace drivers and the minimal
# VMM) built into a new directory of the caller's own, as runs for other
# kernels may build it at the same time. Prints it; the caller removes it.
dsa_user_build() {
	local out
	mkdir -p "$IDXD_CACHE"
	out=$(mktemp -d "$IDXD_CACHE/dsa-user.XXXXXX") || return
	if ! make -s -C "$lib_dir/../tests/dsa-user" O="$out" >&2; then
		rm -rf "$out"
		return 1
	fi
	echo "$out"
}

# l1_vmm_args KVER: mkinitramfs.sh arguments that carry a real VMM into
# a "kvm" boot (L1): Debian's qemu-system-x86_64 with its libraries and
# the firmware of a q35 machine booting a kernel (SeaBIOS and the option
# ROMs QEMU adds), Debian's mdevctl, the modules they need, and KVER's own
# kernel as /l2/vmlinuz for the guest (L2). Printed one per line.
l1_vmm_args() {
	local f
	for f in /usr/bin/qemu-system-x86_64 /usr/share/seabios/bios-256k.bin \
		/usr/share/qemu/kvmvapic.bin /usr/share/qemu/linuxboot_dma.bin \
		/usr/bin/mdevctl; do
		[ -e "$f" ] || die "$f missing (scripts/install-deps.sh installs it)"
	done
	printf '%s\n' --kmod kvm_amd --kmod vfio --kmod vfio_iommu_type1 \
		--kmod mdev --kmod irqbypass \
		--elf /usr/bin/qemu-system-x86_64 \
		--file /usr/share/seabios/bios-256k.bin \
		--file /usr/share/qemu/kvmvapic.bin \
		--file /usr/share/qemu/linuxboot_dma.bin \
		--elf /usr/bin/mdevctl \
		--mkdir /etc/mdevctl.d/scripts.d/callouts \
		--mkdir /etc/mdevctl.d/scripts.d/notifiers \
		--file "$(kernel_dir "$1")/boot/vmlinuz-$1:/l2/vmlinuz"
}

# l1_libvirt_args: mkinitramfs.sh arguments for libvirt in a "kvm" boot
# (with l1_vmm_args): Debian's libvirtd with its QEMU driver, virsh, the
# CPU map the driver reads and QEMU's TCG module, which libvirt's
# capability probe loads. Printed one per line.
l1_libvirt_args() {
	local f lib=/usr/lib/x86_64-linux-gnu
	for f in /usr/sbin/libvirtd /usr/bin/virsh \
		$lib/libvirt/connection-driver/libvirt_driver_qemu.so \
		$lib/qemu/accel-tcg-x86_64.so /usr/share/libvirt/cpu_map/index.xml; do
		[ -e "$f" ] || die "$f missing (scripts/install-deps.sh installs it)"
	done
	printf '%s\n' --elf /usr/sbin/libvirtd --elf /usr/bin/virsh \
		--elf $lib/libvirt/connection-driver/libvirt_driver_qemu.so \
		--elf $lib/qemu/accel-tcg-x86_64.so \
		--mkdir /etc/libvirt --mkdir /var/lib/libvirt/qemu \
		--mkdir /var/log/libvirt/qemu --mkdir /var/cache/libvirt/qemu
	for f in /usr/share/libvirt/cpu_map/*.xml; do
		printf '%s\n' --file "$f"
	done
}

# vm_boot KVER MODE TEST LOG APPEND MKINITRAMFS-ARGS...: boot KVER (MODE
# "ir" adds interrupt remapping, "dsa" the DSA models, "kvm" the DSA models
# on one AMD CPU that can run KVM: see vm.sh) with an initramfs
# of MKINITRAMFS-ARGS, run /tests/TEST.sh with APPEND on the kernel
# command line, the serial console written to LOG, anew. Returns QEMU's
# status (124: timed out; 125: the test never started, see vm.sh).
vm_boot() {
	local kver=$1 mode=$2 test=$3 log=$4 initrd opts=() words
	read -r -a words <<<"$5"
	shift 5
	initrd="${log%.log}.cpio.gz"
	# A log left from an earlier run must never be judged.
	rm -f "$log" "$(qemu_err_log "$log")" "$initrd"
	mkdir -p "$(dirname "$log")"
	"$lib_dir/mkinitramfs.sh" "$initrd" "$kver" "$@" || return
	case "$mode" in ir | dsa | kvm) opts+=("$mode") ;; esac
	"$lib_dir/vm.sh" "$kver" "$initrd" "$log" "$test" "${opts[@]}" -- "${words[@]}"
}

# vm_test KVER MODE TEST APPEND MKINITRAMFS-ARGS...: vm_boot, then judge
# the run (vm_judge): its result lines tagged [KVER/MODE], and "not ok"
# for whatever it promised and did not do. Returns 1 if anything failed.
#
# A kernel that crashes, or hangs, before /init starts the test has run
# none of our code; multi-threaded TCG now and then executes a stale int3
# of the kernel's boot-time text patching ("Oops: int3" in an IRQ), and
# once in a while a boot stops early. Such a boot is retried once, said in
# a "#" line, and its log kept as .crashed; a second failure is judged
# like any other.
vm_test() {
	local kver=$1 mode=$2 test=$3 append=$4 tag log status=0 why
	shift 4
	tag="$kver/$mode"
	# The DSA boots all share one mode: tell them apart by test.
	case "$mode" in
	dsa) tag="$kver/$test" ;;
	kvm) tag="$kver/kvm:$test" ;;
	esac
	log="$IDXD_CACHE/logs/$test-$kver-$mode.log"
	vm_boot "$kver" "$mode" "$test" "$log" "$append" "$@" || status=$?
	why=
	if ! grep -q 'IDXD-VM-START' "$log" 2>/dev/null; then
		if grep -E -q 'Kernel panic|Oops' "$log" 2>/dev/null; then
			why="the kernel crashed before the test started: $(grep -E -m1 'Kernel panic|Oops' "$log" | tr -d '\r')"
		elif [ "$status" -eq 125 ]; then
			why="the VM hung before the test started"
		fi
	fi
	if [ -n "$why" ]; then
		echo "# [$tag] $why; booting again"
		mv "$log" "$log.crashed"
		status=0
		vm_boot "$kver" "$mode" "$test" "$log" "$append" "$@" || status=$?
	fi
	vm_judge "$tag" "$log" "$status"
}

# chroot_dir SUITE: the current chroot of a Debian suite that
# scripts/chroot.sh made (a symlink to the directory named by its key).
chroot_dir() {
	echo "$IDXD_CACHE/chroots/$1"
}

# chroot_suite KVER: the suite whose chroot (scripts/chroot.sh) holds the
# headers of KVER; nothing when none does.
chroot_suite() {
	local f
	for f in "$IDXD_CACHE"/chroots/*/.idxd-kver; do
		[ -f "$f" ] || continue
		[ -L "$(dirname "$f")" ] || continue
		if [ "$(cat "$f")" = "$1" ]; then
			basename "$(dirname "$f")"
			return
		fi
	done
}

# headers_suite KVER: nothing when this machine has KVER's headers, else
# the suite whose chroot has them (chroot_suite).
headers_suite() {
	[ -e "/lib/modules/$1/build/Makefile" ] || chroot_suite "$1"
}

# build_root KVER NAME: a directory for a build of NAME against KVER: in
# the cache, or inside the chroot that has KVER's headers, where that
# suite's compiler builds it (kbuild_make).
build_root() {
	local suite
	suite=$(headers_suite "$1")
	if [ -n "$suite" ]; then
		echo "$(chroot_dir "$suite")/var/tmp/idxd-mdev-$2/$1"
	else
		echo "$IDXD_CACHE/$2/$1"
	fi
}

# kbuild_make KVER DIR MAKE-ARGS...: make in DIR (from build_root) for
# KVER, in the chroot when DIR is inside one.
kbuild_make() {
	local kver=$1 dir=$2 suite root
	shift 2
	suite=$(headers_suite "$kver")
	if [ -n "$suite" ]; then
		root=$(chroot_dir "$suite")
		in_chroot "$suite" "$root" make -C "${dir#"$root"}" KVER="$kver" "$@"
	else
		make -C "$dir" KVER="$kver" "$@"
	fi
}

# in_chroot SUITE ROOT CMD...: run CMD as root in the chroot ROOT of SUITE,
# with /proc, /dev/pts and the suite's shared apt package cache mounted. The
# mounts live in a mount namespace of CMD's own: they vanish with it
# however it ends (even killed), and the host's mount table never sees
# them, so nothing is left to clean up.
in_chroot() {
	local suite=$1 root=$2 debs
	shift 2
	debs="$IDXD_CACHE/chroots/debs-$suite"
	mkdir -p "$debs/partial"
	# shellcheck disable=SC2016 # the inner shell's positional parameters
	as_root unshare --mount --propagation private -- sh -euc '
		root=$1 debs=$2
		shift 2
		mount -t proc proc "$root/proc"
		# A pty instance of its own, for apt and dpkg.
		mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
		mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
		mount --bind "$debs" "$root/var/cache/apt/archives"
		exec chroot "$root" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive "$@"
	' in_chroot "$root" "$debs" "$@"
}
