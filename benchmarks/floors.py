"""The floors ``benchmarks/scale.py`` measures each command against: the same work done in plain
Python (sqlite3, json, hashlib, csv) with no repaycli, no typer, no pydantic and no rich.

    python benchmarks/floors.py KIND DB [OUT]
    python benchmarks/floors.py verify-export DB EXPORT

KIND: verify, fingerprint, agreements, list, csv, json, markdown, ics, ics-all, complaint or report.

Each reads the same rows as the command, in the same order, and writes lines of the same kind
(the same fields, serialised the simplest way) to OUT (default stdout). The JSON and markdown
floors first re-compute the hash chain, as those exports must (they state the chain's head).
What each floor leaves out is what the command adds on top: labels, safe-text escaping,
translations, the envelope.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import sqlite3
import sys
from datetime import date, timedelta

FIELD_TAG = b"repaycli.field.v2\x00"
HASHED = (
    "id recorded_at at platform channel number agent ref asked offered outcome agreed_terms "
    "confirmation follow_up follow_up_action notes attachments corrects"
).split()
#: The lender ``benchmarks/scale.py``'s complaint letter is about (one of the builder's eight).
COMPLAINT_PLATFORM = "huabei"
EVENT_HASHED = ("id", "kind", "ref", "recorded_at", "body", "prev_hash")
LIST_SQL = """SELECT c.*,
    (SELECT n.id FROM contacts n WHERE n.corrects = c.id) AS corrected_by,
    d.done_at AS follow_up_done_at
FROM contacts c LEFT JOIN follow_ups_done d ON d.contact_id = c.id"""


def rows(db: str, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn.execute(sql, params)


def verify(db: str, out: object) -> None:
    prev = "0" * 64
    count = 0
    for row in rows(db, "SELECT * FROM contacts ORDER BY id"):
        body = {name: row[name] for name in HASHED}
        body["attachments"] = json.loads(row["attachments"])
        body["prev_hash"] = prev
        salts = json.loads(row["salts"])  # issue 12: each field committed with its own salt
        commits = {
            name: hashlib.sha256(
                FIELD_TAG
                + bytes.fromhex(salts[name])
                + json.dumps([name, value], ensure_ascii=False, separators=(",", ":")).encode()
            ).hexdigest()
            for name, value in body.items()
        }
        sealed = {"v": 2, "commitments": commits}
        text = json.dumps(sealed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != row["hash"] or row["prev_hash"] != prev:
            sys.exit(f"chain broken at {row['id']}")
        prev = digest
        count += 1
    print(count, prev, file=out)  # type: ignore[call-overload]


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def events(db: str, out: object) -> None:
    """The events chain re-computed, and each agreement and payment (most of the events)
    rebuilt from its rows — each table read once, in bulk, into dicts — and compared with its
    event; then each installment's paid amount against its allocations, in one query."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    schedules: dict[int, list[list[object]]] = {}
    for r in conn.execute("SELECT agreement_id, n, due, amount_fen FROM installments"):
        schedules.setdefault(r[0], []).append([r[1], r[2], r[3]])
    allocations: dict[int, list[list[object]]] = {}
    for r in conn.execute("SELECT payment_id, n, amount_fen FROM allocations ORDER BY 1, 2"):
        allocations.setdefault(r[0], []).append([r[1], r[2]])
    bodies: dict[tuple[str, int], dict[str, object]] = {}
    for r in conn.execute("SELECT * FROM agreements"):
        body = dict(r)
        body["schedule"] = sorted(schedules.get(r["id"], []))
        bodies[("agreement", r["id"])] = body
    for r in conn.execute("SELECT * FROM payments"):
        body = dict(r)
        body["allocations"] = allocations.get(r["id"], [])
        bodies[("payment", r["id"])] = body
    prev, count = "0" * 64, 0
    for r in conn.execute("SELECT * FROM events ORDER BY id"):
        event = {k: r[k] for k in ("id", "kind", "ref", "recorded_at", "prev_hash")}
        event["body"] = json.loads(r["body"])
        if hashlib.sha256(_dumps(event).encode()).hexdigest() != r["hash"] or (
            r["prev_hash"] != prev
        ):
            sys.exit(f"events chain broken at {r['id']}")
        kept = bodies.get((r["kind"], r["ref"]))
        if kept is not None and json.loads(_dumps(kept)) != event["body"]:
            sys.exit(f"{r['kind']} {r['ref']} changed")
        prev, count = r["hash"], count + 1
    bad = conn.execute(
        """SELECT count(*) FROM installments i
WHERE paid_fen <> (SELECT coalesce(sum(a.amount_fen), 0) FROM allocations a
    WHERE a.agreement_id = i.agreement_id AND a.n = i.n)"""
    ).fetchone()[0]
    print(count, prev, bad, file=out)  # type: ignore[call-overload]


