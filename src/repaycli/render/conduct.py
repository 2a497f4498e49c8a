"""The conduct check as text (``log conduct``, the report's evidence section)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

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
    collected: bool,
    *,
    name_of: Callable[[str], str],
    titled: bool = True,
) -> list[str]:
    """The flags as lines; ``collected``: whether the log holds any collection (if not, that is
    what it says); ``titled=False`` (the report, whose section has its own heading): without
    the title, for flags already found."""
    return list(iter_conduct_lines(flags, collected, name_of=name_of, titled=titled))


def iter_conduct_lines(
    flags: Iterable[Flag],
    collected: bool,
    *,
    name_of: Callable[[str], str],
    titled: bool = True,
) -> Iterator[str]:
    """``conduct_lines`` one line at a time (``log conduct`` writes them as they come)."""
    if titled:
        yield from (t("conduct.title"), "")
        if not collected:
            yield t("conduct.empty")
            return
    none = True
    for flag in flags:
        none = False
        name = name_of(flag.platform)
        yield t("conduct.flag", day=flag.day.isoformat(), platform=name, what=flag_what(flag))
        yield t("conduct.entries", ids=", ".join(f"#{i}" for i in flag.entry_ids))
        for citation in flag.citations:
            yield from cite(citation, platform_name=name)
        yield ""
    if none:
        yield from (t("conduct.none"), "")
    yield t("conduct.footer")
