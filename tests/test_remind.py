"""``repaycli remind``: the cron report, --exit-code, --json, --ics, --crontab, both languages."""

from __future__ import annotations

import json
import os
import re
import shlex
import sqlite3
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar

from helpers import invoke, repaycli_exe, run
from repaycli import store
from repaycli.core.dates import monthly_due_dates
from repaycli.errors import BadInput
from repaycli.paths import db_path

CST = timezone(timedelta(hours=8))
PLATFORMS = ("huabei", "jiebei", "weilidai", "cmb", "icbc", "ccb", "boc", "citic")
RECORDED = datetime(2028, 1, 10, 9, 0, tzinfo=CST)


def agreement(
    conn: sqlite3.Connection,
    first_due: date,
    periods: int,
    *,
    fen: int = 100_000,
    platform: str = "huabei",
) -> int:
    schedule = [(d, fen) for d in monthly_due_dates(first_due, periods)]
    return store.add_agreement(conn, platform=platform, schedule=schedule, recorded_at=RECORDED)


def contact(
    conn: sqlite3.Connection,
    *,
    at: datetime,
    platform: str = "weilidai",
    follow_up: date | None = None,
    action: str | None = None,
    corrects: int | None = None,
) -> int:
    new = store.NewContact(
        at=at,
        platform=platform,
        channel="phone",
        outcome="callback_promised" if follow_up else "pending",
        follow_up=follow_up,
        follow_up_action=action,
        corrects=corrects,
    )
    return store.add_contact(conn, new, recorded_at=at).id


@pytest.fixture
def leap(_isolated: Path) -> Path:
    """Agreement #1 (花呗, 3 × 1,000.00) first due 2028-01-31 → 2028-02-29 → 2028-03-31, and a
    follow-up with 微粒贷 promised for 2028-03-02."""
    with store.opened() as conn:
        agreement(conn, date(2028, 1, 31), 3)
        contact(
            conn,
            at=datetime(2028, 2, 20, 15, 0, tzinfo=CST),
            follow_up=date(2028, 3, 2),
            action="Ask for the waiver in writing",
        )
    return db_path()


def remind(*args: str, today: str = "2028-03-01", **env: str):  # type: ignore[no-untyped-def]
    return invoke("remind", *args, env={"REPAYCLI_TODAY": today, **env})


# --- the silent case ----------------------------------------------------------------------------


def test_no_database_prints_nothing_and_creates_nothing(_isolated: Path) -> None:
    result = remind("--exit-code")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == ""
    assert not db_path().exists()
    assert not _isolated.exists()


def test_nothing_due_prints_nothing(leap: Path) -> None:
    result = remind("--exit-code", today="2028-01-20")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == ""


def test_everything_paid_prints_nothing(leap: Path) -> None:
    with store.opened() as conn:
        store.add_payment(
            conn, 1, amount_fen=300_000, paid_on=date(2028, 1, 30), recorded_at=RECORDED
        )
        store.close_follow_up(conn, 1, done_at=RECORDED)
    result = remind(today="2028-03-31")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


# --- what is shown ------------------------------------------------------------------------------


def test_leap_day_installment_coming_due(leap: Path) -> None:
    result = remind(today="2028-02-27")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Overdue: 1 (installments ¥1,000.00)\n"
        "  2028-01-31  27 days overdue  Pay ¥1,000.00 to Huabei (Alipay):"
        " installment 1 of agreement #1\n"
        "\n"
        "Due by 2028-03-01: 1 (installments ¥1,000.00)\n"
        "  2028-02-29  in 2 days        Pay ¥1,000.00 to Huabei (Alipay):"
        " installment 2 of agreement #1\n"
        "\n"
        "Record a payment with 'repaycli pay'; close a follow-up with 'repaycli log done ID'.\n"
    )


def test_leap_day_overdue_and_follow_up_tomorrow(leap: Path) -> None:
    result = remind()
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Overdue: 2 (installments ¥2,000.00)\n"
        "  2028-01-31  30 days overdue  Pay ¥1,000.00 to Huabei (Alipay):"
        " installment 1 of agreement #1\n"
        "  2028-02-29  1 day overdue    Pay ¥1,000.00 to Huabei (Alipay):"
        " installment 2 of agreement #1\n"
        "\n"
        "Due by 2028-03-04: 1\n"
        "  2028-03-02  tomorrow         Follow up with Weilidai (WeBank) (log entry #1):"
        " Ask for the waiver in writing\n"
        "\n"
        "Record a payment with 'repaycli pay'; close a follow-up with 'repaycli log done ID'.\n"
    )
    assert "\x1b" not in result.stdout


