#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-judge.py JSON TREE: judge a KUnit run.

JSON is kunit.py's result (kunit.py parse --json=FILE); TREE is the
directory of KUnit sources (kunit/). Prints "ok [kunit] suite.case" or
"not ok [kunit] suite.case: STATUS" per case (parameterized cases: one per
parameter, suite.case.param), then "not ok" for every suite the sources
declare that did not run, or ran with another number of cases. Exits 1 if
anything is not ok, or if nothing ran at all.
"""
import json
import pathlib
import re
import sys

SUITE_RE = re.compile(r'static\s+struct\s+kunit_suite\s+\w+\s*=\s*\{(.*?)\};',
                      re.S)
CASES_RE = re.compile(r'static\s+struct\s+kunit_case\s+(\w+)\s*\[\s*\]\s*=\s*'
                      r'\{(.*?)\};', re.S)
CASE_RE = re.compile(r'\bKUNIT_CASE(_PARAM)?\s*\(\s*(\w+)')


def declared(tree):
    """{suite name: [(case name, parameterized?)...]} from the sources'
    kunit_suite structs and their KUNIT_CASE()/KUNIT_CASE_PARAM() tables."""
    suites = {}
    for src in sorted(pathlib.Path(tree).glob('*.c')):
        text = src.read_text()
        cases = {m.group(1): [(c.group(2), bool(c.group(1)))
                              for c in CASE_RE.finditer(m.group(2))]
                 for m in CASES_RE.finditer(text)}
        for m in SUITE_RE.finditer(text):
            name = re.search(r'\.name\s*=\s*"([^"]+)"', m.group(1))
            table = re.search(r'\.test_cases\s*=\s*(\w+)', m.group(1))
            if name and table:
                suites[name.group(1)] = cases.get(table.group(1), [])
    return suites


def line(status, name):
    if status == 'PASS':
        return f'ok [kunit] {name}'
    if status == 'SKIP':
        return f'ok [kunit] {name} # SKIP'
    return f'not ok [kunit] {name}: {status}'


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    want = declared(sys.argv[2])
    out = []
    try:
        with open(sys.argv[1]) as f:
            run = json.load(f)
    except (OSError, ValueError) as e:
        out.append(f'not ok [kunit] kunit.py results: {e}')
        run = {}
    ran = {}
    results = 0
    # The run's group holds the suites; a suite that ran no case at all
    # comes as a case of the run.
    suites = run.get('sub_groups', []) + [
        {'name': s['name']} for s in run.get('test_cases', [])]
    for suite in suites:
        name = suite.get('name', '?')
        cases = suite.get('test_cases', [])
        for case in cases:
            out.append(line(case['status'], f"{name}.{case['name']}"))
        # A parameterized case: one result per parameter.
        for param_case in suite.get('sub_groups', []):
            params = param_case.get('test_cases', [])
            for p in params:
                out.append(line(p['status'],
                                f"{name}.{param_case['name']}.{p['name']}"))
            if not params:
                out.append(f"not ok [kunit] {name}.{param_case['name']}: "
                           'no parameter ran')
        ran[name] = len(cases) + len(suite.get('sub_groups', []))
        results += len(cases) + len(suite.get('sub_groups', []))
    if not want:
        out.append(f'not ok [kunit] {sys.argv[2]} declares no suite')
    for suite, cases in sorted(want.items()):
        n = len(cases)
        if suite not in ran:
            out.append(f'not ok [kunit] missing suite {suite} '
                       f'(declares {n} cases)')
        elif ran[suite] != n:
            out.append(f'not ok [kunit] suite {suite}: declared {n} cases, '
                       f'ran {ran[suite]}')
    if results == 0:
        out.append('not ok [kunit] no test case ran')
    print('\n'.join(out))
    sys.exit(1 if any(o.startswith('not ok') for o in out) else 0)


if __name__ == '__main__':
    main()
