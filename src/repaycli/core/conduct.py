"""The conduct check: collection contacts in the log held against the rules kept as data
(``catalog/conduct_rules.toml``). Pure: entries, platform kinds and rules in; flags out.

Per lender and per local day (China time, UTC+8: the log stores each time with the offset it
was typed in, and a night call is night where the user lives) it flags contact between 22:00
and 08:00, more than 6 call attempts, contact with a third party, each threat and a demand to
pay into a personal account. Each flag names the entries that show it and the rules it may
cite: a rule whose sources disagree (confidence ``?``) is never cited, a rule that does not
cover the lender's kind is left out, and one that covers it only for some lenders (banks and
consumer-finance companies) is cited with that condition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

#: The user's local zone: mainland China keeps UTC+8 all year.
CHINA = timezone(timedelta(hours=8))
#: Collection is not allowed from 22:00 to 08:00 (local time).
NIGHT_FROM, NIGHT_UNTIL = 22, 8
#: More call attempts than this in a day to one number are flagged.
MAX_ATTEMPTS = 6
#: The threats of the checklist, in the order shown.
THREATS = (
    "third_party",
    "impersonation",
    "arrest",
    "abuse",
    "shaming",
    "personal_account",
    "extra_fees",
)
#: Channels that are the collector's doing whatever the direction says.
INCOMING_CHANNELS = frozenset(("sms", "wechat", "call_in", "visit", "third_party"))
#: Channels that are a call (an attempt, answered or not).
CALL_CHANNELS = frozenset(("phone", "call_in"))


@dataclass(frozen=True)
class Rule:
    id: str
    checks: tuple[str, ...]
    text: Mapping[str, str]
    source: Mapping[str, str]
    date: str
    who: Mapping[str, str]
    kinds: frozenset[str]
    kinds_if: frozenset[str]
    confidence: str

    @classmethod
    def from_toml(cls, data: Mapping[str, Any]) -> Rule:
        return cls(
            id=str(data["id"]),
            checks=tuple(data["checks"]),
            text={"zh": data["text_zh"], "en": data["text_en"]},
            source={"zh": data["source_zh"], "en": data["source_en"]},
            date=str(data.get("date", "")),
            who={"zh": data["who_zh"], "en": data["who_en"]},
            kinds=frozenset(data.get("kinds", ())),
            kinds_if=frozenset(data.get("kinds_if", ())),
            confidence=str(data["confidence"]),
        )

    @property
    def citable(self) -> bool:
        """Whether the rule may be printed (its sources agree)."""
        return self.confidence in ("P", "S")

    def applies(self, kind: str) -> str | None:
        """``"yes"``: the rule covers this kind of lender; ``"if"``: only if the lender is one
        it covers (``who``); ``None``: not this lender."""
        if kind in self.kinds:
            return "yes"
        if kind in self.kinds_if:
            return "if"
        return None


@dataclass(frozen=True)
class Citation:
    rule: Rule
    #: ``"yes"`` or ``"if"`` (``Rule.applies``).
    applies: str


@dataclass(frozen=True)
class Flag:
    #: ``night``, ``attempts``, ``third_party``, ``threat`` or ``personal_account``.
    kind: str
    platform: str
    day: date
    entry_ids: tuple[int, ...]
    #: The threat id (``threat``), the count (``attempts``), who (``third_party``), the local
    #: times (``night``, ``HH:MM`` joined by commas).
    detail: str
    citations: tuple[Citation, ...]

    @property
    def check(self) -> str:
        return f"threat:{self.detail}" if self.kind == "threat" else self.kind


def local(at: str | datetime) -> datetime:
    """A stored time (ISO 8601 with its offset) in China time."""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return moment.astimezone(CHINA)


def is_collection(entry: Mapping[str, Any]) -> bool:
    """A contact that came from the lender's side: logged as collection, incoming, or on a
    channel only a collector uses."""
    return (
        entry.get("collection") is True
        or entry.get("direction") == "incoming"
        or entry.get("channel") in INCOMING_CHANNELS
    )


def is_night(moment: datetime) -> bool:
    return moment.hour >= NIGHT_FROM or moment.hour < NIGHT_UNTIL


@dataclass(frozen=True, slots=True)
class _Seen:
    """What the check keeps of a collection entry until its day is done."""

    moment: datetime
    id: int
    channel: str | None
    third_party: str | None
    threats: tuple[str, ...]

    @classmethod
    def of(cls, entry: Mapping[str, Any], moment: datetime) -> _Seen:
        third = entry.get("third_party")
        return cls(
            moment=moment,
            id=int(entry["id"]),
            channel=entry.get("channel"),
            third_party=None if third is None else str(third),
            threats=tuple(entry.get("threats") or ()),
        )


def check(
    entries: Iterable[Mapping[str, Any]],
    *,
    kinds: Mapping[str, str],
    rules: Sequence[Rule],
    in_time_order: bool = False,
) -> list[Flag]:
    """The flags of ``entries`` (latest versions, as ``LogEntry.model_dump()`` gives them), in
    order of day, lender and kind. ``kinds``: platform id → platform kind (``other`` if absent).

    Only collection entries are kept, and only what the check reads of them. With
    ``in_time_order`` (entries oldest first, as the log streams them) each day is checked and
    let go when a later day begins, so memory holds one day of the log, not the whole of it."""
    days: dict[tuple[date, str], list[_Seen]] = defaultdict(list)
    flags: list[Flag] = []
    latest: date | None = None
    for entry in entries:
        if not is_collection(entry):
            continue
        moment = local(entry["at"])
        day = moment.date()
        if in_time_order and latest is not None and day > latest:
            flags += _flags(days, kinds, rules)
            days.clear()
        latest = day if latest is None else max(latest, day)
        days[(day, str(entry["platform"]))].append(_Seen.of(entry, moment))
    flags += _flags(days, kinds, rules)
    flags.sort(key=lambda flag: (flag.day, flag.platform))  # stable: kinds keep their order
    return flags


def _flags(
    days: Mapping[tuple[date, str], list[_Seen]], kinds: Mapping[str, str], rules: Sequence[Rule]
) -> list[Flag]:
    flags: list[Flag] = []
    for (day, platform), found in sorted(days.items()):
        found.sort(key=lambda seen: (seen.moment, seen.id))
        kind = kinds.get(platform, "other")
        raw: list[tuple[str, tuple[int, ...], str]] = []
        night = [s for s in found if is_night(s.moment)]
        if night:
            times = ", ".join(s.moment.strftime("%H:%M") for s in night)
            raw.append(("night", tuple(s.id for s in night), times))
        calls = [s for s in found if s.channel in CALL_CHANNELS]
        if len(calls) > MAX_ATTEMPTS:
            raw.append(("attempts", tuple(s.id for s in calls), str(len(calls))))
        third = [s for s in found if s.channel == "third_party" or s.third_party]
        if third:
            who = ", ".join(dict.fromkeys(s.third_party or "?" for s in third))
            raw.append(("third_party", tuple(s.id for s in third), who))
        for threat in THREATS:
            ids = tuple(s.id for s in found if threat in s.threats)
            if not ids:
                continue
            if threat == "personal_account":
                raw.append(("personal_account", ids, threat))
            else:
                raw.append(("threat", ids, threat))
        for flag_kind, ids, detail in raw:
            key = f"threat:{detail}" if flag_kind == "threat" else flag_kind
            citations = tuple(
                Citation(rule, applies)
                for rule in rules
                if rule.citable
                and key in rule.checks
                and (applies := rule.applies(kind)) is not None
            )
            flags.append(Flag(flag_kind, platform, day, ids, detail, citations))
    return flags


def platforms_of(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    """The lenders named in ``entries``, in the order first seen."""
    return list(dict.fromkeys(str(e["platform"]) for e in entries))
