"""The committed benchmarks keep working: each runs small, as a real process, and prints its
table. Nothing here is timed (figures on a shared machine are noise); the scripts print them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def bench(tmp_path: Path, script: str, *args: str) -> str:
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the cached databases go to the test's folder
    env.pop("REPAYCLI_HOME", None)
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
def test_scale_benchmark_prints_each_command_beside_its_floor(tmp_path: Path) -> None:
    out = bench(tmp_path, "scale.py", "--sizes", "150,300", "--runs", "1")
    for label in (
        "log verify",
        "log list > file",
        "log export --format csv",
        "log export --format json",
        "log export --format markdown",
        "remind --ics FILE",
        "remind --ics FILE --all",
        "letter --kind complaint",
        "report --log -o FILE",
        "log verify --export FILE",
    ):
        rows = [line for line in out.splitlines() if line.startswith(label + " ")]
        rows = [r for r in rows if r.split()[len(label.split())].replace(",", "").isdigit()]
        assert [row.split()[len(label.split())] for row in rows] == ["150", "300"], out
        for row in rows:  # seconds, floor seconds, ratio, MB, floor MB: all numbers
            figures = row.split()[len(label.split()) + 1 :]
            assert len(figures) == 5 and all(re.fullmatch(r"\d+\.\d+", f) for f in figures), row
        assert re.search(re.escape(label) + r" +a = .* µs/entry; 150→300", out), out
        assert re.search(re.escape(label) + r" +was .* now [\d.]+ s, [\d.]+ × floor", out), out


@pytest.mark.slow
def test_scale_benchmark_by_agreements_prints_growth_per_step(tmp_path: Path) -> None:
    """Issue 22's second axis: 1,000 entries beside a growing number of agreements."""
    out = bench(tmp_path, "scale.py", "--agreements", "20,40,80", "--runs", "1")
    labels = ("log verify", "log fingerprint", "agreement list --json", "report --log -o FILE",
              "log verify --export FILE")  # fmt: skip
    for label in labels:
        rows = [line for line in out.splitlines() if line.startswith(label + " ")]
        rows = [r for r in rows if r.split()[len(label.split())].replace(",", "").isdigit()]
        assert [row.split()[len(label.split())] for row in rows] == ["20", "40", "80"], out
        assert re.search(re.escape(label) + r" +a = .* µs/agreement; 40→80", out), out
    assert len(re.findall(r"growth per step: ×[\d.]+, ×[\d.]+$", out, re.M)) == 5, out
    # the same steps less the time on an empty database, for the four commands that take one
    # (``log fingerprint`` refuses an empty log: there is nothing to fingerprint)
    net = r"less its \d+\.\d\d s on an empty database: (×[\d.]+|—), (×[\d.]+|—)$"
    assert len(re.findall(net, out, re.M)) == 4, out
    assert len(re.findall(r"growth per step: ×[\d.]+, ×[\d.]+$", out, re.M)) == len(labels), out
    assert re.search(r"log verify +was 204 s \(18\.6 s at 3,000\) +now", out), out


@pytest.mark.slow
def test_startup_benchmark_prints_ratios_to_import_typer(tmp_path: Path) -> None:
    out = bench(tmp_path, "startup.py", "--runs", "1", "--entries", "200")
    assert re.search(r'python -c "import typer" +\d+\.\d +1\.00 +\d+\.\d +1\.00', out), out
    labels = ("repaycli --version", "repaycli remind (empty database)", "repaycli plan",
              "repaycli plan --no-input (10 debts, zh)")  # fmt: skip
    for label in labels:
        assert re.search(re.escape(label) + r".* +\d+\.\d+ +≤ [\d.]+ .*(ok|MISS)", out), out
    # beside each target, issue 13's figure before its changes
    assert re.search(r"plan --no-input \(10 debts\) .*(ok|MISS) +was 11 ×", out), out


@pytest.mark.slow
def test_remind_benchmark_builds_a_verified_log(tmp_path: Path) -> None:
    out = bench(tmp_path, "remind.py", "--entries", "300", "--agreements", "5", "--runs", "1")
    assert "log chain intact: True (300 entries)" in out
    assert re.search(r"repaycli remind --ics FILE +\d+\.\d ms", out), out
