"""``plan --bill``: essential monthly spending from a bill, by category (words from
``catalog/bill_categories.toml``), accepted or edited, shown as an income-and-expenditure
statement; debt repayments kept apart."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from bills_factory import Tx, alipay_csv, wechat_csv
from helpers import invoke
from repaycli.catalog import load_bill_categories
from repaycli.core.bills.budget import budget_from_rows, statement
from repaycli.core.bills.read import read_bill

D = Decimal


def _tx(month: int, day: int, amount: str, who: str, category: str, **kw: str) -> Tx:
    return Tx(datetime(2026, month, day, 12, 0), D(amount), who, category=category,
              order_no=f"B{month:02d}{day:02d}{who}", **kw)  # fmt: skip


BILL = [
    _tx(1, 1, "3000.00", "房东", "转账"),
    _tx(2, 1, "3000.00", "房东", "转账"),
    _tx(3, 1, "3000.00", "房东", "转账"),
    _tx(1, 5, "35.50", "美团", "餐饮美食"),
    _tx(1, 6, "35.50", "美团", "退款", direction="不计收支", status="退款成功"),  # refunded
    _tx(2, 9, "300.00", "盒马", "餐饮美食"),
    _tx(3, 9, "150.00", "滴滴出行", "交通出行"),
    _tx(3, 10, "90.00", "国家电网", "生活缴费"),
    _tx(3, 11, "60.00", "某某大药房", "医疗健康"),
    _tx(3, 12, "999.00", "某旗舰店", "服饰装扮"),  # other: not essential
    _tx(3, 13, "1000.00", "花呗", "信用借还", direction="不计收支", status="还款成功"),
    _tx(3, 14, "88.00", "某某", "转账", status="交易关闭"),  # failed: left out
]


def test_the_bill_is_summed_by_category_over_its_months_worked_by_hand() -> None:
    bill = read_bill(alipay_csv(BILL), name="a.csv")
    budget = budget_from_rows(bill.rows, load_bill_categories())
    assert budget.months == 3 and (budget.first, budget.last) == (
        "2026-01-01",
        "2026-03-13",
    )  # the failed row is not counted
    monthly = {line.category: line.monthly for line in budget.essential}
    assert monthly == {
        "rent": D("3000.00"),  # 9,000 / 3
        "food": D("100.00"),  # (35.50 − 35.50 + 300) / 3
        "transport": D("50.00"),
        "utilities": D("30.00"),
        "medical": D("20.00"),
        "education": D("0.00"),
    }
    assert budget.other.monthly == D("333.00")
    assert budget.repayments.monthly == D("333.33")  # 1,000 / 3, rounded half up
    result = statement(budget, income=D(6000), accepted={"food": D(800)})
    assert result.essential_total == D("3900.00")  # 3000 + 800 + 50 + 30 + 20
    assert result.available == D("2100.00")


def test_plan_bill_no_input_accepts_the_figures_and_shows_the_statement(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(alipay_csv(BILL))
    result = invoke("plan", "--no-input", "--platform", "huabei", "--overdue", "8000",
                    "--income", "6000", "--bill", str(path), "--no-save")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Income and expenditure per month (3 months' bill: 2026-01-01 to 2026-03-13)" in out
    assert "Total essential spending" in out and "¥3,200.00" in out  # 3000+100+50+30+20
    assert "Available each month" in out and "¥2,800.00" in out
    assert "Debt repayments in the bill, kept apart: ¥333.33 a month." in out
    flags = invoke("plan", "--no-input", "--platform", "huabei", "--overdue", "8000",
                   "--income", "6000", "--expenses", "3200", "--no-save", "--json")  # fmt: skip
    billed = invoke("plan", "--no-input", "--platform", "huabei", "--overdue", "8000",
                    "--income", "6000", "--bill", str(path), "--no-save", "--json")  # fmt: skip
    assert billed.exit_code == 0, billed.output
    assert billed.stdout == flags.stdout  # the accepted total is the plan's expenses


def test_each_figure_can_be_edited_at_its_prompt(tmp_path: Path) -> None:
    path = tmp_path / "wx.csv"
    path.write_bytes(wechat_csv([_tx(1, 1, "2000.00", "房东", "转账"),
                                 _tx(1, 2, "100.00", "沙县小吃", "商户消费")]))  # fmt: skip
    answers = "2500\n\n\n\n\n\n"  # rent edited, the rest accepted
    result = invoke("plan", "--platform", "huabei", "--overdue", "8000", "--income", "6000",
                    "--bill", str(path), "--no-save", input=answers + "\n" * 20)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Rent and housing per month (the bill shows ¥2,000.00)" in result.stderr
    assert "¥2,600.00" in result.stdout  # 2,500 + 100 food


def test_bill_with_expenses_or_without_income_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(alipay_csv(BILL))
    result = invoke("plan", "--no-input", "--bill", str(path), "--expenses", "1")
    assert result.exit_code == 2 and "leave out --expenses" in result.stderr
    result = invoke("plan", "--no-input", "--bill", str(path))
    assert result.exit_code == 2 and "--bill needs --income" in result.stderr


def test_the_report_opens_its_plan_with_the_statement(tmp_path: Path) -> None:
    import html5lib

    path = tmp_path / "a.csv"
    path.write_bytes(alipay_csv(BILL))
    page = tmp_path / "pack.html"
    result = invoke("report", "-o", str(page), "--no-input", "--platform", "huabei",
                    "--overdue", "8000", "--income", "6000", "--bill", str(path))  # fmt: skip
    assert result.exit_code == 0, result.output
    tree = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    plan = tree.find(".//section[@id='plan']")
    assert plan is not None
    first = plan.find("section")
    assert first is not None
    assert "".join(first.find("h3").itertext()).startswith("Income and expenditure")  # type: ignore[union-attr]
    cells = ["".join(td.itertext()).strip() for td in first.iter("td")]
    assert cells[:2] == ["Income", "¥6,000.00"]
    assert "Total essential spending" in cells and "¥3,200.00" in cells


def test_the_statement_as_json_and_markdown() -> None:
    import json

    from repaycli.render.budget import statement_markdown
    from repaycli.render.json import to_json

    budget = budget_from_rows(read_bill(alipay_csv(BILL), name="a.csv").rows,
                              load_bill_categories())  # fmt: skip
    result = statement(budget, income=D(6000), accepted={})
    body = json.loads(to_json(result))
    assert body["essential_total"] == "3200.00" and body["available"] == "2800.00"
    assert [e["category"] for e in body["expenses"]] == [
        "rent", "food", "transport", "utilities", "medical", "education"
    ]  # fmt: skip
    text = statement_markdown(budget, result)
    assert "| Rent and housing | ¥3,000.00 |" in text
    assert "| **Available each month** | **¥2,800.00** |" in text


def test_the_statement_fits_80_columns_in_both_languages(tmp_path: Path) -> None:
    from repaycli.render.wrap import width

    path = tmp_path / "a.csv"
    path.write_bytes(alipay_csv(BILL))
    for lang in ("en", "zh"):
        result = invoke("--lang", lang, "plan", "--no-input", "--platform", "huabei",
                        "--overdue", "8000", "--income", "6000", "--bill", str(path),
                        "--no-save", env={"COLUMNS": "80"})  # fmt: skip
        assert result.exit_code == 0, result.output
        statement_lines = result.stdout.split("\n\n")[0].splitlines()
        assert len(statement_lines) >= 11
        assert all(width(line) <= 80 for line in statement_lines), statement_lines
