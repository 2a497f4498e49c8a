"""The business steps of recording a contact, shared by ``repaycli log add`` and the call
screen: how each call-log field is read, the checks between fields (a contact time is not in
the future, a follow-up is not before its contact), and the write itself."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from repaycli.errors import BadInput
from repaycli.i18n import t

if TYPE_CHECKING:
    import sqlite3

    from repaycli.core.models import LogField
    from repaycli.core.records import Attachment, LogEntry

#: The longest text accepted in one field (a long call summary fits; a pasted file does not).
MAX_TEXT = 5000
#: A contact time this far ahead of the clock is still taken (another device's clock).
FUTURE_SLACK = timedelta(minutes=5)


def parse_text(name: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        """The text exactly as typed (it is evidence); only all-whitespace counts as empty."""
        if not value.strip():
            return ""
        if len(value) > MAX_TEXT:
            raise BadInput("err.text_too_long", field=name, limit=MAX_TEXT)
        return value

    return parse


def parse_choice(name: str, choices: list[str]) -> Callable[[str], str]:
    """An id (``phone``), its label in either language (``电话``, ``in-app chat``) or a word
    people use for it (``微信``: ``catalog/choice_words.toml``)."""

    def parse(value: str) -> str:
        from repaycli.catalog import load_choice_words

        wanted = unicodedata.normalize("NFKC", value).strip().lower().replace("-", "_")
        if not wanted:
            raise BadInput("err.log_empty", field=name)
        for choice in choices:
            labels = {
                t(f"{name}.{choice}", lang).lower().replace("-", "_") for lang in ("en", "zh")
            }
            if wanted == choice or wanted in labels:
                return choice
        squeezed = wanted.replace(" ", "").replace("_", "-")
        words = load_choice_words().get(name, {})
        for word in (squeezed, squeezed.replace("-", "")):
            if words.get(word) in choices:
                return words[word]
        raise BadInput("err.choice", field=name, value=value, choices=choice_words(name, choices))

    return parse


def choice_words(name: str, choices: list[str], sep: str | None = None) -> str:
    """The choices as the user reads them: ids in English (they are English words), the labels
    in Chinese (``电话、App 内客服…``)."""
    from repaycli.i18n import get_lang

    if get_lang() == "en":
        return (sep or ", ").join(choices)
    return (sep or t("list_sep")).join(t(f"{name}.{choice}") for choice in choices)


def parse_platform(value: str) -> str:
    from repaycli.catalog import load_catalogue
    from repaycli.paths import user_platforms_file

    return load_catalogue(user_platforms_file()).resolve(value).id


def _parser(
    field_name: str, kind: str, choices: list[str], clock: datetime
) -> Callable[[str], Any]:
    from repaycli.core.dates import parse_date, parse_datetime

    if field_name == "platform":
        return parse_platform
    if kind == "choice":
        return parse_choice(field_name, choices)
    if kind == "datetime":
        return lambda v: parse_datetime(v, now=clock, field=field_name)
    if kind == "date":
        return lambda v: parse_date(v, today=clock.date(), field=field_name)
    return parse_text(field_name)


def _not_future(parse: Callable[[str], Any], clock: datetime) -> Callable[[str], Any]:
    """A contact logged in the future would close that platform's open follow-ups early."""

    def check(value: str) -> Any:
        moment = parse(value)
        if isinstance(moment, datetime) and moment > clock + FUTURE_SLACK:
            raise BadInput("err.log_at_future", field="at", value=value)
        return moment

    return check


def _not_before_contact(
    parse: Callable[[str], Any], values: Mapping[str, Any]
) -> Callable[[str], Any]:
    def check(value: str) -> Any:
        day = parse(value)
        contact = values.get("at")
        if isinstance(day, date) and isinstance(contact, datetime) and day < contact.date():
            raise BadInput(
                "err.log_follow_up_early",
                field="follow_up",
                value=value,
                at=contact.date().isoformat(),
            )
        return day

    return check


def field_parser(
    spec: LogField, clock: datetime, values: Mapping[str, Any]
) -> Callable[[str], Any]:
    """How one call-log field is read, with its checks against ``clock`` and the fields read
    before it (``values``, filled in the template's order)."""
    parse = _parser(spec.name, spec.kind, spec.choices, clock)
    if spec.name == "at":
        return _not_future(parse, clock)
    if spec.name == "follow_up":
        return _not_before_contact(parse, values)
    return parse


def read_fields(given: Mapping[str, str | None], *, clock: datetime) -> dict[str, Any]:
    """Every call-log field from typed text, without asking (the call screen): in the
    template's order, each through ``field_parser``; a required one missing is ``BadInput``."""
    from repaycli.catalog import load_log_fields

    values: dict[str, Any] = {}
    for spec in load_log_fields():
        raw = given.get(spec.name)
        if raw is None or not raw.strip():
            if spec.required:
                raise BadInput("err.log_empty", field=spec.name)
            values[spec.name] = None
            continue
        value = field_parser(spec, clock, values)(raw)
        values[spec.name] = value if value != "" else None
    return values


def record_contact(
    conn: sqlite3.Connection,
    values: Mapping[str, Any],
    *,
    clock: datetime,
    attachments: Sequence[Attachment] = (),
    corrects: int | None = None,
    offer_checks: Sequence[str] = (),
) -> LogEntry:
    """Append the entry (and the offer evaluations made during it, ``offer --json`` text) to
    the log in one transaction."""
    from repaycli import store

    # ``collection`` is read as a choice (no/yes, 否/是) and stored as a flag; not asked: no.
    fields = {**values, "collection": values.get("collection") in ("yes", True)}
    new = store.NewContact(**fields, attachments=attachments, corrects=corrects)
    return store.add_contact(conn, new, recorded_at=clock, offer_checks=offer_checks)
