"""Match a bill's repayment rows to agreement installments by lender, amount and date.

The interface is small on purpose, so that any list of open installments can be matched (the
agreements of today, the debt register's tomorrow): ``match(rows, installments, lenders=…)`` →
``Matching`` (matched / ambiguous / unplaced / already recorded).

Rules:

- the lender of a row is the platform whose name or alias its counterparty, description or
  category names (the longest name wins: 京东白条 over 白条); a row naming none is unplaced;
- a payment goes to an agreement's earliest open installments (as ``repaycli pay`` applies
  it), so a row fits an agreement when its amount is exactly what the earliest open installment
  has left — or the next few together (two months caught up in one payment) — and it was paid
  no more than ``EARLY_DAYS`` before the earliest of them fell due;
- one agreement fitting: matched (and its next installment becomes the open one); several:
  ambiguous, unless ``choices`` names the agreement (or ``None``: leave the row); none: unplaced,
  with the reason;
- a row whose order number is already recorded (``known``) or was seen earlier in the same bill
  is reported as already recorded, never matched again.

Rows are taken in time order, so a bill's first repayment to an agreement pays its first open
installment. Every repayment row ends in exactly one of the four lists.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from repaycli.core.bills.rows import BillRow
from repaycli.core.record import Field, Model

#: A payment made this long before an installment fell due still counts for it (people pay
#: early; a payment earlier than this was for something else).
EARLY_DAYS = 45


class OpenInstallment(Model):
    """An installment with something left to pay, of an agreement with a lender (platform id)."""

    agreement_id: int
    platform: str
    n: int
    due: date
    left: Decimal


class Why(StrEnum):
    """Why a repayment row was not placed."""

    NO_LENDER = "no_lender"  # the row names no platform of the catalogue
    NO_AGREEMENT = "no_agreement"  # no open agreement with that lender
    NO_INSTALLMENT = "no_installment"  # agreements, but none has that amount open at that date
    LEFT = "left"  # the user chose to leave it
    NO_ORDER_NO = "no_order_no"  # no order number: it could not be told from a second import


class Matched(Model):
    """A row placed: it pays installments ``n`` to ``last`` (the same one, mostly) of the
    agreement; ``due``: when installment ``n`` fell due."""

    row: BillRow
    platform: str
    agreement_id: int
    n: int
    due: date
    last: int


class Ambiguous(Model):
    row: BillRow
    platform: str
    candidates: list[OpenInstallment]


class Unplaced(Model):
    row: BillRow
    why: Why
    platforms: list[str] = Field(default_factory=list)


class Matching(Model):
    matched: list[Matched] = Field(default_factory=list)
    ambiguous: list[Ambiguous] = Field(default_factory=list)
    unplaced: list[Unplaced] = Field(default_factory=list)
    already: list[BillRow] = Field(default_factory=list)


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(" ", "")


def lender_names(platforms: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Normalised name → platform id, from each platform's id and names (name_zh, name_en,
    aliases). A name two platforms share is dropped (it names neither)."""
    names: dict[str, str] = {}
    shared: set[str] = set()
    for pid, listed in platforms:
        for name in listed:
            key = _key(name)
            if len(key) < 2:
                continue
            if key in names and names[key] != pid:
                shared.add(key)
            names[key] = pid
    return {k: v for k, v in names.items() if k not in shared}


def lenders_of(row: BillRow, names: Mapping[str, str]) -> list[str]:
    """The platforms a row names in its counterparty, description or category: those with the
    longest name found (花呗 in 花呗主动还款; 招商银行 in 招商银行信用卡)."""
    text = _key(" ".join((row.counterparty, row.item, row.category)))
    best = 0
    found: list[str] = []
    for name, pid in names.items():
        if name in text:
            if len(name) > best:
                best, found = len(name), [pid]
            elif len(name) == best and pid not in found:
                found.append(pid)
    return sorted(found)


