# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Harness self-test (scripts/selftest.sh boots it; no real test does): all
# checks printed and passed, but the script exits non-zero.
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 2
ok "check 1"
ok "check 2"
exit 3
