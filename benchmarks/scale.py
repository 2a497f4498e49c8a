"""How the commands over the whole log scale: 1,000, 10,000 and 100,000 entries, each beside its
floor (``benchmarks/floors.py``: the same rows read and written in plain Python) measured in the
same run, with peak memory and the fitted growth.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--runs 3]
        [--only verify,list,csv,json,markdown,ics,report] [--exe "python -m repaycli"]

Each size gets a database from ``benchmarks/remind.py``'s builder (``entries`` log entries and
``entries / 100`` agreements of 12 installments), cached in the temp directory. A command and its
floor run alternately (``--runs`` rounds); each figure is a median, each ratio is command / floor
of the medians. Times are CPU seconds (user + system) and peak memory the max RSS, both from
``/usr/bin/time``: on a shared machine, wall time mostly measures the neighbours. The script
prints figures; it asserts nothing about them (``tests/test_benchmarks.py`` runs it small so that
it keeps working).

Targets (issue 22): every command within 2 × its floor and under 100 MB at 1,000,000 entries and
at 10,000 agreements, growing × 10 ± 20 % per × 10 of data — judged on the time less what the
command takes on an empty database (start-up), which the script measures and prints. The
floors of ``remind --ics`` include ``import typer`` (see floors.py).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import remind as remind_bench  # noqa: E402  (benchmarks/remind.py, beside this file)

TIME = Path("/usr/bin/time")
FLOORS = HERE / "floors.py"
TARGET_RATIO = 2.0
#: Issue 22: under 100 MB at 1,000,000 entries and at 10,000 agreements (issue 13 asked for 60 MB
#: at 100,000 entries; every command is still well under that).
TARGET_MB = 100.0
#: name → (repaycli arguments, floor name); ``{out}`` is a scratch file.
COMMANDS: dict[str, tuple[list[str], str]] = {
    "verify": (["log", "verify"], "verify"),
    "list": (["log", "list"], "list"),
    "csv": (["log", "export", "--format", "csv"], "csv"),
    "json": (["log", "export", "--format", "json"], "json"),
    "markdown": (["log", "export", "--format", "markdown"], "markdown"),
    "ics": (["remind", "--ics", "{out}"], "ics"),
    "ics-all": (["remind", "--ics", "{out}", "--all"], "ics-all"),
    "fingerprint": (["log", "fingerprint"], "fingerprint"),
    "agreements": (["agreement", "list", "--json"], "agreements"),
    # one lender of the builder's eight: an eighth of the log, quoted entry by entry
    "complaint": (["letter", "--kind", "complaint", "--platform", "huabei"], "complaint"),
    # the user's pack with the evidence timeline; the plan from flags (the database has none)
    "report": (
        ["report", "--log", "-o", "{out}", "--force", "--platform", "huabei", "--overdue", "8000",
         "--income", "5000", "--expenses", "3000"],
        "report",
    ),  # fmt: skip
    # ``{export}``: the database's JSON export, made once per size before the timed runs
    "verify-export": (["log", "verify", "--export", "{export}"], "verify-export"),
}
#: What ``--agreements`` runs by default: the commands that read every agreement (issue 22:
#: ``log verify`` took 204 s at 10,000 agreements, reading every allocation per installment).
AGREEMENT_COMMANDS = ("verify", "fingerprint", "agreements", "report", "verify-export")
#: Log entries beside the agreements in ``--agreements`` mode (the issue's figure).
AGREEMENT_LOG = 1000
#: The issue's figures at 100,000 entries (wall time; issue 13, before the streaming rewrite),
#: printed beside this run's.
BEFORE = {
    "verify": "was 11–13.5 s, 442 MB (floor 4.6 s)",
    "list": "was 20 min, 1.8 GB",
    "csv": "was 15½ min, 630 MB",
    "json": "was 21 s, 672 MB",
    "markdown": "was ≈ 25 min (154 s at 10,000)",
    "ics": "was 6.1 s, 110 MB (6,143 events)",
    "ics-all": "was — (no --all; see remind --ics)",
    "fingerprint": "was — (issue 22 measured it by agreements)",
    "agreements": "was — (issue 22 measured it by agreements)",
    "complaint": "was 790 MB (issue 22); 109 MB before streaming",
    "report": "was 1.16 GB (issue 22)",
    "verify-export": "was 13.2 s, 815 MB (issue 22)",
}
#: The issue's figures at 10,000 agreements beside 1,000 entries (issue 22, wall time).
BEFORE_AGREEMENTS = {
    "verify": "was 204 s (18.6 s at 3,000)",
    "fingerprint": "was 20.7 s, 302 MB",
    "agreements": "was 20.7 s, 302 MB",
    "report": "was 20.7 s, 302 MB (as log fingerprint)",
}
LABELS = {
    "verify": "log verify",
    "list": "log list > file",
    "csv": "log export --format csv",
    "json": "log export --format json",
    "markdown": "log export --format markdown",
    "ics": "remind --ics FILE",
    "ics-all": "remind --ics FILE --all",
    "fingerprint": "log fingerprint",
    "agreements": "agreement list --json",
    "complaint": "letter --kind complaint",
    "report": "report --log -o FILE",
    "verify-export": "log verify --export FILE",
}


def measure(
    cmd: Sequence[str], env: dict[str, str], stdout: Path, timeout: float
) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run, stdout to a file; exits when it fails. The seconds
    are CPU time (user + system, from ``/usr/bin/time``): on a machine shared with other work,
    wall time measures the neighbours as much as the command. Wall time without ``time``."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as rusage, stdout.open("wb") as out:
        wrapped = list(cmd)
        if TIME.exists():
            wrapped = [str(TIME), "-f", "%U %S %M", "-o", rusage.name, *cmd]
        began = time.perf_counter()
        done = subprocess.run(
            wrapped, env=env, stdout=out, stderr=subprocess.PIPE, timeout=timeout, check=False
        )
        elapsed = time.perf_counter() - began
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}")
        fields = (rusage.read().strip().splitlines() or [""])[-1].split()
    if len(fields) == 3:
        return float(fields[0]) + float(fields[1]), int(fields[2]) / 1024
    return elapsed, float("nan")


def command_env(home: Path, scratch: Path) -> dict[str, str]:
    """The environment every command and floor runs in: the data directory, a fixed today."""
    env = {
        "REPAYCLI_HOME": str(home),
        "REPAYCLI_TODAY": remind_bench.TODAY.isoformat(),
        "REPAYCLI_LANG": "en",
        "PATH": "/usr/bin:/bin",
        "HOME": str(scratch),
        "COLUMNS": "100",
    }
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def start_up(
    names: Sequence[str], exe: Sequence[str], scratch: Path, timeout: float
) -> dict[str, float]:
    """What each command costs on an empty database (start-up, imports, a plan made from its
    flags): the part of its time that does not grow with the data. Issue 22's growth target
    (× 10 ± 20 % per × 10 of data) is about the rest. A command that refuses an empty database
    (a letter with no entries to quote) is left out."""
    home = scratch / "empty"
    home.mkdir()
    from repaycli import store

    store.connect(home / "repaycli.sqlite3").close()
    env = command_env(home, scratch)
    export = scratch / "empty.json"
    if "verify-export" in names:
        made = [*exe, "log", "export", "--format", "json", "-o", str(export), "--force"]
        subprocess.run(made, env=env, check=False, capture_output=True)
    found: dict[str, float] = {}
    for name in names:
        command, _ = COMMANDS[name]
        files = {"{out}": str(scratch / f"{name}.empty"), "{export}": str(export)}
        cmd = [*exe, *(files.get(a, a) for a in command)]
        try:
            times = [measure(cmd, env, scratch / "empty.out", timeout)[0] for _ in range(3)]
        except SystemExit:  # refused: nothing to measure
            continue
        found[name] = statistics.median(times)
    return found


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares t = a + b·n: (a seconds, b seconds per entry)."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    b = sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0
    return mean_y - b * mean_x, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="commands, comma-separated (default: all)")
    parser.add_argument(
        "--agreements",
        help="agreement counts (e.g. 100,1000,10000) beside a log of 1,000 entries, instead of"
        " --sizes",
    )
    parser.add_argument("--exe", help="the command to run (default: the repaycli beside python)")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached databases")
    args = parser.parse_args()
    by_agreements = args.agreements is not None
    sizes = [int(s) for s in (args.agreements or args.sizes).split(",")]
    default = AGREEMENT_COMMANDS if by_agreements else tuple(COMMANDS)
    names = [n for n in (args.only or ",".join(default)).split(",") if n]
    if args.exe:
        exe = shlex.split(args.exe)
    else:
        beside = Path(sys.executable).parent / "repaycli"
        exe = [str(beside)] if beside.exists() else [sys.executable, "-m", "repaycli"]
    import repaycli

    compileall.compile_dir(str(Path(repaycli.__file__).parent), quiet=1)  # time runs, not compiles
    py = sys.executable
    scratch = Path(tempfile.mkdtemp(prefix="repaycli-scale-"))
    results: dict[str, list[tuple[int, float, float, float, float]]] = {n: [] for n in names}
    try:
        for size in sizes:
            if by_agreements:
                home = remind_bench.cached_home(AGREEMENT_LOG, size, rebuild=args.rebuild)
            else:
                home = remind_bench.cached_home(size, max(size // 100, 1), rebuild=args.rebuild)
            db = home / "repaycli.sqlite3"
            env = command_env(home, scratch)
            export = scratch / "export.json"
            if "verify-export" in names:  # the file it checks, made once, not timed
                made = [*exe, "log", "export", "--format", "json", "-o", str(export), "--force"]
                subprocess.run(made, env=env, check=True, capture_output=True)
            for name in names:
                command, floor = COMMANDS[name]
                out = scratch / f"{name}.out"
                target = scratch / f"{name}.file"  # each its own: remind replaces only a feed
                files = {"{out}": str(target), "{export}": str(export)}
                cmd = [*exe, *(files.get(a, a) for a in command)]
                floor_cmd = [py, str(FLOORS), floor, str(db)]
                if floor.startswith("ics"):
                    floor_cmd += [str(scratch / "floor.ics"), remind_bench.TODAY.isoformat()]
                if floor == "verify-export":
                    floor_cmd.append(str(export))
                own: list[float] = []
                base: list[float] = []
                peak = base_peak = 0.0
                for _ in range(args.runs):
                    elapsed, rss = measure(cmd, env, out, args.timeout)
                    own.append(elapsed)
                    peak = max(peak, rss)
                    elapsed, rss = measure(floor_cmd, env, scratch / "floor.out", args.timeout)
                    base.append(elapsed)
                    base_peak = max(base_peak, rss)
                results[name].append(
                    (size, statistics.median(own), statistics.median(base), peak, base_peak)
                )
                print(
                    f"  {LABELS[name]} at {size:,}: {statistics.median(own):.2f} s", file=sys.stderr
                )
        fixed = start_up(names, exe, scratch, args.timeout)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"Python {sys.version.split()[0]}; CPU seconds (user + system), median of {args.runs}"
        " runs, each run beside its floor"
    )
    print()
    print(
        f"{'command':<30} {'agreem.' if by_agreements else 'entries':>8} {'s':>8}"
        f" {'floor s':>8} {'× floor':>8}"
        f" {'MB':>7} {'floor MB':>8}"
    )
    largest = max(sizes)
    for name in names:
        for size, own_s, base_s, peak, base_peak in results[name]:
            ratio = own_s / base_s
            mark = ""
            if size == largest and (largest >= 1_000_000 or by_agreements and largest >= 10_000):
                ok = ratio <= TARGET_RATIO and peak < TARGET_MB
                mark = "  ok" if ok else "  MISS"
            print(
                f"{LABELS[name]:<30} {size:>8,} {own_s:8.2f} {base_s:8.2f} {ratio:8.2f}"
                f" {peak:7.1f} {base_peak:8.1f}{mark}"
            )
    print()
    unit = "agreement" if by_agreements else "entry"
    print("growth (least squares t = a + b·n; linear when the largest step grows like n):")
    for name in names:
        points = [(size, own_s) for size, own_s, *_ in results[name]]
        if len(points) < 2:
            continue
        a, b = fit(points)
        (n0, t0), (n1, t1) = points[-2], points[-1]
        print(
            f"  {LABELS[name]:<30} a = {a:6.2f} s, b = {b * 1e6:8.1f} µs/{unit};"
            f" {n0:,}→{n1:,}: ×{t1 / t0:.1f} time for ×{n1 / n0:.0f} {unit}s"
        )
        steps = ", ".join(
            f"×{t1 / t0:.1f}" for (_, t0), (_, t1) in zip(points, points[1:], strict=False)
        )
        print(f"  {'':<30} growth per step: {steps}")
        if name in fixed:  # the same steps without what the command costs on an empty database
            c = fixed[name]
            net = ", ".join(
                f"×{(t1 - c) / (t0 - c):.1f}" if t0 > c else "—"
                for (_, t0), (_, t1) in zip(points, points[1:], strict=False)
            )
            print(f"  {'':<30} less its {c:.2f} s on an empty database: {net}")
    print()
    what = "agreements" if by_agreements else "entries"
    print(f"before (issues 13 and 22, wall time) and now ({largest:,} {what}, CPU):")
    for name in names:
        size, own_s, base_s, peak, _ = results[name][-1]
        now = f"{own_s:.2f} s, {own_s / base_s:.2f} × floor, {peak:.0f} MB"
        before = (BEFORE_AGREEMENTS if by_agreements else BEFORE).get(name, "—")
        print(f"  {LABELS[name]:<30} {before:<40} now {now}")
    print()
    print(
        f"targets (issue 22) at 1,000,000 entries and at 10,000 agreements: ≤ {TARGET_RATIO:g} ×"
        f" floor and under {TARGET_MB:g} MB, growing × 10 ± 20 % per × 10 of data."
    )


if __name__ == "__main__":
    os.umask(0o077)
    main()
