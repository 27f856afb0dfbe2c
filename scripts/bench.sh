#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [SERIES...]: make bench. On the newest Debian kernel of each
# series (default: 6.12 and 6.1), one boot of vm.sh's "kvm" mode (L1)
# runs tests/vm/bench.sh: the IMS and MSI-X allocation costs
# (tests/bench/ims_bench), idxd_mdev's instance cycles and memory
# (tests/bench/mdev_bench), and KVM guests (L2, Debian's QEMU) measuring
# with tests/bench/dsabench a DSA that is an idxd_mdev instance and then
# the whole function through vfio-pci; a second, short boot measures the
# allocation costs again with interrupt remapping off (intremap=off: the
# whole-function guest could not run there, vfio_iommu_type1 refuses a
# container without remapping). scripts/bench-report.sh turns the
# measurements into build/bench/report.md with its plots and prints the
# ratios. BENCH_ROUNDS (default 5) guests of each kind per kernel,
# alternating; their median counts. Exit status 1, with a line saying
# which, when any measurement could not be made.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/build/bench"
rounds=${BENCH_ROUNDS:-5}
failed=()

"$top/scripts/install-deps.sh"
# The plots: gnuplot without X, kept out of install-deps.sh (only this
# needs it).
if ! command -v gnuplot >/dev/null; then
	echo "installing: gnuplot-nox" >&2
	as_root apt-get update >&2
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends gnuplot-nox >&2
fi

[ $# -gt 0 ] || set -- 6.12 6.1
mkdir -p "$out"
rm -f "$out"/*.log "$out"/*.struct "$out"/*.failed
mkdir -p "$IDXD_CACHE/bench"
make -s -C "$top/tests/bench" O="$IDXD_CACHE/bench" >&2
for series in "$@"; do
	kver=$("$top/scripts/fetch-kernel.sh" "$series")
	build=$("$top/scripts/build.sh" "$kver")
	# The size of an instance's structure, for the report's memory part
	# (left out of it when the module has no debug information).
	pahole -C idxd_mdev "$build/idxd-mdev/idxd_mdev.ko" 2>/dev/null |
		sed -n 's/.* size: \([0-9]*\),.*/\1/p' >"$out/$kver.struct" || true
	l2="$IDXD_CACHE/logs/bench-l2-$kver.cpio.gz"
	mkdir -p "$(dirname "$l2")"
	"$top/scripts/mkinitramfs.sh" "$l2" "$kver" --kmod idxd \
		"$build/tests/bench/dsabench.ko"
	vmm=$(l1_vmm_args "$kver")
	mapfile -t vmm <<<"$vmm"
	# A round of guests takes about a minute on a busy machine, the rest
	# three. Now and then the whole VM stops under nested KVM on TCG
	# (its clock with it, so only this timeout ends it): a failed run is
	# made once more, the first one's log kept and named in the report.
	for attempt in 1 2; do
		if VM_TIMEOUT=$((600 + 120 * rounds)) vm_test "$kver" kvm bench \
			"bench_rounds=$rounds" "${vmm[@]}" --kmod vfio-pci \
			--bin "$IDXD_CACHE/bench/mdev_bench" --file "$l2:/l2/initrd.gz" \
			"$build/ims/ims.ko" "$build/idxd-mdev/idxd_mdev.ko" \
			"$build/tests/bench/ims_bench.ko"; then
			break
		elif [ "$attempt" = 1 ]; then
			cp "$IDXD_CACHE/logs/bench-$kver-kvm.log" "$out/$kver.failed"
			echo "# [$kver] bench: the run failed (log: $out/$kver.failed); once more"
		else
			failed+=("$kver: the VM run, twice (see the not ok lines above)")
		fi
	done
	cp "$IDXD_CACHE/logs/bench-$kver-kvm.log" "$out/$kver.log"
	# Vector allocation once more without interrupt remapping: what the
	# remapping entries add to the cost, and whether they make it grow
	# faster than N.
	vm_test "$kver" kvm bench "bench_parts=alloc intremap=off" \
		"${vmm[@]}" --kmod vfio-pci --bin "$IDXD_CACHE/bench/mdev_bench" \
		--file "$l2:/l2/initrd.gz" "$build/ims/ims.ko" \
		"$build/idxd-mdev/idxd_mdev.ko" "$build/tests/bench/ims_bench.ko" ||
		failed+=("$kver: the VM run without interrupt remapping (see the not ok lines above)")
	cp "$IDXD_CACHE/logs/bench-$kver-kvm.log" "$out/$kver-noir.log"
done
"$top/scripts/bench-report.sh" "$out" "$out"/*.log || failed+=("the report")
if [ ${#failed[@]} -gt 0 ]; then
	echo "bench: FAILED, measurements missing: ${failed[*]}" >&2
	exit 1
fi
echo "bench: report in $out/report.md"
