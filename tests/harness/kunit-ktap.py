#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-ktap.py TREE [--drop-suite] [--drop-case] [--no-cases]
[--skip-case] [--rename-case] [--drop-param]: the kernel console of a KUnit
run, in the shape Debian's 6.1 kernel prints it, in which every suite and
case TREE (kunit/) declares passed. The broken variants leave out the first
suite, the last case of the first suite, or every suite; skip the first
case of the first suite; run the last case of the first suite under
another name; or run one parameter fewer of the first parameterized case.
The harness self-test feeds these to kunit_judge.
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
if '--rename-case' in opts:
    case, nparams = suites[min(suites)].pop()
    suites[min(suites)].append((case + '_renamed', nparams))
if '--drop-param' in opts:
    suite = next(s for s in sorted(suites)
                 if any(n is not None for _, n in suites[s]))
    suites[suite] = [(c, n - 1 if n is not None else None)
                     for c, n in suites[suite]]
skipped = (min(suites), suites[min(suites)][0][0]) \
    if '--skip-case' in opts else None

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
    for c, (case, nparams) in enumerate(cases, 1):
        if nparams is not None:
            # A subtest per parameter, without a plan.
            say('        KTAP version 1')
            say(f'        # Subtest: {case}')
            for p in range(1, nparams + 1):
                say(f'        ok {p} seed {p}')
            say(f'    # {case}: pass:{nparams} fail:0 skip:0 total:{nparams}')
        if (suite, case) == skipped:
            say(f'    ok {c} {case} # SKIP not this time')
        else:
            say(f'    ok {c} {case}')
    say(f'# {suite}: pass:{n} fail:0 skip:0 total:{n}')
    say(f'ok {i} {suite}')
say('reboot: System halted')