def agreements(db: str, out: object) -> None:
    """Every agreement with its schedule, payments and allocations, as JSON lines."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    schedules: dict[int, list[dict[str, object]]] = {}
    for r in conn.execute("SELECT * FROM installments ORDER BY agreement_id, n"):
        schedules.setdefault(r["agreement_id"], []).append(dict(r))
    payments: dict[int, list[dict[str, object]]] = {}
    for r in conn.execute("SELECT * FROM payments ORDER BY id"):
        payments.setdefault(r["agreement_id"], []).append(dict(r))
    for r in conn.execute("SELECT * FROM agreements ORDER BY id"):
        body = dict(r)
        body["schedule"] = schedules.get(r["id"], [])
        body["payments"] = payments.get(r["id"], [])
        out.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")  # type: ignore[attr-defined]


#: The fields a timeline entry shows when they hold something (``report.html``).
SHOWN = (
    "number agent ref asked offered agreed_terms confirmation follow_up follow_up_action notes"
).split()


def report(db: str, out: object) -> None:
    """``report --log``'s timeline: the chains re-computed (its fingerprint), every entry's
    latest version read once (the conduct check), then every entry in the order written and
    every agreement with its payments, written as HTML (each value escaped)."""
    verify(db, out)
    events(db, out)
    write = out.write  # type: ignore[attr-defined]
    collection = 0
    for r in rows(db, LIST_SQL + " WHERE NOT EXISTS (SELECT 1 FROM contacts n WHERE"
                  " n.corrects = c.id) ORDER BY c.at_utc DESC, c.id DESC"):  # fmt: skip
        collection += r["collection"] is not None
    write(f"<p>{collection}</p>\n<ol class=\"timeline\">\n")
    for r in rows(db, LIST_SQL + " ORDER BY c.id"):
        write(
            f'<li class="entry" id="entry-{r["id"]}"><h4>#{r["id"]} · {html.escape(r["at"])}'
            f" · {html.escape(r['platform'])}</h4><dl class=\"pairs\">"
            f"<dt>channel</dt><dd>{html.escape(r['channel'])}</dd>"
            f"<dt>outcome</dt><dd>{html.escape(r['outcome'])}</dd>"
        )
        for name in SHOWN:
            if r[name]:
                write(f'<dt>{name}</dt><dd class="user-text">{html.escape(str(r[name]))}</dd>')
        for a in json.loads(r["attachments"]):
            write(f"<dt>file</dt><dd>{html.escape(a['path'])} <code>{a['sha256']}</code></dd>")
        write(
            f"<dt>recorded</dt><dd>{html.escape(r['recorded_at'])}</dd>"
            f"<dt>hash</dt><dd><code>{r['hash']}</code></dd></dl></li>\n"
        )
    write("</ol>\n")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    payments: dict[int, list[sqlite3.Row]] = {}
    for r in conn.execute("SELECT * FROM payments ORDER BY id"):
        payments.setdefault(r["agreement_id"], []).append(r)
    paid = dict(conn.execute("SELECT agreement_id, sum(paid_fen) FROM installments GROUP BY 1"))
    for r in conn.execute("SELECT * FROM agreements ORDER BY id"):
        write(
            f"<article><h4>{r['id']} {html.escape(r['platform'])}</h4><p>{r['total_fen'] / 100:.2f}"
            f" {r['periods']} {r['first_due']} {paid.get(r['id'], 0) / 100:.2f}</p><table>\n"
        )
        for p in payments.get(r["id"], []):
            write(
                f"<tr><td>{p['id']}</td><td>{p['paid_on']}</td><td>{p['amount_fen'] / 100:.2f}"
                f"</td><td>{html.escape(p['receipt'] or '—')}</td></tr>\n"
            )
        write("</table></article>\n")
def _members(path: str) -> object:
    """The export's top-level members in order, its entries and events one at a time: ijson's
    events (the parser ``log verify --export`` uses) built into values in the simplest way."""
    import ijson

    with open(path, "rb") as handle:
        events = iter(ijson.basic_parse(handle, use_float=True))
        next(events)  # the document's start
        for event, key in events:
            if event == "end_map":
                break
            event, value = next(events)
            if event == "start_array" and key in ("entries", "events"):
                for event, value in events:
                    if event == "end_array":
                        break
                    yield key, True, _built(event, value, events)
            else:
                yield key, False, _built(event, value, events)


def _built(event: str, value: object, events: object) -> object:
    if event not in ("start_map", "start_array"):
        return value
    root: object = {} if event == "start_map" else []
    stack: list[object] = [root]
    key = None
    for event, value in events:  # type: ignore[attr-defined]
        top = stack[-1]
        if event == "map_key":
            key = value
        elif event in ("end_map", "end_array"):
            stack.pop()
            if not stack:
                return root
        else:
            new = {} if event == "start_map" else [] if event == "start_array" else value
            if type(top) is dict:
                top[key] = new
            else:
                top.append(new)  # type: ignore[attr-defined]
            if event in ("start_map", "start_array"):
                stack.append(new)
    return root


def verify_export(db: str, path: str, out: object) -> None:
    """``log verify --export``: the database's chains (``verify`` and ``events``), then the
    export read once — each entry's hash re-computed from its salts and compared, with every
    field, with the database's row read beside it; each event re-hashed and compared with its
    row; the seal re-computed over the same members — then its count and heads."""
    verify(db, out)
    events(db, out)
    # one encoder each (json.dumps with options builds one per call)
    compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    canonical = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(LIST_SQL + " ORDER BY c.id")
    stored_events = conn.execute("SELECT * FROM events ORDER BY id")
    fields: dict[str, object] = {}
    seal = hashlib.sha256()
    prev, n_entries, n_events, in_events = "0" * 64, 0, 0, False
    for key, item, value in _members(path):
        if not item:
            fields[key] = value
            continue
        entry: dict[str, object] = value  # type: ignore[assignment]
        if key == "entries":
            if n_entries == 0:
                seal.update(f'{{"count":{fields["count"]},"entries":['.encode())
            body = {name: entry[name] for name in HASHED}
            body["prev_hash"] = prev
            salts: dict[str, str] = entry["salts"]  # type: ignore[assignment]
            commits = {
                name: hashlib.sha256(
                    FIELD_TAG + bytes.fromhex(salts[name]) + compact([name, v]).encode()
                ).hexdigest()
                for name, v in body.items()
            }
            sealed = canonical({"v": 2, "commitments": commits})
            digest = hashlib.sha256(sealed.encode()).hexdigest()
            if digest != entry["hash"] or entry["prev_hash"] != prev:
                sys.exit(f"export entry {entry['id']} changed")
            row = dict(next(rows))
            row["attachments"] = json.loads(row["attachments"])
            row["salts"] = json.loads(row["salts"])
            row["collection"] = row["collection"] is not None
            for name, kept in entry.items():
                if row.get(name, kept) != kept:
                    sys.exit(f"export entry {entry['id']}'s {name} differs")
            prev = digest
            seal.update(((",") if n_entries else "").encode() + canonical(entry).encode())
            n_entries += 1
        else:
            if not in_events:
                seal.update(b'],"events":[')
                in_events = True
            hashed = {k: entry[k] for k in EVENT_HASHED}
            kept_row = dict(next(stored_events))
            kept_row["body"] = json.loads(kept_row["body"])
            if hashlib.sha256(canonical(hashed).encode()).hexdigest() != entry["hash"] or (
                kept_row != entry
            ):
                sys.exit(f"export event {entry['id']} differs")
            seal.update(((",") if n_events else "").encode() + canonical(entry).encode())
            n_events += 1
    seal.update(b"]")
    for name in sorted(fields):
        if name not in ("count", "seal"):
            seal.update(f",{canonical(name)}:{canonical(fields[name])}".encode())
    seal.update(b"}")
    stated = (fields["count"], fields["events_count"], fields["head_hash"])
    if stated != (n_entries, n_events, prev):
        sys.exit("export count or head differs")
    if seal.hexdigest() != fields["seal"]:
        sys.exit("export seal differs")
    print(n_entries, n_events, prev, file=out)  # type: ignore[call-overload]


def main() -> None:
    kind, db = sys.argv[1], sys.argv[2]
    if kind == "verify-export":
        verify_export(db, sys.argv[3], sys.stdout)
        return
    out = open(sys.argv[3], "w", encoding="utf-8") if len(sys.argv) > 3 else sys.stdout
    if kind in ("verify", "fingerprint"):  # both re-compute the log and the events whole
        verify(db, out)
        events(db, out)
    elif kind == "agreements":
        agreements(db, out)
    elif kind == "report":
        report(db, out)
    elif kind == "list":
        sql = (
            LIST_SQL + " WHERE NOT EXISTS (SELECT 1 FROM contacts n WHERE n.corrects = c.id)"
            " ORDER BY c.at_utc DESC, c.id DESC"
        )
        for r in rows(db, sql):
            fields = (r["id"], r["at"], r["platform"], r["channel"], r["outcome"])
            rest = (r["offered"] or "", r["follow_up"] or "", r["notes"] or "")
            out.write("\t".join(map(str, (*fields, *rest))) + "\n")
    elif kind == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        for r in rows(db, LIST_SQL + " ORDER BY c.id"):
            writer.writerow(["" if v is None else v for v in r])
    elif kind == "json":
        verify(db, out)  # the export states whether the chain is intact, and its head
        for r in rows(db, LIST_SQL + " ORDER BY c.id"):
            out.write(json.dumps(dict(r), ensure_ascii=False, indent=2) + ",\n")
    elif kind == "markdown":
        verify(db, out)  # the export's heading names the chain's head
        for r in rows(db, LIST_SQL + " ORDER BY c.at_utc, c.id"):
            out.write(f"\n## {r['at']} — {r['platform']} — {r['channel']} (#{r['id']})\n\n")
            for name in ("agent", "offered", "follow_up", "follow_up_action", "notes"):
                if r[name]:
                    out.write(f"- **{name}**: {r[name]}\n")
            out.write(f"- hash: `{r['hash']}`\n")
    elif kind == "complaint":
        # ``letter --kind complaint --platform huabei``: both chains checked (a letter quotes
        # only evidence that holds up), then the lender's latest entries, oldest first, each
        # with the fields a letter quotes and its hash.
        verify(db, out)
        events(db, out)
        sql = (
            "SELECT * FROM contacts c WHERE c.platform = ? AND NOT EXISTS"
            " (SELECT 1 FROM contacts n WHERE n.corrects = c.id) ORDER BY c.at_utc, c.id"
        )
        for r in rows(db, sql, (COMPLAINT_PLATFORM,)):
            out.write(f"- #{r['id']} {r['at']}, {r['channel']}, {r['outcome']}\n")
            for name in ("number", "agent", "ref", "offered", "agreed_terms", "confirmation",
                         "notes", "said", "third_party"):  # fmt: skip
                if r[name]:
                    out.write(f"  - {name}: {r[name]}\n")
            out.write(f"  - hash: {r['hash']}\n")
    elif kind in ("ics", "ics-all"):
        # The events of ``remind --ics`` (overdue and the next 90 days; ``ics-all``: every one),
        # as lines, after a typer CLI's unavoidable start-up (``import typer``): the feed is a
        # few hundred events, so without it the ratio would measure start-up alone, which has its
        # own target in benchmarks/startup.py.
        import typer  # noqa: F401

        days = 90 if kind == "ics" else 365 * 100
        until = (date.fromisoformat(sys.argv[4]) + timedelta(days=days)).isoformat()
        out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
        sql = """SELECT i.agreement_id, a.platform, i.n, i.due, i.amount_fen - i.paid_fen AS left
FROM installments i JOIN agreements a ON a.id = i.agreement_id
WHERE i.paid_fen < i.amount_fen AND i.due <= ? ORDER BY i.due, i.agreement_id, i.n"""
        for r in rows(db, sql, (until,)):
            day = r["due"].replace("-", "")
            out.write(
                f"BEGIN:VEVENT\r\nSUMMARY:Pay {r['platform']} {r['left'] / 100:.2f}\r\n"
                f"DTSTART;VALUE=DATE:{day}\r\nUID:installment-{r['agreement_id']}-{r['n']}"
                "@repaycli\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15H\r\n"
                "END:VALARM\r\nEND:VEVENT\r\n"
            )
        out.write("END:VCALENDAR\r\n")
    else:
        sys.exit(f"unknown floor {kind}")
    out.close()


if __name__ == "__main__":
    main()
