"""``--redact`` in every common spacing (issue 22): phone, ID-card and bank-card numbers typed
with double spaces, no-break spaces, `` - ``, ``/``, ``_`` (and the rest) between their groups
are masked whole; a number glued to letters is a reference number and stays readable unless
it is 16 to 19 digits that pass a bank card's Luhn check. Hypothesis writes the numbers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import invoke, run
from repaycli.core.evidence import redact

SEPARATORS = ["", " ", "  ", "\u00a0", "\u202f", " - ", "-", "/", " / ", "_", ".", "\t", "\u2013"]
BEFORE = ["", "号码 ", "call ", "卡：", "（", "身份证"]
AFTER = ["", " 。", "，请回电", ")", " today"]
sep = st.sampled_from(SEPARATORS)
#: A card's groups: all run together, or split with (any mix of) separators.
card_seps = st.just([""]) | st.lists(st.sampled_from(SEPARATORS[1:]), min_size=1, max_size=2)
digits = st.text("0123456789", min_size=1, max_size=1)


def luhn(number: str) -> bool:
    """The Luhn check, written out here (the oracle): double every second digit from the right,
    add the digits of each product, and the total must end in 0."""
    total = 0
    for n, char in enumerate(reversed(number)):
        doubled = int(char) * 2 if n % 2 == 1 else int(char)
        total += sum(int(d) for d in str(doubled))
    return total % 10 == 0


def grouped(number: str, sizes: list[int], seps: list[str]) -> str:
    out, at = [], 0
    for n, size in enumerate(sizes):
        out.append(number[at : at + size])
        at += size
        if n < len(sizes) - 1:
            out.append(seps[n % len(seps)])
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
    st.lists(sep, min_size=1, max_size=2),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
def test_a_mobile_number_in_any_spacing_is_masked(
    second: str, rest: str, seps: list[str], before: str, after: str
) -> None:
    number = "1" + second + rest
    typed = grouped(number, [3, 4, 4], seps)
    assert redact(before + typed + after) == f"{before}{number[:3]}****{number[-4:]}{after}"



#: Letters a mobile is typed against: a label (Tel, 微信wx, 手机) or a word after it.
GLUED_BEFORE = ["Tel", "tel:", "微信wx", "手机", "wx", "TEL", "vx:", "a"]
GLUED_AFTER = ["", "x", "wx", "Tel", "（微信同号）", "b"]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
    st.lists(sep, min_size=1, max_size=2),
    st.sampled_from(GLUED_BEFORE + [""]),
    st.sampled_from(GLUED_AFTER),
    st.sampled_from(BEFORE),
)
def test_a_mobile_number_glued_to_letters_is_masked_in_any_spacing(
    second: str, rest: str, seps: list[str], glued: str, after: str, before: str
) -> None:
    number = "1" + second + rest
    typed = grouped(number, [3, 4, 4], seps)
    shown = redact(before + glued + typed + after)
    assert shown == f"{before}{glued}{number[:3]}****{number[-4:]}{after}"


@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789", min_size=1, max_size=6),
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
    st.text("0123456789", min_size=0, max_size=6),
    st.sampled_from([g for g in GLUED_BEFORE if g[-1].isascii() and g[-1].isalpha()]),
    st.sampled_from(GLUED_AFTER),
)
def test_a_longer_digit_run_glued_to_letters_is_not_a_mobile(
    head: str, second: str, rest: str, tail: str, glued: str, after: str
) -> None:
    """Eleven digits from 1[3-9] inside a longer run (an order or ticket number) stay readable
    — unless the run is itself a card that passes Luhn, or +86 / 86 and a mobile."""
    run_ = head + "1" + second + rest + tail
    typed = f"{glued}{run_}{after}"
    if head in ("86",) and not tail:
        return  # 86 and a mobile: a mobile with its country code
    if 16 <= len(run_) <= 19 and luhn(run_):
        return  # a card (its own test)
    assert redact(typed) == typed


def test_glued_mobiles_are_masked_and_order_numbers_are_not() -> None:
    for typed, shown in [
        ("Tel13812345678", "Tel138****5678"),
        ("tel:13812345678", "tel:138****5678"),
        ("微信wx13812345678", "微信wx138****5678"),
        ("手机13812345678", "手机138****5678"),
        ("13812345678wx 回电", "138****5678wx 回电"),
        ("Tel138 1234 5678", "Tel138****5678"),
        ("Tel+86 138-1234-5678", "Tel138****5678"),
        ("call wx19912345678x", "call wx199****5678x"),
        # not a mobile: more than 11 digits, a 2 after the 1, fewer digits
        ("Tel138123456789", "Tel138123456789"),
        ("TK201381234567890", "TK201381234567890"),
        ("订单号NO13812345678901", "订单号NO13812345678901"),
        ("wx12812345678", "wx12812345678"),
        ("wx1381234567", "wx1381234567"),
        ("TK2026100112345678", "TK2026100112345678"),
    ]:
        assert redact(typed) == shown, typed

@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789", min_size=6, max_size=6).filter(lambda a: a[0] != "0"),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31)),
    st.text("0123456789", min_size=3, max_size=3),
    st.sampled_from("0123456789X"),
    st.sampled_from([[6, 8, 4], [6, 4, 4, 4], [18], [3, 3, 4, 4, 4]]),
    st.lists(sep, min_size=1, max_size=2),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
def test_an_id_card_number_in_any_spacing_is_masked(
    area: str,
    born: date,
    serial: str,
    check: str,
    sizes: list[int],
    seps: list[str],
    before: str,
    after: str,
) -> None:
    number = area + born.strftime("%Y%m%d") + serial + check
    typed = grouped(number, sizes, seps)
    shown = redact(before + typed + after)
    assert shown == before + "*" * 14 + number[-4:] + after


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=16, max_value=19),
    st.text("0123456789", min_size=19, max_size=19),
    st.sampled_from(["4", "6"]),  # groups of four, or six then the rest
    card_seps,
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
def test_a_bank_card_number_in_any_spacing_is_masked(
    length: int, body: str, style: str, seps: list[str], before: str, after: str
) -> None:
    number = ("62" + body)[:length]
    if style == "4":
        sizes = [4] * (length // 4) + ([length % 4] if length % 4 else [])
    else:
        sizes = [6, length - 6]
    typed = grouped(number, sizes, seps)
    shown = redact(before + typed + after)
    assert shown == before + "*" * (length - 4) + number[-4:] + after
    assert sum(c.isdigit() for c in shown) - sum(c.isdigit() for c in before + after) == 4


@settings(max_examples=300, deadline=None)
@given(
    st.text("ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=1, max_size=3),
    st.text("0123456789", min_size=16, max_size=19).filter(lambda d: d[0] != "0"),
    st.sampled_from(["", "-A", "X", " 。"]),
)
def test_a_number_glued_to_letters_is_masked_only_when_it_passes_luhn(
    letters: str, number: str, tail: str
) -> None:
    typed = f"ref {letters}{number}{tail}"
    expected = f"ref {letters}{'*' * (len(number) - 4)}{number[-4:]}{tail}"
    assert redact(typed) == (expected if luhn(number) else typed)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["010", "021", "0571", "0755", "029"]),
    st.text("0123456789", min_size=7, max_size=8).filter(lambda n: n[0] not in "01"),
    sep,
    st.sampled_from(BEFORE[:3]),
)
def test_a_landline_hides_at_least_four_digits_in_any_spacing(
    area: str, local: str, between: str, before: str
) -> None:
    shown = redact(f"{before}{area}{between}{local[:-4]} {local[-4:]} x")
    assert shown is not None
    kept = min(4, len(local) - 4)  # a 7-digit number keeps 3, so 4 are hidden
    assert shown.count("*") == len(local) - kept >= 4
    assert shown.endswith(local[len(local) - kept :] + " x")
    assert local[:4] not in shown.replace(area, "", 1)


def test_reference_numbers_and_dates_stay_readable() -> None:
    for kept in [
        "TK2026100112345678",  # fails Luhn: a ticket number, evidence
        "2026-11-21 - 2026-11-22",  # two dates are not a card
        "100.00 / 200.00 / 300.00 / 4000.00",
        "客服 95188 / 400-820-8820",
    ]:
        assert redact(kept) == kept
    assert redact("TK4111111111111111") == "TK************1111"  # passes Luhn: a card


def test_the_export_masks_them_end_to_end() -> None:
    notes = (
        "回电 138 - 1234 - 5678，卡 6222\u00a00212\u00a03456\u00a07890，身份证 110101/19900307/123X"
    )
    added = invoke(
        *("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"),
        *("--outcome", "pending", "--notes", notes),
    )
    assert added.exit_code == 0, added.output
    shown = run("log", "export", "--format", "json", "--redact")  # a real process
    assert shown.returncode == 0, shown.stderr
    assert "138****5678" in shown.stdout and "************7890" in shown.stdout
    assert "**************123X" in shown.stdout
    for secret in ("1234", "0212", "19900307"):
        assert secret not in shown.stdout


# --- --redact-names -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._", min_size=2, max_size=20).filter(
        lambda local: local[0].isalnum()
    ),
    st.sampled_from(["qq.com", "163.com", "example.com.cn", "mail.bank-x.cn"]),
    st.sampled_from(["邮箱 ", "mail: ", "（"]),
)
def test_names_mode_masks_an_email_address_but_its_first_letter_and_domain(
    local: str, domain: str, before: str
) -> None:
    from repaycli.core.evidence import redact_names

    shown = redact_names(f"{before}{local}@{domain} 。")
    assert shown == f"{before}{local[0]}{'*' * (len(local) - 1)}@{domain} 。"


def test_redact_names_hides_the_agent_and_e_mail_and_still_verifies(tmp_path: Path) -> None:
    added = invoke(
        *("log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"),
        *("--outcome", "pending", "--agent", "张经理 A1234"),
        *("--notes", "催收 wang.li@collect-x.cn 说 138 1234 5678 要还清"),
    )
    assert added.exit_code == 0, added.output
    out = tmp_path / "log.json"
    done = run("log", "export", "--format", "json", "--redact-names", "-o", str(out))
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(out.read_text("utf-8"))["entries"]
    assert entry["agent"] == "*** *****"
    assert entry["notes"] == "催收 w******@collect-x.cn 说 138****5678 要还清"
    assert "张经理" not in out.read_text("utf-8") and "wang.li" not in out.read_text("utf-8")
    checked = run("log", "verify", "--export", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    plain = run("log", "export", "--format", "json", "--redact")
    assert "张经理 A1234" in plain.stdout  # without names, the agent stays (as before)
