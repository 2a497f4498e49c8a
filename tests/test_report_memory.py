"""Issue 22: ``report --log`` streams the evidence timeline — its memory does not grow with the log.

As in ``test_streaming_memory``: each page is written by a real ``repaycli`` process on a database
of 2,000 entries and 200 agreements, then on one ten times larger, and its peak memory may grow
by no more than ``MARGIN_MB``. Held whole (every entry a model, every agreement with its
schedule, the page one string) the larger log cost about 200 MB more.

The streamed page is also compared, byte for byte, with the page drawn from the log read whole
as models (``store.all_contacts`` and ``store.list_agreements``, the reading of before), for the
user's pack and for the pages handed to each lender.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import invoke
from repaycli import store
from repaycli.paths import db_path
from test_streaming_memory import MARGIN_MB, SIZES, _peak_mb, homes  # noqa: F401

SITUATION = ["--platform", "huabei", "--overdue", "8000", "--income", "5000", "--expenses", "3000"]
COMMANDS = {
    "report --log": ["report", "--log", "-o", "{scratch}/r.html", *SITUATION],
    "report --log --handover": ["report", "--log", "--handover", "-o", "{scratch}/h.html",
                                *SITUATION],
    "report --log -o -": ["report", "--log", "-o", "-", *SITUATION],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_report_memory_does_not_grow_with_the_log(
    name: str,
    homes: dict[int, Path],  # noqa: F811  (test_streaming_memory's databases)
    tmp_path: Path,
) -> None:
    peaks = []
    for entries, _ in SIZES:
        scratch = tmp_path / str(entries)
        scratch.mkdir()
        args = [a.replace("{scratch}", str(scratch)) for a in COMMANDS[name]]
        peaks.append(_peak_mb(args, homes[entries], scratch))
        if "-" not in args:  # the page is whole: it ends as the template does
            written = next(scratch.glob("*.html")).read_text(encoding="utf-8")
            assert written.endswith("</html>\n")
            if "--handover" not in args:  # every entry: the builder's and the three beside
                assert written.count('<li class="entry"') == entries + 3
    small, large = peaks
    assert large - small < MARGIN_MB, f"{name}: {small:.1f} MB, then {large:.1f} MB at × 10"


# --- the streamed page is the page drawn from the log read whole ---------------------------------


def _ok(*args: str) -> None:
    result = invoke(*args, env={"REPAYCLI_TODAY": "2026-11-21"})
    assert result.exit_code == 0, result.output


@pytest.fixture
def seeded(_isolated: Path) -> Iterator[None]:
    """A log with a correction, a closed follow-up and a file cited; agreements with two lenders,
    payments, a voided payment and a voided agreement."""
    from helpers import sample_log

    db_path().parent.mkdir(parents=True, exist_ok=True)
    sample_log(db_path())
    for platform in ("huabei", "jiebei", "huabei"):
        _ok("agreement", "add", "--platform", platform, "--first-due", "2026-12-01",
            "--total", "3000", "--periods", "6", "--no-input")  # fmt: skip
    _ok("pay", "1", "--amount", "500", "--receipt", "支付宝 2026112100001")
    _ok("pay", "2", "--amount", "250")
    _ok("pay", "1", "--void", "1", "--reason", "typed twice")
    _ok("pay", "1", "--amount", "500")
    _ok("agreement", "void", "3", "--reason", "replaced by agreement 1")
    yield


def _page_from_models(args: list[str]) -> str:
    """The page the command draws, with the log read whole as models (the reading of before)."""
    from repaycli.cli import report as report_cli
    from repaycli.report import build
    from repaycli.report.page import render_handover, render_page

    with store.opened(read_only=True) as conn, store.snapshot(conn):
        entries = store.all_contacts(conn)
        agreements = store.list_agreements(conn, today=__import__("datetime").date(2026, 11, 21))

    def of(rows: list[Any]) -> build.Reread[Any]:
        return build.Reread(lambda p: iter([r for r in rows if p is None or r.platform == p]))

    captured: dict[str, Any] = {}

    def capture(page: Any, output: Path, *, to_stdout: bool) -> None:
        captured["page"] = page

    real = report_cli._write_page
    report_cli._write_page = capture  # type: ignore[assignment]
    try:
        result = invoke(*args, env={"REPAYCLI_TODAY": "2026-11-21"})
    finally:
        report_cli._write_page = real  # type: ignore[assignment]
    assert result.exit_code == 0, result.output
    page = captured["page"]
    from dataclasses import replace

    def whole(timeline: build.Timeline) -> build.Timeline:
        return replace(timeline, entries=of(entries), agreements=of(agreements))

    if isinstance(page, build.Report):
        assert page.timeline is not None
        return render_page(replace(page, timeline=whole(page.timeline)))
    lenders = []
    for pack in page.lenders:
        assert pack.timeline is not None
        mine = whole(pack.timeline)
        mine = replace(mine, entries=mine.entries.only(pack.platform),
                       agreements=mine.agreements.only(pack.platform))  # fmt: skip
        lenders.append(replace(pack, timeline=mine))
    return render_handover(replace(page, lenders=lenders))


@pytest.mark.parametrize(
    "extra",
    [[], ["--handover"], ["--debts", "examples/debts.toml"], ["--debts", "examples/debts.toml",
                                                               "--handover"]],
    ids=["pack", "handover", "debts", "debts-handover"],
)  # fmt: skip
def test_the_streamed_page_is_the_page_drawn_from_the_log_read_whole(
    seeded: None, extra: list[str], tmp_path: Path
) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    extra = [str(examples / "debts.toml") if a == "examples/debts.toml" else a for a in extra]
    situation = [] if "--debts" in extra else SITUATION
    args = ["report", "--log", *extra, *situation]
    out = tmp_path / "page.html"
    result = invoke(*args, "-o", str(out), env={"REPAYCLI_TODAY": "2026-11-21"})
    assert result.exit_code == 0, result.output
    streamed = out.read_text(encoding="utf-8")
    assert streamed == _page_from_models([*args, "-o", str(out), "--force"])
    assert 'id="entry-' in streamed and "typed twice" in streamed  # the timeline is there
    printed = invoke(*args, "-o", "-", env={"REPAYCLI_TODAY": "2026-11-21"})
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == streamed
