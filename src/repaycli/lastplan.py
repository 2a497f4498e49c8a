"""Reading the result ``repaycli plan`` saved last (``paths.last_plan_path()``), defensively.

Only the parts ``offer`` and ``letter`` use are read; unknown keys are ignored so the plan's JSON
can grow. A missing file is ``None``; a file that cannot be used raises ``Failure``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from repaycli.errors import Failure
from repaycli.safeload import loads_json, read_text

#: The newest ``schema_version`` of the plan JSON this version can read (``PlanResult``).
SCHEMA_VERSION = 3


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SavedInstallment(_Lenient):
    n: int
    due: date
    amount: Decimal


class SavedProposal(_Lenient):
    id: str
    kind: str = "installments"
    platform: str | None = None
    periods: int = Field(ge=1)
    payment: Decimal = Field(ge=0)
    total: Decimal = Field(ge=0)
    deferral_months: int = 0
    basis: str | None = None
    down_payment: Decimal = Decimal(0)
    waived: Decimal = Decimal(0)
    payment_after: Decimal | None = None
    interest_free: bool | None = None
    apr_percent: Decimal | None = None
    apr_compound_percent: Decimal | None = None
    affordable: bool | None = None
    schedule: list[SavedInstallment] = Field(default_factory=list)


class SavedDebt(_Lenient):
    platform: str
    platform_name: str | None = None
    overdue: Decimal = Field(gt=0)
    principal: Decimal | None = None
    days_overdue: int = 0


class SavedAffordability(_Lenient):
    limit: Decimal | None = None
    basis: str | None = None
    income: Decimal | None = None
    expenses: Decimal | None = None
    disposable: Decimal | None = None


class SavedHardship(_Lenient):
    pause_months: int = Field(ge=1)
    write_again: date


class SavedLadder(_Lenient):
    opening: str | None = None
    target: str | None = None
    walk_away_monthly: Decimal | None = None
    walk_away_after: Decimal | None = None
    walk_away_after_from: date | None = None
    hardship: SavedHardship | None = None


class SavedPlan(_Lenient):
    as_of: date | None = None
    reason: str | None = None
    recovery: date | None = None
    #: Cash in hand the plan counted on (a one-debt plan's ``--cash``).
    cash: Decimal | None = None
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
