"""Reading a finished letter for the faults a lender's staff would notice (shared by the letter
tests). Each check returns a list of human-readable faults; an empty list is a clean letter."""

from __future__ import annotations

import re
from decimal import Decimal

_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def parse_capital(text: str) -> Decimal:
    """An independent reader of capital amounts (``壹万零伍佰元整`` → 10500), written from the
    usual algorithm for Chinese numerals, not from ``core.capital``."""
    total = section = number = 0
    yuan = 0
    jiao = fen = 0
    rest = text
    if rest.endswith("整"):
        rest = rest[:-1]
    for char in rest:
        if char in _DIGITS:
            number = _DIGITS[char]
        elif char in _SMALL:
            if number == 0:
                raise ValueError(f"{char} without a digit in {text}")
            section += number * _SMALL[char]
            number = 0
        elif char == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif char == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
        elif char == "元":
            yuan = total + section + number
            total = section = number = 0
        elif char == "角":
            jiao, number = number, 0
        elif char == "分":
            fen, number = number, 0
        else:
            raise ValueError(f"unexpected {char!r} in {text}")
    if number:
        raise ValueError(f"a digit without a unit at the end of {text}")
    return Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100


#: A Chinese amount as the letter writes it: 人民币<capitals>（¥<figure>）.
_ZH_AMOUNT = re.compile(r"人民币([零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+)（¥([\d,]+\.\d{2})）")
_FIGURE = re.compile(r"¥[\d,]+\.\d{2}")
#: Fragments the old template wrote without a verb, and what each must be followed by.
_ZH_VERBS = (("首期于", "还款"), ("最后一期于", "还清"))
_PLAIN_VERBLESS = (
    re.compile(r"，减免"),
    re.compile(r"首期于[^，。；]*，最后一期于[^，。；]*，减免"),
)
_EN_VERBLESS = (re.compile(r"\bthe first on [^,.;]*, the last on"),)


def faults(text: str, lang: str, *, plain: bool = True) -> list[str]:
    """Every fault found in one letter."""
    found: list[str] = []
    if lang == "zh" and re.search(r"\d{4}-\d{1,2}-\d{1,2}", text):
        found.append("ISO date in a Chinese letter")
    if plain and re.search(r"^\s*#", text, re.M):
        found.append("markdown heading in plain text")
    if plain and "**" in text:
        found.append("markdown bold in plain text")
    for alternative in ("（或", "(or ", "或受伤"):
        if alternative in text:
            found.append(f"template alternative {alternative!r} left in")
    for leftover in ("$", "{", "}", "None", "【】", "（）", "()", "[]"):
        if leftover in text:
            found.append(f"template leftover {leftover!r}")
    if re.search(r"¥0\.00(?!\d)", text) or "零元整" in text or re.search(r"\b0\.00 yuan", text):
        found.append("an amount of 0.00")
    if "yuan" in text or re.search(r"\d 元", text):
        found.append("an amount in the old style (… yuan / … 元)")
    if lang == "zh":
        for opening, verb in _ZH_VERBS:
            for match in re.finditer(re.escape(opening) + r"([^，。；]*)", text):
                if not match.group(1).endswith(verb):
                    found.append(f"no verb after {opening}{match.group(1)}")
        for pattern in _PLAIN_VERBLESS:
            if pattern.search(text):
                found.append(f"verbless fragment {pattern.pattern}")
        found += _zh_amount_faults(text)
    else:
        for pattern in _EN_VERBLESS:
            if pattern.search(text):
                found.append(f"verbless fragment {pattern.pattern}")
        if re.search(r"[\u4e00-\u9fff]", text):
            found.append("Chinese in an English letter")
        if re.search(r"\S  ", text):
            found.append("double space")
    for line in text.splitlines():
        if line != line.rstrip():
            found.append(f"trailing space: {line!r}")
    return found


def _zh_amount_faults(text: str) -> list[str]:
    found: list[str] = []
    for match in _ZH_AMOUNT.finditer(text):
        capital, figure = match.groups()
        value = Decimal(figure.replace(",", ""))
        try:
            read = parse_capital(capital)
        except ValueError as exc:
            found.append(f"capital amount unreadable: {exc}")
            continue
        if read != value:
            found.append(f"capital {capital} reads {read}, figure says {value}")
    bare = _FIGURE.findall(_ZH_AMOUNT.sub("", text))
    if bare:
        found.append(f"amounts not in the capital form: {bare}")
    return found


def closing_mark(details: str, lang: str) -> str:
    """The user's sentence as the letter must show it: closed with 。 or a full stop."""
    if details[-1] in "。.！？!?":
        return details
    return details + ("。" if lang == "zh" else ".")
