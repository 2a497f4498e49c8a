"""The fast display width agrees with uniseg's grapheme-cluster measure on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from uniseg.wrap import tt_text_extents

from repaycli.render.wrap import width


def _oracle(text: str) -> int:
    return tt_text_extents(text)[-1] if text else 0


@settings(max_examples=500)
@given(st.text())
def test_width_matches_uniseg_on_any_text(text: str) -> None:
    assert width(text) == _oracle(text)


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFFEF)))
def test_width_matches_uniseg_on_the_basic_plane(text: str) -> None:
    assert width(text) == _oracle(text)


def test_width_of_hand_picked_cases() -> None:
    assert width("花呗 8,000.00 元") == 16
    assert width("（16.08%）") == 10
    # clusters that the code-point-by-code-point path must not split
    for text in ("a\u0301", "👍🏽", "🇨🇳", "한글", "0ำ", "ｶﾞ", "\r\n"):
        assert width(text) == _oracle(text), text
