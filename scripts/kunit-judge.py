#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""kunit-judge.py JSON TREE: judge a KUnit run.

JSON is kunit.py's result (kunit.py parse --json=FILE); TREE is the
directory of KUnit sources (kunit/). Prints "ok [kunit] suite.case" or
"not ok [kunit] suite.case: STATUS" per case (parameterized cases: one per
parameter, suite.case.param), then "not ok" for every suite or case the
sources declare that did not run, every case that ran but is not declared,
every parameterized case that ran another number of parameters than its
KUNIT_ARRAY_PARAM() array holds, and every skipped case (a skip proves
nothing). Exits 1 if anything is not ok, or if nothing ran at all.
"""
import json
import pathlib
import re
import sys

SUITE_RE = re.compile(r'static\s+struct\s+kunit_suite\s+\w+\s*=\s*\{(.*?)\};',
                      re.S)
CASES_RE = re.compile(r'static\s+struct\s+kunit_case\s+(\w+)\s*\[\s*\]\s*=\s*'
                      r'\{(.*?)\};', re.S)
CASE_RE = re.compile(r'\bKUNIT_CASE(?:_PARAM\s*\(\s*(\w+)\s*,\s*(\w+)|'
                     r'\s*\(\s*(\w+))')
ARRAY_PARAM_RE = re.compile(r'\bKUNIT_ARRAY_PARAM\s*\(\s*(\w+)\s*,\s*(\w+)')


def array_len(text, array):
    """Number of initializers of `array[] = { ... };` in text."""
    m = re.search(r'\b' + array + r'\s*\[\s*\]\s*=\s*\{(.*?)\};', text, re.S)
    if not m:
        return None
    items, depth, cur = [], 0, ''
    for ch in m.group(1):
        if ch in '{(':
            depth += 1
        elif ch in '})':
            depth -= 1
        if ch == ',' and depth == 0:
            items.append(cur)
            cur = ''
        else:
            cur += ch
    items.append(cur)
    return len([i for i in items if i.strip()])


def declared(tree):
    """{suite name: [(case name, number of parameters or None)...]} from
    the sources' kunit_suite structs, their KUNIT_CASE()/KUNIT_CASE_PARAM()
    tables and the KUNIT_ARRAY_PARAM() arrays behind the latter."""
    suites = {}
    for src in sorted(pathlib.Path(tree).glob('*.c')):
        text = src.read_text()
        params = {m.group(1) + '_gen_params': array_len(text, m.group(2))
                  for m in ARRAY_PARAM_RE.finditer(text)}
        cases = {}
        for m in CASES_RE.finditer(text):
            cases[m.group(1)] = [
                (c.group(1), params.get(c.group(2), 0)) if c.group(1)
                else (c.group(3), None)
                for c in CASE_RE.finditer(m.group(2))]
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
        return f'not ok [kunit] {name}: SKIP (a skipped case proves nothing)'
    return f'not ok [kunit] {name}: {status}'


def judge_suite(suite, want, out):
    """Results of one suite that ran, against what its source declares."""
    name = suite.get('name', '?')
    ran = {}
    for case in suite.get('test_cases', []):
        out.append(line(case['status'], f"{name}.{case['name']}"))
        ran[case['name']] = None
    # A parameterized case: one result per parameter.
    for param_case in suite.get('sub_groups', []):
        params = param_case.get('test_cases', [])
        for p in params:
            out.append(line(p['status'],
                            f"{name}.{param_case['name']}.{p['name']}"))
        ran[param_case['name']] = len(params)
    n = len(want)
    if len(ran) != n:
        out.append(f'not ok [kunit] suite {name}: declared {n} cases, '
                   f'ran {len(ran)}')
    for case, nparams in want:
        if case not in ran:
            out.append(f'not ok [kunit] {name}.{case}: declared, did not run')
        elif nparams is not None and ran[case] != nparams:
            out.append(f'not ok [kunit] {name}.{case}: declared {nparams} '
                       f'parameters, ran {ran[case] or 0}')
    for case in sorted(set(ran) - {c for c, _ in want}):
        out.append(f'not ok [kunit] {name}.{case}: ran, not declared')
    return len(ran)


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
    results = 0
    seen = set()
    # The run's group holds the suites; a suite that ran no case at all
    # comes as a case of the run.
    suites = run.get('sub_groups', []) + [
        {'name': s['name']} for s in run.get('test_cases', [])]
    for suite in suites:
        name = suite.get('name', '?')
        seen.add(name)
        results += judge_suite(suite, want.get(name, []), out)
    if not want:
        out.append(f'not ok [kunit] {sys.argv[2]} declares no suite')
    for suite, cases in sorted(want.items()):
        if suite not in seen:
            out.append(f'not ok [kunit] missing suite {suite} '
                       f'(declares {len(cases)} cases)')
    if results == 0:
        out.append('not ok [kunit] no test case ran')
    print('\n'.join(out))
    sys.exit(1 if any(o.startswith('not ok') for o in out) else 0)


if __name__ == '__main__':
    main()
