"""A saved plan read back (``core.revive``) is the plan that was written: its JSON round-trips
byte for byte, for one debt (with recovery, and the hardship route) and for several debts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from repaycli.cli import app
from repaycli.core.models import PlanResult
from repaycli.core.multi import MultiPlanResult
from repaycli.core.revive import revive, revive_json
from repaycli.render.json import to_json

CASES = [
    ["-p", "花呗", "--overdue", "8000", "--income", "6000", "--expenses", "3500"],
    ["-p", "zhaohang", "--overdue", "20000", "--income", "5000", "--expenses", "3000",
     "--recovery", "2027-06-01", "--income-after", "9000", "--cash", "2000", "--reason", "medical"],
    ["-p", "jiebei", "--overdue", "12000", "--income", "0", "--expenses", "1500"],
]  # fmt: skip


@pytest.mark.parametrize("flags", CASES, ids=["level", "recovery", "hardship"])
def test_a_one_debt_plan_round_trips(flags: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-12-02")
    result = CliRunner().invoke(app, ["plan", *flags, "--json", "--no-save", "--no-input"])
    assert result.exit_code == 0, result.output
    plan = revive_json(PlanResult, result.stdout)
    assert isinstance(plan.proposals[0].total, type(plan.affordability.limit))
    assert to_json(plan) == result.stdout.strip()


def test_a_several_debt_plan_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-12-02")
    # --strategy makes it a what-if: the engine's result alone (the current plan made from the
    # register adds a "register" key of its own)
    args = ["plan", "--debts", "examples/debts-tight.toml", "--strategy", "prorata", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert to_json(revive_json(MultiPlanResult, result.stdout)) == result.stdout.strip()


def test_a_value_of_the_wrong_shape_is_named() -> None:
    with pytest.raises(ValueError, match=r"as_of"):
        revive(PlanResult, {"as_of": 20261202})
    data = json.loads(
        CliRunner()
        .invoke(app, ["plan", *CASES[0], "--json", "--no-save", "--no-input"])
        .stdout
    )
    data["proposals"][0]["total"] = "lots"
    with pytest.raises(ValueError, match=r"proposals\[0\]\.total"):
        revive(PlanResult, data)
