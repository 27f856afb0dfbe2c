# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Harness self-test (scripts/selftest.sh boots it; no real test does): a
# VM that powers off half way through its plan.
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 4
ok "check 1"
ok "check 2"
poweroff -f
ok "check 3"
ok "check 4"
done_testing
