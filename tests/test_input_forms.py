"""Issue 11: dates, contact times, counts, amounts and choices as people type them — Chinese
words, full-width digits and punctuation — and a contact time whose unit is ambiguous refused,
never guessed (the log is append-only)."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import LOG_ADD, invoke, run
from repaycli.core.dates import parse_date, parse_datetime
from repaycli.core.inputs import parse_int, parse_reason
from repaycli.core.models import Reason
from repaycli.core.money import parse_amount
from repaycli.errors import BadInput

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 15, 20, tzinfo=CST)
TODAY = NOW.date()


def full_width(text: str) -> str:
    """ASCII digits, letters and punctuation as their full-width forms (what a Chinese IME
    types): ``20`` → ``２０``, ``:`` → ``：``."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3天后", date(2026, 11, 24)),
        ("3天以后", date(2026, 11, 24)),
        ("5天前", date(2026, 11, 16)),
        ("2周后", date(2026, 12, 5)),
        ("2个星期后", date(2026, 12, 5)),
        ("3个月", date(2027, 2, 21)),
        ("3个月后", date(2027, 2, 21)),
        ("1个月以前", date(2026, 10, 21)),
        ("1年后", date(2027, 11, 21)),
        ("20天", date(2026, 12, 11)),
        ("昨天", date(2026, 11, 20)),
        ("前天", date(2026, 11, 19)),
        ("后天", date(2026, 11, 23)),
        ("明日", date(2026, 11, 22)),
        ("2026年12月1号", date(2026, 12, 1)),
        ("２０２６－１２－０１", date(2026, 12, 1)),
        ("+3mo", date(2027, 2, 21)),
        ("-1m", date(2026, 10, 21)),  # a date: m is months, as documented (+1m)
        # issue 24: people write these, and a date without its year is the next such date
        ("三天后", date(2026, 11, 24)),
        ("12月1日", date(2026, 12, 1)),
    ],
)
def test_dates_as_typed(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["3月", "3 天 后 后", "明年", "下周八", "十二三号"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_date(text, today=TODAY)
    assert caught.value.key == "err.date_format"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10分钟前", NOW - timedelta(minutes=10)),
        ("10 分钟以前", NOW - timedelta(minutes=10)),
        ("半小时前", NOW - timedelta(minutes=30)),
        ("2小时前", NOW - timedelta(hours=2)),
        ("2个小时前", NOW - timedelta(hours=2)),
        ("-10min", NOW - timedelta(minutes=10)),
        ("-2h", NOW - timedelta(hours=2)),
        ("今天下午2点", datetime(2026, 11, 21, 14, 0, tzinfo=CST)),
        ("下午2点半", datetime(2026, 11, 21, 14, 30, tzinfo=CST)),
        ("今天上午9点15分", datetime(2026, 11, 21, 9, 15, tzinfo=CST)),
        ("昨天晚上8点", datetime(2026, 11, 20, 20, 0, tzinfo=CST)),
        ("昨天晚上12点", datetime(2026, 11, 21, 0, 0, tzinfo=CST)),
        ("中午12点", datetime(2026, 11, 21, 12, 0, tzinfo=CST)),
        ("中午1点", datetime(2026, 11, 21, 13, 0, tzinfo=CST)),
        ("前天 10:05", datetime(2026, 11, 19, 10, 5, tzinfo=CST)),
        ("14:30", datetime(2026, 11, 21, 14, 30, tzinfo=CST)),
        ("１４：３０", datetime(2026, 11, 21, 14, 30, tzinfo=CST)),
        ("昨天", NOW - timedelta(days=1)),
        ("前天", NOW - timedelta(days=2)),
        ("3天前", NOW - timedelta(days=3)),
        ("现在", NOW),
        ("2026-11-21 09:00", datetime(2026, 11, 21, 9, 0, tzinfo=CST)),
    ],
)
def test_contact_times_as_typed(text: str, expected: datetime) -> None:
    assert parse_datetime(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["-10m", "+10m", "-1m", "－１０ｍ", "-10M"])
