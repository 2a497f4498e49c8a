"""How long ``repaycli`` takes to start, beside ``python -c "import typer"``.

Times real processes (median of ``--runs``), as a shell or cron starts them, and prints each as a
ratio to ``python -c "import typer"`` — the floor for any typer CLI — next to the targets of
issue 6. Also the peak memory (max RSS) of ``remind`` on the large database.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--rebuild]

The large database (100,000 log entries, 1,000 agreements) comes from ``benchmarks/remind.py``'s
builder and is cached under the temp directory (``repaycli-bench-startup-*``), so a second run
starts at once; ``--rebuild`` builds it afresh. Every command runs with its own ``REPAYCLI_HOME``
and a pinned ``REPAYCLI_TODAY``. This script prints figures; it asserts nothing about them.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import remind as remind_bench  # noqa: E402  (benchmarks/remind.py, beside this file)

from repaycli import store  # noqa: E402

ENTRIES = 100_000
TIME = Path("/usr/bin/time")
#: Ten debts for ``plan --debts`` (the format of ``examples/debts.toml``).
PLATFORMS = (
    "huabei",
    "jiebei",
    "weilidai",
    "baitiao",
    "jintiao",
    "meituan",
    "douyin",
    "zhaohang",
    "gonghang",
    "jianhang",
)


def debts_toml() -> str:
    lines = ['income = "12000"', 'expenses = "6000"', 'reason = "income_drop"', ""]
    for i, platform in enumerate(PLATFORMS):
        lines += [
            "[[debt]]",
            f'platform = "{platform}"',
            f'overdue = "{3000 + 1700 * i}"',
            f"days_overdue = {15 + 9 * i}",
            "",
        ]
    return "\n".join(lines)


def large_home(rebuild: bool, entries: int = ENTRIES) -> Path:
    """The large database's data directory (``benchmarks/remind.py`` builds and caches it)."""
    return remind_bench.cached_home(entries, max(entries // 100, 1), rebuild=rebuild)


def run(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run; exits with its stderr when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def max_rss(cmd: Sequence[str], env: dict[str, str]) -> int | None:
    """Peak resident memory of one run in KiB, from ``/usr/bin/time -f %M``.

    Not from this process's ``RUSAGE_CHILDREN``/``wait4``: on Linux a child's max RSS starts from
    the parent's size at fork, and this script holds the database builder; ``time`` is small.
    """
    if not TIME.exists():
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as out:
        subprocess.run(
            [str(TIME), "-f", "%M", "-o", out.name, *cmd], env=env, capture_output=True, check=False
        )
        text = out.read().strip().splitlines()
    return int(text[-1]) if text and text[-1].isdigit() else None


def loads_textual(py: str, cmd: Sequence[str], env: dict[str, str]) -> bool:
    """Whether one run of a ``repaycli`` command imports Textual (``python -X importtime``)."""
    done = subprocess.run(
        [py, "-X", "importtime", "-m", "repaycli", *cmd[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return any(
        line.split("|")[-1].strip().startswith("textual") for line in done.stderr.splitlines()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    parser.add_argument(
        "--entries", type=int, default=ENTRIES, help="log entries in the large database"
    )
    args = parser.parse_args()

    exe = str(Path(sys.executable).parent / "repaycli")
    if not Path(exe).exists():
        exe = shutil.which("repaycli") or sys.exit("repaycli is not installed")
    py = sys.executable
    import repaycli

    # Time start-up, not compiling: PYTHONDONTWRITEBYTECODE may have kept .pyc files from being
    # written so far.
    compileall.compile_dir(str(Path(repaycli.__file__).parent), quiet=1)
    large = large_home(args.rebuild, args.entries)
    scratch = Path(tempfile.mkdtemp(prefix="repaycli-bench-"))
    try:
        empty_home = scratch / "empty"
        store.connect(empty_home / "repaycli.sqlite3").close()
        none_home = scratch / "none"
        plan_home = scratch / "plan"
        zh_home = scratch / "plan-zh"  # the same plans in Chinese (REPAYCLI_LANG=zh)
        debts = scratch / "debts.toml"
        debts.write_text(debts_toml(), encoding="utf-8")

        def env(home: Path) -> dict[str, str]:
            return {
                "REPAYCLI_HOME": str(home),
                "REPAYCLI_TODAY": remind_bench.TODAY.isoformat(),
                "REPAYCLI_LANG": "zh" if home == zh_home else "en",
                "PATH": "/usr/bin:/bin",
                "HOME": str(scratch),
            }

        plan_one = [
            *("--platform", "huabei", "--overdue", "8000", "--income", "9000"),
            *("--expenses", "5500", "--days-overdue", "45"),
        ]
        #: Issue 13's figures before its changes (CPU ratio to ``import typer``), printed beside.
        before = {
            "repaycli remind (empty database)": "1.43",
            "repaycli plan --no-input (1 debt)": "4.5",
            "repaycli plan --no-input (10 debts)": "11",
            "repaycli plan --no-input --json (10 debts)": "5.2",
        }
        rows: list[tuple[str, list[str], Path, float | None]] = [
            ("python -c pass", [py, "-c", "pass"], none_home, None),
            ('python -c "import typer"', [py, "-c", "import typer"], none_home, None),
            ("repaycli --version", [exe, "--version"], none_home, 1.3),
            ("repaycli remind (no database)", [exe, "remind"], none_home, 1.3),
            ("repaycli remind (empty database)", [exe, "remind"], empty_home, 1.3),
            (f"repaycli remind ({args.entries:,} entries)", [exe, "remind"], large, 2.0),
            (f"repaycli remind --json ({args.entries:,})", [exe, "remind", "--json"], large, None),
            ("repaycli plan --no-input (1 debt)", [exe, "plan", "--no-input", *plan_one],
             plan_home, 2.5),
            ("repaycli plan --no-input (10 debts)",
             [exe, "plan", "--no-input", "--debts", str(debts)], plan_home, 2.5),
            ("repaycli plan --no-input (1 debt, zh)", [exe, "plan", "--no-input", *plan_one],
             zh_home, 2.5),
            ("repaycli plan --no-input (10 debts, zh)",
             [exe, "plan", "--no-input", "--debts", str(debts)], zh_home, 2.5),
            ("repaycli plan --no-input --json (10 debts)",
             [exe, "plan", "--no-input", "--json", "--debts", str(debts)], plan_home, None),
        ]  # fmt: skip
        # Round-robin (one warm-up round first): a burst of load on the machine then slows
        # every command of a round alike instead of skewing one row.
        times: list[list[float]] = [[] for _ in rows]
        cpus: list[list[float]] = [[] for _ in rows]
        for round_no in range(args.runs + 1):
            for i, (_, cmd, home, _) in enumerate(rows):
                elapsed, cpu = run(cmd, env(home))
                if round_no:
                    times[i].append(elapsed)
                    cpus[i].append(cpu)
        results = [
            (
                label,
                statistics.median(times[i]),
                statistics.median(cpus[i]),
                max_rss(cmd, env(home)),
                target,
            )
            for i, (label, cmd, home, target) in enumerate(rows)
        ]

        floor, cpu_floor = results[1][1], results[1][2]
        size = (large / "repaycli.sqlite3").stat().st_size / 1e6
        print(
            f"Python {sys.version.split()[0]}; median of {args.runs} rounds after a warm-up round"
        )
        agreements = max(args.entries // 100, 1)
        print(
            f"large database: {args.entries:,} log entries, {agreements:,} agreements,"
            f" {size:.0f} MB"
        )
        print()
        print(
            f"{'command':<40} {'ms':>7} {'× typer':>8} {'cpu ms':>7} {'× typer':>8}"
            f" {'target':>7} {'max RSS':>9}      {'before'}"
        )
        for label, median, cpu, peak, target in results:
            ratio, cpu_ratio = median / floor, cpu / cpu_floor
            goal = f"≤ {target:g}" if target is not None else ""
            mark = ("ok" if cpu_ratio <= target else "MISS") if target is not None else ""
            rss = f"{peak / 1024:.1f} MB" if peak else ""
            was = f"was {before[label]} ×" if label in before else ""
            print(
                f"{label:<40} {median * 1000:7.1f} {ratio:8.2f} {cpu * 1000:7.1f} {cpu_ratio:8.2f}"
                f" {goal:>7} {rss:>9}  {mark:<4}  {was}".rstrip()
            )
        print()
        print("× typer: ratio to python -c 'import typer', in wall time and in CPU time (user +")
        print("system); ok/MISS judge the CPU ratio, which other programs on a shared machine")
        print("disturb far less than wall time. Targets from issues 6 and 13; 'was': issue 13's")
        print("figures before its changes (CPU ratio to import typer).")
        print("max RSS: peak resident memory of one more run (/usr/bin/time -f %M);")
        print("target for remind on the 100k database: under 60 MB.")
        print()
        heavy = [label for label, cmd, home, _ in rows[2:] if loads_textual(py, cmd, env(home))]
        print(f"commands above that import textual (only `repaycli call` may): {heavy or 'none'}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    os.umask(0o077)
    main()
