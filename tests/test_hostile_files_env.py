"""Issue 12: the hostile-input run extended to files repaycli reads and environment values.

Every file a user can hand over (a debts file, the user's platforms.toml and lpr.toml, the saved
plan, a plan for ``agreement add --from-plan``, an export for ``log verify --export``) and every
environment value repaycli reads (COLUMNS, REPAYCLI_TODAY, REPAYCLI_LANG, LANG, NO_COLOR) is fed
hostile content: exit 0, 1 or 2, on error exactly one line, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import invoke
from repaycli.paths import last_plan_path, user_lpr_file, user_platforms_file

SETTINGS = settings(
    max_examples=int(os.environ.get("REPAYCLI_FUZZ_EXAMPLES", "20")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_VALUES = st.one_of(
    st.sampled_from(
        ['"8000"', "8000", "-1", "0", "1e309", '"nan"', "true", "[]", "{}", '"¥"', '"1.2万"',
         "9" * 5000, '"' + "9" * 5000 + '"', "[10000, 0, -1]", '"9999-12-31"', "1979-05-27"]
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
)  # fmt: skip
_KEYS = st.sampled_from(
    ["platform", "overdue", "principal", "days_overdue", "annual_rate", "penalty_rate", "id",
     "periods", "max_deferral_months", "hotline", "name_en", "name_zh", "income", "rate", "from"]
)  # fmt: skip


@st.composite
def toml_files(draw: Any) -> str:
    """Deep nesting, huge numbers, wrong types, broken syntax, or plausible tables with hostile
    values."""
    shape = draw(st.sampled_from(["deep", "table", "garbage", "array"]))
    if shape == "deep":
        depth = draw(st.integers(min_value=100, max_value=50_000))
        return "a = " + "[" * depth + "]" * depth + "\n"
    if shape == "garbage":
        return draw(st.text(max_size=200))
    pairs = draw(st.lists(st.tuples(_KEYS, _VALUES), max_size=6, unique_by=lambda p: p[0]))
    body = "".join(f"{k} = {v}\n" for k, v in pairs)
    if shape == "array":
        return "[[debt]]\n" + body
    table = draw(st.sampled_from(["huabei", "jiebei", "new-one", "lpr", "rates"]))
    return f"[{table}]\n" + body


@st.composite
def json_files(draw: Any) -> str:
    shape = draw(st.sampled_from(["deep", "garbage", "plan", "export"]))
    if shape == "deep":
        depth = draw(st.integers(min_value=100, max_value=50_000))
        return "[" * depth + "]" * depth
    if shape == "garbage":
        return draw(st.text(max_size=200))
    number = draw(st.sampled_from(["1", "9" * 5000, "-1", "1e999", '"x"', "null", "[]"]))
    if shape == "plan":
        return (
            '{"schema_version": ' + number + ', "proposals": [{"id": "p", "platform": "huabei",'
            ' "total": '
            + number
            + ', "schedule": [{"due": "9999-12-31", "amount": '
            + number
            + "}]}]}"
        )
    return '{"schema_version": 2, "count": ' + number + ', "entries": [{"id": ' + number + "}]}"


def check(result: Any) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-500:])
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        message = result.stderr.rstrip("\n")
        assert message and "\n" not in message, result.stderr
        assert message.startswith(("Error: ", "错误")), message
        assert len(message) < 1200, len(message)


PLAN = ["plan", "--no-input", "--no-save", "--platform", "huabei", "--overdue", "8000",
        "--income", "6000"]  # fmt: skip


@SETTINGS
@given(content=toml_files())
def test_hostile_debts_file(tmp_path: Path, content: str) -> None:
    debts = tmp_path / "debts.toml"
    debts.write_text(content, encoding="utf-8")
    check(invoke("plan", "--no-input", "--no-save", "--debts", str(debts), "--income", "6000"))


@SETTINGS
@given(content=toml_files())
def test_hostile_user_platforms_and_lpr_files(content: str) -> None:
    for path in (user_platforms_file(), user_lpr_file()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    check(invoke(*PLAN))
    check(invoke("platforms"))
    check(
        invoke("offer", "--no-input", "--amount", "8000", "--periods", "12", "--fee-rate", "0.6%")
    )
    for path in (user_platforms_file(), user_lpr_file()):
        path.unlink()


@SETTINGS
@given(content=json_files())
def test_hostile_json_files(tmp_path: Path, content: str) -> None:
    given_file = tmp_path / "given.json"
    given_file.write_text(content, encoding="utf-8")
    check(invoke("agreement", "add", "--from-plan", str(given_file), "--proposal", "p"))
    check(invoke("log", "verify", "--export", str(given_file)))
    saved = last_plan_path()
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(content, encoding="utf-8")
    check(invoke("letter"))
    check(invoke("offer", "--no-input", "--amount", "8000", "--periods", "12", "--fee-rate", "1%"))
    saved.unlink()


_ENV_VALUES = st.one_of(
    st.sampled_from(
        ["", " ", "abc", "0", "-1", "99999999999999999999", "1e3", "9999-12-31", "0001-01-01",
         "2026-02-30", "zh", "en", "ZH_cn.utf8", "C", "POSIX", "\u202e", "１２０"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=30),
)  # fmt: skip


@SETTINGS
@given(
    env=st.dictionaries(
        st.sampled_from(
            ["COLUMNS", "REPAYCLI_TODAY", "REPAYCLI_LANG", "LANG", "LC_ALL", "NO_COLOR"]
        ),
        _ENV_VALUES,
        min_size=1,
    ),
    args=st.sampled_from(
        [PLAN, ["platforms"], ["remind"], ["log", "list"], ["log", "fingerprint"],
         ["agreement", "list"], ["letter", "--kind", "complaint"]]
    ),
)  # fmt: skip
def test_hostile_environment_values(env: dict[str, str], args: list[str]) -> None:
    check(invoke(*args, env=env))


@pytest.mark.parametrize("name", ["COLUMNS", "REPAYCLI_TODAY", "REPAYCLI_LANG"])
def test_the_environment_run_is_able_to_fail(name: str) -> None:
    """A value known to have crashed before issue 12 (COLUMNS=abc, REPAYCLI_TODAY=9999-12-31)
    is among those tried, and ends in one line or a normal run."""
    value = {"COLUMNS": "abc", "REPAYCLI_TODAY": "9999-12-31", "REPAYCLI_LANG": "xx"}[name]
    check(invoke("remind", env={name: value}))
