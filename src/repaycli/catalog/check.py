"""The checks a platform from the user's own ``platforms.toml`` must pass, as a pydantic model.

``core.models.Platform`` is a plain record (``plan`` builds the shipped catalogue without
pydantic); a user's file is validated here first — the same fields, with their ranges — and the
checked values become the record. ``tests/test_plan_startup.py`` keeps the two field lists
equal. The class is named ``Platform`` so that the first line of pydantic's message, which the
user sees, names what it names since the catalogue was first checked.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from repaycli.core import models
from repaycli.core.models import PlatformKind


class Platform(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name_zh: str
    name_en: str
    aliases: list[str] = Field(default_factory=list)
    kind: PlatformKind
    hotline: str | None = None
    channels: list[str] = Field(default_factory=list)
    periods: list[Annotated[int, Field(ge=1, le=60)]] = Field(min_length=1, max_length=60)
    max_deferral_months: int = Field(ge=0, le=12)
    annual_rate: Decimal = Field(ge=0, le=10)
    penalty_rate_daily: Decimal = Field(ge=0, le=Decimal("0.1"))
    sources: dict[str, str] = Field(default_factory=dict)
    unconfirmed: list[str] = Field(default_factory=list)
    notes_zh: str = ""
    notes_en: str = ""


def checked(key: str, fields: dict[str, Any]) -> models.Platform:
    """The platform ``key`` of the merged catalogue, once its fields pass the checks."""
    valid = Platform(id=key, **fields)
    return models.Platform(**{name: getattr(valid, name) for name in Platform.model_fields})
