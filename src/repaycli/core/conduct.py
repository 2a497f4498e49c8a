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


def check(
    entries: Iterable[Mapping[str, Any]],
    *,
    kinds: Mapping[str, str],
    rules: Sequence[Rule],
) -> list[Flag]:
    """The flags of ``entries`` (latest versions, as ``LogEntry.model_dump()`` gives them), in
    order of day, lender and kind. ``kinds``: platform id → platform kind (``other`` if absent)."""
    days: dict[tuple[date, str], list[tuple[datetime, Mapping[str, Any]]]] = defaultdict(list)
    for entry in entries:
        if not is_collection(entry):
            continue
        moment = local(entry["at"])
        days[(moment.date(), str(entry["platform"]))].append((moment, entry))
    flags: list[Flag] = []
    for (day, platform), found in sorted(days.items()):
        found.sort(key=lambda pair: (pair[0], pair[1]["id"]))
        kind = kinds.get(platform, "other")
        raw: list[tuple[str, tuple[int, ...], str]] = []
        night = [(m, e) for m, e in found if is_night(m)]
        if night:
            times = ", ".join(m.strftime("%H:%M") for m, _ in night)
            raw.append(("night", tuple(int(e["id"]) for _, e in night), times))
        calls = [e for _, e in found if e.get("channel") in CALL_CHANNELS]
        if len(calls) > MAX_ATTEMPTS:
            raw.append(("attempts", tuple(int(e["id"]) for e in calls), str(len(calls))))
        third = [e for _, e in found if e.get("channel") == "third_party" or e.get("third_party")]
        if third:
            who = ", ".join(dict.fromkeys(str(e.get("third_party") or "?") for e in third))
            raw.append(("third_party", tuple(int(e["id"]) for e in third), who))
        for threat in THREATS:
            shown = [e for _, e in found if threat in (e.get("threats") or ())]
            if not shown:
                continue
            ids = tuple(int(e["id"]) for e in shown)
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
