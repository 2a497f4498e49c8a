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

import os
import re
import stat
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
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


#: The characters ``text`` changes (a summary usually holds only the comma of an amount).
_SPECIAL = re.compile(r"[\\;,\r\n]")
#: The characters whose replacements interact (``\\N``, CR LF): the full sequence is needed.
_HARD = re.compile(r"[\\\r\n]")


def text(value: str) -> str:
    """An RFC 5545 TEXT value, escaped as ``icalendar`` escapes it (a typed ``\\N`` is a line
    break, as in iCalendar itself)."""
    if _SPECIAL.search(value) is None:
        return value
    if _HARD.search(value) is None:  # only commas or semicolons (amounts: ``1,234.00``)
        return value.replace(";", "\\;").replace(",", "\\,")
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
    starts with a space), never inside a UTF-8 character nor right after an escaping backslash —
    as ``icalendar`` folds (``tests/test_ics_feed.py`` compares the two)."""
    if len(line) < FOLD_AT // 4:
        return line
    if line.isascii():  # one octet a character: the same cuts, made on the text
        if len(line) < FOLD_AT:
            return line
        pieces: list[str] = []
        begin = 0
        while len(line) - begin >= FOLD_AT:
            end = begin + FOLD_AT - 1
            if line[end - 1] in "\\^" and end - 1 > begin:
                end -= 1
            pieces.append(line[begin:end])
            begin = end
        pieces.append(line[begin:])
        return "\r\n ".join(pieces)
    data = line.encode("utf-8")
    if len(data) < FOLD_AT:
        return line
    parts: list[str] = []
    start = 0
    while len(data) - start >= FOLD_AT:
        cut = start + FOLD_AT - 1  # the most a piece holds: FOLD_AT - 1 octets
        while data[cut] & 0xC0 == 0x80:  # not inside a character
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > start:  # an escape starts the next piece
            cut -= 1
        parts.append(data[start:cut].decode("utf-8"))
        start = cut
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


def _description(item: Reminder) -> str:
    if item.kind is ItemKind.INSTALLMENT:
        return t("remind.ics_description")
    return t("remind.ics_description_follow_up", entry=item.entry_id)


def _day(day: date) -> str:
    return day.isoformat().replace("-", "")


@lru_cache(maxsize=1024)
def _dates(due: date) -> str:
    """An all-day event's DTSTART and DTEND lines (a long feed has many events a day)."""
    return f"DTSTART;VALUE=DATE:{_day(due)}\r\nDTEND;VALUE=DATE:{_day(due + timedelta(days=1))}\r\n"


def _event(item: Reminder, dtstamp: str, name: PlatformName, installment_description: str) -> str:
    """One VEVENT with its VALARM. UIDs and categories are made of letters, digits, ``-`` and
    ``@`` only, and the other fixed lines are short: only the texts need escaping and folding."""
    summary = describe(item, name, calendar=True)
    description = (
        installment_description
        if item.kind is ItemKind.INSTALLMENT
        else fold(f"DESCRIPTION:{text(_description(item))}")
    )
    alarm = fold(f"DESCRIPTION:{text(t('remind.ics_alarm', summary=summary))}")
    return (
        f"BEGIN:VEVENT\r\n{fold(f'SUMMARY:{text(summary)}')}\r\n"
        f"{_dates(item.due)}DTSTAMP:{dtstamp}\r\nUID:{item.uid}\r\nCATEGORIES:{item.kind.value}\r\n"
        f"{description}\r\nTRANSP:TRANSPARENT\r\n"
        f"BEGIN:VALARM\r\nACTION:DISPLAY\r\n{alarm}\r\nTRIGGER:-PT15H\r\n"
        "END:VALARM\r\nEND:VEVENT\r\n"
    )


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
    installment_description = fold(f"DESCRIPTION:{text(t('remind.ics_description'))}")
    for item in items:
        if item.due >= date.max:  # an all-day event ends the next day; 9999-12-31 has none
            continue
        yield _event(item, dtstamp, name, installment_description)
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
