"""Reading the bills each platform exports, built here in each layout (tests/bills_factory.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bills_factory import REAL_ACCOUNT, REAL_NAME, Tx, alipay_csv, jd_csv, wechat_csv, wechat_xlsx
from repaycli.core.bills.read import read_bill
from repaycli.core.bills.rows import Kind, Source
from repaycli.errors import BadInput

D = Decimal

ALIPAY = [
    Tx(datetime(2026, 1, 5, 9, 0, 1), D("35.50"), "美团", "外卖订单", "餐饮美食",
       order_no="2026010522001400011111111111"),
    Tx(datetime(2026, 1, 10, 20, 1, 2), D("1000.00"), "花呗", "花呗主动还款-2026年01月账单",
       "信用借还", direction="不计收支", status="还款成功", order_no="2026011022001400012222222222",
       account="huabei@alipay.com"),
    Tx(datetime(2026, 1, 12, 8, 0, 0), D("35.50"), "美团", "退款-外卖订单", "退款",
       direction="不计收支", status="退款成功", order_no="2026011222001400013333333333"),
    Tx(datetime(2026, 1, 15, 8, 0, 0), D("12.00"), "某某", "红包", "神秘新类型",
       direction="不计收支", order_no="2026011522001400014444444444"),
    Tx(datetime(2026, 1, 20, 8, 0, 0), D("888.00"), "网商银行", "网商贷还款", "信用借还",
       direction="不计收支", status="还款成功", order_no="2026012022001400015555555555"),
    Tx(datetime(2026, 1, 21, 8, 0, 0), D("50.00"), "滴滴出行", "快车", "交通出行",
       status="交易关闭", order_no="2026012122001400016666666666"),
]  # fmt: skip


def _kinds(bill_rows: list) -> list[Kind]:  # type: ignore[type-arg]
    return [r.kind for r in bill_rows]


@pytest.mark.parametrize("pad", [True, False])
def test_an_alipay_csv_in_gbk_is_read_past_its_preamble_with_padding_and_tabs_stripped(
    pad: bool,
) -> None:
    bill = read_bill(alipay_csv(ALIPAY, pad=pad), name="alipay.csv")
    assert bill.source is Source.ALIPAY
    assert bill.encoding == "gbk"
    assert len(bill.rows) == len(ALIPAY)
    assert _kinds(bill.rows) == [Kind.EXPENSE, Kind.REPAYMENT, Kind.REFUND, Kind.OTHER,
                                 Kind.REPAYMENT, Kind.FAILED]  # fmt: skip
    repay = bill.rows[1]
    assert repay.order_no == "2026011022001400012222222222"  # the tab and padding are gone
    assert repay.counterparty == "花呗"
    assert repay.category == "信用借还"
    assert repay.amount == D("1000.00")
    assert repay.at == datetime(2026, 1, 10, 20, 1, 2)
    assert repay.line == 27  # 24 preamble lines, the header (25), then the second row
    # the preamble's real name and account are nowhere in what was read
    assert REAL_NAME not in repr(bill) and REAL_ACCOUNT not in repr(bill)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_any_of_the_encodings_is_accepted_whatever_the_source(encoding: str) -> None:
    bill = read_bill(alipay_csv(ALIPAY, encoding=encoding), name="a.csv")
    assert [r.order_no for r in bill.rows] == [t.order_no for t in ALIPAY]


def test_the_header_is_found_by_its_names_not_a_line_count() -> None:
    data = alipay_csv(ALIPAY).decode("gbk")
    longer = "多一行说明\r\n" * 7 + data  # a preamble seven lines longer
    bill = read_bill(longer.encode("gbk"), name="a.csv")
    assert [r.order_no for r in bill.rows] == [t.order_no for t in ALIPAY]


WECHAT = [
    Tx(datetime(2026, 2, 1, 12, 0, 0), D("28.00"), "沙县小吃", "午餐", "商户消费",
       method="零钱", status="支付成功", order_no="4200002026020100001"),
    Tx(datetime(2026, 2, 3, 9, 0, 0), D("600.00"), "分付", "分付还款", "分付还款",
       direction="/", method="零钱", status="已还款", order_no="4200002026020300002"),
    Tx(datetime(2026, 2, 4, 9, 0, 0), D("1200.00"), "招商银行", "信用卡还款", "信用卡还款",
       direction="/", method="零钱", status="支付成功", order_no="4200002026020400003"),
    Tx(datetime(2026, 2, 5, 9, 0, 0), D("28.00"), "沙县小吃", "午餐", "商户消费-退款",
       direction="收入", status="已全额退款", order_no="4200002026020500004"),
    Tx(datetime(2026, 2, 6, 9, 0, 0), D("3000.00"), "房东", "/", "转账",
       method="零钱", status="对方已收钱", order_no="4200002026020600005"),
    Tx(datetime(2026, 2, 7, 9, 0, 0), D("5.00"), "某某", "/", "亲属卡新类型",
       direction="/", status="支付成功", order_no="4200002026020700006"),
]  # fmt: skip
WECHAT_KINDS = [Kind.EXPENSE, Kind.REPAYMENT, Kind.REPAYMENT, Kind.REFUND, Kind.EXPENSE, Kind.OTHER]


def test_a_wechat_csv_is_read() -> None:
    bill = read_bill(wechat_csv(WECHAT), name="wx.csv")
    assert (bill.source, bill.layout, bill.encoding) == (Source.WECHAT, "wechat-csv", "utf-8")
    assert _kinds(bill.rows) == WECHAT_KINDS
    assert bill.rows[1].amount == D("600.00") and bill.rows[1].order_no == "4200002026020300002"
    assert bill.rows[0].line == 18  # 16 preamble lines, the 列表 line… the header is line 17


@pytest.mark.parametrize("layout", [2025, 2026])
def test_a_wechat_xlsx_in_either_layout_is_read(layout: int) -> None:
    bill = read_bill(wechat_xlsx(WECHAT, layout=layout), name="wx.xlsx")
    assert (bill.source, bill.layout) == (Source.WECHAT, "wechat-xlsx")
    assert _kinds(bill.rows) == WECHAT_KINDS
    assert [r.amount for r in bill.rows] == [t.amount for t in WECHAT]
    assert [r.order_no for r in bill.rows] == [t.order_no for t in WECHAT]
    assert REAL_NAME not in repr(bill)


JD = [
    Tx(datetime(2026, 3, 1, 10, 0, 0), D("199.00"), "京东商城", "电饭煲", "数码家电",
       method="白条", status="交易成功", order_no="JD20260301001"),
    Tx(datetime(2026, 3, 5, 10, 0, 0), D("450.00"), "京东白条", "白条主动还款", "白条",
       direction="不计收支", method="银行卡", status="交易成功", order_no="JD20260305002"),
    Tx(datetime(2026, 3, 6, 10, 0, 0), D("199.00"), "京东商城", "电饭煲退款", "退款",
       direction="不计收支", status="退款成功", order_no="JD20260306003"),
]  # fmt: skip


def test_a_jd_csv_with_its_bom_is_read() -> None:
    bill = read_bill(jd_csv(JD), name="jd.csv")
    assert (bill.source, bill.encoding) == (Source.JD, "utf-8-sig")
    assert _kinds(bill.rows) == [Kind.EXPENSE, Kind.REPAYMENT, Kind.REFUND]
    assert bill.rows[1].counterparty == "京东白条"


def _refused(data: bytes, name: str = "f.csv") -> BadInput:
    with pytest.raises(BadInput) as caught:
        read_bill(data, name=name)
    return caught.value


def test_a_file_that_is_not_a_bill_is_refused() -> None:
    assert _refused("日期,说明\n2026-01-01,午饭\n".encode()).key == "err.bill_not_a_bill"
    assert _refused(b"\x00\x01\xff\xfe\xfa" * 40).key in {"err.bill_not_a_bill",
                                                        "err.bill_excel_unicode"}  # fmt: skip
    assert _refused(b"%PDF-1.7 ...").key == "err.bill_pdf"


def test_an_unknown_layout_names_the_columns_it_found() -> None:
    old = "交易号,商家订单号,交易创建时间,付款时间,类型,交易对方,商品名称,金额（元）,收/支\n"
    error = _refused(("说明\n" + old).encode("gbk"))
    assert error.key == "err.bill_unknown_layout"
    assert error.params["columns"] == (
        "交易号, 商家订单号, 交易创建时间, 付款时间, 类型, 交易对方, 商品名称, 金额(元), 收/支"
    )


def _zip(name: str, data: bytes, *, encrypted: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, data)
    raw = bytearray(out.getvalue())
    if encrypted:  # the flag Alipay's password zip carries (bit 0), in both headers
        raw[6] |= 1
        central = raw.rfind(b"PK\x01\x02")
        raw[central + 8] |= 1
    return bytes(raw)


def test_a_password_zip_is_refused_with_how_to_unpack_it() -> None:
    error = _refused(_zip("alipay.csv", alipay_csv(ALIPAY), encrypted=True), "bill.zip")
    assert error.key == "err.bill_zip_password"


def test_a_plain_zip_with_one_bill_is_read() -> None:
    bill = read_bill(_zip("wx.csv", wechat_csv(WECHAT)), name="bill.zip")
    assert len(bill.rows) == len(WECHAT)


def test_a_csv_resaved_by_excel_is_refused_naming_the_damage() -> None:
    text = alipay_csv(ALIPAY).decode("gbk")
    broken = text.replace("2026011022001400012222222222\t", "2.02601E+27")
    error = _refused(broken.encode("gbk"))
    assert error.key == "err.bill_excel_damaged"
    assert error.params["line"] == 27 and error.params["value"] == "2.02601E+27"
    assert _refused("\ufeff".encode("utf-16-le") + "a\tb".encode("utf-16-le")).key == (
        "err.bill_excel_unicode"
    )


def test_an_xlsx_resaved_by_excel_with_numeric_order_numbers_is_refused() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(wechat_xlsx(WECHAT)))
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=18, column=9).value = 2.025030122001e27
    out = io.BytesIO()
    book.save(out)
    assert _refused(out.getvalue(), "wx.xlsx").key == "err.bill_excel_damaged"


_ALPHABET = "花呗借还款美团餐饮超市房租转账退款信用分付白条商户消费新类型,\"'xyz 123"
_WORDS = st.text(alphabet=_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def _txs(draw: st.DrawFn) -> list[Tx]:
    count = draw(st.integers(0, 12))
    return [
        Tx(
            at=datetime(2026, 1, 1) + timedelta(minutes=draw(st.integers(0, 200_000))),
            amount=D(draw(st.integers(1, 10_000_000))) / 100,
            counterparty=draw(_WORDS),
            item=draw(_WORDS),
            category=draw(
                st.sampled_from(["信用借还", "分付还款", "餐饮美食", "退款", "转账"]) | _WORDS
            ),
            direction=draw(st.sampled_from(["支出", "收入", "不计收支", "/"])),
            status=draw(
                st.sampled_from(["交易成功", "还款成功", "交易关闭", "退款成功", "某新状态"])
            ),
            order_no=f"{draw(st.integers(10**20, 10**28))}",
        )
        for _ in range(count)
    ]


@settings(max_examples=60, deadline=None)
@given(
    _txs(),
    st.sampled_from(
        ["alipay-gbk", "alipay-utf8", "wechat-csv", "wechat-2025", "wechat-2026", "jd"]
    ),
    st.integers(0, 9),
)
def test_every_row_of_any_layout_is_read_back_whatever_its_type(
    txs: list[Tx], layout: str, extra: int
) -> None:
    """Random rows (unknown categories and statuses among them) in any layout, the preamble
    made longer: every row comes back with its order number, time and amount; none stops it."""
    data = {
        "alipay-gbk": lambda: alipay_csv(txs),
        "alipay-utf8": lambda: alipay_csv(txs, encoding="utf-8", pad=False),
        "wechat-csv": lambda: wechat_csv(txs),
        "wechat-2025": lambda: wechat_xlsx(txs, layout=2025),
        "wechat-2026": lambda: wechat_xlsx(txs, layout=2026),
        "jd": lambda: jd_csv(txs),
    }[layout]()
    if not layout.startswith("wechat-2"):  # a longer preamble: the header is found by name
        bom = data.startswith(b"\xef\xbb\xbf")
        encoding = "gbk" if layout == "alipay-gbk" else "utf-8"
        body = data[3:] if bom else data
        data = (b"\xef\xbb\xbf" if bom else b"") + ("说明\r\n" * extra).encode(encoding) + body
    bill = read_bill(data, name="bill")
    assert [(r.order_no, r.at, r.amount) for r in bill.rows] == [
        (t.order_no, t.at.replace(microsecond=0), t.amount) for t in txs
    ]
    assert all(r.kind in Kind for r in bill.rows)