def match(
    rows: Iterable[BillRow],
    installments: Iterable[OpenInstallment],
    *,
    lenders: Mapping[str, str],
    known: Collection[str] = (),
    choices: Mapping[str, int | None] | None = None,
) -> Matching:
    """Place each repayment row (see the module's rules). ``known``: order numbers already
    recorded; ``choices``: order number → the agreement the user chose (``None``: leave it)."""
    chosen = choices or {}
    queues: dict[int, list[OpenInstallment]] = {}
    for item in sorted(installments, key=lambda i: (i.agreement_id, i.n)):
        if item.left > 0:
            queues.setdefault(item.agreement_id, []).append(item)
    result = Matching()
    seen: set[str] = set()
    waiting: list[tuple[BillRow, list[str]]] = []
    for row in sorted(rows, key=lambda r: (r.at, r.order_no, r.line)):
        if row.order_no and (row.order_no in known or row.order_no in seen):
            result.already.append(row)
            continue
        if not row.order_no:
            result.unplaced.append(Unplaced(row=row, why=Why.NO_ORDER_NO))
            continue
        seen.add(row.order_no)
        platforms = lenders_of(row, lenders)
        if not platforms:
            result.unplaced.append(Unplaced(row=row, why=Why.NO_LENDER))
            continue
        waiting.append((row, platforms))
    # Pass after pass in time order until nothing more is placed: a row that fitted nothing (or
    # several agreements) may fit once a later row has paid an installment before it — so one
    # import places all it can, and importing the bill again finds nothing new.
    while True:
        unsettled: list[Unplaced | Ambiguous] = []
        still: list[tuple[BillRow, list[str]]] = []
        for row, platforms in waiting:
            outcome = _place(row, platforms, queues, chosen)
            if isinstance(outcome, Matched):
                result.matched.append(outcome)
            else:
                unsettled.append(outcome)
                still.append((row, platforms))
        if len(still) == len(waiting) or not still:
            break
        waiting = still
    for outcome in unsettled:
        if isinstance(outcome, Ambiguous):
            result.ambiguous.append(outcome)
        else:
            result.unplaced.append(outcome)
    return result


def _place(
    row: BillRow,
    platforms: list[str],
    queues: dict[int, list[OpenInstallment]],
    chosen: Mapping[str, int | None],
) -> Matched | Ambiguous | Unplaced:
    """One row against the agreements' open installments as they stand (a match takes its
    installments off ``queues``)."""
    heads = [q[0] for q in queues.values() if q and q[0].platform in platforms]
    if not heads:
        return Unplaced(row=row, why=Why.NO_AGREEMENT, platforms=platforms)
    paid_on = row.at.date()
    spans = {
        h.agreement_id: _span(queues[h.agreement_id], row.amount)
        for h in heads
        if paid_on >= h.due - timedelta(days=EARLY_DAYS)
    }
    fits = [h for h in heads if spans.get(h.agreement_id)]
    if row.order_no in chosen:
        pick = chosen[row.order_no]
        if pick is None:
            return Unplaced(row=row, why=Why.LEFT, platforms=platforms)
        fits = [h for h in fits if h.agreement_id == pick] or fits
    if not fits:
        return Unplaced(row=row, why=Why.NO_INSTALLMENT, platforms=platforms)
    if len(fits) > 1:
        return Ambiguous(row=row, platform=fits[0].platform, candidates=fits)
    head = fits[0]
    count = spans[head.agreement_id]
    paid = queues[head.agreement_id][:count]
    del queues[head.agreement_id][:count]
    return Matched(
        row=row,
        platform=head.platform,
        agreement_id=head.agreement_id,
        n=head.n,
        due=head.due,
        last=paid[-1].n,
    )


def _span(queue: Sequence[OpenInstallment], amount: Decimal) -> int:
    """How many of an agreement's open installments, from the earliest, ``amount`` pays off
    exactly (0: none — it is not a whole number of them)."""
    total = Decimal(0)
    for count, item in enumerate(queue, 1):
        total += item.left
        if total == amount:
            return count
        if total > amount:
            return 0
    return 0


def mask_account(text: str) -> str:
    """A counterparty's account as a redacted export shows it: ``****@alipay.com`` for an
    e-mail address, else ``****`` and its last four characters (all masked when shorter)."""
    if not text:
        return text
    if "@" in text:
        return "****@" + text.rsplit("@", 1)[1]
    return "****" + text[-4:] if len(text) > 8 else "****"
