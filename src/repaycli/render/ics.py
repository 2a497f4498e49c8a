"""The iCalendar (RFC 5545) feed written by ``repaycli remind --ics FILE``.

Each installment and follow-up is an all-day event with a stable UID — ``installment-<agreement>-<n>
@repaycli`` or ``followup-<entry>@repaycli`` — so a calendar that re-reads the feed updates the
event instead of adding a second one, and drops it once it is paid or closed. Each event has a
display alarm at 09:00 the day before (``TRIGGER:-PT15H`` from the start of the day).

The lines are written here directly, event by event, rather than built as ``icalendar`` objects
(0.9 ms an event): the bytes are those ``icalendar`` 7 writes for the same calendar — property
order, TEXT escaping, folding at 75 octets — and ``tests/test_scale.py`` compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from repaycli.core.reminders import ItemKind, Reminder
from repaycli.files import private_file
from repaycli.i18n import t
from repaycli.render.remind import PlatformName, describe, platform_namer

PRODID = "-//repaycli//remind//EN"
#: The alarm fires this long before the (all-day) event starts: 09:00 the day before.
ALARM_BEFORE = timedelta(hours=15)
#: How often a subscribed calendar should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = "PT12H"
#: Longest line in octets (excluding CRLF) before it is folded.
FOLD_AT = 75


def text(value: str) -> str:
    """An RFC 5545 TEXT value, escaped as ``icalendar`` escapes it (a typed ``\\N`` is a line
    break, as in iCalendar itself)."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded into lines of fewer than ``FOLD_AT`` octets (each continuation
    starts with a space), never inside a UTF-8 character nor right after an escaping backslash."""
    if len(line) < FOLD_AT // 4 or len(line.encode("utf-8")) < FOLD_AT:
        return line
    if line.isascii():  # one octet a character: cut by position
        return "\r\n ".join(_ascii_parts(line))
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _ascii_parts(line: str) -> list[str]:
    """``fold``'s pieces of an ASCII line: ``FOLD_AT - 1`` characters each, one fewer when the
    last would be an escaping backslash (it starts the next piece instead)."""
    parts: list[str] = []
    start = 0
    while len(line) - start >= FOLD_AT:
        end = start + FOLD_AT - 1
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return parts


def _description(item: Reminder) -> str:
    if item.kind is ItemKind.INSTALLMENT:
        return t("remind.ics_description")
    return t("remind.ics_description_follow_up", entry=item.entry_id)


def _event(item: Reminder, dtstamp: str, name: PlatformName) -> str:
    summary = describe(item, name, calendar=True)
    lines = (
        "BEGIN:VEVENT",
        f"SUMMARY:{text(summary)}",
        f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{item.due + timedelta(days=1):%Y%m%d}",
        f"DTSTAMP:{dtstamp}",
        f"UID:{text(item.uid)}",
        f"CATEGORIES:{text(item.kind.value)}",
        f"DESCRIPTION:{text(_description(item))}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{text(t('remind.ics_alarm', summary=summary))}",
        "TRIGGER:-PT15H",
        "END:VALARM",
        "END:VEVENT",
    )
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_chunks(
    items: Iterable[Reminder], *, stamp: datetime, name: PlatformName | None = None
) -> Iterator[str]:
    """The feed as text, one event at a time; ``stamp`` (aware) is every event's DTSTAMP, in UTC
    as RFC 5545 requires."""
    name = name or platform_namer()
    dtstamp = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    head = (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text(t('remind.ics_calendar'))}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    )
    yield "".join(fold(line) + "\r\n" for line in head)
    for item in items:
        yield _event(item, dtstamp, name)
    yield "END:VCALENDAR\r\n"


def write_calendar(
    target: Path, items: Iterable[Reminder], *, stamp: datetime, name: PlatformName | None = None
) -> int:
    """Write the feed to ``target`` as it is produced (atomically for a regular file; a device or
    pipe is written to, never replaced); return the number of events."""
    count = 0
    with private_file(target) as handle:
        for chunk in calendar_chunks(items, stamp=stamp, name=name):
            handle.write(chunk.encode("utf-8"))
            count += chunk.startswith("BEGIN:VEVENT")
    return count
