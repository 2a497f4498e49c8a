"""Amounts in Chinese capital numerals (大写金额), as formal letters and vouchers write them.

The rules are those of the People's Bank of China for writing amounts on bills and vouchers
(《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》):

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, then 元, 角, 分;
- 整 after 元 when there are no 角 or 分; none after 分; after 角 it may be left out, and
  this module leaves it out, as the rules' own example does (¥1,409.50 → 壹仟肆佰零玖元伍角);
- one 零 for each run of zeros between two non-zero digits (¥6,007.14 → 陆仟零柒元壹角肆分),
  none for zeros at the end of the yuan (¥1,680.32 → 壹仟陆佰捌拾元叁角贰分, the rules' allowed
  form), and 零 after 元 when 角 is zero but 分 is not (¥16,409.02 → 壹万陆仟肆佰零玖元零贰分);
- ten to nineteen (of yuan, of 万 …) are written with 壹: 壹拾伍元整, never 拾伍元整, so that
  nothing can be written in front;
- below one yuan, no 元: ¥0.50 → 伍角.

Pure and exact: the amount is a ``Decimal`` rounded to the fen by ``round_fen``.
"""

from __future__ import annotations

from decimal import Decimal

from repaycli.core.money import round_fen

DIGITS = "零壹贰叁肆伍陆柒捌玖"
#: Units inside a group of four digits, from the right.
PLACES = ("", "拾", "佰", "仟")
#: Units of the groups of four, from the right (up to 亿亿, far beyond any debt).
GROUPS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """A number 0–9999 in capitals, zeros inside it as one 零, none at its end."""
    out: list[str] = []
    zero_pending = False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(DIGITS[digit] + PLACES[place])
    return "".join(out)


def capital_yuan(whole: int) -> str:
    """A whole number of yuan in capitals, without the unit ``元`` (``0`` → ``零``)."""
    if whole < 0:
        raise ValueError("a capital amount is never negative")
    if whole == 0:
        return "零"
    groups: list[int] = []
    while whole:
        groups.append(whole % 10000)
        whole //= 10000
    if len(groups) > len(GROUPS):
        raise ValueError("amount too large for capital numerals")
    out: list[str] = []
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(out)
            continue
        # A gap of zeros before this group (a whole empty group, or this group's own leading
        # zeros) is one 零, unless the group is the first one written.
        if out and (zero_pending or group < 1000):
            out.append("零")
        zero_pending = False
        out.append(_group(group) + GROUPS[index])
    return "".join(out)


def capital_amount(value: Decimal) -> str:
    """``value`` in capital numerals, as written after 人民币: ``12000`` → ``壹万贰仟元整``."""
    fen = int(round_fen(value) * 100)
    if fen < 0:
        raise ValueError("a capital amount is never negative")
    whole, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    if fen == 0:
        return "零元整"
    text = capital_yuan(whole) + "元" if whole else ""
    if jiao == 0 and cents == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif whole:
        text += "零"
    if cents:
        text += DIGITS[cents] + "分"
    return text
