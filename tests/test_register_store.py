"""The debt register's tables: migration from an older database, the append-only history."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from repaycli import store, store_register

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_agreements_of_an_older_database_become_agreed_debts(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    old = store.connect(path, migrate_to=7)
    kept = store.add_agreement(
        old,
        platform="huabei",
        schedule=[(date(2027, 1, 1), 50_000), (date(2027, 2, 1), 50_000)],
        recorded_at=AT,
    )
    gone = store.add_agreement(
        old, platform="jiebei", schedule=[(date(2027, 1, 1), 10_000)], recorded_at=AT
    )
    store.void_agreement(old, gone, reason="typo", recorded_at=AT)
    store.add_payment(old, kept, amount_fen=30_000, paid_on=date(2027, 1, 1), recorded_at=AT)
    events_before = [tuple(r) for r in old.execute("SELECT * FROM events ORDER BY id")]
    old.close()

    conn = store.connect(path)
    debts = store_register.list_debts(conn)
    assert [(d.platform, d.overdue, d.status, d.agreements) for d in debts] == [
        ("huabei", Decimal("1000.00"), "agreed", [kept])
    ]
    assert debts[0].paid == Decimal("300.00")
    assert debts[0].balance == Decimal("700.00")
    # the evidence chain is untouched: the agreements table got no new column
    assert [tuple(r) for r in conn.execute("SELECT * FROM events ORDER BY id")] == events_before
    assert store.verify_events(conn).intact
    whos = [(h.who, h.what) for h in store_register.history(conn)]
    assert whos == [("migration", "add"), ("migration", "agreement")]


def test_history_refuses_update_and_delete(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    debt = store_register.add_debt(
        conn, {"platform": "huabei", "overdue": Decimal("8000")}, who="debts add", at=AT
    )
    store_register.edit_debt(conn, debt, {"days_overdue": 30}, who="debts edit", at=AT)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE register_history SET who = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM register_history")
    rows = list(store_register.history(conn, debt))
    assert [(r.what, r.who) for r in rows] == [("add", "debts add"), ("edit", "debts edit")]
    assert rows[1].change == {"days_overdue": 30, "days_overdue_before": 0}
    assert store_register.verify_history(conn) is None
    assert store_register.version(conn) == 2


def test_a_changed_history_row_breaks_the_chain(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    store_register.add_debt(
        conn, {"platform": "huabei", "overdue": Decimal("8000")}, who="debts add", at=AT
    )
    store_register.set_budget(conn, {"income": Decimal("6500")}, who="debts edit", at=AT)
    conn.execute("DROP TRIGGER register_history_no_update")
    conn.execute('UPDATE register_history SET change = \'{"income": "9999"}\' WHERE id = 2')
    assert store_register.verify_history(conn) == 2


def test_budget_and_debt_round_trip(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "db.sqlite3")
    debt = store_register.add_debt(
        conn,
        {
            "platform": "zhaohang",
            "overdue": Decimal("45000.50"),
            "principal": Decimal("40000"),
            "annual_rate": Decimal("0.18"),
            "days_overdue": 90,
        },
        who="debts add",
        at=AT,
    )
    got = store_register.get_debt(conn, debt)
    assert (got.overdue, got.principal, got.annual_rate, got.days_overdue, got.status) == (
        Decimal("45000.50"),
        Decimal("400.00") * 100,
        Decimal("0.18"),
        90,
        "negotiating",
    )
    budget = store_register.set_budget(
        conn,
        {"income": Decimal("6500"), "expenses": Decimal("4200"), "recovery": date(2027, 6, 1)},
        who="debts edit",
        at=AT,
    )
    assert (budget.income, budget.expenses, budget.recovery) == (
        Decimal("6500.00"),
        Decimal("4200.00"),
        date(2027, 6, 1),
    )


def test_the_plan_saved_last_becomes_the_register(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user of an older repaycli has only last-plan.json: 'repaycli plan' takes its debt and
    budget into the register once (who: last-plan.json), and the file stays."""
    from helpers import invoke
    from repaycli.paths import last_plan_path

    monkeypatch.setenv("REPAYCLI_TODAY", "2026-12-06")
    saved = invoke(
        "plan", "--no-input", "--platform", "huabei", "--overdue", "8000",
        "--income", "6500", "--expenses", "4200", "--days-overdue", "30",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert last_plan_path().is_file()
    # an older repaycli kept only last-plan.json, not the inputs beside it (issue 24's reuse)
    from repaycli.paths import data_dir
    from repaycli.plan_inputs import FILE_NAME

    (data_dir() / FILE_NAME).unlink()
    made = invoke("plan")
    assert made.exit_code == 0, made.output
    assert "taken from the plan saved last (1)" in made.stderr
    assert made.stdout.startswith("Current plan for the 1 debts in your register, made 2026-12-06")
    conn = store.connect()
    debts = store_register.list_debts(conn)
    assert [(d.platform, d.overdue, d.days_overdue) for d in debts] == [
        ("huabei", Decimal("8000.00"), 30)
    ]
    budget = store_register.get_budget(conn)
    assert (budget.income, budget.expenses) == (Decimal("6500.00"), Decimal("4200.00"))
    assert {h.who for h in store_register.history(conn)} == {"last-plan.json"}
    assert last_plan_path().is_file()
    again = invoke("plan")
    assert "taken from the plan saved last" not in again.stderr  # once only
