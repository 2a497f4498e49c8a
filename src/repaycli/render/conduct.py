"""The conduct check as text (``log conduct``, the report's evidence section)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from repaycli.core.conduct import Citation, Flag, Rule
from repaycli.i18n import get_lang, t


def flag_what(flag: Flag) -> str:
    if flag.kind == "night":
        return t("conduct.night", times=flag.detail)
    if flag.kind == "attempts":
        return t("conduct.attempts", count=flag.detail)
    if flag.kind == "third_party":
        return t("conduct.third_party", who=flag.detail)
    if flag.kind == "personal_account":
        return t("conduct.personal_account")
    return t("conduct.threat", threat=t(f"threat.{flag.detail}"))


def source_text(rule: Rule) -> str:
    """A rule's source as it may be cited: with its date, and "according to" it when it was
    read only second-hand."""
    lang = get_lang()
    dated = (f"（{rule.date}）" if lang == "zh" else f" ({rule.date})") if rule.date else ""
    source = rule.source[lang] + dated
    if rule.confidence != "P":
        source = t(
            "conduct.according",
            source=source,
            confidence=t(f"conduct.confidence_{rule.confidence}"),
        )
    return source


def cite(citation: Citation, *, platform_name: str) -> list[str]:
    """A rule as it may be cited: its text and source; the lenders it covers when it covers
    only some."""
    lang = get_lang()
    rule = citation.rule
    lines = [t("conduct.rule", text=rule.text[lang], source=source_text(rule))]
    if citation.applies == "if":
        lines.append(t("conduct.applies_if", who=rule.who[lang], platform=platform_name))
    return lines


def conduct_lines(
    flags: Sequence[Flag],
    entries: Sequence[Mapping[str, Any]],
    *,
    name_of: Callable[[str], str],
    titled: bool = True,
) -> list[str]:
    """The flags as lines; ``titled=False`` (the report, whose section has its own heading):
    without the title, for flags already found (``entries`` unused)."""
    lines = [t("conduct.title"), ""] if titled else []
    if titled and not any(_collected(e) for e in entries):
        return [*lines, t("conduct.empty")]
    if not flags:
        return [*lines, t("conduct.none"), "", t("conduct.footer")]
    for flag in flags:
        name = name_of(flag.platform)
        lines.append(
            t("conduct.flag", day=flag.day.isoformat(), platform=name, what=flag_what(flag))
        )
        lines.append(t("conduct.entries", ids=", ".join(f"#{i}" for i in flag.entry_ids)))
        for citation in flag.citations:
            lines.extend(cite(citation, platform_name=name))
        lines.append("")
    lines.append(t("conduct.footer"))
    return lines


def _collected(entry: Mapping[str, Any]) -> bool:
    from repaycli.core.conduct import is_collection

    return is_collection(entry)
