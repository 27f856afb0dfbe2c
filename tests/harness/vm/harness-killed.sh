# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
# Harness self-test (scripts/selftest.sh boots it; no real test does): a
# program that prints two of its three checks and dies by SIGKILL.
# shellcheck source=tests/vm/lib.sh
. /tests/lib.sh

plan 6
ok "before the program"
# shellcheck disable=SC2016 # $$ is the inner shell's, the one to kill
run_prog doomed sh -c 'echo "ok doomed: check 1"; echo "ok doomed: check 2"
	kill -KILL $$; echo "ok doomed: check 3"'
ok "after the program"
done_testing
