"""Both message catalogues are complete and agree on every placeholder."""

import string

import pytest

from repaycli.i18n import catalogue, detect_lang, normalise_lang


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert sorted(set(en) - set(zh)) == []
    assert sorted(set(zh) - set(en)) == []


def test_placeholders_match() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    mismatched = [key for key in en if _fields(en[key]) != _fields(zh[key])]
    assert mismatched == []


def test_no_message_is_left_untranslated() -> None:
    zh = catalogue("zh")
    ascii_only = [key for key, text in zh.items() if text.isascii() and any(c.isalpha() for c in text)]
    assert ascii_only == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "zh_TW", "LANG": "en_US"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN"}, "en"),
        ({"REPAYCLI_LANG": "en", "LANG": "zh_CN"}, "en"),
        ({"REPAYCLI_LANG": "zh"}, "zh"),
    ],
)
def test_language_detection(env: dict[str, str], expected: str) -> None:
    assert detect_lang(env) == expected


def test_language_names() -> None:
    assert normalise_lang("zh-Hans") == "zh"
    assert normalise_lang("中文") == "zh"
    assert normalise_lang("fr") is None


def test_every_field_named_in_an_error_has_a_label() -> None:
    """An input named in an error (``field="income_after"``) is shown by its label, so a Chinese
    user never reads ``错误：income_after：x 不是金额``. Fields are found in the source: keyword
    ``field="…"``, and the name passed to the CLI's ``money``/``_ask`` helpers."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "src" / "repaycli"
    pattern = re.compile(r'field="([a-z_]+)"|money\([^()]*?, "([a-z_]+)"')
    named = {
        a or b
        for path in src.rglob("*.py")
        for a, b in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert {"income_after", "interest", "penalty", "kind"} <= named
    # the call-log fields are named by the catalogue (``log add`` asks for each by that name)
    from repaycli.catalog import load_log_fields

    named |= {field.name for field in load_log_fields()}
    for lang in ("zh", "en"):
        labels = {key.removeprefix("field.") for key in catalogue(lang) if key.startswith("field.")}
        assert sorted(named - labels) == [], lang


def test_plan_names_each_bad_input_by_its_chinese_label() -> None:
    from typer.testing import CliRunner

    from repaycli.cli import app

    base = ["--lang", "zh", "plan", "-p", "花呗", "--overdue", "8000", "--income", "5000",
            "--no-input"]  # fmt: skip
    for extra, label in (
        (["--interest", "abc"], "应还利息"),
        (["--penalty", "abc"], "罚息和费用"),
        (["--recovery", "3个月后", "--income-after", "x"], "恢复后的月收入"),
    ):
        result = CliRunner().invoke(app, base + extra)
        assert result.exit_code == 2, result.output
        assert f"错误：{label}：" in result.output


def test_log_add_names_the_collection_question_in_chinese() -> None:
    from typer.testing import CliRunner

    from repaycli.cli import app

    answers = "今天\n花呗\n电话\n电话\n否\n"  # "电话" is no answer to "was it collection?"
    result = CliRunner().invoke(app, ["--lang", "zh", "log", "add"], input=answers)
    assert "错误：是否为催收：电话 不在可选项中：否、是" in result.output, result.output


def test_an_amount_finer_than_a_fen_is_not_called_smaller_than_a_fen() -> None:
    """8000.555 is not "less than one fen" (小于一分); it has a fraction of a fen."""
    from repaycli.core.money import parse_amount
    from repaycli.errors import BadInput
    from repaycli.i18n import t

    with pytest.raises(BadInput) as caught:
        parse_amount("8000.555", field="overdue")
    shown = t(caught.value.key, "zh", **caught.value.params)
    assert shown == "逾期金额：8000.555 带有不足一分的零头；金额最多保留两位小数"
