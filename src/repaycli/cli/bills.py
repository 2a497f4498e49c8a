"""``repaycli pay --import FILE``: a bill's repayments recorded as payments (the thin path:
read → match → ask about the ambiguous → record → render)."""

from __future__ import annotations

from pathlib import Path

from repaycli.cli.common import have_database, now, read_answer, write_out
from repaycli.errors import BadInput
from repaycli.i18n import t

JSON_SCHEMA_VERSION = 1


def _choose(item: object, candidates: list[int]) -> int | None:
    """Ask which agreement an ambiguous row paid (0: leave it)."""
    from repaycli.cli.common import report_error

    while True:
        answer = read_answer(
            t("bills.ask_which", ids="/".join(str(c) for c in candidates)) + t("prompt.colon")
        )
        if answer is None:
            raise BadInput("err.input_ended", flag="--no-input")
        text = answer.strip()
        if text in {"0", ""}:
            return None
        if text.isdigit() and int(text) in candidates:
            return int(text)
        report_error(BadInput("err.bill_choice", value=text, ids=", ".join(map(str, candidates))))


def import_bill(path: Path, agreement_id: int | None, *, no_input: bool, json_out: bool) -> None:
    from repaycli import store
    from repaycli.render.bills import ambiguous_lines, folded, import_text, matching_lines
    from repaycli.services import bills

    read = bills.read_bill_file(path)
    if not have_database():
        raise BadInput("err.bill_no_agreements")
    with store.opened() as conn:
        if agreement_id is not None:
            store.get_agreement(conn, agreement_id, today=now().date())  # an unknown id: one line
        choices: dict[str, int | None] = {}
        while True:
            matching = bills.plan_import(conn, read, agreement_id=agreement_id, choices=choices)
            if not matching.ambiguous:
                break
            if no_input:
                shown = matching_lines(matching, recorded=False)
                write_out(folded([t("bills.nothing_recorded"), *shown]))
                raise BadInput("err.bill_ambiguous", count=len(matching.ambiguous))
            first = matching.ambiguous[0]
            write_out(folded([t("bills.ambiguous_title"), *ambiguous_lines([first])]))
            ids = [c.agreement_id for c in first.candidates]
            choices[first.row.order_no] = _choose(first, ids)
        result = bills.run_import(
            conn, read, matching, record=True, recorded_at=now(), agreement_id=agreement_id
        )
    if json_out:
        from repaycli.render.json import to_json

        write_out(to_json({"schema_version": JSON_SCHEMA_VERSION, "import": result}))
        return
    write_out(import_text(result))
