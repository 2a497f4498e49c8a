"""Issue 13: ``remind --ics`` writes its feed line by line — the bytes ``icalendar`` wrote — and
holds what is overdue and the next 90 days (``--all``: everything)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import invoke
from repaycli import store
from repaycli.core.due import DueInstallment, OpenFollowUp
from repaycli.core.reminders import calendar_items
from repaycli.render.ics import calendar_chunks

TODAY = {"REPAYCLI_TODAY": "2028-02-01"}


# --- the calendar feed -------------------------------------------------------------------------


def _icalendar_feed(items: list[Any], stamp: datetime) -> bytes:
    """The feed as ``icalendar`` builds it (how render/ics.py made it before issue 13)."""
    from icalendar import Alarm, Calendar, Event

    from repaycli.core.reminders import ItemKind
    from repaycli.i18n import t
    from repaycli.render.remind import describe, platform_namer

    name = platform_namer()
    cal = Calendar()
    cal.add("prodid", "-//repaycli//remind//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("remind.ics_calendar"))
    cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for item in items:
        summary = describe(item, name, calendar=True)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", summary)
        if item.kind is ItemKind.INSTALLMENT:
            event.add("description", t("remind.ics_description"))
        else:
            event.add("description", t("remind.ics_description_follow_up", entry=item.entry_id))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [item.kind.value])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -timedelta(hours=15))
        alarm.add("description", t("remind.ics_alarm", summary=summary))
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


actions = st.text(
    st.characters(exclude_categories=["Cs"]) | st.sampled_from("\\;,\n\r^N 花呗还款"), max_size=90
)


@settings(max_examples=60, deadline=None)
@given(action=actions, lang=st.sampled_from(["en", "zh"]), day=st.integers(0, 400))
def test_calendar_bytes_are_what_icalendar_writes(action: str, lang: str, day: int) -> None:
    from repaycli.i18n import set_lang

    set_lang(lang)
    as_of = date(2028, 2, 1)
    due = as_of + timedelta(days=day - 30)
    installments = [
        DueInstallment(
            agreement_id=7,
            platform="huabei",
            n=3,
            due=due,
            left=Decimal("1234.50"),
        )
    ]
    follow = [OpenFollowUp(entry_id=42, platform="no_such", follow_up=due, action=action or None)]
    items = calendar_items(installments, follow, as_of=as_of)
    stamp = datetime(2028, 2, 1, 8, 30, 5, tzinfo=UTC)
    ours = "".join(calendar_chunks(items, stamp=stamp)).encode("utf-8")
    assert ours == _icalendar_feed(items, stamp)
    local = stamp.astimezone(timezone(timedelta(hours=8)))  # DTSTAMP is written in UTC
    assert "".join(calendar_chunks(items, stamp=local)).encode("utf-8") == ours


def test_feed_holds_overdue_and_90_days_and_all_of_it_with_all(
    _isolated: Path, tmp_path: Path
) -> None:
    from repaycli.core.dates import monthly_due_dates

    with store.opened() as conn:
        schedule = [(d, 100_000) for d in monthly_due_dates(date(2028, 1, 15), 6)]
        store.add_agreement(
            conn, platform="huabei", schedule=schedule, recorded_at=datetime(2028, 1, 1, tzinfo=UTC)
        )
    feed = tmp_path / "feed.ics"

    def days_in_feed(*extra: str) -> list[str]:
        result = invoke("remind", "--ics", str(feed), *extra, env=TODAY)
        assert result.exit_code == 0, result.output
        return re.findall(r"DTSTART;VALUE=DATE:(\d+)", feed.read_text(encoding="utf-8"))

    assert days_in_feed() == ["20280115", "20280215", "20280315", "20280415"]  # to 2028-05-01
    assert days_in_feed("--all") == [
        "20280115", "20280215", "20280315", "20280415", "20280515", "20280615"
    ]  # fmt: skip
    line = invoke("remind", "--crontab", "--ics", str(feed), "--all").stdout
    assert line.rstrip().endswith(f"--ics {feed} --all")


@settings(max_examples=400, deadline=None)
@given(
    line=st.text(st.sampled_from("ab\\^,; 花é"), min_size=60, max_size=300)
    | st.text(st.sampled_from("x\\^"), min_size=70, max_size=160)
)
def test_fold_is_icalendars(line: str) -> None:
    from icalendar.parser.string import _foldline

    from repaycli.render.ics import fold

    assert fold(line) == _foldline(line)
