"""Bills built the way Alipay, WeChat Pay and JD export them (FACTS.md, "Bill exports a user
can import"): each layout's preamble, encoding and columns, with the exports' padding and tabs.

A row is given as ``Tx`` (what happened); each writer puts it in its own columns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

REAL_NAME = "张小凡"
REAL_ACCOUNT = "zhangxf1988@example.com"


@dataclass(frozen=True)
class Tx:
    at: datetime
    amount: Decimal
    counterparty: str
    item: str = ""
    category: str = ""
    direction: str = "支出"
    status: str = "交易成功"
    order_no: str = ""
    account: str = ""
    method: str = "余额宝"
    note: str = ""


def _csv(lines: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in lines:
        writer.writerow(line)
    return out.getvalue()


def alipay_csv(txs: list[Tx], *, encoding: str = "gbk", pad: bool = True) -> bytes:
    """Alipay 支付宝交易明细 (2023-02 layout): GBK, a 24-line preamble with the holder's name and
    account, the header after the 电子客户回单 line, 12 columns padded with spaces, order
    numbers ending in a tab, and a trailing comma on every row."""
    preamble = [
        "------------------------------------------------------------------------------------",
        "导出信息：",
        f"姓名：{REAL_NAME}",
        f"支付宝账户：{REAL_ACCOUNT}",
        "起始时间：[2026-01-01 00:00:00]    终止时间：[2026-03-31 23:59:59]",
        "导出交易类型：[全部]",
        "导出时间：[2026-04-02 10:11:12]",
        f"共{len(txs)}笔记录",
        "收入：0笔 0.00元",
        "支出：3笔 300.00元",
        "不计收支：2笔 2000.00元",
        "",
        "特别提示：",
        "1.本回单内容可表明支付宝受理了相关交易申请，不代表交易已经成功；",
        "2.支付宝快捷支付等非余额支付方式可能既产生支付宝交易也同步产生银行交易；",
        "3.因统计逻辑不同，明细金额直接累加后，可能会和下方统计金额不一致；",
        "4.禁止修改。",
        "",
        "",
        "",
        "",
        "",
        "",
        "------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------",  # noqa: E501
    ]
    columns = ["交易时间", "交易分类", "交易对方", "对方账号", "商品说明", "收/支", "金额",
               "收/付款方式", "交易状态", "交易订单号", "商家订单号", "备注"]  # fmt: skip

    def p(text: str) -> str:
        return f"{text}\t" if not pad else f"{text}    "

    lines = [[line] for line in preamble]
    lines.append([*columns, ""])
    for tx in txs:
        lines.append(
            [
                tx.at.strftime("%Y-%m-%d %H:%M:%S"),
                p(tx.category),
                p(tx.counterparty),
                p(tx.account),
                p(tx.item),
                p(tx.direction),
                f"{tx.amount:.2f}",
                p(tx.method),
                p(tx.status),
                f"{tx.order_no}\t",
                "\t",
                tx.note,
                "",
            ]
        )
    return _csv(lines).encode(encoding)


WECHAT_COLUMNS = ["交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)", "支付方式",
                  "当前状态", "交易单号", "商户单号", "备注"]  # fmt: skip


def _wechat_preamble(count: int, *, extra_note: bool) -> list[str]:
    lines = [
        "微信支付账单明细",
        f"微信昵称：[{REAL_NAME}]",
        "起始时间：[2026-01-01 00:00:00] 终止时间：[2026-03-31 23:59:59]",
        "导出类型：[全部]",
        "导出时间：[2026-04-02 10:11:12]",
        "",
        f"共{count}笔记录",
        "收入：0笔 0.00元",
        "支出：3笔 300.00元",
        "中性交易：2笔 2000.00元",
        "注：",
        "1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易",
        "2. 本明细仅展示当前账单中的交易，不包括已删除的记录",
        "3. 本明细仅供个人对账使用",
    ]
    if extra_note:
        lines.append("4. 金额单位为元")
    lines += ["", "----------------------微信支付账单明细列表--------------------"]
    return lines


def _wechat_row(tx: Tx, *, yuan_sign: bool) -> list[str]:
    return [
        tx.at.strftime("%Y-%m-%d %H:%M:%S"),
        tx.category,
        tx.counterparty,
        tx.item or "/",
        tx.direction,
        f"¥{tx.amount:.2f}" if yuan_sign else f"{tx.amount:.2f}",
        tx.method,
        tx.status,
        f"{tx.order_no}\t",
        "/",
        tx.note or "/",
    ]


def wechat_csv(txs: list[Tx]) -> bytes:
    """WeChat Pay's CSV (until 2025-07): UTF-8, 16 preamble lines, 11 columns, ``¥`` amounts."""
    lines = [[line] for line in _wechat_preamble(len(txs), extra_note=False)]
    lines.append(WECHAT_COLUMNS)
    lines += [_wechat_row(tx, yuan_sign=True) for tx in txs]
    return _csv(lines).encode("utf-8")


def wechat_xlsx(txs: list[Tx], *, layout: int = 2025) -> bytes:
    """WeChat Pay's .xlsx: the 2025-07 layout, or 2026-03's with one more note line and amounts
    without ``¥``."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in _wechat_preamble(len(txs), extra_note=layout >= 2026):
        sheet.append([line])
    sheet.append(WECHAT_COLUMNS)
    for tx in txs:
        sheet.append(_wechat_row(tx, yuan_sign=layout < 2026))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def jd_csv(txs: list[Tx]) -> bytes:
    """JD 京东账单: UTF-8 with BOM, about 20 preamble lines (saying 白条 fees are left out)."""
    preamble = [
        "导出信息：",
        f"京东账号名：{REAL_NAME}",
        "日期区间：2026-01-01 至 2026-03-31",
        "导出时间：2026-04-02 10:11:12",
        "",
        "交易统计：",
        f"共{len(txs)}笔记录",
        "收入：0笔 0.00元",
        "支出：3笔 300.00元",
        "不计收支：2笔 2000.00元",
        "",
        "特别提示：",
        "1. 本明细仅展示当前账单中的交易，不包括已删除的记录；",
        "2. 白条费用明细不包括在内；",
        "3. 本明细仅供个人对账使用。",
        "",
        "",
        "",
        "",
        "-----------------------京东交易明细-----------------------",
    ]
    columns = ["交易时间", "商户名称", "交易说明", "金额", "收/付款方式", "交易状态", "收/支",
               "交易分类", "交易订单号", "商家订单号", "备注"]  # fmt: skip
    lines = [[line] for line in preamble]
    lines.append(columns)
    for tx in txs:
        lines.append(
            [
                tx.at.strftime("%Y-%m-%d %H:%M:%S"),
                tx.counterparty,
                tx.item,
                f"{tx.amount:.2f}",
                tx.method,
                tx.status,
                tx.direction,
                tx.category,
                f"{tx.order_no}\t",
                "\t",
                tx.note,
            ]
        )
    return b"\xef\xbb\xbf" + _csv(lines).encode("utf-8")
