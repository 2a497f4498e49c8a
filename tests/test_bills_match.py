"""Matching a bill's repayments: fixed cases worked by hand, and random bills from random
agreements (hypothesis) — every repayment row placed exactly once or reported, none twice."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repaycli import store, store_bills
from repaycli.core.bills.match import (
    OpenInstallment,
    Why,
    lender_names,
    lenders_of,
    mask_account,
    match,
)
from repaycli.core.bills.rows import BillRow, Kind
from repaycli.core.dates import monthly_due_dates

D = Decimal
NAMES = lender_names(
    [
        ("huabei", ["花呗", "蚂蚁花呗"]),
        ("fenfu", ["微信分付", "分付"]),
        ("baitiao", ["京东白条", "白条"]),
        ("zhaohang", ["招商银行信用卡", "招商银行"]),
        ("wangshangdai", ["网商贷", "网商银行"]),
    ]
)
COUNTERPARTY = {"huabei": "花呗", "fenfu": "分付", "baitiao": "京东白条", "zhaohang": "招商银行",
                "wangshangdai": "网商银行"}  # fmt: skip


def _row(order_no: str, lender: str, amount: D, day: date, line: int = 1) -> BillRow:
    return BillRow(
        line=line, at=datetime(day.year, day.month, day.day, 12, 0), amount=amount,
        counterparty=COUNTERPARTY.get(lender, lender), order_no=order_no, kind=Kind.REPAYMENT,
    )  # fmt: skip


def _plan(agreement_id: int, platform: str, amounts: list[D], first: date) -> list[OpenInstallment]:
    return [
        OpenInstallment(agreement_id=agreement_id, platform=platform, n=n, due=due, left=amount)
        for n, (due, amount) in enumerate(
            zip(monthly_due_dates(first, len(amounts)), amounts, strict=True), 1
        )
    ]


def test_the_lender_is_the_longest_name_a_row_gives() -> None:
    assert lenders_of(_row("1", "京东白条", D(1), date(2026, 1, 1)), NAMES) == ["baitiao"]
    row = BillRow(line=1, at=datetime(2026, 1, 1), amount=D(1), counterparty="招商银行",
                  item="信用卡还款", category="信用卡还款")  # fmt: skip
    assert lenders_of(row, NAMES) == ["zhaohang"]
    assert lenders_of(_row("1", "某某", D(1), date(2026, 1, 1)), NAMES) == []


def test_fixed_vector_worked_by_hand() -> None:
    """Huabei 1,000 × 3 from 15 Jan; Fenfu 600 × 2 from 10 Feb. The bill: huabei 1,000 on 10
    Jan (→ #1 n1), a fenfu 600 on 1 Jan (more than 45 days early: not n1), huabei 999 (no
    installment of that amount), fenfu 600 on 9 Feb (→ #2 n1), huabei 1,000 on 14 Feb (→ #1
    n2), the 10 Jan row again (already), 网商贷 (no agreement), a row with no lender."""
    installments = _plan(1, "huabei", [D(1000)] * 3, date(2026, 1, 15)) + _plan(
        2, "fenfu", [D(600)] * 2, date(2026, 2, 10)
    )
    rows = [
        _row("H1", "huabei", D(1000), date(2026, 1, 10)),
        _row("F0", "fenfu", D(600), date(2025, 12, 20)),
        _row("H9", "huabei", D(999), date(2026, 1, 20)),
        _row("F1", "fenfu", D(600), date(2026, 2, 9)),
        _row("H2", "huabei", D(1000), date(2026, 2, 14)),
        _row("H1", "huabei", D(1000), date(2026, 2, 20), line=9),
        _row("W1", "wangshangdai", D(500), date(2026, 2, 1)),
        _row("X1", "某某", D(5), date(2026, 2, 1)),
    ]
    result = match(rows, installments, lenders=NAMES, known={"OLD"})
    assert [(m.row.order_no, m.agreement_id, m.n) for m in result.matched] == [
        ("H1", 1, 1), ("F1", 2, 1), ("H2", 1, 2)
    ]  # fmt: skip
    assert {(u.row.order_no, u.why) for u in result.unplaced} == {
        ("F0", Why.NO_INSTALLMENT), ("H9", Why.NO_INSTALLMENT),
        ("W1", Why.NO_AGREEMENT), ("X1", Why.NO_LENDER),
    }  # fmt: skip
    assert [r.line for r in result.already] == [9]
    assert result.ambiguous == []


def test_one_payment_catching_up_two_installments_pays_both() -> None:
    """Huabei 1,000, 1,000, 1,500 from 15 Jan: 2,000 on 20 Feb pays n1 and n2 (1,000 + 1,000);
    then 1,000 on 1 Mar fits nothing (n3 has 1,500 left), 1,500 on 10 Mar pays n3 — after
    which no Huabei agreement is open for the 1,000."""
    installments = _plan(1, "huabei", [D(1000), D(1000), D(1500)], date(2026, 1, 15))
    rows = [
        _row("H1", "huabei", D(2000), date(2026, 2, 20)),
        _row("H2", "huabei", D(1000), date(2026, 3, 1)),
        _row("H3", "huabei", D(1500), date(2026, 3, 10)),
    ]
    result = match(rows, installments, lenders=NAMES)
    assert [(m.row.order_no, m.n, m.last) for m in result.matched] == [("H1", 1, 2), ("H3", 3, 3)]
    assert [(u.row.order_no, u.why) for u in result.unplaced] == [("H2", Why.NO_AGREEMENT)]


def test_a_row_that_fits_only_after_a_later_one_is_placed_in_the_same_import() -> None:
    """500 then 700 from 15 Jan; the bill pays 700 on 1 Feb and 500 on 2 Feb. In time order the
    700 fits nothing (n1 has 500 left); once the 500 has paid n1 it pays n2 — in this import,
    not in the next one."""
    installments = _plan(1, "huabei", [D(500), D(700)], date(2026, 1, 15))
    rows = [
        _row("L1", "huabei", D(700), date(2026, 2, 1)),
        _row("L2", "huabei", D(500), date(2026, 2, 2)),
    ]
    result = match(rows, installments, lenders=NAMES)
    assert [(m.row.order_no, m.n) for m in result.matched] == [("L2", 1), ("L1", 2)]
    assert result.unplaced == []


def test_two_agreements_that_fit_are_ambiguous_until_one_is_chosen() -> None:
    installments = _plan(1, "huabei", [D(500)] * 2, date(2026, 1, 15)) + _plan(
        2, "huabei", [D(500)] * 2, date(2026, 1, 20)
    )
    rows = [_row("H1", "huabei", D(500), date(2026, 1, 12))]
    result = match(rows, installments, lenders=NAMES)
    assert [c.agreement_id for c in result.ambiguous[0].candidates] == [1, 2]
    assert result.matched == []
    chosen = match(rows, installments, lenders=NAMES, choices={"H1": 2})
    assert [(m.agreement_id, m.n) for m in chosen.matched] == [(2, 1)]
    left = match(rows, installments, lenders=NAMES, choices={"H1": None})
    assert [u.why for u in left.unplaced] == [Why.LEFT]


def test_accounts_are_masked() -> None:
    assert mask_account("huabei@alipay.com") == "****@alipay.com"
    assert mask_account("13812345678") == "****5678"
    assert mask_account("abc") == "****"
    assert mask_account("") == ""


PLATFORMS = ["huabei", "fenfu", "baitiao", "zhaohang"]
AMOUNTS = [D("500.00"), D("600.00"), D("1000.00"), D("333.33")]


@st.composite
def _agreements(draw: st.DrawFn) -> list[tuple[str, list[D], date]]:
    count = draw(st.integers(1, 4))
    return [
        (
            draw(st.sampled_from(PLATFORMS)),
            [draw(st.sampled_from(AMOUNTS))] * draw(st.integers(1, 4)),
            date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 60))),
        )
        for _ in range(count)
    ]


@st.composite
def _case(draw: st.DrawFn) -> tuple[list[OpenInstallment], list[BillRow]]:
    agreements = draw(_agreements())
    installments = [i for k, (p, a, f) in enumerate(agreements, 1) for i in _plan(k, p, a, f)]
    rows: list[BillRow] = []
    for k, item in enumerate(installments):
        choice = draw(st.sampled_from(["pay", "pay", "skip", "other", "odd", "two"]))
        day = item.due + timedelta(days=draw(st.integers(-50, 40)))
        if choice == "pay":
            rows.append(_row(f"O{k}", item.platform, item.left, day, line=k))
        elif choice == "two":  # this installment and the next together
            nxt = installments[k + 1] if k + 1 < len(installments) else item
            both = item.left + (nxt.left if nxt.agreement_id == item.agreement_id else 0)
            rows.append(_row(f"O{k}", item.platform, both, day, line=k))
        elif choice == "other":
            rows.append(_row(f"O{k}", "wangshangdai", item.left, day, line=k))
        elif choice == "odd":
            rows.append(_row(f"O{k}", item.platform, item.left + D("0.01"), day, line=k))
    if rows and draw(st.booleans()):  # an order number twice in one bill
        twin = draw(st.sampled_from(rows))
        rows.append(_row(twin.order_no, "huabei", twin.amount, twin.at.date(), line=999))
    return installments, draw(st.permutations(rows))


@settings(max_examples=300, deadline=None)
@given(_case())
def test_every_repayment_row_is_placed_once_or_reported(
    case: tuple[list[OpenInstallment], list[BillRow]],
) -> None:
    installments, rows = case
    result = match(rows, installments, lenders=NAMES)
    ends = (
        [m.row for m in result.matched]
        + [a.row for a in result.ambiguous]
        + [u.row for u in result.unplaced]
        + result.already
    )
    assert sorted(r.line for r in ends) == sorted(r.line for r in rows)  # each exactly once
    orders = [m.row.order_no for m in result.matched]
    assert len(orders) == len(set(orders))  # no order number recorded twice
    by_key = {(i.agreement_id, i.n): i for i in installments}
    placed = [(m.agreement_id, n) for m in result.matched for n in range(m.n, m.last + 1)]
    assert len(placed) == len(set(placed))  # no installment paid twice
    for m in result.matched:
        paid = [by_key[(m.agreement_id, n)] for n in range(m.n, m.last + 1)]
        assert sum(i.left for i in paid) == m.row.amount  # exactly what those had left
        assert all(i.platform == m.platform for i in paid)
        assert m.row.at.date() >= paid[0].due - timedelta(days=45)
    for k in {a for a, _ in placed}:  # an agreement's installments are paid in order from n=1
        ns = sorted(n for a, n in placed if a == k)
        assert ns == list(range(1, len(ns) + 1))
    # the same bill again, its matches known: nothing is matched a second time
    paid = set(placed)
    again = match(
        rows,
        [i for i in installments if (i.agreement_id, i.n) not in paid],
        lenders=NAMES,
        known=set(orders),
    )
    assert again.matched == []  # one import placed all it could: a second one places nothing


AT = datetime(2026, 6, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case())
def test_recording_a_random_bill_twice_records_nothing_the_second_time(
    case: tuple[list[OpenInstallment], list[BillRow]],
) -> None:
    installments, rows = case
    with tempfile.TemporaryDirectory() as folder:
        conn = store.connect(Path(folder) / "db.sqlite3")
        ids = sorted({i.agreement_id for i in installments})
        for k in ids:
            mine = [i for i in installments if i.agreement_id == k]
            made = store.add_agreement(
                conn, platform=mine[0].platform,
                schedule=[(i.due, int(i.left * 100)) for i in mine], recorded_at=AT,
            )  # fmt: skip
            assert made == k
        counts = []
        for _ in range(2):
            choices: dict[str, int | None] = {}
            while True:  # as pay --import asks: the user picks an agreement for each in turn
                result = match(
                    rows,
                    store_bills.open_installments(conn),
                    lenders=NAMES,
                    known=store_bills.known_order_numbers(conn),
                    choices=choices,
                )
                if not result.ambiguous:
                    break
                first = result.ambiguous[0]
                choices[first.row.order_no] = first.candidates[-1].agreement_id
            if result.matched:
                store_bills.record_import(
                    conn, source="alipay", layout="alipay-csv", file_name="b.csv", size=1,
                    sha256="0" * 64, rows=len(rows), matched=result.matched, recorded_at=AT,
                )  # fmt: skip
            counts.append(conn.execute("SELECT count(*) FROM payments").fetchone()[0])
        assert counts[0] == counts[1]
        receipts = [r[0] for r in conn.execute("SELECT receipt FROM payments")]
        assert len(receipts) == len(set(receipts))
        assert store.verify_events(conn).intact
        conn.close()
