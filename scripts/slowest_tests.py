"""The slowest tests of a run, from pytest's JUnit XML reports: python scripts/slowest_tests.py 20
test-output/junit-sqlite.xml test-output/junit-postgresql.xml. A test's time is its setup, call
and teardown together (pytest's junit_duration_report "total"); each line names the pass."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def slowest(count: int, reports: list[Path]) -> list[tuple[float, str, str]]:
    rows = []
    for report in reports:
        if not report.exists():
            continue
        name = report.stem.removeprefix("junit-")
        for case in ET.parse(report).iter("testcase"):  # noqa: S314 (our own report)
            test = f"{case.get('classname', '').replace('.', '/')}::{case.get('name')}"
            rows.append((float(case.get("time") or 0), name, test))
    return sorted(rows, reverse=True)[:count]


if __name__ == "__main__":
    for seconds, name, test in slowest(int(sys.argv[1]), [Path(a) for a in sys.argv[2:]]):
        print(f"    {seconds:7.1f}s  {name:<10}  {test}")
