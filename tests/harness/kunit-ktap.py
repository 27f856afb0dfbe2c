#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-ktap.py TREE [--drop-suite] [--drop-case] [--no-cases]: the
kernel console of a KUnit run, in the shape Debian's 6.1 kernel prints it,
in which every suite and case TREE (kunit/) declares passed. The broken
variants leave out the first suite, the last case of the first suite, or
every suite. The harness self-test feeds these to kunit_judge.
"""
import importlib.util
import pathlib
import sys

top = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    'kunit_judge', top / 'scripts' / 'kunit-judge.py')
judge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(judge)

tree, opts = sys.argv[1], set(sys.argv[2:])
suites = judge.declared(tree)
if '--drop-suite' in opts:
    del suites[min(suites)]
if '--drop-case' in opts:
    suites[min(suites)].pop()
if '--no-cases' in opts:
    suites = {}

t = 1.0


def say(text):
    global t
    print(f'[{t:12.6f}] {text}')
    t += 0.001


say('Linux version 6.1.0 (kunit) #1 SMP PREEMPT_DYNAMIC')
say('KTAP version 1')
say(f'1..{len(suites)}')
for i, (suite, cases) in enumerate(sorted(suites.items()), 1):
    n = len(cases)
    say('    KTAP version 1')
    say(f'    # Subtest: {suite}')
    say(f'    1..{n}')
    for c, (case, param) in enumerate(cases, 1):
        if param:
            # A subtest per parameter, without a plan.
            say('        KTAP version 1')
            say(f'        # Subtest: {case}')
            for p in range(1, 4):
                say(f'        ok {p} seed {p}')
            say(f'    # {case}: pass:3 fail:0 skip:0 total:3')
        say(f'    ok {c} {case}')
    say(f'# {suite}: pass:{n} fail:0 skip:0 total:{n}')
    say(f'ok {i} {suite}')
say('reboot: System halted')
