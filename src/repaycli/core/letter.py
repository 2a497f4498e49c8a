"""The written application (协商还款申请书 / hardship letter): its facts and the template filling.

Pure: the facts come in as a ``LetterFacts`` (built by the CLI from the saved plan or from flags),
the wording comes from the message catalogue and the template text from ``catalog/letters``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_CEILING, Decimal
from string import Template

from pydantic import Field

from repaycli.core.dates import monthly_due_dates
from repaycli.core.models import Installment, Money, Reason
from repaycli.core.money import ZERO, split_evenly
from repaycli.core.schedules import MAX_TERM
from repaycli.core.validated import Model
from repaycli.errors import BadInput, Failure

#: The longest plan a letter proposes of its own (``--periods``, ``--payment``): 60 months, the
#: longest a negotiation reaches (art. 70).
MAX_PERIODS = 60
#: The longest plan a letter can state: a several-debt plan's share may run past 60 months
#: (the letter then says so and asks for the term or a reduction); a plan never runs past 600.
MAX_STATED = 600
#: Free text the user adds about what happened.
MAX_DETAILS = 1000

#: Template syntax left in a finished letter: ``$name``, ``${name}``.
UNFILLED = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


class ProposedPlan(Model):
    """The plan the letter asks for."""

    kind: str = "installments"
    id: str | None = None
    #: An ask with no interest on the installments (``installments`` / ``card_personalised``).
    interest_free: bool = False
    periods: int = Field(ge=1, le=MAX_STATED)
    payment: Money
    total: Money
    first_due: date | None
    last_due: date | None
    last_amount: Money
    #: The largest installment: what the affordability limit is checked against.
    largest: Money
    deferral_months: int = 0
    #: Paid now from cash before the installments (a lump sum or part of one).
    down_payment: Money = ZERO
    #: A stepped plan's payment after recovery.
    payment_after: Money | None = None
    waived: Money = ZERO
    #: Every payment with its date (a down payment first), when known: checked against the
    #: limit in force on each date.
    schedule: list[Installment] = Field(default_factory=list)


class PauseRequest(Model):
    """What a letter asks for when nothing can be paid now: a pause, and a date to write again."""

    months: int = Field(ge=1)
    write_again: date


class LetterFacts(Model):
    """Everything the letter states; ``None`` means unknown (a placeholder is written)."""

    today: date
    platform_name: str | None
    overdue: Money
    principal: Money | None = None
    days_overdue: int | None = None
    reason: Reason | None = None
    since: date | None = None
    details: str | None = None
    recovery: date | None = None
    income: Money | None = None
    expenses: Money | None = None
    #: What the user can keep up a month (``core.situation.affordability``: 50 % of disposable
    #: income, 30 % of income without expenses — the same walk-away line as ``plan``).
    limit: Money | None = None
    #: The limit from the recovery date on (``plan --income-after``).
    limit_after: Money | None = None
    limit_after_from: date | None = None
    #: The limit as a schedule of (from-date, amount), when it changes more often than once (a
    #: lender's line in a household plan): each payment is checked against the step in force.
    limit_steps: list[tuple[date, Money]] | None = None
    #: Cash in hand (the saved plan's ``--cash``): a payment it covers is not paid from income.
    cash: Money | None = None
    #: The plan asked for; ``None`` with a ``pause`` (the hardship route).
    plan: ProposedPlan | None
    pause: PauseRequest | None = None
    documents: list[str]
    #: The whole picture, for a lender of a household with several debts (``None``: one debt).
    household: str | None = None
    #: False in the pack handed to the lender: the letter states what it proposes, never the
    #: most the user could pay (the walk-away line is the user's, not the lender's).
    disclose_limit: bool = True

    @property
    def disposable(self) -> Money | None:
        if self.income is None or self.expenses is None:
            return None
        return max(self.income - self.expenses, ZERO)

    @property
    def deficit(self) -> Money | None:
        if self.income is None or self.expenses is None or self.expenses <= self.income:
            return None
        return self.expenses - self.income

    @property
    def fits(self) -> bool | None:
        """Whether every installment is within the limit in force on its date, a first payment
        the cash covers aside (a down payment, a lump sum); ``None`` when that cannot be said
        (no plan or no limit known). A single payment is no exception: without the cash for it,
        it comes from the month's income like any other."""
        if self.plan is None or self.limit is None:
            return None
        cash = self.cash if self.cash is not None else ZERO
        if not self.plan.schedule:
            return self.plan.largest <= self.limit or (
                self.plan.periods == 1 and cash >= self.plan.largest
            )
        paid_now = self.plan.down_payment > 0
        return all(
            row.amount <= self.limit_on(row.due)
            for i, row in enumerate(self.plan.schedule)
            if not (i == 0 and (paid_now or cash >= row.amount))
        )

    def limit_on(self, day: date) -> Decimal:
        assert self.limit is not None
        if self.limit_steps:
            found = self.limit_steps[0][1]
            for start, amount in self.limit_steps:
                if start <= day:
                    found = amount
            return found
        if self.limit_after is not None and self.limit_after_from is not None:
            if day >= self.limit_after_from:
                return self.limit_after
        return self.limit

    def periods_to_fit(self) -> int | None:
        """The fewest even monthly installments of the total within the limit, if any."""
        if self.plan is None or self.limit is None or self.limit <= 0:
            return None
        count = int((self.plan.total / self.limit).to_integral_value(rounding=ROUND_CEILING))
        return count if count <= MAX_TERM else None


