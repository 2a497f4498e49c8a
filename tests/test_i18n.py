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
