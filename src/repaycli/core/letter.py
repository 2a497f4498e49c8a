"""The written application (协商还款申请书 / hardship letter): its facts and the template filling.

Pure: the facts come in as a ``LetterFacts`` (built by the CLI from the saved plan or from flags),
the wording comes from the message catalogue and the template text from ``catalog/letters``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_CEILING, Decimal
from string import Template

from pydantic import Field

from repaycli.core.dates import monthly_due_dates
from repaycli.core.models import Model, Money, Reason
from repaycli.core.money import ZERO, split_evenly
from repaycli.errors import BadInput, Failure

#: The longest plan a letter proposes (card personalised plans stop at 60 months).
MAX_PERIODS = 360
#: Free text the user adds about what happened.
MAX_DETAILS = 1000

#: Template syntax left in a finished letter: ``$name``, ``${name}``.
UNFILLED = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


class ProposedPlan(Model):
    """The plan the letter asks for."""

    kind: str = "installments"
    id: str | None = None
    periods: int = Field(ge=1, le=MAX_PERIODS)
    payment: Money
    total: Money
    first_due: date | None
    last_due: date | None
    last_amount: Money
    #: The largest installment: what the affordability limit is checked against.
    largest: Money
    deferral_months: int = 0


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
    plan: ProposedPlan
    documents: list[str]

    @property
    def disposable(self) -> Money | None:
        if self.income is None or self.expenses is None:
            return None
        return max(self.income - self.expenses, ZERO)

    @property
    def fits(self) -> bool | None:
        """Whether every installment is within the limit; ``None`` when that cannot be said
        (no limit known, or a single payment, which comes from savings rather than income)."""
        if self.limit is None or self.plan.periods == 1:
            return None
        return self.plan.largest <= self.limit

    def periods_to_fit(self) -> int | None:
        """The fewest even monthly installments of the total within the limit, if any."""
        if self.limit is None or self.limit <= 0:
            return None
        count = int((self.plan.total / self.limit).to_integral_value(rounding=ROUND_CEILING))
        return count if count <= MAX_PERIODS else None


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
    return ProposedPlan(
        kind="installments",
        periods=len(amounts),
        payment=amounts[0],
        total=sum(amounts, ZERO),
        first_due=dues[0],
        last_due=dues[-1],
        last_amount=amounts[-1],
        largest=max(amounts),
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
