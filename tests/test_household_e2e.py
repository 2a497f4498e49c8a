"""One household, one plan, through a real ``repaycli`` process: the register made from a debts
file, every command about one lender using that lender's share, agreements as commitments,
payments and the monthly check-in (issue 21's "Done when")."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from helpers import run

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
BALANCES = {"huabei": Decimal(8000), "jiebei": Decimal(15000), "zhaohang": Decimal(45000)}
#: 50 % of (6,500 − 4,200)
LIMIT = Decimal(1150)
ZH = {"huabei": "花呗", "jiebei": "借呗", "zhaohang": "招商银行信用卡"}


def pro_rata(limit: Decimal, balances: dict[str, Decimal]) -> dict[str, Decimal]:
    """The oracle: each lender's share in proportion to its balance, to the fen."""
    total = sum(balances.values())
    return {
        k: (limit * v / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for k, v in balances.items()
    }


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", "2026-12-06")


def ok(*args: str, **env: str) -> str:
    """stdout of a successful run, with the line breaks made for the terminal taken out (the
    wrapped continuation lines are indented by two spaces)."""
    done = run(*args, env=env or None)
    assert done.returncode == 0, done.stderr
    cjk = "[\u3000-\u9fff\uff00-\uffef]"
    joined = re.sub(f"(?<={cjk})\n  (?={cjk})", "", done.stdout)  # broken between characters
    return joined.replace("\n  ", " ")  # broken at a space


def household(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "debts.toml"
    path.write_text(HOUSEHOLD, encoding="utf-8")
    made = run("plan", "--debts", str(path), "--json")
    assert made.returncode == 0, made.stderr
    assert "put into the register: 3 added" in made.stderr
    data: dict[str, Any] = json.loads(made.stdout)
    return data


def lines_of(plan: dict[str, Any]) -> dict[str, Decimal]:
    return {
        x["platform"]: Decimal(x["lines"][0]["amount"])
        for x in plan["register"]["lenders"]
        if x["lines"]
    }


def schedule_zh(plan: dict[str, Any], platform: str) -> str | None:
    """The lender's line as the commands write its schedule (``None``: one amount throughout):
    "2027-01 起每月最多 135.29 元；2031-09 起 245.38 元"."""
    lines = next(x["lines"] for x in plan["register"]["lenders"] if x["platform"] == platform)
    if len(lines) == 1:
        return None
    parts = []
    for n, step in enumerate(lines):
        month, amount = step["start"][:7], Decimal(step["amount"])
        if amount == 0:
            parts.append(f"{month} 起不再还")
        else:
            parts.append(
                f"{month} 起每月最多 {amount:,.2f} 元" if n == 0 else f"{month} 起 {amount:,.2f} 元"
            )
    return "；".join(parts)


def test_every_command_about_a_lender_uses_its_share(tmp_path: Path) -> None:
    plan = household(tmp_path)
    shares = pro_rata(LIMIT, BALANCES)
    assert shares == {
        "huabei": Decimal("135.29"),
        "jiebei": Decimal("253.68"),
        "zhaohang": Decimal("761.03"),
    }
    assert lines_of(plan) == shares
    for platform, share in shares.items():
        name = ZH[platform]
        shown = f"{share:,.2f} 元"
        offer = ok(
            "--lang", "zh", "offer", "--platform", name, "--amount", "1000",
            "--periods", "10", "--payment", "100", "--no-input",
        )  # fmt: skip
        # the line in force first; when it changes (another debt cleared), its whole schedule
        schedule = schedule_zh(plan, platform)
        if schedule is None:
            assert f"给{name}的底线 {shown}" in offer
        else:
            assert schedule.startswith(f"2027-01 起每月最多 {shown}")
            assert f"给{name}的底线：{schedule}。" in offer.replace("； ", "；")  # folded there
        letter = ok("--lang", "zh", "letter", "--platform", name)
        assert f"贵司所占份额为每月 {shown}" in letter
        if schedule is not None:
            assert f"贵司份额按月安排如下：{schedule}。" in letter.replace("； ", "；")
        said = run("--lang", "zh", "letter", "--platform", name).stderr
        assert said.startswith("全家方案（2026-12-06 制定）：3 笔债务每月共 1,150.00 元")
        assert "本人目前共有 3 笔逾期债务" in letter and "1,150.00 元" in letter
    report = tmp_path / "pack.html"
    ok("--lang", "zh", "report", "-o", str(report))
    page = report.read_text(encoding="utf-8")
    assert "3 笔债务的当前方案，2026-12-06 制定" in page
    for share in shares.values():
        assert f"{share:,.2f}" in page


def test_an_agreement_above_the_share_is_flagged_then_comes_off_the_limit(tmp_path: Path) -> None:
    household(tmp_path)
    offer = ok(
        "--lang", "zh", "offer", "--platform", "花呗", "--amount", "8320",
        "--periods", "8", "--payment", "1040", "--no-input",
    )  # fmt: skip
    # 1,150 − 1,040 = 110 left for 借呗 and 招行
    assert (
        "这个报价每月 1,040.00 元，超过给花呗的底线 135.29 元；答应的话，"
        "借呗和招商银行信用卡每月只剩 110.00 元。"
    ) in offer
    added = ok(
        "agreement", "add", "--platform", "花呗", "--total", "8320", "--periods", "8",
        "--first-due", "2027-01-06", "--no-input",
    )  # fmt: skip
    assert "It settles debt #1 Huabei (Alipay)" in added
    assert (
        "This agreement is ¥1,040.00 a month, above Huabei (Alipay)'s line of ¥135.29; with it, "
        "Jiebei (Alipay) and CMB credit card get only ¥110.00 a month."
    ) in added
    listed = ok("debts", "list")
    assert "the register has changed since" in listed
    plan = json.loads(ok("plan", "--json"))
    left = LIMIT - Decimal(1040)
    months = plan["monthly"]
    assert [Decimal(m["total"]) for m in months[:8]] == [left] * 8
    assert Decimal(months[8]["total"]) == LIMIT  # the agreement is paid: the whole limit again
    shares = pro_rata(left, {k: v for k, v in BALANCES.items() if k != "huabei"})
    assert lines_of(plan) == shares
    text = ok("plan")
    assert "Huabei (Alipay): agreed ¥1,040.00 a month" in text
    assert "Left for the other lenders: ¥110.00 a month." in text


def test_a_payment_reduces_the_balance_and_a_paid_debt_leaves_the_plan(tmp_path: Path) -> None:
    household(tmp_path)
    ok(
        "agreement", "add", "--platform", "huabei", "--total", "2000", "--periods", "2",
        "--first-due", "2026-12-20", "--no-input",
    )  # fmt: skip
    ok("pay", "1", "--amount", "1000", "--no-input")
    assert "#1 Huabei (Alipay): owes ¥1,000.00" in ok("debts", "list")
    ok("pay", "1", "--amount", "1000", "--no-input")
    listed = ok("debts", "list")
    assert "#1 Huabei (Alipay): owes ¥0.00, 30 days overdue, paid off" in listed
    plan = json.loads(ok("plan", "--json"))
    assert [x["platform"] for x in plan["register"]["lenders"]] == ["jiebei", "zhaohang"]
    assert lines_of(plan) == pro_rata(
        LIMIT, {"jiebei": BALANCES["jiebei"], "zhaohang": BALANCES["zhaohang"]}
    )
    missing = run("offer", "--platform", "微粒贷", "--amount", "100", "--periods", "2",
                  "--payment", "50", "--no-input")  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr == (
        "Error: 微粒贷 is not in your debt register; add it with "
        "'repaycli debts add weilidai --overdue AMOUNT', then run 'repaycli plan'\n"
    )


def test_the_monthly_check_in(tmp_path: Path) -> None:
    household(tmp_path)
    ok(
        "agreement", "add", "--platform", "花呗", "--total", "8320", "--periods", "8",
        "--first-due", "2027-01-06", "--no-input",
    )  # fmt: skip
    ok("plan")
    first = ok("remind")
    assert first.startswith("Check-in for 2026-12")
    # each lender still negotiating, with its line as a schedule: its share of the 110 the
    # agreement leaves for 8 months, then of the whole 1,150 once 花呗's last installment is paid
    now = pro_rata(LIMIT - Decimal(1040), {"jiebei": Decimal(15000), "zhaohang": Decimal(45000)})
    then = pro_rata(LIMIT, {"jiebei": Decimal(15000), "zhaohang": Decimal(45000)})
    assert (
        f"Jiebei (Alipay)'s line in the household plan: from 2027-01 at most ¥{now['jiebei']} a "
        f"month; from 2027-09 ¥{then['jiebei']}"
    ) in first
    assert (
        f"CMB credit card's line in the household plan: from 2027-01 at most "
        f"¥{now['zhaohang']} a month; from 2027-09 ¥{then['zhaohang']}"
    ) in first
    assert ok("remind") == ""  # once a month: cron stays silent after it
    feb = ok("remind", REPAYCLI_TODAY="2027-02-10")
    assert (
        "Agreement #1 with Huabei (Alipay): ¥2,080.00 due so far, ¥0.00 paid — ¥2,080.00 BEHIND"
        in feb
    )
    edited = ok("debts", "edit", "--income", "5000", REPAYCLI_TODAY="2027-02-10")
    assert "Agreement #1 with Huabei (Alipay) no longer fits your budget" in edited
    again = ok("remind", REPAYCLI_TODAY="2027-02-10")
    assert "Agreement #1 with Huabei (Alipay) no longer fits your budget" in again
    assert "a new current plan was made on 2027-02-10" in again
    plan = json.loads(ok("plan", "--json", REPAYCLI_TODAY="2027-02-10"))
    over = plan["register"]["over"]
    assert over[0]["limit"] == "400.00" and over[0]["agreed"] == "3120.00"
