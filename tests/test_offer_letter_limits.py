"""``offer`` and ``letter`` obey the same limits as the plan (issue 20): the plan's cash counts
for a one-off payment, a settlement is money saved (not a negative APR), and a letter never
proposes a payment above the limit in force unless the cash covers it."""

from __future__ import annotations

import json

from helpers import invoke, run

TODAY = {"REPAYCLI_TODAY": "2026-12-06"}


def _plan(*extra: str) -> None:
    result = invoke("plan", "--no-input", *extra, env=TODAY)
    assert result.exit_code == 0, result.output


def test_offer_counts_the_plans_cash_for_a_one_off_payment() -> None:
    # Expenses eat the income (limit 0) but 6,000 in cash: the plan's target is paying the
    # whole 5,000 now from cash. The offer of exactly that is within the line, not above it.
    _plan("--platform", "jiebei", "--overdue", "5000", "--days-overdue", "40",
          "--income", "3000", "--expenses", "3000", "--cash", "6000")  # fmt: skip
    result = invoke(
        "offer", "--amount", "5000", "--periods", "1", "--payment", "5000",
        "--json", env=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    offer = json.loads(result.stdout)
    assert offer["above_walk_away"] is False and offer["paid_from_cash"] == "5000.00"
    # Without the cash, the same one-off payment is above a zero line.
    _plan("--platform", "jiebei", "--overdue", "5000", "--days-overdue", "40",
          "--income", "3000", "--expenses", "3000")  # fmt: skip
    result = invoke(
        "offer", "--amount", "5000", "--periods", "1", "--payment", "5000",
        "--json", env=TODAY,
    )  # fmt: skip
    assert json.loads(result.stdout)["above_walk_away"] is True


def test_a_quick_settlement_is_money_saved_not_a_negative_apr() -> None:
    # 10,000 settled for 7,000 next month: 3,000 saved (30 %), no "APR −…".
    done = run("offer", "--amount", "10000", "--periods", "1", "--payment", "7000",
               "--lang", "en", env=TODAY)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Offer: ¥10,000.00 as 1 payment of ¥7,000.00\n")
    assert "you pay ¥3,000.00 less than you owe (30.00% of it waived)" in out
    assert "¥-3,000.00" not in out and "APR (monthly IRR" not in out
    result = invoke("offer", "--amount", "10000", "--periods", "1", "--payment", "7000",
                    "--json", env=TODAY)  # fmt: skip
    offer = json.loads(result.stdout)
    assert (offer["settlement"], offer["saved"], offer["saved_percent"]) == (True, "3000.00",
                                                                             "30.00")  # fmt: skip


def test_letter_refuses_one_payment_above_the_limit() -> None:
    # 10,500 owed, limit 1,250 (50 % of 6,000 − 3,500): "--periods 1" would ask 10,500 in one
    # month. Refused, naming a length that fits: ⌈10,500 / 1,250⌉ = 9.
    _plan("--platform", "jiebei", "--overdue", "10500", "--income", "6000", "--expenses", "3500")
    result = invoke("letter", "--periods", "1", env=TODAY)
    assert result.exit_code == 2
    assert "above the 1,250.00 you can keep up" in result.output
    assert "--periods 9 would fit" in result.output
    result = invoke("letter", "--payment", "10500", env=TODAY)
    assert result.exit_code == 2 and "--periods 9 would fit" in result.output


def test_letter_accepts_one_payment_the_cash_covers() -> None:
    _plan("--platform", "jiebei", "--overdue", "10500", "--income", "6000", "--expenses", "3500",
          "--cash", "12000")  # fmt: skip
    result = invoke("letter", "--periods", "1", "--format", "text", "--lang", "en", env=TODAY)
    assert result.exit_code == 0, result.output
    assert "¥10,500.00" in result.stdout
