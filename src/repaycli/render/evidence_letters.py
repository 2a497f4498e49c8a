"""The complaint, credit-report dispute and collection letters as plain text (the default: it
can be sent as it is, and is not hard-wrapped, like the hardship letter) or markdown.

The wording lives in the message catalogues (``i18n/*/evidence.toml``, section ``eletter``);
text the user typed is shown literally (``markdown_text`` / ``safe_text``). Placeholders in
brackets (【姓名】, [Your name]) are for the user to fill in by hand.
"""

from __future__ import annotations

from collections.abc import Callable

from repaycli.core.evidence_letters import EvidenceLetter
from repaycli.core.records import LogEntry
from repaycli.i18n import get_lang, t
from repaycli.render import letter_words as words
from repaycli.render.log import channel_text, field_value, platform_name
from repaycli.render.safe import markdown_text, safe_text

#: The fields quoted for each contact in the timeline (when given).
QUOTED = ("agent", "ref", "offered", "agreed_terms", "confirmation", "notes")


def compose(letter: EvidenceLetter, *, markdown: bool = False) -> str:
    """The whole letter: headings are numbered lines (``一、事由`` / ``1. What this is about``),
    marked ``##`` only in markdown; dates and times as the letter's language writes them."""
    kind = letter.kind.value
    lender = platform_name(letter.platform) if letter.platform else t("eletter.lender_any")
    numbered = iter(range(1, 20))

    def text(value: str) -> str:
        value = " ".join(value.split())
        return markdown_text(value) if markdown else safe_text(value)

    def heading(title: str) -> list[str]:
        line = words.section(next(numbered), title)
        return ["", "## " + line if markdown else line, ""]

    title = t(f"eletter.{kind}.title")
    lines = ["# " + title if markdown else title, ""]
    lines += [
        t(f"eletter.{kind}.to"),
        "",
        t("eletter.from"),
        "",
        t("eletter.date", day=words.day(letter.day)),
    ]
    lines += heading(t("eletter.about"))
    lines.append(t(f"eletter.{kind}.about", lender=text(lender)))
    lines += heading(t("eletter.facts"))
    told = words.closed(" ".join(letter.details.split()), get_lang()) if letter.details else ""
    lines.append(text(told) if told else t(f"eletter.{kind}.facts_placeholder"))
    lines += heading(t("eletter.timeline"))
    if not letter.timeline:
        lines.append(t("eletter.no_contacts"))
    for entry in letter.timeline:
        lines += _contact(entry, text)
    if letter.agreed is not None and kind != "dispute":
        lines += heading(t("eletter.after_agreement"))
        if letter.after_agreement:
            lines.append(
                t(
                    "eletter.after_agreement_intro",
                    id=letter.agreed.id,
                    when=words.moment(letter.agreed.at),
                )
            )
            lines.append("")
            lines += [
                f"- #{e.id} {words.moment(e.at)}{words.aside(_field(e, 'channel'))}"
                for e in letter.after_agreement
            ]
        else:
            lines.append(t("eletter.after_agreement_none", id=letter.agreed.id))
    if letter.collection and kind != "dispute":
        lines += heading(t("eletter.collection_after"))
        lines.append(t("eletter.collection_after_intro"))
        lines.append("")
        for flag in letter.collection:
            since = (
                t("eletter.collection_since_entry", id=flag.agreed_entry)
                if flag.agreed_entry is not None
                else t("eletter.collection_since_agreement", id=flag.agreement_id)
            )
            lines.append(f"- #{flag.entry_id} {words.moment(flag.at)}{since}")
            lines.append(f"  - {words.labelled(t('eletter.hash'), flag.hash)}")
    lines += heading(t("eletter.asks"))
    lines.append(t(f"eletter.{kind}.asks"))
    lines += heading(t("eletter.evidence"))
    lines.append(t("eletter.evidence_log", count=letter.entries))
    if letter.fingerprint:
        code = f"`{letter.fingerprint}`" if markdown else letter.fingerprint
        lines.append(t("eletter.fingerprint", code=code))
    lines += ["", t("eletter.closing"), "", t("eletter.signature")]
    return "\n".join(lines).rstrip() + "\n"


def _field(entry: LogEntry, name: str) -> str:
    """``field_value`` (which takes an entry as the store streams it) for one model's field."""
    return field_value({name: getattr(entry, name)}, name, platform_name)


def _contact(entry: LogEntry, text: Callable[[str], str]) -> list[str]:
    sep = "，" if get_lang() == "zh" else " — "
    marked = {"channel": entry.channel, "collection": entry.collection}
    channel = channel_text(marked, platform_name)
    head = sep.join([words.moment(entry.at), channel, _field(entry, "outcome")])
    lines = [f"- #{entry.id} {head}"]
    for name in QUOTED:
        value = getattr(entry, name)
        if value:
            lines.append(f"  - {words.labelled(t(f'logfield.{name}'), text(str(value)))}")
    lines.append(f"  - {words.labelled(t('eletter.hash'), entry.hash)}")
    return lines
