"""The complaint, credit-report dispute and collection letters as plain text (the default: it
can be sent as it is, and is not hard-wrapped, like the hardship letter) or markdown.

The wording lives in the message catalogues (``i18n/*/evidence.toml``, section ``eletter``);
text the user typed is shown literally (``markdown_text`` / ``safe_text``). Placeholders in
brackets (【姓名】, [Your name]) are for the user to fill in by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import PurePath

from repaycli.core.conduct import Citation, Flag
from repaycli.core.evidence_letters import EvidenceLetter
from repaycli.core.records import LogEntry
from repaycli.i18n import get_lang, t
from repaycli.render import TextSink
from repaycli.render import letter_words as words
from repaycli.render.log import channel_text, field_value, platform_name
from repaycli.render.safe import markdown_text, safe_text

#: The fields quoted for each contact in the timeline (when given).
QUOTED = ("agent", "ref", "offered", "agreed_terms", "confirmation", "notes")


def compose(letter: EvidenceLetter, *, markdown: bool = False) -> str:
    """The whole letter as one text (``write_letter`` writes it as it is made)."""
    return "\n".join(letter_lines(letter, markdown=markdown)).rstrip() + "\n"


def write_letter(letter: EvidenceLetter, out: TextSink, *, markdown: bool = False) -> None:
    """``out.write(compose(letter))`` — the same text, written line by line as the timeline is
    read (a lender's 125,000 contacts are never held): only the lines after the last one with
    text in it wait, as ``compose`` strips them."""
    written = False
    held: list[str] = []  # from the last line with text on: what the strip may still shorten
    for line in letter_lines(letter, markdown=markdown):
        if line.strip() and held:
            out.write(("\n" if written else "") + "\n".join(held))
            written, held = True, []
        held.append(line)
    out.write(("\n" if written else "") + "\n".join(held).rstrip() + "\n")


def letter_lines(letter: EvidenceLetter, *, markdown: bool = False) -> Iterator[str]:
    """The letter's lines: headings are numbered lines (``一、事由`` / ``1. What this is
    about``), marked ``##`` only in markdown; dates and times as the letter's language writes
    them."""
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
    yield from ["# " + title if markdown else title, ""]
    addressed = letter.platform is not None and kind != "dispute"
    yield from [
        t(f"eletter.{kind}.to_lender", lender=text(lender))
        if addressed
        else t(f"eletter.{kind}.to"),
        "",
        t("eletter.from"),
        "",
        t("eletter.date", day=words.day(letter.day)),
    ]
    yield from heading(t("eletter.about"))
    yield t(f"eletter.{kind}.about", lender=text(lender))
    yield from heading(t("eletter.facts"))
    told = words.closed(" ".join(letter.details.split()), get_lang()) if letter.details else ""
    if told:
        yield text(told)
    elif letter.flags:
        yield from _facts(letter, text(lender))
    else:
        yield t(f"eletter.{kind}.facts_placeholder")
    yield from heading(t("eletter.timeline"))
    if not letter.facts.count:
        yield t("eletter.no_contacts")
    for entry in letter.timeline:
        yield from _contact(entry, text, letter, text(lender))
    if letter.agreed is not None and kind != "dispute":
        yield from heading(t("eletter.after_agreement"))
        if letter.facts.after:
            # art. 70 is the credit-card rule: cited only to a card issuer
            key = "eletter.after_agreement_intro"
            if letter.platform_kind != "credit_card":
                key = "eletter.after_agreement_intro_plain"
            yield (
                t(
                    key,
                    id=letter.agreed.id,
                    when=words.moment(letter.agreed.at),
                    lender=text(platform_name(letter.agreed.platform)),
                )
            )
            yield ""
            for e in letter.after_agreement:
                yield f"- #{e.id} {words.moment(e.at)}{words.aside(_field(e, 'channel'))}"
        else:
            yield t("eletter.after_agreement_none", id=letter.agreed.id)
    if letter.collection and kind != "dispute":
        yield from heading(t("eletter.collection_after"))
        card = letter.platform_kind == "credit_card"  # art. 70 binds card issuers only
        yield t("eletter.collection_after_intro" + ("" if card else "_plain"))
        yield ""
        for flag in letter.collection:
            since = (
                t("eletter.collection_since_entry", id=flag.agreed_entry)
                if flag.agreed_entry is not None
                else t("eletter.collection_since_agreement", id=flag.agreement_id)
            )
            yield f"- #{flag.entry_id} {words.moment(flag.at)}{since}"
            yield f"  - {words.labelled(t('eletter.hash'), flag.hash)}"
    yield from heading(t("eletter.asks"))
    if letter.asks:
        yield t("eletter.asks_logged")
        yield from [f"- {text(asked)}" for asked in letter.asks]
        yield ""
        yield t(f"eletter.{kind}.asks_plain")
    elif letter.flags or letter.platform is not None:
        yield t(f"eletter.{kind}.asks_plain")
    else:
        yield t(f"eletter.{kind}.asks")
    yield from heading(t("eletter.evidence"))
    yield t("eletter.evidence_log", count=letter.entries)
    files = letter.facts.attachments
    if files:
        yield from ["", t("eletter.attachments")]
        yield from [
            t("eletter.attachment", name=text(PurePath(path).name), sha256=sha256)
            for path, sha256 in files
        ]
        yield ""
    if letter.fingerprint:
        code = f"`{letter.fingerprint}`" if markdown else letter.fingerprint
        yield t("eletter.fingerprint", code=code)
    yield from ["", t("eletter.closing"), "", t("eletter.signature")]


def _field(entry: LogEntry, name: str) -> str:
    """``field_value`` (which takes an entry as the store streams it) for one model's field."""
    return field_value({name: getattr(entry, name)}, name, platform_name)


