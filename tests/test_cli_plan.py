import json
import re
from pathlib import Path

import pytest

from helpers import invoke, run

BASE = ["plan", "--platform", "huabei", "--overdue", "8000", "--income", "6000"]
FULL = [*BASE, "--expenses", "3500", "--days-overdue", "30", "--reason", "medical"]
PINNED = {"REPAYCLI_TODAY": "2026-11-21"}


def test_json_shape_is_stable() -> None:
    result = invoke(*FULL, "--json", env=PINNED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {
        "debts",
        "affordability",
        "cost_of_waiting",
        "proposals",
        "ladder",
        "checklist",
        "log_template",
        "schema_version",
    } <= set(data)
    assert data["affordability"] == {
        "limit": "1250.00",
        "basis": "disposable",
        "share_percent": "50.00",
        "income": "6000.00",
        "expenses": "3500.00",
        "disposable": "2500.00",
        "deficit": None,
        "income_after": None,
        "disposable_after": None,
        "limit_after": None,
        "limit_after_from": None,
    }
    assert set(data["cost_of_waiting"]) >= {"per_day", "next_30_days", "next_90_days"}
    proposal = data["proposals"][0]
    assert {
        "id",
        "kind",
        "platform",
        "periods",
        "payment",
        "total",
        "apr_percent",
        "apr_compound_percent",
        "affordable",
        "standard",
        "needs_negotiation",
        "basis",
        "balance",
        "waived",
        "schedule",
    } <= set(proposal)
    assert proposal["schedule"][0] == {"n": 1, "due": "2026-12-21", "amount": "1125.97"}
    assert data["ladder"] == {
        "opening": "principal-7",
        "target": "waive-7",
        "walk_away_monthly": "1250.00",
        "walk_away_after": None,
        "walk_away_after_from": None,
        "nothing_affordable": False,
        "needed_payment": None,
        "hardship": None,
    }
    assert data["schema_version"] == 2
    assert [s["id"] for s in data["checklist"]["stages"]] == [
        "before",
        "during",
        "after",
        "if_refused",
        "warnings",
    ]
    assert [f["name"] for f in data["log_template"]["fields"]][:3] == ["at", "platform", "channel"]


def test_text_report_in_english_and_chinese() -> None:
    english = invoke(*FULL, "--details", env=PINNED)
    assert english.exit_code == 0, english.output
    for text in (
        "Repayment plan: Huabei (Alipay)",
        "Negotiation ladder",
        "Walk-away line",
        "95188",
        "Call log (template)",
        "The cost of waiting",
    ):
        assert text in english.stdout
    chinese = invoke("--lang", "zh", *FULL, "--details", env=PINNED)
    assert chinese.exit_code == 0, chinese.output
    for text in (
        "还款方案：花呗",
        "协商阶梯",
        "底线",
        "通话记录（模板）",
        "拖延的代价",
        "诊断证明",
    ):
        assert text in chinese.stdout
    assert "\x1b[" not in english.stdout + chinese.stdout


def test_language_from_environment_and_locale() -> None:
    by_env = invoke(*BASE, "--no-input", env={**PINNED, "REPAYCLI_LANG": "zh"})
    assert by_env.stdout.startswith("打给花呗")  # the call card comes first
    by_locale = invoke(*BASE, env={**PINNED, "REPAYCLI_LANG": "", "LANG": "zh_CN.UTF-8"})
    assert by_locale.stdout.startswith("打给花呗")
    flag_wins = invoke(*BASE, "--lang", "en", env={**PINNED, "REPAYCLI_LANG": "zh"})
    assert flag_wins.stdout.startswith("Call Huabei")


def test_markdown_format() -> None:
    result = invoke(*FULL, "--format", "markdown", env=PINNED)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Repayment plan: Huabei (Alipay)\n")
    assert "| inst-7 |" in result.stdout
    assert "## Negotiation ladder" in result.stdout


def test_prompts_reask_on_bad_answers() -> None:
    answers = "\n".join(["huabay", "huabei", "-5", "abc", "1.2万", "5000", "", "", "", "", "", ""])
    result = run("plan", "--json", input=answers + "\n", env=PINNED)
    assert result.returncode == 0, result.stderr
    assert "unknown platform huabay; did you mean: Huabei (Alipay)?" in result.stderr
    assert "overdue amount: -5 is negative" in result.stderr
    assert "overdue amount: abc is not an amount" in result.stderr
    data = json.loads(result.stdout)
    assert data["debts"][0]["overdue"] == "12000.00"
    assert data["affordability"]["income"] == "5000.00"


def test_interview_offers_optional_values() -> None:
    answers = ["jiebei", "6000", "4000", "2000", "15", "", "unemployment", "+2m"]
    result = run("plan", "--json", input="\n".join(answers) + "\n", env=PINNED)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["affordability"]["expenses"] == "2000.00"
    assert data["debts"][0]["days_overdue"] == 15
    assert data["reason"] == "unemployment"
    assert data["recovery"] == "2027-01-21"


def test_no_input_makes_missing_value_an_error() -> None:
    result = invoke("plan", "--platform", "huabei", "--no-input", env=PINNED)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: a value is missing; give it with --overdue "
        "(or run without --no-input to be asked)\n"
    )


