#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh: run the KUnit suites of kunit/ with kunit.py, in an x86_64
# kernel built from Debian's linux-source-6.1 with this tree grafted in as
# drivers/misc/idxd_mdev/ (kunit/.kunitconfig turns on KASAN and lockdep).
# Prints one "ok"/"not ok" line per test case; exits non-zero on failure.
#
# The source tree, the build directory and ccache live in the cache, so
# a rerun rebuilds only what changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=$(linux_source 6.1)
base=$(dirname "$ksrc")
build="$base/build"
graft="$ksrc/drivers/misc/idxd_mdev"
export CCACHE_DIR=${CCACHE_DIR:-$IDXD_CACHE/ccache}
make_cc=(CC="ccache gcc")

# The graft: our sources (timestamps kept, so rebuilds stay incremental)
# plus the Kbuild/Kconfig glue that hooks them into drivers/misc.
mkdir -p "$graft"
rsync -a --delete --filter=':- .gitignore' "$top/ims" "$top/idxd-mdev" \
	"$top/kunit" "$top/compat" "$top/VERSION" "$graft/"
cp "$top/kunit/Kconfig" "$graft/Kconfig"
printf '%s\n' '# SPDX-License-Identifier: GPL-2.0' \
	'obj-$(CONFIG_IMS_LIB) += ims/' \
	'obj-$(CONFIG_IDXD_MDEV_VIDXD) += idxd-mdev/' \
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

log="$base/kunit.log"
rc=0
"${kunit[@]}" run "${opts[@]}" --jobs="$(nproc)" --make_options "${make_cc[*]}" \
	--qemu_args "-smp 2" --timeout 600 >"$log" 2>&1 || rc=$?

# One line per test case, named suite.case (or case.parameter): kunit.py
# opens "=== name ===" around each suite and parameterized case.
sed 's/\x1b\[[0-9;]*m//g; s/\r$//' "$log" | awk '
	/^\[[0-9:]+\] =+ \[[A-Z]+\] .* =+$/ { depth--; next }
	/^\[[0-9:]+\] =+ .* =+$/ {
		name = $0
		sub(/^\[[0-9:]+\] =+ /, "", name)
		sub(/ *(\([0-9]+ subtests?\))? *=+$/, "", name)
		scope[++depth] = name
		next
	}
	/^\[[0-9:]+\] \[(PASSED|FAILED|SKIPPED|CRASHED)\] / {
		status = $2
		gsub(/[][]/, "", status)
		name = $0
		sub(/^\[[0-9:]+\] \[[A-Z]+\] /, "", name)
		print status, scope[depth] "." name
	}' |
	while read -r status name; do
		case "$status" in
		PASSED) echo "ok [kunit] $name" ;;
		SKIPPED) echo "ok [kunit] $name # SKIP" ;;
		*) echo "not ok [kunit] $name: $status" ;;
		esac
	done
# KASAN and lockdep report without failing the test that triggered them.
splat='WARNING:|BUG:|Oops|possible circular|possible recursive|inconsistent lock|KASAN:|UBSAN:'
if grep -E -q "$splat" "$build/test.log"; then
	echo "not ok [kunit] kernel log clean: $(grep -E -m1 "$splat" "$build/test.log")"
	rc=1
else
	echo "ok [kunit] kernel log clean (KASAN, lockdep)"
fi
if [ "$rc" -ne 0 ]; then
	grep -E 'EXPECTATION FAILED|ASSERTION FAILED|error:|Error|CRASHED|BUG:|WARNING:' "$log" | head -n 20 >&2 || true
	echo "not ok [kunit] kunit.py run: exit $rc (log: $log)"
fi
exit "$rc"
