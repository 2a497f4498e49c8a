"""What the last saved plan was worked out from, as ``plan``'s own flags would give it
(``last-plan-inputs.json`` beside ``last-plan.json``), so that ``plan --details`` or
``plan --format markdown`` right after a plan shows that plan instead of asking every question
again. Relative answers are kept resolved (``3个月后`` as its date), with the day the plan was
made, so the plan shown again is the plan saved.

A file that is missing or cannot be used is ``None``: the questions are asked, as before.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

#: ``single_result``'s situation flags, the only keys read back.
FLAGS = (
    "platform", "overdue", "income", "expenses", "days_overdue", "cash", "reason", "recovery",
    "principal", "interest", "penalty", "income_after", "start", "annual_rate", "penalty_rate",
    "limit_share",
)  # fmt: skip
FILE_NAME = "last-plan-inputs.json"


class SavedInputs(NamedTuple):
    day: date
    flags: dict[str, str | None]


def as_flags(*, day: date, **values: str | Decimal | int | date | None) -> dict[str, str]:
    """The values as flag strings: amounts in full (``8000.00``), dates ISO; ``None`` left out."""
    out = {"day": day.isoformat()}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, Decimal):
            out[name] = format(value, "f")
        else:
            out[name] = str(value)
    return out


def save_inputs(inputs: dict[str, str]) -> None:
    """Keep them beside the saved plan; failing to is silent (the plan itself was saved or
    warned about)."""
    import json

    from repaycli.errors import RepayError
    from repaycli.files import write_private
    from repaycli.paths import data_dir

    try:
        write_private(data_dir() / FILE_NAME, json.dumps(inputs, ensure_ascii=False).encode())
    except (OSError, RepayError):
        pass


def load_inputs() -> SavedInputs | None:
    import json

    from repaycli.paths import data_dir, last_plan_path

    path = data_dir() / FILE_NAME
    if not path.is_file() or not last_plan_path().is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        day = date.fromisoformat(data["day"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    return SavedInputs(day, {name: data.get(name) for name in FLAGS})
