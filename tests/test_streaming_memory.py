"""Issue 22: the whole-log commands stream — their memory does not grow with the log.

Each command runs as a real ``repaycli`` process on a database of 2,000 entries and 200
agreements, then on one ten times larger (20,000 entries, 2,000 agreements, about 3,800 events
with their schedules), and its peak memory (``ru_maxrss`` of that one child, from ``os.wait4``)
may grow by no more than ``MARGIN_MB``. Holding the larger log whole costs far more than that:
the JSON export held every event (about 6 KB each as dicts), 19 MB more at 2,000 agreements;
the complaint letter read the whole log as models to quote one lender's entries, 130 MB more.

The streamed JSON export is also compared, byte for byte, with what the writer of before (every
event held in a list, the seal computed over the whole document) gives for the same log.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import invoke, repaycli_exe
from repaycli import store
from repaycli.paths import db_path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
TODAY = "2028-03-01"  # benchmarks/remind.py's TODAY: the builder's dates are around it
SIZES = ((2000, 200), (20000, 2000))
#: A lender beside the builder's eight, with the same three entries in both logs: a letter about
#: it quotes the same whatever the size of the rest of the log.
LENDER = "fenfu"
#: How much more a command may hold at ten times the log (allocator noise, a larger page cache
#: for SQLite's reads): far below what holding the log whole costs.
MARGIN_MB = 8.0


def _builder() -> Any:
    """``benchmarks/remind.py``, the benchmarks' database builder."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import remind  # benchmarks/remind.py
    finally:
        sys.path.remove(str(BENCHMARKS))
    return remind


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """A data directory for each size, built with ``benchmarks/remind.py``'s builder."""
    builder = _builder()
    made = {}
    for entries, agreements in SIZES:
        home = tmp_path_factory.mktemp(f"log-{entries}")
        conn = store.connect(home / "repaycli.sqlite3")
        conn.execute("PRAGMA synchronous = OFF")
        rng = random.Random(20280301)
        builder.build_log(conn, entries, rng)
        builder.build_agreements(conn, agreements, rng)
        conn.close()
        for day in ("2028-02-10", "2028-02-20", "2028-02-25"):  # a lender of three contacts
            added = invoke("log", "add", "--no-input", "--platform", LENDER, "--channel",
                           "phone", "--at", f"{day} 10:00", "--outcome", "pending", "--notes",
                           "asked for a pause", env={"REPAYCLI_HOME": str(home),
                                                     "REPAYCLI_TODAY": TODAY})  # fmt: skip
            assert added.exit_code == 0, added.output
        made[entries] = home
    return made


