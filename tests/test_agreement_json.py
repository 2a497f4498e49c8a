"""``agreement list --json`` writes plain records (``render.agreement_json``), not a pydantic
``AgreementView`` per agreement: the records must stay the model's JSON, byte for byte (and the
table's lines, ``core.agreement_lines``, the model's figures). The
model (``store.get_agreement`` + ``render.json.to_json``) is the oracle here, on agreements
hypothesis writes (voided ones, voided payments, partial payments, overpayments, overdue and
future installments), and through the command, in-process and as a real process."""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TODAY
from helpers import invoke, run
from repaycli import store
from repaycli.cli.agreement import JSON_SCHEMA_VERSION
from repaycli.core.agreement_lines import AgreementLine, agreement_line
from repaycli.render.agreement_json import agreement_record
from repaycli.render.json import _dumps, _indented, to_json, write_json_stream

AT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
LINE_FIELDS = AgreementLine.model_fields_order

#: What the user may type into a receipt or a reason, and what a hand-edited row may hold.
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
installments = st.lists(
    st.tuples(st.integers(-400, 400), st.integers(1, 10**7)), min_size=1, max_size=5
)
payments = st.lists(
    st.tuples(st.integers(1, 3 * 10**7), st.booleans(), st.one_of(st.none(), texts)),
    max_size=5,
)


def _model_json(conn: sqlite3.Connection, day: date) -> list[str]:
    return [to_json(view) for view in store.iter_agreements(conn, today=day)]


def _records(conn: sqlite3.Connection, day: date) -> list[dict[str, object]]:
    return [agreement_record(*rows, today=day) for rows in store.iter_agreement_rows(conn)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(installments, payments, st.one_of(st.none(), texts), st.booleans()),
        min_size=1,
        max_size=4,
    ),
    st.integers(-500, 500),
)
def test_the_records_are_the_models_json_byte_for_byte(
    agreements: list[tuple[list[tuple[int, int]], list[tuple[int, bool, str | None]], str | None,
                           bool]],
    shift: int,
) -> None:  # fmt: skip
    day = TODAY + timedelta(days=shift)
    with tempfile.TemporaryDirectory() as where:
        conn = store.connect(Path(where) / "db.sqlite3")
        for schedule, paid, source, voided in agreements:
            plan = sorted((TODAY + timedelta(days=d), fen) for d, fen in schedule)
            agreement_id = store.add_agreement(
                conn, platform="huabei", schedule=plan, recorded_at=AT, source=source
            )
            for fen, void, receipt in paid:
                view = store.get_agreement(conn, agreement_id, today=day)
                if view.finished:
                    break
                made = store.add_payment(
                    conn, agreement_id, amount_fen=fen, paid_on=TODAY, recorded_at=AT,
                    receipt=receipt,
                )  # fmt: skip
                if void:
                    store.void_payment(conn, agreement_id, made, reason=receipt or "x",
                                       recorded_at=AT)  # fmt: skip
            if voided:
                store.void_agreement(conn, agreement_id, reason=source or "mistake",
                                     recorded_at=AT)  # fmt: skip
        models = _model_json(conn, day)
        records = _records(conn, day)
        views = list(store.iter_agreements(conn, today=day))
        lines = [agreement_line(*rows, today=day) for rows in store.iter_agreement_rows(conn)]
        conn.close()
    assert len(records) == len(agreements)
    for model, record in zip(models, records, strict=True):
        assert _dumps(record, indent=2) == model  # as the stream writes each record
        assert to_json(record) == model
    for view, line in zip(views, lines, strict=True):  # agreement list without --json
        assert line.model_dump() == {name: getattr(view, name) for name in LINE_FIELDS}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | texts | st.just(""),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_the_fast_indenting_writer_is_json_dumps(value: object) -> None:
    assert _indented(value, "\n") == json.dumps(value, ensure_ascii=False, indent=2)


def _seed() -> None:
    """Agreements of every kind, through the command: overdue, partly paid, overpaid, a voided
    payment, a voided agreement, one made from a log entry, a finished one."""
    for args in (
        ["log", "add", "--no-input", "--platform", "jiebei", "--channel", "phone",
         "--outcome", "agreed", "--notes", "3 期"],
        ["agreement", "add", "--no-input", "--platform", "huabei", "--total", "1000",
         "--periods", "3", "--first-due", "2026-10-31"],
        ["agreement", "add", "--no-input", "--platform", "jiebei", "--total", "1.2万",
         "--periods", "6", "--first-due", "2026-12-20", "--log", "1"],
        ["agreement", "add", "--no-input", "--platform", "jd_baitiao", "--total", "300",
         "--periods", "1", "--first-due", "2026-11-01"],
        ["agreement", "add", "--no-input", "--platform", "weilidai", "--total", "900",
         "--periods", "3", "--first-due", "2027-01-05"],
        ["pay", "1", "--no-input", "--amount", "400", "--date", "2026-11-30",
         "--receipt", "支付宝 2026113022001 \u201c回执\u201d"],
        ["pay", "2", "--no-input", "--amount", "50.5", "--date", "2026-12-01"],
        ["pay", "2", "--no-input", "--amount", "60", "--date", "2026-12-01"],
        ["pay", "2", "--void", "2", "--reason", "typed twice — 重复"],
        ["pay", "3", "--no-input", "--amount", "350", "--date", "2026-11-01"],
        ["agreement", "void", "4", "--reason", "wrong lender"],
    ):  # fmt: skip
        done = invoke(*args)
        assert done.exit_code == 0, (args, done.output)


def _old_path() -> str:
    """What ``agreement list --json`` wrote with a model per agreement (before the records)."""
    out = io.StringIO()
    with store.opened(read_only=True) as conn:
        write_json_stream(
            {"schema_version": JSON_SCHEMA_VERSION},
            "agreements",
            (json.loads(to_json(view)) for view in store.iter_agreements(conn, today=TODAY)),
            out,
        )
    return out.getvalue() + "\n"


def test_agreement_list_json_is_the_models_json_in_process_and_as_a_process() -> None:
    _seed()
    expected = _old_path()
    shown = json.loads(expected)["agreements"]
    statuses = {s["status"] for a in shown for s in a["schedule"]}
    assert statuses == {"paid", "partial", "overdue", "due"}, statuses  # every kind is here
    assert [a["void_reason"] for a in shown] == [None, None, None, "wrong lender"]
    assert [p["void_reason"] for p in shown[1]["payments"]] == ["typed twice — 重复", None]
    assert shown[2]["overpaid"] == "50.00" and shown[1]["log_entry"] == 1
    listed = invoke("agreement", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout == expected
    real = run("agreement", "list", "--json")
    assert real.returncode == 0, real.stderr
    assert real.stdout == expected
