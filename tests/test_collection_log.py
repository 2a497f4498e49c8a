"""Collection as it arrives (issue 23, part 1): the channels and outcomes people type, the
detail of what a collector sent (direction, firm, threats, the text as pasted), committed in the
same hash chain; the quick form; the migration from the schema before."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import run_in_process
from repaycli import store
from repaycli.core.conduct import THREATS
from repaycli.i18n import t
from repaycli.paths import db_path

CST = timezone(timedelta(hours=8))
BASE = ["log", "add", "--no-input", "--platform", "huabei"]


def add_json(*args: str) -> dict[str, object]:
    code, out, err = run_in_process(*BASE, *args, "--json")
    assert code == 0, err
    entry: dict[str, object] = json.loads(out)["entry"]
    return entry


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("短信", "sms"), ("SMS", "sms"), ("sms", "sms"), ("信息", "sms"),
        ("微信", "wechat"), ("WeChat", "wechat"), ("来电", "call_in"),
        ("incoming call", "call_in"), ("上门", "visit"), ("联系家人", "third_party"),
        ("电话", "phone"), ("App 内客服", "app_chat"),
    ],
)  # fmt: skip
def test_channel_words_people_type_are_taken(word: str, channel: str) -> None:
    entry = add_json("--channel", word, "--outcome", "received")
    assert entry["channel"] == channel


def test_a_collectors_channel_is_incoming_collection_and_a_threat_an_outcome() -> None:
    entry = add_json(
        "--channel", "短信", "--outcome", "被威胁", "--threat", "家人", "--threat", "冒充",
        "--said", "  你再不还，明天就去你单位！\n", "--firm", "某某资产管理", "--claims", "律所",
        "--number", "10690000", "--at", "2026-12-01T23:10+08:00",
    )  # fmt: skip
    assert entry["outcome"] == "threatened"
    assert entry["direction"] == "incoming" and entry["collection"] is True
    assert entry["threats"] == ["impersonation", "third_party"]
    assert entry["said"] == "  你再不还，明天就去你单位！\n"  # as pasted
    assert (entry["firm"], entry["claims"]) == ("某某资产管理", "lawyer")
    code, out, _ = run_in_process("log", "verify")
    assert code == 0 and "1 entry," in out


def test_an_outgoing_call_stays_as_before() -> None:
    entry = add_json("--channel", "phone", "--outcome", "pending")
    assert entry["direction"] is None and entry["collection"] is False
    assert entry["threats"] is None


def test_bad_threat_is_one_line_exit_2() -> None:
    code, out, err = run_in_process(*BASE, "--channel", "sms", "--outcome", "received",
                                    "--threat", "blackmail")  # fmt: skip
    assert code == 2 and out == ""
    assert err.startswith("Error: threat: blackmail is not one of: third_party,")
    assert err.count("\n") == 1


def test_an_incoming_call_asks_for_their_number_in_chinese() -> None:
    answers = "\n".join(["2026-12-01 10:00", "来电", "", "13800000000", "", "", "", "", "待定"])
    code, _, err = run_in_process("--lang", "zh", "log", "add", "--platform", "花呗",
                                  input=answers + "\n" * 10)  # fmt: skip
    assert code == 0, err
    assert "对方号码" in err and "拨打的号码" not in err
    answers = "\n".join(["", "电话", "", "95188"]) + "\n" * 12
    code, _, err = run_in_process(
        "--lang", "zh", "log", "add", "--platform", "花呗", "--outcome", "待定", input=answers
    )  # fmt: skip
    assert code == 0, err
    assert "拨打的号码" in err and "对方号码" not in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_outcome_words_are_the_same_in_help_prompt_and_call_screen(lang: str) -> None:
    from repaycli.catalog import load_log_fields
    from repaycli.i18n import set_lang
    from repaycli.services.log import choice_words
    from repaycli.tui.dialogs import OUTCOMES as SCREEN

    spec = next(f for f in load_log_fields() if f.name == "outcome")
    code, out, _ = run_in_process("--lang", lang, "log", "add", "-h")
    assert code == 0
    flat = "".join(out.split())
    set_lang(lang)
    prompt = choice_words("outcome", spec.choices, "/").split("/")
    assert set(SCREEN) <= set(spec.choices) and "threatened" in SCREEN
    for choice, word in zip(spec.choices, prompt, strict=True):
        shown = word if lang == "en" else t(f"outcome.{choice}", lang)
        assert shown == word  # the prompt shows what the call screen shows (zh labels)
        assert "".join(shown.split()) in flat, (shown, out)


def test_quick_form_in_a_few_prompts() -> None:
    answers = "\n".join(["", "借呗", "13800000000", "法院已立案，明天传唤你", "2,3"]) + "\n"
    code, out, err = run_in_process("--lang", "zh", "log", "collection", input=answers)
    assert code == 0, err
    assert out.startswith("已记录第 1 条（短信，")
    assert "来电号码" not in err  # a text message is not a call: "their number", not "caller's"
    assert err.count("：") <= 8  # time, lender, number, text, threats (+ the checklist)
    entry = json.loads(run_in_process("log", "show", "1", "--json")[1])["entry"]
    assert entry["platform"] == "jiebei" and entry["channel"] == "sms"
    assert entry["threats"] == ["arrest", "impersonation"]
    assert entry["outcome"] == "threatened" and entry["collection"] is True
    assert entry["number"] == "13800000000" and entry["said"] == "法院已立案，明天传唤你"


def test_quick_form_cut_short_records_nothing() -> None:
    """Input that ends after the lender (a closed pipe, Ctrl-D) leaves the log as it was: the
    optional questions after it were never answered, not answered with nothing."""
    code, _, err = run_in_process("log", "collection", input="\n借呗\n")
    assert code == 2 and "nothing was recorded" in err
    assert run_in_process("log", "list", "--json")[1].count('"id"') == 0


def test_quick_form_without_prompts() -> None:
    code, out, err = run_in_process(
        "log", "collection", "--no-input", "--platform", "huabei", "--said", "请尽快还款",
    )  # fmt: skip
    assert code == 0, err
    entry = json.loads(run_in_process("log", "show", "1", "--json")[1])["entry"]
    assert entry["outcome"] == "received" and entry["threats"] is None


def _tamper(sql: str) -> None:
    conn = sqlite3.connect(db_path())
    conn.execute("DROP TRIGGER contacts_no_update")
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE contacts SET said = '请还款' WHERE id = 1",
        "UPDATE contacts SET threats = NULL WHERE id = 1",
        "UPDATE contacts SET threats = '[\"abuse\"]' WHERE id = 1",
        "UPDATE contacts SET direction = 'outgoing' WHERE id = 1",
        "UPDATE contacts SET third_party = NULL WHERE id = 1",
    ],
)
def test_an_edited_detail_breaks_the_chain(sql: str) -> None:
    add_json("--channel", "sms", "--outcome", "threatened", "--threat", "abuse",
             "--threat", "third_party", "--said", "滚", "--third-party", "妹妹")  # fmt: skip
    _tamper(sql)
    code, _, err = run_in_process("log", "verify")
    assert code == 1, err


def test_a_schema_7_database_migrates_and_keeps_every_hash(tmp_path: Path) -> None:
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = store.connect(path, migrate_to=7)
    at = datetime(2026, 11, 20, 23, 30, tzinfo=CST)
    first = store.add_contact(
        conn,
        store.NewContact(at=at, platform="huabei", channel="phone", outcome="agreed"),
        recorded_at=at,
    )
    second = store.add_contact(
        conn,
        store.NewContact(
            at=at, platform="jiebei", channel="app_chat", outcome="pending", collection=True,
            corrects=None, notes="催收",
        ),
        recorded_at=at,
    )  # fmt: skip
    store.add_agreement(
        conn, platform="huabei", schedule=[(at.date(), 10000)], recorded_at=at, contact_id=1
    )
    seq_before = conn.execute("SELECT seq FROM sqlite_sequence WHERE name='contacts'").fetchone()
    conn.close()
    conn = store.connect(path)
    assert store.schema_version(conn) == store.SCHEMA_VERSION
    rows = conn.execute("SELECT id, hash, collection, said FROM contacts ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(1, first.hash, None, None), (2, second.hash, 1, None)]
    seq_after = conn.execute("SELECT seq FROM sqlite_sequence WHERE name='contacts'").fetchone()
    assert tuple(seq_before) == tuple(seq_after)
    assert store.verify_log(conn).intact and store.verify_events(conn).intact
    third = store.add_contact(
        conn,
        store.NewContact(at=at, platform="huabei", channel="sms", outcome="threatened",
                         direction="incoming", threats=["arrest"], said="立案"),
        recorded_at=at,
    )  # fmt: skip
    assert third.id == 3 and third.threats == ["arrest"]
    assert store.verify_log(conn).intact
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM contacts WHERE id = 1")
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()


def test_log_show_names_their_number_and_what_they_sent() -> None:
    add_json("--channel", "短信", "--outcome", "被威胁", "--threat", "抓人", "--number", "10690000",
             "--said", "明天上门", "--third-party", "妹妹", "--firm", "某某资产")  # fmt: skip
    code, out, _ = run_in_process("--lang", "zh", "log", "show", "1")
    assert code == 0
    for shown in (
        "对方号码",  # an SMS too: not "来电" (a call)
        "10690000",
        "威胁抓人或立案",
        "明天上门",
        "妹妹",
        "某某资产",
        "对方联系我",
    ):
        assert shown in out, shown
    assert "拨打的号码" not in out


def test_a_redacted_export_withholds_a_pasted_mobile_and_still_verifies(tmp_path: Path) -> None:
    add_json("--channel", "sms", "--outcome", "threatened", "--threat", "abuse",
             "--said", "打 13912345678 还款，不然曝光你")  # fmt: skip
    target = tmp_path / "redacted.json"
    code, _, err = run_in_process(
        "log", "export", "--format", "json", "--redact", "-o", str(target)
    )
    assert code == 0, err
    entry = json.loads(target.read_text(encoding="utf-8"))["entries"][0]
    assert "13912345678" not in entry["said"] and "said" in entry["withheld"]
    code, out, err = run_in_process("log", "verify", "--export", str(target))
    assert code == 0, err


detail_text = st.none() | st.text(min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    said=detail_text,
    firm=detail_text,
    third=detail_text,
    threats=st.none() | st.lists(st.sampled_from(THREATS), min_size=1, unique=True),
    direction=st.sampled_from([None, "incoming", "outgoing"]),
    collection=st.booleans(),
    field=st.sampled_from(["said", "firm", "third_party", "threats", "direction", "collection"]),
)
def test_every_detail_is_committed(
    said: str | None,
    firm: str | None,
    third: str | None,
    threats: list[str] | None,
    direction: str | None,
    collection: bool,
    field: str,
) -> None:
    """An entry verifies as written; changing any one detail field changes its hash."""
    from repaycli.core import evidence

    entry: dict[str, object] = {
        "id": 1, "recorded_at": "2026-12-01T10:00:00+08:00", "at": "2026-12-01T09:00:00+08:00",
        "platform": "huabei", "channel": "sms", "outcome": "received", "attachments": [],
        "collection": collection, "said": said, "firm": firm, "third_party": third,
        "threats": threats, "direction": direction, "claims": None,
    }  # fmt: skip
    salts = dict.fromkeys(evidence.committed_fields(entry), "00" * 16)
    entry["hash"] = evidence.entry_hash_v2(entry, evidence.GENESIS, salts)
    entry.update(prev_hash=evidence.GENESIS, salts=salts)
    assert evidence.verify_chain([entry]).intact
    changed = dict(entry)
    others = {"said": "x", "firm": "y", "third_party": "z", "threats": ["abuse"],
              "direction": "outgoing", "collection": not collection}  # fmt: skip
    new = others[field] if entry[field] != others[field] else None
    changed[field] = new
    if field == "collection" or any(changed.get(n) is not None for n in evidence.DETAIL_FIELDS):
        assert not evidence.verify_chain([changed]).intact


def test_the_rebuild_keeps_a_column_and_index_another_migration_added() -> None:
    """Branches merge their migrations before this one: a contacts column or index added
    earlier must survive the table's rebuild (it is rebuilt from its own definition)."""
    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = store.connect(path, migrate_to=7)
    at = datetime(2026, 11, 20, 10, 0, tzinfo=CST)
    new = store.NewContact(at=at, platform="huabei", channel="phone", outcome="pending")
    entry = store.add_contact(conn, new, recorded_at=at)
    conn.execute("ALTER TABLE contacts ADD COLUMN elsewhere TEXT")
    conn.execute("CREATE INDEX contacts_elsewhere ON contacts(elsewhere)")
    conn.close()
    conn = store.connect(path)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(contacts)")]
    assert "elsewhere" in columns and "said" in columns
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name='contacts'")}
    assert {"contacts_elsewhere", "contacts_no_update", "contacts_no_delete"} <= names
    assert conn.execute("SELECT hash FROM contacts").fetchone()[0] == entry.hash
    assert store.verify_log(conn).intact
    assert conn.execute("SELECT elsewhere FROM contacts").fetchone()[0] is None
    conn.close()
