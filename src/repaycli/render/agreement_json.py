"""An agreement as ``agreement list --json`` writes it, built from its rows as plain JSON-ready
data: the same keys, in the same order, and the same text as the ``AgreementView`` model that
``store.get_agreement`` builds and ``render.json.to_json`` writes (``tests/test_agreement_json.py``
compares the two on varied agreements) — without building a pydantic model per agreement, which
took most of the time at 10,000 agreements."""

from __future__ import annotations

from datetime import date
from typing import Any

from repaycli.core import ledger
from repaycli.core.money import from_fen


def _money(fen: int) -> str:
    """``Money``'s JSON text for an amount in fen: ``from_fen``, then two places — written
    from the integer directly (the ``Decimal`` took a tenth of the time)."""
    if type(fen) is not int:  # a damaged row: as the model would (or would not) take it
        return f"{from_fen(fen):.2f}"
    whole, cents = divmod(-fen if fen < 0 else fen, 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


def _text(value: Any, *, optional: bool = False) -> Any:
    """A text column as the model takes it: a ``str`` (or ``None`` when optional), else the row
    is damaged and the damage is reported (as the model's validation would fail)."""
    if isinstance(value, str) or (optional and value is None):
        return value
    raise TypeError(f"expected text, not {type(value).__name__}")


def _int(value: Any, *, optional: bool = False) -> Any:
    if (isinstance(value, int) and not isinstance(value, bool)) or (optional and value is None):
        return value
    raise TypeError(f"expected an integer, not {type(value).__name__}")


def agreement_record(
    head: dict[str, Any],
    parts: list[tuple[Any, ...]],
    payments: list[dict[str, Any]],
    allocations: dict[Any, list[tuple[Any, Any]]],
    void_reason: str | None,
    *,
    today: date,
) -> dict[str, Any]:
    """One agreement (``store.iter_agreement_rows``'s rows) with its schedule (status as of
    ``today``), payments and balance, as JSON-ready data."""
    paid_list = []
    for p in payments:
        amount_fen, excess_fen = p["amount_fen"], p["excess_fen"]
        paid_list.append(
            {
                "id": _int(p["id"]),
                "agreement_id": head["id"],
                "paid_on": date.fromisoformat(p["paid_on"]).isoformat(),
                "amount": _money(amount_fen),
                "applied": _money(amount_fen - excess_fen),
                "excess": _money(excess_fen),
                "receipt": _text(p["receipt"], optional=True),
                "recorded_at": _text(p["recorded_at"]),
                "allocations": [
                    {"n": _int(n), "amount": _money(fen)} for n, fen in allocations.get(p["id"], [])
                ],
                "void_reason": p["void_reason"],
            }
        )
    schedule = []
    paid_fen = overdue_fen = 0
    next_due = None
    for n, due_text, amount_fen, part_paid in parts:
        due = date.fromisoformat(due_text)
        status = ledger.status(amount_fen=amount_fen, paid_fen=part_paid, due=due, today=today)
        schedule.append(
            {
                "n": _int(n),
                "due": due.isoformat(),
                "amount": _money(amount_fen),
                "paid": _money(part_paid),
                "left": _money(amount_fen - part_paid),
                "status": status.value,
            }
        )
        paid_fen += part_paid
        if status != ledger.InstallmentStatus.PAID and next_due is None:
            next_due = due.isoformat()
        if status == ledger.InstallmentStatus.OVERDUE:
            overdue_fen += amount_fen - part_paid
    balance_fen = head["total_fen"] - paid_fen
    overpaid_fen = sum(p["excess_fen"] for p in payments if p["void_reason"] is None)
    return {
        "id": head["id"],
        "recorded_at": _text(head["recorded_at"]),
        "platform": _text(head["platform"]),
        "total": _money(head["total_fen"]),
        "periods": _int(head["periods"]),
        "first_due": date.fromisoformat(head["first_due"]).isoformat(),
        "log_entry": _int(head["contact_id"], optional=True),
        "source": _text(head["source"], optional=True),
        "paid": _money(paid_fen),
        "balance": _money(balance_fen),
        "overpaid": _money(overpaid_fen),
        "finished": balance_fen == 0,
        "next_due": next_due,
        "overdue": _money(overdue_fen),
        "schedule": schedule,
        "payments": paid_list,
        "void_reason": void_reason,
    }
