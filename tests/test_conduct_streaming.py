"""Issue 22: the conduct check reads the log a day at a time — ``log conduct``, ``remind
--json`` (from cron) and the report held every entry of the log as a dict (205 MB at 100,000
entries; 28 MB now).

Each command runs as a real ``repaycli`` process on a log of 2,000 collection messages, then of
20,000 (the same three years, so ten times as many a day), and its peak memory may grow by no
more than ``MARGIN_MB``; holding the larger log whole costs about 40 MB more.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from helpers import invoke
from repaycli import store
from test_streaming_memory import TODAY, _builder, _peak_mb

SIZES = (2000, 20000)
MARGIN_MB = 8.0


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    builder = _builder()
    made = {}
    for entries in SIZES:
        home = tmp_path_factory.mktemp(f"sms-{entries}")
        conn = store.connect(home / "repaycli.sqlite3")
        conn.execute("PRAGMA synchronous = OFF")
        builder.build_log(conn, entries, random.Random(20280301), channel="sms")
        conn.close()
        made[entries] = home
    return made


@pytest.mark.parametrize(
    "args",
    [["log", "conduct"], ["log", "conduct", "--json"], ["remind", "--json"]],
    ids=" ".join,
)
def test_the_conduct_check_does_not_hold_the_log(
    args: list[str], homes: dict[int, Path], tmp_path: Path
) -> None:
    peaks = []
    for entries in SIZES:
        scratch = tmp_path / str(entries)
        scratch.mkdir()
        peaks.append(_peak_mb(args, homes[entries], scratch))
    small, large = peaks
    assert large - small < MARGIN_MB, f"{small:.1f} MB → {large:.1f} MB at ten times the log"


def test_the_messages_are_flagged(homes: dict[int, Path]) -> None:
    """The logs are the collection they are meant to be: night messages are flagged, the
    flags name entries, and they come in order of day."""
    home = homes[SIZES[0]]
    shown = invoke("log", "conduct", "--json",
                   env={"REPAYCLI_HOME": str(home), "REPAYCLI_TODAY": TODAY})  # fmt: skip
    assert shown.exit_code == 0, shown.output
    flags = json.loads(shown.output)["flags"]
    assert {f["kind"] for f in flags} == {"night"}
    days = [f["day"] for f in flags]
    assert days == sorted(days) and len(set(days)) > 300


def test_remind_json_is_laid_out_as_before(tmp_path: Path) -> None:
    """``remind --json`` writes its conduct flags one at a time, and its other members exactly
    as ``to_json`` does (the reviewer found the lists before ``conduct`` on one line)."""
    from repaycli.render.json import to_json

    env = {"REPAYCLI_HOME": str(tmp_path), "REPAYCLI_TODAY": "2026-12-02"}
    added = invoke("agreement", "add", "--platform", "jiebei", "--total", "1000", "--periods",
                   "2", "--first-due", "2026-11-01", "--payment", "500", "--no-input", env=env)  # fmt: skip
    assert added.exit_code == 0, added.output
    sms = invoke("log", "add", "--no-input", "--platform", "jiebei", "--channel", "sms",
                 "--at", "2026-11-30 23:10", "--outcome", "received", env=env)  # fmt: skip
    assert sms.exit_code == 0, sms.output
    shown = invoke("remind", "--json", env=env)
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["overdue"] and data["conduct"], data
    assert shown.output == to_json(data) + "\n"
