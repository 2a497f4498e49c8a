"""Shared test helpers: running the CLI in-process and as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from repaycli.cli import app

runner = CliRunner()


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, env=env)


def repaycli_exe() -> str:
    found = Path(sys.executable).parent / "repaycli"
    if found.exists():
        return str(found)
    which = shutil.which("repaycli")
    assert which, "the repaycli console script is not installed"
    return which


def run(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``repaycli`` with the test environment (plus ``env``)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [repaycli_exe(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        input=input,
        timeout=timeout,
        check=False,
    )


#: ``repaycli log add`` with the flags every log test needs.
LOG_ADD = ["log", "add", "--no-input", "--platform", "huabei", "--channel", "phone"]


def run_in_process(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one in-process run."""
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def add_entry(*extra: str) -> str:
    """Log one pending phone contact with Huabei (plus ``extra`` flags); its stdout."""
    code, out, err = run_in_process(*LOG_ADD, "--outcome", "pending", *extra)
    assert code == 0, err
    return out


def sample_log(path: Path) -> None:
    """A small log with every kind of entry the exports meet — Chinese and hostile text (markup,
    escapes, bidi overrides, formulas, tabs and line breaks), a correction, an attachment, a
    closed follow-up — all at fixed times and with fixed salts (issue 12 salts every field; here
    the salts count up), so its hashes and exports never change."""
    import itertools
    import secrets
    from datetime import date, datetime, timedelta, timezone
    from unittest import mock

    from repaycli import store
    from repaycli.core.records import Attachment

    cst = timezone(timedelta(hours=8))
    recorded = datetime(2028, 1, 10, 9, 0, tzinfo=cst)
    texts = [
        "Explained the hardship; asked for 12 installments without penalty.",
        "客服说可以分 12 期，减免罚息，需提供收入证明。工号 A1234，电话 138 1234 5678",
        "=HYPERLINK(\"http://x\")\t[bold red]x[/] \x1b[31mred\x07 \u202eevil\u202c",
        "line1\nline2\r\nline3 `*_[]<>#|! \\ back, semi; comma",
        "身份证 110101199003071234，卡 6225 8812 3456 7890 ０２１-12345678",
    ]
    platforms = ["huabei", "jiebei", "weilidai", "jd_baitiao", "cmb", "no_such_platform"]
    conn = store.connect(path)
    counter = itertools.count(1)
    salts = mock.patch.object(secrets, "token_hex", lambda n=32: f"{next(counter):0{2 * n}x}")
    try:
        salts.start()
        for i in range(12):
            store.add_contact(
                conn,
                store.NewContact(
                    at=datetime(2028, 1, 1, 9, 0, tzinfo=cst) + timedelta(hours=7 * i),
                    platform=platforms[i % len(platforms)],
                    channel=("phone", "app_chat", "email")[i % 3],
                    outcome=("pending", "callback_promised", "agreed", "refused")[i % 4],
                    agent=f"工号 {1000 + i}" if i % 2 else None,
                    offered=texts[(i + 1) % len(texts)] if i % 3 == 0 else None,
                    follow_up=date(2028, 1, 5 + i) if i % 4 == 1 else None,
                    follow_up_action=texts[i % len(texts)] if i % 4 == 1 else None,
                    notes=texts[i % len(texts)],
                    attachments=[Attachment(path="/tmp/收据 1.png", size=1234, sha256="ab" * 32)]
                    if i == 4
                    else (),
                ),
                recorded_at=recorded,
            )
        store.add_contact(
            conn,
            store.NewContact(
                at=datetime(2028, 1, 1, 9, 0, tzinfo=cst),
                platform="huabei",
                channel="phone",
                outcome="agreed",
                notes="correction of #1",
                corrects=1,
            ),
            recorded_at=recorded,
        )
        store.close_follow_up(conn, 6, done_at=recorded)
    finally:
        salts.stop()
        conn.close()


def restore_triggers(conn) -> None:  # type: ignore[no-untyped-def]
    """Put back the triggers a tampering test dropped, as a careful forger would: the schema is
    then repaycli's again, and only the data edited can give the forgery away."""
    from repaycli import store

    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for (kind, name), _ in store.expected_schema(version).items():
        if kind == "trigger" and name not in have:
            conn.execute(_trigger_sql(name, version))


def _trigger_sql(name: str, version: int) -> str:
    import sqlite3

    from repaycli import store

    mem = sqlite3.connect(":memory:", isolation_level=None)
    mem.row_factory = sqlite3.Row
    store.migrate(mem, target=version)
    sql = mem.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    mem.close()
    return str(sql)
