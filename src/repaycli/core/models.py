"""The data shared by the core, the store and the renderers: plain frozen records.

Amounts are ``Decimal`` yuan and serialise to JSON as strings with two places; percentages as
strings too; dates as ISO strings (``render.json.to_json``). These classes do not import
pydantic: ``repaycli plan`` builds them on every run, and pydantic (about as long to import as
typer) plus building some twenty model classes would more than double its start-up. The values
are checked where they enter — parsed options (``core.money``, ``core.inputs``), the debts file
(``cli.debts``), the user's platform file (``catalog.check``) — not by these classes. The
record, letter and offer models that validate files or saved JSON stay pydantic models
(``core.validated.Model``); the annotations below (``Money``, ``Rate``, ``Percent``) work in both.
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from repaycli.core.record import Field, Model
from repaycli.errors import BadInput, InEachLanguage


def _two_places(value: Decimal) -> str:
    return f"{value:.2f}"


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


class JsonText:
    """Annotation: the JSON text of a ``Decimal`` field (``render.json`` reads it; in a pydantic
    model it becomes pydantic's ``PlainSerializer``, built only when pydantic is in use)."""

    __slots__ = ("text",)

    def __init__(self, text: Callable[[Decimal], str]) -> None:
        self.text = text

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import PlainSerializer

        serializer = PlainSerializer(self.text, return_type=str, when_used="json")
        return serializer.__get_pydantic_core_schema__(source, handler)


#: An amount in yuan, shown with two decimal places.
Money = Annotated[Decimal, JsonText(_two_places)]
#: A percentage such as ``12.80`` (meaning 12.80 %).
Percent = Annotated[Decimal, JsonText(_two_places)]
#: A rate, as a fraction (``0.0005`` per day) or a fine percentage, shown without padding.
Rate = Annotated[Decimal, JsonText(_plain)]


class Reason(StrEnum):
    MEDICAL = "medical"
    UNEMPLOYMENT = "unemployment"
    INCOME_DROP = "income_drop"
    FAMILY_EMERGENCY = "family_emergency"
    BUSINESS_FAILURE = "business_failure"
    OVERSIGHT = "oversight"
    OTHER = "other"

    @property
    def temporary(self) -> bool:
        """Hardships that usually pass, so a deferral is a plausible ask."""
        return self in (
            Reason.MEDICAL,
            Reason.UNEMPLOYMENT,
            Reason.INCOME_DROP,
            Reason.FAMILY_EMERGENCY,
        )


class PlatformKind(StrEnum):
    BNPL = "bnpl"
    CONSUMER_LOAN = "consumer_loan"
    CREDIT_CARD = "credit_card"
    OTHER = "other"


class Platform(Model):
    """One lender or product in the catalogue. ``sources`` names the source of each figure;
    the figures listed in ``unconfirmed`` are editable defaults, not established facts."""

    id: str
    name_zh: str
    name_en: str
    aliases: list[str] = Field(default_factory=list)
    kind: PlatformKind
    hotline: str | None = None
    channels: list[str] = Field(default_factory=list)
    periods: list[int] = Field(min_length=1, max_length=60, item_ge=1, item_le=60)
    max_deferral_months: int = Field(ge=0, le=12)
    annual_rate: Rate = Field(ge=0, le=10)
    penalty_rate_daily: Rate = Field(ge=0, le=Decimal("0.1"))
    sources: dict[str, str] = Field(default_factory=dict)
    unconfirmed: list[str] = Field(default_factory=list)
    notes_zh: str = ""
    notes_en: str = ""

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


#: Names longer than this are not compared letter by letter with the catalogue's (the longest
#: there has 24 letters): the comparison takes time in the product of the two lengths, and a
#: 100,000-character ``--platform`` took seconds.
MATCH_LIMIT = 64


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().lower().replace(" ", "").replace("_", "")


class Catalogue(Model):
    platforms: list[Platform]

    def get(self, platform_id: str) -> Platform:
        for platform in self.platforms:
            if platform.id == platform_id:
                return platform
        raise KeyError(platform_id)

    def resolve(self, name: str) -> Platform:
        """The platform whose id, Chinese or English name or alias matches ``name``."""
        wanted = _key(name)
        if not wanted:
            raise BadInput("err.platform_empty")
        for platform in self.platforms:
            names = [platform.id, platform.name_zh, platform.name_en, *platform.aliases]
            if wanted in {_key(n) for n in names}:
                return platform
        if len(wanted) > MATCH_LIMIT:  # no platform is named like that: no guessing either
            raise BadInput("err.platform_unknown", value=name)
        every = {
            _key(n): platform.id
            for platform in self.platforms
            for n in [platform.id, platform.name_zh, platform.name_en, *platform.aliases]
        }
        suggestions = _closest(wanted, every)
        if not suggestions:
            suggestions = [p.id for p in self.platforms if wanted in _key(p.name_en)][:3]
        if suggestions:
            near = [self.get(pid) for pid in suggestions]
            shown = InEachLanguage(
                zh="、".join(p.name_zh for p in near), en=", ".join(p.name_en for p in near)
            )
            raise BadInput("err.platform_unknown_suggest", value=name, ids=shown)
        raise BadInput("err.platform_unknown", value=name)


def _closest(wanted: str, every: dict[str, str]) -> list[str]:
    """The ids whose names come closest to ``wanted`` (at most three): the best-scoring ones,
    and among equals those sharing the longest start (``huabay``: huabei, not huaxia)."""
    import difflib  # here: only a name not found needs it

    scored: dict[str, tuple[float, int]] = {}
    for key, pid in every.items():
        ratio = difflib.SequenceMatcher(None, wanted, key).ratio()
        if ratio < 0.5:
            continue
        prefix = len(os.path.commonprefix([wanted, key]))
        scored[pid] = max(scored.get(pid, (0.0, 0)), (ratio, prefix))
    if not scored:
        return []
    best = max(scored.values())
    close = [pid for pid, score in scored.items() if score[0] >= best[0] - 0.1]
    close.sort(key=lambda pid: scored[pid], reverse=True)
    if len(close) > 1 and scored[close[0]] > scored[close[1]] and scored[close[0]][1] >= 3:
        return close[:1]  # one clearly better: name only that one
    return close[:3]


class Debt(Model):
    """One overdue debt as the user describes it. ``overdue`` = principal + interest due +
    penalty/fees; any part the user gives is used as given (``core.balance`` estimates the rest)."""

    platform: Platform
    overdue: Money = Field(gt=0)
    principal: Money | None = None
    interest_due: Money | None = Field(default=None, ge=0)
    penalty: Money | None = Field(default=None, ge=0)
    days_overdue: int = Field(default=0, ge=0)
    annual_rate: Rate | None = None
    penalty_rate_daily: Rate | None = None

    @property
    def contract_rate(self) -> Decimal:
        return self.platform.annual_rate if self.annual_rate is None else self.annual_rate

    @property
    def penalty_rate(self) -> Decimal:
        if self.penalty_rate_daily is None:
            return self.platform.penalty_rate_daily
        return self.penalty_rate_daily


class Situation(Model):
    """The user's finances and circumstances; ``today`` is the date the plan is made."""

    today: date
    income: Money = Field(ge=0)
    expenses: Money | None = Field(default=None, ge=0)
    cash: Money | None = Field(default=None, ge=0)
    reason: Reason | None = None
    recovery: date | None = None
    start: date
    share_of_disposable: Percent = Decimal(50)
    share_of_income: Percent = Decimal(30)
    #: Monthly income from the recovery date on (a second limit applies from then).
    income_after: Money | None = Field(default=None, ge=0)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Installment:
    """A real dataclass (not a ``Model``): the offer and letter models (pydantic) hold it."""

    n: int
    due: date
    amount: Money


class ProposalKind(StrEnum):
    """The kinds of proposal, most favourable to the user first."""

    PAY_NOW = "pay_now"
    LUMP_SUM = "lump_sum"
    PARTIAL_LUMP_SUM = "partial_lump_sum"
    PRINCIPAL_ONLY = "principal_only"
    PENALTY_WAIVED = "penalty_waived"
    INSTALLMENTS = "installments"
    CARD_PERSONALISED = "card_personalised"
    STEPPED = "stepped"
    DEFERRAL = "deferral"


class Basis(StrEnum):
    """Which part of the overdue balance a proposal repays."""

    #: principal + interest due + penalty/fees: nothing waived.
    FULL_BALANCE = "full_balance"
    #: principal + interest due: the penalty and fees waived.
    WITHOUT_PENALTY = "without_penalty"
    #: the principal alone: interest due, penalty and fees waived.
    PRINCIPAL = "principal"


class Proposal(Model):
    id: str
    kind: ProposalKind
    platform: str
    periods: int
    interest_free: bool
    annual_rate_percent: Percent
    deferral_months: int = 0
    basis: Basis
    #: The part of the overdue balance this proposal repays (before any future interest).
    balance: Money
    #: The part of ``balance`` that bears contract interest in this plan (0 when interest-free).
    interest_bearing: Money
    #: What the lender is asked to give up: overdue − balance.
    waived: Money
    #: Paid now from cash, before the installments (a lump sum, or part of one).
    down_payment: Money
    payment: Money
    #: A stepped plan's payment once the limit after recovery applies.
    payment_after: Money | None = None
    total: Money
    cost: Money
    apr_percent: Percent
    apr_compound_percent: Percent
    share_percent: Percent | None
    affordable: bool
    #: Within the platform's standard periods (and deferral limit); else it needs negotiation.
    standard: bool
    needs_negotiation: bool
    schedule: list[Installment]


class Affordability(Model):
    limit: Money
    basis: str
    share_percent: Percent
    income: Money
    expenses: Money | None
    #: income − expenses, never below 0 (``deficit`` says by how much expenses exceed income).
    disposable: Money
    deficit: Money | None = None
    income_after: Money | None = None
    disposable_after: Money | None = None
    #: The second limit, in force from ``limit_after_from`` (the recovery date).
    limit_after: Money | None = None
    limit_after_from: date | None = None

    def limit_on(self, day: date) -> Decimal:
        """The monthly limit in force on ``day``."""
        if self.limit_after is not None and self.limit_after_from is not None:
            if day >= self.limit_after_from:
                return self.limit_after
        return self.limit


class CostOfWaiting(Model):
    penalty_rate_daily_percent: Rate
    per_day: Money
    next_30_days: Money
    next_90_days: Money


class HardshipRoute(Model):
    """What to do when no plan fits: ask for a pause, write, and get help."""

    #: Months of no payments to ask for; the user writes again on ``write_again``.
    pause_months: int
    write_again: date
    #: The payment that would be needed to clear the debt over ``needed_periods`` months.
    needed_payment: Money
    needed_periods: int
    deficit: Money | None
    legal_aid: str = "12348"
    #: Personal bankruptcy exists only in the Shenzhen SEZ (for its residents): a pointer.
    bankruptcy: str = "shenzhen"


class Ladder(Model):
    opening: str | None
    target: str | None
    walk_away_monthly: Money
    walk_away_after: Money | None = None
    walk_away_after_from: date | None = None
    nothing_affordable: bool
    needed_payment: Money | None
    hardship: HardshipRoute | None = None


class ChecklistItem(Model):
    id: str
    text: str


class ChecklistStage(Model):
    id: str
    title: str
    items: list[ChecklistItem]


class Checklist(Model):
    stages: list[ChecklistStage]


class LogField(Model):
    """One field of the call log, shared by the plan's template and ``log add``."""

    name: str
    kind: str
    required: bool = False
    choices: list[str] = Field(default_factory=list)


class LogTemplate(Model):
    fields: list[LogField]


class DebtSummary(Model):
    platform: str
    platform_name: str
    kind: PlatformKind
    hotline: str | None
    overdue: Money
    principal: Money
    principal_estimated: bool
    interest_due: Money
    interest_estimated: bool
    penalty: Money
    penalty_estimated: bool
    days_overdue: int
    annual_rate_percent: Rate
    penalty_rate_daily_percent: Rate
    unconfirmed: list[str]


class PlanResult(Model):
    schema_version: int = 2
    as_of: date
    lang: str
    reason: Reason | None
    recovery: date | None
    cash: Money | None
    debts: list[DebtSummary]
    affordability: Affordability
    cost_of_waiting: CostOfWaiting
    proposals: list[Proposal]
    ladder: Ladder
    checklist: Checklist
    log_template: LogTemplate