def _facts(letter: EvidenceLetter, lender: str) -> list[str]:
    """The facts told from the conduct check's flags when the user wrote none."""
    from repaycli.render.conduct import flag_what

    lines = [t("eletter.facts_from_log", lender=lender)]
    for flag in letter.flags:
        ids = t("list_sep").join(f"#{i}" for i in flag.entry_ids)
        lines.append(
            t(
                "eletter.fact_line",
                day=words.day(flag.day),
                what=flag_what(flag),
                ids=ids,
                count=len(flag.entry_ids),  # "(contact #1)", not "(contacts #1)"
            )
        )
    return lines


def _contact(
    entry: LogEntry, text: Callable[[str], str], letter: EvidenceLetter, lender: str
) -> list[str]:
    sep = "，" if get_lang() == "zh" else " — "
    marked = {"channel": entry.channel, "collection": entry.collection}
    channel = channel_text(marked, platform_name)
    head = sep.join([words.moment(entry.at), channel, _field(entry, "outcome")])
    lines = [f"- #{entry.id} {head}"]

    def item(label: str, value: str) -> None:
        lines.append(f"  - {words.labelled(label, value)}")

    if entry.number:
        theirs = entry.direction == "incoming" or entry.collection
        item(t("eletter.number_theirs" if theirs else "logfield.number"), text(entry.number))
    if entry.firm or entry.claims:
        claimed = [text(entry.firm)] if entry.firm else []
        if entry.claims:
            claimed.append(t(f"claims.{entry.claims}"))
        item(t("eletter.claims"), sep.join(claimed))
    for name in QUOTED:
        value = getattr(entry, name)
        if value:
            item(t(f"logfield.{name}"), text(str(value)))
    if entry.said:
        item(t("eletter.said"), text(entry.said))
    if entry.threats:
        item(t("eletter.threats"), t("list_sep").join(t(f"threat.{x}") for x in entry.threats))
    if entry.third_party:
        item(t("eletter.third_party"), text(entry.third_party))
    if letter.kind.value != "dispute":
        lines += _rules(letter.flags_of(entry.id), lender)
    for a in entry.attachments:
        shown = t("eletter.attachment_inline", name=text(PurePath(a.path).name), sha256=a.sha256)
        item(t("eletter.attachments"), shown)
    item(t("eletter.hash"), entry.hash)
    return lines


def _rules(flags: Sequence[Flag], lender: str) -> list[str]:
    """Each rule the contact breaks, once, "according to" a secondary source, with the lenders
    it covers when it covers only some."""
    from repaycli.render.conduct import source_text

    lang = get_lang()
    seen: dict[str, Citation] = {}
    for flag in flags:
        for citation in flag.citations:
            seen.setdefault(citation.rule.id, citation)
    lines = []
    for citation in seen.values():
        rule = citation.rule
        value = (
            f"{rule.text[lang]}（{source_text(rule)}）"
            if lang == "zh"
            else (f"{rule.text[lang]} ({source_text(rule)})")
        )
        if citation.applies == "if":
            condition = t("eletter.rule_if", lender=lender, who=rule.who[lang])
            value += f"（{condition}）" if lang == "zh" else f" ({condition})"
        lines.append(f"  - {words.labelled(t('eletter.rule'), value)}")
    return lines
