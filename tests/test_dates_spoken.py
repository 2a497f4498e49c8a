"""Issue 24: dates as people write them (``1月15日``, ``15号``, ``下周五``, ``月底``…), in the
core, at both languages' prompts, as flags and in the call screen's offer box, with today pinned.

Every expected date below was worked by hand on a calendar: 2026-12-28 is a Monday (its week runs
28 Dec – 3 Jan, the next one 4–10 Jan 2027); 2026-11-21 is a Saturday (week 16–22 Nov).
"""

from __future__ import annotations

import json
from calendar import monthrange
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import invoke, run
from repaycli.core.dates import parse_date
from repaycli.errors import BadInput
from repaycli.i18n import set_lang, t

YEAR_END = date(2026, 12, 28)  # a Monday, four days before the year turns
AUTUMN = date(2026, 11, 21)  # a Saturday, in a 30-day month

#: (form, today, the date it means when it looks ahead) — worked by hand.
FUTURE = [
    ("1月15日", YEAR_END, date(2027, 1, 15)),
    ("15号", YEAR_END, date(2027, 1, 15)),  # the 15th of this month is gone: January's
    ("15号", AUTUMN, date(2026, 12, 15)),
    ("30号", YEAR_END, date(2026, 12, 30)),  # still to come this month
    ("下个月15号", YEAR_END, date(2027, 1, 15)),
    ("下月15日", YEAR_END, date(2027, 1, 15)),
    ("下月15日", AUTUMN, date(2026, 12, 15)),
    ("12月20日", YEAR_END, date(2027, 12, 20)),  # this year's 20 Dec has passed
    ("12月20日", AUTUMN, date(2026, 12, 20)),
    ("明年1月15日", YEAR_END, date(2027, 1, 15)),
    ("明年1月15日", AUTUMN, date(2027, 1, 15)),
    ("下周五", YEAR_END, date(2027, 1, 8)),  # next week is 4–10 Jan
    ("下周五", AUTUMN, date(2026, 11, 27)),  # next week is 23–29 Nov
    ("下周一", YEAR_END, date(2027, 1, 4)),
    ("下周日", AUTUMN, date(2026, 11, 29)),
    ("下星期三", YEAR_END, date(2027, 1, 6)),
    ("本周五", YEAR_END, date(2027, 1, 1)),
    ("这周五", YEAR_END, date(2027, 1, 1)),
    ("这周日", AUTUMN, date(2026, 11, 22)),
    ("周五", YEAR_END, date(2027, 1, 1)),
    ("一个月后", YEAR_END, date(2027, 1, 28)),
    ("一个月后", AUTUMN, date(2026, 12, 21)),
    ("两个月后", YEAR_END, date(2027, 2, 28)),
    ("3个月后", YEAR_END, date(2027, 3, 28)),
    ("十五号", YEAR_END, date(2027, 1, 15)),
    ("月底", YEAR_END, date(2026, 12, 31)),
    ("月底", AUTUMN, date(2026, 11, 30)),
    ("下个月月底", YEAR_END, date(2027, 1, 31)),
    ("下月底", AUTUMN, date(2026, 12, 31)),
    ("15 Jan", YEAR_END, date(2027, 1, 15)),
    ("Jan 15", YEAR_END, date(2027, 1, 15)),
    ("15 January 2028", YEAR_END, date(2028, 1, 15)),
    ("next Friday", YEAR_END, date(2027, 1, 8)),
    ("friday", YEAR_END, date(2027, 1, 1)),
    ("end of month", AUTUMN, date(2026, 11, 30)),
    ("in 2 weeks", YEAR_END, date(2027, 1, 11)),
    ("2月29日", YEAR_END, date(2028, 2, 29)),  # the next 29 February is in a leap year
]


@pytest.mark.parametrize(("text", "today", "expected"), FUTURE)
def test_a_date_as_written_is_the_next_such_date(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today=today) == expected


#: Looking back (when a call happened, a payment made): the last such date.
PAST = [
    ("12月20日", YEAR_END, date(2026, 12, 20)),
    ("1月15日", YEAR_END, date(2026, 1, 15)),
    ("15号", YEAR_END, date(2026, 12, 15)),
    ("30号", YEAR_END, date(2026, 11, 30)),
    ("周五", YEAR_END, date(2026, 12, 25)),
    ("上周五", YEAR_END, date(2026, 12, 25)),
    ("15 Jan", YEAR_END, date(2026, 1, 15)),
]


@pytest.mark.parametrize(("text", "today", "expected"), PAST)
def test_looking_back_a_date_is_the_last_such_date(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today=today, prefer="past") == expected


@pytest.mark.parametrize(
    ("text", "today", "month", "last"),
    [
        ("4月31日", YEAR_END, 4, 30),
        ("下个月31号", date(2027, 3, 5), 4, 30),
        ("下月30日", date(2027, 1, 10), 2, 28),
        ("2月30日", YEAR_END, 2, 28),
    ],
)
def test_a_day_the_month_has_not_is_refused_with_its_last_day(
    text: str, today: date, month: int, last: int
) -> None:
    with pytest.raises(BadInput) as caught:
        parse_date(text, today=today, field="first_due")
    assert caught.value.key == "err.date_no_such_day"
    assert caught.value.params["month"] == month and caught.value.params["last"] == last
    set_lang("zh")
    said = t(caught.value.key, **caught.value.params)
    set_lang("en")
    assert f"{month}月没有" in said and f"{month}月{last}日" in said and "月底" in said


def test_the_31st_in_a_30_day_month_is_refused_not_moved() -> None:
    """``31号`` on 5 November: this month has no 31st, so no date is guessed."""
    with pytest.raises(BadInput) as caught:
        parse_date("31号", today=date(2026, 11, 5))
    assert caught.value.key == "err.date_no_such_day"
    assert (caught.value.params["month"], caught.value.params["last"]) == (11, 30)


