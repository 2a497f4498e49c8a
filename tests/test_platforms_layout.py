"""``repaycli platforms`` stays a table at 80 columns in both languages: one line per lender,
names and hotlines whole (it wrapped 工商银行信用卡 into 工商银行信用 / 卡 in Chinese and fell
back to 7-line cards in English)."""

from __future__ import annotations

import pytest

from helpers import invoke
from repaycli.render.wrap import width


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [80, 120])
def test_one_line_per_lender(lang: str, columns: int) -> None:
    result = invoke("--lang", lang, "platforms", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rule = next(n for n, line in enumerate(lines) if line.startswith("────"))
    rows = []
    for line in lines[rule + 1 :]:
        if line.startswith("*"):
            break
        rows.append(line)
    ids = [row.split()[0] for row in rows]
    assert "gonghang" in ids and "jdjr" in ids
    assert not [row for row in rows if row.startswith(" ")], rows  # no continuation lines
    assert all(width(line) <= columns for line in lines)
    name = "工商银行信用卡" if lang == "zh" else "ICBC credit card"
    assert name in next(row for row in rows if row.startswith("gonghang"))