def test_end_of_input_is_a_clear_error() -> None:
    result = invoke("plan", "--platform", "huabei", input="", env=PINNED)
    assert result.exit_code == 2
    assert "give it with --overdue" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--overdue", "0"], "Error: overdue amount: the amount must be more than 0"),
        (
            ["--overdue", "-100"],
            "Error: overdue amount: -100 is negative; give the amount as a positive number such as 8000",
        ),
        (
            ["--overdue", "nan"],
            "Error: overdue amount: nan is not an amount; type a number such as 8000, ¥8,000.50, 1.2万 or 3千",
        ),
        (
            ["--overdue", "inf"],
            "Error: overdue amount: inf is not an amount; type a number such as 8000, ¥8,000.50, 1.2万 or 3千",
        ),
        (
            ["--overdue", "1e99"],
            "Error: overdue amount: 1e99 is not an amount; type a number such as 8000, ¥8,000.50, 1.2万 or 3千",
        ),
        (
            ["--overdue", "999999999999"],
            "Error: overdue amount: 999999999999 is more than 100 million yuan; check the number of digits",
        ),
        (
            ["--income", "lots"],
            "Error: monthly income: lots is not an amount; type a number such as 8000, ¥8,000.50, 1.2万 or 3千",
        ),
        (
            ["--reason", "bored"],
            "Error: hardship reason: bored is not one of: medical, unemployment, income drop, family emergency, business failure, oversight, other",
        ),
        (
            ["--recovery", "2027-02-30"],
            "Error: expected recovery date: 2027-02-30 is not a real date (check the month and day)",
        ),
        (
            ["--recovery", "2020-01-01"],
            "Error: the recovery date 2020-01-01 is not after today; give a future date such as +3m",
        ),
        (
            ["--start", "2026-01-01"],
            "Error: the first due date 2026-01-01 is before today; give today or a later date",
        ),
        (
            ["--annual-rate", "15"],
            "Error: annual rate: 15 is ambiguous; write it as a percentage (12%) or a fraction (0.12)",
        ),
        (["--penalty-rate", "-1%"], "Error: penalty rate: -1% is negative; rates are 0 or more"),
        (["--days-overdue", "-3"], "Error: days overdue: -3 is negative; give 0 or more"),
        (
            ["--platform", "花贝"],
            "Error: unknown platform 花贝; did you mean: Huabei (Alipay)? ('repaycli platforms' lists all)",
        ),
        (
            ["--platform", "zzzz"],
            "Error: unknown platform zzzz; run 'repaycli platforms' to see the names, or use 'other'",
        ),
        (
            ["--principal", "9000"],
            "Error: the principal (9000) cannot be more than the overdue amount (8000)",
        ),
        (
            ["--limit-share", "150%"],
            "Error: 150% is not a share; give a percentage between 1% and 100%, such as 50%",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    values = dict(zip(BASE[1::2], BASE[2::2], strict=True))
    for flag, value in zip(args[::2], args[1::2], strict=True):
        values[flag] = value
    argv = ["plan", "--no-input"] + [x for pair in values.items() for x in pair]
    result = invoke(*argv, env=PINNED)
    assert result.exit_code == 2, result.output
    assert result.stderr == message + "\n"
    assert result.stdout == ""


def test_bad_input_in_chinese() -> None:
    result = invoke(
        "--lang", "zh", *BASE[:3], "--overdue", "abc", "--income", "1", "--no-input", env=PINNED
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：逾期金额：abc 不是金额")


def test_zero_income_is_advice_not_error() -> None:
    result = invoke(
        "plan",
        "--platform",
        "zhaohang",
        "--overdue",
        "30000",
        "--income",
        "0",
        "--reason",
        "unemployment",
        "--no-input",
        "--details",
        env=PINNED,
    )
    assert result.exit_code == 0, result.output
    assert "No plan fits your budget now" in result.stdout
    assert "legal aid" in result.stdout


def test_overrides_and_user_catalogue(tmp_path: Path, _isolated: Path) -> None:
    _isolated.mkdir(parents=True, exist_ok=True)
    (_isolated / "platforms.toml").write_text(
        '[huabei]\nannual_rate = "0"\nperiods = [4]\n\n'
        '[xiaodai]\nname_zh = "某小贷"\nname_en = "Some microloan"\nkind = "other"\n'
        'periods = [6]\nmax_deferral_months = 0\nannual_rate = "0.24"\n'
        'penalty_rate_daily = "0.001"\n',
        encoding="utf-8",
    )
    result = invoke(*BASE, "--json", env=PINNED)
    ids = [p["id"] for p in json.loads(result.stdout)["proposals"]]
    assert ids == ["inst-5-free"]
    custom = invoke(
        "plan",
        "--platform",
        "Some microloan",
        "--overdue",
        "1000",
        "--income",
        "3000",
        "--annual-rate",
        "12%",
        "--penalty-rate",
        "0.1%/day",
        "--json",
        env=PINNED,
    )
    data = json.loads(custom.stdout)
    assert data["debts"][0]["platform"] == "xiaodai"
    assert data["proposals"][1]["apr_percent"] == "12.00"
    assert data["cost_of_waiting"]["per_day"] == "1.00"
    broken = _isolated / "platforms.toml"
    broken.write_text("[huabei\n", encoding="utf-8")
    bad = invoke(*BASE, env=PINNED)
    assert bad.exit_code == 2
    assert bad.stderr.startswith(f"Error: the platform file {broken} cannot be used:")


def test_plan_is_saved_for_later_commands(_isolated: Path) -> None:
    result = invoke(*FULL, env=PINNED)
    assert result.exit_code == 0
    saved = json.loads((_isolated / "last-plan.json").read_text(encoding="utf-8"))
    assert saved["ladder"]["target"] == "waive-7"
    assert (_isolated / "last-plan.json").stat().st_mode & 0o777 == 0o600


def test_real_subprocess_plain_output_when_piped() -> None:
    result = run(*FULL, "--details", env=PINNED)
    assert result.returncode == 0, result.stderr
    assert "Negotiation ladder" in result.stdout
    assert "\x1b" not in result.stdout
    bad = run(*BASE[:3], "--overdue", "nan", "--income", "1", "--no-input", env=PINNED)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    chinese = run(*FULL, "--lang", "zh", "--details", env=PINNED)
    assert "协商阶梯" in chinese.stdout


def test_version_and_module_entry() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("repaycli ")


@pytest.mark.parametrize(
    ("share", "limit"), [("40", "1000.00"), ("40%", "1000.00"), ("0.4", "1000.00"), ("1", "25.00")]
)
def test_limit_share_forms(share: str, limit: str) -> None:
    result = invoke(*FULL, "--limit-share", share, "--json", "--no-save", env=PINNED)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["affordability"]["limit"] == limit


def test_toml_numbers_never_pass_through_a_float(_isolated: Path) -> None:
    _isolated.mkdir(parents=True, exist_ok=True)
    (_isolated / "platforms.toml").write_text(
        "[huabei]\npenalty_rate_daily = 0.0003\nannual_rate = 0.1\n", encoding="utf-8"
    )
    result = invoke(*BASE, "--json", "--no-save", env=PINNED)
    data = json.loads(result.stdout)
    assert data["debts"][0]["penalty_rate_daily_percent"] == "0.03"
    assert data["debts"][0]["annual_rate_percent"] == "10"
    debts = _isolated / "debts.toml"
    debts.write_text(
        'income = 6000.10\n[[debt]]\nplatform = "huabei"\noverdue = 1234.56\n', encoding="utf-8"
    )
    result = invoke("plan", "--debts", str(debts), "--json", "--no-input", env=PINNED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["debts"][0]["overdue"] == "1234.56"
    assert data["affordability"]["income"] == "6000.10"


def test_a_figure_from_the_user_file_is_credited_to_it(_isolated: Path) -> None:
    _isolated.mkdir(parents=True, exist_ok=True)
    user_file = _isolated / "platforms.toml"
    user_file.write_text('[huabei]\npenalty_rate_daily = "0.0003"\n', encoding="utf-8")
    data = json.loads(invoke("platforms", "--json").stdout)
    huabei = next(p for p in data["platforms"] if p["id"] == "huabei")
    assert huabei["sources"]["penalty_rate_daily"] == f"your file {user_file}"
    assert "penalty_rate_daily" not in huabei["unconfirmed"]
    assert "annual_rate" in huabei["unconfirmed"]


# --- the capacity-first engine end to end ---------------------------------------------------


def test_zero_income_is_the_hardship_route_end_to_end() -> None:
    args = ["plan", "--platform", "huabei", "--overdue", "8000", "--income", "0",
            "--reason", "unemployment", "--no-save"]  # fmt: skip
    result = invoke(*args, "--json", env=PINNED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 2
    ladder = data["ladder"]
    assert (ladder["opening"], ladder["target"]) == (None, None)
    assert ladder["walk_away_monthly"] == "0.00"
    assert ladder["hardship"] == {
        "pause_months": 3,
        "write_again": "2027-02-21",
        "needed_payment": "190.32",
        "needed_periods": 60,
        "deficit": None,
        "legal_aid": "12348",
        "bankruptcy": "shenzhen",
    }
    assert {p["standard"] for p in data["proposals"]} == {False}
    done = run(*args, "--details", env={**PINNED, "REPAYCLI_LANG": "zh", "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    for text in ("现在没有方案在你的承受范围内", "申请暂停还款 3 个月", "2027-02-21 前再联系",
                 "每月需要 190.32 元", "12348", "深圳经济特区"):  # fmt: skip
        assert text in done.stdout, text
    assert "这样说" not in done.stdout  # no payment is asked for


def test_deficit_and_breakdown_flags() -> None:
    result = invoke(
        "plan", "--platform", "jiebei", "--overdue", "10000", "--principal", "9000",
        "--penalty", "600", "--income", "3000", "--expenses", "3500", "--no-save", "--details",
        env=PINNED,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Monthly deficit     ¥500.00" in out
    assert "Your essential expenses are ¥500.00 a month more than your income" in out
    # worked out from the given parts: no "(estimated)" label
    assert re.search(r"^Interest due +¥400\.00 *$", out, re.M)
    assert re.search(r"^Penalty and fees +¥600\.00 *$", out, re.M)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--income-after", "6000"],
         "Error: --income-after needs --recovery (the date the income comes back)"),
        (["--interest", "9000", "--penalty", "2000"],
         "Error: the parts given add up to 11,000.00, more than the overdue amount 8,000.00; "
         "check the figures in the app"),
        (["--principal", "7000", "--interest", "500", "--penalty", "100"],
         "Error: principal, interest and penalty add up to 7,600.00, not the overdue amount "
         "8,000.00; leave one of them out and it is worked out"),
        (["--interest", "3000", "--penalty", "5000"],
         "Error: the interest and penalty given leave no principal in the overdue amount "
         "8,000.00; check the figures in the app"),
    ],
)  # fmt: skip
def test_bad_breakdown_and_recovery_flags(args: list[str], message: str) -> None:
    result = invoke(*BASE, "--no-input", *args, env=PINNED)
    assert result.exit_code == 2, result.output
    assert result.stderr == message + "\n"


def test_recovery_with_income_after_gives_a_second_limit_and_a_deferral() -> None:
    result = invoke(
        "plan", "--platform", "jiebei", "--overdue", "10000", "--income", "0", "--expenses",
        "3000", "--recovery", "2026-12-25", "--income-after", "6000", "--days-overdue", "20",
        "--reason", "medical", "--json", "--no-save", env=PINNED,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["affordability"]["limit_after"] == "1500.00"
    assert data["affordability"]["limit_after_from"] == "2026-12-25"
    assert data["ladder"]["opening"] == data["ladder"]["target"] == "defer-1m-8"
    text = invoke(
        "plan", "--platform", "jiebei", "--overdue", "10000", "--income", "0", "--expenses",
        "3000", "--recovery", "2026-12-25", "--income-after", "6000", "--days-overdue", "20",
        "--no-save", env=PINNED,
    ).stdout  # fmt: skip
    assert 'Say: "I need a pause of 1 month; then I can pay ¥1,342.45 a month' in text
    assert "at most ¥0.00 (from 2026-12-25: ¥1,500.00) a month; never agree above it" in text


def test_first_due_today_and_odd_situations_never_trace_back() -> None:
    for extra in (["--start", "today"], ["--start", "2035-01-01"], ["--cash", "100000"],
                  ["--overdue", "0.01"]):  # fmt: skip
        result = invoke(*BASE, *extra, "--no-save", "--json", env=PINNED)
        assert result.exit_code == 0, (extra, result.output)
        ladder = json.loads(result.stdout)["ladder"]
        assert ladder["opening"] is not None


def test_income_after_lower_than_now_offers_no_pause() -> None:
    result = invoke(*BASE, "--expenses", "1800", "--recovery", "+3m", "--income-after", "1000",
                    "--no-save", "--json", env=PINNED)  # fmt: skip
    data = json.loads(result.stdout)
    assert not any(p["kind"] == "deferral" for p in data["proposals"])
    assert data["affordability"]["limit_after"] == "0.00"


def test_a_target_even_when_nothing_at_the_contract_rate_fits() -> None:
    """借呗 25,000 with a 500 limit: 60 months at 18 % would need ~625, but 50 interest-free
    months of 500 fit — the lender's best affordable plan is the target."""
    result = invoke("plan", "--platform", "jiebei", "--overdue", "25000", "--income", "2000",
                    "--expenses", "1000", "--no-save", "--json", env=PINNED)  # fmt: skip
    ladder = json.loads(result.stdout)["ladder"]
    assert (ladder["opening"], ladder["target"]) == ("inst-50-free", "inst-50-free")


def test_a_bad_user_catalogue_says_which_platform_and_field(_isolated: Path) -> None:
    """The error named no field ("1 validation error for Platform"): the user could not tell that
    ``annual_rate = "12%"`` must be written ``"0.12"``."""
    _isolated.mkdir(parents=True, exist_ok=True)
    user_file = _isolated / "platforms.toml"
    user_file.write_text('[huabei]\nannual_rate = "12%"\n', encoding="utf-8")
    bad = invoke(*BASE, env=PINNED)
    assert bad.exit_code == 2
    assert bad.stderr == (
        f"Error: the platform file {user_file} cannot be used: "
        "[huabei] annual_rate = '12%': Input should be a valid decimal\n"
    )
    user_file.write_text('[xiaodai]\nname_zh = "某小贷"\nkind = "other"\n', encoding="utf-8")
    assert "[xiaodai] name_en: Field required" in invoke(*BASE, env=PINNED).stderr
