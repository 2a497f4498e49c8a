"""``repaycli debts``: prompts that ask again, flags, --no-input, --json, both languages."""

from __future__ import annotations

import json

from helpers import invoke


def test_add_asks_again_after_a_bad_answer() -> None:
    result = invoke("debts", "add", input="xx\n借呗\nabc\n15000\n30\n\n")
    assert result.exit_code == 0, result.output
    assert "unknown platform xx" in result.stderr
    assert "abc is not an amount" in result.stderr
    assert result.stdout.startswith(
        "Added debt #1: #1 Jiebei (Alipay): owes ¥15,000.00, 30 days overdue, negotiating"
    )


def test_no_input_names_the_missing_value() -> None:
    result = invoke("debts", "add", "花呗", "--no-input")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: a value is missing; give it with --overdue (or run without --no-input to be "
        "asked)\n"
    )


def test_flags_json_and_chinese() -> None:
    added = invoke(
        "debts", "add", "招行", "--overdue", "4.5万", "--principal", "40000",
        "--days-overdue", "90", "--annual-rate", "18%", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    debt = json.loads(added.stdout)["debt"]
    assert (debt["platform"], debt["overdue"], debt["principal"], debt["status"]) == (
        "zhaohang", "45000.00", "40000.00", "negotiating",
    )  # fmt: skip
    assert invoke("debts", "edit", "--income", "6500", "--expenses", "4200").exit_code == 0
    assert invoke("debts", "edit", "1", "--sold-to", "某资产管理公司").exit_code == 0
    listed = invoke("--lang", "zh", "debts", "list")
    assert listed.stdout.splitlines() == [
        "你的债务（1 笔）：",
        "#1 招商银行信用卡：欠 45,000.00 元，逾期 90 天，已转让；已转让给 某资产管理公司",
        "预算：月收入 6,500.00 元，必要开支 4,200.00 元",
        "还没有当前方案：运行 'repaycli plan'。",
    ]
    shown = json.loads(invoke("debts", "show", "1", "--json").stdout)
    assert [h["what"] for h in shown["history"]] == ["add", "edit"]
    assert shown["history"][1]["change"]["sold_to"] == "某资产管理公司"


def test_bad_edits_are_one_line_and_exit_2() -> None:
    assert invoke("debts", "add", "花呗", "--overdue", "8000").exit_code == 0
    for args, message in (
        (("debts", "edit", "--overdue", "9000"), "say which debt to change"),
        (("debts", "edit", "1"), "nothing to change"),
        (("debts", "edit", "7", "--overdue", "9000"), "there is no debt #7"),
        (("debts", "edit", "1", "--status", "gone"), "gone is not a status"),
        (("debts", "edit", "1", "--principal", "9000"), "cannot be more than the overdue"),
    ):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