def test_a_contact_time_in_m_is_refused_not_guessed(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_datetime(text, now=NOW, field="at")
    assert caught.value.key == "err.time_unit_ambiguous"


@pytest.mark.parametrize(("text", "key"), [("25点", "err.time_impossible"),
                                           ("14:61", "err.time_impossible"),
                                           ("10分钟", "err.time_format"),
                                           ("soon", "err.time_format")])  # fmt: skip
def test_bad_times_say_which_forms_work(text: str, key: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_datetime(text, now=NOW, field="at")
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [("20天", "days_overdue", 20), ("２０天", "days_overdue", 20), ("20 days", "days_overdue", 20),
     ("12期", "periods", 12), ("3个月", "periods", 3), ("３６", "periods", 36)],
)  # fmt: skip
def test_counts_with_their_units(text: str, field: str, expected: int) -> None:
    assert parse_int(text, field=field, low=0, high=3650) == expected


def test_a_count_with_the_wrong_unit_is_refused() -> None:
    with pytest.raises(BadInput):
        parse_int("3个月", field="days_overdue", low=0, high=3650)  # months are not days


def test_hardship_reasons_in_chinese() -> None:
    assert parse_reason("被裁员") is Reason.UNEMPLOYMENT
    assert parse_reason("住院") is Reason.MEDICAL
    with pytest.raises(BadInput) as caught:
        parse_reason("无聊")
    assert caught.value.key == "err.reason_choice"


# --- properties ----------------------------------------------------------------------------

SPANS = st.tuples(st.sampled_from("+-"), st.integers(0, 999), st.sampled_from("dwmy"))
ZH_UNIT = {"d": "天", "w": "周", "m": "个月", "y": "年"}


@given(SPANS)
def test_chinese_spans_mean_the_same_as_the_short_forms(span: tuple[str, int, str]) -> None:
    sign, count, unit = span
    short = f"{sign}{count}{unit}"
    chinese = f"{count}{ZH_UNIT[unit]}{'后' if sign == '+' else '前'}"
    try:
        expected = parse_date(short, today=TODAY)
    except BadInput as error:
        with pytest.raises(BadInput) as caught:
            parse_date(chinese, today=TODAY)
        assert caught.value.key == error.key
        return
    assert parse_date(chinese, today=TODAY) == expected
    assert parse_date(full_width(chinese), today=TODAY) == expected
    assert parse_date(full_width(short), today=TODAY) == expected


@given(st.integers(0, 9999), st.sampled_from(["分钟前", "小时前"]))
def test_minutes_and_hours_ago_mean_the_same_in_both_forms(count: int, unit: str) -> None:
    latin = f"-{count}{'min' if unit == '分钟前' else 'h'}"
    try:
        expected = parse_datetime(latin, now=NOW)
    except BadInput:
        return  # too far back: both are refused
    assert parse_datetime(f"{count}{unit}", now=NOW) == expected
    assert parse_datetime(full_width(latin), now=NOW) == expected
    assert expected == NOW - timedelta(minutes=count * (1 if unit == "分钟前" else 60))


@given(st.dates(date(2000, 1, 1), date(2070, 12, 31)), st.integers(0, 23), st.integers(0, 59))
def test_full_width_date_times_parse_as_their_ascii_form(day: date, hour: int, minute: int) -> None:
    ascii_text = f"{day.isoformat()} {hour:02d}:{minute:02d}"
    assert parse_datetime(full_width(ascii_text), now=NOW) == parse_datetime(ascii_text, now=NOW)
    assert parse_date(full_width(day.isoformat()), today=TODAY) == day
    assert unicodedata.normalize("NFKC", full_width(ascii_text)) == ascii_text


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2))
def test_full_width_amounts_parse_as_their_ascii_form(value: Decimal) -> None:
    for text in (f"{value}", f"{value:,}", f"¥{value}", f"{value}元"):
        assert parse_amount(full_width(text)) == parse_amount(text) == value


