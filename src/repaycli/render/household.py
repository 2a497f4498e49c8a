"""The household's current plan as text: which plan it is, what the agreements take off the
limit, the months they exceed it, then each lender's card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from repaycli.core.money import ZERO
from repaycli.i18n import t
from repaycli.render.numbers import money
from repaycli.render.register import fit, platform_name

if TYPE_CHECKING:
    from repaycli.cli.common import OutputFormat
    from repaycli.services.household import Household


def household_lines(household: Household) -> list[str]:
    lines = [
        t(
            "household.current",
            n=len(household.lenders),
            date=household.as_of.isoformat(),
            version=household.version,
        )
    ]
    agreed = [x for x in household.lenders if x.agreed_monthly is not None]
    if agreed:
        lines.append(t("household.limit", limit=money(household.limit)))
        for lender in agreed:
            lines.append(
                t(
                    "household.agreed",
                    name=platform_name(lender.platform),
                    monthly=money(lender.agreed_monthly or ZERO),
                    balance=money(lender.balance),
                )
            )
        left = household.left.steps[0].amount
        lines.append(t("household.left", left=money(left)))
    if household.over:
        first = household.over[0]
        lines.append(
            t(
                "household.over",
                months=len(household.over),
                date=first.due.isoformat(),
                agreed=money(first.agreed),
                limit=money(first.limit),
                excess=money(first.excess),
            )
        )
    return lines


def show_household(
    household: Household,
    output: OutputFormat,
    *,
    details: bool,
    imported: tuple[int, int] | None,
    from_saved: int,
) -> None:
    import json

    import typer

    from repaycli.cli.common import OutputFormat, write_out
    from repaycli.render.document import to_markdown
    from repaycli.render.json import to_json
    from repaycli.services.household import engine_text

    notes = []
    if from_saved:
        notes.append(t("household.from_saved", n=from_saved))
    if imported is not None:
        notes.append(t("household.imported", added=imported[0], updated=imported[1]))
    for line in notes:  # a notice, not the plan: on stderr
        typer.echo(line, err=True)
    if output is OutputFormat.JSON:
        data = json.loads(to_json(household.model_copy(update={"result": None})))
        data.pop("result", None)
        plan: dict[str, object] = (
            {"schema_version": 1, "kind": "household"}
            if household.result is None
            else json.loads(household.result)
        )
        plan["register"] = data
        write_out(json.dumps(plan, ensure_ascii=False, indent=2))
        return
    import shutil

    from repaycli.render.safe import markdown_text, safe_text
    from repaycli.services.household import engine_document

    head = household_lines(household)
    if output is OutputFormat.MARKDOWN:
        body = (
            ""
            if household.result is None
            else to_markdown(engine_document(household.result, details=details))
        )
        title, _, rest = body.partition("\n") if body.startswith("# ") else ("", "", body)
        intro = "\n\n".join(markdown_text(line) for line in head)
        write_out("\n\n".join(x for x in (title, intro, rest.lstrip("\n")) if x))
        return
    columns = shutil.get_terminal_size((80, 24)).columns
    if household.result is not None and details:
        from repaycli.render.console import make_console
        from repaycli.render.document import print_document

        write_out(safe_text(fit(head), keep_newlines=True))
        print_document(engine_document(household.result, details=True), make_console())
        return
    parts = [fit(head)]
    if household.result is not None:
        parts.append(engine_text(household.result, columns=columns))
    else:
        parts.append(t("household.nothing_shared"))
    write_out(safe_text("\n\n".join(parts), keep_newlines=True))
