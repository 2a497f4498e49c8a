"""The base of the models that validate what they are built from (log records, letters, offers):
pydantic models, frozen, with no unknown keys. The plan's results are plain dataclasses
(``core.models``); the ``Money``/``Rate``/``Percent`` annotations there work in both."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
