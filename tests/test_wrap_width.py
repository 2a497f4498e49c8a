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


@given(st.text(alphabet=st.sampled_from(list("ab1-/ .,¥—’")), max_size=60))
def test_ascii_pieces_rebuild_the_text_and_break_only_where_uax14_may(text: str) -> None:
    """The fast ASCII breaker loses nothing, and each break it makes is one UAX #14 also
    allows (after spaces, or after a hyphen or slash before a letter)."""
    from uniseg.linebreak import line_break_units

    from repaycli.render.wrap import _ASCII_BREAK

    pieces = [piece for piece in _ASCII_BREAK.split(text) if piece]
    assert "".join(pieces) == text
    allowed = set()
    at = 0
    for unit in line_break_units(text):
        at += len(unit)
        allowed.add(at)
    at = 0
    for piece in pieces[:-1]:
        at += len(piece)
        assert at in allowed or text[at - 1] == " ", (text, pieces)
