"""Chinese text puts no space between an amount's 元 and the Chinese word after it
(``超过 1,250.00 元的方案``, not ``1,250.00 元 的方案``): the checklist's templates once had a
space around the placeholder, written when the amount came without its unit."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from helpers import invoke

_GAP = re.compile(r"元 [\u4e00-\u9fff]")
_PLANS = {
    "can_pay": ("--overdue", "8000", "--income", "6000", "--expenses", "3500"),
    "cannot_pay": ("--overdue", "80000", "--income", "3000", "--expenses", "2990"),
}


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


@pytest.mark.parametrize("case", sorted(_PLANS))
def test_no_space_between_yuan_and_the_next_chinese_word(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-12-02")
    args = ("--lang", "zh", "plan", "--no-input", "--platform", "花呗", "--days-overdue", "30")
    result = invoke(*args, *_PLANS[case], "--json")
    assert result.exit_code == 0, result.output
    bad = [s for s in _strings(json.loads(result.stdout)) if _GAP.search(s)]
    assert not bad, bad
    text = invoke(*args, *_PLANS[case], "--details")
    assert text.exit_code == 0, text.output
    lines = [line for line in text.stdout.splitlines() if _GAP.search(line)]
    assert not lines, lines