def check_fits(facts: LetterFacts) -> LetterFacts:
    """A letter never asks for a payment the user cannot make: a plan above the limit is
    refused, naming a length that fits or the pause letter."""
    if facts.fits is False and facts.plan is not None and facts.limit is not None:
        fewer = facts.periods_to_fit()
        raise BadInput(
            "letter.err.above_limit" if fewer else "letter.err.above_limit_pause",
            payment=f"{facts.plan.largest:,.2f}",
            limit=f"{facts.limit:,.2f}",
            periods=fewer or 0,
        )
    return facts


def proposed_from(
    *,
    kind: str,
    pid: str | None,
    payment: Decimal,
    total: Decimal,
    schedule: Sequence[tuple[date, Decimal]],
    deferral_months: int = 0,
    down_payment: Decimal = ZERO,
    payment_after: Decimal | None = None,
    waived: Decimal = ZERO,
    interest_free: bool = False,
) -> ProposedPlan:
    """The letter's plan from a plan proposal (a fresh one or one read from the saved plan);
    ``schedule`` holds every payment, a down payment first."""
    later = list(schedule[1:] if down_payment > 0 else schedule)
    amounts = [amount for _, amount in later] or [payment]
    return ProposedPlan(
        kind=kind,
        id=pid,
        periods=max(len(later), 1),
        payment=amounts[0],
        total=total,
        first_due=later[0][0] if later else None,
        last_due=later[-1][0] if later else None,
        last_amount=amounts[-1],
        largest=max(amounts),
        deferral_months=deferral_months,
        down_payment=down_payment,
        payment_after=payment_after,
        waived=waived,
        interest_free=interest_free,
        schedule=[Installment(n=i + 1, due=d, amount=a) for i, (d, a) in enumerate(schedule)],
    )


def check_details(text: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > MAX_DETAILS:
        raise BadInput("err.text_too_long", field="details", limit=MAX_DETAILS)
    return cleaned


def custom_plan(
    overdue: Decimal, *, periods: int | None, payment: Decimal | None, first_due: date
) -> ProposedPlan:
    """A plan from ``--periods`` and/or ``--payment``: the balance split evenly over the periods,
    or paid at the given payment until settled, or exactly ``periods`` × ``payment``."""
    if periods is None and payment is None:
        raise BadInput("letter.err.no_plan_terms")
    if payment is None:
        assert periods is not None
        amounts = split_evenly(overdue, periods)
    elif periods is None:
        count = int((overdue / payment).to_integral_value(rounding=ROUND_CEILING))
        if count > MAX_PERIODS:
            raise BadInput("letter.err.payment_too_small", payment=payment, high=MAX_PERIODS)
        amounts = [payment] * (count - 1) + [overdue - payment * (count - 1)]
    else:
        amounts = [payment] * periods
    dues = monthly_due_dates(first_due, len(amounts))
    total = sum(amounts, ZERO)
    return ProposedPlan(
        kind="installments",
        periods=len(amounts),
        payment=amounts[0],
        total=total,
        first_due=dues[0],
        last_due=dues[-1],
        last_amount=amounts[-1],
        largest=max(amounts),
        # Fewer periods × payment than the balance: the letter says the rest is asked to be
        # waived, rather than implying the smaller total settles the account.
        waived=max(overdue - total, ZERO),
    )


def fill_template(template: str, values: dict[str, str]) -> str:
    """``template`` with every ``$name`` replaced; a name the values lack is a bug (``Failure``).

    Values are inserted once and never re-read as template syntax, so a ``$`` the user typed
    stays as typed. Runs of blank lines left by empty parts collapse to one.
    """
    wanted = set(Template(template).get_identifiers())
    missing = sorted(wanted - set(values))
    if missing or not Template(template).is_valid():
        raise Failure("letter.err.template", names=", ".join(missing) or "$")
    text = Template(template).substitute(values)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def template_names(template: str) -> set[str]:
    return set(Template(template).get_identifiers())