@pytest.mark.parametrize("text", ["13月1日", "0号", "32号", "2026年2月30日"])
def test_no_month_has_it(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_date(text, today=YEAR_END)
    assert caught.value.key == "err.date_impossible"


@given(
    today=st.dates(date(2001, 1, 1), date(2090, 12, 31)),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
)
def test_a_month_and_day_is_the_first_one_on_or_after_today(
    today: date, month: int, day: int
) -> None:
    ahead = parse_date(f"{month}月{day}日", today=today)
    back = parse_date(f"{month}月{day}日", today=today, prefer="past")
    assert (ahead.month, ahead.day) == (back.month, back.day) == (month, day)
    assert today <= ahead < today + timedelta(days=366)
    assert today - timedelta(days=366) < back <= today
    assert ahead == back or ahead.year == back.year + 1


@given(today=st.dates(date(2001, 1, 1), date(2090, 12, 31)), weekday=st.integers(1, 7))
def test_next_weeks_day_is_in_next_week(today: date, weekday: int) -> None:
    found = parse_date(f"下周{'日' if weekday == 7 else weekday}", today=today)
    monday = today - timedelta(days=today.weekday())
    assert found.isoweekday() == weekday
    assert monday + timedelta(days=7) <= found <= monday + timedelta(days=13)


@given(today=st.dates(date(2001, 1, 1), date(2090, 12, 31)))
def test_month_end_is_this_months_last_day(today: date) -> None:
    assert parse_date("月底", today=today) == today.replace(
        day=monthrange(today.year, today.month)[1]
    )


# --- flags, prompts and the call screen, end to end --------------------------------------

PLAN = ["plan", "--platform", "huabei", "--overdue", "8000", "--income", "5000",
        "--expenses", "3000", "--days-overdue", "30"]  # fmt: skip
#: The forms the issue lists, for a field that looks ahead, with today 2026-12-28.
LISTED = [
    ("1月15日", date(2027, 1, 15)),
    ("15号", date(2027, 1, 15)),
    ("下个月15号", date(2027, 1, 15)),
    ("下月15日", date(2027, 1, 15)),
    ("12月20日", date(2027, 12, 20)),
    ("明年1月15日", date(2027, 1, 15)),
    ("下周五", date(2027, 1, 8)),
    ("一个月后", date(2027, 1, 28)),
    ("月底", date(2026, 12, 31)),
]


@pytest.fixture
def year_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAYCLI_TODAY", YEAR_END.isoformat())


def _plan(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.usefixtures("year_end")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_each_form_as_a_flag(lang: str, text: str, expected: date) -> None:
    data = _plan(invoke("--lang", lang, *PLAN, "--recovery", text, "--start", text, "--json"))
    assert data["recovery"] == expected.isoformat()
    assert data["proposals"][0]["schedule"][0]["due"] == expected.isoformat()


@pytest.mark.usefixtures("year_end")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_each_form_at_the_prompt(lang: str, text: str, expected: date) -> None:
    """The interview: platform … reason, then the recovery date, then the income after it."""
    answers = ["huabei", "8000", "5000", "3000", "30", "", "", text, "6000"]
    data = _plan(invoke("--lang", lang, "plan", "--json", input="\n".join(answers) + "\n"))
    assert data["recovery"] == expected.isoformat()


@pytest.mark.usefixtures("year_end")
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("answer", ["不知道", "跳过", "", "skip", "不知道。"])
def test_an_optional_date_prompt_takes_i_dont_know_as_skip(lang: str, answer: str) -> None:
    answers = ["huabei", "8000", "5000", "3000", "30", "", "", answer]
    result = invoke("--lang", lang, "plan", "--json", input="\n".join(answers) + "\n")
    data = _plan(result)
    assert data["recovery"] is None
    assert "err" not in result.stderr.lower() and "错误" not in result.stderr


@pytest.mark.usefixtures("year_end")
def test_a_past_date_where_only_the_future_makes_sense_names_the_field() -> None:
    result = invoke("--lang", "zh", *PLAN, "--start", "上周五", "--json")
    assert result.exit_code == 2
    assert "首期还款日 上周五 早于今天" in result.stderr
    result = invoke("--lang", "zh", *PLAN, "--start", "4月31日", "--json")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        t("err.prefix", "zh")
        + t(
            "err.date_no_such_day",
            "zh",
            field=t("field.start", "zh"),
            value="4月31日",
            month=4,
            day=31,
            last=30,
        )  # fmt: skip
    ]


def test_the_forms_in_a_real_process() -> None:
    """The installed program, a fresh interpreter: the forms reach it through argv in UTF-8."""
    result = run(*PLAN, "--recovery", "明年1月15日", "--start", "下周五", "--json",
                 env={"REPAYCLI_TODAY": YEAR_END.isoformat()})  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["recovery"] == "2027-01-15"
    assert data["proposals"][0]["schedule"][0]["due"] == "2027-01-08"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("text", "expected"), LISTED)
def test_each_form_in_the_call_screens_offer_box(lang: str, text: str, expected: date) -> None:
    """The offer box is evaluated by ``services.call.evaluate_typed``, as the screen does."""
    from repaycli.services.call import Situation, evaluate_typed, prepare

    set_lang(lang)
    setup = prepare("huabei", Situation(), day=YEAR_END)
    typed = {"amount": "8000", "periods": "12", "payment": "750", "first_due": text}
    result = evaluate_typed(setup, typed)
    set_lang("en")
    assert result is not None
    assert result.schedule[0].due == expected
