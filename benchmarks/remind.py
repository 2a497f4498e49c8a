"""How long ``repaycli remind`` takes with a long history, beside ``python -c pass``.

Builds a database with 100,000 call-log entries and 1,000 agreements (12 monthly installments
each), then times real ``repaycli remind`` runs (median of ``--runs``) as cron would start them.

    .venv/bin/python benchmarks/remind.py [--entries 100000] [--agreements 1000] [--runs 5]

The log is written in one transaction with ``executemany`` but hashed exactly as
``store.add_contact`` hashes it (same row, same ``core.evidence.entry_hash``), so the benchmark
database passes ``repaycli log verify``; the script checks that too. Agreements and payments go
through ``store.add_agreement`` / ``store.add_payment`` (with ``synchronous = OFF`` on the
benchmark's own connection only, to build it quickly).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from repaycli import store
from repaycli.core import evidence
from repaycli.core.dates import monthly_due_dates

CST = timezone(timedelta(hours=8))
TODAY = date(2028, 3, 1)
PLATFORMS = ("huabei", "jiebei", "weilidai", "jd_baitiao", "meituan", "cmb", "icbc", "ccb")
ACTIONS = ("Call back about the waiver", "Send income proof", "Ask for written confirmation")


def build_log(conn: Any, entries: int, rng: random.Random, *, channel: str = "phone") -> None:
    """``entries`` contacts over the three years before TODAY, about a third promising a
    follow-up (most overtaken by later contacts, as in real use), chained like add_contact.
    ``channel="sms"``: every contact a collector's message instead of the user's call."""
    start = datetime(2025, 3, 1, 9, 0, tzinfo=CST)
    span = (datetime.combine(TODAY, datetime.min.time(), CST) - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(entries))
    rows: list[dict[str, Any]] = []
    prev = evidence.GENESIS
    for i, at in enumerate(times, 1):
        last = i - (entries - len(PLATFORMS))  # the last contact with each platform: open
        follow = last > 0 or rng.random() < 0.33
        row: dict[str, Any] = {
            "id": i,
            "recorded_at": at.isoformat(timespec="seconds"),
            "at": at.isoformat(timespec="seconds"),
            "platform": PLATFORMS[last - 1] if last > 0 else rng.choice(PLATFORMS),
            "channel": channel,
            "outcome": "callback_promised" if follow else "pending",
            "follow_up": (at.date() + timedelta(days=rng.randint(1, 14))).isoformat()
            if follow
            else None,
            "corrects": None,
        }
        for name in evidence.TEXT_FIELDS:
            row[name] = None
        row["agent"] = f"agent {rng.randint(1000, 9999)}"
        row["notes"] = "Explained the hardship; asked for 12 installments without penalty."
        if follow:
            row["follow_up_action"] = rng.choice(ACTIONS)
        row["attachments"] = "[]"
        # salted per-field commitments, as add_contact writes since issue 12 (seeded salts)
        salts = {name: f"{rng.getrandbits(128):032x}" for name in evidence.COMMITTED_FIELDS}
        digest = evidence.entry_hash_v2({**row, "attachments": []}, prev, salts)
        row.update(at_utc=at.astimezone(UTC).isoformat(timespec="seconds"), prev_hash=prev)
        row["hash"] = digest
        row["salts"] = json.dumps(salts, sort_keys=True)
        prev = digest
        rows.append(row)
    columns = list(rows[0])
    sql = (
        f"INSERT INTO contacts ({', '.join(columns)})"
        f" VALUES ({', '.join(':' + c for c in columns)})"
    )
    with store.transaction(conn):
        conn.executemany(sql, rows)


def build_agreements(conn: Any, agreements: int, rng: random.Random) -> None:
    """Agreements first due over the past year and the next month; most paid up to date."""
    recorded = datetime(2027, 1, 1, 9, 0, tzinfo=CST)
    for _ in range(agreements):
        first = TODAY - timedelta(days=rng.randint(-30, 365))
        schedule = [(d, 50_000) for d in monthly_due_dates(first, 12)]
        agreement_id = store.add_agreement(
            conn, platform=rng.choice(PLATFORMS), schedule=schedule, recorded_at=recorded
        )
        past = sum(1 for d, _ in schedule if d < TODAY)
        paid = past if rng.random() < 0.97 else max(past - 1, 0)
        if paid:
            store.add_payment(
                conn,
                agreement_id,
                amount_fen=50_000 * paid,
                paid_on=TODAY,
                recorded_at=recorded,
            )


def cached_home(entries: int, agreements: int, *, rebuild: bool = False) -> Path:
    """A data directory holding a benchmark database of ``entries`` log entries and
    ``agreements`` agreements, built once and kept in the temp directory (``--rebuild`` in the
    scripts that use it builds it afresh)."""
    # "-v2": entries with salted commitments (issue 12); a cache of older entries is not reused
    # "-v3": schema 8 (issue 22's index); an older cache would be migrated by the first run timed.
    # Since then the schema version is in the name, so no cache is ever migrated while timed.
    name = f"repaycli-bench-v3-s{store.SCHEMA_VERSION}-{entries}-{agreements}"
    home = Path(tempfile.gettempdir()) / name
    db = home / "repaycli.sqlite3"
    ready = home / "ready"
    if rebuild and home.exists():
        shutil.rmtree(home)
    if ready.exists() and db.exists():
        return home
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(mode=0o700, parents=True)
    print(f"building {db} ({entries:,} entries, {agreements:,} agreements)…", file=sys.stderr)
    began = time.perf_counter()
    rng = random.Random(20280301)
    conn = store.connect(db)
    conn.execute("PRAGMA synchronous = OFF")
    build_log(conn, entries, rng)
    build_agreements(conn, agreements, rng)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    ready.write_text("")
    print(f"built in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return home


def timed(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, bytes]:
    times = []
    out = b""
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - began)
        if done.returncode not in (0, 1):
            sys.exit(f"{cmd} failed: {done.stderr.decode()}")
        out = done.stdout
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="repaycli-bench-"))
    db = home / "repaycli.sqlite3"
    rng = random.Random(20280301)
    began = time.perf_counter()
    conn = store.connect(db)
    conn.execute("PRAGMA synchronous = OFF")
    build_log(conn, args.entries, rng)
    build_agreements(conn, args.agreements, rng)
    built = time.perf_counter() - began
    chain = store.verify_log(conn)
    began = time.perf_counter()
    due = store.due_installments(conn, until=TODAY + timedelta(days=3))
    follow = store.open_follow_ups_latest(conn, until=TODAY + timedelta(days=3))
    queries = time.perf_counter() - began
    began = time.perf_counter()
    assert store.open_follow_ups(conn, until=TODAY + timedelta(days=3)) == follow
    plain_query = time.perf_counter() - began
    installments = conn.execute("SELECT count(*) FROM installments").fetchone()[0]
    conn.close()

    exe = str(Path(sys.executable).parent / "repaycli")
    if not Path(exe).exists():
        exe = shutil.which("repaycli") or sys.exit("repaycli is not installed")
    env = {"REPAYCLI_HOME": str(home), "REPAYCLI_TODAY": TODAY.isoformat(), "PATH": "/usr/bin:/bin"}
    base, _ = timed([sys.executable, "-c", "pass"], env, args.runs)
    version, _ = timed([exe, "--version"], env, args.runs)
    plain, out = timed([exe, "remind"], env, args.runs)
    as_json, jout = timed([exe, "remind", "--json"], env, args.runs)
    ics, _ = timed([exe, "remind", "--ics", str(home / "feed.ics")], env, args.runs)
    report = json.loads(jout)

    print(
        f"database: {args.entries:,} log entries, {args.agreements:,} agreements "
        f"({installments:,} installments), {db.stat().st_size / 1e6:.1f} MB, built in {built:.1f} s"
    )
    print(f"log chain intact: {chain.intact} ({chain.count:,} entries)")
    print(
        f"due today..+3d: {len(report['overdue'])} overdue, {len(report['upcoming'])} upcoming "
        f"({len(due)} installments, {len(follow)} follow-ups); report {len(out.splitlines())} lines"
    )
    print(
        f"store queries in-process:      {queries * 1000:7.1f} ms"
        f" (open_follow_ups without the per-platform shortcut: {plain_query * 1000:.1f} ms)"
    )
    print(f"median of {args.runs} runs:")
    print(f"  python -c pass               {base * 1000:7.1f} ms")
    print(f"  repaycli --version           {version * 1000:7.1f} ms")
    print(f"  repaycli remind              {plain * 1000:7.1f} ms")
    print(f"  repaycli remind --json       {as_json * 1000:7.1f} ms")
    print(f"  repaycli remind --ics FILE   {ics * 1000:7.1f} ms")
    if args.keep:
        print(f"kept: REPAYCLI_HOME={home}")
    else:
        shutil.rmtree(home)


if __name__ == "__main__":
    os.umask(0o077)
    main()
