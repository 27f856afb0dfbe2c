# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Harness self-test (scripts/selftest.sh boots it; no real test does): the
# control, a run that keeps its plan, with a program's checks in it.
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 4
ok "check 1"
run_prog helper sh -c 'echo "ok helper: check 1"; echo "ok helper: check 2"'
done_testing
