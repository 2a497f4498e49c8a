"""``agreement show`` at 60, 80 and 120 columns in both languages: every due date and amount of
the schedule is printed whole — never cut to '2026-12-…' or '¥1,000.…' (the review at 60
columns found both, which the layout test counted as a dropped column)."""

from __future__ import annotations

import pytest

from helpers import invoke


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_schedule_dates_and_amounts_are_whole(lang: str, columns: int) -> None:
    today = {"REPAYCLI_TODAY": "2026-12-06"}
    done = invoke("agreement", "add", "--platform", "huabei", "--first-due", "2026-12-15",
                  "--total", "80000", "--periods", "8", "--no-input", env=today)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert invoke("pay", "1", "--amount", "10000", env=today).exit_code == 0
    shown = invoke("--lang", lang, "agreement", "show", "1",
                   env={**today, "COLUMNS": str(columns)})  # fmt: skip
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert "…" not in shown.stdout, shown.stdout
    assert max(len(line) for line in lines) <= columns
    amount = "10,000.00 元" if lang == "zh" else "¥10,000.00"
    for month in range(8):
        due = f"{2026 + (11 + month) // 12}-{(11 + month) % 12 + 1:02d}-15"
        row = next((line for line in lines if due in line), None)
        assert row is not None, (due, shown.stdout)
        assert amount in row, (due, row)
