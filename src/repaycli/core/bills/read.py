"""Read a bill export from its bytes: Alipay CSV (GBK), WeChat CSV or .xlsx, JD CSV (UTF-8 with
BOM) — or say in one line why the file cannot be read and what to do.

The lessons of the open-source importers' trackers, kept here:

- the header is found by its column names, never by a line count (the preambles change length);
- GBK, UTF-8 and UTF-8 with BOM are all accepted, whatever the source, and so is .xlsx;
- fields are stripped of the spaces and tabs the exports pad them with (order numbers end in a
  tab, so that a spreadsheet keeps them as text);
- a row of a type not known is kept as ``Kind.OTHER``, never a reason to stop;
- a file re-saved by Excel has lost its order numbers (``2.02503E+27``): it is refused with a
  line saying to export it again, never "repaired";
- the preamble (real name, account, totals) is read past and never kept.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from repaycli.core.bills.rows import Bill, BillRow, Kind, Source
from repaycli.errors import BadInput

#: The largest bill read (a year of a busy account is a few MB).
MAX_BYTES = 64 * 1024 * 1024
#: Lines searched for the header: Alipay's preamble is about 24, JD's about 20, WeChat's 16–17.
HEADER_SEARCH = 200

#: Each layout: its columns (as the export names them) → the field of ``BillRow``.
LAYOUTS: dict[Source, dict[str, str]] = {
    Source.ALIPAY: {
        "交易时间": "at",
        "交易分类": "category",
        "交易对方": "counterparty",
        "对方账号": "account",
        "商品说明": "item",
        "收/支": "direction",
        "金额": "amount",
        "收/付款方式": "method",
        "交易状态": "status",
        "交易订单号": "order_no",
        "商家订单号": "merchant_order_no",
        "备注": "note",
    },
    Source.WECHAT: {
        "交易时间": "at",
        "交易类型": "category",
        "交易对方": "counterparty",
        "商品": "item",
        "收/支": "direction",
        "金额(元)": "amount",
        "支付方式": "method",
        "当前状态": "status",
        "交易单号": "order_no",
        "商户单号": "merchant_order_no",
        "备注": "note",
    },
    Source.JD: {
        "交易时间": "at",
        "商户名称": "counterparty",
        "交易说明": "item",
        "金额": "amount",
        "收/付款方式": "method",
        "交易状态": "status",
        "收/支": "direction",
        "交易分类": "category",
        "交易订单号": "order_no",
        "商家订单号": "merchant_order_no",
        "备注": "note",
    },
}
#: Without these a layout cannot be read at all.
REQUIRED = ("at", "amount", "order_no", "direction")
#: Columns of other layouts (Alipay before 2023-02, bank statements): a line naming several of
#: these is a header, and the message names what it found.
OTHER_COLUMNS = {
    "交易号", "交易创建时间", "付款时间", "最近修改时间", "交易来源地", "类型", "商品名称",
    "服务费(元)", "成功退款(元)", "资金状态", "记账日期", "交易金额", "账户余额", "摘要",
}  # fmt: skip

#: Repayment rows: the category (交易分类 / 交易类型) is one of these…
REPAYMENT_CATEGORIES = frozenset({"信用借还", "分付还款", "信用卡还款", "白条还款"})
#: …or, in a JD bill, the description names 白条 or 金条 and 还款.
_JD_REPAYMENT = re.compile(r"(白条|金条).*还款|还款.*(白条|金条)")
_FAILED = ("失败", "关闭", "撤销", "已取消", "未支付", "已冲正")
_REFUND = ("退款",)

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


def norm(text: str) -> str:
    """A cell as compared: NFKC (full-width brackets and digits as ASCII), no padding, no tabs."""
    return unicodedata.normalize("NFKC", text).strip().strip("\t").strip()


# --- the bytes: zip, xlsx, encodings -----------------------------------------------------------


def read_bill(data: bytes, *, name: str) -> Bill:
    """The bill in ``data`` (the file ``name``, for messages)."""
    if len(data) > MAX_BYTES:
        raise BadInput("err.bill_too_big", path=name, limit=MAX_BYTES // (1024 * 1024))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _read_zip(data, name=name)
    if data.startswith(b"%PDF"):
        raise BadInput("err.bill_pdf", path=name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        raise BadInput("err.bill_excel_unicode", path=name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an old .xls: Excel saved it
        raise BadInput("err.bill_excel_xls", path=name)
    text, encoding = _decode(data, name=name)
    return read_text(text, name=name, encoding=encoding)


def _decode(data: bytes, *, name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise BadInput("err.bill_not_a_bill", path=name) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"  # GB18030 reads all of GBK
    except UnicodeDecodeError:
        raise BadInput("err.bill_not_a_bill", path=name) from None


def _read_zip(data: bytes, *, name: str) -> Bill:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadInput("err.bill_not_a_bill", path=name) from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" in names:
        from repaycli.core.bills.xlsx import xlsx_rows  # openpyxl: only for a workbook

        return read_table(xlsx_rows(data, name=name), name=name, encoding="xlsx", xlsx=True)
    if any(m.flag_bits & 0x1 for m in members):
        raise BadInput("err.bill_zip_password", path=name)
    bills = [m for m in members if m.filename.lower().endswith((".csv", ".xlsx"))]
    if len(bills) != 1:
        raise BadInput("err.bill_zip_contents", path=name, count=len(bills))
    if bills[0].file_size > MAX_BYTES:  # a zip bomb is not a bill
        raise BadInput("err.bill_too_big", path=name, limit=MAX_BYTES // (1024 * 1024))
    inner = archive.read(bills[0])
    return read_bill(inner, name=f"{name}:{bills[0].filename}")


# --- the table: the header by its names, then the rows ----------------------------------------


def read_text(text: str, *, name: str, encoding: str) -> Bill:
    """A CSV bill already decoded."""
    lines = text.splitlines()
    rows = list(csv.reader(lines))
    return read_table(rows, name=name, encoding=encoding)


def _find_header(rows: Sequence[Sequence[str]]) -> tuple[int, Source | None, list[str]]:
    """(index, source, columns) of the first line naming the columns of a bill: its source
    when it is a known layout, ``None`` when it looks like a header of another; index -1 when
    no line names any."""
    known = {c for layout in LAYOUTS.values() for c in layout} | OTHER_COLUMNS
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        cells = [norm(c) for c in row]
        named = [c for c in cells if c in known]
        if len(set(named)) < 3:
            continue
        for source, layout in LAYOUTS.items():
            fields = {layout[c] for c in cells if c in layout}
            distinct = _distinct(source)
            if set(REQUIRED) <= fields and distinct <= set(cells):
                return index, source, [c for c in cells if c]
        return index, None, [c for c in cells if c]
    return -1, None, []


def _distinct(source: Source) -> set[str]:
    """The columns that tell the layouts apart."""
    if source is Source.WECHAT:
        return {"交易类型", "金额(元)"}
    if source is Source.JD:
        return {"商户名称", "交易说明"}
    return {"交易分类", "商品说明"}


def read_table(
    rows: Sequence[Sequence[str]],
    *,
    name: str,
    encoding: str,
    xlsx: bool = False,
) -> Bill:
    """A bill from its lines split into cells (a CSV's or a worksheet's)."""
    index, source, columns = _find_header(rows)
    if index < 0:
        raise BadInput("err.bill_not_a_bill", path=name)
    if source is None:
        raise BadInput("err.bill_unknown_layout", path=name, columns=", ".join(columns))
    layout = LAYOUTS[source]
    header = [norm(c) for c in rows[index]]
    where = {layout[c]: i for i, c in enumerate(header) if c in layout}
    found: list[BillRow] = []
    skipped = 0
    for offset, row in enumerate(rows[index + 1 :], start=index + 2):
        cells = [norm(c) for c in row]
        record = _row(cells, where, line=offset)
        if record is None:
            skipped += 1
            continue
        if _SCIENTIFIC.match(record.order_no):  # Excel turned it into a number
            raise BadInput(
                "err.bill_excel_damaged", path=name, line=offset, value=record.order_no or "?"
            )
        found.append(record)
    return Bill(
        source=source,
        layout=f"{source.value}-{'xlsx' if xlsx else 'csv'}",
        encoding=encoding,
        columns=columns,
        rows=found,
        skipped=skipped,
    )


def _cell(cells: Sequence[str], where: dict[str, int], field: str) -> str:
    at = where.get(field)
    return cells[at] if at is not None and at < len(cells) else ""


def parse_time(text: str) -> datetime | None:
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_bill_amount(text: str) -> Decimal | None:
    """``¥12.50``, ``12.50``, ``-12.50``, ``1,234.00``, ``12.50(已全额退款)`` → a positive
    Decimal; ``None`` for anything else."""
    raw = norm(text).replace("¥", "").replace("￥", "").replace(",", "").replace("元", "")
    raw = re.sub(r"[(].*[)]$", "", raw).strip().lstrip("+-")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", raw):
        return None
    try:
        return Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        return None


def _row(cells: Sequence[str], where: dict[str, int], *, line: int) -> BillRow | None:
    """One transaction, or ``None`` for a line that is none (a total, a note, a blank)."""
    at = parse_time(_cell(cells, where, "at"))
    amount = parse_bill_amount(_cell(cells, where, "amount"))
    if at is None or amount is None:
        return None
    values = {
        field: _cell(cells, where, field)
        for field in (
            "category",
            "counterparty",
            "account",
            "item",
            "direction",
            "method",
            "status",
            "order_no",
            "merchant_order_no",
            "note",
        )
    }
    if values["note"] == "/":
        values["note"] = ""
    if values["merchant_order_no"] == "/":
        values["merchant_order_no"] = ""
    kind = classify(values)
    return BillRow(line=line, at=at, amount=amount, kind=kind, **values)


def classify(values: dict[str, str]) -> Kind:
    """Failed or closed, a refund, a repayment, else by 收/支: spending, income or other."""
    status, category = values["status"], values["category"]
    text = " ".join((category, values["item"], values["counterparty"]))
    if any(word in status for word in _FAILED):
        return Kind.FAILED
    if any(word in category or word in status or values["item"].startswith(word)
           for word in _REFUND):  # fmt: skip
        return Kind.REFUND
    if category in REPAYMENT_CATEGORIES or _JD_REPAYMENT.search(text):
        return Kind.REPAYMENT
    if values["direction"] == "支出":
        return Kind.EXPENSE
    if values["direction"] == "收入":
        return Kind.INCOME
    return Kind.OTHER


def repayments(rows: Iterable[BillRow]) -> list[BillRow]:
    return [r for r in rows if r.kind is Kind.REPAYMENT]
