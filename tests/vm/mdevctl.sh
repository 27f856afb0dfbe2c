# SPDX-License-Identifier: GPL-2.0
# Debian's mdevctl (a dynamically linked program, brought in with its
# libraries by mkinitramfs.sh --elf) runs in the test VM: it lists types
# and devices (none yet: no parent registers types here) and keeps a
# definition in its writable /etc/mdevctl.d.
# shellcheck shell=sh
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 12

UUID=0b0e6b6a-1d5c-4c34-9f4e-5a3a1b2c3d4e
PARENT=0000:00:10.0
TYPE=idxd_mdev-dsa-1dwq

# mdev NAME ARGS...: mdevctl ARGS must exit 0; its output, without
# terminal escapes and blank lines, is kept in /tmp/mdevctl.out.
mdev() {
	_name=$1
	shift
	if mdevctl "$@" >/tmp/mdevctl.raw 2>&1; then
		ok "$_name"
	else
		not_ok "$_name" "mdevctl $* exited $?: $(cat /tmp/mdevctl.raw)"
	fi
	sed 's/\x1b\[[0-9;]*[A-Za-z]//g' /tmp/mdevctl.raw | grep -v '^ *$' \
		>/tmp/mdevctl.out
}

check "modprobe mdev" modprobe mdev
mdev "mdevctl --version" --version
check "it is mdevctl" grep -q '^mdevctl [0-9]' /tmp/mdevctl.out
mdev "mdevctl types" types
check_eq "no types yet" "" "$(cat /tmp/mdevctl.out)"
mdev "mdevctl list" list
mdev "mdevctl define" define -u "$UUID" -p "$PARENT" -t "$TYPE"
check "the definition is a file in /etc/mdevctl.d" \
	test -f "/etc/mdevctl.d/$PARENT/$UUID"
mdev "mdevctl list --defined" list --defined
check_eq "it lists the definition" "$UUID $PARENT $TYPE manual" \
	"$(cat /tmp/mdevctl.out)"
mdev "mdevctl undefine" undefine -u "$UUID"
check "its file is gone" test ! -e "/etc/mdevctl.d/$PARENT/$UUID"
done_testing