def test_partial_payment_shows_what_is_left(leap: Path) -> None:
    with store.opened() as conn:
        store.add_payment(
            conn, 1, amount_fen=130_000, paid_on=date(2028, 2, 1), recorded_at=RECORDED
        )
    result = remind("--days", "0")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Overdue: 1 (installments ¥700.00)"
    assert "Pay ¥700.00 to Huabei (Alipay): installment 2 of agreement #1" in lines[1]
    assert "Follow up" not in result.stdout  # 2028-03-02 is outside --days 0


def test_days_widens_the_window_across_the_month_end(leap: Path) -> None:
    narrow = remind("--as-of", "2028-03-28", "--days", "2")
    assert "2028-03-31" not in narrow.stdout
    wide = remind("--as-of", "2028-03-28", "--days", "3")
    assert "  2028-03-31  in 3 days" in wide.stdout


def test_follow_up_closed_by_a_later_contact_with_the_same_platform(leap: Path) -> None:
    with store.opened() as conn:
        contact(conn, at=datetime(2028, 2, 25, 10, 0, tzinfo=CST), platform="huabei")
    assert "Follow up with Weilidai" in remind().stdout  # another platform: still open
    with store.opened() as conn:
        contact(conn, at=datetime(2028, 2, 26, 10, 0, tzinfo=CST), platform="weilidai")
    assert "Follow up" not in remind().stdout


def test_follow_up_closed_with_log_done(leap: Path) -> None:
    done = invoke("log", "done", "1", env={"REPAYCLI_TODAY": "2028-03-01"})
    assert done.exit_code == 0, done.output
    assert "Follow up" not in remind().stdout


def test_a_correction_replaces_the_follow_up(leap: Path) -> None:
    with store.opened() as conn:
        contact(
            conn,
            at=datetime(2028, 2, 20, 15, 0, tzinfo=CST),
            follow_up=date(2028, 3, 3),
            action="Send the hospital records",
            corrects=1,
        )
    out = remind().stdout
    assert "log entry #1)" not in out
    assert "  2028-03-03  in 2 days        Follow up with Weilidai (WeBank) (log entry #2):" in out


def test_user_text_is_shown_literally(_isolated: Path) -> None:
    with store.opened() as conn:
        contact(
            conn,
            at=datetime(2028, 2, 20, 15, 0, tzinfo=CST),
            follow_up=date(2028, 3, 1),
            action="[bold]call[/bold] \x1b[31m95384",
        )
    result = remind()
    assert "[bold]call[/bold] \\x1b[31m95384" in result.stdout
    assert "\x1b" not in result.stdout


def test_chinese(leap: Path) -> None:
    result = remind("--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "已逾期：2 项（分期合计 2,000.00 元）\n"
        "  2028-01-31  逾期 30 天  向花呗还款 1,000.00 元：协议 #1 第 1 期\n"
        "  2028-02-29  逾期 1 天   向花呗还款 1,000.00 元：协议 #1 第 2 期\n"
        "\n"
        "2028-03-04 前到期：1 项\n"
        "  2028-03-02  明天        跟进微粒贷（记录 #1）：Ask for the waiver in writing\n"
        "\n"
        "还款后用 'repaycli pay' 登记；跟进完成后用 'repaycli log done 编号' 关闭。\n"
    )
    assert remind(REPAYCLI_LANG="zh").stdout == result.stdout


# --- --exit-code and errors ---------------------------------------------------------------------


