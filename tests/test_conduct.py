"""The conduct check (issue 23, part 2): a week of collection worked by hand, and a property
over random logs against rules written here, independently of ``core.conduct``."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import run_in_process
from repaycli.catalog import load_conduct_rules, read_source
from repaycli.core.conduct import check

CST = timezone(timedelta(hours=8))
KINDS = {"huabei": "bnpl", "gonghang": "credit_card", "jiebei": "consumer_loan"}


def log(platform: str, channel: str, at: str, *extra: str) -> None:
    code, _, err = run_in_process(
        "log", "add", "--no-input", "--platform", platform, "--channel", channel,
        "--at", at, *extra,
    )  # fmt: skip
    assert code == 0, err


def week() -> None:
    """A week of collection (China times), by hand:
    #1 Mon 23:30 ICBC card call (night)       #2 Tue 07:50 ICBC call (night, Tuesday)
    #3–#9 Tue 10:00–16:00 seven ICBC calls    #10 Wed ICBC calls my sister
    #11 Thu Huabei SMS "court", threats       #12 Fri Huabei SMS asking to pay, lawful
    #13–#18 Fri six ICBC calls (lawful)       #19 Fri 23:00 my own call to Huabei (not theirs)
    """
    log("gonghang", "来电", "2026-11-23T23:30+08:00", "--outcome", "no_answer")
    log("gonghang", "来电", "2026-11-24T07:50+08:00", "--outcome", "no_answer")
    for hour in range(10, 17):
        log("gonghang", "来电", f"2026-11-24T{hour:02d}:00+08:00", "--outcome", "no_answer")
    log("gonghang", "联系第三方", "2026-11-25T14:00+08:00", "--outcome", "received",
        "--third-party", "妹妹")  # fmt: skip
    log("huabei", "短信", "2026-11-26T12:00+08:00", "--outcome", "threatened", "--claims", "法院",
        "--said", "【XX法院】你已被立案，限今日还款，否则传唤", "--threat", "impersonation",
        "--threat", "arrest")  # fmt: skip
    log("huabei", "短信", "2026-11-27T10:00+08:00", "--outcome", "received",
        "--said", "您的账单已逾期，请及时还款")  # fmt: skip
    for hour in range(9, 15):
        log("gonghang", "来电", f"2026-11-27T{hour:02d}:00+08:00", "--outcome", "no_answer")
    log("huabei", "phone", "2026-11-27T23:00+08:00", "--outcome", "pending")


def test_a_week_of_collection_gives_each_flag_with_its_rule_and_entries() -> None:
    week()
    code, out, err = run_in_process("log", "conduct", "--json")
    assert code == 0, err
    flags = json.loads(out)["flags"]
    got = [(f["day"], f["platform"], f["kind"], f["detail"], f["entries"]) for f in flags]
    assert got == [
        ("2026-11-23", "gonghang", "night", "23:30", [1]),
        ("2026-11-24", "gonghang", "night", "07:50", [2]),
        ("2026-11-24", "gonghang", "attempts", "8", [2, 3, 4, 5, 6, 7, 8, 9]),
        ("2026-11-25", "gonghang", "third_party", "妹妹", [10]),
        ("2026-11-26", "huabei", "threat", "impersonation", [11]),
        ("2026-11-26", "huabei", "threat", "arrest", [11]),
    ]
    rules = {(f["day"], f["kind"], f["detail"]): [(r["id"], r["applies"]) for r in f["rules"]]
             for f in flags}  # fmt: skip
    # a credit card is a bank's: the CBA guideline applies, and art. 68 to third parties
    assert rules[("2026-11-23", "night", "23:30")] == [("cba_hours", "yes")]
    assert rules[("2026-11-24", "attempts", "8")] == [("cba_attempts", "yes")]
    assert rules[("2026-11-25", "third_party", "妹妹")] == [
        ("cba_third_party", "yes"),
        ("card_art68", "yes"),
    ]
    # Huabei: only if it is a bank or consumer-finance company; never the credit-card rule
    assert rules[("2026-11-26", "threat", "arrest")] == [("cba_banned", "if")]
    assert all(r["id"] != "card_art68" for f in flags if f["platform"] == "huabei"
               for r in f["rules"])  # fmt: skip
    every = {r["id"] for f in flags for r in f["rules"]}
    shipped = {r["id"]: r for r in read_source("conduct_rules.toml")["rule"]}
    assert every <= set(shipped) and all(shipped[i]["confidence"] != "?" for i in every)


def test_the_conduct_text_cites_the_source_and_the_condition_in_chinese() -> None:
    week()
    code, out, err = run_in_process("--lang", "zh", "log", "conduct", "--platform", "花呗")
    assert code == 0, err
    assert "2026-11-26 · 花呗：威胁：冒充公检法或律师" in out
    assert "据中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》" in out
    assert "只适用于银行和消费金融公司" in out
    assert "信用卡业务" not in out and "工商银行" not in out
    assert "互联网金融逾期债务催收自律公约" not in out  # a "?" rule is never printed


def test_no_flag_on_lawful_contact() -> None:
    log("huabei", "短信", "2026-11-27T10:00+08:00", "--outcome", "received")
    for hour in range(8, 13):  # five calls from 08:00, and one at 21:59: six, within the rule
        log("gonghang", "来电", f"2026-11-27T{hour:02d}:00+08:00", "--outcome", "no_answer")
    log("gonghang", "来电", "2026-11-27T21:59+08:00", "--outcome", "no_answer")
    log("huabei", "phone", "2026-11-27T23:30+08:00", "--outcome", "pending")  # my own call
    code, out, _ = run_in_process("log", "conduct", "--json")
    assert json.loads(out)["flags"] == []
    code, out, _ = run_in_process("log", "conduct")
    assert "No contact in the log breaks a collection rule." in out


def test_night_is_china_time_whatever_zone_the_time_was_typed_in() -> None:
    log("gonghang", "来电", "2026-11-27T14:30+00:00", "--outcome", "no_answer")  # 22:30 in China
    log("gonghang", "来电", "2026-11-27T23:30+00:00", "--outcome", "no_answer")  # 07:30 next day
    log("gonghang", "来电", "2026-11-28T01:00+00:00", "--outcome", "no_answer")  # 09:00: lawful
    flags = json.loads(run_in_process("log", "conduct", "--json")[1])["flags"]
    assert [(f["day"], f["detail"], f["entries"]) for f in flags] == [
        ("2026-11-27", "22:30", [1]),
        ("2026-11-28", "07:30", [2]),
    ]


# --- the property ---------------------------------------------------------------------------

THREATS = ["third_party", "impersonation", "arrest", "abuse", "shaming", "personal_account",
           "extra_fees"]  # fmt: skip
COLLECTOR_CHANNELS = {"sms", "wechat", "call_in", "visit", "third_party"}


@st.composite
def entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 25))
    found = []
    for i in range(1, n + 1):
        minutes = draw(st.integers(0, 3 * 24 * 60))
        offset = draw(st.sampled_from([0, 8, -5]))
        moment = datetime(2026, 11, 23, tzinfo=UTC) + timedelta(minutes=minutes)
        at = moment.astimezone(timezone(timedelta(hours=offset))).isoformat()
        found.append(
            {
                "id": i,
                "at": at,
                "platform": draw(st.sampled_from(sorted(KINDS))),
                "channel": draw(st.sampled_from(["phone", "call_in", "sms", "wechat",
                                                 "third_party", "app_chat", "visit"])),
                "direction": draw(st.sampled_from([None, "incoming", "outgoing"])),
                "collection": draw(st.booleans()),
                "threats": draw(st.none() | st.lists(st.sampled_from(THREATS), unique=True)),
                "third_party": draw(st.none() | st.sampled_from(["妹妹", "单位"])),
            }
        )  # fmt: skip
    return found


def oracle(log_: list[dict[str, Any]]) -> set[tuple[str, str, date, tuple[int, ...]]]:
    """The rules as read in FACTS.md, written again: China is UTC+8; a contact is the
    collector's when logged as collection, incoming, or on a collector's channel."""
    groups: dict[tuple[str, date], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for e in log_:
        theirs = (e["collection"] or e["direction"] == "incoming"
                  or e["channel"] in COLLECTOR_CHANNELS)  # fmt: skip
        if not theirs:
            continue
        utc = datetime.fromisoformat(e["at"]).astimezone(UTC).replace(tzinfo=None)
        china = utc + timedelta(hours=8)
        groups[(e["platform"], china.date())].append((china.hour * 60 + china.minute, e))
    want = set()
    for (platform, day), found in groups.items():
        found.sort(key=lambda p: (p[0], p[1]["id"]))
        night = tuple(e["id"] for m, e in found if m < 8 * 60 or m >= 22 * 60)
        if night:
            want.add(("night", platform, day, night))
        calls = tuple(e["id"] for _, e in found if e["channel"] in ("phone", "call_in"))
        if len(calls) >= 7:
            want.add(("attempts", platform, day, calls))
        third = tuple(e["id"] for _, e in found
                      if e["channel"] == "third_party" or e["third_party"])  # fmt: skip
        if third:
            want.add(("third_party", platform, day, third))
        for threat in THREATS:
            ids = tuple(e["id"] for _, e in found if threat in (e["threats"] or []))
            if ids:
                kind = "personal_account" if threat == "personal_account" else "threat:" + threat
                want.add((kind, platform, day, ids))
    return want


@settings(max_examples=150, deadline=None)
@given(entries())
def test_a_flag_appears_exactly_when_its_rule_holds(log_: list[dict[str, Any]]) -> None:
    rules = load_conduct_rules()
    flags = check(log_, kinds=KINDS, rules=rules)
    got = {(f.check, f.platform, f.day, f.entry_ids) for f in flags}
    assert got == oracle(log_)
    for f in flags:
        assert all(c.rule.confidence in ("P", "S") for c in f.citations)
        if KINDS[f.platform] != "credit_card":
            assert all(c.rule.id != "card_art68" for c in f.citations)


def test_the_report_evidence_section_shows_the_flags() -> None:
    week()
    code, out, err = run_in_process(
        "--lang", "zh", "report", "--log", "-p", "huabei", "--overdue", "8000",
        "--income", "5000", "--expenses", "4000", "-o", "-",
    )  # fmt: skip
    assert code == 0, err
    section = out[out.index('id="conduct"') : out.index("</section>", out.index('id="conduct"'))]
    assert "2026-11-25 · 工商银行信用卡：联系第三方（妹妹）" in section
    assert "《商业银行信用卡业务监督管理办法》第六十八条" in section
    assert "2026-11-26 · 花呗：威胁：威胁抓人或立案" in section
    assert "互联网金融逾期债务催收自律公约" not in section


def test_remind_json_carries_the_flags() -> None:
    week()
    code, out, _ = run_in_process("remind", "--json")
    assert code == 0
    flags = json.loads(out)["conduct"]
    assert [(f["day"], f["kind"]) for f in flags][:3] == [
        ("2026-11-23", "night"), ("2026-11-24", "night"), ("2026-11-24", "attempts"),
    ]  # fmt: skip


def test_the_conduct_text_fits_80_columns_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from repaycli.render.wrap import width

    week()
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_in_process("--lang", "zh", "log", "conduct")
    assert code == 0
    assert all(width(line) <= 80 for line in out.splitlines())
    assert "据中国银行业协会" in out.replace("\n", "").replace(" ", "")


@settings(max_examples=150, deadline=None)
@given(entries(), st.randoms(use_true_random=False))
def test_streamed_a_day_at_a_time_the_flags_are_the_same(
    log_: list[dict[str, Any]], rng: Any
) -> None:
    """``log conduct``, the report and ``remind --json`` read the log oldest first and let each
    day go once the next begins (issue 22: memory flat at 1,000,000 entries). Whatever the
    order the entries come in otherwise, the flags are the same flags in the same order."""
    rules = load_conduct_rules()
    in_order = sorted(log_, key=lambda e: (datetime.fromisoformat(e["at"]), e["id"]))
    shuffled = list(log_)
    rng.shuffle(shuffled)
    streamed = check(in_order, kinds=KINDS, rules=rules, in_time_order=True)
    assert streamed == check(shuffled, kinds=KINDS, rules=rules)
    assert {(f.check, f.platform, f.day, f.entry_ids) for f in streamed} == oracle(log_)


def test_the_database_picks_the_collection_entries_as_the_check_does() -> None:
    """``store.iter_contacts(collection_only=True)`` filters in SQL what
    ``core.conduct.is_collection`` holds to be collection: every channel, direction and marker,
    a corrected entry replaced by its correction, oldest first."""
    from repaycli import store
    from repaycli.core.conduct import is_collection
    from repaycli.paths import db_path

    path = db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = store.connect(path)
    at = datetime(2026, 11, 20, 9, 0, tzinfo=CST)
    n = 0
    for channel in store.CHANNELS:
        for direction in (None, *store.DIRECTIONS):
            for collection in (False, True):
                n += 1
                store.add_contact(
                    conn,
                    store.NewContact(at=at - timedelta(minutes=n), platform="huabei",
                                     channel=channel, outcome="pending", direction=direction,
                                     collection=collection),
                    recorded_at=at,
                )  # fmt: skip
    # a collection SMS corrected to an outgoing call, and an outgoing call corrected to an SMS
    for first, then in (("sms", "phone"), ("phone", "sms")):
        was = store.add_contact(
            conn, store.NewContact(at=at, platform="jiebei", channel=first, outcome="pending"),
            recorded_at=at,
        )  # fmt: skip
        store.add_contact(
            conn,
            store.NewContact(at=at, platform="jiebei", channel=then, outcome="pending",
                             direction="outgoing" if then == "phone" else None,
                             corrects=was.id),
            recorded_at=at,
        )  # fmt: skip
    every = list(store.iter_contacts(conn, oldest_first=True))
    picked = list(store.iter_contacts(conn, oldest_first=True, collection_only=True))
    conn.close()
    assert picked == [e for e in every if is_collection(e)]
    assert 0 < len(picked) < len(every)
    assert [e["at"] for e in picked] == sorted(e["at"] for e in picked)
    assert [e["channel"] for e in picked if e["platform"] == "jiebei"] == ["sms"]
