"""Composes the call checklist from its data file and the user's situation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repaycli.core.models import (
    Checklist,
    ChecklistItem,
    ChecklistStage,
    PlatformKind,
    Reason,
)
from repaycli.core.record import Field, Model


class ChecklistEntry(Model):
    stage: str
    id: str
    zh: str
    en: str
    when: str | None = None
    when_kind: list[PlatformKind] = Field(default_factory=list)
    when_reason: list[Reason] = Field(default_factory=list)


class ChecklistSource(Model):
    """``catalog/checklist.toml`` as loaded."""

    stages: list[str]
    titles: dict[str, dict[str, str]]
    documents: dict[str, list[str]]
    item: list[ChecklistEntry]

    @classmethod
    def from_toml(cls, data: Mapping[str, Any]) -> ChecklistSource:
        """The shipped file's tables, trusted as they are (kinds and reasons made enums)."""
        items = [
            ChecklistEntry(
                **{
                    **entry,
                    "when_kind": [PlatformKind(k) for k in entry.get("when_kind", [])],
                    "when_reason": [Reason(r) for r in entry.get("when_reason", [])],
                }
            )
            for entry in data["item"]
        ]
        return cls(
            stages=list(data["stages"]),
            titles=dict(data["titles"]),
            documents=dict(data["documents"]),
            item=items,
        )


def documents_for(source: ChecklistSource, reason: Reason | None, lang: str) -> list[str]:
    """The documents to prepare: the common ones plus those for the hardship reason."""
    docs = list(source.documents.get(f"common_{lang}", []))
    if reason is not None:
        docs += source.documents.get(f"{reason.value}_{lang}", [])
    return docs


def compose_checklist(
    source: ChecklistSource,
    *,
    lang: str,
    kind: PlatformKind,
    reason: Reason | None,
    conditions: set[str],
    values: Mapping[str, str],
) -> Checklist:
    """The items that apply, grouped by stage, with ``values`` filled into their placeholders.

    ``conditions`` holds the names that ``when`` may test (``has_hotline``, …).
    """
    separator = "、" if lang == "zh" else ", "
    filled = {**values, "documents": separator.join(documents_for(source, reason, lang))}
    stages: list[ChecklistStage] = []
    for stage in source.stages:
        items = [
            ChecklistItem(
                id=entry.id, text=(entry.zh if lang == "zh" else entry.en).format(**filled)
            )
            for entry in source.item
            if entry.stage == stage
            and (entry.when is None or entry.when in conditions)
            and (not entry.when_kind or kind in entry.when_kind)
            and (not entry.when_reason or (reason is not None and reason in entry.when_reason))
        ]
        stages.append(ChecklistStage(id=stage, title=source.titles[lang][stage], items=items))
    return Checklist(stages=stages)
