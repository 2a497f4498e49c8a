"""The iCalendar (RFC 5545) feed written by ``repaycli remind --ics FILE``.

Built with the ``icalendar`` library (imported only here, so only ``--ics`` pays for it). Each
installment and follow-up is an all-day event with a stable UID — ``installment-<agreement>-<n>
@repaycli`` or ``followup-<entry>@repaycli`` — so a calendar that re-reads the feed updates the
event instead of adding a second one, and drops it once it is paid or closed. Each event has a
display alarm at 09:00 the day before (``TRIGGER:-PT15H`` from the start of the day).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from repaycli.core.reminders import ItemKind, Reminder
from repaycli.files import write_private
from repaycli.i18n import t
from repaycli.render.remind import PlatformName, describe, platform_namer

PRODID = "-//repaycli//remind//EN"
#: The alarm fires this long before the (all-day) event starts: 09:00 the day before.
ALARM_BEFORE = timedelta(hours=15)
#: How often a subscribed calendar should fetch the feed again.
REFRESH = timedelta(hours=12)  # also X-PUBLISHED-TTL:PT12H below


def _description(item: Reminder) -> str:
    if item.kind is ItemKind.INSTALLMENT:
        return t("remind.ics_description")
    return t("remind.ics_description_follow_up", entry=item.entry_id)


def build_calendar(
    items: Sequence[Reminder], *, stamp: datetime, name: PlatformName | None = None
) -> Calendar:
    """One VEVENT (with one VALARM) per item; ``stamp`` (aware) is the DTSTAMP of every event."""
    name = name or platform_namer()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("remind.ics_calendar"))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for item in items:
        summary = describe(item, name, calendar=True)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        if item.due >= date.max:  # an all-day event ends the next day; 9999-12-31 has none
            continue
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", _description(item))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [item.kind.value])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -ALARM_BEFORE)
        alarm.add("description", t("remind.ics_alarm", summary=summary))
        event.add_component(alarm)
        cal.add_component(event)
    return cal


def write_calendar(
    target: Path, items: Sequence[Reminder], *, stamp: datetime, name: PlatformName | None = None
) -> int:
    """Write the feed to ``target`` (atomically for a regular file; a device or pipe is written
    to, never replaced); return the number of events."""
    shown = [item for item in items if item.due < date.max]
    write_private(target, build_calendar(shown, stamp=stamp, name=name).to_ical())
    return len(shown)


def is_feed(target: Path) -> bool:
    """Whether ``target`` holds a feed this command wrote (which ``--ics`` may replace without
    ``--force``: cron refreshes it every morning)."""
    try:
        if not stat.S_ISREG(os.lstat(target).st_mode):  # never open a FIFO to look at it
            return False
        with target.open("rb") as handle:
            head = handle.read(256)
    except OSError:
        return False
    return head.startswith(b"BEGIN:VCALENDAR") and PRODID.encode() in head
