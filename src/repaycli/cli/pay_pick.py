"""``repaycli pay`` without an agreement id: the only open agreement is offered (Enter takes it);
with several, they are listed and the id is asked for. An id is never guessed among several."""

from __future__ import annotations

from datetime import date

import typer

from repaycli.cli.common import ask, have_database
from repaycli.errors import BadInput
from repaycli.i18n import t


def pick_agreement(day: date, *, no_input: bool) -> int:
    from repaycli import store
    from repaycli.render.numbers import money
    from repaycli.render.remind import platform_namer

    if not have_database():
        raise BadInput("pay.err.no_agreement")
    with store.opened() as conn:
        every = store.list_agreements(conn, today=day)
    open_ = [a for a in every if a.void_reason is None and not a.finished]
    if not open_:
        raise BadInput("pay.err.no_agreement")
    name = platform_namer()
    ids = {a.id for a in open_}
    listed = ", ".join(f"#{i}" for i in sorted(ids))

    def parse(text: str) -> int:
        value = text.strip().lstrip("#＃")
        if not value.isdigit() or int(value) not in ids:
            raise BadInput("pay.err.not_open", value=text.strip(), ids=listed)
        return int(value)

    if len(open_) == 1:
        only = open_[0]
        said = t("pay.only_one", id=only.id, platform=name(only.platform),
                 balance=money(only.balance))  # fmt: skip
        if no_input:
            typer.echo(said, err=True)
            return only.id
        found = ask(said + t("pay.ask_agreement"), parse, flag="AGREEMENT_ID", no_input=False,
                    default=str(only.id))  # fmt: skip
        assert found is not None  # a default is given: ask() returns a value
        return found
    if no_input:
        raise BadInput("err.missing_value", flag="AGREEMENT_ID")
    for a in open_:
        typer.echo(t("pay.choice", id=a.id, platform=name(a.platform), balance=money(a.balance)),
                   err=True)  # fmt: skip
    chosen = ask(t("pay.ask_agreement"), parse, flag="AGREEMENT_ID", no_input=False)
    assert chosen is not None  # required: ask() raises instead
    return chosen


#: A receipt typed at the prompt: a transaction number or a file name, on one line.
MAX_RECEIPT = 200


def parse_receipt(text: str) -> str:
    """The receipt as typed (it is evidence); refused, to be typed again, when it is longer
    than ``MAX_RECEIPT`` or holds control characters (a paste gone wrong)."""
    import unicodedata

    value = text.strip()
    if len(value) > MAX_RECEIPT or any(unicodedata.category(c) == "Cc" for c in value):
        raise BadInput("pay.err.receipt", limit=MAX_RECEIPT)
    return value
