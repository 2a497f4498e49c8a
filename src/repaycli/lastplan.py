"""Reading the result ``repaycli plan`` saved last (``paths.last_plan_path()``), defensively.

Only the parts ``offer`` and ``letter`` use are read; unknown keys are ignored so the plan's JSON
can grow. A missing file is ``None``; a file that cannot be used raises ``Failure``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from repaycli.errors import Failure
from repaycli.safeload import loads_json, read_text

#: The newest ``schema_version`` of the plan JSON this version can read (``PlanResult``).
SCHEMA_VERSION = 3


#: A hand-edited file can say anything: amounts stay finite and within what a plan can hold,
#: dates within the years a plan can reach, so nothing downstream overflows (``1e999``, 9999).
_LIMIT = Decimal(10) ** 12


def _in_years(day: date) -> date:
    if not date(1970, 1, 1) <= day <= date(2999, 12, 31):
        raise ValueError(f"{day} is outside 1970 … 2999")
    return day


Amount = Annotated[Decimal, Field(allow_inf_nan=False, ge=-_LIMIT, le=_LIMIT)]
Day = Annotated[date, AfterValidator(_in_years)]
Count = Annotated[int, Field(ge=0, le=10_000)]
Name = Annotated[str, Field(max_length=1000)]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SavedInstallment(_Lenient):
    n: Count
    due: Day
    amount: Amount


class SavedProposal(_Lenient):
    id: Name
    kind: Name = "installments"
    platform: Name | None = None
    periods: Count = Field(ge=1)
    payment: Amount = Field(ge=0)
    total: Amount = Field(ge=0)
    deferral_months: Count = 0
    basis: Name | None = None
    down_payment: Amount = Decimal(0)
    waived: Amount = Decimal(0)
    payment_after: Amount | None = None
    interest_free: bool | None = None
    apr_percent: Amount | None = None
    apr_compound_percent: Amount | None = None
    affordable: bool | None = None
    schedule: list[SavedInstallment] = Field(default_factory=list)


class SavedDebt(_Lenient):
    platform: Name
    platform_name: Name | None = None
    overdue: Amount = Field(gt=0)
    principal: Amount | None = None
    days_overdue: Count = 0


class SavedAffordability(_Lenient):
    limit: Amount | None = None
    basis: Name | None = None
    income: Amount | None = None
    expenses: Amount | None = None
    disposable: Amount | None = None


class SavedHardship(_Lenient):
    pause_months: Count = Field(ge=1)
    write_again: Day


class SavedLadder(_Lenient):
    opening: Name | None = None
    target: Name | None = None
    walk_away_monthly: Amount | None = None
    walk_away_after: Amount | None = None
    walk_away_after_from: Day | None = None
    hardship: SavedHardship | None = None


class SavedPlan(_Lenient):
    as_of: Day | None = None
    reason: Name | None = None
    recovery: Day | None = None
    #: Cash in hand the plan counted on (a one-debt plan's ``--cash``).
    cash: Amount | None = None
    debts: list[SavedDebt] = Field(default_factory=list)
    affordability: SavedAffordability | None = None
    proposals: list[SavedProposal] = Field(default_factory=list)
    ladder: SavedLadder | None = None

    def proposal(self, proposal_id: str, platform: str | None = None) -> SavedProposal | None:
        for proposal in self.proposals:
            if proposal.id == proposal_id and (platform is None or proposal.platform == platform):
                return proposal
        return None


def _ladder(value: Any) -> Any:
    # A several-debt plan may hold one ladder per debt; the letter then needs --proposal.
    return value if isinstance(value, dict) else None


def read_last_plan(path: Path) -> SavedPlan | None:
    """The saved plan, ``None`` when there is none; ``Failure`` when it cannot be used."""
    try:
        text = read_text(path, limit=64 * 1024 * 1024)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise Failure("lastplan.err.unreadable", path=str(path), detail=str(exc)) from exc
    try:
        data = loads_json(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        version = data.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError(f"schema_version {version!r} is not a whole number")
    except ValueError as exc:
        raise Failure("lastplan.err.unreadable", path=str(path), detail=str(exc)) from exc
    if version > SCHEMA_VERSION:
        # Its fields may mean something else now: read none of them.
        raise Failure("lastplan.err.newer", path=str(path), version=version)
    try:
        data = {**data, "ladder": _ladder(data.get("ladder"))}
        return SavedPlan.model_validate(data)
    except (ValueError, ValidationError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise Failure("lastplan.err.unreadable", path=str(path), detail=detail) from exc
