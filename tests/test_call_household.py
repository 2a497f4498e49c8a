"""``repaycli call`` for a lender of a several-debt register: its card from the household plan,
the household in view, and an offer above its line said with what it leaves the others."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from helpers import invoke
from repaycli.i18n import set_lang
from repaycli.services.call import Situation, prepare
from repaycli.tui.call import CallApp

TODAY = "2026-12-06"
CST = timezone(timedelta(hours=8))
HOUSEHOLD = """income = "6500"
expenses = "4200"
[[debt]]
platform = "花呗"
overdue = "8000"
days_overdue = 30
[[debt]]
platform = "借呗"
overdue = "15000"
[[debt]]
platform = "招行"
overdue = "45000"
days_overdue = 90
"""


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 14, 30, tzinfo=CST)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=5)
        return self.now


@pytest.fixture(autouse=True)
def _household(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)
    path = tmp_path / "debts.toml"
    path.write_text(HOUSEHOLD, encoding="utf-8")
    made = invoke("plan", "--debts", str(path), "--no-input")
    assert made.exit_code == 0, made.output


def text_of(app: CallApp, selector: str) -> str:
    from rich.console import Console

    console = Console(width=300, record=True, file=io.StringIO())
    console.print(app.query_one(selector, Static).content)
    lines = [x.replace("\u00a0", " ") for x in console.export_text().splitlines()]
    return "\n".join(re.sub(" +", " ", x).strip() for x in lines).strip()


def drive(app: CallApp, script: Any) -> None:
    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await script(pilot)

    asyncio.run(main())


async def type_into(pilot: Any, field: str, text: str) -> None:
    box = pilot.app.query_one(f"#{field}", Input)
    box.focus()
    box.value = ""
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


def test_the_second_lender_shows_its_share_and_the_household_in_chinese() -> None:
    # 借呗, the second debt: ¥253.68 of the ¥1,150 the household can pay (pro rata by balance)
    set_lang("zh")
    setup = prepare("借呗", Situation(), day=date.fromisoformat(TODAY))
    assert setup.source == "household"
    app = CallApp(setup, clock=Clock())

    async def script(pilot: Any) -> None:
        assert "借呗" in text_of(app, "#who")
        card = text_of(app, "#card")
        assert "253.68 元" in card
        warnings = text_of(app, "#warnings")
        # its line as the schedule it is: 借呗's share rises once 花呗 is cleared
        assert warnings == (
            "全家方案（2026-12-06 制定）：3 笔债务每月共 1,150.00 元，现在留给别家 896.32 元。"
            "给借呗的底线：2027-01 起每月最多 253.68 元；2031-09 起 460.10 元；2031-10 起 "
            "1,089.85 元。"
        )
        await type_into(pilot, "offer-periods", "12")
        await type_into(pilot, "offer-payment", "1040")
        verdict = text_of(app, "#verdict")
        assert verdict.startswith(
            "这个报价每月 1,040.00 元，超过给借呗的底线 253.68 元；答应的话，"
            "花呗和招商银行信用卡每月只剩 110.00 元。"
        )
        assert "不要答应" in verdict

    drive(app, script)


def test_a_lender_missing_from_the_register_is_named_with_the_command() -> None:
    set_lang("en")
    setup = prepare("微粒贷", Situation(), day=date.fromisoformat(TODAY))
    assert setup.card is None
    assert setup.warnings == [
        "Weilidai (WeBank) is not in your debt register; add it with "
        "'repaycli debts add weilidai --overdue AMOUNT', then run 'repaycli plan'"
    ]
