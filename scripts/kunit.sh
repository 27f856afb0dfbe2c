#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh: run the KUnit suites of kunit/ with kunit.py, in an x86_64
# kernel built from Debian's linux-source-6.1 with this tree grafted in as
# drivers/misc/idxd_mdev/ (kunit/.kunitconfig turns on KASAN and lockdep).
# Prints one "ok"/"not ok" line per test case, and "not ok" for each suite
# kunit/ declares that did not run all its cases (kunit_judge); exits
# non-zero on failure.
#
# The source tree, the build directory and ccache live in the cache, so
# a rerun rebuilds only what changed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=$(linux_source 6.1)
base=$(dirname "$ksrc")
build="$base/build"
graft="$ksrc/drivers/misc/idxd_mdev"
export CCACHE_DIR=${CCACHE_DIR:-$IDXD_CACHE/ccache}
make_cc=(CC="ccache gcc")

# The graft: our sources plus the Kbuild/Kconfig glue that hooks them into
# drivers/misc. Unchanged files (compared by content) keep their time, so
# rebuilds stay incremental; a changed one gets the time of the copy, so
# it is rebuilt even when it is older than the objects of another checkout.
mkdir -p "$graft"
rsync -rlpD --checksum --delete --filter=':- .gitignore' "$top/ims" "$top/idxd-mdev" \
	"$top/kunit" "$top/compat" "$top/VERSION" "$graft/"
cp "$top/kunit/Kconfig" "$graft/Kconfig"
printf '%s\n' '# SPDX-License-Identifier: GPL-2.0' \
	"obj-\$(CONFIG_IMS_LIB) += ims/" \
	"obj-\$(CONFIG_IDXD_MDEV_VIDXD) += idxd-mdev/" \
	'obj-y += kunit/' >"$graft/Kbuild.new"
cmp -s "$graft/Kbuild.new" "$graft/Kbuild" || mv "$graft/Kbuild.new" "$graft/Kbuild"
rm -f "$graft/Kbuild.new"
grep -q idxd_mdev "$ksrc/drivers/misc/Kconfig" ||
	sed -i '$i source "drivers/misc/idxd_mdev/Kconfig"' "$ksrc/drivers/misc/Kconfig"
grep -q idxd_mdev "$ksrc/drivers/misc/Makefile" ||
	echo 'obj-y += idxd_mdev/' >>"$ksrc/drivers/misc/Makefile"

cd "$ksrc"
kunit=(python3 tools/testing/kunit/kunit.py)
opts=(--arch=x86_64 --kunitconfig="$graft/kunit/.kunitconfig"
	--build_dir="$build")

# The compat probes need the configured, prepared kernel they build into.
"${kunit[@]}" config "${opts[@]}" >&2
make -s ARCH=x86_64 O="$build" "${make_cc[@]}" -j"$(nproc)" modules_prepare >&2
"$graft/compat/conftest.sh" "$build" "$graft/compat/compat_autoconf.h" --in-tree

# What this run leaves: the build's output, the kernel's (the results are
# judged from it alone, never from a file an earlier run left) and its
# parse. None survives from an earlier run.
buildlog="$base/kunit-build.log"
log="$base/kunit.log"
json="$base/kunit.json"
rm -f "$buildlog" "$log" "$json"
if ! "${kunit[@]}" build "${opts[@]}" --jobs="$(nproc)" \
	--make_options "${make_cc[*]}" >"$buildlog" 2>&1; then
	grep -E -m 20 'error:|Error' "$buildlog" | sed 's/^/#   /' || true
	echo "not ok [kunit] kunit.py build (log: $buildlog)"
	exit 1
fi
rc=0
"${kunit[@]}" exec "${opts[@]}" --raw_output=all --qemu_args "-smp 2" \
	--timeout 600 >"$log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || echo "not ok [kunit] kunit.py exec: exit $rc"
kunit_judge "$ksrc" "$log" "$json" "$top/kunit" || rc=1
if [ "$rc" -ne 0 ]; then
	grep -E -m 20 'EXPECTATION FAILED|ASSERTION FAILED|CRASHED|BUG:|WARNING:' "$log" |
		sed 's/^/#   /' || true
	echo "# kernel output: $log"
fi
exit "$rc"
