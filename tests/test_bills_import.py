"""``repaycli pay --import FILE``: bills built in each layout, matched to agreements, recorded
once, through CliRunner and a real ``repaycli`` process."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bills_factory import REAL_ACCOUNT, REAL_NAME, Tx, alipay_csv, jd_csv, wechat_csv, wechat_xlsx
from helpers import invoke, run
from repaycli.paths import db_path

D = Decimal
TODAY = "2026-04-01"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", TODAY)


def _agreement(platform: str, amounts: str, first_due: str) -> int:
    result = invoke(
        "agreement", "add", "--no-input", "--platform", platform, "--amounts", amounts,
        "--first-due", first_due, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return int(json.loads(result.stdout)["agreement"]["id"])


def _show(agreement_id: int) -> dict:  # type: ignore[type-arg]
    result = invoke("agreement", "show", str(agreement_id), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["agreement"]  # type: ignore[no-any-return]


def _import(path: Path, *extra: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return invoke("pay", *extra, "--import", str(path), input=input)


def _paid(view: dict) -> list[tuple[str, str, list[int]]]:  # type: ignore[type-arg]
    """(receipt, amount, installments) of each payment."""
    return [
        (p["receipt"], p["amount"], [a["n"] for a in p["allocations"]]) for p in view["payments"]
    ]


HUABEI = [
    Tx(datetime(2026, 1, 5, 9, 0), D("35.50"), "美团", "外卖订单", "餐饮美食", order_no="A001"),
    Tx(datetime(2026, 1, 10, 20, 0), D("1000.00"), "花呗", "花呗主动还款-2026年01月账单",
       "信用借还", direction="不计收支", status="还款成功", order_no="A002",
       account="huabei@alipay.com"),
    Tx(datetime(2026, 1, 12, 8, 0), D("35.50"), "美团", "退款-外卖订单", "退款",
       direction="不计收支", status="退款成功", order_no="A003"),
    Tx(datetime(2026, 1, 15, 8, 0), D("12.00"), "某某", "红包", "神秘新类型",
       direction="不计收支", order_no="A004"),
    Tx(datetime(2026, 1, 20, 8, 0), D("888.00"), "网商银行", "网商贷还款", "信用借还",
       direction="不计收支", status="还款成功", order_no="A005"),
    Tx(datetime(2026, 2, 14, 8, 0), D("1000.00"), "花呗", "花呗主动还款-2026年02月账单",
       "信用借还", direction="不计收支", status="还款成功", order_no="A006"),
    Tx(datetime(2026, 3, 13, 8, 0), D("1000.00"), "花呗", "花呗自动还款-2026年03月账单",
       "信用借还", direction="不计收支", status="还款成功", order_no="A007"),
    Tx(datetime(2026, 3, 20, 8, 0), D("1000.00"), "花呗", "花呗主动还款", "信用借还",
       direction="不计收支", status="还款失败", order_no="A008"),
]  # fmt: skip


def test_an_alipay_bill_pays_the_huabei_installments_and_a_second_import_adds_nothing(
    tmp_path: Path,
) -> None:
    huabei = _agreement("huabei", "1000 1000 1000 1000", "2026-01-15")
    path = tmp_path / "支付宝交易明细(20260101-20260331).csv"
    path.write_bytes(alipay_csv(HUABEI))
    result = _import(path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "8 transactions, 4 repayments" in out
    assert "Recorded 3 payments" in out
    assert "→ agreement #1 (Huabei (Alipay)), installment 1 due 2026-01-15; receipt A002" in out
    assert "no open agreement with MYbank loan (Alipay)" in out  # 网商贷: no agreement
    assert "Still due:" in out and "installment 4 due 2026-04-15" in out
    view = _show(huabei)
    assert _paid(view) == [("A002", "1000.00", [1]), ("A006", "1000.00", [2]),
                           ("A007", "1000.00", [3])]  # fmt: skip
    assert [p["paid_on"] for p in view["payments"]] == ["2026-01-10", "2026-02-14", "2026-03-13"]
    again = _import(path)
    assert again.exit_code == 0, again.output
    assert "3 repayments recorded already" in again.stdout
    assert "Nothing new was recorded." in again.stdout
    assert len(_show(huabei)["payments"]) == 3


def test_the_bill_is_hashed_into_the_evidence_chain_without_the_preamble(tmp_path: Path) -> None:
    import hashlib

    _agreement("huabei", "1000 1000 1000 1000", "2026-01-15")
    path = tmp_path / "bill.csv"
    data = alipay_csv(HUABEI)
    path.write_bytes(data)
    assert _import(path).exit_code == 0
    conn = sqlite3.connect(db_path())
    event = conn.execute("SELECT body FROM events WHERE kind = 'bill_import'").fetchone()
    body = json.loads(event[0])
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["file_name"] == "bill.csv" and body["size"] == len(data)
    assert [p[0] for p in body["payments"]] == ["A002", "A006", "A007"]
    dump = "\n".join(conn.iterdump())
    assert REAL_NAME not in dump and REAL_ACCOUNT not in dump
    conn.close()
    verify = invoke("log", "verify")
    assert verify.exit_code == 0, verify.output


def test_a_redacted_export_masks_the_counterparty_accounts(tmp_path: Path) -> None:
    _agreement("huabei", "1000 1000 1000 1000", "2026-01-15")
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv(HUABEI))
    assert _import(path).exit_code == 0
    plain = invoke("log", "export", "--format", "json")
    assert "huabei@alipay.com" in plain.stdout
    masked = invoke("log", "export", "--format", "json", "--redact")
    assert masked.exit_code == 0, masked.output
    assert "huabei@alipay.com" not in masked.stdout
    assert "****" in masked.stdout


WECHAT = [
    Tx(datetime(2026, 2, 1, 12, 0), D("28.00"), "沙县小吃", "午餐", "商户消费", method="零钱",
       status="支付成功", order_no="W001"),
    Tx(datetime(2026, 2, 9, 9, 0), D("600.00"), "分付", "分付还款", "分付还款", direction="/",
       status="已还款", order_no="W002"),
    Tx(datetime(2026, 2, 10, 9, 0), D("1200.00"), "招商银行", "信用卡还款", "信用卡还款",
       direction="/", status="支付成功", order_no="W003"),
    Tx(datetime(2026, 2, 11, 9, 0), D("28.00"), "沙县小吃", "午餐", "商户消费-退款",
       direction="收入", status="已全额退款", order_no="W004"),
    Tx(datetime(2026, 2, 12, 9, 0), D("5.00"), "某某", "/", "亲属卡新类型", direction="/",
       status="支付成功", order_no="W005"),
    Tx(datetime(2026, 3, 9, 9, 0), D("600.00"), "分付", "分付还款", "分付还款", direction="/",
       status="已还款", order_no="W006"),
]  # fmt: skip


@pytest.mark.parametrize("layout", ["csv", "xlsx-2025", "xlsx-2026"])
def test_a_wechat_bill_pays_fenfu_and_the_card(tmp_path: Path, layout: str) -> None:
    fenfu = _agreement("fenfu", "600 600 600", "2026-02-10")
    card = _agreement("zhaohang", "1200 1200", "2026-02-15")
    if layout == "csv":
        path, data = tmp_path / "wx.csv", wechat_csv(WECHAT)
    else:
        path, data = tmp_path / "wx.xlsx", wechat_xlsx(WECHAT, layout=int(layout[-4:]))
    path.write_bytes(data)
    result = _import(path)
    assert result.exit_code == 0, result.output
    assert _paid(_show(fenfu)) == [("W002", "600.00", [1]), ("W006", "600.00", [2])]
    assert _paid(_show(card)) == [("W003", "1200.00", [1])]
    assert "Nothing new" in _import(path).stdout


JD = [
    Tx(datetime(2026, 3, 1, 10, 0), D("199.00"), "京东商城", "电饭煲", "数码家电", method="白条",
       order_no="J001"),
    Tx(datetime(2026, 3, 5, 10, 0), D("450.00"), "京东白条", "白条主动还款", "白条",
       direction="不计收支", method="银行卡", order_no="J002"),
    Tx(datetime(2026, 3, 6, 10, 0), D("199.00"), "京东商城", "电饭煲退款", "退款",
       direction="不计收支", status="退款成功", order_no="J003"),
]  # fmt: skip


def test_a_jd_bill_pays_baitiao(tmp_path: Path) -> None:
    baitiao = _agreement("baitiao", "450 450", "2026-03-10")
    path = tmp_path / "jd.csv"
    path.write_bytes(jd_csv(JD))
    assert _import(path).exit_code == 0
    assert _paid(_show(baitiao)) == [("J002", "450.00", [1])]


def _two_huabei_agreements() -> tuple[int, int]:
    return (
        _agreement("huabei", "1000 1000", "2026-01-15"),
        _agreement("huabei", "1000 1000", "2026-01-20"),
    )


def test_an_ambiguous_row_under_no_input_is_listed_and_nothing_is_recorded(tmp_path: Path) -> None:
    first, second = _two_huabei_agreements()
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv(HUABEI[:2]))
    result = invoke("pay", "--import", str(path), "--no-input")
    assert result.exit_code == 2
    assert "Nothing was recorded." in result.stdout
    assert "agreement #1 (Huabei (Alipay)), installment 1 due 2026-01-15" in result.stdout
    assert "agreement #2 (Huabei (Alipay)), installment 1 due 2026-01-20" in result.stdout
    assert "1 repayment could pay more than one agreement" in result.stderr
    assert _show(first)["payments"] == [] and _show(second)["payments"] == []
    # naming the agreement settles it without a question
    named = invoke("pay", str(second), "--import", str(path), "--no-input")
    assert named.exit_code == 0, named.output
    assert _paid(_show(second)) == [("A002", "1000.00", [1])]


def test_an_ambiguous_row_is_asked_about(tmp_path: Path) -> None:
    first, second = _two_huabei_agreements()
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv(HUABEI[:2]))
    result = _import(path, input="7\n2\n")
    assert result.exit_code == 0, result.output
    assert "7 is not one of the agreements listed (1, 2)" in result.stderr
    assert _show(first)["payments"] == []
    assert _paid(_show(second)) == [("A002", "1000.00", [1])]


def test_import_with_manual_flags_or_no_agreement_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv(HUABEI))
    result = invoke("pay", "--import", str(path))
    assert result.exit_code == 2
    assert "there are no agreements" in result.stderr
    _agreement("huabei", "1000", "2026-01-15")
    result = invoke("pay", "--import", str(path), "--amount", "5")
    assert result.exit_code == 2
    assert "--amount cannot be used with --import" in result.stderr
    (tmp_path / "notes.csv").write_text("日期,说明\n2026-01-01,午饭\n", encoding="utf-8")
    result = invoke("pay", "--import", str(tmp_path / "notes.csv"))
    assert result.exit_code == 2
    assert "notes.csv is not a bill exported by Alipay" in result.stderr
    assert "Traceback" not in result.output


def test_a_receipt_typed_by_hand_is_not_recorded_again(tmp_path: Path) -> None:
    huabei = _agreement("huabei", "1000 1000 1000", "2026-01-15")
    typed = invoke("pay", str(huabei), "--amount", "1000", "--date", "2026-01-10",
                   "--receipt", "A002")  # fmt: skip
    assert typed.exit_code == 0, typed.output
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv(HUABEI))
    assert _import(path).exit_code == 0
    assert [p[0] for p in _paid(_show(huabei))] == ["A002", "A006", "A007"]


def test_end_to_end_in_a_real_process_remind_and_show_report_the_paid_installments(
    tmp_path: Path,
) -> None:
    env = {"REPAYCLI_TODAY": "2026-03-30"}
    done = run("agreement", "add", "--no-input", "--platform", "huabei", "--amounts",
               "1000 1000 1000 1000", "--first-due", "2026-01-15", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    before = json.loads(run("remind", "--days", "30", "--json", env=env).stdout)
    assert [i["installment"] for i in before["overdue"]] == [1, 2, 3]
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv(HUABEI))
    done = run("pay", "--import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert "Recorded 3 payments" in done.stdout
    remind = run("remind", "--days", "30", "--json", env=env)
    assert remind.returncode == 0, remind.stderr
    due = json.loads(remind.stdout)
    assert due["overdue"] == []  # before the import, installments 1–3 were overdue
    assert [(i["agreement_id"], i["installment"]) for i in due["upcoming"]] == [(1, 4)]
    text = run("remind", "--days", "30", env=env).stdout
    assert "Overdue" not in text and "installment 4 of agreement #1" in text
    show = run("agreement", "show", "1", "--json", env=env)
    view = json.loads(show.stdout)["agreement"]
    assert [(s["n"], s["status"]) for s in view["schedule"]] == [
        (1, "paid"),
        (2, "paid"),
        (3, "paid"),
        (4, "due"),
    ]
    assert [p["receipt"] for p in view["payments"]] == ["A002", "A006", "A007"]
    shown = run("agreement", "show", "1", env=env)
    assert all(order in shown.stdout for order in ("A002", "A006", "A007"))


def test_the_json_result_has_a_stable_shape(tmp_path: Path) -> None:
    _agreement("huabei", "1000 1000 1000 1000", "2026-01-15")
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv(HUABEI))
    result = invoke("pay", "--import", str(path), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["schema_version"] == 1
    done = body["import"]
    assert set(done) == {"file", "sha256", "source", "layout", "rows", "repayments", "matching",
                         "recorded", "import_id", "still_due"}  # fmt: skip
    assert set(done["matching"]) == {"matched", "ambiguous", "unplaced", "already"}
    assert [(r["order_no"], r["agreement_id"], r["n"]) for r in done["recorded"]] == [
        ("A002", 1, 1), ("A006", 1, 2), ("A007", 1, 3)
    ]  # fmt: skip
    assert done["matching"]["matched"][0]["row"]["amount"] == "1000.00"
    assert [(u["row"]["order_no"], u["why"]) for u in done["matching"]["unplaced"]] == [
        ("A005", "no_agreement")
    ]
    assert done["still_due"] == [
        {"agreement_id": 1, "platform": "huabei", "n": 4, "due": "2026-04-15", "left": "1000.00"}
    ]


def test_in_chinese_at_80_columns_every_line_fits(tmp_path: Path) -> None:
    from repaycli.render.wrap import width

    _agreement("huabei", "1000 1000 1000 1000", "2026-01-15")
    path = tmp_path / "支付宝交易明细(20260101-20260331).csv"
    path.write_bytes(alipay_csv(HUABEI))
    result = invoke("--lang", "zh", "pay", "--import", str(path), env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "已记录 3 笔还款；本账单是证据链中的第 1 次导入。" in lines
    assert "  2026-01-20  888.00 元  网商银行 — 与网商贷没有未结清的协议" in lines
    assert all(width(line) <= 80 for line in lines), [x for x in lines if width(x) > 80]


def test_one_repayment_catching_up_two_installments_pays_both(tmp_path: Path) -> None:
    huabei = _agreement("huabei", "1000 1000 1000", "2026-01-15")
    catch_up = Tx(datetime(2026, 2, 20, 9, 0), D("2000.00"), "花呗", "花呗主动还款", "信用借还",
                  direction="不计收支", status="还款成功", order_no="C001")  # fmt: skip
    path = tmp_path / "bill.csv"
    path.write_bytes(alipay_csv([catch_up]))
    result = _import(path)
    assert result.exit_code == 0, result.output
    assert "installments 1–2 (the first due 2026-01-15); receipt C001" in result.stdout
    assert _paid(_show(huabei)) == [("C001", "2000.00", [1, 2])]