def test_exit_code_one_only_when_something_is_overdue(leap: Path) -> None:
    overdue = remind("--exit-code")
    assert overdue.exit_code == 1
    assert overdue.stdout.startswith("Overdue: 2")
    assert remind().exit_code == 0
    upcoming_only = remind("--exit-code", today="2028-01-29")
    assert upcoming_only.exit_code == 0, upcoming_only.output
    assert upcoming_only.stdout.startswith("Due by 2028-02-01: 1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--all",),
            "Error: --all goes with --ics FILE (it puts every unpaid installment and open"
            " follow-up in the calendar feed)",
        ),
        (
            ("--as-of", "2028-02-30"),
            "Error: report date (--as-of): 2028-02-30 is not a real date (check the month and day)",
        ),
        (
            ("--as-of", "soon"),
            "Error: report date (--as-of): soon is not a date; use YYYY-MM-DD (2026-12-01) or"
            " today, tomorrow, +3d, +2w, +1m",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr(leap: Path, args: tuple[str, ...], message: str) -> None:
    result = remind(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


def test_negative_days_are_refused(leap: Path) -> None:
    result = remind("--days", "-1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--days" in result.stderr


def test_corrupt_database_is_a_failure_and_left_alone(_isolated: Path) -> None:
    _isolated.mkdir()
    db_path().write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = db_path().read_bytes()
    result = remind()
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert db_path().read_bytes() == before


# --- --json -------------------------------------------------------------------------------------


def test_json_shape(leap: Path) -> None:
    result = remind("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "schema_version",
        "as_of",
        "days",
        "until",
        "overdue",
        "upcoming",
        "overdue_amount",
        "upcoming_amount",
        "collection_after_agreement",
        "complaints",
        "conduct",
    ]
    assert data["schema_version"] == 1
    assert (data["as_of"], data["days"], data["until"]) == ("2028-03-01", 3, "2028-03-04")
    assert data["overdue_amount"] == "2000.00"
    assert data["overdue"][1] == {
        "kind": "installment",
        "platform": "huabei",
        "due": "2028-02-29",
        "days_overdue": 1,
        "days_left": 0,
        "overdue": True,
        "amount": "1000.00",
        "agreement_id": 1,
        "installment": 2,
        "entry_id": None,
        "action": None,
    }
    assert data["upcoming"] == [
        {
            "kind": "follow_up",
            "platform": "weilidai",
            "due": "2028-03-02",
            "days_overdue": 0,
            "days_left": 1,
            "overdue": False,
            "amount": None,
            "agreement_id": None,
            "installment": None,
            "entry_id": 1,
            "action": "Ask for the waiver in writing",
        }
    ]


def test_json_when_nothing_is_due_is_still_json(_isolated: Path) -> None:
    result = remind("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["overdue"], data["upcoming"]) == ([], [])
    assert not db_path().exists()


# --- --ics --------------------------------------------------------------------------------------


def read_calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(cal: Calendar) -> dict[str, tuple[date, str]]:
    return {str(e["uid"]): (e.decoded("dtstart"), str(e["summary"])) for e in cal.walk("VEVENT")}


def test_ics_feed_has_overdue_and_coming_items_with_an_alarm(leap: Path, tmp_path: Path) -> None:
    feed = tmp_path / "repay.ics"
    result = remind("--ics", str(feed), today="2028-02-01")
    assert result.exit_code == 0, result.output
    # The report itself is still printed (2028-01-31 is overdue), the feed written quietly.
    assert result.stdout.startswith("Overdue: 1")
    assert result.stderr == ""
    cal = read_calendar(feed)
    assert str(cal["version"]) == "2.0"
    assert str(cal["prodid"]) == "-//repaycli//remind//EN"
    assert events(cal) == {
        "installment-1-1@repaycli": (
            date(2028, 1, 31),
            "Pay ¥1,000.00 to Huabei (Alipay) (installment 1, agreement #1)",
        ),
        "installment-1-2@repaycli": (
            date(2028, 2, 29),
            "Pay ¥1,000.00 to Huabei (Alipay) (installment 2, agreement #1)",
        ),
        "followup-1@repaycli": (
            date(2028, 3, 2),
            "Follow up with Weilidai (WeBank): Ask for the waiver in writing",
        ),
        "installment-1-3@repaycli": (
            date(2028, 3, 31),
            "Pay ¥1,000.00 to Huabei (Alipay) (installment 3, agreement #1)",
        ),
    }
    for event in cal.walk("VEVENT"):
        assert event.decoded("dtend") == event.decoded("dtstart") + timedelta(days=1)
        assert "dtstamp" in event
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["action"]) == "DISPLAY"
        trigger = alarms[0].decoded("trigger")
        assert trigger == -timedelta(hours=15)  # 09:00 the day before
        start = datetime.combine(event.decoded("dtstart"), datetime.min.time())
        assert (start + trigger).date() == event.decoded("dtstart") - timedelta(days=1)
        assert str(alarms[0]["description"]).startswith("Tomorrow: ")
    assert oct(feed.stat().st_mode & 0o777) == "0o600"


def test_ics_uids_are_stable_and_paid_items_drop_out(leap: Path, tmp_path: Path) -> None:
    feed = tmp_path / "repay.ics"
    assert remind("--ics", str(feed), today="2028-02-01").exit_code == 0
    first = events(read_calendar(feed))
    assert remind("--ics", str(feed), today="2028-02-01").exit_code == 0
    assert events(read_calendar(feed)) == first
    with store.opened() as conn:
        store.add_payment(
            conn, 1, amount_fen=200_000, paid_on=date(2028, 2, 1), recorded_at=RECORDED
        )
    assert remind("--ics", str(feed), today="2028-02-01").exit_code == 0
    after = events(read_calendar(feed))  # 2,000.00 paid: installments 1 and 2
    assert sorted(after) == ["followup-1@repaycli", "installment-1-3@repaycli"]
    assert after["installment-1-3@repaycli"] == first["installment-1-3@repaycli"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".repay.ics")] == []


def test_ics_keeps_the_mode_of_an_existing_file(leap: Path, tmp_path: Path) -> None:
    feed = tmp_path / "shared.ics"
    feed.write_text("old")
    feed.chmod(0o644)
    refused = remind("--ics", str(feed))  # not a feed repaycli wrote: only with --force
    assert (refused.exit_code, refused.stderr) == (
        2,
        f"Error: {feed} already exists; choose another file or add --force to replace it\n",
    )
    assert remind("--ics", str(feed), "--force").exit_code == 0
    assert oct(feed.stat().st_mode & 0o777) == "0o644"
    assert feed.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_ics_in_chinese(leap: Path, tmp_path: Path) -> None:
    feed = tmp_path / "zh.ics"
    assert remind("--ics", str(feed), "--lang", "zh", today="2028-02-01").exit_code == 0
    cal = read_calendar(feed)
    assert str(cal["x-wr-calname"]) == "repaycli：还款与跟进"
    assert events(cal)["installment-1-2@repaycli"] == (
        date(2028, 2, 29),
        "向花呗还款 1,000.00 元（协议 #1 第 2 期）",
    )
    alarm = cal.walk("VALARM")[0]
    assert str(alarm["description"]).startswith("明天：")


def test_ics_without_a_database_is_an_empty_calendar(_isolated: Path, tmp_path: Path) -> None:
    feed = tmp_path / "empty.ics"
    result = remind("--ics", str(feed))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert events(read_calendar(feed)) == {}
    assert not db_path().exists()


def test_ics_into_a_missing_folder_fails_cleanly(leap: Path, tmp_path: Path) -> None:
    result = remind("--ics", str(tmp_path / "nowhere" / "x.ics"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {tmp_path / 'nowhere' / 'x.ics'}: ")


# --- --crontab ----------------------------------------------------------------------------------


def test_crontab_line(_isolated: Path) -> None:
    result = remind("--crontab")
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    assert line == f"0 8 * * * REPAYCLI_HOME={_isolated} {repaycli_exe()} remind"
    assert Path(shlex.split(line)[-2]).is_absolute()


def test_crontab_line_carries_language_days_and_feed(_isolated: Path, tmp_path: Path) -> None:
    result = remind("--crontab", "--lang", "zh", "--days", "7", "--ics", str(tmp_path / "a.ics"))
    assert result.stdout.strip() == (
        f"0 8 * * * REPAYCLI_HOME={_isolated} REPAYCLI_LANG=zh {repaycli_exe()} remind"
        f" --days 7 --ics {tmp_path / 'a.ics'}"
    )


# --- the real command, with the environment cron gives --------------------------------------------


def bare_env(home: Path, *extra: str) -> list[str]:
    return ["env", "-i", f"REPAYCLI_HOME={home}", "REPAYCLI_TODAY=2028-03-01", *extra]


def cron_run(
    home: Path, *args: str, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*bare_env(home, *extra), repaycli_exe(), "remind", *args],
        capture_output=True,
        timeout=60,
        check=False,
        cwd="/",
    )


def test_env_i_run_prints_plain_text(leap: Path) -> None:
    home = leap.parent
    result = cron_run(home, "--exit-code")
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    out = result.stdout.decode("utf-8")
    assert out.startswith("Overdue: 2 (installments ¥2,000.00)\n")
    assert "  2028-03-02  tomorrow" in out
    assert b"\x1b" not in result.stdout


def test_env_i_run_in_chinese_is_utf8(leap: Path) -> None:
    result = cron_run(leap.parent, extra=("REPAYCLI_LANG=zh",))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").startswith("已逾期：2 项（分期合计 2,000.00 元）\n")


def test_env_i_silent_without_a_database(_isolated: Path) -> None:
    result = cron_run(_isolated)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert not _isolated.exists()


def test_env_i_silent_when_nothing_is_due(leap: Path) -> None:
    with store.opened() as conn:
        store.add_payment(
            conn, 1, amount_fen=300_000, paid_on=date(2028, 1, 30), recorded_at=RECORDED
        )
        store.close_follow_up(conn, 1, done_at=RECORDED)
    result = cron_run(leap.parent, "--exit-code")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_env_i_error_goes_to_stderr(leap: Path) -> None:
    result = cron_run(leap.parent, "--as-of", "nonsense")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode("utf-8").startswith("Error: report date (--as-of): nonsense")
    assert result.stderr.count(b"\n") == 1


def test_the_crontab_line_runs_under_env_i(leap: Path) -> None:
    line = run("remind", "--crontab").stdout.strip()
    command = line.split(" ", 5)[5]
    result = subprocess.run(
        ["env", "-i", "PATH=/usr/bin:/bin", "REPAYCLI_TODAY=2028-03-01", "/bin/sh", "-c", command],
        capture_output=True,
        timeout=60,
        check=False,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").startswith("Overdue: 2")
    assert os.environ["REPAYCLI_HOME"] in line
    assert re.match(r"^0 8 \* \* \* REPAYCLI_HOME=\S+ /\S+/repaycli remind$", line)


# --- the indexed follow-up query ------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_open_follow_ups_latest_matches_open_follow_ups(_isolated: Path, seed: int) -> None:
    """Random logs with corrections, closed follow-ups and equal times: the fast query used by
    remind returns exactly what the plain definition (``store.open_follow_ups``) returns."""
    import random

    rng = random.Random(seed)
    with store.opened() as conn:
        ids: list[int] = []
        for _ in range(120):
            at = datetime(2028, 1, 1, 9, 0, tzinfo=CST) + timedelta(hours=rng.randint(0, 400))
            follow = (
                date(2028, 1, 1) + timedelta(days=rng.randint(0, 40))
                if rng.random() < 0.6
                else None
            )
            target = rng.choice(ids[-6:]) if ids and rng.random() < 0.2 else None
            try:
                new = contact(
                    conn,
                    at=at,
                    platform=rng.choice(PLATFORMS),
                    follow_up=follow,
                    action="x",
                    corrects=target,
                )
            except BadInput:  # that entry was already corrected: log a plain one instead
                new = contact(conn, at=at, platform="cmb", follow_up=follow)
            ids.append(new)
            if follow and rng.random() < 0.1:
                store.close_follow_up(conn, new, done_at=RECORDED)
        for until in (date(2028, 1, 10), date(2028, 1, 25), date.max):
            assert store.open_follow_ups_latest(conn, until=until) == store.open_follow_ups(
                conn, until=until
            )
        assert store.open_follow_ups(conn, until=date.max)  # the comparison is not vacuous


def test_terminal_view_has_the_same_items(leap: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from repaycli.core.reminders import build_reminders
    from repaycli.i18n import set_lang
    from repaycli.render.remind import print_rich

    set_lang("en")  # the language is per process; an earlier test may have chosen zh

    with store.opened() as conn:
        result = build_reminders(
            store.due_installments(conn, until=date(2028, 3, 4)),
            store.open_follow_ups_latest(conn, until=date(2028, 3, 4)),
            as_of=date(2028, 3, 1),
        )
    print_rich(result)
    out = capsys.readouterr().out
    assert "Overdue: 2 (installments ¥2,000.00)" in out
    assert "30 days overdue" in out
    assert "Ask for the waiver in writing" in out
    assert "\x1b" not in out


def test_terminal_view_folds_chinese_text_it_cannot_break_at_a_space(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A follow-up action typed in Chinese (no spaces) is shown whole at 80 columns, not cut."""
    from repaycli.core.reminders import build_reminders
    from repaycli.render.remind import print_rich

    action = (
        "客服说可以分十二期还款但要先交一笔手续费我拒绝了对方工号甲一二三四"
        "承诺三天内回电问清楚减免罚息"
    )
    result = invoke(
        "log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
        "--outcome", "callback_promised", "--follow-up", "+1d", "--follow-up-action", action,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("COLUMNS", "80")
    with store.opened() as conn:
        reminders = build_reminders(
            [], store.open_follow_ups_latest(conn, until=date.max), as_of=date.today()
        )
    print_rich(reminders)
    out = capsys.readouterr().out
    cells = [line.split("│")[3].strip() for line in out.splitlines() if line.count("│") == 4]
    assert "…" not in out
    assert action in "".join(cells)


def test_ics_feed_carries_no_raw_control_characters(_isolated: Path, tmp_path: Path) -> None:
    """Text the user typed reaches the calendar with its control characters made visible."""
    result = invoke(
        "log", "add", "--no-input", "--platform", "huabei", "--channel", "phone",
        "--outcome", "callback_promised", "--follow-up", "+2d",
        "--follow-up-action", "call \x1b[31mback\x07 \u202eok",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    feed = tmp_path / "feed.ics"
    assert invoke("remind", "--ics", str(feed)).exit_code == 0
    data = feed.read_bytes()
    assert b"\x1b" not in data and b"\x07" not in data and "\u202e".encode() not in data
    assert b"call \\\\x1b[31mback" in data.replace(b"\r\n ", b"")