#: Runs the command and prints its peak memory. A small process of its own: on Linux a child's
#: ``ru_maxrss`` starts from its parent's at the fork (it survives ``exec``), so measured straight
#: from pytest every command would seem to hold what pytest holds.
_LAUNCHER = """
import os, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    child = subprocess.Popen(sys.argv[3:], stdout=out, stderr=err)
    _, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _peak_mb(args: list[str], home: Path, scratch: Path) -> float:
    """Peak resident memory of one ``repaycli`` process, in MB; it must succeed."""
    env = {
        **os.environ,
        "REPAYCLI_HOME": str(home),
        "REPAYCLI_TODAY": TODAY,
        "REPAYCLI_LANG": "en",
        "HOME": str(scratch),
    }
    out, err = scratch / "out", scratch / "err"
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(out), str(err), repaycli_exe(), *args],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    code, kb = (int(n) for n in done.stdout.split())
    assert code == 0, err.read_text(encoding="utf-8", errors="replace")
    return kb / 1024  # KB on Linux


COMMANDS = {
    "log export --format json": ["log", "export", "--format", "json", "-o", "{scratch}/x.json"],
    "log export --format json --redact": [
        "log", "export", "--format", "json", "--redact", "-o", "{scratch}/x.json",
    ],
    # quotes only the lender's three entries: held, only they are
    "letter --kind complaint": ["letter", "--kind", "complaint", "--platform", LENDER],
    # quotes an eighth of the log (the builder's lenders): streamed, entry by entry, to stdout
    # or to a file — held, 2,500 quoted entries took 12 MB more than 250
    "letter --kind complaint (a large lender)": [
        "letter", "--kind", "complaint", "--platform", "huabei",
    ],
    "letter --kind collection -o FILE (a large lender)": [
        "letter", "--kind", "collection", "--platform", "huabei", "-o", "{scratch}/l.txt",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_memory_does_not_grow_with_the_log(
    name: str, homes: dict[int, Path], tmp_path: Path
) -> None:
    peaks = []
    for entries, _ in SIZES:
        scratch = tmp_path / str(entries)
        scratch.mkdir()
        args = [a.replace("{scratch}", str(scratch)) for a in COMMANDS[name]]
        peaks.append(_peak_mb(args, homes[entries], scratch))
    small, large = peaks
    assert large - small < MARGIN_MB, f"{name}: {small:.1f} MB, then {large:.1f} MB at × 10"


# --- the streamed JSON export is the export of before, byte for byte ------------------------------


def _export_before(exported_at: str, *, redact_on: bool) -> str:
    """The JSON export as the writer of before made it: the events read into a list first (their
    count and head come before the entries), the seal computed over the whole document."""
    from repaycli.cli.log import _Hidden
    from repaycli.core import proof
    from repaycli.render.json import write_json_stream

    with store.opened(read_only=True) as conn, store.snapshot(conn):
        check = store.verify_log(conn)
        total = store.count_log(conn)
        plan = _Hidden.of(conn) if redact_on else _Hidden()
        events = proof.export_events(store.iter_events(conn), redact_on=redact_on)
        events_intact = store.verify_events(conn).intact
        entries = proof.export_entries(store.iter_log(conn), redact_on=redact_on)
    fields = proof.export_fields(
        exported_at=exported_at,
        redact_on=redact_on,
        check=check,
        count=total,
        last_unverifiable=plan.last,
        unverifiable=plan.count,
        events=events,
        events_intact=events_intact,
    )
    sealed = proof.seal({**fields, "entries": entries, "events": events})
    out = io.StringIO()
    write_json_stream(fields, "entries", iter(entries), out, tail=lambda: {
        "events": events, "seal": sealed,
    })  # fmt: skip
    return out.getvalue() + "\n"


def _ok(*args: str) -> None:
    result = invoke(*args, env={"REPAYCLI_TODAY": "2026-11-21"})
    assert result.exit_code == 0, result.output


@pytest.fixture
def seeded(_isolated: Path) -> Iterator[None]:
    """A log with a mobile number in it, agreements, payments, a closed follow-up, and a void
    whose reason holds a number (a redacted export shows it and every later event masked)."""
    from helpers import sample_log

    db_path().parent.mkdir(parents=True, exist_ok=True)
    sample_log(db_path())
    for platform in ("huabei", "jiebei"):
        _ok("agreement", "add", "--platform", platform, "--first-due", "2026-12-01",
            "--total", "3000", "--periods", "6", "--no-input")  # fmt: skip
    _ok("pay", "1", "--amount", "500")
    _ok("pay", "2", "--amount", "250")
    _ok("pay", "1", "--void", "1", "--reason", "typed twice, said 13912345678")
    _ok("pay", "1", "--amount", "500")
    yield


@pytest.mark.parametrize("redact", [False, True])
def test_the_streamed_json_export_is_the_export_of_before(seeded: None, redact: bool) -> None:
    import json

    args = ["log", "export", "--format", "json", *(["--redact"] if redact else [])]
    result = invoke(*args, env={"REPAYCLI_TODAY": "2026-11-21"})
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    assert document["events_count"] >= 6
    if redact:  # the void and every event after it are masked
        assert [e.get("unverifiable", False) for e in document["events"]][-2:] == [True, True]
    assert result.stdout == _export_before(document["exported_at"], redact_on=redact)


# --- log verify --export reads the export as a stream ---------------------------------------------


def test_verify_export_memory_does_not_grow_with_the_export(
    homes: dict[int, Path], tmp_path: Path
) -> None:
    """The export is read one entry and one event at a time, beside the database's rows: read
    whole (``json.loads``), the 20,000-entry export (40 MB of JSON) held 150 MB more than the
    2,000-entry one; compared with the database, a list of every entry's hash besides."""
    peaks = []
    for entries, _ in SIZES:
        scratch = tmp_path / str(entries)
        scratch.mkdir()
        export = scratch / "log.json"
        _peak_mb(["log", "export", "--format", "json", "-o", str(export)], homes[entries], scratch)
        assert export.stat().st_size > entries * 1000  # each entry is there, with its salts
        peaks.append(_peak_mb(["log", "verify", "--export", str(export)], homes[entries], scratch))
    small, large = peaks
    assert large - small < MARGIN_MB, f"{small:.1f} MB, then {large:.1f} MB at × 10"