# --- through the command line ---------------------------------------------------------------

PINNED = {"REPAYCLI_TODAY": "2026-11-21"}


def test_log_add_takes_minutes_ago_and_wechat() -> None:
    result = invoke(
        "log", "add", "--no-input", "--platform", "分付", "--channel", "微信",
        "--outcome", "没接", "--at", "10分钟前", "--follow-up", "3天后", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)["entry"]
    assert entry["channel"] == "wechat" and entry["outcome"] == "no_answer"
    at = datetime.fromisoformat(entry["at"])
    assert timedelta(minutes=9) < datetime.now(at.tzinfo) - at < timedelta(minutes=11)


def test_log_add_refuses_an_ambiguous_minus_10m_in_both_languages() -> None:
    result = invoke(*LOG_ADD, "--outcome", "pending", "--at", "-10m")
    assert result.exit_code == 2
    assert "-10min" in result.stderr and "-10mo" in result.stderr
    done = run(*LOG_ADD, "--outcome", "pending", "--at", "-10m", env={"REPAYCLI_LANG": "zh"})
    assert done.returncode == 2
    assert done.stderr.startswith("错误：") and "10分钟前" in done.stderr, done.stderr
    assert "10个月前" in done.stderr
    assert invoke("log", "list", "--json").stdout.count('"id"') == 0  # nothing was written


def test_log_prompts_show_choices_and_now_in_chinese_and_take_chinese_words() -> None:
    answers = ["", "花呗", "打电话", "", "", "", "", "", "", "同意", "", "", "", "", ""]
    done = run("--lang", "zh", "log", "add", "--json", input="\n".join(answers) + "\n")
    assert done.returncode == 0, done.stderr
    assert "[现在]" in done.stderr and "[now]" not in done.stderr
    assert "电话/App 内客服/在线客服/邮件/信件/当面" in done.stderr
    assert "phone/app_chat" not in done.stderr
    entry = json.loads(done.stdout)["entry"]
    assert (entry["channel"], entry["outcome"]) == ("phone", "agreed")


def test_a_bad_choice_lists_the_labels_in_the_users_language() -> None:
    done = run(*LOG_ADD[:-1], "飞鸽传书", env={"REPAYCLI_LANG": "zh"})
    assert done.returncode == 2
    assert "电话、App 内客服、在线客服、邮件、信件、当面" in done.stderr, done.stderr
    result = invoke(*LOG_ADD[:-1], "pigeon")
    assert "pigeon is not one of: phone, app_chat" in result.stderr


def test_plan_takes_days_with_their_unit_and_full_width_amounts() -> None:
    args = ["plan", "--no-input", "--platform", "花呗", "--income", "９０００", "--json"]
    one = invoke(*args, "--overdue", "８０００元", "--days-overdue", "２０天", env=PINNED)
    two = invoke(*args, "--overdue", "8000", "--days-overdue", "20", env=PINNED)
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert '"days_overdue": 20' in one.stdout


def test_offer_and_agreement_take_periods_with_their_unit() -> None:
    result = invoke(
        "offer", "--no-input", "--ignore-plan", "--amount", "1.2万", "--periods", "12期",
        "--annual-rate", "18%", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = invoke(
        "agreement", "add", "--no-input", "--platform", "招联", "--total", "12000",
        "--periods", "12个月", "--first-due", "1个月后", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["agreement"]["schedule"]) == 12


def test_a_strategy_by_its_chinese_name() -> None:
    debts = Path(__file__).resolve().parents[1] / "examples" / "debts.toml"
    args = ["plan", "--no-input", "--debts", str(debts), "--json"]
    by_name = invoke(*args, "--strategy", "雪崩法", env=PINNED)
    by_id = invoke(*args, "--strategy", "avalanche", env=PINNED)
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_name.stdout) == json.loads(by_id.stdout)
    done = run(*args[:-1], "--strategy", "乱来", env={"REPAYCLI_LANG": "zh"})
    assert done.returncode == 2 and "雪崩法（avalanche）" in done.stderr
